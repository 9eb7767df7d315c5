"""richards: Martin Richards' simulation of an operating system's task scheduler.

    python3 richards.py [ROUNDS]      (default 60)

Six tasks share one processor, highest priority first: an idle task, a worker, two
handlers and two devices. They talk by queueing packets to each other (qpkt), waiting
for one (wait), suspending themselves (hold) and releasing another (release). The idle
task runs a pseudo-random shift register 10,000 times, releasing device A or B by its low
bit; the worker fills work packets with letters and sends them to handler A or B in turn;
a handler feeds the bytes of its work packet, one per device packet, to its device; a
device holds its packet until scheduled again, then sends it back.

Tasks are objects of four subclasses of Task (each overrides `step`, the task's body);
packets form singly linked queues through an optional `link`. Each round rebuilds the
system and runs the scheduler until no task can run; the counts of packets queued and of
holds are the checksum (23246 and 9297 in every round). Prints the counts of the last
round and how many rounds gave other counts.
"""

import sys
from typing import Final, Optional

DEFAULT_ROUNDS: Final = 60
IDLE_COUNT: Final = 10000
EXPECTED_QUEUED: Final = 23246
EXPECTED_HOLDS: Final = 9297
BUFFER_SIZE: Final = 4


class Packet:
    DEVICE: Final = 0
    WORK: Final = 1

    def __init__(self, link: "Optional[Packet]", dest: int, kind: int) -> None:
        self.link = link
        self.dest = dest           # the task it is addressed to, then the task that sent it
        self.kind = kind
        self.datum = 0
        self.data: list[int] = [0] * BUFFER_SIZE


def append_packet(pkt: Packet, queue: "Optional[Packet]") -> Packet:
    """queue with pkt at its end (pkt is the whole queue if queue is empty)."""
    pkt.link = None
    if queue is None:
        return pkt
    last = queue
    nxt = last.link
    while nxt is not None:
        last = nxt
        nxt = last.link
    last.link = pkt
    return queue


class Task:
    IDLE: Final = 1
    WORKER: Final = 2
    HANDLER_A: Final = 3
    HANDLER_B: Final = 4
    DEVICE_A: Final = 5
    DEVICE_B: Final = 6

    def __init__(self, system: "System", ident: int, priority: int, queue: Optional[Packet],
                 waiting: bool) -> None:
        self.system = system
        self.ident = ident
        self.priority = priority
        self.queue = queue                   # packets sent to this task, oldest first
        self.packet_pending: bool = queue is not None
        self.waiting = waiting               # it asked for a packet
        self.holding = False                 # it suspended itself
        self.next: Optional[Task] = system.tasks  # the task list, by falling priority
        system.tasks = self
        system.table[ident] = self

    def runnable(self) -> bool:
        return not self.holding and (self.packet_pending or not self.waiting)

    def run(self) -> "Optional[Task]":
        """Run this task's body once, with the first queued packet if it was waiting for one."""
        pkt: Optional[Packet] = None
        if self.waiting and self.packet_pending:
            pkt = self.queue
            if pkt is not None:
                self.queue = pkt.link
            self.packet_pending = self.queue is not None
        self.waiting = False
        self.holding = False
        return self.step(pkt)

    def step(self, pkt: Optional[Packet]) -> "Optional[Task]":
        """The task's body (every subclass has its own); the task to run next."""
        return self.next

    def receive(self, pkt: Packet, sender: "Task") -> "Task":
        """Queue pkt here; the task to run next (this one if it outranks the sender)."""
        if self.queue is None:
            self.queue = pkt
            self.packet_pending = True
            if self.priority > sender.priority:
                return self
        else:
            self.queue = append_packet(pkt, self.queue)
        return sender

    def wait(self) -> "Task":
        self.waiting = True
        return self

    def hold(self) -> "Optional[Task]":
        self.system.holds += 1
        self.holding = True
        return self.next

    def release(self, ident: int) -> "Task":
        t = self.system.find(ident)
        t.holding = False
        return t if t.priority > self.priority else self

    def send(self, pkt: Packet) -> "Task":
        t = self.system.find(pkt.dest)
        self.system.queued += 1
        pkt.link = None
        pkt.dest = self.ident
        return t.receive(pkt, self)


class IdleTask(Task):
    def __init__(self, system: "System", count: int) -> None:
        super().__init__(system, Task.IDLE, 0, None, False)
        self.control = 1
        self.count = count

    def step(self, pkt: Optional[Packet]) -> "Optional[Task]":
        self.count -= 1
        if self.count == 0:
            return self.hold()
        if self.control & 1 == 0:
            self.control = self.control >> 1
            return self.release(Task.DEVICE_A)
        self.control = (self.control >> 1) ^ 0xD008
        return self.release(Task.DEVICE_B)


class WorkerTask(Task):
    def __init__(self, system: "System", queue: Packet) -> None:
        super().__init__(system, Task.WORKER, 1000, queue, True)
        self.handler: int = Task.HANDLER_A
        self.letter = 0

    def step(self, pkt: Optional[Packet]) -> "Optional[Task]":
        if pkt is None:
            return self.wait()
        self.handler = Task.HANDLER_B if self.handler == Task.HANDLER_A else Task.HANDLER_A
        pkt.dest = self.handler
        pkt.datum = 0
        for i in range(BUFFER_SIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            pkt.data[i] = 64 + self.letter       # "A".."Z"
        return self.send(pkt)


class HandlerTask(Task):
    def __init__(self, system: "System", ident: int, priority: int, queue: Packet) -> None:
        super().__init__(system, ident, priority, queue, True)
        self.work: Optional[Packet] = None
        self.devices: Optional[Packet] = None

    def step(self, pkt: Optional[Packet]) -> "Optional[Task]":
        if pkt is not None:
            if pkt.kind == Packet.WORK:
                self.work = append_packet(pkt, self.work)
            else:
                self.devices = append_packet(pkt, self.devices)
        work = self.work
        if work is None:
            return self.wait()
        n = work.datum
        if n >= BUFFER_SIZE:
            self.work = work.link
            return self.send(work)
        dev = self.devices
        if dev is None:
            return self.wait()
        self.devices = dev.link
        dev.datum = work.data[n]
        work.datum = n + 1
        return self.send(dev)


class DeviceTask(Task):
    def __init__(self, system: "System", ident: int, priority: int) -> None:
        super().__init__(system, ident, priority, None, True)
        self.pending: Optional[Packet] = None

    def step(self, pkt: Optional[Packet]) -> "Optional[Task]":
        if pkt is None:
            held = self.pending
            if held is None:
                return self.wait()
            self.pending = None
            return self.send(held)
        self.pending = pkt
        return self.hold()


class System:
    def __init__(self) -> None:
        self.tasks: Optional[Task] = None
        self.table: list[Optional[Task]] = [None] * 7
        self.queued = 0
        self.holds = 0

    def find(self, ident: int) -> Task:
        t = self.table[ident]
        if t is None:
            print(f"richards: no task {ident}")
            sys.exit(1)
        return t

    def schedule(self) -> None:
        t = self.tasks
        while t is not None:
            t = t.run() if t.runnable() else t.next


def one_round() -> System:
    s = System()
    IdleTask(s, IDLE_COUNT)
    WorkerTask(s, Packet(Packet(None, 0, Packet.WORK), 0, Packet.WORK))
    work_a = Packet(Packet(Packet(None, Task.DEVICE_A, Packet.DEVICE), Task.DEVICE_A, Packet.DEVICE),
                    Task.DEVICE_A, Packet.DEVICE)
    HandlerTask(s, Task.HANDLER_A, 2000, work_a)
    work_b = Packet(Packet(Packet(None, Task.DEVICE_B, Packet.DEVICE), Task.DEVICE_B, Packet.DEVICE),
                    Task.DEVICE_B, Packet.DEVICE)
    HandlerTask(s, Task.HANDLER_B, 3000, work_b)
    DeviceTask(s, Task.DEVICE_A, 4000)
    DeviceTask(s, Task.DEVICE_B, 5000)
    s.schedule()
    return s


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ROUNDS
    wrong = 0
    last = System()
    for _ in range(rounds):
        last = one_round()
        if last.queued != EXPECTED_QUEUED or last.holds != EXPECTED_HOLDS:
            wrong += 1
    print(f"packets queued {last.queued}, holds {last.holds}, rounds {rounds}, wrong rounds {wrong}")


main()
