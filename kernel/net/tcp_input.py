"""TCP segment arrival: RFC 9293 section 3.10.7, state by state.

input() checks a segment (header, checksum, options: each failure dropped under its
own counter; only unicast to our address, section 3.9.2.3) and finds its connection
by address and ports, else a listener on the port, else answers with a RST (the
CLOSED state, section 3.10.7.1). Then:
- listen_input(): section 3.10.7.2. A SYN makes a connection in SYN-RECEIVED (within
  the listener's SYN-queue and backlog limits) and its SYN-ACK goes out. With the
  SYN queue full or no memory for a connection, the SYN-ACK carries a SYN cookie
  instead (tcp_cookies.py) and nothing is kept; an ACK to the listener that brings one
  back, while the listener sends cookies, makes the connection (cookie_connection()).
- syn_sent(): section 3.10.7.3, simultaneous open included.
- other_states(): section 3.10.7.4's eight steps, with RFC 5961's checks: a RST or a
  SYN in the window but not exactly at RCV.NXT gets a challenge ACK, and an ACK
  outside [SND.UNA - MAX.SND.WND, SND.NXT] is answered and dropped. The ACKs to
  unacceptable segments without data (or with a SYN) and the challenge ACKs are rate
  limited per connection (tcp.OOW_ACK_INTERVAL; see tcp.py, "Loops of ACKs").

Received text goes into the receive ring (one copy; the Packet is released at once).
The ring's buffer is taken with the first data; when no memory can be had, the segment
is dropped as if lost and counted (tcp_no_memory): the peer sends it again.
Out of order: up to OOO_RANGES ranges beyond the holes are kept, written where they
belong in the ring's free space (so filling a hole needs no copy); a segment that would
make one range too many is dropped and counted (tcp_ooo_dropped): the peer sends it
again. Out-of-order data, filling a hole, a FIN and data cut by the window are
acknowledged at once (RFC 5681 section 4.2); other in-order data by the delayed ACK
(tcp_timers.ack_later()).

A SYN in TIME-WAIT with a sequence number beyond RCV.NXT, to a port with a listener,
reopens the connection (RFC 1122 section 4.2.2.13), with an ISS above the old one's.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.packet as packet
from kernel.net.packet import Packet
import kernel.net.iface as iface_mod
from kernel.net.iface import Interface
import kernel.net.wire.ipv4 as ipv4
import kernel.net.wire.tcp as wire
from kernel.net.wire.tcp import seq_lt, seq_le, seq_gt, seq_ge, seq_min, seq_max, seq_in_window, seq_between
from kernel.net.wire.field import Error
import kernel.net.tcp as tcp
from kernel.net.tcp import Connection, Listener, State, Failure
import kernel.net.tcp_ring as ring
import kernel.net.tcp_output as tcp_output
import kernel.net.tcp_sendq as sendq
import kernel.net.tcp_timers as timers
import kernel.net.tcp_cookies as cookies

ISS_GAP: Final = 1 << 20               # a reopened connection's ISS lies this far past the old SND.NXT


def input(ifc: Ptr[Interface], pkt: Ptr[Packet], ip: Ptr[ipv4.Repr], now_ns: u64) -> None:
    """One segment (pkt's frame is the IPv4 payload); the Packet is given back here."""
    st = addr(ifc.stats)
    v: wire.View
    if wire.checked(pkt.frame(), addr(v)) != Error.OK:
        iface_mod.drop(pkt, addr(st.tcp_bad_header))
        return
    seg: wire.Repr
    verify = pkt.offload & packet.CHECKSUM_VERIFIED == 0
    e = wire.parse_checked(pkt.frame(), ip.src, ip.dst, verify, addr(seg))
    if e == Error.CHECKSUM:
        iface_mod.drop(pkt, addr(st.tcp_bad_checksum))
        return
    if e != Error.OK:
        iface_mod.drop(pkt, addr(st.tcp_bad_options))
        return
    if ip.dst != ifc.ip or not iface_mod.unicast_source(ip.src):
        iface_mod.drop(pkt, addr(st.tcp_bad_address))
        return
    st.tcp_rx += 1
    c = tcp.lookup(ifc, ip.dst, seg.dst_port, ip.src, seg.src_port)
    reopened = False                   # a TIME-WAIT connection gave way: the new ISS passes its SND.MAX
    old_max: u32 = 0
    if c is not None and c.state == State.TIME_WAIT and reopens(c, addr(seg)):
        reopened = True
        old_max = c.snd_max
        tcp.enter_closed(c, Failure.NONE)
        c = None
    if c is not None:
        arrive(c, addr(seg), now_ns)
        packet.release(pkt)
        return
    l = tcp.find_listener(ifc, seg.dst_port)
    packet.release(pkt)                # seg keeps what it needs; its payload is not used again
    if l is not None:
        iss = tcp.new_iss(ip.dst, seg.dst_port, ip.src, seg.src_port, now_ns)
        if reopened and not seq_gt(iss, old_max):
            iss = old_max + ISS_GAP
        listen_input(l, ifc, ip, addr(seg), iss, now_ns)
        return
    st.tcp_no_listener += 1
    tcp_output.reset_reply(ifc, ip, addr(seg), now_ns)


def reopens(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> bool:
    """A new SYN for a connection in TIME-WAIT (RFC 1122 section 4.2.2.13)."""
    return seg.flags & (wire.SYN | wire.ACK | wire.RST) == wire.SYN and seq_gt(seg.seq, c.rcv_nxt) \
        and tcp.find_listener(c.iface, c.local_port) is not None


def arrive(c: Ptr[Connection], seg: Ptr[wire.Repr], now_ns: u64) -> None:
    if c.state == State.SYN_SENT:
        syn_sent(c, seg, now_ns)
    else:
        other_states(c, seg, now_ns)
    tcp_output.output(c, now_ns)


# LISTEN (section 3.10.7.2).

def listen_input(l: Ptr[Listener], ifc: Ptr[Interface], ip: Ptr[ipv4.Repr], seg: Ptr[wire.Repr], iss: u32,
                 now_ns: u64) -> None:
    st = addr(ifc.stats)
    # First, check for a RST: it cannot be for anything this listener sent.
    if seg.has(wire.RST):
        st.tcp_rst_ignored += 1
        return
    # Second, check for an ACK: <SEQ=SEG.ACK><CTL=RST>, unless it brings a SYN cookie back.
    if seg.has(wire.ACK):
        if not seg.has(wire.SYN) and cookie_connection(l, ifc, ip, seg, now_ns):
            return
        st.tcp_bad_ack += 1
        tcp_output.reset_reply(ifc, ip, seg, now_ns)
        return
    # Third, check for a SYN (the security check does not apply); fourth: drop the rest.
    if not seg.has(wire.SYN):
        st.tcp_dropped += 1
        return
    if l.accept_count >= l.backlog:
        st.tcp_backlog_full += 1       # no room to wait for accept(), cookie or not: the SYN comes again
        return
    c: Ptr[Connection] = None
    if l.syn_count < l.syn_limit:
        c = tcp.new_connection(ifc, ip.dst, seg.dst_port, ip.src, seg.src_port, l.rcv_size, l.snd_size)
        if c is None:
            st.tcp_no_memory += 1
    else:
        st.tcp_syn_queue_full += 1
    if c is None:
        send_cookie(l, ifc, ip, seg, now_ns)
        return
    c.listener = l
    l.syn_count += 1
    c.state = State.SYN_RECEIVED
    tcp.start_sequence(c, iss)
    take_syn(c, seg)
    tcp.table_insert(c)
    # Text or a FIN on the SYN is not kept: the peer sends it again after the handshake.
    tcp_output.output(c, now_ns)       # <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>


def send_cookie(l: Ptr[Listener], ifc: Ptr[Interface], ip: Ptr[ipv4.Repr], seg: Ptr[wire.Repr],
                now_ns: u64) -> None:
    """<SEQ=cookie><ACK=SEG.SEQ+1><CTL=SYN,ACK>, keeping nothing (tcp_cookies.py)."""
    peer_mss = u32(seg.mss) if seg.mss != 0 else u32(timers.DEFAULT_MSS)
    iss = cookies.make(ip.dst, seg.dst_port, ip.src, seg.src_port, seg.seq, peer_mss, now_ns)
    l.cookies_sent = True
    l.cookies_at = now_ns
    ifc.stats.tcp_syncookies_sent += 1
    w = l.rcv_size if l.rcv_size < 65535 else u32(65535)
    tcp_output.send_cookie_syn_ack(ifc, ip.dst, seg.dst_port, ip.src, seg.src_port, iss, seg.seq + 1, u16(w),
                                   now_ns)


def cookie_connection(l: Ptr[Listener], ifc: Ptr[Interface], ip: Ptr[ipv4.Repr], seg: Ptr[wire.Repr],
                      now_ns: u64) -> bool:
    """An ACK to the listener: if it brings back a cookie the listener sent (lately),
    the connection is made now, as if from SYN-RECEIVED, and the segment goes on to it;
    True then, or when it was dropped for want of room or memory (the peer sends it
    again). False: not a cookie of ours (the caller answers with a RST)."""
    st = addr(ifc.stats)
    if not l.cookies_sent or now_ns - l.cookies_at > (u64(cookies.VALID_PERIODS) << cookies.PERIOD_SHIFT):
        return False
    mss = cookies.check(ip.dst, seg.dst_port, ip.src, seg.src_port, seg.seq - 1, seg.ack - 1, now_ns)
    if mss == 0:
        st.tcp_syncookies_failed += 1
        return False
    if l.accept_count >= l.backlog:
        st.tcp_backlog_full += 1
        return True
    c = tcp.new_connection(ifc, ip.dst, seg.dst_port, ip.src, seg.src_port, l.rcv_size, l.snd_size)
    if c is None:
        st.tcp_no_memory += 1
        return True
    st.tcp_syncookies_ok += 1
    c.listener = l
    l.syn_count += 1                   # through SYN-RECEIVED: establish() takes it off again
    c.state = State.SYN_RECEIVED
    tcp.start_sequence(c, seg.ack - 1)
    c.snd_nxt = seg.ack                # the SYN-ACK (the cookie) went
    c.snd_max = seg.ack
    # The SYN as the cookie gives it back: its sequence number and MSS, no other option
    # (the cookie's SYN-ACK offered neither window scaling nor SACK).
    syn = wire.Repr(seq=seg.seq - 1, ack=seg.ack, window=seg.window, mss=u16(mss))
    take_syn(c, addr(syn))
    tcp.table_insert(c)
    arrive(c, seg, now_ns)             # the handshake's last ACK, and any text or FIN on it
    return True


def take_syn(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> None:
    """IRS, RCV.NXT and the SYN's options: MSS (section 3.7.1) and Window Scale (RFC 7323
    section 2.2: used only when both SYNs carry it, at most 14). A SYN's window is not
    scaled."""
    c.irs = seg.seq
    c.rcv_nxt = seg.seq + 1
    m = u32(seg.mss) if seg.mss != 0 else u32(timers.DEFAULT_MSS)
    if m < timers.MIN_MSS:
        m = timers.MIN_MSS
    ours = tcp_output.our_mss(c.iface)
    c.mss = m if m < ours else ours
    c.sack_ok = seg.sack_permitted
    c.wscale = seg.has_window_scale
    if c.wscale:
        c.snd_shift = seg.window_scale if seg.window_scale < wire.MAX_WINDOW_SHIFT else u8(wire.MAX_WINDOW_SHIFT)
    else:
        c.snd_shift = 0
        c.rcv_shift = 0
    c.snd_wnd = u32(seg.window)
    c.max_snd_wnd = c.snd_wnd
    c.snd_wl1 = seg.seq
    c.snd_wl2 = seg.ack
    # What our SYN offered (window_field() for a SYN): data may come right away.
    w = c.rcv.space()
    c.rcv_adv = c.rcv_nxt + (w if w < 65535 else u32(65535))


def establish(c: Ptr[Connection], now_ns: u64) -> None:
    """The handshake completed: ESTABLISHED (or FIN-WAIT-1 when shutdown() came first);
    a passive connection waits for accept(), an active one is told it may write."""
    c.state = State.FIN_WAIT_1 if c.fin_queued else State.ESTABLISHED
    timers.on_established(c)
    timers.heard_from(c, now_ns)
    if c.listener is not None:
        tcp.listener_enqueue(c.listener, c)
    else:
        tcp.notify(c, tcp.WRITABLE)


# SYN-SENT (section 3.10.7.3).

def syn_sent(c: Ptr[Connection], seg: Ptr[wire.Repr], now_ns: u64) -> None:
    st = addr(c.iface.stats)
    # First, check the ACK bit: it must cover our SYN and nothing more.
    ack_ok = False
    if seg.has(wire.ACK):
        if seq_le(seg.ack, c.iss) or seq_gt(seg.ack, c.snd_max):
            st.tcp_bad_ack += 1
            if not seg.has(wire.RST):
                tcp_output.send_reset(c.iface, c.local_ip, c.local_port, c.remote_ip, c.remote_port, seg.ack, 0,
                                      0, now_ns)
            return
        ack_ok = True
    # Second, check the RST bit: with an acceptable ACK the connection is refused.
    # (RFC 5961's exact-match test needs RCV.NXT, which is not known yet.)
    if seg.has(wire.RST):
        if ack_ok:
            st.tcp_resets_received += 1
            tcp.enter_closed(c, Failure.REFUSED)
        else:
            st.tcp_rst_ignored += 1
        return
    # Third, security: not used. Fourth, check the SYN bit; fifth: drop the rest.
    if not seg.has(wire.SYN):
        st.tcp_dropped += 1
        return
    take_syn(c, seg)
    if not ack_ok:
        # Simultaneous open (section 3.5, figure 7): SYN-RECEIVED, and our SYN again, now
        # with an ACK: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
        c.state = State.SYN_RECEIVED
        c.snd_nxt = c.iss
        c.snd_max = c.iss
        c.rtt_timing = False
        return
    c.snd_una = seg.ack
    timers.ack_timing(c, seg.ack, now_ns)
    timers.ack_timer(c, now_ns, True)
    establish(c, now_ns)
    c.ack_now = True                   # <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    # Text or a FIN on the SYN-ACK: on from the sixth step of section 3.10.7.4.
    if receive_text(c, seg, now_ns):
        fin_arrived(c, now_ns)


# SYN-RECEIVED and the synchronized states (section 3.10.7.4).

def acceptable(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> bool:
    """Table 6. With RCV.WND zero a segment exactly at RCV.NXT still passes, so its
    ACK, RST or FIN is used (the "special allowance"); its text is cut to nothing."""
    wnd = tcp_output.edge(c)
    n = seg.seg_len()
    if wnd == 0:
        return seg.seq == c.rcv_nxt
    if n == 0:
        return seq_in_window(seg.seq, c.rcv_nxt, wnd)
    return seq_in_window(seg.seq, c.rcv_nxt, wnd) or seq_in_window(seg.seq + n - 1, c.rcv_nxt, wnd)


def other_states(c: Ptr[Connection], seg: Ptr[wire.Repr], now_ns: u64) -> None:
    st = addr(c.iface.stats)
    # First, check the sequence number. Unacceptable: answer with an ACK (not a RST,
    # which is dropped silently: RFC 5961 section 3.2), and drop it.
    if not acceptable(c, seg):
        if seg.has(wire.RST):
            st.tcp_rst_ignored += 1
            return
        st.tcp_out_of_window += 1
        if c.state == State.SYN_RECEIVED and seg.flags & (wire.SYN | wire.ACK) == wire.SYN \
                and seg.seq == c.irs:
            c.snd_nxt = c.iss          # the peer's SYN again: our SYN-ACK was lost, send it now
            return
        if c.state == State.TIME_WAIT and seg.has(wire.FIN):
            c.state_at = now_ns + 2 * tcp.msl_ns      # the FIN again: ACK it, restart 2 MSL
            tcp.timing_time_wait(c)
        if repeats_to_rcv_nxt(c, seg) and not take_ack(c, seg, now_ns):
            return
        if (seg.seg_len() == 0 or seg.has(wire.SYN)) and ack_limited(c, now_ns):
            return                     # no data: maybe one side of a loop of ACKs
        c.ack_now = True
        return
    timers.heard_from(c, now_ns)
    # Second, check the RST bit (RFC 5961 section 3): exactly at RCV.NXT it resets the
    # connection; elsewhere in the window it gets a challenge ACK.
    if seg.has(wire.RST):
        if seg.seq != c.rcv_nxt:
            challenge(c, now_ns)
            return
        reset(c)
        return
    # Third, the security compartment: not used.
    # Fourth, check the SYN bit: a passive SYN-RECEIVED connection goes back to LISTEN
    # (freed: the listener stays); elsewhere a challenge ACK (RFC 5961 section 4).
    if seg.has(wire.SYN):
        if c.state == State.SYN_RECEIVED and c.listener is not None:
            st.tcp_dropped += 1
            tcp.enter_closed(c, Failure.NONE)
            return
        challenge(c, now_ns)
        return
    # Fifth, check the ACK field.
    if not seg.has(wire.ACK):
        st.tcp_dropped += 1
        return
    if c.state == State.SYN_RECEIVED:
        if not (seq_gt(seg.ack, c.snd_una) and seq_le(seg.ack, c.snd_max)):
            st.tcp_bad_ack += 1
            tcp_output.send_reset(c.iface, c.local_ip, c.local_port, c.remote_ip, c.remote_port, seg.ack, 0, 0,
                                  now_ns)
            return
        if c.listener is not None and c.listener.accept_count >= c.listener.backlog:
            st.tcp_backlog_full += 1   # no room to wait for accept(): the SYN-ACK goes again later
            return
        c.snd_wnd = u32(seg.window) << c.snd_shift
        c.max_snd_wnd = c.snd_wnd
        c.snd_wl1 = seg.seq
        c.snd_wl2 = seg.ack
        establish(c, now_ns)
    if not seq_between(c.snd_una - c.max_snd_wnd, seg.ack, c.snd_max):
        st.tcp_bad_ack += 1            # RFC 5961 section 5: ACK it and drop it
        c.ack_now = True
        return
    if not take_ack(c, seg, now_ns):
        return
    # Sixth, check the URG bit: urgent data is not supported; the pointer is ignored and
    # the data delivered in line with the rest.
    # Seventh, process the segment text (ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2; after
    # the peer's FIN there is none).
    fin = False
    if c.state == State.ESTABLISHED or c.state == State.FIN_WAIT_1 or c.state == State.FIN_WAIT_2:
        fin = receive_text(c, seg, now_ns)
    # Eighth, check the FIN bit (in sequence only: one out of order waits with its range).
    if fin:
        fin_arrived(c, now_ns)


def take_ack(c: Ptr[Connection], seg: Ptr[wire.Repr], now_ns: u64) -> bool:
    """The fifth step's processing of an ACK in the window, with what the ACK of our FIN
    changes; False when nothing more of the segment is to be done."""
    process_ack(c, seg, now_ns)
    if c.state == State.FIN_WAIT_1 and fin_acked(c):
        c.state = State.FIN_WAIT_2
        if c.orphan:
            c.state_at = now_ns + tcp.fin_wait_2_ns
    elif c.state == State.CLOSING:
        if not fin_acked(c):
            return False
        time_wait(c, now_ns)
    elif c.state == State.LAST_ACK and fin_acked(c):
        tcp.enter_closed(c, Failure.NONE)
        return False
    return True


def repeats_to_rcv_nxt(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> bool:
    """A segment sent again whose text (or FIN) ends exactly at RCV.NXT, with an ACK in
    the window: unacceptable by Table 6, but its ACK may be news. In a simultaneous close
    the peer's FIN crosses ours, and the peer sends it again acknowledging ours; dropped
    whole, our FIN waits for its retransmission timer (Linux takes the ACK: its
    tcp_sequence() accepts a segment that ends at RCV.NXT)."""
    n = seg.seg_len()
    return n > 0 and seg.seq + n == c.rcv_nxt and seg.flags & (wire.ACK | wire.SYN | wire.RST) == wire.ACK \
        and c.state != State.SYN_RECEIVED and c.state != State.TIME_WAIT \
        and seq_between(c.snd_una - c.max_snd_wnd, seg.ack, c.snd_max)


def challenge(c: Ptr[Connection], now_ns: u64) -> None:
    """<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 5961 sections 3.2 and 4.2), rate limited."""
    if ack_limited(c, now_ns):
        return
    c.iface.stats.tcp_challenge_acks += 1
    c.ack_now = True


def ack_limited(c: Ptr[Connection], now_ns: u64) -> bool:
    """An ACK to an unacceptable segment (or a challenge ACK) may go once per
    OOW_ACK_INTERVAL (RFC 5961 section 7): True when this one must not (counted)."""
    if now_ns < c.oow_ack_at:
        c.iface.stats.tcp_ack_rate_limited += 1
        return True
    c.oow_ack_at = now_ns + tcp.OOW_ACK_INTERVAL
    return False


def reset(c: Ptr[Connection]) -> None:
    """An acceptable RST (section 3.10.7.4, second step)."""
    c.iface.stats.tcp_resets_received += 1
    if c.state == State.SYN_RECEIVED:
        # Passive: back to LISTEN, the user need not know; active: refused.
        tcp.enter_closed(c, Failure.NONE if c.listener is not None else Failure.REFUSED)
    elif c.state == State.ESTABLISHED or c.state == State.FIN_WAIT_1 or c.state == State.FIN_WAIT_2 \
            or c.state == State.CLOSE_WAIT:
        tcp.enter_closed(c, Failure.RESET)
    else:
        tcp.enter_closed(c, Failure.NONE)     # CLOSING, LAST-ACK, TIME-WAIT


def fin_acked(c: Ptr[Connection]) -> bool:
    return c.fin_queued and seq_gt(c.snd_una, tcp_output.fin_seq(c))


def process_ack(c: Ptr[Connection], seg: Ptr[wire.Repr], now_ns: u64) -> None:
    """The fifth step for ESTABLISHED and after: SND.UNA, the rings, RTT, congestion
    control, duplicate ACKs and the send window; with SACK, the scoreboard first."""
    ack = seg.ack
    c.probes = 0                       # the peer answers
    news = False
    if timers.uses_sack(c):
        news = timers.sack_update(c, seg)
    if seq_gt(ack, c.snd_una):
        acked = ack - c.snd_una
        if c.snd_una == c.iss:
            acked -= 1                 # the SYN: not data for congestion control
        timers.ack_timing(c, ack, now_ns)
        freed: u32 = 0
        d = i32(ack - c.snd_data)
        if d > 0:
            freed = u32(d) if u32(d) < c.snd_len else c.snd_len
            sendq.consume(c, freed)
        c.prev_una = c.snd_una
        c.snd_una = ack
        timers.sack_trim(c, ack)
        c.limited = 0
        if seq_lt(c.snd_nxt, ack):
            c.snd_nxt = ack            # a probe, or data the peer had kept, was acknowledged
        c.retries = 0
        timers.on_new_ack(c, acked, now_ns)
        if freed > 0:
            tcp.notify(c, tcp.WRITABLE)
    elif ack == c.snd_una and (duplicate(c, seg) or (news and c.snd_nxt != c.snd_una and not c.persisting)):
        # With SACK, an ACK that SACKs new data is a duplicate too (RFC 6675 section 2).
        timers.on_dupack(c, now_ns)
    if seq_ge(ack, c.snd_una):
        update_window(c, seg)


def duplicate(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> bool:
    """RFC 5681 section 2, "DUPLICATE ACKNOWLEDGMENT": data outstanding (zero-window
    probes aside), no data, no SYN or FIN, the same ACK and the same window."""
    return c.snd_nxt != c.snd_una and not c.persisting and len(seg.payload) == 0 \
        and seg.flags & (wire.SYN | wire.FIN) == 0 and (u32(seg.window) << c.snd_shift) == c.snd_wnd


def update_window(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> None:
    """SND.WND from the newest segment only (SND.WL1, SND.WL2). A window that opens
    ends the persist timer: output() sends at once."""
    if not (seq_lt(c.snd_wl1, seg.seq) or (c.snd_wl1 == seg.seq and seq_le(c.snd_wl2, seg.ack))):
        return
    w = u32(seg.window) << c.snd_shift
    if w > c.snd_wnd and c.persisting:
        c.persisting = False
        c.rtx_at = 0
        c.backoff = 0
    c.snd_wnd = w
    c.snd_wl1 = seg.seq
    c.snd_wl2 = seg.ack
    if w > c.max_snd_wnd:
        c.max_snd_wnd = w


def receive_text(c: Ptr[Connection], seg: Ptr[wire.Repr], now_ns: u64) -> bool:
    """The seventh step: the new part of the text, cut to the window, into the receive
    ring, in order or into the out-of-order range. True when a FIN is now in sequence."""
    data = seg.payload
    if len(data) > 0 and not c.orphan and not ring.has_buffer(addr(c.rcv)) \
            and not ring.ensure_at_most(addr(c.rcv), tcp.buffer_for(c)):
        c.iface.stats.tcp_no_memory += 1   # no buffer: as if lost, the peer sends it again
        return False
    seq = seg.seq
    if seg.has(wire.SYN):
        seq += 1
    fin = seg.has(wire.FIN)
    n = u32(len(data))
    if seq_lt(seq, c.rcv_nxt):
        # Only the new part is processed; a FIN before RCV.NXT is an old one.
        skip = c.rcv_nxt - seq
        if skip > n:
            fin = False
            skip = n
        data = data[skip:n]
        n -= skip
        seq = c.rcv_nxt
    right = c.rcv_nxt + c.rcv.space()
    if seq_lt(c.rcv_adv, right):
        right = seq_max(c.rcv_adv, c.rcv_nxt)
    cut = seq_gt(seq + n, right)
    if cut:
        keep = right - seq if seq_lt(seq, right) else 0
        data = data[0:keep]
        n = keep
        fin = False
        c.iface.stats.tcp_rx_beyond_window += 1
        c.ack_now = True
    if n == 0 and not fin:
        return False
    if c.orphan and n > 0:
        # Data after CLOSE: nobody will read it (RFC 1122 section 4.2.2.13).
        c.iface.stats.tcp_data_after_close += 1
        tcp_output.send_reset_for(c, now_ns)
        tcp.enter_closed(c, Failure.NONE)
        return False
    if seq != c.rcv_nxt:
        keep_out_of_order(c, seq, data, fin)
        c.ack_now = True               # a duplicate ACK at once (RFC 5681 section 4.2)
        return False
    if n > 0:
        ring.write_at(addr(c.rcv), 0, data)
        ring.commit(addr(c.rcv), n)
        c.rcv_nxt += n
    if fin:
        clear_out_of_order(c)          # nothing can follow a FIN
    elif merge_out_of_order(c):
        fin = True
    if c.rcv.len > 0:
        tcp.notify(c, tcp.READABLE)
    if n > 0 and not c.ack_now:
        timers.ack_later(c, n, now_ns)
    return fin


def keep_out_of_order(c: Ptr[Connection], seq: u32, data: Bytes, fin: bool) -> None:
    """Keep a segment beyond a hole: its range joins every kept range it touches. With
    more than OOO_RANGES ranges, the one farthest from RCV.NXT goes (maybe this one)."""
    n = u32(len(data))
    start = seq
    end = seq + n
    starts: Array[u32, 5]
    ends: Array[u32, 5]
    k = 0
    mine = -1                          # where the new range landed
    had_fin = c.ooo_fin
    fin_at = c.ooo_end[c.ooo_count - 1] if c.ooo_count > 0 else u32(0)
    for i in range(c.ooo_count):
        s = c.ooo_start[i]
        e = c.ooo_end[i]
        if seq_lt(e, start):
            starts[k] = s              # wholly before, not touching
            ends[k] = e
            k += 1
        elif seq_gt(s, end):
            if mine < 0:               # wholly after: the new range goes first
                starts[k] = start
                ends[k] = end
                mine = k
                k += 1
            starts[k] = s
            ends[k] = e
            k += 1
        else:
            start = seq_min(start, s)  # touching: merged into the new range
            end = seq_max(end, e)
    if mine < 0:
        starts[k] = start
        ends[k] = end
        mine = k
        k += 1
    last = ends[k - 1]
    if k > tcp.OOO_RANGES:
        c.iface.stats.tcp_ooo_dropped += 1
        k = tcp.OOO_RANGES
        last = ends[k - 1]
        fin = False
        had_fin = False
    c.ooo_fin = (had_fin and fin_at == last) or (fin and seq + n == last and mine == k - 1)
    for j in range(k):
        c.ooo_start[j] = starts[j]
        c.ooo_end[j] = ends[j]
    c.ooo_count = u32(k)
    if mine < k:
        c.ooo_recent = starts[mine]
    if mine < k and n > 0:
        ring.write_at(addr(c.rcv), seq - c.rcv_nxt, data)


def merge_out_of_order(c: Ptr[Connection]) -> bool:
    """In-order data reached kept ranges: they join the stream without a copy (their
    data is in the ring already). Filling a hole is acknowledged at once. True when the
    last range ended with a FIN, now in sequence."""
    fin = False
    while c.ooo_count > 0 and seq_le(c.ooo_start[0], c.rcv_nxt):
        e = c.ooo_end[0]
        if seq_gt(e, c.rcv_nxt):
            ring.commit(addr(c.rcv), e - c.rcv_nxt)
            c.rcv_nxt = e
        if c.ooo_count == 1 and c.ooo_fin and e == c.rcv_nxt:
            fin = True
        for i in range(1, c.ooo_count):
            c.ooo_start[i - 1] = c.ooo_start[i]
            c.ooo_end[i - 1] = c.ooo_end[i]
        c.ooo_count -= 1
        c.ack_now = True
    if c.ooo_count == 0:
        c.ooo_fin = False
    return fin


def clear_out_of_order(c: Ptr[Connection]) -> None:
    c.ooo_count = 0
    c.ooo_fin = False


def fin_arrived(c: Ptr[Connection], now_ns: u64) -> None:
    """The eighth step: the peer's FIN, in sequence. Acknowledge it at once; the caller
    reads the end of the stream after the data."""
    c.rcv_nxt += 1
    c.fin_received = True
    c.ack_now = True
    tcp.notify(c, tcp.READABLE)
    if c.state == State.SYN_RECEIVED or c.state == State.ESTABLISHED:
        c.state = State.CLOSE_WAIT
    elif c.state == State.FIN_WAIT_1:
        if fin_acked(c):
            time_wait(c, now_ns)
        else:
            c.state = State.CLOSING
    elif c.state == State.FIN_WAIT_2:
        time_wait(c, now_ns)
    elif c.state == State.TIME_WAIT:
        c.state_at = now_ns + 2 * tcp.msl_ns
        tcp.timing_time_wait(c)


def time_wait(c: Ptr[Connection], now_ns: u64) -> None:
    """TIME-WAIT: other timers off, 2 MSL to go; the buffers of a closed connection go
    back now (only the sequence numbers are needed)."""
    c.state = State.TIME_WAIT
    c.rtx_at = 0
    c.persisting = False
    c.idle_at = 0
    c.ack_at = 0
    c.state_at = now_ns + 2 * tcp.msl_ns
    tcp.timing_time_wait(c)
    tcp.release_buffers(c)
