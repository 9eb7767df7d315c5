/* array.c: Python's array module: array.array, a mutable sequence of numbers stored as
 * C values of one type (the type code), contiguously.
 *
 * Type codes and item sizes are x86-64 Linux CPython's: b B h H i I l L q Q (signed
 * and unsigned char, short, int, long, long long: 1 1 2 2 4 4 8 8 8 8 bytes) hold
 * ints, f d (C float and double) hold floats; 'u' (deprecated) is not supported.
 * Storing a value converts it as CPython's array does, with its exceptions and
 * messages (OverflowError "signed char is greater than maximum", TypeError for a
 * float in an int array, ...); an 'f' item is the value rounded to single precision.
 * Items come back as ints, or as floats (k_array_getitem_float: a C double).
 * All functions: arguments borrowed, kval results new references or 0 (raised);
 * int results 0 / -1 raised; i64 results -1 raised. Sequence bounds (insert, index's
 * start and stop) are clamped as list's. */
#pragma once
#include "object.h"
#include "str.h"

typedef struct {
    KObj hdr;
    u8 *data;           /* cap * itemsize bytes; NULL while cap is 0 */
    i64 len;            /* items */
    i64 cap;            /* items the buffer has room for */
    char code;          /* the type code */
    u8 itemsize;
} KArray;

extern const KType k_array_type, k_array_iterator_type;

/* array(code, initializer): initializer 0 (none), bytes or bytearray (as frombytes), an
 * array, or any iterable of numbers. ValueError "bad typecode ..." for another code. */
kval k_array_new(i64 code, kval initializer_or_0);

i64 k_array_len(kval a);
kval k_array_typecode(kval a);                     /* a str of one character */
i64 k_array_itemsize(kval a);
kval k_array_getitem(kval a, i64 i);               /* IndexError "array index out of range" */
double k_array_getitem_float(kval a, i64 i);       /* an f/d array's item; error when k_exc set */
int k_array_setitem(kval a, i64 i, kval x);        /* IndexError "array assignment index out of range" */
int k_array_setitem_float(kval a, i64 i, double x);
int k_array_delitem(kval a, i64 i);
kval k_array_slice(kval a, kval start, kval stop, kval step);      /* ints or k_None: an array */
int k_array_set_slice(kval a, kval start, kval stop, kval step, kval value);   /* value: an array */
int k_array_del_slice(kval a, kval start, kval stop, kval step);
int k_array_contains(kval a, kval x);              /* 1 / 0 / -1 */
int k_array_richcmp(kval a, kval b, int op);       /* 2: NotImplemented (b not an array) */
kval k_array_repr(kval a);                         /* "array('i', [1, 2])", "array('d')" */

kval k_array_concat(kval a, kval b);               /* a + b: arrays of one type code */
kval k_array_repeat(kval a, i64 n);                /* a * n */
int k_array_iadd(kval a, kval b);                  /* a += b, in place */
int k_array_irepeat(kval a, i64 n);                /* a *= n, in place */

/* The methods. */
int k_array_append(kval a, kval x);
int k_array_extend(kval a, kval iterable);         /* an array must have a's type code */
int k_array_insert(kval a, i64 i, kval x);
kval k_array_pop(kval a, i64 i);                   /* IndexError when empty or out of range */
int k_array_remove(kval a, kval x);                /* ValueError "array.remove(x): x not in array" */
i64 k_array_index(kval a, kval x, i64 start, i64 stop);   /* ValueError "array.index(x): x not in array" */
i64 k_array_count(kval a, kval x);
void k_array_reverse(kval a);
void k_array_byteswap(kval a);
kval k_array_tolist(kval a);
kval k_array_tobytes(kval a);                      /* the items' bytes, in memory order */
int k_array_frombytes(kval a, kval buffer);        /* bytes, bytearray or an array */
int k_array_fromlist(kval a, kval list);           /* all or nothing: none added when one fails */

/* array.typecodes: "bBuhHiIlLqQfd", a static str (K_VAL(&k_array_typecodes.s)). */
extern struct KArrayTypecodes { KStr s; u8 d[14]; } k_array_typecodes;
