/* range: an arithmetic progression of ints, as CPython's Objects/rangeobject.c.
 *
 * Layout (KRange): start, stop, step as int kvals (step never 0) and len, the number
 * of items. When start and stop fit an i64 and len does too (the common case),
 * small is set and lo/st are start/step as i64: every item lo + i * st lies between
 * start and stop, so item arithmetic cannot overflow. Otherwise items are computed
 * with int.h's arbitrary-precision operations (len of -1 means more than 2**63 - 1
 * items: len() raises OverflowError, as CPython's does past sys.maxsize).
 */
#include "range.h"
#include "int.h"
#include "list.h"
#include "tuple.h"
#include "str.h"

static void range_clear(KObj *o) {
    KRange *r = (KRange *)o;
    k_decref(r->start);
    k_decref(r->stop);
    k_decref(r->step);
}

/* Number of items when start, stop and step fit i64: -1 when it does not fit itself. */
static i64 small_len(i64 lo, i64 hi, i64 st) {
    u64 n;
    if (st > 0) {
        if (lo >= hi) return 0;
        n = ((u64)hi - (u64)lo - 1) / (u64)st + 1;
    } else {
        if (lo <= hi) return 0;
        n = ((u64)lo - (u64)hi - 1) / (0 - (u64)st) + 1;
    }
    return n > 0x7fffffffffffffffULL ? -1 : (i64)n;
}

/* len for big operands: max(0, (stop - start - sign) // step + 1). -1: too big; -2: raised. */
static i64 big_len(kval start, kval stop, kval step) {
    bool up = k_int_cmp(step, k_int_small(0)) > 0;
    int c = k_int_cmp(start, stop);
    if (up ? c >= 0 : c <= 0) return 0;
    kval one = k_int_small(up ? 1 : -1);
    kval d = k_int_sub(stop, start);
    kval d1 = d ? k_int_sub(d, one) : 0;
    kval q = d1 ? k_int_floordiv(d1, step) : 0;
    kval n = q ? k_int_add(q, k_int_small(1)) : 0;
    k_xdecref(d);
    k_xdecref(d1);
    k_xdecref(q);
    if (!n) return -2;
    i64 len;
    bool fits = k_int_to_i64(n, &len);
    k_decref(n);
    return fits ? len : -1;
}

static bool is_int(kval v) { return K_IS_SMALL(v) || (k_type_of(v)->flags & K_TF_INT); }

kval k_range_new(kval start, kval stop, kval step) {
    if (!is_int(start) || !is_int(stop) || !is_int(step)) {
        kval bad = !is_int(start) ? start : !is_int(stop) ? stop : step;
        k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(bad)->name);
        return 0;
    }
    i64 lo, hi, st;
    bool small = k_int_to_i64(start, &lo) && k_int_to_i64(stop, &hi) && k_int_to_i64(step, &st);
    if (small ? st == 0 : k_int_cmp(step, k_int_small(0)) == 0) {
        k_raise_str(&k_ValueError_type, "range() arg 3 must not be zero");
        return 0;
    }
    i64 len = small ? small_len(lo, hi, st) : big_len(start, stop, step);
    if (len == -2) return 0;
    KRange *r = (KRange *)k_alloc(&k_range_type, sizeof(KRange));
    /* bools become the ints they stand for, as range(True) == range(0, 1) */
    r->start = start == k_True || start == k_False ? k_int_small(start == k_True) : k_newref(start);
    r->stop = stop == k_True || stop == k_False ? k_int_small(stop == k_True) : k_newref(stop);
    r->step = step == k_True ? k_int_small(1) : k_newref(step);
    r->len = len;
    r->small = small && len >= 0;
    r->lo = lo;
    r->hi = hi;
    r->st = st;
    return K_VAL(r);
}

kval k_range_new_i64(i64 start, i64 stop, i64 step) {
    kval a = k_int_from_i64(start), b = k_int_from_i64(stop), c = k_int_from_i64(step);
    kval r = k_range_new(a, b, c);
    k_decref(a);
    k_decref(b);
    k_decref(c);
    return r;
}

i64 k_range_len(kval r) {
    i64 n = ((KRange *)r)->len;
    if (n < 0) k_raise_str(&k_OverflowError_type, "Python int too large to convert to C ssize_t");
    return n;
}

/* start + i * step, i a valid index. */
static kval item_at(KRange *r, i64 i) {
    if (r->small) return k_int_from_i64(r->lo + i * r->st);
    kval ki = k_int_from_i64(i);
    kval off = k_int_mul(ki, r->step);
    k_decref(ki);
    if (!off) return 0;
    kval v = k_int_add(r->start, off);
    k_decref(off);
    return v;
}

/* r[i] for a negative i of a range longer than 2**63: start + (len + i) * step, with
 * len = (stop - start + step - 1) // step for a positive step (mirrored when negative). */
static kval item_from_end(KRange *r, i64 i) {
    bool up = k_int_cmp(r->step, k_int_small(0)) > 0;
    kval span = up ? k_int_sub(r->stop, r->start) : k_int_sub(r->start, r->stop);
    kval size = up ? k_newref(r->step) : k_int_neg(r->step);
    kval top = k_int_add(span, size);
    kval top1 = k_int_sub(top, k_int_small(1));
    kval len = k_int_floordiv(top1, size);
    kval idx = k_int_add(len, k_int_from_i64(i));
    kval off = k_int_mul(idx, r->step);
    kval v = k_int_add(r->start, off);
    kval tmp[] = {span, size, top, top1, len, idx, off};
    for (unsigned j = 0; j < sizeof tmp / sizeof tmp[0]; j++) k_decref(tmp[j]);
    return v;
}

kval k_range_getitem(kval rv, i64 i) {
    KRange *r = (KRange *)rv;
    if (r->len < 0) {                   /* more items than an i64 counts */
        if (i >= 0) return item_at(r, i);
        return item_from_end(r, i);
    }
    if (i < 0) i += r->len;
    if ((u64)i >= (u64)r->len) {
        k_raise_str(&k_IndexError_type, "range object index out of range");
        return 0;
    }
    return item_at(r, i);
}

/* An int v is in the range when it lies between start and stop and (v - start) % step == 0. */
static int contains_int(KRange *r, kval v) {
    bool up = k_int_cmp(r->step, k_int_small(0)) > 0;
    int c1 = k_int_cmp(v, r->start), c2 = k_int_cmp(v, r->stop);
    if (up ? (c1 < 0 || c2 >= 0) : (c1 > 0 || c2 <= 0)) return 0;
    kval d = k_int_sub(v, r->start);
    kval m = d ? k_int_mod(d, r->step) : 0;
    k_xdecref(d);
    if (!m) return -1;
    int res = m == k_int_small(0);
    k_decref(m);
    return res;
}

int k_range_contains(kval rv, kval v) {
    KRange *r = (KRange *)rv;
    if (K_IS_SMALL(v) && r->small) {
        i64 x = (i64)v >> 1;
        if (r->st > 0 ? (x < r->lo || x >= r->hi) : (x > r->lo || x <= r->hi)) return 0;
        if (r->st > 0) return ((u64)x - (u64)r->lo) % (u64)r->st == 0;    /* distances are >= 0 */
        return ((u64)r->lo - (u64)x) % (0 - (u64)r->st) == 0;
    }
    if (K_IS_SMALL(v) || k_type_of(v) == &k_int_type) return contains_int(r, v);
    kval it = k_iter(rv);                 /* other types (floats, bools): compare item by item */
    int res = 0;
    for (;;) {
        kval x = k_next(it);
        if (!x) break;
        res = k_eq(x, v);
        k_decref(x);
        if (res) break;
    }
    k_decref(it);
    return k_exc ? -1 : res;
}

kval k_range_repr(kval rv) {
    KRange *r = (KRange *)rv;
    kval parts = k_parts_new();
    k_parts_lit(parts, "range(");
    bool ok = k_parts_repr(parts, r->start);
    k_parts_lit(parts, ", ");
    ok = ok && k_parts_repr(parts, r->stop);
    if (ok && r->step != k_int_small(1)) {
        k_parts_lit(parts, ", ");
        ok = k_parts_repr(parts, r->step);
    }
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

/* range_equals: equal as sequences (length, then first item, then step). */
static int range_richcmp(kval a, kval b, int op) {
    if ((op != K_EQ && op != K_NE) || k_type_of(b) != &k_range_type) return 2;
    KRange *x = (KRange *)a, *y = (KRange *)b;
    int eq;
    if (x == y) eq = 1;
    else if (x->len != y->len) eq = 0;
    else if (x->len == 0) eq = 1;
    else if (!k_int_eq(x->start, y->start)) eq = 0;
    else eq = x->len == 1 || k_int_eq(x->step, y->step);
    return op == K_EQ ? eq : !eq;
}

/* range_hash: hash((len, start, step)) with None for what len makes irrelevant. */
static i64 range_hash(kval rv) {
    KRange *r = (KRange *)rv;
    kval n = k_int_from_i64(r->len);
    kval t = k_tuple_pack(3, n, r->len ? r->start : k_None, r->len > 1 ? r->step : k_None);
    k_decref(n);
    i64 h = k_tuple_hash(t);
    k_decref(t);
    return h;
}

/* ---- iteration ---- */

typedef struct {
    KObj hdr;
    kval range;         /* kept for big ranges */
    i64 next, step;     /* small: the next value and the step */
    i64 index, len;     /* items produced, and the total */
} KRangeIter;

static void range_iter_clear(KObj *o) { k_decref(((KRangeIter *)o)->range); }
static kval iter_self(kval it) { return k_newref(it); }

static kval range_iter_next(kval self) {
    KRangeIter *it = (KRangeIter *)self;
    if (it->index >= it->len) return 0;
    KRange *r = (KRange *)it->range;
    if (!r->small) return item_at(r, it->index++);
    it->index++;
    i64 v = it->next;
    it->next += it->step;   /* may wrap after the last item (-fwrapv); never used then */
    return k_int_from_i64(v);
}

static kval range_iter(kval rv) {
    KRange *r = (KRange *)rv;
    if (r->len < 0) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C long");
        return 0;
    }
    KRangeIter *it = (KRangeIter *)k_alloc(&k_range_iterator_type, sizeof(KRangeIter));
    it->range = k_newref(rv);
    it->next = r->lo;
    it->step = r->st;
    it->len = r->len;
    return K_VAL(it);
}

static i64 range_len_slot(kval r) { return k_range_len(r); }

const KType k_range_iterator_type = {K_STATIC_HDR(&k_type_type), "range_iterator", "builtins", &k_object_type,
                                     sizeof(KRangeIter), 0, .clear = range_iter_clear, .iter = iter_self,
                                     .next = range_iter_next};
const KType k_range_type = {K_STATIC_HDR(&k_type_type), "range", "builtins", &k_object_type, sizeof(KRange), 0,
                            .clear = range_clear, .repr = k_range_repr, .hash = range_hash,
                            .richcmp = range_richcmp, .len = range_len_slot, .iter = range_iter,
                            .contains = k_range_contains};
