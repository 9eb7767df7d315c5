"""Fault reports, booted: whole console lines across CPUs, the CPU in the report, a
backtrace that cannot fault or loop, a fault during a report, stack overflow, the
caller of a frameless (leaf) function, and symbolized addresses outside the frames.

Each program is written to tmp_path and run with `kaa run`, which symbolizes the console.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guest import run_to_exit

pytestmark = pytest.mark.booted
TIMEOUT = "120"
PANIC_STATUS = 101
FAULT_LINE = re.compile(r"^fault: ")

DIGITS = "0123456789" * 13       # a line longer than print's 128-byte buffer: it goes out in pieces

# Writing through a null Ptr[Node] page-faults (FAULT_ON_CPU1 and LEAF).
STORE_THROUGH = """\
@struct
class Node:
    value: i32
    next: Ptr[Node]


@noinline
def store_through(n: Ptr[Node]) -> None:
    n.value = 7
"""

NULL_WRITE = f"""\
from kaa.lang import *


{STORE_THROUGH}

def main() -> i32:
    head = Node(value=1)
    store_through(head.next)
    return 0
"""


def test_null_write_reports_a_symbolized_backtrace(kaa, tmp_path: Path) -> None:
    app = tmp_path / "null_write.py"
    app.write_text(NULL_WRITE)
    r = kaa("run", str(app), "--timeout", TIMEOUT)
    assert r.returncode == PANIC_STATUS, r.stdout + r.stderr
    out = r.stdout
    assert "fault: page fault (vector 14" in out
    assert re.search(r"cr2 0x0+ \(write, page not present\)", out)
    frame0 = next(ln for ln in out.splitlines() if ln.strip().startswith("#0 "))
    assert re.search(r"in store_through \(.*null_write\.py:12\)", frame0), out
    assert re.search(r"#\d+ 0x[0-9a-f]+ in kaa_start \(kernel/arch/x86_64/start\.py:\d+\)", out), out


CHATTER = f"""\
from kaa.lang import *
import kernel.threads as threads


def chatter(arg: u64) -> i64:
    me = threads.cpu_id()
    for i in range(300):
        print(f"cpu {{me}} line {{i:03}} {DIGITS} end")
    return 0


def main() -> i32:
    t = threads.spawn(chatter, 0, 1)
    chatter(0)
    threads.join(t)
    return 0
"""

FAULT_ON_CPU1 = f"""\
from kaa.lang import *
import kernel.threads as threads


{STORE_THROUGH}

printed: i32 = 0


@noinline
def worker(arg: u64) -> i64:
    while atomic_load(addr(printed)) < 100:     # fault while CPU 0 is busy printing
        pause()
    store_through(cast(Ptr[Node], arg))
    return 0


def main() -> i32:
    threads.spawn(worker, 0, 1)
    for i in range(100000):
        print(f"cpu 0 line {{i:06}} {DIGITS} end")
        atomic_store(addr(printed), i32(i))
    return 0
"""

LEAF = f"""\
from kaa.lang import *


{STORE_THROUGH}

@noinline
def worker(n: Ptr[Node]) -> i32:
    store_through(n)
    return 3


def main() -> i32:
    head = Node(value=1)
    worker(head.next)
    return 0
"""


def calls_asm(function: str, instructions: str) -> str:
    """A program whose main calls function, which runs instructions (on line 6)."""
    return f"""\
from kaa.lang import *


@noinline
def {function}() -> None:
    asm("{instructions}", clobbers=["memory"])


def main() -> i32:
    {function}()
    return 0
"""


BAD_FRAME_POINTER = calls_asm("crash", "movq $0x200000000, %%rbp; ud2")

# A page whose table entry has a reserved bit set looks mapped, but reading it faults:
# the report's backtrace walks into it, which faults during the report.
POISONED_FRAME = """\
from kaa.lang import *
import kernel.arch.x86_64.paging as paging

POISONED: Final = 0x10000


def main() -> i32:
    pd = paging.table(paging.table(paging.table(read_cr3())[0])[0])
    pt = paging.table(pd[0])
    pt[POISONED >> 12] |= u64(1) << 51
    write_cr3(read_cr3())
    asm("movq $0x10000, %%rbp; ud2", clobbers=["memory"])
    return 0
"""

# RSP at the top of page 1: the push writes into page 0 (unmapped), the CPU cannot
# push the page fault's frame there either, so it becomes a double fault (IST stack).
STACK_OVERFLOW = calls_asm("overflow", "movq $0x1000, %%rsp; pushq %%rax")

PANIC_IN_HANDLER = """\
from kaa.lang import *
import kernel.arch.x86_64.traps as traps


def handler(f: Ptr[traps.TrapFrame]) -> None:
    panic("handler ran")


def main() -> i32:
    traps.register(200, handler)
    asm("int $200")
    return 0
"""


def run(kaa, tmp_path: Path, name: str, source: str, *args: str, expect_panic: bool = False) -> tuple[int, list[str]]:
    app = tmp_path / f"{name}.py"
    app.write_text(source)
    return run_to_exit(kaa, str(app), *args, timeout=TIMEOUT, expect_panic=expect_panic)


def line_of(source: str, text: str) -> int:
    return next(i for i, ln in enumerate(source.splitlines(), 1) if ln.strip() == text)


def frames(out: list[str]) -> list[str]:
    """The frame lines of the (first) backtrace, without their indentation."""
    start = out.index("backtrace:")
    rest = out[start + 1:]
    end = next((i for i, ln in enumerate(rest) if not ln.startswith("  #")), len(rest))
    return [ln.strip() for ln in rest[:end]]


def test_lines_from_two_cpus_arrive_whole(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "chatter", CHATTER, "--smp", "2")
    assert status == 0
    whole = re.compile(rf"cpu ([01]) line (\d{{3}}) {DIGITS} end")
    broken = [ln for ln in out if not whole.fullmatch(ln)]
    assert broken == [], f"{len(broken)} of {len(out)} lines broken, e.g. {broken[:3]}"
    for c in "01":
        assert [int(m[2]) for ln in out if (m := whole.fullmatch(ln)) and m[1] == c] == list(range(300))


def test_fault_on_cpu_1_names_it_and_keeps_the_console(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "fault_cpu1", FAULT_ON_CPU1, "--smp", "2", expect_panic=True)
    assert status == PANIC_STATUS, out[-20:]
    first = next(i for i, ln in enumerate(out) if FAULT_LINE.match(ln))
    store, call = line_of(FAULT_ON_CPU1, "n.value = 7"), line_of(FAULT_ON_CPU1, "store_through(cast(Ptr[Node], arg))")
    assert re.fullmatch(r"fault: page fault \(vector 14, error 0x2\) on cpu 1 at rip 0x[0-9a-f]{16}"
                        rf" in store_through \(.*fault_cpu1\.py:{store}\)", out[first]), out[first]
    chatter = re.compile(rf"cpu 0 line \d{{6}} {DIGITS} end")
    assert all(chatter.fullmatch(ln) for ln in out[:first]), [ln for ln in out[:first] if not chatter.fullmatch(ln)]
    # CPU 0 kept printing; none of it cuts into the report, which runs to the end.
    report = out[first:]
    assert not any("cpu 0 line" in ln for ln in report), report
    assert re.match(r"#0 0x[0-9a-f]+ in store_through ", frames(report)[0])
    assert re.match(rf"#1 0x[0-9a-f]+ in worker \(.*fault_cpu1\.py:{call}\)", frames(report)[1]), report


PANIC_ON_CPU1 = """\
from kaa.lang import *
import kernel.threads as threads


@noinline
def worker(arg: u64) -> i64:
    assert arg == 7, "wrong argument"
    return 0


def main() -> i32:
    threads.join(threads.spawn(worker, 3, 1))
    return 0
"""


def test_panic_on_cpu_1_names_it(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "panic_cpu1", PANIC_ON_CPU1, "--smp", "2", expect_panic=True)
    assert status == PANIC_STATUS
    at = next(i for i, ln in enumerate(out) if re.fullmatch(r"panic: wrong argument \(.*panic_cpu1\.py:7\)", ln))
    assert out[at + 1] == "  on cpu 1", out
    assert re.match(r"#0 0x[0-9a-f]+ in worker \(.*panic_cpu1\.py:7\)", frames(out)[0]), out


def test_leaf_fault_names_its_caller(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "leaf", LEAF, expect_panic=True)
    assert status == PANIC_STATUS
    store, call, outer = (line_of(LEAF, t) for t in ("n.value = 7", "store_through(n)", "worker(head.next)"))
    assert re.fullmatch(r"fault: page fault \(vector 14, error 0x2\) on cpu 0 at rip 0x[0-9a-f]{16}"
                        rf" in store_through \(.*leaf\.py:{store}\)", out[0]), out
    got = frames(out)
    assert re.fullmatch(rf"#0 0x[0-9a-f]+ in store_through \(.*leaf\.py:{store}\)", got[0]), got
    assert re.fullmatch(rf"#1 0x[0-9a-f]+ in worker \(.*leaf\.py:{call}\)", got[1]), got
    assert re.fullmatch(rf"#2 0x[0-9a-f]+ in main \(.*leaf\.py:{outer}\)", got[2]), got
    assert re.fullmatch(r"#3 0x[0-9a-f]+ in kaa_start \(kernel/arch/x86_64/start\.py:\d+\)", got[3]), got


def test_bad_frame_pointer_ends_the_backtrace(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "bad_rbp", BAD_FRAME_POINTER, expect_panic=True)
    assert status == PANIC_STATUS
    assert [ln for ln in out if FAULT_LINE.match(ln)] == [out[0]], out
    assert out[0].startswith("fault: invalid opcode (vector 6, error 0x0) on cpu 0 at rip ")
    got = frames(out)
    assert re.match(r"#0 0x[0-9a-f]+ in crash ", got[0]), got
    assert re.match(r"#1 0x[0-9a-f]+ in main ", got[1]), got      # from the stack words: rbp is garbage
    assert len(got) == 2, got


def test_fault_during_a_report_prints_one_line(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "poisoned", POISONED_FRAME, expect_panic=True)
    assert status == PANIC_STATUS
    faults = [ln for ln in out if FAULT_LINE.match(ln)]
    assert len(faults) == 2, out
    assert faults[0].startswith("fault: invalid opcode (vector 6, error 0x0) on cpu 0 at rip ")
    assert re.fullmatch(r"fault: page fault \(vector 14\) on cpu 0 at rip 0x[0-9a-f]{16} in \S+ \(kernel/arch/"
                        r"x86_64/traps\.py:\d+\) while reporting: stopped", faults[1]), faults[1]
    assert out[-1] == faults[1]


def test_stack_overflow_is_reported(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "overflow", STACK_OVERFLOW, expect_panic=True)
    assert status == PANIC_STATUS
    assert out[0].startswith("fault: double fault (vector 8, error 0x0) on cpu 0 at rip "), out
    assert re.search(r" in overflow \(.*overflow\.py:6\)$", out[0]), out[0]     # the asm line
    assert "  cr2 0x0000000000000ff8 (the last page fault)" in out
    assert "  stack overflow: rsp 0x0000000000001000 ran into the unmapped page below it" in out
    assert re.match(r"#0 0x[0-9a-f]+ in overflow ", frames(out)[0])
    assert any(re.match(r"#\d 0x[0-9a-f]+ in kaa_start ", f) for f in frames(out)), out


def test_return_into_trap_entry_is_symbolized(kaa, tmp_path: Path) -> None:
    status, out = run(kaa, tmp_path, "handler", PANIC_IN_HANDLER, expect_panic=True)
    assert status == PANIC_STATUS
    got = frames(out)
    assert re.match(r"#0 0x[0-9a-f]+ in handler ", got[0]), got
    assert any(re.fullmatch(r"#\d 0x[0-9a-f]+ in trap_common", f) for f in got), got
