"""A TCP connection's send queue: copied bytes and referenced extents, one sequence space.

The queue holds snd_len bytes from sequence number snd_data (the oldest byte not yet
acknowledged). Most of them are copies in the send ring (send()); others stay in the
caller's memory (send_static()), recorded as up to SEND_REFS references, each
{seq, len, data}, sorted by sequence number and never overlapping. The ring holds the
copied bytes alone, in stream order, so the byte at stream offset k is either inside
a reference or the ring's byte number k - (reference bytes before k): appending to
either kind keeps the order exact, however send() and send_static() interleave.

A reference that continues the last one (the next bytes of the same memory, with
nothing queued in between) extends it, so a large buffer given in pieces takes one
slot. An acknowledgment frees from the front of both kinds (consume()); a reference
partly acknowledged moves its start. gather() fills a segment's payload: it copies
what lies in the ring and in short or leading references, and hands back a trailing
reference piece of at least MIN_REFERENCE bytes instead of copying it, for the
segment to carry as a Packet's external payload. The piece copied before it has an
even length, so the checksum can be summed over the two pieces in turn.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.tcp_ring as ring
import kernel.net.wire.field as field
from kernel.net.wire.tcp import seq_lt, seq_le
import kernel.net.tcp as tcp
from kernel.net.tcp import Connection, SendRef

MAX_QUEUED: Final = 1 << 30            # bytes queued at most: sequence comparisons need < 2^31
MIN_REFERENCE: Final = 128             # shorter referenced pieces are copied: a descriptor costs more


def copy_space(c: Ptr[Connection]) -> u32:
    """Bytes send() would take now."""
    s = c.snd.space()
    room = u32(MAX_QUEUED) - c.snd_len
    return s if s < room else room


def referenced(c: Ptr[Connection]) -> u64:
    n: u64 = 0
    for i in range(c.ref_count):
        n += u64(c.refs[i].len)
    return n


def append_copy(c: Ptr[Connection], data: Bytes) -> u32:
    """Copy as much of data as the ring takes to the end of the queue."""
    n = copy_space(c)
    if i64(n) > len(data):
        n = u32(len(data))
    n = ring.write(addr(c.snd), data[0:n])
    c.snd_len += n
    return n


def append_ref(c: Ptr[Connection], data: Bytes) -> u32:
    """Queue data by reference at the end of the queue; the bytes taken (0: no slot)."""
    room = u32(MAX_QUEUED) - c.snd_len
    n = room if i64(room) < len(data) else u32(len(data))
    if n == 0:
        return 0
    end = c.snd_data + c.snd_len
    if c.ref_count > 0:
        last = addr(c.refs[c.ref_count - 1])
        if last.seq + last.len == end and last.data + last.len == data.ptr:
            last.len += n
            c.snd_len += n
            return n
    if c.ref_count == tcp.SEND_REFS:
        return 0
    c.refs[c.ref_count] = SendRef(seq=end, len=n, data=data.ptr)
    c.ref_count += 1
    c.snd_len += n
    return n


def consume(c: Ptr[Connection], freed: u32) -> None:
    """The first freed bytes of the queue are acknowledged: drop them."""
    end = c.snd_data + freed
    from_refs: u32 = 0
    while c.ref_count > 0 and seq_lt(c.refs[0].seq, end):
        r = addr(c.refs[0])
        k = end - r.seq
        if k < r.len:
            from_refs += k
            r.seq += k
            r.data = r.data + k
            r.len -= k
            break
        from_refs += r.len
        for i in range(1, c.ref_count):
            c.refs[i - 1] = c.refs[i]
        c.ref_count -= 1
    ring.consume(addr(c.snd), freed - from_refs)
    c.snd_data = end
    c.snd_len -= freed


def clear(c: Ptr[Connection]) -> None:
    ring.clear(addr(c.snd))
    c.ref_count = 0
    c.snd_len = 0


def gather(c: Ptr[Connection], off: u32, out: Bytes, reference: bool) -> Bytes:
    """The len(out) queued bytes from offset off into out, in order; with `reference`,
    a trailing piece inside one reference of at least MIN_REFERENCE bytes is returned
    instead of copied (out is filled only up to len(out) - its length, an even count).
    Returns that piece, or an empty Bytes when everything was copied."""
    n = u32(len(out))
    seq = c.snd_data + off
    ring_off = off                     # the ring's offset of seq: less the references before it
    i: u32 = 0
    while i < c.ref_count and seq_le(c.refs[i].seq + c.refs[i].len, seq):
        ring_off -= c.refs[i].len
        i += 1
    if i < c.ref_count and seq_lt(c.refs[i].seq, seq):
        ring_off -= seq - c.refs[i].seq
    done: u32 = 0
    while done < n:
        pos = seq + done
        if i < c.ref_count and seq_le(c.refs[i].seq, pos):
            r = addr(c.refs[i])
            k = r.seq + r.len - pos
            if k > n - done:
                k = n - done
            piece = Bytes(ptr=r.data + (pos - r.seq), len=u64(k))
            if reference and done + k == n and k >= MIN_REFERENCE:
                if done % 2 == 1:      # keep the copied part even: one more byte copied
                    out[done] = piece[0]
                    piece = piece[1:len(piece)]
                return piece
            field.copy(out[done:done + k], piece)
            done += k
            if pos + k == r.seq + r.len:
                i += 1
        else:
            k = n - done
            if i < c.ref_count and c.refs[i].seq - pos < k:
                k = c.refs[i].seq - pos
            ring.peek(addr(c.snd), ring_off, out[done:done + k])
            ring_off += k
            done += k
    return Bytes(ptr=None, len=0)
