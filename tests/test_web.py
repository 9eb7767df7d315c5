"""kaa.web: the Item service (examples/items.py) booted and under CPython, answering the
same requests the same way (CPython's run of the same file is the reference).

Each server is started once per module: the booted guest through `kaa run` with a port
forward, CPython as `python3 examples/items.py` with PORT in its environment. The same
script of requests goes to both, in order (it creates, reads and deletes), and every
answer's status, media type and body must be equal.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from guest import Guest

ROOT = Path(__file__).resolve().parent.parent
SERVICE = "examples/items.py"

# (method, path, body): a session a client of the service might have, bad input included
SCRIPT = [
    ("GET", "/items", None),
    ("POST", "/items", b'{"name": "tea", "price": 2.5}'),
    ("POST", "/items", b'{"name": "kettle", "price": "30"}'),
    ("GET", "/items/1", None),
    ("GET", "/items/2", None),
    ("GET", "/items/3", None),                        # 404, with a JSON detail
    ("GET", "/items/x", None),                        # 422: not an int
    ("GET", "/items/%31", None),                      # an escaped path part: item 1
    ("GET", "/items?limit=1", None),
    ("GET", "/items?limit=many", None),               # 422: a bad query parameter
    ("POST", "/items", b'{"name": "x", "price": [1]}'),   # 422 from the handler
    ("POST", "/items", b'{"name": '),                  # 400: bad JSON, with the parser's message
    ("POST", "/items", b'\xff\xfe'),                   # 400: not even UTF-8
    ("PUT", "/items/1", b"{}"),                        # 405, with Allow
    ("OPTIONS", "/items/1", None),                     # 204, with Allow
    ("GET", "/nowhere", None),                         # 404
    ("GET", "/crash", None),                           # 500: the handler raised; the server goes on
    ("DELETE", "/items/1", None),                      # 204
    ("DELETE", "/items/1", None),                      # 404
    ("GET", "/items", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing serves port {port}")


HOOKS = "tests/web/hooks.py"
HOOKS_SCRIPT = [
    ("GET", "/private/data", None, {}),                                          # 401 from the before hook
    ("GET", "/private/data", None, {"Authorization": "Token s3cret", "Cookie": "user=ann; x=1"}),
    ("POST", "/login", b"bob", {}),                                              # Set-Cookie
    ("GET", "/nowhere", None, {}),                                               # the app's own 404
    ("OPTIONS", "/login", None, {"Origin": "https://example.com", "Access-Control-Request-Method": "POST",
                                 "Access-Control-Request-Headers": "content-type"}),      # CORS preflight
    ("PUT", "/login", b"x", {}),                                                 # 405, hooks still run
    ("GET", "/big?size=300000", None, {"Authorization": "x"}),                  # past the kernel's buffer
]
FIELDS = ("Allow", "Set-Cookie", "X-Served-By", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
          "Access-Control-Allow-Headers", "Access-Control-Max-Age")


def start_cpython(service: str) -> tuple[int, subprocess.Popen[str]]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, service], cwd=ROOT, env={**os.environ, "PORT": str(port),
                                                                       "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until_serving(port)
    return port, proc


@pytest.fixture(scope="module")
def cpython() -> Iterator[dict[str, int]]:
    servers = {service: start_cpython(service) for service in (SERVICE, HOOKS)}
    try:
        yield {service: port for service, (port, _) in servers.items()}
    finally:
        for _, proc in servers.values():
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def booted() -> Iterator[tuple[int, Guest]]:
    port = free_port()
    with Guest(SERVICE, "-p", f"{port}:8080", cmdline=("PORT=8080",)) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        yield port, g


def exchange(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None,
             headers: dict[str, str] | None = None) -> tuple[int, str, object, dict[str, str]]:
    """What a client sees of an answer: status, media type, body (parsed when JSON) and the
    fields the framework sets (Date, Server and their order are the servers' own)."""
    conn.request(method, path, body=body, headers=headers or ({"Content-Type": "application/json"} if body else {}))
    r = conn.getresponse()
    data = r.read()
    media = (r.getheader("Content-Type") or "").split(";")[0]
    parsed: object = json.loads(data) if media == "application/json" else data.decode() if media.startswith("text/") \
        else data
    return r.status, media, parsed, {f: r.getheader(f) or "" for f in FIELDS if r.getheader(f)}


def run_script(port: int, script: list[tuple[str, str, bytes | None, dict[str, str]]]) -> list[object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        return [exchange(conn, m, p, b, h) for m, p, b, h in script]
    finally:
        conn.close()


@pytest.mark.booted
def test_the_same_answers_booted_and_under_cpython(cpython: dict[str, int], booted: tuple[int, Guest]) -> None:
    script = [(m, p, b, {}) for m, p, b in SCRIPT]
    want = run_script(cpython[SERVICE], script)
    got = run_script(booted[0], script)
    for (m, p, _, _), w, g in zip(script, want, got):
        assert g == w, f"{m} {p}: CPython answered {w}, the booted service {g}"
    statuses = [a[0] for a in want]             # the script does what it says (the reference itself)
    assert statuses == [200, 201, 201, 200, 200, 404, 422, 200, 200, 422, 422, 400, 400, 405, 204, 404, 500,
                        204, 404, 200]


@pytest.mark.booted
def test_hooks_cors_and_cookies_booted_and_under_cpython(cpython: dict[str, int]) -> None:
    port = free_port()
    with Guest(HOOKS, "-p", f"{port}:8080", cmdline=("PORT=8080",)) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        got = run_script(port, HOOKS_SCRIPT)
        # what the kernel cannot send (20 fields of 50 bytes: past its 512) is a 500, said on the console
        assert run_script(port, [("GET", "/many-fields", None, {})])[0][0] == 500      # type: ignore[index]
        g.wait_for(r"kaa\.web: GET /many-fields: the response's header fields exceed")
    want = run_script(cpython[HOOKS], HOOKS_SCRIPT)
    for (m, p, _, _), w, gt in zip(HOOKS_SCRIPT, want, got):
        assert gt == w, f"{m} {p}: CPython answered {w}, the booted service {gt}"
    assert [a[0] for a in want] == [401, 200, 200, 404, 204, 405, 200]      # type: ignore[index]


@pytest.mark.booted
def test_a_handler_that_raises_prints_its_traceback_and_the_server_goes_on(booted: tuple[int, Guest]) -> None:
    port, g = booted
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/crash")
    r = conn.getresponse()
    assert (r.status, json.loads(r.read())) == (500, {"detail": "Internal Server Error"})
    g.wait_for(r"^ZeroDivisionError: integer division or modulo by zero$")
    g.wait_for(r'File "examples/items.py", line \d+, in crash$')
    conn.request("GET", "/items")          # the same connection still works
    r = conn.getresponse()
    assert r.status == 200 and isinstance(json.loads(r.read()), list)


@pytest.mark.booted
def test_a_thousand_requests_on_one_keep_alive_connection(booted: tuple[int, Guest]) -> None:
    port, _ = booted
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.auto_open = 0                  # a closed connection is an error, not a silent reconnect
    conn.connect()
    conn.request("POST", "/items", body=b'{"name": "cup", "price": 4}')
    created = json.loads(conn.getresponse().read())
    for _ in range(1000):
        conn.request("GET", f"/items/{created['id']}")
        r = conn.getresponse()
        assert (r.status, json.loads(r.read())) == (200, created)
    conn.close()


@pytest.mark.booted
def test_garbage_gets_400_and_the_server_goes_on(booted: tuple[int, Guest]) -> None:
    port, _ = booted
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"\x00\x01 garbage\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 400 ")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/items")
    assert conn.getresponse().status == 200


def readme_service(tmp_path: Path) -> str:
    import re
    text = (ROOT / "README.md").read_text()
    block = re.search(r"\*\*Write a microservice\.\*\*.*?```python\n(.*?)```", text, re.S)
    assert block, "README lost its kaa.web example"
    prog = tmp_path / "service.py"
    prog.write_text(block.group(1).replace("app.run(port=8080)", 'app.run(port=int(os.environ["PORT"]))')
                    .replace("from dataclasses", "import os\nfrom dataclasses"))
    return str(prog)


@pytest.mark.booted
def test_the_readme_service_answers_as_under_cpython(tmp_path: Path) -> None:
    prog = readme_service(tmp_path)
    script = [("GET", "/items/1", None, {}), ("GET", "/items/2", None, {}), ("GET", "/items/x", None, {})]
    want, got = answers_both_ways(prog, script)
    assert got == want
    assert [a[0] for a in want] == [200, 404, 422]          # type: ignore[index]


def answers_both_ways(service: str, script: list[tuple[str, str, bytes | None, dict[str, str]]]
                      ) -> tuple[list[object], list[object]]:
    """The script's answers from `python3 service` (PORT set), then from it booted."""
    port, proc = start_cpython(service)
    try:
        want = run_script(port, script)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    port = free_port()
    with Guest(service, "-p", f"{port}:8080", cmdline=("PORT=8080",)) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        return want, run_script(port, script)


STATIC_SCRIPT = [("GET", path, None, {}) for path in (
    "/static/index.html", "/static/css/site.css", "/static/logo.png", "/static/data.bin", "/static/nothing.txt",
    "/static/css", "/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/css//site.css", "/api/ping")] + \
    [("HEAD", "/static/index.html", None, {}), ("POST", "/static/index.html", b"x", {})]


def make_site(root: Path) -> Path:
    site = root / "site"
    (site / "css").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Kaa</title><p>héllo</p>\n")
    (site / "css" / "site.css").write_text("p { color: teal }\n")
    (site / "logo.png").write_bytes(bytes(range(256)) * 4)
    (site / "data.bin").write_bytes(os.urandom(100_000))        # past the kernel's 64 KiB response buffer
    (root / "secret.txt").write_text("not to be served\n")
    return root


@pytest.mark.booted
def test_static_files_from_the_disk_as_under_cpython(tmp_path: Path) -> None:
    root = make_site(tmp_path / "disk")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests/web/static_site.py")], cwd=root,
                            env={**os.environ, "PORT": str(port), "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_serving(port)
        want = run_script(port, STATIC_SCRIPT)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    port = free_port()
    with Guest("tests/web/static_site.py", "-p", f"{port}:8080", "--disk", str(root), cmdline=("PORT=8080",)) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        got = run_script(port, STATIC_SCRIPT)
    for (m, p, _, _), w, gt in zip(STATIC_SCRIPT, want, got):
        assert gt == w, f"{m} {p}: CPython answered {str(w)[:300]}, the booted service {str(gt)[:300]}"
    assert [a[0] for a in want] == [200, 200, 200, 200, 404, 404, 404, 404, 404, 200, 200, 405]  # type: ignore[index]
    assert want[3][2] == (root / "site" / "data.bin").read_bytes()                                # type: ignore[index]


def test_a_host_build_of_a_web_service_says_it_needs_the_kernel(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "kaa", "build", SERVICE, "--target", "host", "-o", str(tmp_path / "x")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.startswith(f"{SERVICE}:1:1: error: this service needs the booted kernel"), r.stderr
    assert "note: boot it (kaa run), or run it under CPython" in r.stderr and "Traceback" not in r.stderr


KEPT = "tests/web/kept_request.py"
KEPT_SCRIPT = [("GET", "/kept", None, {}), ("POST", "/keep?x=1", b"four", {"X-Note": "hi"}),
               ("GET", "/kept", None, {}), ("GET", "/kept?y=2", None, {"X-Note": "later"})]


@pytest.mark.booted
def test_a_request_kept_past_its_answer_still_reads_as_under_cpython() -> None:
    """The booted Request fetches query, fields and body from the kernel on first use;
    one the service keeps is copied before the kernel's exchange goes."""
    want, got = answers_both_ways(KEPT, KEPT_SCRIPT)
    assert got == want
    assert [a[2] for a in want] == ["none\n", "kept\n", "POST /keep x=1 hi 1 4\n", "POST /keep x=1 hi 1 4\n"]


@pytest.mark.booted
def test_deeply_nested_json_bodies_get_the_same_answers_and_the_server_goes_on(
        cpython: dict[str, int], booted: tuple[int, Guest]) -> None:
    """A client's JSON nested 500 deep (parsed, refused as no item, freed: the guest's
    connection thread has 16 KiB of stack) and 5,000 deep (json.loads' RecursionError:
    a 500), then a plain request: the same answers as CPython's, the server still up.
    (Between the two, where CPython's recursion limit falls depends on its own stack.)"""
    script = [("POST", "/items", ("[" * d + "]" * d).encode(), {"Content-Type": "application/json"})
              for d in (500, 5000)] + [("GET", "/items/x", None, {})]
    want = run_script(cpython[SERVICE], script)
    got = run_script(booted[0], script)
    assert got == want, "\n".join(booted[1].lines[-40:])
    assert [a[0] for a in want] == [422, 500, 422]       # type: ignore[index]


@pytest.mark.booted
def test_a_handler_running_off_its_stack_is_a_symbolized_fault() -> None:
    """Recursion in service code is not caught as RecursionError (docs/language.md): it
    faults on the thread's guard page, and the report names the function and its line."""
    port = free_port()
    with Guest("tests/web/runaway.py", "-p", f"{port}:8080", expect_panic=True) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        assert run_script(port, [("GET", "/down/10", None, {})])[0][2] == "10\n"   # type: ignore[index]
        with pytest.raises(OSError):
            run_script(port, [("GET", "/down/1000000", None, {})])
        # (which line a frame's address maps to is gcc's: inlined helpers move them)
        g.wait_for(r"^fault: double fault .* in M_down \(tests/web/runaway\.py:\d+\)$", timeout=120)
        g.wait_for(r"stack overflow: rsp 0x[0-9a-f]+ ran into the unmapped page below it")
        g.wait_for(r"#1 0x[0-9a-f]+ in M_down \(tests/web/runaway\.py:\d+\)")
