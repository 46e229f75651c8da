"""Small data sets, always returned with the samples as columns: X has shape (s_0, n).

Data that arrives as rows (scikit-learn's convention, shape (n, s_0)) is turned into
columns in exactly one place, :func:`rows_to_columns`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._optional import require
from ._validate import as_array, check_labels, check_positive_int, check_real, check_seed


class DataSet(NamedTuple):
    """``X`` (s_0, n) inputs as columns, ``labels`` (n,) integer classes in 0..n_classes-1."""

    X: np.ndarray
    labels: np.ndarray
    n_classes: int

    @property
    def n(self) -> int:
        return self.X.shape[1]

    @property
    def Y(self) -> np.ndarray:
        """One-hot targets, shape (n_classes, n)."""
        return one_hot(self.labels, self.n_classes)


def rows_to_columns(rows) -> np.ndarray:
    """The one place where data given as rows (n, s_0) becomes columns (s_0, n)."""
    rows = as_array("rows", rows, ndim=2)
    return np.ascontiguousarray(rows.T)


def one_hot(labels, n_classes: int) -> np.ndarray:
    """Targets y ∈ ℝ^{s_p} for class labels: column m is E^{s_p}_{labels[m]+1}.

    Returns shape (n_classes, n). A label outside 0..n_classes-1 raises ValueError.
    """
    labels = check_labels(labels, check_positive_int("n_classes", n_classes))
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _rng(seed):
    return check_seed(seed)


def _finish(points: np.ndarray, labels: np.ndarray, n_classes: int) -> DataSet:
    return DataSet(rows_to_columns(points), labels.astype(np.int64), n_classes)


def xor(n: int = 200, noise: float = 0.1, seed=0) -> DataSet:
    """Four Gaussian blobs at (±1, ±1); class 1 where the signs differ."""
    n = check_positive_int("n", n)
    noise = check_real("noise (standard deviation)", noise, low=0)
    rng = _rng(seed)
    corners = rng.integers(0, 2, size=(n, 2)) * 2 - 1
    points = corners + noise * rng.standard_normal((n, 2))
    return _finish(points, (corners[:, 0] != corners[:, 1]).astype(int), 2)


def circles(n: int = 200, noise: float = 0.08, factor: float = 0.5, seed=0) -> DataSet:
    """Two concentric circles of radii 1 and ``factor``; class 1 is the inner one."""
    n = check_positive_int("n", n)
    noise = check_real("noise (standard deviation)", noise, low=0)
    factor = check_real("factor (inner radius / outer radius)", factor, low=0, high=1)
    rng = _rng(seed)
    labels = np.arange(n) % 2
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(labels == 1, factor, 1.0)
    points = radius[:, None] * np.c_[np.cos(angle), np.sin(angle)]
    return _finish(points + noise * rng.standard_normal((n, 2)), labels, 2)


def moons(n: int = 200, noise: float = 0.1, seed=0) -> DataSet:
    """Two interleaved half circles, centred on the origin."""
    n = check_positive_int("n", n)
    noise = check_real("noise (standard deviation)", noise, low=0)
    rng = _rng(seed)
    labels = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    upper = np.c_[np.cos(t), np.sin(t)]
    lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)]
    points = np.where(labels[:, None] == 0, upper, lower) - [0.5, 0.25]
    return _finish(points + noise * rng.standard_normal((n, 2)), labels, 2)


def spirals(n: int = 300, n_classes: int = 3, noise: float = 0.2, seed=0) -> DataSet:
    """``n_classes`` interleaved spiral arms in the unit disc."""
    n = check_positive_int("n", n)
    n_classes = check_positive_int("n_classes", n_classes)
    noise = check_real("noise (standard deviation)", noise, low=0)
    rng = _rng(seed)
    labels = np.arange(n) % n_classes
    r = rng.uniform(0.05, 1.0, n)
    theta = 4.0 * r + labels * 2 * np.pi / n_classes + noise * rng.standard_normal(n)
    return _finish(r[:, None] * np.c_[np.cos(theta), np.sin(theta)], labels, n_classes)


TOY_SETS = {"xor": xor, "circles": circles, "moons": moons, "spirals": spirals}


def digits(test_fraction: float = 0.2, seed: int = 0) -> tuple[DataSet, DataSet]:
    """scikit-learn's 8×8 digits (1797 images, bundled, no download), as (train, test).

    Pixels are scaled from 0..16 to 0..1, so X has shape (64, n). The split is a fixed,
    seeded permutation: with the defaults, 1437 training and 360 test images. Both parts must
    hold at least one image. Needs scikit-learn (``pip install "mlpcore[student]"``).
    """
    test_fraction = check_real("test_fraction", test_fraction)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction:g}")
    rng = check_seed(seed)
    datasets = require("sklearn.datasets", extra="student", package="scikit-learn")
    bunch = datasets.load_digits()
    order = rng.permutation(len(bunch.target))
    # Rounded up, as scikit-learn's train_test_split does: 360 test images of 1797 at 0.2.
    n_test = int(np.ceil(test_fraction * len(order)))
    if n_test >= len(order):
        raise ValueError(
            f"test_fraction={test_fraction:g} leaves no training image ({n_test} of "
            f"{len(order)} go to the test set); use at most {(len(order) - 1) / len(order):.4f}"
        )
    test, train = order[:n_test], order[n_test:]
    X = bunch.data / 16.0
    return (
        _finish(X[train], bunch.target[train], 10),
        _finish(X[test], bunch.target[test], 10),
    )
