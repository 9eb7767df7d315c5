"""HTTP dates (RFC 9110 section 5.6.7): seconds since 1970 to and from text, in UTC.

format() writes the preferred IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); parse()
reads it and the two obsolete forms a recipient must still accept, RFC 850
("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"). A two-digit
RFC 850 year is taken as 1970..2069. Anything else is not a date (-1), and a field
holding it is ignored, as section 5.6.7 asks. Calendar arithmetic is Howard Hinnant's
days_from_civil / civil_from_days (kernel/lib/calendar.py).
"""

from kaa.lang import *
from kernel.lib.calendar import Civil, civil_from_days, days_from_civil

DAY_NAMES: Str = "ThuFriSatSunMonTueWed"       # from 1970-01-01, a Thursday
MONTH_NAMES: Str = "JanFebMarAprMayJunJulAugSepOctNovDec"
NOT_A_DATE: Final = -1


def format(w: Ptr[Writer], t: i64) -> None:
    """t (seconds since 1970, >= 0) as an IMF-fixdate."""
    days = t // 86400
    secs = t % 86400
    c = civil_from_days(days)
    wd = (days % 7) * 3
    mo = (c.month - 1) * 3
    w.write(f"{DAY_NAMES[wd:wd + 3]}, ")
    two(w, c.day)
    w.write(f" {MONTH_NAMES[mo:mo + 3]} {c.year} ")
    two(w, secs // 3600)
    w.write(":")
    two(w, secs // 60 % 60)
    w.write(":")
    two(w, secs % 60)
    w.write(" GMT")


def two(w: Ptr[Writer], n: i64) -> None:
    if n < 10:
        w.write("0")
    w.write(n)


# ---- parsing ---------------------------------------------------------------------------

def parse(s: Str) -> i64:
    """Seconds since 1970 of an HTTP-date in any of its three forms, or NOT_A_DATE."""
    comma = index_of(s, 44)
    if comma == 3 and len(s) == 29:
        return fixdate(s)
    if comma > 3:
        return rfc850(s[comma + 1:len(s)])
    if len(s) == 24:
        return asctime(s)
    return NOT_A_DATE


def fixdate(s: Str) -> i64:
    """"Sun, 06 Nov 1994 08:49:37 GMT"."""
    if s[4] != 32 or s[7] != 32 or s[11] != 32 or s[16] != 32 or s[25:29] != " GMT":
        return NOT_A_DATE
    return to_seconds(number(s[12:16]), month(s[8:11]), number(s[5:7]), s[17:25])


def rfc850(s: Str) -> i64:
    """" 06-Nov-94 08:49:37 GMT" (after the day name and its comma)."""
    if len(s) != 23 or s[0] != 32 or s[3] != 45 or s[7] != 45 or s[10] != 32 or s[19:23] != " GMT":
        return NOT_A_DATE
    y = number(s[8:10])
    if y >= 0:
        y += 1900 if y >= 70 else 2000
    return to_seconds(y, month(s[4:7]), number(s[1:3]), s[11:19])


def asctime(s: Str) -> i64:
    """"Sun Nov  6 08:49:37 1994" (the day padded with a space)."""
    if s[3] != 32 or s[7] != 32 or s[10] != 32 or s[19] != 32:
        return NOT_A_DATE
    day = number(s[9:10]) if s[8] == 32 else number(s[8:10])
    return to_seconds(number(s[20:24]), month(s[4:7]), day, s[11:19])


def to_seconds(y: i64, m: i64, d: i64, hms: Str) -> i64:
    """The date and "HH:MM:SS" in seconds, or NOT_A_DATE if any part is out of range."""
    if hms[2] != 58 or hms[5] != 58:
        return NOT_A_DATE
    h = number(hms[0:2])
    mi = number(hms[3:5])
    sec = number(hms[6:8])
    if y < 1970 or m < 1 or d < 1 or d > month_days(y, m) or h < 0 or h > 23 or mi < 0 or mi > 59 or \
            sec < 0 or sec > 60:
        return NOT_A_DATE
    return days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + sec


def month_days(y: i64, m: i64) -> i64:
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    if m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


def month(s: Str) -> i64:
    """1..12 for "Jan".."Dec" (case-sensitive, as the grammar is), else -1."""
    for i in range(12):
        if MONTH_NAMES[i * 3:i * 3 + 3] == s:
            return i + 1
    return -1


def number(s: Str) -> i64:
    """The decimal digits of s, or -1 if s is empty or holds anything else."""
    if len(s) == 0:
        return -1
    n: i64 = 0
    for c in s:
        if c < 48 or c > 57:
            return -1
        n = n * 10 + i64(c - 48)
    return n


def index_of(s: Str, c: u8) -> i64:
    for i in range(len(s)):
        if s[i] == c:
            return i
    return -1
