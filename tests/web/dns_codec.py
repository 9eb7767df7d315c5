"""kaa/stdlib/dns.py compiled: messages given in hex on the command line decoded (or their
FormatError), queries encoded, and a Resolver over an in-program transport. The test
compares it with CPython's run of the same file and builds it with --debug (no leaks)."""

import sys

from kaa.stdlib import dns


class Canned(dns.Resolver):
    """Every query is answered by the next canned reply, with the query's id put in; an
    empty reply is a lost one."""

    def __init__(self, replies: list[bytes]) -> None:
        super().__init__(timeout=0.2, attempts=2)
        self.replies = replies
        self.ident = 0
        self.sent: list[str] = []

    def send(self, data: bytes) -> None:
        msg = dns.decode_message(data)
        self.ident = msg.ident
        self.sent.append(msg.questions[0].name)

    def receive(self, timeout: float) -> bytes | None:
        if not self.replies:
            return None
        reply = self.replies.pop(0)
        if not reply:
            return None
        return bytes([self.ident >> 8, self.ident & 255]) + reply[2:]


def answer(name: str, records: list[tuple[str, int, int, bytes]], rcode: int = 0) -> bytes:
    """A response built by hand: records are (owner, type, ttl, rdata)."""
    out = bytearray([0, 0, 0x81, 0x80 | rcode, 0, 1, 0, len(records), 0, 0, 0, 0])
    out.extend(dns.encode_name(name) + b"\x00\x01\x00\x01")
    for owner, rtype, ttl, rdata in records:
        out.extend(dns.encode_name(owner))
        out.extend(bytes([0, rtype, 0, 1, ttl >> 24 & 255, ttl >> 16 & 255, ttl >> 8 & 255, ttl & 255,
                          len(rdata) >> 8, len(rdata) & 255]))
        out.extend(rdata)
    return bytes(out)


def main() -> None:
    for text in sys.argv[1:]:
        try:
            m = dns.decode_message(bytes.fromhex(text))
            print(m)
            if m.questions:
                print(dns.addresses(m, m.questions[0].name))
        except dns.FormatError as e:
            print("FormatError:", e)

    for ident, name in [(0, "a.test"), (65535, "Mixed.Case.Example.COM."), (4660, "")]:
        print(dns.encode_query(ident, name).hex(), dns.encode_query(ident, name, recursion=False).hex())
    for bad in ["a..b", "x" * 64]:
        try:
            dns.encode_name(bad)
        except ValueError as e:
            print("ValueError:", e)

    r = Canned([b"", answer("svc.test", [("svc.test", 5, 300, dns.encode_name("real.test")),
                                         ("real.test", 1, 60, b"\x0a\x00\x00\x07")])])
    print(r.resolve("SVC.test"), r.resolve("svc.test."), r.sent, r.queries)
    print(r.resolve("10.1.2.3"), r.resolve("localhost"), r.queries)
    for replies in [[answer("no.test", [], 3)], [answer("no.test", [], 2), answer("no.test", [], 2)], [],
                    [answer("no.test", [("no.test", 28, 5, bytes(16))])]]:
        try:
            Canned(replies).resolve("no.test")
        except dns.ResolutionError as e:
            print("ResolutionError:", e.code, e.message, e)
    print(dns.parse_server("10.0.2.2:5353"), dns.parse_ipv4("255.255.255.255"), dns.parse_ipv4("1.2.3.04"))


main()
