"""A route table: (method, path pattern) -> handler.

    r: Router
    route(addr(r), "GET", "/health", health)     # exactly /health
    route(addr(r), "PUT", "/kv/", put_key)       # /kv/ and below: req.rest is "a/b" for /kv/a/b
    route(addr(r), "GET", "/*", files)           # every path: req.rest is "a/b" for /a/b

A pattern ending in "/" is a prefix route and matches every path under it; any other
pattern, and "/" itself (so an index page is not a catch-all), matches only itself;
"/*" matches every path (a file server's catch-all). Of the routes whose pattern
matches and whose method fits, the longest pattern wins, so exact routes and deeper
prefixes beat shallower ones, and "/*" loses to all of them. A GET route also answers
HEAD (RFC 9110 section 9.3.2: the connection drops the body), unless a HEAD route of
the same pattern exists.

A route added with route_stream() takes its body streamed: its handler runs as soon as
the request's head is complete and reads the body piece by piece with
connection.read_body(), so a body of any size up to the limit passes through a fixed
buffer (an upload written to disk, a hash); other routes get the whole body in
req.body.

No route matches the path: 404. Routes match the path but none takes the method: 405
with an Allow field listing the methods that would work (RFC 9110 section 15.5.6), or
for OPTIONS a 204 with that Allow. A method the server does not know, and CONNECT
(this is not a proxy), get 501. Paths are compared as received, still percent-encoded.
"""

from kaa.lang import *
import kaa.http.request as rq
import kaa.http.response as rs
from kaa.http.request import Method, Request
from kaa.http.response import Response

MAX_ROUTES: Final = 64


@struct
class Route:
    method: Method
    pattern: Str
    handler: Fn[[Ptr[Request], Ptr[Response]], None]
    streams: bool                   # the handler reads the body itself (route_stream)


@struct
class Router:
    routes: Array[Route, 64]
    count: u32
    refused: u32                    # route() calls refused: a full table, a bad method or pattern


def route(r: Ptr[Router], method: Str, pattern: Str, handler: Fn[[Ptr[Request], Ptr[Response]], None]) -> bool:
    """Add a route; False (and refused counted) for an unknown method, a pattern that
    does not start with "/", or a full table."""
    m = rq.method_from(method)
    if m == Method.OTHER or m == Method.CONNECT or len(pattern) == 0 or pattern[0] != 47 or \
            r.count == MAX_ROUTES or handler is None:
        r.refused += 1
        return False
    r.routes[r.count] = Route(method=m, pattern=pattern, handler=handler)
    r.count += 1
    return True


def route_stream(r: Ptr[Router], method: Str, pattern: Str, handler: Fn[[Ptr[Request], Ptr[Response]], None]) -> bool:
    """route(), for a handler that reads the body itself, as it arrives (read_body())."""
    if not route(r, method, pattern, handler):
        return False
    r.routes[r.count - 1].streams = True
    return True


def streams(r: Ptr[Router], req: Ptr[Request]) -> bool:
    """The route req goes to takes its body streamed."""
    allow: u32 = 0
    i = find(r, req, addr(allow))
    return i >= 0 and r.routes[i].streams


def is_prefix(pattern: Str) -> bool:
    return len(pattern) > 1 and pattern[len(pattern) - 1] == 47


def rank(pattern: Str) -> i64:
    """How specific a pattern is: its length, and 0 for the catch-all."""
    return 0 if pattern == "/*" else len(pattern)


def matches(pattern: Str, path: Str) -> bool:
    if pattern == "/*":
        return path != "*"                  # OPTIONS * is about the server, not a path
    if is_prefix(pattern):
        return len(path) >= len(pattern) and path[0:len(pattern)] == pattern
    return path == pattern


def bit(m: Method) -> u32:
    return u32(1) << u32(m)


def dispatch(r: Ptr[Router], req: Ptr[Request], resp: Ptr[Response]) -> None:
    """Call the handler for req, or answer 404, 405, 501 or an automatic OPTIONS."""
    if req.method == Method.OTHER or req.method == Method.CONNECT:
        rs.error(resp, 501)
        return
    if req.path == "*":                     # OPTIONS *: the server as a whole
        resp.status = 204
        resp.allow = all_methods(r)
        return
    allow: u32 = 0
    best = find(r, req, addr(allow))
    if best >= 0:
        call(addr(r.routes[best]), req, resp)
    elif allow == 0:
        rs.error(resp, 404)
    elif req.method == Method.OPTIONS:
        resp.status = 204
        resp.allow = allow | bit(Method.OPTIONS)
    else:
        rs.error(resp, 405)
        resp.allow = allow | bit(Method.OPTIONS)


def find(r: Ptr[Router], req: Ptr[Request], allow_out: Ptr[u32]) -> i64:
    """The index of the route for req, or -1; allow_out gets the methods of the routes
    whose pattern matches its path."""
    best = -1
    best_len = -1
    best_exact = False
    allow: u32 = 0
    for i in range(i64(r.count)):
        rt = addr(r.routes[i])
        if not matches(rt.pattern, req.path):
            continue
        allow |= bit(rt.method)
        if rt.method == Method.GET:
            allow |= bit(Method.HEAD)
        exact = rt.method == req.method
        if not exact and not (req.method == Method.HEAD and rt.method == Method.GET):
            continue
        if rank(rt.pattern) > best_len or (rank(rt.pattern) == best_len and exact and not best_exact):
            best = i
            best_len = rank(rt.pattern)
            best_exact = exact
    allow_out[0] = allow
    return best


def call(rt: Ptr[Route], req: Ptr[Request], resp: Ptr[Response]) -> None:
    req.rest = ""
    if rt.pattern == "/*":
        req.rest = req.path[1:len(req.path)]
    elif is_prefix(rt.pattern):
        req.rest = req.path[len(rt.pattern):len(req.path)]
    rt.handler(req, resp)


def all_methods(r: Ptr[Router]) -> u32:
    allow = bit(Method.OPTIONS)
    for i in range(i64(r.count)):
        allow |= bit(r.routes[i].method)
        if r.routes[i].method == Method.GET:
            allow |= bit(Method.HEAD)
    return allow
