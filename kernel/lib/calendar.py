"""Civil dates: days since 1970-01-01 to and from (year, month, day), in UTC.

Howard Hinnant's days_from_civil / civil_from_days, restricted to dates from 1970 on:
the wall clock (kernel/clock.py) and HTTP dates (kaa/http/date.py) count with them.
"""

from kaa.lang import *


@struct
class Civil:
    year: i64
    month: i64                      # 1..12
    day: i64                        # 1..31


def days_from_civil(y: i64, m: i64, d: i64) -> i64:
    """Days since 1970-01-01 of a date from 1970 on."""
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: i64) -> Civil:
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return Civil(year=yoe + era * 400 + (1 if m <= 2 else 0), month=m, day=d)
