"""A service calls kernel-level modules (kaa/service/kernel_calls.py): kernel.cmdline
for its options, kernel.threads for time and sleep. Integers, bools and Str cross the
boundary both ways; a kernel function a service cannot call is a compile error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from guest import after_banner

ROOT = Path(__file__).resolve().parent.parent

SERVICE = '''import kernel.cmdline as cmdline
import kernel.threads as threads

start = threads.now_ns()
name = cmdline.get("name")
port = cmdline.int_value("port", 8080)
print(f"hello {name or 'nobody'} on port {port + 1 - 1}, verbose={cmdline.has('verbose')}")
threads.sleep_ns(2_000_000)
waited = threads.now_ns() - start
print("slept" if waited >= 2_000_000 else f"woke early: {waited}", threads.cpu_id())
'''


@pytest.mark.booted
def test_a_service_reads_its_options_and_sleeps(tmp_path: Path) -> None:
    prog = tmp_path / "options.py"
    prog.write_text(SERVICE)
    r = subprocess.run([sys.executable, "-m", "kaa", "run", str(prog), "--timeout", "60", "--",
                        "name=kaa", "port=81", "verbose"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    assert after_banner(r.stdout, r.stderr) == ["hello kaa on port 81, verbose=True", "slept 0"]


def test_options_on_the_host(tmp_path: Path) -> None:
    prog = tmp_path / "opts.py"
    prog.write_text('import kernel.cmdline as cmdline\n'
                    'print(cmdline.get("name").upper(), cmdline.int_value("n", -1) * 2, cmdline.has("x"))\n')
    exe = tmp_path / "opts"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([str(exe), "name=héllo", "n=21"], capture_output=True, text=True, timeout=30)
    assert (r.returncode, r.stdout) == (0, "HÉLLO 42 False\n")


def test_an_int_out_of_range_for_the_kernel_raises(tmp_path: Path) -> None:
    prog = tmp_path / "big.py"
    prog.write_text('import kernel.cmdline as cmdline\n'
                    'try:\n    cmdline.int_value("n", 2 ** 70)\n'
                    'except OverflowError as e:\n    print("OverflowError:", e)\n')
    exe = tmp_path / "big"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    assert r.stdout == "OverflowError: int out of range for i64\n"


def test_a_kernel_function_taking_a_pointer_is_a_compile_error(tmp_path: Path) -> None:
    prog = tmp_path / "ptr.py"
    prog.write_text('import kernel.threads as threads\nthreads.join(0)\n')
    r = subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o",
                        str(tmp_path / "ptr")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1
    assert f"{prog}:2:14: error: parameter" in r.stderr and "which a service cannot pass" in r.stderr
    assert "note:" in r.stderr and "Traceback" not in r.stderr


def test_bytes_cross_to_the_kernel_and_back(tmp_path: Path) -> None:
    """kernel.lib.crc32.update(crc: u32, data: Bytes) -> u32, against zlib's CRC-32."""
    import zlib
    prog = tmp_path / "crc.py"
    prog.write_text('import kernel.lib.crc32 as crc32\n'
                    'for data in (b"", b"a", b"The quick brown fox", bytes(range(256)) * 3):\n'
                    '    print(crc32.update(0, data), crc32.update(crc32.update(0, data[:7]), data[7:]))\n')
    exe = tmp_path / "crc"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    expected = [f"{zlib.crc32(d)} {zlib.crc32(d)}" for d in (b"", b"a", b"The quick brown fox", bytes(range(256)) * 3)]
    assert r.stdout.splitlines() == expected
