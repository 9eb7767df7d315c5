/* Python `str`: an immutable sequence of code points, stored as UTF-8.
 *
 * Layout (KStr): the header, the byte count, the code point count, the cached hash
 * (-1 until computed) and the UTF-8 bytes, NUL-terminated (the NUL is not counted).
 * Offsets: nbytes 16, length 24, hash 32, data 40. The bytes are always valid UTF-8
 * (lone surrogates, from chr(), in their 3-byte form), so length is a function of
 * data. A string is ASCII exactly when nbytes == length; ASCII strings index in O(1),
 * others scan (see str.c).
 *
 * Literals are static objects the compiler emits with K_STR_LITERAL; they are never
 * freed. All functions: str arguments borrowed, kval results new references, 0 when
 * an exception was raised.
 */
#pragma once
#include "object.h"

typedef struct {
    KObj hdr;
    i64 nbytes;
    i64 length;     /* code points */
    i64 hash;       /* -1: not computed */
    u8 data[];      /* UTF-8, NUL-terminated */
} KStr;

#define K_STR_LITERAL(cname, bytes, nbytes_, length_) \
    static struct { KStr s; u8 d[(nbytes_) + 1]; } cname = {{K_STATIC_HDR(&k_str_type), (nbytes_), (length_), -1}, bytes}
#define K_STR_LIT(cname) K_VAL(&(cname).s)

static inline const u8 *k_str_data(kval s) { return ((const KStr *)s)->data; }
static inline i64 k_str_nbytes(kval s) { return ((const KStr *)s)->nbytes; }
static inline i64 k_str_len(kval s) { return ((const KStr *)s)->length; }
static inline bool k_str_is_ascii(kval s) { return ((const KStr *)s)->nbytes == ((const KStr *)s)->length; }
static inline bool k_is_str(kval v) { return !K_IS_SMALL(v) && K_OBJ(v)->type == &k_str_type; }

/* Construction. */
kval k_str_from_utf8(const u8 *s, i64 n);      /* valid UTF-8 assumed (counts code points) */
kval k_str_from_ascii(const char *s, i64 n);
kval k_str_from_cstr(const char *s);
kval k_str_new_raw(i64 nbytes, i64 length);    /* uninitialised data of nbytes (+NUL); fill it */
kval k_str_from_codepoints(const u32 *cps, i64 n);
kval k_str_empty(void);                        /* '' (static) */
kval k_str_char(u32 cp);                       /* one-character string (latin-1 ones are static) */

/* UTF-8 helpers. */
u32 k_utf8_decode(const u8 *p, i64 *adv);     /* valid UTF-8: the code point at p and its length */
int k_utf8_encode(u32 cp, u8 *out);           /* writes 1..4 bytes, returns the count */
const u8 *k_str_offset(kval s, i64 i);        /* pointer to code point i (0 <= i <= length) */
i64 k_mem_find(const u8 *hay, i64 hn, const u8 *needle, i64 nn);    /* first byte offset or -1 */
i64 k_mem_rfind(const u8 *hay, i64 hn, const u8 *needle, i64 nn);   /* last byte offset or -1 */
i64 k_hash_bytes(const u8 *p, i64 n);         /* CPython's bytes hash (SipHash-1-3, zero key) */

/* Sequence operations. */
kval k_str_concat(kval a, kval b);
kval k_str_join_parts(const kval *parts, i64 n);   /* ''.join(parts) in one allocation */
kval k_str_mul(kval s, i64 n);
kval k_str_getitem(kval s, i64 i);
kval k_str_slice(kval s, kval start, kval stop, kval step);
kval k_str_substr(kval s, i64 lo, i64 hi);          /* s[lo:hi], 0 <= lo <= hi <= len */
int k_str_contains(kval s, kval sub);               /* 1, 0, -1 raised (TypeError) */
int k_str_richcmp(kval a, kval b, int op);          /* 2: NotImplemented (b not a str) */
bool k_str_eq(kval a, kval b);
i64 k_str_hash(kval s);                             /* CPython's, PYTHONHASHSEED=0 */
kval k_str_repr(kval s);
kval k_str_iter(kval s);
extern const KType k_str_iterator_type;
kval k_str_ord(kval s);
kval k_str_chr(i64 cp);

/* Methods (str_methods.c). Optional arguments are kvals where k_None means absent. */
kval k_str_split(kval s, kval sep, i64 maxsplit);
kval k_str_rsplit(kval s, kval sep, i64 maxsplit);
kval k_str_join(kval sep, kval iterable);
kval k_str_strip(kval s, kval chars);
kval k_str_lstrip(kval s, kval chars);
kval k_str_rstrip(kval s, kval chars);
kval k_str_lower(kval s);
kval k_str_upper(kval s);
kval k_str_capitalize(kval s);
kval k_str_title(kval s);
kval k_str_swapcase(kval s);
kval k_str_casefold(kval s);
int k_str_startswith(kval s, kval prefix, kval start, kval end);   /* 1, 0, -1 raised */
int k_str_endswith(kval s, kval suffix, kval start, kval end);
i64 k_str_find(kval s, kval sub, kval start, kval end);            /* -1 not found, -2 raised */
i64 k_str_rfind(kval s, kval sub, kval start, kval end);
i64 k_str_index(kval s, kval sub, kval start, kval end);           /* -1 raised */
i64 k_str_rindex(kval s, kval sub, kval start, kval end);
i64 k_str_count(kval s, kval sub, kval start, kval end);           /* -1 raised */
kval k_str_replace(kval s, kval old, kval new_, i64 count);
kval k_str_splitlines(kval s, bool keepends);
kval k_str_partition(kval s, kval sep);
kval k_str_rpartition(kval s, kval sep);
bool k_str_isdigit(kval s);
bool k_str_isalpha(kval s);
bool k_str_isalnum(kval s);
bool k_str_isspace(kval s);
bool k_str_isupper(kval s);
bool k_str_islower(kval s);
bool k_str_isdecimal(kval s);
bool k_str_isnumeric(kval s);
bool k_str_isidentifier(kval s);
bool k_str_isprintable(kval s);
bool k_str_istitle(kval s);
bool k_str_isascii(kval s);
kval k_str_zfill(kval s, i64 width);
kval k_str_ljust(kval s, i64 width, kval fillchar);   /* fillchar: str or k_None (space) */
kval k_str_rjust(kval s, i64 width, kval fillchar);
kval k_str_center(kval s, i64 width, kval fillchar);
kval k_str_expandtabs(kval s, i64 tabsize);
kval k_str_removeprefix(kval s, kval prefix);
kval k_str_removesuffix(kval s, kval suffix);
kval k_str_encode(kval s, kval encoding, kval errors); /* k_None: "utf-8" / "strict" */

/* Format specs (format_spec.c). */
kval k_str_format(kval s, const KFormatSpec *spec);

/* Unicode character data (unicode_tables.c, generated by gen_unicode_tables.py). */
enum {
    K_UC_PRINTABLE = 1, K_UC_ALPHA = 2, K_UC_DECIMAL = 4, K_UC_DIGIT = 8,
    K_UC_NUMERIC = 16, K_UC_SPACE = 32, K_UC_LOWER = 64, K_UC_UPPER = 128,
    K_UC_TITLE = 256, K_UC_CASED = 512, K_UC_CASE_IGNORABLE = 1024,
    K_UC_XID_START = 2048, K_UC_XID_CONTINUE = 4096,
    K_UC_EXTENDED = 8192,   /* case mappings are indexes of expansions (internal) */
};
u32 k_uc_flags(u32 cp);
/* Case mappings: write the mapping of cp (1..3 code points) to out, return the count. */
int k_uc_lower(u32 cp, u32 *out);
int k_uc_upper(u32 cp, u32 *out);
int k_uc_title(u32 cp, u32 *out);
int k_uc_fold(u32 cp, u32 *out);

/* Parse a spec for a value of type `tname` whose default presentation type is
 * default_type ('s' str, 'd' int, 0 float), as CPython does for that type; *no_neg_zero
 * receives the 'z' option (no field for it in KFormatSpec). false: raised ValueError.
 * k_format_spec_parse is this with ("int", 'd'). */
bool k_format_spec_parse_as(kval spec, const char *tname, char default_type, KFormatSpec *out, bool *no_neg_zero);
