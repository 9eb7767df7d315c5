/* Slices: resolving start/stop/step against a sequence length, as CPython's
 * PySlice_Unpack followed by PySlice_AdjustIndices. */
#pragma once
#include "object.h"

/* start, stop, step: ints or k_None (borrowed). On success *lo is the first index, *hi the
 * (clamped) stop, *st the step and *count the number of selected items.
 * false: raised (ValueError "slice step cannot be zero", or TypeError for non-int bounds). */
bool k_slice_indices(i64 length, kval start, kval stop, kval step, i64 *lo, i64 *hi, i64 *st, i64 *count);

/* An int kval (small or big) as an i64 clamped to [-2**63, 2**63-1], the way CPython clamps
 * slice bounds to Py_ssize_t. false: raised (TypeError when v is not an int or None). */
bool k_slice_index(kval v, i64 *out);
bool k_slice_range(i64 length, kval start, kval end, i64 *lo, i64 *hi);   /* str.find-style bounds */
