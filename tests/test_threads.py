"""Threads and stacks, booted: detached threads, join racing exit across CPUs, a
busy CPU's mailbox, and stack overflows caught by guard pages.

Programs live in tests/kernel/; each checks itself and prints what it found. Each of
these failed before its fix: detached_threads.py leaked ~5 MB (no detached spawn),
mailbox_flood.py panicked with "CPU 1's mailbox is full", and stack_overflow.py hung
(a thread overflowing into the heap) or triple-faulted (main overwriting the boot page
tables). join_race.py guards exit_thread's hand-off to join: its window is a few
instructions, so it catches a regression only sometimes.
"""

from __future__ import annotations

import pytest

from test_kernel import boot

pytestmark = pytest.mark.booted


def test_detached_threads_are_freed_when_they_end(kaa) -> None:
    status, out = boot(kaa, "detached_threads.py")
    assert status == 0, out
    assert out[0] == "finished 20000 ids increase True"
    assert out[1].startswith("heap in use back to the start figure: True"), out
    assert out[2] == "free pages back to the start figure: True"


def test_join_races_exit_across_cpus(kaa) -> None:
    status, out = boot(kaa, "join_race.py", "--smp", "2")
    assert status == 0, out
    assert out == ["joined 5000 wrong 0", "heap back to its start figure: True"]


def test_busy_cpu_takes_any_number_of_spawns(kaa) -> None:
    status, out = boot(kaa, "mailbox_flood.py", "--smp", "2")
    assert status == 0, out
    assert out == ["spawned 300 while CPU 1 was busy; run so far 0", "ran 300 on cpu 1 300 wrong results 0"]


@pytest.mark.parametrize("where", ["thread", "main"])
def test_stack_overflow_is_a_fault_report(kaa, where: str) -> None:
    status, out = boot(kaa, "stack_overflow.py", cmdline=(where,), expect_panic=True)
    text = "\n".join(out)
    assert status == 101, text                      # not 126 (triple fault) or 124 (hang)
    assert out[0] == f"recursing in {'a thread' if where == 'thread' else 'main'}"
    fault = next((ln for ln in out if ln.startswith("fault: ")), None)
    assert fault is not None, text
    # The overflow's page fault cannot push its frame on the full stack: a double fault,
    # reported from its own (IST) stack. Its backtrace names the recursing function.
    assert "double fault" in fault or "page fault" in fault, fault
    assert "in recurse (tests/kernel/stack_overflow.py:" in text, text
    assert "never printed" not in text
