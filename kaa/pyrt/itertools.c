/* Python's itertools iterators, and functools.reduce.
 *
 * Each iterator is an object with its own KType (named as CPython's, module
 * "itertools"): iter returns itself, next gives a new reference, or 0 (k_exc set:
 * raised; not set: exhausted). Iterators over an input hold an iterator of it (k_iter)
 * and take items lazily, in CPython's order, so the side effects of a generator input
 * and the point where an error surfaces are CPython's. The combinatoric ones (product,
 * permutations, combinations) read their inputs into tuples first, as CPython does, and
 * step an array of indices into them in lexicographic order.
 *
 * groupby shares its input with the group iterators it hands out: only the newest group
 * reads from it (an older group then looks empty), and advancing the groupby skips
 * whatever the current group has not consumed, as CPython's.
 */
#include "itertools.h"
#include "builtins.h"
#include "dynamic.h"
#include "int.h"
#include "list.h"
#include "tuple.h"

static kval self_iter(kval self) { return k_newref(self); }

#define ITER_TYPE(cname, pyname, ctype, clear_fn, next_fn)                                            \
    static const KType cname = {K_STATIC_HDR(&k_type_type), pyname, "itertools", &k_object_type,       \
                                sizeof(ctype), 0, .clear = clear_fn, .iter = self_iter, .next = next_fn}

/* The given ones of a fixed list of optional arguments: they are a prefix (0 ends it). */
static i64 given(const kval *args, i64 max) {
    i64 n = 0;
    while (n < max && args[n]) n++;
    return n;
}

/* A new iterator of type t for `input`'s items (its first field after the header). */
static KObj *over(const KType *t, kval input) {
    kval it = k_iter(input);
    if (!it) return 0;
    KObj *o = k_alloc(t, t->size);
    ((kval *)(o + 1))[0] = it;
    return o;
}

static void clear_input(KObj *o) { k_xdecref(((kval *)(o + 1))[0]); }

/* ---- count(start, step): start, start + step, start + 2 * step, ... ---- */

typedef struct { KObj hdr; kval next; kval step; } KCount;

static void count_clear(KObj *o) {
    k_decref(((KCount *)o)->next);
    k_decref(((KCount *)o)->step);
}

static kval count_next(kval self) {
    KCount *c = (KCount *)self;
    kval after = K_IS_SMALL(c->next & c->step) ? k_int_add(c->next, c->step) : k_dyn_binop(c->next, c->step, K_ADD);
    if (!after) return 0;
    kval r = c->next;
    c->next = after;
    return r;
}

ITER_TYPE(count_type, "count", KCount, count_clear, count_next);

kval k_itertools_count(kval start, kval step) {
    KCount *c = (KCount *)k_alloc(&count_type, sizeof(KCount));
    c->next = k_newref(start);
    c->step = k_newref(step);
    return K_VAL(c);
}

/* ---- chain(a, b, ...): the items of each in turn; each is iterated when reached ---- */

typedef struct { KObj hdr; kval cur; i64 n, i; kval sources[K_ITER_MAX]; } KChain;

static void chain_clear(KObj *o) {
    KChain *c = (KChain *)o;
    k_xdecref(c->cur);
    for (i64 i = c->i; i < c->n; i++) k_decref(c->sources[i]);
}

static kval chain_next(kval self) {
    KChain *c = (KChain *)self;
    for (;;) {
        if (!c->cur) {
            if (c->i == c->n) return 0;
            kval src = c->sources[c->i];
            c->sources[c->i++] = 0;
            c->cur = k_iter(src);
            k_decref(src);
            if (!c->cur) return 0;
        }
        kval item = k_next(c->cur);
        if (item || k_exc) return item;
        k_decref(c->cur);
        c->cur = 0;
    }
}

ITER_TYPE(chain_type, "chain", KChain, chain_clear, chain_next);

kval k_itertools_chain(kval a, kval b, kval c, kval d, kval e, kval f) {
    kval args[K_ITER_MAX] = {a, b, c, d, e, f};
    KChain *ch = (KChain *)k_alloc(&chain_type, sizeof(KChain));
    ch->n = given(args, K_ITER_MAX);
    for (i64 i = 0; i < ch->n; i++) ch->sources[i] = k_newref(args[i]);
    return K_VAL(ch);
}

/* ---- islice(it, [start,] stop [, step]): CPython's counting, and its argument errors ---- */

typedef struct { KObj hdr; kval it; i64 want, stop, step, count; } KISlice;   /* stop -1: None */

static kval islice_next(kval self) {
    KISlice *s = (KISlice *)self;
    if (!s->it) return 0;
    for (; s->count < s->want; s->count++) {        /* skip to the next wanted index */
        kval skipped = k_next(s->it);
        if (!skipped) goto done;
        k_decref(skipped);
    }
    if (s->stop != -1 && s->count >= s->stop) goto done;
    kval item = k_next(s->it);
    if (!item) goto done;
    s->count++;
    i64 before = s->want;
    s->want += s->step;
    if (s->want < before || (s->stop != -1 && s->want > s->stop)) s->want = s->stop;   /* overflow, or past stop */
    return item;
done:                                               /* the input is released once the slice ends */
    k_xdecref(s->it);
    s->it = 0;
    return 0;
}

ITER_TYPE(islice_type, "islice", KISlice, clear_input, islice_next);

/* An index argument as CPython's islice reads it: None is `none`, an int beyond the i64
 * range -1 (which every caller rejects). */
static i64 index_arg(kval v, i64 none) {
    i64 x;
    if (v == k_None) return none;
    return k_int_to_i64(k_any_int(v), &x) ? x : -1;
}

static kval value_error(const char *msg) {
    k_raise_str(&k_ValueError_type, msg);
    return 0;
}

kval k_itertools_islice(kval iterable, kval start, kval stop_or_0, kval step) {
    static const char stop_msg[] = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    kval stop_v = stop_or_0 ? stop_or_0 : start;
    i64 first = stop_or_0 ? index_arg(start, 0) : 0, stop = index_arg(stop_v, -1);
    if (stop_v != k_None && stop == -1) return value_error(stop_msg);
    if (first < 0 || stop < -1)
        return value_error("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
    i64 by = stop_or_0 ? index_arg(step, 1) : 1;
    if (by < 1) return value_error("Step for islice() must be a positive integer or None.");
    KISlice *s = (KISlice *)over(&islice_type, iterable);
    if (!s) return 0;
    s->want = first;
    s->stop = stop;
    s->step = by;
    return K_VAL(s);
}

/* ---- combinatorics: tuples of a pool's items picked by an array of indices ---- */

enum { PRODUCT, PERMUTATIONS, COMBINATIONS, COMBINATIONS_WR };

/* pools: one tuple per position for product (the inputs, repeated), else the one pool
 * (pools[0]); idx: the current pick, r positions; used: permutations' taken items. */
typedef struct {
    KObj hdr;
    int kind;
    bool started, done;
    i64 r, npools;
    kval *pools;
    i64 *idx;
    bool *used;
} KPicks;

static void picks_clear(KObj *o) {
    KPicks *p = (KPicks *)o;
    for (i64 i = 0; i < p->npools; i++) k_decref(p->pools[i]);
    k_mfree(p->pools);
    k_mfree(p->idx);
    k_mfree(p->used);
}

/* The pool position i picks from. */
static kval pool_at(KPicks *p, i64 i) { return p->pools[p->kind == PRODUCT ? i : 0]; }

/* The rightmost position that can move on, moved (those after it reset); false at the end. */
static bool picks_advance(KPicks *p) {
    if (p->r == 0) return false;
    i64 r = p->r, n = k_tuple_len_fast(pool_at(p, r - 1));
    for (i64 i = r - 1; i >= 0; i--) {
        switch (p->kind) {
        case PRODUCT:
            if (++p->idx[i] < k_tuple_len_fast(pool_at(p, i))) return true;
            p->idx[i] = 0;
            break;
        case COMBINATIONS:
            if (p->idx[i] == i + n - r) break;
            p->idx[i]++;
            for (i64 j = i + 1; j < r; j++) p->idx[j] = p->idx[j - 1] + 1;
            return true;
        case COMBINATIONS_WR:
            if (p->idx[i] == n - 1) break;
            p->idx[i]++;
            for (i64 j = i + 1; j < r; j++) p->idx[j] = p->idx[i];
            return true;
        default: {                           /* permutations: the next free item for position i */
            p->used[p->idx[i]] = false;
            i64 j = p->idx[i] + 1;
            while (j < n && p->used[j]) j++;
            if (j == n) break;
            p->idx[i] = j;
            p->used[j] = true;
            for (i64 k = i + 1, free = 0; k < r; k++) {     /* then the smallest free ones, ascending */
                while (p->used[free]) free++;
                p->idx[k] = free;
                p->used[free] = true;
            }
            return true;
        }
        }
    }
    return false;
}

static kval picks_next(kval self) {
    KPicks *p = (KPicks *)self;
    if (p->done) return 0;
    if (p->started && !picks_advance(p)) {
        p->done = true;
        return 0;
    }
    p->started = true;
    kval t = k_tuple_new(p->r);
    for (i64 i = 0; i < p->r; i++) k_tuple_items(t)[i] = k_newref(k_tuple_get_fast(pool_at(p, i), p->idx[i]));
    return t;
}

ITER_TYPE(product_type, "product", KPicks, picks_clear, picks_next);
ITER_TYPE(permutations_type, "permutations", KPicks, picks_clear, picks_next);
ITER_TYPE(combinations_type, "combinations", KPicks, picks_clear, picks_next);
ITER_TYPE(combinations_wr_type, "combinations_with_replacement", KPicks, picks_clear, picks_next);

/* A picker of r positions over pools (owned, npools of them: product's one per position,
 * the others' one), at its first pick: the first r indices (all 0 for product and
 * combinations with replacement, whose k_malloc'd array starts zeroed). */
static kval picks_new(const KType *t, int kind, kval *pools, i64 npools, i64 r) {
    KPicks *p = (KPicks *)k_alloc(t, sizeof(KPicks));
    p->kind = kind;
    p->pools = pools;
    p->npools = npools;
    p->r = r;
    p->idx = k_malloc((u64)(r + 1) * sizeof(i64));
    if (kind == PRODUCT) {
        for (i64 i = 0; i < npools; i++) p->done |= k_tuple_len_fast(pools[i]) == 0;
        return K_VAL(p);
    }
    i64 n = k_tuple_len_fast(pools[0]);
    p->done = kind == COMBINATIONS_WR ? n == 0 && r > 0 : r > n;
    if (kind == COMBINATIONS_WR || p->done) return K_VAL(p);
    for (i64 i = 0; i < r; i++) p->idx[i] = i;
    if (kind == PERMUTATIONS) {
        p->used = k_malloc((u64)n + 1);
        for (i64 i = 0; i < r; i++) p->used[i] = true;
    }
    return K_VAL(p);
}

/* The pool of one input: its items as a tuple, or 0 (raised). */
static kval pool_of(kval iterable) {
    return !K_IS_SMALL(iterable) && K_OBJ(iterable)->type == &k_tuple_type ? k_newref(iterable)
                                                                          : k_tuple_from_iter(iterable);
}

kval k_itertools_product(kval a, kval b, kval c, kval d, kval e, kval f, i64 repeat) {
    kval args[K_ITER_MAX] = {a, b, c, d, e, f};
    if (repeat < 0) return value_error("repeat argument cannot be negative");
    i64 n = given(args, K_ITER_MAX);
    kval pools[K_ITER_MAX];
    for (i64 i = 0; i < n; i++) {
        pools[i] = pool_of(args[i]);
        if (!pools[i]) {
            while (i--) k_decref(pools[i]);
            return 0;
        }
    }
    if (repeat > 0 && n > INT64_MAX / 8 / repeat) {     /* CPython: the index array is not allocatable */
        for (i64 i = 0; i < n; i++) k_decref(pools[i]);
        k_raise_str(&k_OverflowError_type, "repeat argument too large");
        return 0;
    }
    i64 total = n * repeat;                 /* repeat=0: no position, one empty tuple */
    kval *all = k_malloc((u64)(total + 1) * sizeof(kval));
    for (i64 i = 0; i < total; i++) all[i] = k_newref(pools[i % n]);
    for (i64 i = 0; i < n; i++) k_decref(pools[i]);
    return picks_new(&product_type, PRODUCT, all, total, total);
}

/* permutations / combinations of the input's items, r at a time (r_none: all of them). */
static kval one_pool(const KType *t, int kind, kval iterable, i64 r, bool r_none) {
    kval pool = pool_of(iterable);
    if (!pool) return 0;
    if (r_none) r = k_tuple_len_fast(pool);
    if (r < 0) {
        k_decref(pool);
        return value_error("r must be non-negative");
    }
    kval *pools = k_malloc(sizeof(kval));
    pools[0] = pool;
    return picks_new(t, kind, pools, 1, r);
}

kval k_itertools_permutations(kval iterable, kval r) {
    i64 n = 0;
    if (r != k_None && !k_int_to_i64(k_any_int(r), &n)) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C ssize_t");
        return 0;
    }
    return one_pool(&permutations_type, PERMUTATIONS, iterable, n, r == k_None);
}

kval k_itertools_combinations(kval iterable, i64 r) {
    return one_pool(&combinations_type, COMBINATIONS, iterable, r, false);
}

kval k_itertools_combinations_with_replacement(kval iterable, i64 r) {
    return one_pool(&combinations_wr_type, COMBINATIONS_WR, iterable, r, false);
}

/* ---- groupby(iterable, key): (key, group) for each run of items with equal keys ---- */

/* cur/cur_key: the item read ahead (0: none) and its key; target: the key of the newest
 * group; group: that group (not owned: it clears the pointer when freed). */
typedef struct KGroup KGroup;
typedef struct { KObj hdr; kval it; kval key; kval cur, cur_key, target; KGroup *group; } KGroupBy;
struct KGroup { KObj hdr; KGroupBy *parent; kval target; };

static void groupby_clear(KObj *o) {
    KGroupBy *g = (KGroupBy *)o;
    k_decref(g->it);
    k_xdecref(g->key);
    k_xdecref(g->cur);
    k_xdecref(g->cur_key);
    k_xdecref(g->target);
}

/* Read the next item and its key into cur / cur_key. false: exhausted or raised. */
static bool groupby_step(KGroupBy *g) {
    kval item = k_next(g->it);
    if (!item) return false;
    kval k = g->key ? k_call(g->key, &item, 1) : k_newref(item);
    if (!k) {
        k_decref(item);
        return false;
    }
    k_xdecref(g->cur);
    k_xdecref(g->cur_key);
    g->cur = item;
    g->cur_key = k;
    return true;
}

static void group_clear(KObj *o) {
    KGroup *gr = (KGroup *)o;
    if (gr->parent->group == gr) gr->parent->group = 0;
    k_decref(K_VAL(gr->parent));
    k_decref(gr->target);
}

static kval group_next(kval self) {
    KGroup *gr = (KGroup *)self;
    KGroupBy *g = gr->parent;
    if (g->group != gr) return 0;               /* the groupby has moved on */
    if (!g->cur && !groupby_step(g)) return 0;
    int same = k_eq(gr->target, g->cur_key);
    if (same <= 0) return 0;                    /* the next group starts here (or raised) */
    kval item = g->cur;
    g->cur = 0;
    k_decref(g->cur_key);
    g->cur_key = 0;
    return item;
}

ITER_TYPE(group_type, "_grouper", KGroup, group_clear, group_next);

static kval groupby_next(kval self) {
    KGroupBy *g = (KGroupBy *)self;
    g->group = 0;
    for (;;) {                                  /* skip the rest of the current group */
        if (g->cur_key) {
            if (!g->target) break;
            int same = k_eq(g->target, g->cur_key);
            if (same < 0) return 0;
            if (!same) break;
        }
        if (!groupby_step(g)) return 0;
    }
    k_xdecref(g->target);
    g->target = k_newref(g->cur_key);
    KGroup *gr = (KGroup *)k_alloc(&group_type, sizeof(KGroup));
    gr->parent = (KGroupBy *)k_newref(self);
    gr->target = k_newref(g->target);
    g->group = gr;
    kval pair = k_tuple_pack(2, g->target, K_VAL(gr));
    k_decref(K_VAL(gr));
    return pair;
}

ITER_TYPE(groupby_type, "groupby", KGroupBy, groupby_clear, groupby_next);

kval k_itertools_groupby(kval iterable, kval key) {
    KGroupBy *g = (KGroupBy *)over(&groupby_type, iterable);
    if (!g) return 0;
    g->key = key && key != k_None ? k_newref(key) : 0;
    return K_VAL(g);
}

/* ---- accumulate(iterable, func, initial): running totals (func default: +) ---- */

typedef struct { KObj hdr; kval it; kval func, total, initial; } KAccumulate;

static void accumulate_clear(KObj *o) {
    KAccumulate *a = (KAccumulate *)o;
    k_decref(a->it);
    k_xdecref(a->func);
    k_xdecref(a->total);
    k_xdecref(a->initial);
}

static kval accumulate_next(kval self) {
    KAccumulate *a = (KAccumulate *)self;
    if (a->initial) {
        a->total = a->initial;
        a->initial = 0;
        return k_newref(a->total);
    }
    kval item = k_next(a->it);
    if (!item) return 0;
    if (!a->total) {
        a->total = item;
        return k_newref(item);
    }
    kval args[2] = {a->total, item};
    kval total = a->func ? k_call(a->func, args, 2) : k_dyn_binop(a->total, item, K_ADD);
    k_decref(item);
    if (!total) return 0;
    k_decref(a->total);
    a->total = total;
    return k_newref(total);
}

ITER_TYPE(accumulate_type, "accumulate", KAccumulate, accumulate_clear, accumulate_next);

kval k_itertools_accumulate(kval iterable, kval func, kval initial) {
    KAccumulate *a = (KAccumulate *)over(&accumulate_type, iterable);
    if (!a) return 0;
    a->func = func && func != k_None ? k_newref(func) : 0;
    a->initial = initial != k_None ? k_newref(initial) : 0;
    return K_VAL(a);
}

/* ---- zip_longest(a, b, ..., fillvalue): tuples until every input is exhausted ---- */

typedef struct { KObj hdr; kval fill; i64 n, active; kval its[K_ITER_MAX]; } KZipLongest;

static void zip_longest_clear(KObj *o) {
    KZipLongest *z = (KZipLongest *)o;
    k_decref(z->fill);
    for (i64 i = 0; i < z->n; i++) k_xdecref(z->its[i]);
}

static kval zip_longest_next(kval self) {
    KZipLongest *z = (KZipLongest *)self;
    if (z->active == 0) return 0;
    kval t = k_tuple_new(z->n);
    for (i64 i = 0; i < z->n; i++) {
        kval item = z->its[i] ? k_next(z->its[i]) : 0;
        if (!item && k_exc) {
            z->active = 0;                      /* an error ends the iteration, as CPython's */
            goto fail;
        }
        if (!item) {
            if (z->its[i]) {                    /* an input ends: it is never read again */
                k_decref(z->its[i]);
                z->its[i] = 0;
                if (--z->active == 0) goto fail;
            }
            item = k_newref(z->fill);
        }
        k_tuple_items(t)[i] = item;
    }
    return t;
fail:
    k_decref(t);
    return 0;
}

ITER_TYPE(zip_longest_type, "zip_longest", KZipLongest, zip_longest_clear, zip_longest_next);

kval k_itertools_zip_longest(kval a, kval b, kval c, kval d, kval e, kval f, kval fillvalue) {
    kval args[K_ITER_MAX] = {a, b, c, d, e, f};
    KZipLongest *z = (KZipLongest *)k_alloc(&zip_longest_type, sizeof(KZipLongest));
    z->fill = k_newref(fillvalue);
    i64 n = given(args, K_ITER_MAX);
    for (i64 i = 0; i < n; i++) {
        z->its[i] = k_iter(args[i]);
        z->n = z->active = i + 1;
        if (!z->its[i]) {
            k_decref(K_VAL(z));
            return 0;
        }
    }
    return K_VAL(z);
}

/* ---- pairwise, cycle, repeat ---- */

typedef struct { KObj hdr; kval it; kval prev; } KPairwise;

static void pairwise_clear(KObj *o) {
    k_xdecref(((KPairwise *)o)->it);
    k_xdecref(((KPairwise *)o)->prev);
}

static kval pairwise_next(kval self) {
    KPairwise *p = (KPairwise *)self;
    if (!p->it) return 0;
    if (!p->prev && !(p->prev = k_next(p->it))) goto done;
    kval item = k_next(p->it);
    if (!item) goto done;
    kval pair = k_tuple_pack(2, p->prev, item);
    k_decref(p->prev);
    p->prev = item;
    return pair;
done:
    k_decref(p->it);
    p->it = 0;
    k_xdecref(p->prev);
    p->prev = 0;
    return 0;
}

ITER_TYPE(pairwise_type, "pairwise", KPairwise, pairwise_clear, pairwise_next);

kval k_itertools_pairwise(kval iterable) { return K_VAL(over(&pairwise_type, iterable)); }

/* cycle: the input's items as they come, saved; then the saved ones, round and round. */
typedef struct { KObj hdr; kval it; kval saved; i64 i; } KCycle;

static void cycle_clear(KObj *o) {
    k_xdecref(((KCycle *)o)->it);
    k_decref(((KCycle *)o)->saved);
}

static kval cycle_next(kval self) {
    KCycle *c = (KCycle *)self;
    if (c->it) {
        kval item = k_next(c->it);
        if (item) {
            k_list_append(c->saved, item);
            return item;
        }
        if (k_exc) return 0;
        k_decref(c->it);
        c->it = 0;
    }
    i64 n = k_list_len_fast(c->saved);
    if (n == 0) return 0;
    kval item = k_newref(k_list_get_fast(c->saved, c->i));
    c->i = (c->i + 1) % n;
    return item;
}

ITER_TYPE(cycle_type, "cycle", KCycle, cycle_clear, cycle_next);

kval k_itertools_cycle(kval iterable) {
    KCycle *c = (KCycle *)over(&cycle_type, iterable);
    if (c) c->saved = k_list_new(0);
    return K_VAL(c);
}

typedef struct { KObj hdr; kval item; i64 left; } KRepeat;     /* left -1: forever */

static void repeat_clear(KObj *o) { k_decref(((KRepeat *)o)->item); }

static kval repeat_next(kval self) {
    KRepeat *r = (KRepeat *)self;
    if (r->left == 0) return 0;
    if (r->left > 0) r->left--;
    return k_newref(r->item);
}

ITER_TYPE(repeat_type, "repeat", KRepeat, repeat_clear, repeat_next);

kval k_itertools_repeat(kval item, kval times) {
    i64 left = -1;
    if (times != k_None && !k_int_to_i64(k_any_int(times), &left)) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C ssize_t");
        return 0;
    }
    KRepeat *r = (KRepeat *)k_alloc(&repeat_type, sizeof(KRepeat));
    r->item = k_newref(item);
    r->left = times == k_None ? -1 : left < 0 ? 0 : left;     /* a negative count repeats nothing */
    return K_VAL(r);
}

/* ---- takewhile, dropwhile, filterfalse, compress: items chosen by a predicate ---- */

enum { TAKEWHILE, DROPWHILE, FILTERFALSE, COMPRESS };

/* pred: the KFunc (0: filterfalse's truth), or compress's selectors iterator. */
typedef struct { KObj hdr; kval it; kval pred; int kind; bool flipped; } KSelect;

static void select_clear(KObj *o) {
    k_xdecref(((KSelect *)o)->it);
    k_xdecref(((KSelect *)o)->pred);
}

/* Whether item is chosen: 1, 0, -1 raised; 2 when compress's selectors are exhausted. */
static int chosen(KSelect *s, kval item) {
    kval v = s->kind == COMPRESS ? k_next(s->pred) : s->pred ? k_call(s->pred, &item, 1) : k_newref(item);
    if (!v) return k_exc ? -1 : 2;
    bool t = k_truthy(v);
    k_decref(v);
    return t;
}

static kval select_next(kval self) {
    KSelect *s = (KSelect *)self;
    if (!s->it) return 0;
    for (;;) {
        kval item = k_next(s->it);
        if (!item || s->flipped) return item;   /* dropwhile passes everything once it failed */
        int c = chosen(s, item);
        if (c < 0 || c == 2) {
            k_decref(item);
            return 0;
        }
        switch (s->kind) {
        case TAKEWHILE:
            if (c) return item;
            k_decref(s->it);                    /* takewhile stops for good */
            s->it = 0;
            break;
        case DROPWHILE:
            if (!c) {
                s->flipped = true;
                return item;
            }
            break;
        case FILTERFALSE:
            if (!c) return item;
            break;
        default:
            if (c) return item;
        }
        k_decref(item);
        if (!s->it) return 0;
    }
}

ITER_TYPE(takewhile_type, "takewhile", KSelect, select_clear, select_next);
ITER_TYPE(dropwhile_type, "dropwhile", KSelect, select_clear, select_next);
ITER_TYPE(filterfalse_type, "filterfalse", KSelect, select_clear, select_next);
ITER_TYPE(compress_type, "compress", KSelect, select_clear, select_next);

static kval select_new(const KType *t, int kind, kval iterable, kval pred) {
    KSelect *s = (KSelect *)over(t, iterable);
    if (!s) return 0;
    s->kind = kind;
    s->pred = pred && pred != k_None ? k_newref(pred) : 0;
    return K_VAL(s);
}

kval k_itertools_takewhile(kval pred, kval iterable) { return select_new(&takewhile_type, TAKEWHILE, iterable, pred); }
kval k_itertools_dropwhile(kval pred, kval iterable) { return select_new(&dropwhile_type, DROPWHILE, iterable, pred); }

kval k_itertools_filterfalse(kval pred, kval iterable) {
    return select_new(&filterfalse_type, FILTERFALSE, iterable, pred);
}

kval k_itertools_compress(kval data, kval selectors) {
    kval sel = k_iter(selectors);
    if (!sel) return 0;
    kval s = select_new(&compress_type, COMPRESS, data, sel);
    k_decref(sel);
    return s;
}

/* ---- functools.reduce ---- */

kval k_functools_reduce(kval func, kval iterable, kval initial_or_0) {
    kval it = k_iter(iterable);
    if (!it) return 0;
    kval acc = initial_or_0 ? k_newref(initial_or_0) : 0;
    for (;;) {
        kval item = k_next(it);
        if (!item) break;
        if (!acc) {
            acc = item;
            continue;
        }
        kval args[2] = {acc, item};
        kval r = k_call(func, args, 2);
        k_decref(acc);
        k_decref(item);
        acc = r;
        if (!r) break;
    }
    k_decref(it);
    if (k_exc) {
        k_xdecref(acc);
        return 0;
    }
    if (!acc) k_raise_str(&k_TypeError_type, "reduce() of empty iterable with no initial value");
    return acc;
}
