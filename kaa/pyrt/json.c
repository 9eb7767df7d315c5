/* json.dumps: CPython 3.11's JSON encoder, byte for byte.
 *
 * CPython has two encoders: the C one (_json.c) when indent is None, the pure-Python one
 * (json/encoder.py) otherwise. They print the same JSON; they differ only in one message
 * ("Out of range float values are not JSON compliant" gains ": nan" in the Python one) and
 * in where recursion runs out. `pretty` below means "the Python encoder's rules".
 *
 * Output: one growing byte buffer (JOut) receives the UTF-8 text; the result str is made
 * from it in one copy at the end, its code point count known from `extra` (the bytes
 * beyond one per code point, added as non-ASCII strs and separators are copied; with
 * ensure_ascii the output is ASCII). The buffer always has 16 bytes of slack past what
 * was asked for, so strings are scanned and copied 16 bytes at a time (SSE2): a whole
 * vector is stored, and the write position advances only up to the first byte to escape
 * ('"', '\\', controls and, with ensure_ascii, DEL and non-ASCII, decoded to \uXXXX with
 * surrogate pairs above U+FFFF and lone surrogates as themselves). A vector may be read
 * past a string's end when that stays within the page. A finished call leaves its buffer
 * for the next one (taken and returned atomically), so a service encoding similar
 * documents repeatedly does not allocate it each time.
 *
 * Nesting: no C recursion (a service thread has a 16 KiB stack). A stack of frames holds
 * the containers being written: each frame keeps a reference to its container and its
 * position; encode's loop writes the top frame's items until one is a non-empty list,
 * tuple or dict, or a value for default(), which gets a frame of its own. The frames are
 * also CPython's `markers`: with check_circular, a container (or an object given to
 * default()) already on the stack is a circular reference. Depth is limited where
 * CPython, called from a module's top level, raises RecursionError.
 */
#include "json.h"
#include "str.h"
#include "int.h"
#include "float.h"
#include "list.h"
#include "tuple.h"
#include "dict.h"
#include "bytes.h"
#include "dynamic.h"

#define MAX_DEPTH_C 995         /* CPython's C encoder, from a module's top level: 996 nested containers raise */
#define MAX_DEPTH_PY 996        /* its Python encoder (indent given): 997 */
#define SLACK 16                /* writable bytes past the room asked for */
#define CACHE_MAX (4 << 20)     /* larger buffers are not kept for the next call */

/* ---- the output buffer ---- */

typedef struct {
    u8 *p;
    i64 n, cap;         /* used, and usable (the allocation is cap + SLACK) */
} JOut;

static u8 *cached_buf;  /* a buffer left by the last call; its first 8 bytes hold its cap */

static void out_take_cached(JOut *o) {
    u8 *b = __atomic_exchange_n(&cached_buf, (u8 *)0, __ATOMIC_ACQUIRE);
    if (b) {
        __builtin_memcpy(&o->cap, b, 8);
        o->p = b;
    }
}

static void out_release(JOut *o) {
    if (!o->p) return;
    if (o->cap <= CACHE_MAX) {
        __builtin_memcpy(o->p, &o->cap, 8);
        u8 *expected = 0;
        if (__atomic_compare_exchange_n(&cached_buf, &expected, o->p, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) return;
    }
    k_mfree(o->p);
}

static __attribute__((noinline)) void out_grow(JOut *o, i64 need) {
    i64 cap = o->cap * 2;
    if (cap < o->n + need) cap = o->n + need;
    if (cap < 4096) cap = 4096;
    o->p = k_mrealloc(o->p, (u64)o->n, (u64)(cap + SLACK));
    o->cap = cap;
}

/* Room for `need` more bytes (and SLACK beyond); returns where they go. */
static inline u8 *out_room(JOut *o, i64 need) {
    if (__builtin_expect(o->n + need > o->cap, 0)) out_grow(o, need);
    return o->p + o->n;
}

static inline void out_put(JOut *o, const void *s, i64 k) {
    __builtin_memcpy(out_room(o, k), s, (u64)k);
    o->n += k;
}

static inline void out_byte(JOut *o, u8 c) {
    *out_room(o, 1) = c;
    o->n++;
}

/* ---- strings ---- */

typedef u8 v16u __attribute__((vector_size(16)));
typedef signed char v16s __attribute__((vector_size(16)));
typedef char v16c __attribute__((vector_size(16)));

/* A bit for each byte of v that needs an escape. */
static inline unsigned special_bytes(v16u v, bool ascii) {
    v16s bad = (v16s)(v == '"') | (v16s)(v == '\\');
    if (ascii) bad |= ((v16s)v < 0x20) | (v16s)(v == 0x7f);    /* signed: bytes >= 0x80 too */
    else bad |= (v16s)(v < 0x20);
    return (unsigned)__builtin_ia32_pmovmskb128((v16c)bad);
}

static inline bool is_special(u8 c, bool ascii) {
    return c == '"' || c == '\\' || c < 0x20 || (ascii && c >= 0x7f);
}

/* 16 bytes at p can be read without leaving p's page. (Not under AddressSanitizer, which
 * would report the bytes past the string.) */
static inline bool page_safe(const u8 *p) {
#ifdef __SANITIZE_ADDRESS__
    (void)p;
    return 0;
#else
    return ((u64)p & 4095) <= 4096 - 16;
#endif
}

static const char HEX[] = "0123456789abcdef";

static inline u8 *put_u4(u8 *w, u32 c) {
    w[0] = '\\'; w[1] = 'u';
    w[2] = (u8)HEX[(c >> 12) & 15]; w[3] = (u8)HEX[(c >> 8) & 15];
    w[4] = (u8)HEX[(c >> 4) & 15]; w[5] = (u8)HEX[c & 15];
    return w + 6;
}

/* The escape of the character at *p (at most 12 bytes); advances *p. */
static u8 *put_escape(u8 *w, const u8 **p) {
    u8 c = **p;
    if (c >= 0x80) {                       /* ensure_ascii: \uXXXX, a pair above U+FFFF */
        i64 adv;
        u32 cp = k_utf8_decode(*p, &adv);
        *p += adv;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            w = put_u4(w, 0xD800 | (cp >> 10));
            cp = 0xDC00 | (cp & 0x3FF);
        }
        return put_u4(w, cp);
    }
    (*p)++;
    char short_form = c == '"' ? '"' : c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't'
                    : c == '\b' ? 'b' : c == '\f' ? 'f' : 0;
    if (!short_form) return put_u4(w, c);
    w[0] = '\\';
    w[1] = (u8)short_form;
    return w + 2;
}

/* p[0..n) as a JSON string literal. */
static void put_text(JOut *o, const u8 *p, i64 n, bool ascii) {
    const u8 *end = p + n;
    u8 *w = out_room(o, n + 2);
    *w++ = '"';
    for (;;) {
        i64 left;
        while ((left = end - p) > 0) {
            if (left < 16 && !page_safe(p)) {
                while (p < end && !is_special(*p, ascii)) *w++ = *p++;
                break;
            }
            v16u v;
            __builtin_memcpy(&v, p, 16);
            __builtin_memcpy(w, &v, 16);         /* within the slack */
            unsigned m = special_bytes(v, ascii);
            if (left < 16) m |= 1u << left;      /* the string's end */
            if (m) {
                unsigned k = (unsigned)__builtin_ctz(m);
                p += k;
                w += k;
                break;
            }
            p += 16;
            w += 16;
        }
        if (p >= end) break;
        o->n = w - o->p;                          /* an escape: up to 12 bytes for 1 to 4 */
        w = put_escape(out_room(o, 12 + (end - p) + 1), &p);
    }
    *w++ = '"';
    o->n = w - o->p;
}

/* ---- numbers ---- */

static const char DIGIT_PAIRS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* u in decimal, ending just before `end`; returns where the digits start. */
static inline u8 *digits_backwards(u8 *end, u64 u) {
    while (u >= 100) {
        u64 q = u / 100;
        end -= 2;
        __builtin_memcpy(end, DIGIT_PAIRS + 2 * (u - q * 100), 2);
        u = q;
    }
    if (u >= 10) {
        end -= 2;
        __builtin_memcpy(end, DIGIT_PAIRS + 2 * u, 2);
    } else {
        *--end = (u8)('0' + u);
    }
    return end;
}

static void put_i64(JOut *o, i64 v) {
    u8 tmp[48], *end = tmp + 24;                  /* (room to copy 16 or 24 bytes from the start) */
    u8 *s = digits_backwards(end, v < 0 ? 0ULL - (u64)v : (u64)v);
    if (v < 0) *--s = '-';
    u8 *w = out_room(o, 24);
    __builtin_memcpy(w, s, 16);                   /* a whole vector, then the rest */
    if (end - s > 16) __builtin_memcpy(w + 16, s + 16, 8);
    o->n += end - s;
}

/* repr(int): up to 128 bits here (nine digits per division of the limbs by 10**9),
 * larger ones through int.__repr__ (and its 4300-digit limit). */
static bool put_int(JOut *o, kval v) {
    if (K_IS_SMALL(v)) {
        put_i64(o, k_int_small_value(v));
        return 1;
    }
    const KLong *l = (const KLong *)v;
    i64 nl = l->size < 0 ? -l->size : l->size;
    if (nl == 2) {                                /* up to 64 bits */
        u8 tmp[24], *end = tmp + sizeof tmp, *s = digits_backwards(end, l->d[0] | (u64)l->d[1] << 32);
        if (l->size < 0) *--s = '-';
        out_put(o, s, end - s);
        return 1;
    }
    if (nl <= 4) {
        u32 d[4];
        for (i64 i = 0; i < nl; i++) d[i] = l->d[i];
        u8 tmp[48], *end = tmp + sizeof tmp, *s = end;
        while (nl > 0) {
            u64 r = 0;
            for (i64 i = nl - 1; i >= 0; i--) {
                u64 cur = (r << 32) | d[i];
                d[i] = (u32)(cur / 1000000000);
                r = cur % 1000000000;
            }
            while (nl > 0 && !d[nl - 1]) nl--;
            u8 *chunk = digits_backwards(s, r);
            if (nl > 0) while (chunk > s - 9) *--chunk = '0';    /* inner chunks keep their zeros */
            s = chunk;
        }
        if (l->size < 0) *--s = '-';
        out_put(o, s, end - s);
        return 1;
    }
    kval r = k_int_repr(v);
    if (!r) return 0;
    out_put(o, k_str_data(r), k_str_nbytes(r));
    k_decref(r);
    return 1;
}

/* ---- the encoder ---- */

enum { FR_SEQ, FR_DICT, FR_SORTED, FR_DEFAULT, FR_FIELDS };

typedef struct {
    kval obj;           /* the container, or the object given to default() (a reference) */
    kval aux;           /* FR_DEFAULT: what default() returned (a reference) */
                        /* FR_FIELDS: obj is a dataclass instance, written as asdict(obj) would be */
    kval *keys, *values;    /* FR_SORTED: the dict's items in key order (references) */
    i64 i, n;           /* next item (FR_SEQ index, FR_DICT entry, FR_SORTED index); FR_SORTED count */
    u8 kind;
    bool first;         /* dicts: no item written yet */
} Frame;

/* A separator: its bytes, padded so that 16 can always be copied. */
typedef struct {
    u8 pad[16];
    const u8 *p;
    i64 n, extra;       /* extra: its bytes beyond one per code point */
} Sep;

typedef struct {
    JOut out;
    i64 extra;          /* output bytes beyond one per code point */
    bool ensure_ascii, allow_nan, skipkeys, check_circular, sort_keys;
    bool pretty;        /* indent given: the Python encoder's rules */
    kval indent;        /* pretty: the str repeated once per level */
    kval item_str, key_str;     /* the separators (references) */
    Sep item_sep, key_sep;
    kval default_fn;    /* 0: none */
    bool asdict;        /* json.dumps(asdict(obj)): dataclass instances are dicts of their fields */
    Frame *stack;       /* inline_stack, until deeper than it */
    i64 depth, cap;
    i64 level;          /* open containers: the indent level (default() frames do not count) */
    Frame inline_stack[8];      /* (last: dumps() zeroes the fields before it) */
} Enc;

static void sep_init(Sep *s, kval str) {
    s->p = k_str_data(str);
    s->n = k_str_nbytes(str);
    s->extra = s->n - k_str_len(str);
    if (s->n <= 16) __builtin_memcpy(s->pad, s->p, (u64)s->n);
}

static inline void put_sep(Enc *e, const Sep *s) {
    JOut *o = &e->out;
    if (__builtin_expect(s->n <= 16, 1)) {
        __builtin_memcpy(out_room(o, 16), s->pad, 16);
        o->n += s->n;
    } else {
        out_put(o, s->p, s->n);
    }
    e->extra += s->extra;
}

static void put_string(Enc *e, kval s) {
    if (!e->ensure_ascii) e->extra += k_str_nbytes(s) - k_str_len(s);
    put_text(&e->out, k_str_data(s), k_str_nbytes(s), e->ensure_ascii);
}

/* The Python encoder's newline_indent: '\n' + indent * level. */
static void put_newline(Enc *e, i64 level) {
    out_byte(&e->out, '\n');
    i64 n = k_str_nbytes(e->indent);
    for (i64 i = 0; i < level; i++) out_put(&e->out, k_str_data(e->indent), n);
    e->extra += level * (n - k_str_len(e->indent));
}

/* A float as JSON: repr, or NaN/Infinity/-Infinity when allowed. */
static bool put_float(Enc *e, double d) {
    if (__builtin_isfinite(d)) {
        u8 *w = out_room(&e->out, K_FLOAT_REPR_MAX);
        e->out.n += k_float_repr_buf(d, (char *)w);
        return 1;
    }
    if (!e->allow_nan) {
        if (!e->pretty) {
            k_raise_str(&k_ValueError_type, "Out of range float values are not JSON compliant");
        } else {
            kval f = k_float_box(d);
            k_raise_fmt(&k_ValueError_type, "Out of range float values are not JSON compliant: %R", f);
            k_decref(f);
        }
        return 0;
    }
    if (d != d) out_put(&e->out, "NaN", 3);
    else if (d > 0) out_put(&e->out, "Infinity", 8);
    else out_put(&e->out, "-Infinity", 9);
    return 1;
}

static bool on_stack(Enc *e, kval o) {
    for (i64 i = 0; i < e->depth; i++)
        if (e->stack[i].obj == o) return 1;
    return 0;
}

static bool circular(Enc *e, kval o) {
    if (!e->check_circular || !on_stack(e, o)) return 0;
    k_raise_str(&k_ValueError_type, "Circular reference detected");
    return 1;
}

/* A recursion level more, as CPython's _Py_EnterRecursiveCall; false: raised. */
static bool deeper(Enc *e) {
    if (e->depth < (e->pretty ? MAX_DEPTH_PY : MAX_DEPTH_C)) return 1;
    k_raise_str(&k_RecursionError_type, e->pretty ? "maximum recursion depth exceeded while calling a Python object"
                                                  : "maximum recursion depth exceeded while encoding a JSON object");
    return 0;
}

static Frame *push(Enc *e, kval o, u8 kind) {
    if (e->depth == e->cap) {
        i64 cap = e->cap * 2;
        Frame *grown = k_malloc((u64)cap * sizeof(Frame));
        __builtin_memcpy(grown, e->stack, (u64)e->cap * sizeof(Frame));
        if (e->stack != e->inline_stack) k_mfree(e->stack);
        e->stack = grown;
        e->cap = cap;
    }
    Frame *f = &e->stack[e->depth++];
    *f = (Frame){k_newref(o), 0, 0, 0, 0, 0, kind, 1};
    e->level += kind != FR_DEFAULT;
    return f;
}

static void pop(Enc *e) {
    Frame *f = &e->stack[--e->depth];
    e->level -= f->kind != FR_DEFAULT;
    if (f->kind == FR_SORTED) {
        for (i64 i = 0; i < f->n; i++) {
            k_decref(f->keys[i]);
            k_decref(f->values[i]);
        }
        k_mfree(f->keys);
        k_mfree(f->values);
    }
    k_xdecref(f->aux);
    k_decref(f->obj);
}

/* A dict's items sorted by key, as CPython's sorted(d.items()) (keys are unique, so the
 * values never decide). */
static bool sort_items(Frame *f) {
    i64 n = k_dict_len(f->obj), pos = 0, i = 0;
    f->keys = k_malloc((u64)n * sizeof(kval));
    f->values = k_malloc((u64)n * sizeof(kval));
    kval k, v;
    while (i < n && k_dict_next(f->obj, &pos, &k, &v)) {
        f->keys[i] = k_newref(k);
        f->values[i++] = k_newref(v);
    }
    f->n = i;
    return k_sort_array(f->values, f->keys, i, 0) == 0;
}

/* A list, tuple or dict: "[]" or "{}" when empty, else its opening and a frame. */
static int open_container(Enc *e, kval v, const KType *t) {
    bool dict = t == &k_dict_type;
    i64 n = t == &k_list_type ? k_list_len_fast(v) : t == &k_tuple_type ? k_tuple_len_fast(v) : k_dict_len(v);
    if (!deeper(e)) return 0;                  /* (CPython enters a level for an empty one too) */
    if (n == 0) {
        out_put(&e->out, dict ? "{}" : "[]", 2);
        return 1;
    }
    if (circular(e, v)) return 0;
    Frame *f = push(e, v, dict ? (e->sort_keys ? FR_SORTED : FR_DICT) : FR_SEQ);
    if (f->kind == FR_SORTED && !sort_items(f)) return 0;
    out_byte(&e->out, dict ? '{' : '[');
    if (e->pretty) put_newline(e, e->level);
    return 2;
}

/* A dataclass instance under json.dumps(asdict(obj)): a frame over its fields in place
 * (KType.json_fields), or, when they cannot be read so or the keys are sorted, a frame
 * whose one item is asdict(v), as default() results are. */
static int open_fields(Enc *e, kval v, const KType *t) {
    if (!deeper(e)) return 0;
    if (t->json_fields == 0 || e->sort_keys) {
        kval d = t->asdict(v);
        if (!d) return 0;
        push(e, v, FR_DEFAULT)->aux = d;
        return 2;
    }
    if (circular(e, v)) return 0;
    Frame *f = push(e, v, FR_FIELDS);
    f->n = t->json_fields;
    out_byte(&e->out, '{');
    if (e->pretty) put_newline(e, e->level);
    return 2;
}

/* An object of another type: default(v) gets a frame, whose one item is its result. */
static int call_default(Enc *e, kval v) {
    if (circular(e, v)) return 0;              /* CPython marks v before calling default() */
    if (!e->default_fn) {
        k_raise_fmt(&k_TypeError_type, "Object of type %s is not JSON serializable", k_type_of(v)->name);
        return 0;
    }
    k_incref(v);
    kval r = k_call(e->default_fn, &v, 1);
    int ok = 0;
    if (r && deeper(e)) {
        push(e, v, FR_DEFAULT)->aux = r;
        r = 0;
        ok = 2;
    }
    k_xdecref(r);
    k_decref(v);
    return ok;
}

/* v written (1), or opened (2: a frame was pushed, its items come later), or raised (0). */
static inline int put_value(Enc *e, kval v) {
    if (K_IS_SMALL(v)) {
        put_i64(&e->out, k_int_small_value(v));
        return 1;
    }
    const KType *t = K_OBJ(v)->type;
    if (t == &k_str_type) {
        put_string(e, v);
        return 1;
    }
    if (t == &k_float_type) return put_float(e, k_float_unbox(v));
    if (t == &k_list_type || t == &k_dict_type || t == &k_tuple_type) return open_container(e, v, t);
    if (v == k_None) { out_put(&e->out, "null", 4); return 1; }
    if (v == k_True) { out_put(&e->out, "true", 4); return 1; }
    if (v == k_False) { out_put(&e->out, "false", 5); return 1; }
    if (t == &k_int_type) return put_int(&e->out, v);
    if (e->asdict && t->asdict) return open_fields(e, v, t);
    return call_default(e, v);
}

/* A dict key as the JSON string CPython makes of it, after the separators it needs:
 * 1 written, 0 skipped (skipkeys), -1 raised. */
static int put_key(Enc *e, Frame *f, kval k) {
    JOut *o = &e->out;
    const KType *t = k_type_of(k);
    bool is_str = t == &k_str_type;
    if (!is_str && t != &k_int_type && t != &k_float_type && t != &k_bool_type && t != &k_none_type) {
        if (e->skipkeys) return 0;
        k_raise_fmt(&k_TypeError_type, "keys must be str, int, float, bool or None, not %s", t->name);
        return -1;
    }
    if (!f->first) {
        put_sep(e, &e->item_sep);
        if (e->pretty) put_newline(e, e->level);
    }
    f->first = 0;
    if (is_str) {
        put_string(e, k);
        return 1;
    }
    out_byte(o, '"');
    bool ok = 1;
    if (t == &k_float_type) ok = put_float(e, k_float_unbox(k));
    else if (t == &k_int_type) ok = put_int(o, k);
    else out_put(o, k == k_None ? "null" : k == k_True ? "true" : "false", k == k_False ? 5 : 4);
    if (!ok) return -1;
    out_byte(o, '"');
    return 1;
}

/* The top frame's items, until one opens a frame of its own, or its end. */
static bool step(Enc *e) {
    Frame *f = &e->stack[e->depth - 1];
    int r;
    switch (f->kind) {
    case FR_SEQ:
        for (;;) {
            bool list = K_OBJ(f->obj)->type == &k_list_type;      /* (re-read: default() may change it) */
            i64 n = list ? k_list_len_fast(f->obj) : k_tuple_len_fast(f->obj);
            if (f->i >= n) break;
            kval v = list ? k_list_get_fast(f->obj, f->i) : k_tuple_get_fast(f->obj, f->i);
            if (f->i++ > 0) {
                put_sep(e, &e->item_sep);
                if (e->pretty) put_newline(e, e->level);
            }
            if ((r = put_value(e, v)) != 1) return r != 0;
        }
        break;
    case FR_DICT:
        for (;;) {
            const KDict *d = (const KDict *)f->obj;
            if (f->i >= d->nentries) break;
            const KDictEntry *en = &d->entries[f->i++];
            if (!en->key) continue;                                 /* deleted */
            kval v = en->value;
            if ((r = put_key(e, f, en->key)) < 0) return 0;
            if (r == 0) continue;
            put_sep(e, &e->key_sep);
            if ((r = put_value(e, v)) != 1) return r != 0;
        }
        break;
    case FR_SORTED:
        while (f->i < f->n) {
            i64 i = f->i++;
            if ((r = put_key(e, f, f->keys[i])) < 0) return 0;
            if (r == 0) continue;
            put_sep(e, &e->key_sep);
            if ((r = put_value(e, f->values[i])) != 1) return r != 0;
        }
        break;
    case FR_DEFAULT:
        if (f->i++ == 0) return put_value(e, f->aux) != 0;
        pop(e);
        return 1;
    case FR_FIELDS:
        while (f->i < f->n) {
            const KAttr *a = &K_OBJ(f->obj)->type->attrs[f->i];
            if (f->i++ > 0) {
                put_sep(e, &e->item_sep);
                if (e->pretty) put_newline(e, e->level);
            }
            out_byte(&e->out, '"');
            for (const char *c = a->name; *c; c++) out_byte(&e->out, (u8)*c);    /* an ASCII identifier: no escapes */
            out_byte(&e->out, '"');
            put_sep(e, &e->key_sep);
            kval v = a->get(f->obj);
            if (!v) return 0;
            r = put_value(e, v);
            k_decref(v);                            /* (a frame it opened holds its own reference) */
            if (r != 1) return r != 0;
        }
        break;
    }
    if (e->pretty) put_newline(e, e->level - 1);
    out_byte(&e->out, f->kind == FR_SEQ ? ']' : '}');
    pop(e);
    return 1;
}

/* indent as the str written once per level: an int n gives n spaces (none when n <= 0),
 * as the Python encoder's ' ' * indent. */
static kval indent_str(kval indent) {
    if (k_is_str(indent)) return k_newref(indent);
    if (!(k_type_of(indent)->flags & K_TF_INT)) {
        k_raise_fmt(&k_TypeError_type, "can't multiply sequence by non-int of type '%s'", k_type_of(indent)->name);
        return 0;
    }
    i64 n;
    if (!k_int_to_i64(indent, &n)) {
        k_raise_str(&k_OverflowError_type, "cannot fit 'int' into an index-sized integer");
        return 0;
    }
    kval space = k_str_char(' ');
    kval r = k_str_mul(space, n < 0 ? 0 : n);
    k_decref(space);
    return r;
}

static void sep_ascii(Sep *s, const char *text) {
    s->n = 0;
    while (text[s->n]) s->pad[s->n] = (u8)text[s->n], s->n++;
    s->extra = 0;
    s->p = s->pad;
}

static bool separators_of(Enc *e, kval separators) {
    if (separators == k_None) {                 /* the defaults: no str made */
        sep_ascii(&e->item_sep, e->pretty ? "," : ", ");
        sep_ascii(&e->key_sep, ": ");
        return 1;
    } else {
        const KType *t = k_type_of(separators);
        i64 n = t == &k_tuple_type ? k_tuple_len_fast(separators)
              : t == &k_list_type ? k_list_len_fast(separators) : -1;
        kval *items = t == &k_tuple_type ? k_tuple_items(separators) : n >= 0 ? k_list_items(separators) : 0;
        if (n != 2 || !k_is_str(items[0]) || !k_is_str(items[1])) {
            k_raise_str(&k_TypeError_type, "separators must be a pair of str");
            return 0;
        }
        e->item_str = k_newref(items[0]);
        e->key_str = k_newref(items[1]);
    }
    sep_init(&e->item_sep, e->item_str);
    sep_init(&e->key_sep, e->key_str);
    return 1;
}

static kval dumps(kval obj, bool skipkeys, bool ensure_ascii, bool check_circular, bool allow_nan,
                  kval indent, kval separators, kval default_fn, bool sort_keys, bool utf8, bool asdict) {
    Enc e;
    __builtin_memset(&e, 0, __builtin_offsetof(Enc, inline_stack));     /* (the frames are set as they are pushed) */
    e.stack = e.inline_stack;
    e.cap = sizeof e.inline_stack / sizeof e.inline_stack[0];
    e.asdict = asdict;
    e.ensure_ascii = ensure_ascii;
    e.allow_nan = allow_nan;
    e.skipkeys = skipkeys;
    e.check_circular = check_circular;
    e.sort_keys = sort_keys;
    e.pretty = indent != k_None;
    e.default_fn = default_fn == k_None ? 0 : default_fn;
    kval result = 0;
    if (e.pretty && !(e.indent = indent_str(indent))) return 0;
    if (separators_of(&e, separators)) {
        out_take_cached(&e.out);
        bool ok = put_value(&e, obj) != 0;
        while (ok && e.depth > 0) ok = step(&e);
        while (e.depth > 0) pop(&e);
        if (ok && utf8) {
            result = k_bytes_from(e.out.p, e.out.n);
        } else if (ok) {
            result = k_str_new_raw(e.out.n, e.out.n - e.extra);
            u8 *w = ((KStr *)result)->data;
            __builtin_memcpy(w, e.out.p, (u64)e.out.n);
            w[e.out.n] = 0;
        }
        out_release(&e.out);
    }
    if (e.stack != e.inline_stack) k_mfree(e.stack);
    k_xdecref(e.indent);
    k_xdecref(e.item_str);
    k_xdecref(e.key_str);
    return result;
}

kval k_json_dumps(kval obj, bool skipkeys, bool ensure_ascii, bool check_circular, bool allow_nan,
                  kval indent, kval separators, kval default_fn, bool sort_keys) {
    return dumps(obj, skipkeys, ensure_ascii, check_circular, allow_nan, indent, separators, default_fn, sort_keys, 0,
                 0);
}

/* json.dumps(...).encode("utf-8"), fused by the compiler: the encoder's UTF-8 as bytes. */
kval k_json_dumps_utf8(kval obj, bool skipkeys, bool ensure_ascii, bool check_circular, bool allow_nan,
                       kval indent, kval separators, kval default_fn, bool sort_keys) {
    return dumps(obj, skipkeys, ensure_ascii, check_circular, allow_nan, indent, separators, default_fn, sort_keys, 1,
                 0);
}

/* json.dumps(asdict(obj)) (utf8: and .encode("utf-8")), fused by the compiler: the same
 * text, with no dict made for a dataclass instance, nested ones included. */
kval k_json_dumps_asdict(kval obj, bool utf8) {
    if (!k_type_of(obj)->asdict) {
        k_raise_str(&k_TypeError_type, "asdict() should be called on dataclass instances");
        return 0;
    }
    return dumps(obj, 0, 1, 1, 1, k_None, k_None, k_None, 0, utf8, 1);
}
