/* Python `bytes` (immutable) and `bytearray` (mutable, growable).
 *
 * KBytes holds its bytes inline after the header, NUL-terminated (not counted), with
 * the hash cached (-1 until computed; CPython's: SipHash-1-3, zero key). Offsets: len 16,
 * hash 24, data 32. Literals are static objects made with K_BYTES_LITERAL.
 * KByteArray keeps a separate buffer of `cap` bytes (k_malloc'ed; NULL when cap is 0).
 * All functions: arguments borrowed, kval results new references, 0 when raised.
 */
#pragma once
#include "object.h"

typedef struct { KObj hdr; i64 len; i64 hash; u8 data[]; } KBytes;
typedef struct { KObj hdr; i64 len; i64 cap; u8 *data; } KByteArray;

#define K_BYTES_LITERAL(cname, bytes, n) \
    static struct { KBytes b; u8 d[(n) + 1]; } cname = {{K_STATIC_HDR(&k_bytes_type), (n), -1}, bytes}
#define K_BYTES_LIT(cname) K_VAL(&(cname).b)

static inline const u8 *k_bytes_data(kval b) { return ((const KBytes *)b)->data; }
static inline i64 k_bytes_len(kval b) { return ((const KBytes *)b)->len; }
static inline bool k_is_bytes(kval v) { return !K_IS_SMALL(v) && K_OBJ(v)->type == &k_bytes_type; }
static inline bool k_is_bytearray(kval v) { return !K_IS_SMALL(v) && K_OBJ(v)->type == &k_bytearray_type; }

/* ---- bytes ---- */
kval k_bytes_from(const u8 *p, i64 n);             /* a copy of n bytes */
kval k_bytes_fromhex(kval s, bool bytearray);      /* bytes.fromhex(s), bytearray.fromhex(s) */
kval k_bytes_new_raw(i64 n);                       /* n zero bytes, to fill before sharing */
kval k_bytes_zeros(kval n);                        /* bytes(n): ValueError "negative count" */
kval k_bytes_from_list(kval list_of_ints);         /* bytes([..]) from a list, tuple or any iterable of ints */
kval k_bytes_concat(kval a, kval b);               /* bytes or bytearray operands */
kval k_bytes_mul(kval b, i64 n);
kval k_bytes_getitem(kval b, i64 i);               /* an int */
kval k_bytes_slice(kval b, kval start, kval stop, kval step);
int k_bytes_contains(kval b, kval item);           /* item: int or bytes-like; 1, 0, -1 raised */
i64 k_bytes_find(kval b, kval sub, kval start, kval end);    /* -1 not found, -2 raised */
i64 k_bytes_rfind(kval b, kval sub, kval start, kval end);
i64 k_bytes_index(kval b, kval sub, kval start, kval end);   /* -1 raised */
i64 k_bytes_count(kval b, kval sub, kval start, kval end);   /* -1 raised */
int k_bytes_startswith(kval b, kval prefix, kval start, kval end);   /* 1, 0, -1 */
int k_bytes_endswith(kval b, kval suffix, kval start, kval end);
kval k_bytes_split(kval b, kval sep, i64 maxsplit);  /* sep: bytes or k_None (whitespace) */
kval k_bytes_join(kval sep, kval iterable);
kval k_bytes_strip(kval b, kval chars);            /* chars: bytes or k_None */
kval k_bytes_lstrip(kval b, kval chars);
kval k_bytes_rstrip(kval b, kval chars);
kval k_bytes_replace(kval b, kval old, kval new_, i64 count);
kval k_bytes_hex(kval b);
kval k_bytes_decode(kval b, kval encoding, kval errors);   /* k_None: "utf-8" / "strict" */
kval k_bytes_repr(kval b);
i64 k_bytes_hash(kval b);
int k_bytes_richcmp(kval a, kval b, int op);       /* 2: NotImplemented */
i64 k_bytes_len_of(kval b);                        /* len() of bytes or bytearray */

/* ---- bytearray ---- */
kval k_bytearray_new(const u8 *p, i64 n);          /* a copy (p may be NULL when n == 0) */
kval k_bytearray_from(kval v);                     /* bytearray(v): int, bytes, bytearray, iterable of ints */
int k_bytearray_append(kval ba, kval item);        /* 0 ok, -1 raised */
int k_bytearray_extend(kval ba, kval iterable);
kval k_bytearray_getitem(kval ba, i64 i);
int k_bytearray_setitem(kval ba, i64 i, kval item);
kval k_bytearray_slice(kval ba, kval start, kval stop, kval step);
kval k_bytearray_decode(kval ba, kval encoding, kval errors);
kval k_bytearray_repr(kval ba);

/* Shared with str.encode: encoding name normalised to "utf-8", "ascii", "latin-1", or NULL
 * after raising LookupError "unknown encoding: x". */
const char *k_codec_name(kval encoding);
/* The error handler named by errors (a str or k_None): 0 strict, 1 ignore, 2 replace,
 * -1 unknown (CPython raises LookupError only when an error needs the handler). */
int k_codec_errors(kval errors);
