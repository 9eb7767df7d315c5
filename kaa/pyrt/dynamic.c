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
    if (k_is_subtype(t, &k_tuple_type)) t = &k_tuple_type;        /* a NamedTuple's instance */
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
    if (k_stack_exhausted("")) return 0;
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

/* ---- attributes of instances of the program's classes ---- */

/* Names are C strings the compiler wrote: often the same literal, else compared. */
static bool name_eq(const char *a, const char *b) {
    if (a == b) return 1;
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

const KAttr *k_dyn_find(kval o, const char *name) {
    const KAttr *a = k_type_of(o)->attrs;
    if (a)
        for (; a->name; a++)
            if (name_eq(a->name, name)) return a;
    return 0;
}

kval k_dyn_no_attribute(kval o, const char *name) {
    k_raise_fmt(&k_AttributeError_type, "'%s' object has no attribute '%s'", k_type_of(o)->name, name);
    return 0;
}

/* dataclasses.FrozenInstanceError, an AttributeError (str and repr inherited). */
const KType k_FrozenInstanceError_type = {K_STATIC_HDR(&k_type_type), "FrozenInstanceError", "dataclasses",
                                          &k_AttributeError_type, sizeof(KException), K_TF_EXCEPTION,
                                          .clear = k_exc_clear};

/* A small text builder for argument errors (names are short identifiers). */
typedef struct { char buf[256]; u32 n; } Text;

static void text_add(Text *t, const char *s) {
    while (*s && t->n < sizeof t->buf - 1) t->buf[t->n++] = *s++;
    t->buf[t->n] = 0;
}

static void text_int(Text *t, i64 v) {
    char d[24];
    int n = 0;
    do d[n++] = (char)('0' + v % 10); while ((v /= 10) > 0);
    char s[24];
    for (int i = 0; i < n; i++) s[i] = d[n - 1 - i];
    s[n] = 0;
    text_add(t, s);
}

/* CPython's "f() missing 2 required positional arguments: 'a' and 'b'" for the
 * parameters in [from, to) that are required and not given. */
static bool missing(const KAttr *a, const kval *slots, i64 from, i64 to, const char *kind) {
    i64 names[64], m = 0;
    for (i64 i = from; i < to; i++)
        if (!slots[i] && (a->required >> i & 1)) names[m++] = i;
    if (!m) return 0;
    Text t = {{0}, 0};
    for (i64 i = 0; i < m; i++) {
        if (i) text_add(&t, m == 2 ? " and " : i == m - 1 ? ", and " : ", ");
        text_add(&t, "'");
        text_add(&t, a->params[names[i]]);
        text_add(&t, "'");
    }
    k_raise_fmt(&k_TypeError_type, "%s() missing %d required %s argument%s: %s", a->qualname, m, kind,
                m == 1 ? "" : "s", t.buf);
    return 1;
}

/* CPython's "f() takes from 2 to 3 positional arguments but 5 were given" (counting self). */
static void too_many(const KAttr *a, const kval *slots, i64 npos) {
    i64 self = a->kind == K_ATTR_METHOD, argc = a->npositional + self, given = npos + self, defaults = 0, kw_given = 0;
    for (i64 i = 0; i < a->npositional; i++) defaults += !(a->required >> i & 1);
    for (i64 i = a->npositional; i < a->nparams; i++) kw_given += slots[i] != 0;
    Text sig = {{0}, 0};
    if (defaults) {
        text_add(&sig, "from ");
        text_int(&sig, argc - defaults);
        text_add(&sig, " to ");
    }
    text_int(&sig, argc);
    Text kw = {{0}, 0};
    if (kw_given) {
        text_add(&kw, given != 1 ? " positional arguments (and " : " positional argument (and ");
        text_int(&kw, kw_given);
        text_add(&kw, kw_given != 1 ? " keyword-only arguments)" : " keyword-only argument)");
    }
    k_raise_fmt(&k_TypeError_type, "%s() takes %s positional argument%s but %d%s %s given", a->qualname, sig.buf,
                defaults || argc != 1 ? "s" : "", given, kw.buf, given == 1 && !kw_given ? "was" : "were");
}

/* Binds positional and keyword arguments to a method's parameters as CPython does (its
 * errors, in its order), then calls the method's entry. */
static kval call_attr(kval self, const KAttr *a, const kval *args, i64 npos, const char *const *kwnames, i64 nkw) {
    kval slots[64];
    for (i64 i = 0; i < a->nparams; i++) slots[i] = i < npos && i < a->npositional ? args[i] : 0;
    for (i64 k = 0; k < nkw; k++) {
        i64 j = 0;
        while (j < a->nparams && !name_eq(a->params[j], kwnames[k])) j++;
        if (j == a->nparams) {
            k_raise_fmt(&k_TypeError_type, "%s() got an unexpected keyword argument '%s'", a->qualname, kwnames[k]);
            return 0;
        }
        if (slots[j]) {
            k_raise_fmt(&k_TypeError_type, "%s() got multiple values for argument '%s'", a->qualname, kwnames[k]);
            return 0;
        }
        slots[j] = args[npos + k];
    }
    if (npos > a->npositional) {
        too_many(a, slots, npos);
        return 0;
    }
    if (missing(a, slots, 0, a->npositional, "positional") ||
        missing(a, slots, a->npositional, a->nparams, "keyword-only"))
        return 0;
    return a->call(self, slots, a->nparams);
}

/* A method read without a call: CPython's bound method (a staticmethod's is the plain function). */
typedef struct { KFunc f; kval self; const KAttr *attr; } KBoundMethod;

static kval bound_call(kval f, const kval *args, i64 n) {
    KBoundMethod *b = (KBoundMethod *)f;
    return call_attr(b->self, b->attr, args, n, 0, 0);
}
static void bound_clear(KObj *o) { k_decref(((KBoundMethod *)o)->self); }
static kval bound_repr(kval f) {
    KBoundMethod *b = (KBoundMethod *)f;
    bool bound = b->attr->kind != K_ATTR_STATIC;
    kval r = bound ? k_repr(b->self) : k_str_from_cstr("");
    if (!r) return 0;
    kval parts[5] = {k_str_from_cstr(bound ? "<bound method " : "<function "), k_str_from_cstr(b->attr->qualname),
                     k_str_from_cstr(bound ? " of " : ""), r, k_str_from_cstr(">")};
    kval out = k_str_join_parts(parts, 5);
    for (int i = 0; i < 5; i++) k_decref(parts[i]);
    return out;
}
static const KType method_type = {K_STATIC_HDR(&k_type_type), "method", "builtins", &k_function_type,
                                  sizeof(KBoundMethod), 0, .clear = bound_clear, .repr = bound_repr};
static const KType static_function_type = {K_STATIC_HDR(&k_type_type), "function", "builtins", &k_function_type,
                                           sizeof(KBoundMethod), 0, .clear = bound_clear, .repr = bound_repr};

static kval bound_new(kval self, const KAttr *a) {
    KBoundMethod *b = (KBoundMethod *)k_alloc(a->kind == K_ATTR_STATIC ? &static_function_type : &method_type,
                                              sizeof(KBoundMethod));
    b->f.call = bound_call;
    b->self = k_newref(self);
    b->attr = a;
    return K_VAL(b);
}

static kval opaque(kval o, const KAttr *a) {
    k_raise_fmt(&k_TypeError_type, "attribute '%s' of a '%s' object has a type a dynamic value cannot hold",
                a->name, k_type_of(o)->name);
    return 0;
}

kval k_dyn_getattr(kval o, const char *name) {
    const KAttr *a = k_dyn_find(o, name);
    if (a) {
        if (a->kind == K_ATTR_OPAQUE) return opaque(o, a);
        return a->get ? a->get(o) : bound_new(o, a);
    }
    if (k_isinstance(o, &k_BaseException_type) && name_eq(name, "args"))
        return k_newref(((KException *)o)->args);
    return k_dyn_no_attribute(o, name);
}

int k_dyn_setattr(kval o, const char *name, kval v) {
    const KAttr *a = k_type_of(o)->attrs, *found = 0;
    if (a) {
        for (; a->name; a++)
            if (!found && name_eq(a->name, name)) found = a;
        if (found && found->set) return found->set(o, v);
        if (a->kind == K_ATTR_FROZEN) {
            k_raise_fmt(&k_FrozenInstanceError_type, "cannot assign to field '%s'", name);
            return -1;
        }
    }
    if (!found) {
        k_dyn_no_attribute(o, name);
        return -1;
    }
    switch (found->kind) {
    case K_ATTR_TUPLE_FIELD: k_raise_str(&k_AttributeError_type, "can't set attribute"); break;
    case K_ATTR_PROPERTY:
        k_raise_fmt(&k_AttributeError_type, "property '%s' of '%s' object has no setter", name, k_type_of(o)->name);
        break;
    case K_ATTR_ENUM: k_raise_fmt(&k_AttributeError_type, "<enum 'Enum'> cannot set attribute '%s'", name); break;
    case K_ATTR_OPAQUE: opaque(o, found); break;
    default:
        k_raise_fmt(&k_AttributeError_type, "'%s' object attribute '%s' is read-only", k_type_of(o)->name, name);
    }
    return -1;
}

kval k_dyn_call(kval f, const kval *args, i64 npos, const char *const *kwnames, i64 nkw) {
    const KType *t = k_type_of(f);
    if (t == &method_type || t == &static_function_type) {
        KBoundMethod *b = (KBoundMethod *)f;
        return call_attr(b->self, b->attr, args, npos, kwnames, nkw);
    }
    if (k_is_subtype(t, &k_function_type) || t == &k_type_type)
        /* its parameters' types are not known here: the values would reach typed code unchecked */
        k_raise_fmt(&k_TypeError_type, "a %s held by a dynamic value is called through a Callable type: "
                    "cast(Callable[...], f)(...)", t == &k_type_type ? "class" : "function");
    else
        k_raise_fmt(&k_TypeError_type, "'%s' object is not callable", t->name);
    return 0;
}

kval k_dyn_callmethod(kval o, const char *name, const kval *args, i64 npos, const char *const *kwnames, i64 nkw) {
    const KAttr *a = k_dyn_find(o, name);
    if (a && a->call) return call_attr(o, a, args, npos, kwnames, nkw);
    kval f = k_dyn_getattr(o, name);          /* a field or property holding something to call */
    if (!f) return 0;
    kval r = k_dyn_call(f, args, npos, kwnames, nkw);
    k_decref(f);
    return r;
}

kval k_asdict_checked(kval v) {
    if (!k_type_of(v)->asdict) {
        k_raise_str(&k_TypeError_type, "asdict() should be called on dataclass instances");
        return 0;
    }
    return k_asdict(v);
}
