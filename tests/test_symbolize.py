"""kaa.symbolize: addresses of a real host-built program map to `function (file.py:line)`;
the call frame information says where a frameless function's return address is;
ConsoleSymbolizer annotates backtrace frame lines and fault lines in a console stream
cut anywhere, inserts the caller of a frameless frame #0, and run() passes the console
through it when given a symbolizer."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa import build as kbuild
from kaa import vm
from kaa.symbolize import ConsoleSymbolizer, Symbolizer, demangle

PROG = """\
from kaa.lang import *


@struct
class Point:
    x: i32

    def bump(self, by: i32) -> None:
        self.x += by


def inner() -> i32:
    return 42


def main() -> i32:
    p = Point()
    p.bump(1)
    v = inner()
    return v - 42
"""


def _line_of(text: str) -> int:
    return next(i for i, s in enumerate(PROG.splitlines(), 1) if s.strip() == text)


@dataclass
class Built:
    src: Path
    exe: Path
    symbols: dict[str, int]   # C name -> address, from nm
    sizes: dict[str, int]     # C name -> size, from nm
    funcs: list[tuple[str, int, int]]  # every (C name, address, size); local names repeat
    disasm: str               # objdump -d


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    d = tmp_path_factory.mktemp("symbolize")
    src = d / "prog.py"
    src.write_text(PROG)
    exe = kbuild.build(src, d / "prog", target="host", opt=0)
    assert subprocess.run([str(exe)]).returncode == 0
    nm = subprocess.run(["nm", "-S", str(exe)], capture_output=True, text=True, check=True).stdout
    symbols, sizes, funcs = {}, {}, []
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT":
            symbols[parts[3]] = int(parts[0], 16)
            sizes[parts[3]] = int(parts[1], 16)
            funcs.append((parts[3], int(parts[0], 16), int(parts[1], 16)))
    disasm = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(exe)],
                            capture_output=True, text=True, check=True).stdout
    return Built(src, exe, symbols, sizes, funcs, disasm)


@pytest.fixture(scope="module")
def sym(built: Built) -> Symbolizer:
    return Symbolizer(built.exe)


def _after_call_in_main(built: Built, callee: str) -> int:
    """The address right after main's `call` to callee: the call's return address."""
    # By address, not by objdump's label: prog__main has an alias (kaa_main).
    start, end = built.symbols["prog__main"], built.symbols["prog__main"] + built.sizes["prog__main"]
    insns = [(int(a, 16), ins) for a, ins in re.findall(r"^\s*([0-9a-f]+):\s*(.*)$", built.disasm, re.MULTILINE)]
    insns = [(a, ins) for a, ins in insns if start <= a < end]
    target = built.symbols[callee]
    i = next(i for i, (_, ins) in enumerate(insns)
             if re.match(rf"call\s+0*{target:x}\b", ins))
    return insns[i + 1][0]


# ---- Symbolizer on a real program ------------------------------------------------------

def test_function_entry_names_function_and_def_line(built: Built, sym: Symbolizer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built.src.parent)  # the .py lies below the cwd: shown relative
    assert sym.describe(built.symbols["prog__inner"], False) == f"inner (prog.py:{_line_of('def inner() -> i32:')})"
    assert sym.describe(built.symbols["prog__Point__bump"], False) == \
        f"Point.bump (prog.py:{_line_of('def bump(self, by: i32) -> None:')})"


def test_path_outside_cwd_stays_absolute(built: Built, sym: Symbolizer, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    what = sym.describe(built.symbols["prog__inner"], False)
    assert what == f"inner ({built.src}:{_line_of('def inner() -> i32:')})"


def test_address_inside_a_function_body(built: Built, sym: Symbolizer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built.src.parent)
    start = built.symbols["prog__inner"]
    body_lines = {sym.describe(a, False) for a in range(start, start + 16)}
    assert f"inner (prog.py:{_line_of('return 42')})" in body_lines


def test_return_address_names_the_line_of_the_call(built: Built, sym: Symbolizer,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built.src.parent)
    # At -O0 the instruction after `call bump` belongs to the next line (`v = inner()`):
    # as a return address it must be reported at the call's line.
    ret = _after_call_in_main(built, "prog__Point__bump")
    assert sym.describe(ret, True) == f"main (prog.py:{_line_of('p.bump(1)')})"
    assert sym.describe(ret, False) == f"main (prog.py:{_line_of('v = inner()')})"
    ret = _after_call_in_main(built, "prog__inner")
    assert sym.describe(ret, True) == f"main (prog.py:{_line_of('v = inner()')})"


def test_return_address_at_a_function_end_is_its_caller(built: Built, sym: Symbolizer) -> None:
    # A call to a function that never returns can be the last instruction of the caller:
    # its return address is then the first byte of the next function.
    start = built.symbols["prog__Point__bump"]
    assert sym.describe(start, False).startswith("Point.bump (")  # type: ignore[union-attr]
    assert sym.describe(start, True) == sym.describe(start - 1, False)
    assert not (sym.describe(start, True) or "").startswith("Point.bump")


def test_end_of_sequence_ends_a_line_range(built: Built, sym: Symbolizer) -> None:
    # gcc ends a line sequence after each function: the bytes after a function that
    # no other function follows directly (alignment padding, the end of .text) have
    # no line, not the last line of the function before them.
    starts = {start for _, start, _ in built.funcs}
    checked = 0
    for name, start, size in built.funcs:
        end = start + size
        if end not in starts and sym.line(start) is not None:
            assert sym.line(end - 1) is not None, name
            assert sym.line(end) is None, name
            checked += 1
    assert checked >= 1


def test_exported_c_names_are_kept(built: Built, sym: Symbolizer) -> None:
    what = sym.describe(built.symbols["kaa_console_write"], False)
    assert what is not None and what.startswith("kaa_console_write (")


def test_return_slot_follows_the_prologue(built: Built, sym: Symbolizer) -> None:
    # At -O0 a function starts `push %rbp; mov %rsp,%rbp`: before the push the return
    # address is at [rsp], after it at [rsp+8], and once rbp is set the frame-pointer
    # walk finds it, so there is no slot to read.
    start = built.symbols["prog__inner"]
    assert sym.return_slot(start) == 0
    assert sym.return_slot(start + 1) == 8          # push %rbp is one byte
    body = [sym.return_slot(a) for a in range(start + 4, start + built.sizes["prog__inner"] - 2)]
    assert body and all(slot is None for slot in body)
    assert sym.return_slot(0) is None


def test_address_in_no_function(sym: Symbolizer) -> None:
    assert sym.describe(0, False) is None
    assert sym.describe(0xFFFF_FFFF_FFFF_0000, True) is None


def test_unreadable_image_describes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "not.elf"
    bad.write_bytes(b"not an elf")
    s = Symbolizer(bad)
    assert s.describe(0x1000, False) is None
    assert s.error is not None
    assert Symbolizer(tmp_path / "missing.elf").describe(0x1000, True) is None


@pytest.mark.parametrize("cname, shown", [
    ("prog__inner", "inner"),
    ("kernel_lib_fmt__Writer__write_int", "Writer.write_int"),
    ("app__Point___private", "Point._private"),
    ("kernel_lib_fmt__Writer__write_int.constprop.0", "Writer.write_int"),
    ("kaa_start", "kaa_start"),
    ("memcpy", "memcpy"),
    ("__do_global_dtors_aux", "__do_global_dtors_aux"),
])
def test_demangle(cname: str, shown: str) -> None:
    assert demangle(cname) == shown


# ---- ConsoleSymbolizer -------------------------------------------------------------------

FRAME = re.compile(rb"^\s*#(\d+) 0x([0-9a-fA-F]+)\s*$")  # the frame line of the spec


FAULT = re.compile(rb"^fault: .*? at rip 0x([0-9a-fA-F]+)")   # the fault line of the spec


class FakeSymbolizer:
    """Names every even address; odd addresses are in no function. No function runs
    without a frame pointer unless `frameless` says where its return address is."""

    def __init__(self, frameless: dict[int, int] | None = None):
        self.frameless = frameless or {}

    def describe(self, addr: int, return_address: bool) -> str | None:
        if addr % 2:
            return None
        return f"f{addr:x} (x.py:{2 if return_address else 1})"

    def return_slot(self, addr: int) -> int | None:
        return self.frameless.get(addr)


def expected(stream: bytes, sym: FakeSymbolizer) -> bytes:
    """What the console should show for stream: complete frame and fault lines annotated."""
    *lines, last = stream.split(b"\n")
    out = []
    for line in lines:
        m = FRAME.match(line)
        what = m and sym.describe(int(m.group(2), 16), int(m.group(1)) >= 1)
        if m and what:
            line = line[:m.end(2)] + b" in " + what.encode() + line[m.end(2):]
        f = FAULT.match(line)
        what = f and sym.describe(int(f.group(1), 16), False)
        if f and what:
            line = line[:f.end(1)] + b" in " + what.encode() + line[f.end(1):]
        out.append(line)
    return b"\n".join([*out, last])


frame_lines = st.builds(
    lambda sp, n, a, digits, tail: b"%s#%d 0x%0*x%s" % (sp, n, digits, a, tail),
    st.sampled_from([b"", b"  ", b" \t"]), st.integers(0, 40), st.integers(0, 2**64 - 1),
    st.sampled_from([1, 16]), st.sampled_from([b"", b"\r", b"  ", b" \r"]))
other_lines = st.one_of(
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
    st.sampled_from([b"#", b"  #", b"#1", b"#1 0x", b"# comment", b"#1 0xzz", b"x #1 0x10",
                     b"#1  0x10", b"#1 0x10 junk", b"\r", b"panic: oops (a.py:3)", b"fault", b"fault:",
                     b"fault: page fault (vector 14, error 0x2) on cpu 1 at rip 0x10",
                     b"fault: x at rip 0x11 while reporting: stopped", b"fault: at rip 0x10", b" fault: x at rip 0x10",
                     b"  stack+0x00 0x10 0x12 0x14 0x16"]))
streams = st.lists(st.one_of(frame_lines, other_lines), max_size=12).flatmap(
    lambda lines: st.tuples(st.just(b"\n".join(lines)), st.booleans())).map(
    lambda t: t[0] + (b"\n" if t[1] else b""))


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:])]


@settings(max_examples=300, deadline=None)
@given(stream=streams, cuts=st.lists(st.integers(0, 10**6), max_size=20))
def test_console_annotates_frames_and_passes_the_rest(stream: bytes, cuts: list[int]) -> None:
    sym = FakeSymbolizer()
    out = io.BytesIO()
    console = ConsoleSymbolizer(out, sym)  # type: ignore[arg-type]
    fed = b""
    for chunk in _chunks(stream, cuts):
        console.write(chunk)
        console.flush()
        fed += chunk
        # No delay beyond the current partial line, and only if it may be a frame or fault line.
        want = expected(fed, sym)
        got = out.getvalue()
        assert want.startswith(got)
        held = want[len(got):]
        assert b"\n" not in held
        if held:
            assert (re.fullmatch(rb"[ \t\r\f\v]*(#[0-9]*( (0(x[0-9a-fA-F]*[ \t\r\f\v]*)?)?)?)?", held)
                    or b"fault:".startswith(held) or held.startswith(b"fault:"))
    console.finish()
    assert out.getvalue() == expected(stream, sym)


def test_console_frame_line_details() -> None:
    out = io.BytesIO()
    console = ConsoleSymbolizer(out, FakeSymbolizer())  # type: ignore[arg-type]
    for byte in b"boot\r\n  #0 0x0000000000101234\r\n  #1 0x10\n#2 0x11\nhello #3 0x10\n#4 0x":
        console.write(bytes([byte]))
    assert out.getvalue() == (b"boot\r\n  #0 0x0000000000101234 in f101234 (x.py:1)\r\n"
                              b"  #1 0x10 in f10 (x.py:2)\n#2 0x11\nhello #3 0x10\n")
    console.finish()
    assert out.getvalue().endswith(b"\n#4 0x")


REPORT = (b"fault: page fault (vector 14, error 0x2) on cpu 0 at rip 0x100\n"
          b"  rax 0000000000000000\n"
          b"  stack+0x00 0x0000000000000202 0x0000000000000300 0x0000000000000404 0x0000000000000500\n"
          b"  stack+0x20 0x0000000000000606 0x0000000000000700 0x0000000000000808 0x0000000000000900\n"
          b"backtrace:\n"
          b"  #0 0x0000000000000100\n"
          b"  #1 0x0000000000000a00\n"
          b"  #2 0x0000000000000b00\n"
          b"done\n"
          b"#1 0x0000000000000c00\n")


def _console(data: bytes, sym: FakeSymbolizer, cut: int) -> bytes:
    out = io.BytesIO()
    console = ConsoleSymbolizer(out, sym)  # type: ignore[arg-type]
    console.write(data[:cut])
    console.write(data[cut:])
    console.finish()
    return out.getvalue()


def test_console_inserts_the_caller_of_a_frameless_frame() -> None:
    # 0x100 runs with its return address at [rsp+0x20]: that word (0x606) is frame #1,
    # and the kernel's frames from rbp move down one. Lines after the backtrace stay.
    want = (b"fault: page fault (vector 14, error 0x2) on cpu 0 at rip 0x100 in f100 (x.py:1)\n"
            + REPORT.split(b"\n", 1)[1].split(b"  #0")[0]
            + b"  #0 0x0000000000000100 in f100 (x.py:1)\n"
            b"  #1 0x0000000000000606 in f606 (x.py:2)\n"
            b"  #2 0x0000000000000a00 in fa00 (x.py:2)\n"
            b"  #3 0x0000000000000b00 in fb00 (x.py:2)\n"
            b"done\n"
            b"#1 0x0000000000000c00 in fc00 (x.py:2)\n")
    sym = FakeSymbolizer({0x100: 0x20})
    for cut in range(len(REPORT) + 1):
        assert _console(REPORT, sym, cut) == want, cut
    crlf = _console(REPORT.replace(b"\n", b"\r\n"), sym, len(REPORT) // 2)
    assert crlf == want.replace(b"\n", b"\r\n")


def test_console_inserts_nothing_without_a_slot() -> None:
    plain = expected(REPORT, FakeSymbolizer())
    assert _console(REPORT, FakeSymbolizer(), 7) == plain      # 0x100 has a frame of its own
    # The slot lies beyond the words the kernel showed.
    assert _console(REPORT, FakeSymbolizer({0x100: 0x40}), 7) == plain
    # A panic starts a new report: the stack words of the fault before it are stale.
    panic = REPORT.replace(b"backtrace:\n", b"panic: boom (x.py:3)\nbacktrace:\n")
    assert _console(panic, FakeSymbolizer({0x100: 0x20}), 7) == expected(panic, FakeSymbolizer())


def test_console_with_real_image(built: Built, sym: Symbolizer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built.src.parent)
    ret = _after_call_in_main(built, "prog__inner")
    out = io.BytesIO()
    console = ConsoleSymbolizer(out, sym)
    text = b"panic: boom\n  #0 0x%016x\n  #1 0x%016x\n" % (built.symbols["prog__inner"], ret)
    for i in range(0, len(text), 7):
        console.write(text[i:i + 7])
    assert out.getvalue() == (
        b"panic: boom\n"
        b"  #0 0x%016x in inner (prog.py:%d)\n" % (built.symbols["prog__inner"], _line_of("def inner() -> i32:"))
        + b"  #1 0x%016x in main (prog.py:%d)\n" % (ret, _line_of("v = inner()")))


# ---- vm.run ----------------------------------------------------------------------------

FAKE_QEMU = """\
import os, sys, time
os.write(1, b"boot\\n  #0 0x1")
time.sleep(0.05)
os.write(1, b"0\\n  #1 0x20\\r\\n#2 0x30")
sys.exit((3 << 1) | 1)
"""


def test_run_passes_console_through_symbolizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "fake-qemu"
    script.write_text(f"#!{sys.executable}\n{FAKE_QEMU}")
    script.chmod(0o755)
    monkeypatch.setattr(vm, "QEMU", str(script))
    cfg = vm.VmConfig(image="x.elf", accel="tcg")
    out, err = io.BytesIO(), io.BytesIO()
    status = vm.run(cfg, timeout=10, out=out, err=err, symbolizer=FakeSymbolizer())  # type: ignore[arg-type]
    assert status == 3
    assert out.getvalue() == b"boot\n  #0 0x10 in f10 (x.py:1)\n  #1 0x20 in f20 (x.py:2)\r\n#2 0x30"
    out = io.BytesIO()
    assert vm.run(cfg, timeout=10, out=out, err=err) == 3
    assert out.getvalue() == b"boot\n  #0 0x10\n  #1 0x20\r\n#2 0x30"
