"""kaa/http/*.py, by property: splits, generated requests, fuzzing.

The harness and its helpers are test_http.py's. Properties:
- how the bytes are split into reads never changes the responses (every boundary of a
  pipelined stream, one process running a fresh connection per split);
- a generated request (method, path, query, fields, body by Content-Length or chunked
  with extensions and trailers) reaches the handler exactly as sent;
- random bytes, and valid requests with random edits, under random limits, never
  crash a --debug build (an index out of range would panic), and every write is one
  well-formed response (or 100 Continue); the connection then either closes or waits
  with a deadline, and an error response is always the last thing before the close.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from test_http import (Exchange, chunked, exchange_of, get, parse_responses, post, run_script, serve,  # noqa: F401
                       serve_exe)

PARSER_ERRORS = {400, 408, 413, 414, 417, 431, 501, 505}


def split_script(stream: bytes, cuts: list[int]) -> str:
    points = [0, *sorted(set(c for c in cuts if 0 < c < len(stream))), len(stream)]
    return " ".join("d:" + stream[a:b].hex() for a, b in zip(points, points[1:]))


def runs(serve_exe: Path, scripts: list[str], opts: tuple = ()) -> list[Exchange]:
    """Each script on a fresh connection, all in one process."""
    lines = run_script(serve_exe, " new ".join(scripts), opts)
    out: list[list[str]] = [[]]
    for line in lines:
        if line == "N":
            out.append([])
        else:
            out[-1].append(line)
    assert len(out) == len(scripts)
    return [exchange_of(x) for x in out]


STREAM = (get("/info", "X-Test: a\r\n") + post("/echo", b"0123456789")
          + chunked("/info", [b"ab", b"c" * 20], "Trailer: x\r\n") + get("/kv/x", method="HEAD")
          + b"\r\n" + get("/nothere") + get("/", "Connection: close\r\n"))


def test_every_split_point_gives_the_same_responses(serve_exe: Path) -> None:
    whole = runs(serve_exe, [split_script(STREAM, []) + " eof"])[0]
    assert len(parse_responses(whole.raw, {3})) == 6 and whole.closed
    scripts = [split_script(STREAM, [k]) + " eof" for k in range(1, len(STREAM))]
    for k, ex in enumerate(runs(serve_exe, scripts), 1):
        assert (ex.raw, ex.closed) == (whole.raw, True), k
    # Two cuts, every pair a few bytes apart, too: a line end split from its CR.
    scripts = [split_script(STREAM, [k, k + d]) for k in range(1, len(STREAM)) for d in (1, 2, 3)]
    assert all(ex.raw == whole.raw for ex in runs(serve_exe, scripts))


# ---- generated requests ------------------------------------------------------------

token = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~", min_size=1,
                max_size=12)
RESERVED = {"host", "content-length", "transfer-encoding", "connection", "expect"}
names = token.filter(lambda n: n.lower() not in RESERVED)
value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=30).map(str.strip)
segment = st.text("abcdefghijklmnopqrstuvwxyz0123456789-._~%/", max_size=12)
query = st.text("abcdefghijklmnopqrstuvwxyz0123456789=&%+-", max_size=16)


@st.composite
def requests(draw: st.DrawFn) -> tuple[bytes, dict]:
    method, base = draw(st.sampled_from([("GET", "/info"), ("POST", "/info"), ("GET", "/kv/"), ("PUT", "/kv/"),
                                         ("DELETE", "/kv/")]))
    rest = draw(segment) if base == "/kv/" else ""
    q = draw(st.none() | query)
    target = base + rest + ("" if q is None else "?" + q)
    fields = draw(st.lists(st.tuples(names, value), max_size=8))
    body = draw(st.binary(max_size=200))
    framing = draw(st.sampled_from(["length", "chunked"] + ([] if body else ["none"])))
    head = [f"{method} {target} HTTP/1.1", "Host: test"] + [f"{n}: {v}" for n, v in fields]
    sent_fields = [["Host", "test"]] + [[n, v] for n, v in fields]
    if framing == "length":
        head.append(f"Content-Length: {len(body)}")
        sent_fields.append(["Content-Length", str(len(body))])
        data = body
    elif framing == "chunked":
        head.append("Transfer-Encoding: chunked")
        sent_fields.append(["Transfer-Encoding", "chunked"])
        cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=5)))
        pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)]) if b > a]
        ext = draw(st.sampled_from(["", ";a=b", " ; x"]))
        data = b"".join(b"%X%s\r\n%s\r\n" % (len(p), ext.encode(), p) for p in pieces)
        data += b"0\r\n" + draw(st.sampled_from([b"", b"T: 1\r\n"])) + b"\r\n"
    else:
        data = b""
    raw = ("\r\n".join(head) + "\r\n\r\n").encode() + data
    expect = {"method": method, "target": target, "path": base + rest, "query": q or "", "rest": rest,
              "headers": sent_fields, "body": body.decode("utf-8", "replace"), "body_len": len(body),
              "chunked": framing == "chunked", "version": 11, "keep_alive": True}
    return raw, expect


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(requests(), min_size=1, max_size=4), st.lists(st.integers(0, 3000), max_size=6))
def test_generated_requests_reach_the_handler_as_sent(serve_exe: Path, reqs: list, cuts: list[int]) -> None:
    stream = b"".join(raw for raw, _ in reqs)
    (ex,) = runs(serve_exe, [split_script(stream, cuts)])
    rs = ex.responses
    assert len(rs) == len(reqs) and not ex.closed
    for r, (_, expect) in zip(rs, reqs):
        d = r.json()
        assert {k: d[k] for k in expect} == expect
        assert d["content_length"] == (expect["body_len"] if "Content-Length" in str(expect["headers"]) else -1)


# ---- fuzzing ---------------------------------------------------------------------------

def check_invariants(ex: Exchange) -> None:
    """Every write is one response (no wchunk: one write each) or an interim 100."""
    for i, w in enumerate(ex.writes):
        head, sep, body = w.partition(b"\r\n\r\n")
        assert sep, w
        m = re.match(rb"HTTP/1\.1 (\d\d\d) ", head)
        assert m, w
        status = int(m[1])
        if status == 100:
            assert body == b""
            continue
        cl = re.search(rb"\r\nContent-Length: (\d+)", head)
        assert (cl is None) == (status == 204), w
        assert body == b"" or len(body) == int(cl[1]), w        # HEAD: no body
        if b"Connection: close" in head:
            assert i == len(ex.writes) - 1 and ex.closed, ex
    assert ex.closed or ex.deadline is not None


FRAGMENTS = [b"GET ", b"POST ", b"HEAD ", b"/info", b"/kv/", b"/echo", b" HTTP/1.1", b" HTTP/1.0", b"\r\n",
             b"\n", b"\r", b"Host: h\r\n", b"Content-Length: ", b"Transfer-Encoding: chunked\r\n", b": ",
             b"Expect: 100-continue\r\n", b"Connection: close\r\n", b"0\r\n\r\n", b"5\r\n", b"ffff", b" ",
             b"\t", b"\x00", b"\xff", b"9", b";", b","]
fuzz_bytes = st.lists(st.binary(max_size=8) | st.sampled_from(FRAGMENTS), max_size=80).map(b"".join)


@st.composite
def limits(draw: st.DrawFn) -> tuple:
    return (f"in={draw(st.integers(64, 4096))}", f"max_target={draw(st.integers(1, 300))}",
            f"max_headers={draw(st.integers(0, 70))}", f"max_header_bytes={draw(st.integers(0, 600))}",
            f"max_body={draw(st.integers(0, 3000))}", f"max_chunk_line={draw(st.integers(0, 20))}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(fuzz_bytes | st.binary(max_size=300), min_size=1, max_size=6),
       st.lists(st.integers(0, 2000), max_size=4), st.booleans())
def test_random_bytes_never_crash(serve_exe: Path, streams: list[bytes], cuts: list[int], eof: bool) -> None:
    scripts = [split_script(s, cuts) + (" eof" if eof else " t:99999999999") for s in streams]
    for ex in runs(serve_exe, scripts):
        check_invariants(ex)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(b"".join(raw for raw, _ in draw(st.lists(requests(), min_size=1, max_size=3))))
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        b = draw(st.sampled_from([b"\r", b"\n", b" ", b":", b",", b"0", b"f", b"\x00", b"\xff", b"\t"])
                 | st.binary(min_size=1, max_size=3))
        if op == "insert":
            data[i:i] = b
        elif op == "delete":
            del data[i:i + len(b)]
        else:
            data[i:i + len(b)] = b
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated(), st.lists(st.integers(0, 2000), max_size=4), limits() | st.just(()))
def test_mutated_requests_never_crash(serve_exe: Path, data: bytes, cuts: list[int], opts: tuple) -> None:
    (ex,) = runs(serve_exe, [split_script(data, cuts) + " t:99999999999"], opts)
    check_invariants(ex)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(requests(), min_size=1, max_size=3), limits(), st.lists(st.integers(0, 2000), max_size=4))
def test_limits_give_errors_not_crashes(serve_exe: Path, reqs: list, opts: tuple, cuts: list[int]) -> None:
    stream = b"".join(raw for raw, _ in reqs)
    (ex,) = runs(serve_exe, [split_script(stream, cuts) + " eof"], opts)
    check_invariants(ex)
    statuses = [int(w[9:12]) for w in ex.writes]
    assert all(s in (200, 100) or s in PARSER_ERRORS or s == 500 for s in statuses), statuses
