/* The Kaa C prelude, included by every generated translation unit.
 *
 * It holds what the emitted C needs that Kaa Python cannot say itself: the integer
 * typedefs, Python's floor division, bounds and shift checks, the intrinsics as inline
 * assembly, and the few runtime entry points the kernel (or the host platform module)
 * exports: kaa_panic, kaa_alloc, kaa_free, kaa_console_write.
 * __kaa_host__ is defined when building for Linux user space (--target host).
 */
#pragma once

typedef signed char i8;
typedef short i16;
typedef int i32;
typedef long long i64;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef _Bool bool;
#define true 1
#define false 0
#define INT64_MAX 0x7fffffffffffffffLL
#define INT64_MIN (-INT64_MAX - 1)

/* Helpers are inlined and debug info charges them to the calling Kaa line. */
#define KAA_INLINE static inline __attribute__((always_inline, artificial))

typedef struct { const u8 *ptr; u64 len; } kaa_str;
#define KAA_STR(s) ((kaa_str){(const u8 *)(s), sizeof(s) - 1})

/* Exported by Kaa modules (kernel/lib/rt.py and the platform module). */
_Noreturn void kaa_panic(kaa_str msg, kaa_str file, i32 line);
_Noreturn void kaa_panic_index(i64 index, u64 len, kaa_str file, i32 line);
void *kaa_alloc(u64 size);               /* zeroed; NULL when memory is exhausted */
void kaa_free(void *p);
void kaa_console_write(u8 *buf, u64 len);

KAA_INLINE void *kaa_new(u64 size, kaa_str file, i32 line) {
    void *p = kaa_alloc(size);
    if (!p) kaa_panic(KAA_STR("out of memory"), file, line);
    return p;
}

/* Python's // and % (floor division; the remainder takes the divisor's sign). */
KAA_INLINE i64 kaa_fdiv_s(i64 a, i64 b, kaa_str file, i32 line) {
    if (b == 0) kaa_panic(KAA_STR("integer division by zero"), file, line);
    if (b == -1) return (i64)(0ULL - (u64)a);          /* INT_MIN // -1 wraps */
    i64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

KAA_INLINE i64 kaa_fmod_s(i64 a, i64 b, kaa_str file, i32 line) {
    if (b == 0) kaa_panic(KAA_STR("integer modulo by zero"), file, line);
    if (b == -1) return 0;
    i64 r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

KAA_INLINE u64 kaa_fdiv_u(u64 a, u64 b, kaa_str file, i32 line) {
    if (b == 0) kaa_panic(KAA_STR("integer division by zero"), file, line);
    return a / b;
}

KAA_INLINE u64 kaa_fmod_u(u64 a, u64 b, kaa_str file, i32 line) {
    if (b == 0) kaa_panic(KAA_STR("integer modulo by zero"), file, line);
    return a % b;
}

KAA_INLINE u32 kaa_shift(i64 n, u32 bits, kaa_str file, i32 line) {
    if ((u64)n >= bits) kaa_panic(KAA_STR("shift count out of range"), file, line);
    return (u32)n;
}

KAA_INLINE u64 kaa_index(i64 i, u64 len, kaa_str file, i32 line) {
    if ((u64)i >= len) kaa_panic_index(i, len, file, line);
    return (u64)i;
}

KAA_INLINE void kaa_check_slice(i64 lo, i64 hi, u64 len, kaa_str file, i32 line) {
    if (lo < 0 || hi < lo || (u64)hi > len)
        kaa_panic(KAA_STR("slice bounds out of range"), file, line);
}

/* Iterations of range(start, stop, step), computed so the counter never overflows. */
KAA_INLINE u64 kaa_range_s(i64 start, i64 stop, i64 step, kaa_str file, i32 line) {
    if (step == 0) kaa_panic(KAA_STR("range() step is zero"), file, line);
    if (step > 0) return stop > start ? ((u64)stop - (u64)start - 1) / (u64)step + 1 : 0;
    return start > stop ? ((u64)start - (u64)stop - 1) / (0ULL - (u64)step) + 1 : 0;
}

KAA_INLINE u64 kaa_range_u(u64 start, u64 stop, i64 step, kaa_str file, i32 line) {
    if (step == 0) kaa_panic(KAA_STR("range() step is zero"), file, line);
    if (step > 0) return stop > start ? (stop - start - 1) / (u64)step + 1 : 0;
    return start > stop ? (start - stop - 1) / (0ULL - (u64)step) + 1 : 0;
}

KAA_INLINE bool kaa_str_eq(kaa_str a, kaa_str b) {
    if (a.len != b.len) return 0;
    for (u64 i = 0; i < a.len; i++)
        if (a.ptr[i] != b.ptr[i]) return 0;
    return 1;
}

/* f64 (C double). Used only from files compiled with SSE (emit_c.SSE_MARKER); elsewhere
 * these are unused static functions, which -mgeneral-regs-only lets pass.
 * Converting to an integer truncates toward zero, as Python's int(x) does; the value must
 * lie strictly between lo and hi (the doubles just outside the target type's range, which
 * the compiler passes as constants), else it panics: NaN fails both comparisons. */
KAA_INLINE i64 kaa_f64_to_s(double x, double lo, double hi, kaa_str file, i32 line) {
    if (!(x > lo && x < hi)) kaa_panic(KAA_STR("f64 to integer: NaN or out of range"), file, line);
    return (i64)x;
}
KAA_INLINE u64 kaa_f64_to_u(double x, double lo, double hi, kaa_str file, i32 line) {
    if (!(x > lo && x < hi)) kaa_panic(KAA_STR("f64 to integer: NaN or out of range"), file, line);
    return (u64)x;
}
/* sqrtsd: correctly rounded in the current MXCSR rounding mode, as IEEE 754 asks. */
KAA_INLINE double kaa_sqrt(double x) {
    double r;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
    return r;
}
KAA_INLINE u64 kaa_bits(double x) { u64 u; __builtin_memcpy(&u, &x, sizeof u); return u; }
KAA_INLINE double kaa_from_bits(u64 u) { double x; __builtin_memcpy(&x, &u, sizeof x); return x; }

/* Every file compiled with SSE (gcc defines __SSE2__ unless -mgeneral-regs-only) leaves
 * a byte in section kaa_sse, which the kernel's linker script brackets: an image whose
 * section is empty has no floating-point code, and its kernel skips the SSE control
 * instructions (kernel/arch/x86_64/cpu.py, context.py). */
#if defined(__SSE2__) && !defined(__kaa_host__)
static const u8 kaa_sse_object __attribute__((used, section("kaa_sse"))) = 1;
#endif

/* Port I/O, MMIO, MSRs, control registers. */
KAA_INLINE void kaa_outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
KAA_INLINE void kaa_outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
KAA_INLINE void kaa_outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
KAA_INLINE u8 kaa_inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
KAA_INLINE u16 kaa_inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
KAA_INLINE u32 kaa_inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

#define KAA_MMIO(bits)                                                                 \
    KAA_INLINE u##bits kaa_mmio_read##bits(u64 a) { return *(volatile u##bits *)a; } \
    KAA_INLINE void kaa_mmio_write##bits(u64 a, u##bits v) { *(volatile u##bits *)a = v; }
KAA_MMIO(8)
KAA_MMIO(16)
KAA_MMIO(32)
KAA_MMIO(64)

KAA_INLINE u64 kaa_rdmsr(u32 msr) {
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}
KAA_INLINE void kaa_wrmsr(u32 msr, u64 v) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}
KAA_INLINE u64 kaa_rdtsc(void) {
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}
KAA_INLINE void kaa_pause(void) { __asm__ volatile("pause"); }
KAA_INLINE void kaa_mfence(void) { __asm__ volatile("mfence" : : : "memory"); }
KAA_INLINE void kaa_lfence(void) { __asm__ volatile("lfence" : : : "memory"); }
KAA_INLINE void kaa_sfence(void) { __asm__ volatile("sfence" : : : "memory"); }
KAA_INLINE void kaa_barrier(void) { __asm__ volatile("" : : : "memory"); }

#define KAA_CR(n)                                                                            \
    KAA_INLINE u64 kaa_read_cr##n(void) { u64 v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }
KAA_CR(0)
KAA_CR(2)
KAA_CR(3)
KAA_CR(4)
KAA_INLINE void kaa_write_cr0(u64 v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
KAA_INLINE void kaa_write_cr3(u64 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
KAA_INLINE void kaa_write_cr4(u64 v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

/* Interrupt flag. On the host these are no-ops: user space cannot mask interrupts. */
#ifdef __kaa_host__
KAA_INLINE void kaa_hlt(void) {}
KAA_INLINE void kaa_cli(void) {}
KAA_INLINE void kaa_sti(void) {}
KAA_INLINE u64 kaa_irq_save(void) { return 0; }
KAA_INLINE void kaa_irq_restore(u64 flags) { (void)flags; }
#else
KAA_INLINE void kaa_hlt(void) { __asm__ volatile("hlt"); }
KAA_INLINE void kaa_cli(void) { __asm__ volatile("cli" : : : "memory"); }
KAA_INLINE void kaa_sti(void) { __asm__ volatile("sti" : : : "memory"); }
KAA_INLINE u64 kaa_irq_save(void) {
    u64 flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}
KAA_INLINE void kaa_irq_restore(u64 flags) {
    if (flags & (1 << 9)) __asm__ volatile("sti" : : : "memory");
}
#endif

KAA_INLINE void kaa_spin_lock(u32 *v) {
    while (__atomic_exchange_n(v, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(v, __ATOMIC_RELAXED)) kaa_pause();
}
KAA_INLINE void kaa_spin_unlock(u32 *v) { __atomic_store_n(v, 0, __ATOMIC_RELEASE); }
