# The virtqueue (kernel/drivers/virtio/virtqueue.py) on the host, against a simulated
# device that reads the available ring and completes buffers in any order. Commands:
#   a<N>   the driver adds N buffers (cookie = a running number) and publishes
#   g<N>   the same with chains of 1 to 3 descriptors (add_chain), every piece at the
#          cookie's address: the device checks each chain it walks holds only those
#   c<K>   the device completes the K-th oldest buffer it has taken (any order)
#   t      the device takes every newly available buffer
#   r      the driver takes every used buffer
#   e      the driver re-enables interrupts (enable_interrupts), as before sleeping
#   d      the driver disables them (disable_interrupts), as its interrupt handler does
#   n<0|1> the device clears (0) or sets (1) USED_NO_NOTIFY (without EVENT_IDX)
#   flags  (anywhere) run the queue without EVENT_IDX: the flags suppress instead
# Checks: every cookie comes back exactly once with the device's length, descriptors
# are never lost (num_free returns to the size), publish() asks for a notification
# exactly when the device says so (avail_event, or the NO_NOTIFY flag), enable_interrupts
# returns False exactly when a used buffer is pending, and once it returned True the
# device's next completion raises an interrupt (no lost wake-up); without EVENT_IDX, a
# disabled queue gets none.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.drivers.virtio.virtqueue as virtqueue
import kernel.mm.pages as pages
from kernel.drivers.virtio.virtqueue import Virtqueue

SIZE: Final = 16

arena: Array[u8, 262144]
vq: Virtqueue
device_seen: u16 = 0                # avail entries the device has read
inflight: Array[u16, 16]            # descriptor ids the device holds, oldest first
held: i32 = 0
used_written: u16 = 0
next_cookie: u64 = 1
returned: Array[u8, 4096]           # per cookie: how often it came back
errors: i32 = 0
notifies: i32 = 0
wrong_notifies: i32 = 0
taken: u16 = 0                      # used entries the driver has consumed
armed: bool = False                 # enable_interrupts said True: the driver sleeps on an interrupt
disabled: bool = False              # disable_interrupts was the driver's last word
wrong_enables: i32 = 0
missed_interrupts: i32 = 0
unwanted_interrupts: i32 = 0


def number(s: Str, start: i64) -> i64:
    n = 0
    for i in range(start, len(s)):
        if s[i] == 32:
            break                       # the word ends
        n = n * 10 + i64(s[i] - 48)
    return n


def add_one(chained: bool) -> bool:
    a = 0x1000 + next_cookie
    if not chained:
        return virtqueue.add(addr(vq), a, u32(next_cookie % 1500), True, next_cookie)
    pieces: Array[virtqueue.Buffer, 3]
    pieces[0] = virtqueue.Buffer(addr=a, len=u32(next_cookie % 1500), device_writes=True)
    pieces[1] = virtqueue.Buffer(addr=a, len=0)
    pieces[2] = virtqueue.Buffer(addr=a, len=0, device_writes=True)
    return virtqueue.add_chain(addr(vq), pieces[0:next_cookie % 3 + 1], next_cookie)


def driver_add(n: i64, chained: bool) -> None:
    global next_cookie, notifies, wrong_notifies
    before = vq.shadow_avail
    for i in range(n):
        if not add_one(chained):
            break
        next_cookie += 1
    old = vq.kicked_at
    kick = virtqueue.publish(addr(vq))
    # The device asked to be told once the driver makes entry avail_event available:
    # a notification is due when that entry is among the ones just published.
    expected = False
    k = old
    while k != vq.shadow_avail:
        if k == vq.avail_event[0]:
            expected = True
        k += 1
    if not vq.event_idx:
        expected = old != vq.shadow_avail and vq.used_flags[0] & virtqueue.USED_NO_NOTIFY == 0
    if kick:
        notifies += 1
    if kick != expected:
        wrong_notifies += 1


def device_take() -> None:
    global device_seen, held
    while device_seen != vq.avail_idx[0]:
        inflight[held] = vq.avail_ring[device_seen % SIZE]
        held += 1
        device_seen += 1
    vq.avail_event[0] = device_seen     # notify me at the next new buffer


def device_complete(k: i64) -> None:
    global held, used_written, errors
    if held == 0:
        return
    j = i32(k % i64(held))
    id = inflight[j]
    for m in range(j, held - 1):
        inflight[m] = inflight[m + 1]
    held -= 1
    e = addr(vq.used_ring[used_written % SIZE])
    e.id = id
    e.len = 0
    d = id
    steps = 0
    while True:                         # walk the chain as a device does
        e.len += vq.desc[d].len
        if vq.desc[d].addr != vq.desc[id].addr or steps == SIZE:
            errors += 1
            break
        steps += 1
        if vq.desc[d].flags & virtqueue.DESC_NEXT == 0:
            break
        d = vq.desc[d].next
    used_written += 1
    vq.used_idx[0] = used_written
    device_interrupt(used_written - 1, used_written)


def device_interrupt(old: u16, new: u16) -> None:
    """Whether the device interrupts after moving the used index from old to new, as
    the spec says (2.7.7 and 2.7.10), checked against what the driver asked for."""
    global armed, missed_interrupts, unwanted_interrupts
    if vq.event_idx:
        signal = u16(new - vq.used_event[0] - 1) < u16(new - old)
    else:
        signal = vq.avail_flags[0] & virtqueue.AVAIL_NO_INTERRUPT == 0
    if armed and not signal:
        missed_interrupts += 1
    if signal and disabled and not vq.event_idx:
        unwanted_interrupts += 1
    if signal:
        armed = False                   # the driver wakes and polls


def driver_enable() -> None:
    global armed, disabled, wrong_enables
    disabled = False
    pending = vq.used_idx[0] != taken
    ok = virtqueue.enable_interrupts(addr(vq))
    if ok == pending:
        wrong_enables += 1
    armed = ok


def driver_disable() -> None:
    global disabled, armed
    virtqueue.disable_interrupts(addr(vq))
    disabled = True
    armed = False


def driver_take() -> None:
    global errors, taken
    length: u32 = 0
    while True:
        cookie = virtqueue.take(addr(vq), addr(length))
        if cookie == 0:
            return
        taken += 1
        if cookie >= 4096 or length != u32(cookie % 1500):
            errors += 1
        else:
            returned[cookie] += 1


def main() -> i32:
    global errors
    pages.add(cast(u64, addr(arena[0])), cast(u64, addr(arena[0])) + len(arena))
    virtqueue.init(addr(vq), 0, SIZE, not cmdline.has("flags"))
    args = cmdline.args()
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or args[i] == 32:
            if i > start:
                op = args[start]
                if op == 97 or op == 103:
                    driver_add(number(args, start + 1) if i > start + 1 else 1, op == 103)
                elif op == 99:
                    device_complete(number(args, start + 1) if i > start + 1 else 0)
                elif op == 116:
                    device_take()
                elif op == 114:
                    driver_take()
                elif op == 101:
                    driver_enable()
                elif op == 100:
                    driver_disable()
                elif op == 110:
                    vq.used_flags[0] = virtqueue.USED_NO_NOTIFY if i > start + 1 and args[start + 1] == 49 else 0
            start = i + 1
    device_take()
    while held > 0:
        device_complete(0)
    driver_take()
    for c in range(1, next_cookie):
        if returned[c] != 1:
            errors += 1
    print(f"added {next_cookie - 1} errors {errors} free {vq.num_free} of {SIZE} wrong notifications {wrong_notifies}")
    print(f"interrupts: wrong enables {wrong_enables} missed {missed_interrupts} unwanted {unwanted_interrupts}")
    return 0
