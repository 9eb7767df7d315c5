/* heapq_bisect.c: Python's heapq and bisect modules over lists (binary heaps kept in a
 * list, binary search of a sorted sequence). Items compare through k_richcmp(K_LT) only,
 * so any ordered type works and a comparison's error propagates. kval results are new
 * references or 0 (raised); int results 0 / -1 raised; i64 results -1 raised. */
#pragma once
#include "object.h"

int k_heapq_heappush(kval heap, kval item);
kval k_heapq_heappop(kval heap);                  /* IndexError "index out of range" when empty */
int k_heapq_heapify(kval heap);
kval k_heapq_heapreplace(kval heap, kval item);   /* pop, then push: IndexError when empty */
kval k_heapq_heappushpop(kval heap, kval item);   /* push, then pop */
/* The n smallest / largest items, as sorted(iterable, key=key, reverse=largest)[:n]
 * (CPython's algorithm: a bounded heap of (key, order, item)). key: a KFunc, or 0 or None. */
kval k_heapq_nsmallest(i64 n, kval iterable, kval key);
kval k_heapq_nlargest(i64 n, kval iterable, kval key);

/* bisect: a is a list (or any sequence for the bisect_* functions), hi None means
 * len(a), key a KFunc, or 0 or None; ValueError "lo must be non-negative". */
i64 k_bisect_left(kval a, kval x, i64 lo, kval hi, kval key);
i64 k_bisect_right(kval a, kval x, i64 lo, kval hi, kval key);
int k_bisect_insort_left(kval a, kval x, i64 lo, kval hi, kval key);
int k_bisect_insort_right(kval a, kval x, i64 lo, kval hi, kval key);
