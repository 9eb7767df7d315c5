"""kernel/net/tcp*.py under pressure, on the host (tests/host/tcp_sim.py, the test as the
peer): SYN cookies (RFC 4987 section 3.6), buffers taken only when data needs them and
given back in TIME-WAIT, the TIME-WAIT cap, and the rate limit on ACKs to unacceptable
segments that keeps two stacks from sending each other ACKs forever.
"""

from __future__ import annotations


import pytest

from test_tcp_frames import ACK, FIN, PSH, SYN, opt_mss, opt_ws
from test_tcp_sim import sim, sim_exe  # noqa: F401 (fixtures: a simulator built once per module)
from test_tcp_sim import ALL_BACK, MS, SECOND, Peer, Sim, accept_one

M = 1 << 32
PERIOD = 1 << 36                    # tcp_cookies.PERIOD_SHIFT: a cookie's time unit, in ns


def cookies_only(sim: Sim, backlog: int = 8) -> None:
    """A listener on 80 with no half-open slot: every SYN gets a cookie."""
    sim.do(f"listen=80,{backlog},0")


def cookie_handshake(sim: Sim, peer: Peer, options: bytes = opt_mss(1460) + opt_ws(7)) -> Peer:
    sa = peer.syn(options=options).one()
    assert sa.names == "SA" and sa.ack == peer.seq
    peer.take([sa])
    return peer


class TestSynCookies:
    def test_a_full_syn_queue_answers_with_a_cookie_and_keeps_nothing(self, sim: Sim) -> None:
        sim.do("listen=80,8,1")
        assert Peer(sim, pport=1).syn().one().options == {"mss": 1460, "ws": 3}
        sa = Peer(sim, pport=2).syn().one()
        assert sa.names == "SA" and sa.options == {"mss": 1460} and sa.window == 65535
        c = sim.counters()
        assert c["tcp_syncookies_sent"] == 1 and c["tcp_syn_queue_full"] == 1
        assert sim.live() == 1                               # pport 1's half-open only
        assert sim.end() == ALL_BACK

    def test_the_ack_bringing_the_cookie_back_makes_the_connection(self, sim: Sim) -> None:
        cookies_only(sim)
        peer = cookie_handshake(sim, Peer(sim, pport=2, isn=5000))
        out = peer.send(ACK | PSH, b"hello")                 # the handshake's ACK carries data
        assert out.events == ["event listener 80 16"]
        assert sim.live() == 1
        k = int(sim.do("accept=80").value("accepted ").split()[1])
        info = sim.info(k)
        assert info["state"] == "ESTABLISHED" and info["snd_shift"] == "0" and info["rcv_shift"] == "0"
        assert info["mss"] == "1460"
        assert sim.do(f"recv={k},100").lines == [f"recv {k} {b'hello'.hex()}"]
        data = sim.do(f"send={k},{b'world'.hex()}").one()
        assert data.payload == b"world" and data.ack == peer.seq
        assert sim.counters()["tcp_syncookies_ok"] == 1
        assert sim.end() == ALL_BACK

    @pytest.mark.parametrize("announced,kept", [(1460, 1460), (1450, 1440), (1400, 1300), (1299, 536), (None, 536)])
    def test_the_mss_comes_back_from_linux_s_table(self, sim: Sim, announced: int | None, kept: int) -> None:
        cookies_only(sim)
        peer = cookie_handshake(sim, Peer(sim, pport=2), opt_mss(announced) if announced else b"")
        peer.send(ACK)
        k = int(sim.do("accept=80").value("accepted ").split()[1])
        assert sim.info(k)["mss"] == str(kept)

    def test_a_wrong_cookie_gets_a_reset(self, sim: Sim) -> None:
        cookies_only(sim)
        peer = cookie_handshake(sim, Peer(sim, pport=2))
        for bad in (peer.ack + 1, peer.ack ^ (1 << 24), peer.ack ^ 1):   # off by one, another MSS, the hash
            r = peer.send(ACK, ack=bad).one()
            assert r.names == "R" and r.seq == bad
        # The right cookie with another ISN of the peer's is wrong too.
        assert peer.send(ACK, seq=peer.seq + 1).one().names == "R"
        assert sim.counters()["tcp_syncookies_failed"] == 4 and sim.live() == 0
        peer.send(ACK).none()                                # the real one still works
        assert sim.live() == 1

    def test_a_cookie_lasts_two_periods(self, sim: Sim) -> None:
        cookies_only(sim)
        sim.at(PERIOD - 1)                                   # period 0
        late = cookie_handshake(sim, Peer(sim, pport=2))
        sim.at(2 * PERIOD - 2)                               # period 1: still good
        late.send(ACK).none()
        stale = cookie_handshake(sim, Peer(sim, pport=3))    # made in period 1
        sim.at(3 * PERIOD)                                   # period 3: too old
        assert stale.send(ACK).one().names == "R"
        c = sim.counters()
        assert c["tcp_syncookies_ok"] == 1 and c["tcp_syncookies_failed"] == 1

    def test_no_cookies_asked_from_a_listener_that_sent_none(self, sim: Sim) -> None:
        sim.do("listen=80,8")
        assert Peer(sim, pport=2).send(ACK, ack=12345).one().names == "R"
        assert "tcp_syncookies_failed" not in sim.counters()

    def test_a_full_accept_queue_drops_the_cookie_s_ack_until_accept(self, sim: Sim) -> None:
        cookies_only(sim, backlog=1)
        first = cookie_handshake(sim, Peer(sim, pport=1))
        peer = cookie_handshake(sim, Peer(sim, pport=2))
        first.send(ACK)                                      # established: the accept queue is full
        peer.send(ACK).none()
        assert sim.counters()["tcp_backlog_full"] == 1 and sim.live() == 1
        sim.do("accept=80")
        peer.send(ACK).none()                                # the peer's retransmission: now it fits
        assert sim.live() == 2 and sim.counters()["tcp_syncookies_ok"] == 2


class TestBuffers:
    def test_no_buffer_until_data_needs_one(self, sim: Sim) -> None:
        sim.do("listen=80,4")
        peer = Peer(sim)
        peer.take([peer.syn().one()])
        peer.send(ACK)
        k = int(sim.do("accept=80").value("accepted ").split()[1])
        info = sim.info(k)
        assert (info["rcvbuf"], info["sndbuf"]) == ("0", "0")
        peer.send(ACK | PSH, b"x")
        assert sim.info(k)["rcvbuf"] == "65536"
        sim.do(f"send={k},{b'y'.hex()}")
        assert sim.info(k)["sndbuf"] == "65536"

    def test_time_wait_holds_no_buffers(self, sim: Sim) -> None:
        peer = Peer(sim)
        k, _ = accept_one(sim, peer)
        peer.send(ACK | PSH, b"ping")
        sim.do(f"recv={k},10")
        sim.do(f"send={k},{b'pong'.hex()}")
        fin = sim.do(f"close={k}").one()
        peer.take([fin])
        peer.send(FIN | ACK, ack=fin.seq + 1)
        assert sim.do("timewaits").lines == ["timewaits 1"]
        assert sim.end() == ALL_BACK

    def test_a_held_connection_keeps_unread_data_in_time_wait(self, sim: Sim) -> None:
        """The peer's last words come with its FIN, TIME-WAIT before the caller read
        them: the receive ring stays until they are read."""
        peer = Peer(sim)
        k, _ = accept_one(sim, peer)
        fin = sim.do(f"shutdown={k}").one()
        peer.take([fin])
        peer.send(ACK | PSH | FIN, b"last words")
        info = sim.info(k)
        assert info["state"] == "TIME-WAIT" and (info["rcvbuf"], info["sndbuf"]) == ("65536", "0")
        assert sim.do(f"recv={k},100").lines == [f"recv {k} {b'last words'.hex()}"]
        assert sim.info(k)["rcvbuf"] == "0"
        assert sim.do(f"recv={k},100").lines == [f"recv {k} eof"]


class TestTimeWaitCap:
    def closed_into_time_wait(self, sim: Sim, pport: int) -> None:
        peer = Peer(sim, pport=pport)
        k, _ = accept_one(sim, peer, listen=False)
        fin = sim.do(f"close={k}").one()
        peer.send(FIN | ACK, ack=fin.seq + 1)

    def test_the_oldest_goes_for_a_new_one(self, sim: Sim) -> None:
        sim.do("listen=80,8", "maxtw=2")
        for i in range(5):
            self.closed_into_time_wait(sim, 1000 + i)
            sim.later(MS)
        assert sim.do("timewaits").lines == ["timewaits 2"] and sim.live() == 2
        assert sim.counters()["tcp_time_wait_recycled"] == 3
        # The two left are the newest: the oldest's 4-tuple has nothing left, the newest
        # answers a stray ACK from TIME-WAIT.
        assert Peer(sim, pport=1000).send(ACK, ack=123).one().names == "R"
        assert Peer(sim, pport=1004).send(ACK, seq=99, ack=123).one().names == "A"
        assert sim.end() == ALL_BACK


class TestAckLoops:
    def test_acks_to_unacceptable_pure_acks_are_rate_limited(self, sim: Sim) -> None:
        """A peer (or an older incarnation of the connection somewhere) answering each of
        our ACKs with an unacceptable ACK of its own: one ACK per 500 ms from us."""
        peer = Peer(sim)
        k, _ = accept_one(sim, peer)
        sent = 0
        for i in range(100):                                 # 100 ACKs from the wrong sequence space, 1 ms apart
            sim.at(SECOND + i * MS)
            sent += len(peer.send(ACK, seq=peer.seq + M // 2).segs)
        assert sent == 1
        sim.at(SECOND + 600 * MS)
        assert len(peer.send(ACK, seq=peer.seq + M // 2).segs) == 1
        assert sim.counters()["tcp_ack_rate_limited"] == 99
        assert sim.state(k) == "ESTABLISHED"

    def test_data_out_of_the_window_is_always_answered(self, sim: Sim) -> None:
        """Old data (the peer missed our ACK) is no loop: each copy gets its ACK."""
        peer = Peer(sim)
        k, _ = accept_one(sim, peer)
        peer.send(ACK | PSH, b"abc")
        old = peer.seq - 3
        for i in range(5):
            sim.at(SECOND + i * MS)
            r = peer.send(ACK | PSH, b"abc", seq=old).one()
            assert r.ack == peer.seq
        assert "tcp_ack_rate_limited" not in sim.counters()

    def test_time_wait_against_an_older_incarnation_stops(self, sim: Sim) -> None:
        """Our TIME-WAIT and a peer stuck on an older incarnation of the same 4-tuple,
        each ACKing the other's segments: without a limit this never ends."""
        peer = Peer(sim)
        k, _ = accept_one(sim, peer)
        fin = sim.do(f"close={k}").one()
        peer.send(FIN | ACK, ack=fin.seq + 1)
        assert sim.do("timewaits").lines == ["timewaits 1"]
        stale_seq, stale_ack = peer.seq - 100000, fin.seq - 100000
        ours = 0
        for i in range(1000):                                # the peer answers everything at once
            sim.at(2 * SECOND + i * MS // 10)
            ours += len(peer.send(ACK, seq=stale_seq, ack=stale_ack).segs)
        assert ours == 1                                     # 100 ms of ping-pong: one ACK
