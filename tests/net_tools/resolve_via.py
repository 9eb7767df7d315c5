"""Run a program under CPython with its host names resolved by one DNS server, through
kaa/stdlib/dns.py (the resolver a booted service uses) instead of the system's: what
`-- DNS=host:port` does for a booted service.

    python3 tests/net_tools/resolve_via.py 127.0.0.1:5353 examples/items_client.py

socket.getaddrinfo and socket.gethostbyname are replaced (create_connection calls the
former), so the program itself is unchanged.
"""

from __future__ import annotations

import runpy
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kaa.stdlib import dns  # noqa: E402


class UdpResolver(dns.Resolver):
    def __init__(self, server: tuple[str, int]) -> None:
        super().__init__()
        self.server = server
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(self, data: bytes) -> None:
        self.sock.sendto(data, self.server)

    def receive(self, timeout: float) -> bytes | None:
        self.sock.settimeout(timeout)
        while True:
            try:
                data, source = self.sock.recvfrom(65536)
            except TimeoutError:
                return None
            if source == self.server:
                return data


def install(server: tuple[str, int]) -> UdpResolver:
    resolver = UdpResolver(server)

    def resolve(host: str) -> list[str]:
        try:
            return resolver.resolve(host) if host else ["0.0.0.0"]
        except dns.ResolutionError as e:
            raise socket.gaierror(e.code, e.message) from None

    def getaddrinfo(host: str, port: object, family: int = 0, type: int = 0, proto: int = 0,
                    flags: int = 0) -> list[tuple[int, int, int, str, tuple[str, int]]]:
        kinds = [(socket.SOCK_STREAM, socket.IPPROTO_TCP), (socket.SOCK_DGRAM, socket.IPPROTO_UDP),
                 (socket.SOCK_RAW, 0)]
        return [(socket.AF_INET, k, p, "", (ip, int(port or 0))) for ip in resolve(host)
                for k, p in kinds if type in (0, k)]

    socket.getaddrinfo = getaddrinfo            # type: ignore[assignment]
    socket.gethostbyname = lambda host: resolve(host)[0]
    return resolver


if __name__ == "__main__":
    install(dns.parse_server(sys.argv[1]))
    program = sys.argv[2]
    sys.argv = sys.argv[2:]
    sys.path.insert(0, str(Path(program).resolve().parent))
    runpy.run_path(program, run_name="__main__")
