"""hashlib, hmac, base64 (with the binascii under it), uuid and secrets: runtime in
kaa/pyrt/digest.c, hashlib.c, base64.c and uuid.c.

Arguments CPython takes as "bytes-like" are typed ANY (object): the runtime accepts
bytes and bytearray and raises CPython's TypeError for anything else. hashlib's
constructors are also constants (KFunc objects), so `hmac.new(key, msg, hashlib.sha256)`
passes the function as a value.
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.declare import BUILTIN_CLASSES
from kaa.service.methods import CBOOL, I64, MethodSpec, P
from kaa.service.modules import Module, NativeType, exception_class

ANY = T.OBJECT
OPT = T.optional(ANY)
DATA = [P("string", ANY, "0"), P("usedforsecurity", CBOOL, "1")]

# ---- hashlib ----

HASH = T.NativeT("_Hash", module="hashlib", cname="k_hashlib_HASH_type")
HASH_METHODS = {
    "update": MethodSpec("k_hash_update", [P("data", ANY)], T.NONE, "status"),
    "digest": MethodSpec("k_hash_digest", [], T.BYTES),
    "hexdigest": MethodSpec("k_hash_hexdigest", [], T.STR),
    "copy": MethodSpec("k_hash_copy", [], HASH),
}
# Read-only attributes: C functions of the object
HASH_ATTRIBUTES = {
    "name": MethodSpec("k_hash_name", [], T.STR),
    "digest_size": MethodSpec("k_hash_digest_size", [], T.INT, "i64"),
    "block_size": MethodSpec("k_hash_block_size", [], T.INT, "i64"),
}
ALGORITHMS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
CONSTRUCTOR_TYPE = T.CallableT("Callable", (), HASH)

HASHLIB = Module(
    "hashlib", header="hashlib.h",
    functions={
        **{name: MethodSpec(f"k_hashlib_{name}", DATA, HASH) for name in ALGORITHMS},
        "new": MethodSpec("k_hashlib_new", [P("name", T.STR), P("data", ANY, "0"), DATA[1]], HASH),
        "pbkdf2_hmac": MethodSpec("k_hashlib_pbkdf2_hmac", [P("hash_name", T.STR), P("password", ANY), P("salt", ANY),
                                                            P("iterations", I64), P("dklen", T.optional(T.INT), "k_None")],
                                  T.BYTES),
    },
    constants={name: (f"K_VAL(&k_hashlib_{name}_func)", CONSTRUCTOR_TYPE) for name in ALGORITHMS},
    types={"_Hash": NativeType(HASH, HASH_METHODS, HASH_ATTRIBUTES)},
)

# ---- hmac ----

HMAC = T.NativeT("HMAC", module="hmac", cname="k_hmac_HMAC_type")
HMAC_METHODS = {
    "update": MethodSpec("k_hmac_update", [P("msg", ANY)], T.NONE, "status"),
    "digest": MethodSpec("k_hmac_digest", [], T.BYTES),
    "hexdigest": MethodSpec("k_hmac_hexdigest", [], T.STR),
    "copy": MethodSpec("k_hmac_copy", [], HMAC),
}
HMAC_ATTRIBUTES = {
    "name": MethodSpec("k_hmac_name", [], T.STR),
    "digest_size": MethodSpec("k_hmac_digest_size", [], T.INT, "i64"),
    "block_size": MethodSpec("k_hmac_block_size", [], T.INT, "i64"),
}
HMAC_NEW = MethodSpec("k_hmac_new", [P("key", ANY), P("msg", OPT, "k_None"), P("digestmod", ANY, "k_None")], HMAC)
COMPARE_DIGEST = MethodSpec("k_hmac_compare_digest", [P("a", ANY), P("b", ANY)], T.BOOL, "tri")

HMAC_MODULE = Module(
    "hmac", header="hashlib.h",
    functions={
        "new": HMAC_NEW,
        "HMAC": HMAC_NEW,
        "digest": MethodSpec("k_hmac_digest_once", [P("key", ANY), P("msg", ANY), P("digest", ANY)], T.BYTES),
        "compare_digest": COMPARE_DIGEST,
    },
    types={"HMAC": NativeType(HMAC, HMAC_METHODS, HMAC_ATTRIBUTES)},
)

# ---- binascii and base64 ----

BINASCII_ERROR = exception_class("Error", "binascii", BUILTIN_CLASSES["ValueError"], "k_binascii_Error_type")

BINASCII = Module(
    "binascii", header="base64.h",
    functions={
        "b2a_base64": MethodSpec("k_binascii_b2a_base64", [P("data", ANY), P("newline", CBOOL, "1")], T.BYTES),
        "a2b_base64": MethodSpec("k_binascii_a2b_base64", [P("data", ANY), P("strict_mode", CBOOL, "0")], T.BYTES),
        "hexlify": MethodSpec("k_binascii_hexlify", [P("data", ANY)], T.BYTES),
        "b2a_hex": MethodSpec("k_binascii_hexlify", [P("data", ANY)], T.BYTES),
        "unhexlify": MethodSpec("k_binascii_unhexlify", [P("hexstr", ANY)], T.BYTES),
        "a2b_hex": MethodSpec("k_binascii_unhexlify", [P("hexstr", ANY)], T.BYTES),
    },
    exceptions={"Error": BINASCII_ERROR},
)


def _codec(cfunc: str, *extra: P) -> MethodSpec:
    return MethodSpec(cfunc, [P("s", ANY), *extra], T.BYTES)


CASEFOLD = P("casefold", CBOOL, "0")

BASE64 = Module(
    "base64", header="base64.h",
    functions={
        "b64encode": _codec("k_base64_b64encode", P("altchars", OPT, "k_None")),
        "b64decode": _codec("k_base64_b64decode", P("altchars", OPT, "k_None"), P("validate", CBOOL, "0")),
        "standard_b64encode": _codec("k_base64_standard_b64encode"),
        "standard_b64decode": _codec("k_base64_standard_b64decode"),
        "urlsafe_b64encode": _codec("k_base64_urlsafe_b64encode"),
        "urlsafe_b64decode": _codec("k_base64_urlsafe_b64decode"),
        "b32encode": _codec("k_base64_b32encode"),
        "b32decode": _codec("k_base64_b32decode", CASEFOLD, P("map01", OPT, "k_None")),
        "b32hexencode": _codec("k_base64_b32hexencode"),
        "b32hexdecode": _codec("k_base64_b32hexdecode", CASEFOLD),
        "b16encode": _codec("k_base64_b16encode"),
        "b16decode": _codec("k_base64_b16decode", CASEFOLD),
        "encodebytes": _codec("k_base64_encodebytes"),
        "decodebytes": _codec("k_base64_decodebytes"),
    },
)

# ---- uuid ----

UUID = T.NativeT("UUID", module="uuid", cname="k_uuid_UUID_type")
UUID_ATTRIBUTES = {
    "hex": MethodSpec("k_uuid_hex", [], T.STR),
    "int": MethodSpec("k_uuid_int", [], T.INT),
    "bytes": MethodSpec("k_uuid_bytes", [], T.BYTES),
    "bytes_le": MethodSpec("k_uuid_bytes_le", [], T.BYTES),
    "urn": MethodSpec("k_uuid_urn", [], T.STR),
    "version": MethodSpec("k_uuid_version", [], T.optional(T.INT)),
    "variant": MethodSpec("k_uuid_variant", [], T.STR),
}
OPT_INT = T.optional(T.INT)

UUID_MODULE = Module(
    "uuid", header="uuid.h",
    functions={
        "UUID": MethodSpec("k_uuid_UUID", [P("hex", T.optional(T.STR), "k_None"), P("bytes", OPT, "k_None"),
                                           P("bytes_le", OPT, "k_None"), P("int", OPT_INT, "k_None"),
                                           P("version", OPT_INT, "k_None")], UUID),
        "uuid3": MethodSpec("k_uuid_uuid3", [P("namespace", UUID), P("name", T.STR)], UUID),
        "uuid4": MethodSpec("k_uuid_uuid4", [], UUID),
        "uuid5": MethodSpec("k_uuid_uuid5", [P("namespace", UUID), P("name", T.STR)], UUID),
    },
    constants={f"NAMESPACE_{n}": (f"K_VAL(&k_uuid_NAMESPACE_{n})", UUID) for n in ("DNS", "URL", "OID", "X500")},
    types={"UUID": NativeType(UUID, {}, UUID_ATTRIBUTES)},
)

# ---- secrets ----

NBYTES = [P("nbytes", OPT_INT, "k_None")]

SECRETS = Module(
    "secrets", header="secrets.h",
    functions={
        "token_bytes": MethodSpec("k_secrets_token_bytes", NBYTES, T.BYTES),
        "token_hex": MethodSpec("k_secrets_token_hex", NBYTES, T.STR),
        "token_urlsafe": MethodSpec("k_secrets_token_urlsafe", NBYTES, T.STR),
        "randbelow": MethodSpec("k_secrets_randbelow", [P("exclusive_upper_bound", T.INT)], T.INT),
        "randbits": MethodSpec("k_secrets_randbits", [P("k", I64)], T.INT),
        "choice": MethodSpec("k_secrets_choice", [P("seq", lambda t: t)], lambda t: T.iter_elem(t) or ANY),
        "compare_digest": COMPARE_DIGEST,
    },
)

MODULES = [HASHLIB, HMAC_MODULE, BINASCII, BASE64, UUID_MODULE, SECRETS]
