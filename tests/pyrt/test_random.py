"""random in the runtime (kaa/pyrt/random.c) against CPython 3.11's random.Random.

For seeds from hypothesis (ints of any size and sign, str, bytes, bytearray, floats) the
runtime's generator must hold CPython's Mersenne Twister state (getstate()) and then
draw the same values: random(), getrandbits, randbytes, randrange/randint (errors
included), choice, shuffle, sample (both of its methods), choices, and the real-valued
distributions. Results cross back as repr() text; each test checks that the runtime
frees what it allocates (k_live).
"""

from __future__ import annotations

import math
import ctypes
import random

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

U64 = ctypes.c_uint64
I64 = ctypes.c_int64
DBL = ctypes.c_double
NONE_KVAL = "k_None_obj"

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ints = st.one_of(st.integers(-2 ** 64, 2 ** 64), st.integers(-2 ** 4000, 2 ** 4000),
                 st.sampled_from([0, 1, -1, 2 ** 32, 2 ** 32 - 1, -2 ** 32, 2 ** 62, 2 ** 63, 2 ** 64 - 1]))
seeds = st.one_of(ints, st.text(max_size=40), st.binary(max_size=100),
                  st.binary(max_size=20).map(bytearray),
                  st.floats(allow_nan=False, allow_infinity=False), st.booleans())


class RT:
    """The runtime library: values across the boundary, outcomes as CPython's."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        self.exc = U64.in_dll(lib, "k_exc")
        self.live = I64.in_dll(lib, "k_live")
        self.none = ctypes.addressof(U64.in_dll(lib, NONE_KVAL))
        self.true = ctypes.addressof(U64.in_dll(lib, "k_True_obj"))
        self.false = ctypes.addressof(U64.in_dll(lib, "k_False_obj"))
        sigs = [("k_dealloc", None, [U64]), ("k_exc_fetch", U64, []), ("k_str", U64, [U64]), ("k_repr", U64, [U64]),
                ("k_str_from_utf8", U64, [ctypes.c_char_p, I64]), ("k_bytes_from", U64, [ctypes.c_char_p, I64]),
                ("k_bytearray_new", U64, [ctypes.c_char_p, I64]), ("k_float_box", U64, [DBL]),
                ("k_int_parse", U64, [ctypes.c_char_p, I64, ctypes.c_int]),
                ("k_list_new", U64, [I64]), ("k_list_append", ctypes.c_int, [U64, U64]),
                ("k_tuple_from_array", U64, [ctypes.POINTER(U64), I64]),
                ("k_range_new_i64", U64, [I64, I64, I64]),
                ("k_random_new", U64, [U64]), ("k_random_seed", ctypes.c_int, [U64, U64]),
                ("k_random_random", DBL, [U64]), ("k_random_getrandbits", U64, [U64, I64]),
                ("k_random_randbytes", U64, [U64, I64]), ("k_random_randrange", U64, [U64, U64, U64, U64]),
                ("k_random_randint", U64, [U64, U64, U64]), ("k_random_choice", U64, [U64, U64]),
                ("k_random_shuffle", ctypes.c_int, [U64, U64]), ("k_random_sample", U64, [U64, U64, I64]),
                ("k_random_choices", U64, [U64, U64, U64, U64, I64]),
                ("k_random_uniform", DBL, [U64, DBL, DBL]), ("k_random_triangular", DBL, [U64, DBL, DBL, U64]),
                ("k_random_gauss", DBL, [U64, DBL, DBL]), ("k_random_normalvariate", DBL, [U64, DBL, DBL]),
                ("k_random_expovariate", DBL, [U64, DBL])]
        for name, res, args in sigs:
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
            setattr(self, name, fn)

    # ---- values across the boundary (new references) ----
    def to_k(self, x: object) -> int:
        if x is None:
            return self.none
        if x is True or x is False:
            return self.true if x else self.false
        if isinstance(x, int):
            text = hex(x).encode()
            return self.k_int_parse(text, len(text), 16)
        if isinstance(x, float):
            return self.k_float_box(x)
        if isinstance(x, str):
            b = x.encode("utf-8", "surrogatepass")
            return self.k_str_from_utf8(b, len(b))
        if isinstance(x, bytes):
            return self.k_bytes_from(x, len(x))
        if isinstance(x, bytearray):
            return self.k_bytearray_new(bytes(x), len(x))
        if isinstance(x, (list, tuple)):
            items = [self.to_k(v) for v in x]
            if isinstance(x, tuple):
                out = self.k_tuple_from_array((U64 * len(items))(*items), len(items))
            else:
                out = self.k_list_new(len(items))
                for v in items:
                    self.k_list_append(out, v)
            for v in items:
                self.decref(v)
            return out
        if isinstance(x, range):
            return self.k_range_new_i64(x.start, x.stop, x.step)
        raise TypeError(x)

    def text(self, s: int) -> str:
        """A runtime str (new reference, consumed) as a Python str."""
        b = ctypes.string_at(s + 40, I64.from_address(s + 16).value).decode()
        self.decref(s)
        return b

    def decref(self, v: int) -> None:
        if v & 1 or not v:
            return
        rc = I64.from_address(v)
        rc.value -= 1
        if rc.value == 0:
            self.k_dealloc(v)

    def take_exc(self) -> tuple:
        e = self.k_exc_fetch()
        assert e, "no exception set"
        tname = ctypes.cast(U64.from_address(U64.from_address(e + 8).value + 16).value, ctypes.c_char_p).value.decode()
        msg = self.text(self.k_str(e))
        self.decref(e)
        return ("raised", tname, msg)

    def obj(self, v: int) -> tuple:
        """A kval result (consumed): ("ok", its repr) or the exception."""
        if not v:
            return self.take_exc()
        r = ("ok", self.text(self.k_repr(v)))
        self.decref(v)
        return r

    def status(self, r: int) -> tuple:
        return self.take_exc() if r < 0 else ("ok", "None")

    def double(self, d: float) -> tuple:
        return self.take_exc() if self.exc.value else ("ok", repr(d))

    def state(self, rng: int) -> tuple[int, ...]:
        """The generator's state as Random.getstate()[1]: 624 words and the index."""
        words = (ctypes.c_uint32 * 625).from_address(rng + 16)
        return tuple(words)


@pytest.fixture(scope="module")
def rt(pyrt: ctypes.CDLL) -> RT:
    return RT(pyrt)


@pytest.fixture(autouse=True)
def no_leaks(rt: RT):
    assert rt.exc.value == 0
    before = rt.live.value
    yield
    assert rt.exc.value == 0
    assert rt.live.value == before, "runtime objects leaked"


def py(fn) -> tuple:
    try:
        return ("ok", repr(fn()))
    except Exception as e:  # noqa: BLE001 - any CPython exception is a comparable outcome
        return ("raised", type(e).__name__, str(e))


class Pair:
    """A CPython Random and a runtime Random seeded alike."""

    def __init__(self, rt: RT, seed: object) -> None:
        self.rt = rt
        self.py = random.Random(seed)
        k = rt.to_k(seed)
        self.k = rt.k_random_new(k)
        rt.decref(k)
        assert self.k, rt.take_exc()

    def close(self) -> None:
        self.rt.decref(self.k)


@pytest.fixture
def pairs(rt: RT):
    made: list[Pair] = []
    yield lambda seed: made.append(Pair(rt, seed)) or made[-1]
    for p in made:
        p.close()


# ---- seeding ----

@SETTINGS
@given(seeds)
def test_seed_state_matches(rt: RT, pairs, seed) -> None:
    p = pairs(seed)
    version, state, gauss = p.py.getstate()
    assert rt.state(p.k) == state
    p.py.seed(seed)         # seed() again: the same state, gauss_next dropped
    assert rt.k_random_seed(p.k, rt.to_k(0)) == 0
    k = rt.to_k(seed)
    assert rt.k_random_seed(p.k, k) == 0
    rt.decref(k)
    assert rt.state(p.k) == p.py.getstate()[1]


def test_seed_rejects_other_types(rt: RT, pairs) -> None:
    p = pairs(1)
    k = rt.to_k((1, 2))
    assert rt.status(rt.k_random_seed(p.k, k)) == py(lambda: random.Random().seed((1, 2)))
    rt.decref(k)


def test_unseeded_generators_differ(rt: RT) -> None:
    a, b = rt.k_random_new(rt.none), rt.k_random_new(rt.none)
    assert rt.state(a) != rt.state(b)
    rt.decref(a)
    rt.decref(b)


# ---- integers and bytes ----

@SETTINGS
@given(seeds, st.integers(1, 2000))
def test_random_sequence(rt: RT, pairs, seed, n: int) -> None:
    p = pairs(seed)
    assert [rt.k_random_random(p.k) for _ in range(n)] == [p.py.random() for _ in range(n)]


@SETTINGS
@given(ints, st.lists(st.integers(-2, 300), max_size=20))
def test_getrandbits_and_randbytes(rt: RT, pairs, seed: int, ks: list[int]) -> None:
    p = pairs(seed)
    for k in ks:
        assert rt.obj(rt.k_random_getrandbits(p.k, k)) == py(lambda: p.py.getrandbits(k))
        assert rt.obj(rt.k_random_randbytes(p.k, k // 3)) == py(lambda: p.py.randbytes(k // 3))


bounds = st.one_of(st.integers(-20, 20), st.integers(-2 ** 70, 2 ** 70), st.integers(-2 ** 200, 2 ** 200))


@SETTINGS
@given(ints, st.lists(st.tuples(bounds, st.one_of(st.none(), bounds), st.one_of(st.just(1), bounds)), max_size=10))
def test_randrange(rt: RT, pairs, seed: int, calls) -> None:
    p = pairs(seed)
    for start, stop, step in calls:
        ks = [rt.to_k(start), rt.to_k(stop), rt.to_k(step)]
        assert rt.obj(rt.k_random_randrange(p.k, *ks)) == py(lambda: p.py.randrange(start, stop, step))
        for k in ks:
            rt.decref(k)


@SETTINGS
@given(ints, st.lists(st.tuples(bounds, bounds), max_size=10))
def test_randint(rt: RT, pairs, seed: int, calls) -> None:
    p = pairs(seed)
    for a, b in calls:
        ka, kb = rt.to_k(a), rt.to_k(b)
        assert rt.obj(rt.k_random_randint(p.k, ka, kb)) == py(lambda: p.py.randint(a, b))
        rt.decref(ka)
        rt.decref(kb)


# ---- sequences ----

populations = st.one_of(st.lists(st.integers(-50, 50), max_size=60), st.text(max_size=30),
                        st.binary(max_size=30), st.tuples(st.integers(), st.text()),
                        st.builds(range, st.integers(0, 10 ** 6)), st.builds(range, st.integers(-30, 30),
                                                                              st.integers(-30, 30),
                                                                              st.sampled_from([1, 2, -1, -3])))


@SETTINGS
@given(seeds, populations)
def test_choice(rt: RT, pairs, seed, population) -> None:
    p = pairs(seed)
    k = rt.to_k(population)
    for _ in range(3):
        assert rt.obj(rt.k_random_choice(p.k, k)) == py(lambda: p.py.choice(population))
    rt.decref(k)


@SETTINGS
@given(seeds, st.lists(st.integers(), max_size=300))
def test_shuffle(rt: RT, pairs, seed, xs: list[int]) -> None:
    p = pairs(seed)
    k = rt.to_k(xs)
    assert rt.status(rt.k_random_shuffle(p.k, k)) == ("ok", "None")
    p.py.shuffle(xs)
    assert rt.obj(k) == ("ok", repr(xs))


def test_shuffle_of_a_tuple_fails_as_cpython(rt: RT, pairs) -> None:
    p = pairs(5)
    for xs in [(), (1,), (1, 2, 3)]:
        k = rt.to_k(xs)
        assert rt.status(rt.k_random_shuffle(p.k, k)) == py(lambda: p.py.shuffle(xs))   # type: ignore[arg-type]
        rt.decref(k)
    assert rt.k_random_random(p.k) == p.py.random()


@SETTINGS
@given(seeds, populations, st.integers(-2, 70))
def test_sample(rt: RT, pairs, seed, population, k: int) -> None:
    p = pairs(seed)
    kp = rt.to_k(population)
    assert rt.obj(rt.k_random_sample(p.k, kp, k)) == py(lambda: p.py.sample(population, k))
    rt.decref(kp)
    assert rt.k_random_random(p.k) == p.py.random()


@FEW
@given(seeds, st.integers(0, 10 ** 9), st.integers(0, 500))
def test_sample_of_large_ranges_uses_the_set_method(rt: RT, pairs, seed, n: int, k: int) -> None:
    p = pairs(seed)
    kp = rt.to_k(range(n))
    assert rt.obj(rt.k_random_sample(p.k, kp, k)) == py(lambda: p.py.sample(range(n), k))
    rt.decref(kp)


def _near_setsize_bounds() -> list[tuple[int, int]]:
    """(n, k) around the population size where sample() switches from a pool to a set."""
    import math
    out = []
    for k in [0, 1, 5, 6, 7, 21, 22, 85, 86, 341, 342]:
        setsize = 21 + (4 ** math.ceil(math.log(k * 3, 4)) if k > 5 else 0)
        out += [(n, k) for n in (setsize - 1, setsize, setsize + 1, setsize + 2) if n >= k]
    return out


@pytest.mark.parametrize("n,k", _near_setsize_bounds())
def test_sample_near_the_method_bound(rt: RT, pairs, n: int, k: int) -> None:
    for seed in range(5):
        p = pairs(seed)
        kp = rt.to_k(list(range(n)))
        assert rt.obj(rt.k_random_sample(p.k, kp, k)) == py(lambda: p.py.sample(list(range(n)), k))
        rt.decref(kp)


def test_sample_rejects_sets_and_dicts(rt: RT, pairs) -> None:
    p = pairs(1)
    assert rt.obj(rt.k_random_sample(p.k, rt.to_k(5), 1)) == py(lambda: p.py.sample(5, 1))   # type: ignore[arg-type]


weights = st.one_of(st.none(), st.lists(st.integers(0, 5), min_size=0, max_size=12),
                    st.lists(st.floats(0, 10), max_size=12), st.lists(st.one_of(st.integers(0, 3), st.floats(0, 3)),
                                                                        max_size=12))


@SETTINGS
@given(seeds, st.lists(st.integers(), max_size=12), weights, st.booleans(), st.integers(-1, 20))
def test_choices(rt: RT, pairs, seed, population, ws, cumulative: bool, k: int) -> None:
    p = pairs(seed)
    kp, kw = rt.to_k(population), rt.to_k(ws)
    args = (rt.none, kw) if cumulative else (kw, rt.none)
    if cumulative:
        expect = py(lambda: p.py.choices(population, cum_weights=ws, k=k))
    else:
        expect = py(lambda: p.py.choices(population, ws, k=k))
    assert rt.obj(rt.k_random_choices(p.k, kp, *args, k)) == expect
    rt.decref(kp)
    rt.decref(kw)


# ---- real-valued distributions ----

reals = st.floats(-1e6, 1e6)


def within_ulp(got: object, want: object) -> bool:
    """Equal, or (both finite floats) one unit in the last place apart."""
    if got == want or not (isinstance(got, tuple) and isinstance(want, tuple)):
        return got == want
    (kg, g), (kw, w) = got, want
    if kg != "ok" or kw != "ok":
        return got == want
    x, y = float(g), float(w)
    return math.isfinite(x) and math.isfinite(y) and abs(x - y) <= math.ulp(y)


@SETTINGS
@given(seeds, reals, reals, st.one_of(st.none(), reals))
def test_distributions(rt: RT, pairs, seed, a: float, b: float, mode) -> None:
    p = pairs(seed)
    km = rt.to_k(mode)
    for _ in range(3):
        assert rt.double(rt.k_random_uniform(p.k, a, b)) == py(lambda: p.py.uniform(a, b))
        assert rt.double(rt.k_random_triangular(p.k, a, b, km)) == py(lambda: p.py.triangular(a, b, mode))
        # these go through log/cos/sin/exp: ours are correctly rounded, glibc's (CPython's) are not
        # always, so the result may differ in its last bit (docs/language.md)
        assert within_ulp(rt.double(rt.k_random_gauss(p.k, a, abs(b))), py(lambda: p.py.gauss(a, abs(b))))
        assert within_ulp(rt.double(rt.k_random_normalvariate(p.k, a, abs(b))),
                          py(lambda: p.py.normalvariate(a, abs(b))))
        assert within_ulp(rt.double(rt.k_random_expovariate(p.k, a)), py(lambda: p.py.expovariate(a)))
    rt.decref(km)
