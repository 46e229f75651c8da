"""The data sets: samples as columns, labels in range, seeded; the digits split."""

import sys

import numpy as np
import pytest

import mlpcore as m
from mlpcore import data

TOY = sorted(data.TOY_SETS)


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_have_columns_and_labels_in_range(name):
    ds = data.TOY_SETS[name](n=90, seed=0)
    assert isinstance(ds, m.DataSet)
    assert ds.X.shape == (2, 90) and ds.n == 90
    assert ds.labels.shape == (90,) and np.issubdtype(ds.labels.dtype, np.integer)
    assert ds.labels.min() >= 0 and ds.labels.max() < ds.n_classes
    assert set(np.unique(ds.labels)) == set(range(ds.n_classes))  # every class appears
    assert np.all(np.isfinite(ds.X))
    assert ds.Y.shape == (ds.n_classes, 90)
    np.testing.assert_array_equal(ds.Y.argmax(axis=0), ds.labels)


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_are_seeded(name):
    make = data.TOY_SETS[name]
    a, b, c = make(n=50, seed=3), make(n=50, seed=3), make(n=50, seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.X, c.X)


def test_xor_labels_are_the_sign_rule():
    ds = data.xor(n=200, noise=0.1, seed=0)
    # the blobs sit at (±1, ±1) with noise 0.1, so each point keeps the signs of its corner
    np.testing.assert_array_equal(ds.labels, (np.sign(ds.X[0]) != np.sign(ds.X[1])).astype(int))


def test_spirals_class_count():
    ds = data.spirals(n=120, n_classes=4, seed=0)
    assert ds.n_classes == 4 and ds.Y.shape == (4, 120)


@pytest.mark.parametrize("n", [0, -5, 2.5])
def test_toy_sets_reject_bad_sizes(n):
    with pytest.raises((ValueError, TypeError), match="n must be"):
        data.xor(n=n)


@pytest.fixture(scope="module")
def digits():
    return data.digits()


def test_digits_split(digits):
    train, test = digits
    assert train.X.shape == (64, 1437) and test.X.shape == (64, 360)
    assert train.n_classes == test.n_classes == 10
    for ds in digits:
        assert ds.X.min() >= 0.0 and ds.X.max() <= 1.0
        assert ds.labels.min() >= 0 and ds.labels.max() <= 9


def test_digits_split_is_a_partition_of_the_set(digits):
    from sklearn.datasets import load_digits

    bunch = load_digits()
    full = np.column_stack([bunch.data / 16.0, bunch.target])
    both = np.vstack([np.column_stack([ds.X.T, ds.labels]) for ds in digits])
    # Sorted rows equal means each of the 1797 images is used exactly once: no image is
    # both in train and in test (the set has duplicated images, which this also counts).
    key = np.lexsort(full.T[::-1])
    key_both = np.lexsort(both.T[::-1])
    np.testing.assert_array_equal(full[key], both[key_both])


def test_digits_split_is_fixed(digits):
    again = data.digits()
    for a, b in zip(digits, again, strict=True):
        np.testing.assert_array_equal(a.X, b.X)
        np.testing.assert_array_equal(a.labels, b.labels)


def test_digits_bad_fraction():
    with pytest.raises(ValueError, match="test_fraction"):
        data.digits(test_fraction=1.0)


def test_rows_to_columns():
    rows = np.arange(6.0).reshape(3, 2)  # 3 samples of 2 features, as rows
    cols = m.rows_to_columns(rows)
    assert cols.shape == (2, 3) and cols.flags.c_contiguous
    np.testing.assert_array_equal(cols[:, 1], rows[1])
    rows[0, 0] = 99.0
    assert cols[0, 0] == 0.0  # a copy, not a view
    np.testing.assert_array_equal(m.rows_to_columns([[1, 2]]), [[1.0], [2.0]])


def test_rows_to_columns_rejects_bad_input():
    with pytest.raises(ValueError, match="rows must be 2-D"):
        m.rows_to_columns(np.zeros(3))
    with pytest.raises(ValueError, match="rows contains NaN"):
        m.rows_to_columns([[1.0, np.nan]])
    with pytest.raises(TypeError, match="rows must"):
        m.rows_to_columns("abc")


def test_one_hot():
    Y = m.one_hot([2, 0, 1, 2], 3)
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    np.testing.assert_array_equal(m.one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])
    assert m.one_hot(np.array([], dtype=int), 4).shape == (4, 0)


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [5]])
def test_one_hot_label_out_of_range(labels):
    with pytest.raises(ValueError, match=r"class label out of range: labels\[\d\] = -?\d.*0\.\.2"):
        m.one_hot(labels, 3)


def test_one_hot_bad_labels():
    with pytest.raises(TypeError, match=r"labels must be integers \(class indices 0..2\), got "):
        m.one_hot([0.5, 1.0], 3)
    with pytest.raises(TypeError, match="labels must be integers"):
        m.one_hot([np.nan], 3)
    with pytest.raises(ValueError, match="labels must be 1-D"):
        m.one_hot([[0, 1]], 3)
    with pytest.raises(ValueError, match="n_classes must be >= 1"):
        m.one_hot([0], 0)


# -- issue 10, item 10, and optional dependencies (issue 9) -------------------------------------


@pytest.mark.parametrize("name", TOY)
@pytest.mark.parametrize("noise", [-0.1, float("nan")])
def test_negative_or_nan_noise_is_refused(name, noise):
    msg = r"noise \(standard deviation\) must be (>= 0, got -0.1|finite, got nan)"
    with pytest.raises(ValueError, match=msg):
        data.TOY_SETS[name](n=20, noise=noise)
    assert data.TOY_SETS[name](n=20, noise=0).n == 20


def test_circles_factor_is_a_ratio_of_radii():
    with pytest.raises(
        ValueError, match=r"factor \(inner radius / outer radius\) must be >= 0 and"
    ):
        data.circles(factor=2.0)


def test_a_test_fraction_that_leaves_no_training_image():
    with pytest.raises(ValueError) as info:
        data.digits(test_fraction=0.9999)
    assert str(info.value) == (
        "test_fraction=0.9999 leaves no training image (1797 of 1797 go to the test set); "
        "use at most 0.9994"
    )
    train, test = data.digits(test_fraction=0.9994)
    assert train.n >= 1 and train.n + test.n == 1797
    with pytest.raises(TypeError, match="test_fraction must be a real number, got '0.2'"):
        data.digits(test_fraction="0.2")
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -3"):
        data.digits(seed=-3)


def test_whole_number_float_labels_are_class_labels_and_halves_are_refused():
    np.testing.assert_array_equal(m.one_hot(np.array([3.0, 0.0]), 4), m.one_hot([3, 0], 4))
    with pytest.raises(TypeError) as info:
        m.one_hot(np.array([1.0, 2.5]), 4)
    assert str(info.value) == (
        "labels must be integers (class indices 0..3), got labels[1] = 2.5; real-valued targets "
        "go in a 2-D Y of shape (s_p, n)"
    )
    with pytest.raises(
        TypeError, match="labels must be integers \\(class indices\\), got dtype bool"
    ):
        m.one_hot([True, False], 2)


@pytest.fixture
def without_sklearn(monkeypatch):
    for name in [k for k in sys.modules if k == "sklearn" or k.startswith("sklearn.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sklearn", None)  # "import sklearn" now fails


def test_digits_without_scikit_learn_names_the_extra(without_sklearn):
    with pytest.raises(ModuleNotFoundError) as info:
        data.digits()
    assert str(info.value) == (
        "this needs the optional package 'scikit-learn', which is not installed; install it "
        'with: pip install "mlpcore[student]"'
    )
    assert info.value.name == "sklearn"


def test_require_imports_what_is_there_and_names_the_extra_otherwise(monkeypatch):
    from mlpcore._optional import require

    assert require("json") is sys.modules["json"]
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(ImportError, match=r"'tqdm', which is not installed; .*mlpcore\[course\]"):
        require("tqdm", extra="course")
