"""DNS for services (kaa/stdlib/dns.py) and the service-level socket module, end to end.

Under CPython: the message codec against dnslib (queries we build parse in dnslib;
responses dnslib builds, compressed its way, decode to the same fields), RFC 1035's own
compression example, malformed input (only FormatError, never a crash or a loop), and the
Resolver (cache and TTLs, retries, errors) against a scripted server that answers with
dnslib's messages.

Booted: the issue's two services. B is examples/items.py (kaa.web) on a forwarded port;
A is examples/items_client.py, which calls B by the name items.test through a DNS server
this test runs on the host (dnslib's), reached from the guest as 10.0.2.2 (QEMU's user
network) through `-- DNS=10.0.2.2:PORT`. A also runs under CPython against the same B,
its names resolved by the same dns module (tests/net_tools/resolve_via.py): the output
must be the same, and so must the queries each DNS server saw.
"""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest
from dnslib import AAAA, CNAME, QTYPE, RCODE, RR, A, DNSHeader, DNSQuestion, DNSRecord
from dnslib.server import BaseResolver, DNSLogger, DNSServer
from hypothesis import given, settings
from hypothesis import strategies as st

from guest import Guest, after_banner, run_to_exit
from kaa.stdlib import dns

ROOT = Path(__file__).resolve().parent.parent

label = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=20)
names = st.lists(label, min_size=1, max_size=5).map(".".join)
ipv4 = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
ttls = st.integers(0, 2**31 - 1)


# ---- the codec, against dnslib ------------------------------------------------------

@given(st.integers(0, 0xFFFF), names, st.booleans())
def test_a_query_parses_in_dnslib(ident: int, name: str, recursion: bool) -> None:
    q = DNSRecord.parse(dns.encode_query(ident, name, recursion=recursion))
    assert (q.header.id, q.header.qr, q.header.rd, q.header.opcode) == (ident, 0, int(recursion), 0)
    assert len(q.questions) == 1 and not q.rr and not q.auth and not q.ar
    assert str(q.q.qname) == name + "." and (q.q.qtype, q.q.qclass) == (QTYPE.A, 1)


record = st.one_of(
    st.tuples(st.just("A"), names, ttls, ipv4),
    st.tuples(st.just("CNAME"), names, ttls, names),
    st.tuples(st.just("AAAA"), names, ttls, st.integers(0, 2**128 - 1).map(lambda n: str(ipaddress.IPv6Address(n)))),
)


def rr(kind: str, owner: str, ttl: int, value: str) -> RR:
    rdata = A(value) if kind == "A" else CNAME(value) if kind == "CNAME" else AAAA(value)
    return RR(owner, getattr(QTYPE, kind), rdata=rdata, ttl=ttl)


@settings(max_examples=300)
@given(st.integers(0, 0xFFFF), names, st.lists(record, max_size=6), st.lists(record, max_size=3),
       st.lists(record, max_size=3), st.sampled_from([0, 2, 3, 5]), st.booleans(), st.booleans())
def test_a_dnslib_response_decodes_field_by_field(ident: int, qname: str, answers: list[tuple[str, str, int, str]],
                                                  authority: list[tuple[str, str, int, str]],
                                                  additional: list[tuple[str, str, int, str]], rcode: int,
                                                  aa: bool, tc: bool) -> None:
    msg = DNSRecord(DNSHeader(id=ident, qr=1, aa=int(aa), tc=int(tc), rd=1, ra=1, rcode=rcode), q=DNSQuestion(qname))
    for r in answers:
        msg.add_answer(rr(*r))
    for r in authority:
        msg.add_auth(rr(*r))
    for r in additional:
        msg.add_ar(rr(*r))
    wire = bytes(msg.pack())
    got = dns.decode_message(wire)
    assert (got.ident, got.flags, got.rcode, got.is_response) == (ident, msg.header.bitmap, rcode, True)
    assert got.questions == [dns.Question(qname.lower())]
    for section, sent in ((got.answers, answers), (got.authority, authority), (got.additional, additional)):
        assert len(section) == len(sent)
        for g, (kind, owner, ttl, value) in zip(section, sent):
            assert (g.name, g.rtype, g.rclass, g.ttl) == (owner.lower(), getattr(QTYPE, kind), 1, ttl)
            if kind == "A":
                assert (g.address, g.data) == (value, ipaddress.IPv4Address(value).packed)
            elif kind == "CNAME":
                assert g.target == value.lower()
            else:
                assert g.data == ipaddress.IPv6Address(value).packed
    # every proper prefix is cut inside a record or the header: FormatError, nothing else
    for n in range(len(wire)):
        with pytest.raises(dns.FormatError):
            dns.decode_message(wire[:n])


@settings(max_examples=200)
@given(names, st.lists(st.tuples(names, ttls), min_size=0, max_size=5, unique_by=lambda t: t[0].lower()),
       st.lists(st.tuples(ipv4, ttls), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_the_cname_chain_is_followed_in_any_order(start: str, hops: list[tuple[str, int]],
                                                  ends: list[tuple[str, int]], rnd: object) -> None:
    chain = [start] + [h for h, _ in hops if h.lower() != start.lower()]
    ttls_on_the_way = [t for h, t in hops if h.lower() != start.lower()]
    records = [RR(chain[i], QTYPE.CNAME, rdata=CNAME(chain[i + 1]), ttl=ttls_on_the_way[i])
               for i in range(len(chain) - 1)]
    records += [RR(chain[-1], QTYPE.A, rdata=A(ip), ttl=t) for ip, t in ends]
    records.append(RR("unrelated." + start, QTYPE.A, rdata=A("9.9.9.9"), ttl=1))
    rnd.shuffle(records)                                                    # type: ignore[attr-defined]
    msg = DNSRecord(DNSHeader(id=1, qr=1), q=DNSQuestion(start))
    for r in records:
        msg.add_answer(r)
    found, ttl = dns.addresses(dns.decode_message(bytes(msg.pack())), start.upper())
    assert sorted(found) == sorted(ip for ip, _ in ends)       # in the message's order
    assert ttl == min(ttls_on_the_way + [t for _, t in ends])


def test_a_cname_loop_or_a_dangling_alias_gives_no_address() -> None:
    msg = DNSRecord(DNSHeader(id=1, qr=1), q=DNSQuestion("a.test"))
    msg.add_answer(RR("a.test", QTYPE.CNAME, rdata=CNAME("b.test")), RR("b.test", QTYPE.CNAME, rdata=CNAME("a.test")))
    assert dns.addresses(dns.decode_message(bytes(msg.pack())), "a.test") == ([], 0)
    msg = DNSRecord(DNSHeader(id=1, qr=1), q=DNSQuestion("a.test"))
    msg.add_answer(RR("a.test", QTYPE.CNAME, rdata=CNAME("elsewhere.test")), RR("c.test", QTYPE.A, rdata=A("1.2.3.4")))
    assert dns.addresses(dns.decode_message(bytes(msg.pack())), "a.test") == ([], 0)


def test_rfc_1035_compression_example() -> None:
    """Section 4.1.4: F.ISI.ARPA at offset 20, FOO.F.ISI.ARPA at 40 pointing to 20, ARPA
    at 64 as a pointer to 26 (the offsets are the RFC's, in a buffer of our own)."""
    buf = bytearray(80)
    buf[20:32] = b"\x01F\x03ISI\x04ARPA\x00"
    buf[40:46] = b"\x03FOO\xc0\x14"
    buf[64:66] = b"\xc0\x1a"
    data = bytes(buf)
    assert dns.read_name(data, 20) == ("f.isi.arpa", 32)
    assert dns.read_name(data, 40) == ("foo.f.isi.arpa", 46)
    assert dns.read_name(data, 64) == ("arpa", 66)
    assert dns.read_name(data, 31) == ("", 32)                 # the root


@pytest.mark.parametrize("data, why", [
    (b"\xc0\x00", "does not point back"),                       # to itself
    (b"\x01a\xc0\x04\x00", "does not point back"),                # forward
    (b"\x01a\xc0\x00", "does not point back"),                   # back into its own labels: a loop
    (b"\x40abc", "unknown label type"),
    (b"\x05ab", "ends"),
    (b"".join(b"\x3f" + c * 63 for c in (b"a", b"b", b"c", b"d")) + b"\x00", "longer than 255"),
])
def test_malformed_names_raise_format_error(data: bytes, why: str) -> None:
    with pytest.raises(dns.FormatError, match=why):
        dns.read_name(data, 0)


@settings(max_examples=1000)
@given(st.binary(max_size=300))
def test_garbage_raises_format_error_or_decodes(data: bytes) -> None:
    try:
        dns.decode_message(data)
    except dns.FormatError:
        pass


@given(st.text(alphabet="0123456789.x ", max_size=20) | ipv4)
def test_ipv4_literals_as_ipaddress_reads_them(text: str) -> None:
    try:
        want = int(ipaddress.IPv4Address(text))
    except ValueError:
        want = -1
    assert dns.parse_ipv4(text) == want
    if want >= 0:
        assert dns.format_ipv4(want) == text


def test_names_that_cannot_be_encoded() -> None:
    assert dns.encode_name("") == dns.encode_name(".") == b"\x00"
    assert dns.encode_name("a.b.") == b"\x01a\x01b\x00"
    for bad in ("a..b", ".a", "x" * 64 + ".test", ".".join(["a" * 63] * 4)):
        with pytest.raises(ValueError):
            dns.encode_name(bad)
    with pytest.raises(UnicodeEncodeError):
        dns.encode_name("bücher.test")


def test_dns_server_settings() -> None:
    assert dns.parse_server("10.0.2.2:5353") == ("10.0.2.2", 5353)
    assert dns.parse_server("10.0.2.3") == ("10.0.2.3", 53)
    for bad in ("dns.test", "10.0.2.2:0", "10.0.2.2:x", "10.0.2.2:65536", ""):
        with pytest.raises(ValueError):
            dns.parse_server(bad)


def test_the_codec_compiled_prints_what_cpython_prints(tmp_path: Path) -> None:
    """tests/web/dns_codec.py built for the host with --debug (leaks would show) and run
    on dnslib's messages, whole, cut short and corrupted: CPython's output, byte for byte."""
    import random
    rnd = random.Random(7)
    messages = []
    for _ in range(30):
        msg = DNSRecord(DNSHeader(id=rnd.randrange(65536), qr=1, rcode=rnd.choice([0, 3])), q=DNSQuestion("svc.test"))
        pool = ["svc.test", "a.svc.test", "Other.Example", "b.a.svc.test"]
        for _ in range(rnd.randrange(5)):
            owner, kind = rnd.choice(pool), rnd.choice(["A", "CNAME", "AAAA"])
            value = (f"10.0.{rnd.randrange(256)}.{rnd.randrange(256)}" if kind == "A" else rnd.choice(pool)
                     if kind == "CNAME" else "::1")
            msg.add_answer(rr(kind, owner, rnd.randrange(2**31), value))
        wire = bytes(msg.pack())
        cut = wire[:rnd.randrange(len(wire))]
        flipped = bytearray(wire)
        flipped[rnd.randrange(12, len(wire))] ^= 1 << rnd.randrange(8)
        messages += [wire.hex(), cut.hex(), bytes(flipped).hex()]
    exe = tmp_path / "dns_codec"
    build = subprocess.run([sys.executable, "-m", "kaa", "build", "tests/web/dns_codec.py", "--target", "host",
                            "--debug", "-o", str(exe)], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    batches: list[list[str]] = [[]]
    for m in messages:                  # the host binary's command line holds 4 KiB (kernel/platform/host.py)
        if sum(len(x) + 1 for x in batches[-1]) + len(m) > 3000:
            batches.append([])
        batches[-1].append(m)
    for batch in batches:
        kaa = subprocess.run([str(exe), *batch], cwd=ROOT, capture_output=True, text=True, timeout=60)
        ref = subprocess.run([sys.executable, "tests/web/dns_codec.py", *batch], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0"})
        assert ref.returncode == 0, ref.stderr
        assert (kaa.returncode, kaa.stderr) == (0, "")
        assert kaa.stdout == ref.stdout
    assert len(batches) > 3 and "FormatError" in ref.stdout


# ---- the resolver, with a scripted server --------------------------------------------

class Scripted(dns.Resolver):
    """Answers from `zone` ({name: (addresses, ttl)}; absent: NXDOMAIN), built with dnslib;
    `drop` queries are lost first; the clock is the test's."""

    def __init__(self, zone: dict[str, tuple[list[str], int]], drop: int = 0, rcode: int = 0) -> None:
        super().__init__(timeout=0.5, attempts=3)
        self.zone, self.drop, self.rcode = zone, drop, rcode
        self.pending: list[bytes] = []
        self.asked: list[str] = []

    def send(self, data: bytes) -> None:
        q = DNSRecord.parse(data)
        self.asked.append(str(q.q.qname).rstrip("."))
        if self.drop > 0:
            self.drop -= 1
            return
        stray = q.reply()
        stray.header.id = (q.header.id + 1) & 0xFFFF             # an answer to some other query
        stray.add_answer(RR(q.q.qname, QTYPE.A, rdata=A("6.6.6.6")))
        reply = q.reply()
        name = str(q.q.qname).rstrip(".")
        if self.rcode:
            reply.header.rcode = self.rcode
        elif name not in self.zone:
            reply.header.rcode = RCODE.NXDOMAIN
        else:
            ips, ttl = self.zone[name]
            for ip in ips:
                reply.add_answer(RR(q.q.qname, QTYPE.A, rdata=A(ip), ttl=ttl))
        self.pending += [bytes(stray.pack()), b"garbage", bytes(reply.pack())]

    def receive(self, timeout: float) -> bytes | None:
        return self.pending.pop(0) if self.pending else None


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(dns.time, "monotonic", lambda: now[0])
    return now


def test_answers_are_cached_for_their_ttl(clock: list[float]) -> None:
    r = Scripted({"svc.test": (["10.0.0.1", "10.0.0.2"], 30), "zero.test": (["10.0.0.3"], 0)})
    assert r.resolve("svc.test") == ["10.0.0.1", "10.0.0.2"]
    clock[0] += 29
    assert r.resolve("SVC.test.") == ["10.0.0.1", "10.0.0.2"] and r.asked == ["svc.test"]
    clock[0] += 1
    r.resolve("svc.test")
    assert r.asked == ["svc.test", "svc.test"]
    r.resolve("zero.test")
    r.resolve("zero.test")                                     # TTL 0: never cached
    assert r.asked.count("zero.test") == 2


def test_the_cache_stays_small(clock: list[float]) -> None:
    r = Scripted({f"h{i}.test": ([f"10.0.0.{i}"], 100 + i) for i in range(10)})
    r.cache_size = 4
    for i in range(10):
        r.resolve(f"h{i}.test")
    assert sorted(r.cache) == ["h6.test", "h7.test", "h8.test", "h9.test"]


def test_literals_and_localhost_ask_nobody(clock: list[float]) -> None:
    r = Scripted({})
    assert (r.resolve("10.0.2.2"), r.resolve("localhost"), r.resolve("api.localhost")) == \
        (["10.0.2.2"], ["127.0.0.1"], ["127.0.0.1"])
    assert r.asked == []


def test_lost_queries_are_sent_again(clock: list[float]) -> None:
    r = Scripted({"svc.test": (["10.0.0.1"], 5)}, drop=2)
    assert r.resolve("svc.test") == ["10.0.0.1"] and r.queries == 3
    r = Scripted({"svc.test": (["10.0.0.1"], 5)}, drop=3)
    with pytest.raises(dns.ResolutionError) as e:
        r.resolve("svc.test")
    assert (e.value.code, str(e.value)) == (dns.EAI_AGAIN, "(-3, 'Temporary failure in name resolution')")


@pytest.mark.parametrize("zone, rcode, code", [
    ({}, 0, dns.EAI_NONAME),                                   # NXDOMAIN
    ({"svc.test": ([], 5)}, 0, dns.EAI_NODATA),                # the name exists, no A record
    ({"svc.test": (["1.1.1.1"], 5)}, RCODE.SERVFAIL, dns.EAI_AGAIN),
    ({"svc.test": (["1.1.1.1"], 5)}, RCODE.REFUSED, dns.EAI_FAIL),
])
def test_failures_have_getaddrinfo_codes(clock: list[float], zone: dict[str, tuple[list[str], int]], rcode: int,
                                         code: int) -> None:
    with pytest.raises(dns.ResolutionError) as e:
        Scripted(zone, rcode=rcode).resolve("svc.test")
    assert e.value.code == code and e.value.message == dns.MESSAGES[code]


def test_gaierror_codes_match_the_host_resolver() -> None:
    with pytest.raises(socket.gaierror) as e:
        socket.getaddrinfo("name.invalid", 80)
    assert (e.value.errno, e.value.strerror) == (dns.EAI_NONAME, dns.MESSAGES[dns.EAI_NONAME])


# ---- two booted services, one calling the other by name ------------------------------

class Zone(BaseResolver):                                       # type: ignore[misc]
    """items.test -> `address`; every other name NXDOMAIN. Keeps the queries it saw."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.seen: list[str] = []
        self.lock = threading.Lock()

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        with self.lock:
            self.seen.append(name)
        if name == "items.test" and request.q.qtype == QTYPE.A:
            reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A(self.address), ttl=60))
        else:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def dns_server() -> Iterator[object]:
    servers: list[DNSServer] = []

    def start(address: str) -> tuple[int, Zone]:
        zone = Zone(address)
        port = free_port(socket.SOCK_DGRAM)
        server = DNSServer(zone, port=port, address="127.0.0.1", logger=DNSLogger("-request,-reply,-truncated,"
                                                                                   "-error,-recv,-send,-data"))
        server.start_thread()
        servers.append(server)
        return port, zone

    yield start
    for s in servers:
        s.stop()


@pytest.mark.booted
def test_a_booted_service_calls_another_by_name(dns_server: object, kaa: object) -> None:
    guest_dns, guest_zone = dns_server("10.0.2.2")              # type: ignore[operator]
    host_dns, host_zone = dns_server("127.0.0.1")               # type: ignore[operator]
    items_port, closed_port = free_port(), free_port()
    with Guest("examples/items.py", "-p", f"{items_port}:8080", cmdline=("PORT=8080",)) as b:
        b.wait_for(r"kaa\.web: serving on port 8080", timeout=180)
        env = (f"ITEMS=http://items.test:{items_port}", f"MISSING=http://items.test:{closed_port}")
        r = kaa("run", "examples/items_client.py", "--timeout", "120", "--",    # type: ignore[operator]
                f"DNS=10.0.2.2:{guest_dns}", *env)
        booted = [ln for ln in after_banner(r.stdout, r.stderr) if not ln.startswith("net: ")]
        cpython = subprocess.run([sys.executable, "tests/net_tools/resolve_via.py", f"127.0.0.1:{host_dns}",
                                  "examples/items_client.py"], cwd=ROOT, capture_output=True, text=True,
                                 timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                   **dict(e.split("=", 1) for e in env)})
    assert r.returncode == 0, r.stdout + r.stderr
    assert cpython.returncode == 0, cpython.stdout + cpython.stderr
    assert booted == cpython.stdout.splitlines()
    assert booted[0] == "resolved items.test twice alike: True" and "connections opened: 1" in booted
    assert "refused: [Errno 111] Connection refused" in booted and \
        "no such name: -2 Name or service not known" in booted
    # one query per name: the rest came from the cache (the TTL is 60 s)
    assert guest_zone.seen == host_zone.seen == ["items.test", "nowhere.test"]


@pytest.mark.booted
def test_the_dns_server_comes_from_dhcp_unless_the_command_line_names_one(tmp_path: Path, kaa: object) -> None:
    """QEMU's user network hands out 10.0.2.3 as its DNS server (nothing is asked of it here)."""
    prog = tmp_path / "which_dns.py"
    prog.write_text("import socket\nr = socket.default_resolver()\nprint(r.server, r.port)\n")
    for cmdline, want in [((), "10.0.2.3 53"), (("DNS=10.0.2.2:5353",), "10.0.2.2 5353")]:
        status, lines = run_to_exit(kaa, str(prog), cmdline=cmdline)    # type: ignore[arg-type]
        assert status == 0 and [ln for ln in lines if not ln.startswith("net: ")] == [want], lines
