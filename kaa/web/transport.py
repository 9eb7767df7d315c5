"""kaa.web under CPython: the standard library's threaded HTTP server, and the route
decorators by reflection. (A booted service is compiled with transport_kaa.py instead:
the kernel's HTTP server, and decorators the compiler expands, kaa/service/web_routes.py.)
"""

from __future__ import annotations

import inspect
import traceback
import typing
from dataclasses import is_dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, TypeVar

from kaa.web import http
from kaa.web.http import Request, Response

F = TypeVar("F", bound=Callable[..., Any])


def print_exception(e: BaseException) -> None:
    traceback.print_exception(e)


def argument(fn: Callable[..., Any], p: inspect.Parameter, t: Any, pattern: str) -> Callable[[Request], Any]:
    """How the handler's parameter p (annotated t) is made from a request."""
    if t is Request:
        return lambda req: req
    kind = {int: "int", float: "float", str: "str"}.get(t)
    if kind is None:
        raise TypeError(f"{fn.__name__}(): parameter '{p.name}' must be a Request, an int, a float or a str")
    parts = pattern.strip("/").split("/")
    if "{" + p.name + "}" in parts:
        conv, i = getattr(http, f"path_{kind}"), parts.index("{" + p.name + "}")
        return lambda req: conv(req, i, p.name)
    conv = getattr(http, f"query_{kind}")
    default = None if p.default is inspect.Parameter.empty else p.default
    return lambda req: conv(req, p.name, default)


def reply(t: Any) -> Callable[[Any, int], Response]:
    """How the handler's result (annotated t) becomes a Response."""
    if t is str:
        return http.text_reply
    if t is bytes:
        return http.bytes_reply
    if t is None or t is type(None):
        return http.empty_reply
    if t is Response:
        return http.same_reply
    if is_dataclass(t):
        return http.object_reply
    return http.json_reply


class RouteDecorators:
    def add_route(self, method: str, pattern: str, handler: Callable[[Request], Response]) -> None:
        raise NotImplementedError

    def route(self, method: str, pattern: str, status: int = 200) -> Callable[[F], F]:
        def register(fn: F) -> F:
            hints = typing.get_type_hints(fn)
            params = inspect.signature(fn).parameters.values()
            makers = [argument(fn, p, hints.get(p.name), pattern) for p in params]
            to_response = reply(hints.get("return"))

            def handler(req: Request) -> Response:
                return to_response(fn(*[make(req) for make in makers]), status)
            self.add_route(method, pattern, handler)
            return fn
        return register

    def get(self, pattern: str, status: int = 200) -> Callable[[F], F]:
        return self.route("GET", pattern, status)

    def post(self, pattern: str, status: int = 200) -> Callable[[F], F]:
        return self.route("POST", pattern, status)

    def put(self, pattern: str, status: int = 200) -> Callable[[F], F]:
        return self.route("PUT", pattern, status)

    def patch(self, pattern: str, status: int = 200) -> Callable[[F], F]:
        return self.route("PATCH", pattern, status)

    def delete(self, pattern: str, status: int = 200) -> Callable[[F], F]:
        return self.route("DELETE", pattern, status)


def serve(handle: Callable[[Request], Response], port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"           # keep-alive, as the kernel's server
        disable_nagle_algorithm = True          # head and body go in two sends: no 40 ms wait between them

        def answer(self) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            resp = handle(Request(self.command, path, query, headers, body))
            self.send_response(resp.status)
            if resp.content_type:
                self.send_header("Content-Type", resp.content_type)
            for name, value in resp.fields():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(resp.body)))
            if self.close_connection:           # asked for (or HTTP/1.0): say so (RFC 9112 9.6)
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(resp.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = answer

        def log_message(self, format: str, *args: Any) -> None:
            pass                                # the App prints its own access log

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"kaa.web: serving on port {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
