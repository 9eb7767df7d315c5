"""The RealWorld ("Conduit") backend (examples/realworld/) judged by the spec's own Postman
collection (tests/data/realworld/, MIT, from github.com/gothinkster/realworld), run by
newman from the npm registry against the booted guest, as the spec's run-api-tests.sh
runs it. Skipped, saying why, only where npm cannot fetch newman."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from guest import Guest

ROOT = Path(__file__).resolve().parent.parent
APP = "examples/realworld/app.py"
COLLECTION = ROOT / "tests" / "data" / "realworld" / "Conduit.postman_collection.json"
NEWMAN = "newman@6.2.2"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def newman() -> list[str]:
    """The command that runs newman, fetched once by npx (npm's cache keeps it)."""
    if shutil.which("npx") is None:
        pytest.skip("npx is not installed (Debian: apt-get install npm)")
    cmd = ["npx", "--yes", NEWMAN]
    r = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        pytest.skip(f"npm could not fetch {NEWMAN}: {(r.stderr or r.stdout).strip()[-300:]}")
    return cmd


def run_collection(newman: list[str], port: int, user: str, tmp_path: Path) -> dict:
    """newman's JSON report of one run of the collection against the guest on port."""
    report = tmp_path / f"newman-{user}.json"
    r = subprocess.run([*newman, "run", str(COLLECTION), "--global-var", f"APIURL=http://127.0.0.1:{port}/api",
                        "--global-var", f"USERNAME={user}", "--global-var", f"EMAIL={user}@mail.com",
                        "--global-var", "PASSWORD=password", "--reporters", "cli,json",
                        "--reporter-json-export", str(report)],
                       capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1"})
    assert report.exists(), r.stdout[-3000:] + r.stderr[-3000:]
    run = json.loads(report.read_text())["run"]
    failures = [f"{f['source']['name']}: {f['error']['message']}" for f in run["failures"]]
    assert not failures and r.returncode == 0, "\n".join(failures) + "\n" + r.stdout[-3000:]
    return run["stats"]


@pytest.mark.booted
def test_the_postman_collection_passes_against_the_booted_backend(newman: list[str], tmp_path: Path) -> None:
    port = free_port()
    with Guest(APP, "-p", f"{port}:8080", cmdline=("PORT=8080",)) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        stats = run_collection(newman, port, "kaa", tmp_path)
        again = run_collection(newman, port, "kaa2", tmp_path)     # a second user on the same data
    assert stats["assertions"]["total"] >= 300 and stats["assertions"]["failed"] == 0
    assert stats["requests"]["total"] == again["requests"]["total"] == 32
    assert not any(line.startswith(("panic", "fault")) for line in g.lines), "\n".join(g.lines[-30:])


def call(port: int, method: str, path: str, body: object = None, token: str = "") -> tuple[int, dict]:
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, json.loads(data) if data else {}


@pytest.mark.booted
def test_the_data_survives_a_reboot_on_the_same_disk(newman: list[str], tmp_path: Path) -> None:
    """Every acknowledged write is on the disk: after the collection and a few writes of
    our own, the guest is stopped without warning (QEMU killed), e2fsck finds the image
    clean, and a new guest on it answers with the same data."""
    from kaa import disk
    folder = tmp_path / "empty"
    folder.mkdir()
    image = tmp_path / "conduit.img"
    port = free_port()
    args = ("-p", f"{port}:8080")
    with Guest(APP, *args, "--disk", str(folder), "--disk-out", str(image),
               cmdline=("PORT=8080", "DATA=/conduit.json")) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        run_collection(newman, port, "kaa", tmp_path)
        status, me = call(port, "POST", "/api/users/login", {"user": {"email": "kaa@mail.com", "password": "password"}})
        assert status == 200, me
        token = me["user"]["token"]
        status, made = call(port, "POST", "/api/articles", {"article": {"title": "Kept on ext2", "description": "d",
                                                                          "body": "b", "tagList": ["disk"]}}, token)
        assert status == 201, made
        before = call(port, "GET", "/api/articles?author=kaa")
        g.proc.kill()                        # no clean shutdown: what was acknowledged must already be there
        g.proc.wait()
    clean, report = disk.check(image)
    assert clean, report
    port = free_port()
    with Guest(APP, "-p", f"{port}:8080", "--disk", str(image), cmdline=("PORT=8080", "DATA=/conduit.json")) as g:
        g.wait_for(r"kaa\.web: serving on port 8080", timeout=120)
        assert call(port, "GET", "/api/articles?author=kaa") == before
        status, again = call(port, "POST", "/api/users/login", {"user": {"email": "kaa@mail.com",
                                                                          "password": "password"}})
        assert status == 200 and again["user"]["username"] == "kaa"
        assert call(port, "GET", "/api/tags") == (200, {"tags": ["disk"]})
        assert call(port, "GET", "/api/profiles/celeb_kaa")[0] == 200
