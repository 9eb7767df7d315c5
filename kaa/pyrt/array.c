/* array.array: numbers of one C type in one contiguous buffer.
 *
 * Layout (KArray, array.h): len items of itemsize bytes at data, with room for cap;
 * appending grows the room by half (as lists do); the buffer goes with the array.
 * Items travel between the buffer and Python values as a Num: an integer (an i64, or
 * a u64 for the values of 'L' and 'Q' items past INT64_MAX) or a double. Storing
 * converts as CPython's per-type-code converters do, checking ranges in their order,
 * so a value out of range gets the same message as in CPython (b with 1000: "signed
 * char is greater than maximum", b with 40000: "signed short integer is greater than
 * maximum"). Comparisons between items are exact between ints and floats, as Python's.
 * Nothing here can run Python code except comparing an item with a value that is not a
 * number (k_eq, for `x in a` and friends), which may change the array: loops re-read
 * len after it.
 */
#include "array.h"
#include "bytes.h"
#include "int_impl.h"
#include "list.h"
#include "slice.h"

struct KArrayTypecodes k_array_typecodes = {{K_STATIC_HDR(&k_str_type), 13, 13, -1}, "bBuhHiIlLqQfd"};

static int itemsize_of(i64 code) {
    switch (code) {
    case 'b': case 'B': return 1;
    case 'h': case 'H': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': case 'q': case 'Q': case 'd': return 8;
    default: return 0;
    }
}

static bool is_float_code(char code) { return code == 'f' || code == 'd'; }

/* ---- items as numbers ---- */

/* A number, or what a value is as one: NUM_BIG_* are ints past 64 bits (the sign says
 * which way), NUM_OTHER not a number at all. */
enum { NUM_INT, NUM_UINT, NUM_FLOAT, NUM_BIG_POS, NUM_BIG_NEG, NUM_OTHER };

typedef struct {
    int kind;
    i64 i;          /* NUM_INT */
    u64 u;          /* NUM_UINT: 2**63 <= u < 2**64 */
    double d;       /* NUM_FLOAT */
} Num;

static Num get(const KArray *a, i64 i) {
    const u8 *p = a->data + i * a->itemsize;
    Num n = {NUM_INT, 0, 0, 0.0};
    switch (a->code) {
    case 'b': n.i = *(const i8 *)p; break;
    case 'B': n.i = *p; break;
    case 'h': n.i = *(const i16 *)p; break;
    case 'H': n.i = *(const u16 *)p; break;
    case 'i': n.i = *(const i32 *)p; break;
    case 'I': n.i = *(const u32 *)p; break;
    case 'l': case 'q': n.i = *(const i64 *)p; break;
    case 'L': case 'Q':
        n.u = *(const u64 *)p;
        if (n.u > (u64)INT64_MAX) n.kind = NUM_UINT;
        else n.i = (i64)n.u;
        break;
    case 'f': n.kind = NUM_FLOAT; n.d = *(const float *)p; break;
    default: n.kind = NUM_FLOAT; n.d = *(const double *)p; break;
    }
    return n;
}

/* Store n (converted for a's type code already) as item i. */
static void put(KArray *a, i64 i, Num n) {
    u8 *p = a->data + i * a->itemsize;
    u64 bits = n.kind == NUM_UINT ? n.u : (u64)n.i;
    switch (a->code) {
    case 'b': case 'B': *p = (u8)bits; break;
    case 'h': case 'H': *(u16 *)p = (u16)bits; break;
    case 'i': case 'I': *(u32 *)p = (u32)bits; break;
    case 'f': *(float *)p = (float)n.d; break;
    case 'd': *(double *)p = n.d; break;
    default: *(u64 *)p = bits; break;
    }
}

static kval box(Num n) {
    if (n.kind == NUM_FLOAT) return k_float_box(n.d);
    return n.kind == NUM_UINT ? k_int_from_u64(n.u) : k_int_from_i64(n.i);
}

static bool is_int(kval v) { return K_IS_SMALL(v) || (K_OBJ(v)->type->flags & K_TF_INT); }

static Num value_of(kval v) {
    Num n = {NUM_OTHER, 0, 0, 0.0};
    if (is_int(v)) {
        KIntView w;
        k_int_view(v, &w);
        u64 m = w.n == 0 ? 0 : w.n == 1 ? w.d[0] : w.d[0] | (u64)w.d[1] << 32;
        if (w.n > 2 || (w.neg && m > (1ULL << 63))) {
            n.kind = w.neg ? NUM_BIG_NEG : NUM_BIG_POS;
        } else if (!w.neg && m > (u64)INT64_MAX) {
            n.kind = NUM_UINT;
            n.u = m;
        } else {
            n.kind = NUM_INT;
            n.i = w.neg ? (i64)(0 - m) : (i64)m;
        }
    } else if (K_OBJ(v)->type == &k_float_type) {
        n.kind = NUM_FLOAT;
        n.d = k_float_unbox(v);
    }
    return n;
}

#define LONG_MSG "Python int too large to convert to C long"
#define ULONG_MSG "Python int too large to convert to C unsigned long"

/* CPython's OverflowError message for storing the int n under code, or NULL when it
 * fits. Each code's converter first takes a C long (or unsigned long, or long long),
 * then checks the narrower type: one value gets different messages from different codes. */
static const char *range_error(char code, Num n) {
    bool is_long = n.kind == NUM_INT;
    bool neg = n.kind == NUM_BIG_NEG || (is_long && n.i < 0);
    i64 x = n.i;
    switch (code) {
    case 'b':
        if (!is_long) return LONG_MSG;
        if (x < -32768) return "signed short integer is less than minimum";
        if (x > 32767) return "signed short integer is greater than maximum";
        if (x < -128) return "signed char is less than minimum";
        if (x > 127) return "signed char is greater than maximum";
        return 0;
    case 'B':
        if (!is_long) return LONG_MSG;
        if (x < 0) return "unsigned byte integer is less than minimum";
        if (x > 255) return "unsigned byte integer is greater than maximum";
        return 0;
    case 'h':
        if (!is_long) return LONG_MSG;
        if (x < -32768) return "signed short integer is less than minimum";
        if (x > 32767) return "signed short integer is greater than maximum";
        return 0;
    case 'H':
        if (!is_long) return LONG_MSG;
        if (x < -2147483648LL) return "signed integer is less than minimum";
        if (x > 2147483647LL) return "signed integer is greater than maximum";
        if (x < 0) return "unsigned short is less than minimum";
        if (x > 65535) return "unsigned short is greater than maximum";
        return 0;
    case 'i':
        if (!is_long) return LONG_MSG;
        if (x < -2147483648LL) return "signed integer is less than minimum";
        if (x > 2147483647LL) return "signed integer is greater than maximum";
        return 0;
    case 'l':
        return is_long ? 0 : LONG_MSG;
    case 'q':
        return is_long ? 0 : "int too big to convert";
    case 'I':
        if (neg) return "can't convert negative value to unsigned int";
        if (n.kind == NUM_BIG_POS) return ULONG_MSG;
        if (n.kind == NUM_UINT || x > 0xffffffffLL) return "unsigned int is greater than maximum";
        return 0;
    case 'L':
        if (neg) return "can't convert negative value to unsigned int";
        return n.kind == NUM_BIG_POS ? ULONG_MSG : 0;
    default:    /* 'Q' */
        if (neg) return "can't convert negative int to unsigned";
        return n.kind == NUM_BIG_POS ? "int too big to convert" : 0;
    }
}

/* v as an item of a: false when it is not (raised TypeError or OverflowError). */
static bool convert(const KArray *a, kval v, Num *out) {
    Num n = value_of(v);
    if (is_float_code(a->code)) {
        if (n.kind == NUM_OTHER) {
            k_raise_fmt(&k_TypeError_type, "must be real number, not %s", k_type_of(v)->name);
            return 0;
        }
        if (n.kind != NUM_FLOAT) {
            n.d = k_int_to_double(v);
            if (k_exc) return 0;
            n.kind = NUM_FLOAT;
        }
    } else {
        if (n.kind == NUM_FLOAT || n.kind == NUM_OTHER) {
            k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(v)->name);
            return 0;
        }
        const char *err = range_error(a->code, n);
        if (err) {
            k_raise_str(&k_OverflowError_type, err);
            return 0;
        }
    }
    *out = n;
    return 1;
}

/* -1, 0, 1, or 2 when unordered (a NaN). x and y are numbers; an int against a float
 * compares exactly (through the int's kval). */
static int num_cmp(Num x, Num y) {
    if (x.kind == NUM_FLOAT && y.kind == NUM_FLOAT) {
        if (x.d < y.d) return -1;
        if (x.d > y.d) return 1;
        return x.d == y.d ? 0 : 2;
    }
    if (x.kind == NUM_FLOAT || y.kind == NUM_FLOAT) {
        bool swap = x.kind == NUM_FLOAT;
        kval k = box(swap ? y : x);
        int c = k_int_cmp_double(k, swap ? x.d : y.d);
        k_decref(k);
        return c == 2 ? 2 : swap ? -c : c;
    }
    if (x.kind != y.kind) return x.kind == NUM_UINT ? 1 : -1;
    if (x.kind == NUM_UINT) return (x.u > y.u) - (x.u < y.u);
    return (x.i > y.i) - (x.i < y.i);
}

/* item i of a == v (whose value_of is n): 1, 0, -1 raised. */
static int item_eq(KArray *a, i64 i, kval v, Num n) {
    Num item = get(a, i);
    switch (n.kind) {
    case NUM_INT: case NUM_UINT: case NUM_FLOAT:
        return num_cmp(item, n) == 0;
    case NUM_BIG_POS: case NUM_BIG_NEG:
        return item.kind == NUM_FLOAT && k_int_cmp_double(v, item.d) == 0;
    default: {                      /* not a number: its own __eq__ may say */
        kval x = box(item);
        int r = k_eq(x, v);
        k_decref(x);
        return r;
    }
    }
}

/* The first index in [start, stop) holding an item equal to v; -1 none, -2 raised. */
static i64 find(KArray *a, kval v, i64 start, i64 stop) {
    Num n = value_of(v);
    for (i64 i = start; i < stop && i < a->len; i++) {
        int r = item_eq(a, i, v, n);
        if (r < 0) return -2;
        if (r) return i;
    }
    return -1;
}

/* ---- storage ---- */

/* Room for n items. */
static void reserve(KArray *a, i64 n) {
    if (n <= a->cap) return;
    i64 cap = a->cap + (a->cap >> 1) + 4;
    if (cap < n) cap = n;
    a->data = k_mrealloc(a->data, (u64)(a->cap * a->itemsize), (u64)(cap * a->itemsize));
    a->cap = cap;
}

static KArray *alloc_array(char code, i64 n) {
    KArray *a = (KArray *)k_alloc(&k_array_type, sizeof(KArray));
    a->code = code;
    a->itemsize = (u8)itemsize_of(code);
    reserve(a, n);
    return a;
}

/* Append n items' bytes (the caller checked them: a copy of an array of the same code,
 * or whole items of raw bytes). src may be a's own buffer. */
static void append_raw(KArray *a, const u8 *src, i64 n) {
    if (n == 0) return;
    if (src == a->data) {                   /* a.extend(a): the buffer may move */
        reserve(a, a->len + n);
        src = a->data;
    } else {
        reserve(a, a->len + n);
    }
    __builtin_memcpy(a->data + a->len * a->itemsize, src, (u64)(n * a->itemsize));
    a->len += n;
}

static int append(KArray *a, kval v) {
    Num n;
    if (!convert(a, v, &n)) return -1;
    reserve(a, a->len + 1);
    put(a, a->len++, n);
    return 0;
}

static bool is_array(kval v) { return !K_IS_SMALL(v) && K_OBJ(v)->type == &k_array_type; }

/* Each item of any iterable, appended; the ones before a failing one stay, as CPython's. */
static int extend_iter(KArray *a, kval iterable) {
    kval it = k_iter(iterable);
    if (!it) return -1;
    for (;;) {
        kval x = k_next(it);
        if (!x) break;
        int r = append(a, x);
        k_decref(x);
        if (r < 0) break;
    }
    k_decref(it);
    return k_exc ? -1 : 0;
}

/* i as an index of a (negative from the end), or -1 with IndexError msg. */
static i64 index_of(KArray *a, i64 i, const char *msg) {
    if (i < 0) i += a->len;
    if ((u64)i < (u64)a->len) return i;
    k_raise_str(&k_IndexError_type, msg);
    return -1;
}

static void remove_range(KArray *a, i64 lo, i64 n) {
    u8 *p = a->data + lo * a->itemsize;
    __builtin_memmove(p, p + n * a->itemsize, (u64)((a->len - lo - n) * a->itemsize));
    a->len -= n;
}

/* ---- construction ---- */

static void array_clear(KObj *o) {
    KArray *a = (KArray *)o;
    k_mfree(a->data);
    a->data = 0;
    a->len = a->cap = 0;
}

kval k_array_new(i64 code, kval init) {
    if (!itemsize_of(code)) {
        k_raise_str(&k_ValueError_type, "bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)");
        return 0;
    }
    if (init && k_is_str(init)) {
        char c[2] = {(char)code, 0};
        k_raise_fmt(&k_TypeError_type, "cannot use a str to initialize an array with typecode '%s'", c);
        return 0;
    }
    KArray *a = alloc_array((char)code, 0);
    int r = 0;
    if (!init)
        r = 0;
    else if (k_is_bytes(init) || k_is_bytearray(init))
        r = k_array_frombytes(K_VAL(a), init);
    else if (is_array(init) && ((KArray *)init)->code == a->code)
        append_raw(a, ((KArray *)init)->data, ((KArray *)init)->len);
    else
        r = extend_iter(a, init);       /* items of another code are converted one by one */
    if (r < 0) {
        k_decref(K_VAL(a));
        return 0;
    }
    return K_VAL(a);
}

i64 k_array_len(kval a) { return ((KArray *)a)->len; }

kval k_array_typecode(kval a) {
    char c = ((KArray *)a)->code;
    return k_str_from_ascii(&c, 1);
}

i64 k_array_itemsize(kval a) { return ((KArray *)a)->itemsize; }

/* ---- items ---- */

kval k_array_getitem(kval av, i64 i) {
    KArray *a = (KArray *)av;
    i = index_of(a, i, "array index out of range");
    return i < 0 ? 0 : box(get(a, i));
}

double k_array_getitem_float(kval av, i64 i) {
    KArray *a = (KArray *)av;
    i = index_of(a, i, "array index out of range");
    return i < 0 ? -1.0 : get(a, i).d;
}

int k_array_setitem(kval av, i64 i, kval x) {
    KArray *a = (KArray *)av;
    Num n;
    i = index_of(a, i, "array assignment index out of range");
    if (i < 0 || !convert(a, x, &n)) return -1;
    put(a, i, n);
    return 0;
}

int k_array_setitem_float(kval av, i64 i, double x) {
    KArray *a = (KArray *)av;
    i = index_of(a, i, "array assignment index out of range");
    if (i < 0) return -1;
    put(a, i, (Num){NUM_FLOAT, 0, 0, x});
    return 0;
}

int k_array_delitem(kval av, i64 i) {
    KArray *a = (KArray *)av;
    i = index_of(a, i, "array assignment index out of range");
    if (i < 0) return -1;
    remove_range(a, i, 1);
    return 0;
}

/* ---- slices ---- */

kval k_array_slice(kval av, kval start, kval stop, kval step) {
    KArray *a = (KArray *)av;
    i64 lo, hi, st, n;
    if (!k_slice_indices(a->len, start, stop, step, &lo, &hi, &st, &n)) return 0;
    KArray *r = alloc_array(a->code, n);
    if (st == 1) {
        append_raw(r, a->data + lo * a->itemsize, n);
    } else {
        for (i64 k = 0; k < n; k++)
            __builtin_memcpy(r->data + k * a->itemsize, a->data + (lo + k * st) * a->itemsize, a->itemsize);
        r->len = n;
    }
    return K_VAL(r);
}

/* The items a[lo], a[lo + st], ... (n of them), as ascending positions: first, step. */
static void ascending(i64 *lo, i64 *st, i64 n) {
    if (*st < 0) {
        *lo += *st * (n - 1);
        *st = -*st;
    }
}

/* Delete n items from lo on, st apart (st > 0). */
static void delete_stepped(KArray *a, i64 lo, i64 st, i64 n) {
    if (n == 0) return;
    if (st == 1) {
        remove_range(a, lo, n);
        return;
    }
    i64 w = lo, size = a->itemsize;
    for (i64 r = lo; r < a->len; r++) {
        if ((r - lo) % st == 0 && (r - lo) / st < n) continue;
        __builtin_memmove(a->data + w * size, a->data + r * size, (u64)size);
        w++;
    }
    a->len = w;
}

int k_array_del_slice(kval av, kval start, kval stop, kval step) {
    KArray *a = (KArray *)av;
    i64 lo, hi, st, n;
    if (!k_slice_indices(a->len, start, stop, step, &lo, &hi, &st, &n)) return -1;
    ascending(&lo, &st, n);
    delete_stepped(a, lo, st, n);
    return 0;
}

int k_array_set_slice(kval av, kval start, kval stop, kval step, kval value) {
    KArray *a = (KArray *)av;
    if (!is_array(value)) {
        k_raise_fmt(&k_TypeError_type, "can only assign array (not \"%s\") to array slice", k_type_of(value)->name);
        return -1;
    }
    KArray *v = (KArray *)value;
    if (v->code != a->code) {
        k_raise_str(&k_TypeError_type, "bad argument type for built-in operation");
        return -1;
    }
    i64 lo, hi, st, n;
    if (!k_slice_indices(a->len, start, stop, step, &lo, &hi, &st, &n)) return -1;
    i64 size = a->itemsize, m = v->len;
    if (st == 1) {                                  /* a[lo:hi] = v: the tail moves */
        if (hi < lo) hi = lo;
        u8 *copy = k_malloc((u64)(m * size));       /* v may be a itself */
        __builtin_memcpy(copy, v->data, (u64)(m * size));
        i64 old = hi - lo, tail = a->len - hi;
        reserve(a, a->len - old + m);
        __builtin_memmove(a->data + (lo + m) * size, a->data + hi * size, (u64)(tail * size));
        __builtin_memcpy(a->data + lo * size, copy, (u64)(m * size));
        a->len += m - old;
        k_mfree(copy);
        return 0;
    }
    if (m == 0) {                                   /* CPython's: an empty array deletes the items */
        ascending(&lo, &st, n);
        delete_stepped(a, lo, st, n);
        return 0;
    }
    if (m != n) {
        k_raise_fmt(&k_ValueError_type, "attempt to assign array of size %d to extended slice of size %d", m, n);
        return -1;
    }
    u8 *copy = k_malloc((u64)(m * size));           /* a[::-1] = a reverses a */
    __builtin_memcpy(copy, v->data, (u64)(m * size));
    for (i64 k = 0; k < n; k++)
        __builtin_memcpy(a->data + (lo + k * st) * size, copy + k * size, (u64)size);
    k_mfree(copy);
    return 0;
}

/* ---- searching ---- */

int k_array_contains(kval av, kval x) {
    i64 i = find((KArray *)av, x, 0, INT64_MAX);
    return i >= 0 ? 1 : i == -1 ? 0 : -1;
}

i64 k_array_count(kval av, kval x) {
    KArray *a = (KArray *)av;
    Num n = value_of(x);
    i64 count = 0;
    for (i64 i = 0; i < a->len; i++) {
        int r = item_eq(a, i, x, n);
        if (r < 0) return -1;
        count += r;
    }
    return count;
}

/* index()'s bounds, clamped as list's. */
static i64 clamp(i64 b, i64 len) {
    if (b < 0) {
        b += len;
        if (b < 0) b = 0;
    }
    return b > len ? len : b;
}

i64 k_array_index(kval av, kval x, i64 start, i64 stop) {
    KArray *a = (KArray *)av;
    i64 i = find(a, x, clamp(start, a->len), clamp(stop, a->len));
    if (i == -1) k_raise_str(&k_ValueError_type, "array.index(x): x not in array");
    return i < 0 ? -1 : i;
}

int k_array_remove(kval av, kval x) {
    KArray *a = (KArray *)av;
    i64 i = find(a, x, 0, a->len);
    if (i == -1) k_raise_str(&k_ValueError_type, "array.remove(x): x not in array");
    if (i < 0) return -1;
    remove_range(a, i, 1);
    return 0;
}

/* ---- the other methods ---- */

int k_array_append(kval av, kval x) { return append((KArray *)av, x); }

int k_array_extend(kval av, kval iterable) {
    KArray *a = (KArray *)av;
    if (is_array(iterable)) {
        KArray *b = (KArray *)iterable;
        if (b->code != a->code) {
            k_raise_str(&k_TypeError_type, "can only extend with array of same kind");
            return -1;
        }
        append_raw(a, b->data, b->len);
        return 0;
    }
    return extend_iter(a, iterable);
}

int k_array_insert(kval av, i64 i, kval x) {
    KArray *a = (KArray *)av;
    Num n;
    if (!convert(a, x, &n)) return -1;
    i = clamp(i, a->len);
    reserve(a, a->len + 1);
    u8 *p = a->data + i * a->itemsize;
    __builtin_memmove(p + a->itemsize, p, (u64)((a->len - i) * a->itemsize));
    a->len++;
    put(a, i, n);
    return 0;
}

kval k_array_pop(kval av, i64 i) {
    KArray *a = (KArray *)av;
    if (a->len == 0) {
        k_raise_str(&k_IndexError_type, "pop from empty array");
        return 0;
    }
    i = index_of(a, i, "pop index out of range");
    if (i < 0) return 0;
    kval x = box(get(a, i));
    remove_range(a, i, 1);
    return x;
}

void k_array_reverse(kval av) {
    KArray *a = (KArray *)av;
    u8 tmp[8];
    i64 size = a->itemsize;
    for (i64 i = 0, j = a->len - 1; i < j; i++, j--) {
        __builtin_memcpy(tmp, a->data + i * size, (u64)size);
        __builtin_memcpy(a->data + i * size, a->data + j * size, (u64)size);
        __builtin_memcpy(a->data + j * size, tmp, (u64)size);
    }
}

void k_array_byteswap(kval av) {
    KArray *a = (KArray *)av;
    i64 size = a->itemsize;
    for (i64 i = 0; i < a->len; i++) {
        u8 *p = a->data + i * size;
        for (i64 x = 0, y = size - 1; x < y; x++, y--) {
            u8 t = p[x];
            p[x] = p[y];
            p[y] = t;
        }
    }
}

kval k_array_tolist(kval av) {
    KArray *a = (KArray *)av;
    kval l = k_list_new(a->len);
    for (i64 i = 0; i < a->len; i++) {
        kval x = box(get(a, i));
        k_list_append(l, x);
        k_decref(x);
    }
    return l;
}

kval k_array_tobytes(kval av) {
    KArray *a = (KArray *)av;
    return k_bytes_from(a->data, a->len * a->itemsize);
}

int k_array_frombytes(kval av, kval buffer) {
    KArray *a = (KArray *)av;
    const u8 *p;
    i64 n;
    if (k_is_bytes(buffer)) {
        p = k_bytes_data(buffer);
        n = k_bytes_len(buffer);
    } else if (k_is_bytearray(buffer)) {
        p = ((KByteArray *)buffer)->data;
        n = ((KByteArray *)buffer)->len;
    } else if (is_array(buffer)) {           /* CPython takes a buffer of bytes: b and B arrays */
        if (((KArray *)buffer)->itemsize != 1) {
            k_raise_str(&k_TypeError_type, "a bytes-like object is required");
            return -1;
        }
        p = ((KArray *)buffer)->data;
        n = ((KArray *)buffer)->len * ((KArray *)buffer)->itemsize;
    } else {
        k_raise_fmt(&k_TypeError_type, "a bytes-like object is required, not '%s'", k_type_of(buffer)->name);
        return -1;
    }
    if (n % a->itemsize != 0) {
        k_raise_str(&k_ValueError_type, "bytes length not a multiple of item size");
        return -1;
    }
    append_raw(a, p, n / a->itemsize);
    return 0;
}

int k_array_fromlist(kval av, kval list) {
    KArray *a = (KArray *)av;
    if (k_type_of(list) != &k_list_type) {
        k_raise_str(&k_TypeError_type, "arg must be list");
        return -1;
    }
    i64 old = a->len;
    for (i64 i = 0; i < k_list_len_fast(list); i++) {
        if (append(a, k_list_items(list)[i]) < 0) {
            a->len = old;
            return -1;
        }
    }
    return 0;
}

/* ---- operators ---- */

/* The two arrays of a + b, a += b: false (raised TypeError) unless b is one of a's code. */
static bool same_kind(KArray *a, kval b, const char *not_array, const char *other_code) {
    if (!is_array(b)) {
        k_raise_fmt(&k_TypeError_type, not_array, k_type_of(b)->name);
        return 0;
    }
    if (((KArray *)b)->code != a->code) {
        k_raise_str(&k_TypeError_type, other_code);
        return 0;
    }
    return 1;
}

kval k_array_concat(kval av, kval bv) {
    KArray *a = (KArray *)av;
    if (!same_kind(a, bv, "can only append array (not \"%s\") to array", "bad argument type for built-in operation"))
        return 0;
    KArray *b = (KArray *)bv;
    KArray *r = alloc_array(a->code, a->len + b->len);
    append_raw(r, a->data, a->len);
    append_raw(r, b->data, b->len);
    return K_VAL(r);
}

int k_array_iadd(kval av, kval bv) {
    KArray *a = (KArray *)av;
    if (!same_kind(a, bv, "can only extend array with array (not \"%s\")", "can only extend with array of same kind"))
        return -1;
    append_raw(a, ((KArray *)bv)->data, ((KArray *)bv)->len);
    return 0;
}

/* The length of n copies of a, or -1 with MemoryError when it cannot be. */
static i64 repeated_len(KArray *a, i64 n) {
    if (n <= 0 || a->len == 0) return 0;
    if (a->len > (INT64_MAX >> 4) / a->itemsize / n) {
        k_raise_str(&k_MemoryError_type, "");
        return -1;
    }
    return a->len * n;
}

kval k_array_repeat(kval av, i64 n) {
    KArray *a = (KArray *)av;
    i64 total = repeated_len(a, n);
    if (total < 0) return 0;
    KArray *r = alloc_array(a->code, total);
    while (r->len < total) append_raw(r, a->data, a->len);
    return K_VAL(r);
}

int k_array_irepeat(kval av, i64 n) {
    KArray *a = (KArray *)av;
    i64 total = repeated_len(a, n), len = a->len;
    if (total < 0) return -1;
    reserve(a, total);
    a->len = total < len ? total : len;
    while (a->len < total) {
        __builtin_memcpy(a->data + a->len * a->itemsize, a->data, (u64)(len * a->itemsize));
        a->len += len;
    }
    return 0;
}

/* Lexicographic over the items' values, as CPython's: arrays of different codes compare
 * too (array('i', [1]) == array('d', [1.0])); NaN items are unequal to everything. */
int k_array_richcmp(kval av, kval bv, int op) {
    if (!is_array(bv)) return 2;
    KArray *a = (KArray *)av, *b = (KArray *)bv;
    if (a->len != b->len && (op == K_EQ || op == K_NE)) return op == K_NE;
    i64 n = a->len < b->len ? a->len : b->len;
    for (i64 i = 0; i < n; i++) {
        int c = num_cmp(get(a, i), get(b, i));
        if (c == 0) continue;
        if (op == K_EQ || op == K_NE) return op == K_NE;
        return c == 2 ? 0 : k_cmp_holds(c, op);
    }
    return k_cmp_holds((a->len > b->len) - (a->len < b->len), op);
}

kval k_array_repr(kval av) {
    KArray *a = (KArray *)av;
    char head[] = "array('?'";
    head[7] = a->code;
    kval parts = k_parts_new();
    k_parts_lit(parts, head);
    if (a->len) {
        kval items = k_array_tolist(av);
        k_parts_lit(parts, ", ");
        bool ok = k_parts_repr(parts, items);
        k_decref(items);
        if (!ok) {
            k_decref(parts);
            return 0;
        }
    }
    k_parts_lit(parts, ")");
    return k_parts_join(parts);
}

/* ---- iteration ---- */

typedef struct {
    KObj hdr;
    kval array;
    i64 index;          /* the next item's; the array may change length meanwhile */
} KArrayIter;           /* array: 0 once exhausted (it stays so, as CPython's) */

static kval array_iter(kval av) {
    KArrayIter *it = (KArrayIter *)k_alloc(&k_array_iterator_type, sizeof(KArrayIter));
    it->array = k_newref(av);
    return K_VAL(it);
}

static kval iter_next(kval self) {
    KArrayIter *it = (KArrayIter *)self;
    KArray *a = (KArray *)it->array;
    if (a && it->index < a->len) return box(get(a, it->index++));
    it->array = 0;
    k_xdecref(K_VAL(a));
    return 0;
}

static void iter_clear(KObj *o) { k_xdecref(((KArrayIter *)o)->array); }
static kval iter_self(kval it) { return k_newref(it); }

const KType k_array_iterator_type = {K_STATIC_HDR(&k_type_type), "arrayiterator", "array", &k_object_type,
                                     sizeof(KArrayIter), 0,
                                     .clear = iter_clear, .iter = iter_self, .next = iter_next};

const KType k_array_type = {K_STATIC_HDR(&k_type_type), "array", "array", &k_object_type, sizeof(KArray), 0,
                            .clear = array_clear, .repr = k_array_repr, .hash = k_hash_unhashable,
                            .richcmp = k_array_richcmp, .len = k_array_len, .iter = array_iter,
                            .contains = k_array_contains};
