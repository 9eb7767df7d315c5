/* Built-in functions that need an object of their own or a loop the compiler does not
 * inline: enumerate, zip and reversed iterators, next() with and without a default,
 * any/all over an iterable, float formatting from a spec string, sys.argv, and the
 * cells closures share variables through.
 */
#include "builtins.h"
#include "str.h"
#include "list.h"
#include "tuple.h"
#include "int.h"
#include "float.h"
#include "set.h"
#include "bytes.h"

/* ---- map and filter: lazy, one iterable ---- */

typedef struct { KObj hdr; kval func; kval it; } KMapFilter;     /* filter's func 0: None (truth) */

static void map_filter_clear(KObj *o) {
    k_xdecref(((KMapFilter *)o)->func);
    k_xdecref(((KMapFilter *)o)->it);
}

static kval self_iter(kval self);

static kval map_next(kval self) {
    KMapFilter *m = (KMapFilter *)self;
    kval item = k_next(m->it);
    if (!item) return 0;
    kval r = k_call(m->func, &item, 1);
    k_decref(item);
    return r;
}

static kval filter_next(kval self) {
    KMapFilter *m = (KMapFilter *)self;
    for (;;) {
        kval item = k_next(m->it);
        if (!item) return 0;
        bool keep;
        if (m->func) {
            kval r = k_call(m->func, &item, 1);
            if (!r) {
                k_decref(item);
                return 0;
            }
            keep = k_truthy(r);
            k_decref(r);
        } else {
            keep = k_truthy(item);
        }
        if (keep) return item;
        k_decref(item);
    }
}

static const KType map_type = {K_STATIC_HDR(&k_type_type), "map", "builtins", &k_object_type, sizeof(KMapFilter), 0,
                               .clear = map_filter_clear, .iter = self_iter, .next = map_next};
static const KType filter_type = {K_STATIC_HDR(&k_type_type), "filter", "builtins", &k_object_type,
                                  sizeof(KMapFilter), 0, .clear = map_filter_clear, .iter = self_iter,
                                  .next = filter_next};

static kval map_filter_new(const KType *t, kval func, kval iterable) {
    kval it = k_iter(iterable);
    if (!it) return 0;
    KMapFilter *m = (KMapFilter *)k_alloc(t, sizeof(KMapFilter));
    m->func = func ? k_newref(func) : 0;
    m->it = it;
    return K_VAL(m);
}

kval k_map_new(kval func, kval iterable) { return map_filter_new(&map_type, func, iterable); }
kval k_filter_new(kval func_or_none, kval iterable) {
    return map_filter_new(&filter_type, func_or_none == k_None ? 0 : func_or_none, iterable);
}

/* ---- enumerate ---- */

typedef struct { KObj hdr; kval it; kval count; } KEnumerate;

static void enumerate_clear(KObj *o) {
    k_xdecref(((KEnumerate *)o)->it);
    k_xdecref(((KEnumerate *)o)->count);
}

static kval self_iter(kval self) { return k_newref(self); }

static kval enumerate_next(kval self) {
    KEnumerate *e = (KEnumerate *)self;
    kval item = k_next(e->it);
    if (!item) return 0;
    kval n = e->count;
    e->count = k_int_add(n, k_int_small(1));
    kval pair = k_tuple_pack(2, n, item);
    k_decref(n);
    k_decref(item);
    return pair;
}

static const KType enumerate_type = {K_STATIC_HDR(&k_type_type), "enumerate", "builtins", &k_object_type,
                                     sizeof(KEnumerate), 0, .clear = enumerate_clear, .iter = self_iter,
                                     .next = enumerate_next};

kval k_enumerate_new(kval iterable, kval start) {
    kval it = k_iter(iterable);
    if (!it) return 0;
    KEnumerate *e = (KEnumerate *)k_alloc(&enumerate_type, sizeof(KEnumerate));
    e->it = it;
    e->count = k_newref(start);
    return K_VAL(e);
}

/* ---- zip (stops at the shortest) ---- */

typedef struct { KObj hdr; i64 n; kval its[8]; } KZip;

static void zip_clear(KObj *o) {
    KZip *z = (KZip *)o;
    for (i64 i = 0; i < z->n; i++) k_xdecref(z->its[i]);
}

static kval zip_next(kval self) {
    KZip *z = (KZip *)self;
    kval t = k_tuple_new(z->n);
    for (i64 i = 0; i < z->n; i++) {
        kval item = k_next(z->its[i]);
        if (!item) { k_decref(t); return 0; }
        ((KTuple *)t)->items[i] = item;
    }
    return t;
}

static const KType zip_type = {K_STATIC_HDR(&k_type_type), "zip", "builtins", &k_object_type, sizeof(KZip), 0,
                               .clear = zip_clear, .iter = self_iter, .next = zip_next};

kval k_zip_new(const kval *iterables, i64 n) {
    KZip *z = (KZip *)k_alloc(&zip_type, sizeof(KZip));
    for (i64 i = 0; i < n && i < 8; i++) {
        z->its[i] = k_iter(iterables[i]);
        z->n = i + 1;
        if (!z->its[i]) { z->n = i; k_decref(K_VAL(z)); return 0; }
    }
    return K_VAL(z);
}

/* ---- reversed() of a sequence other than a list: materialised, then reversed ---- */

kval k_reversed(kval seq) {
    kval l = k_list_from_iter(seq);
    if (!l) return 0;
    kval r = k_list_reversed(l);
    k_decref(l);
    return r;
}

/* ---- next() ---- */

kval k_next_or_stop(kval it) {
    kval v = k_next(it);
    if (!v && !k_exc) {
        kval args = k_tuple_new(0);
        k_raise(k_exc_new(&k_StopIteration_type, args));
        k_decref(args);
    }
    return v;
}

kval k_next_default(kval it, kval dflt) {
    kval v = k_next(it);
    if (!v && !k_exc) return k_newref(dflt);
    return v;
}

/* ---- any / all: 1, 0, -1 raised ---- */

int k_any_all(kval iterable, bool is_any) {
    kval it = k_iter(iterable);
    if (!it) return -1;
    int result = is_any ? 0 : 1;
    for (;;) {
        kval v = k_next(it);
        if (!v) { if (k_exc) result = -1; break; }
        bool t = k_truthy(v);
        k_decref(v);
        if (t == is_any) { result = is_any; break; }
    }
    k_decref(it);
    return result;
}

/* ---- format(float, spec) with the spec as a str ---- */

kval k_format_float_spec(double d, kval spec) {
    if (k_str_nbytes(spec) == 0) return k_float_repr(d);
    kval box = k_float_box(d);
    kval r = k_format(box, spec);       /* parses the spec as float's, with its messages */
    k_decref(box);
    return r;
}

/* ---- sys.argv: the program's path, then the words of the command line ---- */

kaa_str kernel_cmdline__args(void);

kval k_sys_argv(const char *prog) {
    kval l = k_list_new(4);
    kval p = k_str_from_cstr(prog);
    k_list_append(l, p);
    k_decref(p);
    kaa_str line = kernel_cmdline__args();
    u64 start = 0;
    for (u64 i = 0; i <= line.len; i++) {
        if (i == line.len || line.ptr[i] == ' ') {
            if (i > start) {
                kval w = k_str_from_utf8(line.ptr + start, (i64)(i - start));
                k_list_append(l, w);
                k_decref(w);
            }
            start = i + 1;
        }
    }
    return l;
}

/* ---- cells and closures: variables a nested function shares with its parent ---- */

typedef KCell KCellObj;
typedef KClosure KClosureObj;

static void cell_clear(KObj *o) { k_xdecref(((KCellObj *)o)->value); }
static const KType cell_type = {K_STATIC_HDR(&k_type_type), "cell", "builtins", &k_object_type, sizeof(KCellObj), 0,
                                .clear = cell_clear};

kval k_cell_new(void) { return K_VAL(k_alloc(&cell_type, sizeof(KCellObj))); }

static void closure_clear(KObj *o) {
    KClosureObj *c = (KClosureObj *)o;
    for (i64 i = 0; i < c->n; i++) k_xdecref(c->cells[i]);
}
static kval closure_repr(kval self) { (void)self; return k_str_from_ascii("<function>", 10); }
static const KType closure_type = {K_STATIC_HDR(&k_type_type), "function", "builtins", &k_function_type,
                                   sizeof(KClosureObj), 0, .clear = closure_clear, .repr = closure_repr};

kval k_closure_new(kval (*call)(kval self, const kval *args, i64 nargs), i64 ncells) {
    KClosureObj *c = (KClosureObj *)k_alloc(&closure_type, sizeof(KClosureObj) + (u64)ncells * sizeof(kval));
    c->f.call = call;
    c->n = ncells;
    return K_VAL(c);
}

/* ---- built-in functions used as values (key=len, key=str) ---- */

static kval len_call(kval self, const kval *args, i64 n) {
    (void)self; (void)n;
    i64 r = k_len(args[0]);
    return r < 0 ? 0 : k_int_from_i64(r);
}
static kval str_call(kval self, const kval *args, i64 n) { (void)self; (void)n; return k_str(args[0]); }
static kval repr_call(kval self, const kval *args, i64 n) { (void)self; (void)n; return k_repr(args[0]); }
static kval abs_call(kval self, const kval *args, i64 n) {
    (void)self; (void)n;
    if (!K_IS_SMALL(args[0]) && K_OBJ(args[0])->type == &k_float_type)
        return k_float_box(__builtin_fabs(k_float_unbox(args[0])));
    return k_int_abs(args[0]);
}
/* int(x) and float(x) of one argument: a str (parsed), an int, a float or a bool. */
static kval int_call(kval self, const kval *args, i64 n) {
    (void)self; (void)n;
    kval x = args[0];
    if (!K_IS_SMALL(x) && K_OBJ(x)->type == &k_str_type) return k_int_parse(k_str_data(x), k_str_nbytes(x), 10);
    if (!K_IS_SMALL(x) && K_OBJ(x)->type == &k_float_type) return k_int_from_double(k_float_unbox(x));
    if (x == k_True || x == k_False) return k_int_small(x == k_True);
    if (K_IS_SMALL(x) || (K_OBJ(x)->type->flags & K_TF_INT)) return k_newref(x);
    k_raise_fmt(&k_TypeError_type, "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                k_type_of(x)->name);
    return 0;
}
static kval float_call(kval self, const kval *args, i64 n) {
    (void)self; (void)n;
    kval x = args[0];
    double d;
    if (!K_IS_SMALL(x) && K_OBJ(x)->type == &k_str_type) d = k_float_from_str(x);
    else if (!K_IS_SMALL(x) && K_OBJ(x)->type == &k_float_type) return k_newref(x);
    else if (x == k_True || x == k_False) d = x == k_True;
    else if (K_IS_SMALL(x) || (K_OBJ(x)->type->flags & K_TF_INT)) d = k_int_to_double(x);
    else {
        k_raise_fmt(&k_TypeError_type, "float() argument must be a string or a real number, not '%s'",
                    k_type_of(x)->name);
        return 0;
    }
    return k_exc ? 0 : k_float_box(d);
}
KFunc k_builtin_int = {K_STATIC_HDR(&k_function_type), int_call};
KFunc k_builtin_float = {K_STATIC_HDR(&k_function_type), float_call};
KFunc k_builtin_len = {K_STATIC_HDR(&k_function_type), len_call};
KFunc k_builtin_str = {K_STATIC_HDR(&k_function_type), str_call};
KFunc k_builtin_repr = {K_STATIC_HDR(&k_function_type), repr_call};
KFunc k_builtin_abs = {K_STATIC_HDR(&k_function_type), abs_call};

/* ---- `in` on anything else: the type's contains slot, else iteration ---- */

int k_contains(kval container, kval item) {
    for (const KType *t = k_type_of(container); t; t = t->base)
        if (t->contains) return t->contains(container, item);
    kval it = k_iter(container);
    if (!it) return -1;
    int found = 0;
    for (;;) {
        kval v = k_next(it);
        if (!v) { if (k_exc) found = -1; break; }
        int eq = k_eq(v, item);
        k_decref(v);
        if (eq != 0) { found = eq; break; }
    }
    k_decref(it);
    return found;
}

/* ---- round(int, ndigits): to a multiple of 10**-ndigits, halves to even ---- */

kval k_int_round(kval v, kval ndigits) {
    if (!K_IS_SMALL(ndigits) || (i64)ndigits >> 1 >= 0) return k_newref(v);
    kval p = k_int_pow(k_int_small(10), k_int_neg(ndigits));
    if (!p) return 0;
    kval q, r;
    if (!k_int_divmod(v, p, &q, &r)) { k_decref(p); return 0; }
    kval twice = k_int_add(r, r);
    int c = k_int_cmp(twice, p);
    bool odd = k_int_truthy(k_int_and(q, k_int_small(1)) == k_int_small(1) ? k_True : k_False);
    k_decref(twice);
    if (c > 0 || (c == 0 && odd)) {
        kval q1 = k_int_add(q, k_int_small(1));
        k_decref(q);
        q = q1;
    }
    kval out = k_int_mul(q, p);
    k_decref(q); k_decref(r); k_decref(p);
    return out;
}

/* A new cell holding v (a nested function reading a parameter its parent never assigns). */
kval k_cell_of(kval v) {
    kval c = k_cell_new();
    ((KCellObj *)c)->value = k_newref(v);
    return c;
}

/* A constant set display, laid out as CPython's compiler and interpreter lay it out: the
 * display's frozenset is rebuilt from its own iteration order when the compiler merges
 * constants, and BUILD_SET/SET_UPDATE then merges that into a new set. */
kval k_set_fold_constant(kval naive) {
    kval items = k_list_from_iter(naive);
    if (!items) return 0;
    kval rebuilt = k_set_from_iter(items);
    k_decref(items);
    if (!rebuilt) return 0;
    kval out = k_set_copy(rebuilt);
    k_decref(rebuilt);
    return out;
}

/* ---- a Str a kernel function returned: decoded as UTF-8 (UnicodeDecodeError if it is not) ---- */

kval k_str_from_kernel(const u8 *p, i64 n) {
    kval b = k_bytes_from(p, n);
    kval s = k_bytes_decode(b, k_None, k_None);
    k_decref(b);
    return s;
}

/* ---- mypy_extensions' native ints (as mypyc): floor division and shifts with Python's rules ---- */

/* A narrower type's values arrive widened to i64: a shift result past its width is cut back by
 * the caller, as the wrap-around of + and * is. */

i64 k_i64_floordiv(i64 x, i64 y, i64 lo) {
    if (y == 0) { k_raise_str(&k_ZeroDivisionError_type, "integer division or modulo by zero"); return -1; }
    if (y == -1 && x == lo) { k_raise_str(&k_OverflowError_type, "integer division overflow"); return -1; }
    i64 q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) q--;
    return q;
}

i64 k_i64_mod(i64 x, i64 y) {
    if (y == 0) { k_raise_str(&k_ZeroDivisionError_type, "integer division or modulo by zero"); return -1; }
    if (y == -1) return 0;
    i64 r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return r;
}

i64 k_i64_lshift(i64 x, i64 y) {
    if (y < 0) { k_raise_str(&k_ValueError_type, "negative shift count"); return -1; }
    return y >= 64 ? 0 : (i64)((u64)x << y);
}

i64 k_i64_rshift(i64 x, i64 y) {
    if (y < 0) { k_raise_str(&k_ValueError_type, "negative shift count"); return -1; }
    return x >> (y >= 64 ? 63 : y);
}

/* An int as a native int: mypyc raises ValueError (with these messages) when it does not fit. */
i64 k_int_to_native(kval v, i64 lo, i64 hi, const char *type_name) {
    i64 x;
    if (k_int_to_i64(v, &x) && x >= lo && x <= hi)
        return x;
    k_raise_fmt(&k_ValueError_type, lo < 0 ? "int too large to convert to %s" : "int too large or small to convert to %s",
                type_name);
    return -1;
}
