"""kernel/net/wire/tcp.py: byte-array round trips (parse known bytes and check the fields;
emit them and compare bytes, as smoltcp tests its wire module), malformed headers and
options, hypothesis fuzzing of the parser, and properties of the sequence-number
arithmetic against Python integers.

tests/host/tcp_wire.py is built with --debug, so an index out of range panics; the
expected bytes come from tests/test_tcp_frames.py (CPython, checked against scapy).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kaa import build as kbuild
from test_tcp_frames import ACK, FIN, PSH, RST, SYN, opt_mss, opt_sack, opt_sack_permitted, opt_ts, opt_ws, tcp

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., list[str]]
A, B = "10.0.0.1", "10.0.0.2"
M = 1 << 32


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Run:
    exe = kbuild.build(ROOT / "tests" / "host" / "tcp_wire.py", tmp_path_factory.mktemp("tcpw") / "tcp_wire",
                       target="host", debug=True)

    def run(*commands: str) -> list[str]:
        r = subprocess.run([str(exe), "-"], input="\n".join(commands), capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout.splitlines()
    return run


def parse(wire: Run, seg: bytes, src: str = B, dst: str = A) -> str:
    (line,) = wire(f"parse:{src}:{dst}:{seg.hex()}")
    return line


# Known bytes.

def test_plain_segment_round_trip(wire: Run) -> None:
    seg = tcp(B, A, 40000, 80, 0x01020304, 0xA0B0C0D0, ACK | PSH, 29200, b"hello")
    assert parse(wire, seg) == (f"tcp ok sport=40000 dport=80 seq=16909060 ack={0xA0B0C0D0} flags=18 win=29200 urg=0 "
                                f"mss=0 len=5 payload={b'hello'.hex()} emit={seg.hex()}")


def test_syn_options_round_trip(wire: Run) -> None:
    """Our emit order is MSS, NOP+WS, NOP NOP SACK-permitted, NOP NOP timestamps:
    the same bytes as test_tcp_frames' builder (which scapy agrees with)."""
    opts = opt_mss(1460) + opt_ws(7) + opt_sack_permitted() + opt_ts(0x11223344, 0x55667788)
    seg = tcp(B, A, 40000, 80, 1, 0, SYN, 65535, options=opts)
    line = parse(wire, seg)
    assert " mss=1460 ws=7 sackp ts=287454020,1432778632 len=1 " in line
    assert line.endswith(f"emit={seg.hex()}")


def test_options_in_any_order_with_padding(wire: Run) -> None:
    opts = b"\x01\x01\x01" + b"\x03\x03\x0e" + b"\x02\x04\x02\x18" + b"\x00\x00"      # NOPs, WS 14, MSS 536, EOL
    line = parse(wire, tcp(B, A, 1, 2, 3, 4, SYN | ACK, options=opts))
    assert " mss=536 ws=14 len=1 " in line
    # Emitted again in our own layout.
    assert line.endswith("emit=" + tcp(B, A, 1, 2, 3, 4, SYN | ACK, options=opt_mss(536) + opt_ws(14)).hex())


def test_unknown_options_are_skipped(wire: Run) -> None:
    opts = b"\xfe\x04\xab\xcd" + opt_mss(1000) + b"\x1e\x02"                          # experimental, MPTCP
    assert " mss=1000 len=0 " in parse(wire, tcp(B, A, 1, 2, 3, 4, ACK, options=opts))


def test_sack_blocks_round_trip(wire: Run) -> None:
    seg = tcp(B, A, 1, 2, 3, 4, ACK, options=opt_sack([(100, 200), (M - 5, 7), (300, 400), (500, 600)]))
    line = parse(wire, seg)
    assert f" sack=100-200 sack={M - 5}-7 sack=300-400 sack=500-600 len=0 " in line
    assert line.endswith(f"emit={seg.hex()}")


def test_sack_blocks_that_do_not_fit_are_left_out(wire: Run) -> None:
    """MSS and SACK-permitted packed tight leave room for 4 blocks; in our layout (each
    padded with NOPs) for 3, as beside timestamps (RFC 2018 section 3)."""
    blocks = [(1, 2), (3, 4), (5, 6), (7, 8)]
    tight = opt_mss(536) + b"\x04\x02" + opt_sack(blocks)[2:]                          # 40 bytes
    line = parse(wire, tcp(B, A, 1, 2, 3, 4, SYN | ACK, options=tight))
    assert line.count(" sack=") == 4
    expect = tcp(B, A, 1, 2, 3, 4, SYN | ACK, options=opt_mss(536) + opt_sack_permitted() + opt_sack(blocks[:3]))
    assert line.endswith(f"emit={expect.hex()}")
    stamped = parse(wire, tcp(B, A, 1, 2, 3, 4, ACK, options=opt_ts(9, 9) + opt_sack(blocks[:3])))
    assert stamped.count(" sack=") == 3 and " ts=9,9 " in stamped


def test_bytes_after_eol_are_ignored(wire: Run) -> None:
    opts = b"\x00" + b"\x02\x00\x00\x00"                                                 # EOL, then junk
    assert " mss=0 len=0 " in parse(wire, tcp(B, A, 1, 2, 3, 4, ACK, options=opts))


def test_flags_and_lengths(wire: Run) -> None:
    line = parse(wire, tcp(B, A, 1, 2, 3, 4, FIN | SYN | RST | ACK, payload=b"xy"))
    assert " flags=17 " in line and " len=4 " in line


@pytest.mark.parametrize("seg,error", [
    (tcp(B, A, 1, 2, 3, 4, ACK)[:19], "truncated"),
    (tcp(B, A, 1, 2, 3, 4, ACK, offset=4), "malformed"),                  # data offset below 5
    (tcp(B, A, 1, 2, 3, 4, ACK, offset=6), "truncated"),                  # header beyond the segment
    (tcp(B, A, 1, 2, 3, 4, ACK, check=0x1234), "checksum"),
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x01\x01\x02\x04"), "malformed"),   # MSS cut by the header end
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x02\x03\x05\xb4"), "malformed"),   # MSS of length 3
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x03\x04\x07\x00"), "malformed"),   # WS of length 4
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x04\x03\x00\x00"), "malformed"),   # SACK-permitted of length 3
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x08\x06\x00\x00\x00\x00"), "malformed"),   # short timestamps
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x05\x02"), "malformed"),                      # SACK, no block
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x05\x06" + bytes(4)), "malformed"),           # half a block
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x05\x2a" + bytes(40)[:38]), "malformed"),     # past the header
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\xfe\x00\x00\x00"), "malformed"),   # length 0
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\xfe\x01\x00\x00"), "malformed"),   # length 1
    (tcp(B, A, 1, 2, 3, 4, ACK, options=b"\x01\x01\x01\xfe"), "malformed"),   # no room for a length
])
def test_bad_segments(wire: Run, seg: bytes, error: str) -> None:
    assert parse(wire, seg) == f"tcp {error}"


def test_checksum_covers_the_pseudo_header(wire: Run) -> None:
    seg = tcp(B, A, 1, 2, 3, 4, ACK)
    assert parse(wire, seg, src="10.0.0.3") == "tcp checksum"


def test_odd_payload(wire: Run) -> None:
    seg = tcp(B, A, 1, 2, 3, 4, ACK | PSH, payload=b"abc")
    assert parse(wire, seg).endswith(f"emit={seg.hex()}")


# Fuzzing: random bytes, checksum fixed so the options get parsed.

header = st.builds(lambda words, flags, rest: bytes(12) + bytes([words << 4, flags]) + rest,
                   st.integers(0, 15), st.integers(0, 255), st.binary(min_size=6, max_size=6))
option = st.one_of(st.just(b"\x00"), st.just(b"\x01"), st.builds(opt_mss, st.integers(0, 65535)),
                   st.builds(opt_ws, st.integers(0, 255)), st.just(opt_sack_permitted()),
                   st.builds(opt_ts, st.integers(0, M - 1), st.integers(0, M - 1)),
                   st.builds(opt_sack, st.lists(st.tuples(st.integers(0, M - 1), st.integers(0, M - 1)),
                                                min_size=1, max_size=4)),
                   st.binary(min_size=1, max_size=6))
segments = st.one_of(
    st.binary(max_size=80),
    st.builds(lambda h, opts, data: h + b"".join(opts) + data, header, st.lists(option, max_size=8),
              st.binary(max_size=16)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(segments, min_size=1, max_size=30))
def test_fuzz_never_crashes_and_round_trips(wire: Run, batch: list[bytes]) -> None:
    out = wire(*[f"fuzz:{b.hex()}" for b in batch])
    assert len(out) == len(batch)
    for line, b in zip(out, batch):
        assert line in ("fuzz ok same", "fuzz truncated", "fuzz malformed"), (line, b.hex())
        if len(b) < 20:
            assert line == "fuzz truncated"


# Sequence-number arithmetic (RFC 9293 section 3.4) against Python integers.

def signed(d: int) -> int:
    d %= M
    return d - M if d >= M // 2 else d


def expected_seq(a: int, b: int) -> str:
    d = signed(a - b)
    return f"seq {d < 0} {d <= 0} {d > 0} {d >= 0} {a if d >= 0 else b} {a if d <= 0 else b}"


u32s = st.integers(0, M - 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(u32s, u32s), min_size=1, max_size=200))
def test_seq_comparisons(wire: Run, pairs: list[tuple[int, int]]) -> None:
    out = wire(*[f"seq:{a}:{b}" for a, b in pairs])
    assert out == [expected_seq(a, b) for a, b in pairs]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.tuples(u32s, st.integers(-(1 << 20), 1 << 20), st.integers(0, 1 << 20)),
                      min_size=1, max_size=200))
def test_seq_window(wire: Run, cases: list[tuple[int, int, int]]) -> None:
    """x in [start, start + size) however the numbers wrap."""
    out = wire(*[f"win:{(s + d) % M}:{s}:{n}" for s, d, n in cases])
    assert out == [f"win {0 <= d < n}" for _, d, n in cases]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.tuples(u32s, st.integers(0, 1 << 20), st.integers(-(1 << 10), 1 << 21)),
                      min_size=1, max_size=200))
def test_seq_between(wire: Run, cases: list[tuple[int, int, int]]) -> None:
    out = wire(*[f"between:{lo}:{(lo + d) % M}:{(lo + span) % M}" for lo, span, d in cases])
    assert out == [f"between {0 <= d <= span}" for _, span, d in cases]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=u32s, d=st.integers(1, (1 << 31) - 1))
def test_seq_order_survives_wrapping(wire: Run, a: int, d: int) -> None:
    """b = a + d (d < 2^31) is after a, even across the wrap."""
    b = (a + d) % M
    assert wire(f"seq:{a}:{b}", f"seq:{b}:{a}") == [expected_seq(a, b), expected_seq(b, a)]
    assert expected_seq(a, b).startswith("seq True True False False")
