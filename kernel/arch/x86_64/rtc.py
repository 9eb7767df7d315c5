"""The CMOS real-time clock (MC146818, ports 0x70/0x71): the date and time, read once.

QEMU keeps it in UTC (`-rtc base=utc`, its default); q35, pc and microvm all have one.
A read waits out an update in progress (status A bit 7: the registers change within the
next 2 ms) and is repeated until two in a row agree, so a second boundary cannot tear
it. Status B says how the registers are coded: BCD or binary, 12- or 24-hour. The
century register (0x32, named by ACPI's FADT) is used when it holds a plausible value.
"""

from kaa.lang import *

CMOS_INDEX: Final = 0x70
CMOS_DATA: Final = 0x71
REG_SECONDS: Final = 0x00
REG_MINUTES: Final = 0x02
REG_HOURS: Final = 0x04
REG_DAY: Final = 0x07
REG_MONTH: Final = 0x08
REG_YEAR: Final = 0x09
REG_STATUS_A: Final = 0x0A
REG_STATUS_B: Final = 0x0B
REG_CENTURY: Final = 0x32
STATUS_A_UIP: Final = 0x80      # update in progress
STATUS_B_24H: Final = 0x02
STATUS_B_BINARY: Final = 0x04
HOUR_PM: Final = 0x80           # 12-hour mode's PM flag, in the hours register
MAX_TRIES: Final = 100000


@struct
class DateTime:
    year: i64
    month: i64
    day: i64
    hour: i64
    minute: i64
    second: i64


def read_reg(reg: u8) -> u8:
    outb(CMOS_INDEX, reg)
    return inb(CMOS_DATA)


def read_raw(t: Ptr[DateTime], century: Ptr[i64]) -> None:
    """The registers as stored (maybe BCD); waits while an update is in progress."""
    for i in range(MAX_TRIES):
        if read_reg(REG_STATUS_A) & STATUS_A_UIP == 0:
            break
    t.second = i64(read_reg(REG_SECONDS))
    t.minute = i64(read_reg(REG_MINUTES))
    t.hour = i64(read_reg(REG_HOURS))
    t.day = i64(read_reg(REG_DAY))
    t.month = i64(read_reg(REG_MONTH))
    t.year = i64(read_reg(REG_YEAR))
    century[0] = i64(read_reg(REG_CENTURY))


def same(a: Ptr[DateTime], b: Ptr[DateTime]) -> bool:
    return a.second == b.second and a.minute == b.minute and a.hour == b.hour and a.day == b.day and \
        a.month == b.month and a.year == b.year


def from_bcd(v: i64) -> i64:
    return (v >> 4) * 10 + (v & 0x0F)


def read(t: Ptr[DateTime]) -> bool:
    """The current date and time (UTC); False when there is no RTC or it reads nonsense."""
    prev: DateTime
    century: i64 = 0
    read_raw(t, addr(century))
    for i in range(8):
        prev = t[0]
        read_raw(t, addr(century))
        if same(addr(prev), t):
            break
    status_b = read_reg(REG_STATUS_B)
    pm = t.hour & HOUR_PM != 0
    t.hour &= ~i64(HOUR_PM)
    if status_b & STATUS_B_BINARY == 0:
        t.second = from_bcd(t.second)
        t.minute = from_bcd(t.minute)
        t.hour = from_bcd(t.hour)
        t.day = from_bcd(t.day)
        t.month = from_bcd(t.month)
        t.year = from_bcd(t.year)
        century = from_bcd(century)
    if status_b & STATUS_B_24H == 0:
        t.hour = t.hour % 12 + (12 if pm else 0)     # 12 AM is hour 0, 12 PM hour 12
    t.year += century * 100 if 19 <= century and century <= 30 else 2000
    return 1 <= t.month and t.month <= 12 and 1 <= t.day and t.day <= 31 and t.hour < 24 and \
        t.minute < 60 and t.second < 60
