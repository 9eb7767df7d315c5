/* set: an open-addressing hash table laid out as CPython 3.11's setobject.c, so that
 * iteration order matches CPython's for the same operations (see set.c). */
#pragma once
#include "object.h"

extern KObj k_set_dummy_obj;
#define K_SET_DUMMY K_VAL(&k_set_dummy_obj)

typedef struct { kval key; i64 hash; } KSetEntry;   /* key 0: unused; key K_SET_DUMMY: deleted */

typedef struct {
    KObj hdr;
    i64 fill;           /* active + dummy entries */
    i64 used;           /* active entries */
    i64 mask;           /* table size - 1 */
    KSetEntry *table;
    i64 finger;         /* pop() starts scanning here */
    KSetEntry small[8]; /* the table of small sets */
} KSet;

kval k_set_new(void);
kval k_set_from_iter(kval iterable);          /* set(iterable) */
int k_set_add(kval s, kval key);              /* 0 / -1 */
int k_set_discard(kval s, kval key);          /* 1 found, 0 not, -1 raised */
int k_set_remove(kval s, kval key);           /* 0 / -1 (KeyError) */
kval k_set_pop(kval s);                       /* new ref or 0 (KeyError "pop from an empty set") */
int k_set_contains(kval s, kval key);         /* 1 / 0 / -1 */
i64 k_set_len(kval s);
kval k_set_copy(kval s);
void k_set_clear(kval s);
kval k_set_union(kval s, kval other);         /* s.union(iterable) */
kval k_set_intersection(kval s, kval other);  /* s.intersection(iterable) */
kval k_set_difference(kval s, kval other);
kval k_set_symmetric_difference(kval s, kval other);
kval k_set_or(kval a, kval b);                /* a | b (both sets; else TypeError) */
kval k_set_and(kval a, kval b);
kval k_set_sub(kval a, kval b);
kval k_set_xor(kval a, kval b);
int k_set_update(kval s, kval iterable);      /* s |= / s.update(): 0 / -1 */
int k_set_intersection_update(kval s, kval iterable);         /* &= */
int k_set_difference_update(kval s, kval iterable);           /* -= */
int k_set_symmetric_difference_update(kval s, kval iterable); /* ^= */
int k_set_issubset(kval s, kval other);       /* 1 / 0 / -1; other any iterable */
int k_set_issuperset(kval s, kval other);
int k_set_isdisjoint(kval s, kval other);
int k_set_richcmp(kval a, kval b, int op);    /* ==, !=, <, <=, >, >=; 2 NotImplemented */
kval k_set_repr(kval s);
/* Fast iteration: *pos starts at 0; borrowed key. */
bool k_set_next(kval s, i64 *pos, kval *key);

extern const KType k_set_iterator_type;
