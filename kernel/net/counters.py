"""Per-interface counters: every frame received is either delivered or counted as dropped
under the reason it was dropped for, so a test (or a person at the console) can tell
exactly what the stack did with traffic. Written only by the thread that runs the
interface; read anywhere (a torn read of a u64 cannot happen on x86-64).
"""

from kaa.lang import *


@struct
class Counters:
    # Ethernet
    rx_frames: u64                  # every frame given to receive()
    rx_short: u64                   # shorter than an Ethernet header
    rx_not_for_us: u64              # destination MAC neither ours nor broadcast
    rx_bad_ethertype: u64           # neither ARP nor IPv4
    # ARP (RFC 826)
    arp_rx: u64                     # packets parsed
    arp_bad: u64                    # truncated, or not IPv4 over Ethernet
    arp_not_for_us: u64             # someone else's target (learned only if known)
    arp_replies_sent: u64
    arp_requests_sent: u64
    arp_queue_full: u64             # packets dropped: their next hop had ARP_QUEUE waiting
    arp_unresolved: u64             # packets dropped: their next hop never answered
    # IPv4 (RFC 791)
    ip_rx: u64                      # datagrams accepted for us
    ip_short: u64                   # shorter than a header, or than its total length
    ip_bad_header: u64              # version not 4, IHL < 5, or IHL beyond the total length
    ip_bad_checksum: u64
    ip_fragments: u64               # not reassembled
    ip_not_for_us: u64              # another host's address (or multicast)
    ip_unknown_protocol: u64        # no handler attached for the protocol
    ip_tx: u64
    ip_no_route: u64                # no address yet, or off-link with no gateway
    # ICMP (RFC 792)
    icmp_bad: u64                   # truncated or bad checksum
    icmp_echo_replies: u64
    icmp_other: u64                 # any type but echo request: not acted on
    icmp_ignored: u64               # echo requests to a broadcast address
    # UDP (RFC 768), counted by kernel/net/udp.py
    udp_rx: u64                     # datagrams queued on a socket
    udp_bad_length: u64             # length field < 8 or beyond the IP payload
    udp_bad_checksum: u64
    udp_no_socket: u64              # no socket bound to the destination port
    udp_queue_full: u64             # the socket's receive queue was at its limit
    udp_tx: u64
    # TCP (RFC 9293), counted by kernel/net/tcp*.py
    tcp_rx: u64                     # segments taken by a connection, a listener or the RST reply
    tcp_bad_header: u64             # shorter than its header, or a data offset < 5 or past the end
    tcp_bad_checksum: u64
    tcp_bad_options: u64            # an option with a bad length
    tcp_bad_address: u64            # not unicast to our address, or from a non-unicast one
    tcp_no_listener: u64            # no connection nor listener: answered with a RST
    tcp_out_of_window: u64          # failed the acceptability test: answered with an ACK
    tcp_rst_ignored: u64            # RST out of window, to a listener, or not acceptable
    tcp_challenge_acks: u64         # RST or SYN in the window (RFC 5961): challenge ACK
    tcp_bad_ack: u64                # ACK of nothing sent (or to a listener): RST or ACK sent
    tcp_dropped: u64                # no ACK bit, or no SYN to a listener: ignored
    tcp_resets_received: u64        # connections reset (or refused) by the peer
    tcp_syn_queue_full: u64         # SYN dropped: the listener's half-open limit
    tcp_backlog_full: u64           # SYN or handshake ACK dropped: the accept queue is full
    tcp_no_memory: u64              # no memory: for a connection (a cookie answered), a receive buffer (segment dropped) or a send buffer (reset)
    tcp_accept_no_memory: u64       # connections reset after the handshake: no memory above TCP (socket, thread, buffers)
    tcp_syncookies_sent: u64        # SYNs answered with a SYN cookie (SYN queue full, or no memory)
    tcp_syncookies_ok: u64          # connections made from a cookie brought back
    tcp_syncookies_failed: u64      # ACKs to a listener sending cookies, with no valid cookie: RST
    tcp_time_wait_recycled: u64     # TIME-WAIT connections ended early: max_time_wait were waiting
    tcp_ack_rate_limited: u64       # ACKs to unacceptable segments, or challenge ACKs, not sent (rate limit)
    tcp_rx_beyond_window: u64       # segments cut at the receive window's right edge
    tcp_ooo_dropped: u64            # out-of-order data outside the one range kept
    tcp_data_after_close: u64       # data for a closed connection: reset
    tcp_tx: u64                     # segments sent (RSTs included)
    tcp_tx_data: u64                # segments sent with data (retransmissions included)
    tcp_rst_sent: u64
    tcp_retransmits: u64            # segments sent again (timeouts, fast retransmit, recovery)
    tcp_fast_retransmits: u64       # third duplicate ACKs acted on (RFC 5681 section 3.2)
    tcp_sack_recoveries: u64        # loss recoveries run on the SACK scoreboard (RFC 6675)
    tcp_timeouts: u64               # connections given up (retransmissions, probes, keep-alive)
    tcp_window_probes: u64          # zero-window probes sent
    tcp_keepalive_probes: u64
    # Transmit
    tx_frames: u64                  # frames handed to the device
    tx_dropped: u64                 # the device refused them (ring full)
    tx_no_buffer: u64               # the packet pool was empty
    tx_linearized: u64              # external payloads copied here: the device cannot gather, or padding
    tx_too_big: u64                 # larger than the MTU (nothing is fragmented)


def row(name: Str, v: u64, only_nonzero: bool) -> None:
    if v != 0 or not only_nonzero:
        print(f"  {name:<22}{v:>12}")


def dump(c: Ptr[Counters], only_nonzero: bool) -> None:
    """One counter a line, netstat-style, grouped by layer."""
    row("rx_frames", c.rx_frames, only_nonzero)
    row("rx_short", c.rx_short, only_nonzero)
    row("rx_not_for_us", c.rx_not_for_us, only_nonzero)
    row("rx_bad_ethertype", c.rx_bad_ethertype, only_nonzero)
    row("arp_rx", c.arp_rx, only_nonzero)
    row("arp_bad", c.arp_bad, only_nonzero)
    row("arp_not_for_us", c.arp_not_for_us, only_nonzero)
    row("arp_replies_sent", c.arp_replies_sent, only_nonzero)
    row("arp_requests_sent", c.arp_requests_sent, only_nonzero)
    row("arp_queue_full", c.arp_queue_full, only_nonzero)
    row("arp_unresolved", c.arp_unresolved, only_nonzero)
    row("ip_rx", c.ip_rx, only_nonzero)
    row("ip_short", c.ip_short, only_nonzero)
    row("ip_bad_header", c.ip_bad_header, only_nonzero)
    row("ip_bad_checksum", c.ip_bad_checksum, only_nonzero)
    row("ip_fragments", c.ip_fragments, only_nonzero)
    row("ip_not_for_us", c.ip_not_for_us, only_nonzero)
    row("ip_unknown_protocol", c.ip_unknown_protocol, only_nonzero)
    row("ip_tx", c.ip_tx, only_nonzero)
    row("ip_no_route", c.ip_no_route, only_nonzero)
    row("icmp_bad", c.icmp_bad, only_nonzero)
    row("icmp_echo_replies", c.icmp_echo_replies, only_nonzero)
    row("icmp_other", c.icmp_other, only_nonzero)
    row("icmp_ignored", c.icmp_ignored, only_nonzero)
    row("udp_rx", c.udp_rx, only_nonzero)
    row("udp_bad_length", c.udp_bad_length, only_nonzero)
    row("udp_bad_checksum", c.udp_bad_checksum, only_nonzero)
    row("udp_no_socket", c.udp_no_socket, only_nonzero)
    row("udp_queue_full", c.udp_queue_full, only_nonzero)
    row("udp_tx", c.udp_tx, only_nonzero)
    row("tcp_rx", c.tcp_rx, only_nonzero)
    row("tcp_bad_header", c.tcp_bad_header, only_nonzero)
    row("tcp_bad_checksum", c.tcp_bad_checksum, only_nonzero)
    row("tcp_bad_options", c.tcp_bad_options, only_nonzero)
    row("tcp_bad_address", c.tcp_bad_address, only_nonzero)
    row("tcp_no_listener", c.tcp_no_listener, only_nonzero)
    row("tcp_out_of_window", c.tcp_out_of_window, only_nonzero)
    row("tcp_rst_ignored", c.tcp_rst_ignored, only_nonzero)
    row("tcp_challenge_acks", c.tcp_challenge_acks, only_nonzero)
    row("tcp_bad_ack", c.tcp_bad_ack, only_nonzero)
    row("tcp_dropped", c.tcp_dropped, only_nonzero)
    row("tcp_resets_received", c.tcp_resets_received, only_nonzero)
    row("tcp_syn_queue_full", c.tcp_syn_queue_full, only_nonzero)
    row("tcp_backlog_full", c.tcp_backlog_full, only_nonzero)
    row("tcp_no_memory", c.tcp_no_memory, only_nonzero)
    row("tcp_accept_no_memory", c.tcp_accept_no_memory, only_nonzero)
    row("tcp_syncookies_sent", c.tcp_syncookies_sent, only_nonzero)
    row("tcp_syncookies_ok", c.tcp_syncookies_ok, only_nonzero)
    row("tcp_syncookies_failed", c.tcp_syncookies_failed, only_nonzero)
    row("tcp_time_wait_recycled", c.tcp_time_wait_recycled, only_nonzero)
    row("tcp_ack_rate_limited", c.tcp_ack_rate_limited, only_nonzero)
    row("tcp_rx_beyond_window", c.tcp_rx_beyond_window, only_nonzero)
    row("tcp_ooo_dropped", c.tcp_ooo_dropped, only_nonzero)
    row("tcp_data_after_close", c.tcp_data_after_close, only_nonzero)
    row("tcp_tx", c.tcp_tx, only_nonzero)
    row("tcp_tx_data", c.tcp_tx_data, only_nonzero)
    row("tcp_rst_sent", c.tcp_rst_sent, only_nonzero)
    row("tcp_retransmits", c.tcp_retransmits, only_nonzero)
    row("tcp_fast_retransmits", c.tcp_fast_retransmits, only_nonzero)
    row("tcp_sack_recoveries", c.tcp_sack_recoveries, only_nonzero)
    row("tcp_timeouts", c.tcp_timeouts, only_nonzero)
    row("tcp_window_probes", c.tcp_window_probes, only_nonzero)
    row("tcp_keepalive_probes", c.tcp_keepalive_probes, only_nonzero)
    row("tx_frames", c.tx_frames, only_nonzero)
    row("tx_dropped", c.tx_dropped, only_nonzero)
    row("tx_no_buffer", c.tx_no_buffer, only_nonzero)
    row("tx_linearized", c.tx_linearized, only_nonzero)
    row("tx_too_big", c.tx_too_big, only_nonzero)
