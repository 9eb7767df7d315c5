"""Threads: per-CPU cooperative schedulers, as in Toro.

A thread lives on the CPU it was created on and runs until it yields, sleeps, waits or
exits; nothing preempts it. Each CPU keeps its own run queue (FIFO), its sleepers
(sorted by wake time) and a mailbox: the only data other CPUs touch, guarded by a spin
lock. Handing a thread to another CPU (spawn there, or wake a thread that lives there)
posts it to that CPU's mailbox and sends an IPI. The mailbox is a list linked through
the threads themselves (a posted thread is on no other queue), so it never fills up
however long the CPU is busy, and posting allocates nothing.

When nothing is ready the CPU idles: it arms the APIC timer for the earliest sleeper
and halts with interrupts on. Interrupt handlers only acknowledge; the idle loop then
finds what became ready. Interrupts are off whenever a thread runs.

A thread that exits is marked DEAD and wakes its joiners at once; the next thread to
run on that CPU frees its stack (a thread cannot free the stack it runs on). join()
returns the thread's result and frees the Thread; a thread started by spawn_detached()
has no joiner, and its Thread is freed with its stack. Stacks have an unmapped guard
page below them (kernel/mm/stack.py), so an overflow faults.

Memory: spawn() and spawn_detached() panic when there is none for the Thread and its
stack (a service's own threads: it cannot go on without them). A thread made for a
client of the network may not take the machine down: prepare() makes one without
starting it, None when memory is short, and start_detached() starts it later, so a
server can hold a thread ready before it accepts a connection (and leave connections
waiting in the backlog while it cannot); try_spawn_detached() is the two at once.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.apic as apic
import kernel.arch.x86_64.context as context
import kernel.arch.x86_64.cpu as cpu
import kernel.arch.x86_64.tsc as tsc
import kernel.mm.stack as stack

READY: Final = 0
RUNNING: Final = 1
SLEEPING: Final = 2
BLOCKED: Final = 3
DEAD: Final = 4

STACK_SIZE: Final = 16384


@struct
class WaitQueue:
    lock: SpinLock                  # wait queues may be shared between CPUs
    head: Ptr[Thread]
    tail: Ptr[Thread]


@struct
class Thread:
    rsp: u64                        # saved stack pointer while switched out
    id: i64
    cpu: i32
    state: i32
    next: Ptr[Thread]               # link in a run queue, a wait queue or a mailbox
    wake_ns: u64
    sleep_next: Ptr[Thread]         # link in the sleepers
    in_sleepers: bool               # on its CPU's sleepers (sleeping, or waiting with a timeout)
    waiting_on: Ptr[WaitQueue]      # the queue of a wait with a timeout
    timed_out: bool
    entry: Fn[[u64], i64]
    arg: u64
    result: i64
    stack: Bytes
    detached: bool                  # nobody joins it: freed when it ends
    joiners: WaitQueue


@struct
class CpuSched:
    current: Ptr[Thread]
    ready: WaitQueue                # its lock is unused: only this CPU touches it
    sleepers: Ptr[Thread]
    dead_stack: Bytes               # the stack of a thread that exited, until reap()
    dead_thread: Ptr[Thread]        # a detached thread that exited, until reap()
    dead_rsp: u64                   # where an exiting thread's context is "saved"
    boot: Thread                    # the thread the CPU started on (main, on CPU 0)
    lock: SpinLock                  # guards the mailbox
    mail_head: Ptr[Thread]          # threads other CPUs handed over, oldest first
    mail_tail: Ptr[Thread]
    switches: u64


cpus: Array[CpuSched, 16]
next_id: i64 = 1


def here() -> Ptr[CpuSched]:
    return addr(cpus[cpu.id()])


def current() -> Ptr[Thread]:
    return here().current


def init_cpu() -> None:
    """Make the code running on this CPU its first thread."""
    s = here()
    s.boot.id = atomic_add(addr(next_id), 1)
    s.boot.cpu = cpu.id()
    s.boot.state = RUNNING
    s.current = addr(s.boot)


def push(q: Ptr[WaitQueue], t: Ptr[Thread]) -> None:
    t.next = None
    if q.tail is None:
        q.head = t
    else:
        q.tail.next = t
    q.tail = t


def pop(q: Ptr[WaitQueue]) -> Ptr[Thread]:
    t = q.head
    if t is not None:
        q.head = t.next
        if q.head is None:
            q.tail = None
        t.next = None
    return t


def spawn(entry: Fn[[u64], i64], arg: u64, on_cpu: i32) -> Ptr[Thread]:
    """Start entry(arg) in a new thread on CPU on_cpu (-1: this CPU); join() collects it."""
    t = create(entry, arg, on_cpu)
    make_ready(t)
    return t


def spawn_detached(entry: Fn[[u64], i64], arg: u64, on_cpu: i32) -> i64:
    """Start entry(arg) like spawn(), for nobody to join: the thread is freed when it ends.

    Returns the thread's id, not the Thread, which may be gone before spawn returns."""
    return start_detached(create(entry, arg, on_cpu))


def try_spawn_detached(entry: Fn[[u64], i64], arg: u64, on_cpu: i32) -> i64:
    """spawn_detached(), or 0 (no thread started) when memory is short."""
    t = prepare(entry, arg, on_cpu)
    if t is None:
        return 0
    return start_detached(t)


def prepare(entry: Fn[[u64], i64], arg: u64, on_cpu: i32) -> Ptr[Thread]:
    """A thread to run entry(arg) on CPU on_cpu (-1: this CPU), not started yet: None
    when there is no memory for it. start_detached() starts it (its arg may change
    until then: t.arg); it must be started, or its memory stays taken."""
    target = cpu.id() if on_cpu < 0 else on_cpu
    if target >= cpu.count:
        panic(f"spawn: no CPU {target} (this machine has {cpu.count})")
    t = try_new(Thread)
    if t is None:
        return None
    t.stack = stack.alloc(STACK_SIZE)
    if t.stack.ptr is None:
        free(t)
        return None
    t.rsp = context.prepare(cast(u64, t.stack.ptr) + STACK_SIZE, thread_start)
    t.id = atomic_add(addr(next_id), 1)
    t.cpu = target
    t.entry = entry
    t.arg = arg
    return t


def start_detached(t: Ptr[Thread]) -> i64:
    """Start a prepare()d thread for nobody to join; its id (as spawn_detached())."""
    t.detached = True
    tid = t.id
    make_ready(t)
    return tid


def create(entry: Fn[[u64], i64], arg: u64, on_cpu: i32) -> Ptr[Thread]:
    t = prepare(entry, arg, on_cpu)
    if t is None:
        panic("spawn: out of memory for a thread and its stack")
    return t


def thread_start() -> None:
    """The first code of every spawned thread (switch() returns into it)."""
    s = here()
    reap(s)
    t = s.current
    stack.arm(t.stack)              # its guard page faults on this CPU from now on
    t.result = t.entry(t.arg)
    exit_thread()


def exit_thread() -> None:
    """End the calling thread: its joiners wake; its stack is freed after the switch away.

    Marking it DEAD and taking its joiners happen together under t.joiners.lock, and
    unlocking is the last touch of t: join() reads DEAD only under that lock, so a
    joiner on another CPU cannot free t while this CPU still uses it."""
    s = here()
    t = s.current
    s.dead_stack = t.stack          # freed by reap(), once we run on another stack
    if t.detached:
        s.dead_thread = t           # likewise
    joiners: Ptr[Thread] = None
    with t.joiners.lock:
        atomic_store(addr(t.state), DEAD)
        joiners = take_all(addr(t.joiners))
    ready_list(joiners)             # no more t from here: a joiner may have freed it
    nxt = pick(s)
    nxt.state = RUNNING
    s.current = nxt
    s.switches += 1
    context.switch(addr(s.dead_rsp), nxt.rsp)
    panic("exit_thread: a dead thread ran again")


def reap(s: Ptr[CpuSched]) -> None:
    if s.dead_stack.ptr is not None:
        stack.release(s.dead_stack)
        s.dead_stack = Bytes(ptr=None, len=0)
    if s.dead_thread is not None:
        free(s.dead_thread)
        s.dead_thread = None


def join(t: Ptr[Thread]) -> i64:
    """Wait for t to end; return its result and free it (never for a detached thread)."""
    while not wait_unless(addr(t.joiners), addr(t.state), DEAD):
        pass                        # DEAD is read under t.joiners.lock: its CPU is done with t
    result = t.result
    free(t)
    return result


def yield_now() -> None:
    s = here()
    t = s.current
    t.state = READY
    push(addr(s.ready), t)
    schedule()


def sleep_ns(ns: u64) -> None:
    s = here()
    t = s.current
    t.state = SLEEPING
    add_sleeper(s, t, tsc.now_ns() + ns)
    schedule()


def add_sleeper(s: Ptr[CpuSched], t: Ptr[Thread], wake_ns: u64) -> None:
    """Insert t into the sleepers, kept sorted by wake time (FIFO among equals).

    The sleepers are linked through sleep_next, so a thread can wait on a queue (linked
    through next) and sleep at once."""
    t.wake_ns = wake_ns
    t.in_sleepers = True
    if s.sleepers is None or wake_ns < s.sleepers.wake_ns:
        t.sleep_next = s.sleepers
        s.sleepers = t
        return
    p = s.sleepers
    while p.sleep_next is not None and p.sleep_next.wake_ns <= wake_ns:
        p = p.sleep_next
    t.sleep_next = p.sleep_next
    p.sleep_next = t


def remove_sleeper(s: Ptr[CpuSched], t: Ptr[Thread]) -> None:
    if not t.in_sleepers:
        return
    t.in_sleepers = False
    if s.sleepers == t:
        s.sleepers = t.sleep_next
        return
    p = s.sleepers
    while p is not None and p.sleep_next != t:
        p = p.sleep_next
    if p is not None:
        p.sleep_next = t.sleep_next


def wait(q: Ptr[WaitQueue]) -> None:
    """Block until another thread (of any CPU) calls wake_one/wake_all on q."""
    t = current()
    with q.lock:
        t.state = BLOCKED
        push(q, t)
    schedule()


def wait_unless(q: Ptr[WaitQueue], word: Ptr[i32], value: i32) -> bool:
    """wait(q), unless *word already equals value (checked under q's lock: no lost
    wake-up); True when it did not wait."""
    t = current()
    with q.lock:
        if atomic_load(word) == value:
            return True
        t.state = BLOCKED
        push(q, t)
    schedule()
    return False


@struct
class Mutex:
    """A lock a thread may hold while it blocks (on I/O, say): contenders sleep, not spin."""
    busy: i32
    waiters: WaitQueue


def acquire(m: Ptr[Mutex]) -> None:
    while not atomic_cas(addr(m.busy), 0, 1):
        wait_unless(addr(m.waiters), addr(m.busy), 0)


def release(m: Ptr[Mutex]) -> None:
    atomic_store(addr(m.busy), 0)
    wake_one(addr(m.waiters))


def wait_timeout(q: Ptr[WaitQueue], ns: u64) -> bool:
    """wait(q) for at most ns nanoseconds; False when the time ran out first."""
    s = here()
    t = s.current
    with q.lock:
        t.state = BLOCKED
        t.timed_out = False
        t.waiting_on = q
        push(q, t)
    add_sleeper(s, t, tsc.now_ns() + ns)
    schedule()
    return not t.timed_out


def unlink(q: Ptr[WaitQueue], t: Ptr[Thread]) -> bool:
    """Take t out of q (under q's lock); False if it was not there (a waker took it)."""
    prev: Ptr[Thread] = None
    p = q.head
    while p is not None and p != t:
        prev = p
        p = p.next
    if p is None:
        return False
    if prev is None:
        q.head = t.next
    else:
        prev.next = t.next
    if q.tail == t:
        q.tail = prev
    t.next = None
    return True


def wake_one(q: Ptr[WaitQueue]) -> bool:
    t: Ptr[Thread] = None
    with q.lock:
        t = pop(q)
        if t is not None:
            t.waiting_on = None
    if t is None:
        return False
    make_ready(t)
    return True


def wake_all(q: Ptr[WaitQueue]) -> None:
    """Wake every thread waiting on q: one pass under the lock takes them all."""
    ts: Ptr[Thread] = None
    with q.lock:
        ts = take_all(q)
    ready_list(ts)


def take_all(q: Ptr[WaitQueue]) -> Ptr[Thread]:
    """Empty q (under its lock); its threads, still linked through next."""
    head = q.head
    t = head
    while t is not None:
        t.waiting_on = None         # under the lock, as in wake_one: a timeout no longer applies
        t = t.next
    q.head = None
    q.tail = None
    return head


def ready_list(t: Ptr[Thread]) -> None:
    """Make ready each thread of a list linked through next (taken out of its queue)."""
    while t is not None:
        nxt = t.next
        t.next = None
        make_ready(t)
        t = nxt


def make_ready(t: Ptr[Thread]) -> None:
    if t.cpu == cpu.id():
        s = here()
        remove_sleeper(s, t)        # a wait with a timeout ends early
        t.state = READY
        push(addr(s.ready), t)
    else:
        post(t.cpu, t)


def post(target: i32, t: Ptr[Thread]) -> None:
    """Hand t to CPU target's scheduler and interrupt it."""
    c = addr(cpus[target])
    t.next = None
    with c.lock:
        if c.mail_tail is None:
            c.mail_head = t
        else:
            c.mail_tail.next = t
        c.mail_tail = t
    apic.send_ipi(cpu.percpu[target].apic_id, apic.IPI_VECTOR)


def schedule() -> None:
    """Run the next ready thread (the caller has queued itself, or not); idle while none is."""
    s = here()
    prev = s.current
    nxt = pick(s)
    nxt.state = RUNNING
    if nxt == prev:
        return
    s.current = nxt
    s.switches += 1
    context.switch(addr(prev.rsp), nxt.rsp)
    reap(here())


def pick(s: Ptr[CpuSched]) -> Ptr[Thread]:
    while True:
        collect(s)
        t = pop(addr(s.ready))
        if t is not None:
            return t
        idle(s)


def collect(s: Ptr[CpuSched]) -> None:
    """Move due sleepers and mailed threads to the run queue."""
    if s.sleepers is not None:
        now = tsc.now_ns()
        while s.sleepers is not None and s.sleepers.wake_ns <= now:
            t = s.sleepers
            s.sleepers = t.sleep_next
            t.in_sleepers = False
            q = t.waiting_on
            if q is not None:           # a timed wait: it times out unless a waker took it
                taken = False
                with q.lock:
                    taken = unlink(q, t)
                    t.waiting_on = None
                if not taken:
                    continue            # the waker's make_ready queues it
                t.timed_out = True
            t.state = READY
            push(addr(s.ready), t)
    if atomic_load(addr(s.mail_head)) is not None:
        mail: Ptr[Thread] = None
        with s.lock:                # take the whole list; queue it outside the lock
            mail = s.mail_head
            s.mail_head = None
            s.mail_tail = None
        ready_list(mail)            # all of this CPU: make_ready queues them here


def idle(s: Ptr[CpuSched]) -> None:
    """Halt until an interrupt: the timer armed for the first sleeper, or an IPI."""
    if s.sleepers is not None:
        now = tsc.now_ns()
        if s.sleepers.wake_ns <= now:
            return
        apic.arm_timer(s.sleepers.wake_ns - now)
    asm("sti; hlt; cli", clobbers=["memory"])
