/* list: a growable array of kvals, as CPython's Objects/listobject.c.
 *
 * Layout (KList): len items live in items[0..len); cap >= len slots are allocated
 * (items may be NULL when cap == 0). The list owns one reference to each item.
 * Growth follows CPython's list_resize: a new capacity of about len * 9/8 + 6,
 * rounded to a multiple of 4 (len * 3/2 from 4096 items on, as every resize copies),
 * so appends are amortised O(1).
 *
 * Reentrancy: comparing or printing items can run user code (__eq__, __repr__) that
 * mutates the list, so loops re-read len and items at each step and hold a reference
 * to the item they work on; operations that drop references (clear, slice assignment)
 * first put the list in its final state, then decref what they removed.
 *
 * Also here: the reprs' recursion guard (k_repr_enter/k_repr_leave, CPython's
 * Py_ReprEnter), the parts builder the containers' reprs use, and k_len.
 * Sorting is in sort.c.
 */
#include "list.h"
#include "slice.h"
#include "str.h"
#include "tuple.h"
#include "dict.h"
#include "set.h"
#include "range.h"
#include "int.h"

#define I64_MAX 0x7fffffffffffffffLL

/* ---- storage ---- */

/* Make room for at least `need` items, over-allocating as CPython does. */
static int list_reserve(KList *l, i64 need) {
    if (need <= l->cap) return 0;
    if (need > (I64_MAX >> 4)) {
        k_raise_str(&k_MemoryError_type, "");
        return -1;
    }
    /* CPython's 1/8 over-allocation; big lists grow by half, since k_mrealloc always copies. */
    i64 cap = (need + (need >= 4096 ? need >> 1 : need >> 3) + 6) & ~(i64)3;
    if (need - l->len > cap - need) cap = (need + 3) & ~(i64)3;
    l->items = k_mrealloc(l->items, (u64)l->cap * sizeof(kval), (u64)cap * sizeof(kval));
    l->cap = cap;
    return 0;
}

static void list_clear_slot(KObj *o) {
    KList *l = (KList *)o;
    kval *items = l->items;
    i64 n = l->len;
    l->items = 0;
    l->len = l->cap = 0;
    for (i64 i = 0; i < n; i++) k_decref(items[i]);
    k_mfree(items);
}

kval k_list_new(i64 cap) {
    KList *l = (KList *)k_alloc(&k_list_type, sizeof(KList));
    if (cap > 0) {
        l->items = k_malloc((u64)cap * sizeof(kval));
        l->cap = cap;
    }
    return K_VAL(l);
}

kval k_list_from_array(const kval *items, i64 n) {
    kval v = k_list_new(n);
    KList *l = (KList *)v;
    for (i64 i = 0; i < n; i++) l->items[i] = k_newref(items[i]);
    l->len = n;
    return v;
}

int k_list_append_steal(kval list, kval item) {
    KList *l = (KList *)list;
    if (l->len == l->cap && list_reserve(l, l->len + 1) < 0) {
        k_decref(item);
        return -1;
    }
    l->items[l->len++] = item;
    return 0;
}

int k_list_append(kval list, kval item) {
    k_incref(item);
    return k_list_append_steal(list, item);
}

i64 k_list_len(kval list) { return ((KList *)list)->len; }

/* ---- construction from iterables ---- */

static int extend_array(KList *l, const kval *src, i64 n) {
    if (list_reserve(l, l->len + n) < 0) return -1;
    for (i64 i = 0; i < n; i++) l->items[l->len + i] = k_newref(src[i]);
    l->len += n;
    return 0;
}

static int extend_iter(kval list, kval iterable) {
    kval it = k_iter(iterable);
    if (!it) return -1;
    for (;;) {
        kval x = k_next(it);
        if (!x) break;
        if (k_list_append_steal(list, x) < 0) break;
    }
    k_decref(it);
    return k_exc ? -1 : 0;
}

int k_list_extend(kval list, kval iterable) {
    KList *l = (KList *)list;
    const KType *t = k_type_of(iterable);
    if (t == &k_list_type) {
        KList *src = (KList *)iterable;
        if (src == l) {             /* a.extend(a): the source grows while we copy */
            i64 n = l->len;
            if (list_reserve(l, 2 * n) < 0) return -1;
            for (i64 i = 0; i < n; i++) l->items[n + i] = k_newref(l->items[i]);
            l->len = 2 * n;
            return 0;
        }
        return extend_array(l, src->items, src->len);
    }
    if (t == &k_tuple_type) return extend_array(l, k_tuple_items(iterable), k_tuple_len_fast(iterable));
    if (t == &k_dict_type) {
        if (list_reserve(l, l->len + k_dict_len(iterable)) < 0) return -1;
        kval key;
        for (i64 pos = 0; k_dict_next(iterable, &pos, &key, 0);) k_list_append(list, key);
        return 0;
    }
    if (t == &k_set_type) {
        if (list_reserve(l, l->len + k_set_len(iterable)) < 0) return -1;
        kval key;
        for (i64 pos = 0; k_set_next(iterable, &pos, &key);) k_list_append(list, key);
        return 0;
    }
    if (t == &k_range_type && ((KRange *)iterable)->small) {
        KRange *r = (KRange *)iterable;
        if (list_reserve(l, l->len + r->len) < 0) return -1;
        for (i64 i = 0, x = r->lo; i < r->len; i++, x += r->st) l->items[l->len++] = k_int_from_i64(x);
        return 0;
    }
    if (t == &k_str_type && list_reserve(l, l->len + k_str_len(iterable)) < 0) return -1;
    return extend_iter(list, iterable);
}

kval k_list_from_iter(kval iterable) {
    kval list = k_list_new(0);
    if (k_list_extend(list, iterable) < 0) {
        k_decref(list);
        return 0;
    }
    return list;
}

kval k_list_iadd(kval list, kval iterable) {
    if (k_list_extend(list, iterable) < 0) return 0;
    return k_newref(list);
}

/* ---- single items ---- */

kval k_list_getitem(kval list, i64 i) {
    KList *l = (KList *)list;
    if (i < 0) i += l->len;
    if ((u64)i >= (u64)l->len) {
        k_raise_str(&k_IndexError_type, "list index out of range");
        return 0;
    }
    return k_newref(l->items[i]);
}

int k_list_setitem(kval list, i64 i, kval v) {
    KList *l = (KList *)list;
    if (i < 0) i += l->len;
    if ((u64)i >= (u64)l->len) {
        k_raise_str(&k_IndexError_type, "list assignment index out of range");
        return -1;
    }
    kval old = l->items[i];
    l->items[i] = k_newref(v);
    k_decref(old);
    return 0;
}

int k_list_delitem(kval list, i64 i) {
    KList *l = (KList *)list;
    if (i < 0) i += l->len;
    if ((u64)i >= (u64)l->len) {
        k_raise_str(&k_IndexError_type, "list assignment index out of range");
        return -1;
    }
    kval old = l->items[i];
    __builtin_memmove(l->items + i, l->items + i + 1, (u64)(l->len - i - 1) * sizeof(kval));
    l->len--;
    k_decref(old);
    return 0;
}

int k_list_insert(kval list, i64 i, kval v) {
    KList *l = (KList *)list;
    if (list_reserve(l, l->len + 1) < 0) return -1;
    if (i < 0) {
        i += l->len;
        if (i < 0) i = 0;
    }
    if (i > l->len) i = l->len;
    __builtin_memmove(l->items + i + 1, l->items + i, (u64)(l->len - i) * sizeof(kval));
    l->items[i] = k_newref(v);
    l->len++;
    return 0;
}

kval k_list_pop(kval list, i64 i) {
    KList *l = (KList *)list;
    if (l->len == 0) {
        k_raise_str(&k_IndexError_type, "pop from empty list");
        return 0;
    }
    if (i < 0) i += l->len;
    if ((u64)i >= (u64)l->len) {
        k_raise_str(&k_IndexError_type, "pop index out of range");
        return 0;
    }
    kval v = l->items[i];
    __builtin_memmove(l->items + i, l->items + i + 1, (u64)(l->len - i - 1) * sizeof(kval));
    l->len--;
    return v;
}

/* Index of the first item equal to v in [start, stop) (stop re-checked against len as
 * items may vanish), -1 not found, -2 raised. */
static i64 find(KList *l, kval v, i64 start, i64 stop) {
    for (i64 i = start; i < stop && i < l->len; i++) {
        kval x = l->items[i];
        if (x == v) return i;
        k_incref(x);
        int r = k_eq(x, v);
        k_decref(x);
        if (r > 0) return i;
        if (r < 0) return -2;
    }
    return -1;
}

int k_list_remove(kval list, kval v) {
    i64 i = find((KList *)list, v, 0, I64_MAX);
    if (i == -1) k_raise_str(&k_ValueError_type, "list.remove(x): x not in list");
    if (i < 0) return -1;
    return k_list_delitem(list, i);
}

/* CPython's clamping of index()'s optional bounds. */
static i64 clamp_bound(i64 b, i64 len) {
    if (b < 0) {
        b += len;
        if (b < 0) b = 0;
    }
    return b;
}

i64 k_list_index(kval list, kval v, i64 start, i64 stop) {
    KList *l = (KList *)list;
    i64 i = find(l, v, clamp_bound(start, l->len), clamp_bound(stop, l->len));
    if (i == -1) k_raise_fmt(&k_ValueError_type, "%R is not in list", v);
    return i < 0 ? -1 : i;
}

i64 k_list_count(kval list, kval v) {
    KList *l = (KList *)list;
    i64 n = 0;
    for (i64 i = 0; i < l->len; i++) {
        kval x = l->items[i];
        if (x == v) {
            n++;
            continue;
        }
        k_incref(x);
        int r = k_eq(x, v);
        k_decref(x);
        if (r < 0) return -1;
        n += r;
    }
    return n;
}

int k_list_contains(kval list, kval v) {
    i64 i = find((KList *)list, v, 0, I64_MAX);
    return i >= 0 ? 1 : i == -1 ? 0 : -1;
}

void k_list_reverse(kval list) {
    KList *l = (KList *)list;
    for (i64 i = 0, j = l->len - 1; i < j; i++, j--) {
        kval t = l->items[i];
        l->items[i] = l->items[j];
        l->items[j] = t;
    }
}

kval k_list_copy(kval list) { return k_list_from_array(((KList *)list)->items, ((KList *)list)->len); }

void k_list_clear(kval list) { list_clear_slot(K_OBJ(list)); }

/* ---- slices ---- */

kval k_list_slice(kval list, kval start, kval stop, kval step) {
    KList *l = (KList *)list;
    i64 lo, hi, st, n;
    if (!k_slice_indices(l->len, start, stop, step, &lo, &hi, &st, &n)) return 0;
    if (st == 1) return k_list_from_array(l->items + lo, n);
    kval r = k_list_new(n);
    KList *rl = (KList *)r;
    for (i64 i = 0, j = lo; i < n; i++, j += st) rl->items[i] = k_newref(l->items[j]);
    rl->len = n;
    return r;
}

/* Replace items [lo, hi) with src[0..n) (CPython's list_ass_slice). src must not alias
 * the list's own array. */
static int replace_range(KList *l, i64 lo, i64 hi, const kval *src, i64 n) {
    i64 old_n = hi - lo, delta = n - old_n;
    kval stack_buf[8];
    kval *removed = old_n <= 8 ? stack_buf : k_malloc((u64)old_n * sizeof(kval));
    __builtin_memcpy(removed, l->items + lo, (u64)old_n * sizeof(kval));
    if (delta > 0 && list_reserve(l, l->len + delta) < 0) {
        if (removed != stack_buf) k_mfree(removed);
        return -1;
    }
    __builtin_memmove(l->items + hi + delta, l->items + hi, (u64)(l->len - hi) * sizeof(kval));
    for (i64 i = 0; i < n; i++) l->items[lo + i] = k_newref(src[i]);
    l->len += delta;
    for (i64 i = 0; i < old_n; i++) k_decref(removed[i]);
    if (removed != stack_buf) k_mfree(removed);
    return 0;
}

/* The items of an iterable as an array: list and tuple directly (after a copy when it is
 * the target list itself), others through a temporary list. *hold: the reference to drop. */
static bool as_array(kval list, kval v, const char *type_error, const kval **items, i64 *n, kval *hold) {
    const KType *t = k_type_of(v);
    if (v == list) v = k_list_copy(v);
    else if (t == &k_list_type || t == &k_tuple_type) k_incref(v);
    else {
        kval it = k_iter(v);
        if (!it) {
            if (k_exc_matches(&k_TypeError_type)) {
                k_decref(k_exc_fetch());
                k_raise_str(&k_TypeError_type, type_error);
            }
            return 0;
        }
        k_decref(it);
        v = k_list_from_iter(v);
        if (!v) return 0;
    }
    *hold = v;
    if (k_type_of(v) == &k_tuple_type) {
        *n = k_tuple_len_fast(v);
        *items = k_tuple_items(v);
    } else {
        *n = ((KList *)v)->len;
        *items = ((KList *)v)->items;
    }
    return 1;
}

static int assign_extended(KList *l, i64 lo, i64 st, i64 count, const kval *src, i64 n) {
    if (n != count) {
        k_raise_fmt(&k_ValueError_type, "attempt to assign sequence of size %d to extended slice of size %d", n, count);
        return -1;
    }
    for (i64 i = 0, j = lo; i < n; i++, j += st) {
        kval old = l->items[j];
        l->items[j] = k_newref(src[i]);
        k_decref(old);
    }
    return 0;
}

int k_list_set_slice(kval list, kval start, kval stop, kval step, kval iterable) {
    KList *l = (KList *)list;
    i64 lo, hi, st, count, n;
    if (!k_slice_indices(l->len, start, stop, step, &lo, &hi, &st, &count)) return -1;
    kval hold;
    const kval *src;
    if (!as_array(list, iterable, st == 1 ? "can only assign an iterable" : "must assign iterable to extended slice",
                  &src, &n, &hold))
        return -1;
    int r;
    if (st == 1) r = replace_range(l, lo, hi < lo ? lo : hi, src, n);
    else r = assign_extended(l, lo, st, count, src, n);
    k_decref(hold);
    return r;
}

int k_list_del_slice(kval list, kval start, kval stop, kval step) {
    KList *l = (KList *)list;
    i64 lo, hi, st, count;
    if (!k_slice_indices(l->len, start, stop, step, &lo, &hi, &st, &count)) return -1;
    if (st == 1) return replace_range(l, lo, hi < lo ? lo : hi, 0, 0);
    if (count <= 0) return 0;
    if (st < 0) {                       /* the same items, walked upwards */
        lo = lo + st * (count - 1);
        st = -st;
    }
    kval *removed = k_malloc((u64)count * sizeof(kval));
    i64 w = lo, k = 0;
    for (i64 i = lo; i < l->len; i++) {
        if (k < count && i == lo + k * st) removed[k++] = l->items[i];
        else l->items[w++] = l->items[i];
    }
    l->len = w;
    for (i64 i = 0; i < count; i++) k_decref(removed[i]);
    k_mfree(removed);
    return 0;
}

/* ---- operators ---- */

kval k_list_concat(kval a, kval b) {
    if (k_type_of(b) != &k_list_type && !k_isinstance(b, &k_list_type)) {
        k_raise_fmt(&k_TypeError_type, "can only concatenate list (not \"%s\") to list", k_type_of(b)->name);
        return 0;
    }
    KList *la = (KList *)a, *lb = (KList *)b;
    kval r = k_list_new(la->len + lb->len);
    extend_array((KList *)r, la->items, la->len);
    extend_array((KList *)r, lb->items, lb->len);
    return r;
}

kval k_list_repeat(kval list, i64 n) {
    KList *l = (KList *)list;
    if (n <= 0 || l->len == 0) return k_list_new(0);
    if (l->len > (I64_MAX >> 4) / n) {
        k_raise_str(&k_MemoryError_type, "");
        return 0;
    }
    kval r = k_list_new(l->len * n);
    for (i64 i = 0; i < n; i++) extend_array((KList *)r, l->items, l->len);
    return r;
}

int k_list_imul(kval list, i64 n) {
    KList *l = (KList *)list;
    if (n <= 0 || l->len == 0) {
        k_list_clear(list);
        return 0;
    }
    if (l->len > (I64_MAX >> 4) / n) {
        k_raise_str(&k_MemoryError_type, "");
        return -1;
    }
    i64 len = l->len;
    if (list_reserve(l, len * n) < 0) return -1;
    for (i64 i = 1; i < n; i++) extend_array(l, l->items, len);
    return 0;
}

/* Comparing sequences whose common prefix is equal: the lengths decide. */
static int size_cmp(i64 na, i64 nb, int op) {
    return k_cmp_holds((na > nb) - (na < nb), op);
}

/* Lexicographic comparison of two arrays (CPython's list_richcompare / tuplerichcompare):
 * the first index where the items differ by ==, then that pair decides. */
int k_seq_richcmp(const kval *a, i64 na, const kval *b, i64 nb, int op) {
    if ((op == K_EQ || op == K_NE) && na != nb) return op == K_NE;
    i64 i = 0;
    for (; i < na && i < nb; i++) {
        int r = k_eq(a[i], b[i]);
        if (r < 0) return -1;
        if (!r) break;
    }
    if (i >= na || i >= nb) return size_cmp(na, nb, op);
    if (op == K_EQ) return 0;
    if (op == K_NE) return 1;
    return k_richcmp(a[i], b[i], op);
}

int k_list_richcmp(kval a, kval b, int op) {
    if (!k_isinstance(b, &k_list_type)) return 2;
    if (k_stack_exhausted(" in comparison")) return -1;
    KList *la = (KList *)a, *lb = (KList *)b;
    if ((op == K_EQ || op == K_NE) && la->len != lb->len) return op == K_NE;
    /* As k_seq_richcmp, re-reading the lengths: comparing items can run code that shrinks the lists. */
    i64 i = 0;
    for (; i < la->len && i < lb->len; i++) {
        kval x = k_newref(la->items[i]), y = k_newref(lb->items[i]);
        int r = k_eq(x, y);
        k_decref(x);
        k_decref(y);
        if (r < 0) return -1;
        if (!r) break;
    }
    if (i >= la->len || i >= lb->len) return size_cmp(la->len, lb->len, op);
    if (op == K_EQ) return 0;
    if (op == K_NE) return 1;
    kval x = k_newref(la->items[i]), y = k_newref(lb->items[i]);
    int r = k_richcmp(x, y, op);
    k_decref(x);
    k_decref(y);
    return r;
}

/* ---- repr ---- */

/* Objects whose repr is being computed (CPython's Py_ReprEnter): a container met again
 * inside its own repr prints as "[...]". */
static kval *repr_stack;
static i64 repr_depth, repr_cap;

bool k_repr_enter(kval o) {
    for (i64 i = 0; i < repr_depth; i++)
        if (repr_stack[i] == o) return 0;
    if (repr_depth == repr_cap) {
        i64 cap = repr_cap ? 2 * repr_cap : 16;
        repr_stack = k_mrealloc(repr_stack, (u64)repr_cap * sizeof(kval), (u64)cap * sizeof(kval));
        repr_cap = cap;
    }
    repr_stack[repr_depth++] = o;
    return 1;
}

void k_repr_leave(kval o) {
    for (i64 i = repr_depth - 1; i >= 0; i--)
        if (repr_stack[i] == o) {
            repr_stack[i] = repr_stack[--repr_depth];
            return;
        }
}

/* Parts builder: a KList of strs joined at the end. */
kval k_parts_new(void) { return k_list_new(8); }

K_STR_LITERAL(lit_comma, ", ", 2, 2);
K_STR_LITERAL(lit_colon, ": ", 2, 2);

void k_parts_lit(kval parts, const char *s) {
    if (s[0] == ',' && s[1] == ' ' && !s[2]) {      /* the separators: static strs */
        k_list_append_steal(parts, K_STR_LIT(lit_comma));
        return;
    }
    if (s[0] == ':' && s[1] == ' ' && !s[2]) {
        k_list_append_steal(parts, K_STR_LIT(lit_colon));
        return;
    }
    i64 n = 0;
    while (s[n]) n++;
    k_list_append_steal(parts, k_str_from_ascii(s, n));
}

bool k_parts_repr(kval parts, kval v) {
    kval r = k_repr(v);
    if (!r) return 0;
    k_list_append_steal(parts, r);
    return 1;
}

kval k_parts_join(kval parts) {
    kval r = k_str_join_parts(((KList *)parts)->items, ((KList *)parts)->len);
    k_decref(parts);
    return r;
}

kval k_list_repr(kval list) {
    KList *l = (KList *)list;
    if (l->len == 0) return k_str_from_ascii("[]", 2);
    if (k_stack_exhausted(" while getting the repr of an object")) return 0;
    if (!k_repr_enter(list)) return k_str_from_ascii("[...]", 5);
    kval parts = k_parts_new();
    k_parts_lit(parts, "[");
    bool ok = 1;
    for (i64 i = 0; ok && i < l->len; i++) {
        if (i) k_parts_lit(parts, ", ");
        kval x = k_newref(l->items[i]);
        ok = k_parts_repr(parts, x);
        k_decref(x);
    }
    k_repr_leave(list);
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, "]");
    return k_parts_join(parts);
}

/* ---- iteration ---- */

typedef struct { KObj hdr; kval seq; i64 index; } KListIter;   /* seq 0: exhausted */

static void list_iter_clear(KObj *o) { k_xdecref(((KListIter *)o)->seq); }
static kval iter_self(kval it) { return k_newref(it); }

static kval list_iter_next(kval self) {
    KListIter *it = (KListIter *)self;
    if (!it->seq) return 0;
    KList *l = (KList *)it->seq;
    if (it->index < l->len) return k_newref(l->items[it->index++]);
    k_decref(it->seq);
    it->seq = 0;
    return 0;
}

static kval list_iter(kval list) {
    KListIter *it = (KListIter *)k_alloc(&k_list_iterator_type, sizeof(KListIter));
    it->seq = k_newref(list);
    return K_VAL(it);
}

static kval list_reviter_next(kval self) {
    KListIter *it = (KListIter *)self;
    if (!it->seq) return 0;
    KList *l = (KList *)it->seq;
    if (it->index >= 0 && it->index < l->len) return k_newref(l->items[it->index--]);
    k_decref(it->seq);
    it->seq = 0;
    return 0;
}

kval k_list_reversed(kval list) {
    KListIter *it = (KListIter *)k_alloc(&k_list_reverseiterator_type, sizeof(KListIter));
    it->seq = k_newref(list);
    it->index = ((KList *)list)->len - 1;
    return K_VAL(it);
}

/* wants object.h: */ i64 k_hash_unhashable(kval v);

const KType k_list_iterator_type = {K_STATIC_HDR(&k_type_type), "list_iterator", "builtins", &k_object_type,
                                    sizeof(KListIter), 0, .clear = list_iter_clear, .iter = iter_self,
                                    .next = list_iter_next};
const KType k_list_reverseiterator_type = {K_STATIC_HDR(&k_type_type), "list_reverseiterator", "builtins",
                                           &k_object_type, sizeof(KListIter), 0, .clear = list_iter_clear,
                                           .iter = iter_self, .next = list_reviter_next};
const KType k_list_type = {K_STATIC_HDR(&k_type_type), "list", "builtins", &k_object_type, sizeof(KList), 0,
                           .clear = list_clear_slot, .repr = k_list_repr, .hash = k_hash_unhashable,
                           .richcmp = k_list_richcmp, .len = k_list_len, .iter = list_iter,
                           .contains = k_list_contains};

/* ---- len() ---- */

i64 k_len(kval v) {
    const KType *t = k_type_of(v);
    if (t == &k_list_type) return ((KList *)v)->len;
    if (t == &k_str_type) return k_str_len(v);
    for (const KType *s = t; s; s = s->base)
        if (s->len) return s->len(v);
    k_raise_fmt(&k_TypeError_type, "object of type '%s' has no len()", t->name);
    return -1;
}
