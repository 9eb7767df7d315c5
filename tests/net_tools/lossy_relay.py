"""A misbehaving link: QEMU's `-netdev dgram` on one side, a tap device on the other.

    python3 lossy_relay.py TAP RELAY_PORT QEMU_PORT LOSS REORDER DUPLICATE SEED

QEMU sends each guest frame as one UDP datagram to 127.0.0.1:RELAY_PORT and receives
frames from there at 127.0.0.1:QEMU_PORT. Every frame, both ways, is dropped with
probability LOSS, delivered twice with DUPLICATE, or held back and sent after the next
one with REORDER. Runs until killed, inside the test's network namespace (where the
tap lives and where 127.0.0.1 is that namespace's own loopback); on SIGTERM it prints
one JSON line of counts.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import select
import signal
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def open_tap(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


class Impairment:
    """Decides each frame's fate; holds at most one frame back for reordering."""

    def __init__(self, rng: random.Random, loss: float, reorder: float, duplicate: float, send):
        self.rng, self.loss, self.reorder, self.duplicate, self.send = rng, loss, reorder, duplicate, send
        self.held: bytes | None = None
        self.counts = {"frames": 0, "dropped": 0, "reordered": 0, "duplicated": 0}

    def __call__(self, frame: bytes) -> None:
        self.counts["frames"] += 1
        r = self.rng.random()
        if r < self.loss:
            self.counts["dropped"] += 1
            return
        if self.held is None and r < self.loss + self.reorder:
            self.counts["reordered"] += 1
            self.held = frame
            return
        self.send(frame)
        if r > 1 - self.duplicate:
            self.counts["duplicated"] += 1
            self.send(frame)
        if self.held is not None:
            self.send(self.held)
            self.held = None


def main() -> None:
    tap_name, relay_port, qemu_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    loss, reorder, duplicate, seed = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    tap = open_tap(tap_name)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", relay_port))
    qemu = ("127.0.0.1", qemu_port)
    rng = random.Random(seed)
    to_tap = Impairment(rng, loss, reorder, duplicate, lambda f: os.write(tap, f))
    to_guest = Impairment(rng, loss, reorder, duplicate, lambda f: udp.sendto(f, qemu))

    def report(*_: object) -> None:
        print(json.dumps({"to_host": to_tap.counts, "to_guest": to_guest.counts}), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, report)
    print("relay ready", flush=True)
    while True:
        readable, _, _ = select.select([tap, udp], [], [])
        if udp in readable:
            frame, _ = udp.recvfrom(65536)
            to_tap(frame)
        if tap in readable:
            to_guest(os.read(tap, 65536))


if __name__ == "__main__":
    main()
