"""SYN cookies (RFC 4987 section 3.6): a SYN-ACK whose ISS carries the connection's
state, so a listener under a SYN flood keeps nothing per SYN.

The cookie is the 32-bit ISS of the SYN-ACK:

    bits 31..27  t mod 32, t the time in PERIOD_NS units (about 68 s)
    bits 26..24  the MSS, as an index into MSS_TABLE (Linux's table for IPv4)
    bits 23..0   SipHash-2-4 under tcp.cookie_key of the addresses, the ports, t, the
                 peer's ISN and the MSS index (its low 24 bits)

The peer's ACK brings it back as SEG.ACK - 1 with SEG.SEQ - 1 its ISN: check() finds
the t among the last VALID_PERIODS periods that the top bits name, recomputes the hash
and gives the MSS back, or 0. A guess is right with odds 2^-24 per segment, and only
while the listener sent cookies lately (tcp_input.py asks no listener that did not).
Nothing else of the SYN survives: such a connection has no window scaling and no SACK,
so the SYN-ACK offers neither.
"""

from kaa.lang import *
import kernel.lib.siphash as siphash
import kernel.net.tcp as tcp

PERIOD_SHIFT: Final = 36               # t = now_ns >> 36: a period of 2^36 ns, about 68.7 s
VALID_PERIODS: Final = 2               # a cookie is taken back this many periods long (t and t - 1)
HASH_MASK: Final = 0xFFFFFF
MSS_COUNT: Final = 4


def mss_value(i: u32) -> u32:
    """MSS_TABLE[i]: Linux's msstab for IPv4 (net/ipv4/syncookies.c), the common path MSSes."""
    if i == 0:
        return 536
    if i == 1:
        return 1300
    if i == 2:
        return 1440
    return 1460


def mss_index(mss: u32) -> u32:
    """The largest table entry not above mss (the first, 536, when all are)."""
    i = u32(MSS_COUNT - 1)
    while i > 0 and mss_value(i) > mss:
        i -= 1
    return i


def period(now_ns: u64) -> u32:
    return u32(now_ns >> PERIOD_SHIFT)


def digest(local_ip: u32, local_port: u16, remote_ip: u32, remote_port: u16, t: u32, peer_isn: u32,
           m: u32) -> u32:
    msg: Array[u8, 24]
    put32(addr(msg[0]), local_ip)
    put32(addr(msg[4]), remote_ip)
    put32(addr(msg[8]), (u32(local_port) << 16) | u32(remote_port))
    put32(addr(msg[12]), t)
    put32(addr(msg[16]), peer_isn)
    put32(addr(msg[20]), m)
    return u32(siphash.hash(addr(tcp.cookie_key), msg[0:24]) & HASH_MASK)


def put32(p: Ptr[u8], v: u32) -> None:
    p[0] = u8(v & 255)
    p[1] = u8((v >> 8) & 255)
    p[2] = u8((v >> 16) & 255)
    p[3] = u8(v >> 24)


def make(local_ip: u32, local_port: u16, remote_ip: u32, remote_port: u16, peer_isn: u32, peer_mss: u32,
         now_ns: u64) -> u32:
    """The ISS for a SYN-ACK that keeps no state: peer_mss is what the SYN announced (536
    without the option)."""
    t = period(now_ns)
    m = mss_index(peer_mss)
    h = digest(local_ip, local_port, remote_ip, remote_port, t, peer_isn, m)
    return ((t & 31) << 27) | (m << 24) | h


def check(local_ip: u32, local_port: u16, remote_ip: u32, remote_port: u16, peer_isn: u32, cookie: u32,
          now_ns: u64) -> u32:
    """The MSS a valid cookie encodes, 0 when it is not one of ours (or too old)."""
    now = period(now_ns)
    m = (cookie >> 24) & 7
    if m >= MSS_COUNT:
        return 0
    for age in range(VALID_PERIODS):
        t = now - u32(age)
        if (t & 31) == (cookie >> 27) and \
                digest(local_ip, local_port, remote_ip, remote_port, t, peer_isn, m) == cookie & HASH_MASK:
            return mss_value(m)
    return 0
