"""HTTP clients for the booted tests, run where the guest is reachable (a namespace).

    python3 http_load.py HOST PORT SEQUENTIAL CONCURRENT REQUESTS_EACH

SEQUENTIAL connections one after another (one GET each, Connection: close), then
CONCURRENT keep-alive connections at once with REQUESTS_EACH GETs each (asyncio).
Prints one JSON object: how many answers were right, and the errors seen.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys


def get_once(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=20) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\nhello\n")


async def keep_alive_client(host: str, port: int, n: int) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    ok = 0
    for _ in range(n):
        writer.write(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length"))
                     .split(b":")[1])
        body = await reader.readexactly(length)
        ok += head.startswith(b"HTTP/1.1 200") and body == b"hello\n"
    writer.close()
    await writer.wait_closed()
    return ok


async def concurrent(host: str, port: int, clients: int, each: int) -> list:
    jobs = (keep_alive_client(host, port, each) for _ in range(clients))
    return await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), timeout=300)


def main() -> None:
    host, port, sequential, clients, each = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:6])
    errors: list[str] = []
    sequential_ok = 0
    for _ in range(sequential):
        try:
            sequential_ok += get_once(host, port)
        except OSError as e:
            errors.append(repr(e))
    results = asyncio.run(concurrent(host, port, clients, each))
    errors += [repr(r) for r in results if isinstance(r, BaseException)]
    print(json.dumps({"sequential_ok": sequential_ok, "concurrent_ok": sum(r for r in results if isinstance(r, int)),
                      "errors": errors[:5]}))


if __name__ == "__main__":
    main()
