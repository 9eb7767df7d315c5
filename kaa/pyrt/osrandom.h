/* osrandom.c: what the platform under a service provides: entropy, clocks and sleeping.
 * The kernel-level side (kernel/clock.py, kernel/platform/host.py) exports these. */
#pragma once
#include "kaa_rt.h"

/* Fills buf[0..n) with unpredictable bytes (RDSEED/RDRAND in the guest, getrandom(2) on the host). */
void k_os_random(u8 *buf, i64 n);
/* Nanoseconds of a clock that never goes backwards (arbitrary origin). */
i64 k_os_monotonic_ns(void);
/* Nanoseconds since the Unix epoch (UTC). */
i64 k_os_wall_ns(void);
/* Blocks the calling thread for at least ns nanoseconds. */
void k_os_sleep_ns(i64 ns);
