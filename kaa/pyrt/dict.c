/* dict: a compact, insertion-ordered hash table, as CPython's Objects/dictobject.c.
 *
 * Layout (KDict): two arrays in one allocation.
 *   - indices[mask + 1] (a power of two, at least 8): the hash table proper. Each slot
 *     is EMPTY (-1), DUMMY (-2: a deleted key was here, keep probing) or the index of
 *     an entry.
 *   - entries[usable] (usable = 2/3 of the table): {hash, key, value} appended in
 *     insertion order; entries[0..nentries) have been used, and a deleted entry keeps
 *     its place with key 0, so iteration in entry order is insertion order.
 * Probing is CPython's: slot = hash & mask, then slot = slot * 5 + 1 + perturb with
 * perturb = hash shifted right by 5 at each step, so every slot is eventually visited.
 * When entries is full (nentries == usable) the table is rebuilt for 3 * used keys,
 * which drops deleted entries; order is kept. An empty dict has no table (mask 0,
 * indices NULL) until its first insertion.
 *
 * Keys compare by identity first, then by hash, then with ==: small ints and strs
 * without calling out (no allocation per lookup); other types through k_eq, which may
 * run user code that changes the dict, in which case the lookup restarts.
 * used counts live keys; iterators remember it and raise RuntimeError when it changes.
 */
#include "dict.h"
#include "list.h"
#include "tuple.h"
#include "str.h"
#include "int.h"

#define EMPTY (-1)
#define DUMMY (-2)
#define MIN_SIZE 8
#define PERTURB_SHIFT 5

/* ---- hashing and key equality ---- */

#define HASH_MODULUS ((1ULL << 61) - 1)

i64 k_container_hash(kval key) {
    if (K_IS_SMALL(key)) {           /* int: |x| mod 2**61 - 1 with x's sign, as CPython */
        i64 x = (i64)key >> 1;
        u64 m = x < 0 ? 0 - (u64)x : (u64)x;
        while (m >= HASH_MODULUS) m -= HASH_MODULUS;
        i64 h = x < 0 ? -(i64)m : (i64)m;
        return h == -1 ? -2 : h;
    }
    if (K_OBJ(key)->type == &k_str_type) {
        i64 h = ((KStr *)key)->hash;
        return h != -1 ? h : k_str_hash(key);
    }
    return k_hash(key);
}

/* 1 equal, 0 not, -1 raised. Both keys have the same hash and are not identical. */
static inline int keys_equal(kval a, kval b) {
    if (K_IS_SMALL(a) && K_IS_SMALL(b)) return 0;
    if (!K_IS_SMALL(a) && !K_IS_SMALL(b) && K_OBJ(a)->type == &k_str_type && K_OBJ(b)->type == &k_str_type) {
        const KStr *x = (const KStr *)a, *y = (const KStr *)b;
        return x->nbytes == y->nbytes && __builtin_memcmp(x->data, y->data, (u64)x->nbytes) == 0;
    }
    return k_eq(a, b);
}

/* ---- the table ---- */

static inline i64 usable_for(i64 size) { return (size << 1) / 3; }

/* Entry index of key, -1 missing, -2 raised. *slot_out (when not NULL): its slot. */
static i64 lookup(KDict *d, kval key, i64 hash, i64 *slot_out) {
restart:
    if (!d->indices) return -1;
    u64 mask = (u64)d->mask, i = (u64)hash & mask, perturb = (u64)hash;
    for (;;) {
        i32 ix = d->indices[i];
        if (ix == EMPTY) return -1;
        if (ix >= 0) {
            KDictEntry *e = &d->entries[ix];
            if (e->key == key) goto found;
            if (e->hash == hash) {
                kval ek = e->key;
                KDictEntry *entries = d->entries;
                k_incref(ek);
                int r = keys_equal(ek, key);
                k_decref(ek);
                if (r < 0) return -2;
                if (d->entries != entries || e->key != ek) goto restart;   /* the dict changed under us */
                if (r) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
        continue;
    found:
        if (slot_out) *slot_out = (i64)i;
        return ix;
    }
}

/* First EMPTY or DUMMY slot on hash's probe sequence. */
static i64 free_slot(const i32 *indices, i64 mask, i64 hash) {
    u64 i = (u64)hash & (u64)mask, perturb = (u64)hash;
    while (indices[i] >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & (u64)mask;
    }
    return (i64)i;
}

/* Rebuild with room for at least min_used keys, keeping live entries in order. */
static void resize(KDict *d, i64 min_used) {
    i64 size = MIN_SIZE;
    while (usable_for(size) < min_used) size <<= 1;
    i64 usable = usable_for(size);
    u64 ibytes = (u64)size * sizeof(i32);
    i32 *indices = k_malloc(ibytes + (u64)usable * sizeof(KDictEntry));
    KDictEntry *entries = (KDictEntry *)((u8 *)indices + ibytes);
    __builtin_memset(indices, 0xff, ibytes);
    i64 n = 0;
    for (i64 k = 0; k < d->nentries; k++) {
        KDictEntry *e = &d->entries[k];
        if (!e->key) continue;
        entries[n] = *e;
        indices[free_slot(indices, size - 1, e->hash)] = (i32)n;
        n++;
    }
    k_mfree(d->indices);
    d->indices = indices;
    d->entries = entries;
    d->mask = size - 1;
    d->usable = usable;
    d->nentries = n;
}

/* Append a key known to be missing (steals key and value). */
static void insert_new(KDict *d, kval key, i64 hash, kval value) {
    if (d->nentries >= d->usable) resize(d, 2 * d->used + 1);   /* CPython: a table of 3 * used */
    i64 n = d->nentries++;
    d->entries[n] = (KDictEntry){hash, key, value};
    d->indices[free_slot(d->indices, d->mask, hash)] = (i32)n;
    d->used++;
}

/* Set d[key] = value with a known hash; steals value, borrows key. */
static int insert(KDict *d, kval key, i64 hash, kval value) {
    i64 ix = lookup(d, key, hash, 0);
    if (ix == -2) {
        k_decref(value);
        return -1;
    }
    if (ix >= 0) {
        kval old = d->entries[ix].value;
        d->entries[ix].value = value;
        k_decref(old);
        return 0;
    }
    insert_new(d, k_newref(key), hash, value);
    return 0;
}

/* Remove the entry at index ix found in slot; returns nothing, the caller owns the
 * key and value references left in *key, *value. */
static void remove_entry(KDict *d, i64 slot, i64 ix, kval *key, kval *value) {
    KDictEntry *e = &d->entries[ix];
    *key = e->key;
    *value = e->value;
    e->key = e->value = 0;
    d->indices[slot] = DUMMY;
    d->used--;
}

static void dict_clear_slot(KObj *o) {
    KDict *d = (KDict *)o;
    i32 *indices = d->indices;
    KDictEntry *entries = d->entries;
    i64 n = d->nentries;
    d->indices = 0;
    d->entries = 0;
    d->used = d->nentries = d->usable = d->mask = 0;
    for (i64 i = 0; i < n; i++) {
        if (!entries[i].key) continue;
        k_decref(entries[i].key);
        k_decref(entries[i].value);
    }
    k_mfree(indices);
}

/* ---- the mapping API ---- */

kval k_dict_new(void) { return K_VAL(k_alloc(&k_dict_type, sizeof(KDict))); }

i64 k_dict_len(kval d) { return ((KDict *)d)->used; }

int k_dict_setitem(kval d, kval key, kval value) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    return insert((KDict *)d, key, hash, k_newref(value));
}

static void raise_key_error(kval key) {
    kval args = k_tuple_pack(1, key);
    kval exc = k_exc_new(&k_KeyError_type, args);
    k_decref(args);
    if (exc) k_raise(exc);
}

kval k_dict_getitem_borrowed(kval d, kval key) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return 0;
    i64 ix = lookup((KDict *)d, key, hash, 0);
    return ix >= 0 ? ((KDict *)d)->entries[ix].value : 0;
}

kval k_dict_getitem(kval d, kval key) {
    kval v = k_dict_getitem_borrowed(d, key);
    if (v) return k_newref(v);
    if (!k_exc && K_OBJ(d)->type != &k_dict_type && (v = k_dict_missing(d, key))) return v;
    if (!k_exc) raise_key_error(key);
    return 0;
}

kval k_dict_get(kval d, kval key, kval dflt) {
    kval v = k_dict_getitem_borrowed(d, key);
    if (v) return k_newref(v);
    return k_exc ? 0 : k_newref(dflt);
}

int k_dict_contains(kval d, kval key) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    i64 ix = lookup((KDict *)d, key, hash, 0);
    return ix >= 0 ? 1 : ix == -1 ? 0 : -1;
}

int k_dict_contains_hash(kval d, kval key, i64 hash) {
    i64 ix = lookup((KDict *)d, key, hash, 0);
    return ix >= 0 ? 1 : ix == -1 ? 0 : -1;
}

kval k_dict_setdefault(kval d, kval key, kval dflt) {
    KDict *dp = (KDict *)d;
    i64 hash = k_container_hash(key);
    if (hash == -1) return 0;
    i64 ix = lookup(dp, key, hash, 0);
    if (ix == -2) return 0;
    if (ix >= 0) return k_newref(dp->entries[ix].value);
    insert_new(dp, k_newref(key), hash, k_newref(dflt));
    return k_newref(dflt);
}

/* Remove key: 1 removed (*value: the owned value), 0 missing, -1 raised. */
static int pop_key(KDict *d, kval key, kval *value) {
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    i64 slot, ix = lookup(d, key, hash, &slot);
    if (ix < 0) return ix == -1 ? 0 : -1;
    kval k;
    remove_entry(d, slot, ix, &k, value);
    k_decref(k);
    return 1;
}

int k_dict_delitem(kval d, kval key) {
    kval v;
    int r = pop_key((KDict *)d, key, &v);
    if (r == 1) {
        k_decref(v);
        return 0;
    }
    if (r == 0) raise_key_error(key);
    return -1;
}

kval k_dict_pop(kval d, kval key, kval dflt_or_0) {
    kval v;
    int r = pop_key((KDict *)d, key, &v);
    if (r == 1) return v;
    if (r < 0) return 0;
    if (dflt_or_0) return k_newref(dflt_or_0);
    raise_key_error(key);
    return 0;
}

kval k_dict_popitem(kval d) {
    KDict *dp = (KDict *)d;
    if (dp->used == 0) {
        k_raise_str(&k_KeyError_type, "popitem(): dictionary is empty");
        return 0;
    }
    i64 ix = dp->nentries - 1;
    while (!dp->entries[ix].key) ix--;
    KDictEntry *e = &dp->entries[ix];
    u64 i = (u64)e->hash & (u64)dp->mask, perturb = (u64)e->hash;
    while (dp->indices[i] != ix) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & (u64)dp->mask;
    }
    kval key, value;
    remove_entry(dp, (i64)i, ix, &key, &value);
    dp->nentries = ix;                 /* the last entries are free again */
    kval t = k_tuple_new(2);
    k_tuple_items(t)[0] = key;
    k_tuple_items(t)[1] = value;
    return t;
}

bool k_dict_next(kval d, i64 *pos, kval *key, kval *value) {
    KDict *dp = (KDict *)d;
    i64 i = *pos;
    while (i < dp->nentries && !dp->entries[i].key) i++;
    if (i >= dp->nentries) return 0;
    if (key) *key = dp->entries[i].key;
    if (value) *value = dp->entries[i].value;
    *pos = i + 1;
    return 1;
}

/* ---- whole-dict operations ---- */

static int merge_dict(KDict *d, KDict *other) {
    if (d == other || other->used == 0) return 0;
    if (d->used == 0 && d->nentries == 0) resize(d, other->used);
    for (i64 i = 0; i < other->nentries; i++) {
        KDictEntry *e = &other->entries[i];
        if (!e->key) continue;
        kval key = k_newref(e->key);
        int r = insert(d, key, e->hash, k_newref(e->value));
        k_decref(key);
        if (r < 0) return -1;
    }
    return 0;
}

/* One element of an iterable of pairs, CPython's dict_merge_from_seq2 checks. */
static int merge_pair(KDict *d, kval item, i64 index) {
    kval pair = k_tuple_from_iter(item);
    if (!pair) {
        if (k_exc_matches(&k_TypeError_type)) {
            k_decref(k_exc_fetch());
            k_raise_fmt(&k_TypeError_type, "cannot convert dictionary update sequence element #%d to a sequence", index);
        }
        return -1;
    }
    int r = -1;
    if (k_tuple_len_fast(pair) != 2)
        k_raise_fmt(&k_ValueError_type, "dictionary update sequence element #%d has length %d; 2 is required", index,
                    k_tuple_len_fast(pair));
    else
        r = k_dict_setitem(K_VAL(d), k_tuple_items(pair)[0], k_tuple_items(pair)[1]);
    k_decref(pair);
    return r;
}

int k_dict_update(kval d, kval other) {
    if (k_isinstance(other, &k_dict_type)) return merge_dict((KDict *)d, (KDict *)other);
    kval it = k_iter(other);
    if (!it) return -1;
    int r = 0;
    for (i64 index = 0; r == 0; index++) {
        kval item = k_next(it);
        if (!item) break;
        r = merge_pair((KDict *)d, item, index);
        k_decref(item);
    }
    k_decref(it);
    return r == 0 && !k_exc ? 0 : -1;
}

kval k_dict_copy(kval d) {
    kval r = k_dict_new();
    merge_dict((KDict *)r, (KDict *)d);
    return r;
}

kval k_dict_or(kval a, kval b) {
    if (!k_isinstance(a, &k_dict_type) || !k_isinstance(b, &k_dict_type)) {
        k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for |: '%s' and '%s'", k_type_of(a)->name,
                    k_type_of(b)->name);
        return 0;
    }
    if (K_OBJ(a)->type != &k_dict_type) return k_dict_subclass_or(a, b);
    kval r = k_dict_copy(a);
    if (merge_dict((KDict *)r, (KDict *)b) < 0) {
        k_decref(r);
        return 0;
    }
    return r;
}

int k_dict_ior(kval d, kval other) {
    return K_OBJ(d)->type != &k_dict_type ? k_dict_subclass_ior(d, other) : k_dict_update(d, other);
}

/* The entries in their order with the last one moved to the front (rebuilt: the
 * compact layout only appends). */
static void last_to_front(KDict *d) {
    resize(d, d->used);                        /* drops deleted entries: entries[0..used) live */
    KDictEntry last = d->entries[d->nentries - 1];
    __builtin_memmove(&d->entries[1], &d->entries[0], (u64)(d->nentries - 1) * sizeof(KDictEntry));
    d->entries[0] = last;
    __builtin_memset(d->indices, 0xff, (u64)(d->mask + 1) * sizeof(i32));
    for (i64 i = 0; i < d->nentries; i++) d->indices[free_slot(d->indices, d->mask, d->entries[i].hash)] = (i32)i;
}

int k_dict_move_to_end(kval d, kval key, bool last) {
    KDict *dp = (KDict *)d;
    i64 hash = k_container_hash(key);
    if (hash == -1) return -1;
    i64 slot, ix = lookup(dp, key, hash, &slot);
    if (ix < 0) {
        if (ix == -1) raise_key_error(key);
        return -1;
    }
    kval k, v;
    remove_entry(dp, slot, ix, &k, &v);
    insert_new(dp, k, hash, v);                /* the stored key moves, not the equal one given */
    if (!last) last_to_front(dp);
    return 0;
}

void k_dict_clear(kval d) { dict_clear_slot(K_OBJ(d)); }

kval k_dict_fromkeys(kval iterable, kval value) {
    kval d = k_dict_new();
    kval it = k_iter(iterable);
    if (!it) goto fail;
    for (;;) {
        kval key = k_next(it);
        if (!key) break;
        int r = k_dict_setitem(d, key, value);
        k_decref(key);
        if (r < 0) break;
    }
    k_decref(it);
    if (!k_exc) return d;
fail:
    k_decref(d);
    return 0;
}

/* dict_equal: same size, and each key of a is in b with an equal value. */
static int dict_equal(KDict *a, KDict *b) {
    if (a->used != b->used) return 0;
    for (i64 i = 0; i < a->nentries; i++) {
        KDictEntry *e = &a->entries[i];
        if (!e->key) continue;
        kval key = k_newref(e->key), av = k_newref(e->value);
        i64 ix = lookup(b, key, e->hash, 0);
        int r = ix >= 0 ? 1 : ix == -1 ? 0 : -1;
        if (r == 1) {
            kval bv = k_newref(b->entries[ix].value);
            r = k_eq(av, bv);
            k_decref(bv);
        }
        k_decref(key);
        k_decref(av);
        if (r <= 0) return r;
    }
    return 1;
}

int k_dict_richcmp(kval a, kval b, int op) {
    if ((op != K_EQ && op != K_NE) || !k_isinstance(b, &k_dict_type)) return 2;
    if (k_stack_exhausted(" in comparison")) return -1;
    int r = dict_equal((KDict *)a, (KDict *)b);
    if (r < 0) return -1;
    return op == K_EQ ? r : !r;
}

kval k_dict_repr(kval d) {
    KDict *dp = (KDict *)d;
    if (dp->used == 0) return k_str_from_ascii("{}", 2);
    if (k_stack_exhausted(" while getting the repr of an object")) return 0;
    if (!k_repr_enter(d)) return k_str_from_ascii("{...}", 5);
    kval parts = k_parts_new();
    k_parts_lit(parts, "{");
    bool ok = 1, first = 1;
    for (i64 i = 0; ok && i < dp->nentries; i++) {
        KDictEntry *e = &dp->entries[i];
        if (!e->key) continue;
        if (!first) k_parts_lit(parts, ", ");
        first = 0;
        kval key = k_newref(e->key), value = k_newref(e->value);
        ok = k_parts_repr(parts, key);
        if (ok) k_parts_lit(parts, ": ");
        ok = ok && k_parts_repr(parts, value);
        k_decref(key);
        k_decref(value);
    }
    k_repr_leave(d);
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, "}");
    return k_parts_join(parts);
}

/* ---- iterators ---- */

typedef struct {
    KObj hdr;
    kval dict;          /* 0: exhausted */
    i64 pos;            /* next entry to look at */
    i64 used;           /* the dict's size when the iterator was made (-1 once it changed) */
    i64 left;           /* items still expected */
} KDictIter;

static void dict_iter_clear(KObj *o) { k_xdecref(((KDictIter *)o)->dict); }
static kval iter_self(kval it) { return k_newref(it); }

static kval make_iter(kval d, const KType *t) {
    KDictIter *it = (KDictIter *)k_alloc(t, sizeof(KDictIter));
    it->dict = k_newref(d);
    it->used = it->left = ((KDict *)d)->used;
    return K_VAL(it);
}

/* The next entry, or NULL (exhausted, or raised when k_exc is set). */
static KDictEntry *iter_entry(KDictIter *it) {
    if (!it->dict) return 0;
    KDict *d = (KDict *)it->dict;
    if (it->used != d->used) {
        k_raise_str(&k_RuntimeError_type, "dictionary changed size during iteration");
        it->used = -1;
        return 0;
    }
    i64 i = it->pos;
    while (i < d->nentries && !d->entries[i].key) i++;
    if (i >= d->nentries) goto done;
    if (it->left == 0) {
        k_raise_str(&k_RuntimeError_type, "dictionary keys changed during iteration");
        goto done;
    }
    it->pos = i + 1;
    it->left--;
    return &d->entries[i];
done:
    k_decref(it->dict);
    it->dict = 0;
    return 0;
}

static kval key_next(kval self) {
    KDictEntry *e = iter_entry((KDictIter *)self);
    return e ? k_newref(e->key) : 0;
}

static kval value_next(kval self) {
    KDictEntry *e = iter_entry((KDictIter *)self);
    return e ? k_newref(e->value) : 0;
}

static kval item_next(kval self) {
    KDictEntry *e = iter_entry((KDictIter *)self);
    return e ? k_tuple_pack(2, e->key, e->value) : 0;
}

static kval dict_iter(kval d) { return make_iter(d, &k_dict_keyiterator_type); }

/* ---- views ---- */

typedef struct { KObj hdr; kval dict; } KDictView;

static void view_clear(KObj *o) { k_decref(((KDictView *)o)->dict); }

static kval make_view(kval d, const KType *t) {
    KDictView *v = (KDictView *)k_alloc(t, sizeof(KDictView));
    v->dict = k_newref(d);
    return K_VAL(v);
}

kval k_dict_keys(kval d) { return make_view(d, &k_dict_keys_type); }
kval k_dict_values(kval d) { return make_view(d, &k_dict_values_type); }
kval k_dict_items(kval d) { return make_view(d, &k_dict_items_type); }
/* OrderedDict's: the same views under CPython's names for them. */
kval k_odict_keys(kval d) { return make_view(d, &k_odict_keys_type); }
kval k_odict_values(kval d) { return make_view(d, &k_odict_values_type); }
kval k_odict_items(kval d) { return make_view(d, &k_odict_items_type); }

static i64 view_len(kval v) { return ((KDict *)((KDictView *)v)->dict)->used; }
static kval keys_iter(kval v) { return make_iter(((KDictView *)v)->dict, &k_dict_keyiterator_type); }
static kval values_iter(kval v) { return make_iter(((KDictView *)v)->dict, &k_dict_valueiterator_type); }
static kval items_iter(kval v) { return make_iter(((KDictView *)v)->dict, &k_dict_itemiterator_type); }

static int keys_contains(kval v, kval key) { return k_dict_contains(((KDictView *)v)->dict, key); }

static int values_contains(kval v, kval x) {
    KDict *d = (KDict *)((KDictView *)v)->dict;
    for (i64 i = 0; i < d->nentries; i++) {
        if (!d->entries[i].key) continue;
        kval value = k_newref(d->entries[i].value);
        int r = k_eq(value, x);
        k_decref(value);
        if (r) return r;
    }
    return 0;
}

static int items_contains(kval v, kval item) {
    if (!k_isinstance(item, &k_tuple_type) || k_tuple_len_fast(item) != 2) return 0;
    kval found = k_dict_getitem_borrowed(((KDictView *)v)->dict, k_tuple_items(item)[0]);
    if (!found) return k_exc ? -1 : 0;
    k_incref(found);
    int r = k_eq(found, k_tuple_items(item)[1]);
    k_decref(found);
    return r;
}

/* "dict_keys([...])": the name, then the repr of the view's items as a list. */
static kval view_repr(kval v) {
    if (!k_repr_enter(v)) return k_str_from_ascii("...", 3);
    kval list = k_list_from_iter(v);
    kval parts = k_parts_new();
    k_parts_lit(parts, k_type_of(v)->name);
    k_parts_lit(parts, "(");
    bool ok = list && k_parts_repr(parts, list);
    k_xdecref(list);
    k_repr_leave(v);
    if (!ok) {
        k_decref(parts);
        return 0;
    }
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

/* wants object.h: */ i64 k_hash_unhashable(kval v);

#define ITER_TYPE(cname, pyname, nextfn)                                                                     \
    const KType cname = {K_STATIC_HDR(&k_type_type), pyname, "builtins", &k_object_type, sizeof(KDictIter), 0, \
                         .clear = dict_iter_clear, .iter = iter_self, .next = nextfn}
ITER_TYPE(k_dict_keyiterator_type, "dict_keyiterator", key_next);
ITER_TYPE(k_dict_valueiterator_type, "dict_valueiterator", value_next);
ITER_TYPE(k_dict_itemiterator_type, "dict_itemiterator", item_next);

#define VIEW_TYPE(cname, pyname, iterfn, containsfn)                                                          \
    const KType cname = {K_STATIC_HDR(&k_type_type), pyname, "builtins", &k_object_type, sizeof(KDictView), 0, \
                         .clear = view_clear, .repr = view_repr, .len = view_len, .iter = iterfn,                \
                         .contains = containsfn}
VIEW_TYPE(k_dict_keys_type, "dict_keys", keys_iter, keys_contains);
VIEW_TYPE(k_dict_values_type, "dict_values", values_iter, values_contains);
VIEW_TYPE(k_dict_items_type, "dict_items", items_iter, items_contains);
VIEW_TYPE(k_odict_keys_type, "odict_keys", keys_iter, keys_contains);
VIEW_TYPE(k_odict_values_type, "odict_values", values_iter, values_contains);
VIEW_TYPE(k_odict_items_type, "odict_items", items_iter, items_contains);

const KType k_dict_type = {K_STATIC_HDR(&k_type_type), "dict", "builtins", &k_object_type, sizeof(KDict), 0,
                           .clear = dict_clear_slot, .repr = k_dict_repr, .hash = k_hash_unhashable,
                           .richcmp = k_dict_richcmp, .len = k_dict_len, .iter = dict_iter,
                           .contains = k_dict_contains};
