/* kval, KObj and KType (object.h): allocation and reference counts, the singletons
 * (None, True, False), the built-in `object`, `type`, NoneType and function types,
 * boxed floats, and the generic operations that dispatch on a type's slots
 * (repr, str, hash, comparison, truth, iteration) with CPython's defaults where a
 * slot is empty. Output to the console goes through one line buffer here.
 */
#include "object.h"
#include "str.h"
#include "list.h"

i64 k_live;
kval k_exc;

void *k_malloc(u64 size) {
    void *p = kaa_alloc(size ? size : 1);
    if (!p) kaa_panic(KAA_STR("out of memory"), KAA_STR("kaa/pyrt/object.c"), __LINE__);
    return p;
}

void k_mfree(void *p) { if (p) kaa_free(p); }

void *k_mrealloc(void *p, u64 old_size, u64 new_size) {
    void *q = k_malloc(new_size);
    if (p) {
        __builtin_memcpy(q, p, old_size < new_size ? old_size : new_size);
        kaa_free(p);
    }
    return q;
}

#ifdef __kaa_host__
/* In a Linux process, small objects are recycled here rather than by the C library's
 * malloc (half the time of an allocation-heavy program went there): each object carries
 * its 16-byte size class in an 8-byte prefix, and a freed one waits on its class's list
 * (at most RECYCLE_MAX each). The kernel's heap already keeps per-CPU size classes, so
 * booted programs allocate straight from it. */
#define RECYCLE_CLASSES 16              /* 16 .. 256 bytes */
#define RECYCLE_MAX 4096
static u64 *recycled[RECYCLE_CLASSES + 1];
static u32 recycled_count[RECYCLE_CLASSES + 1];

static KObj *object_memory(u64 size) {
    u64 c = (size + 15) >> 4;
    u64 *block;
    if (c <= RECYCLE_CLASSES && recycled[c]) {
        block = recycled[c];
        recycled[c] = (u64 *)block[1];
        recycled_count[c]--;
        __builtin_memset(block + 1, 0, c << 4);
    } else {
        block = k_malloc(8 + (c << 4));
    }
    block[0] = c;
    return (KObj *)(block + 1);
}

static void object_release(KObj *o) {
    u64 *block = (u64 *)o - 1;
    u64 c = block[0];
    if (c <= RECYCLE_CLASSES && recycled_count[c] < RECYCLE_MAX) {
        block[1] = (u64)recycled[c];
        recycled[c] = block;
        recycled_count[c]++;
        return;
    }
    kaa_free(block);
}
#else
static KObj *object_memory(u64 size) { return k_malloc(size); }
static void object_release(KObj *o) { kaa_free(o); }
#endif

KObj *k_alloc(const KType *t, u64 size) {
    KObj *o = object_memory(size);
    o->rc = 1;
    o->type = t;
    k_live++;
    return o;
}

/* Freeing a container releases its items, which may free containers in turn: a list
 * nested 500 deep (json.loads of a client's body) would recurse 500 times, far past a
 * service thread's 16 KiB stack. So, as CPython's trashcan, past DEALLOC_NESTING nested
 * deallocations an object waits on a list (linked through its rc, dead by now) and the
 * outermost k_dealloc frees the waiting ones, one at a time. (One list: the runtime's
 * objects belong to one CPU, and freeing never switches threads.) */
#define DEALLOC_NESTING 24

static u32 dealloc_depth;
static KObj *waiting;

static void dealloc_now(KObj *o) {
    if (o->type->clear) o->type->clear(o);
    k_live--;
    object_release(o);
}

void k_dealloc(KObj *o) {
    if (dealloc_depth >= DEALLOC_NESTING) {
        o->rc = (i64)(u64)waiting;
        waiting = o;
        return;
    }
    dealloc_depth++;
    dealloc_now(o);
    if (dealloc_depth == 1) {
        while (waiting) {
            KObj *w = waiting;
            waiting = (KObj *)(u64)w->rc;
            dealloc_now(w);
        }
    }
    dealloc_depth--;
}

/* ---- types of the object model itself ---- */

static kval none_repr(kval self) { (void)self; return k_str_from_ascii("None", 4); }
static kval object_repr(kval self);
static kval type_repr(kval self);
static kval function_repr(kval self) { (void)self; return k_str_from_ascii("<function>", 10); }

const KType k_object_type = {K_STATIC_HDR(&k_type_type), "object", "builtins", 0, sizeof(KObj), 0,
                             .repr = object_repr};
/* An enum class iterates over its members (len() counts them); other types are not iterable. */
static kval type_iter(kval self) {
    const KType *t = (const KType *)self;
    if (t->enum_members) return k_iter(*t->enum_members);
    k_raise_fmt(&k_TypeError_type, "'type' object is not iterable");
    return 0;
}

static i64 type_len(kval self) {
    const KType *t = (const KType *)self;
    if (t->enum_members) return k_len(*t->enum_members);
    k_raise_fmt(&k_TypeError_type, "object of type 'type' has no len()");
    return -1;
}

const KType k_type_type = {K_STATIC_HDR(&k_type_type), "type", "builtins", &k_object_type, sizeof(KType), 0,
                           .repr = type_repr, .iter = type_iter, .len = type_len};
const KType k_none_type = {K_STATIC_HDR(&k_type_type), "NoneType", "builtins", &k_object_type, sizeof(KObj), 0,
                           .repr = none_repr};
const KType k_function_type = {K_STATIC_HDR(&k_type_type), "function", "builtins", &k_object_type, sizeof(KFunc), 0,
                               .repr = function_repr};

KObj k_None_obj = K_STATIC_HDR(&k_none_type);
KObj k_True_obj = K_STATIC_HDR(&k_bool_type);
KObj k_False_obj = K_STATIC_HDR(&k_bool_type);

kval k_float_box(double d) {
    KFloat *f = (KFloat *)k_alloc(&k_float_type, sizeof(KFloat));
    f->value = d;
    return K_VAL(f);
}

bool k_is_subtype(const KType *t, const KType *base) {
    for (; t; t = t->base)
        if (t == base) return 1;
    return 0;
}

/* "<__main__.Point object>": CPython adds the address, which no test can match; we leave it out. */
static kval object_repr(kval self) {
    const KType *t = k_type_of(self);
    char buf[160];
    i64 n = 0;
    const char *parts[] = {"<", t->module, ".", t->name, " object>"};
    for (int i = 0; i < 5; i++)
        for (const char *p = parts[i]; *p && n < (i64)sizeof buf; p++) buf[n++] = *p;
    return k_str_from_ascii(buf, n);
}

static bool is_builtins(const char *m) {
    const char *b = "builtins";
    while (*m && *m == *b) m++, b++;
    return *m == *b;
}

static kval type_repr(kval self) {
    const KType *t = (const KType *)self;
    char buf[160];
    i64 n = 0;
    const char *parts[] = {"<class '", t->module, ".", t->name, "'>"};
    for (int i = 0; i < 5; i++) {
        if (i == 1 && is_builtins(t->module)) { i = 2; continue; }
        for (const char *p = parts[i]; *p && n < (i64)sizeof buf; p++) buf[n++] = *p;
    }
    return k_str_from_ascii(buf, n);
}

/* ---- generic operations ---- */

bool k_stack_exhausted(const char *what) {
    u64 low = kaa_stack_low();
    if (!low || (u64)__builtin_frame_address(0) >= low + K_STACK_RESERVE) return 0;
    k_raise_fmt(&k_RecursionError_type, "maximum recursion depth exceeded%s", what);
    return 1;
}

kval k_repr(kval v) {
    const KType *t = k_type_of(v);
    for (const KType *s = t; s; s = s->base)
        if (s->repr) return s->repr(v);
    return object_repr(v);
}

kval k_str(kval v) {
    for (const KType *s = k_type_of(v); s; s = s->base) {
        if (s->str) return s->str(v);
        if (s->repr) return s->repr(v);
    }
    return object_repr(v);
}

i64 k_hash(kval v) {
    /* A class with __eq__ and no __hash__ gets a hash slot that raises (the compiler's k_hash_unhashable). */
    for (const KType *s = k_type_of(v); s; s = s->base)
        if (s->hash) return s->hash(v);
    u64 a = (u64)v;                        /* identity, as object.__hash__: the address rotated by 4 bits */
    i64 h = (i64)((a >> 4) | (a << 60));
    return h == -1 ? -2 : h;
}

static int (*find_richcmp(const KType *t))(kval, kval, int) {
    for (; t; t = t->base)
        if (t->richcmp) return t->richcmp;
    return 0;
}

static const char *const op_text[] = {"<", "<=", "==", "!=", ">", ">="};
static const int swapped_op[] = {K_GT, K_GE, K_EQ, K_NE, K_LT, K_LE};

int k_richcmp(kval a, kval b, int op) {
    const KType *ta = k_type_of(a), *tb = k_type_of(b);
    int (*fa)(kval, kval, int) = find_richcmp(ta);
    int (*fb)(kval, kval, int) = find_richcmp(tb);
    /* CPython tries the right operand first when its type is a subclass of the left's. */
    if (tb != ta && fb && k_is_subtype(tb, ta)) {
        int r = fb(b, a, swapped_op[op]);
        if (r != 2) return r;
        fb = 0;
    }
    if (fa) {
        int r = fa(a, b, op);
        if (r != 2) return r;
    }
    if (fb) {
        int r = fb(b, a, swapped_op[op]);
        if (r != 2) return r;
    }
    if (op == K_EQ) return a == b;
    if (op == K_NE) return a != b;
    k_raise_fmt(&k_TypeError_type, "'%s' not supported between instances of '%s' and '%s'", op_text[op], ta->name,
                tb->name);
    return -1;
}

i64 k_hash_unhashable(kval v) {
    k_raise_fmt(&k_TypeError_type, "unhashable type: '%s'", k_type_of(v)->name);
    return -1;
}

int k_eq(kval a, kval b) {
    if (a == b) return 1;                 /* identity implies equality (as CPython's containers assume) */
    return k_richcmp(a, b, K_EQ);
}

bool k_truthy(kval v) {
    if (K_IS_SMALL(v)) return v != 1;
    if (v == k_None || v == k_False) return 0;
    if (v == k_True) return 1;
    const KType *t = K_OBJ(v)->type;
    if (t == &k_float_type) return k_float_unbox(v) != 0.0;
    for (const KType *s = t; s; s = s->base)
        if (s->len) return s->len(v) != 0;
    return 1;
}

kval k_iter(kval v) {
    const KType *t = k_type_of(v);
    for (const KType *s = t; s; s = s->base)
        if (s->iter) return s->iter(v);
    k_raise_fmt(&k_TypeError_type, "'%s' object is not iterable", t->name);
    return 0;
}

kval k_next(kval it) {
    const KType *t = k_type_of(it);
    for (const KType *s = t; s; s = s->base)
        if (s->next) return s->next(it);
    k_raise_fmt(&k_TypeError_type, "'%s' object is not an iterator", t->name);
    return 0;
}

/* ---- console output: one buffer, flushed at a newline, when full, and at exit ---- */

static u8 out_buf[4096];
static i64 out_len;

void k_flush(void) {
    if (out_len) kaa_console_write(out_buf, (u64)out_len);
    out_len = 0;
}

void k_write(const u8 *buf, i64 n) {
    bool newline = 0;
    for (i64 i = 0; i < n; i++) {
        if (out_len == (i64)sizeof out_buf) k_flush();
        out_buf[out_len++] = buf[i];
        newline |= buf[i] == '\n';
    }
    if (newline) k_flush();
}

void k_write_str(kval s) { k_write(k_str_data(s), k_str_nbytes(s)); }
