"""Booted images end to end: the hello service, machine types, accelerators, stops.

These run `kaa run` as a user would and judge by the console and the exit status.
Under TCG here; the KVM test runs where /dev/kvm works (slowly under kvm_pvm).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kaa import vm

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.booted


def banner_and_rest(stdout: str) -> tuple[str, list[str]]:
    lines = stdout.splitlines()
    banner = next(i for i, ln in enumerate(lines) if ln.startswith("Kaa "))
    return lines[banner], lines[banner + 1:]


def test_hello_prints_greeting_and_command_line(kaa) -> None:
    r = kaa("run", "examples/hello.py", "--timeout", "60", "--", "port=8080", "name=kaa")
    assert r.returncode == 0, r.stderr
    banner, rest = banner_and_rest(r.stdout)
    assert banner.startswith("Kaa 0.") and " booted in " in banner
    assert rest == ["Hello from Kaa", "command line: port=8080 name=kaa"]


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_hello_boots_on_pc_machines(kaa, machine: str) -> None:
    r = kaa("run", "examples/hello.py", "--machine", machine, "--timeout", "60")
    assert r.returncode == 0, r.stderr
    assert banner_and_rest(r.stdout)[1] == ["Hello from Kaa", "command line: "]


@pytest.mark.parametrize("opt", ["0", "1", "3"])
def test_every_optimisation_level_boots(kaa, opt: str) -> None:
    r = kaa("run", "examples/hello.py", f"-O{opt}", "--debug", "--timeout", "60")
    assert r.returncode == 0, r.stderr
    assert "Hello from Kaa" in r.stdout


@pytest.mark.kvm
@pytest.mark.skipif(not vm._kvm_usable(), reason="no usable /dev/kvm")
def test_hello_under_kvm(kaa) -> None:
    r = kaa("run", "examples/hello.py", "--accel", "kvm", "--timeout", "120", "--", "kvm")
    assert r.returncode == 0, r.stderr
    assert banner_and_rest(r.stdout)[1] == ["Hello from Kaa", "command line: kvm"]


SPIN = """\
from kaa.lang import *


def main() -> i32:
    print("spinning")
    while True:
        pause()
"""


def test_timeout_stops_the_guest(kaa, tmp_path: Path) -> None:
    app = tmp_path / "spin.py"
    app.write_text(SPIN)
    r = kaa("run", str(app), "--timeout", "3")
    assert r.returncode == vm.TIMEOUT
    assert "spinning" in r.stdout
    assert "timeout after 3 s" in r.stderr


def qemu_processes() -> set[str]:
    r = subprocess.run(["pgrep", "-f", "qemu-system-x86_64"], capture_output=True, text=True)
    return set(r.stdout.split())


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    app = tmp_path / "spin.py"
    app.write_text(SPIN)
    before = qemu_processes()
    proc = subprocess.Popen([sys.executable, "-m", "kaa", "run", str(app), "--timeout", "60"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:             # wait until the guest runs
        if "spinning" in line:
            break
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == vm.INTERRUPTED
    time.sleep(0.2)
    assert qemu_processes() <= before, "a QEMU outlived kaa run"


def test_guest_status_is_the_exit_status(kaa, tmp_path: Path) -> None:
    app = tmp_path / "status.py"
    app.write_text("from kaa.lang import *\n\n\ndef main() -> i32:\n    return 42\n")
    assert kaa("run", str(app), "--timeout", "60").returncode == 42


def test_panic_names_the_source_line(kaa, tmp_path: Path) -> None:
    app = tmp_path / "boom.py"
    app.write_text("from kaa.lang import *\n\n\ndef main() -> i32:\n    panic(f\"bad value {7:#x}\")\n"
                   "    return 0\n")
    r = kaa("run", str(app), "--timeout", "60")
    assert r.returncode == 101
    assert "panic: bad value 0x7 (" in r.stdout and "boom.py:5)" in r.stdout
