"""Times native least squares and least absolute deviations on data written by
bench/fit-exact.bench.ts, and prints one JSON line per method.

Usage:
  /usr/bin/python3 bench/python/fit_exact.py l2 FILE N D REPS
  /usr/bin/python3 bench/python/fit_exact.py lad FILE N D REPS SOLVER
FILE holds X (N*D float64, row-major) then y (N float64), little-endian.

l2 times, each with an intercept column appended as losslab fits one:
  numpy.linalg.lstsq      (LAPACK dgelsd: SVD-based, OpenBLAS)
  numpy.linalg.qr + solve (dgeqrf + dorgqr for Q, then R w = Q^T y)
  scipy.linalg.qr r-only  (dgeqrf alone: the factorisation losslab's QR path computes)
  numpy X^T X + Cholesky  (dsyrk-class matrix product, then scipy.linalg.cho_factor/cho_solve:
                           the normal equations, the cheapest method and the least accurate)
and reports the objective mean((y - X w - b)^2) of the solution (for the r-only QR,
of R w = Q^T y solved from the augmented [X 1 y] factor).
lad times sklearn QuantileRegressor(quantile=0.5, alpha=0, solver=SOLVER) and reports
mean |y - X w - b| (losslab's l1 objective; sklearn's pinball objective is half of it).
"""
import json
import sys
import time

import numpy as np
import scipy.linalg

mode, path, n, d, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
raw = np.fromfile(path, dtype='<f8')
X = raw[: n * d].reshape(n, d)
y = raw[n * d : n * d + n]


def timed(fit):
    """The median and the fastest of REPS runs (ms), and the last result."""
    times = []
    result = None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fit()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return (times[len(times) // 2], times[0]), result


def report(method, ms, objective):
    median, best = ms
    print(json.dumps({'method': method, 'ms': median, 'best': best, 'objective': float(objective)}), flush=True)


if mode == 'l2':
    A = np.hstack([X, np.ones((n, 1))])

    def mse(beta):
        r = y - A @ beta
        return r @ r / n

    ms, beta = timed(lambda: np.linalg.lstsq(A, y, rcond=None)[0])
    report('numpy.linalg.lstsq', ms, mse(beta))

    def qr_solve():
        Q, R = np.linalg.qr(A)
        return scipy.linalg.solve_triangular(R, Q.T @ y)

    ms, beta = timed(qr_solve)
    report('numpy.linalg.qr + solve', ms, mse(beta))

    Ay = np.hstack([A, y[:, None]])

    def r_only():
        R = scipy.linalg.qr(Ay, mode='r', check_finite=False)[0]
        return scipy.linalg.solve_triangular(R[: d + 1, : d + 1], R[: d + 1, d + 1])

    ms, beta = timed(r_only)
    report('scipy.linalg.qr(mode=r) + solve', ms, mse(beta))

    def normal_equations():
        factor = scipy.linalg.cho_factor(A.T @ A, check_finite=False)
        return scipy.linalg.cho_solve(factor, A.T @ y, check_finite=False)

    ms, beta = timed(normal_equations)
    report('numpy X^T X + Cholesky', ms, mse(beta))
elif mode == 'lad':
    from sklearn.linear_model import QuantileRegressor

    solver = sys.argv[6]

    def fit():
        return QuantileRegressor(quantile=0.5, alpha=0, solver=solver).fit(X, y)

    ms, model = timed(fit)
    report(f'sklearn QuantileRegressor({solver})', ms, np.mean(np.abs(y - model.predict(X))))
else:
    raise SystemExit(f'unknown mode {mode}')
