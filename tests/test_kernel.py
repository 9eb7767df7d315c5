"""The kernel core, booted: faults, threads, SMP, heap, out of memory, minimum memory.

Programs live in tests/kernel/; each checks itself and prints what it found, and these
tests judge the console and the exit status. Timing tolerances are generous: these
run under TCG on a machine that may be busy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guest import run_to_exit

pytestmark = pytest.mark.booted
TIMEOUT = "120"


def boot(kaa, program: str, *args: str, cmdline: tuple[str, ...] = (), expect_panic: bool = False) -> tuple[int, list[str]]:
    return run_to_exit(kaa, f"tests/kernel/{program}", *args, cmdline=cmdline, timeout=TIMEOUT,
                       expect_panic=expect_panic)


def test_panic_prints_a_backtrace(kaa, tmp_path: Path) -> None:
    app = tmp_path / "bad.py"
    app.write_text("from kaa.lang import *\n\n\n@noinline\ndef check(n: i32) -> None:\n"
                   "    assert n < 3, \"n too big\"\n\n\ndef main() -> i32:\n    check(5)\n    return 0\n")
    r = kaa("run", str(app), "--timeout", TIMEOUT)
    assert r.returncode == 101
    assert "panic: n too big (" in r.stdout and "bad.py:6)" in r.stdout
    assert re.search(r"#\d+ 0x[0-9a-f]+ in check \(.*bad\.py:6\)", r.stdout), r.stdout


def test_threads_yield_join_and_sleep(kaa) -> None:
    status, out = boot(kaa, "threads_basic.py")
    assert status == 0
    assert out[:7] == [f"worker {w} step {s}" for s in range(3) for w in (1, 2)] + ["joined 10 20"]
    assert out[7:] == ["slept 10 ms", "slept 20 ms", "slept 30 ms", "slept long enough: True"]


def test_wait_with_timeout(kaa) -> None:
    status, out = boot(kaa, "timed_wait.py")
    assert status == 0
    assert out == ["nobody wakes: woken False after >= 20 ms: True", "woken early: True before the timeout: True",
                   "still fine"]


def test_thousand_sleepers_wake_in_order(kaa) -> None:
    status, out = boot(kaa, "sleepers.py")
    assert status == 0
    assert out == ["woken 1000 early 0 out of order 0", "latest wake within tolerance: True"]


def test_pingpong_through_wait_queues(kaa) -> None:
    status, out = boot(kaa, "pingpong.py")
    assert status == 0
    assert out[0] == "round trips 100000 ponger on cpu 0 main on cpu 0"


def test_pingpong_across_cpus(kaa) -> None:
    status, out = boot(kaa, "pingpong.py", "--smp", "2", cmdline=("cross=1",))
    assert status == 0
    assert out[0] == "round trips 100000 ponger on cpu 1 main on cpu 0"


@pytest.mark.parametrize("cpus", [2, 4])
def test_threads_run_on_the_cpu_asked_for(kaa, cpus: int) -> None:
    status, out = boot(kaa, "smp.py", "--smp", str(cpus))
    assert status == 0
    assert out == [f"cpus {cpus}"] + [f"thread for cpu {c} ran on cpu {c}" for c in range(cpus)]


def test_heap_stress(kaa) -> None:
    status, out = boot(kaa, "heap_stress.py")
    assert status == 0
    assert out == ["corrupted bytes: 0", "in use after freeing all: 0", "second pass took no more pages: True"]


def test_out_of_memory_panics(kaa) -> None:
    status, out = boot(kaa, "oom.py", "--memory", "16", expect_panic=True)
    assert status == 101
    assert any(ln.startswith("panic: out of memory (tests/kernel/oom.py:") for ln in out), out
    assert "never printed" not in out


def test_minimum_memory(kaa, tmp_path: Path) -> None:
    """Bisect the least --memory (MiB) hello boots and runs in; print it for the README.

    Then tests/kernel/memory_report.py, booted in that much, must report figures that
    agree with it and with the image."""
    def boots(mib: int) -> bool:
        r = kaa("run", "examples/hello.py", "--memory", str(mib), "--timeout", "30")
        return r.returncode == 0 and "Hello from Kaa" in r.stdout

    low, high = 1, 32
    assert boots(high)
    while high - low > 1:
        mid = (low + high) // 2
        if boots(mid):
            high = mid
        else:
            low = mid
    print(f"\nhello boots in --memory {high} (MiB) and not in {low}")
    assert high <= 8
    check_memory_report(kaa, tmp_path, high)


def check_memory_report(kaa, tmp_path: Path, mib: int) -> None:
    """tests/kernel/memory_report.py booted in --memory mib: its figures add up to mib."""
    from elftools.elf.elffile import ELFFile

    status, out = boot(kaa, "memory_report.py", "--memory", str(mib))
    assert status == 0, out
    print(out[0])
    m = re.fullmatch(r"memory: RAM (\d+) KiB, free (\d+) KiB \((\d+) pages\), kernel image (\d+) KiB "
                     r"at 0x100000, heap in use \d+ bytes", out[0])
    assert m, out
    ram, free, free_pages, image = (int(g) for g in m.groups())
    image_path = tmp_path / "memory_report.elf"
    r = kaa("build", "tests/kernel/memory_report.py", "-o", str(image_path))
    assert r.returncode == 0, r.stderr
    with image_path.open("rb") as f:
        symbols = ELFFile(f).get_section_by_name(".symtab")
        elf_image = symbols.get_symbol_by_name("__kernel_end")[0]["st_value"] - 0x100000
    assert image == elf_image >> 10
    # The memory map leaves out only the legacy hole below 1 MiB (640 KiB..1 MiB and a
    # little BIOS area): the rest of --memory is RAM.
    assert mib * 1024 - 400 <= ram <= mib * 1024
    assert free == free_pages * 4
    # Free is what lies above the first MiB and the image, less a few page-table pages.
    assert mib * 1024 - 1024 - image - 64 <= free <= mib * 1024 - 1024 - image
