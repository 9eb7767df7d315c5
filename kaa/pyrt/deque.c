/* collections.deque: a double-ended queue in a ring buffer.
 *
 * Layout (KDeque, collections.h): ring[cap], cap a power of two (0 until the first
 * item); item i is ring[(head + i) & (cap - 1)] for i < len, each a reference the deque
 * owns. Both ends grow and shrink in O(1); a full ring doubles (the items move to the
 * start of the new one); clear() frees it. Indexing is O(1); insert and remove in the
 * middle move the items of the shorter side.
 * maxlen >= 0 bounds the length: adding to a full deque drops the item at the other
 * end, as CPython's (a deque of maxlen 0 stays empty).
 * state changes at every insertion and removal and at rotate(): an iterator remembers
 * it and raises RuntimeError once it differs. Comparing items can run a class's __eq__,
 * which may change the deque: searches check state after each comparison, as CPython's
 * (and stop before reading a slot that may be gone).
 */
#include "collections.h"
#include "list.h"
#include "str.h"
#include "int.h"

static inline kval *slot(KDeque *d, i64 i) { return &d->ring[(d->head + i) & (d->cap - 1)]; }

static void grow(KDeque *d) {
    i64 cap = d->cap ? 2 * d->cap : 8;
    kval *ring = k_malloc((u64)cap * sizeof(kval));
    for (i64 i = 0; i < d->len; i++) ring[i] = *slot(d, i);
    k_mfree(d->ring);
    d->ring = ring;
    d->cap = cap;
    d->head = 0;
}

/* The raw ends: they move references in and out; no maxlen, no state. */
static void push_right(KDeque *d, kval x) {
    if (d->len == d->cap) grow(d);
    *slot(d, d->len) = x;
    d->len++;
}

static void push_left(KDeque *d, kval x) {
    if (d->len == d->cap) grow(d);
    d->head = (d->head - 1) & (d->cap - 1);
    d->ring[d->head] = x;
    d->len++;
}

static kval take_right(KDeque *d) {
    d->len--;
    return *slot(d, d->len);
}

static kval take_left(KDeque *d) {
    kval x = d->ring[d->head];
    d->head = (d->head + 1) & (d->cap - 1);
    d->len--;
    return x;
}

/* Add x (stolen) at one end; a full bounded deque drops the item at the other end. */
static void add(KDeque *d, kval x, bool left) {
    if (d->maxlen == 0) {
        k_decref(x);
        return;
    }
    kval dropped = 0;
    if (d->len == d->maxlen) dropped = left ? take_right(d) : take_left(d);
    if (left)
        push_left(d, x);
    else
        push_right(d, x);
    d->state++;
    k_xdecref(dropped);        /* last: its release may run code that looks at the deque */
}

/* ---- construction ---- */

static void deque_clear_slot(KObj *o) { k_deque_clear(K_VAL(o)); }

kval k_deque_new(kval iterable_or_0, kval maxlen) {
    i64 m = -1;
    if (maxlen != k_None) {
        if (!k_int_to_i64(maxlen, &m)) {
            k_raise_str(&k_OverflowError_type, "Python int too large to convert to C ssize_t");
            return 0;
        }
        if (m < 0) {
            k_raise_str(&k_ValueError_type, "maxlen must be non-negative");
            return 0;
        }
    }
    KDeque *d = (KDeque *)k_alloc(&k_deque_type, sizeof(KDeque));
    d->maxlen = m;
    if (iterable_or_0 && k_deque_extend(K_VAL(d), iterable_or_0) < 0) {
        k_decref(K_VAL(d));
        return 0;
    }
    return K_VAL(d);
}

kval k_deque_copy(kval dq) {
    KDeque *d = (KDeque *)dq;
    KDeque *c = (KDeque *)k_alloc(&k_deque_type, sizeof(KDeque));
    c->maxlen = d->maxlen;
    for (i64 i = 0; i < d->len; i++) push_right(c, k_newref(*slot(d, i)));
    return K_VAL(c);
}

kval k_deque_maxlen(kval dq) {
    i64 m = ((KDeque *)dq)->maxlen;
    return m < 0 ? k_None : k_int_from_i64(m);
}

i64 k_deque_len(kval dq) { return ((KDeque *)dq)->len; }

/* ---- the ends ---- */

int k_deque_append(kval dq, kval x) {
    add((KDeque *)dq, k_newref(x), 0);
    return 0;
}

int k_deque_appendleft(kval dq, kval x) {
    add((KDeque *)dq, k_newref(x), 1);
    return 0;
}

static kval pop_end(kval dq, bool left) {
    KDeque *d = (KDeque *)dq;
    if (d->len == 0) {
        k_raise_str(&k_IndexError_type, "pop from an empty deque");
        return 0;
    }
    d->state++;
    return left ? take_left(d) : take_right(d);
}

kval k_deque_pop(kval dq) { return pop_end(dq, 0); }
kval k_deque_popleft(kval dq) { return pop_end(dq, 1); }

static int extend(kval dq, kval iterable, bool left) {
    if (iterable == dq) {                   /* d.extend(d): from a snapshot */
        kval copy = k_list_from_iter(iterable);
        if (!copy) return -1;
        int r = extend(dq, copy, left);
        k_decref(copy);
        return r;
    }
    kval it = k_iter(iterable);
    if (!it) return -1;
    for (;;) {
        kval x = k_next(it);
        if (!x) break;
        add((KDeque *)dq, x, left);
    }
    k_decref(it);
    return k_exc ? -1 : 0;
}

int k_deque_extend(kval dq, kval iterable) { return extend(dq, iterable, 0); }
int k_deque_extendleft(kval dq, kval iterable) { return extend(dq, iterable, 1); }

/* rotate(n): n steps to the right (the last n items come first); negative n to the left.
 * Each step moves one item between the ends, over the shorter way round. */
void k_deque_rotate(kval dq, i64 n) {
    KDeque *d = (KDeque *)dq;
    if (d->len <= 1) return;
    i64 k = n % d->len;
    if (k < 0) k += d->len;
    d->state++;
    if (k <= d->len / 2)
        for (i64 i = 0; i < k; i++) push_left(d, take_right(d));
    else
        for (i64 i = k; i < d->len; i++) push_right(d, take_left(d));
}

void k_deque_clear(kval dq) {
    KDeque *d = (KDeque *)dq;
    kval *ring = d->ring;
    i64 cap = d->cap, head = d->head, n = d->len;
    d->ring = 0;
    d->cap = d->head = d->len = 0;
    d->state++;
    for (i64 i = 0; i < n; i++) k_decref(ring[(head + i) & (cap - 1)]);
    k_mfree(ring);
}

void k_deque_reverse(kval dq) {
    KDeque *d = (KDeque *)dq;
    for (i64 i = 0, j = d->len - 1; i < j; i++, j--) {
        kval t = *slot(d, i);
        *slot(d, i) = *slot(d, j);
        *slot(d, j) = t;
    }
}

/* ---- searching ---- */

/* The first index in [start, stop) holding an item equal to x; -1 none, -2 raised
 * (`mutated`, CPython's exception type for that search, when a comparison changed the deque). */
static i64 find(KDeque *d, kval x, i64 start, i64 stop, const KType *mutated) {
    u64 state = d->state;
    for (i64 i = start; i < stop && i < d->len; i++) {
        kval y = k_newref(*slot(d, i));
        int r = y == x ? 1 : k_eq(y, x);
        k_decref(y);
        if (r < 0) return -2;
        if (d->state != state) {
            k_raise_str(mutated, "deque mutated during iteration");
            return -2;
        }
        if (r) return i;
    }
    return -1;
}

int k_deque_contains(kval dq, kval x) {
    i64 i = find((KDeque *)dq, x, 0, ((KDeque *)dq)->len, &k_RuntimeError_type);
    return i >= 0 ? 1 : i == -1 ? 0 : -1;
}

i64 k_deque_count(kval dq, kval x) {
    KDeque *d = (KDeque *)dq;
    i64 n = 0;
    for (i64 i = 0;; i++) {
        i = find(d, x, i, d->len, &k_RuntimeError_type);
        if (i == -2) return -1;
        if (i == -1) return n;
        n++;
    }
}

/* index()'s bounds, clamped as CPython's deque_index. */
static i64 clamp(i64 b, i64 len) {
    if (b < 0) {
        b += len;
        if (b < 0) b = 0;
    }
    return b > len ? len : b;
}

i64 k_deque_index(kval dq, kval x, i64 start, i64 stop) {
    KDeque *d = (KDeque *)dq;
    i64 i = find(d, x, clamp(start, d->len), clamp(stop, d->len), &k_RuntimeError_type);
    if (i == -1) k_raise_fmt(&k_ValueError_type, "%R is not in deque", x);
    return i < 0 ? -1 : i;
}

/* ---- the middle ---- */

/* Take out item i (0 <= i < len), moving the items of the shorter side over its place. */
static kval remove_at(KDeque *d, i64 i) {
    kval x = *slot(d, i);
    if (i < d->len / 2) {
        for (i64 j = i; j > 0; j--) *slot(d, j) = *slot(d, j - 1);
        d->head = (d->head + 1) & (d->cap - 1);
    } else {
        for (i64 j = i; j < d->len - 1; j++) *slot(d, j) = *slot(d, j + 1);
    }
    d->len--;
    d->state++;
    return x;
}

int k_deque_remove(kval dq, kval x) {
    KDeque *d = (KDeque *)dq;
    i64 i = find(d, x, 0, d->len, &k_IndexError_type);
    if (i == -1) k_raise_fmt(&k_ValueError_type, "%R is not in deque", x);
    if (i < 0) return -1;
    k_decref(remove_at(d, i));
    return 0;
}

int k_deque_insert(kval dq, i64 i, kval x) {
    KDeque *d = (KDeque *)dq;
    if (d->len == d->maxlen) {
        k_raise_str(&k_IndexError_type, "deque already at its maximum size");
        return -1;
    }
    if (i < 0) {
        i += d->len;
        if (i < 0) i = 0;
    }
    if (i > d->len) i = d->len;
    if (d->len == d->cap) grow(d);
    if (i < d->len / 2) {                   /* the items before i move one place left */
        d->head = (d->head - 1) & (d->cap - 1);
        for (i64 j = 0; j < i; j++) *slot(d, j) = *slot(d, j + 1);
    } else {                                /* the items from i move one place right */
        for (i64 j = d->len; j > i; j--) *slot(d, j) = *slot(d, j - 1);
    }
    *slot(d, i) = k_newref(x);
    d->len++;
    d->state++;
    return 0;
}

/* i as an index of d (negative from the end), or -1 with IndexError. */
static i64 index_of(KDeque *d, i64 i) {
    if (i < 0) i += d->len;
    if ((u64)i < (u64)d->len) return i;
    k_raise_str(&k_IndexError_type, "deque index out of range");
    return -1;
}

kval k_deque_getitem(kval dq, i64 i) {
    KDeque *d = (KDeque *)dq;
    i = index_of(d, i);
    return i < 0 ? 0 : k_newref(*slot(d, i));
}

int k_deque_setitem(kval dq, i64 i, kval x) {
    KDeque *d = (KDeque *)dq;
    i = index_of(d, i);
    if (i < 0) return -1;
    kval old = *slot(d, i);
    *slot(d, i) = k_newref(x);
    k_decref(old);
    return 0;
}

int k_deque_delitem(kval dq, i64 i) {
    KDeque *d = (KDeque *)dq;
    i = index_of(d, i);
    if (i < 0) return -1;
    k_decref(remove_at(d, i));
    return 0;
}

/* ---- comparison and repr ---- */

/* Lexicographic, as lists (deques compare only with deques). On snapshots: comparing
 * items may change either deque. */
int k_deque_richcmp(kval a, kval b, int op) {
    if (!k_isinstance(b, &k_deque_type)) return 2;
    if ((op == K_EQ || op == K_NE) && ((KDeque *)a)->len != ((KDeque *)b)->len) return op == K_NE;
    kval la = k_list_from_iter(a), lb = la ? k_list_from_iter(b) : 0;
    int r = lb ? k_seq_richcmp(k_list_items(la), k_list_len_fast(la), k_list_items(lb), k_list_len_fast(lb), op) : -1;
    k_xdecref(la);
    k_xdecref(lb);
    return r;
}

/* "deque([1, 2])", "deque([1], maxlen=3)"; a deque inside itself is "[...]". */
kval k_deque_repr(kval dq) {
    if (!k_repr_enter(dq)) return k_str_from_ascii("[...]", 5);
    kval items = k_list_from_iter(dq);
    kval parts = k_parts_new();
    k_parts_lit(parts, "deque(");
    bool ok = items && k_parts_repr(parts, items);
    k_xdecref(items);
    k_repr_leave(dq);
    if (ok && ((KDeque *)dq)->maxlen >= 0) {
        kval m = k_deque_maxlen(dq);
        k_parts_lit(parts, ", maxlen=");
        ok = k_parts_repr(parts, m);
        k_decref(m);
    }
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

/* ---- iteration ---- */

typedef struct {
    KObj hdr;
    kval deque;
    i64 index;          /* the next item's */
    i64 left;           /* items still to give */
    u64 state;          /* the deque's when the iterator was made */
} KDequeIter;

static kval deque_iter(kval dq) {
    KDequeIter *it = (KDequeIter *)k_alloc(&k_deque_iterator_type, sizeof(KDequeIter));
    it->deque = k_newref(dq);
    it->left = ((KDeque *)dq)->len;
    it->state = ((KDeque *)dq)->state;
    return K_VAL(it);
}

static kval iter_next(kval self) {
    KDequeIter *it = (KDequeIter *)self;
    KDeque *d = (KDeque *)it->deque;
    if (d->state != it->state) {
        it->left = 0;
        k_raise_str(&k_RuntimeError_type, "deque mutated during iteration");
        return 0;
    }
    if (it->left == 0) return 0;
    it->left--;
    return k_newref(*slot(d, it->index++));
}

static void iter_clear(KObj *o) { k_decref(((KDequeIter *)o)->deque); }
static kval iter_self(kval it) { return k_newref(it); }

const KType k_deque_iterator_type = {K_STATIC_HDR(&k_type_type), "_deque_iterator", "_collections",
                                     &k_object_type, sizeof(KDequeIter), 0,
                                     .clear = iter_clear, .iter = iter_self, .next = iter_next};

const KType k_deque_type = {K_STATIC_HDR(&k_type_type), "deque", "collections", &k_object_type, sizeof(KDeque), 0,
                            .clear = deque_clear_slot, .repr = k_deque_repr, .hash = k_hash_unhashable,
                            .richcmp = k_deque_richcmp, .len = k_deque_len, .iter = deque_iter,
                            .contains = k_deque_contains};
