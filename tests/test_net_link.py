"""The link going down and up, as QEMU's `set_link` (QMP) makes it: the guest notices,
and when the link comes back it announces its address again, or starts DHCP over at
once if it had none (the DISCOVER it sent with the link down was lost)."""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time
from pathlib import Path

import pytest

from kaa import build, vm
from kaa.bench.machine import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.booted
qmp = pytest.importorskip("qemu.qmp")


class Console(io.RawIOBase):
    """The guest's console as lines, for waiting on from the test's thread."""

    def __init__(self) -> None:
        self.text = ""
        self.changed = threading.Condition()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        with self.changed:
            self.text += bytes(b).decode(errors="replace")
            self.changed.notify_all()
        return len(b)

    def wait_for(self, needle: str, times: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.text.count(needle) < times:
                left = deadline - time.monotonic()
                assert left > 0, f"no {needle!r} on the console:\n{self.text}"
                self.changed.wait(left)


async def monitor(path: Path, *commands: tuple[str, dict]) -> None:
    client = qmp.QMPClient("test")
    for _ in range(100):                        # QEMU creates the socket as it starts
        try:
            await client.connect(str(path))
            break
        except (OSError, qmp.ConnectError):
            await asyncio.sleep(0.05)
    try:
        for name, args in commands:
            await client.execute(name, args)
    finally:
        await client.disconnect()


def set_link(path: Path, up: bool, *then: str) -> None:
    asyncio.run(monitor(path, ("set_link", {"name": "n0", "up": up}), *((c, {}) for c in then)))


def echo(port: int) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(b"ping", ("127.0.0.1", port))
        return s.recvfrom(64)[0]


@pytest.mark.parametrize("machine, nic", [("microvm", "virtio"), ("q35", "e1000")])
def test_link_down_at_boot_then_up_and_down_again(tmp_path: Path, machine: str, nic: str) -> None:
    sock = tmp_path / "qmp.sock"
    port = free_port(socket.SOCK_DGRAM)
    cfg = vm.VmConfig(build.build(ROOT / "examples" / "udp_echo.py"), machine=machine, nic=nic,
                      forwards=[f"{port}:5555/udp"],
                      extra=["-qmp", f"unix:{sock},server=on,wait=off", "-S"])   # paused until we say
    console = Console()
    status: list[int] = []
    runner = threading.Thread(target=lambda: status.append(vm.run(cfg, timeout=120, out=console,
                                                                  err=io.BytesIO())))
    runner.start()
    try:
        set_link(sock, False, "cont")             # the guest boots with its cable out
        console.wait_for("Kaa ")
        # Its DISCOVER and the first retry (3-5 s later) are lost; the next retry would
        # come after net.up()'s 10 s, so only starting over when the link returns helps.
        time.sleep(6)
        assert "udp echo" not in console.text
        set_link(sock, True)
        console.wait_for("net: link up")
        console.wait_for("udp echo: listening")   # DHCP started over and got an address in time
        assert "(dhcp)" in console.text and "has no address" not in console.text
        assert echo(port) == b"ping"
        set_link(sock, False)
        console.wait_for("net: link down")
        set_link(sock, True)
        console.wait_for("net: link up", times=2)
        assert echo(port) == b"ping"
    finally:
        if runner.is_alive():
            try:
                asyncio.run(monitor(sock, ("quit", {})))
            except EOFError:                      # QEMU may go before it answers
                pass
        runner.join(30)
