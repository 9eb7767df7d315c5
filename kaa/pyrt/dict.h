/* dict: a compact, insertion-ordered hash table (see dict.c for the design). */
#pragma once
#include "object.h"

typedef struct { i64 hash; kval key; kval value; } KDictEntry;   /* key 0: deleted */

typedef struct {
    KObj hdr;
    i64 used;           /* live entries */
    i64 nentries;       /* entries[0..nentries) in use, deleted ones included */
    i64 usable;         /* capacity of entries */
    i64 mask;           /* index table size - 1 */
    i32 *indices;       /* slot -> entry index; -1 empty, -2 deleted */
    KDictEntry *entries;  /* in the same allocation as indices */
} KDict;

kval k_dict_new(void);
int k_dict_setitem(kval d, kval key, kval value);     /* borrows both; 0 / -1 */
kval k_dict_getitem(kval d, kval key);                /* new ref, or 0: KeyError(key) */
kval k_dict_getitem_borrowed(kval d, kval key);       /* borrowed, or 0: check k_exc (0 without exception = missing) */
int k_dict_delitem(kval d, kval key);                 /* 0 / -1 (KeyError) */
kval k_dict_get(kval d, kval key, kval dflt);         /* d.get(key, dflt): new ref */
kval k_dict_setdefault(kval d, kval key, kval dflt);  /* new ref */
kval k_dict_pop(kval d, kval key, kval dflt_or_0);    /* new ref or 0 */
kval k_dict_popitem(kval d);                          /* (key, value) tuple or 0 */
int k_dict_contains(kval d, kval key);                /* 1 / 0 / -1 */
int k_dict_contains_hash(kval d, kval key, i64 hash); /* with key's hash known */
i64 k_dict_len(kval d);
int k_dict_update(kval d, kval other);                /* dict or iterable of pairs; 0 / -1 */
kval k_dict_or(kval a, kval b);                       /* a | b */
int k_dict_ior(kval d, kval other);                   /* d |= other; 0 / -1 */
kval k_dict_copy(kval d);
void k_dict_clear(kval d);
/* Fast iteration: *pos starts at 0; borrowed key/value (either pointer may be NULL). */
bool k_dict_next(kval d, i64 *pos, kval *key, kval *value);
kval k_dict_keys(kval d);                             /* view objects */
kval k_dict_values(kval d);
kval k_dict_items(kval d);
kval k_odict_keys(kval d);                            /* OrderedDict's (named odict_keys, ...) */
kval k_odict_values(kval d);
kval k_odict_items(kval d);
int k_dict_richcmp(kval a, kval b, int op);           /* == and != (2 NotImplemented otherwise) */
kval k_dict_repr(kval d);
kval k_dict_fromkeys(kval iterable, kval value);      /* dict.fromkeys(iterable, value) */
int k_dict_move_to_end(kval d, kval key, bool last);  /* OrderedDict.move_to_end: 0 / -1 (KeyError) */

/* What dict.c leaves to the dict subclasses (collections.c: defaultdict, Counter,
 * OrderedDict), called for a d whose type is not dict itself: d[key] of a missing key
 * (CPython's __missing__: a new reference, or 0, raised when k_exc is set, else no
 * __missing__ and the caller raises KeyError), d | other and d |= other. */
kval k_dict_missing(kval d, kval key);
kval k_dict_subclass_or(kval d, kval other);
int k_dict_subclass_ior(kval d, kval other);

extern const KType k_dict_keys_type, k_dict_values_type, k_dict_items_type, k_odict_keys_type,
    k_odict_values_type, k_odict_items_type, k_dict_keyiterator_type, k_dict_valueiterator_type, k_dict_itemiterator_type;

/* hash(key) as dict and set compute it: small ints and strs (cached hash) without a
 * call through the type, k_hash otherwise. */
i64 k_container_hash(kval key);                       /* -1 raised */
