"""time.gmtime and time.strftime of fixed timestamps (UTC), as CPython on glibc formats them.

Nothing here depends on the local time zone (CPython's is the host's, Kaa's is UTC):
no localtime(), ctime() or %s.
"""

import time

ISO = "%Y-%m-%dT%H:%M:%SZ"


def show(t: time.struct_time) -> None:
    print(time.strftime(ISO, t), time.strftime("%a %A %b %B %j %y %U %W %u %w", t))
    print("  ", time.strftime("%G-W%V-%u %g %C %e %I %p %k %l %P %D %F %T %R %r %c %x %X %Z %z %%", t))
    print("  ", t)


for s in [0, 1, 59, 86399, 86400, 951782400, 951868800, 1000000000, 1234567890, 1700000000, 1709208000,
          2147483647, 2147483648, 4102444800, 253402300799, -1, -86400, -2208988800, -62135596800]:
    print(s, end=" ")
    show(time.gmtime(s))
for f in [1.5, -1.5, 1e9 + 0.999, 59.999999]:
    print(f, end=" ")
    show(time.gmtime(f))

t = time.gmtime(1709208000)         # 2024-02-29 12:00:00, a Thursday
print(time.strftime("[%-d] [%_m] [%-j] [%^a] [%^B] [%#p] [%#Z] [%10Y] [%-H:%M] [%5a] [%05d]", t))
print(time.strftime("no directives", t), time.strftime("", t) == "", time.strftime("%Q %", t))
print(time.strftime("%Y-%m-%d", (2024, 1, 1, 0, 0, 0, 0, 1, 0)))
print(time.strftime("%a %j", (2024, 0, 0, 0, 0, 0, 6, 0, 0)))
print(time.asctime(t), time.asctime((2001, 9, 9, 1, 46, 40, 6, 252, 0)))
print(time.gmtime(1700000000) == time.gmtime(1700000000.7), time.gmtime(1) == time.gmtime(2))
print(time.gmtime(0) == (1970, 1, 1, 0, 0, 0, 3, 1, 0))

for bad in [(2024, 13, 1, 0, 0, 0, 0, 1, 0), (2024, 1, 32, 0, 0, 0, 0, 1, 0), (2024, 1, 1, 24, 0, 0, 0, 1, 0),
            (2024, 1, 1, 0, 60, 0, 0, 1, 0), (2024, 1, 1, 0, 0, 62, 0, 1, 0), (2024, 1, 1, 0, 0, 0, -2, 1, 0),
            (2024, 1, 1, 0, 0, 0, 0, 367, 0)]:
    try:
        time.strftime(ISO, bad)
    except ValueError as e:
        print(bad, "ValueError:", e)
for value in [float("nan"), 1e30, 2**70]:
    try:
        time.gmtime(value)
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
