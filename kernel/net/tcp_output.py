"""What a TCP connection sends, and when (RFC 9293 sections 3.7 and 3.8, RFC 1122
section 4.2.3).

output() is called after anything that may let a connection send: a segment arrived,
the caller queued data or read some, a timer fired. It sends the SYN while the
handshake needs one; then data from SND.NXT as far as the usable window allows (the
peer's window and cwnd, less what is in flight) in segments of at most the MSS, the FIN
after the last byte once it is queued, and an ACK when one is due and no segment
carried it. Sender silly-window avoidance (RFC 9293 section 3.8.6.2.1) sends a short
segment only when it empties the queue (and, with Nagle on, nothing is in flight) or
fills half the largest window the peer offered; otherwise the persist timer (which
also probes a zero window, section 3.8.6.1) forces it later. The FIN takes one unit of
the window, as data does.

Every segment is built in a Packet from the pool: header, options on SYNs (MSS =
MTU - 40 per RFC 6691, Window Scale per RFC 7323 section 2.2, SACK-permitted per RFC
2018) and SACK blocks on pure ACKs while out-of-order data is kept, payload copied from
the send ring, or, for data queued by reference, read in place (tcp_sendq.gather():
the Packet's external payload, on a device that gathers); the advertised window comes from the free receive space (receiver SWS
avoidance, section 3.8.6.2.2: the right edge moves by at least min(buffer/2, MSS) and
never moves left).

During SACK-based loss recovery (RFC 6675, tcp_timers.py) output() sends instead what
NextSeg() chooses while pipe is under cwnd: retransmissions of holes, new data, the
rescue retransmission, all through send_segment(), so referenced data goes in place
again.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.packet as packet
import kernel.net.iface as iface_mod
from kernel.net.iface import Interface
import kernel.net.wire.ipv4 as ipv4
import kernel.net.wire.tcp as wire
from kernel.net.wire.tcp import seq_lt, seq_le, seq_gt, seq_max
import kernel.net.tcp as tcp
from kernel.net.tcp import Connection, State
import kernel.net.tcp_sendq as sendq
import kernel.net.tcp_timers as timers

MAX_SEGMENT: Final = 1860              # payload that fits a Packet (DATA_SIZE) after the headroom and a 20-byte header


def our_mss(ifc: Ptr[Interface]) -> u32:
    """The MSS we announce: the MTU less fixed IPv4 and TCP headers (RFC 6691, RFC 9293
    section 3.7.1), at most what one Packet holds."""
    m = ifc.mtu - 40
    return m if m < MAX_SEGMENT else u32(MAX_SEGMENT)


def fin_seq(c: Ptr[Connection]) -> u32:
    """The FIN's sequence number, once queued: right after the last byte."""
    return c.snd_data + c.snd_len


def unsent(c: Ptr[Connection]) -> u32:
    """Bytes queued from SND.NXT on."""
    off = c.snd_nxt - c.snd_data
    if seq_lt(c.snd_nxt, c.snd_data) or off >= c.snd_len:
        return 0
    return c.snd_len - off


def fin_unsent(c: Ptr[Connection]) -> bool:
    return c.fin_queued and seq_le(c.snd_nxt, fin_seq(c))


def in_flight(c: Ptr[Connection]) -> u32:
    return c.snd_nxt - c.snd_una


def usable_window(c: Ptr[Connection]) -> u32:
    """min(SND.WND, cwnd) less what is in flight (RFC 5681 section 3.1)."""
    w = c.snd_wnd if c.snd_wnd < c.cwnd else c.cwnd
    f = in_flight(c)
    return w - f if w > f else 0


# Receive window.

def edge(c: Ptr[Connection]) -> u32:
    """RCV.WND as last advertised: from RCV.NXT to the right edge."""
    return c.rcv_adv - c.rcv_nxt if seq_gt(c.rcv_adv, c.rcv_nxt) else 0


def receive_window(c: Ptr[Connection]) -> u32:
    """The window to offer: the free receive space (scaled window's largest at most),
    moved right only by min(buffer/2, MSS) or more, and never left."""
    w = c.rcv.space()
    limit = u32(65535) << c.rcv_shift
    if w > limit:
        w = limit
    cur = edge(c)
    step = c.rcv.capacity() // 2
    if step > c.mss:
        step = c.mss
    if w < cur + step:
        return cur
    return w


def window_field(c: Ptr[Connection], syn: bool) -> u16:
    """The window field of a segment sent now; the advertised edge moves with it. A
    SYN's window is never scaled (RFC 7323 section 2.2)."""
    w = receive_window(c)
    if syn:
        f = w if w < 65535 else u32(65535)
        c.rcv_adv = c.rcv_nxt + f
        return u16(f)
    f = w >> c.rcv_shift
    if f > 65535:
        f = 65535
    e = c.rcv_nxt + (f << c.rcv_shift)
    if seq_gt(e, c.rcv_adv):
        c.rcv_adv = e
    return u16(f)


def window_update_due(c: Ptr[Connection]) -> bool:
    """After the caller read: is the window now worth announcing? When it grew by two
    segments or half the buffer, or reopened from less than a segment (RFC 9293
    section 3.8.6.2.2)."""
    if not tcp.synchronized(c) or c.fin_received:
        return False
    cur = edge(c)
    grow = receive_window(c) - cur
    return grow >= 2 * c.mss or 2 * grow >= c.rcv.capacity() or (cur < c.mss and cur + grow >= c.mss)


# Building segments.

def send_segment(c: Ptr[Connection], seq: u32, flags: u8, off: u32, n: u32, now_ns: u64) -> bool:
    """One segment: n bytes of the send queue from off, at seq, with flags. Any segment
    with ACK acknowledges RCV.NXT, so delayed-ACK state clears. False when the packet
    pool is empty (a timer or an ACK brings the next try). Data that ends in a
    referenced extent (send_static) leaves that part in place, the Packet's external
    payload, when the device gathers."""
    pkt = packet.alloc()
    if pkt is None:
        c.iface.stats.tx_no_buffer += 1
        return False
    syn = flags & wire.SYN != 0
    r = wire.Repr(src_port=c.local_port, dst_port=c.remote_port, seq=seq, flags=flags)
    if flags & wire.ACK != 0:
        r.ack = c.rcv_nxt
    r.window = window_field(c, syn)
    if syn:
        r.mss = u16(our_mss(c.iface))
        if flags & wire.ACK == 0 or c.wscale:
            r.has_window_scale = True
            r.window_scale = c.rcv_shift
        r.sack_permitted = flags & wire.ACK == 0 or c.sack_ok
    elif n == 0 and c.sack_ok and c.ooo_count > 0 and flags & wire.ACK != 0:
        sack_blocks(c, addr(r))
    h = u32(wire.header_len(addr(r)))
    pkt.len = h + n
    b = pkt.frame()
    ext = b[h:h]
    if n > 0 and seq_lt(seq, c.snd_una):
        b[h] = 0                        # a keep-alive's garbage octet: the queue starts at SND.UNA
    elif n > 0:
        ext = sendq.gather(c, off, b[h:h + n], c.ref_count > 0 and c.iface.dev.gather)
        c.iface.stats.tcp_tx_data += 1
    inline = h + n - u32(len(ext))
    pkt.len = inline
    pkt.ext = ext.ptr
    pkt.ext_len = u32(len(ext))
    r.payload = b[h:inline]
    if c.iface.dev.tx_checksum:
        wire.emit_partial(addr(r), b[0:inline], c.local_ip, c.remote_ip, len(ext))
        packet.checksum_partial(pkt, wire.CHECKSUM)
    else:
        wire.emit_gather(addr(r), b[0:inline], c.local_ip, c.remote_ip, ext)
    c.iface.stats.tcp_tx += 1
    if flags & wire.ACK != 0:
        c.ack_now = False
        c.ack_at = 0
        c.unacked = 0
    iface_mod.output_ipv4(c.iface, pkt, c.remote_ip, ipv4.PROTO_TCP, now_ns)
    return True


def sack_blocks(c: Ptr[Connection], r: Ptr[wire.Repr]) -> None:
    """The kept out-of-order ranges as SACK blocks (RFC 2018 section 4): first the one
    the latest segment went into, then the others from the lowest."""
    first: i64 = -1
    for i in range(c.ooo_count):
        if c.ooo_start[i] == c.ooo_recent:
            first = i64(i)
    k = 0
    if first >= 0:
        add_block(r, k, c.ooo_start[first], c.ooo_end[first])
        k = 1
    for i in range(c.ooo_count):
        if i64(i) != first and k < wire.MAX_SACK_BLOCKS:
            add_block(r, k, c.ooo_start[i], c.ooo_end[i])
            k += 1
    r.sack_count = u8(k)


def add_block(r: Ptr[wire.Repr], k: int, left: u32, right: u32) -> None:
    r.sack[2 * k] = left
    r.sack[2 * k + 1] = right


def send_ack(c: Ptr[Connection], now_ns: u64) -> None:
    """<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; after a timeout rewound SND.NXT, the
    highest sequence sent, so the peer does not find it old."""
    send_segment(c, c.snd_max, wire.ACK, 0, 0, now_ns)


def send_reset(ifc: Ptr[Interface], src: u32, sport: u16, dst: u32, dport: u16, seq: u32, ack: u32,
               flags: u8, now_ns: u64) -> None:
    r = wire.Repr(src_port=sport, dst_port=dport, seq=seq, ack=ack, flags=flags | wire.RST)
    if send_stateless(ifc, addr(r), src, dst, now_ns):
        ifc.stats.tcp_rst_sent += 1


def send_cookie_syn_ack(ifc: Ptr[Interface], src: u32, sport: u16, dst: u32, dport: u16, iss: u32, ack: u32,
                        window: u16, now_ns: u64) -> None:
    """<SEQ=iss><ACK=ack><CTL=SYN,ACK> for a SYN cookie: no connection behind it, so the
    MSS is its one option (no window scaling, no SACK: nothing would remember them)."""
    r = wire.Repr(src_port=sport, dst_port=dport, seq=iss, ack=ack, flags=wire.SYN | wire.ACK, window=window,
                  mss=u16(our_mss(ifc)))
    send_stateless(ifc, addr(r), src, dst, now_ns)


def send_stateless(ifc: Ptr[Interface], r: Ptr[wire.Repr], src: u32, dst: u32, now_ns: u64) -> bool:
    """A segment with no connection behind it and no data (its options may be set):
    False when no packet could be had (counted)."""
    pkt = packet.alloc()
    if pkt is None:
        ifc.stats.tx_no_buffer += 1
        return False
    pkt.len = u32(wire.header_len(r))
    b = pkt.frame()
    r.payload = b[pkt.len:pkt.len]
    wire.emit(r, b, src, dst)
    ifc.stats.tcp_tx += 1
    iface_mod.output_ipv4(ifc, pkt, dst, ipv4.PROTO_TCP, now_ns)
    return True


def reset_reply(ifc: Ptr[Interface], ip: Ptr[ipv4.Repr], seg: Ptr[wire.Repr], now_ns: u64) -> None:
    """The RST for a segment no connection takes (section 3.10.7.1): never for a RST;
    with an ACK <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>."""
    if seg.has(wire.RST):
        return
    if seg.has(wire.ACK):
        send_reset(ifc, ip.dst, seg.dst_port, ip.src, seg.src_port, seg.ack, 0, 0, now_ns)
    else:
        send_reset(ifc, ip.dst, seg.dst_port, ip.src, seg.src_port, 0, seg.seq + seg.seg_len(), wire.ACK,
                   now_ns)


def send_reset_for(c: Ptr[Connection], now_ns: u64) -> None:
    """ABORT's <SEQ=SND.NXT><CTL=RST> (section 3.10.5), in the states that send one."""
    s = c.state
    if s == State.SYN_RECEIVED or s == State.ESTABLISHED or s == State.FIN_WAIT_1 or s == State.FIN_WAIT_2 \
            or s == State.CLOSE_WAIT:
        send_reset(c.iface, c.local_ip, c.local_port, c.remote_ip, c.remote_port, reset_seq(c), 0, 0, now_ns)


def reset_seq(c: Ptr[Connection]) -> u32:
    """The RST's sequence number: SND.MAX, but never past the right edge of the peer's
    window (SND.UNA + SND.WND), where a peer drops it as out of the window. A
    zero-window probe leaves SND.MAX one byte past it. (Linux: tcp_acceptable_seq.)"""
    edge = c.snd_una + c.snd_wnd
    return edge if seq_gt(c.snd_max, edge) else c.snd_max


# Deciding what to send.

def output(c: Ptr[Connection], now_ns: u64) -> None:
    """Send whatever c may send now (see the module's docstring)."""
    if c.state == State.CLOSED or c.state == State.LISTEN or c.dead:
        return
    if c.state == State.SYN_SENT or c.state == State.SYN_RECEIVED:
        if c.snd_nxt == c.iss:
            send_syn(c, now_ns)
        elif c.ack_now:
            send_ack(c, now_ns)
        return
    if c.in_recovery and timers.uses_sack(c):
        sack_recovery_send(c, now_ns)
    else:
        if seq_lt(c.snd_nxt, c.snd_max) and c.sb_count > 0:
            skip_sacked(c)
        send_data(c, now_ns, False)
    if c.ack_now:
        send_ack(c, now_ns)
    arm_persist(c, now_ns)


def send_syn(c: Ptr[Connection], now_ns: u64) -> None:
    """<SEQ=ISS><CTL=SYN>, or SYN,ACK from SYN-RECEIVED (sections 3.10.1, 3.10.7.2)."""
    flags: u8 = wire.SYN | (wire.ACK if c.state == State.SYN_RECEIVED else 0)
    again = c.snd_max != c.iss
    if not send_segment(c, c.iss, flags, 0, 0, now_ns):
        timers.arm_rto(c, now_ns)      # try again when the timer fires
        return
    c.snd_nxt = c.iss + 1
    c.snd_max = seq_max(c.snd_max, c.snd_nxt)
    if again:
        c.iface.stats.tcp_retransmits += 1
        c.syn_retransmitted = True
    else:
        timers.start_timing(c, c.iss, now_ns)
    timers.arm_rto(c, now_ns)


def segment_size(c: Ptr[Connection], left: u32, usable: u32, force: bool) -> u32:
    """How much of the `left` unsent bytes to send now in one segment (0: wait)."""
    n = left
    if n > usable:
        n = usable
    if n > c.mss:
        n = c.mss
    if n == 0 or force or n == c.mss:
        return n
    if n == left and (c.nodelay or in_flight(c) == 0):
        return n                       # it empties the queue: pushed (Nagle: nothing in flight)
    if c.max_snd_wnd > 0 and n >= c.max_snd_wnd // 2:
        return n                       # RFC 1122 section 4.2.3.4, case (3)
    return 0


def send_data(c: Ptr[Connection], now_ns: u64, force: bool) -> None:
    """Data from SND.NXT and then the FIN, as far as the usable window allows."""
    while True:
        left = unsent(c)
        usable = usable_window(c)
        n = segment_size(c, left, usable, force)
        fin = fin_unsent(c) and n == left and usable > n
        if n == 0 and not fin:
            return
        if not send_data_segment(c, n, fin, n == left, now_ns):
            return
        force = False


def send_data_segment(c: Ptr[Connection], n: u32, fin: bool, push: bool, now_ns: u64) -> bool:
    seq = c.snd_nxt
    flags: u8 = wire.ACK
    if push and n > 0:
        flags |= wire.PSH
    if fin:
        flags |= wire.FIN
    if not send_segment(c, seq, flags, seq - c.snd_data, n, now_ns):
        return False
    c.snd_nxt = seq + n
    if fin:
        c.snd_nxt += 1
    if seq_lt(seq, c.snd_max):
        c.iface.stats.tcp_retransmits += 1
    else:
        timers.start_timing(c, seq, now_ns)
    c.snd_max = seq_max(c.snd_max, c.snd_nxt)
    timers.arm_rto(c, now_ns)
    return True


def retransmit_first(c: Ptr[Connection], now_ns: u64) -> None:
    """Send the segment at SND.UNA again, SND.NXT untouched (fast retransmit, and a
    partial ACK in fast recovery: RFC 6582 section 3.2). Only what was sent before:
    never past the highest sequence sent (nor so past the peer's window)."""
    off = c.snd_una - c.snd_data
    n: u32 = 0
    if seq_le(c.snd_data, c.snd_una) and off < c.snd_len:
        n = c.snd_len - off
    if n > c.mss:
        n = c.mss
    sent = c.snd_max - c.snd_una
    if n > sent:
        n = sent
    fin = c.fin_queued and c.snd_una + n == fin_seq(c) and seq_lt(c.snd_una + n, c.snd_max)
    if n == 0 and not fin:
        return
    flags: u8 = wire.ACK | (wire.FIN if fin else 0)
    if send_segment(c, c.snd_una, flags, off, n, now_ns):
        c.iface.stats.tcp_retransmits += 1


# SACK-based loss recovery (RFC 6675 section 5); the scoreboard is in tcp_timers.py.

def sack_recovery_send(c: Ptr[Connection], now_ns: u64) -> None:
    """Step (C): while cwnd - pipe is a segment or more, send NextSeg()."""
    while True:
        p = timers.pipe(c)
        if p >= c.cwnd or c.cwnd - p < c.mss:
            return
        if not next_seg(c, now_ns):
            return


def next_seg(c: Ptr[Connection], now_ns: u64) -> bool:
    """NextSeg() of section 4, and send it: (1) the first unSACKed segment at or above
    HighRxt that IsLost() says is lost; (2) new data, as the peer's window allows; (3)
    the first unSACKed segment at or above HighRxt below the highest SACKed byte; (4)
    once per recovery, the rescue retransmission: the last segment of an unSACKed tail,
    HighRxt left alone. False when nothing may go (or the pool is empty)."""
    top = timers.sacked_top(c)
    s = timers.hole_from(c, c.high_rxt)
    if seq_lt(s, top) and seq_lt(s, timers.lost_edge(c)):
        return retransmit_range(c, s, timers.hole_end(c, s), now_ns, True)
    if c.snd_nxt == c.snd_max:
        left = unsent(c)
        room: u32 = 0
        if seq_lt(c.snd_nxt, c.snd_una + c.snd_wnd):
            room = c.snd_una + c.snd_wnd - c.snd_nxt
        n = segment_size(c, left, room, False)
        fin = fin_unsent(c) and n == left and room > n
        if n > 0 or fin:
            return send_data_segment(c, n, fin, n == left, now_ns)
    if seq_lt(s, top):
        return retransmit_range(c, s, timers.hole_end(c, s), now_ns, True)
    if not c.rescue_done and seq_lt(top, c.snd_max) and unsent(c) == 0:
        c.rescue_done = True
        start = seq_max(top, c.snd_una)
        if c.snd_max - start > c.mss:
            start = c.snd_max - c.mss
        return retransmit_range(c, start, c.snd_max, now_ns, False)
    return False


def retransmit_range(c: Ptr[Connection], seq: u32, end: u32, now_ns: u64, advance: bool) -> bool:
    """Send again up to a segment of what went before from seq (before end), the FIN
    with it when the range holds it; HighRxt moves past it when advance."""
    n = end - seq
    if n > c.mss:
        n = c.mss
    fin = False
    if c.fin_queued and seq_gt(seq + n, fin_seq(c)):
        n = fin_seq(c) - seq           # the range holds the FIN's sequence number
        fin = True
    if n == 0 and not fin:
        return False
    flags: u8 = wire.ACK | (wire.FIN if fin else 0)
    if not send_segment(c, seq, flags, seq - c.snd_data, n, now_ns):
        return False
    c.iface.stats.tcp_retransmits += 1
    span: u32 = n + (u32(1) if fin else u32(0))
    if c.rtt_timing and seq_le(seq, c.rtt_seq) and seq_lt(c.rtt_seq, seq + span):
        c.rtt_timing = False           # Karn: the timed segment went again
    if advance:
        c.high_rxt = seq_max(c.high_rxt, seq + span)
    timers.arm_rto(c, now_ns)
    return True


def skip_sacked(c: Ptr[Connection]) -> None:
    """Sending again after a timeout: what the peer SACKed since then need not go."""
    for i in range(c.sb_count):
        if seq_le(c.sb_start[i], c.snd_nxt) and seq_lt(c.snd_nxt, c.sb_end[i]):
            c.snd_nxt = c.sb_end[i]


def limited_transmit(c: Ptr[Connection], now_ns: u64) -> None:
    """RFC 3042 (RFC 5681 section 3.2, step 1): on the first and second duplicate ACK,
    one segment of data never sent, if the peer's window takes it and the flight stays
    within cwnd + 2 segments (cwnd itself unchanged), so a small window still brings
    the three duplicate ACKs fast retransmit needs."""
    left = unsent(c)
    if c.snd_nxt != c.snd_max or left == 0:
        return
    n = left if left < c.mss else c.mss
    f = in_flight(c)
    if f + n > c.cwnd + 2 * c.mss or f + n > c.snd_wnd:
        return
    if send_data_segment(c, n, False, n == left, now_ns):
        c.limited += n


def arm_persist(c: Ptr[Connection], now_ns: u64) -> None:
    """Nothing in flight, no timer, yet something waits to go (a zero window, or a
    short segment held back): the persist timer will probe or force it."""
    if c.rtx_at != 0 or c.snd_nxt != c.snd_una:
        return
    if unsent(c) > 0 or fin_unsent(c):
        c.persisting = True
        c.rtx_at = now_ns + timers.persist_interval(c)


def probe(c: Ptr[Connection], now_ns: u64) -> None:
    """The persist timer fired: with a window, send what it allows, short or not; with
    none, one byte (or the FIN) beyond it, SND.NXT left alone, so the peer's answer
    carries its window (section 3.8.6.1)."""
    if usable_window(c) > 0:
        send_data(c, now_ns, True)
        return
    n: u32 = 1 if unsent(c) > 0 else 0
    flags: u8 = wire.ACK | (wire.FIN if n == 0 else 0)
    if send_segment(c, c.snd_nxt, flags, c.snd_nxt - c.snd_data, n, now_ns):
        c.snd_max = seq_max(c.snd_max, c.snd_nxt + 1)
        c.iface.stats.tcp_window_probes += 1


def send_keepalive(c: Ptr[Connection], now_ns: u64) -> None:
    """<SEQ=SND.UNA-1><ACK=RCV.NXT> and one garbage octet: old data the peer must answer
    with an ACK (RFC 9293 section 3.8.4, RFC 1122 section 4.2.3.6). The octet matters:
    Linux answers an empty out-of-window segment at most every 500 ms
    (tcp_invalid_ratelimit), so shorter intervals would time out live peers."""
    if send_segment(c, c.snd_una - 1, wire.ACK, 0, 1, now_ns):
        c.iface.stats.tcp_keepalive_probes += 1
