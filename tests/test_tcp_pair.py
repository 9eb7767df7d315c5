"""Two Kaa TCP endpoints over a lossy, reordering, duplicating link deliver both byte
streams intact, then close and give back every connection and packet.

tests/host/tcp_pair.py (built with --debug) runs A and B (kernel/net/tcp*.py, the one
stack, two interfaces) in one process over a simulated link; hypothesis chooses what
the link does to each frame, how many connections run at once, how much each side
sends, the MTUs (so the MSS), the ring sizes (small ones close the window), how often
each side reads and how many packet buffers there are. After every frame the harness
checks that no side received past what its peer sent (how a fast retransmit of data
never sent was found). With static=1 each side's stream mixes send() and send_static()
(tcp_sendq.py) at random sizes, over a device that gathers external payloads or not.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., str]
MS = 1_000_000


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Run:
    exe = kbuild.build(ROOT / "tests" / "host" / "tcp_pair.py", tmp_path_factory.mktemp("tcppair") / "tcp_pair",
                       target="host", debug=True)

    def run(**options: object) -> str:
        script = " ".join(f"{k}={v}" for k, v in options.items())
        r = subprocess.run([str(exe), "-"], input=script, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"{script}\n{r.stdout}{r.stderr}"
        (last,) = r.stdout.splitlines()[-1:]
        assert last.startswith("ok "), r.stdout
        return last
    return run


def fields(line: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in line.split()[1:])


def test_clean_link(pair: Run) -> None:
    f = fields(pair(a2b=300000, b2a=123457))
    assert (f["a2b"], f["b2a"]) == ("300000", "123457")
    assert (f["retransmits"], f["live"], f["packets"], f["no_buffer"]) == ("0", "0", "1024/1024", "0")


def test_empty_streams(pair: Run) -> None:
    f = fields(pair(a2b=0, b2a=0))
    assert (f["a2b"], f["b2a"], f["live"]) == ("0", "0", "0")


def test_one_way(pair: Run) -> None:
    f = fields(pair(a2b=1, b2a=0, link="d.d.d"))
    assert (f["a2b"], f["b2a"]) == ("1", "0")


def test_slow_reader_with_small_buffers_probes_a_zero_window(pair: Run) -> None:
    f = fields(pair(a2b=50000, b2a=0, rbuf_b=1024, read_b=300 * MS))
    assert f["a2b"] == "50000" and int(f["probes"]) >= 0


def test_small_mtu_and_jumbo(pair: Run) -> None:
    assert fields(pair(a2b=20000, b2a=20000, mtu_a=296, mtu_b=9000))["a2b"] == "20000"


def test_many_connections_at_once(pair: Run) -> None:
    f = fields(pair(pairs=32, a2b=100000, b2a=50000, link="..d..u..5..d..9..d....d..d.d.d..dd.ddd.d.d..d"))
    assert (f["a2b"], f["b2a"], f["live"]) == (str(32 * 100000), str(32 * 50000), "0")


def test_short_of_packet_buffers(pair: Run) -> None:
    """Sends that find the pool empty are retried by the timers; nothing leaks."""
    f = fields(pair(pairs=32, a2b=100000, b2a=100000, pool=64, link="..d..u..5..d..9..d....d"))
    assert f["a2b"] == str(32 * 100000) and int(f["no_buffer"]) > 0 and f["packets"] == "64/64"


def test_reordering_triggers_fast_retransmit(pair: Run) -> None:
    f = fields(pair(a2b=100000, b2a=0, link="...................." + "9" + "." * 40))
    assert int(f["fast"]) >= 1


@pytest.mark.parametrize("gather", [0, 1])
def test_static_and_copied_data_interleave(pair: Run, gather: int) -> None:
    """send() and send_static() chunks of random sizes, one byte stream: delivered
    exactly; with a device that gathers, segments leave with their data in place."""
    f = fields(pair(static=1, gather=gather, a2b=1500000, b2a=700001))
    assert (f["a2b"], f["b2a"], f["live"], f["packets"]) == ("1500000", "700001", "0", "1024/1024")
    assert int(f["static"]) > 1000000 and f["linearized"] == "0"
    assert (int(f["gathered"]) > int(f["data_segments"]) // 2) if gather else f["gathered"] == "0"


@pytest.mark.parametrize("gather", [0, 1])
def test_static_data_is_retransmitted_from_its_place(pair: Run, gather: int) -> None:
    f = fields(pair(static=1, gather=gather, pairs=8, a2b=400000, b2a=200000, sbuf_a=4096, rbuf_b=16384,
                    link="..d..u..5..d..9..d....d..d.d.d..dd.ddd.d.d..d" * 4))
    assert (f["a2b"], f["b2a"], f["live"], f["packets"]) == (str(8 * 400000), str(8 * 200000), "0", "1024/1024")
    assert int(f["retransmits"]) > 0 and int(f["static"]) > 0
    assert (int(f["gathered"]) > 0) if gather else f["gathered"] == "0"


def lossy_link(seed: int, frames: int = 6000, loss: float = 0.05) -> str:
    rnd = random.Random(seed)
    return "".join("d" if rnd.random() < loss else "." for _ in range(frames))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sack_recovery_on_a_lossy_link(pair: Run, seed: int) -> None:
    """5% of frames dropped each way: with SACK (RFC 6675) the streams arrive exact and
    the senders recover on the scoreboard; the same link with the senders ignoring SACK
    blocks (NewReno) is run for comparison. Simulated time and retransmissions are
    printed (pytest -s), not asserted: the two runs see different frames dropped."""
    link = lossy_link(seed)
    runs = {}
    for sack in (1, 0):
        f = fields(pair(a2b=2000000, b2a=2000000, sack=sack, link=link))
        assert (f["a2b"], f["b2a"], f["live"], f["packets"]) == ("2000000", "2000000", "0", "1024/1024")
        runs[sack] = f
    assert int(runs[1]["sack_recoveries"]) > 0 and runs[0]["sack_recoveries"] == "0"
    for sack, f in runs.items():
        print(f"seed {seed} {'SACK   ' if sack else 'NewReno'}: time {int(f['time']) / 1e9:.2f} s simulated, "
              f"frames {f['frames']}, dropped {f['dropped']}, retransmits {f['retransmits']}, "
              f"recoveries {f['fast']}")


LINK = st.text(alphabet=st.sampled_from("........ddu0123456789"), max_size=400)
SIZES = st.sampled_from([0, 1, 1000, 1460, 4096, 65536, 200000])
BUFFERS = st.sampled_from([1024, 4096, 16384, 65536, 262144])
MTUS = st.sampled_from([1500, 1500, 576, 296, 9000])
READS = st.sampled_from([0, 0, MS, 50 * MS, 400 * MS])
PAIRS = st.sampled_from([1, 1, 1, 2, 5, 12])
POOLS = st.sampled_from([1024, 1024, 1024, 96])


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(link=LINK, pairs=PAIRS, a2b=SIZES, b2a=SIZES, mtu_a=MTUS, mtu_b=MTUS, rbuf_a=BUFFERS, sbuf_a=BUFFERS,
       rbuf_b=BUFFERS, sbuf_b=BUFFERS, read_a=READS, read_b=READS, pool=POOLS, seed=st.integers(1, 1 << 40))
def test_streams_survive_any_link(pair: Run, link: str, pairs: int, a2b: int, b2a: int, mtu_a: int, mtu_b: int,
                                  rbuf_a: int, sbuf_a: int, rbuf_b: int, sbuf_b: int, read_a: int, read_b: int,
                                  pool: int, seed: int) -> None:
    f = fields(pair(pairs=pairs, a2b=a2b, b2a=b2a, mtu_a=mtu_a, mtu_b=mtu_b, rbuf_a=rbuf_a, sbuf_a=sbuf_a,
                    rbuf_b=rbuf_b, sbuf_b=sbuf_b, read_a=read_a, read_b=read_b, pool=pool, seed=seed,
                    link=link or "."))
    assert (int(f["a2b"]), int(f["b2a"])) == (pairs * a2b, pairs * b2a)
    assert f["live"] == "0" and f["packets"] == f"{pool}/{pool}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(link=LINK, pairs=PAIRS, a2b=SIZES, b2a=SIZES, mtu_a=MTUS, mtu_b=MTUS, sbuf_a=BUFFERS, rbuf_b=BUFFERS,
       read_b=READS, pool=POOLS, gather=st.sampled_from([0, 1]), seed=st.integers(1, 1 << 40))
def test_static_streams_survive_any_link(pair: Run, link: str, pairs: int, a2b: int, b2a: int, mtu_a: int,
                                         mtu_b: int, sbuf_a: int, rbuf_b: int, read_b: int, pool: int, gather: int,
                                         seed: int) -> None:
    f = fields(pair(static=1, gather=gather, pairs=pairs, a2b=a2b, b2a=b2a, mtu_a=mtu_a, mtu_b=mtu_b, sbuf_a=sbuf_a,
                    rbuf_b=rbuf_b, read_b=read_b, pool=pool, seed=seed, link=link or "."))
    assert (int(f["a2b"]), int(f["b2a"])) == (pairs * a2b, pairs * b2a)
    assert f["live"] == "0" and f["packets"] == f"{pool}/{pool}"
