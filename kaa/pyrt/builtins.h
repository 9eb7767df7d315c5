/* builtins.c: built-in functions that need objects of their own (enumerate, zip,
 * reversed, next, any/all), closures and their cells, sys.argv, the kernel boundary, and
 * mypy_extensions.i64's arithmetic. Generated service code includes this. */
#pragma once
#include "object.h"


/* A variable a nested function shares with its parent, and the closure holding them. */
typedef struct { KObj hdr; kval value; } KCell;
typedef struct { KFunc f; i64 n; kval cells[]; } KClosure;
kval k_cell_new(void);
kval k_cell_of(kval v);                       /* a new cell holding v */
kval k_closure_new(kval (*call)(kval self, const kval *args, i64 nargs), i64 ncells);
extern KFunc k_builtin_len, k_builtin_str, k_builtin_repr, k_builtin_abs,   /* key=len, map(int, ...) */
    k_builtin_int, k_builtin_float;

kval k_enumerate_new(kval iterable, kval start);
kval k_map_new(kval func, kval iterable);          /* map(func, iterable) */
kval k_filter_new(kval func_or_none, kval iterable);
kval k_zip_new(const kval *iterables, i64 n);
kval k_reversed(kval seq);
kval k_next_or_stop(kval it);                 /* next(it): StopIteration when exhausted */
kval k_next_default(kval it, kval dflt);      /* next(it, dflt) */
int k_any_all(kval iterable, bool is_any);    /* 1, 0, -1 raised */
int k_contains(kval container, kval item);    /* `in` through the contains slot or iteration */
kval k_format_float_spec(double d, kval spec);
kval k_int_round(kval v, kval ndigits);       /* round(int, ndigits) */
kval k_set_fold_constant(kval naive);         /* a constant set display, laid out as CPython's */
kval k_sys_argv(const char *prog);
kval k_str_from_kernel(const u8 *p, i64 n);   /* a kernel Str as a str (UnicodeDecodeError) */
typedef struct { u8 *ptr; u64 len; } kaa_slice_u8;   /* the kernel level's Bytes, same layout */

/* mypy_extensions' native ints (i64, i32, i16, u8), computed in i64 and cut back to their type by
 * the caller; -1 with k_exc set on error. lo is the type's least value (its // overflows by -1). */
i64 k_i64_floordiv(i64 x, i64 y, i64 lo);
i64 k_i64_mod(i64 x, i64 y);
i64 k_i64_lshift(i64 x, i64 y);
i64 k_i64_rshift(i64 x, i64 y);
i64 k_int_to_native(kval v, i64 lo, i64 hi, const char *type_name);   /* ValueError outside lo..hi */
