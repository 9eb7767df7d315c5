"""The README's commands, run as a user runs them: `make hello` and `make run`.

`make test` (which runs this file) has already done the setup both targets depend
on, so here they only check that the tools are present and then boot the service.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kaa.bench.machine import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.booted


def make(*args: str, **kwargs) -> subprocess.Popen[str]:
    # A session of its own, so a Ctrl-C can go to make and everything under it.
    return subprocess.Popen(["make", "--no-print-directory", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, **kwargs)


def test_make_hello_greets_and_exits_0() -> None:
    proc = make("hello", "ARGS=from=make")
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    assert "Hello from Kaa\ncommand line: from=make\n" in out


def get_json(url: str, deadline: float) -> dict:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return json.load(r)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_make_run_serves_http_until_ctrl_c() -> None:
    port = free_port()
    proc = make("run", f"PORT={port}")
    try:
        answer = get_json(f"http://127.0.0.1:{port}/", time.monotonic() + 240)
        assert answer["message"] == "Hello from Kaa"
        assert answer["requests"] == 1
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert f"Serving http://127.0.0.1:{port}/" in out
    assert "http_hello: serving on port 80" in out
