"""Reading an .npz archive whose claims are not trusted: its zip end record, each member's .npy
header, then its data, each step bounded by what was checked before it (see :mod:`mlpcore.io`).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib

import numpy as np
from numpy.lib import format as npy

MAX_MEMBERS = 2 * 1024 + 3  # s, g, init and w, b for up to 1024 layers
MAX_RATIO = 100  # a compressed member may inflate this much (once above 1 MiB)
_CHUNK = 1 << 20
DAMAGE = (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, SyntaxError)


Refused = ValueError  # how load refuses a file: a ValueError whose message starts with the path


def check_end_record(fh, path) -> None:
    """Read the zip's end record before zipfile reads the directory that it announces."""
    size = fh.seek(0, os.SEEK_END)
    fh.seek(max(0, size - 22 - 65535))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Refused(f"{path} is not a readable .npz parameter file (no zip directory)")
    entries, directory = struct.unpack("<4s4H2LH", tail[at : at + 22])[4:6]
    if entries > MAX_MEMBERS or directory > 128 * MAX_MEMBERS:
        raise Refused(
            f"{path} lists {entries} members in a {directory:,}-byte zip directory; a parameter "
            f"file has at most {MAX_MEMBERS}"
        )
    fh.seek(0)


def header(zf, info, path, name):
    """(shape, dtype, fortran_order, data offset) from a member's .npy header, nothing more."""
    try:
        with zf.open(info) as f:
            version = npy.read_magic(f)
            if version == (1, 0):
                shape, fortran, dtype = npy.read_array_header_1_0(f)
            elif version == (2, 0):
                shape, fortran, dtype = npy.read_array_header_2_0(f)
            else:
                raise ValueError(f"unsupported .npy version {version}")
            offset = f.tell()
    except DAMAGE as exc:
        raise Refused(f"{path} is a damaged .npz parameter file ({name}: {exc})") from None
    if dtype.hasobject:
        raise Refused(f"{path} holds a pickled object array in {name}; refusing it")
    claimed = offset + int(np.prod(shape, dtype=object)) * dtype.itemsize
    if info.file_size != claimed:
        raise Refused(
            f"{path}: {name} claims shape {shape} of {dtype} ({claimed:,} bytes) but its zip "
            f"entry holds {info.file_size:,} bytes"
        )
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > max(
        _CHUNK, MAX_RATIO * info.compress_size
    ):
        raise Refused(
            f"{path}: {name} would inflate from {info.compress_size:,} to {info.file_size:,} "
            f"bytes, more than {MAX_RATIO}-fold; refusing a likely decompression bomb"
        )
    return shape, dtype, fortran, offset


def data(zf, info, header, path, name) -> np.ndarray:
    """The member's data, read a chunk at a time into an array of the checked size."""
    shape, dtype, fortran, offset = header
    flat = np.empty(int(np.prod(shape, dtype=object)), dtype=dtype)
    view = memoryview(flat).cast("B")
    try:
        with zf.open(info) as f:
            f.read(offset)
            done = 0
            while done < len(view):
                chunk = f.read(min(_CHUNK, len(view) - done))
                if not chunk:
                    raise EOFError(f"{name} ends after {done} of {len(view)} bytes")
                view[done : done + len(chunk)] = chunk
                done += len(chunk)
            f.read(1)  # reach the end of the member, where zipfile checks its CRC
    except DAMAGE as exc:
        raise Refused(f"{path} is a damaged .npz parameter file ({name}: {exc})") from None
    arr = flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)
    return arr if dtype.isnative else arr.astype(dtype.newbyteorder("="))
