/* tuple: an immutable array of kvals, as CPython's Objects/tupleobject.c.
 *
 * Layout (KTuple): the items follow the header in the same allocation; len never
 * changes after construction. k_tuple_new gives zeroed items that the caller fills
 * once (the tuple owns them); a zero item is tolerated only until then (clear skips
 * it). The empty tuple is one static object.
 *
 * Hash: CPython 3.11's xxHash-derived combination of the items' hashes (tuplehash),
 * so hash((1, 'a')) is the same number as in CPython.
 */
#include "tuple.h"
#include "list.h"
#include "slice.h"
#include "str.h"

static KTuple empty_tuple = {K_STATIC_HDR(&k_tuple_type), 0};

void k_tuple_clear(KObj *o) {
    KTuple *t = (KTuple *)o;
    for (i64 i = 0; i < t->len; i++) k_xdecref(t->items[i]);
}

kval k_tuple_new(i64 n) {
    if (n <= 0) return K_VAL(&empty_tuple);
    KTuple *t = (KTuple *)k_alloc(&k_tuple_type, sizeof(KTuple) + (u64)n * sizeof(kval));
    t->len = n;
    return K_VAL(t);
}

kval k_tuple_from_array(const kval *items, i64 n) {
    kval t = k_tuple_new(n);
    for (i64 i = 0; i < n; i++) k_tuple_items(t)[i] = k_newref(items[i]);
    return t;
}

kval k_tuple_pack(i64 n, ...) {
    kval t = k_tuple_new(n);
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    for (i64 i = 0; i < n; i++) k_tuple_items(t)[i] = k_newref(__builtin_va_arg(ap, kval));
    __builtin_va_end(ap);
    return t;
}

kval k_tuple_from_iter(kval iterable) {
    const KType *ty = k_type_of(iterable);
    if (ty == &k_tuple_type) return k_newref(iterable);
    if (ty == &k_list_type) return k_tuple_from_array(k_list_items(iterable), k_list_len_fast(iterable));
    kval l = k_list_from_iter(iterable);
    if (!l) return 0;
    kval t = k_tuple_from_array(k_list_items(l), k_list_len_fast(l));
    k_decref(l);
    return t;
}

i64 k_tuple_len(kval t) { return ((KTuple *)t)->len; }

kval k_tuple_getitem(kval t, i64 i) {
    KTuple *tp = (KTuple *)t;
    if (i < 0) i += tp->len;
    if ((u64)i >= (u64)tp->len) {
        k_raise_str(&k_IndexError_type, "tuple index out of range");
        return 0;
    }
    return k_newref(tp->items[i]);
}

kval k_tuple_slice(kval t, kval start, kval stop, kval step) {
    KTuple *tp = (KTuple *)t;
    i64 lo, hi, st, n;
    if (!k_slice_indices(tp->len, start, stop, step, &lo, &hi, &st, &n)) return 0;
    if (n == tp->len && st == 1) return k_newref(t);
    kval r = k_tuple_new(n);
    for (i64 i = 0, j = lo; i < n; i++, j += st) k_tuple_items(r)[i] = k_newref(tp->items[j]);
    return r;
}

kval k_tuple_concat(kval a, kval b) {
    if (!k_isinstance(b, &k_tuple_type)) {
        k_raise_fmt(&k_TypeError_type, "can only concatenate tuple (not \"%s\") to tuple", k_type_of(b)->name);
        return 0;
    }
    KTuple *ta = (KTuple *)a, *tb = (KTuple *)b;
    if (tb->len == 0) return k_newref(a);
    if (ta->len == 0) return k_newref(b);
    kval r = k_tuple_new(ta->len + tb->len);
    for (i64 i = 0; i < ta->len; i++) k_tuple_items(r)[i] = k_newref(ta->items[i]);
    for (i64 i = 0; i < tb->len; i++) k_tuple_items(r)[ta->len + i] = k_newref(tb->items[i]);
    return r;
}

kval k_tuple_repeat(kval t, i64 n) {
    KTuple *tp = (KTuple *)t;
    if (n == 1) return k_newref(t);
    if (n <= 0 || tp->len == 0) return k_tuple_new(0);
    if (tp->len > (0x7fffffffffffffffLL >> 4) / n) {
        k_raise_str(&k_MemoryError_type, "");
        return 0;
    }
    kval r = k_tuple_new(tp->len * n);
    for (i64 k = 0, j = 0; k < n; k++)
        for (i64 i = 0; i < tp->len; i++) k_tuple_items(r)[j++] = k_newref(tp->items[i]);
    return r;
}

/* Index of the first item equal to v in [start, stop), -1 not found, -2 raised. */
static i64 find(KTuple *t, kval v, i64 start, i64 stop) {
    for (i64 i = start; i < stop && i < t->len; i++) {
        int r = k_eq(t->items[i], v);
        if (r > 0) return i;
        if (r < 0) return -2;
    }
    return -1;
}

int k_tuple_contains(kval t, kval v) {
    i64 i = find((KTuple *)t, v, 0, ((KTuple *)t)->len);
    return i >= 0 ? 1 : i == -1 ? 0 : -1;
}

i64 k_tuple_count(kval t, kval v) {
    KTuple *tp = (KTuple *)t;
    i64 n = 0;
    for (i64 i = 0; i < tp->len; i++) {
        int r = k_eq(tp->items[i], v);
        if (r < 0) return -1;
        n += r;
    }
    return n;
}

static i64 clamp_bound(i64 b, i64 len) {
    if (b < 0) {
        b += len;
        if (b < 0) b = 0;
    }
    return b;
}

i64 k_tuple_index(kval t, kval v, i64 start, i64 stop) {
    KTuple *tp = (KTuple *)t;
    i64 i = find(tp, v, clamp_bound(start, tp->len), clamp_bound(stop, tp->len));
    if (i == -1) k_raise_str(&k_ValueError_type, "tuple.index(x): x not in tuple");
    return i < 0 ? -1 : i;
}

int k_tuple_richcmp(kval a, kval b, int op) {
    if (!k_isinstance(b, &k_tuple_type)) return 2;
    if (k_stack_exhausted(" in comparison")) return -1;
    KTuple *ta = (KTuple *)a, *tb = (KTuple *)b;
    return k_seq_richcmp(ta->items, ta->len, tb->items, tb->len, op);
}

/* tuplehash of CPython 3.11 (64-bit): xxHash's round over the items' hashes. */
#define XXPRIME_1 11400714785074694791ULL
#define XXPRIME_2 14029467366897019727ULL
#define XXPRIME_5 2870177450012600261ULL

i64 k_tuple_hash(kval t) {
    KTuple *tp = (KTuple *)t;
    if (k_stack_exhausted("")) return -1;
    u64 acc = XXPRIME_5;
    for (i64 i = 0; i < tp->len; i++) {
        i64 h = k_hash(tp->items[i]);
        if (h == -1) return -1;
        acc += (u64)h * XXPRIME_2;
        acc = (acc << 31) | (acc >> 33);
        acc *= XXPRIME_1;
    }
    acc += (u64)tp->len ^ (XXPRIME_5 ^ 3527539ULL);
    if (acc == (u64)-1) return 1546275796;
    return (i64)acc;
}

kval k_tuple_repr(kval t) {
    KTuple *tp = (KTuple *)t;
    if (tp->len == 0) return k_str_from_ascii("()", 2);
    if (k_stack_exhausted(" while getting the repr of an object")) return 0;
    if (!k_repr_enter(t)) return k_str_from_ascii("(...)", 5);
    kval parts = k_parts_new();
    k_parts_lit(parts, "(");
    bool ok = 1;
    for (i64 i = 0; ok && i < tp->len; i++) {
        if (i) k_parts_lit(parts, ", ");
        ok = k_parts_repr(parts, tp->items[i]);
    }
    k_repr_leave(t);
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, tp->len == 1 ? ",)" : ")");
    return k_parts_join(parts);
}

/* ---- iteration ---- */

typedef struct { KObj hdr; kval seq; i64 index; } KTupleIter;   /* seq 0: exhausted */

static void tuple_iter_clear(KObj *o) { k_xdecref(((KTupleIter *)o)->seq); }
static kval iter_self(kval it) { return k_newref(it); }

static kval tuple_iter_next(kval self) {
    KTupleIter *it = (KTupleIter *)self;
    if (!it->seq) return 0;
    KTuple *t = (KTuple *)it->seq;
    if (it->index < t->len) return k_newref(t->items[it->index++]);
    k_decref(it->seq);
    it->seq = 0;
    return 0;
}

kval k_tuple_iter(kval t) {
    KTupleIter *it = (KTupleIter *)k_alloc(&k_tuple_iterator_type, sizeof(KTupleIter));
    it->seq = k_newref(t);
    return K_VAL(it);
}

const KType k_tuple_iterator_type = {K_STATIC_HDR(&k_type_type), "tuple_iterator", "builtins", &k_object_type,
                                     sizeof(KTupleIter), 0, .clear = tuple_iter_clear, .iter = iter_self,
                                     .next = tuple_iter_next};
const KType k_tuple_type = {K_STATIC_HDR(&k_type_type), "tuple", "builtins", &k_object_type, sizeof(KTuple), 0,
                            .clear = k_tuple_clear, .repr = k_tuple_repr, .hash = k_tuple_hash,
                            .richcmp = k_tuple_richcmp, .len = k_tuple_len, .iter = k_tuple_iter,
                            .contains = k_tuple_contains};
