/* Python's time module: clocks, sleep, and broken-down UTC times with strftime.
 *
 * Clocks come from the platform (osrandom.h): the wall clock for time(), the monotonic
 * one for monotonic() and perf_counter() (CPython on Linux uses CLOCK_MONOTONIC for
 * both). Seconds as floats are converted as CPython's _PyTime_AsSecondsDouble.
 *
 * Dates are proleptic Gregorian, computed from day counts (days_from_civil and its
 * inverse, after Howard Hinnant's "chrono-compatible low-level date algorithms"), so
 * every time_t glibc accepts gives the same fields without tables or loops.
 *
 * strftime implements glibc's conversions in the C locale, with its flags (- _ 0 ^ #)
 * and field widths; a struct_time carries its zone name for %Z (gmtime: "GMT",
 * localtime: "UTC"), a plain tuple gets the local zone's, "UTC". The fields are checked
 * as CPython's checktm does before formatting.
 */
#include "time_module.h"
#include "osrandom.h"
#include "float.h"
#include "int.h"
#include "str.h"
#include "tuple.h"
#include "list.h"
#include "int_impl.h"

#define NS_PER_SEC 1000000000LL
#define STRUCT_TIME_FIELDS 9

/* ---- clocks ---- */

static double ns_to_seconds(i64 ns) {
    if (ns % NS_PER_SEC == 0) return (double)(ns / NS_PER_SEC);
    return (double)ns / 1e9;
}

double k_time_time(void) { return ns_to_seconds(k_os_wall_ns()); }
kval k_time_time_ns(void) { return k_int_from_i64(k_os_wall_ns()); }
double k_time_monotonic(void) { return ns_to_seconds(k_os_monotonic_ns()); }
kval k_time_monotonic_ns(void) { return k_int_from_i64(k_os_monotonic_ns()); }
double k_time_perf_counter(void) { return k_time_monotonic(); }
kval k_time_perf_counter_ns(void) { return k_time_monotonic_ns(); }

int k_time_sleep(double secs) {
    if (secs != secs) {
        k_raise_str(&k_ValueError_type, "Invalid value NaN (not a number)");
        return -1;
    }
    if (secs < 0) {
        k_raise_str(&k_ValueError_type, "sleep length must be non-negative");
        return -1;
    }
    double ns = k_math_ceil(secs * 1e9);        /* CPython rounds timeouts up */
    if (ns >= 9223372036854775808.0) {
        k_raise_str(&k_OverflowError_type, "timestamp too large to convert to C _PyTime_t");
        return -1;
    }
    k_os_sleep_ns((i64)ns);
    return 0;
}

/* ---- calendar arithmetic ---- */

static i64 floor_div(i64 a, i64 b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* Days from 1970-01-01 to year-month-day; years start in March so leap days end them. */
static i64 days_from_civil(i64 y, i64 m, i64 d) {
    y -= m <= 2;
    i64 era = floor_div(y, 400);
    i64 yoe = y - era * 400;                                    /* [0, 399] */
    i64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
    i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(i64 z, i64 *y, i64 *m, i64 *d) {
    z += 719468;
    i64 era = floor_div(z, 146097);
    i64 doe = z - era * 146097;
    i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    i64 mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(i64 y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* ---- struct_time ---- */

/* The fields as C's struct tm counts them (tm_year from 1900, months and yday from 0,
 * weekdays from Sunday), plus the zone name. */
typedef struct {
    i64 year, mon, mday, hour, min, sec, wday, yday, isdst;
    const char *zone;
} Tm;

K_STR_LITERAL(zone_gmt, "GMT", 3, 3);
K_STR_LITERAL(zone_utc, "UTC", 3, 3);

/* A struct_time is a KTuple of its 9 items with one more slot after them: its zone
 * (a static str), outside len so the tuple functions never see it. */
static kval *zone_slot(kval t) { return &k_tuple_items(t)[STRUCT_TIME_FIELDS]; }

static const char *const FIELD_NAMES[STRUCT_TIME_FIELDS] = {
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst"};

static kval struct_time_repr(kval t) {
    kval parts = k_parts_new();
    k_parts_lit(parts, "time.struct_time(");
    for (i64 i = 0; i < STRUCT_TIME_FIELDS; i++) {
        k_parts_lit(parts, i ? ", " : "");
        k_parts_lit(parts, FIELD_NAMES[i]);
        k_parts_lit(parts, "=");
        if (!k_parts_repr(parts, k_tuple_get_fast(t, i))) {
            k_decref(parts);
            return 0;
        }
    }
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

static kval struct_time_iter(kval t) { return k_tuple_type.iter(t); }
static void struct_time_clear(KObj *o) { k_tuple_type.clear(o); }

const KType k_struct_time_type = {K_STATIC_HDR(&k_type_type), "struct_time", "time", &k_tuple_type,
                                  sizeof(KTuple), 0, .clear = struct_time_clear, .repr = struct_time_repr,
                                  .hash = k_tuple_hash, .richcmp = k_tuple_richcmp, .len = k_tuple_len,
                                  .iter = struct_time_iter, .contains = k_tuple_contains};

static kval struct_time_new(const Tm *tm) {
    KTuple *t = (KTuple *)k_alloc(&k_struct_time_type, sizeof(KTuple) + (STRUCT_TIME_FIELDS + 1) * sizeof(kval));
    i64 fields[STRUCT_TIME_FIELDS] = {tm->year + 1900, tm->mon + 1, tm->mday, tm->hour, tm->min, tm->sec,
                                      (tm->wday + 6) % 7, tm->yday + 1, tm->isdst};
    t->len = STRUCT_TIME_FIELDS;
    for (i64 i = 0; i < STRUCT_TIME_FIELDS; i++) t->items[i] = k_int_from_i64(fields[i]);
    t->items[STRUCT_TIME_FIELDS] = tm->zone[0] == 'G' ? K_STR_LIT(zone_gmt) : K_STR_LIT(zone_utc);
    return K_VAL(t);
}

/* The broken-down UTC time of secs since the epoch. */
static void tm_from_seconds(i64 secs, Tm *tm) {
    i64 days = floor_div(secs, 86400), rem = secs - days * 86400, y, m, d;
    civil_from_days(days, &y, &m, &d);
    tm->year = y - 1900;
    tm->mon = m - 1;
    tm->mday = d;
    tm->hour = rem / 3600;
    tm->min = rem / 60 % 60;
    tm->sec = rem % 60;
    tm->wday = (days % 7 + 11) % 7;             /* 1970-01-01 was a Thursday (4) */
    tm->yday = days - days_from_civil(y, 1, 1);
    tm->isdst = 0;
}

/* A timestamp argument (None: now) as whole seconds, floats floored (_PyTime_ROUND_FLOOR). */
static bool seconds_arg(kval secs, i64 *out) {
    if (secs == k_None) {
        *out = floor_div(k_os_wall_ns(), NS_PER_SEC);
        return true;
    }
    if (k_type_of(secs) == &k_float_type) {
        double d = k_float_unbox(secs);
        if (d != d) {
            k_raise_str(&k_ValueError_type, "Invalid value NaN (not a number)");
            return false;
        }
        d = k_math_floor(d);
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) goto range;
        *out = (i64)d;
    } else if (k_isinstance(secs, &k_int_type)) {
        if (!k_int_to_i64(secs == k_True ? k_int_small(1) : secs == k_False ? k_int_small(0) : secs, out))
            goto range;
    } else {
        k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(secs)->name);
        return false;
    }
    /* glibc's struct tm keeps the year in an int */
    if (*out / 86400 / 366 > 2147483647 - 1970 || *out / 86400 / 366 < -2147483647 + 1970 - 1900) goto range;
    return true;
range:
    k_raise_str(&k_OverflowError_type, "timestamp out of range for platform time_t");
    return false;
}

static kval broken_down(kval secs, const char *zone) {
    i64 s;
    if (!seconds_arg(secs, &s)) return 0;
    Tm tm;
    tm_from_seconds(s, &tm);
    tm.zone = zone;
    return struct_time_new(&tm);
}

kval k_time_gmtime(kval secs) { return broken_down(secs, "GMT"); }
kval k_time_localtime(kval secs) { return broken_down(secs, "UTC"); }

/* gettmarg + checktm: a struct_time or 9-tuple of ints into tm (CPython's messages). */
static bool tm_from_arg(kval t, const char *func, Tm *tm) {
    if (t == k_None) {
        i64 s = floor_div(k_os_wall_ns(), NS_PER_SEC);
        tm_from_seconds(s, tm);
        tm->zone = "UTC";
        return true;
    }
    if (!k_isinstance(t, &k_tuple_type)) {
        k_raise_str(&k_TypeError_type, "Tuple or struct_time argument required");
        return false;
    }
    if (k_tuple_len_fast(t) != STRUCT_TIME_FIELDS) {
        k_raise_fmt(&k_TypeError_type, "%s(): illegal time tuple argument", func);
        return false;
    }
    i64 f[STRUCT_TIME_FIELDS];
    for (i64 i = 0; i < STRUCT_TIME_FIELDS; i++) {
        kval v = k_tuple_get_fast(t, i);
        if (!k_isinstance(v, &k_int_type)) {
            k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(v)->name);
            return false;
        }
        i64 x;
        bool fits = v == k_True || v == k_False ? (x = v == k_True, true) : k_int_to_i64(v, &x);
        if (!fits || x > 2147483647 || x < -2147483648LL) {     /* C ints, as PyArg_ParseTuple's "i" */
            k_raise_str(&k_OverflowError_type, k_int_cmp(k_int_unbool(v), k_int_small(0)) > 0
                                                   ? "signed integer is greater than maximum"
                                                   : "signed integer is less than minimum");
            return false;
        }
        f[i] = x;
    }
    *tm = (Tm){f[0] - 1900, f[1] - 1, f[2], f[3], f[4], f[5], (f[6] + 1) % 7, f[7] - 1, f[8], "UTC"};
    if (K_OBJ(t)->type == &k_struct_time_type && *zone_slot(t) == K_STR_LIT(zone_gmt)) tm->zone = "GMT";
    const char *err = 0;
    if (tm->mon == -1) tm->mon = 0;
    else if (tm->mon < 0 || tm->mon > 11) err = "month out of range";
    if (tm->mday == 0) tm->mday = 1;
    else if (!err && (tm->mday < 0 || tm->mday > 31)) err = "day of month out of range";
    if (!err && (tm->hour < 0 || tm->hour > 23)) err = "hour out of range";
    if (!err && (tm->min < 0 || tm->min > 59)) err = "minute out of range";
    if (!err && (tm->sec < 0 || tm->sec > 61)) err = "seconds out of range";
    if (!err && tm->wday < 0) err = "day of week out of range";
    if (tm->yday == -1) tm->yday = 0;
    else if (!err && (tm->yday < 0 || tm->yday > 365)) err = "day of year out of range";
    if (err) {
        k_raise_str(&k_ValueError_type, err);
        return false;
    }
    if (tm->isdst < -1) tm->isdst = -1;
    else if (tm->isdst > 1) tm->isdst = 1;
    return true;
}

/* ---- strftime ---- */

typedef struct { u8 *p; i64 len, cap; } Buf;

static void put(Buf *b, const char *s, i64 n) {
    if (b->len + n > b->cap) {
        i64 cap = b->cap * 2 > b->len + n ? b->cap * 2 : b->len + n + 64;
        b->p = k_mrealloc(b->p, (u64)b->cap, (u64)cap);
        b->cap = cap;
    }
    for (i64 i = 0; i < n; i++) b->p[b->len++] = (u8)s[i];
}

static i64 cstr_len(const char *s) {
    i64 n = 0;
    while (s[n]) n++;
    return n;
}

/* A conversion's flag and width, as glibc reads them: '-' no padding, '_' spaces,
 * '0' zeros, '^' upper case, '#' swapped case. */
typedef struct { char pad; bool upcase, swapcase; i64 width; } Spec;

static void put_padded(Buf *b, const Spec *sp, const char *s, i64 n, char pad) {
    for (i64 i = n; sp->pad != '-' && i < sp->width; i++) put(b, &pad, 1);
    put(b, s, n);
}

static void put_text(Buf *b, const Spec *sp, const char *s) {
    char tmp[64];
    i64 n = cstr_len(s);
    for (i64 i = 0; i < n && i < 63; i++) {
        char c = s[i];
        if (sp->upcase || sp->swapcase) c = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        tmp[i] = c;
    }
    put_padded(b, sp, tmp, n, sp->pad == '0' ? '0' : ' ');
}

/* A number at least `digits` wide, padded with pad (unless the spec says otherwise). */
static void put_num(Buf *b, const Spec *sp, i64 v, int digits, char pad) {
    char tmp[24];
    int n = 0;
    u64 m = v < 0 ? 0 - (u64)v : (u64)v;
    do tmp[23 - n++] = (char)('0' + m % 10);
    while (m /= 10);
    if (sp->pad == '_' || sp->pad == '0') pad = sp->pad == '_' ? ' ' : '0';
    i64 width = sp->width > digits ? sp->width : digits;
    if (v < 0) {
        put(b, "-", 1);
        width--;
    }
    for (i64 i = n; sp->pad != '-' && i < width; i++) put(b, &pad, 1);
    put(b, tmp + 24 - n, n);
}

static const char *const WDAY[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const MONTH[12] = {"January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December"};

static void put_abbrev(Buf *b, const Spec *sp, const char *name) {
    char s[4] = {name[0], name[1], name[2], 0};
    put_text(b, sp, s);
}

/* The ISO 8601 week-based year and week of tm (weeks start on Monday; week 1 holds the
 * year's first Thursday). */
static void iso_week(const Tm *tm, i64 *year, i64 *week) {
    i64 y = tm->year + 1900;
    i64 thursday = tm->yday - (tm->wday + 6) % 7 + 3;     /* this week's Thursday, as a yday */
    if (thursday < 0) {
        y--;
        thursday += is_leap(y) ? 366 : 365;
    } else if (thursday >= (is_leap(y) ? 366 : 365)) {
        thursday -= is_leap(y) ? 366 : 365;
        y++;
    }
    *year = y;
    *week = thursday / 7 + 1;
}

static void format_tm(Buf *b, const u8 *f, i64 n, const Tm *tm);

static void format_sub(Buf *b, const char *fmt, const Tm *tm) { format_tm(b, (const u8 *)fmt, cstr_len(fmt), tm); }

/* One conversion c of tm; false when c is not one (glibc then copies the text). */
static bool convert(Buf *b, char c, const Spec *sp, const Tm *tm) {
    i64 year = tm->year + 1900, hour12 = tm->hour % 12 ? tm->hour % 12 : 12, iso_y, iso_w;
    Spec lower = *sp;           /* for %p and %Z, '#' means lower case (and beats '^') */
    lower.upcase = sp->upcase && !sp->swapcase;
    lower.swapcase = false;
    switch (c) {
    case 'a': put_abbrev(b, sp, WDAY[(tm->wday % 7 + 7) % 7]); break;
    case 'A': put_text(b, sp, WDAY[(tm->wday % 7 + 7) % 7]); break;
    case 'b': case 'h': put_abbrev(b, sp, MONTH[tm->mon]); break;
    case 'B': put_text(b, sp, MONTH[tm->mon]); break;
    case 'c': format_sub(b, "%a %b %e %H:%M:%S %Y", tm); break;
    case 'C': put_num(b, sp, floor_div(year, 100), 1, '0'); break;   /* glibc pads no "yearish" field */
    case 'd': put_num(b, sp, tm->mday, 2, '0'); break;
    case 'D': case 'x': format_sub(b, "%m/%d/%y", tm); break;
    case 'e': put_num(b, sp, tm->mday, 2, ' '); break;
    case 'F': format_sub(b, "%Y-%m-%d", tm); break;
    case 'G': iso_week(tm, &iso_y, &iso_w); put_num(b, sp, iso_y, 1, '0'); break;
    case 'g': iso_week(tm, &iso_y, &iso_w); put_num(b, sp, (iso_y % 100 + 100) % 100, 2, '0'); break;
    case 'H': put_num(b, sp, tm->hour, 2, '0'); break;
    case 'I': put_num(b, sp, hour12, 2, '0'); break;
    case 'j': put_num(b, sp, tm->yday + 1, 3, '0'); break;
    case 'k': put_num(b, sp, tm->hour, 2, ' '); break;
    case 'l': put_num(b, sp, hour12, 2, ' '); break;
    case 'm': put_num(b, sp, tm->mon + 1, 2, '0'); break;
    case 'M': put_num(b, sp, tm->min, 2, '0'); break;
    case 'n': put(b, "\n", 1); break;
    case 'p': put_text(b, &lower, sp->swapcase ? (tm->hour < 12 ? "am" : "pm") : (tm->hour < 12 ? "AM" : "PM")); break;
    case 'P': put_text(b, sp, tm->hour < 12 ? "am" : "pm"); break;
    case 'r': format_sub(b, "%I:%M:%S %p", tm); break;
    case 'R': format_sub(b, "%H:%M", tm); break;
    case 's': put_num(b, sp, (days_from_civil(year, tm->mon + 1, 1) + tm->mday - 1) * 86400 + tm->hour * 3600 +
                             tm->min * 60 + tm->sec, 1, '0'); break;
    case 'S': put_num(b, sp, tm->sec, 2, '0'); break;
    case 't': put(b, "\t", 1); break;
    case 'T': case 'X': format_sub(b, "%H:%M:%S", tm); break;
    case 'u': put_num(b, sp, (tm->wday + 6) % 7 + 1, 1, '0'); break;
    case 'U': put_num(b, sp, (tm->yday - tm->wday + 7) / 7, 2, '0'); break;
    case 'V': iso_week(tm, &iso_y, &iso_w); put_num(b, sp, iso_w, 2, '0'); break;
    case 'w': put_num(b, sp, tm->wday, 1, '0'); break;
    case 'W': put_num(b, sp, (tm->yday - (tm->wday + 6) % 7 + 7) / 7, 2, '0'); break;
    case 'y': put_num(b, sp, (year % 100 + 100) % 100, 2, '0'); break;
    case 'Y': put_num(b, sp, year, 1, '0'); break;
    case 'z': put(b, "+0000", 5); break;        /* every time here is UTC */
    case 'Z': put_text(b, &lower, sp->swapcase ? (tm->zone[0] == 'G' ? "gmt" : "utc") : tm->zone); break;
    case '%': put(b, "%", 1); break;
    default: return false;
    }
    return true;
}

static void format_tm(Buf *b, const u8 *f, i64 n, const Tm *tm) {
    for (i64 i = 0; i < n; i++) {
        if (f[i] != '%') {
            put(b, (const char *)&f[i], 1);
            continue;
        }
        i64 start = i++;
        Spec sp = {0, false, false, -1};
        for (; i < n; i++) {
            if (f[i] == '-' || f[i] == '_' || f[i] == '0') sp.pad = (char)f[i];
            else if (f[i] == '^') sp.upcase = true;
            else if (f[i] == '#') sp.swapcase = true;
            else break;
        }
        for (; i < n && f[i] >= '0' && f[i] <= '9'; i++) sp.width = (sp.width < 0 ? 0 : sp.width) * 10 + (f[i] - '0');
        if (i < n && (f[i] == 'E' || f[i] == 'O')) i++;     /* locale modifiers: the C locale ignores them */
        if (i >= n || !convert(b, (char)f[i], &sp, tm)) {
            if (i >= n) i = n - 1;
            put(b, (const char *)&f[start], i - start + 1);  /* not a conversion: copied as written */
        }
    }
}

kval k_time_strftime(kval format, kval t) {
    Tm tm;
    if (!tm_from_arg(t, "strftime", &tm)) return 0;
    for (i64 i = 0; i < k_str_nbytes(format); i++) {
        if (k_str_data(format)[i] == 0) {
            k_raise_str(&k_ValueError_type, "embedded null character");
            return 0;
        }
    }
    Buf b = {0};
    format_tm(&b, k_str_data(format), k_str_nbytes(format), &tm);
    kval out = k_str_from_utf8(b.p ? b.p : (const u8 *)"", b.len);
    k_mfree(b.p);
    return out;
}

/* "Thu Jan  1 00:00:00 1970": CPython's own format, not strftime's. */
static kval asctime_of(const Tm *tm) {
    Buf b = {0};
    Spec none = {0, false, false, -1};
    put_abbrev(&b, &none, WDAY[tm->wday % 7]);
    put(&b, " ", 1);
    put_abbrev(&b, &none, MONTH[tm->mon]);
    put(&b, " ", 1);
    put_num(&b, &none, tm->mday, 2, ' ');
    format_sub(&b, " %H:%M:%S ", tm);
    put_num(&b, &none, tm->year + 1900, 1, '0');
    kval out = k_str_from_utf8(b.p, b.len);
    k_mfree(b.p);
    return out;
}

kval k_time_asctime(kval t) {
    Tm tm;
    return tm_from_arg(t, "asctime", &tm) ? asctime_of(&tm) : 0;
}

kval k_time_ctime(kval secs) {
    i64 s;
    if (!seconds_arg(secs, &s)) return 0;
    Tm tm;
    tm_from_seconds(s, &tm);
    tm.zone = "UTC";
    return asctime_of(&tm);
}

/* ---- struct_time's attributes ---- */

#define FIELD(name, i) \
    kval k_struct_time_##name(kval t) { return k_newref(k_tuple_get_fast(t, i)); }
FIELD(tm_year, 0)
FIELD(tm_mon, 1)
FIELD(tm_mday, 2)
FIELD(tm_hour, 3)
FIELD(tm_min, 4)
FIELD(tm_sec, 5)
FIELD(tm_wday, 6)
FIELD(tm_yday, 7)
FIELD(tm_isdst, 8)

kval k_struct_time_tm_zone(kval t) { return k_newref(*zone_slot(t)); }
kval k_struct_time_tm_gmtoff(kval t) { return k_int_small(0); }
