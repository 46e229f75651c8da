"""Saving and loading parameters as .npz: exact round trip, no pickles, every shape checked,
and a failed save never destroys the file that was there."""

import io
import os
import pickle
import struct
import time
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest
from numpy.lib import format as npformat

import mlpcore as m


def trained(s=(3, 4, 2), g="tanh", dtype=np.float64):
    net = m.Network(s, g=g, seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    for k in range(net.p):  # arbitrary non-zero biases
        net.b[k][...] = rng.normal(size=net.b[k].shape)
    return net


def arrays_of(net):
    return {"s": np.array(net.s), "g": np.array(net.g.name)} | {
        f"{c}{k}": getattr(net, c)[k] for c in "wb" for k in range(net.p)
    }


@pytest.mark.parametrize("g", sorted(m.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_is_exact(tmp_path, g, dtype):
    net = trained((3, 5, 4, 2), g=g, dtype=dtype)
    path = tmp_path / "net.npz"
    m.save(path, net)
    back = m.load(path)
    assert back.s == net.s and back.g is net.g and back.init == net.init
    for a, b in zip(net.w + net.b, back.w + back.b, strict=True):
        assert b.dtype == a.dtype
        np.testing.assert_array_equal(a, b)
    x = np.ones(3, dtype=dtype)
    np.testing.assert_array_equal(back(x), net(x))
    assert m.network.own_buffer(back) is back._flat  # read into one buffer: trained in place


def test_round_trip_with_a_custom_activation(tmp_path):
    softplus = m.Activation(
        "softplus", lambda u: np.logaddexp(0, u), lambda u: 1 / (1 + np.exp(-u))
    )
    net = trained(g=softplus)
    m.save(tmp_path / "c.npz", net)
    with pytest.raises(ValueError, match="custom activation 'softplus'; pass g="):
        m.load(tmp_path / "c.npz")
    back = m.load(tmp_path / "c.npz", g=softplus)
    np.testing.assert_array_equal(back.w[1], net.w[1])


def test_save_writes_no_pickle_and_a_plain_path(tmp_path):
    path = tmp_path / "plain"  # no .npz suffix: the file is written where asked
    m.save(str(path), trained())
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == ["b0", "b1", "g", "init", "s", "w0", "w1"]
    assert sorted(os.listdir(tmp_path)) == ["plain"]


def test_a_pickled_object_array_is_refused(tmp_path):
    net = trained()
    arrays = arrays_of(net)
    arrays["w0"] = np.array([object()] * net.w[0].size, dtype=object).reshape(net.w[0].shape)
    np.savez(tmp_path / "evil.npz", **arrays)  # np.savez pickles object arrays
    with pytest.raises(ValueError, match="holds a pickled object array"):
        m.load(tmp_path / "evil.npz")


@pytest.mark.parametrize("missing", ["s", "g", "w1", "b0"])
def test_a_missing_array(tmp_path, missing):
    arrays = arrays_of(trained())
    del arrays[missing]
    np.savez(tmp_path / "m.npz", **arrays)
    with pytest.raises(ValueError, match=f"misses the array '{missing}'"):
        m.load(tmp_path / "m.npz")


@pytest.mark.parametrize(
    "name, shape, label",
    [("w0", (3, 4), r"w\[0\] must have shape \(4, 3\)"), ("b1", (2, 1), r"b\[1\] must have shape")],
)
def test_a_misshapen_array(tmp_path, name, shape, label):
    arrays = arrays_of(trained())
    arrays[name] = np.zeros(shape)
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=label):
        m.load(tmp_path / "bad.npz")


def test_non_finite_or_non_float_arrays_and_extra_arrays(tmp_path):
    arrays = arrays_of(trained())
    arrays["w1"] = np.full_like(arrays["w1"], np.nan)
    np.savez(tmp_path / "nan.npz", **arrays)
    with pytest.raises(ValueError, match="w1 must be finite, it holds NaN or inf"):
        m.load(tmp_path / "nan.npz")
    arrays = arrays_of(trained())
    arrays["b0"] = arrays["b0"].astype(np.int64)
    np.savez(tmp_path / "int.npz", **arrays)
    with pytest.raises(ValueError, match="b0 must hold float32 or float64, got int64"):
        m.load(tmp_path / "int.npz")
    arrays = arrays_of(trained()) | {"w2": np.zeros((1, 2))}
    np.savez(tmp_path / "extra.npz", **arrays)
    with pytest.raises(ValueError, match=r"arrays that do not fit s = \(3, 4, 2\): \['w2'\]"):
        m.load(tmp_path / "extra.npz")


@pytest.mark.parametrize("s", [np.array([3.0, 4.0, 2.0]), np.array([[3, 4, 2]]), np.array([3, 0])])
def test_bad_sizes_in_the_file(tmp_path, s):
    arrays = arrays_of(trained()) | {"s": s}
    np.savez(tmp_path / "s.npz", **arrays)
    with pytest.raises(ValueError, match=r"'s' must be a 1-D integer array|s\[1\] .* >= 1"):
        m.load(tmp_path / "s.npz")


def corruptions(raw):
    return {
        "truncated": raw[: len(raw) // 2],
        "empty": b"",
        "garbage": b"not a parameter file at all\n" * 20,
        "damaged member": raw[:300] + bytes(64) + raw[364:],
    }


@pytest.mark.parametrize("kind", ["truncated", "empty", "garbage", "damaged member"])
def test_a_corrupt_file(tmp_path, kind):
    good = tmp_path / "good.npz"
    m.save(good, trained())
    bad = tmp_path / "bad.npz"
    bad.write_bytes(corruptions(good.read_bytes())[kind])
    with pytest.raises(ValueError, match=r"bad\.npz is (not a readable|a damaged) \.npz"):
        m.load(bad)


def test_a_single_npy_file(tmp_path):
    np.save(tmp_path / "one.npy", np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        m.load(tmp_path / "one.npy")


def test_a_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "net.npz"
    first = trained()
    m.save(path, first)
    before = path.read_bytes()

    def broken_savez(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(np, "savez", broken_savez)
    other = m.Network((3, 4, 2), seed=9)
    with pytest.raises(OSError, match="disk full"):
        m.save(path, other)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["net.npz"]  # no temporary file left behind
    monkeypatch.undo()
    np.testing.assert_array_equal(m.load(path).w[0], first.w[0])


def test_a_network_that_cannot_be_saved_leaves_the_file_alone(tmp_path):
    path = tmp_path / "net.npz"
    m.save(path, trained())
    before = path.read_bytes()
    broken = trained()
    broken.w[1] = np.full(broken.w[1].shape, None, dtype=object)
    with pytest.raises(ValueError, match=r"cannot save to .*net\.npz: w\[1\] must hold real"):
        m.save(path, broken)
    broken = trained()
    broken.b[0][0] = np.inf
    with pytest.raises(ValueError, match=r"cannot save to .*net\.npz: b\[0\] must hold finite"):
        m.save(path, broken)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["net.npz"]


def test_a_saved_file_has_the_usual_permissions(tmp_path):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"")  # what open() gives under the current umask
    m.save(tmp_path / "net.npz", trained())
    assert (tmp_path / "net.npz").stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    os.chmod(tmp_path / "net.npz", 0o640)
    m.save(tmp_path / "net.npz", trained())  # replacing a file keeps its permissions
    assert (tmp_path / "net.npz").stat().st_mode & 0o777 == 0o640


# -- hostile files, built here byte by byte ------------------------------------------------------
# Each must be refused in under 1 s with under 50 MB of extra memory (issue 10): load reads the
# zip directory and the .npy headers, and checks every claim, before it allocates anything.


def npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


def npy_header(descr, shape) -> bytes:
    """Only the header of a .npy file: it claims an array that is not there."""
    buf = io.BytesIO()
    npformat.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue()


def stored(name, payload):
    return name, payload, zlib.crc32(payload), len(payload), 0


def zip_bytes(members) -> bytes:
    """A zip archive from (name, payload, crc, uncompressed size, method) as given, unchecked:
    the sizes and the method are what the file claims, whatever the payload is."""
    out, central = bytearray(), bytearray()
    for name, payload, crc, size, method in members:
        offset, raw = len(out), name.encode()
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(payload), size, len(raw), 0
        )
        out += raw + payload
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(payload), size,
            len(raw), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw
    count, start = len(members), len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def header_members(s, g="tanh"):
    return [stored("s.npy", npy(np.array(s, dtype=np.int64))), stored("g.npy", npy(np.array(g)))]


def bomb(header: bytes, megabytes: int):
    """A raw deflate stream of ``header`` then ``megabytes`` MB of zeros, about 1000-fold
    smaller, made without compressing the zeros more than once (full flushes make every
    MB's block identical)."""
    c, zeros = zlib.compressobj(9, zlib.DEFLATED, -15), bytes(10**6)
    head = c.compress(header) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(header)
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    return head + block * megabytes + c.flush(), crc, len(header) + megabytes * 10**6


def hostile_files():
    """name -> (bytes of the file, the start of the error message)."""
    files = {}
    # s = (20000, 20000) in a file of under 1 kB: refused from s alone (4·10^8 parameters)
    files["huge s"] = (
        zip_bytes(
            header_members((20000, 20000))
            + [stored("w0.npy", npy_header("<f8", (20000, 20000)))]
            + [stored("b0.npy", npy_header("<f8", (20000,)))]
        ),
        r"s = \(20000, 20000\) gives 400,020,000 parameters",
    )
    # s within the cap, but w0 claims 400 MB that its 128-byte entry does not hold
    files["huge claimed shape"] = (
        zip_bytes(
            header_members((5000, 10000))
            + [stored("w0.npy", npy_header("<f8", (10000, 5000)))]
            + [stored("b0.npy", npy(np.zeros(10000)))]
        ),
        r"w0 claims shape \(10000, 5000\) of float64 \(400,000,128 bytes\) but its zip entry "
        r"holds 128 bytes",
    )
    # 0.4 MB that inflates to 400 MB, as a parameter of the right shape ...
    payload, crc, size = bomb(npy_header("<f8", (10000, 5000)), 400)
    zeros = (payload, crc, size)
    files["bomb"] = (
        zip_bytes(
            header_members((5000, 10000))
            + [("w0.npy", payload, crc, size, zipfile.ZIP_DEFLATED)]
            + [stored("b0.npy", npy(np.zeros(10000)))]
        ),
        r"w0 would inflate from .* to 400,000,128 bytes, more than 100-fold",
    )
    # ... and under a name that is no parameter: refused before anything is decompressed
    payload, crc, size = zeros
    files["bomb, unknown name"] = (
        zip_bytes(
            [("junk.npy", payload, crc, size, zipfile.ZIP_DEFLATED)] + header_members((3, 4, 2))
        ),
        r"holds the member 'junk.npy', which is not a parameter array",
    )
    files["pickle"] = (
        pickle.dumps({"s": (3, 4, 2), "w0": np.zeros((4, 3))}),
        r"not a readable \.npz parameter file \(not a zip archive; pickled files are refused\)",
    )
    files["pickled object array"] = (
        zip_bytes(
            header_members((3, 1))
            + [stored("w0.npy", npy(np.array([[object()] * 3], dtype=object)))]
            + [stored("b0.npy", npy(np.zeros(1)))]
        ),
        r"holds a pickled object array in w0; refusing it",
    )
    for descr, shown in [("<i8", "int64"), ("<c16", "complex128"), ("<f2", "float16")]:
        files[f"w0 of {shown}"] = (
            zip_bytes(
                header_members((3, 1))
                + [stored("w0.npy", npy(np.zeros((1, 3), dtype=descr)))]
                + [stored("b0.npy", npy(np.zeros(1)))]
            ),
            f"w0 must hold float32 or float64, got {shown}",
        )
    files["s of floats"] = (
        zip_bytes([stored("s.npy", npy(np.array([3.0, 1.0]))), stored("g.npy", npy("tanh"))]),
        r"'s' must be a 1-D integer array of 2 to 1025 layer sizes, got float64 \(2,\)",
    )
    files["s of 10^9 layers"] = (
        zip_bytes([stored("s.npy", npy_header("<i8", (10**9,))), stored("g.npy", npy("tanh"))]),
        r"s claims shape \(1000000000,\) of int64 \(8,000,000,128 bytes\) but its zip entry holds",
    )
    files["g a number"] = (
        zip_bytes(
            [stored("s.npy", npy(np.array([3, 1]))), stored("g.npy", npy(np.array(7)))]
            + [stored("w0.npy", npy(np.zeros((1, 3)))), stored("b0.npy", npy(np.zeros(1)))]
        ),
        r"'g' must be a short string, got int64 \(\)",
    )
    files["a million members"] = (
        zip_bytes([stored("s.npy", npy(np.array([3, 1])))])[:-22]
        + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 65535, 65535, 2**31, 0, 0),
        r"lists 65535 members in a 2,147,483,648-byte zip directory; a parameter file has at "
        r"most 2051",
    )
    return files


HOSTILE = hostile_files()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_file_is_refused_quickly_in_little_memory(tmp_path, kind):
    raw, message = HOSTILE[kind]
    assert len(raw) < 500_000  # each is small on disk, whatever it claims
    path = tmp_path / "hostile.npz"
    path.write_bytes(raw)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(ValueError, match=message) as info:
            m.load(path)
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value).startswith(str(path))
    assert seconds < 1.0, f"{kind}: refused after {seconds:.2f} s"
    assert peak < 50e6, f"{kind}: {peak / 1e6:.0f} MB allocated before the refusal"


def test_the_bomb_really_inflates_to_400_MB():
    """The hostile bomb is what it claims: 0.4 MB of deflate that holds 400 MB."""
    raw, _ = HOSTILE["bomb"]
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        info = zf.getinfo("w0.npy")
        assert info.compress_size < 420_000 and info.file_size == 400_000_128
        with zf.open(info) as f:  # the first 10 MB inflate as claimed
            assert len(f.read(10_000_000)) == 10_000_000


def test_load_never_draws_a_random_network(tmp_path, monkeypatch):
    net = trained()
    m.save(tmp_path / "net.npz", net)

    def no_random_init(*args, **kwargs):
        raise AssertionError("load drew a random network")

    monkeypatch.setattr(m.network, "init_params", no_random_init)
    np.testing.assert_array_equal(m.load(tmp_path / "net.npz").w[0], net.w[0])


def test_a_member_name_outside_the_format_and_a_duplicate(tmp_path):
    good = arrays_of(trained())
    members = [stored(f"{k}.npy", npy(v)) for k, v in good.items()]
    (tmp_path / "dup.npz").write_bytes(zip_bytes(members + [members[-1]]))
    with pytest.raises(ValueError, match=r"holds the member 'b1\.npy' twice"):
        m.load(tmp_path / "dup.npz")
    (tmp_path / "dir.npz").write_bytes(zip_bytes(members + [stored("../w0.npy", b"")]))
    with pytest.raises(ValueError, match=r"'\.\./w0\.npy', which is not a parameter array"):
        m.load(tmp_path / "dir.npz")


# -- save and load, rough edges (issue 10, item 9) -----------------------------------------------


def test_mixed_dtypes_and_unknown_init_are_refused_by_load_and_by_save(tmp_path):
    arrays = arrays_of(trained()) | {"init": np.array("xavier")}
    arrays["b1"] = arrays["b1"].astype(np.float32)
    np.savez(tmp_path / "mixed.npz", **arrays)
    with pytest.raises(ValueError, match="mixes dtypes: w0 is float64 but b1 is float32"):
        m.load(tmp_path / "mixed.npz")
    arrays = arrays_of(trained()) | {"init": np.array("lecun")}
    np.savez(tmp_path / "init.npz", **arrays)
    with pytest.raises(ValueError, match=r"'init' must be one of \('xavier', 'he'\), got 'lecun'"):
        m.load(tmp_path / "init.npz")
    net = trained()
    net.b[1] = net.b[1].astype(np.float32)
    with pytest.raises(ValueError, match=r"save to .*x\.npz: mixed dtypes: w\[0\] is float64 but"):
        m.save(tmp_path / "x.npz", net)
    net = trained()
    net.init = "lecun"
    with pytest.raises(ValueError, match=r"save to .*x\.npz: init must be one of"):
        m.save(tmp_path / "x.npz", net)
    net = trained()
    net.w[0] = net.w[0].T.copy()
    with pytest.raises(
        ValueError, match=r"save to .*x\.npz: w\[1\] must have shape \(s_2, s_1=3\)"
    ):
        m.save(tmp_path / "x.npz", net)
    assert not (tmp_path / "x.npz").exists()


def test_a_stored_activation_is_not_silently_replaced(tmp_path):
    m.save(tmp_path / "tanh.npz", trained(g="tanh"))
    msg = r"tanh\.npz was saved with g='tanh' but g='relu' was given"
    with pytest.raises(ValueError, match=msg):
        m.load(tmp_path / "tanh.npz", g=m.relu)
    with pytest.raises(ValueError, match=msg):
        m.load(tmp_path / "tanh.npz", g="relu")
    assert m.load(tmp_path / "tanh.npz", g="tanh").g is m.tanh
    # the way to change g on purpose
    swapped = m.Network.from_params(m.load(tmp_path / "tanh.npz").w, trained().b, g="relu")
    assert swapped.g is m.relu and swapped.s == (3, 4, 2)


def test_a_failed_save_names_the_users_path(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"cannot save the network to .*nowhere/net\.npz"):
        m.save(tmp_path / "nowhere" / "net.npz", trained())
    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError, match=r"cannot save the network to .*folder: ") as info:
        m.save(tmp_path / "folder", trained())
    assert ".mlpcore-" not in str(info.value) and "tmp" not in os.path.basename(str(info.value))
    assert os.listdir(tmp_path / "folder") == []
    with pytest.raises(TypeError, match="the path comes first"):
        m.save(trained(), tmp_path / "swapped.npz")


def test_saving_over_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "net.npz"
    m.save(target, trained())
    link = tmp_path / "latest.npz"
    link.symlink_to(target)
    other = m.Network((3, 4, 2), seed=5)
    m.save(link, other)
    assert link.is_symlink() and link.resolve() == target.resolve()
    np.testing.assert_array_equal(m.load(target).w[0], other.w[0])
    assert sorted(os.listdir(tmp_path / "real")) == ["net.npz"]
