# Two TCP endpoints (both kernel/net/tcp*.py, in this one process) over a simulated link
# that drops, duplicates and reorders frames as a script says. A (10.0.0.1) opens
# `pairs` connections to B (10.0.0.2) port 5000; on each, both sides send a stream (a
# pattern keyed by the connection), read and check the other's, shut down their sending
# side when done, and close once they have read the end of the peer's stream. The run
# ends when every connection is freed, every packet is back in the pool and nothing is
# in flight; it prints "ok ..." or "FAIL ...". After each frame delivered, no side may
# have received past what its peer sent.
#
# Script words (stdin): pairs=N  a2b=N b2a=N (bytes each way, per connection)  mtu_a=
# mtu_b=  rbuf_a= sbuf_a= rbuf_b= sbuf_b= (ring sizes)  pool=N (packets)  read_a= read_b=
# (ns between a side's reads)  seed=N (ISNs)  msl=NS  limit=NS (simulated time allowed)
# trace=NS (print the frames delivered from then on)  sack=0: senders ignore SACK
# blocks (NewReno recovery, to compare with RFC 6675's; "sack_recoveries" counts those)
# static=1: the streams are bytes of one table filled at start and never changed, each
# side's chunks sent by send() (copied) or send_static() (referenced), interleaved at
# random sizes; gather=1: the devices take external payloads (counted as gathered) and
# copy them into the frame on the simulated wire.
# link=CHARS, one per frame sent, in order: '.' deliver after LATENCY, 'd' drop, 'u'
# deliver twice, '0'..'9' deliver 5 ms * digit late (so later frames overtake it).
# Never more than MAX_DROPS frames in a row are dropped in one direction of one
# connection: then a retransmission and the answer to it each get through at least every
# second try, so a connection sees a few timeouts in a row at most, far from
# tcp_timers.MAX_RETRIES (a link that loses more may rightly kill it). Past the script
# every frame arrives.
# ARP is not under test: each side's entry for the other is kept fresh.
from kaa.lang import *
import kernel.mm.pages as pages
import kernel.net.packet as packet
from kernel.net.packet import Packet
from kernel.net.device import NetDevice
import kernel.net.iface as iface
import kernel.net.tcp as tcp
import kernel.net.counters as counters
import kernel.net.wire.address as address
import kernel.net.wire.tcp as wire
import kernel.net.wire.field as field
import net_hex

POOL: Final = 1024                     # packets (pool=N for fewer)
SLOTS: Final = 2048
LATENCY: Final = 1_000_000
MS: Final = 1_000_000
MAX_DROPS: Final = 1
TIME_LIMIT: Final = 1800_000_000_000   # 30 minutes of simulated time (limit=NS)
PORT: Final = 5000
MAX_PAIRS: Final = 32


@struct
class Flight:
    pkt: Ptr[Packet]                   # None: free slot
    at: u64
    order: u64                         # ties: first sent, first delivered
    to: i32                            # 0: A, 1: B


@struct
class App:
    c: Ptr[tcp.Connection]
    side: i32
    key: u16                           # A's port for the connection: the streams' pattern
    total: u64                         # bytes to send
    sent: u64
    expect: u64                        # bytes to receive
    got: u64
    read_every: u64
    next_read: u64
    shut: bool
    eof: bool
    closed: bool
    bad: bool
    events: u64
    rng: u64                           # static=1: picks each chunk's size and kind
    chunk_left: u64
    chunk_static: bool


arena: Array[u8, 16777216]
devs: Array[NetDevice, 2]
ifs: Array[iface.Interface, 2]
apps: Array[App, 64]                   # 2 i: A's end of connection i; 2 i + 1: a B end
pairs: i32 = 1
flights: Array[Flight, 2048]
drops_in_row: Array[u32, 128]          # by connection (A's port) and direction
listener: Ptr[tcp.Listener] = None
link: Str = ""
link_pos: i64 = 0
now: u64 = 0
order: u64 = 0
frames: u64 = 0
dropped: u64 = 0
duplicated: u64 = 0
delayed: u64 = 0
buf: Array[u8, 65536]
text: address.Text
trace_from: u64 = 0xFFFFFFFFFFFFFFFF
broken: bool = False
static_mode: bool = False
gather_mode: bool = False
gathered: u64 = 0
static_sent: u64 = 0                   # bytes queued by send_static
STATIC_LEN: Final = 1048576
table: Array[u8, 1048576]              # static=1: the streams' bytes, never written after start
chunks: Array[u32, 12]                 # static=1: the chunk sizes to pick from


def fill_table() -> None:
    x: u64 = 0x9E3779B97F4A7C15
    for i in range(STATIC_LEN):
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        table[i] = u8(x >> 24)
    chunks[0] = 1
    chunks[1] = 3
    chunks[2] = 127
    chunks[3] = 128
    chunks[4] = 129
    chunks[5] = 700
    chunks[6] = 1460
    chunks[7] = 1461
    chunks[8] = 5000
    chunks[9] = 20000
    chunks[10] = 65536
    chunks[11] = 300000


def table_index(side: i32, key: u16, off: u64) -> u64:
    return (off + u64(key) * 31 + u64(side) * 101) & (STATIC_LEN - 1)


def stream_byte(side: i32, key: u16, off: u64) -> u8:
    if static_mode:
        return table[table_index(side, key, off)]
    return pattern(side, key, off)


def pattern(side: i32, key: u16, off: u64) -> u8:
    return u8((off * 7 + (off >> 9) + u64(side) * 101 + u64(key) * 31) & 255)


def ip_of(side: i32) -> u32:
    return address.ipv4(10, 0, 0, u32(side) + 1)


def mac_of(side: i32) -> u64:
    return 0x525400000001 + u64(side)


def side_of(d: Ptr[NetDevice]) -> i32:
    return 0 if d == addr(devs[0]) else 1


def put_in_flight(p: Ptr[Packet], to: i32, at: u64) -> None:
    global order
    for i in range(SLOTS):
        if flights[i].pkt is None:
            flights[i] = Flight(pkt=p, at=at, order=order, to=to)
            order += 1
            return
    packet.release(p)                  # the link is full: lost


def copy_packet(p: Ptr[Packet]) -> Ptr[Packet]:
    q = packet.alloc()
    if q is not None:
        q.start = p.start              # a full-size frame needs the same headroom
        q.len = p.len
        field.copy(q.frame(), p.frame())
    return q


def next_decision() -> u8:
    global link_pos
    if link_pos >= len(link):
        return 46                      # '.'
    d = link[link_pos]
    link_pos += 1
    return d


def flow(p: Ptr[Packet], src: i32) -> i64:
    """Which connection and direction a frame belongs to (A's port, low bits)."""
    b = p.frame()
    port: u16 = 0
    if len(b) >= 38 and b[23] == 6:
        port = field.get16(b, 34) if src == 0 else field.get16(b, 36)
    return i64(port & 63) * 2 + i64(src)


def fake_transmit(d: Ptr[NetDevice], p: Ptr[Packet]) -> bool:
    """The link: what the script says happens to this frame."""
    global frames, dropped, duplicated, delayed, gathered
    if p.ext_len > 0:                  # gather=1: the device reads the payload in place
        gathered += 1
        packet.linearize(p)
    src = side_of(d)
    to = 1 - src
    frames += 1
    c = next_decision()
    f = flow(p, src)
    if c == 100 and drops_in_row[f] < MAX_DROPS:          # 'd'
        drops_in_row[f] += 1
        dropped += 1
        packet.release(p)
        return True
    drops_in_row[f] = 0
    if c == 117:                                          # 'u'
        q = copy_packet(p)
        if q is not None:
            duplicated += 1
            put_in_flight(q, to, now + LATENCY + 3 * MS)
    late: u64 = 0
    if 48 <= c <= 57:
        late = u64(c - 48) * 5 * MS
        delayed += 1
    put_in_flight(p, to, now + LATENCY + late)
    return True


def fake_flush(d: Ptr[NetDevice]) -> None:
    pass


def fake_poll(d: Ptr[NetDevice], budget: i32) -> i32:
    return 0


def fake_enable(d: Ptr[NetDevice]) -> bool:
    return True


def due() -> i64:
    """The slot to deliver next (earliest, then first sent), if it is due now; else -1."""
    best: i64 = -1
    for i in range(SLOTS):
        f = addr(flights[i])
        if f.pkt is not None and f.at <= now:
            if best < 0 or f.at < flights[best].at or (f.at == flights[best].at and f.order < flights[best].order):
                best = i64(i)
    return best


def trace(p: Ptr[Packet], to: i32) -> None:
    """trace=NS: print each frame delivered from then on (a debugging aid)."""
    b = p.frame()
    if now < trace_from or len(b) < 54 or b[23] != 6:
        return
    t = b[34:14 + i64(field.get16(b, 16))]        # the IPv4 total length: no Ethernet padding
    h = i64(t[12] >> 4) * 4
    print(f"  {now // 1000000}ms {'A>B' if to == 1 else 'B>A'} {field.get16(t, 0)}>{field.get16(t, 2)} "
          f"seq={field.get32(t, 4)} ack={field.get32(t, 8)} flags={t[13]:02x} win={field.get16(t, 14)} "
          f"len={len(t) - h}")


def find(local_ip: u32, local_port: u16, remote_ip: u32, remote_port: u16) -> Ptr[tcp.Connection]:
    for i in range(tcp.BUCKETS):
        c = tcp.table[i]
        while c is not None:
            if c.local_ip == local_ip and c.local_port == local_port and c.remote_ip == remote_ip \
                    and c.remote_port == remote_port:
                return c
            c = c.hnext
    return None


def check_streams() -> bool:
    """Nobody may have received past what its peer sent: RCV.NXT <= the peer's highest
    SND.NXT, for every connection whose peer is still there."""
    for i in range(tcp.BUCKETS):
        c = tcp.table[i]
        while c is not None:
            p = find(c.remote_ip, c.remote_port, c.local_ip, c.local_port)
            if p is not None and c.state >= tcp.State.ESTABLISHED and p.state >= tcp.State.SYN_RECEIVED \
                    and wire.seq_gt(c.rcv_nxt, p.snd_max):
                print(f"FAIL {address.ip_str(addr(text), c.local_ip)} received up to {c.rcv_nxt}, "
                      f"its peer sent up to {p.snd_max}")
                return False
            c = c.hnext
    return True


def deliver() -> None:
    global broken
    i = due()
    while i >= 0:
        f = addr(flights[i])
        p = f.pkt
        to = f.to
        f.pkt = None
        trace(p, to)
        iface.begin_batch(addr(ifs[to]), now)
        iface.receive(addr(ifs[to]), p, now)
        iface.end_batch(addr(ifs[to]))
        if not check_streams():
            broken = True
            return
        i = due()


def in_flight() -> u64:
    n: u64 = 0
    for i in range(SLOTS):
        if flights[i].pkt is not None:
            n += 1
    return n


def on_ready(c: Ptr[tcp.Connection], events: u32) -> None:
    a = cast(Ptr[App], c.context)
    a.events += 1


def adopt(a: Ptr[App], c: Ptr[tcp.Connection]) -> None:
    a.c = c
    a.key = c.local_port if a.side == 0 else c.remote_port
    c.ready = on_ready
    c.context = cast(Ptr[None], a)


def next_chunk(a: Ptr[App]) -> None:
    a.rng ^= a.rng << 13
    a.rng ^= a.rng >> 7
    a.rng ^= a.rng << 17
    a.chunk_left = u64(chunks[(a.rng >> 8) % 12])
    a.chunk_static = a.rng & 3 != 0


def send_static_some(a: Ptr[App]) -> None:
    """static=1: chunks of random size, each copied (send) or referenced (send_static)."""
    global static_sent
    while a.sent < a.total:
        if a.chunk_left == 0:
            next_chunk(a)
        n = a.total - a.sent
        if n > a.chunk_left:
            n = a.chunk_left
        j = table_index(a.side, a.key, a.sent)
        if n > STATIC_LEN - j:
            n = STATIC_LEN - j         # the table's end: the stream goes on at its start
        r: i64 = 0
        if a.chunk_static:
            r = tcp.send_static(a.c, table[j:j + n], now)
            if r > 0:
                static_sent += u64(r)
        else:
            if n > len(buf):
                n = len(buf)
            for i in range(n):
                buf[i] = table[j + i]
            r = tcp.send(a.c, buf[0:n], now)
        if r <= 0:
            return
        a.sent += u64(r)
        a.chunk_left -= u64(r)
    if not a.shut:
        tcp.shutdown(a.c, now)
        a.shut = True


def send_some(a: Ptr[App]) -> None:
    if static_mode:
        send_static_some(a)
        return
    while a.sent < a.total:
        n = a.total - a.sent
        if n > len(buf):
            n = len(buf)
        for i in range(n):
            buf[i] = pattern(a.side, a.key, a.sent + i)
        r = tcp.send(a.c, buf[0:n], now)
        if r <= 0:
            return
        a.sent += u64(r)
    if not a.shut:
        tcp.shutdown(a.c, now)
        a.shut = True


def read_some(a: Ptr[App]) -> None:
    if now < a.next_read:
        return
    a.next_read = now + a.read_every
    r = tcp.recv(a.c, buf[0:1000])
    while r > 0:
        for i in range(r):
            if buf[i] != stream_byte(1 - a.side, a.key, a.got + u64(i)):
                a.bad = True
        a.got += u64(r)
        r = tcp.recv(a.c, buf[0:1000])
    if r == 0:
        a.eof = True


def app_step(a: Ptr[App]) -> None:
    if a.closed:
        return
    if a.c is None:
        c = tcp.accept(listener)
        if c is None:
            return
        adopt(a, c)
    if a.c.state == tcp.State.CLOSED and a.c.error != tcp.Failure.NONE:
        print(f"FAIL side {a.side} key {a.key}: connection {tcp.failure_name(a.c.error)} after sending {a.sent} "
              f"of {a.total}, reading {a.got} of {a.expect}")
        tcp.close(a.c, now)
        a.c = None
        a.closed = True
        a.bad = True
        return
    send_some(a)
    read_some(a)
    if a.eof and a.shut:
        tcp.close(a.c, now)
        a.c = None
        a.closed = True


def has_news(a: Ptr[App]) -> bool:
    """Something for the reader: data, or an end of stream it has not seen."""
    return tcp.available(a.c) > 0 or (not a.eof and (a.c.fin_received or a.c.state == tcp.State.CLOSED))


def next_time() -> u64:
    """The earliest future event: a frame, a TCP or ARP timer, a reader's next read."""
    t: u64 = 0
    for i in range(SLOTS):
        if flights[i].pkt is not None:
            t = tcp.earliest(t, flights[i].at)
    t = tcp.earliest(t, tcp.next_deadline())
    for s in range(2):
        t = tcp.earliest(t, iface.next_deadline(addr(ifs[s])))
    for s in range(2 * pairs):
        a = addr(apps[s])
        if not a.closed and a.c is not None and a.next_read > now and has_news(a):
            t = tcp.earliest(t, a.next_read)
    return t


def finished() -> bool:
    for s in range(2 * pairs):
        if not apps[s].closed:
            return False
    return tcp.live_connections() == 0 and in_flight() == 0


def setup_device(s: i32, mtu: u32) -> None:
    d = addr(devs[s])
    d.name = "sim0" if s == 0 else "sim1"
    d.mtu = mtu
    field.put48(d.mac[0:6], 0, mac_of(s))
    d.transmit = fake_transmit
    d.flush = fake_flush
    d.poll = fake_poll
    d.enable_interrupts = fake_enable
    d.gather = gather_mode
    iface.init(addr(ifs[s]), d)
    iface.configure(addr(ifs[s]), ip_of(s), 24, 0)
    iface.arp_insert(addr(ifs[s]), ip_of(1 - s), mac_of(1 - s), 0)


def option(script: Str, name: Str, default: u64) -> u64:
    start = 0
    for i in range(len(script) + 1):
        if i == len(script) or net_hex.is_space(script[i]):
            w = script[start:i]
            eq = 0
            while eq < len(w) and w[eq] != 61:
                eq += 1
            if w[0:eq] == name and eq < len(w):
                return net_hex.number(w[eq + 1:len(w)])
            start = i + 1
    return default


def link_script(script: Str) -> Str:
    start = 0
    for i in range(len(script) + 1):
        if i == len(script) or net_hex.is_space(script[i]):
            w = script[start:i]
            if len(w) >= 5 and w[0:5] == "link=":
                return w[5:len(w)]
            start = i + 1
    return ""


def report(a: Ptr[App]) -> None:
    print(f"  side {a.side} key {a.key}: closed={a.closed} sent {a.sent}/{a.total} got {a.got}/{a.expect}")


def report_connections() -> None:
    """Every connection the stack still has, and both interfaces' counters."""
    for i in range(tcp.BUCKETS):
        c = tcp.table[i]
        while c is not None:
            print(f"  conn {address.ip_str(addr(text), c.local_ip)}:{c.local_port} {tcp.state_name(c.state)} "
                  f"orphan={c.orphan} una={c.snd_una} nxt={c.snd_nxt} max={c.snd_max} data={c.snd_data} "
                  f"rcv_nxt={c.rcv_nxt} rcv_adv={c.rcv_adv} wnd={c.snd_wnd} cwnd={c.cwnd} "
                  f"ssthresh={c.ssthresh} rto={c.rto} retries={c.retries} rtx_at={c.rtx_at} "
                  f"persist={c.persisting} probes={c.probes} queued={c.snd_len} avail={c.rcv.len} "
                  f"space={c.rcv.space()} fin_q={c.fin_queued} fin_r={c.fin_received} mss={c.mss} "
                  f"recovery={c.in_recovery} recover={c.recover} ooo={c.ooo_count}")
            c = c.hnext
    for s in range(2):
        print(f"  counters {s}:")
        counters.dump(addr(ifs[s].stats), True)


def main() -> i32:
    global link, now, listener, trace_from, pairs, static_mode, gather_mode
    pages.add(cast(u64, addr(arena[0])), cast(u64, addr(arena[0])) + len(arena))
    script = net_hex.script()
    pool_size = option(script, "pool", POOL)
    if not packet.init(pool_size):
        print("no memory for packets")
        return 1
    link = link_script(script)
    time_limit = option(script, "limit", TIME_LIMIT)
    trace_from = option(script, "trace", 0xFFFFFFFFFFFFFFFF)
    static_mode = option(script, "static", 0) != 0
    gather_mode = option(script, "gather", 0) != 0
    tcp.sack_sender = option(script, "sack", 1) != 0
    if static_mode:
        fill_table()
    setup_device(0, u32(option(script, "mtu_a", 1500)))
    setup_device(1, u32(option(script, "mtu_b", 1500)))
    tcp.seed(option(script, "seed", 7))
    tcp.msl_ns = option(script, "msl", 1_000_000_000)
    pairs = i32(option(script, "pairs", 1))
    if pairs < 1 or pairs > MAX_PAIRS:
        pairs = 1
    a2b = option(script, "a2b", 10000)
    b2a = option(script, "b2a", 10000)
    for s in range(2 * pairs):
        side = i32(s % 2)
        apps[s].side = side
        apps[s].read_every = option(script, "read_a" if side == 0 else "read_b", 0)
        apps[s].total = a2b if side == 0 else b2a
        apps[s].expect = b2a if side == 0 else a2b
        apps[s].rng = option(script, "seed", 7) * 2654435761 + u64(s) * 40503 + 1
    tcp.set_buffers(u32(option(script, "rbuf_b", 65536)), u32(option(script, "sbuf_b", 65536)))
    listener = tcp.listen(addr(ifs[1]), PORT, u32(pairs))
    tcp.set_buffers(u32(option(script, "rbuf_a", 65536)), u32(option(script, "sbuf_a", 65536)))
    for i in range(pairs):
        c = tcp.connect(addr(ifs[0]), ip_of(1), PORT, now)
        if c is None:
            print("FAIL connect")
            return 1
        adopt(addr(apps[2 * i]), c)
    while not finished() and not broken:
        for s in range(2):             # ARP is not under test: neighbours never expire
            iface.arp_update(addr(ifs[s]), ip_of(i32(1 - s)), mac_of(i32(1 - s)), now)
        deliver()
        tcp.tick(now)
        for s in range(2):
            iface.tick(addr(ifs[s]), now)
        for s in range(2 * pairs):
            app_step(addr(apps[s]))
        if finished():
            break
        t = next_time()
        if t == 0 or t > time_limit:
            print(f"FAIL stuck at {now}: live {tcp.live_connections()} in flight {in_flight()} next {t}")
            for s in range(2 * pairs):
                report(addr(apps[s]))
            report_connections()
            return 1
        if t > now:
            now = t
    if broken:
        report_connections()
        return 1
    tcp.close_listener(listener, now)
    bad = False
    got_a: u64 = 0
    got_b: u64 = 0
    events: u64 = 0
    for s in range(2 * pairs):
        a = addr(apps[s])
        bad = bad or a.bad or a.got != a.expect
        events += a.events
        if a.side == 0:
            got_a += a.got
        else:
            got_b += a.got
    st0 = addr(ifs[0].stats)
    st1 = addr(ifs[1].stats)
    print(f"{'FAIL data' if bad else 'ok'} a2b={got_b} b2a={got_a} time={now} frames={frames} "
          f"dropped={dropped} duplicated={duplicated} delayed={delayed} "
          f"retransmits={st0.tcp_retransmits + st1.tcp_retransmits} "
          f"fast={st0.tcp_fast_retransmits + st1.tcp_fast_retransmits} sack_recoveries={st0.tcp_sack_recoveries + st1.tcp_sack_recoveries} "
          f"probes={st0.tcp_window_probes + st1.tcp_window_probes} "
          f"ooo_dropped={st0.tcp_ooo_dropped + st1.tcp_ooo_dropped} "
          f"events={events} live={tcp.live_connections()} "
          f"packets={packet.available()}/{pool_size} no_buffer={st0.tx_no_buffer + st1.tx_no_buffer} "
          f"static={static_sent} gathered={gathered} data_segments={st0.tcp_tx_data + st1.tcp_tx_data} "
          f"linearized={st0.tx_linearized + st1.tx_linearized}")
    return 1 if bad or packet.available() != pool_size else 0
