"""The network for services: bring the NIC up, get an address, and blocking UDP sockets.

    import kernel.net.net as net
    if not net.up():                        # NIC, then ip=A/P gw=G from the command line, else DHCP
        return 1
    s = net.udp_bind(5555)
    d: net.Datagram
    while net.udp_recv(s, addr(d)):
        net.udp_reply(s, addr(d))           # answer in the datagram's own buffer: an echo

TCP sockets block the same way (tcp_listen, tcp_accept, tcp_connect, tcp_recv,
tcp_send, tcp_close), on kernel/net/tcp.py's connections; tcp_send_static sends data
that never changes (static data) without copying it. tcp_recv_until, tcp_send_until
and tcp_flush_until give up at a deadline, so a server is never held by a peer that
stops sending or reading.

One thread runs the interface on CPU 0 (the Toro model: the stack is per-CPU data,
with no locks): it polls the device in batches (one device notification per batch of
replies), runs the ARP and DHCP timers, and when there is nothing to do re-arms the
device's interrupt and sleeps until it fires or the next timer is due. Services call
this API from threads of CPU 0 (a call from another CPU panics, saying so). The device
is virtio-net (virtio-mmio or virtio-pci), else an e1000. Counters print with dump(),
at exit with `netstat` on the command line (an exit hook), and whenever `n` is typed
on the console (kaa run's stdin).
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.power as power
import kernel.cmdline as cmdline
import kernel.drivers.console_input as console_input
import kernel.drivers.e1000 as e1000
import kernel.drivers.virtio_net as virtio_net
import kernel.mm.pages as pages
import kernel.mm.usage as usage
import kernel.net.dhcp as dhcp
import kernel.net.iface as iface
import kernel.net.packet as packet
import kernel.net.tcp as tcp
import kernel.net.tcp_timers as tcp_timers
import kernel.net.udp as udp
import kernel.net.wire.address as address
import kernel.threads as threads
from kernel.net.device import NetDevice
from kernel.net.udp import Datagram, UdpSocket

BUDGET: Final = 64                  # frames per poll before timers and the flush
LATE_TICK_NS: Final = 10000000      # TCP timers wait for a full poll to drain the device, this late at most
IDLE_WAKE_NS: Final = 1000000000    # at most this long asleep with no timer due
LINK_CHECK_NS: Final = 1000000000   # how often a device without link interrupts is asked
DRAIN_TIMEOUT_NS: Final = 100_000_000    # at exit, for the device to send what is queued
CONFIGURE_TIMEOUT_NS: Final = 10000000000
NET_CPU: Final = 0
TIMEOUT: Final = -2                 # tcp_recv_until, tcp_send_until: the deadline passed


@struct
class Socket:
    udp: Ptr[UdpSocket]
    readers: threads.WaitQueue


ifc: iface.Interface
client: dhcp.Client
dev: Ptr[NetDevice] = None
use_dhcp: bool = False
irq: threads.WaitQueue              # the network thread sleeps here
configured: threads.WaitQueue       # up() waits here for an address
started: bool = False
link_was_up: bool = False
link_check_at: u64 = 0              # when to ask the device about its link again
wake_at: u64 = 0                    # when the sleeping network thread means to wake (0: it is awake)


def up() -> bool:
    """Start the network once; True when the interface has an address."""
    global dev, use_dhcp, started
    on_net_cpu()
    if started:
        return ifc.ip != 0
    started = True
    if not packet.init(u64(cmdline.int_value("packets", packet.DEFAULT_COUNT))):
        print("net: not enough memory for the packet pool")
        return False
    dev = virtio_net.probe()
    if dev is None:
        dev = e1000.probe()
    if dev is None:
        print("net: no network device")
        return False
    iface.init(addr(ifc), dev)
    tcp.size_for_memory(pages.ram_total)    # TIME-WAIT's cap and the ring sizes
    dev.wake = wake
    if not configure_static():
        use_dhcp = True
        dhcp.init(addr(client), addr(ifc), rdtsc())
        dhcp.begin(addr(client), threads.now_ns())
    threads.spawn(run, 0, NET_CPU)
    console_input.bind(110, "network counters", dump)      # 'n'
    power.on_exit(drain)
    if cmdline.has("netstat"):
        power.on_exit(dump)
    deadline = threads.now_ns() + CONFIGURE_TIMEOUT_NS
    while ifc.ip == 0 and threads.now_ns() < deadline:
        threads.wait_timeout(addr(configured), deadline - threads.now_ns())
    report()
    return ifc.ip != 0


def on_net_cpu() -> None:
    """Every entry point checks it: the stack is CPU 0's data, with no locks, so a call
    from another CPU would corrupt it."""
    me = threads.cpu_id()
    if me != NET_CPU:
        panic(f"net: called from CPU {me}; the network runs on CPU {NET_CPU}")


def drain() -> None:
    """At exit: let what the service sent leave before the machine ends (bounded)."""
    deadline = threads.now_ns() + DRAIN_TIMEOUT_NS
    while dev.tx_busy is not None and dev.tx_busy(dev) and threads.now_ns() < deadline:
        threads.sleep_ns(1_000_000)         # the network thread flushes; the device sends


def configure_static() -> bool:
    """ip=A.B.C.D/P and gw=E.F.G.H from the command line; False when ip= is absent."""
    ip: u32 = 0
    prefix: u32 = 0
    gateway: u32 = 0
    if not cmdline.has("ip"):
        return False
    if not address.parse_cidr(cmdline.get("ip"), addr(ip), addr(prefix)):
        print(f"net: bad ip={cmdline.get('ip')} (write ip=10.0.3.2/24); using DHCP")
        return False
    if cmdline.has("gw") and not address.parse_ip(cmdline.get("gw"), addr(gateway)):
        print(f"net: bad gw={cmdline.get('gw')}; no default route")
        gateway = 0
    iface.configure(addr(ifc), ip, prefix, gateway)
    iface.gratuitous_arp(addr(ifc))
    return True


def report() -> None:
    buf: Array[u8, 160]
    w = Writer(buf=addr(buf[0]), cap=len(buf))
    w.write(f"net: {dev.name} ")
    address.write_mac(addr(w), ifc.mac)
    w.write(" ")
    if not dev.link_up:
        w.write("link down, ")
    if ifc.ip == 0:
        w.write("has no address")
    else:
        address.write_ip(addr(w), ifc.ip)
        w.write(f"/{ifc.prefix}{' (dhcp)' if use_dhcp else ''}")
    if len(dev.detail) > 0:
        w.write(f"; {dev.detail}")
    print(w.text())


def wake(d: Ptr[NetDevice]) -> None:
    """The device's interrupt handler: the network thread does the work."""
    threads.wake_one(addr(irq))


def run(arg: u64) -> i64:
    """The network thread."""
    global link_was_up
    had_address = ifc.ip != 0
    link_was_up = dev.link_up
    while True:
        now = threads.now_ns()
        n = iface.poll(addr(ifc), now, BUDGET)     # (e1000 updates link_up here)
        watch_link(now)
        due = tcp.next_deadline()
        # With frames still waiting (a full poll), they may hold the ACKs a retransmission
        # timer is waiting for: read them first, unless the timer is already late.
        if due != 0 and due <= now and (n < BUDGET or now - due >= LATE_TICK_NS):
            tcp.tick(now)
            due = tcp.next_deadline()
        if use_dhcp:
            dhcp.service(addr(client), now)
        if ifc.ip != 0 and not had_address:
            had_address = True
            threads.wake_all(addr(configured))
        if n == BUDGET:
            threads.yield_now()     # more may be waiting: let services run, then poll again
        elif dev.enable_interrupts(dev):
            sleep(threads.now_ns(), due)
    return 0


def watch_link(now: u64) -> None:
    """Follow the link: when it comes back, announce the address again (peers may have
    flushed it), or start DHCP over at once if it had not got one (what it sent while
    the link was down was lost, and its retries back off for seconds)."""
    global link_was_up, link_check_at
    if dev.check_link is not None and now >= link_check_at:
        link_check_at = now + LINK_CHECK_NS
        dev.check_link(dev)
    if dev.link_up == link_was_up:
        return
    link_was_up = dev.link_up
    print(f"net: link {'up' if link_was_up else 'down'}")
    if not link_was_up:
        return
    if ifc.ip != 0:
        iface.gratuitous_arp(addr(ifc))
    elif use_dhcp:
        dhcp.begin(addr(client), now)


def sleep(now: u64, tcp_due: u64) -> None:
    """Until the device interrupts, a timer is due (tcp_due: TCP's), or a service's call
    set an earlier TCP timer (replan())."""
    global wake_at
    wake_at = wake_time(now, tcp_due)
    threads.wait_timeout(addr(irq), wake_at - now if wake_at > now else 1)
    wake_at = 0


def replan(due: u64) -> None:
    """A service's call set a TCP timer due at `due` (0: none); if the network thread
    sleeps past it, wake it to plan again (else a retransmission would wait for it)."""
    global wake_at
    on_net_cpu()
    if wake_at != 0 and due != 0 and due < wake_at:
        wake_at = due
        threads.wake_one(addr(irq))


def wake_time(now: u64, tcp_due: u64) -> u64:
    """The next ARP, DHCP or TCP timer, at most IDLE_WAKE_NS from now."""
    t = now + IDLE_WAKE_NS
    arp = iface.next_deadline(addr(ifc))
    if arp != 0 and arp < t:
        t = arp
    if use_dhcp:
        d = dhcp.next_deadline(addr(client))
        if d != 0 and d < t:
            t = d
    if tcp_due != 0 and tcp_due < t:
        t = tcp_due
    return t


def dump() -> None:
    """A netstat-like table: device, interface and memory counters."""
    s = addr(dev.stats)
    print(f"{dev.name}: rx {s.rx_packets} packets {s.rx_bytes} bytes, dropped {s.rx_dropped}; "
          f"tx {s.tx_packets} packets {s.tx_bytes} bytes, dropped {s.tx_dropped}; interrupts {s.interrupts}, "
          f"tx rekicks {s.tx_rekicks}, rx multi-buffer {s.rx_multi_buffer}, rx bad length {s.rx_bad_length}, "
          f"device errors {s.device_errors}")
    iface.dump_counters(addr(ifc))
    print(f"tcp: {tcp.live_connections()} connections, {tcp.time_wait_connections()} in TIME-WAIT "
          f"(at most {tcp.max_time_wait}); buffers {tcp.buffer_bytes() >> 10} KiB in use, "
          f"{tcp.rcv_buffer >> 10} KiB/{tcp.snd_buffer >> 10} KiB a connection (receive/send)")
    usage.dump()                    # pages and heaps: memory the stack (or the service) could not get
    usage.row("packet_pool_empty", packet.buffers.misses)


# ---- blocking UDP sockets ----------------------------------------------------------

def udp_bind(port: u16) -> Ptr[Socket]:
    """A socket on port (0: any free port), or None when it is taken."""
    on_net_cpu()
    u = udp.bind(addr(ifc), port)
    if u is None:
        return None
    s = new(Socket)
    s.udp = u
    u.ready = readable
    u.context = cast(Ptr[None], s)
    return s


def readable(u: Ptr[UdpSocket]) -> None:
    threads.wake_all(addr(cast(Ptr[Socket], u.context).readers))


def udp_recv(s: Ptr[Socket], out: Ptr[Datagram]) -> bool:
    """Wait for the next datagram; the caller then releases it (udp_done) or replies."""
    on_net_cpu()
    while not udp.recvfrom(s.udp, out):
        threads.wait(addr(s.readers))
    return True


def udp_recv_timeout(s: Ptr[Socket], out: Ptr[Datagram], ns: u64) -> bool:
    """udp_recv for at most ns nanoseconds; False when none came."""
    on_net_cpu()
    deadline = threads.now_ns() + ns
    while not udp.recvfrom(s.udp, out):
        now = threads.now_ns()
        if now >= deadline:
            return False
        threads.wait_timeout(addr(s.readers), deadline - now)
    return True


def udp_done(d: Ptr[Datagram]) -> None:
    on_net_cpu()
    udp.release(d)


def udp_reply(s: Ptr[Socket], d: Ptr[Datagram]) -> None:
    """Send d's payload (as it is now) back to its sender, in its own buffer."""
    on_net_cpu()
    udp.send_packet(s.udp, d.src_ip, d.src_port, d.pkt, threads.now_ns())
    d.pkt = None


def udp_send(s: Ptr[Socket], ip: u32, port: u16, data: Bytes) -> bool:
    on_net_cpu()
    r = udp.sendto(s.udp, ip, port, data, threads.now_ns())
    return r == iface.Tx.SENT or r == iface.Tx.PENDING


# ---- blocking TCP sockets ----------------------------------------------------------

@struct
class TcpSocket:
    conn: Ptr[tcp.Connection]       # a connection, or None for a listening socket
    listener: Ptr[tcp.Listener]
    waiters: threads.WaitQueue      # threads blocked on it: any event wakes them all


def tcp_listen(port: u16, backlog: u32) -> Ptr[TcpSocket]:
    """A listening socket on port, or None when the port is taken."""
    on_net_cpu()
    l = tcp.listen(addr(ifc), port, backlog)
    if l is None:
        return None
    s = new(TcpSocket)
    s.listener = l
    l.ready = listener_ready
    l.context = cast(Ptr[None], s)
    return s


def listener_ready(l: Ptr[tcp.Listener], events: u32) -> None:
    threads.wake_all(addr(cast(Ptr[TcpSocket], l.context).waiters))


def connection_ready(c: Ptr[tcp.Connection], events: u32) -> None:
    threads.wake_all(addr(cast(Ptr[TcpSocket], c.context).waiters))


def wrap(c: Ptr[tcp.Connection]) -> Ptr[TcpSocket]:
    """A socket for c; None when there is no memory for one (the caller resets c)."""
    on_net_cpu()
    s = try_new(TcpSocket)
    if s is None:
        return None
    s.conn = c
    c.ready = connection_ready
    c.context = cast(Ptr[None], s)
    return s


def tcp_accept(l: Ptr[TcpSocket]) -> Ptr[TcpSocket]:
    """Wait for the next connection to l (one there is no memory for is reset and
    counted, and the wait goes on)."""
    on_net_cpu()
    while True:
        c = tcp.accept(l.listener)
        if c is not None:
            s = wrap(c)
            if s is not None:
                return s
            refuse(c)
        else:
            threads.wait(addr(l.waiters))


def tcp_shed(l: Ptr[TcpSocket]) -> bool:
    """Reset the oldest connection waiting on l, without waiting: for a server that has
    no memory to serve it (counted as refused); False when none waits."""
    on_net_cpu()
    c = tcp.accept(l.listener)
    if c is None:
        return False
    refuse(c)
    return True


def refuse(c: Ptr[tcp.Connection]) -> None:
    """Reset a connection accept() gave us that there is no memory to serve (counted:
    tcp_accept_no_memory), rather than stop the machine."""
    tcp.count_refused(c)
    tcp.abort(c, threads.now_ns())


def tcp_connect(ip: u32, port: u16) -> Ptr[TcpSocket]:
    """Open a connection to ip:port and wait until it is established; None on failure."""
    on_net_cpu()
    c = tcp.connect(addr(ifc), ip, port, threads.now_ns())
    if c is None:
        return None
    replan(tcp_timers.deadline(c))      # the SYN's retransmission timer
    s = wrap(c)
    if s is None:
        tcp.abort(c, threads.now_ns())
        return None
    while tcp.state(c) == tcp.State.SYN_SENT:
        threads.wait(addr(s.waiters))
    if tcp.state(c) == tcp.State.CLOSED:
        tcp_close(s)
        return None
    return s


def tcp_recv(s: Ptr[TcpSocket], out: Bytes) -> i64:
    """Wait for data: bytes read into out; 0 at the end of the stream; -1 on a reset."""
    on_net_cpu()
    return tcp_recv_until(s, out, 0)


def tcp_recv_until(s: Ptr[TcpSocket], out: Bytes, deadline_ns: u64) -> i64:
    """tcp_recv, giving up at deadline_ns (0: never) with TIMEOUT."""
    on_net_cpu()
    while True:
        n = tcp.recv(s.conn, out)
        if n >= 0:
            return n
        if tcp.state(s.conn) == tcp.State.CLOSED:
            return 0 if tcp.error(s.conn) == tcp.Failure.NONE else -1
        if not wait_until(s, deadline_ns):
            return TIMEOUT


def wait_until(s: Ptr[TcpSocket], deadline_ns: u64) -> bool:
    """Wait for the next event on s, at most until deadline_ns (0: no deadline); False
    when the deadline has passed."""
    if deadline_ns == 0:
        threads.wait(addr(s.waiters))
        return True
    now = threads.now_ns()
    if now >= deadline_ns:
        return False
    threads.wait_timeout(addr(s.waiters), deadline_ns - now)
    return True


def tcp_send(s: Ptr[TcpSocket], data: Bytes) -> i64:
    """Send all of data, waiting for room as needed; the bytes sent, or -1 if the
    connection broke first."""
    on_net_cpu()
    return send_all(s, data, False, 0)


def tcp_send_until(s: Ptr[TcpSocket], data: Bytes, deadline_ns: u64) -> i64:
    """tcp_send, giving up at deadline_ns (0: never): the bytes queued by then, TIMEOUT
    when the peer made room for none (a peer that stopped reading), -1 as tcp_send()."""
    on_net_cpu()
    return send_all(s, data, False, deadline_ns)


def tcp_flush_until(s: Ptr[TcpSocket], deadline_ns: u64) -> bool:
    """Wait until the peer has acknowledged every byte sent, or the connection closed;
    False when deadline_ns came first (the data is still queued: abort rather than
    close, or the stack keeps probing a peer that never reads)."""
    on_net_cpu()
    while s.conn.snd_len > 0 and tcp.state(s.conn) != tcp.State.CLOSED:
        if not wait_until(s, deadline_ns):
            return False
    return True


def tcp_send_static(s: Ptr[TcpSocket], data: Bytes) -> i64:
    """tcp_send() without copying data: it is queued by reference (tcp.send_static())
    and read in place, so its memory must stay valid and unchanged until the peer has
    acknowledged it: static data (literals, a table filled once at start). Waits while
    the connection's references are all in use; the bytes queued, or -1 as tcp_send()."""
    on_net_cpu()
    return send_all(s, data, True, 0)


def send_all(s: Ptr[TcpSocket], data: Bytes, static: bool, deadline_ns: u64) -> i64:
    done: i64 = 0
    while done < len(data):
        rest = data[done:len(data)]
        n = tcp.send_static(s.conn, rest, threads.now_ns()) if static else tcp.send(s.conn, rest, threads.now_ns())
        if n < 0:
            return -1 if done == 0 else done
        replan(tcp_timers.deadline(s.conn))
        done += n
        if done < len(data) and not wait_until(s, deadline_ns):
            return done if done > 0 else TIMEOUT
    return done


def tcp_unacknowledged_static(s: Ptr[TcpSocket]) -> u64:
    """Bytes given to tcp_send_static() the peer has not acknowledged yet: a buffer of
    the caller's own may be changed or reused once this is 0 (a completion notice)."""
    on_net_cpu()
    return tcp.referenced(s.conn)


def tcp_shutdown(s: Ptr[TcpSocket]) -> None:
    """No more sending (the peer reads the end of the stream); receiving goes on."""
    on_net_cpu()
    tcp.shutdown(s.conn, threads.now_ns())
    replan(tcp_timers.deadline(s.conn))


def tcp_close(s: Ptr[TcpSocket]) -> None:
    """Close gracefully (the stack finishes the exchange) and free the socket."""
    on_net_cpu()
    if s.conn is not None:
        s.conn.ready = None
        replan(tcp.close(s.conn, threads.now_ns()))
    elif s.listener is not None:
        tcp.close_listener(s.listener, threads.now_ns())
    free(s)


def tcp_abort(s: Ptr[TcpSocket]) -> None:
    """Reset the connection and free the socket."""
    on_net_cpu()
    s.conn.ready = None
    tcp.abort(s.conn, threads.now_ns())
    free(s)
