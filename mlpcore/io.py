"""Saving and loading parameters as ``.npz``. A file is untrusted input.

This module is longer than most (about 265 lines) because each check in :func:`load` is one
line of defence against a file that lies, and they read best together, in the order they run;
reading the zip end record, the headers and the data is in ``mlpcore._npz``.

The file holds ``s`` (the layer sizes, integers), ``g`` (the activation's name), ``init`` (the
initialisation scheme) and the arrays ``w0 .. w{p-1}``, ``b0 .. b{p-1}``, all of one float
dtype (float32 or float64). :func:`load` refuses a file at the first problem, in this order,
and allocates nothing of the sizes that the file claims until every claim has been checked:

1. the zip directory: at most ``MAX_MEMBERS`` members (its end record is read first), only
   the names above, each once. Nothing is decompressed yet;
2. ``s``, from its .npy header: 1-D integers, at most ``MAX_MEMBERS`` entries. Its few bytes
   are read; the sizes are checked (each >= 1) and capped at ``max_params`` parameters
   (default ``mlpcore.network.MAX_PARAMS``, 10^8), and every ``w{k}``, ``b{k}`` of those
   sizes must be present and no other;
3. the .npy header of every other member (a few hundred bytes read from the member's stream,
   never the whole member): the shape fits ``s``; the dtype is float32 or float64, the same
   for every array, and never ``object``, so nothing is ever unpickled;
4. the sizes in the zip directory: each member holds exactly what its header claims, and no
   compressed member inflates more than ``MAX_RATIO``-fold (a decompression bomb);
5. only then the data, read into arrays of the checked sizes, which must be finite.

So the total that load reads and allocates is capped: at most 8 · ``max_params`` bytes of
arrays (800 MB by default) in at most ``MAX_MEMBERS`` members, whatever the file claims.

The Network is built from those arrays
(:meth:`~mlpcore.network.Network.from_params`); nothing random is drawn.
:func:`save` refuses a network that :func:`load` would refuse, writes a temporary file next to
the target and renames it, so an interrupted save never destroys the file that was there;
saving over a symbolic link replaces the file that the link points to and keeps the link.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile

import numpy as np

from . import _npz
from ._checks import check_params
from ._npz import DAMAGE, MAX_MEMBERS, Refused
from .activations import ACTIVATIONS, Activation, get_activation
from .network import INIT_SCHEMES, MAX_PARAMS, Network, check_size_cap, check_sizes, param_buffer

_NAME = re.compile(r"(s|g|init|[wb](0|[1-9][0-9]{0,3}))\.npy")
_NAME_CHARS = 256  # the longest activation name stored


def save(path, net: Network) -> None:
    """Write ``net``'s sizes, activation name, init scheme and parameters to ``path`` (.npz).

    Refuses (ValueError, naming ``path``) what :func:`load` would refuse: arrays that are not
    finite float32/float64 of one dtype, shapes that do not fit ``net.s``, an activation
    name that is not a short string, an unknown ``init``.
    """
    if isinstance(path, Network):
        raise TypeError("save(path, net): the path comes first, got a Network as the path")
    path = os.fspath(path)
    arrays = _arrays_of(net, path)
    target = os.path.realpath(path)  # through a symlink: replace its target, keep the link
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mlpcore-", suffix=".npz", dir=os.path.dirname(target))
    except OSError as exc:
        raise _named(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.chmod(tmp, _file_mode(target))  # mkstemp makes it private (0600); open() would not
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        if isinstance(exc, OSError):
            raise _named(exc, path) from exc
        raise


def _arrays_of(net, path) -> dict:
    def refuse(msg):
        return ValueError(f"cannot save to {path}: {msg}")

    try:
        w, b, s = check_params(net.w, net.b)
    except (TypeError, ValueError) as exc:
        raise refuse(exc) from None
    except AttributeError:
        raise TypeError(f"save(path, net): net must be a Network, got {net!r}") from None
    if tuple(net.s) != s:
        raise refuse(f"net.s = {tuple(net.s)} but the shapes of w give s = {s}")
    if len(s) > MAX_MEMBERS // 2:
        raise refuse(f"p = {len(s) - 1} layers; a file holds at most {MAX_MEMBERS // 2 - 1}")
    for label, arr in [
        (f"{c}[{k}]", a) for c, arrs in (("w", w), ("b", b)) for k, a in enumerate(arrs)
    ]:
        if arr.dtype not in (np.float32, np.float64) or not np.isfinite(arr).all():
            raise refuse(f"{label} must hold finite float32 or float64 numbers, got {arr.dtype}")
        if arr.dtype != w[0].dtype:
            raise refuse(f"mixed dtypes: w[0] is {w[0].dtype} but {label} is {arr.dtype}")
    name = net.g.name
    if not isinstance(name, str) or not 0 < len(name) <= _NAME_CHARS:
        raise refuse(f"the activation's name must be a string of 1 to {_NAME_CHARS} characters")
    if net.init not in INIT_SCHEMES:
        raise refuse(f"init must be one of {INIT_SCHEMES}, got {net.init!r}")
    arrays = {
        "s": np.asarray(s, dtype=np.int64),
        "g": np.asarray(name),
        "init": np.asarray(net.init),
    }
    for k in range(len(w)):
        arrays[f"w{k}"], arrays[f"b{k}"] = w[k], b[k]
    return arrays


def _named(exc: OSError, path) -> OSError:
    """The same kind of OSError, naming the user's path rather than a temporary file."""
    if exc.errno is not None:
        return OSError(exc.errno, f"cannot save the network to {path}: {exc.strerror}")
    return OSError(f"cannot save the network to {path}: {exc}")


def _file_mode(path) -> int:
    """The permissions of the file being replaced, or those a plain open() would give."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def load(path, g: Activation | str | None = None, max_params: int | None = MAX_PARAMS) -> Network:
    """Read a Network saved by :func:`save`, checking every claim of the file first.

    Parameters
    ----------
    path : the .npz file
    g : Activation or name, optional
        Needed only when the file was saved with a custom activation (a function cannot be
        stored without pickling it); its name must be the stored one. A ``g`` of another
        name is refused rather than silently swapped in: to change the activation on
        purpose, use ``Network.from_params(net.w, net.b, g=...)`` on the loaded network.
    max_params : int or None
        The largest network accepted (default ``mlpcore.network.MAX_PARAMS``, 10^8
        parameters, 800 MB in float64); None lifts the cap for a file you trust.

    Raises ``ValueError`` naming ``path`` and the member at fault (see the module docstring
    for the order of the checks). A missing file raises the usual ``FileNotFoundError``.
    """
    path = os.fspath(path)
    with open(path, "rb") as fh:
        magic = fh.read(6)
        if magic == b"\x93NUMPY":
            raise Refused(f"{path} is a single .npy array, not an .npz parameter file")
        if magic[:2] != b"PK":
            raise Refused(
                f"{path} is not a readable .npz parameter file (not a zip archive; "
                "pickled files are refused)"
            )
        _npz.check_end_record(fh, path)
        try:
            zf = zipfile.ZipFile(fh)
        except DAMAGE as exc:
            raise Refused(f"{path} is not a readable .npz parameter file: {exc}") from None
        with zf:
            return _load(zf, path, g, max_params)


def _load(zf: zipfile.ZipFile, path, g, max_params) -> Network:
    infos = {}
    for info in zf.infolist():
        if not _NAME.fullmatch(info.filename):
            raise Refused(
                f"{path} holds the member {info.filename[:80]!r}, which is not a parameter "
                "array (expected s, g, init, w0.., b0..); nothing was read"
            )
        if info.filename[:-4] in infos:
            raise Refused(f"{path} holds the member {info.filename!r} twice")
        infos[info.filename[:-4]] = info
    for name in ("s", "g"):
        if name not in infos:
            raise Refused(f"{path} misses the array {name!r}")
    headers = {}

    def header(name):
        headers[name] = _npz.header(zf, infos[name], path, name)
        return headers[name]

    shape, dtype = header("s")[:2]
    if dtype.kind not in "iu" or len(shape) != 1 or not 2 <= shape[0] <= MAX_MEMBERS // 2:
        raise Refused(
            f"{path}: 's' must be a 1-D integer array of 2 to {MAX_MEMBERS // 2} layer sizes, "
            f"got {dtype} {shape}"
        )
    try:
        s = check_sizes([int(v) for v in _npz.data(zf, infos["s"], headers["s"], path, "s")])
        check_size_cap(s, max_params)
    except (TypeError, ValueError) as exc:
        raise Refused(f"{path}: {exc}") from None
    p = len(s) - 1
    expected = {"s", "g", "init"} | {f"{c}{k}" for c in "wb" for k in range(p)}
    for name in [f"{c}{k}" for k in range(p) for c in "wb"]:
        if name not in infos:
            raise Refused(f"{path} misses the array {name!r} (expected p = {p} layers)")
    if set(infos) - expected:
        raise Refused(f"{path} has arrays that do not fit s = {s}: {sorted(set(infos) - expected)}")

    names = {}
    for name in ("g", "init"):
        if name in infos:
            shape, dtype = header(name)[:2]
            if dtype.kind != "U" or shape != () or dtype.itemsize > 4 * _NAME_CHARS:
                raise Refused(f"{path}: {name!r} must be a short string, got {dtype} {shape}")
            names[name] = str(_npz.data(zf, infos[name], headers[name], path, name))
    first = None
    for k in range(p):
        for c, want in (("w", (s[k + 1], s[k])), ("b", (s[k + 1],))):
            name = f"{c}{k}"
            shape, dtype = header(name)[:2]
            if dtype.hasobject:
                raise Refused(f"{path} holds a pickled object array in {name}; refusing it")
            if dtype.kind != "f" or dtype.itemsize not in (4, 8):
                raise Refused(f"{path}: {name} must hold float32 or float64, got {dtype}")
            if shape != want:
                raise Refused(f"{path}: {c}[{k}] must have shape {want} for s = {s}, got {shape}")
            first = first or (name, dtype)
            if dtype.itemsize != first[1].itemsize:
                raise Refused(
                    f"{path} mixes dtypes: {first[0]} is {first[1]} but {name} is {dtype}; "
                    "a Network has one dtype"
                )
    gname, init = names["g"], names.get("init")
    if init is not None and init not in INIT_SCHEMES:
        raise Refused(f"{path}: 'init' must be one of {INIT_SCHEMES}, got {init!r}")
    g = _activation(path, gname, g)
    flat, w, b = param_buffer(s, np.dtype(first[1].newbyteorder("=")))  # the network's own
    for name in sorted(expected - {"s", "g", "init"}):  # one array read at a time
        arr = _npz.data(zf, infos[name], headers[name], path, name)
        if not np.isfinite(arr).all():
            raise Refused(f"{path}: {name} must be finite, it holds NaN or inf")
        (w if name[0] == "w" else b)[int(name[1:])][...] = arr
    net = Network.from_params(w, b, g=g, init=init, copy=False)
    net._flat = flat  # w and b are its views: the fast backend trains in them
    return net


def _activation(path, stored: str, g) -> Activation:
    if g is None:
        if stored not in ACTIVATIONS:
            raise Refused(f"{path} was saved with the custom activation {stored!r}; pass g=...")
        return ACTIVATIONS[stored]
    g = get_activation(g)
    if g.name != stored:
        raise Refused(
            f"{path} was saved with g={stored!r} but g={g.name!r} was given: load(path) "
            "restores the stored activation, and g= is only for a custom one of that name. To "
            "change g on purpose: Network.from_params(net.w, net.b, g=...)"
        )
    return g
