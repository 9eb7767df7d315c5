/* Slice bounds, as CPython resolves them for sequences.
 *
 * A slice s[start:stop:step] is first unpacked (PySlice_Unpack): None becomes the
 * default for the step's direction and ints are clamped to the i64 range; then the
 * bounds are adjusted to a length (PySlice_AdjustIndices): negative bounds count from
 * the end and everything is clamped into the sequence, so that the selected indices
 * are lo, lo + st, ... (count of them), all within [0, length).
 */
#include "slice.h"
#include "int.h"

#define I64_MAX 0x7fffffffffffffffLL
#define I64_MIN (-I64_MAX - 1)

bool k_slice_index(kval v, i64 *out) {
    if (K_IS_SMALL(v)) {
        *out = (i64)v >> 1;
        return 1;
    }
    if (v == k_True || v == k_False) {
        *out = v == k_True;
        return 1;
    }
    if (k_type_of(v)->flags & K_TF_INT) {
        /* A big int: clamped to the i64 range by its sign. */
        if (!k_int_to_i64(v, out)) *out = ((KLong *)v)->size < 0 ? I64_MIN : I64_MAX;
        return 1;
    }
    k_raise_str(&k_TypeError_type, "slice indices must be integers or None or have an __index__ method");
    return 0;
}

static bool unpack(kval start, kval stop, kval step, i64 *lo, i64 *hi, i64 *st) {
    *st = 1;
    if (step != k_None) {
        if (!k_slice_index(step, st)) return 0;
        if (*st == 0) {
            k_raise_str(&k_ValueError_type, "slice step cannot be zero");
            return 0;
        }
        if (*st < -I64_MAX) *st = -I64_MAX;      /* so that -step cannot overflow */
    }
    if (start == k_None) *lo = *st < 0 ? I64_MAX : 0;
    else if (!k_slice_index(start, lo)) return 0;
    if (stop == k_None) *hi = *st < 0 ? I64_MIN : I64_MAX;
    else if (!k_slice_index(stop, hi)) return 0;
    return 1;
}

static i64 adjust_bound(i64 b, i64 length, i64 step) {
    if (b < 0) {
        b += length;
        if (b < 0) b = step < 0 ? -1 : 0;
    } else if (b >= length) {
        b = step < 0 ? length - 1 : length;
    }
    return b;
}

bool k_slice_indices(i64 length, kval start, kval stop, kval step, i64 *lo, i64 *hi, i64 *st, i64 *count) {
    if (!unpack(start, stop, step, lo, hi, st)) return 0;
    *lo = adjust_bound(*lo, length, *st);
    *hi = adjust_bound(*hi, length, *st);
    if (*st < 0)
        *count = *hi < *lo ? (*lo - *hi - 1) / -*st + 1 : 0;
    else
        *count = *lo < *hi ? (*hi - *lo - 1) / *st + 1 : 0;
    return 1;
}

/* The start/end arguments of find, count, startswith... (ints or k_None) as CPython's
 * ADJUST_INDICES: negative values count from the end, then both are clipped to [0, len]. */
bool k_slice_range(i64 len, kval start, kval end, i64 *lo, i64 *hi) {
    i64 a = 0, b = len;
    if (start != k_None && !k_slice_index(start, &a)) return 0;
    if (end != k_None && !k_slice_index(end, &b)) return 0;
    if (b > len) b = len;
    else if (b < 0 && (b += len) < 0) b = 0;
    if (a < 0 && (a += len) < 0) a = 0;
    *lo = a;
    *hi = b;
    return 1;
}
