/* The service level's object model: what every runtime module and all generated
 * service-level C share.
 *
 * A Python value that is not unboxed by its static type is a `kval`, one 64-bit word:
 *   - bit 0 set: a small int, value = (i64)v >> 1 (63-bit signed; see int.h);
 *   - bit 0 clear: a pointer to a heap or static object starting with a KObj header;
 *   - 0: no value. Functions returning kval return 0 when they raised an exception.
 * Static types decide the representation of locals, parameters and class fields:
 * `float` is a C double, `bool` a C bool, everything else (int included) a kval.
 * Containers and Optional[...] hold kvals: floats boxed (KFloat), bools as the
 * k_True/k_False singletons.
 *
 * Memory: reference counting. A kval returned by a function is a new reference the
 * caller owns; parameters are borrowed. Static objects (literals, None, True, False,
 * built-in types) start with a huge count (K_STATIC_RC) and are never freed, so
 * incref/decref need no test for them. Objects belong to the thread that made them;
 * sharing one between CPUs is not supported (counts are not atomic).
 * k_live counts the heap objects alive: programs end with it back at its start value.
 *
 * Exceptions: an error return (0 for kval, see each API for the others) with the
 * exception in k_exc (one per machine: threads switch only at calls that cannot be
 * in the middle of raising). Callers test k_exc after any call that can raise.
 */
#pragma once
#include "kaa_rt.h"

typedef u64 kval;
typedef struct KType KType;
typedef struct KAttr KAttr;             /* an attribute of a compiled class: dynamic.h */

typedef struct KObj {
    i64 rc;
    const KType *type;
} KObj;

#define K_STATIC_RC (1LL << 60)
#define K_OBJ(v) ((KObj *)(v))
#define K_VAL(p) ((kval)(p))
#define K_IS_SMALL(v) ((v) & 1)

/* Comparison operators for richcmp, as CPython numbers them. */
enum { K_LT = 0, K_LE = 1, K_EQ = 2, K_NE = 3, K_GT = 4, K_GE = 5 };

/* The truth of `x op y` given c = the sign of x - y (-1, 0, 1): richcmp slots use it. */
static inline int k_cmp_holds(i64 c, int op) {
    switch (op) {
    case K_LT: return c < 0;
    case K_LE: return c <= 0;
    case K_EQ: return c == 0;
    case K_NE: return c != 0;
    case K_GT: return c > 0;
    default: return c >= 0;
    }
}

/* Type flags. */
enum {
    K_TF_EXCEPTION = 1,     /* instances are KException (or extend it) */
    K_TF_INT = 2,           /* int, and bool */
};

/* A type: built-in types are static KType values, each class the compiler emits one.
 * Any slot may be NULL; the k_* dispatchers below supply CPython's defaults. */
struct KType {
    KObj hdr;                          /* types are objects (printing type(x), isinstance) */
    const char *name;                  /* "int", "Point": NUL-terminated ASCII */
    const char *module;                /* "builtins" or the defining module's name */
    const KType *base;                 /* single inheritance; NULL only for `object` */
    u64 size;                          /* instance size in bytes */
    u32 flags;
    void (*clear)(KObj *o);            /* decref the object's own references (not free it) */
    kval (*repr)(kval self);           /* new str, or 0 (raised) */
    kval (*str)(kval self);            /* NULL: repr */
    i64 (*hash)(kval self);            /* -1: raised (a real hash of -1 is returned as -2) */
    int (*richcmp)(kval a, kval b, int op);   /* 1 true, 0 false, -1 raised, 2 NotImplemented */
    i64 (*len)(kval self);             /* -1: raised */
    kval (*iter)(kval self);           /* new iterator, or 0 */
    kval (*next)(kval self);           /* next item, or 0: check k_exc (0 with no exception = exhausted) */
    int (*contains)(kval self, kval item);    /* 1, 0, -1 raised */
    void *const *methods;              /* compiler-generated classes: the vtable */
    kval (*asdict)(kval self);         /* dataclasses: dataclasses.asdict(self), a new dict */
    kval *enum_members;                /* enum classes: the list of members, in definition order */
    const KAttr *attrs;                /* compiler-generated classes: attributes by name (dynamic.h) */
    u32 json_fields;                   /* dataclasses: attrs' first json_fields entries are the fields, in
                                          order, with ASCII names (json.c reads them in place); 0: use asdict */
};

/* Static object header. */
#define K_STATIC_HDR(type_ptr) {K_STATIC_RC, (type_ptr)}

extern i64 k_live;                      /* heap objects alive */

/* Recursion through nested containers (repr, comparison, hash, asdict) checks the
 * stack before each level: with less than K_STACK_RESERVE bytes left it raises
 * RecursionError("maximum recursion depth exceeded" + what) and returns true, where it
 * would otherwise run into the guard page (a connection thread has 16 KiB).
 * kaa_stack_low() is the platform's: the running thread's lowest stack address, 0 when
 * not known (no check). */
u64 kaa_stack_low(void);
#define K_STACK_RESERVE 4096
bool k_stack_exhausted(const char *what);
extern kval k_exc;                      /* the exception being raised, or 0 */

/* Allocation: a zeroed object of `size` bytes with rc 1; out of memory panics. */
KObj *k_alloc(const KType *t, u64 size);
void k_dealloc(KObj *o);                /* rc reached 0: clear, then free */
void *k_malloc(u64 size);               /* raw zeroed memory (object bodies); panics when out */
void k_mfree(void *p);
void *k_mrealloc(void *p, u64 old_size, u64 new_size);

static inline __attribute__((always_inline)) void k_incref(kval v) {
    if (!K_IS_SMALL(v)) K_OBJ(v)->rc++;
}
static inline __attribute__((always_inline)) void k_decref(kval v) {
    if (!K_IS_SMALL(v) && --K_OBJ(v)->rc == 0) k_dealloc(K_OBJ(v));
}
static inline __attribute__((always_inline)) void k_xdecref(kval v) { if (v) k_decref(v); }
static inline __attribute__((always_inline)) kval k_newref(kval v) { k_incref(v); return v; }

/* None, bool, object, type, and the boxed float. */
extern KObj k_None_obj, k_True_obj, k_False_obj;
#define k_None K_VAL(&k_None_obj)
#define k_True K_VAL(&k_True_obj)
#define k_False K_VAL(&k_False_obj)
static inline kval k_bool(bool b) { return b ? k_True : k_False; }
extern const KType k_object_type, k_type_type, k_none_type, k_bool_type, k_int_type, k_float_type,
    k_str_type, k_bytes_type, k_bytearray_type, k_list_type, k_tuple_type, k_dict_type, k_set_type,
    k_range_type;

typedef struct { KObj hdr; double value; } KFloat;
kval k_float_box(double d);
static inline double k_float_unbox(kval v) { return ((KFloat *)v)->value; }

static inline const KType *k_type_of(kval v) { return K_IS_SMALL(v) ? &k_int_type : K_OBJ(v)->type; }
bool k_is_subtype(const KType *t, const KType *base);
static inline bool k_isinstance(kval v, const KType *t) { return k_is_subtype(k_type_of(v), t); }

/* Generic operations (dispatch on the type's slots; CPython's defaults where NULL). */
kval k_repr(kval v);                    /* new str or 0 */
kval k_str(kval v);                     /* new str or 0 */
i64 k_hash(kval v);                     /* -1: raised (TypeError: unhashable type: 'list') */
i64 k_hash_unhashable(kval v);          /* the hash slot of unhashable types: raises TypeError */
int k_eq(kval a, kval b);               /* 1, 0, -1 raised; identity when no richcmp */
int k_richcmp(kval a, kval b, int op);  /* 1, 0, -1 raised (TypeError for unordered types) */
bool k_truthy(kval v);                  /* bool(v); len() == 0 and numeric zero are false */

/* Callables: functions used as values, lambdas, closures and bound methods are KFunc
 * objects (closures extend the struct with their captured cells). Arguments are boxed
 * kvals (floats as KFloat, bools as k_True/k_False); the result is a new reference, or 0
 * when it raised. */
typedef struct KFunc {
    KObj hdr;
    kval (*call)(kval self, const kval *args, i64 nargs);
} KFunc;
extern const KType k_function_type;
static inline kval k_call(kval f, const kval *args, i64 nargs) { return ((KFunc *)f)->call(f, args, nargs); }

/* Iteration: k_iter gives a new iterator (0: raised, e.g. TypeError: 'int' object is not
 * iterable); k_next gives the next item as a new reference, or 0: raised when k_exc is
 * set, exhausted when not. */
kval k_iter(kval v);
kval k_next(kval it);

/* Output: the console (stdout on the host). k_write_str writes a str's UTF-8 bytes;
 * output is buffered and flushed at a newline and at exit. */
void k_write(const u8 *buf, i64 n);
void k_write_str(kval s);
void k_write_err_str(kval s);           /* to stderr (the console in the guest), after flushing stdout */
void k_flush(void);

/* Exceptions. Instances of exception types start with KException. */
typedef struct {
    KObj hdr;
    kval args;          /* tuple of the constructor's arguments */
    kval cause;         /* raise ... from X; 0 when none */
    kval context;       /* the exception being handled when this one was raised; 0 when none */
    bool suppress_context;
    kval traceback;     /* 0, or a list of frames, appended as the exception unwinds */
} KException;

extern const KType k_BaseException_type, k_Exception_type, k_ArithmeticError_type,
    k_LookupError_type, k_ValueError_type, k_TypeError_type, k_KeyError_type,
    k_IndexError_type, k_ZeroDivisionError_type, k_OverflowError_type,
    k_AttributeError_type, k_RuntimeError_type, k_NotImplementedError_type,
    k_AssertionError_type, k_StopIteration_type, k_SystemExit_type,
    k_RecursionError_type, k_UnicodeDecodeError_type, k_UnicodeEncodeError_type,
    k_MemoryError_type, k_NameError_type, k_UnboundLocalError_type, k_UnicodeError_type;
/* The OSError family (exc.c): errno and strerror come from args, as CPython sets them. */
extern const KType k_OSError_type, k_BlockingIOError_type, k_ConnectionError_type, k_BrokenPipeError_type,
    k_ConnectionAbortedError_type, k_ConnectionRefusedError_type, k_ConnectionResetError_type,
    k_TimeoutError_type, k_FileExistsError_type, k_FileNotFoundError_type, k_IsADirectoryError_type,
    k_NotADirectoryError_type, k_PermissionError_type;
kval k_oserror_errno(kval self);        /* e.errno: new reference (None unless 2..5 args) */
kval k_oserror_strerror(kval self);     /* e.strerror */
kval k_oserror_filename(kval self);     /* e.filename */

void k_raise(kval exc);                 /* steals the reference; sets k_exc (with context) */
void k_raise_str(const KType *t, const char *msg);          /* t(msg) */
void k_raise_fmt(const KType *t, const char *fmt, ...);      /* %s (C string), %d (i64), %S (kval str), %R (repr of kval) */
kval k_exc_new(const KType *t, kval args);                   /* new instance; args: a tuple (borrowed) */
static inline bool k_exc_matches(const KType *t) { return k_isinstance(k_exc, t); }
kval k_exc_fetch(void);                 /* take the raised exception (k_exc becomes 0) */
void k_traceback_add(const char *file, i32 line, const char *func, const char *source);
void k_exc_clear(KObj *o);               /* the clear slot of exception types (subclasses call it) */
void k_exc_enter(kval e);               /* an except block starts handling e (borrowed) */
void k_exc_leave(void);                 /* ... and ends */
void k_print_exception(kval exc);       /* its traceback on stderr, as an uncaught one's */
i32 k_program_exit(void);               /* after the module's code: flush, print an escaped exception, the status */
void k_leak_check(i64 baseline);        /* debug builds: report objects alive beyond baseline */

/* Format specs (the mini-language of format() and f-strings), parsed once. */
typedef struct {
    u32 fill;           /* code point; ' ' by default */
    char align;         /* '<', '>', '^', '=' or 0 (type's default) */
    char sign;          /* '+', '-', ' ' or 0 */
    bool alternate;     /* '#' */
    bool zero;          /* '0' before the width */
    i64 width;          /* -1: none */
    char grouping;      /* ',', '_' or 0 */
    i64 precision;      /* -1: none */
    char type;          /* 'd', 'f', 'e', 'g', '%', 's', 'x', ... or 0 */
} KFormatSpec;

bool k_format_spec_parse(kval spec_str, KFormatSpec *out);  /* false: raised ValueError */
kval k_format(kval v, kval spec_str);                         /* format(v, spec): new str or 0 */
