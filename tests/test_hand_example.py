"""A 2-2-1 network with tanh and the squared error, worked on paper.

The input is chosen so that every tanh is a fraction: tanh(ln t) = (t² − 1) / (t² + 1), so
tanh(ln 2) = 3/5 and tanh(ln(2/3)) = (4/9 − 1)/(4/9 + 1) = −5/13. Everything below is exact
arithmetic on fractions, written out in the comments; the test compares mlpcore with it.

    x = (ln 2, ln 3),  y = 1
    w^(0) = [[1, 0],        b^(0) = (0, 0)
             [1, −1]]
    w^(1) = [[0.5, −1]],    b^(1) = (0.5,)
"""

import math

import numpy as np
import pytest

import mlpcore as m

LN2, LN3 = math.log(2), math.log(3)

# --- forward (section 2) ---------------------------------------------------------------
# z^(1) = w^(0) x + b^(0) = (1·ln 2 + 0·ln 3, 1·ln 2 − 1·ln 3) = (ln 2, ln(2/3))
Z1 = [LN2, LN2 - LN3]
# a^(1) = tanh(z^(1)) = (3/5, −5/13)
A1 = [3 / 5, -5 / 13]
# z^(2) = 0.5·(3/5) + (−1)·(−5/13) + 0.5 = 3/10 + 5/13 + 1/2 = 4/5 + 5/13 = (52 + 25)/65 = 77/65
Z2 = [77 / 65]
# L = ½ (z^(2) − y)² = ½ (12/65)² = 72/4225
LOSS = 72 / 4225

# --- backward (sections 3.2 to 3.4) ----------------------------------------------------
# dL^(2) = z^(2) − y = 77/65 − 65/65 = 12/65
DL2 = [12 / 65]
# g'(z^(1)) = 1 − tanh² = (1 − 9/25, 1 − 25/169) = (16/25, 144/169)
# w^(1)T dL^(2) = (0.5·12/65, −1·12/65) = (6/65, −12/65)
# dL^(1) = (16/25 · 6/65, 144/169 · (−12/65)) = (96/1625, −1728/10985)
DL1 = [96 / 1625, -1728 / 10985]
# dB^(1) = dL^(2) = 12/65,  dB^(0) = dL^(1)
DB = [DL1, DL2]
# dW^(1) = dL^(2) a^(1)T = 12/65 · (3/5, −5/13) = (36/325, −60/845) = (36/325, −12/169)
DW1 = [[36 / 325, -12 / 169]]
# dW^(0) = dL^(1) x^T = [[96/1625 ln 2, 96/1625 ln 3], [−1728/10985 ln 2, −1728/10985 ln 3]]
DW0 = [[96 / 1625 * LN2, 96 / 1625 * LN3], [-1728 / 10985 * LN2, -1728 / 10985 * LN3]]

# --- one step of section 3.1 with α = 0.5 ----------------------------------------------
# w^(1) − 0.5 dW^(1) = (0.5 − 18/325, −1 + 6/169),  b^(1) − 0.5 dB^(1) = 0.5 − 6/65
NEW_W1 = [[0.5 - 18 / 325, -1 + 6 / 169]]
NEW_B1 = [0.5 - 6 / 65]
# w^(0) − 0.5 dW^(0): [[1 − 48/1625 ln 2, −48/1625 ln 3], [1 + 864/10985 ln 2, −1 + 864/10985 ln 3]]
NEW_W0 = [[1 - 48 / 1625 * LN2, -48 / 1625 * LN3], [1 + 864 / 10985 * LN2, -1 + 864 / 10985 * LN3]]
# b^(0) − 0.5 dB^(0) = (−48/1625, 864/10985)
NEW_B0 = [-48 / 1625, 864 / 10985]

RTOL = 1e-13  # only the rounding of ln, tanh and the products separates the two


def hand_network() -> m.Network:
    net = m.Network((2, 2, 1), g="tanh", seed=0)
    net.w[0][...] = [[1.0, 0.0], [1.0, -1.0]]
    net.b[0][...] = [0.0, 0.0]
    net.w[1][...] = [[0.5, -1.0]]
    net.b[1][...] = [0.5]
    return net


X = np.array([LN2, LN3])
Y = np.array([1.0])


def test_forward_matches_the_hand_computation():
    net = hand_network()
    trace = m.forward(net.w, net.b, net.g, X, trace=True)
    assert trace.z[0] is None
    np.testing.assert_allclose(trace.a[0], X, rtol=0)
    np.testing.assert_allclose(trace.z[1], Z1, rtol=RTOL)
    np.testing.assert_allclose(trace.a[1], A1, rtol=RTOL)
    np.testing.assert_allclose(trace.z[2], Z2, rtol=RTOL)
    assert m.squared_error.L(Y, trace.z[2]) == pytest.approx(LOSS, rel=RTOL)


def test_backward_matches_the_hand_computation():
    net = hand_network()
    trace = m.forward(net.w, net.b, net.g, X, trace=True)
    dW, dB, dL = m.backward(net.w, net.g, trace, Y, m.squared_error)
    assert dL[0] is None
    np.testing.assert_allclose(dL[2], DL2, rtol=RTOL)
    np.testing.assert_allclose(dL[1], DL1, rtol=RTOL)
    for k in range(2):
        np.testing.assert_allclose(dB[k], DB[k], rtol=RTOL)
    np.testing.assert_allclose(dW[1], DW1, rtol=RTOL)
    np.testing.assert_allclose(dW[0], DW0, rtol=RTOL)


def _assert_new_parameters(net):
    np.testing.assert_allclose(net.w[0], NEW_W0, rtol=RTOL)
    np.testing.assert_allclose(net.b[0], NEW_B0, rtol=RTOL)
    np.testing.assert_allclose(net.w[1], NEW_W1, rtol=RTOL)
    np.testing.assert_allclose(net.b[1], NEW_B1, rtol=RTOL)


def test_one_step_matches_the_hand_computation():
    net = hand_network()
    before = m.step(net, X, Y, m.squared_error, alpha=0.5)
    assert before == pytest.approx(LOSS, rel=RTOL)
    _assert_new_parameters(net)


def test_one_sgd_epoch_on_the_single_sample_is_the_same_step():
    net = hand_network()
    history = m.sgd(net, X[:, None], Y[:, None], "squared_error", alpha=0.5, progress=False)
    assert history.loss[0] == pytest.approx(LOSS, rel=RTOL)
    _assert_new_parameters(net)
