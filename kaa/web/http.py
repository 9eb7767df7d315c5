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
    def __init__(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        self.method = method
        self.path = path
        self.query_string = query
        self.headers = headers              # names in lower case: look them up with header()
        self.body = body
        self.params: dict[str, str] = NO_PARAMS     # the path's {name} parts, set by the router
        self._args: dict[str, str] | None = None    # parsed on first use: most requests never ask
        self._cookies: dict[str, str] | None = None

    @property
    def args(self) -> dict[str, str]:
        """The query's parameters, the first value of each."""
        known = self._args
        if known is not None:
            return known
        args = parse_query(self.query_string) if self.query_string else {}
        self._args = args
        return args

    @property
    def cookies(self) -> dict[str, str]:
        known = self._cookies
        if known is not None:
            return known
        cookies = parse_cookies(self.headers["cookie"]) if "cookie" in self.headers else {}
        self._cookies = cookies
        return cookies

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


NO_PARAMS: dict[str, str] = {}      # the params of a request no route with {parts} matched (never changed)


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

def path_str(req: Request, name: str) -> str:
    return req.params[name]


def path_int(req: Request, name: str) -> int:
    return to_int(req.params[name], f"path parameter '{name}'")


def path_float(req: Request, name: str) -> float:
    return to_float(req.params[name], f"path parameter '{name}'")


def query_str(req: Request, name: str, default: str | None = None) -> str:
    raw = query_text(req, name, default is None)
    return raw if raw is not None else default if default is not None else ""


def query_int(req: Request, name: str, default: int | None = None) -> int:
    raw = query_text(req, name, default is None)
    if raw is None:
        return default if default is not None else 0
    return to_int(raw, f"query parameter '{name}'")


def query_float(req: Request, name: str, default: float | None = None) -> float:
    raw = query_text(req, name, default is None)
    if raw is None:
        return default if default is not None else 0.0
    return to_float(raw, f"query parameter '{name}'")


def query_text(req: Request, name: str, required: bool) -> str | None:
    """The query parameter's text; None when absent and not required (a 422 when required)."""
    if name in req.args:
        return req.args[name]
    if required:
        raise HTTPError(422, f"query parameter '{name}' is required")
    return None


def to_int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise HTTPError(422, f"{what} must be an integer, not '{text}'")


def to_float(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise HTTPError(422, f"{what} must be a number, not '{text}'")


# ---- what a handler's result becomes ----------------------------------------------

def text_reply(value: str, status: int) -> Response:
    return Response(value.encode("utf-8"), status)


def bytes_reply(value: bytes, status: int) -> Response:
    return Response(value, status, "application/octet-stream")


def json_reply(value: Any, status: int) -> Response:
    return Response(json.dumps(value).encode("utf-8"), status, "application/json")


def object_reply(value: Any, status: int) -> Response:
    """A dataclass instance, as JSON."""
    return json_reply(asdict(value), status)


def empty_reply(value: None, status: int) -> Response:
    return Response(b"", 204 if status == 200 else status, "")


def same_reply(value: Response, status: int) -> Response:
    return value
