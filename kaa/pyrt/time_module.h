/* time_module.c: Python's time module over the platform's clocks (osrandom.h).
 *
 * The machine's time zone is UTC: localtime() is gmtime() named "UTC" (gmtime's struct
 * is named "GMT", as glibc names it). struct_time is a tuple of 9 ints (a KTuple whose
 * type is k_struct_time_type), so it compares, hashes and iterates as a tuple.
 * Functions returning double set k_exc and return -1.0 when they raise; kval ones 0.
 */
#pragma once
#include "object.h"

extern const KType k_struct_time_type;

double k_time_time(void);
kval k_time_time_ns(void);
double k_time_monotonic(void);
kval k_time_monotonic_ns(void);
double k_time_perf_counter(void);
kval k_time_perf_counter_ns(void);
int k_time_sleep(double secs);                  /* status; ValueError for negative or NaN */
kval k_time_gmtime(kval secs);                  /* secs: None (now), int or float (floored) */
kval k_time_localtime(kval secs);
kval k_time_strftime(kval format, kval t);      /* t: struct_time, a 9-tuple, or None (localtime()) */
kval k_time_asctime(kval t);
kval k_time_ctime(kval secs);

/* struct_time's attributes (tm_year ... tm_isdst are its items; tm_zone, tm_gmtoff). */
kval k_struct_time_tm_year(kval t);
kval k_struct_time_tm_mon(kval t);
kval k_struct_time_tm_mday(kval t);
kval k_struct_time_tm_hour(kval t);
kval k_struct_time_tm_min(kval t);
kval k_struct_time_tm_sec(kval t);
kval k_struct_time_tm_wday(kval t);
kval k_struct_time_tm_yday(kval t);
kval k_struct_time_tm_isdst(kval t);
kval k_struct_time_tm_zone(kval t);
kval k_struct_time_tm_gmtoff(kval t);
