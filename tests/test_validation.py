"""Bad input gets a clear ValueError or TypeError that names the quantity."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mlpcore as m
from mlpcore import _validate
from mlpcore._validate import all_finite


@pytest.fixture
def net():
    return m.Network((2, 3, 2), g="tanh", seed=0)


def good_data(n=5):
    rng = np.random.default_rng(0)
    return rng.normal(size=(2, n)), rng.normal(size=(2, n))


# -- shapes of x and y -------------------------------------------------------------------------


@pytest.mark.parametrize("x", [np.zeros(3), np.zeros((3, 4)), np.zeros(1)])
def test_wrong_shape_of_x(net, x):
    with pytest.raises(ValueError, match=r"x must have shape \(s_0=2,\) or \(s_0=2, n\)"):
        m.forward(net.w, net.b, net.g, x)
    with pytest.raises(ValueError, match=r"x must have shape \(s_0=2,\)"):
        net(x)


def test_x_given_as_rows_gets_a_hint(net):
    with pytest.raises(ValueError, match=r"samples as rows\? use mlpcore.rows_to_columns"):
        net(np.zeros((7, 2)))


@pytest.mark.parametrize("x", [np.zeros((2, 2, 2)), np.float64(1.0)])
def test_x_of_the_wrong_dimension(net, x):
    with pytest.raises(ValueError, match=r"x must be 1-D or 2-D"):
        net(x)


@pytest.mark.parametrize("x", ["12", None, [1, "a"], np.array([1 + 2j, 0])])
def test_x_that_is_not_numbers(net, x):
    with pytest.raises(TypeError, match=r"x must"):
        net(x)


def test_wrong_shape_of_y_for_a_step(net):
    with pytest.raises(ValueError, match=r"y must have 2 rows \(s_p, the output size\)"):
        m.step(net, np.zeros(2), np.zeros(3), "squared_error", 0.1)
    with pytest.raises(ValueError, match=r"y must be 1-D"):
        m.step(net, np.zeros(2), np.zeros((2, 1)), "squared_error", 0.1)


def test_a_step_takes_one_sample(net):
    # A batch x against a 1-D y would broadcast silently; step refuses it instead.
    with pytest.raises(ValueError, match=r"y must have 2 rows .* one per column of x"):
        m.step(net, np.zeros((2, 2)), np.zeros(2), "squared_error", 0.1)


def test_wrong_shape_of_X_and_Y_for_sgd(net):
    X, Y = good_data()
    with pytest.raises(ValueError, match=r"Y must have 2 rows"):
        m.sgd(net, X, Y[:1], "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=r"X has 5 samples \(columns\) but Y has 4"):
        m.sgd(net, X, Y[:, :4], "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=r"X must be 2-D \(s_0, n\)"):
        m.sgd(net, X[:, 0], Y, "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=r"X must have shape \(s_0=2,\)"):
        m.sgd(net, X.T, Y, "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=r"X has 5 samples \(columns\) but Y has 4"):
        m.mean_loss(net, X, Y[:, :4], "squared_error")


def test_targets_for_cross_entropy(net):
    X, Y = good_data()
    with pytest.raises(ValueError, match="must be one-hot"):
        m.sgd(net, X, np.abs(Y), "softmax_cross_entropy", 0.1, progress=False)
    with pytest.raises(ValueError, match="must be a distribution"):
        m.sgd(net, X, -np.abs(Y), "softmax_cross_entropy", 0.1, progress=False)


# -- NaN and inf ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "inf"), (-np.inf, "inf")])
def test_non_finite_data(net, bad, word):
    X, Y = good_data()
    Xb, Yb = X.copy(), Y.copy()
    Xb[1, 3] = bad
    Yb[0, 2] = bad
    with pytest.raises(ValueError, match=f"X contains {word}; every entry must be finite"):
        m.sgd(net, Xb, Y, "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=f"Y contains {word}"):
        m.sgd(net, X, Yb, "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=f"x contains {word}"):
        net(Xb[:, 3])
    with pytest.raises(ValueError, match=f"y contains {word}"):
        m.step(net, X[:, 2], Yb[:, 2], "squared_error", 0.1)
    with pytest.raises(ValueError, match=f"X contains {word}"):
        m.mean_loss(net, Xb, Y, "squared_error")


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        hnp.arrays(
            dt, hnp.array_shapes(min_dims=1, max_dims=2, max_side=40),
            elements=st.floats(width=width) | st.sampled_from([big, -big, np.inf, np.nan]),
        )
        for dt, width, big in ((np.float32, 32, 3e38), (np.float64, 64, 1.7e308))
    )
)  # fmt: skip
def test_all_finite_is_isfinite_all(a):
    """The one-sum check agrees with the entry-by-entry one, also when finite entries make the
    sum overflow (3e38 in float32, 1.7e308 in float64) or inf and -inf cancel into NaN: through
    BLAS's asum on a contiguous array, through numpy's sum on a strided one or without asum.
    (Here the sums run on arrays of any size; all_finite takes them from 2^14 entries.)"""
    want = bool(np.isfinite(a).all())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_validate, "SMALL", 0)
        for view in (a, np.asfortranarray(a), a[::2], a.T):
            assert all_finite(view) == bool(np.isfinite(view).all())
        assert all_finite(a) == want
        mp.setattr(_validate, "abs_sum", lambda dtype: None)
        assert all_finite(a) == want


@pytest.mark.skipif(_validate.abs_sum(np.float32) is None, reason="no scipy")
def test_all_finite_takes_blas_asum_on_a_contiguous_array(monkeypatch):
    calls = []
    asum = _validate.abs_sum(np.float32)
    monkeypatch.setattr(_validate, "abs_sum", lambda dtype: lambda v: calls.append(v) or asum(v))
    a = np.ones((300, 200), np.float32)
    a[123, 45] = np.nan
    assert not all_finite(a) and not all_finite(np.asfortranarray(a)) and len(calls) == 2
    assert not all_finite(a[:, 1::2]) and len(calls) == 2  # strided: numpy's sum


def test_finite_data_whose_sum_overflows_trains(net):
    """Entries near the dtype's largest value overflow the check's sum: not an error."""
    X, Y = good_data(n=6)
    assert m.sgd(net, X, Y, "squared_error", 0.1, epochs=0, progress=False).loss
    big = np.full((3, 4), 1.7e308)
    assert all_finite(big) and not all_finite(np.append(big, np.nan))


def test_non_finite_parameters_are_refused_before_training(net):
    X, Y = good_data()
    net.w[1][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"w\[1\] or b\[1\] is not finite"):
        m.sgd(net, X, Y, "squared_error", 0.1, progress=False)


# -- the learning rate α ---------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [math.nan, math.inf, -math.inf, 0, 0.0, -1, -1e-9])
def test_alpha_must_be_finite_and_positive(net, alpha):
    X, Y = good_data()
    msg = r"alpha \(the learning rate α\) must be finite and > 0"
    with pytest.raises(ValueError, match=msg):
        m.sgd(net, X, Y, "squared_error", alpha, progress=False)
    with pytest.raises(ValueError, match=msg):
        m.step(net, X[:, 0], Y[:, 0], "squared_error", alpha)


@pytest.mark.parametrize("alpha", ["0.1", True, None, [0.1], np.array([0.1])])
def test_alpha_must_be_a_real_number(net, alpha):
    X, Y = good_data()
    msg = r"alpha \(the learning rate α\) must be a real number"
    with pytest.raises(TypeError, match=msg):
        m.sgd(net, X, Y, "squared_error", alpha, progress=False)
    with pytest.raises(TypeError, match=msg):
        m.step(net, X[:, 0], Y[:, 0], "squared_error", alpha)


def test_numpy_scalars_are_fine_as_alpha(net):
    X, Y = good_data()
    m.sgd(net, X, Y, "squared_error", np.float32(0.01), progress=False)
    m.step(net, X[:, 0], Y[:, 0], "squared_error", np.int64(1))


# -- counts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, err, msg",
    [
        ({"epochs": -1}, ValueError, "epochs must be >= 0"),
        ({"epochs": 2.0}, TypeError, "epochs must be an integer"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"batch_size": "8"}, TypeError, "batch_size must be an integer"),
    ],
)
def test_epochs_and_batch_size(net, kwargs, err, msg):
    X, Y = good_data()
    with pytest.raises(err, match=msg):
        m.sgd(net, X, Y, "squared_error", 0.1, progress=False, **kwargs)


def test_a_layer_size_below_one_or_not_an_integer():
    with pytest.raises(ValueError, match=r"s\[1\] \(size of layer 1\) must be >= 1, got 0"):
        m.Network((2, 0, 1))
    with pytest.raises(TypeError, match=r"s\[2\] \(size of layer 2\) must be an integer"):
        m.Network((2, 3, 1.5))


# -- empty data ----------------------------------------------------------------------------------


def test_empty_data(net):
    X, Y = np.zeros((2, 0)), np.zeros((2, 0))
    msg = r"the data set is empty: X has 0 columns"
    with pytest.raises(ValueError, match=msg):
        m.sgd(net, X, Y, "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=msg):
        m.sgd(net, X, np.array([], dtype=int), "softmax_cross_entropy", 0.1, progress=False)
    with pytest.raises(ValueError, match=msg):
        m.mean_loss(net, X, Y, "squared_error")


# -- class labels --------------------------------------------------------------------------------


@pytest.mark.parametrize("labels", [[0, 1, 2, 0, 1], [0, 1, -1, 0, 1]])
def test_a_class_label_out_of_range(net, labels):
    X, _ = good_data()
    msg = r"class label out of range: labels\[2\] = -?\d, expected 0..1 \(s_p = 2 outputs\)"
    with pytest.raises(ValueError, match=msg):
        m.sgd(net, X, np.array(labels), "softmax_cross_entropy", 0.1, progress=False)
    with pytest.raises(ValueError, match=msg):
        m.one_hot(labels, 2)


# -- names of things -------------------------------------------------------------------------------


def test_unknown_loss_and_activation(net):
    X, Y = good_data()
    with pytest.raises(ValueError, match="unknown loss 'mse'"):
        m.sgd(net, X, Y, "mse", 0.1, progress=False)
    with pytest.raises(ValueError, match="unknown activation g='sigmod'"):
        m.Network((2, 2), g="sigmod")


# -- the lesson functions check what they are given (issue 10, item 4) ---------------------------


@pytest.fixture
def lesson():
    """A 4-9-10 network, one sample x and a batch X of 5, with their traces."""
    net = m.Network((4, 9, 10), g="tanh", seed=0)
    rng = np.random.default_rng(1)
    x, X = rng.normal(size=4), rng.normal(size=(4, 5))
    one = m.forward(net.w, net.b, net.g, x, trace=True)
    batch = m.forward(net.w, net.b, net.g, X, trace=True)
    return net, x, X, one, batch


def test_a_column_shaped_y_for_one_sample(lesson):
    # (10, 1) against z[2] of shape (10,) would broadcast to (10, 10): dW[0] of shape (9, 4)
    # from a (10, 10) dL[2], without an error.
    net, _, _, one, _ = lesson
    y = np.zeros((10, 1))
    msg = r"y must have shape \(s_p=10,\) like z\[2\] \(one sample\), got \(10, 1\)"
    with pytest.raises(ValueError, match=msg):
        m.dL(net.w, net.g, one.z, y, m.squared_error)
    with pytest.raises(ValueError, match=msg):
        m.backward(net.w, net.g, one, y, m.squared_error)


def test_a_batch_dL_with_a_one_sample_trace(lesson):
    net, _, X, one, batch = lesson
    d = m.dL(net.w, net.g, batch.z, np.zeros((10, 5)), m.squared_error)
    msg = r"dL\[1\] must have shape \(s_1=9,\) like a\[0\] = x \(one sample\), got \(9, 5\)"
    with pytest.raises(ValueError, match=msg):
        m.dW(d, one.a)
    with pytest.raises(ValueError, match=r"y must have shape \(s_p=10,\) like z\[2\]"):
        m.backward(net.w, net.g, one, np.zeros((10, 5)), m.squared_error)
    with pytest.raises(ValueError, match=r"a\[1\] must have shape \(s_1=9, n=5\) like a\[0\] = x"):
        m.dW(d, [batch.a[0], one.a[1]])
    with pytest.raises(ValueError, match=r"dL\[2\] must have shape \(s_2=10, n=5\) like dL\[1\]"):
        m.dB([None, d[1], d[2][:, 0]])


@pytest.mark.parametrize(
    "call, msg",
    [
        (lambda n, o: m.forward(n.w, n.b[:1], n.g, o.a[0]), r"b must have p = 2 entries b\[0..1\]"),
        (
            lambda n, o: m.forward(n.w[::-1], n.b, n.g, o.a[0]),
            r"w\[1\] must have shape \(s_2, s_1=10\)",
        ),
        (
            lambda n, o: m.forward(n.w, [n.b[0][:, None], n.b[1]], n.g, o.a[0]),
            r"b\[0\] must have shape \(s_1=9,\), got \(9, 1\)",
        ),
        (
            lambda n, o: m.forward(n.w[0], n.b, n.g, o.a[0]),
            r"w must be a list \(the weight matrices w\[0..p-1\]\), got ndarray",
        ),
        (lambda n, o: m.forward([], [], n.g, o.a[0]), r"w must hold at least one matrix"),
        (
            lambda n, o: m.dL(n.w, n.g, o.z[1:], np.zeros(10), "squared_error"),
            r"z must have 3 entries \(z\[0..2\] with z\[0\] = None",
        ),
        (
            lambda n, o: m.dL(n.w, n.g, [None, o.z[1], o.z[1]], np.zeros(10), "squared_error"),
            r"z\[2\] must have shape \(s_2=10,\) for one sample",
        ),
        (
            lambda n, o: m.dW(m.dL(n.w, n.g, o.z, np.zeros(10), "squared_error"), o.a[:1]),
            r"a must have 2 entries \(a\[0..1\], one per dL\[k\+1\]",
        ),
        (
            lambda n, o: m.backward(n.w[:1], n.g, o, np.zeros(10), "squared_error"),
            r"trace.a must have 1 entry \(a\[0..0\]",
        ),
        (
            lambda n, o: m.backward(n.w, n.g, (o.a, o.z), np.zeros(10), "squared_error"),
            r"trace must be the Trace of forward\(..., trace=True\), got tuple",
        ),
        (
            lambda n, o: m.h(n.b[0], n.w[0], np.zeros(3)),
            r"a_k must have shape \(s_k=4,\) for one sample or \(s_k=4, n\)",
        ),
        (
            lambda n, o: m.h(n.b[1], n.w[0], o.a[0]),
            r"b_k must have shape \(s_\(k\+1\)=9,\) to match w_k of shape \(9, 4\), got \(10,\)",
        ),
        (
            lambda n, o: m.dB([None, np.float64(1.0)]),
            r"dL\[1\] must be 1-D \(one sample\) or 2-D \(samples as columns\), got shape \(\)",
        ),
        (
            lambda n, o: m.forward([np.array([["a"]])], [np.zeros(1)], n.g, np.zeros(1)),
            r"w\[0\] must hold real numbers, got dtype <U1",
        ),
    ],
)
def test_lists_and_shapes_that_do_not_fit(lesson, call, msg):
    net, _, _, one, _ = lesson
    with pytest.raises((ValueError, TypeError), match=msg):
        call(net, one)


def test_names_are_accepted_wherever_objects_are(lesson):
    net, x, _, one, _ = lesson
    y = np.linspace(0, 1, 10)
    by_object = m.backward(net.w, m.tanh, one, y, m.squared_error)
    by_name = m.backward(net.w, "tanh", one, y, "squared_error")
    for a, b in zip(by_object[0] + by_object[1], by_name[0] + by_name[1], strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        m.forward(net.w, net.b, "tanh", x), m.forward(net.w, net.b, m.tanh, x)
    )
    d = m.dL(net.w, "tanh", one.z, y, "softmax_cross_entropy")
    np.testing.assert_array_equal(d[2], m.softmax_cross_entropy.grad(y, one.z[2]))
    with pytest.raises(ValueError, match="unknown activation g='tanhh'"):
        m.forward(net.w, net.b, "tanhh", x)
    with pytest.raises(ValueError, match="unknown loss 'mse'"):
        m.dL(net.w, net.g, one.z, y, "mse")


# -- other cryptic or silent cases (issue 10, item 10) -------------------------------------------


@pytest.mark.parametrize(
    "seed, err, msg",
    [
        (-1, ValueError, r"seed must be an integer >= 0, got -1"),
        (1.5, TypeError, r"seed must be an integer >= 0 or a numpy.random.Generator, got 1.5"),
        ("42", TypeError, r"seed must be an integer >= 0 or a numpy.random.Generator, got '42'"),
        (True, TypeError, r"seed must be an integer >= 0 or a numpy.random.Generator, got True"),
    ],
)
def test_a_bad_seed_names_the_seed(seed, err, msg):
    with pytest.raises(err, match=msg):
        m.Network((2, 3, 1), seed=seed)
    with pytest.raises(err, match=msg):
        m.data.xor(seed=seed)


def test_softmax_cross_entropy_needs_two_outputs():
    from mlpcore._checks import check_loss_output

    with pytest.raises(ValueError, match=r"needs s_p >= 2 outputs .* got s_p = 1"):
        check_loss_output(m.softmax_cross_entropy, 1)
    check_loss_output(m.softmax_cross_entropy, 2)
    check_loss_output(m.squared_error, 1)


def test_sgd_takes_whole_number_float_labels_and_refuses_halves(net):
    X, _ = good_data()
    labels = np.array([0, 1, 1, 0, 1])
    a, b = net.copy(), net.copy()
    m.sgd(a, X, labels, "softmax_cross_entropy", 0.1, progress=False)
    m.sgd(b, X, labels.astype(float), "softmax_cross_entropy", 0.1, progress=False)
    np.testing.assert_array_equal(a.w[0], b.w[0])
    with pytest.raises(TypeError, match=r"labels must be integers .* got labels\[1\] = 0.5"):
        m.sgd(net, X, np.array([0, 0.5, 1, 0, 1]), "softmax_cross_entropy", 0.1, progress=False)


def test_sgd_refuses_softmax_cross_entropy_on_one_output_and_bad_seeds():
    net = m.Network((2, 3, 1), seed=0)
    X = np.zeros((2, 4))
    with pytest.raises(ValueError, match=r"softmax cross-entropy needs s_p >= 2 outputs"):
        m.sgd(net, X, np.ones((1, 4)), "softmax_cross_entropy", 0.1, progress=False)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        m.sgd(net, X, np.ones((1, 4)), "squared_error", 0.1, seed=-1, progress=False)
