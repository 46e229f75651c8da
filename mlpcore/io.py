"""Saving and loading parameters as ``.npz``, safely.

The file holds ``s`` (the layer sizes), ``g`` (the activation's name), ``init`` and the arrays
``w0 .. w{p-1}``, ``b0 .. b{p-1}``. Loading never unpickles (``allow_pickle=False``) and checks
every shape against ``s`` before it builds a Network. Saving writes a temporary file and renames
it, so an interrupted save never destroys the file that was there before.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib

import numpy as np

from .activations import ACTIVATIONS, Activation
from .network import Network, check_sizes


def save(path, net: Network) -> None:
    """Write ``net``'s sizes, activation name and parameters to ``path`` (.npz)."""
    path = os.fspath(path)
    # Check before writing anything: an object array would be pickled (and never load again),
    # a non-finite one would be refused by load.
    for k in range(net.p):
        for label, arr in ((f"w[{k}]", net.w[k]), (f"b[{k}]", net.b[k])):
            arr = np.asarray(arr)
            if not np.issubdtype(arr.dtype, np.floating) or not np.isfinite(arr).all():
                raise ValueError(f"cannot save: {label} must hold finite floats, got {arr.dtype}")
    arrays = {
        "s": np.asarray(net.s, dtype=np.int64),
        "g": np.asarray(net.g.name),
        "init": np.asarray(net.init),
    }
    for k in range(net.p):
        arrays[f"w{k}"] = net.w[k]
        arrays[f"b{k}"] = net.b[k]
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.chmod(tmp, _file_mode(path))  # mkstemp makes it private (0600); open() would not
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _file_mode(path) -> int:
    """The permissions of the file being replaced, or those a plain open() would give."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def load(path, g: Activation | None = None) -> Network:
    """Read a Network saved by :func:`save`, validating everything.

    ``g`` must be given when the file was saved with a custom activation (it cannot be stored
    without pickling a function). Raises ``ValueError`` naming the missing or misshapen array.
    """
    path = os.fspath(path)
    try:
        data = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValueError(f"{path} is not a readable .npz parameter file: {exc}") from None
    except ValueError:  # numpy guesses "pickled data" for any bytes that are not npy/npz
        raise ValueError(
            f"{path} is not a readable .npz parameter file (neither .npz nor .npy; "
            "pickled files are refused)"
        ) from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} is a single .npy array, not an .npz parameter file")
    with data:
        try:
            arrays = {name: data[name] for name in data.files}
        except ValueError as exc:  # numpy refuses object arrays when allow_pickle=False
            if "pickle" not in str(exc) and "Object arrays" not in str(exc):
                raise ValueError(f"{path} is a damaged .npz parameter file: {exc}") from None
            raise ValueError(
                f"{path} holds a pickled object array; refusing to load it ({exc})"
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:  # damaged member
            raise ValueError(f"{path} is a damaged .npz parameter file: {exc}") from None
    for name in ("s", "g"):
        if name not in arrays:
            raise ValueError(f"{path} misses the array {name!r}")
    s = arrays["s"]
    if s.ndim != 1 or not np.issubdtype(s.dtype, np.integer):
        raise ValueError(f"{path}: 's' must be a 1-D integer array, got {s.dtype} {s.shape}")
    s = check_sizes([int(v) for v in s])
    gname = str(arrays["g"])
    if g is None:
        if gname not in ACTIVATIONS:
            raise ValueError(f"{path} was saved with the custom activation {gname!r}; pass g=...")
        g = ACTIVATIONS[gname]
    init = str(arrays.get("init", np.asarray(g.init)))
    net = Network(s, g=g, seed=0, init=init if init in ("xavier", "he") else None)
    for k in range(net.p):
        for name, shape, target in (
            (f"w{k}", (s[k + 1], s[k]), net.w),
            (f"b{k}", (s[k + 1],), net.b),
        ):
            if name not in arrays:
                raise ValueError(f"{path} misses the array {name!r} (expected p = {net.p} layers)")
            arr = arrays[name]
            if arr.shape != shape:
                label = f"{name[0]}[{k}]"
                raise ValueError(
                    f"{path}: {label} must have shape {shape} for s = {s}, got {arr.shape}"
                )
            if not np.issubdtype(arr.dtype, np.floating) or not np.isfinite(arr).all():
                raise ValueError(f"{path}: {name} must be finite floats")
            target[k] = arr.astype(np.float64 if arr.dtype != np.float32 else np.float32)
    extra = set(arrays) - {"s", "g", "init"} - {f"{c}{k}" for c in "wb" for k in range(net.p)}
    if extra:
        raise ValueError(f"{path} has arrays that do not fit s = {s}: {sorted(extra)}")
    return net
