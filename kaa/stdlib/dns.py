"""DNS for services: RFC 1035 messages, and a stub resolver for A records with a cache.

Plain Python, the same under CPython (tests/test_socket_dns.py checks the codec against
dnslib) and compiled into a service, where kaa/stdlib/socket.py's gethostbyname and
getaddrinfo use a Resolver over its UDP sockets. A Resolver is transport-free: a subclass
sends a query (send) and waits for datagrams (receive), so this module imports no socket.

Messages: encode_query builds a standard query; decode_message parses any message,
following compression pointers (RFC 1035 section 4.1.4) only backwards, so a crafted
message cannot loop; anything malformed raises FormatError (a ValueError), never an
IndexError. Names are ASCII, compared without regard to case (section 2.3.3).

A hosts table (parse_hosts: `HOSTS=back:10.0.9.3,db:10.0.9.4` on the command line, as
`kaa up` writes it) answers before any server is asked, as /etc/hosts does.

Resolver.resolve(name): a dotted IPv4 literal or "localhost" without a query; else the
cache (answers kept for their TTL, the least along a CNAME chain), else a query with
retries, the answer's CNAME chain followed to its A records. Failures raise
ResolutionError with getaddrinfo's codes (EAI_NONAME, EAI_AGAIN, EAI_NODATA).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

TYPE_A = 1
TYPE_NS = 2
TYPE_CNAME = 5
TYPE_SOA = 6
TYPE_PTR = 12
TYPE_AAAA = 28
CLASS_IN = 1

RCODE_OK = 0
RCODE_FORMERR = 1
RCODE_SERVFAIL = 2
RCODE_NXDOMAIN = 3

FLAG_QR = 0x8000            # a response
FLAG_AA = 0x0400
FLAG_TC = 0x0200            # truncated
FLAG_RD = 0x0100            # recursion desired
FLAG_RA = 0x0080

# getaddrinfo's error codes (glibc's numbers) and messages, as socket.gaierror carries them
EAI_NONAME = -2
EAI_AGAIN = -3
EAI_FAIL = -4
EAI_NODATA = -5
MESSAGES = {EAI_NONAME: "Name or service not known", EAI_AGAIN: "Temporary failure in name resolution",
            EAI_FAIL: "Non-recoverable failure in name resolution", EAI_NODATA: "No address associated with hostname"}

MAX_NAME = 255              # octets of a name in wire form, its lengths and the root's 0 included
MAX_LABEL = 63
NAMES_WITH_TARGET = (TYPE_CNAME, TYPE_NS, TYPE_PTR)     # RDATA is one (compressible) name


class FormatError(ValueError):
    """A DNS message that does not parse."""


class ResolutionError(Exception):
    """A name that could not be resolved: code is an EAI_* number (socket.gaierror's errno)."""

    def __init__(self, code: int) -> None:
        super().__init__(code, MESSAGES[code])
        self.code = code
        self.message = MESSAGES[code]


@dataclass
class Question:
    name: str
    qtype: int = TYPE_A
    qclass: int = CLASS_IN


@dataclass
class Record:
    name: str
    rtype: int
    rclass: int
    ttl: int
    data: bytes                 # RDATA as sent
    target: str = ""            # CNAME, NS, PTR: the name RDATA holds, decompressed
    address: str = ""           # A: dotted quad


@dataclass
class Message:
    ident: int
    flags: int
    questions: list[Question] = field(default_factory=list)
    answers: list[Record] = field(default_factory=list)
    authority: list[Record] = field(default_factory=list)
    additional: list[Record] = field(default_factory=list)

    @property
    def rcode(self) -> int:
        return self.flags & 0xF

    @property
    def is_response(self) -> bool:
        return self.flags & FLAG_QR != 0


# ---- IPv4 addresses -----------------------------------------------------------------

def parse_ipv4(text: str) -> int:
    """A dotted quad ("10.0.2.2") as an int; -1 when text is not one."""
    parts = text.split(".")
    if len(parts) != 4:
        return -1
    n = 0
    for p in parts:
        if not p or len(p) > 3 or not p.isdigit() or not p.isascii() or p[0] == "0" and len(p) > 1:
            return -1               # (a leading 0 is octal to inet_aton: refused, as ipaddress does)
        v = int(p)
        if v > 255:
            return -1
        n = n << 8 | v
    return n


def format_ipv4(n: int) -> str:
    return f"{n >> 24 & 255}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def parse_server(text: str) -> tuple[str, int]:
    """`10.0.2.2:5353` or `10.0.2.2` (port 53): a DNS server's address, as DNS= gives it."""
    host, colon, port = text.strip().partition(":")
    if parse_ipv4(host) < 0 or colon and (not port.isdigit() or not port.isascii() or not 0 < int(port) < 65536):
        raise ValueError(f"bad DNS server {text!r}: write an IPv4 address, with :port when not 53")
    return host, int(port) if colon else 53


def parse_hosts(text: str) -> dict[str, list[str]]:
    """A hosts table, as HOSTS= gives it on the kernel command line: `name:address`
    entries separated by commas (`back:10.0.9.3,db:10.0.9.4`; a name given twice has
    each address, in order). Names are kept in lower case without a final dot, as
    hosts_lookup asks for them; a bad entry raises ValueError naming it."""
    table: dict[str, list[str]] = {}
    for entry in text.split(","):
        if not entry.strip():
            continue
        name, colon, address = entry.strip().partition(":")
        key = name.rstrip(".").lower()
        if not colon or not key or parse_ipv4(address) < 0:
            raise ValueError(f"bad HOSTS entry {entry!r}: write name:A.B.C.D, entries separated by commas")
        if key not in table:
            table[key] = []
        table[key].append(address)
    return table


def hosts_lookup(table: dict[str, list[str]], name: str) -> list[str]:
    """name's addresses in a parse_hosts table (any case, a final dot or not); [] when absent."""
    key = name.rstrip(".").lower()
    if key in table:
        return list(table[key])
    return []


# ---- encoding ------------------------------------------------------------------------

def put16(out: bytearray, v: int) -> None:
    out.append(v >> 8 & 255)
    out.append(v & 255)


def encode_name(name: str) -> bytes:
    """A name in wire form (labels, then the root's 0); the root is "" or "."."""
    out = bytearray()
    text = name[:-1] if name.endswith(".") else name
    if text:
        for label in text.split("."):
            raw = label.encode("ascii")
            if not raw or len(raw) > MAX_LABEL:
                raise ValueError(f"bad DNS name {name!r}: a label is empty or longer than {MAX_LABEL}")
            out.append(len(raw))
            out.extend(raw)
    out.append(0)
    if len(out) > MAX_NAME:
        raise ValueError(f"bad DNS name {name!r}: longer than {MAX_NAME} octets")
    return bytes(out)


def encode_query(ident: int, name: str, qtype: int = TYPE_A, recursion: bool = True) -> bytes:
    """A standard query for name: one question, class IN."""
    out = bytearray()
    for v in (ident, FLAG_RD if recursion else 0, 1, 0, 0, 0):
        put16(out, v)
    out.extend(encode_name(name))
    put16(out, qtype)
    put16(out, CLASS_IN)
    return bytes(out)


# ---- decoding ------------------------------------------------------------------------

def get16(data: bytes, pos: int) -> int:
    if pos + 2 > len(data):
        raise FormatError(f"message ends at {len(data)} inside a field at {pos}")
    return data[pos] << 8 | data[pos + 1]


def get32(data: bytes, pos: int) -> int:
    return get16(data, pos) << 16 | get16(data, pos + 2)


def read_name(data: bytes, pos: int) -> tuple[str, int]:
    """The name at pos (lower case, without the final dot; "" for the root) and the
    position after it where it is written (after the first pointer, if any). A pointer
    must point before the labels read since the last jump (RFC 1035's "prior
    occurrence"), so each jump goes further back: no loops."""
    labels: list[str] = []
    end = -1
    size = 1                    # octets in wire form: the root's 0
    floor = pos                 # where the labels read since the last jump begin
    while True:
        if pos >= len(data):
            raise FormatError(f"message ends at {len(data)} inside a name")
        n = data[pos]
        if n & 0xC0 == 0xC0:
            target = get16(data, pos) & 0x3FFF
            if target >= floor:
                raise FormatError(f"a compression pointer at {pos} does not point back before its name, to {target}")
            if end < 0:
                end = pos + 2
            pos = floor = target
            continue
        if n & 0xC0 != 0:
            raise FormatError(f"unknown label type {n >> 6} at {pos}")
        if n == 0:
            return ".".join(labels), end if end >= 0 else pos + 1
        if pos + 1 + n > len(data):
            raise FormatError(f"message ends at {len(data)} inside a label")
        size += n + 1
        if size > MAX_NAME:
            raise FormatError(f"a name at {pos} is longer than {MAX_NAME} octets")
        labels.append("".join(chr(b) for b in data[pos + 1:pos + 1 + n]).lower())
        pos += n + 1


def read_question(data: bytes, pos: int) -> tuple[Question, int]:
    name, pos = read_name(data, pos)
    return Question(name, get16(data, pos), get16(data, pos + 2)), pos + 4


def read_record(data: bytes, pos: int) -> tuple[Record, int]:
    name, pos = read_name(data, pos)
    rtype, rclass, ttl, length = get16(data, pos), get16(data, pos + 2), get32(data, pos + 4), get16(data, pos + 8)
    start = pos + 10
    if start + length > len(data):
        raise FormatError(f"record data at {start} runs past the message's end")
    # a TTL with its top bit set counts as 0 (RFC 2181 section 8)
    r = Record(name, rtype, rclass, ttl if ttl < 0x80000000 else 0, data[start:start + length])
    if rtype in NAMES_WITH_TARGET:
        target, after = read_name(data, start)
        if after != start + length:
            raise FormatError(f"a {rtype} record's name does not fill its data at {start}")
        r.target = target
    elif rtype == TYPE_A and rclass == CLASS_IN:
        if length != 4:
            raise FormatError(f"an A record at {start} has {length} octets of data")
        r.address = format_ipv4(get32(data, start))
    return r, start + length


def decode_message(data: bytes) -> Message:
    """Parse a whole message (a query or a response); FormatError when malformed.
    Octets after the last record are ignored."""
    if len(data) < 12:
        raise FormatError(f"a DNS message has a 12-octet header; this one has {len(data)} octets")
    msg = Message(get16(data, 0), get16(data, 2))
    counts = [get16(data, 4 + 2 * i) for i in range(4)]
    pos = 12
    for _ in range(counts[0]):
        q, pos = read_question(data, pos)
        msg.questions.append(q)
    for section, count in ((msg.answers, counts[1]), (msg.authority, counts[2]), (msg.additional, counts[3])):
        for _ in range(count):
            r, pos = read_record(data, pos)
            section.append(r)
    return msg


def addresses(msg: Message, name: str) -> tuple[list[str], int]:
    """The A records that answer name in msg, following its CNAME chain (in any order
    in the section; a loop ends it): the addresses and the least TTL on the way."""
    current = name.lower().rstrip(".")
    ttl = -1
    seen: set[str] = set()
    while current not in seen:
        seen.add(current)
        found = [r for r in msg.answers if r.name == current and r.rclass == CLASS_IN and r.rtype == TYPE_A]
        alias = [r for r in msg.answers if r.name == current and r.rclass == CLASS_IN and r.rtype == TYPE_CNAME]
        for r in found + alias[:1]:
            ttl = r.ttl if ttl < 0 else min(ttl, r.ttl)
        if found:
            return [r.address for r in found], ttl
        if not alias:
            break
        current = alias[0].target
    return [], 0


# ---- the resolver --------------------------------------------------------------------

@dataclass
class Entry:
    addresses: list[str]
    expires: float              # time.monotonic()


class Resolver:
    """A stub resolver of A records through one server, with a cache. Subclasses give
    the transport: send() one datagram to the server, receive() the next one (None when
    the timeout passes first)."""

    def __init__(self, timeout: float = 2.0, attempts: int = 3, cache_size: int = 128) -> None:
        self.timeout = timeout          # per attempt
        self.attempts = attempts
        self.cache_size = cache_size
        self.cache: dict[str, Entry] = {}
        self.queries = 0                # sent, retries included (tests and counters read it)

    def send(self, data: bytes) -> None:
        raise NotImplementedError("a Resolver's transport sends")

    def receive(self, timeout: float) -> bytes | None:
        raise NotImplementedError("a Resolver's transport receives")

    def resolve(self, name: str) -> list[str]:
        """The IPv4 addresses of name, dotted; ResolutionError when there are none."""
        host = name.rstrip(".").lower() if name != "." else ""
        if parse_ipv4(host) >= 0:
            return [host]
        if host == "localhost" or host.endswith(".localhost"):
            return ["127.0.0.1"]
        if not host:
            raise ResolutionError(EAI_NONAME)
        now = time.monotonic()
        hit = self.cache.get(host)
        if hit is not None and hit.expires > now:
            return list(hit.addresses)
        try:
            query_name = encode_name(host)
        except ValueError:                  # (UnicodeEncodeError too: not ASCII)
            raise ResolutionError(EAI_NONAME) from None
        found, ttl = self.query(host, query_name)
        self.remember(host, found, ttl)
        return found

    def query(self, host: str, query_name: bytes) -> tuple[list[str], int]:
        """Ask the server, `attempts` times at most: the addresses and their TTL."""
        failure = EAI_AGAIN
        for _ in range(self.attempts):
            ident = random.getrandbits(16)
            query = encode_query(ident, host)
            self.send(query)
            self.queries += 1
            deadline = time.monotonic() + self.timeout
            reply = self.wait_reply(ident, host, deadline)
            if reply is None:
                continue                    # lost, or the server is slow: ask again
            if reply.rcode == RCODE_NXDOMAIN:
                raise ResolutionError(EAI_NONAME)
            if reply.rcode != RCODE_OK:
                failure = EAI_AGAIN if reply.rcode == RCODE_SERVFAIL else EAI_FAIL
                continue
            found, ttl = addresses(reply, host)
            if not found:
                raise ResolutionError(EAI_NODATA)
            return found, ttl
        raise ResolutionError(failure)

    def wait_reply(self, ident: int, host: str, deadline: float) -> Message | None:
        """The response to query ident about host, until deadline; other datagrams
        (late answers to earlier tries, garbage) are skipped."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            data = self.receive(left)
            if data is None:
                return None
            try:
                msg = decode_message(data)
            except FormatError:
                continue
            if msg.ident == ident and msg.is_response and len(msg.questions) == 1 and \
                    msg.questions[0].name == host and msg.questions[0].qtype == TYPE_A:
                return msg

    def remember(self, host: str, found: list[str], ttl: int) -> None:
        if ttl <= 0 or self.cache_size <= 0:
            return
        now = time.monotonic()
        if len(self.cache) >= self.cache_size and host not in self.cache:
            for k in [k for k, e in self.cache.items() if e.expires <= now]:
                del self.cache[k]
            if len(self.cache) >= self.cache_size:      # still full: drop the one expiring first
                del self.cache[min(self.cache, key=lambda k: self.cache[k].expires)]
        self.cache[host] = Entry(list(found), now + ttl)
