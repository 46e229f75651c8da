"""The network: sizes, parameter shapes, seeded initialisation (section 1)."""

import copy
import pickle
import tracemalloc

import numpy as np
import pytest

import mlpcore as m


def test_shapes_follow_the_notation():
    net = m.Network((4, 7, 5, 3), seed=0)
    assert net.s == (4, 7, 5, 3) and net.p == 3
    assert len(net.w) == len(net.b) == net.p
    for k in range(net.p):
        assert net.w[k].shape == (net.s[k + 1], net.s[k])
        assert net.b[k].shape == (net.s[k + 1],)
    assert net.n_params == 7 * 4 + 7 + 5 * 7 + 5 + 3 * 5 + 3


def test_biases_start_at_zero():
    net = m.Network((3, 4, 2), seed=1)
    for bk in net.b:
        np.testing.assert_array_equal(bk, 0.0)


def test_seed_fixes_the_parameters_bit_for_bit():
    a, b = m.Network((5, 8, 8, 3), g="relu", seed=42), m.Network((5, 8, 8, 3), g="relu", seed=42)
    for wa, wb in zip(a.w + a.b, b.w + b.b, strict=True):
        np.testing.assert_array_equal(wa, wb)
    c = m.Network((5, 8, 8, 3), g="relu", seed=43)
    assert not np.array_equal(a.w[0], c.w[0])


def test_a_generator_can_be_the_seed():
    a = m.Network((2, 3, 1), seed=np.random.default_rng(7))
    b = m.Network((2, 3, 1), seed=7)
    np.testing.assert_array_equal(a.w[0], b.w[0])


def test_xavier_and_he_schemes():
    # Xavier/Glorot: U(−r, r) with r = √(6 / (s_k + s_{k+1})); its variance is r²/3.
    net = m.Network((300, 200, 1), g="tanh", seed=0)
    assert net.init == "xavier"
    r = np.sqrt(6.0 / 500)
    assert np.abs(net.w[0]).max() <= r
    assert np.abs(net.w[0]).max() > 0.99 * r
    assert net.w[0].var() == pytest.approx(r * r / 3, rel=0.02)
    # He: N(0, 2 / s_k)
    net = m.Network((300, 200, 1), g="relu", seed=0)
    assert net.init == "he"
    assert net.w[0].std() == pytest.approx(np.sqrt(2.0 / 300), rel=0.02)
    assert abs(net.w[0].mean()) < 0.01
    forced = m.Network((300, 200, 1), g="relu", seed=0, init="xavier")
    assert np.abs(forced.w[0]).max() <= r


def test_unknown_init_scheme():
    with pytest.raises(ValueError, match="init must be one of"):
        m.Network((2, 2), init="lecun")


def test_copy_is_deep():
    net = m.Network((2, 3, 1), seed=0)
    twin = net.copy()
    twin.w[0][0, 0] += 1.0
    twin.b[1][0] += 1.0
    assert twin.w[0][0, 0] != net.w[0][0, 0] and net.b[1][0] == 0.0
    assert twin.s == net.s and twin.g is net.g and twin.init == net.init


def test_float32_network():
    net = m.Network((2, 3, 1), seed=0, dtype=np.float32)
    assert net.dtype == np.float32 and all(b.dtype == np.float32 for b in net.b)
    f64 = m.Network((2, 3, 1), seed=0)
    np.testing.assert_array_equal(net.w[0], f64.w[0].astype(np.float32))


def test_repr_names_sizes_and_g():
    assert repr(m.Network((2, 3, 1), g="relu")) == (
        "Network(s=(2, 3, 1), g='relu', init='he', dtype=float64)"
    )


def test_sizes_may_be_numpy_integers():
    net = m.Network(np.array([3, 2, 1]), seed=0)
    assert net.s == (3, 2, 1) and all(type(v) is int for v in net.s)


@pytest.mark.parametrize("s", [(2, 0, 1), (2, 3, -1), (0, 3)])
def test_a_layer_size_below_one(s):
    bad = next(k for k, v in enumerate(s) if v < 1)
    with pytest.raises(ValueError, match=rf"s\[{bad}\] \(size of layer {bad}\) must be >= 1"):
        m.Network(s)


@pytest.mark.parametrize("s", [(2, 2.5, 1), (2, 3.0, 1), (2, True, 1), (2, "3", 1), (2, None)])
def test_a_layer_size_that_is_not_an_integer(s):
    with pytest.raises(TypeError, match=r"s\[1\] \(size of layer 1\) must be an integer"):
        m.Network(s)


@pytest.mark.parametrize("s", [(3,), ()])
def test_fewer_than_two_layers(s):
    with pytest.raises(ValueError, match=r"s \(the layer sizes\) needs at least s_0 and s_1"):
        m.Network(s)


@pytest.mark.parametrize("s", ["231", 5, None, {2, 3}])
def test_sizes_must_be_a_sequence(s):
    with pytest.raises(TypeError, match=r"s \(the layer sizes\) must be a sequence"):
        m.Network(s)


def test_bad_dtype_and_bad_g():
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        m.Network((2, 1), dtype=np.int64)
    with pytest.raises(ValueError, match="unknown activation"):
        m.Network((2, 1), g="softsign")


# -- size cap, memory of init, networks from given arrays (issue 10, item 10) --------------------


def test_a_network_above_the_size_cap_is_refused_before_allocating():
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            m.Network((2, 10**8, 1))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == (
        "s = (2, 100000000, 1) gives 400,000,001 parameters (3.2 GB in float64), above "
        "max_params = 100,000,000 (mlpcore.network.MAX_PARAMS); pass max_params=None to build "
        "it anyway"
    )
    assert peak < 1e6
    assert m.Network((2, 10, 1), max_params=41).n_params == 41
    with pytest.raises(ValueError, match="gives 41 parameters"):
        m.Network((2, 10, 1), max_params=40)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("g", ["tanh", "relu"])
def test_init_holds_no_second_copy_of_the_weights(dtype, g):
    tracemalloc.start()
    try:
        net = m.Network((2000, 2000, 1), g=g, seed=0, dtype=dtype)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    weights = sum(a.nbytes for a in net.w + net.b)
    assert peak < 1.2 * weights, f"peak {peak / weights:.2f} × the weights"


def test_init_draws_the_same_values_as_one_draw_of_the_whole_matrix():
    # The weights are drawn a block of rows at a time: the values are those of a single draw.
    for g, draw in [
        ("tanh", lambda rng, r: rng.uniform(-r, r, size=(900, 700))),
        ("relu", lambda rng, r: rng.normal(0.0, np.sqrt(2.0 / 700), size=(900, 700))),
    ]:
        net = m.Network((700, 900, 1), g=g, seed=3)
        whole = draw(np.random.default_rng(3), np.sqrt(6.0 / 1600))
        np.testing.assert_array_equal(net.w[0], whole)
        single = m.Network((700, 900, 1), g=g, seed=3, dtype=np.float32)
        np.testing.assert_array_equal(single.w[0], whole.astype(np.float32))


def test_from_params_draws_nothing_and_checks_what_it_is_given(monkeypatch):
    ref = m.Network((3, 4, 2), seed=1)
    monkeypatch.setattr(m.network, "init_params", None)  # any random draw would fail
    net = m.Network.from_params(ref.w, ref.b, g="relu")
    assert net.s == (3, 4, 2) and net.g is m.relu and net.init == "he"
    assert net.w[0] is not ref.w[0]
    np.testing.assert_array_equal(net.w[1], ref.w[1])
    with pytest.raises(
        TypeError, match=r"one float dtype: w\[0\] is float64 but b\[1\] is float32"
    ):
        m.Network.from_params(ref.w, [ref.b[0], ref.b[1].astype(np.float32)])
    with pytest.raises(ValueError, match=r"w\[0\] contains NaN or inf"):
        m.Network.from_params([np.full((4, 3), np.nan), ref.w[1]], ref.b)
    with pytest.raises(ValueError, match=r"b must have p = 2 entries"):
        m.Network.from_params(ref.w, ref.b[:1])
    with pytest.raises(ValueError, match=r"init must be one of \('xavier', 'he'\), got 'lecun'"):
        m.Network.from_params(ref.w, ref.b, init="lecun")
    with pytest.raises(ValueError, match=r"s\[1\] \(size of layer 1\) must be >= 1, got 0"):
        m.Network.from_params([np.zeros((0, 3)), np.zeros((2, 0))], [np.zeros(0), np.zeros(2)])


def test_parameters_are_views_of_one_buffer_in_the_folded_layout():
    """w[k] and b[k] live in one buffer, layer k as [w^(k) | b^(k)] (the fast backend trains in
    it); a copy and from_params get a buffer of their own, from_params(copy=False) none."""
    net = m.Network((3, 4, 2), seed=1)
    Wa = m.network.folded(net.s, net._flat)
    for k in range(net.p):
        assert np.shares_memory(net.w[k], Wa[k]) and np.shares_memory(net.b[k], Wa[k])
        np.testing.assert_array_equal(Wa[k], np.column_stack([net.w[k], net.b[k]]))
    assert m.network.own_buffer(net) is net._flat
    for other in (net.copy(), m.Network.from_params(net.w, net.b)):
        assert m.network.own_buffer(other) is other._flat
        assert not np.shares_memory(other._flat, net._flat)
        other.w[1][...] = 7.0  # changes the other alone
        assert not (net.w[1] == 7.0).any()
    kept = m.Network.from_params(net.w, net.b, copy=False)
    assert kept.w[0] is net.w[0] and m.network.own_buffer(kept) is None


def test_a_shallow_copy_shares_the_arrays():
    net = m.Network((3, 4, 2), seed=1)
    same = copy.copy(net)
    assert same.w is net.w and same.b is net.b and m.network.own_buffer(same) is net._flat


def test_deepcopy_and_pickle_give_a_network_with_one_buffer_of_its_own():
    net = m.Network((3, 4, 2), seed=1, dtype=np.float32)
    for other in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert m.network.own_buffer(other) is other._flat and other.dtype == np.float32
        assert not np.shares_memory(other._flat, net._flat) and other.s == net.s
        for a, b in zip(net.w + net.b, other.w + other.b, strict=True):
            np.testing.assert_array_equal(a, b)


def test_own_buffer_sees_arrays_put_elsewhere():
    net = m.Network((3, 4, 2), seed=1)
    for change in (
        lambda n: setattr(n, "b", [b.copy() for b in n.b]),
        lambda n: n.w.__setitem__(1, n.w[1].copy()),
        lambda n: n.w.__setitem__(0, n._flat[:12].reshape(4, 3)),  # its memory, not its place
        lambda n: n.w.pop(),
    ):
        other = net.copy()
        change(other)
        assert m.network.own_buffer(other) is None


def test_a_copy_refuses_arrays_put_in_with_another_shape():
    # copy(), deepcopy and pickle write the arrays into a new buffer: a b[0] of shape (1,)
    # would broadcast there silently; the other two failed with numpy's or zip's message.
    for change, message in (
        (lambda n: n.b.__setitem__(0, np.zeros(1)), r"b\[0\] must have shape \(4,\), got \(1,\)"),
        (lambda n: n.w.__setitem__(1, np.zeros((2, 5))), r"w\[1\] must have shape \(2, 4\)"),
        (lambda n: n.w.pop(), r"w must have 2 entries \(w\[0..p-1\], p = 2\), got 1"),
    ):
        net = m.Network((3, 4, 2), seed=1)
        change(net)
        for copier in (m.Network.copy, copy.deepcopy, lambda n: pickle.loads(pickle.dumps(n))):
            with pytest.raises(ValueError, match=message):
                copier(net)


def test_param_buffer_takes_values_only_as_a_pair_of_lists():
    net = m.Network((3, 4, 2), seed=1)
    for values in ((net.w,), (net.w, net.b, net.b), ()):
        with pytest.raises(ValueError, match=r"values must have 2 entries \(the lists w and b\)"):
            m.network.param_buffer(net.s, net.dtype, values)
