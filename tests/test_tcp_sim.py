"""The harness for kernel/net/tcp*.py on the host, with the test playing the peer.

tests/host/tcp_sim.py (built with --debug) runs one command a line from its stdin and
ends each answer with "."; Sim drives it as a coprocess, so a test can read what the
stack sent, then decide what the peer answers. Peer keeps the peer's side of one
connection (its sequence numbers) and builds its segments with tests/test_tcp_frames.py.
The state-machine tests are in tests/test_tcp_states.py; this module has the harness
and a smoke test of it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from kaa import build as kbuild
from test_tcp_frames import ACK, PEER, SYN, US, Seg, decode, opt_mss, opt_ws, tcp, tcp_frame

ROOT = Path(__file__).resolve().parent.parent
MS = 1_000_000
SECOND = 1_000_000_000
POOL = 256


def build_sim(tmp: Path) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "tcp_sim.py", tmp / "tcp_sim", target="host", debug=True)


@dataclass
class Out:
    """What one or more commands printed."""
    lines: list[str]

    @property
    def segs(self) -> list[Seg]:
        return [decode(bytes.fromhex(line[3:])) for line in self.lines if line.startswith("tx ")]

    @property
    def events(self) -> list[str]:
        return [line for line in self.lines if line.startswith("event ")]

    def one(self) -> Seg:
        segs = self.segs
        assert len(segs) == 1, self.lines
        return segs[0]

    def none(self) -> None:
        assert self.segs == [], self.lines

    def value(self, prefix: str) -> str:
        found = [line for line in self.lines if line.startswith(prefix)]
        assert found, (prefix, self.lines)
        return found[-1]


class Sim:
    def __init__(self, exe: Path):
        self.p = subprocess.Popen([str(exe)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  bufsize=1)
        self.now = 0

    def do(self, *commands: str) -> Out:
        lines: list[str] = []
        for c in commands:
            assert self.p.stdin is not None and self.p.stdout is not None
            self.p.stdin.write(c + "\n")
            self.p.stdin.flush()
            while True:
                line = self.p.stdout.readline()
                if line == "":
                    raise AssertionError(f"tcp_sim ended (status {self.p.wait()}) after {c!r}: {lines}")
                line = line.rstrip("\n")
                if line == ".":
                    break
                lines.append(line)
        return Out(lines)

    def at(self, ns: int) -> Out:
        """Move the clock to ns and run the timers."""
        self.now = ns
        return self.do(f"t={ns}", "tick")

    def later(self, ns: int) -> Out:
        return self.at(self.now + ns)

    def info(self, k: int) -> dict[str, str]:
        line = self.do(f"info={k}").value("info ")
        return dict(part.split("=", 1) for part in line.split()[2:])

    def state(self, k: int) -> str:
        return self.info(k)["state"]

    def counters(self) -> dict[str, int]:
        out = {}
        for line in self.do("counters").lines:
            parts = line.split()
            if line.startswith("  ") and len(parts) == 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
        return out

    def live(self) -> int:
        return int(self.do("live").value("live ").split()[1])

    def end(self) -> str:
        """Close everything, let every timer run out: what is left."""
        return self.do("end").value("live ")

    def close(self) -> None:
        if self.p.stdin is not None:
            self.p.stdin.close()
        self.p.wait(timeout=10)


ALL_BACK = f"live 0 packets {POOL} of {POOL}"


class Peer:
    """The other end of one connection: 10.0.0.2:pport to our 10.0.0.1:port."""

    def __init__(self, sim: Sim, port: int = 80, pport: int = 40000, isn: int = 1000, window: int = 65535):
        self.sim = sim
        self.port = port
        self.pport = pport
        self.isn = isn
        self.seq = isn                 # the next sequence number the peer sends
        self.ack = 0                   # what the peer acknowledges: our next byte
        self.window = window
        self.got = b""                 # data received in order

    def frame(self, flags: int, payload: bytes = b"", seq: int | None = None, ack: int | None = None,
              window: int | None = None, options: bytes = b"") -> bytes:
        return tcp_frame(tcp(PEER, US, self.pport, self.port, self.seq if seq is None else seq,
                             self.ack if ack is None else ack, flags, self.window if window is None else window,
                             payload, options))

    def send(self, flags: int = ACK, payload: bytes = b"", seq: int | None = None, ack: int | None = None,
             window: int | None = None, options: bytes = b"") -> Out:
        """Send a segment (from self.seq unless seq is given: then self.seq stays)."""
        f = self.frame(flags, payload, seq, ack, window, options)
        if seq is None:
            self.seq += len(payload) + (1 if flags & SYN else 0) + (1 if flags & 1 else 0)
        return self.sim.do(f"rx={f.hex()}")

    def syn(self, options: bytes = opt_mss(1460) + opt_ws(7)) -> Out:
        return self.send(SYN, options=options, ack=0)

    def take(self, segs: list[Seg]) -> None:
        """Accept the stack's in-order segments: advance self.ack, collect their data."""
        for s in segs:
            if s.seq == self.ack or (s.has(SYN) and self.ack == 0):
                if s.has(SYN):
                    self.ack = s.seq
                self.got += s.payload
                self.ack = (self.ack + s.seg_len) & 0xFFFFFFFF


def accept_one(sim: Sim, peer: Peer, backlog: int = 4, listen: bool = True) -> tuple[int, Seg]:
    """Passive open by peer to our port: listen, SYN, SYN-ACK, ACK, accept."""
    if listen:
        sim.do(f"listen={peer.port},{backlog}")
    synack = peer.syn().one()
    peer.take([synack])
    peer.send(ACK)
    k = int(sim.do(f"accept={peer.port}").value("accepted ").split()[1])
    return k, synack


def connect_one(sim: Sim, peer: Peer, options: bytes = opt_mss(1460) + opt_ws(7)) -> tuple[int, Seg]:
    """Active open to the peer's port: SYN, SYN-ACK, ACK."""
    out = sim.do(f"connect={PEER},{peer.pport}")
    k = int(out.value("conn ").split()[1])
    peer.port = int(out.value("conn ").split()[3])
    syn = out.one()
    peer.take([syn])
    ack = peer.send(SYN | ACK, options=options).one()
    assert ack.names == "A" and ack.ack == peer.seq
    return k, syn


@pytest.fixture(scope="module")
def sim_exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sim(tmp_path_factory.mktemp("tcpsim"))


@pytest.fixture
def sim(sim_exe: Path):  # type: ignore[no-untyped-def]
    s = Sim(sim_exe)
    yield s
    s.close()


def test_harness_passive_and_active_open(sim: Sim) -> None:
    k, synack = accept_one(sim, Peer(sim))
    assert synack.names == "SA" and sim.state(k) == "ESTABLISHED"
    j, syn = connect_one(sim, Peer(sim, pport=8080, isn=5000))
    assert syn.names == "S" and sim.state(j) == "ESTABLISHED"
    assert sim.live() == 2
    assert sim.end() == ALL_BACK
