"""Ethernet II frames (IEEE 802.3, the DIX type field): destination, source, type.

    0      6      12     14
    | dst  | src  | type | payload ...

The frame check sequence is the device's business and never reaches this module. No
802.1Q tags: a tagged frame shows type 0x8100 and is dropped as an unknown type.
Frames on the wire are at least 60 bytes (pad_len(); the sender zero-fills the rest),
so a receiver takes lengths from the layer above, never from the frame.
"""

from kaa.lang import *
import kernel.net.wire.field as field
from kernel.net.wire.field import Error

HEADER_LEN: Final = 14
MIN_FRAME: Final = 60                  # 64 on the wire, less the 4-byte FCS

TYPE_IPV4: Final = 0x0800
TYPE_ARP: Final = 0x0806

DST: Final = 0
SRC: Final = 6
TYPE: Final = 12


@struct
class View:
    """A frame whose length was checked (checked()): no accessor can fail."""
    b: Bytes

    def dst(self) -> u64:
        return field.get48(self.b, DST)

    def src(self) -> u64:
        return field.get48(self.b, SRC)

    def ethertype(self) -> u16:
        return field.get16(self.b, TYPE)

    def payload(self) -> Bytes:
        return self.b[HEADER_LEN:len(self.b)]

    def set_dst(self, mac: u64) -> None:
        field.put48(self.b, DST, mac)

    def set_src(self, mac: u64) -> None:
        field.put48(self.b, SRC, mac)

    def set_ethertype(self, t: u16) -> None:
        field.put16(self.b, TYPE, t)


@struct
class Repr:
    dst: u64
    src: u64
    ethertype: u16


def checked(b: Bytes, out: Ptr[View]) -> Error:
    if len(b) < HEADER_LEN:
        return Error.TRUNCATED
    out.b = b
    return Error.OK


def parse(b: Bytes, out: Ptr[Repr]) -> Error:
    v: View
    e = checked(b, addr(v))
    if e != Error.OK:
        return e
    out.dst = v.dst()
    out.src = v.src()
    out.ethertype = v.ethertype()
    return Error.OK


def buffer_len(payload_len: int) -> int:
    return HEADER_LEN + payload_len


def emit(r: Ptr[Repr], b: Bytes) -> None:
    """Write the header into b[0:14] (b must hold it)."""
    assert len(b) >= HEADER_LEN, "ethernet.emit: buffer too short"
    v = View(b=b)
    v.set_dst(r.dst)
    v.set_src(r.src)
    v.set_ethertype(r.ethertype)


def pad_len(frame_len: int) -> int:
    """The length a frame of frame_len bytes is sent with."""
    return frame_len if frame_len >= MIN_FRAME else MIN_FRAME
