"""A kaa.web service using the app's hooks: an auth check before routes, a field added
after, a custom 404, CORS and cookies (tests/test_web.py runs it booted and under CPython)."""

import os

from kaa.web import App, HTTPError, Request, Response

app = App()
app.cors("https://example.com")
calls: list[str] = []


@app.before_request
def auth(req: Request) -> Response | None:
    if req.path.startswith("/private") and req.header("Authorization") != "Token s3cret":
        return Response(b'{"errors": {"body": ["unauthorized"]}}', 401, "application/json")
    return None


@app.after_request
def stamp(req: Request, resp: Response) -> Response:
    resp.headers["X-Served-By"] = "kaa"
    return resp


@app.errorhandler(404)
def not_found(req: Request, e: HTTPError) -> Response:
    return Response(f"nothing at {req.path}: {e.detail}\n".encode(), 404)


@app.get("/private/data")
def data(req: Request) -> dict[str, str]:
    return {"user": req.cookies.get("user", "?")}


@app.post("/login")
def login(req: Request) -> Response:
    resp = Response(b"ok\n")
    resp.set_cookie("user", req.text(), max_age=3600)
    return resp


@app.get("/big")
def big(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


@app.get("/many-fields")
def many_fields() -> Response:
    return Response(b"ok", 200, "text/plain", {f"X-Field-{i}": "v" * 40 for i in range(20)})


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8080")))
