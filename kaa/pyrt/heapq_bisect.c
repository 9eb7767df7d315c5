/* Python's heapq and bisect modules.
 *
 * heapq: a heap is a list where heap[k] <= heap[2k+1] and heap[k] <= heap[2k+2] (a
 * min-heap; the max-heap variant, used by nsmallest for its bounded candidates, flips
 * every comparison). The sifts are CPython's exactly, so the list's order after each
 * operation is the one CPython prints:
 *   sift_down(start, pos): the item at pos moves up (towards the root, "down" in
 *     heapq.py's words) while it is less than its parent, no further than start;
 *   sift_up(pos): the smaller child moves up into the hole until the hole reaches a
 *     leaf, then the item that was at pos is sifted down from there (fewer comparisons
 *     than stopping early; Knuth's observation that heapq.py cites).
 * Items move by swapping, so the list holds every item at every moment: a comparison
 * runs arbitrary code (a class's __lt__) that may look at the list, or change it, which
 * raises RuntimeError as CPython's C heapq does.
 *
 * bisect: binary search over lo..hi with `x < a[mid]` (right) or `a[mid] < x` (left);
 * key= applies to the items of a, not to x (insort applies it to x as well).
 */
#include "heapq_bisect.h"
#include "list.h"
#include "tuple.h"
#include "int.h"
#include "dynamic.h"

/* ---- heaps ---- */

/* a < b for the heap's order: min-heap a < b, max-heap b < a. 1, 0, -1 raised. Both are
 * held across the comparison, which may drop the list's references to them. */
static int before(kval a, kval b, bool max) {
    k_incref(a);
    k_incref(b);
    int c = max ? k_richcmp(b, a, K_LT) : k_richcmp(a, b, K_LT);
    k_decref(a);
    k_decref(b);
    return c;
}

static int changed_size(void) {
    k_raise_str(&k_RuntimeError_type, "list changed size during iteration");
    return -1;
}

static void swap(kval heap, i64 i, i64 j) {
    kval *items = k_list_items(heap);
    kval t = items[i];
    items[i] = items[j];
    items[j] = t;
}

static int sift_down(kval heap, i64 start, i64 pos, bool max) {
    i64 size = k_list_len_fast(heap);
    while (pos > start) {
        i64 parent = (pos - 1) >> 1;
        int c = before(k_list_get_fast(heap, pos), k_list_get_fast(heap, parent), max);
        if (c < 0) return -1;
        if (size != k_list_len_fast(heap)) return changed_size();
        if (!c) break;
        swap(heap, pos, parent);
        pos = parent;
    }
    return 0;
}

static int sift_up(kval heap, i64 pos, bool max) {
    i64 end = k_list_len_fast(heap), start = pos;
    while (pos < end / 2) {                 /* pos has a child */
        i64 child = 2 * pos + 1;
        if (child + 1 < end) {              /* the right child when the left is not smaller */
            int c = before(k_list_get_fast(heap, child), k_list_get_fast(heap, child + 1), max);
            if (c < 0) return -1;
            if (end != k_list_len_fast(heap)) return changed_size();
            child += !c;
        }
        swap(heap, pos, child);
        pos = child;
    }
    return sift_down(heap, start, pos, max);
}

static kval index_error(void) {
    k_raise_str(&k_IndexError_type, "index out of range");
    return 0;
}

int k_heapq_heappush(kval heap, kval item) {
    if (k_list_append(heap, item) < 0) return -1;
    return sift_down(heap, 0, k_list_len_fast(heap) - 1, false);
}

kval k_heapq_heappop(kval heap) {
    if (k_list_len_fast(heap) == 0) return index_error();
    kval last = k_list_pop(heap, -1);
    if (!last || k_list_len_fast(heap) == 0) return last;
    kval top = k_list_items(heap)[0];       /* the list's reference passes to the caller */
    k_list_items(heap)[0] = last;
    if (sift_up(heap, 0, false) < 0) {
        k_decref(top);
        return 0;
    }
    return top;
}

/* heap[0] = item, sifted into place: the old heap[0] (the list's reference). */
static kval replace_top(kval heap, kval item, bool max) {
    kval top = k_list_items(heap)[0];
    k_list_items(heap)[0] = k_newref(item);
    if (sift_up(heap, 0, max) < 0) {
        k_decref(top);
        return 0;
    }
    return top;
}

kval k_heapq_heapreplace(kval heap, kval item) {
    if (k_list_len_fast(heap) == 0) return index_error();
    return replace_top(heap, item, false);
}

kval k_heapq_heappushpop(kval heap, kval item) {
    if (k_list_len_fast(heap) == 0) return k_newref(item);
    int c = before(k_list_get_fast(heap, 0), item, false);
    if (c < 0) return 0;
    if (!c) return k_newref(item);
    if (k_list_len_fast(heap) == 0) return index_error();    /* the comparison emptied it */
    return replace_top(heap, item, false);
}

static int heapify(kval heap, bool max) {
    for (i64 i = k_list_len_fast(heap) / 2 - 1; i >= 0; i--)
        if (sift_up(heap, i, max) < 0) return -1;
    return 0;
}

int k_heapq_heapify(kval heap) { return heapify(heap, false); }

/* ---- nsmallest / nlargest ---- */

static KObj no_item = K_STATIC_HDR(&k_object_type);     /* min()/max()'s default: "empty" */

/* n == 1: min() or max() of the iterable, as a list of zero or one item. */
static kval best_one(kval iterable, kval key, bool largest) {
    kval r = k_min_max(iterable, key, largest, K_VAL(&no_item));
    if (!r) return 0;
    kval out = k_list_new(1);
    if (r != K_VAL(&no_item)) k_list_append(out, r);
    k_decref(r);
    return out;
}

/* The candidate for an item: (item, order), or (key(item), order, item) with a key. The
 * order makes equal keys keep their input order and keeps items out of comparisons. */
static kval candidate(kval item, kval k, i64 order, kval key) {
    kval o = k_int_from_i64(order);
    kval t = key ? k_tuple_pack(3, k, o, item) : k_tuple_pack(2, item, o);
    k_decref(o);
    return t;
}

/* The items of a list of candidates, in order: (item, order) or (key, order, item). */
static kval unpack_candidates(kval result) {
    i64 n = k_list_len_fast(result);
    kval out = k_list_new(n);
    for (i64 i = 0; i < n; i++) {
        kval t = k_list_get_fast(result, i);
        k_list_append(out, k_tuple_get_fast(t, k_tuple_len_fast(t) == 3 ? 2 : 0));
    }
    return out;
}

/* The bounded search, once the first n items are candidates: each further item whose key
 * beats the worst candidate (the heap's top) replaces it. */
static int scan(kval result, kval it, kval key, bool largest) {
    i64 step = largest ? -1 : 1, order = step * k_list_len_fast(result);
    for (;;) {
        kval item = k_next(it);
        if (!item) return k_exc ? -1 : 0;
        kval k = key ? k_call(key, &item, 1) : k_newref(item);
        if (!k) {
            k_decref(item);
            return -1;
        }
        kval top = k_newref(k_tuple_get_fast(k_list_get_fast(result, 0), 0));
        int c = largest ? k_richcmp(top, k, K_LT) : k_richcmp(k, top, K_LT);
        k_decref(top);
        kval old = 0;
        if (c > 0) {
            kval cand = candidate(item, k, order, key);
            old = replace_top(result, cand, !largest);
            k_decref(cand);
            order += step;
        }
        k_decref(k);
        k_decref(item);
        if (c < 0 || (c > 0 && !old)) return -1;
        k_xdecref(old);
    }
}

static kval n_best(i64 n, kval iterable, kval key, bool largest) {
    if (key == k_None) key = 0;
    if (n == 1) return best_one(iterable, key, largest);
    i64 size = k_len(iterable);
    if (size < 0) {
        if (!k_exc_matches(&k_TypeError_type)) return 0;
        k_decref(k_exc_fetch());            /* no len(): the general case */
    } else if (n >= size) {
        return k_sorted(iterable, key, largest);
    }
    kval it = k_iter(iterable);
    if (!it) return 0;
    kval result = k_list_new(n > 0 && n < 64 ? n : 0);
    i64 step = largest ? -1 : 1;
    for (i64 i = 0; i < n; i++) {           /* the first n items, before any comparison */
        kval item = k_next(it);
        if (!item) break;
        kval k = key ? k_call(key, &item, 1) : k_newref(item);
        if (k) k_list_append_steal(result, candidate(item, k, i * step, key));
        k_xdecref(k);
        k_decref(item);
        if (!k) break;
    }
    bool ok = !k_exc;
    if (ok && k_list_len_fast(result) > 0)
        ok = heapify(result, !largest) == 0 && scan(result, it, key, largest) == 0 &&
             k_list_sort(result, 0, largest) == 0;
    k_decref(it);
    kval out = ok ? unpack_candidates(result) : 0;
    k_decref(result);
    return out;
}

kval k_heapq_nsmallest(i64 n, kval iterable, kval key) { return n_best(n, iterable, key, false); }
kval k_heapq_nlargest(i64 n, kval iterable, kval key) { return n_best(n, iterable, key, true); }

/* ---- bisect ---- */

/* The search bounds, in CPython's order: hi read (None, or -1, meaning len(a)), then lo
 * checked. false: raised. */
static bool bounds(kval a, i64 lo, kval hi, i64 *hi_out) {
    *hi_out = -1;
    if (hi != k_None && !k_int_to_i64(k_any_int(hi), hi_out)) {
        k_raise_str(&k_OverflowError_type, "cannot fit 'int' into an index-sized integer");
        return false;
    }
    if (lo < 0) {
        k_raise_str(&k_ValueError_type, "lo must be non-negative");
        return false;
    }
    if (*hi_out == -1) *hi_out = k_len(a);
    return *hi_out >= 0 || !k_exc;
}

/* key(a[i]) (a[i] without a key): new reference or 0. */
static kval key_at(kval a, i64 i, kval key) {
    kval item;
    if (!K_IS_SMALL(a) && K_OBJ(a)->type == &k_list_type) {
        item = k_list_getitem(a, i);
    } else {
        item = k_dyn_getitem(a, k_int_from_i64(i));
    }
    if (!item || !key) return item;
    kval k = k_call(key, &item, 1);
    k_decref(item);
    return k;
}

static i64 search(kval a, kval x, i64 lo, kval hi_v, kval key, bool right) {
    i64 hi;
    if (!bounds(a, lo, hi_v, &hi)) return -1;
    if (key == k_None) key = 0;
    while (lo < hi) {
        i64 mid = (i64)(((u64)lo + (u64)hi) / 2);
        kval k = key_at(a, mid, key);
        if (!k) return -1;
        int c = right ? k_richcmp(x, k, K_LT) : k_richcmp(k, x, K_LT);
        k_decref(k);
        if (c < 0) return -1;
        if (c == right) hi = mid;           /* right: x < a[mid]; left: not a[mid] < x */
        else lo = mid + 1;
    }
    return lo;
}

i64 k_bisect_left(kval a, kval x, i64 lo, kval hi, kval key) { return search(a, x, lo, hi, key, false); }
i64 k_bisect_right(kval a, kval x, i64 lo, kval hi, kval key) { return search(a, x, lo, hi, key, true); }

static int insort(kval a, kval x, i64 lo, kval hi, kval key, bool right) {
    if (key == k_None) key = 0;
    kval kx = key ? k_call(key, &x, 1) : k_newref(x);
    if (!kx) return -1;
    i64 i = search(a, kx, lo, hi, key, right);
    k_decref(kx);
    return i < 0 ? -1 : k_list_insert(a, i, x);
}

int k_bisect_insort_left(kval a, kval x, i64 lo, kval hi, kval key) { return insort(a, x, lo, hi, key, false); }
int k_bisect_insort_right(kval a, kval x, i64 lo, kval hi, kval key) { return insort(a, x, lo, hi, key, true); }
