/* Values of static type typing.Any (or object): operations dispatched on the run-time
 * type, and the checks that turn one back into a typed value.
 *
 * A dynamic value is an ordinary kval (floats boxed, bools k_True/k_False). The checks
 * raise mypyc's TypeError ("int object expected; got str"): CPython never checks an
 * annotation, a compiled program must, as its typed code relies on the representation. */
#pragma once
#include "object.h"

/* Binary operators, numbered for k_dyn_binop. */
enum { K_ADD, K_SUB, K_MUL, K_TRUEDIV, K_FLOORDIV, K_MOD, K_POW, K_LSHIFT, K_RSHIFT, K_AND, K_OR, K_XOR };
/* Unary operators. */
enum { K_NEG, K_POS, K_INVERT };

kval k_dyn_binop(kval a, kval b, int op);          /* a op b: new ref or 0 (TypeError as CPython's) */
kval k_dyn_unary(kval a, int op);
kval k_dyn_getitem(kval o, kval key);              /* o[key]: new ref or 0 */
int k_dyn_setitem(kval o, kval key, kval v);       /* o[key] = v: 0 / -1 */
int k_dyn_delitem(kval o, kval key);               /* del o[key]: 0 / -1 */

/* v as a t (a subclass instance too), borrowed; 0 with TypeError "NAME object expected;
 * got TYPE" when it is not. none_ok: None passes as well (Optional[...]). */
kval k_expect(kval v, const KType *t, const char *name, bool none_ok);
kval k_expect_int(kval v);                         /* an int (a bool as 0 or 1), borrowed */
bool k_expect_double(kval v, double *out);         /* a float, or an int converted; false raised */
kval k_expect_float_box(kval v, bool none_ok);     /* a new KFloat (from an int too), None, or 0 */

/* dataclasses.asdict's conversion of a value: dataclass instances to dicts (their
 * asdict slot), lists, tuples and dicts copied with their items converted, anything else
 * itself. A new reference, or 0. */
kval k_asdict(kval v);
kval k_asdict_checked(kval v);          /* asdict() of an Any: TypeError unless a dataclass instance */

/* Enum(value) and Enum[name]: the member (a new reference), or ValueError "3 is not a
 * valid Color" / KeyError 'BLUE' as CPython's. */
kval k_enum_by_value(const KType *t, kval value);
kval k_enum_by_name(const KType *t, kval name);

/* A dynamic value narrowed to int by isinstance(): bools become 0 and 1 (borrowed). */
static inline kval k_any_int(kval v) {
    return v == k_True ? 3 : v == k_False ? 1 : v;      /* tagged 1 and 0 */
}

/* ---- attributes of instances of the program's classes ----
 *
 * Each compiled class's KType.attrs lists every attribute an instance has (inherited
 * ones included, each with the implementation of that class: a lookup in the run-time
 * class's table is virtual dispatch), ended by an entry whose name is NULL and whose
 * kind says how the class refuses new attributes (K_ATTR_FROZEN for a frozen
 * dataclass). Instances behave as CPython's instances of classes with __slots__: no
 * attribute can be added. */
enum {
    K_ATTR_FIELD,           /* get (a field: boxed) and, unless read-only, set */
    K_ATTR_PROPERTY,        /* get calls the property; set its setter (NULL: none) */
    K_ATTR_CONSTANT,        /* a class-level name, read-only through an instance */
    K_ATTR_METHOD,          /* call (self first); read, a bound method */
    K_ATTR_STATIC,          /* call (no self): a staticmethod */
    K_ATTR_FROZEN,          /* a field of a frozen dataclass (and its table's end) */
    K_ATTR_TUPLE_FIELD,     /* a NamedTuple's field */
    K_ATTR_ENUM,            /* an enum member's name and value */
    K_ATTR_OPAQUE,          /* a field whose type no dynamic value holds (get and set raise TypeError) */
};

struct KAttr {
    const char *name;
    u8 kind;
    kval (*get)(kval self);                             /* new reference, or 0 raised */
    int (*set)(kval self, kval v);                      /* v converted to the field's type: 0 / -1 */
    /* Methods: args holds one value per parameter, in order, 0 where the parameter's
     * default applies; values are checked against the parameter types in the entry. */
    kval (*call)(kval self, const kval *args, i64 n);
    const char *qualname;                               /* "Point.move", for messages */
    const char *const *params;                          /* parameter names (self not included) */
    u64 required;                                       /* bit i: parameter i has no default */
    u16 nparams, npositional;                           /* keyword-only parameters follow the positional ones */
};

kval k_dyn_getattr(kval o, const char *name);          /* o.name: new ref, or 0 (AttributeError) */
int k_dyn_setattr(kval o, const char *name, kval v);   /* o.name = v: 0 / -1 */
/* o.name(args): npos positional values, then nkw values for the keywords kwnames; the
 * result as a new reference, or 0. */
kval k_dyn_callmethod(kval o, const char *name, const kval *args, i64 npos, const char *const *kwnames, i64 nkw);
/* f(args) for a dynamic f: a bound method (its arguments checked as above); other
 * callables raise TypeError (their parameter types are not known at run time). */
kval k_dyn_call(kval f, const kval *args, i64 npos, const char *const *kwnames, i64 nkw);
const KAttr *k_dyn_find(kval o, const char *name);    /* o's class's attribute, or NULL (nothing raised) */
kval k_dyn_no_attribute(kval o, const char *name);    /* raises CPython's AttributeError; 0 */
extern const KType k_FrozenInstanceError_type;     /* dataclasses.FrozenInstanceError (an AttributeError) */
