"""NetDevice: what the network stack needs from a NIC driver, and nothing more.

virtio-net and e1000 both fill one in, so the stack above does not know which it
drives. The driver owns `driver` (its state) and the operations; the stack sets
`receive` and `wake` when it attaches. Received frames arrive through poll(), which
calls receive() once per frame and hands the Packet over; a driver interrupt only
acknowledges the device and calls wake(): the stack's thread does the work.
"""

from __future__ import annotations

from kaa.lang import *
from kernel.net.packet import Packet


@struct
class NetStats:
    rx_packets: u64
    rx_bytes: u64
    tx_packets: u64
    tx_bytes: u64
    rx_dropped: u64                 # no buffer, or the device reported an error
    tx_dropped: u64                 # the transmit ring was full
    interrupts: u64
    tx_rekicks: u64                 # transmit notifications repeated for a stalled device
    tx_gathered: u64                # frames sent with their external payload read in place
    tx_linearized: u64              # external payloads the driver copied (ring too full to chain)
    rx_multi_buffer: u64            # frames spread over several receive buffers: dropped (in rx_dropped too)
    rx_bad_length: u64              # lengths from the device past the buffer, or too short: dropped (in rx_dropped too)
    device_errors: u64              # completions naming no buffer of ours: ignored


@struct
class NetDevice:
    name: Str
    detail: Str                     # the driver's own words for the boot line (transport, features)
    mac: Array[u8, 6]
    mtu: u32
    link_up: bool                   # kept current by the driver (see check_link)
    driver: Ptr[None]
    # transmit() takes a Packet with an external payload (pkt.ext) and sends it in place,
    # reading it rather than copying it; False: the stack linearizes such packets first.
    gather: bool
    # transmit() completes TCP/UDP checksums of packets marked packet.CHECKSUM_PARTIAL;
    # the stack then writes only the pseudo-header's sum (False: it sums everything).
    tx_checksum: bool
    # Queue one frame for sending; the device owns the packet from here on (it releases
    # it once sent, or at once when the ring is full: False, counted in tx_dropped).
    transmit: Fn[[Ptr[NetDevice], Ptr[Packet]], bool]
    # Tell the device about frames queued by transmit() (one notification per batch).
    flush: Fn[[Ptr[NetDevice]], None]
    # Deliver up to `budget` received frames to receive(); return how many.
    poll: Fn[[Ptr[NetDevice], i32], i32]
    # Re-enable the receive interrupt; False if frames arrived meanwhile (poll again).
    enable_interrupts: Fn[[Ptr[NetDevice]], bool]
    # Whether frames given to transmit() are not yet sent (flushed or not): the machine
    # should not end before they are.
    tx_busy: Fn[[Ptr[NetDevice]], bool]
    # Re-read the link state into link_up, for a device that does not interrupt when it
    # changes (None: the driver keeps link_up current itself); called about once a second.
    check_link: Fn[[Ptr[NetDevice]], None]
    receive: Fn[[Ptr[NetDevice], Ptr[Packet]], None]    # set by the stack
    wake: Fn[[Ptr[NetDevice]], None]                    # set by the stack
    stats: NetStats
