"""kaa.web's HTTP client: call other services over HTTP/1.1, under Kaa and CPython alike.

    from kaa import web
    r = web.get("http://items.internal:8080/items/1", timeout=5)
    r.status, r.headers["content-type"], r.json()
    web.post("http://items.internal:8080/items", json={"name": "tea", "price": 2.5})

    s = web.Session(headers={"Authorization": "Bearer t"})   # its own connection pool
    s.get(...); s.close()

Written over `socket` only, so one source runs both ways (a booted service compiles
kaa/stdlib/socket.py in its place; its names resolve through the DNS= server). Each
Session keeps idle keep-alive connections per (host, port) and reuses them; a reused
connection the server has closed meanwhile (it answers nothing) is replaced once,
transparently. Bodies are read by Content-Length, chunked transfer coding, or to the
end of the connection. Errors are exceptions: the socket's (ConnectionRefusedError,
TimeoutError, socket.gaierror ...) and ClientError for a bad URL or a malformed
response; a 4xx or 5xx is an answer like any other (raise_for_status() raises for it).
http:// only; redirects are returned, not followed.
"""

from __future__ import annotations

import json as jsonlib
import socket
from typing import Any, Iterator

DEFAULT_TIMEOUT = 30.0          # seconds, for each connect, send and receive
MAX_HEAD = 65536                # the most a response's status line and header fields take
MAX_IDLE = 4                    # idle connections kept per (host, port)
RECV_SIZE = 65536
USER_AGENT = "kaa.web"


class ClientError(Exception):
    """A request that could not be made or answered: a bad URL, a malformed response,
    a connection the server closed before answering."""


class HTTPStatusError(ClientError):
    """raise_for_status() of a 4xx or 5xx response."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ServerClosed(ClientError):
    """The server closed the connection before any byte of an answer."""


class Headers:
    """Header fields in the order received, looked up without regard to case; a name
    given several times (Set-Cookie) reads as its values joined by ", "."""

    def __init__(self, fields: list[tuple[str, str]] | None = None) -> None:
        self.fields: list[tuple[str, str]] = fields if fields is not None else []

    def get_all(self, name: str) -> list[str]:
        key = name.lower()
        return [v for n, v in self.fields if n.lower() == key]

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.get_all(name)
        return ", ".join(values) if values else default

    def __getitem__(self, name: str) -> str:
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __contains__(self, name: str) -> bool:
        return bool(self.get_all(name))

    def __len__(self) -> int:
        return len(self.fields)

    def __iter__(self) -> Iterator[str]:
        return iter([n for n, _ in self.fields])

    def items(self) -> list[tuple[str, str]]:
        return list(self.fields)

    def __repr__(self) -> str:
        return repr(dict(self.fields))


class ClientResponse:
    """What a request got: status, reason, headers (Headers), content (bytes), text, json()."""

    def __init__(self, status: int, reason: str, headers: Headers, content: bytes, url: str) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def status_code(self) -> int:       # the name requests uses
        return self.status

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def text(self) -> str:
        """The body decoded by the Content-Type's charset (UTF-8 when it names none)."""
        return self.content.decode(charset(self.headers.get("content-type", "") or ""), "replace")

    def json(self) -> Any:
        """The body parsed as JSON (json.JSONDecodeError when it is not)."""
        return jsonlib.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status >= 400:
            kind = "Client" if self.status < 500 else "Server"
            raise HTTPStatusError(f"{self.status} {kind} Error: {self.reason} for url: {self.url}", self.status)

    def __repr__(self) -> str:
        return f"<Response [{self.status}]>"


def charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"').lower()
    return "utf-8"


# ---- URLs ------------------------------------------------------------------------------

def split_url(url: str) -> tuple[str, int, str]:
    """http://host[:port][/path][?query] as (host, port, request target); ClientError
    for anything else."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() != "http":
        raise ClientError(f"unsupported URL {url!r}: kaa.web's client speaks http:// only")
    rest = rest.partition("#")[0]
    cut = len(rest)
    for c in "/?":
        i = rest.find(c)
        if 0 <= i < cut:
            cut = i
    authority, target = rest[:cut], rest[cut:]
    host, colon, port_text = authority.rpartition(":") if ":" in authority else (authority, "", "")
    if not host or "@" in host or "[" in host:
        raise ClientError(f"unsupported URL {url!r}: it needs a host name or an IPv4 address")
    port = 80
    if colon:
        if not port_text.isdigit() or not port_text.isascii() or not 0 < int(port_text) < 65536:
            raise ClientError(f"bad port in URL {url!r}")
        port = int(port_text)
    if not target.startswith("/"):
        target = "/" + target
    return host.lower(), port, quote_target(target)


def quote_target(target: str) -> str:
    """Spaces, controls and non-ASCII characters %-escaped (as UTF-8); the rest as given."""
    if all(32 < ord(c) < 127 for c in target):
        return target
    out: list[str] = []
    for c in target:
        if 32 < ord(c) < 127:
            out.append(c)
        else:
            out.extend(f"%{b:02X}" for b in c.encode("utf-8"))
    return "".join(out)


UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def quote(s: str) -> str:
    """A query name or value %-escaped, as urllib.parse.quote(s, safe="")."""
    out: list[str] = []
    for b in s.encode("utf-8"):
        out.append(chr(b) if chr(b) in UNRESERVED else f"%{b:02X}")
    return "".join(out)


def with_params(target: str, params: dict[str, str]) -> str:
    if not params:
        return target
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
    return f"{target}{'&' if '?' in target else '?'}{query}"


# ---- connections -------------------------------------------------------------------

class Connection:
    """One keep-alive TCP connection and the bytes received beyond what was read."""

    def __init__(self, sock: socket.socket, key: str) -> None:
        self.sock = sock
        self.key = key
        self.buf = b""
        self.pos = 0                # buf[pos:] is unread
        self.requests = 0           # answered on it so far

    def unread(self) -> int:
        return len(self.buf) - self.pos

    def fill(self) -> bool:
        """More bytes into the buffer; False at the end of the stream."""
        data = self.sock.recv(RECV_SIZE)
        if not data:
            return False
        self.buf = self.buf[self.pos:] + data if self.pos < len(self.buf) else data
        self.pos = 0
        return True

    def take(self, n: int) -> bytes:
        out = self.buf[self.pos:self.pos + n]
        self.pos += len(out)
        return out

    def read_until(self, mark: bytes, limit: int, what: str) -> bytes:
        """The bytes before the next `mark` (which is consumed)."""
        start = self.pos
        while True:
            i = self.buf.find(mark, start)
            if i >= 0:
                out = self.buf[self.pos:i]
                self.pos = i + len(mark)
                return out
            if self.unread() > limit:
                raise ClientError(f"the server's {what} is longer than {limit} bytes")
            searched = max(0, self.unread() - len(mark) + 1)     # (fill() moves unread bytes to 0)
            if not self.fill():
                if what == "response head" and self.unread() == 0:
                    raise ServerClosed("the server closed the connection without answering")
                raise ClientError(f"the server closed the connection inside the {what}")
            start = searched

    def read_exact(self, n: int) -> bytes:
        parts = [self.take(n)]
        have = len(parts[0])
        while have < n:
            data = self.sock.recv(min(RECV_SIZE, n - have))
            if not data:
                raise ClientError(f"the server closed the connection {n - have} bytes before the body's end")
            parts.append(data)
            have += len(data)
        return b"".join(parts)

    def read_to_end(self) -> bytes:
        parts = [self.take(self.unread())]
        while True:
            data = self.sock.recv(RECV_SIZE)
            if not data:
                return b"".join(parts)
            parts.append(data)

    def read_chunked(self) -> bytes:
        """A chunked body (RFC 9112 section 7.1); extensions and trailer fields are skipped."""
        parts: list[bytes] = []
        while True:
            line = self.read_until(b"\r\n", 4096, "chunk size").split(b";")[0].strip()
            try:
                size = int(line.decode("latin-1"), 16)
            except ValueError:
                raise ClientError(f"bad chunk size {line!r} in a chunked body") from None
            if size < 0:
                raise ClientError(f"bad chunk size {line!r} in a chunked body")
            if size == 0:
                while self.read_until(b"\r\n", MAX_HEAD, "trailer"):
                    pass
                return b"".join(parts)
            parts.append(self.read_exact(size))
            if self.read_exact(2) != b"\r\n":
                raise ClientError("a chunk of a chunked body does not end in CRLF")

    def close(self) -> None:
        self.sock.close()


def parse_head(head: bytes) -> tuple[int, str, str, Headers]:
    """The status line and header fields: (status, reason, version, fields)."""
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit() or not code.isascii():
        raise ClientError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    fields: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise ClientError(f"malformed header field: {line[:80]!r}")
        fields.append((name, value.strip()))
    return int(code), reason, version, Headers(fields)


def body_length(h: Headers) -> int:
    """Content-Length, or -1 when absent; ClientError when it is not one number."""
    values = h.get_all("content-length")
    if not values:
        return -1
    text = values[0].strip()
    if not text.isdigit() or not text.isascii() or any(v.strip() != text for v in values):
        raise ClientError(f"bad Content-Length {', '.join(values)!r}")
    return int(text)


# ---- sessions ----------------------------------------------------------------------

class Session:
    """Requests with shared default headers and a pool of keep-alive connections."""

    def __init__(self, headers: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.headers: dict[str, str] = dict(headers) if headers is not None else {}
        self.timeout = timeout
        self.idle: dict[str, list[Connection]] = {}
        self.connections_made = 0       # TCP connections opened (tests read it: reuse)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def close(self) -> None:
        for conns in self.idle.values():
            for c in conns:
                c.close()
        self.idle = {}

    def get(self, url: str, params: dict[str, str] | None = None, *, json: Any = None, data: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
        return self.request("GET", url, params=params, json=json, data=data, headers=headers,
                            timeout=timeout)

    def head(self, url: str, params: dict[str, str] | None = None, *, json: Any = None, data: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
        return self.request("HEAD", url, params=params, json=json, data=data, headers=headers,
                            timeout=timeout)

    def post(self, url: str, data: bytes | None = None, json: Any = None, *, params: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
        return self.request("POST", url, params=params, json=json, data=data, headers=headers,
                            timeout=timeout)

    def put(self, url: str, data: bytes | None = None, json: Any = None, *, params: dict[str, str] | None = None,
            headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
        return self.request("PUT", url, params=params, json=json, data=data, headers=headers,
                            timeout=timeout)

    def patch(self, url: str, data: bytes | None = None, json: Any = None, *, params: dict[str, str] | None = None,
              headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
        return self.request("PATCH", url, params=params, json=json, data=data, headers=headers,
                            timeout=timeout)

    def delete(self, url: str, *, params: dict[str, str] | None = None, json: Any = None, data: bytes | None = None,
               headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
        return self.request("DELETE", url, params=params, json=json, data=data, headers=headers,
                            timeout=timeout)

    def request(self, method: str, url: str, params: dict[str, str] | None = None, json: Any = None,
                data: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float | None = None) -> ClientResponse:
        """Send one request and read its whole answer. json= sends that value as JSON
        (Content-Type: application/json), data= sends bytes as they are."""
        host, port, target = split_url(url)
        if params is not None:
            target = with_params(target, params)
        body = data
        extra: dict[str, str] = {}
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
            extra["Content-Type"] = "application/json"
        message = self.encode(method, host, port, target, body, extra, headers)
        wait = self.timeout if timeout is None else timeout
        key = f"{host}:{port}"
        conn = self.checkout(key)
        if conn is not None:
            try:
                return self.exchange(conn, method, url, message, wait)
            except (ServerClosed, ConnectionResetError, BrokenPipeError):
                conn.close()             # it went stale while idle: once more on a new one
        return self.exchange(self.connect(host, port, key, wait), method, url, message, wait)

    def encode(self, method: str, host: str, port: int, target: str, body: bytes | None,
               extra: dict[str, str], headers: dict[str, str] | None) -> bytes:
        """The request's head and body; later headers replace earlier ones of the same
        name (the session's, then the call's, replace the defaults)."""
        fields: dict[str, tuple[str, str]] = {}
        defaults = {"Host": host if port == 80 else f"{host}:{port}", "User-Agent": USER_AGENT,
                    "Accept": "*/*", "Accept-Encoding": "identity"}
        if body is not None or method in ("POST", "PUT", "PATCH"):
            defaults["Content-Length"] = str(len(body) if body is not None else 0)
        for group in (defaults, extra, self.headers, headers if headers is not None else {}):
            for name, value in group.items():
                if "\r" in name or "\n" in name or "\r" in value or "\n" in value:
                    raise ClientError(f"header {name!r} has a line break")
                fields[name.lower()] = (name, value)
        head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields.values()) + "\r\n"
        raw = head.encode("latin-1")
        return raw + body if body is not None else raw

    def checkout(self, key: str) -> Connection | None:
        conns = self.idle.get(key)
        if conns:
            return conns.pop()
        return None

    def connect(self, host: str, port: int, key: str, wait: float) -> Connection:
        sock = socket.create_connection((host, port), timeout=wait)
        self.connections_made += 1
        return Connection(sock, key)

    def exchange(self, conn: Connection, method: str, url: str, message: bytes, wait: float) -> ClientResponse:
        """Send on conn and read the answer; conn goes back to the pool if it may be
        reused, else it is closed (also when anything fails)."""
        try:
            conn.sock.settimeout(wait)
            conn.sock.sendall(message)
            while True:
                head = conn.read_until(b"\r\n\r\n", MAX_HEAD, "response head")
                conn.requests += 1
                status, reason, version, fields = parse_head(head)
                if not 100 <= status < 200 or status == 101:
                    break                   # 1xx interim answers: the real one follows
            content, reusable = self.read_body(conn, method, status, version, fields)
        except BaseException:
            conn.close()
            raise
        if reusable:
            self.checkin(conn)
        else:
            conn.close()
        return ClientResponse(status, reason, fields, content, url)

    def read_body(self, conn: Connection, method: str, status: int, version: str,
                  fields: Headers) -> tuple[bytes, bool]:
        """The body, and whether the connection may carry another request."""
        tokens = [t.strip().lower() for t in (fields.get("connection", "") or "").split(",")]
        keep = "close" not in tokens and (version != "HTTP/1.0" or "keep-alive" in tokens)
        if method == "HEAD" or status in (101, 204, 304):
            return b"", keep
        coding = (fields.get("transfer-encoding", "") or "").lower()
        if coding:
            if coding.split(",")[-1].strip() != "chunked":
                return conn.read_to_end(), False
            return conn.read_chunked(), keep
        length = body_length(fields)
        if length < 0:
            return conn.read_to_end(), False
        return conn.read_exact(length), keep

    def checkin(self, conn: Connection) -> None:
        conns = self.idle.setdefault(conn.key, [])
        if len(conns) >= MAX_IDLE:
            conn.close()
        else:
            conns.append(conn)


# ---- module functions: one shared Session ------------------------------------------

default_session = Session()


def request(method: str, url: str, params: dict[str, str] | None = None, json: Any = None, data: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request(method, url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)


def get(url: str, params: dict[str, str] | None = None, *, json: Any = None, data: bytes | None = None,
        headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request("GET", url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)


def head(url: str, params: dict[str, str] | None = None, *, json: Any = None, data: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request("HEAD", url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)


def post(url: str, data: bytes | None = None, json: Any = None, *, params: dict[str, str] | None = None,
         headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request("POST", url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)


def put(url: str, data: bytes | None = None, json: Any = None, *, params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request("PUT", url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)


def patch(url: str, data: bytes | None = None, json: Any = None, *, params: dict[str, str] | None = None,
          headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request("PATCH", url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)


def delete(url: str, *, params: dict[str, str] | None = None, json: Any = None, data: bytes | None = None,
           headers: dict[str, str] | None = None, timeout: float | None = None) -> ClientResponse:
    return default_session.request("DELETE", url, params=params, json=json, data=data, headers=headers,
                                   timeout=timeout)
