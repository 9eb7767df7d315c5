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
u64 kaa_stack_low(void) { return 0; }           /* the host's stack: not checked (as kernel/platform/host.py) */

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

/* file.h: the host's files, as kernel/platform/host_files.py gives them (-errno on failure). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char shim_path[2][4097];

static const char *c_path(kaa_str p, int which) {
    if (p.len > 4096) return 0;
    memcpy(shim_path[which], p.ptr, p.len);
    shim_path[which][p.len] = 0;
    return shim_path[which];
}

static i64 shim_result(i64 r) { return r < 0 ? -errno : r; }

i64 k_fs_open(kaa_str path, i64 flags) {
    const char *p = c_path(path, 0);
    if (!p) return -ENAMETOOLONG;
    int how = (flags & 1) && (flags & 2) ? O_RDWR : (flags & 2) ? O_WRONLY : O_RDONLY;
    how |= (flags & 4 ? O_CREAT : 0) | (flags & 8 ? O_TRUNC : 0) | (flags & 16 ? O_APPEND : 0);
    how |= flags & 32 ? O_EXCL : 0;
    int fd = open(p, how | O_CLOEXEC, 0666);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return -EISDIR;
    }
    return shim_result(fd);
}

i64 k_fs_close(i64 fd) { return shim_result(close((int)fd)); }
i64 k_fs_read(i64 fd, u8 *buf, i64 n) { return shim_result(read((int)fd, buf, (size_t)n)); }
i64 k_fs_write(i64 fd, const u8 *buf, i64 n) { return shim_result(write((int)fd, buf, (size_t)n)); }
i64 k_fs_seek(i64 fd, i64 offset, i64 whence) { return shim_result(lseek((int)fd, offset, (int)whence)); }
i64 k_fs_truncate(i64 fd, i64 size) { return shim_result(ftruncate((int)fd, size)); }
i64 k_fs_sync(i64 fd) { return shim_result(fsync((int)fd)); }

i64 k_fs_stat(kaa_str path, i64 fd, i64 *out) {
    struct stat st;
    const char *p = fd >= 0 ? "" : c_path(path, 0);
    if (!p) return -ENAMETOOLONG;
    if ((fd >= 0 ? fstat((int)fd, &st) : stat(p, &st)) < 0) return -errno;
    i64 v[] = {st.st_mode, (i64)st.st_ino, (i64)st.st_nlink, st.st_size,
               st.st_atim.tv_sec * 1000000000LL + st.st_atim.tv_nsec,
               st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
               st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec};
    memcpy(out, v, sizeof v);
    return 0;
}

i64 k_fs_mkdir(kaa_str path, i64 mode) {
    const char *p = c_path(path, 0);
    return p ? shim_result(mkdir(p, (mode_t)(mode & 07777))) : -ENAMETOOLONG;
}

i64 k_fs_rmdir(kaa_str path) { const char *p = c_path(path, 0); return p ? shim_result(rmdir(p)) : -ENAMETOOLONG; }
i64 k_fs_unlink(kaa_str path) { const char *p = c_path(path, 0); return p ? shim_result(unlink(p)) : -ENAMETOOLONG; }

i64 k_fs_rename(kaa_str old_path, kaa_str new_path) {
    const char *a = c_path(old_path, 0), *b = c_path(new_path, 1);
    return a && b ? shim_result(rename(a, b)) : -ENAMETOOLONG;
}

i64 k_fs_opendir(kaa_str path) {
    const char *p = c_path(path, 0);
    if (!p) return -ENAMETOOLONG;
    DIR *d = opendir(p);
    return d ? (i64)(u64)d : -errno;
}

i64 k_fs_readdir(i64 dir, u8 *name, i64 cap) {
    for (;;) {
        errno = 0;
        struct dirent *e = readdir((DIR *)(u64)dir);
        if (!e) return -errno;
        i64 n = (i64)strlen(e->d_name);
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n > cap) return -ENAMETOOLONG;
        memcpy(name, e->d_name, (size_t)n);
        return n;
    }
}

i64 k_fs_closedir(i64 dir) { return shim_result(closedir((DIR *)(u64)dir)); }
