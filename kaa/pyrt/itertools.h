/* itertools.c: Python's itertools iterators and functools.reduce. Each constructor returns
 * a new iterator object (iter and next slots; k_next semantics) or 0 when it raised.
 * Arguments are borrowed. Functions with several iterables take K_ITER_MAX of them, the
 * ones not given 0 (a service calls chain(a, b) as k_itertools_chain(a, b, 0, 0, 0, 0)).
 * func/key/pred arguments are KFunc values, or 0 or None for "none given" (reduce's
 * function is required). */
#pragma once
#include "object.h"

#define K_ITER_MAX 6

kval k_itertools_count(kval start, kval step);
kval k_itertools_chain(kval a, kval b, kval c, kval d, kval e, kval f);
/* islice(it, stop) when stop is 0 (start is then the stop), else islice(it, start, stop, step). */
kval k_itertools_islice(kval iterable, kval start, kval stop_or_0, kval step);
kval k_itertools_product(kval a, kval b, kval c, kval d, kval e, kval f, i64 repeat);
kval k_itertools_permutations(kval iterable, kval r);     /* r None: len(iterable) */
kval k_itertools_combinations(kval iterable, i64 r);
kval k_itertools_combinations_with_replacement(kval iterable, i64 r);
kval k_itertools_groupby(kval iterable, kval key);
kval k_itertools_accumulate(kval iterable, kval func, kval initial);   /* initial None: none */
kval k_itertools_zip_longest(kval a, kval b, kval c, kval d, kval e, kval f, kval fillvalue);
kval k_itertools_pairwise(kval iterable);
kval k_itertools_cycle(kval iterable);
kval k_itertools_repeat(kval item, kval times);            /* times None: forever */
kval k_itertools_takewhile(kval pred, kval iterable);
kval k_itertools_dropwhile(kval pred, kval iterable);
kval k_itertools_filterfalse(kval pred, kval iterable);    /* pred None: falsy items */
kval k_itertools_compress(kval data, kval selectors);

/* functools.reduce(func, iterable[, initial]): initial_or_0 0 when not given. */
kval k_functools_reduce(kval func, kval iterable, kval initial_or_0);
kval k_functools_cmp_to_key(kval cmp);       /* functools.c: a key function ordering by cmp(a, b) < 0 */
kval k_functools_partial(kval func, const kval *args, i64 n);   /* functools.partial(func, *args) */
