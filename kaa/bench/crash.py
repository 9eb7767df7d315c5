"""A guest crash, found on its console: what the benchmarks and the tests' guest helper report.

The kernel ends the machine after one of two reports (kaa/symbolize.py follows the same
lines): a panic (kernel/lib/rt.py: `panic: MESSAGE (file.py:LINE)`, the CPU, then a
backtrace) or a CPU exception (kernel/arch/x86_64/traps.py: `fault: NAME (vector N ...)
on cpu C at rip R`, registers, stack words, a backtrace). find_crash() returns the first
such line and the report around it: a few lines before (what the guest was doing) and
the indented lines and backtrace after. A guest that was merely stopped, or timed out,
has no crash. symbolized() names the report's addresses as `kaa run` does, for
consoles read straight from QEMU (kaa/bench/machine.py).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

CRASH_LINE = re.compile(r"^(?:panic|fault): ")
CONTEXT_BEFORE = 5                  # lines shown before the crash line
MAX_REPORT = 60                     # lines of report after it, at most


@dataclass
class Crash:
    line: str                       # the `panic: ...` or `fault: ...` line
    report: str                     # that line with the lines around it

    def __str__(self) -> str:
        return f"the guest crashed: {self.line}\n{self.report}"


def find_crash(lines: Sequence[str]) -> Crash | None:
    """The first panic or fault report in a guest's console lines, or None."""
    for i, line in enumerate(lines):
        if CRASH_LINE.match(line):
            end = i + 1
            while end < len(lines) and end - i < MAX_REPORT and _in_report(lines[end]):
                end += 1
            return Crash(line.rstrip(), "\n".join(ln.rstrip() for ln in lines[max(0, i - CONTEXT_BEFORE):end]))
    return None


def _in_report(line: str) -> bool:
    """The lines that follow a crash line belong to its report: indented (registers,
    frames, `  on cpu N`) or the `backtrace:` heading."""
    return line.startswith((" ", "\t")) or line.startswith("backtrace:")


def symbolized(crash: Crash, image: str | Path) -> Crash:
    """crash with its backtrace addresses named (`in function (file.py:line)`) from the
    image's symbols; as it was when the image cannot be read."""
    from kaa.symbolize import ConsoleSymbolizer, Symbolizer
    out = io.BytesIO()
    sym = ConsoleSymbolizer(out, Symbolizer(image))
    try:
        sym.write((crash.report + "\n").encode())
        sym.finish()
    except Exception:              # a broken image must not hide the crash itself
        return crash
    report = out.getvalue().decode(errors="replace").rstrip("\n")
    line = next((ln for ln in report.splitlines() if CRASH_LINE.match(ln)), crash.line)
    return Crash(line, report)
