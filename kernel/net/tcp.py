"""TCP (RFC 9293) over an Interface, without threads: connections, listeners, the API.

The stack is driven from outside, as kernel/net/udp.py is: input() takes each segment
the interface receives (the interface's tcp_input hook), tick(now_ns) runs the timers
and next_deadline() says when tick() next has work. Every call takes the time, so the
whole machine runs on the host under a fake clock. Wire formats are in
kernel/net/wire/tcp.py; segment arrival (RFC 9293 section 3.10.7) in tcp_input.py;
what to send and when in tcp_output.py; timers, RTT and congestion control in
tcp_timers.py; the byte rings in tcp_ring.py.

Connections. A Connection (the TCB) is made by connect() or by a SYN to a listener;
it holds a send ring and a receive ring (RCV_BUFFER and SND_BUFFER bytes, powers of
two; set_buffers() changes the defaults), so send() and recv() copy once each way.
A ring takes its buffer when the first bytes need it (tcp_ring.ensure()), not at the
SYN: a half-open connection costs its Connection alone. Segments are built in Packets
from the pool, their payload copied from the send ring. send_static() queues data by
reference instead (memory the caller keeps unchanged until the peer acknowledges it,
such as static data): up to SEND_REFS such extents share the send sequence space with
the ring's bytes (tcp_sendq.py), and a segment whose data ends in one goes out as a
header Packet plus that data in place (zero-copy) on a device that gathers
(virtio-net, e1000), its checksum computed over the data where it lies; on any other
device the data is copied into the Packet. Retransmissions refer to it again.
Out-of-order data: up to OOO_RANGES
ranges beyond the holes are kept, written into the receive ring where they belong
(tcp_input.py); a segment that would need more is dropped, counted, and comes again.
When the peer's SYN offers SACK-permitted, our ACKs report those ranges (RFC 2018), so
a sender repairs several holes in one round trip; and as a sender we use the peer's SACK
blocks: up to SACK_RANGES SACKed ranges above SND.UNA are kept per connection (the
scoreboard, no allocation) and drive loss recovery as RFC 6675 says (tcp_timers.py;
NextSeg() in tcp_output.py). Without SACK-permitted, recovery is NewReno's.

Ownership. The stack owns a connection until connect() or accept() hands it to the
caller, who then owns the handle until close() or abort(): after either call the
caller must not touch it. A handed-out connection that reaches CLOSED (reset, timeout,
or a half-close that ran its course) stays allocated in CLOSED, with error() saying
why, until the caller closes it. After close() the stack finishes the exchange (FIN,
TIME-WAIT) on its own and frees the connection when it reaches CLOSED; a connection
still queued on a listener (half-open or not yet accepted) is freed by the stack if it
dies. live_connections() counts every allocated connection, so a test can see all of
them reclaimed. Listeners: listen() / close_listener().

Memory. Every allocation here may fail, and a failure degrades, never panics: a SYN
the stack has no memory for is answered with a SYN cookie (below) instead; a segment
whose data finds no receive buffer is dropped as if lost (the peer sends it again);
a send() that finds no send buffer resets the connection (Failure.NO_MEMORY). Each is
counted (tcp_no_memory). TIME-WAIT costs no buffers (the rings go back on entering
it) and at most max_time_wait connections wait in it: the next one to enter makes the
oldest go (tcp_time_wait_recycled), as Linux's tcp_max_tw_buckets does. Layers above
that cannot get memory for a connection handed to them reset it (count_refused()).

SYN cookies (RFC 4987 section 3.6; tcp_cookies.py). When a listener's half-open
queue is full, or there is no memory for a connection, a SYN is answered with a
SYN-ACK whose ISS encodes the peer's MSS and a keyed hash of the connection, and
nothing is kept; an ACK that brings a valid cookie back makes the connection then.
Such a connection has no window scaling nor SACK (the SYN's options are not kept).

Loops of ACKs. An ACK in answer to an unacceptable segment without data (or a SYN),
and a challenge ACK, go out at most once per OOW_ACK_INTERVAL per connection (RFC
5961 section 7; Linux's tcp_invalid_ratelimit): two stacks that each answer the
other's unacceptable ACK with one (a TIME-WAIT here, an older incarnation of the same
connection there) would otherwise send ACKs to each other without end.

Blocking belongs to a layer above: a connection's `ready(c, events)` is called from
the network thread with READABLE (data or end of stream to read), WRITABLE (send
space freed, or the connection opened), CLOSED (it reached CLOSED; ERROR too when
error() is set); a listener's with ACCEPTABLE. `context` is that layer's own pointer.
A ready hook must not call back into this module: it runs inside input() and tick().
Everything here runs on the CPU that runs the interfaces, from its network thread or
its services' threads (cooperative, so each call runs whole): nothing takes a lock.
Calls from a service can set a timer (send() starts the retransmission timer): the
network thread should recompute next_deadline() after them rather than sleep on an
older one. recv() takes no time argument: a window update it sends uses the latest
time the stack was given.

Options and limits, per connection: set_nodelay() (Nagle's algorithm, RFC 9293
section 3.7.4, is off by default: services write whole messages, and Nagle with the
peer's delayed ACK would hold back their last segment), set_keepalive() (off by
default, RFC 1122 section 4.2.3.6). Module settings: msl_ns (TIME-WAIT lasts 2 MSL),
fin_wait_2_ns (how long a closed connection waits for the peer's FIN), sack_sender
(off: SACK blocks are not used as a sender, for comparison), retry limits in
tcp_timers.py. Not done: urgent data (URG is ignored and the data delivered in
line), D-SACK (RFC 2883: such blocks are ignored), timestamps (parsed, never sent),
path MTU discovery, ICMP errors, a machine-wide challenge-ACK limit (RFC 5961
section 7: the limit here is per connection), zero-copy receive (recv() copies out of
the ring) and segmentation offload (TSO):
every segment is one Packet of at most the MSS. Checksums are left to the device where
it offers that (virtio-net's CSUM, on a tap); elsewhere, including over referenced
data, they are summed in software.

Secrets. Initial sequence numbers are RFC 6528's (new_iss) and the lookup table's
buckets a keyed hash of the 4-tuple, both SipHash-2-4 (kernel/lib/siphash.py) under
keys drawn once from the machine's entropy (k_os_random: RDSEED/RDRAND, else TSC
jitter; getrandom on the host) before the first connection or listener, so an
observer can neither predict an ISN nor aim segments at one bucket. seed() fixes
them instead, for tests that need the same ISNs every run.
"""

from __future__ import annotations

from kaa.lang import *
from kernel.net.packet import Packet
import kernel.net.iface as iface_mod
from kernel.net.iface import Interface
import kernel.net.wire.ipv4 as ipv4
import kernel.net.wire.tcp as wire
import kernel.net.tcp_ring as ring
import kernel.lib.siphash as siphash
import kernel.mm.pages as pages
from kernel.net.tcp_ring import Ring

SECOND: Final = 1_000_000_000
RCV_BUFFER: Final = 65536              # default ring sizes (powers of two)
SND_BUFFER: Final = 65536
MIN_BUFFER: Final = 1024
MAX_BUFFER: Final = 1 << 30
SCALE_FOR: Final = 262144              # the window shift we offer lets 256 KiB fit
DEFAULT_SYN_LIMIT: Final = 256         # half-open connections per listener (each a Connection: no ring yet)
BUCKETS: Final = 4096                  # connection lookup table (a power of two)
EPHEMERAL_FIRST: Final = 49152         # the dynamic range, RFC 6335 section 6
OOO_RANGES: Final = 4                  # out-of-order ranges kept per connection
SEND_REFS: Final = 8                   # referenced extents queued per connection (send_static)
SACK_RANGES: Final = 8                 # SACKed ranges a sender keeps (its scoreboard, RFC 6675)
DEFAULT_MAX_TIME_WAIT: Final = 4096    # connections kept in TIME-WAIT at most (size_for_memory())
OOW_ACK_INTERVAL: Final = 500_000_000  # at most one ACK to unacceptable segments per connection this often

# Events for the ready hooks.
READABLE: Final = 1
WRITABLE: Final = 2
CLOSED: Final = 4
ERROR: Final = 8
ACCEPTABLE: Final = 16


class State(IntEnum):
    """RFC 9293 section 3.3.2."""
    CLOSED = 0
    LISTEN = 1
    SYN_SENT = 2
    SYN_RECEIVED = 3
    ESTABLISHED = 4
    FIN_WAIT_1 = 5
    FIN_WAIT_2 = 6
    CLOSE_WAIT = 7
    CLOSING = 8
    LAST_ACK = 9
    TIME_WAIT = 10


class Failure(IntEnum):
    """Why a connection reached CLOSED, when it did not close normally."""
    NONE = 0
    REFUSED = 1                        # RST in answer to our SYN (section 3.10.7.3)
    RESET = 2                          # the peer reset it (section 3.10.7.4, second step)
    TIMEOUT = 3                        # retransmissions, probes or keep-alives unanswered
    NO_MEMORY = 4                      # reset: no memory for its send buffer


@struct
class SendRef:
    """Queued send data left in the caller's memory (send_static): len bytes at data,
    the stream's bytes from sequence number seq on."""
    seq: u32
    len: u32
    data: Ptr[u8]


@struct
class Connection:
    # Identity and links: the stack's.
    hnext: Ptr[Connection]             # next in the lookup table's bucket
    qnext: Ptr[Connection]             # next in a listener's accept queue, or the reap list
    tnext: Ptr[Connection]             # its timer list (timed, or TIME-WAIT's): see tick()
    tprev: Ptr[Connection]
    tlist: Ptr[ConnList]               # the list it is on, None when off the table
    iface: Ptr[Interface]
    listener: Ptr[Listener]            # passive opens until accept(): the listener's queues hold it
    local_ip: u32
    remote_ip: u32
    local_port: u16
    remote_port: u16
    state: State
    error: Failure
    in_table: bool
    queued: bool                       # on listener's accept queue (else half-open, if listener)
    held: bool                         # connect() or accept() gave it to the caller
    orphan: bool                       # the caller closed it: freed when it reaches CLOSED
    dead: bool                         # on the reap list
    # Send sequence variables (section 3.3.1, figure 2).
    iss: u32
    snd_una: u32
    snd_nxt: u32
    snd_max: u32                       # the highest SND.NXT so far (a timeout rewinds snd_nxt)
    snd_data: u32                      # sequence number of snd's first byte
    snd_wnd: u32                       # scaled
    snd_wl1: u32
    snd_wl2: u32
    max_snd_wnd: u32                   # MAX.SND.WND (RFC 5961 section 5)
    snd_shift: u8                      # the peer's window scale (RFC 7323 section 2.3)
    wscale: bool                       # the peer's SYN carried Window Scale (section 2.2)
    fin_queued: bool                   # shutdown() or close(): a FIN follows the data in snd
    # Receive sequence variables (figure 3).
    irs: u32
    rcv_nxt: u32
    rcv_adv: u32                       # the right edge advertised: RCV.NXT + RCV.WND, never moved left
    rcv_shift: u8                      # our window scale
    fin_received: bool                 # the peer's FIN is in sequence: end of stream after rcv
    ooo_start: Array[u32, 4]           # out-of-order ranges kept beyond RCV.NXT: sorted,
    ooo_end: Array[u32, 4]             # apart, their data in the receive ring
    ooo_count: u32
    ooo_fin: bool                      # a FIN ends the last range
    ooo_recent: u32                    # start of the range the latest segment went into
    sack_ok: bool                      # the peer's SYN carried SACK-permitted (RFC 2018)
    mss: u32                           # effective send MSS (section 3.7.1)
    # Buffers. The send queue runs from snd_data for snd_len bytes: the references in
    # refs (sorted, apart) and, in between and around them, the ring's bytes in order.
    snd: Ring                          # copied send data: unacknowledged, then unsent
    snd_len: u32                       # bytes queued: the ring's and the references'
    refs: Array[SendRef, 8]
    ref_count: u32
    rcv: Ring                          # in-order data not read yet (out-of-order beyond)
    # RTT and retransmission timer (RFC 6298).
    srtt: u64                          # 0: no sample yet
    rttvar: u64
    rto: u64
    rtt_seq: u32                       # the segment being timed (Karn: never a retransmission)
    rtt_start: u64
    rtt_timing: bool
    retries: u32                       # consecutive timeouts without progress
    syn_retransmitted: bool
    # Congestion control (RFC 5681, RFC 6582; RFC 6675 with SACK).
    cwnd: u32
    ssthresh: u32
    dupacks: u32
    in_recovery: bool
    partial_acked: bool                # a partial ACK came during this recovery
    recover: u32
    prev_una: u32                      # SND.UNA before the last ACK that moved it (RFC 6582 4.1)
    limited: u32                       # bytes sent by limited transmit since SND.UNA last moved
    # SACK-based loss recovery (RFC 6675), when the peer's SYN offered SACK-permitted.
    sb_start: Array[u32, 8]            # the scoreboard: ranges the peer SACKed above SND.UNA,
    sb_end: Array[u32, 8]              # sorted, apart
    sb_count: u32
    high_rxt: u32                      # HighRxt: end of the highest retransmission this recovery
    rescue_done: bool                  # this recovery's rescue retransmission went
    # Zero-window probing (RFC 9293 section 3.8.6.1) and sender SWS override.
    persisting: bool                   # rtx_at is the persist timer
    probes: u32                        # probes sent since the peer last acknowledged anything
    backoff: u32                       # persist interval = RTO << backoff, while the window stays shut
    # ACKs (section 3.8.6.3).
    ack_now: bool                      # output() sends an ACK even with nothing else to send
    unacked: u32                       # bytes received since our last ACK
    oow_ack_at: u64                    # when the last ACK to an unacceptable segment went (rate limit)
    # Timers: absolute nanoseconds, 0 when off.
    rtx_at: u64                        # retransmission or persist
    ack_at: u64                        # delayed ACK
    idle_at: u64                       # keep-alive
    state_at: u64                      # TIME-WAIT, FIN-WAIT-2
    # Options.
    nodelay: bool
    keepalive_idle: u64                # 0: keep-alive off
    keepalive_interval: u64
    keepalive_count: u32
    keepalive_sent: u32
    # For a layer above.
    ready: Fn[[Ptr[Connection], u32], None]
    context: Ptr[None]


@struct
class ConnList:
    """A doubly linked list through Connection.tnext/tprev."""
    head: Ptr[Connection]
    tail: Ptr[Connection]
    count: u32


@struct
class Listener:
    next: Ptr[Listener]
    iface: Ptr[Interface]
    port: u16
    backlog: u32                       # most connections waiting for accept()
    syn_limit: u32                     # most half-open connections (SYN-RECEIVED)
    syn_count: u32
    accept_head: Ptr[Connection]
    accept_tail: Ptr[Connection]
    accept_count: u32
    rcv_size: u32                      # ring sizes for its connections
    snd_size: u32
    cookies_sent: bool                 # it answered a SYN with a cookie: at cookies_at, the latest
    cookies_at: u64
    ready: Fn[[Ptr[Listener], u32], None]
    context: Ptr[None]


table: Array[Ptr[Connection], 4096]
timed: ConnList                        # the table's connections not in TIME-WAIT: tick() scans them
time_waits: ConnList                   # TIME-WAIT, in the order their 2 MSL end: tick() takes the due
max_time_wait: u32 = DEFAULT_MAX_TIME_WAIT
reserve_bytes: u64 = 0                 # below this much free memory, unaccepted connections get small buffers
listeners: Ptr[Listener] = None
graveyard: Ptr[Connection] = None      # closed connections, freed by reap()
live: u64 = 0
clock_ns: u64 = 0                      # the latest time the stack was given
isn_key: siphash.Key                   # RFC 6528's secretkey
table_key: siphash.Key                 # the lookup table's hash key
cookie_key: siphash.Key                # SYN cookies' hash key, derived from isn_key
keyed: bool = False                    # both set: by seed(), else from entropy at the first use
next_ephemeral: u32 = EPHEMERAL_FIRST
rcv_buffer: u32 = RCV_BUFFER
snd_buffer: u32 = SND_BUFFER
msl_ns: u64 = 30 * SECOND              # RFC 9293 says 2 minutes; 30 s is usual (and tests shorten it)
fin_wait_2_ns: u64 = 60 * SECOND
sack_sender: bool = True               # use the peer's SACK blocks in loss recovery (tests turn it off)


# ---- settings ----------------------------------------------------------------------

@extern
def k_os_random(buf: Ptr[u8], n: i64) -> None: ...     # the platform's entropy (see Secrets)


def seed(value: u64) -> None:
    """Keys derived from value instead of entropy: the same ISNs every run (tests). Call
    it before the first connection or listener: the table's buckets depend on it."""
    k = siphash.Key(k0=value, k1=~value)
    set_keys(siphash.hash8(addr(k), 0), siphash.hash8(addr(k), 1), siphash.hash8(addr(k), 2),
             siphash.hash8(addr(k), 3))


def ensure_keys() -> None:
    """Draw the keys from entropy, once, unless seed() set them (see Secrets)."""
    words: Array[u64, 4]
    if keyed:
        return
    k_os_random(cast(Ptr[u8], addr(words[0])), 32)
    set_keys(words[0], words[1], words[2], words[3])


def set_keys(a: u64, b: u64, c: u64, d: u64) -> None:
    global isn_key, table_key, cookie_key, keyed
    isn_key = siphash.Key(k0=a, k1=b)
    table_key = siphash.Key(k0=c, k1=d)
    # The cookies' key comes from the ISN secret under distinct inputs (SipHash is a PRF).
    cookie_key = siphash.Key(k0=siphash.hash8(addr(isn_key), 0x636F6F6B69652D30),
                             k1=siphash.hash8(addr(isn_key), 0x636F6F6B69652D31))
    keyed = True


def set_buffers(rcv: u32, snd: u32) -> bool:
    """Ring sizes for connections made from now on (powers of two, 1 KiB .. 1 GiB)."""
    global rcv_buffer, snd_buffer
    if not good_size(rcv) or not good_size(snd):
        return False
    rcv_buffer = rcv
    snd_buffer = snd
    return True


def good_size(n: u32) -> bool:
    return ring.is_power_of_two(n) and MIN_BUFFER <= n <= MAX_BUFFER


def set_max_time_wait(n: u32) -> None:
    """At most n connections in TIME-WAIT (at least 1): the oldest goes for a new one."""
    global max_time_wait
    max_time_wait = n if n > 0 else u32(1)


def size_for_memory(ram_bytes: u64) -> None:
    """Settings for a machine with ram_bytes of memory (net.up() calls it). TIME-WAIT may
    hold 1/64 of it (a connection there costs about 1 KiB), between 64 and 16 times
    DEFAULT_MAX_TIME_WAIT connections. The last eighth of it is kept for those who
    accept connections (reserve_bytes): a connection not accepted yet gets a buffer of
    the smallest size when less is free, so a backlog of idle clients cannot take what
    the server needs to accept them. On a machine under 64 MiB the default rings shrink
    to 1/1024 of it each (a power of two, 4 KiB at least), unless set_buffers() chose
    sizes already."""
    global reserve_bytes
    reserve_bytes = ram_bytes // 8
    n = ram_bytes // 64 // 1024
    if n < 64:
        n = 64
    if n > DEFAULT_MAX_TIME_WAIT * 16:
        n = DEFAULT_MAX_TIME_WAIT * 16
    set_max_time_wait(u32(n))
    if rcv_buffer != RCV_BUFFER or snd_buffer != SND_BUFFER:
        return
    ring_size: u64 = 4096
    while ring_size * 2 <= ram_bytes // 1024 and ring_size < RCV_BUFFER:
        ring_size *= 2
    set_buffers(u32(ring_size), u32(ring_size))


def set_nodelay(c: Ptr[Connection], on: bool) -> None:
    """on (the default): send what the window allows at once; off: Nagle's algorithm
    holds a short segment while data is unacknowledged (RFC 9293 section 3.7.4)."""
    c.nodelay = on


def set_keepalive(c: Ptr[Connection], idle_ns: u64, interval_ns: u64, count: u32) -> None:
    """After idle_ns without a segment from the peer, probe every interval_ns; after
    count probes unanswered the connection fails with TIMEOUT. idle_ns 0: off."""
    c.keepalive_idle = idle_ns
    c.keepalive_interval = interval_ns if interval_ns != 0 else idle_ns
    c.keepalive_count = count if count != 0 else 1
    c.keepalive_sent = 0
    c.idle_at = clock_ns + idle_ns if idle_ns != 0 and synchronized(c) else 0


def clock(now_ns: u64) -> None:
    global clock_ns
    if now_ns > clock_ns:
        clock_ns = now_ns


# ---- queries -------------------------------------------------------------------------

def state(c: Ptr[Connection]) -> State:
    return c.state


def error(c: Ptr[Connection]) -> Failure:
    return c.error


def available(c: Ptr[Connection]) -> u32:
    """Bytes recv() would return now."""
    return c.rcv.len


def send_space(c: Ptr[Connection]) -> u32:
    """Bytes send() would take now."""
    return sendq.copy_space(c)


def referenced(c: Ptr[Connection]) -> u64:
    """Bytes given to send_static() that the peer has not acknowledged yet: while it is
    above 0, the memory they are in may still be read (WRITABLE says it dropped)."""
    return sendq.referenced(c)


def live_connections() -> u64:
    return live


def time_wait_connections() -> u32:
    return time_waits.count


def buffer_for(c: Ptr[Connection]) -> u32:
    """The most receive buffer c may take now: all of its size, unless nobody accepted
    it yet and free memory is below reserve_bytes (see size_for_memory())."""
    if c.listener is not None and pages.free_bytes() < reserve_bytes:
        return ring.MIN_CAPACITY
    return c.rcv.size


def buffer_bytes() -> u64:
    """Bytes of send and receive buffers the connections hold now."""
    return ring.buffer_bytes


def count_refused(c: Ptr[Connection]) -> None:
    """A layer above had no memory for the connection accept() gave it (and resets it):
    counted with the interface's tcp_accept_no_memory."""
    c.iface.stats.tcp_accept_no_memory += 1


def write_states(w: Ptr[Writer]) -> None:
    """How many connections of the table are in each state, "ESTABLISHED=1 TIME-WAIT=3 ":
    what a test shows when a connection outlives its peer."""
    counts: Array[u32, 16]
    for i in range(16):
        counts[i] = 0
    for b in range(len(table)):
        c = table[b]
        while c is not None:
            counts[i64(c.state)] += 1
            c = c.hnext
    for i in range(16):
        if counts[i] != 0:
            w.write(f"{state_name(cast(State, i))}={counts[i]} ")


def synchronized(c: Ptr[Connection]) -> bool:
    """ESTABLISHED and every state after it but CLOSED (section 3.3.2)."""
    return c.state >= State.ESTABLISHED


def state_name(s: State) -> Str:
    if s == State.CLOSED:
        return "CLOSED"
    if s == State.LISTEN:
        return "LISTEN"
    if s == State.SYN_SENT:
        return "SYN-SENT"
    if s == State.SYN_RECEIVED:
        return "SYN-RECEIVED"
    if s == State.ESTABLISHED:
        return "ESTABLISHED"
    if s == State.FIN_WAIT_1:
        return "FIN-WAIT-1"
    if s == State.FIN_WAIT_2:
        return "FIN-WAIT-2"
    if s == State.CLOSE_WAIT:
        return "CLOSE-WAIT"
    if s == State.CLOSING:
        return "CLOSING"
    if s == State.LAST_ACK:
        return "LAST-ACK"
    return "TIME-WAIT"


def failure_name(e: Failure) -> Str:
    if e == Failure.NONE:
        return "none"
    if e == Failure.REFUSED:
        return "refused"
    if e == Failure.RESET:
        return "reset"
    if e == Failure.NO_MEMORY:
        return "no memory"
    return "timeout"


# ---- the lookup table ----------------------------------------------------------------

def bucket(remote_ip: u32, remote_port: u16, local_port: u16) -> u32:
    """Keyed (see Secrets): a peer cannot pick ports that crowd one bucket."""
    h = siphash.hash8(addr(table_key), (u64(remote_ip) << 32) | (u64(remote_port) << 16) | u64(local_port))
    return u32(h) & (BUCKETS - 1)


def lookup(ifc: Ptr[Interface], local_ip: u32, local_port: u16, remote_ip: u32,
           remote_port: u16) -> Ptr[Connection]:
    c = table[bucket(remote_ip, remote_port, local_port)]
    while c is not None:
        if c.remote_ip == remote_ip and c.remote_port == remote_port and c.local_port == local_port \
                and c.local_ip == local_ip and c.iface == ifc:
            return c
        c = c.hnext
    return None


def table_insert(c: Ptr[Connection]) -> None:
    b = bucket(c.remote_ip, c.remote_port, c.local_port)
    c.hnext = table[b]
    table[b] = c
    c.in_table = True
    list_append(addr(timed), c)


def table_remove(c: Ptr[Connection]) -> None:
    if not c.in_table:
        return
    b = bucket(c.remote_ip, c.remote_port, c.local_port)
    p = addr(table[b])
    while p[0] is not None:
        if p[0] == c:
            p[0] = c.hnext
            break
        p = addr(p[0].hnext)
    c.hnext = None
    c.in_table = False
    list_unlink(c)


def list_append(l: Ptr[ConnList], c: Ptr[Connection]) -> None:
    l.count += 1
    c.tlist = l
    c.tnext = None
    c.tprev = l.tail
    if l.tail is None:
        l.head = c
    else:
        l.tail.tnext = c
    l.tail = c


def list_unlink(c: Ptr[Connection]) -> None:
    l = c.tlist
    if l is None:
        return
    l.count -= 1
    if c.tprev is None:
        l.head = c.tnext
    else:
        c.tprev.tnext = c.tnext
    if c.tnext is None:
        l.tail = c.tprev
    else:
        c.tnext.tprev = c.tprev
    c.tnext = None
    c.tprev = None
    c.tlist = None


def timing_time_wait(c: Ptr[Connection]) -> None:
    """c (re)started its 2 MSL of TIME-WAIT: it goes to the end of time_waits, whose
    order is then the order of their ends (TIME-WAIT's only timer; MSL is one setting).
    A connection new to TIME-WAIT first makes room: at max_time_wait, the oldest goes."""
    if c.tlist != addr(time_waits):
        while time_waits.count >= max_time_wait and time_waits.head is not None:
            old = time_waits.head
            old.iface.stats.tcp_time_wait_recycled += 1
            enter_closed(old, Failure.NONE)
    list_unlink(c)
    list_append(addr(time_waits), c)


def find_listener(ifc: Ptr[Interface], port: u16) -> Ptr[Listener]:
    l = listeners
    while l is not None:
        if l.iface == ifc and l.port == port:
            return l
        l = l.next
    return None


def port_in_use(ifc: Ptr[Interface], port: u16) -> bool:
    if find_listener(ifc, port) is not None:
        return True
    # The two lists together hold every connection of the table (no bucket scan).
    return on_port(addr(timed), ifc, port) or on_port(addr(time_waits), ifc, port)


def on_port(l: Ptr[ConnList], ifc: Ptr[Interface], port: u16) -> bool:
    c = l.head
    while c is not None:
        if c.iface == ifc and c.local_port == port:
            return True
        c = c.tnext
    return False


def ephemeral(ifc: Ptr[Interface]) -> u16:
    global next_ephemeral
    for i in range(65536 - EPHEMERAL_FIRST):
        port = u16(next_ephemeral)
        next_ephemeral = next_ephemeral + 1 if next_ephemeral < 65535 else EPHEMERAL_FIRST
        if not port_in_use(ifc, port):
            return port
    return 0


# ---- connections: birth and death ----------------------------------------------------

def window_shift(size: u32) -> u8:
    """The smallest shift that lets the window cover size (and SCALE_FOR), RFC 7323
    section 2.3: at most 14."""
    want = size if size > SCALE_FOR else u32(SCALE_FOR)
    s: u8 = 0
    while s < wire.MAX_WINDOW_SHIFT and (u64(65535) << s) < u64(want):
        s += 1
    return s


def new_connection(ifc: Ptr[Interface], local_ip: u32, local_port: u16, remote_ip: u32,
                   remote_port: u16, rcv_size: u32, snd_size: u32) -> Ptr[Connection]:
    """A CLOSED connection, not yet in the table, its rings without buffers yet; None
    when out of memory."""
    global live
    c = try_new(Connection)
    if c is None:
        return None
    ring.init(addr(c.rcv), rcv_size)
    ring.init(addr(c.snd), snd_size)
    live += 1
    c.iface = ifc
    c.local_ip = local_ip
    c.local_port = local_port
    c.remote_ip = remote_ip
    c.remote_port = remote_port
    c.nodelay = True
    c.rcv_shift = window_shift(rcv_size)
    c.mss = timers.DEFAULT_MSS
    c.rto = timers.RTO_INITIAL
    c.ssthresh = 0xFFFFFFFF            # "arbitrarily high" (RFC 5681 section 3.1)
    return c


def start_sequence(c: Ptr[Connection], iss: u32) -> None:
    """ISS chosen: nothing sent yet (output() sends the SYN)."""
    c.iss = iss
    c.snd_una = iss
    c.snd_nxt = iss
    c.snd_max = iss
    c.snd_data = iss + 1
    c.recover = iss                    # RFC 6582 section 3.2, step 1


def new_iss(local_ip: u32, local_port: u16, remote_ip: u32, remote_port: u16, now_ns: u64) -> u32:
    """RFC 6528 (RFC 9293 section 3.4.1): ISN = M + F(localip, localport, remoteip,
    remoteport, secretkey), M a clock ticking every 4 microseconds, F SipHash-2-4 under
    isn_key: each 4-tuple's sequence space moves on with time, and no other's tells
    where it is."""
    f = siphash.hash12(addr(isn_key), (u64(local_ip) << 32) | u64(remote_ip),
                       (u32(local_port) << 16) | u32(remote_port))
    return u32(now_ns // 4000) + u32(f)


def notify(c: Ptr[Connection], events: u32) -> None:
    if c.ready is not None and c.held and not c.orphan:
        c.ready(c, events)


def enter_closed(c: Ptr[Connection], why: Failure) -> None:
    """The CLOSED state: out of the table and timers off. A connection nobody holds (a
    listener's, or one the caller closed) is buried; a held one stays for the caller,
    who hears CLOSED. A failure discards whatever was buffered (section 3.10.7.4)."""
    if c.state == State.CLOSED and not c.in_table:
        return
    c.state = State.CLOSED
    if why != Failure.NONE and c.error == Failure.NONE:
        c.error = why
    timers.stop_all(c)
    table_remove(c)
    if why != Failure.NONE:
        sendq.clear(c)
        ring.clear(addr(c.rcv))
    release_buffers(c)
    if c.listener is not None:
        listener_unlink(c)
        bury(c)
    elif not c.held or c.orphan:
        bury(c)
    else:
        notify(c, CLOSED | (ERROR if why != Failure.NONE else 0))


def bury(c: Ptr[Connection]) -> None:
    """Free c at the next reap(): callers up the stack may still look at it."""
    global graveyard
    if c.dead:
        return
    table_remove(c)
    c.dead = True
    c.qnext = graveyard
    graveyard = c


def reap() -> None:
    """Free the buried connections (at the end of every entry point)."""
    global graveyard, live
    while graveyard is not None:
        c = graveyard
        graveyard = c.qnext
        ring.release(addr(c.snd))
        ring.release(addr(c.rcv))
        free(c)
        live -= 1


def release_buffers(c: Ptr[Connection]) -> None:
    """In TIME-WAIT or CLOSED a connection sends no more data and takes none: its send
    ring goes back once nothing is queued, its receive ring once nobody will read it
    (emptied, or the caller closed): TIME-WAIT holds only sequence numbers."""
    if c.snd_len == 0:
        ring.release(addr(c.snd))
    if c.rcv.len == 0 or c.orphan:
        ring.release(addr(c.rcv))


# ---- listeners -----------------------------------------------------------------------

def listen(ifc: Ptr[Interface], port: u16, backlog: u32) -> Ptr[Listener]:
    """Accept connections to ifc's port: at most backlog waiting for accept() (at least
    1), DEFAULT_SYN_LIMIT half-open (l.syn_limit). None when the port is taken (or
    memory is out). Attaches TCP input."""
    global listeners
    ensure_keys()
    ifc.tcp_input = input
    if port == 0 or port_in_use(ifc, port):
        return None
    l = try_new(Listener)
    if l is None:
        return None
    l.iface = ifc
    l.port = port
    l.backlog = backlog if backlog != 0 else 1
    l.syn_limit = DEFAULT_SYN_LIMIT
    l.rcv_size = rcv_buffer
    l.snd_size = snd_buffer
    l.next = listeners
    listeners = l
    return l


def accept(l: Ptr[Listener]) -> Ptr[Connection]:
    """The oldest established connection waiting, now the caller's; None when none is."""
    c = l.accept_head
    if c is None:
        return None
    l.accept_head = c.qnext
    if l.accept_head is None:
        l.accept_tail = None
    l.accept_count -= 1
    c.qnext = None
    c.queued = False
    c.listener = None
    c.held = True
    return c


def listener_enqueue(l: Ptr[Listener], c: Ptr[Connection]) -> None:
    """A half-open connection completed its handshake: wait for accept()."""
    l.syn_count -= 1
    c.queued = True
    c.qnext = None
    if l.accept_tail is None:
        l.accept_head = c
    else:
        l.accept_tail.qnext = c
    l.accept_tail = c
    l.accept_count += 1
    if l.ready is not None:
        l.ready(l, ACCEPTABLE)


def listener_unlink(c: Ptr[Connection]) -> None:
    l = c.listener
    c.listener = None
    if not c.queued:
        l.syn_count -= 1
        return
    c.queued = False
    l.accept_count -= 1
    prev: Ptr[Connection] = None
    p = l.accept_head
    while p is not None and p != c:
        prev = p
        p = p.qnext
    if p is None:
        return
    if prev is None:
        l.accept_head = c.qnext
    else:
        prev.qnext = c.qnext
    if l.accept_tail == c:
        l.accept_tail = prev
    c.qnext = None


def reset_unaccepted(list: Ptr[ConnList], l: Ptr[Listener], now_ns: u64) -> None:
    c = list.head
    while c is not None:
        nxt = c.tnext
        if c.listener == l:
            tcp_output.send_reset_for(c, now_ns)
            enter_closed(c, Failure.NONE)
        c = nxt


def close_listener(l: Ptr[Listener], now_ns: u64) -> None:
    """Stop listening: connections not yet accepted are reset and freed. The caller
    must not touch l afterwards."""
    global listeners
    clock(now_ns)
    p = addr(listeners)
    while p[0] is not None:
        if p[0] == l:
            p[0] = l.next
            break
        p = addr(p[0].next)
    reset_unaccepted(addr(timed), l, now_ns)          # the two lists: every connection
    reset_unaccepted(addr(time_waits), l, now_ns)
    free(l)
    reap()


# ---- connections: the caller's side (RFC 9293 section 3.10) -----------------------------

def connect(ifc: Ptr[Interface], ip: u32, port: u16, now_ns: u64) -> Ptr[Connection]:
    """Active OPEN (section 3.10.1): a connection in SYN-SENT, its SYN sent, the
    caller's; None without an address, a free port or memory. WRITABLE (or CLOSED,
    error REFUSED or TIMEOUT) tells how it went."""
    clock(now_ns)
    ensure_keys()
    ifc.tcp_input = input
    if ifc.ip == 0:
        return None
    lport = ephemeral(ifc)
    if lport == 0:
        return None
    c = new_connection(ifc, ifc.ip, lport, ip, port, rcv_buffer, snd_buffer)
    if c is None:
        return None
    c.held = True
    c.state = State.SYN_SENT
    start_sequence(c, new_iss(c.local_ip, lport, ip, port, now_ns))
    table_insert(c)
    output(c, now_ns)
    return c


def send(c: Ptr[Connection], data: Bytes, now_ns: u64) -> i64:
    """SEND (section 3.10.2): bytes of data taken into the send ring (0 when it is full);
    -1 when the connection cannot send any more (shut down, closed, reset; or reset now
    because no memory could be had for its send ring: error() says NO_MEMORY)."""
    clock(now_ns)
    if not can_send(c):
        return -1
    if len(data) > 0 and not ring.ensure(addr(c.snd)):
        c.iface.stats.tcp_no_memory += 1
        tcp_output.send_reset_for(c, now_ns)
        enter_closed(c, Failure.NO_MEMORY)
        reap()
        return -1
    n = sendq.append_copy(c, data)
    if n > 0 and synchronized(c):
        output(c, now_ns)
    return i64(n)


def send_static(c: Ptr[Connection], data: Bytes, now_ns: u64) -> i64:
    """SEND without a copy: data joins the stream after everything queued before it
    (by send() or send_static()), by reference. The caller guarantees its memory stays
    valid and unchanged until the peer acknowledges it (static data: literals, tables
    filled once; a buffer of its own: until referenced() drops). Segments of it go out
    as a header Packet plus the data in place where the device gathers, copied into
    the Packet where it does not. Bytes taken (0 when SEND_REFS references are queued
    already, or the queue is at its limit), or -1 as send()."""
    clock(now_ns)
    if not can_send(c):
        return -1
    n = sendq.append_ref(c, data)
    if n > 0 and synchronized(c):
        output(c, now_ns)
    return i64(n)


def can_send(c: Ptr[Connection]) -> bool:
    if c.fin_queued:
        return False
    return c.state == State.SYN_SENT or c.state == State.SYN_RECEIVED or c.state == State.ESTABLISHED \
        or c.state == State.CLOSE_WAIT


def recv(c: Ptr[Connection], out: Bytes) -> i64:
    """RECEIVE (section 3.10.3): bytes read into out; 0 at the end of the stream (the
    peer's FIN, or the connection closed: error() says whether it failed); -1 when
    nothing is there yet. Reading may open the window: an update goes out at once."""
    n = ring.read(addr(c.rcv), out)
    if n > 0:
        if c.rcv.len == 0 and (c.state == State.TIME_WAIT or c.state == State.CLOSED):
            ring.release(addr(c.rcv))  # read to the end: nothing will come into it again
        if tcp_output.window_update_due(c):
            c.ack_now = True
            output(c, clock_ns)
        return i64(n)
    if c.fin_received or c.state == State.CLOSED:
        return 0
    return -1


def shutdown(c: Ptr[Connection], now_ns: u64) -> None:
    """Close the sending side (a half-close, section 3.6.1): a FIN follows the data
    already sent; receiving goes on. Before the handshake completes, the FIN waits
    for it (section 3.10.4, SYN-RECEIVED)."""
    clock(now_ns)
    if c.fin_queued or c.state == State.CLOSED or c.state == State.LISTEN:
        return
    c.fin_queued = True
    if c.state == State.ESTABLISHED:
        c.state = State.FIN_WAIT_1
    elif c.state == State.CLOSE_WAIT:
        c.state = State.LAST_ACK
    output(c, now_ns)


def close(c: Ptr[Connection], now_ns: u64) -> u64:
    """CLOSE (section 3.10.4): give the connection back. It finishes on its own (data
    still queued is sent, then a FIN) and is freed when it reaches CLOSED; with data
    received and not read, it is reset instead (RFC 1122 section 4.2.2.13). The caller
    must not touch c afterwards. Returns when its next timer is due (0: none), for the
    network thread to plan by."""
    clock(now_ns)
    c.ready = None
    c.orphan = True
    if c.state == State.CLOSED or c.state == State.SYN_SENT:
        enter_closed(c, Failure.NONE)
        bury(c)
    elif c.rcv.len > 0:
        tcp_output.send_reset_for(c, now_ns)
        enter_closed(c, Failure.NONE)
    else:
        shutdown(c, now_ns)
        if c.state == State.FIN_WAIT_2:
            c.state_at = now_ns + fin_wait_2_ns
        elif c.state == State.TIME_WAIT:
            release_buffers(c)
    due = timers.deadline(c) if c.state != State.CLOSED else u64(0)
    reap()
    return due


def abort(c: Ptr[Connection], now_ns: u64) -> None:
    """ABORT (section 3.10.5): reset the connection (a RST if it is synchronized or
    half-open) and free it. The caller must not touch c afterwards."""
    clock(now_ns)
    c.ready = None
    c.orphan = True
    tcp_output.send_reset_for(c, now_ns)
    enter_closed(c, Failure.NONE)
    bury(c)
    reap()


def output(c: Ptr[Connection], now_ns: u64) -> None:
    """Send what c may send now, as one batch of the interface (one device flush)."""
    iface_mod.begin_batch(c.iface, now_ns)
    tcp_output.output(c, now_ns)
    iface_mod.end_batch(c.iface)


# ---- the network thread's side -------------------------------------------------------

def input(ifc: Ptr[Interface], pkt: Ptr[Packet], ip: Ptr[ipv4.Repr], now_ns: u64) -> None:
    """The interface's TCP handler (Interface.tcp_input): takes the Packet."""
    clock(now_ns)
    tcp_input.input(ifc, pkt, ip, now_ns)
    reap()


def tick(now_ns: u64) -> None:
    """Run every timer that is due (retransmission, persist, delayed ACK, keep-alive,
    TIME-WAIT, FIN-WAIT-2), in one batch per interface. The connections with timers to
    look at are listed (timed); TIME-WAIT's wait in the order they end (time_waits), so
    a server that closed thousands of connections does not scan them each time."""
    clock(now_ns)
    for i in range(iface_mod.MAX_INTERFACES):
        if iface_mod.attached[i] is not None:
            iface_mod.begin_batch(iface_mod.attached[i], now_ns)
    c = timed.head
    while c is not None:
        nxt = c.tnext
        timers.run(c, now_ns)
        c = nxt
    c = time_waits.head                # only the first ones can be due: no scan of TIME-WAIT
    while c is not None and c.state_at != 0 and c.state_at <= now_ns:
        timers.run(c, now_ns)          # CLOSED: off the table and the list
        if time_waits.head == c:
            break                      # (cannot happen: a TIME-WAIT timer always closes)
        c = time_waits.head
    for i in range(iface_mod.MAX_INTERFACES):
        if iface_mod.attached[i] is not None:
            iface_mod.end_batch(iface_mod.attached[i])
    reap()


def next_deadline() -> u64:
    """When tick() next has work (absolute ns), 0 when no timer is set. Its cost grows
    with the connections not in TIME-WAIT only: thousands in TIME-WAIT cost one look."""
    t: u64 = 0
    c = timed.head
    while c is not None:
        t = earliest(t, timers.deadline(c))
        c = c.tnext
    if time_waits.head is not None:
        t = earliest(t, time_waits.head.state_at)
    return t


def earliest(a: u64, b: u64) -> u64:
    if a == 0:
        return b
    if b == 0 or a < b:
        return a
    return b


# Last, so that CPython (for editors and the import test) has this module's names
# defined when these modules, which import them, load; Kaa itself takes any order.
import kernel.net.tcp_input as tcp_input
import kernel.net.tcp_output as tcp_output
import kernel.net.tcp_sendq as sendq
import kernel.net.tcp_timers as timers
