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

/* Enum(value) and Enum[name]: the member (a new reference), or ValueError "3 is not a
 * valid Color" / KeyError 'BLUE' as CPython's. */
kval k_enum_by_value(const KType *t, kval value);
kval k_enum_by_name(const KType *t, kval name);

/* A dynamic value narrowed to int by isinstance(): bools become 0 and 1 (borrowed). */
static inline kval k_any_int(kval v) {
    return v == k_True ? 3 : v == k_False ? 1 : v;      /* tagged 1 and 0 */
}
