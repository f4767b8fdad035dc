"""References for test/course-stats.spec.ts's Student t tables, printed as TypeScript rows.

EXACT: P(T <= t) for even df by the finite series of Abramowitz & Stegun 26.7.4 (with
cos^2 = df/(df + t^2), P(|T| <= |t|) = sin * (1 + 1/2 cos^2 + 1.3/(2.4) cos^4 + ...)), summed
in 50-digit decimals, independent of any incomplete beta code. SCIPY: scipy.stats.t.cdf, for
odd and fractional df and df past what the series can sum in reasonable time.

Usage: /usr/bin/python3 test/reference/student_t.py
"""
from decimal import Decimal, getcontext

from scipy.stats import t as student

getcontext().prec = 50


def series_cdf(t, df):
    t, nu = Decimal(t), Decimal(df)
    cos2 = nu / (nu + t * t)
    sin = t.copy_abs() / (nu + t * t).sqrt()
    term = total = Decimal(1)
    for k in range(1, df // 2):
        term = term * (2 * k - 1) / (2 * k) * cos2
        total += term
        if term < Decimal('1e-60'):
            break
    lower = (1 - sin * total) / 2
    return lower if t < 0 else 1 - lower


print('// EXACT')
for df in [100, 10_000, 1_000_000]:
    for t in [-10, -5, -2, -1, -0.5, 0.3, 1.5, 3]:
        print(f'      [{t}, {df:g}, {float(series_cdf(t, df))!r}],')
print('// SCIPY')
for df in [0.5, 1.5, 30.5, 99, 1e3, 1e7, 1e8, 1e9]:
    for t in [-40, -10, -3, -2, -0.9, -0.2, 0.7, 2.5]:
        p = float(student.cdf(t, df))
        if p > 0:
            print(f'      [{t}, {df:g}, {p!r}],')
