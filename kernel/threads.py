"""Threads for services: the public face of kernel/sched/sched.py.

    t = threads.spawn(worker, arg, -1)      # -1: this CPU; or a CPU number
    threads.sleep_ns(1000000)
    result = threads.join(t)
    threads.spawn_detached(serve, arg, -1)  # nobody joins it: freed when it returns
    t = threads.prepare(serve, arg, -1)     # None when memory is short (no panic); later:
    threads.start_detached(t)

Threads are cooperative: one runs until it yields, sleeps, waits or returns. Every
thread that spawn() starts must be joined, or its Thread is never freed. spawn() and
spawn_detached() panic when memory is out; prepare() and try_spawn_detached() (0: no
thread) do not, for threads a client of the network asks for.
"""

from kaa.lang import *
from kernel.sched.sched import (Mutex, Thread, WaitQueue, acquire, current, join, prepare, release, sleep_ns,
                                 spawn, spawn_detached, start_detached, try_spawn_detached, wait, wait_timeout,
                                 wait_unless, wake_all, wake_one, yield_now)
from kernel.arch.x86_64.cpu import id as cpu_id
from kernel.arch.x86_64.tsc import now_ns
