"""random: CPython's Mersenne Twister and random.py's algorithms (kaa/pyrt/random.c).

The module's functions draw from one hidden Random seeded from the platform's entropy;
random.Random(seed) objects have the same methods. Sequence functions are generic:
choice(list[T]) -> T, sample(list[T], k) -> list[T]. A method's type functions see the
receiver (a Random), not the sequence, so Random's choice, sample and choices return
Any (checked where a typed variable receives them) until the lowering offers types that
are functions of an argument.
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.methods import CDOUBLE, I64, MethodSpec, P
from kaa.service.modules import Module, NativeType

RANDOM = T.NativeT("Random", module="random", cname="k_Random_type")
SEED = P("a", T.ANY, "k_None")


def _elem(t: T.Type) -> T.Type:
    return T.iter_elem(t) or T.ANY


def _list_of_elem(t: T.Type) -> T.Type:
    return T.ListT("list", _elem(t))


def _specs(prefix: str, generic: bool) -> dict[str, MethodSpec]:
    """The functions, as module functions (k_randmod_*, typed by their first argument)
    or as Random's methods (k_random_*, whose type functions would see the receiver)."""
    elem = _elem if generic else T.ANY
    listed = _list_of_elem if generic else T.ANY
    seq = P("seq", T.ANY)
    pop = P("population", T.ANY)
    return {
        "seed": MethodSpec(f"{prefix}_seed", [SEED], T.NONE, "status"),
        "random": MethodSpec(f"{prefix}_random", [], T.FLOAT, "double"),
        "getrandbits": MethodSpec(f"{prefix}_getrandbits", [P("k", I64)], T.INT),
        "randbytes": MethodSpec(f"{prefix}_randbytes", [P("n", I64)], T.BYTES),
        "randrange": MethodSpec(f"{prefix}_randrange", [P("start", T.INT), P("stop", T.optional(T.INT), "k_None"),
                                                        P("step", T.INT, "k_int_small(1)")], T.INT),
        "randint": MethodSpec(f"{prefix}_randint", [P("a", T.INT), P("b", T.INT)], T.INT),
        "choice": MethodSpec(f"{prefix}_choice", [seq], elem),
        "shuffle": MethodSpec(f"{prefix}_shuffle", [P("x", T.ANY)], T.NONE, "status"),
        "sample": MethodSpec(f"{prefix}_sample", [pop, P("k", I64)], listed),
        "choices": MethodSpec(f"{prefix}_choices", [pop, P("weights", T.ANY, "k_None"),
                                                    P("cum_weights", T.ANY, "k_None"), P("k", I64, "1")], listed),
        "uniform": MethodSpec(f"{prefix}_uniform", [P("a", CDOUBLE), P("b", CDOUBLE)], T.FLOAT, "double"),
        "triangular": MethodSpec(f"{prefix}_triangular", [P("low", CDOUBLE, "0.0"), P("high", CDOUBLE, "1.0"),
                                                          P("mode", T.optional(T.FLOAT), "k_None")],
                                 T.FLOAT, "double"),
        "gauss": MethodSpec(f"{prefix}_gauss", [P("mu", CDOUBLE, "0.0"), P("sigma", CDOUBLE, "1.0")],
                            T.FLOAT, "double"),
        "normalvariate": MethodSpec(f"{prefix}_normalvariate", [P("mu", CDOUBLE, "0.0"),
                                                                P("sigma", CDOUBLE, "1.0")], T.FLOAT, "double"),
        "expovariate": MethodSpec(f"{prefix}_expovariate", [P("lambd", CDOUBLE)], T.FLOAT, "double"),
    }


FUNCTIONS = _specs("k_randmod", generic=True)
# random.Random(x=None) constructs: the lowering binds a call of a module's type against
# its functions table, so the constructor is listed there under the type's name.
FUNCTIONS["Random"] = MethodSpec("k_random_new", [P("x", T.ANY, "k_None")], RANDOM)

MODULES = [Module(
    "random",
    header="random.h",
    functions=FUNCTIONS,
    types={"Random": NativeType(RANDOM, _specs("k_random", generic=False))},
)]
