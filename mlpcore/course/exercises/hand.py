"""The 2-2-1 network worked by hand, in exact fractions, for the worksheets of lessons 2 to 5.

    x = (ln 2, ln 3),  y = 1,  g = tanh,  the squared error,  α = 1/2
    w^(0) = [[1, 0], [1, −1]],  b^(0) = (0, 0),  w^(1) = [[1/2, −1]],  b^(1) = (1/2,)

Every z_i^(1) is the logarithm of a rational r_i, and tanh(ln r) = (r² − 1)/(r² + 1) is
rational, so everything after the first layer is a fraction. :func:`exact` computes it all with
:class:`fractions.Fraction` from these rules alone (no numpy, no mlpcore); the values with a
factor ln 2 or ln 3 (z^(1) and dW^(0)) are floats. ``tests/test_hand_example.py`` checks the
same numbers, typed in by hand, against mlpcore.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

X_BASES = (2, 3)  #: x_j = ln X_BASES[j]
Y = F(1)
W0 = ((1, 0), (1, -1))  # integer exponents: z_i^(1) = ln Π_j X_BASES[j] ** W0[i][j]
W1 = ((F(1, 2), F(-1)),)
B1 = (F(1, 2),)
ALPHA = F(1, 2)


def exact() -> dict:
    """Every quantity of the forward pass, the backward pass and one step, by its symbol.

    Vectors are tuples, matrices tuples of rows; a value with a logarithm is a float.
    """
    r = [F(1) for _ in W0]  # z_i^(1) = ln r_i (b^(0) = 0)
    for i, row in enumerate(W0):
        for j, power in enumerate(row):
            r[i] *= F(X_BASES[j]) ** power
    a1 = tuple((ri * ri - 1) / (ri * ri + 1) for ri in r)  # tanh(ln r)
    z2 = tuple(B1[i] + sum(W1[i][j] * a1[j] for j in range(2)) for i in range(1))
    dL2 = tuple(z - Y for z in z2)  # eq-squared-error
    g_prime = tuple(1 - a * a for a in a1)  # tanh' = 1 − tanh²
    back = tuple(sum(W1[i][j] * dL2[i] for i in range(1)) for j in range(2))
    dL1 = tuple(gp * t for gp, t in zip(g_prime, back, strict=True))
    x = tuple(math.log(base) for base in X_BASES)
    dW1 = tuple(tuple(dL2[i] * a1[j] for j in range(2)) for i in range(1))
    return {
        "z1": tuple(math.log(ri) for ri in r),
        "a1": a1,
        "z2": z2,
        "L": sum((z - Y) ** 2 for z in z2) / 2,
        "dL2": dL2,
        "g_prime_z1": g_prime,
        "w1T_dL2": back,
        "dL1": dL1,
        "dB1": dL2,
        "dB0": dL1,
        "dW1": dW1,
        "dW0": tuple(tuple(float(dL1[i]) * x[j] for j in range(2)) for i in range(2)),
        "w1_new": tuple(tuple(W1[i][j] - ALPHA * dW1[i][j] for j in range(2)) for i in range(1)),
        "b1_new": tuple(B1[i] - ALPHA * dL2[i] for i in range(1)),
        "b0_new": tuple(-ALPHA * d for d in dL1),
    }


#: The symbol of each row of the worksheets, as the lessons' tables write it.
SYMBOLS = {
    "z1": "z^(1)",
    "a1": "a^(1)",
    "z2": "z^(2)",
    "L": "L(y)(z^(2))",
    "dL2": "dL^(2)",
    "g_prime_z1": "g'(z^(1))",
    "w1T_dL2": "w^(1)T dL^(2)",
    "dL1": "dL^(1)",
    "dB1": "dB^(1)",
    "dB0": "dB^(0)",
    "dW1": "dW^(1)",
    "dW0": "dW^(0)",
    "w1_new": "w^(1) after the step",
    "b1_new": "b^(1) after the step",
    "b0_new": "b^(0) after the step",
}

#: The rows of each lesson's worksheet.
WORKSHEETS = {
    2: ("z1", "a1", "z2", "L"),
    3: ("dL2", "g_prime_z1", "w1T_dL2", "dL1"),
    4: ("dB1", "dB0"),
    5: ("dW1", "dW0", "w1_new", "b1_new", "b0_new"),
}


def mistakes() -> dict:
    """For each row, the results of common wrong computations, each with its hint."""
    v = exact()
    flip = lambda t: tuple(-e for e in t)  # noqa: E731
    a1, dL2, dW1 = v["a1"], v["dL2"], v["dW1"]
    return {
        "z1": [((math.log(2), math.log(3)), "z^(1) = w^(0) x + b^(0): you gave x itself.")],
        "a1": [
            (v["z1"], "That is z^(1): a^(1) applies g = tanh to it (eq-forward)."),
            ((a1[0], -a1[1]), "z_2^(1) = ln(2/3) is negative, and so is its tanh."),
        ],
        "z2": [
            ((v["z2"][0] - B1[0],), "You left out the bias b^(1) (eq-forward)."),
            ((math.tanh(v["z2"][0]),), "The output layer is linear: no tanh on z^(2)."),
        ],
        "L": [(2 * v["L"], "The squared error has a factor ½ (eq-squared-error).")],
        "dL2": [(flip(dL2), "Check the sign: eq-squared-error differentiates in z, not y.")],
        "g_prime_z1": [
            (a1, "That is tanh itself; the row asks for its derivative."),
            (tuple(1 - a for a in a1), "tanh' = 1 − tanh²: the tanh is squared."),
        ],
        "w1T_dL2": [],
        "dL1": [(v["w1T_dL2"], "You left out the factor g'(z^(1)) of eq-dLk.")],
        "dB1": [(flip(dL2), "Check the sign of dL^(2).")],
        "dB0": [(dL2 * 2, "That is dL^(2) twice; dB^(0) comes from layer 1 (eq-dB, k = 0).")],
        "dW1": [
            (
                (tuple(dL2[0] * z for z in v["z1"]),),
                "You used z^(1); eq-dW pairs dL^(2) with a^(1).",
            ),
            ((tuple(dL2[0] * math.log(b) for b in X_BASES),), "You used x; eq-dW uses a^(1)."),
        ],
        "dW0": [(tuple(zip(*v["dW0"], strict=True)), "Transposed: row i goes with dL^(1)_i.")],
        "w1_new": [
            (
                tuple(
                    tuple(W1[0][j] + ALPHA * dW1[0][j] for j in range(2)),
                ),
                "Wrong direction.",
            ),
            (
                tuple(
                    tuple(W1[0][j] - dW1[0][j] for j in range(2)),
                ),
                "The step has a factor α.",
            ),
        ],
        "b1_new": [
            ((B1[0] + ALPHA * dL2[0],), "Wrong direction: eq-update subtracts."),
            ((B1[0] - dL2[0],), "The step has a factor α."),
        ],
        "b0_new": [(tuple(ALPHA * d for d in v["dL1"]), "Wrong direction: eq-update subtracts.")],
    }
