"""Packet buffers: one frame each, from one fixed pool, never from the heap.

A Packet holds a frame at data[start : start + len]. `start` leaves headroom in front
so a driver can prepend its device header (virtio-net's) and the stack can prepend
protocol headers without copying. Ownership moves with the pointer: whoever holds a
Packet either passes it on (to a driver, to a socket queue) or gives it back with
release(). The pool is sized at start (`packets=N` on the command line, default 1024).

An outgoing Packet may end in an external payload: ext_len bytes at ext, after the
frame's len bytes, that stay where they are (TCP's referenced send data, see
kernel/net/tcp_sendq.py). Whoever sets it guarantees that memory stays valid and
unchanged until the frame is sent. A device that can gather (NetDevice.gather) sends
header and payload as two pieces; for any other, linearize() copies the payload into
the buffer (it always fits: ext_len <= DATA_SIZE - start - len is the setter's rule).

Checksum offload. On a device that completes TCP/UDP checksums (NetDevice.tx_checksum),
the protocol that builds a segment writes only the pseudo-header's sum and calls
checksum_partial(): the device sums from csum_start (an offset in data, so it holds
while lower layers prepend their headers) to the end and writes the result
csum_offset bytes further.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.mm.pool as pool
import kernel.net.wire.field as field

BUFFER_SIZE: Final = 2048           # one Packet, header included
HEADROOM: Final = 128               # bytes before a frame built by the stack
DATA_SIZE: Final = 2008             # BUFFER_SIZE less the fields below
DEFAULT_COUNT: Final = 1024
CHECKSUM_VERIFIED: Final = 1        # received: the device checked (or vouches for) the L4 checksum
CHECKSUM_PARTIAL: Final = 2         # to send: the device completes the L4 checksum


@struct
class Packet:
    next: Ptr[Packet]               # link in whatever queue holds it
    start: u32                      # offset of the frame's first byte in data
    len: u32                        # bytes of frame
    cookie: u64                     # the holder's own use (a driver's descriptor id, ...)
    offload: u8                     # CHECKSUM_VERIFIED (received) or CHECKSUM_PARTIAL (to send)
    csum_offset: u8                 # CHECKSUM_PARTIAL: the checksum field, from csum_start
    csum_start: u16                 # CHECKSUM_PARTIAL: where the L4 header starts in data
    ext_len: u32                    # bytes of external payload after the frame (0: none)
    ext: Ptr[u8]                    # the external payload, sent in place (not owned)
    data: Array[u8, 2008]

    def frame(self) -> Bytes:
        return Bytes(ptr=addr(self.data[self.start]), len=self.len)

    def room(self) -> Bytes:
        """Everything from start to the end of the buffer (for receiving into)."""
        return Bytes(ptr=addr(self.data[self.start]), len=DATA_SIZE - self.start)

    def wire_len(self) -> u32:
        """Bytes on the wire: the frame and the external payload."""
        return self.len + self.ext_len

    def external(self) -> Bytes:
        return Bytes(ptr=self.ext, len=self.ext_len)


buffers: pool.Pool


def init(count: u64) -> bool:
    return pool.init(addr(buffers), sizeof(Packet), count)


def alloc() -> Ptr[Packet]:
    """A packet with start = HEADROOM and len = 0, or None when the pool is empty."""
    p = cast(Ptr[Packet], pool.take(addr(buffers)))
    if p is not None:
        p.next = None
        p.start = HEADROOM
        p.len = 0
        p.offload = 0
        p.ext = None
        p.ext_len = 0
    return p


def checksum_partial(p: Ptr[Packet], field_offset: u8) -> None:
    """The L4 header starts at p's frame now and its checksum field, `field_offset` bytes
    in, holds the pseudo-header's sum: the device completes it."""
    p.offload = CHECKSUM_PARTIAL
    p.csum_start = u16(p.start)
    p.csum_offset = field_offset


def linearize(p: Ptr[Packet]) -> None:
    """Copy the external payload into the buffer after the frame (for a device or a
    path that cannot send it in place)."""
    if p.ext_len == 0:
        return
    assert p.start + p.len + p.ext_len <= DATA_SIZE, "packet.linearize: no room for the payload"
    field.copy(p.room()[p.len:p.len + p.ext_len], p.external())
    p.len += p.ext_len
    p.ext = None
    p.ext_len = 0


def release(p: Ptr[Packet]) -> None:
    pool.give(addr(buffers), cast(Ptr[None], p))


def available() -> u64:
    return buffers.available
