/* tuple: an immutable array of kvals, allocated with the object (see tuple.c). */
#pragma once
#include "object.h"

typedef struct { KObj hdr; i64 len; kval items[]; } KTuple;

static inline __attribute__((always_inline)) i64 k_tuple_len_fast(kval v) { return ((KTuple *)v)->len; }
static inline __attribute__((always_inline)) kval *k_tuple_items(kval v) { return ((KTuple *)v)->items; }
static inline __attribute__((always_inline)) kval k_tuple_get_fast(kval v, i64 i) { return ((KTuple *)v)->items[i]; }  /* borrowed */

kval k_tuple_new(i64 n);              /* items zero; the caller fills them by assignment, the tuple owns them */
kval k_tuple_pack(i64 n, ...);        /* borrows, increfs */
kval k_tuple_from_array(const kval *items, i64 n);   /* borrows, increfs */
kval k_tuple_from_iter(kval iterable);
kval k_tuple_getitem(kval t, i64 i);  /* new ref or 0 (IndexError) */
kval k_tuple_slice(kval t, kval start, kval stop, kval step);
kval k_tuple_concat(kval a, kval b);
kval k_tuple_repeat(kval t, i64 n);
int k_tuple_contains(kval t, kval v);             /* 1 / 0 / -1 */
i64 k_tuple_count(kval t, kval v);                /* -1 raised */
i64 k_tuple_index(kval t, kval v, i64 start, i64 stop);  /* -1 raised; no bounds: 0, INT64_MAX */
int k_tuple_richcmp(kval a, kval b, int op);      /* 1 / 0 / -1, 2 NotImplemented */
i64 k_tuple_hash(kval t);                         /* CPython 3.11's; -1 raised */
kval k_tuple_repr(kval t);
i64 k_tuple_len(kval t);
/* The slots a typing.NamedTuple class shares with tuple (its instances are KTuples). */
void k_tuple_clear(KObj *o);
kval k_tuple_iter(kval t);

extern const KType k_tuple_iterator_type;
