/* range: an arithmetic progression of ints (see range.c). */
#pragma once
#include "object.h"

typedef struct {
    KObj hdr;
    kval start, stop, step;     /* ints */
    i64 len;                    /* number of items */
    bool small;                 /* start, stop, step and len fit an i64: lo, hi, st are them */
    i64 lo, hi, st;
} KRange;

kval k_range_new(kval start, kval stop, kval step);  /* ints; ValueError "range() arg 3 must not be zero" */
kval k_range_new_i64(i64 start, i64 stop, i64 step);
i64 k_range_len(kval r);
kval k_range_getitem(kval r, i64 i);          /* IndexError "range object index out of range" */
int k_range_contains(kval r, kval v);
kval k_range_repr(kval r);

extern const KType k_range_iterator_type;
