"""sgd reads the data in place: it never allocates a copy of X (issue 10).

The figures themselves (peak over the data, on digits and on 200,000 samples) are measured in
bench/memory.py; here only a bound loose enough for any machine, which a whole copy breaks.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import mlpcore


@pytest.mark.parametrize("backend", ["fast", "plain"])
@pytest.mark.parametrize("batch_size", [1, 32])
@pytest.mark.parametrize(("order", "dtype"), [("C", np.float64), ("F", np.float64),
                                              ("C", np.float32), ("F", np.float32)])  # fmt: skip
def test_sgd_does_not_copy_the_data(backend, batch_size, order, dtype):
    rng = np.random.default_rng(0)
    n = 8_000 if backend == "fast" else 1_500
    X = np.asarray(rng.random((64, n)), dtype=dtype, order=order)
    labels = rng.integers(0, 10, n)
    net = mlpcore.Network((64, 16, 10), g="tanh", seed=0)  # float64: X float32 is cast
    kw = dict(batch_size=batch_size, progress=False, backend=backend)
    mlpcore.sgd(net.copy(), X[:, :100].copy(), labels[:100], "softmax_cross_entropy", 0.01, **kw)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        mlpcore.sgd(net, X, labels, "softmax_cross_entropy", 0.01, **kw)
        extra = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    # a copy of X in the network's dtype is 64 n 8 bytes; a chunk or a batch is far less
    assert extra < 0.25 * 64 * n * 8, f"sgd allocated {extra / 2**20:.1f} MiB"
