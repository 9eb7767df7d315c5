"""hashlib, hmac, base64/binascii, uuid and secrets in the runtime (kaa/pyrt/digest.c,
hashlib.c, base64.c, uuid.c, secrets.c) against CPython's modules on random inputs:
data of random lengths across the 64- and 128-byte block boundaries fed in random
update() splits, HMAC keys shorter and longer than a block, PBKDF2 parameters, and
Base64/32/16 text built from each alphabet, its padding and stray characters, so the
lenient and strict decoders' every error path is reached."""

from __future__ import annotations

import base64
import binascii
import ctypes
import hashlib
import hmac
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from .test_str import RT, I64, U64, Raised, outcome, same

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ALGORITHMS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
# lengths near the block boundaries (55/56 and 111/112: where the length field no longer fits)
edge_len = st.sampled_from([0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 191, 192, 255, 256])
data = st.one_of(st.binary(max_size=300), edge_len.flatmap(lambda n: st.binary(min_size=n, max_size=n)))


class HashRT(RT):
    """RT that also reads back big ints (UUIDs' 128-bit values)."""

    def py(self, v: int):
        if not v & 1 and self.type_name.get(U64.from_address(v + 8).value) == "int":
            s = self.fn("k_int_repr", U64, [U64])(v)
            out = int(super().py(s))
            self.decref(s)
            return out
        return super().py(v)


@pytest.fixture(scope="module")
def rt(pyrt):
    return HashRT(pyrt)


def new_obj(rt: RT, name: str, args) -> int:
    """Calls a runtime function returning a native object: the object (owned), or Raised."""
    owned = [rt.kval(a) if not isinstance(a, (ctypes.c_int64, ctypes.c_bool, ctypes.c_uint64)) else None for a in args]
    cargs = [a if k is None else k for a, k in zip(args, owned)]
    types = [type(a) if k is None else U64 for a, k in zip(args, owned)]
    r = rt.fn(name, U64, types)(*cargs)
    for k in owned:
        if k is not None:
            rt.decref(k)
    if rt.exc.value:
        assert r == 0
        raise Raised(*rt.take_exception())
    assert r != 0
    return r


def splits(b: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(b) + 1) for c in cuts})
    return [b[i:j] for i, j in zip([0] + points, points + [len(b)])]


def obj(k: int) -> ctypes.c_uint64:
    """A kval the test owns, passed without conversion."""
    return ctypes.c_uint64(k)


# ---- hashlib ----

@SETTINGS
@given(name=st.sampled_from(ALGORITHMS), b=data, cuts=st.lists(st.integers(0, 400), max_size=5),
       as_bytearray=st.booleans())
def test_hash_updates(rt, name, b, cuts, as_bytearray):
    before = rt.live.value
    parts = splits(b, cuts)
    h = new_obj(rt, "k_hashlib_new", [name, parts[0], ctypes.c_bool(True)])
    ref = hashlib.new(name, parts[0])
    for p in parts[1:]:
        assert rt.call("k_hash_update", [obj(h), bytearray(p) if as_bytearray else p], ctypes.c_int) == 0
        ref.update(p)
        assert rt.call("k_hash_hexdigest", [obj(h)]) == ref.hexdigest()     # reading does not end the hash
    c = new_obj(rt, "k_hash_copy", [obj(h)])
    rt.call("k_hash_update", [obj(c), b"more"], ctypes.c_int)
    assert rt.call("k_hash_digest", [obj(h)]) == ref.digest()
    ref.update(b"more")
    assert rt.call("k_hash_digest", [obj(c)]) == ref.digest()
    assert rt.call("k_hash_name", [obj(h)]) == ref.name
    assert rt.call("k_hash_digest_size", [obj(h)], I64) == ref.digest_size
    assert rt.call("k_hash_block_size", [obj(h)], I64) == ref.block_size
    rt.decref(h)
    rt.decref(c)
    assert rt.live.value == before


@SETTINGS
@given(name=st.sampled_from(ALGORITHMS), b=data)
def test_constructors(rt, name, b):
    h = new_obj(rt, f"k_hashlib_{name}", [b, ctypes.c_bool(True)])
    assert rt.call("k_hash_hexdigest", [obj(h)]) == getattr(hashlib, name)(b).hexdigest()
    rt.decref(h)


def test_million_a(rt):
    """FIPS 180's long message, in uneven pieces."""
    for name in ALGORITHMS:
        h = new_obj(rt, "k_hashlib_new", [name, b"", ctypes.c_bool(True)])
        for size in (1, 999, 64 * 1000 - 1000, 1000000 - 64000):
            rt.call("k_hash_update", [obj(h), b"a" * size], ctypes.c_int)
        assert rt.call("k_hash_hexdigest", [obj(h)]) == hashlib.new(name, b"a" * 1000000).hexdigest()
        rt.decref(h)


@pytest.mark.parametrize("name", ["sha256", "SHA256", "Sha-256", "sha2-256", "SHA2-512", "sha-1", "SHA1", "MD5",
                                  "sha2-1", "md-5", "sha_256", "sha256 ", "", "nope", "sha-", "sha2-"])
def test_names(rt, name):
    def runtime():
        h = new_obj(rt, "k_hashlib_new", [name, b"", ctypes.c_bool(True)])
        n = rt.call("k_hash_name", [obj(h)])
        rt.decref(h)
        return n
    same(rt, lambda: hashlib.new(name).name, runtime)


@pytest.mark.parametrize("bad", ["abc", 5, None, 1.5])
def test_data_type_errors(rt, bad):
    same(rt, lambda: hashlib.sha256(bad), lambda: new_obj(rt, "k_hashlib_sha256", [bad, ctypes.c_bool(True)]))
    h = new_obj(rt, "k_hashlib_new", ["md5", b"", ctypes.c_bool(True)])
    same(rt, lambda: hashlib.md5().update(bad), lambda: rt.call("k_hash_update", [obj(h), bad], ctypes.c_int, -1))
    rt.decref(h)


def test_repr(rt):
    h = new_obj(rt, "k_hashlib_new", ["sha384", b"", ctypes.c_bool(True)])
    r = rt.str_of(h)
    assert rt.py(r).startswith("<sha384 _hashlib.HASH object")
    rt.decref(r)
    rt.decref(h)


# ---- hmac ----

keys = st.one_of(st.binary(max_size=200), edge_len.flatmap(lambda n: st.binary(min_size=n, max_size=n)))


@SETTINGS
@given(name=st.sampled_from(ALGORITHMS), key=keys, msg=st.one_of(st.none(), data),
       more=st.lists(st.binary(max_size=150), max_size=3), key_bytearray=st.booleans())
def test_hmac(rt, name, key, msg, more, key_bytearray):
    before = rt.live.value
    k = bytearray(key) if key_bytearray else key
    h = new_obj(rt, "k_hmac_new", [k, msg, name])
    ref = hmac.new(k, msg, name)
    for m in more:
        rt.call("k_hmac_update", [obj(h), m], ctypes.c_int)
        ref.update(m)
    c = new_obj(rt, "k_hmac_copy", [obj(h)])
    rt.call("k_hmac_update", [obj(c), b"x"], ctypes.c_int)
    assert rt.call("k_hmac_hexdigest", [obj(h)]) == ref.hexdigest()
    assert rt.call("k_hmac_digest", [obj(h)]) == ref.digest()
    ref.update(b"x")
    assert rt.call("k_hmac_digest", [obj(c)]) == ref.digest()
    assert rt.call("k_hmac_name", [obj(h)]) == ref.name
    assert rt.call("k_hmac_digest_size", [obj(h)], I64) == ref.digest_size
    assert rt.call("k_hmac_block_size", [obj(h)], I64) == ref.block_size
    rt.decref(h)
    rt.decref(c)
    assert rt.live.value == before
    whole = (msg or b"") + b"".join(more)
    same(rt, lambda: hmac.digest(key, whole, name), lambda: rt.call("k_hmac_digest_once", [key, whole, name]))


def test_hmac_constructor_as_digestmod(rt):
    f = ctypes.addressof(U64.in_dll(rt.lib, "k_hashlib_sha512_func"))
    h = new_obj(rt, "k_hmac_new", [b"key", b"msg", obj(f)])
    assert rt.call("k_hmac_hexdigest", [obj(h)]) == hmac.new(b"key", b"msg", hashlib.sha512).hexdigest()
    rt.decref(h)


@pytest.mark.parametrize("key,msg,digestmod", [
    ("k", b"m", "sha256"), (b"k", "m", "sha256"), (b"k", 5, "sha256"), (5, b"m", "sha256"),
    (b"k", b"m", None), (b"k", b"m", ""), (b"k", b"m", "nope"), (b"k", None, "SHA-256"),
])
def test_hmac_errors(rt, key, msg, digestmod):
    def runtime():
        h = new_obj(rt, "k_hmac_new", [key, msg, digestmod])
        d = rt.call("k_hmac_digest", [obj(h)])
        rt.decref(h)
        return d
    same(rt, lambda: hmac.new(key, msg, digestmod).digest(), runtime)
    if msg is not None and digestmod:
        same(rt, lambda: hmac.digest(key, msg, digestmod), lambda: rt.call("k_hmac_digest_once", [key, msg, digestmod]))


text_or_bytes = st.one_of(st.binary(max_size=8), st.text(alphabet="ab\xe9", max_size=8),
                          st.binary(max_size=8).map(bytearray), st.sampled_from([1, None]))


@SETTINGS
@given(a=text_or_bytes, b=text_or_bytes)
def test_compare_digest(rt, a, b):
    same(rt, lambda: hmac.compare_digest(a, b), lambda: bool(rt.call("k_hmac_compare_digest", [a, b], ctypes.c_int, -1)))
    same(rt, lambda: hmac.compare_digest(a, a), lambda: bool(rt.call("k_hmac_compare_digest", [a, a], ctypes.c_int, -1)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(ALGORITHMS), password=keys, salt=st.binary(max_size=80), iterations=st.integers(-1, 40),
       dklen=st.one_of(st.none(), st.integers(-1, 150)))
def test_pbkdf2(rt, name, password, salt, iterations, dklen):
    same(rt, lambda: hashlib.pbkdf2_hmac(name, password, salt, iterations, dklen),
         lambda: rt.call("k_hashlib_pbkdf2_hmac", [name, password, salt, ctypes.c_int64(iterations), dklen]))


def test_pbkdf2_errors(rt):
    for args in [("sha1", "pw", b"s", 1, None), ("sha1", b"pw", "s", 1, None), ("sha1", b"pw", b"s", 2 ** 31, None),
                 ("sha1", b"pw", b"s", 1, 2 ** 31), ("sha1", b"pw", b"s", 1, 2 ** 64)]:
        n, p, s, i, d = args
        same(rt, lambda: hashlib.pbkdf2_hmac(n, p, s, i, d),
             lambda: rt.call("k_hashlib_pbkdf2_hmac", [n, p, s, ctypes.c_int64(i), d]))


# ---- base64 and binascii ----

def b64_text(alphabet: str):
    """Text mostly from the alphabet, with '=' runs and stray characters."""
    piece = st.one_of(st.text(alphabet=alphabet, min_size=1, max_size=12), st.sampled_from(["=", "==", "===", " ", "\n", "*", "-_"]))
    return st.lists(piece, max_size=6).map("".join)


B64_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
B32_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B32HEX_ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUV"


@SETTINGS
@given(b=data)
def test_encoders(rt, b):
    for f, cf in [(base64.b64encode, "k_base64_b64encode"), (base64.urlsafe_b64encode, "k_base64_urlsafe_b64encode"),
                  (base64.standard_b64encode, "k_base64_standard_b64encode"), (base64.b32encode, "k_base64_b32encode"),
                  (base64.b32hexencode, "k_base64_b32hexencode"), (base64.b16encode, "k_base64_b16encode"),
                  (base64.encodebytes, "k_base64_encodebytes"), (binascii.hexlify, "k_binascii_hexlify")]:
        extra = [None] if cf == "k_base64_b64encode" else []
        same(rt, lambda: f(b), lambda: rt.call(cf, [b] + extra))
        same(rt, lambda: f(bytearray(b)), lambda: rt.call(cf, [bytearray(b)] + extra))
    for newline in (False, True):
        same(rt, lambda: binascii.b2a_base64(b, newline=newline),
             lambda: rt.call("k_binascii_b2a_base64", [b, ctypes.c_bool(newline)]))
    same(rt, lambda: base64.b64encode(b, b"-_"), lambda: rt.call("k_base64_b64encode", [b, b"-_"]))


@SETTINGS
@given(s=st.one_of(b64_text(B64_ALPHA), st.binary(max_size=60).map(lambda b: base64.b64encode(b).decode())),
       validate=st.booleans(), as_bytes=st.booleans())
def test_b64decode(rt, s, validate, as_bytes):
    x = s.encode() if as_bytes else s
    same(rt, lambda: base64.b64decode(x, validate=validate), lambda: rt.call("k_base64_b64decode", [x, None, ctypes.c_bool(validate)]))
    same(rt, lambda: binascii.a2b_base64(x, strict_mode=validate),
         lambda: rt.call("k_binascii_a2b_base64", [x, ctypes.c_bool(validate)]))
    same(rt, lambda: base64.urlsafe_b64decode(x), lambda: rt.call("k_base64_urlsafe_b64decode", [x]))
    same(rt, lambda: base64.standard_b64decode(x), lambda: rt.call("k_base64_standard_b64decode", [x]))
    same(rt, lambda: base64.b64decode(x, b"*-"), lambda: rt.call("k_base64_b64decode", [x, b"*-", ctypes.c_bool(False)]))
    same(rt, lambda: base64.decodebytes(x), lambda: rt.call("k_base64_decodebytes", [x]))


@SETTINGS
@given(s=st.one_of(b64_text(B32_ALPHA + "01lo"), b64_text(B32HEX_ALPHA + "wxyz"),
                   st.binary(max_size=30).map(lambda b: base64.b32encode(b).decode())),
       casefold=st.booleans(), map01=st.sampled_from([None, "L", "I", b"="]))
def test_b32decode(rt, s, casefold, map01):
    same(rt, lambda: base64.b32decode(s, casefold, map01),
         lambda: rt.call("k_base64_b32decode", [s, ctypes.c_bool(casefold), map01]))
    same(rt, lambda: base64.b32hexdecode(s, casefold),
         lambda: rt.call("k_base64_b32hexdecode", [s, ctypes.c_bool(casefold)]))


@SETTINGS
@given(s=st.one_of(st.text(alphabet="0123456789abcdefABCDEFgG ", max_size=12), st.binary(max_size=12).map(lambda b: b.hex())),
       casefold=st.booleans())
def test_b16decode(rt, s, casefold):
    same(rt, lambda: base64.b16decode(s, casefold), lambda: rt.call("k_base64_b16decode", [s, ctypes.c_bool(casefold)]))
    same(rt, lambda: binascii.unhexlify(s), lambda: rt.call("k_binascii_unhexlify", [s]))


@pytest.mark.parametrize("call", [
    lambda rt: ("b64encode", lambda: base64.b64encode("abc"), lambda: rt.call("k_base64_b64encode", ["abc", None])),
    lambda rt: ("altchars", lambda: base64.b64encode(b"a", b"-_x"), lambda: rt.call("k_base64_b64encode", [b"a", b"-_x"])),
    lambda rt: ("altchars str", lambda: base64.b64encode(b"a", "-_"), lambda: rt.call("k_base64_b64encode", [b"a", "-_"])),
    lambda rt: ("decode altchars", lambda: base64.b64decode(b"a", "abc"),
                lambda: rt.call("k_base64_b64decode", [b"a", "abc", ctypes.c_bool(False)])),
    lambda rt: ("non-ascii", lambda: base64.b64decode("\xe9"), lambda: rt.call("k_base64_b64decode", ["\xe9", None, ctypes.c_bool(False)])),
    lambda rt: ("int", lambda: base64.b64decode(1), lambda: rt.call("k_base64_b64decode", [1, None, ctypes.c_bool(False)])),
    lambda rt: ("a2b int", lambda: binascii.a2b_base64(1), lambda: rt.call("k_binascii_a2b_base64", [1, ctypes.c_bool(False)])),
    lambda rt: ("b32 str", lambda: base64.b32encode("a"), lambda: rt.call("k_base64_b32encode", ["a"])),
    lambda rt: ("b16 str", lambda: base64.b16encode("a"), lambda: rt.call("k_base64_b16encode", ["a"])),
    lambda rt: ("map01", lambda: base64.b32decode("MZXW6YQ=", map01="LL"),
                lambda: rt.call("k_base64_b32decode", ["MZXW6YQ=", ctypes.c_bool(False), "LL"])),
    lambda rt: ("encodebytes", lambda: base64.encodebytes("x"), lambda: rt.call("k_base64_encodebytes", ["x"])),
])
def test_codec_errors(rt, call):
    _, cpython, runtime = call(rt)
    same(rt, cpython, runtime)


def test_binascii_error_is_value_error(rt):
    with pytest.raises(Raised) as e:
        rt.call("k_base64_b64decode", ["YQ", None, ctypes.c_bool(False)])
    assert e.value.args == ("Error", "Incorrect padding")
    err = ctypes.addressof(U64.in_dll(rt.lib, "k_binascii_Error_type"))
    val = ctypes.addressof(U64.in_dll(rt.lib, "k_ValueError_type"))
    assert U64.from_address(err + 32).value == val          # KType.base
    assert ctypes.string_at(U64.from_address(err + 24).value) == b"binascii"


# ---- uuid ----

def uuid_facts(rt: RT, u: int):
    """What CPython's UUID attributes would say, read through the runtime's functions."""
    out = {a: rt.call(f"k_uuid_{a}", [obj(u)]) for a in ("hex", "int", "bytes", "bytes_le", "urn", "version", "variant")}
    s = rt.str_of(u)
    out["str"] = rt.py(s)
    rt.decref(s)
    r = rt.fn("k_repr", U64, [U64])(u)
    out["repr"] = rt.py(r)
    rt.decref(r)
    return out


def cpython_facts(u: uuid.UUID):
    return {"hex": u.hex, "int": u.int, "bytes": u.bytes, "bytes_le": u.bytes_le, "urn": u.urn, "version": u.version,
            "variant": u.variant, "str": str(u), "repr": repr(u)}


def make_uuid(rt: RT, hex=None, bytes_=None, bytes_le=None, int_=None, version=None):
    u = new_obj(rt, "k_uuid_UUID", [hex, bytes_, bytes_le, int_, version])
    facts = uuid_facts(rt, u)
    rt.decref(u)
    return facts


uuid_text = st.one_of(
    st.integers(0, 2 ** 128 - 1).map(lambda i: str(uuid.UUID(int=i))),
    st.integers(0, 2 ** 128 - 1).map(lambda i: "{" + uuid.UUID(int=i).hex.upper() + "}"),
    st.integers(0, 2 ** 128 - 1).map(lambda i: "urn:uuid:" + str(uuid.UUID(int=i))),
    st.text(alphabet="0123456789abcdefABG-{}_ +x", max_size=40),
    st.lists(st.sampled_from(["urn:", "uuid:", "u", "rn:", "-", "{", "}", "0123456789abcdef", "12345678", "\uff11"]),
             max_size=8).map("".join),
)


@SETTINGS
@given(s=uuid_text, version=st.one_of(st.none(), st.integers(0, 6)))
def test_uuid_from_hex(rt, s, version):
    same(rt, lambda: cpython_facts(uuid.UUID(s, version=version)), lambda: make_uuid(rt, hex=s, version=version))


@SETTINGS
@given(i=st.one_of(st.integers(-5, 2 ** 128 + 5), st.integers(2 ** 128 - 5, 2 ** 128 + 5)), b=st.binary(min_size=15, max_size=17),
       version=st.one_of(st.none(), st.integers(0, 6)))
def test_uuid_from_int_and_bytes(rt, i, b, version):
    same(rt, lambda: cpython_facts(uuid.UUID(int=i, version=version)), lambda: make_uuid(rt, int_=i, version=version))
    same(rt, lambda: cpython_facts(uuid.UUID(bytes=b, version=version)), lambda: make_uuid(rt, bytes_=b, version=version))
    same(rt, lambda: cpython_facts(uuid.UUID(bytes_le=b)), lambda: make_uuid(rt, bytes_le=b))
    same(rt, lambda: cpython_facts(uuid.UUID(bytes=bytearray(b))), lambda: make_uuid(rt, bytes_=bytearray(b)))


def test_uuid_argument_count(rt):
    same(rt, lambda: uuid.UUID(), lambda: make_uuid(rt))
    same(rt, lambda: uuid.UUID("0" * 32, int=1), lambda: make_uuid(rt, hex="0" * 32, int_=1))


@SETTINGS
@given(name=st.text(max_size=30), ns=st.sampled_from(["DNS", "URL", "OID", "X500"]))
def test_uuid3_uuid5(rt, name, ns):
    nsk = ctypes.addressof(U64.in_dll(rt.lib, f"k_uuid_NAMESPACE_{ns}"))
    cns = getattr(uuid, f"NAMESPACE_{ns}")
    assert uuid_facts(rt, nsk) == cpython_facts(cns)
    for fn, cfn in (("k_uuid_uuid3", uuid.uuid3), ("k_uuid_uuid5", uuid.uuid5)):
        u = new_obj(rt, fn, [obj(nsk), name])
        assert uuid_facts(rt, u) == cpython_facts(cfn(cns, name))
        rt.decref(u)


@SETTINGS
@given(a=st.integers(0, 2 ** 128 - 1), b=st.integers(0, 2 ** 128 - 1))
def test_uuid_compare_and_hash(rt, a, b):
    ua, ub = new_obj(rt, "k_uuid_UUID", [None, None, None, a, None]), new_obj(rt, "k_uuid_UUID", [None, None, None, b, None])
    for op, expect in enumerate([a < b, a <= b, a == b, a != b, a > b, a >= b]):
        assert rt.fn("k_richcmp", ctypes.c_int, [U64, U64, ctypes.c_int])(ua, ub, op) == expect
    assert rt.fn("k_hash", I64, [U64])(ua) == hash(uuid.UUID(int=a))
    rt.decref(ua)
    rt.decref(ub)


def test_uuid4(rt):
    seen = set()
    for _ in range(200):
        u = new_obj(rt, "k_uuid_uuid4", [])
        f = uuid_facts(rt, u)
        rt.decref(u)
        assert f["version"] == 4 and f["variant"] == uuid.RFC_4122
        seen.add(f["int"])
    assert len(seen) == 200


# ---- secrets ----

def test_secrets(rt):
    assert len(rt.call("k_secrets_token_bytes", [None])) == 32
    assert rt.call("k_secrets_token_bytes", [0]) == b""
    for n in (0, 1, 2, 3, 16, 33):
        h = rt.call("k_secrets_token_hex", [n])
        assert len(h) == 2 * n and set(h) <= set("0123456789abcdef")
        u = rt.call("k_secrets_token_urlsafe", [n])
        assert u == base64.urlsafe_b64encode(base64.urlsafe_b64decode(u + "==")).decode().rstrip("=")
        assert len(base64.urlsafe_b64decode(u + "==")) == n
    import secrets
    for bad in (-1, 2 ** 70):
        same(rt, lambda: secrets.token_bytes(bad), lambda: rt.call("k_secrets_token_bytes", [bad]))
    for bound in (1, 2, 3, 7, 2 ** 31, 2 ** 64 + 1, 10 ** 30):
        for _ in range(20):
            assert 0 <= rt.call("k_secrets_randbelow", [bound]) < bound
    for bad in (0, -5):
        same(rt, lambda: secrets.randbelow(bad), lambda: rt.call("k_secrets_randbelow", [bad]))
    for k in (0, 1, 5, 32, 33, 64, 100):
        assert 0 <= rt.call("k_secrets_randbits", [ctypes.c_int64(k)]) < 2 ** k
    same(rt, lambda: secrets.randbits(-1), lambda: rt.call("k_secrets_randbits", [ctypes.c_int64(-1)]))
    assert {rt.call("k_secrets_randbelow", [2]) for _ in range(100)} == {0, 1}
    for seq in ([1, 2, 3], (4, 5), "xyz\xe9", b"ab", bytearray(b"cd")):
        assert rt.call("k_secrets_choice", [seq]) in seq
    same(rt, lambda: secrets.choice([]), lambda: rt.call("k_secrets_choice", [[]]))
