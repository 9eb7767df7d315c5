"""TCP timers, round-trip time and congestion control.

Each connection has four deadlines (absolute nanoseconds, 0 when off), run by run()
from tcp.tick():
- rtx_at: the retransmission timer of RFC 6298, or, with `persisting`, the persist
  timer that probes a zero window (RFC 9293 section 3.8.6.1) or forces a segment the
  silly-window rules held back (RFC 1122 section 4.2.3.4's override). On a timeout:
  back off (RTO doubled, at most RTO_MAX), forget the RTT sample in progress (Karn),
  rewind SND.NXT to SND.UNA and send again from there with cwnd = 1 segment (RFC 5681
  section 3.1). After MAX_RETRIES timeouts in a row (SYN_RETRIES for a SYN,
  SYNACK_RETRIES for a SYN-ACK) the connection fails with TIMEOUT: RFC 1122 section
  4.2.3.5's R2, here about two minutes with the smallest RTO.
- ack_at: the delayed ACK (RFC 1122 section 4.2.3.2, RFC 5681 section 4.2): DELACK_NS
  after in-order data, unless a second full segment comes first.
- idle_at: keep-alive (RFC 9293 section 3.8.4), when the caller turned it on.
- state_at: TIME-WAIT's 2 MSL, and FIN-WAIT-2 for a connection the caller closed.

RTT (RFC 6298 section 2): one segment timed at a time, never a retransmitted one;
SRTT and RTTVAR in nanoseconds with alpha 1/8 and beta 1/4; RTO = SRTT + max(G,
4 RTTVAR) between RTO_MIN (200 ms: a VM's peers are near) and RTO_MAX (60 s).

Congestion control: slow start and congestion avoidance (RFC 5681 section 3.1), limited
transmit on the first two duplicate ACKs (RFC 3042), fast retransmit on the third and
NewReno fast recovery (RFC 6582 section 3.2, the Impatient variant: the timer restarts
on the first partial ACK only). After a timeout, section 4.1's ACK heuristic tells a new
loss from needless resends, so a loss while data is being sent again need not wait for
another, doubled, timeout.

When the peer's SYN offered SACK-permitted (RFC 2018), loss recovery is RFC 6675's
instead. Each ACK's SACK blocks update a scoreboard of up to SACK_RANGES ranges above
SND.UNA (sack_update(); blocks at or below the cumulative ACK, as D-SACKs are, or beyond
SND.MAX are ignored, and ranges leave as SND.UNA passes them); an ACK that SACKs new
data counts as a duplicate. Recovery starts on the third duplicate ACK, or earlier
when IsLost() says the first unacknowledged segment is lost (DupThresh ranges or more
than DupThresh - 1 segments SACKed above it): RecoveryPoint = SND.MAX, ssthresh = cwnd
= FlightSize / 2, and the first segment goes again. Then, on every ACK, while cwnd -
pipe (SetPipe(): unSACKed bytes not deemed lost, plus those retransmitted) is a segment
or more, tcp_output.next_seg() sends a lost hole, else new data, else another hole
below the highest SACK, else once the rescue retransmission of the tail. It ends when
RecoveryPoint is acknowledged, with cwnd = ssthresh. A timeout expunges the scoreboard
(section 5.1: the receiver may have reneged), sends again from SND.UNA (skipping what
is SACKed afterwards) and allows no new recovery before RecoveryPoint is acknowledged.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.wire.tcp as wire
from kernel.net.wire.tcp import seq_lt, seq_le, seq_gt, seq_min, seq_max
import kernel.net.tcp as tcp
from kernel.net.tcp import Connection, State, Failure
import kernel.net.tcp_output as tcp_output

MS: Final = 1_000_000
SECOND: Final = 1_000_000_000
DEFAULT_MSS: Final = 536               # without an MSS option (RFC 9293 section 3.7.1)
MIN_MSS: Final = 64                    # a smaller announced MSS is raised to this
RTO_INITIAL: Final = SECOND            # RFC 6298 section 2.1
RTO_MIN: Final = 200 * MS
RTO_MAX: Final = 60 * SECOND
RTO_AFTER_SYN_LOSS: Final = 3 * SECOND # RFC 6298 section 5.7
GRANULARITY: Final = MS                # G
DELACK_NS: Final = 40 * MS
PERSIST_MAX: Final = 60 * SECOND
MAX_RETRIES: Final = 10
SYN_RETRIES: Final = 6
SYNACK_RETRIES: Final = 5
DUPACK_THRESHOLD: Final = 3
MAX_CWND: Final = 1 << 30


def stop_all(c: Ptr[Connection]) -> None:
    c.rtx_at = 0
    c.ack_at = 0
    c.idle_at = 0
    c.state_at = 0
    c.persisting = False
    c.ack_now = False


def deadline(c: Ptr[Connection]) -> u64:
    t = tcp.earliest(c.rtx_at, c.ack_at)
    return tcp.earliest(tcp.earliest(t, c.idle_at), c.state_at)


def run(c: Ptr[Connection], now_ns: u64) -> None:
    """Whatever of c's timers is due; then send what that calls for."""
    if c.state_at != 0 and now_ns >= c.state_at:
        c.state_at = 0
        state_timeout(c)
        return
    fired = False
    if c.rtx_at != 0 and now_ns >= c.rtx_at:
        c.rtx_at = 0
        fired = True
        if c.persisting:
            persist_timeout(c, now_ns)
        else:
            retransmit_timeout(c, now_ns)
        if c.state == State.CLOSED:
            return
    if c.idle_at != 0 and now_ns >= c.idle_at:
        c.idle_at = 0
        fired = True
        keepalive_timeout(c, now_ns)
        if c.state == State.CLOSED:
            return
    if c.ack_at != 0 and now_ns >= c.ack_at:
        c.ack_at = 0
        c.ack_now = True
        fired = True
    if fired:
        tcp_output.output(c, now_ns)


def give_up(c: Ptr[Connection]) -> None:
    c.iface.stats.tcp_timeouts += 1
    tcp.enter_closed(c, Failure.TIMEOUT)


def state_timeout(c: Ptr[Connection]) -> None:
    """TIME-WAIT ran 2 MSL (RFC 9293 section 3.10.8); or a closed connection waited
    fin_wait_2_ns in FIN-WAIT-2 for a FIN that did not come."""
    if c.state == State.TIME_WAIT:
        tcp.enter_closed(c, Failure.NONE)
    elif c.state == State.FIN_WAIT_2:
        give_up(c)


# Retransmission (RFC 6298 section 5).

def arm_rto(c: Ptr[Connection], now_ns: u64) -> None:
    """(5.1) Something occupying sequence space went out: start the timer unless it runs."""
    if c.rtx_at == 0 or c.persisting:
        c.rtx_at = now_ns + c.rto
        c.persisting = False


def ack_timer(c: Ptr[Connection], now_ns: u64, restart: bool) -> None:
    """(5.2) all acknowledged: stop; (5.3) new data acknowledged: restart."""
    if c.snd_una == c.snd_max:
        c.rtx_at = 0
        c.persisting = False
    elif restart:
        c.rtx_at = now_ns + c.rto
        c.persisting = False


def retry_limit(c: Ptr[Connection]) -> u32:
    if c.state == State.SYN_SENT:
        return SYN_RETRIES
    if c.state == State.SYN_RECEIVED:
        return SYNACK_RETRIES
    return MAX_RETRIES


def retransmit_timeout(c: Ptr[Connection], now_ns: u64) -> None:
    """(5.4-5.6): back off and send again from SND.UNA; output() restarts the timer."""
    if c.retries >= retry_limit(c):
        give_up(c)
        return
    if tcp.synchronized(c):
        on_timeout(c)
    c.retries += 1
    c.rto = c.rto * 2 if c.rto < RTO_MAX // 2 else u64(RTO_MAX)
    c.rtt_timing = False
    c.snd_nxt = c.snd_una


def persist_interval(c: Ptr[Connection]) -> u64:
    t = c.rto << (c.backoff if c.backoff < 10 else 10)
    return t if t < PERSIST_MAX else u64(PERSIST_MAX)


def persist_timeout(c: Ptr[Connection], now_ns: u64) -> None:
    """Probe the zero window, or force the held-back segment; probe again later, each
    time later, while the window stays shut. The peer answers probes while it lives:
    MAX_RETRIES unanswered ones and it is taken for dead."""
    c.persisting = False
    if tcp_output.unsent(c) == 0 and not tcp_output.fin_unsent(c):
        return
    if c.probes >= MAX_RETRIES:
        give_up(c)
        return
    tcp_output.probe(c, now_ns)
    if c.snd_nxt == c.snd_una:
        c.probes += 1
        c.backoff += 1
        c.persisting = True
        c.rtx_at = now_ns + persist_interval(c)


# Round-trip time (RFC 6298 sections 2 and 3).

def start_timing(c: Ptr[Connection], seq: u32, now_ns: u64) -> None:
    if not c.rtt_timing:
        c.rtt_timing = True
        c.rtt_seq = seq
        c.rtt_start = now_ns


def ack_timing(c: Ptr[Connection], ack: u32, now_ns: u64) -> None:
    """An ACK beyond the timed segment gives a sample."""
    if c.rtt_timing and seq_gt(ack, c.rtt_seq):
        c.rtt_timing = False
        rtt_sample(c, now_ns - c.rtt_start)


def rtt_sample(c: Ptr[Connection], r: u64) -> None:
    if r == 0:
        r = 1                          # srtt 0 means "no sample yet"
    if c.srtt == 0:
        c.srtt = r                     # (2.2)
        c.rttvar = r // 2
    else:
        delta = c.srtt - r if c.srtt > r else r - c.srtt
        c.rttvar = (3 * c.rttvar + delta) // 4    # (2.3): beta = 1/4
        c.srtt = (7 * c.srtt + r) // 8            # alpha = 1/8
    k = 4 * c.rttvar
    rto = c.srtt + (k if k > GRANULARITY else u64(GRANULARITY))
    if rto < RTO_MIN:
        rto = RTO_MIN                  # (2.4), with a VM's floor
    if rto > RTO_MAX:
        rto = RTO_MAX                  # (2.5)
    c.rto = rto


# Congestion control (RFC 5681, RFC 6582; RFC 6675 with SACK).

def initial_window(mss: u32) -> u32:
    """RFC 5681 section 3.1, equation (3)."""
    if mss > 2190:
        return 2 * mss
    if mss > 1095:
        return 3 * mss
    return 4 * mss


def on_established(c: Ptr[Connection]) -> None:
    """Data transmission begins: a lost SYN or SYN-ACK means one segment to start with
    (RFC 5681 section 3.1) and an RTO of at least 3 s (RFC 6298 section 5.7)."""
    c.retries = 0
    c.cwnd = c.mss if c.syn_retransmitted else initial_window(c.mss)
    if c.syn_retransmitted and c.srtt == 0 and c.rto < RTO_AFTER_SYN_LOSS:
        c.rto = RTO_AFTER_SYN_LOSS


def flight_size(c: Ptr[Connection]) -> u32:
    return c.snd_max - c.snd_una


def loss_ssthresh(c: Ptr[Connection]) -> u32:
    """RFC 5681 section 3.1, equation (4): max(FlightSize / 2, 2 * SMSS); what limited
    transmit sent is not counted (section 3.2, step 2)."""
    f = flight_size(c)
    half = (f - c.limited if f > c.limited else 0) // 2
    return half if half > 2 * c.mss else 2 * c.mss


def on_new_ack(c: Ptr[Connection], acked: u32, now_ns: u64) -> None:
    """SND.UNA moved forward by acked bytes: grow cwnd, or go on with fast recovery."""
    if c.in_recovery and uses_sack(c):
        # RFC 6675 section 5: a cumulative ACK resets DupAcks; at RecoveryPoint recovery
        # ends with cwnd = ssthresh. A partial ACK changes nothing else: output() sends
        # what pipe allows (sack_recovery_send()).
        c.dupacks = 0
        if seq_gt(c.snd_una, c.recover):
            c.cwnd = c.ssthresh
            c.in_recovery = False
        ack_timer(c, now_ns, True)
        return
    if c.in_recovery:
        if seq_gt(c.snd_una, c.recover):
            # RFC 6582 section 3.2 step 6, a full ACK: deflate and leave recovery.
            f = flight_size(c)
            x = (f if f > c.mss else c.mss) + c.mss
            c.cwnd = x if x < c.ssthresh else c.ssthresh
            c.in_recovery = False
            c.dupacks = 0
            ack_timer(c, now_ns, True)
        else:
            # Step 5, a partial ACK: the next hole is lost too; send it, deflate.
            tcp_output.retransmit_first(c, now_ns)
            c.cwnd = c.cwnd - acked if c.cwnd > acked else 0
            if acked >= c.mss:
                c.cwnd += c.mss
            if c.cwnd < c.mss:
                c.cwnd = c.mss
            ack_timer(c, now_ns, not c.partial_acked)
            c.partial_acked = True
        return
    c.dupacks = 0
    if c.cwnd < c.ssthresh:
        c.cwnd += acked if acked < c.mss else c.mss          # slow start, equation (2)
    else:
        step = c.mss * c.mss // c.cwnd                       # congestion avoidance, equation (3)
        c.cwnd += step if step > 0 else 1
    if c.cwnd > MAX_CWND:
        c.cwnd = MAX_CWND
    ack_timer(c, now_ns, True)


def on_dupack(c: Ptr[Connection], now_ns: u64) -> None:
    """A duplicate ACK (RFC 5681 section 2): the third starts fast retransmit."""
    c.dupacks += 1
    if c.in_recovery:
        if not uses_sack(c):
            c.cwnd += c.mss                                  # RFC 6582 section 3.2 step 4
        return
    if uses_sack(c):
        on_sack_dupack(c, now_ns)
        return
    if c.dupacks < DUPACK_THRESHOLD:
        tcp_output.limited_transmit(c, now_ns)               # RFC 5681 section 3.2 step 1
        return
    if c.dupacks != DUPACK_THRESHOLD or not loss_indicated(c):
        return
    c.recover = c.snd_max - 1
    c.ssthresh = loss_ssthresh(c)
    c.rtt_timing = False
    tcp_output.retransmit_first(c, now_ns)
    c.iface.stats.tcp_fast_retransmits += 1
    c.cwnd = c.ssthresh + 3 * c.mss                          # step 3
    c.in_recovery = True
    c.partial_acked = False


def loss_indicated(c: Ptr[Connection]) -> bool:
    """RFC 6582 section 3.2 step 2: past `recover`, the duplicate ACKs mean a new loss.
    Short of it (after a timeout, data sent again), section 4.1's ACK heuristic: they
    do when cwnd is over a segment and the last cumulative ACK moved 4 segments at most;
    a longer jump means the peer had the data, and they answer our needless resends."""
    if seq_gt(c.snd_una, c.recover):
        return True
    return c.cwnd > c.mss and c.snd_una - c.prev_una <= 4 * c.mss


def on_timeout(c: Ptr[Connection]) -> None:
    """A retransmission timeout: ssthresh halves (once per series, RFC 5681 section 3.1),
    cwnd drops to one segment, and recovery ends (RFC 6582 section 3.2, step 4's note)."""
    if c.retries == 0:
        c.ssthresh = loss_ssthresh(c)
    c.cwnd = c.mss
    c.recover = c.snd_max - 1
    c.in_recovery = False
    c.dupacks = 0
    c.sb_count = 0                     # RFC 6675 section 5.1: the scoreboard is expunged
    c.high_rxt = c.snd_una


# SACK-based loss recovery (RFC 6675).

def uses_sack(c: Ptr[Connection]) -> bool:
    """The peer's SYN offered SACK-permitted, so its ACKs carry SACK blocks."""
    return c.sack_ok and tcp.sack_sender


def sack_update(c: Ptr[Connection], seg: Ptr[wire.Repr]) -> bool:
    """Update() of section 4: the ACK's SACK blocks join the scoreboard, then what
    SND.UNA (or this ACK) covers leaves it. Ignored: blocks at or below the cumulative
    ACK (D-SACK, RFC 2883, or stale), beyond SND.MAX, or empty. True when the blocks
    SACKed something not SACKed before (which makes an ACK a duplicate, section 2)."""
    ack = seg.ack
    news = False
    for i in range(seg.sack_count):
        left = seg.sack[2 * i]
        right = seg.sack[2 * i + 1]
        if not seq_lt(left, right) or not seq_gt(left, ack) or not seq_gt(left, c.snd_una) \
                or seq_gt(right, c.snd_max):
            continue
        if not sack_covered(c, left, right):
            news = True
            sack_insert(c, left, right)
    sack_trim(c, seq_max(ack, c.snd_una))
    return news


def sack_covered(c: Ptr[Connection], left: u32, right: u32) -> bool:
    for i in range(c.sb_count):
        if seq_le(c.sb_start[i], left) and seq_le(right, c.sb_end[i]):
            return True
    return False


def sack_insert(c: Ptr[Connection], left: u32, right: u32) -> None:
    """Merge [left, right) into the sorted ranges; with more than SACK_RANGES, the
    highest is forgotten (its bytes count as in flight again: conservative)."""
    starts: Array[u32, 9]
    ends: Array[u32, 9]
    lo = left
    hi = right
    k = 0
    placed = False
    for i in range(c.sb_count):
        s = c.sb_start[i]
        e = c.sb_end[i]
        if seq_lt(e, lo):
            starts[k] = s
            ends[k] = e
            k += 1
        elif seq_gt(s, hi):
            if not placed:
                starts[k] = lo
                ends[k] = hi
                k += 1
                placed = True
            starts[k] = s
            ends[k] = e
            k += 1
        else:
            lo = seq_min(lo, s)
            hi = seq_max(hi, e)
    if not placed:
        starts[k] = lo
        ends[k] = hi
        k += 1
    if k > tcp.SACK_RANGES:
        k = tcp.SACK_RANGES
    for j in range(k):
        c.sb_start[j] = starts[j]
        c.sb_end[j] = ends[j]
    c.sb_count = u32(k)


def sack_trim(c: Ptr[Connection], una: u32) -> None:
    """Ranges at or below una are acknowledged: they leave the scoreboard."""
    k = 0
    for i in range(c.sb_count):
        if seq_gt(c.sb_end[i], una):
            c.sb_start[k] = seq_max(c.sb_start[i], una)
            c.sb_end[k] = c.sb_end[i]
            k += 1
    c.sb_count = u32(k)
    if seq_lt(c.high_rxt, una):
        c.high_rxt = una


def sacked_top(c: Ptr[Connection]) -> u32:
    """The end of the highest SACKed range (SND.UNA when none)."""
    if c.sb_count == 0:
        return c.snd_una
    return c.sb_end[c.sb_count - 1]


def lost_edge(c: Ptr[Connection]) -> u32:
    """IsLost() of section 4: an unSACKed byte is lost when DupThresh ranges, or more than
    (DupThresh - 1) * SMSS bytes, are SACKed above it; so every unSACKed byte below the
    returned sequence number is lost, none above it (SND.UNA: none)."""
    n: u32 = 0
    sacked: u32 = 0
    i = c.sb_count
    while i > 0:
        i -= 1
        n += 1
        sacked += c.sb_end[i] - c.sb_start[i]
        if n >= DUPACK_THRESHOLD or sacked > (DUPACK_THRESHOLD - 1) * c.mss:
            return c.sb_start[i]
    return c.snd_una


def pipe(c: Ptr[Connection]) -> u32:
    """SetPipe() of section 4: of each unSACKed byte from SND.UNA to SND.MAX, one if it is
    not lost, one more if it was retransmitted (below HighRxt)."""
    edge = lost_edge(c)
    p: u32 = 0
    s = c.snd_una
    for i in range(c.sb_count + 1):
        e = c.snd_max
        if i < c.sb_count:
            e = c.sb_start[i]
        if seq_lt(s, e):
            if seq_lt(edge, e):
                p += e - seq_max(s, edge)
            if seq_lt(s, c.high_rxt):
                p += seq_min(e, c.high_rxt) - s
        if i < c.sb_count:
            s = c.sb_end[i]
    return p


def hole_from(c: Ptr[Connection], seq: u32) -> u32:
    """The first unSACKed sequence number at or after seq (and SND.UNA): sacked_top() or
    beyond when none lies below the highest SACKed range."""
    s = seq_max(seq, c.snd_una)
    for i in range(c.sb_count):
        if seq_lt(s, c.sb_start[i]):
            return s
        s = seq_max(s, c.sb_end[i])
    return s


def hole_end(c: Ptr[Connection], s: u32) -> u32:
    """Where the unSACKed run from s ends: the next SACKed range, or SND.MAX."""
    for i in range(c.sb_count):
        if seq_lt(s, c.sb_start[i]):
            return c.sb_start[i]
    return c.snd_max


def on_sack_dupack(c: Ptr[Connection], now_ns: u64) -> None:
    """Section 5, steps (2)-(4): the third duplicate ACK, or the scoreboard saying the
    first unacknowledged segment is lost, starts recovery; before that, limited
    transmit. After a timeout no new recovery starts before RecoveryPoint is
    acknowledged (section 5.1)."""
    lost = seq_gt(lost_edge(c), c.snd_una)
    if c.dupacks < DUPACK_THRESHOLD and not lost:
        tcp_output.limited_transmit(c, now_ns)
        return
    if not seq_gt(c.snd_una, c.recover):
        return
    c.recover = c.snd_max - 1                                # RecoveryPoint = HighData
    c.ssthresh = loss_ssthresh(c)
    c.cwnd = c.ssthresh                                      # (4.2)
    c.rtt_timing = False
    c.in_recovery = True
    c.partial_acked = False
    c.rescue_done = False
    c.high_rxt = c.snd_una
    if seq_lt(c.snd_nxt, c.snd_max):
        c.high_rxt = c.snd_nxt         # resent after a timeout already
        c.snd_nxt = c.snd_max
    tcp_output.retransmit_range(c, c.snd_una, hole_end(c, c.snd_una), now_ns, True)   # (4.3)
    c.iface.stats.tcp_fast_retransmits += 1
    c.iface.stats.tcp_sack_recoveries += 1


# ACKs and keep-alive.

def ack_later(c: Ptr[Connection], n: u32, now_ns: u64) -> None:
    """n bytes of in-order data arrived: ACK every second full segment at once, else
    within DELACK_NS."""
    c.unacked += n
    if c.unacked >= 2 * c.mss:
        c.ack_now = True
    elif c.ack_at == 0:
        c.ack_at = now_ns + DELACK_NS


def heard_from(c: Ptr[Connection], now_ns: u64) -> None:
    c.keepalive_sent = 0
    if c.keepalive_idle != 0 and c.state != State.TIME_WAIT:
        c.idle_at = now_ns + c.keepalive_idle


def keepalive_timeout(c: Ptr[Connection], now_ns: u64) -> None:
    """Idle too long: probe, unless data is outstanding (its timer watches the peer)."""
    if c.keepalive_idle == 0 or not tcp.synchronized(c) or c.state == State.TIME_WAIT:
        return
    if c.keepalive_sent >= c.keepalive_count:
        give_up(c)
        return
    if c.snd_una == c.snd_max:
        tcp_output.send_keepalive(c, now_ns)
        c.keepalive_sent += 1
    c.idle_at = now_ns + c.keepalive_interval
