"""The door between the kernel's HTTP server and a service's web framework (kaa.web).

The kernel does the HTTP: httpd accepts, parses, keeps connections alive, enforces the
limits and answers garbage with 400 itself. Every well-formed request it routes here is
an Exchange on the connection thread's stack; the service's handler (registered in
kaa/pyrt/web.c) gets its address as an int, reads the request through the functions
below (each returns a copy for the service) and answers with respond(), all before
handle() returns: nothing of the exchange outlives the call.
"""

from kaa.lang import *
import kaa.http.connection as http
import kaa.http.server as httpd
import kernel.net.net as net

@struct
class Exchange:
    req: Ptr[http.Request]
    resp: Ptr[http.Response]


@extern
def k_web_handle(exchange: u64) -> None: ...        # kaa/pyrt/web.c: calls the service's handler


def handle(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    x = Exchange(req=req, resp=resp)
    k_web_handle(cast(u64, addr(x)))


server: Ptr[httpd.Server] = None


def listen(port: u16) -> bool:
    """Bring the network up and listen on port for the service; False if there is no
    network or the port is taken."""
    global server
    if not net.up():
        return False
    r = new(http.Router)             # every method the framework routes (it answers 404 and 405)
    http.route(r, "GET", "/*", handle)
    http.route(r, "POST", "/*", handle)
    http.route(r, "PUT", "/*", handle)
    http.route(r, "DELETE", "/*", handle)
    http.route(r, "PATCH", "/*", handle)
    http.route(r, "OPTIONS", "/*", handle)
    server = httpd.start(port, r)
    if server is None:
        return False
    lim = server.limits                 # fields() never runs out of room: a request's head is bounded
    assert lim.max_header_bytes + 2 * lim.max_headers <= len(fields_buf)
    return True


def run() -> None:
    """Serve what listen() opened, until the machine stops."""
    httpd.run(server)


def exchange(h: u64) -> Ptr[Exchange]:
    return cast(Ptr[Exchange], h)


fields_buf: Array[u8, 8192]         # fields()'s text: the service copies it before the next request


def fields(h: u64) -> Str:
    """The request's header fields, each name (lower case) and value on a line of its
    own: all of them in one call (listen() checked that the parser's limits fit
    fields_buf). No part holds a LF: the parser refuses control characters in fields."""
    req = exchange(h).req
    w = Writer(buf=addr(fields_buf[0]), cap=len(fields_buf))
    for i in range(i64(req.header_count)):
        if i > 0:
            w.write_byte(10)
        name = req.headers[i].name
        for c in name:
            w.write_byte(c + 32 if c >= 65 and c <= 90 else c)
        w.write_byte(10)
        w.write_str(req.headers[i].value)
    return w.text()


def method_code(h: u64) -> i64:
    """The request's method as kaa.http.request's Method (never OTHER: httpd answers 501)."""
    return i64(exchange(h).req.method)


# ---- field by field (what kaa/bench/programs/web_layers.py times apart) ----

def method(h: u64) -> Str:
    return exchange(h).req.method_name


def path(h: u64) -> Str:
    return exchange(h).req.path


def query(h: u64) -> Str:
    return exchange(h).req.query


def header_count(h: u64) -> i64:
    return i64(exchange(h).req.header_count)


def header_name(h: u64, i: i64) -> Str:
    return exchange(h).req.headers[i].name


def header_value(h: u64, i: i64) -> Str:
    return exchange(h).req.headers[i].value


def body(h: u64) -> Bytes:
    return exchange(h).req.body


def add_header(h: u64, name: Str, value: Str) -> None:
    http.set_header(exchange(h).resp, name, value)


def respond(h: u64, status: u16, content_type: Str, data: Bytes) -> bool:
    """The status and body; content_type goes in as a field (the Str is the service's:
    only a copy may outlive the call), a body bigger than the response buffer is copied
    to the heap and streamed (http.send_copy). False when the response cannot be sent as
    asked: its fields overflow the response's field buffer (a 500 goes out instead), or
    no memory for the copy (a 503)."""
    resp = exchange(h).resp
    if len(content_type) > 0:
        http.set_header(resp, "Content-Type", content_type)
    if resp.extra.overflow:
        resp.invalid = True
        return False
    return http.send_copy(resp, status, "", data)
