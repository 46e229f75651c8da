"""Saving and loading parameters as .npz: exact round trip, no pickles, every shape checked,
and a failed save never destroys the file that was there."""

import os

import numpy as np
import pytest

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
    with pytest.raises(ValueError, match="w1 must be finite floats"):
        m.load(tmp_path / "nan.npz")
    arrays = arrays_of(trained())
    arrays["b0"] = arrays["b0"].astype(np.int64)
    np.savez(tmp_path / "int.npz", **arrays)
    with pytest.raises(ValueError, match="b0 must be finite floats"):
        m.load(tmp_path / "int.npz")
    arrays = arrays_of(trained()) | {"w2": np.zeros((1, 2))}
    np.savez(tmp_path / "extra.npz", **arrays)
    with pytest.raises(ValueError, match=r"arrays that do not fit s = \(3, 4, 2\): \['w2'\]"):
        m.load(tmp_path / "extra.npz")


@pytest.mark.parametrize("s", [np.array([3.0, 4.0, 2.0]), np.array([[3, 4, 2]]), np.array([3, 0])])
def test_bad_sizes_in_the_file(tmp_path, s):
    arrays = arrays_of(trained()) | {"s": s}
    np.savez(tmp_path / "s.npz", **arrays)
    with pytest.raises(ValueError, match=r"'s' must be a 1-D integer array|s\[1\]"):
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
    with pytest.raises(ValueError, match=r"cannot save: w\[1\] must hold finite floats"):
        m.save(path, broken)
    broken = trained()
    broken.b[0][0] = np.inf
    with pytest.raises(ValueError, match=r"cannot save: b\[0\] must hold finite floats"):
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
