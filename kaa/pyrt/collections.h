/* Python's collections module: deque (deque.c) and the dict subclasses defaultdict,
 * Counter and OrderedDict (collections.c).
 *
 * The dict subclasses are KDicts (dict.h's layout; defaultdict adds its factory after
 * it), so every k_dict_* function takes them; their KTypes have k_dict_type as base.
 * What differs is reached through dict.c's hooks (k_dict_missing for d[key] of a missing
 * key, k_dict_subclass_or for | and |=), their own slots (repr, richcmp) and the
 * functions below. */
#pragma once
#include "object.h"
#include "dict.h"

/* ---- deque: a ring buffer of kvals ---- */

typedef struct {
    KObj hdr;
    kval *ring;         /* cap slots; item i is ring[(head + i) & (cap - 1)] */
    i64 cap;            /* 0 (no storage yet) or a power of two */
    i64 head;
    i64 len;
    i64 maxlen;         /* -1: unbounded */
    u64 state;          /* changes at every insertion or removal: iterators check it */
} KDeque;

extern const KType k_deque_type, k_deque_iterator_type;

kval k_deque_new(kval iterable_or_0, kval maxlen);   /* deque(iterable, maxlen): maxlen an int or None */
int k_deque_append(kval dq, kval x);                 /* borrows x; 0 / -1 */
int k_deque_appendleft(kval dq, kval x);
kval k_deque_pop(kval dq);                           /* item or 0 (IndexError) */
kval k_deque_popleft(kval dq);
int k_deque_extend(kval dq, kval iterable);          /* 0 / -1 */
int k_deque_extendleft(kval dq, kval iterable);
void k_deque_rotate(kval dq, i64 n);
void k_deque_clear(kval dq);
void k_deque_reverse(kval dq);
kval k_deque_copy(kval dq);                          /* same maxlen */
i64 k_deque_count(kval dq, kval x);                  /* -1 raised */
i64 k_deque_index(kval dq, kval x, i64 start, i64 stop);   /* -1 raised (ValueError) */
int k_deque_remove(kval dq, kval x);                 /* 0 / -1 */
int k_deque_insert(kval dq, i64 i, kval x);          /* 0 / -1 */
kval k_deque_getitem(kval dq, i64 i);                /* new ref or 0 (IndexError); i < 0 from the end */
int k_deque_setitem(kval dq, i64 i, kval x);         /* 0 / -1 */
int k_deque_delitem(kval dq, i64 i);                 /* 0 / -1 */
kval k_deque_maxlen(kval dq);                        /* an int or None */
i64 k_deque_len(kval dq);
int k_deque_contains(kval dq, kval x);               /* 1 / 0 / -1 */
int k_deque_richcmp(kval a, kval b, int op);         /* 2: NotImplemented (b not a deque) */
kval k_deque_repr(kval dq);

/* ---- the dict subclasses ---- */

typedef struct {
    KDict dict;
    kval factory;       /* a type (int, list, ...), a callable of no arguments, or None */
} KDefaultDict;

extern const KType k_defaultdict_type, k_counter_type, k_ordereddict_type;

kval k_defaultdict_new(kval factory, kval mapping_or_0);   /* defaultdict(factory[, mapping or pairs]) */
kval k_defaultdict_factory(kval d);                  /* borrowed */
kval k_counter_new(kval iterable_or_0);              /* Counter(iterable or mapping) */
kval k_ordereddict_new(kval iterable_or_0);          /* OrderedDict(mapping or pairs) */
kval k_collections_copy(kval d);                     /* d.copy(): same type (and factory) */

int k_counter_update(kval c, kval other);            /* other: a mapping (counts added), an iterable, or None */
int k_counter_subtract(kval c, kval other);
kval k_counter_most_common(kval c, kval n);          /* n: an int or None; a list of (key, count) */
kval k_counter_elements(kval c);                     /* an iterator over each key count times */
kval k_counter_total(kval c);
/* a + b, a - b, a | b, a & b of two Counters (dynamic.h's K_ADD, K_SUB, K_OR, K_AND):
 * a new Counter keeping the positive counts, as CPython's. */
kval k_counter_binop(kval a, kval b, int op);
/* a += b, a -= b, a |= b, a &= b in place (b a mapping): 0 / -1. */
int k_counter_inplace(kval a, kval b, int op);

kval k_ordereddict_popitem(kval d, bool last);       /* (key, value) or 0 (KeyError); move_to_end: dict.h */
