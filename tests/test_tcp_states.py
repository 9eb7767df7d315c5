"""kernel/net/tcp*.py state by state (RFC 9293 section 3.10.7), with the test as the peer.

Each test runs a fresh tests/host/tcp_sim.py (see tests/test_tcp_sim.py): the stack at
10.0.0.1, the peer at 10.0.0.2 played by tests/test_tcp_frames.py's builders, time
moved by hand. Tests are grouped by the state the connection is in when the segment
or timer under test arrives, as smoltcp groups its own; every test ends by checking
that all connections and packets were reclaimed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_tcp_frames import ACK, FIN, PEER, PSH, RST, SYN, US, opt_mss, opt_sack_permitted, opt_ws
from test_tcp_sim import sim, sim_exe  # noqa: F401 (fixtures: a simulator built once per module)
from test_tcp_sim import ALL_BACK, MS, SECOND, Peer, Sim, accept_one, connect_one

M = 1 << 32


def established(sim: Sim, **kw: int) -> tuple[int, Peer]:
    peer = Peer(sim, **kw)
    k, _ = accept_one(sim, peer)
    return k, peer


# CLOSED: no connection and no listener (section 3.10.7.1). TCP input is attached to
# the interface by the first listen() or connect(): here a listener on another port.

class TestClosed:
    @pytest.fixture(autouse=True)
    def attach(self, sim: Sim) -> None:
        sim.do("listen=9,1")

    def test_nothing_attached_before_the_first_socket(self, sim_exe: Path) -> None:
        fresh = Sim(sim_exe)
        try:
            Peer(fresh).syn().none()
            assert fresh.counters() == {"rx_frames": 1, "ip_rx": 1, "ip_unknown_protocol": 1}
        finally:
            fresh.close()

    def test_syn_gets_rst_ack(self, sim: Sim) -> None:
        r = Peer(sim, isn=7000).syn().one()
        assert (r.names, r.seq, r.ack, r.sport, r.dport) == ("RA", 0, 7001, 80, 40000)
        assert sim.counters()["tcp_no_listener"] == 1
        assert sim.end() == ALL_BACK

    def test_ack_gets_rst_at_its_ack(self, sim: Sim) -> None:
        r = Peer(sim).send(ACK | PSH, b"data", ack=123456).one()
        assert (r.names, r.seq) == ("R", 123456)

    def test_rst_gets_nothing(self, sim: Sim) -> None:
        Peer(sim).send(RST | ACK, ack=5).none()
        assert sim.counters()["tcp_no_listener"] == 1

    def test_broadcast_and_bad_segments_are_dropped(self, sim: Sim) -> None:
        from test_net_frames import ETH_IPV4, eth, ipv4
        from test_tcp_frames import PEER_MAC, US_MAC, tcp
        seg = tcp(PEER, "10.0.0.255", 40000, 80, 1, 0, SYN)
        sim.do(f"rx={eth(US_MAC, PEER_MAC, ETH_IPV4, ipv4(PEER, '10.0.0.255', 6, seg)).hex()}").none()
        bad = tcp(PEER, US, 40000, 80, 1, 0, SYN, check=0xBAD)
        sim.do(f"rx={eth(US_MAC, PEER_MAC, ETH_IPV4, ipv4(PEER, US, 6, bad)).hex()}").none()
        short = tcp(PEER, US, 40000, 80, 1, 0, SYN, offset=4)
        sim.do(f"rx={eth(US_MAC, PEER_MAC, ETH_IPV4, ipv4(PEER, US, 6, short)).hex()}").none()
        opts = tcp(PEER, US, 40000, 80, 1, 0, SYN, options=b"\x02\x00\x00\x00")
        sim.do(f"rx={eth(US_MAC, PEER_MAC, ETH_IPV4, ipv4(PEER, US, 6, opts)).hex()}").none()
        c = sim.counters()
        assert (c["tcp_bad_address"], c["tcp_bad_checksum"], c["tcp_bad_header"], c["tcp_bad_options"]) == \
            (1, 1, 1, 1)
        assert "tcp_rx" not in c
        assert sim.end() == ALL_BACK


# LISTEN (section 3.10.7.2).

class TestListen:
    def test_syn_gets_syn_ack_with_our_options(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim, isn=M - 1)                          # the peer's numbers wrap at once
        sa = peer.syn().one()
        assert sa.names == "SA" and sa.ack == 0
        assert sa.options == {"mss": 1460, "ws": 3}          # MTU - 40; 256 KiB fits 65535 << 3
        assert sa.window == 65535                            # a SYN's window is never scaled
        assert sim.live() == 1
        assert sim.end() == ALL_BACK

    def test_no_window_scale_unless_the_peer_offers_it(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        sa = Peer(sim).syn(options=opt_mss(536)).one()
        assert sa.options == {"mss": 1460}
        out = Peer(sim, pport=40001).syn(options=b"").one()
        assert out.options == {"mss": 1460}

    def test_handshake_completes_and_waits_for_accept(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        sa = peer.syn().one()
        peer.take([sa])
        assert sim.do("accept=80").lines == ["accept none"]
        out = peer.send(ACK)
        out.none()
        assert out.events == ["event listener 80 16"]       # ACCEPTABLE
        assert sim.do("accept=80").lines == ["accepted 0"]
        info = sim.info(0)
        assert info["state"] == "ESTABLISHED" and info["mss"] == "1460" and info["snd_shift"] == "7"
        assert info["snd_wnd"] == str(65535 << 7) and info["cwnd"] == str(3 * 1460)

    def test_rst_is_ignored(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        Peer(sim).send(RST).none()
        assert sim.counters()["tcp_rst_ignored"] == 1 and sim.live() == 0

    def test_ack_gets_rst(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        r = Peer(sim).send(ACK, ack=777).one()
        assert (r.names, r.seq) == ("R", 777)

    def test_other_segments_are_dropped(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        Peer(sim).send(FIN, ack=0).none()
        assert sim.counters()["tcp_dropped"] == 1 and sim.live() == 0

    def test_syn_queue_limit(self, sim: Sim) -> None:
        """Past the half-open limit, a SYN cookie: a SYN-ACK and nothing kept (the
        cookies themselves: tests/test_tcp_limits.py)."""
        sim.do("listen=80,8,2")
        assert Peer(sim, pport=1).syn().one().names == "SA"
        assert Peer(sim, pport=2).syn().one().names == "SA"
        cookie = Peer(sim, pport=3).syn().one()
        assert cookie.names == "SA" and cookie.options == {"mss": 1460}
        assert sim.counters()["tcp_syn_queue_full"] == 1 and sim.live() == 2
        assert sim.end() == ALL_BACK

    def test_backlog_limit(self, sim: Sim) -> None:
        sim.do("listen=80,1")
        accept_one(sim, Peer(sim, pport=1), listen=False) if False else None
        first = Peer(sim, pport=1)
        first.take([first.syn().one()])
        first.send(ACK)                                      # established, waiting for accept()
        Peer(sim, pport=2).syn().none()                      # the queue is full: no SYN-ACK
        assert sim.counters()["tcp_backlog_full"] == 1
        sim.do("accept=80")
        assert Peer(sim, pport=3).syn().one().names == "SA"
        assert sim.end() == ALL_BACK

    def test_backlog_full_at_the_final_ack_waits(self, sim: Sim) -> None:
        """Two half-open, room for one: the second's ACK is dropped until accept()."""
        sim.do("listen=80,1")
        a, b = Peer(sim, pport=1), Peer(sim, pport=2)
        a.take([a.syn().one()])
        b.take([b.syn().one()])
        a.send(ACK)
        b.send(ACK).none()
        assert sim.counters()["tcp_backlog_full"] == 1
        sim.do("accept=80")
        sa = sim.at(SECOND).one()                            # b's SYN-ACK again
        assert sa.names == "SA" and sa.dport == 2
        assert b.send(ACK).events == ["event listener 80 16"]

    def test_close_listener_resets_what_it_holds(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        half, done = Peer(sim, pport=1), Peer(sim, pport=2)
        half.take([half.syn().one()])
        done.take([done.syn().one()])
        done.send(ACK)
        out = sim.do("unlisten=80")
        assert sorted((s.dport, s.names) for s in out.segs) == [(1, "R"), (2, "R")]
        assert sim.live() == 0
        assert Peer(sim, pport=3).syn().one().names == "RA"   # nobody listens now
        assert sim.end() == ALL_BACK

    def test_port_taken(self, sim: Sim) -> None:
        assert sim.do("listen=80,1", "listen=80,1").lines == ["listener 80", "listen failed"]


# SYN-SENT (section 3.10.7.3).

class TestSynSent:
    def test_connect_sends_syn_and_completes(self, sim: Sim) -> None:
        out = sim.do(f"connect={PEER},8080")
        syn = out.one()
        assert syn.names == "S" and syn.options == {"mss": 1460, "ws": 3, "sackp": True} and syn.dport == 8080
        peer = Peer(sim, port=syn.sport, pport=8080)
        peer.take([syn])
        out = peer.send(SYN | ACK, options=opt_mss(1000))
        ack = out.one()
        assert (ack.names, ack.seq, ack.ack) == ("A", syn.seq + 1, peer.seq)
        assert out.events == ["event 0 2"]                   # WRITABLE
        info = sim.info(0)
        assert info["state"] == "ESTABLISHED" and info["mss"] == "1000"
        assert info["snd_shift"] == "0" and info["rcv_shift"] == "0"     # no WS from the peer
        assert ack.window == 65535                           # unscaled now: 64 KiB, capped
        assert sim.end() == ALL_BACK

    def test_bad_ack_gets_rst(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        peer = Peer(sim, port=syn.sport, pport=8080)
        r = peer.send(SYN | ACK, ack=syn.seq + 5).one()
        assert (r.names, r.seq) == ("R", syn.seq + 5)
        assert sim.state(0) == "SYN-SENT" and sim.counters()["tcp_bad_ack"] == 1

    def test_rst_with_good_ack_refuses(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        peer = Peer(sim, port=syn.sport, pport=8080)
        out = peer.send(RST | ACK, seq=0, ack=syn.seq + 1)
        out.none()
        assert out.events == ["event 0 12"]                  # CLOSED | ERROR
        info = sim.info(0)
        assert (info["state"], info["err"]) == ("CLOSED", "refused")
        assert sim.do("recv=0,10").lines == ["recv 0 eof"] and sim.do("send=0,00").lines == ["sent 0 -1"]
        sim.do("close=0")
        assert sim.live() == 0

    def test_rst_without_ack_is_ignored(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        Peer(sim, port=syn.sport, pport=8080).send(RST, seq=0).none()
        assert sim.state(0) == "SYN-SENT" and sim.counters()["tcp_rst_ignored"] == 1

    def test_syn_is_retransmitted_with_backoff_then_given_up(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        t = 0
        for rto in (1, 2, 4, 8, 16, 32):
            t += rto * SECOND
            assert sim.at(t - 1).segs == []
            again = sim.at(t).one()
            assert (again.names, again.seq) == ("S", syn.seq)
        t += 64 * SECOND
        out = sim.at(t)
        out.none()
        assert out.events == ["event 0 12"]
        assert sim.info(0)["err"] == "timeout" and sim.counters()["tcp_timeouts"] == 1
        assert sim.counters()["tcp_retransmits"] == 6

    def test_after_a_lost_syn_rto_is_3s_and_cwnd_one_segment(self, sim: Sim) -> None:
        """RFC 6298 section 5.7, RFC 5681 section 3.1."""
        syn = sim.do(f"connect={PEER},8080").one()
        sim.at(SECOND).one()
        peer = Peer(sim, port=syn.sport, pport=8080)
        peer.take([syn])
        peer.send(SYN | ACK, options=opt_mss(1460))
        info = sim.info(0)
        assert info["rto"] == str(3 * SECOND) and info["cwnd"] == "1460" and info["srtt"] == "0"

    def test_rtt_of_the_syn_is_measured(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        peer = Peer(sim, port=syn.sport, pport=8080)
        peer.take([syn])
        sim.do(f"t={80 * MS}")
        peer.send(SYN | ACK)
        info = sim.info(0)
        assert info["srtt"] == str(80 * MS) and info["rto"] == str(80 * MS + 4 * 40 * MS)

    def test_simultaneous_open(self, sim: Sim) -> None:
        """Section 3.5, figure 7: both SYNs cross."""
        syn = sim.do(f"connect={PEER},8080").one()
        peer = Peer(sim, port=syn.sport, pport=8080, isn=300)
        out = peer.send(SYN, ack=0, options=opt_mss(1460) + opt_ws(2))
        sa = out.one()
        assert (sa.names, sa.seq, sa.ack) == ("SA", syn.seq, 301)
        assert sa.options == {"mss": 1460, "ws": 3}
        assert sim.state(0) == "SYN-RECEIVED"
        # The peer's SYN-ACK (its answer to our SYN) is a duplicate of its SYN: ACK it.
        out = peer.send(SYN | ACK, seq=300, ack=syn.seq + 1)
        assert out.one().names == "A"
        out = peer.send(ACK, ack=syn.seq + 1)
        assert out.events == ["event 0 2"] and sim.state(0) == "ESTABLISHED"
        assert sim.info(0)["snd_shift"] == "2"
        assert sim.end() == ALL_BACK

    def test_data_on_the_syn_ack_is_delivered(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        peer = Peer(sim, port=syn.sport, pport=8080)
        peer.take([syn])
        ack = peer.send(SYN | ACK | PSH, b"hello").one()
        assert ack.ack == peer.seq
        assert sim.do("recv=0,100").lines == [f"recv 0 {b'hello'.hex()}"]

    def test_send_before_established_is_queued(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080", "send=0,616263").one()
        peer = Peer(sim, port=syn.sport, pport=8080)
        peer.take([syn])
        seg = peer.send(SYN | ACK).one()
        assert seg.names == "PA" and seg.payload == b"abc"

    def test_close_in_syn_sent_frees_it(self, sim: Sim) -> None:
        syn = sim.do(f"connect={PEER},8080").one()
        sim.do("close=0")
        assert sim.live() == 0
        r = Peer(sim, port=syn.sport, pport=8080).send(SYN | ACK, ack=syn.seq + 1).one()
        assert r.names == "R"                                 # CLOSED answers for it


# SYN-RECEIVED (section 3.10.7.4 from SYN-RECEIVED).

class TestSynReceived:
    def test_syn_ack_is_retransmitted_then_given_up(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        sa = Peer(sim).syn().one()
        t = 0
        for rto in (1, 2, 4, 8, 16):
            t += rto * SECOND
            again = sim.at(t).one()
            assert (again.names, again.seq) == ("SA", sa.seq)
        sim.at(t + 32 * SECOND).none()
        assert sim.live() == 0 and sim.counters()["tcp_timeouts"] == 1
        assert sim.end() == ALL_BACK

    def test_duplicate_syn_gets_the_syn_ack_again(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        sa = peer.syn().one()
        again = peer.send(SYN, seq=peer.isn, ack=0, options=opt_mss(1460)).one()
        assert (again.names, again.seq, again.ack) == ("SA", sa.seq, peer.isn + 1)

    def test_rst_returns_to_listen(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        peer.take([peer.syn().one()])
        peer.send(RST).none()
        assert sim.live() == 0 and sim.counters()["tcp_resets_received"] == 1
        assert Peer(sim, pport=40001).syn().one().names == "SA"   # still listening

    def test_new_syn_in_window_returns_to_listen(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        peer.take([peer.syn().one()])
        peer.send(SYN, ack=0).none()
        assert sim.live() == 0

    def test_bad_ack_gets_rst(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        sa = peer.syn().one()
        r = peer.send(ACK, ack=sa.seq + 100).one()
        assert (r.names, r.seq) == ("R", sa.seq + 100)
        assert sim.live() == 1

    def test_final_ack_with_data(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        peer.take([peer.syn().one()])
        out = peer.send(ACK | PSH, b"GET /")
        assert out.events == ["event listener 80 16"]
        assert sim.do("accept=80", "recv=0,100").lines == ["accepted 0", f"recv 0 {b'GET /'.hex()}"]


# ESTABLISHED: receiving.

class TestEstablishedReceive:
    def test_data_is_acked_after_the_delay(self, sim: Sim) -> None:
        k, peer = established(sim)
        out = peer.send(ACK | PSH, b"hello")
        out.none()
        assert sim.do("deadline").lines == [f"deadline {40 * MS}"]
        assert sim.at(40 * MS - 1).segs == []
        ack = sim.at(40 * MS).one()
        assert (ack.names, ack.ack) == ("A", peer.seq)
        assert sim.do(f"recv={k},3", f"recv={k},100", f"recv={k},100").lines == \
            [f"recv {k} {b'hel'.hex()}", f"recv {k} {b'lo'.hex()}", f"recv {k} none"]

    def test_every_second_full_segment_is_acked_at_once(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK, bytes(1460)).none()
        ack = peer.send(ACK, bytes(1460)).one()
        assert ack.ack == peer.seq
        assert sim.do("deadline").lines == ["deadline 0"]

    def test_out_of_order_is_kept_and_acked_at_once(self, sim: Sim) -> None:
        k, peer = established(sim)
        start = peer.seq
        dup = peer.send(ACK, b"world", seq=start + 5).one()
        assert dup.ack == start                              # a duplicate ACK, at once
        ack = peer.send(ACK, b"hello").one()                 # fills the hole
        assert ack.ack == start + 10
        assert sim.do(f"recv={k},100").lines == [f"recv {k} {b'helloworld'.hex()}"]

    def test_out_of_order_ranges_merge_and_a_fifth_is_dropped(self, sim: Sim) -> None:
        k, peer = established(sim)
        s = peer.seq
        peer.send(ACK, b"cc", seq=s + 4)
        peer.send(ACK, b"dd", seq=s + 6)                     # touches the range: merged
        for off, data in ((10, b"ff"), (14, b"hh"), (18, b"jj")):
            peer.send(ACK, data, seq=s + off)                # three more ranges: four kept
        peer.send(ACK, b"ll", seq=s + 22)                    # a fifth: dropped
        assert sim.counters()["tcp_ooo_dropped"] == 1
        peer.send(ACK, b"bb", seq=s + 2)                     # extends a range leftwards
        acks = [peer.send(ACK, data, seq=s + off).one().ack
                for off, data in ((0, b"aa"), (8, b"ee"), (12, b"gg"), (16, b"ii"))]
        assert [a - s for a in acks] == [8, 12, 16, 20]      # each hole filled: ACKed at once
        peer.send(ACK, b"kk", seq=s + 20).none()             # no hole behind it: a delayed ACK
        assert sim.do(f"recv={k},100").lines == [f"recv {k} {b'aabbccddeeffgghhiijjkk'.hex()}"]

    def test_a_nearer_range_evicts_the_farthest(self, sim: Sim) -> None:
        k, peer = established(sim)
        s = peer.seq
        for off in (20, 30, 40, 50):
            peer.send(ACK, b"x" * 5, seq=s + off)
        peer.send(ACK, b"y" * 5, seq=s + 10)                 # nearer: the range at 50 goes
        assert sim.counters()["tcp_ooo_dropped"] == 1
        ack = peer.send(ACK, bytes(10)).one()
        assert ack.ack == s + 15
        peer.send(ACK, bytes(5), seq=s + 15)
        peer.send(ACK, bytes(5), seq=s + 25)
        ack = peer.send(ACK, bytes(5), seq=s + 35).one()
        assert ack.ack == s + 45                             # 50.. was not kept

    def test_sack_blocks_report_the_kept_ranges(self, sim: Sim) -> None:
        """RFC 2018: with SACK-permitted in both SYNs, duplicate ACKs carry the ranges,
        the one the latest segment joined first."""
        sim.do("listen=80,4")
        peer = Peer(sim)
        sa = peer.syn(options=opt_mss(1460) + opt_ws(7) + opt_sack_permitted()).one()
        assert sa.options == {"mss": 1460, "ws": 3, "sackp": True}
        peer.take([sa])
        peer.send(ACK)
        k = int(sim.do("accept=80").value("accepted ").split()[1])
        s = peer.seq
        assert peer.send(ACK, b"x" * 10, seq=s + 100).one().options == {"sack": [(s + 100, s + 110)]}
        assert peer.send(ACK, b"x" * 10, seq=s + 20).one().options == \
            {"sack": [(s + 20, s + 30), (s + 100, s + 110)]}
        assert peer.send(ACK, b"x" * 10, seq=s + 110).one().options == \
            {"sack": [(s + 100, s + 120), (s + 20, s + 30)]}
        ack = peer.send(ACK, b"x" * 20).one()                # fills the first hole
        assert ack.ack == s + 30 and ack.options == {"sack": [(s + 100, s + 120)]}
        ack = peer.send(ACK, b"x" * 70, seq=s + 30).one()
        assert ack.ack == s + 120 and ack.options == {}
        del k

    def test_no_sack_blocks_without_sack_permitted(self, sim: Sim) -> None:
        k, peer = established(sim)
        assert peer.send(ACK, b"x", seq=peer.seq + 5).one().options == {}

    def test_overlapping_and_old_data(self, sim: Sim) -> None:
        k, peer = established(sim)
        s = peer.seq
        peer.send(ACK, b"abcdef")
        old = peer.send(ACK, b"abcdef", seq=s).one()         # entirely old: just an ACK
        assert old.ack == s + 6
        peer.send(ACK, b"defghi", seq=s + 3)                 # straddles: only "ghi" is new
        assert sim.do(f"recv={k},100").lines == [f"recv {k} {b'abcdefghi'.hex()}"]

    def test_out_of_order_fin_is_kept(self, sim: Sim) -> None:
        k, peer = established(sim)
        s = peer.seq
        peer.send(ACK | FIN, b"end", seq=s + 3)
        ack = peer.send(ACK, b"the").one()
        assert ack.ack == s + 7                              # data and FIN
        assert sim.state(k) == "CLOSE-WAIT"
        assert sim.do(f"recv={k},100", f"recv={k},100").lines == [f"recv {k} {b'theend'.hex()}", f"recv {k} eof"]

    def test_segment_outside_the_window_gets_an_ack(self, sim: Sim) -> None:
        k, peer = established(sim)
        ack = peer.send(ACK, b"x", seq=peer.seq + 100000).one()
        assert ack.ack == peer.seq
        ack = peer.send(ACK, b"x", seq=peer.seq - 10).one()
        assert ack.ack == peer.seq
        assert sim.counters()["tcp_out_of_window"] == 2

    def test_window_shrinks_as_data_waits_then_reopens(self, sim: Sim) -> None:
        sim.do("buffers=4096,4096")
        k, peer = established(sim)
        assert sim.info(k)["rcv_shift"] == "3"
        out = peer.send(ACK, bytes(1460)).lines
        ack = peer.send(ACK, bytes(1460)).one()
        assert ack.window == (4096 - 2920) >> 3
        peer.send(ACK, bytes(1176)).none()                   # exactly fills the ring
        ack = sim.later(40 * MS).one()                       # the delayed ACK
        assert ack.window == 0
        # A zero-window probe: its byte is not taken, the ACK repeats the window.
        probe = peer.send(ACK, b"z", seq=peer.seq).one()
        assert (probe.ack, probe.window) == (peer.seq, 0)
        # Reading a little: not worth an update (silly-window avoidance); more: it is.
        sim.do(f"recv={k},100").none()
        out = sim.do(f"recv={k},2000")
        update = out.one()
        assert update.ack == peer.seq and update.window == 2100 >> 3
        del out

    def test_data_beyond_the_window_is_cut(self, sim: Sim) -> None:
        sim.do("buffers=1024,1024")
        k, peer = established(sim)
        ack = peer.send(ACK, bytes(1460)).one()
        assert ack.ack == peer.seq - (1460 - 1024) and ack.window == 0
        assert sim.counters()["tcp_rx_beyond_window"] == 1


# ESTABLISHED: sending.

class TestEstablishedSend:
    def test_send_segments_by_mss_and_window(self, sim: Sim) -> None:
        k, peer = established(sim)
        out = sim.do(f"sendn={k},7000")
        assert out.value("sent").endswith(" 7000")
        segs = out.segs
        assert [len(s.payload) for s in segs] == [1460, 1460, 1460]      # cwnd: 3 segments
        assert segs[-1].names == "A"
        peer.take(segs)
        out = peer.send(ACK)
        assert [len(s.payload) for s in out.segs] == [1460, 1160]        # cwnd grew by 1460
        assert out.segs[-1].names == "PA"
        assert out.events == [f"event {k} 2"]                            # WRITABLE

    def test_send_buffer_full(self, sim: Sim) -> None:
        sim.do("buffers=65536,4096")
        k, peer = established(sim, window=0)
        assert sim.do(f"sendn={k},5000").value("sent") == f"sent {k} 4096"
        assert sim.do(f"sendn={k},10").value("sent") == f"sent {k} 0"

    def test_peer_mss_and_window_limit_segments(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim, window=1000)
        peer.take([peer.syn(options=opt_mss(500)).one()])
        peer.send(ACK)
        sim.do("accept=80")
        segs = sim.do("sendn=0,3000").segs
        assert [len(s.payload) for s in segs] == [500, 500]              # window 1000 (no scaling)

    def test_rtt_estimate(self, sim: Sim) -> None:
        """RFC 6298 section 2: the SYN-ACK's RTT, then a data segment's."""
        sim.do("listen=80,4")
        peer = Peer(sim)
        peer.take([peer.syn().one()])
        sim.do(f"t={100 * MS}")
        peer.send(ACK)
        k = 0
        sim.do("accept=80")
        info = sim.info(k)
        assert (info["srtt"], info["rto"]) == (str(100 * MS), str(100 * MS + 4 * 50 * MS))
        sim.do(f"t={SECOND}")
        seg = sim.do(f"sendn={k},100").one()
        peer.take([seg])
        sim.do(f"t={SECOND + 100 * MS}")
        peer.send(ACK)
        info = sim.info(k)
        assert (info["srtt"], info["rto"]) == (str(100 * MS), str(100 * MS + 4 * 37500000))
        assert info["rtx_at"] == "0"

    def test_rto_has_a_floor(self, sim: Sim) -> None:
        k, peer = established(sim)                           # an RTT of 0 on the fake clock
        assert sim.info(k)["rto"] == str(200 * MS)

    def test_retransmission_after_loss(self, sim: Sim) -> None:
        k, peer = established(sim)
        seg = sim.do(f"sendn={k},100").one()
        assert sim.do("deadline").lines == [f"deadline {200 * MS}"]      # RTO (its floor)
        again = sim.at(200 * MS).one()
        assert (again.seq, again.payload) == (seg.seq, seg.payload)
        assert sim.info(k)["rto"] == str(400 * MS)                       # backed off
        assert sim.at(600 * MS - 1).segs == []
        again = sim.at(600 * MS).one()
        assert again.seq == seg.seq
        peer.take([again])
        peer.send(ACK)
        info = sim.info(k)
        assert info["rtx_at"] == "0" and info["srtt"] == "1"             # Karn: the handshake's only
        # One segment after the timeout, then slow start: + the 100 bytes acknowledged.
        assert info["cwnd"] == str(1460 + 100) and info["ssthresh"] == str(2 * 1460)
        assert sim.counters()["tcp_retransmits"] == 2

    def test_timeout_goes_back_to_the_first_unacked_byte(self, sim: Sim) -> None:
        k, peer = established(sim)
        segs = sim.do(f"sendn={k},4380").segs
        assert len(segs) == 3
        peer.take(segs[:1])
        peer.send(ACK)                                       # first acked; 2 and 3 lost
        again = sim.at(SECOND + 1).segs
        assert [s.seq for s in again] == [segs[1].seq]       # cwnd is one segment now
        peer.take(again)
        out = peer.send(ACK)
        assert [s.seq for s in out.segs] == [segs[2].seq]

    def test_fast_retransmit_and_new_reno_recovery(self, sim: Sim) -> None:
        k, peer = established(sim)
        segs = sim.do(f"sendn={k},20000").segs               # 3 segments (cwnd)
        peer.take(segs[:1])
        segs += peer.send(ACK).segs                          # cwnd 4 segments: 2 more
        assert len(segs) == 5
        # Segment 2 is lost: 3, 4 and 5 bring duplicate ACKs. The first two each let one
        # new segment go (limited transmit, RFC 3042); the third triggers.
        lt = [peer.send(ACK).one(), peer.send(ACK).one()]
        assert [s.seq for s in lt] == [segs[4].seq + 1460, segs[4].seq + 2920]
        out = peer.send(ACK).segs
        fr = out[0]
        assert (fr.seq, len(fr.payload)) == (segs[1].seq, 1460)
        info = sim.info(k)
        # ssthresh: the flight (4 segments, limited transmit's 2 aside) halved.
        assert info["recovery"] == "True" and info["ssthresh"] == str(2 * 1460)
        assert int(info["cwnd"]) == 2 * 1460 + 3 * 1460
        assert out[1:] == []                                 # 6 segments out, cwnd 5
        assert sim.counters()["tcp_fast_retransmits"] == 1
        # Two more duplicate ACKs inflate cwnd by a segment each: one new segment.
        assert len(peer.send(ACK).segs) == 0
        assert len(peer.send(ACK).segs) == 1
        # Partial ACK: 2 arrived, 4 was lost too: it goes at once.
        pa = peer.send(ACK, ack=segs[2].seq + 1460).segs
        assert pa[0].seq == segs[3].seq and len(pa[0].payload) == 1460
        assert sim.info(k)["recovery"] == "True"
        # Full ACK: everything sent so far; cwnd deflates to ssthresh at most.
        info = sim.info(k)
        peer.send(ACK, ack=int(info["snd_max"]))
        info = sim.info(k)
        assert info["recovery"] == "False" and int(info["cwnd"]) <= 2 * 1460
        assert sim.counters()["tcp_retransmits"] == 2

    def test_fast_retransmit_never_sends_past_what_was_sent(self, sim: Sim) -> None:
        """A window smaller than the MSS: the retransmission is the segment that went,
        not a full MSS of data never sent (found by tests/test_tcp_pair.py)."""
        sim.do("listen=80,4")
        peer = Peer(sim, window=1024)
        peer.take([peer.syn(options=opt_mss(1460)).one()])
        peer.send(ACK)
        sim.do("accept=80")
        first = sim.do("sendn=0,5000").one()
        assert len(first.payload) == 1024
        for _ in range(2):
            peer.send(ACK).none()
        fr = peer.send(ACK).one()
        assert (fr.seq, len(fr.payload)) == (first.seq, 1024)

    def test_duplicate_acks_after_a_timeout_do_not_fast_retransmit(self, sim: Sim) -> None:
        """RFC 6582 section 3.2 step 2: not past `recover`."""
        k, peer = established(sim)
        segs = sim.do(f"sendn={k},4380").segs
        sim.at(SECOND)                                       # timeout: recover = SND.MAX - 1
        for _ in range(3):
            peer.send(ACK).none()
        assert sim.info(k)["recovery"] == "False"

    @pytest.mark.parametrize("had,fast", [(1, True), (4, True), (5, False)])
    def test_ack_heuristic_after_a_timeout(self, sim: Sim, had: int, fast: bool) -> None:
        """RFC 6582 section 4.1. Seven segments out, a timeout; the ACK of the segment sent
        again shows the peer had `had` of them. Three duplicate ACKs then mean a new loss
        only if the ACK moved 4 segments at most (more: they answer needless resends)."""
        k, peer = established(sim)
        segs = sim.do(f"sendn={k},60000").segs
        while len(segs) < 7:                                 # slow start: one segment more per ACK
            peer.take(segs)
            segs = peer.send(ACK).segs
        assert len(segs) == 7
        info = sim.info(k)
        again = sim.at(int(info["rtx_at"])).one()            # the timeout: the first one again
        assert again.seq == segs[0].seq
        out = peer.send(ACK, ack=segs[0].seq + had * 1460)
        assert sim.info(k)["recovery"] == "False"
        peer.send(ACK, ack=segs[0].seq + had * 1460)
        peer.send(ACK, ack=segs[0].seq + had * 1460)
        out = peer.send(ACK, ack=segs[0].seq + had * 1460)
        assert (sim.info(k)["recovery"] == "True") == fast
        assert sim.counters().get("tcp_fast_retransmits", 0) == (1 if fast else 0)
        del out

    def test_zero_window_probe_and_reopen(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK, window=0)
        sim.do(f"sendn={k},100").none()
        assert sim.info(k)["persist"] == "True"
        assert sim.do("deadline").lines == [f"deadline {200 * MS}"]      # the persist timer: RTO
        probe = sim.at(200 * MS).one()
        assert len(probe.payload) == 1 and probe.seq == peer.ack
        peer.send(ACK, window=0).none()                      # still shut: probe later
        assert sim.do("deadline").lines == [f"deadline {200 * MS + 400 * MS}"]   # backed off
        probe2 = sim.at(600 * MS).one()
        assert probe2.seq == probe.seq
        out = peer.send(ACK, window=100)                      # open
        assert [len(s.payload) for s in out.segs] == [100]
        assert sim.counters()["tcp_window_probes"] == 2

    def test_abort_after_a_probe_resets_inside_the_window(self, sim: Sim) -> None:
        """The probe's byte took SND.MAX one past the shut window's edge: the RST goes at
        the edge, where the peer accepts it (a RST at SND.MAX would be dropped)."""
        k, peer = established(sim)
        peer.send(ACK, window=0)
        sim.do(f"sendn={k},100")
        probe = sim.at(200 * MS).one()
        rst = sim.do(f"abort={k}").one()
        assert rst.names == "R" and rst.seq == probe.seq == peer.ack

    def test_probe_byte_accepted(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK, window=0)
        sim.do(f"sendn={k},10")
        probe = sim.at(SECOND).one()
        out = peer.send(ACK, ack=probe.seq + 1, window=1000)  # the peer took the byte
        assert [(s.seq, len(s.payload)) for s in out.segs] == [(probe.seq + 1, 9)]

    def test_unanswered_probes_time_out(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK, window=0)
        sim.do(f"sendn={k},10")
        for _ in range(12):
            d = int(sim.do("deadline").lines[0].split()[1])
            if d == 0:
                break
            sim.at(d)
        assert sim.info(k)["err"] == "timeout"

    def test_nagle_holds_a_short_segment_while_data_is_in_flight(self, sim: Sim) -> None:
        k, peer = established(sim)
        sim.do(f"nodelay={k},0")
        assert len(sim.do(f"sendn={k},10").segs) == 1
        sim.do(f"sendn={k},10").none()                       # held: 10 bytes unacknowledged
        peer.take(sim.do(f"info={k}").segs)
        out = peer.send(ACK, ack=peer.ack + 10)
        assert [len(s.payload) for s in out.segs] == [10]

    def test_retransmissions_give_up(self, sim: Sim) -> None:
        k, peer = established(sim)
        sim.do(f"sendn={k},10")
        n = 0
        while sim.info(k)["state"] == "ESTABLISHED":
            d = int(sim.do("deadline").lines[0].split()[1])
            out = sim.at(d)
            n += len(out.segs)
        assert n == 10 and out.events == [f"event {k} 12"]
        assert sim.info(k)["err"] == "timeout"
        assert sim.end() == ALL_BACK

    def test_keepalive(self, sim: Sim) -> None:
        k, peer = established(sim)
        sim.do(f"keepalive={k},{10 * SECOND},{SECOND},3")
        assert sim.at(10 * SECOND - 1).segs == []
        ka = sim.at(10 * SECOND).one()
        assert (ka.seq, ka.ack, ka.payload) == (peer.ack - 1, peer.seq, b"\0")   # one garbage octet
        peer.send(ACK)                                       # alive: idle again
        assert sim.at(11 * SECOND).segs == []
        assert sim.at(20 * SECOND).one().seq == peer.ack - 1
        for t in (21, 22):
            assert len(sim.at(t * SECOND).segs) == 1
        out = sim.at(23 * SECOND)
        assert out.events == [f"event {k} 12"] and sim.info(k)["err"] == "timeout"
        assert sim.counters()["tcp_keepalive_probes"] == 4


# ESTABLISHED: resets, SYNs and bad ACKs (RFC 5961).

class TestEstablishedControl:
    def test_rst_at_rcv_nxt_resets(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK, b"unread")
        out = peer.send(RST)
        assert out.events == [f"event {k} 12"]
        info = sim.info(k)
        assert (info["state"], info["err"], info["avail"]) == ("CLOSED", "reset", "0")
        assert sim.do(f"recv={k},10").lines == [f"recv {k} eof"]
        sim.do(f"close={k}")
        assert sim.end() == ALL_BACK

    def test_rst_in_window_gets_a_challenge_ack(self, sim: Sim) -> None:
        k, peer = established(sim)
        ack = peer.send(RST, seq=peer.seq + 10).one()
        assert (ack.names, ack.seq, ack.ack) == ("A", peer.ack, peer.seq)
        assert sim.state(k) == "ESTABLISHED" and sim.counters()["tcp_challenge_acks"] == 1

    def test_rst_out_of_window_is_ignored(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(RST, seq=peer.seq + 10 ** 6).none()
        assert sim.state(k) == "ESTABLISHED" and sim.counters()["tcp_rst_ignored"] == 1

    def test_syn_gets_a_challenge_ack(self, sim: Sim) -> None:
        k, peer = established(sim)
        ack = peer.send(SYN, seq=peer.seq + 5, ack=0).one()
        assert ack.names == "A" and sim.state(k) == "ESTABLISHED"

    def test_ack_of_unsent_data_is_answered_and_dropped(self, sim: Sim) -> None:
        k, peer = established(sim)
        ack = peer.send(ACK | PSH, b"data", ack=peer.ack + 1000).one()
        assert ack.ack == peer.seq - 4                       # the data was not taken
        assert sim.counters()["tcp_bad_ack"] == 1

    def test_segment_without_ack_is_dropped(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(PSH, b"data").none()
        assert sim.do(f"recv={k},10").lines == [f"recv {k} none"]

    def test_abort_sends_rst(self, sim: Sim) -> None:
        k, peer = established(sim)
        r = sim.do(f"abort={k}").one()
        assert (r.names, r.seq) == ("R", peer.ack)
        assert sim.live() == 0
        assert sim.end() == ALL_BACK


# Closing: FIN-WAIT-1, FIN-WAIT-2, CLOSING, TIME-WAIT (we close first).

class TestActiveClose:
    def test_close_fin_wait_time_wait_closed(self, sim: Sim) -> None:
        k, peer = established(sim)
        sim.do("msl=1000000000")
        fin = sim.do(f"close={k}").one()
        assert fin.names == "FA" and fin.seq == peer.ack
        peer.take([fin])
        peer.send(ACK).none()                                # FIN-WAIT-2
        ack = peer.send(FIN | ACK).one()
        assert ack.ack == peer.seq
        assert sim.live() == 1                               # TIME-WAIT
        assert sim.do("deadline").lines == [f"deadline {2 * SECOND}"]
        sim.at(2 * SECOND)
        assert sim.live() == 0
        assert sim.end() == ALL_BACK

    def test_data_is_sent_before_the_fin(self, sim: Sim) -> None:
        k, peer = established(sim)
        out = sim.do(f"sendn={k},100", f"close={k}")
        segs = out.segs
        assert [s.names for s in segs] == ["PA", "FA"] or [s.names for s in segs] == ["FPA"]

    def test_fin_is_retransmitted(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do(f"close={k}").one()
        again = sim.at(SECOND).one()
        assert (again.names, again.seq) == ("FA", fin.seq)

    def test_fin_and_ack_together_go_straight_to_time_wait(self, sim: Sim) -> None:
        k, peer = established(sim)
        sim.do(f"shutdown={k}")
        peer.take(sim.do(f"info={k}").segs)
        assert sim.state(k) == "FIN-WAIT-1"
        peer.ack += 1
        ack = peer.send(FIN | ACK).one()
        assert ack.ack == peer.seq and sim.state(k) == "TIME-WAIT"

    def test_simultaneous_close(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do(f"shutdown={k}").one()
        ack = peer.send(FIN | ACK).one()                     # the peer's FIN does not ack ours
        assert ack.ack == peer.seq and sim.state(k) == "CLOSING"
        peer.send(ACK, ack=fin.seq + 1)
        assert sim.state(k) == "TIME-WAIT"

    def test_simultaneous_close_fin_sent_again_with_the_ack_of_ours(self, sim: Sim) -> None:
        """The peer's FIN crossed ours; it sends it again, now acknowledging ours (as
        QEMU's user network does). The FIN is old, but its ACK counts: TIME-WAIT at once,
        the duplicate ACKed, and no retransmission of our FIN."""
        k, peer = established(sim)
        fin = sim.do(f"shutdown={k}").one()
        peer.send(FIN | ACK)                                 # crosses ours: CLOSING
        again = peer.send(FIN | ACK, seq=peer.seq - 1, ack=fin.seq + 1).one()
        assert sim.state(k) == "TIME-WAIT"
        assert again.names == "A" and again.ack == peer.seq
        assert sim.info(k)["rtx_at"] == "0"

    def test_half_close_keeps_receiving(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do(f"shutdown={k}").one()
        assert sim.do(f"send={k},00").lines == [f"sent {k} -1"]
        peer.send(ACK, ack=fin.seq + 1)
        assert sim.state(k) == "FIN-WAIT-2"
        peer.send(ACK | PSH, b"more", ack=fin.seq + 1)
        sim.do("msl=1")
        peer.send(FIN | ACK, ack=fin.seq + 1)
        assert sim.state(k) == "TIME-WAIT"
        assert sim.do(f"recv={k},10", f"recv={k},10").lines == [f"recv {k} {b'more'.hex()}", f"recv {k} eof"]
        out = sim.later(10)
        assert out.events == [f"event {k} 4"]                # CLOSED, no error
        assert sim.state(k) == "CLOSED" and sim.live() == 1     # the caller still holds it
        sim.do(f"close={k}")
        assert sim.live() == 0

    def test_fin_retransmitted_in_time_wait_is_acked_and_restarts_2msl(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do(f"close={k}").one()
        peer.ack = fin.seq + 1
        peer.send(FIN | ACK)
        sim.do(f"t={10 * SECOND}")
        ack = peer.send(FIN | ACK, seq=peer.seq - 1).one()
        assert ack.ack == peer.seq
        assert sim.do("deadline").lines == [f"deadline {10 * SECOND + 60 * SECOND}"]

    def test_fin_wait_2_times_out_for_a_closed_connection(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do("finwait=5000000000", f"close={k}").one()
        peer.send(ACK, ack=fin.seq + 1)
        sim.at(5 * SECOND)
        assert sim.live() == 0
        assert sim.end() == ALL_BACK

    def test_data_after_close_resets(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do(f"close={k}").one()
        r = peer.send(ACK | PSH, b"late", ack=fin.seq + 1).one()
        assert r.names == "R" and sim.live() == 0
        assert sim.counters()["tcp_data_after_close"] == 1

    def test_close_with_unread_data_resets(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK, b"unread")
        r = sim.do(f"close={k}").one()
        assert r.names == "R" and sim.live() == 0

    def test_rst_in_time_wait_closes(self, sim: Sim) -> None:
        k, peer = established(sim)
        fin = sim.do(f"close={k}").one()
        peer.ack = fin.seq + 1
        peer.send(FIN | ACK)
        peer.send(RST)
        assert sim.live() == 0

    def test_new_syn_reopens_time_wait(self, sim: Sim) -> None:
        """RFC 1122 section 4.2.2.13: a SYN beyond RCV.NXT to a listening port."""
        sim.do("listen=80,4")
        peer = Peer(sim)
        peer.take([peer.syn().one()])
        peer.send(ACK)
        sim.do("accept=80")
        fin = sim.do("close=0").one()
        peer.ack = fin.seq + 1
        peer.send(FIN | ACK)
        assert sim.live() == 1
        again = Peer(sim, isn=peer.seq + 100000)
        sa = again.syn().one()
        assert sa.names == "SA" and (sa.seq - fin.seq) % M < M // 2 and sa.seq != fin.seq + 1
        assert sim.live() == 1
        assert sim.end() == ALL_BACK


# CLOSE-WAIT and LAST-ACK (the peer closes first).

class TestPassiveClose:
    def test_fin_close_wait_last_ack_closed(self, sim: Sim) -> None:
        k, peer = established(sim)
        out = peer.send(FIN | ACK)
        assert out.one().ack == peer.seq and out.events == [f"event {k} 1"]
        assert sim.state(k) == "CLOSE-WAIT"
        assert sim.do(f"recv={k},10").lines == [f"recv {k} eof"]
        # Sending still works after the peer's FIN.
        data = sim.do(f"send={k},6279").one()
        assert data.payload == b"by"
        fin = sim.do(f"close={k}").one()
        assert fin.names == "FA" and sim.live() == 1
        peer.take([data, fin])
        peer.send(ACK)
        assert sim.live() == 0
        assert sim.end() == ALL_BACK

    def test_last_ack_retransmits_fin_then_gives_up(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(FIN | ACK)
        sim.do(f"recv={k},10", f"close={k}")
        n = 0
        while sim.live() == 1:
            d = int(sim.do("deadline").lines[0].split()[1])
            n += len(sim.at(d).segs)
        assert n == 10 and sim.counters()["tcp_timeouts"] == 1

    def test_data_then_fin_reads_data_then_eof(self, sim: Sim) -> None:
        k, peer = established(sim)
        peer.send(ACK | PSH | FIN, b"last words")
        assert sim.do(f"recv={k},4", f"recv={k},100", f"recv={k},100").lines == \
            [f"recv {k} {b'last'.hex()}", f"recv {k} {b' words'.hex()}", f"recv {k} eof"]


# Resources.

class TestResources:
    def test_many_connections_all_reclaimed(self, sim: Sim) -> None:
        sim.do("listen=80,64", "msl=1000")
        for i in range(20):
            peer = Peer(sim, pport=1000 + i)
            k, _ = accept_one(sim, peer, listen=False)
            peer.send(ACK | PSH, b"x" * i)
            peer.send(FIN | ACK)
            fin = sim.do(f"recvall={k}", f"close={k}").segs[-1]
            peer.send(ACK, ack=fin.seq + 1)
        assert sim.live() == 0
        assert sim.end() == ALL_BACK

    def test_out_of_packets_then_recovery(self, sim: Sim) -> None:
        k, peer = established(sim)
        sim.do("exhaust")
        sim.do(f"sendn={k},1000").none()
        c = sim.counters()
        assert c["tx_no_buffer"] >= 1
        sim.do("refill")
        assert len(sim.at(SECOND).segs) == 1                 # the timer tries again
        assert sim.end() == ALL_BACK
