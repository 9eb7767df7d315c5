"""The application: routes, dispatch, errors and the access log.

A route is a method and a pattern ("/items/{item_id}": a {name} part matches one path
segment, given to the handler by name) with a handler taking the Request and returning
a Response. The decorators (@app.get(...)) wrap the service's own functions into such
handlers: kaa/web/routes.py does it when compiling, transport.py by reflection under
CPython.
"""

from __future__ import annotations

from typing import Callable

import os

from kaa.web.http import HTTPError, Request, Response, error_response, parts_begin, parts_end, unquote
from kaa.web.transport import RouteDecorators, print_exception, serve


class Route:
    def __init__(self, method: str, pattern: str, handler: Callable[[Request], Response]) -> None:
        self.method = method
        self.pattern = pattern
        self.parts = pattern.strip("/").split("/")
        # the name of each {name} part, "" for a literal part
        self.names = [p[1:-1] if p.startswith("{") and p.endswith("}") else "" for p in self.parts]
        self.has_params = any(self.names)
        # the literal parts before the first {name}, each with its "/": compared at once
        self.first = 0
        while self.has_params and not self.names[self.first]:
            self.first += 1
        self.prefix = "".join(p + "/" for p in self.parts[:self.first])
        self.handler = handler

    def match(self, path: str, begin: int, end: int) -> bool:
        """Whether path[begin:end] (its parts, with no "/" at either end) fits the pattern:
        compared in place, part by part, making nothing."""
        if self.prefix:
            if not path.startswith(self.prefix, begin, end):
                return False
            begin += len(self.prefix)
        last = len(self.parts) - 1
        for i in range(self.first, last + 1):
            stop = path.find("/", begin, end)
            if stop < 0:
                if i != last:
                    return False
                stop = end
            elif i == last:
                return False
            if not self.names[i]:
                part = self.parts[i]
                if stop - begin != len(part) or not path.startswith(part, begin):
                    return False
            begin = stop + 1
        return True


class App(RouteDecorators):
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.before: list[Callable[[Request], Response | None]] = []
        self.after: list[Callable[[Request, Response], Response]] = []
        self.error_handlers: dict[int, Callable[[Request, HTTPError], Response]] = {}
        self.cors_origin = ""
        self.statics: list[tuple[str, str]] = []        # (URL prefix, folder)
        self.access_log = True

    def add_route(self, method: str, pattern: str, handler: Callable[[Request], Response]) -> None:
        self.routes.append(Route(method, pattern, handler))

    # ---- hooks: @app.before_request, @app.after_request, @app.errorhandler(404) ----

    def before_request(self, hook: Callable[[Request], Response | None]) -> Callable[[Request], Response | None]:
        """hook(req) runs before the route: a Response it returns is the answer (auth)."""
        self.before.append(hook)
        return hook

    def after_request(self, hook: Callable[[Request, Response], Response]) -> Callable[[Request, Response], Response]:
        """hook(req, resp) sees every response, errors included, and returns the one to send."""
        self.after.append(hook)
        return hook

    def errorhandler(self, status: int) -> Callable[[Callable[[Request, HTTPError], Response]],
                                                    Callable[[Request, HTTPError], Response]]:
        """handler(req, error) makes the response for an HTTPError of that status (404 and
        405 from the router included) instead of {"detail": ...}."""
        def register(handler: Callable[[Request, HTTPError], Response]) -> Callable[[Request, HTTPError], Response]:
            self.error_handlers[status] = handler
            return handler
        return register

    def static(self, prefix: str, folder: str) -> None:
        """GET prefix/a/b.css answers the file folder/a/b.css (the service's disk when booted)."""
        self.statics.append((prefix.rstrip("/") + "/", folder))

    def cors(self, origin: str = "*") -> None:
        """Cross-origin requests from origin: preflight OPTIONS answered, and the
        Access-Control-Allow-Origin field on every response."""
        self.cors_origin = origin

    # ---- answering ----

    def handle(self, req: Request) -> Response:
        """The response to req: its route's, or 404/405; an HTTPError raised on the way is
        its status with a JSON body, any other exception a 500 (its traceback on the console)."""
        try:
            resp = self.answer(req)
        except HTTPError as e:
            resp = self.error(req, e)
        except Exception as e:
            print_exception(e)
            resp = self.error(req, HTTPError(500, "Internal Server Error"))
        if self.cors_origin:
            resp.headers["Access-Control-Allow-Origin"] = self.cors_origin
        if self.after:
            for hook in self.after:
                resp = hook(req, resp)
        if self.access_log:
            print(f"{req.method} {req.path} {resp.status}")
        return resp

    def answer(self, req: Request) -> Response:
        if self.cors_origin and req.method == "OPTIONS" and req.header("access-control-request-method"):
            return self.preflight(req)
        if self.before:
            for hook in self.before:
                early = hook(req)
                if early is not None:
                    return early
        return self.dispatch(req)

    def error(self, req: Request, e: HTTPError) -> Response:
        handler = self.error_handlers.get(e.status)
        if handler is None:
            return error_response(e.status, e.detail, e.headers)
        try:
            return handler(req, e)
        except Exception as again:
            print_exception(again)
            return error_response(500, "Internal Server Error")

    def preflight(self, req: Request) -> Response:
        path = req.path
        begin = parts_begin(path)
        end = parts_end(path, begin)
        methods = sorted({r.method for r in self.routes if r.match(path, begin, end)})
        if not methods:
            raise HTTPError(404, "Not Found")
        headers = {"Access-Control-Allow-Methods": ", ".join(methods + ["OPTIONS"]),
                   "Access-Control-Max-Age": "600"}
        asked = req.header("access-control-request-headers")
        if asked:
            headers["Access-Control-Allow-Headers"] = asked
        return Response(b"", 204, "", headers)

    def dispatch(self, req: Request) -> Response:
        path = req.path
        method = req.method
        begin = parts_begin(path)
        end = parts_end(path, begin)
        allowed: list[str] | None = None
        for route in self.routes:
            if not route.match(path, begin, end):
                continue
            if route.method == method or route.method == "GET" and method == "HEAD":
                if route.has_params:
                    req._names = route.names
                    req._begin = begin
                return route.handler(req)
            if allowed is None:
                allowed = []
            allowed.append(route.method)
        if allowed is None:
            for prefix, folder in self.statics:
                if path.startswith(prefix):
                    return static_file(folder, unquote(path[len(prefix):]), method)
            raise HTTPError(404, "Not Found")
        allow = ", ".join(sorted(set(allowed + ["OPTIONS"])))
        if method == "OPTIONS":
            return Response(b"", 204, "", {"Allow": allow})
        raise HTTPError(405, "Method Not Allowed", {"Allow": allow})

    def run(self, port: int = 8080) -> None:
        """Serve until the machine stops (Ctrl-C under CPython)."""
        serve(self.handle, port)


MEDIA_TYPES = {"html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "txt": "text/plain; charset=utf-8",
               "js": "text/javascript; charset=utf-8", "json": "application/json", "svg": "image/svg+xml",
               "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
               "ico": "image/x-icon", "wasm": "application/wasm", "pdf": "application/pdf"}


def static_file(folder: str, rel: str, method: str) -> Response:
    """The file rel names under folder (no part of rel may leave it: "..", empty parts),
    for GET and HEAD; another method on a file is a 405."""
    parts = rel.split("/")
    if not rel or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise HTTPError(404, "Not Found")
    path = folder.rstrip("/") + "/" + "/".join(parts)
    if not os.path.isfile(path):
        raise HTTPError(404, "Not Found")
    if method not in ("GET", "HEAD"):
        raise HTTPError(405, "Method Not Allowed", {"Allow": "GET, HEAD, OPTIONS"})
    with open(path, "rb") as f:
        data = f.read()
    ext = rel.rpartition(".")[2].lower() if "." in parts[-1] else ""
    return Response(data, 200, MEDIA_TYPES.get(ext, "application/octet-stream"))
