"""Widen the listen backlog of the host ports QEMU's user network forwards to the guest.

libslirp listens on each `hostfwd` port with a backlog of one. Under a burst of new
connections the host kernel's accept queue for that socket overflows before QEMU's main
loop accepts from it: the kernel drops the SYN (the client tries again after 1 s, 3 s...)
or the handshake's last ACK, and then a client that believes it is connected waits,
sometimes for a minute, or gives up. Measured with `ab -n 60000 -c 100` against
http_hello (`make run`) under TCG: 848 requests/s, 110,741 ListenOverflows in the host's
`nstat`, the slowest request 55 s, and runs that stop on ab's 30 s timeout. The guest
had served every connection that reached it. With a backlog of 1024: 6,418 requests/s,
no overflow, the slowest request 49 ms.

QEMU has no setting for it, but Linux lets listen() be called again on a listening
socket to change its backlog, and pidfd_getfd() (Linux 5.6) gives a process allowed to
ptrace another (here: QEMU's parent) a copy of one of its descriptors. So widen() finds
QEMU's listening TCP sockets in /proc/PID/fd once QEMU has made them, and calls listen()
on each copy. Where that is not possible (an older kernel, no permission) the ports
keep QEMU's backlog: widen() reports how many it widened and never fails the run.
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
import time

BACKLOG = 1024
SYS_PIDFD_GETFD = 438                  # x86_64 and arm64 alike (the generic syscall table)
POLL_S = 0.005


def forwarded_tcp_ports(qemu_argv: list[str]) -> int:
    """How many TCP ports a QEMU command line forwards (`hostfwd=tcp:...`, or a bare
    `hostfwd=:...`, which is TCP too)."""
    return sum(arg.count("hostfwd=tcp:") + arg.count("hostfwd=::") for arg in qemu_argv)


def widen(pid: int, count: int, backlog: int = BACKLOG, timeout: float = 10.0) -> int:
    """Wait (up to timeout seconds) until process pid listens on count TCP sockets and
    give each the backlog; how many were widened (fewer when time ran out, the process
    ended or the kernel would not give the descriptors)."""
    if count <= 0:
        return 0
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        return 0
    try:
        widened: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(widened) < count and time.monotonic() < deadline:
            for fd in socket_fds(pid):
                if fd not in widened and widen_one(pidfd, fd, backlog):
                    widened.add(fd)
            if len(widened) < count:
                time.sleep(POLL_S)
        return len(widened)
    finally:
        os.close(pidfd)


def widen_in_background(pid: int, count: int) -> None:
    """widen() on a daemon thread: the caller goes on (QEMU makes its listeners while
    it starts, before the guest runs)."""
    if count > 0:
        threading.Thread(target=widen, args=(pid, count), name="kaa-listen-backlog", daemon=True).start()


def socket_fds(pid: int) -> list[int]:
    """The descriptors of pid that are sockets."""
    fds: list[int] = []
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return fds
    for name in names:
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                fds.append(int(name))
        except OSError:
            continue                   # closed meanwhile
    return fds


_libc = ctypes.CDLL(None, use_errno=True)


def widen_one(pidfd: int, fd: int, backlog: int) -> bool:
    """If fd (of the process behind pidfd) is a listening TCP socket, set its backlog."""
    mine = _libc.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0)
    if mine < 0:
        return False
    s = socket.socket(fileno=mine)     # the same open socket as QEMU's: listen() changes it for both
    try:
        if s.family not in (socket.AF_INET, socket.AF_INET6) or s.type != socket.SOCK_STREAM \
                or not s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            return False
        s.listen(backlog)
        return True
    except OSError:
        return False
    finally:
        s.close()                      # closes our copy only
