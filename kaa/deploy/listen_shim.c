/* Loaded into QEMU in a Kaa image (LD_PRELOAD, set by entry.c): listen() with a
   backlog of at least BACKLOG.

   QEMU's user network listens on each forwarded port with a backlog of one, and a
   burst of connects then overflows the accept queue: clients wait seconds, up to a
   minute, for a SYN or ACK sent again (kaa/listen_backlog.py has the measurements).
   `kaa run` widens the backlog from outside with pidfd_getfd(); in a container that
   call is usually refused (the default seccomp profiles of Docker and podman allow it
   only with CAP_SYS_PTRACE), so inside the image QEMU's own listen() asks for more. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BACKLOG 1024

int listen(int fd, int backlog) {
    return (int)syscall(SYS_listen, fd, backlog < BACKLOG ? BACKLOG : backlog);
}
