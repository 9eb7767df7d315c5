/* What the platform gives the runtime, for loading kaa/pyrt into CPython with ctypes:
 * the C library's allocator, and console output captured in a buffer tests read back. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "kaa_rt.h"

static u8 captured[1 << 20];
static u64 captured_len;

void *kaa_alloc(u64 size) { return calloc(1, size); }
void kaa_free(void *p) { free(p); }

void kaa_console_write(u8 *buf, u64 len) {
    if (captured_len + len > sizeof captured) len = sizeof captured - captured_len;
    memcpy(captured + captured_len, buf, len);
    captured_len += len;
}

/* Tests read and reset the captured console output. */
u64 shim_take_output(u8 *out, u64 cap) {
    u64 n = captured_len < cap ? captured_len : cap;
    memcpy(out, captured, n);
    captured_len = 0;
    return n;
}

_Noreturn void kaa_panic(kaa_str msg, kaa_str file, i32 line) {
    fprintf(stderr, "panic: %.*s (%.*s:%d)\n", (int)msg.len, msg.ptr, (int)file.len, file.ptr, line);
    abort();
}

_Noreturn void kaa_panic_index(i64 index, u64 len, kaa_str file, i32 line) {
    fprintf(stderr, "panic: index %lld out of range for %llu (%.*s:%d)\n", index, len, (int)file.len, file.ptr, line);
    abort();
}

void kaa_exit(i32 status) { exit(status); }

/* The kernel's command line (sys.argv's words): empty in tests. */
kaa_str kernel_cmdline__args(void) { return (kaa_str){(const u8 *)"", 0}; }

/* osrandom.h: entropy, clocks and sleep from Linux, as kernel/platform/host.py gives them. */
#include <sys/random.h>
#include <time.h>

void k_os_random(u8 *buf, i64 n) {
    while (n > 0) {
        ssize_t got = getrandom(buf, (size_t)n, 0);
        if (got <= 0) abort();
        buf += got;
        n -= got;
    }
}

static i64 shim_clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (i64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

i64 k_os_monotonic_ns(void) { return shim_clock_ns(CLOCK_MONOTONIC); }
i64 k_os_wall_ns(void) { return shim_clock_ns(CLOCK_REALTIME); }

void k_os_sleep_ns(i64 ns) {
    struct timespec ts = {ns / 1000000000, ns % 1000000000};
    while (nanosleep(&ts, &ts) != 0) {}
}
