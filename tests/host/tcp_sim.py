# kernel/net/tcp*.py on the host, one command a line on stdin, answered on stdout and
# ended by a line "." (so a test can play the peer: read what was sent, answer it).
# The interface is 10.0.0.1 (52:54:00:12:34:56) over fake_nic.py's NetDevice, whose transmit
# prints "tx HEX" (the Ethernet frame); the peer 10.0.0.2 (52:55:0a:00:00:02) is in
# the ARP table. Commands (K: a connection's number, as printed when it was made):
#   t=NS  tick  deadline  rx=HEX (a frame to iface.receive)  poll (frames queued by q=HEX)
#   listen=PORT,BACKLOG[,SYNLIMIT]  unlisten=PORT  accept=PORT  connect=IP,PORT
#   send=K,HEX  sendn=K,N (N bytes of K's pattern)  recv=K,MAX  recvall=K (checks the
#   pattern: "got K N ok|bad")  shutdown=K  close=K  abort=K  info=K
#   nodelay=K,0|1  keepalive=K,IDLE,INTERVAL,COUNT  msl=NS  finwait=NS  buffers=RCV,SND
#   maxtw=N (tcp.set_max_time_wait)  timewaits (connections in TIME-WAIT)
#   full=N (the device takes N more frames; -1: any)  exhaust  refill
#   counters  live  end (close everything; print live connections and pool packets)
# The ready hooks print "event K MASK" and "event listener PORT MASK".
from kaa.lang import *
import kernel.mm.pages as pages
import kernel.net.packet as packet
from kernel.net.packet import Packet
import kernel.net.iface as iface
import kernel.net.counters as counters
import kernel.net.tcp as tcp
import kernel.net.tcp_output as tcp_output
import kernel.net.tcp_timers as tcp_timers
import kernel.net.wire.address as address
import kernel.net.wire.field as field
import fake_nic
import net_hex

POOL: Final = 256
MAX_CONNS: Final = 64
PEER_MAC: Final = 0x52550A000002

arena: Array[u8, 4194304]
ifc: iface.Interface
now: u64 = 0
conns: Array[Ptr[tcp.Connection], 64]
sent_bytes: Array[u64, 64]             # pattern offset of the next byte sent on K
got_bytes: Array[u64, 64]              # pattern offset of the next byte expected from K
nconns: i32 = 0
data_buf: Array[u8, 1048576]
line_buf: Array[u8, 1048576]


@extern
def read(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


def pattern(k: i32, off: u64) -> u8:
    """The byte at stream offset off of connection k's test pattern (both directions
    use the same pattern; the peer checks what it gets)."""
    return u8((off * 7 + (off >> 8) + u64(k) * 13) & 255)


def index_of(c: Ptr[tcp.Connection]) -> i32:
    for i in range(nconns):
        if conns[i] == c:
            return i32(i)
    return -1


def on_ready(c: Ptr[tcp.Connection], events: u32) -> None:
    print(f"event {index_of(c)} {events}")


def on_acceptable(l: Ptr[tcp.Listener], events: u32) -> None:
    print(f"event listener {l.port} {events}")


def adopt(c: Ptr[tcp.Connection]) -> i32:
    global nconns
    if nconns >= MAX_CONNS:
        panic("tcp_sim: too many connections")
    k = nconns
    conns[k] = c
    sent_bytes[k] = 0
    got_bytes[k] = 0
    nconns += 1
    c.ready = on_ready
    return k


def conn(arg: Str) -> Ptr[tcp.Connection]:
    k = net_hex.number(net_hex.split(arg, 44, 0))
    if k >= u64(nconns) or conns[k] is None:
        print(f"no connection {net_hex.split(arg, 44, 0)}")
        return None
    return conns[k]


def arg_num(arg: Str, i: i32) -> u64:
    return net_hex.number(net_hex.split(arg, 44, i))


def learn_peer() -> None:
    """Keep the peer's ARP entry fresh whatever the time: tests are about TCP."""
    if not iface.arp_update(addr(ifc), address.ipv4(10, 0, 0, 2), PEER_MAC, now):
        iface.arp_insert(addr(ifc), address.ipv4(10, 0, 0, 2), PEER_MAC, now)


def do_listen(arg: Str) -> None:
    port = u16(arg_num(arg, 0))
    l = tcp.listen(addr(ifc), port, u32(arg_num(arg, 1)))
    if l is None:
        print("listen failed")
        return
    if len(net_hex.split(arg, 44, 2)) > 0:
        l.syn_limit = u32(arg_num(arg, 2))
    l.ready = on_acceptable
    print(f"listener {port}")


def do_accept(arg: Str) -> None:
    l = tcp.find_listener(addr(ifc), u16(net_hex.number(arg)))
    if l is None:
        print("no listener")
        return
    c = tcp.accept(l)
    if c is None:
        print("accept none")
        return
    print(f"accepted {adopt(c)}")


def do_connect(arg: Str) -> None:
    ip: u32 = 0
    address.parse_ip(net_hex.split(arg, 44, 0), addr(ip))
    c = tcp.connect(addr(ifc), ip, u16(arg_num(arg, 1)), now)
    if c is None:
        print("connect failed")
        return
    print(f"conn {adopt(c)} port {c.local_port}")


def do_send(arg: Str) -> None:
    c = conn(arg)
    if c is None:
        return
    b = net_hex.unhex(net_hex.split(arg, 44, 1), data_buf[0:len(data_buf)])
    print(f"sent {index_of(c)} {tcp.send(c, b, now)}")


def do_sendn(arg: Str) -> None:
    c = conn(arg)
    if c is None:
        return
    k = index_of(c)
    n = arg_num(arg, 1)
    if n > len(data_buf):
        n = len(data_buf)
    for i in range(n):
        data_buf[i] = pattern(k, sent_bytes[k] + u64(i))
    r = tcp.send(c, data_buf[0:n], now)
    if r > 0:
        sent_bytes[k] += u64(r)
    print(f"sent {k} {r}")


def do_recv(arg: Str) -> None:
    c = conn(arg)
    if c is None:
        return
    k = index_of(c)
    n = arg_num(arg, 1)
    if n > len(data_buf):
        n = len(data_buf)
    r = tcp.recv(c, data_buf[0:n])
    if r > 0:
        w = net_hex.line()
        w.write(f"recv {k} ")
        net_hex.write_hex(addr(w), data_buf[0:r])
        print(w.text())
    elif r == 0:
        print(f"recv {k} eof")
    else:
        print(f"recv {k} none")


def do_recvall(arg: Str) -> None:
    """Read everything there is and check it against the pattern."""
    c = conn(arg)
    if c is None:
        return
    k = index_of(c)
    total: u64 = 0
    ok = True
    r = tcp.recv(c, data_buf[0:len(data_buf)])
    while r > 0:
        for i in range(r):
            if data_buf[i] != pattern(k, got_bytes[k] + u64(i)):
                ok = False
        got_bytes[k] += u64(r)
        total += u64(r)
        r = tcp.recv(c, data_buf[0:len(data_buf)])
    print(f"got {k} {total} {'ok' if ok else 'bad'} {'eof' if r == 0 else 'more'}")


def forget(c: Ptr[tcp.Connection]) -> None:
    k = index_of(c)
    if k >= 0:
        conns[k] = None


def do_info(arg: Str) -> None:
    c = conn(arg)
    if c is None:
        return
    print(f"info {index_of(c)} state={tcp.state_name(c.state)} err={tcp.failure_name(c.error)} "
          f"iss={c.iss} irs={c.irs} snd_una={c.snd_una} snd_nxt={c.snd_nxt} snd_max={c.snd_max} "
          f"rcv_nxt={c.rcv_nxt} snd_wnd={c.snd_wnd} rcv_wnd={tcp_output.edge(c)} cwnd={c.cwnd} "
          f"ssthresh={c.ssthresh} rto={c.rto} srtt={c.srtt} mss={c.mss} snd_shift={c.snd_shift} "
          f"rcv_shift={c.rcv_shift} unsent={tcp_output.unsent(c)} queued={c.snd_len} avail={c.rcv.len} "
          f"space={c.snd.space()} recovery={c.in_recovery} dupacks={c.dupacks} retries={c.retries} "
          f"sacked={c.sb_count} pipe={tcp_timers.pipe(c)} "
          f"rtx_at={c.rtx_at} persist={c.persisting} ack_at={c.ack_at} idle_at={c.idle_at} "
          f"state_at={c.state_at} port={c.local_port} "
          f"rcvbuf={len(c.rcv.buf)} sndbuf={len(c.snd.buf)}")


def finish() -> None:
    fake_nic.drain()
    for i in range(nconns):
        if conns[i] is not None:
            tcp.abort(conns[i], now)
            conns[i] = None
    while tcp.listeners is not None:
        tcp.close_listener(tcp.listeners, now)
    # Whatever the stack still runs on its own (TIME-WAIT, FIN-WAIT-2, closing): let
    # it time out.
    t = now
    for i in range(1000):
        d = tcp.next_deadline()
        if d == 0:
            break
        t = d if d > t else t
        learn_peer()
        tcp.tick(t)
    print(f"live {tcp.live_connections()} packets {packet.available()} of {POOL}")


def step(line: Str) -> None:
    global now
    eq = 0
    while eq < len(line) and line[eq] != 61:            # '='
        eq += 1
    op = line[0:eq]
    arg = line[eq + 1:len(line)] if eq < len(line) else ""
    if op == "t":
        now = net_hex.number(arg)
        learn_peer()
    elif op == "tick":
        iface.begin_batch(addr(ifc), now)
        tcp.tick(now)
        iface.end_batch(addr(ifc))
    elif op == "deadline":
        print(f"deadline {tcp.next_deadline()}")
    elif op == "rx":
        p = fake_nic.frame_packet(arg)
        if p is not None:
            iface.receive(addr(ifc), p, now)
    elif op == "q":
        fake_nic.queue(arg)
    elif op == "poll":
        print(f"polled {iface.poll(addr(ifc), now, 64)}")
    elif op == "listen":
        do_listen(arg)
    elif op == "unlisten":
        l = tcp.find_listener(addr(ifc), u16(net_hex.number(arg)))
        if l is not None:
            tcp.close_listener(l, now)
    elif op == "accept":
        do_accept(arg)
    elif op == "connect":
        do_connect(arg)
    elif op == "send":
        do_send(arg)
    elif op == "sendn":
        do_sendn(arg)
    elif op == "recv":
        do_recv(arg)
    elif op == "recvall":
        do_recvall(arg)
    elif op == "shutdown":
        c = conn(arg)
        if c is not None:
            tcp.shutdown(c, now)
    elif op == "close":
        c = conn(arg)
        if c is not None:
            forget(c)
            tcp.close(c, now)
    elif op == "abort":
        c = conn(arg)
        if c is not None:
            forget(c)
            tcp.abort(c, now)
    elif op == "info":
        do_info(arg)
    elif op == "nodelay":
        c = conn(arg)
        if c is not None:
            tcp.set_nodelay(c, arg_num(arg, 1) != 0)
    elif op == "keepalive":
        c = conn(arg)
        if c is not None:
            tcp.set_keepalive(c, arg_num(arg, 1), arg_num(arg, 2), u32(arg_num(arg, 3)))
    elif op == "msl":
        tcp.msl_ns = net_hex.number(arg)
    elif op == "maxtw":
        tcp.set_max_time_wait(u32(net_hex.number(arg)))
    elif op == "timewaits":
        print(f"timewaits {tcp.time_wait_connections()}")
    elif op == "finwait":
        tcp.fin_wait_2_ns = net_hex.number(arg)
    elif op == "buffers":
        print(f"buffers {tcp.set_buffers(u32(arg_num(arg, 0)), u32(arg_num(arg, 1)))}")
    elif op == "full":
        fake_nic.accept_left = i64(net_hex.number(arg)) if len(arg) > 0 and arg[0] != 45 else -1
    elif op == "exhaust":
        fake_nic.exhaust()
    elif op == "refill":
        fake_nic.refill()
    elif op == "counters":
        counters.dump(addr(ifc.stats), True)
    elif op == "live":
        print(f"live {tcp.live_connections()}")
    elif op == "end":
        finish()
    else:
        print(f"unknown step {line}")


def main() -> i32:
    pages.add(cast(u64, addr(arena[0])), cast(u64, addr(arena[0])) + len(arena))
    if not packet.init(POOL):
        print("no memory for packets")
        return 1
    d = fake_nic.setup("fake0")
    iface.init(addr(ifc), d)
    iface.configure(addr(ifc), address.ipv4(10, 0, 0, 1), 24, 0)
    tcp.seed(1)
    learn_peer()
    # One command a line from stdin; "." after each one's output.
    have: u64 = 0
    while True:
        got = read(0, addr(line_buf[have]), len(line_buf) - have)
        if got <= 0:
            break
        have += u64(got)
        start: u64 = 0
        for i in range(have):
            if line_buf[i] == 10:
                if i > start:
                    step(Str(ptr=addr(line_buf[start]), len=i - start))
                print(".")
                start = i + 1
        # Keep the unfinished line at the front.
        rest = have - start
        for i in range(rest):
            line_buf[i] = line_buf[start + i]
        have = rest
    return 0
