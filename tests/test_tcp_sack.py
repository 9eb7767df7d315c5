"""The sender's SACK-based loss recovery (RFC 6675), with the test as the peer.

Each test runs a fresh tests/host/tcp_sim.py (see tests/test_tcp_sim.py): our stack sends
a flight of full segments, the peer "loses" some and answers the rest with ACKs carrying
SACK blocks (RFC 2018), and the test checks exactly which segments go out again. Segments
are named by their index in the stream: S0 is the first data segment.
"""

from __future__ import annotations


import pytest

from test_tcp_frames import ACK, opt_mss, opt_sack, opt_sack_permitted, opt_ws
from test_tcp_sim import sim, sim_exe  # noqa: F401 (fixtures: a simulator built once per module)
from test_tcp_sim import ALL_BACK, SECOND, Peer, Sim, accept_one

MSS = 1460


class Flight:
    """A connection with `n` full segments in flight (cwnd grown by slow start)."""

    def __init__(self, sim: Sim, n: int = 12, sack: bool = True, total: int = 200000):
        self.sim = sim
        sim.do("listen=80,4")
        self.peer = peer = Peer(sim)
        opts = opt_mss(1460) + opt_ws(7) + (opt_sack_permitted() if sack else b"")
        sa = peer.syn(options=opts).one()
        assert sa.options.get("sackp", False) is sack
        peer.take([sa])
        peer.send(ACK)
        self.k = int(sim.do("accept=80").value("accepted ").split()[1])
        segs = sim.do(f"sendn={self.k},{total}").segs
        while len(segs) < n:                 # acknowledge one at a time: cwnd grows
            first = segs.pop(0)
            peer.take([first])
            segs += peer.send(ACK).segs
        self.base = segs[0].seq
        self.sent = len(segs)               # segments sent so far (S0 .. S(sent-1))
        assert all(s.seq == self.seq(i) and len(s.payload) == MSS for i, s in enumerate(segs))

    def seq(self, i: int) -> int:
        return (self.base + i * MSS) & 0xFFFFFFFF

    def index(self, seq: int) -> int:
        return ((seq - self.base) & 0xFFFFFFFF) // MSS

    def ack(self, ack: int, blocks: list[tuple[int, int]] = ()) -> list[int]:  # type: ignore[assignment]
        """The peer acknowledges segment `ack` (everything before it) with SACK blocks
        over segment indices [a, b); what our stack sent in answer, by index."""
        opts = opt_sack([(self.seq(a), self.seq(b)) for a, b in blocks]) if blocks else b""
        out = self.peer.send(ACK, ack=self.seq(ack), options=opts).segs
        for s in out:
            assert len(s.payload) == MSS
            i = self.index(s.seq)
            if i >= self.sent:
                assert i == self.sent       # new data goes in order
                self.sent += 1
        return [self.index(s.seq) for s in out]

    def info(self) -> dict[str, str]:
        return self.sim.info(self.k)


def test_several_holes_repaired_in_one_round_trip(sim: Sim) -> None:
    """S1, S4 and S7 are lost from S0..S11. On the third duplicate ACK S1 goes again;
    as more SACKs arrive pipe falls and IsLost() marks S4, then S7: both go before any
    cumulative ACK moves, where NewReno would need a round trip for each."""
    f = Flight(sim)
    assert f.sent == 12
    assert f.ack(1) == [12, 13]                              # S0 arrived: cwnd grows
    assert f.ack(1, [(2, 3)]) == [14]                        # limited transmit (RFC 3042)
    assert f.ack(1, [(2, 4)]) == [15]
    assert f.ack(1, [(5, 6), (2, 4)]) == [1]                 # third duplicate ACK: S1 again
    info = f.info()
    assert info["recovery"] == "True" and info["sacked"] == "2"
    # ssthresh = cwnd = (FlightSize - limited transmit) / 2: (15 - 2) segments halved.
    assert info["ssthresh"] == info["cwnd"] == str(13 * MSS // 2)
    assert sim.counters()["tcp_fast_retransmits"] == 1
    assert f.ack(1, [(5, 7), (2, 4)]) == []
    assert f.ack(1, [(8, 9), (5, 7), (2, 4)]) == []
    assert f.ack(1, [(8, 10), (5, 7), (2, 4)]) == []
    assert f.ack(1, [(8, 11), (5, 7), (2, 4)]) == []
    assert f.ack(1, [(8, 12), (5, 7), (2, 4)]) == [4]        # pipe below cwnd: the lost S4
    assert f.ack(1, [(8, 13), (5, 7), (2, 4)]) == [7]        # then the lost S7
    assert f.ack(1, [(8, 14), (5, 7), (2, 4)]) == [16]       # then new data
    assert sim.counters()["tcp_retransmits"] == 3
    # The retransmissions arrive: a partial ACK up to S7, then everything.
    assert f.ack(7, [(8, 14)]) == [17, 18]
    assert f.info()["recovery"] == "True"
    assert f.ack(8, [(9, 10)]) == [19]
    info = f.info()
    f.ack(f.sent)
    info = f.info()
    assert info["recovery"] == "False" and info["sacked"] == "0"
    assert int(info["cwnd"]) == int(info["ssthresh"]) == 13 * MSS // 2
    assert sim.counters()["tcp_retransmits"] == 3
    assert sim.end() == ALL_BACK


def test_is_lost_starts_recovery_before_three_duplicate_acks(sim: Sim) -> None:
    """One duplicate ACK SACKing more than DupThresh - 1 segments above S1: IsLost(S1)."""
    f = Flight(sim)
    assert f.ack(1) == [12, 13]
    assert f.ack(1, [(2, 5)]) == [1]
    assert f.info()["recovery"] == "True" and f.info()["dupacks"] == "1"
    assert sim.end() == ALL_BACK


def test_ack_with_new_sack_information_and_data_counts_as_duplicate(sim: Sim) -> None:
    """RFC 6675 section 2: an ACK that SACKs new data is a duplicate even if its window
    differs from the last one."""
    f = Flight(sim)
    assert f.ack(1) == [12, 13]
    out = f.peer.send(ACK, ack=f.seq(1), window=40000, options=opt_sack([(f.seq(2), f.seq(3))])).segs
    assert [f.index(s.seq) for s in out] == [14]
    assert f.info()["dupacks"] == "1"
    assert sim.end() == ALL_BACK


def test_invalid_sack_blocks_are_ignored(sim: Sim) -> None:
    """Blocks at or below the cumulative ACK (D-SACK, RFC 2883), beyond SND.MAX, or
    empty leave the scoreboard alone."""
    f = Flight(sim)
    assert f.ack(1) == [12, 13]
    top = f.sent
    # One duplicate ACK: a D-SACK of S0, a block never sent, an inverted one. Taken,
    # any of the last two would mark S1 lost at once.
    out = f.peer.send(ACK, ack=f.seq(1), options=opt_sack([(f.seq(0), f.seq(1)), (f.seq(top), f.seq(top + 4)),
                                                            (f.seq(9), f.seq(3))])).segs
    assert [f.index(s.seq) for s in out] == [top]             # limited transmit only
    info = f.info()
    assert info["sacked"] == "0" and info["recovery"] == "False" and info["dupacks"] == "1"
    # A valid block after them is taken (and SACKs enough to mark S1 lost).
    assert f.ack(1, [(0, 1), (3, 6)]) == [1]
    assert f.info()["sacked"] == "1" and f.info()["recovery"] == "True"
    assert sim.end() == ALL_BACK


def test_scoreboard_is_trimmed_as_snd_una_moves(sim: Sim) -> None:
    f = Flight(sim)
    assert f.ack(1) == [12, 13]
    f.ack(1, [(3, 4)])
    f.ack(1, [(6, 7), (3, 4)])
    assert f.info()["sacked"] == "2"
    f.ack(5)                                                  # covers the first range
    assert f.info()["sacked"] == "1"
    f.ack(7)
    assert f.info()["sacked"] == "0"
    assert sim.end() == ALL_BACK


def test_timeout_expunges_the_scoreboard(sim: Sim) -> None:
    """RFC 6675 section 5.1: after an RTO the SACK information is not trusted; sending
    starts again from SND.UNA, and no new recovery begins before RecoveryPoint."""
    f = Flight(sim)
    assert f.ack(1) == [12, 13]
    assert f.ack(1, [(2, 5)]) == [1]
    assert f.info()["recovery"] == "True"
    out = sim.later(2 * SECOND).segs
    assert [f.index(s.seq) for s in out] == [1]
    info = f.info()
    assert info["recovery"] == "False" and info["sacked"] == "0" and info["cwnd"] == str(MSS)
    # Duplicate ACKs with SACK blocks before RecoveryPoint: no fast retransmit.
    for _ in range(4):
        f.peer.send(ACK, ack=f.seq(1), options=opt_sack([(f.seq(2), f.seq(8))]))
    assert f.info()["recovery"] == "False" and sim.counters()["tcp_fast_retransmits"] == 1
    assert sim.end() == ALL_BACK


def test_rescue_retransmission_of_the_tail(sim: Sim) -> None:
    """Nothing new to send and no hole left below the highest SACK, but the tail T6 is
    unSACKed: once per recovery it goes again (NextSeg rule 4), HighRxt left alone."""
    f = Flight(sim, n=7, total=11 * MSS)                      # T0..T6 in flight, nothing unsent
    assert f.info()["unsent"] == "0"
    assert f.ack(1) == []                                     # T1 and T6 are lost
    assert f.ack(1, [(2, 3)]) == []
    assert f.ack(1, [(2, 4)]) == []
    assert f.ack(1, [(2, 5)]) == [1]                          # recovery: cwnd = 3 segments
    assert f.info()["pipe"] == str(3 * MSS)
    assert f.ack(1, [(2, 6)]) == [6]                          # the rescue retransmission
    assert f.ack(1, [(2, 6)]) == []                           # only once
    f.ack(7)
    assert f.info()["recovery"] == "False"
    assert sim.counters()["tcp_retransmits"] == 2
    assert sim.end() == ALL_BACK


@pytest.mark.parametrize("sack", [False])
def test_non_sack_peer_keeps_new_reno(sim: Sim, sack: bool) -> None:
    """A peer that did not offer SACK-permitted: SACK blocks it sends anyway are
    ignored, and recovery is NewReno's (cwnd inflated by three segments)."""
    f = Flight(sim, sack=sack)
    assert f.ack(1) == [12, 13]
    assert f.ack(1, [(2, 6)]) == [14]                         # no IsLost(): limited transmit
    assert f.ack(1, [(2, 7)]) == [15]
    assert f.info()["sacked"] == "0"
    assert f.ack(1, [(2, 8)]) == [1]
    info = f.info()
    assert info["recovery"] == "True" and info["sacked"] == "0"
    assert int(info["cwnd"]) == int(info["ssthresh"]) + 3 * MSS
    # Further SACKed holes are not repaired: only duplicate ACKs inflating cwnd.
    for i in range(9, 12):
        assert 4 not in f.ack(1, [(2, 4), (5, i)])
    assert sim.end() == ALL_BACK
