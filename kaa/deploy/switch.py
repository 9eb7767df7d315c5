"""The Ethernet switch of a `kaa up` stack: one private L2 network for its guests.

Each guest's QEMU connects a `-netdev stream` (QEMU's framing: a 4-byte big-endian
length, then the frame) to a Unix socket this switch listens on, in a folder only its
user can enter: no root, no tap device, no host firewall, nothing anyone else on the
machine can join. The stack's gateway (a QEMU holding the user-mode network that
forwards published ports and answers DHCP) connects to a second socket, the uplink.

Forwarding, as a learning switch does it: a frame's source address is learned for the
port it came in on; broadcast and multicast frames go to every other port, a frame to
a learned address to that port only. A frame to an unknown address goes to the
other guests but never to the uplink: QEMU's user network routes every IPv4 packet it
receives, whatever its Ethernet destination, so one guest's packet to another would
get a RST from it (measured: a front's connection to its back was refused this way
on a plain hub, and on a multicast link its own frames came back to it and looped).

QEMU reads from and writes to its socket in bursts; each port keeps what it could not
send yet (at most MAX_BACKLOG bytes: beyond that frames are dropped, as a switch drops
on a congested port, and TCP sends them again). One thread runs the switch.
"""

from __future__ import annotations

import selectors
import socket
import struct
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

MAX_FRAME = 65536 + 14              # QEMU's stream netdev frames (NET_BUFSIZE) fit
MAX_BACKLOG = 4 << 20               # bytes queued for one port before frames are dropped
_LENGTH = struct.Struct(">I")


@dataclass(eq=False)
class Port:
    conn: socket.socket
    uplink: bool
    inbuf: bytearray = field(default_factory=bytearray)
    outbuf: bytearray = field(default_factory=bytearray)
    dropped: int = 0


class Switch:
    """Listens on folder/guests.sock and folder/uplink.sock; start() runs it in a thread
    until close()."""

    def __init__(self, folder: Path) -> None:
        self.guests_path = folder / "guests.sock"
        self.uplink_path = folder / "uplink.sock"
        self.sel = selectors.DefaultSelector()
        self.table: dict[bytes, Port] = {}      # MAC -> the port it was last seen on
        self.ports: list[Port] = []
        self.frames = 0
        self._listeners = [self._listen(self.guests_path, False), self._listen(self.uplink_path, True)]
        self._wake_r, self._wake_w = socket.socketpair()
        self.sel.register(self._wake_r, selectors.EVENT_READ, None)
        self._thread = threading.Thread(target=self._run, name="kaa-switch", daemon=True)

    def _listen(self, path: Path, uplink: bool) -> socket.socket:
        path.unlink(missing_ok=True)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(str(path))
        s.listen(64)
        s.setblocking(False)
        self.sel.register(s, selectors.EVENT_READ, uplink)
        return s

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        if self._thread.is_alive():
            self._wake_w.send(b"x")
            self._thread.join(5)
        for p in self.ports:
            p.conn.close()
        for s in (*self._listeners, self._wake_r, self._wake_w):
            s.close()
        self.sel.close()
        for path in (self.guests_path, self.uplink_path):
            path.unlink(missing_ok=True)

    # ---- the loop -----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            for key, events in self.sel.select():
                if key.fileobj is self._wake_r:
                    return
                if isinstance(key.data, bool):
                    self._accept(key.fileobj, key.data)      # type: ignore[arg-type]
                    continue
                port: Port = key.data
                if events & selectors.EVENT_WRITE:
                    self._flush(port)
                if events & selectors.EVENT_READ and port in self.ports:
                    self._read(port)

    def _accept(self, listener: socket.socket, uplink: bool) -> None:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return
        conn.setblocking(False)
        port = Port(conn, uplink)
        self.ports.append(port)
        self.sel.register(conn, selectors.EVENT_READ, port)

    def _drop_port(self, port: Port) -> None:
        """Its QEMU went away: forget the port and what was learned on it."""
        self.sel.unregister(port.conn)
        port.conn.close()
        self.ports.remove(port)
        for mac in [m for m, p in self.table.items() if p is port]:
            del self.table[mac]

    def _read(self, port: Port) -> None:
        try:
            data = port.conn.recv(1 << 18)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop_port(port)
            return
        port.inbuf += data
        buf = port.inbuf
        pos = 0
        while len(buf) - pos >= 4:
            (n,) = _LENGTH.unpack_from(buf, pos)
            if n > MAX_FRAME:           # not QEMU's framing: cut the port off
                self._drop_port(port)
                return
            if len(buf) - pos - 4 < n:
                break
            self.forward(port, bytes(buf[pos + 4:pos + 4 + n]))
            pos += 4 + n
        del buf[:pos]

    # ---- forwarding ---------------------------------------------------------------

    def forward(self, source: Port, frame: bytes) -> None:
        if len(frame) < 14:
            return
        self.frames += 1
        dst, src = frame[0:6], frame[6:12]
        if not src[0] & 1:
            self.table[src] = source
        if dst[0] & 1:                  # broadcast or multicast
            targets = [p for p in self.ports if p is not source]
        elif dst in self.table:
            target = self.table[dst]
            targets = [] if target is source else [target]
        else:
            targets = [p for p in self.ports if p is not source and not p.uplink]
        for p in targets:
            self._send(p, frame)

    def _send(self, port: Port, frame: bytes) -> None:
        if len(port.outbuf) + len(frame) > MAX_BACKLOG:
            port.dropped += 1
            return
        waiting = bool(port.outbuf)
        port.outbuf += _LENGTH.pack(len(frame)) + frame
        if not waiting:
            self._flush(port)

    def _flush(self, port: Port) -> None:
        try:
            sent = port.conn.send(port.outbuf)
        except BlockingIOError:
            sent = 0
        except OSError:                 # the QEMU is gone: its read side will say so
            port.outbuf.clear()
            sent = 0
        del port.outbuf[:sent]
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if port.outbuf else 0)
        self.sel.modify(port.conn, events, port)


def socket_folder() -> Path:
    """A fresh folder for a stack's sockets that only we may enter (mkdtemp's mode 0700);
    Unix socket paths must stay under 108 bytes, so it sits directly in the temporary folder."""
    return Path(tempfile.mkdtemp(prefix="kaa-up-"))
