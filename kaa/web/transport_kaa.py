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


# kaa.http.request's Method codes: a request's method is one of these strings, not a copy.
METHODS = ["", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"]


class KernelRequest(Request):
    """The kernel's request h: the path copied at once, the rest when asked for. h is
    valid only while the request is being answered: serve() zeroes it after, having
    copied everything if the service kept a reference to the request."""

    def __init__(self, h: int) -> None:
        super().__init__(METHODS[bridge.method_code(h)], bridge.path(h))
        self.h = h

    def exchange(self) -> int:
        if self.h == 0:
            raise RuntimeError("kaa.web: a request's query, headers and body can be read only while it is answered")
        return self.h

    def load_query(self) -> str:
        return bridge.query(self.exchange())

    def load_headers(self) -> dict[str, str]:
        text = bridge.fields(self.exchange())
        headers: dict[str, str] = {}
        if text:
            parts = text.split("\n")
            for i in range(0, len(parts) - 1, 2):
                headers[parts[i]] = parts[i + 1]
        return headers

    def load_body(self) -> bytes:
        return bridge.body(self.exchange())

    def release(self, kept: bool) -> None:
        """The answer has gone: let go of the exchange, having copied what the service may
        still read if it kept a reference to the request."""
        if kept:
            if self._query is None:
                self._query = self.load_query()
            if self._headers is None:
                self._headers = self.load_headers()
            if self._body is None:
                self._body = self.load_body()
        self.h = 0


def serve(handle: Callable[[Request], Response], port: int) -> None:
    def on_request(h: int) -> None:
        req = KernelRequest(h)
        resp = handle(req)
        req.release(runtime.kept(req))
        if resp._headers or resp._cookies:          # (no list made for a response with no fields)
            for name, value in resp.fields():
                bridge.add_header(h, name, value)
        if not bridge.respond(h, resp.status, resp.content_type, resp.body):
            print(f"kaa.web: {req.method} {req.path}: the response's header fields exceed the kernel's "
                  f"512 bytes (a 500 went out instead), or no memory for its body (a 503)")
    runtime.set_handler(on_request)
    if not bridge.listen(port):
        raise RuntimeError(f"cannot serve on port {port}: no network, or the port is taken")
    print(f"kaa.web: serving on port {port}")
    bridge.run()
