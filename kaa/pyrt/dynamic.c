/* Operations on dynamic (typing.Any) values: see dynamic.h. */
#include "dynamic.h"
#include "int.h"
#include "float.h"
#include "str.h"
#include "bytes.h"
#include "list.h"
#include "tuple.h"
#include "dict.h"
#include "set.h"
#include "range.h"

static const char *const BINOP_SYMBOL[] = {"+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>", "&", "|", "^"};

static bool is_int(kval v) { return K_IS_SMALL(v) || (K_OBJ(v)->type->flags & K_TF_INT); }
static bool is_float(kval v) { return !K_IS_SMALL(v) && K_OBJ(v)->type == &k_float_type; }
static bool is_type(kval v, const KType *t) { return !K_IS_SMALL(v) && K_OBJ(v)->type == t; }

static kval unsupported(kval a, kval b, int op) {
    k_raise_fmt(&k_TypeError_type, "unsupported operand type(s) for %s: '%s' and '%s'", BINOP_SYMBOL[op],
                k_type_of(a)->name, k_type_of(b)->name);
    return 0;
}

static kval float_binop(double x, double y, int op) {
    double r;
    switch (op) {
    case K_ADD: r = x + y; break;
    case K_SUB: r = x - y; break;
    case K_MUL: r = x * y; break;
    case K_TRUEDIV: r = k_float_truediv(x, y); break;
    case K_FLOORDIV: r = k_float_floordiv(x, y); break;
    case K_MOD: r = k_float_mod(x, y); break;
    case K_POW: r = k_float_pow(x, y); break;
    default: return 0;
    }
    return k_exc ? 0 : k_float_box(r);
}

static kval int_binop(kval a, kval b, int op) {
    switch (op) {
    case K_ADD: return k_int_add(a, b);
    case K_SUB: return k_int_sub(a, b);
    case K_MUL: return k_int_mul(a, b);
    case K_TRUEDIV: { double r = k_int_truediv(a, b); return k_exc ? 0 : k_float_box(r); }
    case K_FLOORDIV: return k_int_floordiv(a, b);
    case K_MOD: return k_int_mod(a, b);
    case K_POW: return k_int_pow(a, b);
    case K_LSHIFT: return k_int_lshift(a, b);
    case K_RSHIFT: return k_int_rshift(a, b);
    case K_AND: return k_int_and(a, b);
    case K_OR: return k_int_or(a, b);
    default: return k_int_xor(a, b);
    }
}

/* seq * n for str, bytes, list and tuple; 0 without an exception when seq is none of them. */
static kval repeat(kval seq, kval n) {
    i64 count;
    if (!k_int_to_i64(k_any_int(n), &count))
        count = k_int_cmp(k_any_int(n), k_int_small(0)) < 0 ? 0 : 0x7fffffffffffffffLL;      /* the allocation then fails as CPython's does */
    const KType *t = k_type_of(seq);
    if (t == &k_str_type) return k_str_mul(seq, count);
    if (t == &k_bytes_type) return k_bytes_mul(seq, count);
    if (t == &k_list_type) return k_list_repeat(seq, count);
    if (t == &k_tuple_type) return k_tuple_repeat(seq, count);
    return 0;
}

static bool is_sequence(const KType *t) {
    return t == &k_str_type || t == &k_list_type || t == &k_tuple_type || t == &k_bytes_type || t == &k_bytearray_type;
}

static kval concat_error(kval a, kval b) {
    k_raise_fmt(&k_TypeError_type, "can only concatenate %s (not \"%s\") to %s", k_type_of(a)->name,
                k_type_of(b)->name, k_type_of(a)->name);
    return 0;
}

kval k_dyn_binop(kval a, kval b, int op) {
    bool ia = is_int(a), ib = is_int(b);
    if (ia && ib) {
        if (op >= K_AND && is_type(a, &k_bool_type) && is_type(b, &k_bool_type)) {
            bool x = a == k_True, y = b == k_True;
            return k_bool(op == K_AND ? x && y : op == K_OR ? x || y : x != y);
        }
        return int_binop(k_any_int(a), k_any_int(b), op);
    }
    if ((ia || is_float(a)) && (ib || is_float(b))) {
        double x, y;
        if (!k_expect_double(a, &x) || !k_expect_double(b, &y)) return 0;
        if (op >= K_LSHIFT) return unsupported(a, b, op);
        return float_binop(x, y, op);
    }
    const KType *ta = k_type_of(a), *tb = k_type_of(b);
    if (op == K_ADD) {
        if (ta == &k_str_type) return tb == &k_str_type ? k_str_concat(a, b) : concat_error(a, b);
        if (ta == &k_list_type) return tb == &k_list_type ? k_list_concat(a, b) : concat_error(a, b);
        if (ta == &k_tuple_type) return tb == &k_tuple_type ? k_tuple_concat(a, b) : concat_error(a, b);
        if ((ta == &k_bytes_type || ta == &k_bytearray_type) && (tb == &k_bytes_type || tb == &k_bytearray_type))
            return k_bytes_concat(a, b);
    }
    if (op == K_MUL) {
        kval r = ib ? repeat(a, b) : ia ? repeat(b, a) : 0;
        if (r || k_exc) return r;
        bool seq_a = is_sequence(ta), seq_b = is_sequence(tb);
        if (seq_a != seq_b) {
            k_raise_fmt(&k_TypeError_type, "can't multiply sequence by non-int of type '%s'", (seq_a ? tb : ta)->name);
            return 0;
        }
    }
    if (ta == &k_set_type && tb == &k_set_type) {
        if (op == K_OR) return k_set_or(a, b);
        if (op == K_AND) return k_set_and(a, b);
        if (op == K_SUB) return k_set_sub(a, b);
        if (op == K_XOR) return k_set_xor(a, b);
    }
    if (k_is_subtype(ta, &k_dict_type) && k_is_subtype(tb, &k_dict_type) && op == K_OR) return k_dict_or(a, b);
    return unsupported(a, b, op);
}

kval k_dyn_unary(kval a, int op) {
    if (is_int(a)) {
        kval v = k_any_int(a);
        return op == K_NEG ? k_int_neg(v) : op == K_POS ? k_newref(v) : k_int_invert(v);
    }
    if (is_float(a) && op != K_INVERT) return k_float_box(op == K_NEG ? -k_float_unbox(a) : k_float_unbox(a));
    k_raise_fmt(&k_TypeError_type, "bad operand type for unary %s: '%s'", op == K_NEG ? "-" : op == K_POS ? "+" : "~",
                k_type_of(a)->name);
    return 0;
}

/* An index for a sequence: an int (or bool) that fits, else TypeError / IndexError as CPython. */
static bool seq_index(kval o, kval key, i64 *out) {
    if (!is_int(key)) {
        k_raise_fmt(&k_TypeError_type, "%s indices must be integers or slices, not %s", k_type_of(o)->name,
                    k_type_of(key)->name);
        return 0;
    }
    if (!k_int_to_i64(k_any_int(key), out)) {
        k_raise_fmt(&k_IndexError_type, "cannot fit 'int' into an index-sized integer");
        return 0;
    }
    return 1;
}

kval k_dyn_getitem(kval o, kval key) {
    const KType *t = k_type_of(o);
    if (k_is_subtype(t, &k_dict_type)) return k_dict_getitem(o, key);
    i64 i;
    if (t == &k_list_type || t == &k_tuple_type || t == &k_str_type || t == &k_bytes_type ||
        t == &k_bytearray_type || t == &k_range_type) {
        if (!seq_index(o, key, &i)) return 0;
        if (t == &k_list_type) return k_list_getitem(o, i);
        if (t == &k_tuple_type) return k_tuple_getitem(o, i);
        if (t == &k_str_type) return k_str_getitem(o, i);
        if (t == &k_bytes_type) return k_bytes_getitem(o, i);
        if (t == &k_bytearray_type) return k_bytearray_getitem(o, i);
        return k_range_getitem(o, i);
    }
    k_raise_fmt(&k_TypeError_type, "'%s' object is not subscriptable", t->name);
    return 0;
}

int k_dyn_setitem(kval o, kval key, kval v) {
    const KType *t = k_type_of(o);
    if (k_is_subtype(t, &k_dict_type)) return k_dict_setitem(o, key, v);
    i64 i;
    if (t == &k_list_type) return seq_index(o, key, &i) ? k_list_setitem(o, i, v) : -1;
    if (t == &k_bytearray_type) return seq_index(o, key, &i) ? k_bytearray_setitem(o, i, v) : -1;
    k_raise_fmt(&k_TypeError_type, "'%s' object does not support item assignment", t->name);
    return -1;
}

int k_dyn_delitem(kval o, kval key) {
    const KType *t = k_type_of(o);
    if (k_is_subtype(t, &k_dict_type)) return k_dict_delitem(o, key);
    i64 i;
    if (t == &k_list_type) return seq_index(o, key, &i) ? k_list_delitem(o, i) : -1;
    k_raise_fmt(&k_TypeError_type, "'%s' object doesn't support item deletion", t->name);
    return -1;
}

kval k_expect(kval v, const KType *t, const char *name, bool none_ok) {
    if (k_isinstance(v, t) || (none_ok && v == k_None)) return v;
    k_raise_fmt(&k_TypeError_type, "%s object expected; got %s", name, k_type_of(v)->name);
    return 0;
}

kval k_expect_int(kval v) {
    if (is_int(v)) return k_any_int(v);
    k_raise_fmt(&k_TypeError_type, "int object expected; got %s", k_type_of(v)->name);
    return 0;
}

bool k_expect_double(kval v, double *out) {
    if (is_float(v)) {
        *out = k_float_unbox(v);
        return 1;
    }
    if (is_int(v)) {
        *out = k_int_to_double(k_any_int(v));
        return !k_exc;
    }
    k_raise_fmt(&k_TypeError_type, "float object expected; got %s", k_type_of(v)->name);
    return 0;
}

kval k_expect_float_box(kval v, bool none_ok) {
    if (none_ok && v == k_None) return k_None;
    if (is_float(v)) return k_newref(v);
    double d;
    return k_expect_double(v, &d) ? k_float_box(d) : 0;
}

kval k_asdict(kval v) {
    const KType *t = k_type_of(v);
    if (t->asdict) return t->asdict(v);
    if (t == &k_list_type || t == &k_tuple_type) {
        bool list = t == &k_list_type;
        i64 n = list ? k_list_len_fast(v) : k_tuple_len_fast(v);
        kval out = list ? k_list_new(n) : k_tuple_new(n);
        for (i64 i = 0; i < n; i++) {
            kval x = k_asdict(list ? k_list_items(v)[i] : k_tuple_get_fast(v, i));
            if (!x) {
                k_decref(out);
                return 0;
            }
            if (list) {
                k_list_append(out, x);
                k_decref(x);
            } else {
                ((KTuple *)out)->items[i] = x;
            }
        }
        return out;
    }
    if (k_is_subtype(t, &k_dict_type)) {
        kval out = k_dict_new(), key, value;
        i64 pos = 0;
        while (k_dict_next(v, &pos, &key, &value)) {
            kval k = k_asdict(key), x = k ? k_asdict(value) : 0;
            int rc = x ? k_dict_setitem(out, k, x) : -1;
            k_xdecref(k);
            k_xdecref(x);
            if (rc < 0) {
                k_decref(out);
                return 0;
            }
        }
        return out;
    }
    return k_newref(v);
}

/* An enum member's layout: the header, then the name and value fields (as the compiler
 * declares them: value is a kval for the int, str and object value types enums accept). */
typedef struct { KObj hdr; kval name; kval value; } KEnumMember;

static kval enum_find(const KType *t, kval key, bool by_name) {
    kval members = *t->enum_members;
    for (i64 i = 0; i < k_list_len_fast(members); i++) {
        KEnumMember *m = (KEnumMember *)k_list_items(members)[i];
        int eq = k_eq(by_name ? m->name : m->value, key);
        if (eq < 0) return 0;
        if (eq) return k_newref(K_VAL(m));
    }
    if (by_name) {
        kval args = k_tuple_pack(1, key);
        k_raise(k_exc_new(&k_KeyError_type, args));
        k_decref(args);
    } else {
        k_raise_fmt(&k_ValueError_type, "%R is not a valid %s", key, t->name);
    }
    return 0;
}

kval k_enum_by_value(const KType *t, kval value) { return enum_find(t, value, 0); }
kval k_enum_by_name(const KType *t, kval name) { return enum_find(t, name, 1); }
