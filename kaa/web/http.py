"""Requests, responses and errors of kaa.web, and the conversions its routes use.

Shared by both transports: compiled into a booted service, and run by CPython. A route's
handler takes path parameters by name, query parameters, or the Request itself, and
returns what a reply is made of; the functions below do those conversions, chosen per
parameter and per return type (kaa/web/routes.py when compiled, by reflection under
CPython), so both do the same thing.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any


class HTTPError(Exception):
    """Raise it in a handler: the client gets `status` with {"detail": detail}."""

    def __init__(self, status: int, detail: str = "", headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers: dict[str, str] = headers if headers is not None else {}


class Request:
    """A request: method and path at once; the query, headers and body on first use (a
    booted transport fetches them from the kernel only then: most handlers never ask)."""

    def __init__(self, method: str, path: str, query: str | None = None, headers: dict[str, str] | None = None,
                 body: bytes | None = None) -> None:
        self.method = method
        self.path = path
        self._query = query
        self._headers = headers             # names in lower case: look them up with header()
        self._body = body
        self._names = NO_NAMES              # the matched pattern's {name} per part ("" for literal parts)
        self._begin = 0                     # where the path's first part begins (set with _names)
        self._params: dict[str, str] | None = None
        self._args: dict[str, str] | None = None
        self._cookies: dict[str, str] | None = None

    # What the transport has not given yet: the booted one's subclass fetches it.
    def load_query(self) -> str:
        return ""

    def load_headers(self) -> dict[str, str]:
        return {}

    def load_body(self) -> bytes:
        return b""

    @property
    def query_string(self) -> str:
        known = self._query
        if known is None:
            known = self._query = self.load_query()
        return known

    @property
    def headers(self) -> dict[str, str]:
        known = self._headers
        if known is None:
            known = self._headers = self.load_headers()
        return known

    @property
    def body(self) -> bytes:
        known = self._body
        if known is None:
            known = self._body = self.load_body()
        return known

    @property
    def params(self) -> dict[str, str]:
        """The path's {name} parts, escapes decoded."""
        known = self._params
        if known is None:
            known = {}
            for i in range(len(self._names)):
                if self._names[i]:
                    known[self._names[i]] = self.param(i)
            self._params = known
        return known

    def param(self, i: int) -> str:
        """Part i of the path a pattern with {parts} matched, escapes decoded."""
        return unquote(segment(self.path, i, self._begin))

    @property
    def args(self) -> dict[str, str]:
        """The query's parameters, the first value of each."""
        known = self._args
        if known is None:
            query = self.query_string
            known = self._args = parse_query(query) if query else {}
        return known

    @property
    def cookies(self) -> dict[str, str]:
        known = self._cookies
        if known is None:
            headers = self.headers
            known = self._cookies = parse_cookies(headers["cookie"]) if "cookie" in headers else {}
        return known

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def text(self) -> str:
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPError(400, "the body is not UTF-8")

    def json(self) -> Any:
        """The body as JSON; a 400 with the parser's message when it is not."""
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise HTTPError(400, f"invalid JSON: {e}")


class Response:
    def __init__(self, body: bytes = b"", status: int = 200, content_type: str = "text/plain; charset=utf-8",
                 headers: dict[str, str] | None = None) -> None:
        self.body = body
        self.status = status
        self.content_type = content_type
        self._headers = headers             # made on first use: most responses add no field
        self._cookies: list[str] | None = None      # Set-Cookie values, one field each

    @property
    def headers(self) -> dict[str, str]:
        """Fields to send besides Content-Type and Content-Length."""
        known = self._headers
        if known is not None:
            return known
        headers: dict[str, str] = {}
        self._headers = headers
        return headers

    def fields(self) -> list[tuple[str, str]]:
        """Every added field, Set-Cookie ones last, for the transports (makes no dict)."""
        headers, cookies = self._headers, self._cookies
        out = list(headers.items()) if headers is not None else []
        if cookies is not None:
            out += [("Set-Cookie", c) for c in cookies]
        return out

    def set_cookie(self, name: str, value: str, max_age: int = -1, path: str = "/", http_only: bool = True,
                   same_site: str = "Lax") -> None:
        """A Set-Cookie field (RFC 6265); max_age -1: a session cookie, 0: delete it."""
        text = f"{name}={value}; Path={path}; SameSite={same_site}"
        if max_age >= 0:
            text += f"; Max-Age={max_age}"
        if http_only:
            text += "; HttpOnly"
        cookies = self._cookies
        if cookies is None:
            cookies = self._cookies = []
        cookies.append(text)


NO_NAMES: list[str] = []        # the pattern parts of a request no route with {parts} matched (never changed)


# A path's parts are what lies between "/"; a "/" at either end makes no part.
def parts_begin(path: str) -> int:
    """Where path's first part begins."""
    begin = 0
    while path.startswith("/", begin):
        begin += 1
    return begin


def parts_end(path: str, begin: int) -> int:
    """Where path's last part ends (its first begins at begin)."""
    end = len(path)
    while end > begin and path.endswith("/", begin, end):
        end -= 1
    return end


def segment(path: str, i: int, begin: int) -> str:
    """Part i of path, which it has (its first part begins at begin)."""
    for _ in range(i):
        begin = path.find("/", begin) + 1
    stop = path.find("/", begin)
    return path[begin:stop] if stop >= 0 else path[begin:]


def parse_cookies(field: str) -> dict[str, str]:
    """Cookie: a=1; b=2 (RFC 6265 5.4): names and values as sent, the first of a name kept."""
    out: dict[str, str] = {}
    for pair in field.split(";"):
        name, eq, value = pair.strip().partition("=")
        if eq and name and name not in out:
            out[name] = value.strip('"')
    return out


def unquote(s: str) -> str:
    """%XX escapes decoded (as UTF-8); a bad escape is kept as it is."""
    if "%" not in s:
        return s
    out = bytearray()
    raw = s.encode("utf-8")
    i = 0
    while i < len(raw):
        if raw[i] == 37 and i + 2 < len(raw) and is_hex(raw[i + 1]) and is_hex(raw[i + 2]):
            out.append(int(raw[i + 1:i + 3].decode("ascii"), 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out).decode("utf-8", "replace")


def is_hex(c: int) -> bool:
    return 48 <= c <= 57 or 65 <= c <= 70 or 97 <= c <= 102


def parse_query(query: str) -> dict[str, str]:
    """a=1&b=x+y: the first value of each name, '+' as a space, escapes decoded."""
    args: dict[str, str] = {}
    for item in query.split("&"):
        if not item:
            continue
        name, _, value = item.partition("=")
        name = unquote(name.replace("+", " "))
        if name not in args:
            args[name] = unquote(value.replace("+", " "))
    return args


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    resp = json_reply({"detail": detail}, status)
    if headers is not None:
        resp.headers.update(headers)
    return resp


# ---- what a handler's parameters are made from -------------------------------------

# A path parameter is given by its part's index in the pattern (found once, when the
# route is made), and by name for the error.
def path_str(req: Request, i: int, name: str) -> str:
    return req.param(i)


def path_int(req: Request, i: int, name: str) -> int:
    return to_int(req.param(i), "path", name)


def path_float(req: Request, i: int, name: str) -> float:
    return to_float(req.param(i), "path", name)


def query_str(req: Request, name: str, default: str | None = None) -> str:
    raw = query_text(req, name, default is None)
    return raw if raw is not None else default if default is not None else ""


def query_int(req: Request, name: str, default: int | None = None) -> int:
    raw = query_text(req, name, default is None)
    if raw is None:
        return default if default is not None else 0
    return to_int(raw, "query", name)


def query_float(req: Request, name: str, default: float | None = None) -> float:
    raw = query_text(req, name, default is None)
    if raw is None:
        return default if default is not None else 0.0
    return to_float(raw, "query", name)


def query_text(req: Request, name: str, required: bool) -> str | None:
    """The query parameter's text; None when absent and not required (a 422 when required)."""
    if name in req.args:
        return req.args[name]
    if required:
        raise HTTPError(422, f"query parameter '{name}' is required")
    return None


def to_int(text: str, where: str, name: str) -> int:
    """int(text) of the path or query parameter name; a 422 saying so when it is not one."""
    try:
        return int(text)
    except ValueError:
        raise HTTPError(422, f"{where} parameter '{name}' must be an integer, not '{text}'")


def to_float(text: str, where: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise HTTPError(422, f"{where} parameter '{name}' must be a number, not '{text}'")


# ---- what a handler's result becomes ----------------------------------------------

def text_reply(value: str, status: int) -> Response:
    return Response(value.encode("utf-8"), status)


def bytes_reply(value: bytes, status: int) -> Response:
    return Response(value, status, "application/octet-stream")


def json_reply(value: Any, status: int) -> Response:
    return Response(json.dumps(value).encode("utf-8"), status, "application/json")


def object_reply(value: Any, status: int) -> Response:
    """A dataclass instance, as JSON."""
    return Response(json.dumps(asdict(value)).encode("utf-8"), status, "application/json")


def empty_reply(value: None, status: int) -> Response:
    return Response(b"", 204 if status == 200 else status, "")


def same_reply(value: Response, status: int) -> Response:
    return value
