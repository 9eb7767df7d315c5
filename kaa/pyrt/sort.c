/* Sorting: list.sort(), sorted(), min() and max(), as CPython's Objects/listobject.c
 * and Python/bltinmodule.c define them.
 *
 * The sort is a stable natural merge sort in the shape of timsort (Objects/listsort.txt):
 *   - the array is cut into runs: a maximal non-descending run, or a strictly
 *     descending one reversed in place (strictness keeps the sort stable); runs
 *     shorter than minrun (32..64, from n) are extended by binary insertion sort;
 *   - runs go on a stack whose lengths keep timsort's invariants (each run longer
 *     than the next two combined), merging the top ones when they would not, and
 *     everything is merged at the end;
 *   - a merge first skips the prefix of the left run that is <= the right run's first
 *     item and the suffix of the right run that is >= the left run's last (binary
 *     searches), then merges through a temporary copy of the shorter run.
 * Items are (key, value) pairs: the key is the value itself, or key(value) computed
 * for every item before sorting (as CPython does). "a < b" is k_richcmp(a, b, K_LT),
 * or a direct comparison when every key is a small int, a str or a float (CPython's
 * pre-sort type check). A comparison may raise: the sort stops at once, and the
 * array still holds every item (in some order). reverse=True reverses, sorts and
 * reverses again, which keeps equal items in their original order.
 * While a list is sorted it looks empty; if it was changed meanwhile, ValueError
 * "list modified during sort".
 */
#include "list.h"
#include "str.h"

typedef struct { kval key, value; } KSortItem;

typedef struct {
    int (*lt)(kval a, kval b);      /* 1 a < b, 0 not, -1 raised */
    KSortItem *tmp;                 /* merge buffer */
    i64 tmp_cap;
} SortState;

/* ---- comparisons ---- */

static int lt_generic(kval a, kval b) { return k_richcmp(a, b, K_LT); }
static int lt_small_int(kval a, kval b) { return (i64)a < (i64)b; }
static int lt_float(kval a, kval b) { return k_float_unbox(a) < k_float_unbox(b); }

/* UTF-8 byte order is code point order. */
static int lt_str(kval a, kval b) {
    const KStr *x = (const KStr *)a, *y = (const KStr *)b;
    i64 n = x->nbytes < y->nbytes ? x->nbytes : y->nbytes;
    int c = __builtin_memcmp(x->data, y->data, (u64)n);
    return c < 0 || (c == 0 && x->nbytes < y->nbytes);
}

static int (*choose_lt(const KSortItem *a, i64 n))(kval, kval) {
    bool ints = 1, strs = 1, floats = 1;
    for (i64 i = 0; i < n; i++) {
        kval k = a[i].key;
        if (K_IS_SMALL(k)) {
            strs = floats = 0;
        } else {
            ints = 0;
            if (K_OBJ(k)->type != &k_str_type) strs = 0;
            if (K_OBJ(k)->type != &k_float_type) floats = 0;
        }
        if (!ints && !strs && !floats) return lt_generic;
    }
    return ints ? lt_small_int : strs ? lt_str : floats ? lt_float : lt_generic;
}

/* ---- runs ---- */

static void reverse_items(KSortItem *a, i64 n) {
    for (i64 i = 0, j = n - 1; i < j; i++, j--) {
        KSortItem t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Sort a[0..n) given a[0..sorted) is sorted: binary insertion. 0 / -1. */
static int binary_insertion(SortState *s, KSortItem *a, i64 sorted, i64 n) {
    for (i64 i = sorted; i < n; i++) {
        KSortItem pivot = a[i];
        i64 l = 0, r = i;
        while (l < r) {                    /* the first position whose item is > pivot */
            i64 p = l + ((r - l) >> 1);
            int c = s->lt(pivot.key, a[p].key);
            if (c < 0) return -1;
            if (c) r = p;
            else l = p + 1;
        }
        __builtin_memmove(a + l + 1, a + l, (u64)(i - l) * sizeof(KSortItem));
        a[l] = pivot;
    }
    return 0;
}

/* Length of the run starting at a[0] (made non-descending), or -1 raised. */
static i64 count_run(SortState *s, KSortItem *a, i64 n) {
    if (n == 1) return 1;
    int c = s->lt(a[1].key, a[0].key);
    if (c < 0) return -1;
    i64 k = 2;
    if (c) {                               /* strictly descending */
        for (; k < n; k++) {
            c = s->lt(a[k].key, a[k - 1].key);
            if (c < 0) return -1;
            if (!c) break;
        }
        reverse_items(a, k);
        return k;
    }
    for (; k < n; k++) {
        c = s->lt(a[k].key, a[k - 1].key);
        if (c < 0) return -1;
        if (c) break;
    }
    return k;
}

static i64 minrun(i64 n) {
    i64 r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* ---- merging ---- */

/* First index in a[0..n) whose key is > x (x goes after equal keys); -1 raised. */
static i64 bisect_right(SortState *s, kval x, const KSortItem *a, i64 n) {
    i64 l = 0, r = n;
    while (l < r) {
        i64 p = l + ((r - l) >> 1);
        int c = s->lt(x, a[p].key);
        if (c < 0) return -1;
        if (c) r = p;
        else l = p + 1;
    }
    return l;
}

/* First index in a[0..n) whose key is >= x; -1 raised. */
static i64 bisect_left(SortState *s, kval x, const KSortItem *a, i64 n) {
    i64 l = 0, r = n;
    while (l < r) {
        i64 p = l + ((r - l) >> 1);
        int c = s->lt(a[p].key, x);
        if (c < 0) return -1;
        if (c) l = p + 1;
        else r = p;
    }
    return l;
}

static KSortItem *tmp_for(SortState *s, i64 n) {
    if (n > s->tmp_cap) {
        k_mfree(s->tmp);
        s->tmp = k_malloc((u64)n * sizeof(KSortItem));
        s->tmp_cap = n;
    }
    return s->tmp;
}

/* Merge a[0..na) and b = a[na..na+nb), na <= nb: copy the left run out, fill from the front. */
static int merge_lo(SortState *s, KSortItem *a, i64 na, i64 nb) {
    KSortItem *t = tmp_for(s, na), *b = a + na, *end = b + nb, *dest = a;
    __builtin_memcpy(t, a, (u64)na * sizeof(KSortItem));
    i64 i = 0;
    int err = 0;
    while (i < na && b < end) {
        int c = s->lt(b->key, t[i].key);
        if (c < 0) {
            err = -1;
            break;
        }
        *dest++ = c ? *b++ : t[i++];
    }
    __builtin_memcpy(dest, t + i, (u64)(na - i) * sizeof(KSortItem));   /* the gap left is exactly na - i */
    return err;
}

/* Merge with nb < na: copy the right run out, fill from the back. */
static int merge_hi(SortState *s, KSortItem *a, i64 na, i64 nb) {
    KSortItem *t = tmp_for(s, nb), *ap = a + na - 1, *dest = a + na + nb - 1;
    __builtin_memcpy(t, a + na, (u64)nb * sizeof(KSortItem));
    i64 j = nb - 1;
    int err = 0;
    while (j >= 0 && ap >= a) {
        int c = s->lt(t[j].key, ap->key);
        if (c < 0) {
            err = -1;
            break;
        }
        *dest-- = c ? *ap-- : t[j--];
    }
    __builtin_memcpy(a + (ap - a) + 1, t, (u64)(j + 1) * sizeof(KSortItem));
    return err;
}

static int merge_runs(SortState *s, KSortItem *a, i64 na, i64 nb) {
    i64 k = bisect_right(s, a[na].key, a, na);     /* a[0..k) are already in place */
    if (k < 0) return -1;
    a += k;
    na -= k;
    if (na == 0) return 0;
    nb = bisect_left(s, a[na - 1].key, a + na, nb);  /* b's items from nb on are in place */
    if (nb <= 0) return (int)nb;
    return na <= nb ? merge_lo(s, a, na, nb) : merge_hi(s, a, na, nb);
}

/* ---- the run stack ---- */

typedef struct { i64 base, len; } Run;

static int merge_at(SortState *s, KSortItem *a, Run *runs, i64 *n, i64 i) {
    Run *x = &runs[i], *y = &runs[i + 1];
    int r = merge_runs(s, a + x->base, x->len, y->len);
    x->len += y->len;
    if (i == *n - 3) runs[i + 1] = runs[i + 2];
    (*n)--;
    return r;
}

/* Restore the invariants |Z| > |Y| + |X| and |Y| > |X| over the top runs (listsort.txt). */
static int merge_collapse(SortState *s, KSortItem *a, Run *runs, i64 *n) {
    while (*n > 1) {
        i64 i = *n - 2;
        if ((i > 0 && runs[i - 1].len <= runs[i].len + runs[i + 1].len) ||
            (i > 1 && runs[i - 2].len <= runs[i - 1].len + runs[i].len)) {
            if (runs[i - 1].len < runs[i + 1].len) i--;
        } else if (runs[i].len > runs[i + 1].len) {
            break;
        }
        if (merge_at(s, a, runs, n, i) < 0) return -1;
    }
    return 0;
}

static int sort_items(KSortItem *a, i64 n) {
    if (n < 2) return 0;
    SortState s = {choose_lt(a, n), 0, 0};
    Run runs[128];
    i64 nruns = 0, lo = 0, min = minrun(n);
    int r = 0;
    while (r == 0 && lo < n) {
        i64 len = count_run(&s, a + lo, n - lo);
        if (len < 0) {
            r = -1;
            break;
        }
        if (len < min) {
            i64 force = n - lo < min ? n - lo : min;
            if (binary_insertion(&s, a + lo, len, force) < 0) {
                r = -1;
                break;
            }
            len = force;
        }
        runs[nruns++] = (Run){lo, len};
        lo += len;
        r = merge_collapse(&s, a, runs, &nruns);
    }
    while (r == 0 && nruns > 1) {
        i64 i = nruns - 2;
        if (i > 0 && runs[i - 1].len < runs[i + 1].len) i--;
        r = merge_at(&s, a, runs, &nruns, i);
    }
    k_mfree(s.tmp);
    return r;
}

/* ---- entry points ---- */

int k_sort_array(kval *values, kval *keys_or_0, i64 n, bool reverse) {
    KSortItem *a = k_malloc((u64)(n ? n : 1) * sizeof(KSortItem));
    for (i64 i = 0; i < n; i++) a[i] = (KSortItem){keys_or_0 ? keys_or_0[i] : values[i], values[i]};
    if (reverse) reverse_items(a, n);
    int r = sort_items(a, n);
    if (reverse) reverse_items(a, n);
    for (i64 i = 0; i < n; i++) {
        values[i] = a[i].value;
        if (keys_or_0) keys_or_0[i] = a[i].key;
    }
    k_mfree(a);
    return r;
}

/* keys[i] = key(values[i]); false: raised (keys computed so far released). */
static bool compute_keys(kval key, const kval *values, kval *keys, i64 n) {
    for (i64 i = 0; i < n; i++) {
        keys[i] = k_call(key, &values[i], 1);
        if (!keys[i]) {
            for (i64 j = 0; j < i; j++) k_decref(keys[j]);
            return 0;
        }
    }
    return 1;
}

int k_list_sort(kval list, kval key_or_0, bool reverse) {
    KList *l = (KList *)list;
    kval *items = l->items;
    i64 n = l->len, cap = l->cap;
    l->items = 0;                      /* the list looks empty while it is sorted */
    l->len = l->cap = 0;
    kval *keys = 0;
    int r = 0;
    if (key_or_0 && n > 0) {
        keys = k_malloc((u64)n * sizeof(kval));
        if (!compute_keys(key_or_0, items, keys, n)) {
            k_mfree(keys);
            keys = 0;
            r = -1;
        }
    }
    if (r == 0) r = k_sort_array(items, keys, n, reverse);
    if (keys) {
        for (i64 i = 0; i < n; i++) k_decref(keys[i]);
        k_mfree(keys);
    }
    if (l->items || l->len) {          /* changed during the sort: drop what was put there */
        if (r == 0) k_raise_str(&k_ValueError_type, "list modified during sort");
        r = -1;
        k_list_clear(list);
    }
    l->items = items;
    l->len = n;
    l->cap = cap;
    return r;
}

kval k_sorted(kval iterable, kval key_or_0, bool reverse) {
    kval list = k_list_from_iter(iterable);
    if (!list) return 0;
    if (k_list_sort(list, key_or_0, reverse) < 0) {
        k_decref(list);
        return 0;
    }
    return list;
}

/* min() / max() over an iterable (bltinmodule.c's min_max): the first of the extreme items. */
kval k_min_max(kval iterable, kval key_or_0, bool is_max, kval dflt_or_0) {
    kval it = k_iter(iterable);
    if (!it) return 0;
    kval best = 0, best_key = 0;
    for (;;) {
        kval item = k_next(it);
        if (!item) break;
        kval key = key_or_0 ? k_call(key_or_0, &item, 1) : k_newref(item);
        if (!key) {
            k_decref(item);
            break;
        }
        int c = best ? k_richcmp(key, best_key, is_max ? K_GT : K_LT) : 1;
        if (c > 0) {
            k_xdecref(best);
            k_xdecref(best_key);
            best = item;
            best_key = key;
        } else {
            k_decref(item);
            k_decref(key);
            if (c < 0) break;
        }
    }
    k_decref(it);
    k_xdecref(best_key);
    if (k_exc) {
        k_xdecref(best);
        return 0;
    }
    if (best) return best;
    if (dflt_or_0) return k_newref(dflt_or_0);
    k_raise_fmt(&k_ValueError_type, "%s() arg is an empty sequence", is_max ? "max" : "min");
    return 0;
}
