/* set: an open-addressing hash table of keys, laid out and probed exactly as CPython
 * 3.11's Objects/setobject.c so that iteration order (table order) is the same as
 * CPython's for the same sequence of operations.
 *
 * Layout (KSet): table[mask + 1] entries {key, hash}, a power of two of at least 8;
 * small sets use the 8 entries embedded in the object. An entry is
 *   - unused: key 0 and hash 0;
 *   - dummy (a deleted key; probing continues past it): key K_SET_DUMMY, hash -1;
 *   - active: any other key, with its hash (never -1).
 * fill counts active + dummy entries, used the active ones. Iteration walks the table
 * from index 0.
 *
 * Probing (set_lookkey / set_add_entry): start at hash & mask, look at that entry and
 * the LINEAR_PROBES (9) following ones when they fit before the end of the table, then
 * jump: perturb >>= 5, i = (i * 5 + 1 + perturb) & mask. An insertion reuses the last
 * dummy seen on the probe path if the key is absent, else takes the unused entry that
 * ended the search; after taking an unused entry, when fill * 5 >= mask * 3 the table
 * is rebuilt for used * 4 keys (used * 2 above 50000): the new size is the smallest
 * power of two above that, and live keys are reinserted in old-table order without
 * comparisons (set_insert_clean). Dummies are dropped by a rebuild only.
 *
 * The set algebra follows the loops of setobject.c one for one (which operand is
 * copied, which one is walked, the size-based swaps), since they decide the order of
 * the results. pop() scans from a "finger" left after the previous pop.
 */
#include "set.h"
#include "dict.h"
#include "list.h"
#include "tuple.h"
#include "str.h"

#define MIN_SIZE 8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

KObj k_set_dummy_obj = K_STATIC_HDR(&k_object_type);

/* 1 equal, 0 not, -1 raised; a and b have equal hashes and are not identical. */
static inline int keys_equal(kval a, kval b) {
    if (K_IS_SMALL(a) && K_IS_SMALL(b)) return 0;
    if (!K_IS_SMALL(a) && !K_IS_SMALL(b) && K_OBJ(a)->type == &k_str_type && K_OBJ(b)->type == &k_str_type) {
        const KStr *x = (const KStr *)a, *y = (const KStr *)b;
        return x->nbytes == y->nbytes && __builtin_memcmp(x->data, y->data, (u64)x->nbytes) == 0;
    }
    return k_eq(a, b);
}

/* ---- probing ---- */

/* The entry holding key, or the unused entry that ends its probe path; NULL: raised. */
static KSetEntry *lookkey(KSet *so, kval key, i64 hash) {
restart:;
    u64 mask = (u64)so->mask, i = (u64)hash & mask, perturb = (u64)hash;
    for (;;) {
        KSetEntry *entry = &so->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == 0) return entry;
            if (entry->hash == hash) {
                kval start = entry->key;
                if (start == key) return entry;
                KSetEntry *table = so->table;
                k_incref(start);
                int cmp = keys_equal(start, key);
                k_decref(start);
                if (cmp < 0) return 0;
                if (table != so->table || entry->key != start) goto restart;
                if (cmp > 0) return entry;
                mask = (u64)so->mask;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int table_resize(KSet *so, i64 minused);

/* Add key (borrowed) with its hash: 0 / -1. */
static int add_entry(KSet *so, kval key, i64 hash) {
    KSetEntry *entry, *freeslot;
    u64 mask;
    k_incref(key);
restart:
    mask = (u64)so->mask;
    freeslot = 0;
    u64 i = (u64)hash & mask, perturb = (u64)hash;
    for (;;) {
        entry = &so->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == 0) goto found_unused_or_dummy;
            if (entry->hash == hash) {
                kval start = entry->key;
                if (start == key) goto found_active;
                KSetEntry *table = so->table;
                k_incref(start);
                int cmp = keys_equal(start, key);
                k_decref(start);
                if (cmp > 0) goto found_active;
                if (cmp < 0) {
                    k_decref(key);
                    return -1;
                }
                if (table != so->table || entry->key != start) goto restart;
                mask = (u64)so->mask;
            } else if (entry->hash == -1) {
                freeslot = entry;          /* the last dummy on the path, as CPython */
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:
    if (freeslot) {
        so->used++;
        freeslot->key = key;
        freeslot->hash = hash;
        return 0;
    }
    so->fill++;
    so->used++;
    entry->key = key;
    entry->hash = hash;
    if ((u64)so->fill * 5 < mask * 3) return 0;
    return table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
found_active:
    k_decref(key);
    return 0;
}

/* Insert a key known to be absent into a table without dummies (no comparisons). */
static void insert_clean(KSetEntry *table, u64 mask, kval key, i64 hash) {
    u64 i = (u64)hash & mask, perturb = (u64)hash;
    for (;;) {
        KSetEntry *entry = &table[i];
        if (entry->key == 0) goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == 0) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        entry->key = key;
        entry->hash = hash;
        return;
    }
}

/* Rebuild the table with the smallest power-of-two size above minused (at least 8). */
static int table_resize(KSet *so, i64 minused) {
    u64 newsize = MIN_SIZE;
    while (newsize <= (u64)minused) newsize <<= 1;
    KSetEntry *oldtable = so->table, *newtable, small_copy[MIN_SIZE];
    i64 oldmask = so->mask;
    bool old_malloced = oldtable != so->small;
    if (newsize == MIN_SIZE) {
        newtable = so->small;
        if (newtable == oldtable) {
            if (so->fill == so->used) return 0;   /* no dummies: nothing to do */
            __builtin_memcpy(small_copy, oldtable, sizeof small_copy);
            oldtable = small_copy;
        }
    } else {
        newtable = k_malloc(newsize * sizeof(KSetEntry));
    }
    __builtin_memset(newtable, 0, newsize * sizeof(KSetEntry));
    so->mask = (i64)newsize - 1;
    so->table = newtable;
    so->fill = so->used;
    for (KSetEntry *e = oldtable; e <= oldtable + oldmask; e++)
        if (e->key && e->key != K_SET_DUMMY) insert_clean(newtable, newsize - 1, e->key, e->hash);
    if (old_malloced) k_mfree(oldtable);
    return 0;
}

static int contains_entry(KSet *so, kval key, i64 hash) {
    KSetEntry *e = lookkey(so, key, hash);
    return e ? e->key != 0 : -1;
}

/* 1 found and removed, 0 not found, -1 raised. */
static int discard_entry(KSet *so, kval key, i64 hash) {
    KSetEntry *e = lookkey(so, key, hash);
    if (!e) return -1;
    if (!e->key) return 0;
    kval old = e->key;
    e->key = K_SET_DUMMY;
    e->hash = -1;
    so->used--;
    k_decref(old);
    return 1;
}

/* The next active entry at or after *pos (set_next); NULL at the end. */
static KSetEntry *next_entry(KSet *so, i64 *pos) {
    i64 i = *pos;
    while (i <= so->mask && (so->table[i].key == 0 || so->table[i].key == K_SET_DUMMY)) i++;
    *pos = i + 1;
    return i > so->mask ? 0 : &so->table[i];
}

static void empty_to_minsize(KSet *so) {
    __builtin_memset(so->small, 0, sizeof so->small);
    so->fill = so->used = 0;
    so->mask = MIN_SIZE - 1;
    so->table = so->small;
}

/* Empty the set first, then drop the references (decrefs may run code using it). */
static void clear_internal(KSet *so) {
    KSetEntry *table = so->table, small_copy[MIN_SIZE];
    i64 used = so->used;
    bool malloced = table != so->small;
    if (!malloced) {
        if (so->fill == 0) return;
        __builtin_memcpy(small_copy, table, sizeof small_copy);
        table = small_copy;
    }
    empty_to_minsize(so);
    for (KSetEntry *e = table; used > 0; e++)
        if (e->key && e->key != K_SET_DUMMY) {
            used--;
            k_decref(e->key);
        }
    if (malloced) k_mfree(table);
}

static void set_clear_slot(KObj *o) { clear_internal((KSet *)o); }

/* ---- bulk insertion ---- */

/* set_merge: add every key of another set. */
static int merge(KSet *so, KSet *other) {
    if (other == so || other->used == 0) return 0;
    if ((so->fill + other->used) * 5 >= so->mask * 3) table_resize(so, (so->used + other->used) * 2);
    KSetEntry *se = so->table, *oe = other->table;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (i64 i = 0; i <= other->mask; i++, se++, oe++)
            if (oe->key) {
                se->key = k_newref(oe->key);
                se->hash = oe->hash;
            }
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = so->used = other->used;
        for (i64 i = other->mask + 1; i > 0; i--, oe++)
            if (oe->key && oe->key != K_SET_DUMMY) insert_clean(so->table, (u64)so->mask, k_newref(oe->key), oe->hash);
        return 0;
    }
    for (i64 i = 0; i <= other->mask; i++) {
        oe = &other->table[i];
        if (oe->key && oe->key != K_SET_DUMMY && add_entry(so, oe->key, oe->hash) < 0) return -1;
    }
    return 0;
}

static int add_key(KSet *so, kval key) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    return add_entry(so, key, hash);
}

/* set_update_internal: a set, a dict (its keys, with their stored hashes), or any iterable. */
static int update_internal(KSet *so, kval other) {
    const KType *t = k_type_of(other);
    if (k_is_subtype(t, &k_set_type)) return merge(so, (KSet *)other);
    if (t == &k_dict_type) {
        KDict *d = (KDict *)other;
        if ((so->fill + d->used) * 5 >= so->mask * 3) table_resize(so, (so->used + d->used) * 2);
        for (i64 i = 0; i < d->nentries; i++)
            if (d->entries[i].key && add_entry(so, d->entries[i].key, d->entries[i].hash) < 0) return -1;
        return 0;
    }
    kval it = k_iter(other);
    if (!it) return -1;
    for (;;) {
        kval key = k_next(it);
        if (!key) break;
        int r = add_key(so, key);
        k_decref(key);
        if (r < 0) break;
    }
    k_decref(it);
    return k_exc ? -1 : 0;
}

static KSet *make_new_set(kval iterable_or_0) {
    KSet *so = (KSet *)k_alloc(&k_set_type, sizeof(KSet));
    so->mask = MIN_SIZE - 1;
    so->table = so->small;
    if (iterable_or_0 && update_internal(so, iterable_or_0) < 0) {
        k_decref(K_VAL(so));
        return 0;
    }
    return so;
}

/* ---- the public API: elements ---- */

kval k_set_new(void) { return K_VAL(make_new_set(0)); }
kval k_set_from_iter(kval iterable) { return K_VAL(make_new_set(iterable)); }
kval k_set_copy(kval s) { return K_VAL(make_new_set(s)); }
i64 k_set_len(kval s) { return ((KSet *)s)->used; }
void k_set_clear(kval s) { clear_internal((KSet *)s); }
int k_set_add(kval s, kval key) { return add_key((KSet *)s, key); }

int k_set_contains(kval s, kval key) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    return contains_entry((KSet *)s, key, hash);
}

int k_set_discard(kval s, kval key) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    return discard_entry((KSet *)s, key, hash);
}

int k_set_remove(kval s, kval key) {
    int r = k_set_discard(s, key);
    if (r == 0) {
        kval args = k_tuple_pack(1, key);
        kval exc = k_exc_new(&k_KeyError_type, args);
        k_decref(args);
        if (exc) k_raise(exc);
        return -1;
    }
    return r < 0 ? -1 : 0;
}

kval k_set_pop(kval s) {
    KSet *so = (KSet *)s;
    if (so->used == 0) {
        k_raise_str(&k_KeyError_type, "pop from an empty set");
        return 0;
    }
    KSetEntry *entry = so->table + (so->finger & so->mask), *limit = so->table + so->mask;
    while (entry->key == 0 || entry->key == K_SET_DUMMY) {
        entry++;
        if (entry > limit) entry = so->table;
    }
    kval key = entry->key;
    entry->key = K_SET_DUMMY;
    entry->hash = -1;
    so->used--;
    so->finger = entry - so->table + 1;
    return key;
}

bool k_set_next(kval s, i64 *pos, kval *key) {
    KSetEntry *e = next_entry((KSet *)s, pos);
    if (!e) return 0;
    *key = e->key;
    return 1;
}

/* ---- set algebra ---- */

static bool is_set(kval v) { return k_isinstance(v, &k_set_type); }

kval k_set_union(kval s, kval other) {
    KSet *r = make_new_set(s);
    if (other != s && update_internal(r, other) < 0) {
        k_decref(K_VAL(r));
        return 0;
    }
    return K_VAL(r);
}

/* set_intersection: walk the smaller set (or the iterable), keep keys the other has. */
kval k_set_intersection(kval s, kval other) {
    KSet *so = (KSet *)s;
    if (s == other) return k_set_copy(s);
    KSet *result = make_new_set(0);
    if (is_set(other)) {
        KSet *walk = (KSet *)other, *probe = so;
        if (walk->used > so->used) {
            walk = so;
            probe = (KSet *)other;
        }
        KSetEntry *e;
        for (i64 pos = 0; (e = next_entry(walk, &pos));) {
            kval key = k_newref(e->key);
            i64 hash = e->hash;
            int rv = contains_entry(probe, key, hash);
            if (rv > 0) rv = add_entry(result, key, hash);
            k_decref(key);
            if (rv < 0) goto fail;
        }
        return K_VAL(result);
    }
    kval it = k_iter(other);
    if (!it) goto fail;
    for (;;) {
        kval key = k_next(it);
        if (!key) break;
        i64 hash = k_container_hash(key);
        int rv = hash == -1 ? -1 : contains_entry(so, key, hash);
        if (rv > 0) rv = add_entry(result, key, hash);
        k_decref(key);
        if (rv < 0 || (rv > 0 && result->used >= so->used)) break;
    }
    k_decref(it);
    if (!k_exc) return K_VAL(result);
fail:
    k_decref(K_VAL(result));
    return 0;
}

/* set_swap_bodies: exchange the tables of two sets (small tables are copied). */
static void swap_bodies(KSet *a, KSet *b) {
    i64 t;
    t = a->fill, a->fill = b->fill, b->fill = t;
    t = a->used, a->used = b->used, b->used = t;
    t = a->mask, a->mask = b->mask, b->mask = t;
    KSetEntry *u = a->table == a->small ? b->small : a->table;
    a->table = b->table == b->small ? a->small : b->table;
    b->table = u;
    if (a->table == a->small || b->table == b->small) {
        KSetEntry tab[MIN_SIZE];
        __builtin_memcpy(tab, a->small, sizeof tab);
        __builtin_memcpy(a->small, b->small, sizeof tab);
        __builtin_memcpy(b->small, tab, sizeof tab);
    }
}

int k_set_intersection_update(kval s, kval other) {
    kval tmp = k_set_intersection(s, other);
    if (!tmp) return -1;
    swap_bodies((KSet *)s, (KSet *)tmp);
    k_decref(tmp);
    return 0;
}

/* set_difference_update_internal. */
int k_set_difference_update(kval s, kval other) {
    KSet *so = (KSet *)s;
    if (s == other) {
        clear_internal(so);
        return 0;
    }
    if (is_set(other)) {
        if ((((KSet *)other)->used >> 3) > so->used) other = k_set_intersection(s, other);
        else k_incref(other);
        if (!other) return -1;
        KSetEntry *e;
        int rv = 0;
        for (i64 pos = 0; rv >= 0 && (e = next_entry((KSet *)other, &pos));) {
            kval key = k_newref(e->key);
            rv = discard_entry(so, key, e->hash);
            k_decref(key);
        }
        k_decref(other);
        if (rv < 0) return -1;
    } else {
        kval it = k_iter(other);
        if (!it) return -1;
        for (;;) {
            kval key = k_next(it);
            if (!key) break;
            int rv = k_set_discard(s, key);
            k_decref(key);
            if (rv < 0) break;
        }
        k_decref(it);
        if (k_exc) return -1;
    }
    if ((u64)(so->fill - so->used) <= (u64)so->mask / 4) return 0;   /* few dummies */
    return table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

static kval copy_and_difference(kval s, kval other) {
    kval r = k_set_copy(s);
    if (k_set_difference_update(r, other) == 0) return r;
    k_decref(r);
    return 0;
}

/* set_difference: walk s, keep keys the other lacks (or copy s and remove when s is big). */
kval k_set_difference(kval s, kval other) {
    KSet *so = (KSet *)s;
    const KType *t = k_type_of(other);
    i64 other_size;
    if (is_set(other)) other_size = ((KSet *)other)->used;
    else if (t == &k_dict_type) other_size = ((KDict *)other)->used;
    else return copy_and_difference(s, other);
    if ((so->used >> 2) > other_size) return copy_and_difference(s, other);
    KSet *result = make_new_set(0);
    KSetEntry *e;
    for (i64 pos = 0; (e = next_entry(so, &pos));) {
        kval key = k_newref(e->key);
        i64 hash = e->hash;
        int rv = t == &k_dict_type ? k_dict_contains_hash(other, key, hash) : contains_entry((KSet *)other, key, hash);
        if (rv == 0) rv = add_entry(result, key, hash);
        k_decref(key);
        if (rv < 0) {
            k_decref(K_VAL(result));
            return 0;
        }
    }
    return K_VAL(result);
}

/* Toggle one key: remove it when present, else add it. */
static int toggle(KSet *so, kval key, i64 hash) {
    k_incref(key);
    int rv = discard_entry(so, key, hash);
    if (rv == 0) rv = add_entry(so, key, hash);
    k_decref(key);
    return rv < 0 ? -1 : 0;
}

/* set_symmetric_difference_update. */
int k_set_symmetric_difference_update(kval s, kval other) {
    KSet *so = (KSet *)s;
    if (s == other) {
        clear_internal(so);
        return 0;
    }
    if (k_type_of(other) == &k_dict_type) {
        KDict *d = (KDict *)other;
        for (i64 i = 0; i < d->nentries; i++)
            if (d->entries[i].key && toggle(so, d->entries[i].key, d->entries[i].hash) < 0) return -1;
        return 0;
    }
    KSet *otherset;
    if (is_set(other)) {
        otherset = (KSet *)other;
        k_incref(other);
    } else if (!(otherset = make_new_set(other))) {
        return -1;
    }
    KSetEntry *e;
    int rv = 0;
    for (i64 pos = 0; rv == 0 && (e = next_entry(otherset, &pos));) rv = toggle(so, e->key, e->hash);
    k_decref(K_VAL(otherset));
    return rv;
}

/* set_symmetric_difference: a set of other's items, toggled by s's. */
kval k_set_symmetric_difference(kval s, kval other) {
    KSet *r = make_new_set(other);
    if (!r) return 0;
    if (k_set_symmetric_difference_update(K_VAL(r), s) < 0) {
        k_decref(K_VAL(r));
        return 0;
    }
    return K_VAL(r);
}

int k_set_update(kval s, kval iterable) { return update_internal((KSet *)s, iterable); }

static bool check_operands(kval a, kval b, const char *op) {
    if (is_set(a) && is_set(b)) return 1;
    k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for %s: '%s' and '%s'", op, k_type_of(a)->name,
                k_type_of(b)->name);
    return 0;
}

kval k_set_or(kval a, kval b) { return check_operands(a, b, "|") ? k_set_union(a, b) : 0; }
kval k_set_and(kval a, kval b) { return check_operands(a, b, "&") ? k_set_intersection(a, b) : 0; }
kval k_set_sub(kval a, kval b) { return check_operands(a, b, "-") ? k_set_difference(a, b) : 0; }
kval k_set_xor(kval a, kval b) { return check_operands(a, b, "^") ? k_set_symmetric_difference(a, b) : 0; }

/* ---- comparisons ---- */

int k_set_issubset(kval s, kval other) {
    KSet *so = (KSet *)s;
    if (!is_set(other)) {
        kval tmp = k_set_intersection(s, other);
        if (!tmp) return -1;
        int r = ((KSet *)tmp)->used == so->used;
        k_decref(tmp);
        return r;
    }
    if (so->used > ((KSet *)other)->used) return 0;
    KSetEntry *e;
    for (i64 pos = 0; (e = next_entry(so, &pos));) {
        kval key = k_newref(e->key);
        int rv = contains_entry((KSet *)other, key, e->hash);
        k_decref(key);
        if (rv <= 0) return rv;
    }
    return 1;
}

int k_set_issuperset(kval s, kval other) {
    if (is_set(other)) return k_set_issubset(other, s);
    kval it = k_iter(other);
    if (!it) return -1;
    int r = 1;
    for (;;) {
        kval key = k_next(it);
        if (!key) break;
        r = k_set_contains(s, key);
        k_decref(key);
        if (r <= 0) break;
    }
    k_decref(it);
    return k_exc ? -1 : r;
}

int k_set_isdisjoint(kval s, kval other) {
    KSet *so = (KSet *)s;
    if (s == other) return so->used == 0;
    if (is_set(other)) {
        KSet *walk = (KSet *)other, *probe = so;
        if (walk->used > so->used) {
            walk = so;
            probe = (KSet *)other;
        }
        KSetEntry *e;
        for (i64 pos = 0; (e = next_entry(walk, &pos));) {
            kval key = k_newref(e->key);
            int rv = contains_entry(probe, key, e->hash);
            k_decref(key);
            if (rv) return rv < 0 ? -1 : 0;
        }
        return 1;
    }
    kval it = k_iter(other);
    if (!it) return -1;
    int r = 1;
    for (;;) {
        kval key = k_next(it);
        if (!key) break;
        int rv = k_set_contains(s, key);
        k_decref(key);
        if (rv) {
            r = rv < 0 ? -1 : 0;
            break;
        }
    }
    k_decref(it);
    return k_exc ? -1 : r;
}

int k_set_richcmp(kval a, kval b, int op) {
    if (!is_set(b)) return 2;
    i64 na = ((KSet *)a)->used, nb = ((KSet *)b)->used;
    int r;
    switch (op) {
    case K_EQ: return na != nb ? 0 : k_set_issubset(a, b);
    case K_NE:
        if (na != nb) return 1;
        r = k_set_issubset(a, b);
        return r < 0 ? -1 : !r;
    case K_LE: return k_set_issubset(a, b);
    case K_GE: return k_set_issuperset(a, b);
    case K_LT: return na >= nb ? 0 : k_set_issubset(a, b);
    default: return na <= nb ? 0 : k_set_issuperset(a, b);
    }
}

/* ---- repr and iteration ---- */

kval k_set_repr(kval s) {
    KSet *so = (KSet *)s;
    if (k_stack_exhausted(" while getting the repr of an object")) return 0;
    if (!k_repr_enter(s)) return k_str_from_ascii("set(...)", 8);
    if (so->used == 0) {
        k_repr_leave(s);
        return k_str_from_ascii("set()", 5);
    }
    kval keys = k_list_from_iter(s);       /* a snapshot: reprs may change the set */
    kval parts = k_parts_new();
    k_parts_lit(parts, "{");
    bool ok = keys != 0;
    for (i64 i = 0; ok && i < k_list_len_fast(keys); i++) {
        if (i) k_parts_lit(parts, ", ");
        ok = k_parts_repr(parts, k_list_get_fast(keys, i));
    }
    k_xdecref(keys);
    k_repr_leave(s);
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, "}");
    return k_parts_join(parts);
}

typedef struct {
    KObj hdr;
    kval set;           /* 0: exhausted */
    i64 used;           /* the set's size when the iterator was made (-1 once it changed) */
    i64 pos;
} KSetIter;

static void set_iter_clear(KObj *o) { k_xdecref(((KSetIter *)o)->set); }
static kval iter_self(kval it) { return k_newref(it); }

static kval set_iter_next(kval self) {
    KSetIter *it = (KSetIter *)self;
    if (!it->set) return 0;
    KSet *so = (KSet *)it->set;
    if (it->used != so->used) {
        k_raise_str(&k_RuntimeError_type, "Set changed size during iteration");
        it->used = -1;
        return 0;
    }
    KSetEntry *e = next_entry(so, &it->pos);
    if (e) return k_newref(e->key);
    k_decref(it->set);
    it->set = 0;
    return 0;
}

static kval set_iter(kval s) {
    KSetIter *it = (KSetIter *)k_alloc(&k_set_iterator_type, sizeof(KSetIter));
    it->set = k_newref(s);
    it->used = ((KSet *)s)->used;
    return K_VAL(it);
}

/* wants object.h: */ i64 k_hash_unhashable(kval v);

const KType k_set_iterator_type = {K_STATIC_HDR(&k_type_type), "set_iterator", "builtins", &k_object_type,
                                   sizeof(KSetIter), 0, .clear = set_iter_clear, .iter = iter_self,
                                   .next = set_iter_next};
const KType k_set_type = {K_STATIC_HDR(&k_type_type), "set", "builtins", &k_object_type, sizeof(KSet), 0,
                          .clear = set_clear_slot, .repr = k_set_repr, .hash = k_hash_unhashable,
                          .richcmp = k_set_richcmp, .len = k_set_len, .iter = set_iter, .contains = k_set_contains};
