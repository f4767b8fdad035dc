"""Times scikit-learn's LogisticRegression(solver='lbfgs') on data written by
bench/fit-smooth.bench.ts, and prints one JSON line per tolerance.

Usage: /usr/bin/python3 bench/python/logistic.py FILE N D C TOL [TOL ...]
Times are the fastest of 9 fits (and the median): on a shared 2-core machine single fits
vary by 5x, and the minimum is the stable estimate of the cost.
FILE holds X (N*D float64, row-major) then y (N float64 in {0, 1}), little-endian.
The objective reported is scikit-learn's divided by N, i.e. losslab's
  (1/n) sum crossEntropyWithLogits(y_i, w.x_i + b) + (l2/2) |w|^2  with l2 = 1 / (C N).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

path, n, d, C = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
tols = [float(t) for t in sys.argv[5:]]
raw = np.fromfile(path, dtype='<f8')
X = raw[: n * d].reshape(n, d)
y = raw[n * d : n * d + n]


def objective(model):
    z = X @ model.coef_[0] + model.intercept_[0]
    loss = np.logaddexp(0, z) - y * z
    return loss.mean() + 0.5 / (C * n) * model.coef_[0] @ model.coef_[0]


LogisticRegression(solver='lbfgs', C=C, max_iter=10000).fit(X, y)  # warm-up

for tol in tols:
    times = []
    for rep in range(9):
        model = LogisticRegression(solver='lbfgs', C=C, tol=tol, max_iter=10000)
        t0 = time.perf_counter()
        model.fit(X, y)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    print(json.dumps({'tol': tol, 'ms': times[0], 'median': times[len(times) // 2], 'objective': objective(model), 'iterations': int(model.n_iter_[0])}))
