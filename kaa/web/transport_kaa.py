"""kaa.web in a booted service: the kernel's HTTP server (kaa/web/bridge.py) hands
each request to the App. Compiled in place of transport.py, whose decorators the
compiler expands itself (kaa/service/web_routes.py)."""

from typing import Callable

import kaa.web.runtime as runtime
import kaa.web.bridge as bridge
from kaa.web.http import Request, Response


def print_exception(e: BaseException) -> None:
    runtime.print_exception(e)


class RouteDecorators:
    pass


def request(h: int) -> Request:
    """The kernel's request h as a Request: its head in one call, the body in another."""
    parts = bridge.head(h).split("\n")
    headers: dict[str, str] = {}
    for i in range(3, len(parts) - 1, 2):
        headers[parts[i]] = parts[i + 1]
    return Request(parts[0], parts[1], parts[2], headers, bridge.body(h))


def serve(handle: Callable[[Request], Response], port: int) -> None:
    def on_request(h: int) -> None:
        req = request(h)
        resp = handle(req)
        if resp._headers or resp._cookies:          # (no list made for a response with no fields)
            for name, value in resp.fields():
                bridge.add_header(h, name, value)
        if not bridge.respond(h, resp.status, resp.content_type, resp.body):
            print(f"kaa.web: {req.method} {req.path}: the response's header fields exceed the kernel's "
                  f"512 bytes (or no memory for its body): a 500 went out instead")
    runtime.set_handler(on_request)
    if not bridge.listen(port):
        raise RuntimeError(f"cannot serve on port {port}: no network, or the port is taken")
    print(f"kaa.web: serving on port {port}")
    bridge.run()
