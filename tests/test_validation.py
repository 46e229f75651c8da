"""Bad input gets a clear ValueError or TypeError that names the quantity."""

import math

import numpy as np
import pytest

import mlpcore as m


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
