"""Packet buffers: one frame each, from one fixed pool, never from the heap.

A Packet holds a frame at data[start : start + len]. `start` leaves headroom in front
so a driver can prepend its device header (virtio-net's) and the stack can prepend
protocol headers without copying. Ownership moves with the pointer: whoever holds a
Packet either passes it on (to a driver, to a socket queue) or gives it back with
release(). The pool is sized at start (`packets=N` on the command line, default 1024).
"""

from __future__ import annotations

from kaa.lang import *
import kernel.mm.pool as pool

BUFFER_SIZE: Final = 2048           # one Packet, header included
HEADROOM: Final = 128               # bytes before a frame built by the stack
DATA_SIZE: Final = 2016             # BUFFER_SIZE less the fields below
DEFAULT_COUNT: Final = 1024
CHECKSUM_VERIFIED: Final = 1        # the device checked (or vouches for) the L4 checksum


@struct
class Packet:
    next: Ptr[Packet]               # link in whatever queue holds it
    start: u32                      # offset of the frame's first byte in data
    len: u32                        # bytes of frame
    cookie: u64                     # the holder's own use (a driver's descriptor id, ...)
    offload: u32                    # what the NIC did for us: CHECKSUM_VERIFIED
    data: Array[u8, 2016]

    def frame(self) -> Bytes:
        return Bytes(ptr=addr(self.data[self.start]), len=self.len)

    def room(self) -> Bytes:
        """Everything from start to the end of the buffer (for receiving into)."""
        return Bytes(ptr=addr(self.data[self.start]), len=DATA_SIZE - self.start)


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
    return p


def release(p: Ptr[Packet]) -> None:
    pool.give(addr(buffers), cast(Ptr[None], p))


def available() -> u64:
    return buffers.available
