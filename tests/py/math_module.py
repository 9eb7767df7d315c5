"""math: constants, float functions with CPython's domain and range errors, int results (floor, gcd, factorial, comb), fsum."""

import math

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.isnan(math.nan))
print(math.sqrt(2.0), math.sqrt(16), math.floor(-2.5), math.ceil(2.1), math.trunc(-7.9), math.floor(7))
print(math.fabs(-3), math.fmod(7.5, 2), math.fmod(-7.5, 2), math.copysign(3, -0.0), math.hypot(3, 4))
print(math.gcd(12, 18), math.gcd(-4, 0), math.factorial(20), math.factorial(25), math.comb(10, 3), math.comb(60, 30))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1.0, 1.1, rel_tol=0.2), math.isfinite(1e308 * 10))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100]))
print(math.log(8, 2), math.log2(1024), math.log10(1000), math.log(1), math.exp(0), math.pow(2, 10), math.pow(2, 0.5))
print(math.degrees(math.pi), math.radians(180), math.atan2(1, 1), math.atan(1.0), math.sin(0), math.cos(0))
for bad in (-1.0, 0.0):
    try:
        print(math.sqrt(bad) if bad < 0 else math.log(bad))
    except ValueError as e:
        print("ValueError:", e)
try:
    print(math.exp(1000))
except OverflowError as e:
    print("OverflowError:", e)
try:
    print(math.factorial(-1))
except ValueError as e:
    print("ValueError:", e)
try:
    print(math.pow(0.0, -1.0))
except ValueError as e:
    print("ValueError:", e)
try:
    print(math.floor(math.inf))
except OverflowError as e:
    print("OverflowError:", e)
