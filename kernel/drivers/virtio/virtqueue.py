"""Split virtqueues (virtio 1.x, section 2.7), the rings a driver shares with a device.

Layout in one run of zeroed pages, aligned as the legacy transport needs (it also
suits modern ones): the descriptor table, then the available ring (driver -> device),
then, on the next 4 KiB boundary, the used ring (device -> driver). A buffer is one
descriptor (add()) or a chain of them (add_chain(): virtio-blk's requests, virtio-net
frames with an external payload), linked by NEXT; `cookies[head]` remembers what the
driver put there (a Packet or request pointer), and take() returns the whole chain to
the free list, following NEXT as the driver wrote it.

The device is not trusted with what it writes back (used ring entries): take() skips
an entry naming a descriptor that is not the head of a chain the device holds (a broken
or hostile device would otherwise make the driver free a chain twice or hand out a
buffer it still owns; counted in bad_used), and cuts a byte count larger than the
chain's device-writable bytes to them (a driver never reads past what it posted;
counted in overlong, and `truncated` tells the caller about the buffer just taken).

Notification suppression: with VIRTIO_F_EVENT_IDX the driver asks for an interrupt
only at a given used index and kicks the device only when it asked (used_event /
avail_event); without it, the NO_INTERRUPT / NO_NOTIFY flags do the same coarsely.
The device side is simulated on the host by tests/host/virtqueue_sim.py.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.mm.pages as pages

DESC_NEXT: Final = 1
DESC_WRITE: Final = 2               # the device writes this buffer (receive)
AVAIL_NO_INTERRUPT: Final = 1
USED_NO_NOTIFY: Final = 1
ALIGN: Final = 4096


@struct
class Desc:
    addr: u64
    len: u32
    flags: u16
    next: u16


@struct
class Buffer:
    """One piece of a chain for add_chain()."""
    addr: u64
    len: u32
    device_writes: bool


@struct
class UsedElem:
    id: u32
    len: u32


@struct
class Virtqueue:
    index: u16
    size: u16
    desc: Ptr[Desc]
    avail_flags: Ptr[u16]           # avail ring: flags, idx, ring[size], used_event
    avail_idx: Ptr[u16]
    avail_ring: Ptr[u16]
    used_event: Ptr[u16]
    used_flags: Ptr[u16]            # used ring: flags, idx, ring[size], avail_event
    used_idx: Ptr[u16]
    used_ring: Ptr[UsedElem]
    avail_event: Ptr[u16]
    cookies: Slice[u64]
    free_head: u16                  # free descriptors are chained through next
    num_free: u16
    shadow_avail: u16               # our copy of avail idx (the device only reads it)
    last_used: u16                  # next used entry to consume
    kicked_at: u16                  # shadow_avail when the device was last notified
    event_idx: bool
    notify_offset: u32              # virtio-pci: where in the notify region this queue's doorbell is
    base: u64                       # the pages holding the rings
    pages: u64
    truncated: bool                 # take(): the device claimed more bytes than the buffer holds
    overlong: u64                   # buffers whose byte count take() cut to the buffer
    bad_used: u64                   # used entries skipped: no chain of ours starts there


def ring_bytes(size: u64) -> u64:
    """Bytes of the whole queue: descriptors and avail ring, then the used ring aligned."""
    first = 16 * size + 6 + 2 * size
    used = 6 + 8 * size
    return ((first + ALIGN - 1) & ~u64(ALIGN - 1)) + ((used + ALIGN - 1) & ~u64(ALIGN - 1))


def init(vq: Ptr[Virtqueue], index: u16, size: u16, event_idx: bool) -> bool:
    """Set up a queue of `size` descriptors (a power of two); False without memory."""
    n = ring_bytes(size) // pages.PAGE
    base = pages.alloc(n)
    if base == 0:
        return False
    p = cast(Ptr[u64], base)
    for i in range(n * pages.PAGE // 8):
        p[i] = 0
    vq.index = index
    vq.size = size
    vq.base = base
    vq.pages = n
    vq.desc = cast(Ptr[Desc], base)
    avail = base + 16 * u64(size)
    vq.avail_flags = cast(Ptr[u16], avail)
    vq.avail_idx = cast(Ptr[u16], avail + 2)
    vq.avail_ring = cast(Ptr[u16], avail + 4)
    vq.used_event = cast(Ptr[u16], avail + 4 + 2 * u64(size))
    used = (avail + 6 + 2 * u64(size) + ALIGN - 1) & ~u64(ALIGN - 1)
    vq.used_flags = cast(Ptr[u16], used)
    vq.used_idx = cast(Ptr[u16], used + 2)
    vq.used_ring = cast(Ptr[UsedElem], used + 4)
    vq.avail_event = cast(Ptr[u16], used + 4 + 8 * u64(size))
    vq.cookies = new_array(u64, size)
    for i in range(size):
        vq.desc[i].next = u16((i + 1) % size)
    vq.free_head = 0
    vq.num_free = size
    vq.shadow_avail = 0
    vq.last_used = 0
    vq.kicked_at = 0
    vq.event_idx = event_idx
    vq.truncated = False
    vq.overlong = 0
    vq.bad_used = 0
    return True


def desc_addr(vq: Ptr[Virtqueue]) -> u64:
    return cast(u64, vq.desc)


def avail_addr(vq: Ptr[Virtqueue]) -> u64:
    return cast(u64, vq.avail_flags)


def used_addr(vq: Ptr[Virtqueue]) -> u64:
    return cast(u64, vq.used_flags)


def add(vq: Ptr[Virtqueue], buffer: u64, length: u32, device_writes: bool, cookie: u64) -> bool:
    """Offer one buffer to the device (visible at the next publish); False when full.
    cookie (not 0) is what take() gives back for it."""
    b = Buffer(addr=buffer, len=length, device_writes=device_writes)
    return add_chain(vq, Slice[Buffer](ptr=addr(b), len=1), cookie)


def add_chain(vq: Ptr[Virtqueue], pieces: Slice[Buffer], cookie: u64) -> bool:
    """Offer one buffer made of pieces, in order, as a descriptor chain (visible at the
    next publish); False when fewer than len(pieces) descriptors are free."""
    n = len(pieces)
    if n == 0 or i64(vq.num_free) < n:
        return False
    head = vq.free_head
    i = head
    for k in range(n):
        d = addr(vq.desc[i])
        nxt = d.next                    # the free list's link, until it becomes the chain's
        d.addr = pieces[k].addr
        d.len = pieces[k].len
        d.flags = DESC_WRITE if pieces[k].device_writes else 0
        if k + 1 < n:
            d.flags |= DESC_NEXT
        else:
            vq.free_head = nxt
        i = nxt
    vq.num_free -= u16(n)
    vq.cookies[head] = cookie
    vq.avail_ring[vq.shadow_avail % vq.size] = head
    vq.shadow_avail += 1
    return True


def publish(vq: Ptr[Virtqueue]) -> bool:
    """Make the buffers added so far visible; True when the device wants a notification."""
    barrier()
    mfence()                        # descriptors and ring entries before the index
    old = vq.kicked_at
    new = vq.shadow_avail
    vq.avail_idx[0] = new
    mfence()                        # the index before reading whether to notify
    vq.kicked_at = new
    if vq.event_idx:
        event = vq.avail_event[0]
        return u16(new - event - 1) < u16(new - old)    # virtio 2.7.10: vring_need_event
    return new != old and vq.used_flags[0] & USED_NO_NOTIFY == 0


def pending(vq: Ptr[Virtqueue]) -> bool:
    """Whether the device has returned buffers we have not consumed."""
    barrier()
    return atomic_load(vq.used_idx) != vq.last_used


def take(vq: Ptr[Virtqueue], length: Ptr[u32]) -> u64:
    """The cookie of the next buffer the device returned, or 0 when there is none; its
    byte count in *length, at most what the chain's device-writable descriptors hold
    (vq.truncated: it claimed more). Entries naming no chain of ours are skipped (see
    the module docstring)."""
    while pending(vq):
        lfence()                    # the index before the entry it covers
        e = addr(vq.used_ring[vq.last_used % vq.size])
        vq.last_used += 1
        id = atomic_load(addr(e.id))    # each read once: the device may rewrite them meanwhile
        claimed = atomic_load(addr(e.len))
        if id >= u32(vq.size) or vq.cookies[id] == 0:
            vq.bad_used += 1
            continue
        i = u16(id)
        cookie = vq.cookies[i]
        vq.cookies[i] = 0           # from now on, i is no chain of ours
        room: u64 = 0
        last = i
        n: u16 = 1
        while True:
            if vq.desc[last].flags & DESC_WRITE != 0:
                room += u64(vq.desc[last].len)
            if vq.desc[last].flags & DESC_NEXT == 0 or n == vq.size:
                break
            last = vq.desc[last].next
            n += 1
        vq.desc[last].next = vq.free_head
        vq.free_head = i
        vq.num_free += n
        vq.truncated = u64(claimed) > room
        if vq.truncated:
            vq.overlong += 1
            claimed = u32(room)
        length[0] = claimed
        return cookie
    return 0


def disable_interrupts(vq: Ptr[Virtqueue]) -> None:
    if not vq.event_idx:
        vq.avail_flags[0] = AVAIL_NO_INTERRUPT


def enable_interrupts(vq: Ptr[Virtqueue]) -> bool:
    """Ask for an interrupt at the next used buffer; False if one is already pending."""
    if vq.event_idx:
        vq.used_event[0] = vq.last_used
    else:
        vq.avail_flags[0] = 0
    mfence()
    return not pending(vq)
