/* collections' dict subclasses: defaultdict, Counter and OrderedDict.
 *
 * Each is a KDict (dict.c keeps the entries, in insertion order, which is all the order
 * OrderedDict needs); a defaultdict adds its factory after the KDict. Their KTypes have
 * k_dict_type as base, so the dict's slots and functions serve them, and the compiler
 * lowers their dict operations as a dict's. What differs:
 *   - d[key] of a missing key: dict.c's k_dict_getitem asks k_dict_missing (CPython's
 *     __missing__): a defaultdict calls its factory and stores the value, a Counter
 *     reads 0 without storing it;
 *   - | and |=: dict.c's k_dict_or / k_dict_ior hand subclasses to k_dict_subclass_or /
 *     k_dict_subclass_ior (the result keeps the type; Counters take the maximum counts);
 *   - repr (CPython's forms), == (OrderedDicts compare their order; Counters treat a
 *     missing key as 0 and compare as multisets with <, <=), copy(), and the methods of
 *     Counter and OrderedDict below.
 * Counter's arithmetic follows Lib/collections/__init__.py: binary operators make a new
 * Counter of the positive counts (self's keys first, then the other's new ones); the
 * in-place ones update self, then drop the counts that are not positive.
 */
#include "collections.h"
#include "list.h"
#include "tuple.h"
#include "str.h"
#include "set.h"
#include "int.h"
#include "bytes.h"
#include "dynamic.h"
#include "builtins.h"

static bool is_counter(kval d) { return k_isinstance(d, &k_counter_type); }
static bool is_int(kval v) { return K_IS_SMALL(v) || K_OBJ(v)->type == &k_int_type; }

/* a + b or a - b of two counts: ints inline, anything else as Python's operator. */
static kval count_op(kval a, kval b, int op) {
    if (is_int(a) && is_int(b)) return op == K_ADD ? k_int_add(a, b) : k_int_sub(a, b);
    return k_dyn_binop(a, b, op);
}

/* a op b of two counts (op a comparison): 1, 0, -1 raised. */
static int count_cmp(kval a, kval b, int op) {
    if (K_IS_SMALL(a) && K_IS_SMALL(b)) return k_cmp_holds((i64)a < (i64)b ? -1 : a != b, op);
    return k_richcmp(a, b, op);
}

/* c[key] of a Counter (0 when missing, not stored), a new reference; 0 raised. */
static kval count_of(kval c, kval key) {
    kval v = k_dict_getitem_borrowed(c, key);
    if (v) return k_newref(v);
    return k_exc ? 0 : k_int_small(0);
}

/* ---- construction and copies ---- */

static void dict_subclass_clear(KObj *o) { k_dict_clear(K_VAL(o)); }

/* A factory that is a type is a static object in read-only memory: not counted. */
static bool is_type(kval f) { return k_type_of(f) == &k_type_type; }

static void defaultdict_clear(KObj *o) {
    k_dict_clear(K_VAL(o));
    kval f = ((KDefaultDict *)o)->factory;
    if (!is_type(f)) k_decref(f);
}

kval k_defaultdict_new(kval factory, kval mapping_or_0) {
    KDefaultDict *d = (KDefaultDict *)k_alloc(&k_defaultdict_type, sizeof(KDefaultDict));
    d->factory = is_type(factory) ? factory : k_newref(factory);
    if (mapping_or_0 && k_dict_update(K_VAL(d), mapping_or_0) < 0) {
        k_decref(K_VAL(d));
        return 0;
    }
    return K_VAL(d);
}

kval k_defaultdict_factory(kval d) { return ((KDefaultDict *)d)->factory; }

kval k_counter_new(kval iterable_or_0) {
    kval c = K_VAL(k_alloc(&k_counter_type, sizeof(KDict)));
    if (iterable_or_0 && k_counter_update(c, iterable_or_0) < 0) {
        k_decref(c);
        return 0;
    }
    return c;
}

kval k_ordereddict_new(kval iterable_or_0) {
    kval d = K_VAL(k_alloc(&k_ordereddict_type, sizeof(KDict)));
    if (iterable_or_0 && k_dict_update(d, iterable_or_0) < 0) {
        k_decref(d);
        return 0;
    }
    return d;
}

kval k_collections_copy(kval d) {
    const KType *t = K_OBJ(d)->type;
    kval r = t == &k_defaultdict_type ? k_defaultdict_new(((KDefaultDict *)d)->factory, 0)
           : t == &k_dict_type        ? k_dict_new()
                                      : K_VAL(k_alloc(t, sizeof(KDict)));
    if (k_dict_update(r, d) < 0) {
        k_decref(r);
        return 0;
    }
    return r;
}

/* ---- d[key] of a missing key (dict.c's hook) ---- */

/* factory(): a built-in type's empty value, or a call of a function of no arguments. */
static kval call_factory(kval f) {
    if (!is_type(f)) {
        kval none[1] = {0};
        k_incref(f);                        /* the call may drop the dict's reference */
        kval v = k_call(f, none, 0);
        k_decref(f);
        return v;
    }
    const KType *t = (const KType *)f;
    if (t == &k_int_type) return k_int_small(0);
    if (t == &k_float_type) return k_float_box(0.0);
    if (t == &k_bool_type) return k_False;
    if (t == &k_str_type) return k_str_from_ascii("", 0);
    if (t == &k_bytes_type) return k_bytes_from(0, 0);
    if (t == &k_list_type) return k_list_new(0);
    if (t == &k_tuple_type) return k_tuple_new(0);
    if (t == &k_dict_type) return k_dict_new();
    if (t == &k_set_type) return k_set_new();
    if (t == &k_counter_type) return k_counter_new(0);
    if (t == &k_ordereddict_type) return k_ordereddict_new(0);
    if (t == &k_deque_type) return k_deque_new(0, k_None);
    k_raise_fmt(&k_TypeError_type, "cannot create '%s' instances here", t->name);
    return 0;
}

kval k_dict_missing(kval d, kval key) {
    if (is_counter(d)) return k_int_small(0);
    if (!k_isinstance(d, &k_defaultdict_type)) return 0;
    kval f = ((KDefaultDict *)d)->factory;
    kval v = f == k_None ? 0 : call_factory(f);
    if (v && k_dict_setitem(d, key, v) < 0) {
        k_decref(v);
        return 0;
    }
    return v;
}

/* ---- Counter's methods ---- */

/* c[key] = c.get(key, 0) op delta (op K_ADD or K_SUB), or delta op c.get(key, 0) when
 * delta_first (update's `count + self_get(elem, 0)`). */
static int add_count(kval c, kval key, kval delta, int op, bool delta_first) {
    kval old = count_of(c, key);
    if (!old) return -1;
    kval v = delta_first ? count_op(delta, old, op) : count_op(old, delta, op);
    k_decref(old);
    if (!v) return -1;
    int r = k_dict_setitem(c, key, v);
    k_decref(v);
    return r;
}

/* update (op K_ADD) and subtract (K_SUB): a mapping's counts, or each item once. */
static int count_in(kval c, kval other, int op) {
    if (other == k_None) return 0;
    if (k_isinstance(other, &k_dict_type)) {
        if (op == K_ADD && k_dict_len(c) == 0) return k_dict_update(c, other);   /* CPython's fast path */
        kval key, value;
        for (i64 pos = 0; k_dict_next(other, &pos, &key, &value);) {
            k_incref(key);
            k_incref(value);
            int r = add_count(c, key, value, op, op == K_ADD);
            k_decref(key);
            k_decref(value);
            if (r < 0) return -1;
        }
        return 0;
    }
    kval it = k_iter(other);
    if (!it) return -1;
    for (;;) {
        kval x = k_next(it);
        if (!x) break;
        int r = add_count(c, x, k_int_small(1), op, 0);
        k_decref(x);
        if (r < 0) break;
    }
    k_decref(it);
    return k_exc ? -1 : 0;
}

int k_counter_update(kval c, kval other) { return count_in(c, other, K_ADD); }
int k_counter_subtract(kval c, kval other) { return count_in(c, other, K_SUB); }

/* The (key, count) pairs by count, largest first, ties in insertion order (CPython's
 * sorted(reverse=True) and heapq.nlargest agree on that); n: at most n of them. */
kval k_counter_most_common(kval c, kval n) {
    i64 limit = INT64_MAX;
    if (n != k_None) {
        if (!k_int_to_i64(n, &limit)) limit = k_int_cmp(n, k_int_small(0)) < 0 ? 0 : INT64_MAX;
        if (limit < 0) limit = 0;             /* heapq.nlargest(n < 0, ...) is [] */
    }
    i64 len = k_dict_len(c);
    kval pairs = k_list_new(len);
    kval *counts = k_malloc((u64)(len ? len : 1) * sizeof(kval));
    kval key, value;
    i64 m = 0;
    for (i64 pos = 0; m < len && k_dict_next(c, &pos, &key, &value); m++) {
        k_list_append_steal(pairs, k_tuple_pack(2, key, value));
        counts[m] = value;              /* held by its pair */
    }
    int r = k_sort_array(k_list_items(pairs), counts, m, 1);
    k_mfree(counts);
    if (r < 0) {
        k_decref(pairs);
        return 0;
    }
    if (limit >= m) return pairs;
    kval out = k_list_from_array(k_list_items(pairs), limit);
    k_decref(pairs);
    return out;
}

/* Each key as many times as its count (counts below 1: none), in insertion order. */
kval k_counter_elements(kval c) {
    kval out = k_list_new(0);
    kval key, value;
    for (i64 pos = 0; k_dict_next(c, &pos, &key, &value);) {
        if (value == k_True || value == k_False) value = k_any_int(value);
        if (!is_int(value)) {
            k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(value)->name);
            k_decref(out);
            return 0;
        }
        i64 times;
        if (!k_int_to_i64(value, &times)) times = k_int_cmp(value, k_int_small(0)) < 0 ? 0 : INT64_MAX;
        for (i64 i = 0; i < times; i++) k_list_append(out, key);
    }
    kval it = k_iter(out);
    k_decref(out);
    return it;
}

kval k_counter_total(kval c) {
    kval sum = k_int_small(0), value;
    for (i64 pos = 0; k_dict_next(c, &pos, 0, &value);) {
        kval s = count_op(sum, value, K_ADD);
        k_decref(sum);
        if (!s) return 0;
        sum = s;
    }
    return sum;
}

/* ---- Counter's operators ---- */

/* result[key] = count when count > 0: 0 / -1. */
static int keep_if_positive(kval result, kval key, kval count) {
    int pos = count_cmp(count, k_int_small(0), K_GT);
    return pos <= 0 ? pos : k_dict_setitem(result, key, count);
}

/* The new count of a key of a in a op b. */
static kval combine(kval count, kval other_count, int op) {
    if (op == K_ADD || op == K_SUB) return count_op(count, other_count, op);
    int less = count_cmp(count, other_count, K_LT);
    if (less < 0) return 0;
    return k_newref((op == K_OR) == (less == 1) ? other_count : count);
}

kval k_counter_binop(kval a, kval b, int op) {
    kval result = k_counter_new(0), key, count;
    for (i64 pos = 0; k_dict_next(a, &pos, &key, &count);) {
        k_incref(key);
        k_incref(count);
        kval other = count_of(b, key);
        kval v = other ? combine(count, other, op) : 0;
        int r = v ? keep_if_positive(result, key, v) : -1;
        k_xdecref(other);
        k_xdecref(v);
        k_decref(key);
        k_decref(count);
        if (r < 0) goto fail;
    }
    if (op == K_AND) return result;
    for (i64 pos = 0; k_dict_next(b, &pos, &key, &count);) {
        int in_a = k_dict_contains(a, key);
        if (in_a < 0) goto fail;
        if (in_a) continue;
        k_incref(key);
        kval v = op == K_SUB ? count_op(k_int_small(0), count, K_SUB) : k_newref(count);   /* 0 - count */
        int r = v ? keep_if_positive(result, key, v) : -1;
        k_xdecref(v);
        k_decref(key);
        if (r < 0) goto fail;
    }
    return result;
fail:
    k_decref(result);
    return 0;
}

/* CPython's _keep_positive: delete the keys whose count is not > 0. */
static int keep_positive(kval c) {
    kval doomed = k_list_new(0), key, count;
    int r = 0;
    for (i64 pos = 0; r == 0 && k_dict_next(c, &pos, &key, &count);) {
        int pos_count = count_cmp(count, k_int_small(0), K_GT);
        r = pos_count < 0 ? -1 : pos_count ? 0 : k_list_append(doomed, key);
    }
    for (i64 i = 0; r == 0 && i < k_list_len_fast(doomed); i++) r = k_dict_delitem(c, k_list_get_fast(doomed, i));
    k_decref(doomed);
    return r;
}

/* The new count of key in c op= other (None: unchanged), given c's count and other's. */
static kval inplace_count(kval mine, kval theirs, int op) {
    if (op == K_ADD || op == K_SUB) return count_op(mine, theirs, op);
    int replace = count_cmp(theirs, mine, op == K_OR ? K_GT : K_LT);
    return replace < 0 ? 0 : k_newref(replace ? theirs : k_None);
}

int k_counter_inplace(kval c, kval other, int op) {
    if (!k_isinstance(other, &k_dict_type)) {
        const char *sym = op == K_ADD ? "+" : op == K_SUB ? "-" : op == K_OR ? "|" : "&";
        k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for %s=: 'Counter' and '%s'", sym,
                    k_type_of(other)->name);
        return -1;
    }
    kval walked = op == K_AND ? c : other, key, count;    /* &= goes over c's keys, the others over other's */
    for (i64 pos = 0; k_dict_next(walked, &pos, &key, &count);) {
        k_incref(key);
        k_incref(count);
        kval looked = count_of(walked == c ? other : c, key);
        kval mine = walked == c ? count : looked, theirs = walked == c ? looked : count;
        kval v = looked ? inplace_count(mine, theirs, op) : 0;
        int r = !v ? -1 : v == k_None ? 0 : k_dict_setitem(c, key, v);
        k_xdecref(v);
        k_xdecref(looked);
        k_decref(key);
        k_decref(count);
        if (r < 0) return -1;
    }
    return keep_positive(c);
}

/* ---- | and |= of the subclasses (dict.c's hooks) ---- */

kval k_dict_subclass_or(kval a, kval b) {
    if (is_counter(a) && is_counter(b)) return k_counter_binop(a, b, K_OR);
    /* a Counter with another mapping: dict's | (a plain dict), as CPython's */
    kval r = is_counter(a) ? k_dict_copy(a) : k_collections_copy(a);
    if (r && k_dict_update(r, b) < 0) {
        k_decref(r);
        return 0;
    }
    return r;
}

int k_dict_subclass_ior(kval d, kval other) {
    return is_counter(d) ? k_counter_inplace(d, other, K_OR) : k_dict_update(d, other);
}

/* ---- OrderedDict's methods ---- */

kval k_ordereddict_popitem(kval d, bool last) {
    if (k_dict_len(d) == 0) {
        k_raise_str(&k_KeyError_type, "dictionary is empty");
        return 0;
    }
    if (last) return k_dict_popitem(d);
    kval key;
    i64 pos = 0;
    k_dict_next(d, &pos, &key, 0);
    k_incref(key);
    kval value = k_dict_pop(d, key, 0);
    kval pair = value ? k_tuple_pack(2, key, value) : 0;
    k_decref(key);
    k_xdecref(value);
    return pair;
}

/* ---- comparisons ---- */

/* all(a[e] op b[e] for c in (a, b) for e in c) of two Counters: 1, 0, -1 raised. */
static int all_counts(kval a, kval b, int op) {
    kval sides[2] = {a, b}, key;
    for (int s = 0; s < 2; s++) {
        for (i64 pos = 0; k_dict_next(sides[s], &pos, &key, 0);) {
            k_incref(key);
            kval x = count_of(a, key), y = x ? count_of(b, key) : 0;
            int r = y ? count_cmp(x, y, op) : -1;
            k_xdecref(x);
            k_xdecref(y);
            k_decref(key);
            if (r <= 0) return r;
        }
    }
    return 1;
}

/* Counters as multisets (3.10): == and != by counts, a missing key counting 0; < and <=
 * as inclusion. Against anything else, the dict's comparison. */
static int counter_richcmp(kval a, kval b, int op) {
    if (!is_counter(b)) return 2;
    if (op == K_EQ || op == K_NE) {
        int eq = all_counts(a, b, K_EQ);
        return eq < 0 ? -1 : op == K_EQ ? eq : !eq;
    }
    bool strict = op == K_LT || op == K_GT;
    int r = all_counts(a, b, op == K_LT || op == K_LE ? K_LE : K_GE);
    if (r <= 0 || !strict) return r;
    int eq = all_counts(a, b, K_EQ);
    return eq < 0 ? -1 : !eq;
}

/* Two OrderedDicts are equal when they are equal dicts with their keys in the same order. */
static int ordereddict_richcmp(kval a, kval b, int op) {
    int r = k_dict_richcmp(a, b, op);
    if (r < 0 || r == 2 || !k_isinstance(b, &k_ordereddict_type)) return r;
    bool eq = op == K_EQ ? r : !r;
    kval x, y;
    for (i64 pa = 0, pb = 0; eq && k_dict_next(a, &pa, &x, 0) && k_dict_next(b, &pb, &y, 0);) {
        k_incref(x);
        k_incref(y);
        int e = k_eq(x, y);
        k_decref(x);
        k_decref(y);
        if (e < 0) return -1;
        eq = e;
    }
    return op == K_EQ ? eq : !eq;
}

/* ---- reprs ---- */

/* NAME(inner) with inner's repr. */
static kval wrapped_repr(const char *name, kval inner) {
    kval parts = k_parts_new();
    k_parts_lit(parts, name);
    k_parts_lit(parts, "(");
    if (!k_parts_repr(parts, inner)) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

/* "defaultdict(<class 'list'>, {'a': [1]})": the dict's repr first, then the factory's
 * (guarded against recursion), as CPython's. */
static kval defaultdict_repr(kval d) {
    kval body = k_dict_repr(d);
    if (!body) return 0;
    kval f = ((KDefaultDict *)d)->factory;
    kval parts = k_parts_new();
    k_parts_lit(parts, "defaultdict(");
    bool ok = 1;
    if (k_repr_enter(f)) {
        ok = k_parts_repr(parts, f);
        k_repr_leave(f);
    } else {
        k_parts_lit(parts, "...");
    }
    if (!ok) {
        k_decref(body);
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, ", ");
    k_list_append_steal(parts, body);
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

/* "Counter({'a': 3, 'b': 1})": most common first (insertion order when counts do not
 * compare, as CPython's fallback on TypeError). */
static kval counter_repr(kval c) {
    if (k_dict_len(c) == 0) return k_str_from_ascii("Counter()", 9);
    if (!k_repr_enter(c)) return k_str_from_ascii("...", 3);
    kval inner = 0, pairs = k_counter_most_common(c, k_None);
    if (pairs) {
        inner = k_dict_new();
        if (k_dict_update(inner, pairs) < 0) {
            k_decref(inner);
            inner = 0;
        }
        k_decref(pairs);
    } else if (k_exc_matches(&k_TypeError_type)) {
        k_decref(k_exc_fetch());
        inner = k_dict_copy(c);
    }
    kval r = inner ? wrapped_repr("Counter", inner) : 0;
    k_xdecref(inner);
    k_repr_leave(c);
    return r;
}

/* "OrderedDict([('a', 1)])" (3.11's form). */
static kval ordereddict_repr(kval d) {
    if (k_dict_len(d) == 0) return k_str_from_ascii("OrderedDict()", 13);
    if (!k_repr_enter(d)) return k_str_from_ascii("...", 3);
    kval items = k_dict_items(d);
    kval pairs = k_list_from_iter(items);
    k_decref(items);
    kval r = pairs ? wrapped_repr("OrderedDict", pairs) : 0;
    k_xdecref(pairs);
    k_repr_leave(d);
    return r;
}

const KType k_defaultdict_type = {K_STATIC_HDR(&k_type_type), "defaultdict", "collections", &k_dict_type,
                                  sizeof(KDefaultDict), 0, .clear = defaultdict_clear, .repr = defaultdict_repr};
const KType k_counter_type = {K_STATIC_HDR(&k_type_type), "Counter", "collections", &k_dict_type, sizeof(KDict), 0,
                              .clear = dict_subclass_clear, .repr = counter_repr, .richcmp = counter_richcmp};
const KType k_ordereddict_type = {K_STATIC_HDR(&k_type_type), "OrderedDict", "collections", &k_dict_type,
                                  sizeof(KDict), 0, .clear = dict_subclass_clear, .repr = ordereddict_repr,
                                  .richcmp = ordereddict_richcmp};
