"""uuid and secrets. Random values are not printed: only facts that hold for every
draw (lengths, the version and variant characters of uuid4, alphabets, ranges,
distinctness). UUID parsing, str/repr, comparison, hashing, uuid3/uuid5 (the examples
of CPython's documentation) and the errors are deterministic and printed."""

from __future__ import annotations

import secrets
import uuid

URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
HEX = "0123456789abcdef"


def uuid4_facts() -> None:
    seen: set[str] = set()
    ok = True
    for _ in range(200):
        s = str(uuid.uuid4())
        parts = s.split("-")
        ok = ok and [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(c in HEX for c in s.replace("-", ""))
        ok = ok and s[14] == "4" and s[19] in "89ab"
        seen.add(s)
    u = uuid.uuid4()
    print("uuid4", ok, len(seen), repr(u) == "UUID('" + str(u) + "')", uuid.UUID(str(u)) == u)


def parsing() -> None:
    forms = ["12345678-1234-5678-1234-567812345678", "{12345678-1234-5678-1234-567812345678}",
             "12345678123456781234567812345678", "urn:uuid:12345678-1234-5678-1234-567812345678",
             "ABCDEF00-0000-0000-0000-0000000000FF", "0x345678123456781234567812345678"]
    for f in forms:
        u = uuid.UUID(f)
        print(str(u), repr(u), u == uuid.UUID(str(u)))
    for bad in ["1234", "12345678-1234-5678-1234-56781234567g", "-2345678123456781234567812345678", ""]:
        try:
            uuid.UUID(bad)
        except ValueError as e:
            print("ValueError:", e)
    print(uuid.UUID(int=0), uuid.UUID(int=2 ** 128 - 1), uuid.UUID(int=5, version=4))
    print(uuid.UUID(bytes=b"0123456789abcdef"), uuid.UUID(bytes_le=b"0123456789abcdef"))
    for what, n in [("int", -1), ("int", 2 ** 128)]:
        try:
            uuid.UUID(int=n)
        except ValueError as e:
            print(what, "ValueError:", e)
    try:
        uuid.UUID(int=1, version=9)
    except ValueError as e:
        print("ValueError:", e)
    try:
        uuid.UUID(bytes=b"short")
    except ValueError as e:
        print("ValueError:", e)
    try:
        uuid.UUID()
    except TypeError as e:
        print("TypeError:", e)


def ordering() -> None:
    us = [uuid.UUID(int=n) for n in (7, 2 ** 100, 3, 2 ** 64, 3)]
    print([str(u)[-4:] for u in sorted(us)])
    print(us[2] == us[4], us[0] != us[1], us[0] < us[1], us[1] >= us[3], len(set(us)))
    d: dict[uuid.UUID, str] = {uuid.NAMESPACE_DNS: "dns", uuid.NAMESPACE_URL: "url"}
    print(d[uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")], hash(uuid.UUID(int=12345)) == hash(12345))


def name_based() -> None:
    print(uuid.NAMESPACE_DNS, uuid.NAMESPACE_URL, uuid.NAMESPACE_OID, uuid.NAMESPACE_X500)
    a = uuid.uuid3(uuid.NAMESPACE_DNS, "python.org")
    b = uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
    print(a, str(a) == "6fa459ea-ee8a-3ca4-894e-db77e160355e")
    print(b, str(b) == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    print(uuid.uuid5(uuid.NAMESPACE_URL, "https://example.com/\u00e9"), uuid.uuid3(uuid.NAMESPACE_X500, ""))


def secrets_facts() -> None:
    print(len(secrets.token_bytes()), len(secrets.token_bytes(0)), len(secrets.token_bytes(17)))
    h = secrets.token_hex(16)
    print(len(h), all(c in HEX for c in h), len(secrets.token_hex()))
    ok = True
    for n in range(0, 40):
        t = secrets.token_urlsafe(n)
        ok = ok and len(t) == (4 * n + 2) // 3 and all(c in URLSAFE for c in t)
    print("urlsafe", ok, len(secrets.token_urlsafe()))
    draws = [secrets.randbelow(6) for _ in range(300)]
    print(min(draws) >= 0, max(draws) < 6, len(set(draws)) > 1)
    print(all(0 <= secrets.randbelow(2 ** 90) < 2 ** 90 for _ in range(50)), secrets.randbits(0),
          all(secrets.randbits(12) < 4096 for _ in range(50)))
    print(secrets.choice(["a", "b", "c"]) in ["a", "b", "c"], secrets.choice("xyz") in "xyz")
    print(secrets.compare_digest(b"abc", b"abc"), secrets.compare_digest("abc", "abd"))
    for bad in (0, -3):
        try:
            secrets.randbelow(bad)
        except ValueError as e:
            print("ValueError:", e)
    try:
        secrets.token_bytes(-1)
    except ValueError as e:
        print("ValueError:", e)
    try:
        secrets.choice([])
    except IndexError as e:
        print("IndexError:", e)


uuid4_facts()
parsing()
ordering()
name_based()
secrets_facts()
