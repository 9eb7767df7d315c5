"""A DHCP client (RFC 2131 section 4.4, figure 5): INIT -> SELECTING -> REQUESTING ->
BOUND -> RENEWING -> REBINDING.

The state machine is pure: start(), input() and tick() take the time and return the
message to send now (a view of client.out, empty when there is none), addressed to
client.dst; they never touch a socket or a clock. service() is the glue for a
network thread: begin() starts and sends the DISCOVER, and service() feeds what
arrived on the client's socket (port 68) to input(), runs tick(), and sends what they
return to port 67.

Retransmission (section 4.1): after 4 s, then 8, 16, 32 and 64 s at most, each
randomized by up to +-1 s. DISCOVER is repeated for as long as it takes (a server may
come up later); REQUEST MAX_REQUESTS times, then discovery starts over. A lease sets
T1 and T2 (options 58 and 59, else 1/2 and 7/8 of the lease, section 4.4.5): at T1
the client renews with its server (unicast), at T2 rebinds with any (broadcast),
retrying after half the time left, at least 60 s apart (section 4.4.5); at expiry the
address is dropped and discovery starts over.

On ACK the interface is configured: address, prefix from option 1 (the address class's
when absent), gateway from option 3; a gratuitous ARP announces the address. Not done:
probing the offered address with ARP and DHCPDECLINE (section 2.2), INIT-REBOOT,
DHCPRELEASE. Works with QEMU's user networking (slirp: server 10.0.2.2, offers
10.0.2.15/24, router 10.0.2.2, DNS 10.0.2.3), which needs full-size requests
(see kernel/net/wire/dhcp.py).
"""

from __future__ import annotations

from kaa.lang import *
import kernel.lib.random as random
import kernel.net.iface as iface_mod
from kernel.net.iface import Interface
import kernel.net.udp as udp
import kernel.net.wire.address as address
import kernel.net.wire.dhcp as wire
from kernel.net.wire.field import Error

SECOND: Final = 1_000_000_000
FIRST_DELAY_NS: Final = 4_000_000_000
MAX_DELAY_NS: Final = 64_000_000_000
MIN_RENEW_WAIT_NS: Final = 60_000_000_000
MAX_REQUESTS: Final = 4
DEFAULT_LEASE_S: Final = 3600          # if an ACK (wrongly) names no lease time
INFINITE: Final = 0xFFFFFFFF


class State(IntEnum):
    INIT = 0
    SELECTING = 1                      # DISCOVER sent, waiting for an OFFER
    REQUESTING = 2                     # REQUEST sent for an offer, waiting for ACK or NAK
    BOUND = 3
    RENEWING = 4                       # after T1: REQUEST to our server
    REBINDING = 5                      # after T2: REQUEST to any server


@struct
class Client:
    iface: Ptr[Interface]
    sock: Ptr[udp.UdpSocket]           # port 68 (service() only)
    state: State
    rng: random.Rng
    xid: u32
    started_ns: u64                    # when this exchange began: the secs field
    retry_ns: u64                      # when to send again (0: never)
    delay_ns: u64                      # the backoff before the last jitter
    tries: u32                         # REQUESTs sent for the current offer
    offered_ip: u32
    server_id: u32
    # The lease, once bound.
    ip: u32
    prefix: u32
    router: u32
    dns: u32
    lease_s: u32
    bound_ns: u64                      # when the last ACK came
    t1_ns: u64                         # absolute times; 0 with an infinite lease
    t2_ns: u64
    expiry_ns: u64
    # The message to send.
    dst: u32
    out: Array[u8, 548]
    # Replies that did not fit the state (wrong xid or MAC, unexpected type).
    ignored: u64


def init(c: Ptr[Client], ifc: Ptr[Interface], seed: u64) -> bool:
    """Set c up for ifc; binds UDP port 68 (False if taken). seed varies xids and jitter
    between boots (the TSC, say)."""
    c[0] = Client()
    c.iface = ifc
    c.rng.seed(seed ^ ifc.mac)
    c.sock = udp.bind(ifc, wire.CLIENT_PORT)
    return c.sock is not None


def nothing(c: Ptr[Client]) -> Bytes:
    return c.out[0:0]


def start(c: Ptr[Client], now_ns: u64) -> Bytes:
    """Begin (or begin again) with a DISCOVER; drops an address held from a lease."""
    if c.state == State.BOUND or c.state == State.RENEWING or c.state == State.REBINDING:
        iface_mod.unconfigure(c.iface)
    c.state = State.SELECTING
    new_exchange(c, now_ns)
    c.delay_ns = FIRST_DELAY_NS
    c.retry_ns = now_ns + jitter(c, c.delay_ns)
    return discover(c, now_ns)


def new_exchange(c: Ptr[Client], now_ns: u64) -> None:
    c.xid = u32(c.rng.next())
    c.started_ns = now_ns


def jitter(c: Ptr[Client], delay: u64) -> u64:
    """delay randomized by -1 s .. +1 s (section 4.1)."""
    return delay - SECOND + c.rng.below(2 * SECOND + 1)


def message(c: Ptr[Client], msg_type: u8, now_ns: u64) -> wire.Repr:
    secs = (now_ns - c.started_ns) // SECOND
    return wire.Repr(op=wire.OP_REQUEST, xid=c.xid, secs=u16(secs if secs < 0xFFFF else 0xFFFF),
                     chaddr=c.iface.mac, message_type=msg_type, request_params=True)


def emit(c: Ptr[Client], r: Ptr[wire.Repr], dst: u32) -> Bytes:
    c.dst = dst
    return c.out[0:wire.emit(r, c.out[0:len(c.out)])]


def discover(c: Ptr[Client], now_ns: u64) -> Bytes:
    r = message(c, wire.DISCOVER, now_ns)
    return emit(c, addr(r), address.BROADCAST)


def request(c: Ptr[Client], now_ns: u64) -> Bytes:
    """Section 4.3.2: selecting an offer names it (requested address, server id) and
    is broadcast so other servers see the choice; renewing and rebinding name the
    address in ciaddr, to our server or to all."""
    r = message(c, wire.REQUEST, now_ns)
    if c.state == State.REQUESTING:
        r.requested_ip = c.offered_ip
        r.server_id = c.server_id
        return emit(c, addr(r), address.BROADCAST)
    r.ciaddr = c.ip
    return emit(c, addr(r), c.server_id if c.state == State.RENEWING else address.BROADCAST)


def input(c: Ptr[Client], payload: Bytes, now_ns: u64) -> Bytes:
    """A datagram that arrived on port 68; the message to send in answer, if any."""
    r: wire.Repr
    if wire.parse(payload, addr(r)) != Error.OK or r.op != wire.OP_REPLY or r.xid != c.xid \
            or r.chaddr != c.iface.mac:
        c.ignored += 1
        return nothing(c)
    waiting_ack = c.state == State.REQUESTING or c.state == State.RENEWING or c.state == State.REBINDING
    if c.state == State.SELECTING and r.message_type == wire.OFFER:
        return offer(c, addr(r), now_ns)
    if waiting_ack and r.message_type == wire.ACK:
        ack(c, addr(r), now_ns)
        return nothing(c)
    if waiting_ack and r.message_type == wire.NAK:
        return start(c, now_ns)        # section 4.4.1: NAK sends the client back to INIT
    c.ignored += 1
    return nothing(c)


def offer(c: Ptr[Client], r: Ptr[wire.Repr], now_ns: u64) -> Bytes:
    """Take the first usable offer (section 4.4.1 lets the client choose any)."""
    if r.yiaddr == 0 or r.server_id == 0:
        c.ignored += 1                 # an OFFER must carry both (section 4.3.1, table 3)
        return nothing(c)
    c.offered_ip = r.yiaddr
    c.server_id = r.server_id
    c.state = State.REQUESTING
    c.tries = 1
    c.delay_ns = FIRST_DELAY_NS
    c.retry_ns = now_ns + jitter(c, c.delay_ns)
    return request(c, now_ns)


def ack(c: Ptr[Client], r: Ptr[wire.Repr], now_ns: u64) -> None:
    if r.yiaddr == 0 or (c.state == State.REQUESTING and r.server_id != 0 and r.server_id != c.server_id):
        c.ignored += 1
        return
    moved = r.yiaddr != c.ip or c.state == State.REQUESTING
    c.ip = r.yiaddr
    c.prefix = prefix_for(r)
    c.router = r.router
    c.dns = r.dns
    if r.server_id != 0:
        c.server_id = r.server_id
    set_lease(c, r, now_ns)
    c.state = State.BOUND
    c.retry_ns = 0
    iface_mod.configure(c.iface, c.ip, c.prefix, c.router)
    if moved:
        iface_mod.gratuitous_arp(c.iface)


def prefix_for(r: Ptr[wire.Repr]) -> u32:
    """The prefix of option 1's mask; without one (or with a non-contiguous one), the
    address class's (RFC 1122 section 3.3.1.1 leaves the default to the host)."""
    if r.has_subnet_mask:
        n = address.prefix_of(r.subnet_mask)
        if n >= 0:
            return u32(n)
    top = r.yiaddr >> 24
    if top < 128:
        return 8
    if top < 192:
        return 16
    return 24


def set_lease(c: Ptr[Client], r: Ptr[wire.Repr], now_ns: u64) -> None:
    """T1 and T2 from options 58 and 59 when they make sense (T1 < T2 < lease),
    else 0.5 and 0.875 times the lease (section 4.4.5)."""
    lease = r.lease_s if r.lease_s != 0 else DEFAULT_LEASE_S
    c.lease_s = lease
    c.bound_ns = now_ns
    if lease == INFINITE:
        c.t1_ns = 0
        c.t2_ns = 0
        c.expiry_ns = 0
        return
    t1 = r.renewal_s if 0 < r.renewal_s < lease else lease // 2
    t2 = r.rebinding_s if t1 < r.rebinding_s < lease else u32(u64(lease) * 7 // 8)
    if t2 < t1:
        t2 = t1                        # a T1 past 7/8 of the lease: rebind right after
    c.t1_ns = now_ns + u64(t1) * SECOND
    c.t2_ns = now_ns + u64(t2) * SECOND
    c.expiry_ns = now_ns + u64(lease) * SECOND


def tick(c: Ptr[Client], now_ns: u64) -> Bytes:
    """Timers: retransmissions while asking, T1, T2 and expiry once bound."""
    if c.state == State.SELECTING or c.state == State.REQUESTING:
        return retransmit(c, now_ns)
    if c.state == State.INIT or c.expiry_ns == 0:
        return nothing(c)              # not started, or an infinite lease
    if now_ns >= c.expiry_ns:
        return start(c, now_ns)        # the lease is gone: so is the address
    if c.state == State.BOUND and now_ns >= c.t1_ns:
        c.state = State.RENEWING
        new_exchange(c, now_ns)
        return renew(c, now_ns)
    if c.state == State.RENEWING and now_ns >= c.t2_ns:
        c.state = State.REBINDING
        return renew(c, now_ns)
    if c.state != State.BOUND and now_ns >= c.retry_ns:
        return renew(c, now_ns)
    return nothing(c)


def retransmit(c: Ptr[Client], now_ns: u64) -> Bytes:
    if now_ns < c.retry_ns:
        return nothing(c)
    if c.state == State.REQUESTING and c.tries >= MAX_REQUESTS:
        return start(c, now_ns)        # the server chosen went quiet: ask everyone again
    c.delay_ns = c.delay_ns * 2 if c.delay_ns * 2 < MAX_DELAY_NS else MAX_DELAY_NS
    c.retry_ns = now_ns + jitter(c, c.delay_ns)
    if c.state == State.SELECTING:
        return discover(c, now_ns)
    c.tries += 1
    return request(c, now_ns)


def renew(c: Ptr[Client], now_ns: u64) -> Bytes:
    """A REQUEST while RENEWING or REBINDING; the next one after half the time left
    until T2 (or until expiry), at least MIN_RENEW_WAIT_NS later."""
    end = c.t2_ns if c.state == State.RENEWING else c.expiry_ns
    wait = (end - now_ns) // 2 if end > now_ns else 0
    c.retry_ns = now_ns + (wait if wait > MIN_RENEW_WAIT_NS else MIN_RENEW_WAIT_NS)
    return request(c, now_ns)


def next_deadline(c: Ptr[Client]) -> u64:
    """When tick() next has work (0: never); a network thread sleeps at most until then."""
    if c.state == State.SELECTING or c.state == State.REQUESTING:
        return c.retry_ns
    if c.state == State.BOUND:
        return c.t1_ns
    if c.state == State.RENEWING:
        return c.retry_ns if c.retry_ns < c.t2_ns else c.t2_ns
    if c.state == State.REBINDING:
        return c.retry_ns if c.retry_ns < c.expiry_ns else c.expiry_ns
    return 0


def begin(c: Ptr[Client], now_ns: u64) -> None:
    """start() and send its DISCOVER through the client's socket (what service() does
    for input() and tick()); dropping start()'s message would delay discovery until
    the first retransmission, 3 to 5 s later."""
    send(c, start(c, now_ns), now_ns)


def service(c: Ptr[Client], now_ns: u64) -> None:
    """Run the client on its socket: every datagram received, then the timers."""
    d: udp.Datagram
    while udp.recvfrom(c.sock, addr(d)):
        msg = input(c, d.payload, now_ns)
        udp.release(addr(d))
        send(c, msg, now_ns)
    send(c, tick(c, now_ns), now_ns)


def send(c: Ptr[Client], msg: Bytes, now_ns: u64) -> None:
    if len(msg) > 0:
        udp.sendto(c.sock, c.dst, wire.SERVER_PORT, msg, now_ns)


def state_name(s: State) -> Str:
    if s == State.SELECTING:
        return "selecting"
    if s == State.REQUESTING:
        return "requesting"
    if s == State.BOUND:
        return "bound"
    if s == State.RENEWING:
        return "renewing"
    if s == State.REBINDING:
        return "rebinding"
    return "init"
