"""Times numpy on the per-example formulas of the logistic family, log-cosh and the exponential
loss, for bench/kernels.bench.ts, and prints one JSON line per formula.

Usage: /usr/bin/python3 bench/python/elementwise.py FILE N REPS
FILE holds four float64 arrays of N (little-endian): y in {-1, 1}, t in {0, 1}, y real, f real.

Each formula is written the fastest ways numpy allows that keep the stable form (no overflow
for |z| up to 1e4): every ufunc writes into a buffer allocated once (out=), so that what is
timed is the arithmetic and not the allocator, and where two formulations are reasonable
(np.logaddexp against max + log1p(exp(-|x|)), scipy's expit against numpy's exp) both are timed
and the faster is the figure reported ('tuned'). Each time is the fastest of REPS runs after a
warm-up, with the median beside it.
"""
import json
import sys
import time

import numpy as np
from scipy.special import expit

path, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
raw = np.fromfile(path, dtype='<f8')
ysign, t, yreal, f = (raw[k * n:(k + 1) * n] for k in range(4))
LN2 = np.log(2.0)
INV_LN2 = 1.0 / LN2

a = np.empty(n)
b = np.empty(n)
c = np.empty(n)
value = np.empty(n)
deriv = np.empty(n)


def timed(run):
    run()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[0] * 1e9 / n, times[len(times) // 2] * 1e9 / n


# Logistic loss, l = ln(1 + e^x) / ln 2 with x = -y f; l' = -y σ(x) / ln 2.
def logistic_value_logaddexp():
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    np.logaddexp(0.0, a, out=value)
    np.multiply(value, INV_LN2, out=value)


def logistic_value_log1p():
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    np.abs(a, out=b)
    np.negative(b, out=b)
    np.exp(b, out=b)
    np.log1p(b, out=b)
    np.maximum(a, 0.0, out=value)
    np.add(value, b, out=value)
    np.multiply(value, INV_LN2, out=value)


def logistic_derivative_expit():
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    expit(a, out=deriv)
    np.multiply(deriv, ysign, out=deriv)
    np.multiply(deriv, -INV_LN2, out=deriv)


def logistic_derivative_exp():
    # σ(x) = 1 / (1 + e^-x) overflows harmlessly to 0 for x < -709 (numpy warns; silenced).
    np.multiply(ysign, f, out=a)
    np.exp(a, out=b)
    np.add(b, 1.0, out=b)
    np.divide(ysign, b, out=deriv)
    np.multiply(deriv, -INV_LN2, out=deriv)


def logistic_fused():
    # One exponential e = e^-|x| for both: l = max(x, 0) + ln(1 + e), σ(x) = (x >= 0 ? 1 : e) / (1 + e).
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    np.abs(a, out=b)
    np.negative(b, out=b)
    np.exp(b, out=b)
    np.add(b, 1.0, out=c)
    np.greater_equal(a, 0.0, out=deriv)
    np.maximum(deriv, b, out=deriv)
    np.divide(deriv, c, out=deriv)
    np.multiply(deriv, ysign, out=deriv)
    np.multiply(deriv, -INV_LN2, out=deriv)
    np.log1p(b, out=b)
    np.maximum(a, 0.0, out=value)
    np.add(value, b, out=value)
    return value.sum() * INV_LN2


# Cross-entropy with logits, l = max(z, 0) - t z + ln(1 + e^-|z|); l' = σ(z) - t.
def xent_value_logaddexp():
    np.logaddexp(0.0, f, out=value)
    np.multiply(t, f, out=a)
    np.subtract(value, a, out=value)


def xent_value_log1p():
    np.abs(f, out=b)
    np.negative(b, out=b)
    np.exp(b, out=b)
    np.log1p(b, out=b)
    np.maximum(f, 0.0, out=value)
    np.multiply(t, f, out=a)
    np.subtract(value, a, out=value)
    np.add(value, b, out=value)


def xent_derivative_expit():
    expit(f, out=deriv)
    np.subtract(deriv, t, out=deriv)


def xent_fused():
    np.abs(f, out=b)
    np.negative(b, out=b)
    np.exp(b, out=b)
    np.add(b, 1.0, out=c)
    np.greater_equal(f, 0.0, out=deriv)
    np.maximum(deriv, b, out=deriv)
    np.divide(deriv, c, out=deriv)
    np.subtract(deriv, t, out=deriv)
    np.log1p(b, out=b)
    np.maximum(f, 0.0, out=value)
    np.multiply(t, f, out=a)
    np.subtract(value, a, out=value)
    np.add(value, b, out=value)
    return value.sum()


# Exponential loss, l = e^(-y f); l' = -y e^(-y f).
def exponential_value():
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    np.exp(a, out=value)


def exponential_derivative():
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    np.exp(a, out=deriv)
    np.multiply(deriv, ysign, out=deriv)
    np.negative(deriv, out=deriv)


def exponential_fused():
    np.multiply(ysign, f, out=a)
    np.negative(a, out=a)
    np.exp(a, out=value)
    np.multiply(ysign, value, out=deriv)
    np.negative(deriv, out=deriv)
    return value.sum()


# Log-cosh, l = ln cosh r with r = f - y; l' = tanh r.
def logcosh_value_logaddexp():
    np.subtract(f, yreal, out=a)
    np.negative(a, out=b)
    np.logaddexp(a, b, out=value)
    np.subtract(value, LN2, out=value)


def logcosh_value_log1p():
    # |r| - ln 2 + ln(1 + e^-2|r|)
    np.subtract(f, yreal, out=a)
    np.abs(a, out=a)
    np.multiply(a, -2.0, out=b)
    np.exp(b, out=b)
    np.log1p(b, out=b)
    np.subtract(a, LN2, out=value)
    np.add(value, b, out=value)


def logcosh_derivative():
    np.subtract(f, yreal, out=a)
    np.tanh(a, out=deriv)


def logcosh_fused():
    # e = e^-2|r|: l = |r| - ln 2 + ln(1 + e), tanh r = sign(r) (1 - e) / (1 + e).
    np.subtract(f, yreal, out=a)
    np.sign(a, out=c)
    np.abs(a, out=a)
    np.multiply(a, -2.0, out=b)
    np.exp(b, out=b)
    np.subtract(1.0, b, out=deriv)
    np.multiply(deriv, c, out=deriv)
    np.add(b, 1.0, out=c)
    np.divide(deriv, c, out=deriv)
    np.log1p(b, out=b)
    np.subtract(a, LN2, out=value)
    np.add(value, b, out=value)
    return value.sum()


FORMULAS = {
    'logistic value': [logistic_value_logaddexp, logistic_value_log1p],
    'logistic derivative': [logistic_derivative_expit, logistic_derivative_exp],
    'logistic fused': [logistic_fused],
    'crossEntropyWithLogits value': [xent_value_logaddexp, xent_value_log1p],
    'crossEntropyWithLogits derivative': [xent_derivative_expit],
    'crossEntropyWithLogits fused': [xent_fused],
    'exponential value': [exponential_value],
    'exponential derivative': [exponential_derivative],
    'exponential fused': [exponential_fused],
    'logCosh value': [logcosh_value_logaddexp, logcosh_value_log1p],
    'logCosh derivative': [logcosh_derivative],
    'logCosh fused': [logcosh_fused],
}

with np.errstate(over='ignore', under='ignore'):
    for name, runs in FORMULAS.items():
        timings = [(timed(run), run.__name__) for run in runs]
        (best, median), which = min(timings)
        print(json.dumps({'formula': name, 'best': best, 'median': median, 'variant': which}), flush=True)
