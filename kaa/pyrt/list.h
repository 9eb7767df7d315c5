/* list: a growable array of kvals (see list.c for the design). */
#pragma once
#include "object.h"

typedef struct { KObj hdr; i64 len; i64 cap; kval *items; } KList;

/* Unchecked accessors for the compiler's fast paths (v must be a list; i in range). */
static inline __attribute__((always_inline)) i64 k_list_len_fast(kval v) { return ((KList *)v)->len; }
static inline __attribute__((always_inline)) kval *k_list_items(kval v) { return ((KList *)v)->items; }
static inline __attribute__((always_inline)) kval k_list_get_fast(kval v, i64 i) { return ((KList *)v)->items[i]; }  /* borrowed */

kval k_list_new(i64 cap);                         /* empty list with room for cap items */
kval k_list_from_iter(kval iterable);             /* list(iterable) */
kval k_list_from_array(const kval *items, i64 n); /* [items...]: borrows, increfs */
int k_list_append(kval list, kval item);          /* borrows item; 0 ok, -1 raised */
int k_list_append_steal(kval list, kval item);    /* steals item; 0 ok, -1 raised */
/* append for the compiler: inline when there is room (borrows item). */
static inline __attribute__((always_inline)) int k_list_append_fast(kval list, kval item) {
    KList *l = (KList *)list;
    if (__builtin_expect(l->len < l->cap, 1)) {
        k_incref(item);
        l->items[l->len++] = item;
        return 0;
    }
    return k_list_append(list, item);
}
int k_list_extend(kval list, kval iterable);      /* 0 / -1 */
int k_list_insert(kval list, i64 i, kval v);      /* 0 / -1 */
kval k_list_pop(kval list, i64 i);                /* item or 0; pop(): i = -1 */
int k_list_remove(kval list, kval v);             /* 0 / -1 */
i64 k_list_index(kval list, kval v, i64 start, i64 stop);   /* index or -1 raised; no bounds: 0, INT64_MAX */
i64 k_list_count(kval list, kval v);              /* count or -1 raised */
int k_list_sort(kval list, kval key_or_0, bool reverse);    /* 0 / -1 (sort.c) */
void k_list_reverse(kval list);
kval k_list_copy(kval list);
void k_list_clear(kval list);
kval k_list_getitem(kval list, i64 i);            /* new ref or 0 (IndexError) */
/* list[i] for the compiler: inline when i is in range (negative i counts from the end). */
static inline __attribute__((always_inline)) kval k_list_getitem_inline(kval list, i64 i) {
    KList *l = (KList *)list;
    i64 j = i < 0 ? i + l->len : i;
    if (__builtin_expect((u64)j < (u64)l->len, 1)) return k_newref(l->items[j]);
    return k_list_getitem(list, i);
}
int k_list_setitem(kval list, i64 i, kval v);     /* borrows v; 0 / -1 */
int k_list_delitem(kval list, i64 i);             /* 0 / -1 */
kval k_list_slice(kval list, kval start, kval stop, kval step);             /* ints or k_None */
int k_list_set_slice(kval list, kval start, kval stop, kval step, kval iterable);  /* 0 / -1 */
int k_list_del_slice(kval list, kval start, kval stop, kval step);         /* 0 / -1 */
kval k_list_concat(kval a, kval b);               /* a + b (b must be a list: TypeError otherwise) */
kval k_list_repeat(kval list, i64 n);             /* list * n */
kval k_list_iadd(kval list, kval iterable);       /* list += iterable: new ref to list, or 0 */
int k_list_imul(kval list, i64 n);                /* list *= n: 0 / -1 */
int k_list_richcmp(kval a, kval b, int op);       /* 1 / 0 / -1, 2 NotImplemented */
int k_list_contains(kval list, kval v);           /* 1 / 0 / -1 */
kval k_list_repr(kval list);                      /* new str or 0 */
i64 k_list_len(kval list);

extern const KType k_list_iterator_type, k_list_reverseiterator_type;
kval k_list_reversed(kval list);                  /* reversed(list) */

/* Generic helpers the compiler uses (sort.c / list.c). */
kval k_sorted(kval iterable, kval key_or_0, bool reverse);                  /* new list or 0 */
kval k_min_max(kval iterable, kval key_or_0, bool is_max, kval dflt_or_0);  /* min()/max() */
/* wants object.h: */ i64 k_len(kval v);         /* len(v); -1 raised (TypeError: object of type 'int' has no len()) */

/* Sorting a bare array of kvals in place (stable; k_richcmp(a, b, K_LT)); keys_or_0: a
 * parallel array of keys moved along with the values. 0 / -1 raised. */
int k_sort_array(kval *values, kval *keys_or_0, i64 n, bool reverse);

/* Shared by the containers (list.c). */
bool k_repr_enter(kval o);      /* false: o's repr is already in progress (print "[...]") */
void k_repr_leave(kval o);
kval k_parts_new(void);         /* a list of strs to join into a repr */
void k_parts_lit(kval parts, const char *s);
bool k_parts_repr(kval parts, kval v);   /* appends repr(v); false: raised */
kval k_parts_join(kval parts);  /* consumes parts */
/* Lexicographic comparison of two arrays, as CPython's list and tuple richcompare. */
int k_seq_richcmp(const kval *a, i64 na, const kval *b, i64 nb, int op);
