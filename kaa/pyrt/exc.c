/* Exceptions: the built-in exception classes, raising, the traceback an exception
 * gathers as it unwinds, and what happens when one escapes the program.
 *
 * Model: a call that raises stores the exception in k_exc and returns its error value;
 * each generated function tests k_exc after calls that can raise, records its own frame
 * (k_traceback_add: file, line, function, source line) the first time the exception
 * passes through it, then jumps to its handler or its exit. A bare `raise` re-raises
 * without a new frame, as CPython's RERAISE. While an `except` block runs, the caught
 * exception sits on the handled stack (k_exc_enter/k_exc_leave), so an exception raised
 * there gets it as __context__ ("During handling of the above exception...").
 * Instances: KException, or a compiler-made struct that starts with one (user classes
 * with fields).
 */
#include "object.h"
#include "str.h"
#include "tuple.h"
#include "int.h"

typedef struct {
    const char *file, *func, *source;
    i32 line;
} TbFrame;

typedef struct {
    KObj hdr;
    i64 n, cap;
    TbFrame *frames;        /* innermost first (append order) */
} KTraceback;

static void traceback_clear(KObj *o) { k_mfree(((KTraceback *)o)->frames); }
static const KType traceback_type = {K_STATIC_HDR(&k_type_type), "traceback", "builtins", &k_object_type,
                                     sizeof(KTraceback), 0, .clear = traceback_clear};

/* ---- exception objects ---- */

void k_exc_clear(KObj *o) {
    KException *e = (KException *)o;
    k_xdecref(e->args);
    k_xdecref(e->cause);
    k_xdecref(e->context);
    k_xdecref(e->traceback);
}

kval k_exc_new(const KType *t, kval args) {
    KException *e = (KException *)k_alloc(t, t->size);
    e->args = k_newref(args);
    return K_VAL(e);
}

static kval exc_args(kval self) { return ((KException *)self)->args; }

/* str(e): '' with no arguments, str(arg) with one, str(args) with several. */
static kval exc_str(kval self) {
    kval args = exc_args(self);
    i64 n = ((KTuple *)args)->len;
    if (n == 0) return k_str_from_ascii("", 0);
    if (n == 1) return k_str(((KTuple *)args)->items[0]);
    return k_str(args);
}

/* KeyError shows its key as repr: KeyError('a') prints as 'a'. */
static kval keyerror_str(kval self) {
    kval args = exc_args(self);
    if (((KTuple *)args)->len == 1) return k_repr(((KTuple *)args)->items[0]);
    return exc_str(self);
}

/* repr(e): ValueError('bad'), ValueError(), ValueError('a', 1). */
static kval exc_repr(kval self) {
    kval args = exc_args(self);
    const char *name = k_type_of(self)->name;
    kval parts[3];
    parts[0] = k_str_from_cstr(name);
    if (((KTuple *)args)->len == 1) {
        kval inner = k_repr(((KTuple *)args)->items[0]);
        if (!inner) { k_decref(parts[0]); return 0; }
        kval open = k_str_from_ascii("(", 1), close = k_str_from_ascii(")", 1);
        kval all[4] = {parts[0], open, inner, close};
        kval r = k_str_join_parts(all, 4);
        k_decref(open); k_decref(close); k_decref(inner); k_decref(parts[0]);
        return r;
    }
    parts[1] = k_repr(args);
    if (!parts[1]) { k_decref(parts[0]); return 0; }
    kval r = k_str_join_parts(parts, 2);
    k_decref(parts[0]);
    k_decref(parts[1]);
    return r;
}

#define EXC_TYPE(NAME, BASE, STR)                                                                     \
    const KType k_##NAME##_type = {K_STATIC_HDR(&k_type_type), #NAME, "builtins", BASE, sizeof(KException), \
                                   K_TF_EXCEPTION, .clear = k_exc_clear, .repr = exc_repr, .str = STR};
EXC_TYPE(BaseException, &k_object_type, exc_str)
EXC_TYPE(SystemExit, &k_BaseException_type, exc_str)
EXC_TYPE(Exception, &k_BaseException_type, exc_str)
EXC_TYPE(ArithmeticError, &k_Exception_type, exc_str)
EXC_TYPE(ZeroDivisionError, &k_ArithmeticError_type, exc_str)
EXC_TYPE(OverflowError, &k_ArithmeticError_type, exc_str)
EXC_TYPE(AssertionError, &k_Exception_type, exc_str)
EXC_TYPE(AttributeError, &k_Exception_type, exc_str)
EXC_TYPE(LookupError, &k_Exception_type, exc_str)
EXC_TYPE(IndexError, &k_LookupError_type, exc_str)
EXC_TYPE(KeyError, &k_LookupError_type, keyerror_str)
EXC_TYPE(MemoryError, &k_Exception_type, exc_str)
EXC_TYPE(NameError, &k_Exception_type, exc_str)
EXC_TYPE(UnboundLocalError, &k_NameError_type, exc_str)
EXC_TYPE(RuntimeError, &k_Exception_type, exc_str)
EXC_TYPE(NotImplementedError, &k_RuntimeError_type, exc_str)
EXC_TYPE(RecursionError, &k_RuntimeError_type, exc_str)
EXC_TYPE(StopIteration, &k_Exception_type, exc_str)
EXC_TYPE(TypeError, &k_Exception_type, exc_str)
EXC_TYPE(ValueError, &k_Exception_type, exc_str)
EXC_TYPE(UnicodeError, &k_ValueError_type, exc_str)
EXC_TYPE(UnicodeDecodeError, &k_UnicodeError_type, exc_str)
EXC_TYPE(UnicodeEncodeError, &k_UnicodeError_type, exc_str)

/* OSError(errno, strerror[, filename[, winerror[, filename2]]]): with 2 to 5 arguments
 * the first two are errno and strerror (as CPython's oserror_init; otherwise both are
 * None), and str() is "[Errno 111] Connection refused" (": 'name'" after it with a
 * filename). The attributes are read from args (k_oserror_errno), so a subclass that
 * sets its args through super().__init__ gets them too. CPython's choice of a subclass
 * by errno (OSError(111, ...) making a ConnectionRefusedError) is not done. */
static i64 oserror_fields(kval self, kval *errno_, kval *strerror, kval *filename, kval *filename2) {
    KTuple *a = (KTuple *)exc_args(self);
    *errno_ = *strerror = *filename = *filename2 = k_None;
    if (a->len < 2 || a->len > 5) return 0;
    *errno_ = a->items[0];
    *strerror = a->items[1];
    if (a->len >= 3) *filename = a->items[2];
    if (a->len == 5) *filename2 = a->items[4];
    return a->len;
}

kval k_oserror_errno(kval self) {
    kval e, s, f, f2;
    oserror_fields(self, &e, &s, &f, &f2);
    return k_newref(e);
}

kval k_oserror_strerror(kval self) {
    kval e, s, f, f2;
    oserror_fields(self, &e, &s, &f, &f2);
    return k_newref(s);
}

kval k_oserror_filename(kval self) {
    kval e, s, f, f2;
    oserror_fields(self, &e, &s, &f, &f2);
    return k_newref(f);
}

static kval oserror_str(kval self) {
    kval e, s, f, f2;
    if (!oserror_fields(self, &e, &s, &f, &f2)) return exc_str(self);
    kval parts[7] = {k_str_from_ascii("[Errno ", 7), k_str(e), k_str_from_ascii("] ", 2), k_str(s), 0, 0, 0};
    i64 n = 4;
    if (f != k_None) {
        parts[n++] = k_str_from_ascii(": ", 2);
        parts[n++] = k_repr(f);
        if (f2 != k_None) {
            kval arrow = k_str_from_ascii(" -> ", 4), r2 = k_repr(f2);
            kval tail[2] = {arrow, r2};
            parts[n++] = arrow && r2 ? k_str_join_parts(tail, 2) : 0;
            k_xdecref(arrow);
            k_xdecref(r2);
        }
    }
    bool ok = true;
    for (i64 i = 0; i < n; i++) ok = ok && parts[i];
    kval r = ok ? k_str_join_parts(parts, n) : 0;
    for (i64 i = 0; i < n; i++) k_xdecref(parts[i]);
    return r;
}

EXC_TYPE(OSError, &k_Exception_type, oserror_str)
EXC_TYPE(BlockingIOError, &k_OSError_type, oserror_str)
EXC_TYPE(ConnectionError, &k_OSError_type, oserror_str)
EXC_TYPE(BrokenPipeError, &k_ConnectionError_type, oserror_str)
EXC_TYPE(ConnectionAbortedError, &k_ConnectionError_type, oserror_str)
EXC_TYPE(ConnectionRefusedError, &k_ConnectionError_type, oserror_str)
EXC_TYPE(ConnectionResetError, &k_ConnectionError_type, oserror_str)
EXC_TYPE(TimeoutError, &k_OSError_type, oserror_str)
/* files (file.c raises them by errno, as CPython picks the subclass) */
EXC_TYPE(FileExistsError, &k_OSError_type, oserror_str)
EXC_TYPE(FileNotFoundError, &k_OSError_type, oserror_str)
EXC_TYPE(IsADirectoryError, &k_OSError_type, oserror_str)
EXC_TYPE(NotADirectoryError, &k_OSError_type, oserror_str)
EXC_TYPE(PermissionError, &k_OSError_type, oserror_str)

/* ---- raising ---- */

#define HANDLED_MAX 64
static kval handled[HANDLED_MAX];       /* exceptions whose except blocks are running (borrowed) */
static i32 handled_depth;

void k_exc_enter(kval e) {
    if (handled_depth < HANDLED_MAX) handled[handled_depth] = e;
    handled_depth++;
}

void k_exc_leave(void) { handled_depth--; }

void k_raise(kval exc) {
    KException *e = (KException *)exc;
    if (handled_depth > 0 && handled_depth <= HANDLED_MAX && !e->context) {
        kval ctx = handled[handled_depth - 1];
        if (ctx != exc) e->context = k_newref(ctx);
    }
    k_xdecref(k_exc);
    k_exc = exc;
}

void k_raise_str(const KType *t, const char *msg) {
    kval s = k_str_from_cstr(msg);
    kval args = k_tuple_pack(1, s);
    k_decref(s);
    k_raise(k_exc_new(t, args));
    k_decref(args);
}

/* A growing byte buffer for k_raise_fmt. */
typedef struct { u8 *p; i64 n, cap; } Buf;

static void buf_add(Buf *b, const u8 *s, i64 n) {
    if (b->n + n > b->cap) {
        i64 cap = (b->n + n) * 2 + 64;
        b->p = k_mrealloc(b->p, (u64)b->n, (u64)cap);
        b->cap = cap;
    }
    __builtin_memcpy(b->p + b->n, s, (u64)n);
    b->n += n;
}

static void buf_add_i64(Buf *b, i64 v) {
    u8 tmp[24];
    int n = 0;
    u64 u = v < 0 ? 0ULL - (u64)v : (u64)v;
    do tmp[sizeof tmp - 1 - n++] = (u8)('0' + u % 10); while ((u /= 10));
    if (v < 0) tmp[sizeof tmp - 1 - n++] = '-';
    buf_add(b, tmp + sizeof tmp - n, n);
}

void k_raise_fmt(const KType *t, const char *fmt, ...) {
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    Buf b = {0, 0, 0};
    for (const char *f = fmt; *f; f++) {
        if (*f != '%' || !f[1]) { buf_add(&b, (const u8 *)f, 1); continue; }
        f++;
        if (*f == 's') {
            const char *s = __builtin_va_arg(ap, const char *);
            i64 n = 0;
            while (s[n]) n++;
            buf_add(&b, (const u8 *)s, n);
        } else if (*f == 'd') {
            buf_add_i64(&b, __builtin_va_arg(ap, i64));
        } else if (*f == 'S' || *f == 'R') {
            kval v = __builtin_va_arg(ap, kval);
            kval s = *f == 'S' ? k_str(v) : k_repr(v);
            if (s) { buf_add(&b, k_str_data(s), k_str_nbytes(s)); k_decref(s); }
            else { k_decref(k_exc_fetch()); buf_add(&b, (const u8 *)"?", 1); }
        } else {
            buf_add(&b, (const u8 *)f, 1);
        }
    }
    __builtin_va_end(ap);
    kval s = k_str_from_utf8(b.p ? b.p : (const u8 *)"", b.n);
    k_mfree(b.p);
    kval args = k_tuple_pack(1, s);
    k_decref(s);
    k_raise(k_exc_new(t, args));
    k_decref(args);
}

kval k_exc_fetch(void) {
    kval e = k_exc;
    k_exc = 0;
    return e;
}

void k_traceback_add(const char *file, i32 line, const char *func, const char *source) {
    KException *e = (KException *)k_exc;
    if (!e) return;
    if (!e->traceback) e->traceback = K_VAL(k_alloc(&traceback_type, sizeof(KTraceback)));
    KTraceback *tb = (KTraceback *)e->traceback;
    if (tb->n == tb->cap) {
        i64 cap = tb->cap ? tb->cap * 2 : 8;
        tb->frames = k_mrealloc(tb->frames, (u64)tb->n * sizeof(TbFrame), (u64)cap * sizeof(TbFrame));
        tb->cap = cap;
    }
    tb->frames[tb->n++] = (TbFrame){file, func, source, line};
}

/* ---- an exception that escapes the program ---- */

#ifdef __kaa_host__
extern long write(int fd, const void *buf, unsigned long n);
static void err_write(const u8 *s, i64 n) {
    while (n > 0) {
        long w = write(2, s, (unsigned long)n);
        if (w <= 0) return;
        s += w;
        n -= w;
    }
}
#else
static void err_write(const u8 *s, i64 n) { kaa_console_write((u8 *)s, (u64)n); }
#endif

void k_write_err_str(kval s) {
    k_flush();                          /* what was printed before comes first, as on a terminal */
    err_write(k_str_data(s), k_str_nbytes(s));
}

static void err_cstr(const char *s) {
    i64 n = 0;
    while (s[n]) n++;
    err_write((const u8 *)s, n);
}

static void err_i64(i64 v) {
    Buf b = {0, 0, 0};
    buf_add_i64(&b, v);
    err_write(b.p, b.n);
    k_mfree(b.p);
}

static bool is_builtins_or_main(const char *m) {
    const char *names[] = {"builtins", "__main__"};
    for (int i = 0; i < 2; i++) {
        const char *a = m, *b = names[i];
        while (*a && *a == *b) a++, b++;
        if (*a == *b) return 1;
    }
    return 0;
}

/* "ValueError: bad", "ValueError", or "mod.Error: bad" for classes outside __main__. */
static void print_exception_line(kval exc) {
    const KType *t = k_type_of(exc);
    if (!is_builtins_or_main(t->module)) {
        err_cstr(t->module);
        err_cstr(".");
    }
    err_cstr(t->name);
    kval s = k_str(exc);
    if (!s) {
        k_decref(k_exc_fetch());
        err_cstr(": <exception str() failed>\n");
        return;
    }
    if (k_str_nbytes(s)) {
        err_cstr(": ");
        err_write(k_str_data(s), k_str_nbytes(s));
    }
    k_decref(s);
    err_cstr("\n");
}

static void print_traceback(kval exc) {
    KException *e = (KException *)exc;
    if (e->cause) {
        print_traceback(e->cause);
        err_cstr("\nThe above exception was the direct cause of the following exception:\n\n");
    } else if (e->context && !e->suppress_context) {
        print_traceback(e->context);
        err_cstr("\nDuring handling of the above exception, another exception occurred:\n\n");
    }
    KTraceback *tb = (KTraceback *)e->traceback;
    if (tb && tb->n) {
        err_cstr("Traceback (most recent call last):\n");
        for (i64 i = tb->n - 1; i >= 0; i--) {
            TbFrame *f = &tb->frames[i];
            err_cstr("  File \"");
            err_cstr(f->file);
            err_cstr("\", line ");
            err_i64(f->line);
            err_cstr(", in ");
            err_cstr(f->func);
            err_cstr("\n");
            if (f->source && f->source[0]) {
                err_cstr("    ");
                err_cstr(f->source);
                err_cstr("\n");
            }
        }
    }
    print_exception_line(exc);
}

/* The program's exit status once its module code returned: 0, SystemExit's code, or 1
 * after printing the traceback of the exception that escaped. */
/* An exception's traceback on stderr, as an uncaught one's (a server that goes on after it). */
void k_print_exception(kval exc) {
    k_flush();
    print_traceback(exc);
    k_flush();
}

i32 k_program_exit(void) {
    k_flush();
    kval exc = k_exc_fetch();
    if (!exc) return 0;
    i32 status = 1;
    if (k_isinstance(exc, &k_SystemExit_type)) {
        KTuple *args = (KTuple *)((KException *)exc)->args;
        kval code = args->len ? args->items[0] : k_None;
        i64 n;
        if (code == k_None) status = 0;
        else if (code == k_True || code == k_False) status = code == k_True;
        else if (k_type_of(code)->flags & K_TF_INT) status = k_int_to_i64(code, &n) ? (i32)n : -1;
        else {
            kval s = k_str(code);
            if (s) { err_write(k_str_data(s), k_str_nbytes(s)); k_decref(s); }
            else k_decref(k_exc_fetch());
            err_cstr("\n");
        }
    } else {
        print_traceback(exc);
    }
    k_decref(exc);
    return status;
}

/* Debug builds: objects still alive when the program ends are a leak (or a cycle). */
void k_leak_check(i64 baseline) {
    k_flush();
    if (k_live != baseline) {
        err_cstr("kaa: leak: ");
        err_i64(k_live - baseline);
        err_cstr(" objects alive at exit\n");
    }
}
