"""Kernel limits: the page allocator loses nothing, all RAM is used (above 4 GiB too),
every CPU up to the kernel's cap runs and the boot says when ACPI lists more, netstat
prints the memory counters, and the network's API panics clearly from another CPU.

The allocator runs on the host under hypothesis (tests/host/pages_ops.py); the rest
boots programs of tests/kernel/ (each checks itself and prints what it found) and
judges the console. Under TCG: large --memory costs nothing until the guest touches it.
"""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from guest import Guest, fail_on_crash, run_to_exit
from kaa import build as kbuild
from kaa.bench.machine import free_port

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = "120"
CPU_CAP = 16                        # kernel/arch/x86_64/gdt.py MAX_CPUS


# ---- the page allocator, on the host ----------------------------------------------

@pytest.fixture(scope="module")
def pages_ops(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "pages_ops.py", tmp_path_factory.mktemp("pages") / "pages_ops",
                        target="host", debug=True)


def run_ops(binary: Path, ops: list[str]) -> list[str]:
    return subprocess.run([str(binary), *ops], capture_output=True, text=True, timeout=60, check=True).stdout.splitlines()


ALL_WELL = ["live True", "overlaps 0 corrupted 0 misaligned 0 lost 0", "all free True merged True failed True"]


@st.composite
def operations(draw: st.DrawFn) -> list[str]:
    """Allocations of 1 to 600 pages (the arenas hold about 1,300: some fail), frees
    of whole runs or of their two halves, in any order."""
    ops: list[str] = []
    live: list[int] = []
    slot = 0
    for _ in range(draw(st.integers(1, 400))):
        if live and draw(st.booleans()):
            victim = live.pop(draw(st.integers(0, len(live) - 1)))
            ops.append(f"{draw(st.sampled_from('-/'))}{victim}")
        else:
            ops.append(f"+{draw(st.one_of(st.integers(1, 9), st.integers(1, 600)))}")
            live.append(slot)
            slot += 1
    return ops


@settings(max_examples=60, deadline=None)
@given(operations())
def test_pages_are_disjoint_aligned_and_merge_back(pages_ops: Path, ops: list[str]) -> None:
    assert run_ops(pages_ops, ops) == ALL_WELL


def test_a_thousand_scattered_free_runs_merge_back(pages_ops: Path) -> None:
    """1,000 single pages, every other one freed while its neighbours stay: 500 free
    runs at once, then the rest freed from the top down."""
    ops = ["+1"] * 1000 + [f"-{i}" for i in range(0, 1000, 2)] + [f"-{i}" for i in range(999, 0, -2)]
    assert run_ops(pages_ops, ops) == ALL_WELL


# ---- booted ----------------------------------------------------------------------

def console(kaa, program: str, *args: str, cmdline: tuple[str, ...] = (),
            expect_panic: bool = False) -> tuple[int, list[str]]:
    """Boot program and wait for it to end: its status and whole console."""
    r = kaa("run", program, "--timeout", TIMEOUT, *args, *(("--", *cmdline) if cmdline else ()))
    lines = r.stdout.splitlines()
    if not expect_panic:
        fail_on_crash(lines)
    return r.returncode, lines


def banner(lines: list[str]) -> tuple[int, int]:
    """The boot line's CPUs and free MiB."""
    m = next(m for ln in lines if (m := re.match(r"Kaa \S+: booted in \d+ us, (\d+) CPUs?, (\d+) MiB free$", ln)))
    return int(m.group(1)), int(m.group(2))


@pytest.mark.booted
def test_fragmented_frees_lose_nothing(kaa) -> None:
    status, out = run_to_exit(kaa, "tests/kernel/page_frees.py", "--net", "none", timeout=TIMEOUT)
    assert status == 0, out
    assert out == ["taken exactly: True", "half freed, every free counted: True", "corrupted 0 lost 0 failed 0",
                   "all back: True", "16 MiB from the same address: True"]


@pytest.mark.booted
def test_ram_above_4_gib_is_mapped_and_used(kaa) -> None:
    """microvm puts RAM past 3 GiB above 4 GiB: the guest uses it to the last page."""
    status, lines = console(kaa, "tests/kernel/high_memory.py", "--memory", "6144", "--net", "none")
    assert status == 0, lines
    assert banner(lines)[1] >= 6144 - 4, lines           # the first MiB, the image, bitmaps: about 2 MiB
    assert not [ln for ln in lines if ln.startswith("memory:")], lines
    after = lines[lines.index(next(ln for ln in lines if ln.startswith("Kaa "))) + 1:]
    assert after[0] == "every run read back: True; runs above 4 GiB: True; top of RAM reached: True", after
    assert after[1] == "free left: 0 bytes"
    assert after[2:] == ["thread stack above 4 GiB with its guard unmapped: True", "pages not back: 1"]


@pytest.mark.booted
@pytest.mark.parametrize("machine,nic", [("microvm", "virtio"), ("q35", "e1000")])
def test_network_with_its_buffers_above_4_gib(machine: str, nic: str) -> None:
    """Rings and packets above 4 GiB: the devices get every address bit."""
    port = free_port(socket.SOCK_DGRAM)
    with Guest("tests/kernel/net_high_memory.py", "--memory", "5120", "--machine", machine, "--nic", nic,
               "-p", f"{port}:5555/udp", cmdline=("count=3",)) as g:
        g.wait_for(r"socket above 4 GiB: True")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(30)
            for i in range(3):
                payload = bytes([i]) * 1400
                s.sendto(payload, ("127.0.0.1", port))
                assert s.recv(2048) == payload
        assert g.proc.wait(timeout=60) == 0, g.lines          # main returned after the third


@pytest.mark.booted
def test_q35_ram_above_4_gib_counts_as_free(kaa) -> None:
    """q35 keeps 2 GiB below 4 GiB when there is more: the other 3 GiB lie above."""
    status, lines = console(kaa, "examples/hello.py", "--machine", "q35", "--memory", "5120", "--net", "none")
    assert status == 0 and "Hello from Kaa" in lines, lines
    assert banner(lines)[1] >= 5120 - 4, lines


@pytest.mark.booted
def test_cpus_past_the_cap_are_reported_and_the_rest_run_threads(kaa) -> None:
    status, lines = console(kaa, "tests/kernel/smp.py", "--smp", "20", "--net", "none")
    assert status == 0, lines
    assert f"smp: ACPI lists 20 CPUs; this kernel runs at most {CPU_CAP}: {20 - CPU_CAP} not used" in lines, lines
    assert banner(lines)[0] == CPU_CAP
    start = lines.index(f"cpus {CPU_CAP}")
    assert lines[start + 1:] == [f"thread for cpu {c} ran on cpu {c}" for c in range(CPU_CAP)]


@pytest.mark.booted
def test_network_works_with_more_cpus_than_the_cap() -> None:
    """The I/O APIC is listed after the processors: it must be found however many there are."""
    port = free_port(socket.SOCK_DGRAM)
    with Guest("examples/udp_echo.py", "--smp", "20", "-p", f"{port}:5555/udp") as g:
        g.wait_for(r"udp echo: listening")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(30)
            s.sendto(b"ping", ("127.0.0.1", port))
            assert s.recv(64) == b"ping"
    assert banner(g.lines)[0] == CPU_CAP


@pytest.mark.booted
def test_netstat_prints_the_memory_counters(kaa) -> None:
    status, lines = console(kaa, "tests/kernel/memory_counters.py", cmdline=("netstat",))
    assert status == 0, lines
    assert "8 GiB of pages: 0; 4 GiB from the heap: True" in lines
    rows = lines[lines.index("memory:") + 1:]
    c = {m.group(1): int(m.group(2)) for ln in rows if (m := re.match(r"\s+(\w+)\s+(\d+)$", ln))}
    assert 127 * 1024 <= c["ram_kib"] <= 128 * 1024, c
    assert 100 * 1024 <= c["pages_free_kib"] < (banner(lines)[1] + 1) * 1024, c
    assert c["pages_failed"] == 2 and c["heap_failed"] == 1, c      # the heap's 4 GiB asked the pages too
    assert c["pages_lost_kib"] == 0 and c["packet_pool_empty"] == 0, c
    assert 0 < c["heap_in_use_kib"] < 1024, c


@pytest.mark.booted
def test_the_network_from_another_cpu_panics_clearly(kaa) -> None:
    status, lines = console(kaa, "tests/kernel/net_other_cpu.py", "--smp", "2", expect_panic=True)
    assert status == 101, lines
    assert "bound on cpu 0: True" in lines and "calling net.udp_send on cpu 1" in lines, lines
    assert any(re.fullmatch(r"panic: net: called from CPU 1; the network runs on CPU 0 \(kernel/net/net\.py:\d+\)", ln)
               for ln in lines), lines
    assert any(re.search(r"#\d+ 0x[0-9a-f]+ in udp_send \(kernel/net/net\.py:\d+\)", ln) for ln in lines), lines
    assert "never printed" not in lines
