"""Symbolize code addresses of a Kaa image: `function (file.py:line)`.

Design:
- `Symbolizer` reads an ELF once, on first use, with pyelftools: the function symbols
  (STT_FUNC with a size) as sorted (start, end, name) ranges, and the DWARF line tables
  of all compile units as one sorted list of (address, file, line) rows. An
  end_sequence row becomes a row without a file: it ends a range, so an address in a
  gap between sequences maps to no line. Both are searched with bisect.
- Names are shown as in the Kaa source: the compiler mangles `module.path.func` as
  `module_path__func` and methods as `module_path__Struct__method`; `describe` drops
  the module part (up to and including the first `__`) and shows the rest with `.`
  (`func`, `Struct.method`). Names without `__` (`kaa_start`, `memcpy`) stay as they
  are, as do names starting with `_`; gcc clone suffixes (`.constprop.0`, `.isra.0`,
  `.part.0`, `.cold`) are dropped.
- The generated C carries `#line` directives naming the .py files by absolute path, so
  the line table points at the Python source; paths below the current directory are
  shown relative to it.
- For a return address (every backtrace frame after the first) the call instruction
  is what matters: both the function and the line are looked up at `addr - 1` (a call
  to a noreturn function can be the last instruction of its function).
- A function that has not set up its frame pointer (a leaf: gcc gives those none, and
  every function before its `push rbp; mov rbp, rsp`) is missing its caller from a
  frame-pointer backtrace. `return_slot` reads the DWARF call frame information
  (.debug_frame, or .eh_frame) at the faulting address: where the CFA is still
  rsp-based, the return address sits at a fixed offset from rsp, so the caller can be
  read from the stack words the kernel prints with a fault (`  stack+0xOFF w w w w`).
- `ConsoleSymbolizer` sits between QEMU's console and its destination: it passes bytes
  through as they come, except that a complete backtrace frame line
  (`  #N 0xADDR`, as the kernel prints them) gets ` in function (file.py:line)` after
  the address, as does the `at rip 0xADDR` of a `fault:` line. After a fault whose
  frame #0 had no frame of its own, it inserts the caller from the stack words as
  frame #1 and renumbers the frames after it. Only a partial line that can still
  become one of the annotated lines is held back.
"""

from __future__ import annotations

import bisect
import io
import os
import re
from pathlib import Path
from typing import BinaryIO

# gcc's suffixes for clones and split-off parts of a function: foo.constprop.0, foo.cold
_CLONE_SUFFIX = re.compile(r"\..*\Z", re.DOTALL)


def demangle(cname: str) -> str:
    """The Kaa name of a C function name: `kernel_lib_fmt__Writer__write` -> `Writer.write`."""
    base = _CLONE_SUFFIX.sub("", cname)
    cut = base.find("__")
    if cut <= 0 or base.startswith("_"):
        return base
    rest = base[cut + 2:]
    return rest.replace("__", ".") if rest else base


def _name_rank(cname: str, bind: str) -> int:
    """Which of several names for one function to show: lower is better. A Kaa name
    (`app__main`) beats an exported C alias (`kaa_main`); global beats local."""
    kaa_name = demangle(cname) != _CLONE_SUFFIX.sub("", cname)
    return (0 if kaa_name else 2) + (0 if bind in ("STB_GLOBAL", "STB_WEAK") else 1)


def _shorten(path: str) -> str:
    """path relative to the current directory when it lies below it."""
    try:
        cwd = os.getcwd()
    except OSError:
        return path
    if os.path.isabs(path):
        rel = os.path.relpath(path, cwd)
        if rel != os.curdir and not rel.startswith(os.pardir + os.sep) and rel != os.pardir:
            return rel
    return path


class Symbolizer:
    """Maps code addresses of one ELF image to `function (file:line)`."""

    def __init__(self, elf_path: str | Path):
        self.elf_path = Path(elf_path)
        self._loaded = False
        self.error: str | None = None  # why the image could not be read, if it could not
        self._func_starts: list[int] = []
        self._funcs: list[tuple[int, int, str]] = []  # (start, end, C name), sorted by start
        self._line_addrs: list[int] = []
        self._lines: list[tuple[int, str | None, int]] = []  # (address, file or None, line)
        self._fde_starts: list[int] | None = None
        self._fdes: list[tuple[int, int, object]] = []  # (start, end, FDE), sorted by start

    # ---- loading -------------------------------------------------------------------
    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            from elftools.common.exceptions import ELFError, DWARFError
            from elftools.elf.elffile import ELFFile
            from elftools.elf.sections import SymbolTableSection
        except ImportError as e:  # pragma: no cover - pyelftools is a dependency
            self.error = f"pyelftools is not installed ({e})"
            return
        try:
            with open(self.elf_path, "rb") as stream:
                elf = ELFFile(stream)
                funcs: list[tuple[int, int, int, str]] = []  # (start, rank, end, name)
                for sec in elf.iter_sections():
                    if not isinstance(sec, SymbolTableSection):
                        continue
                    for sym in sec.iter_symbols():
                        if (sym["st_info"]["type"] == "STT_FUNC" and sym["st_size"] > 0
                                and sym["st_shndx"] != "SHN_UNDEF" and sym.name):
                            start = sym["st_value"]
                            rank = _name_rank(sym.name, sym["st_info"]["bind"])
                            funcs.append((start, rank, start + sym["st_size"], sym.name))
                # Aliases (kaa_main = app__main; .symtab and .dynsym listing the same
                # function): keep one name per start address, the best ranked.
                best: dict[int, tuple[int, int, int, str]] = {}
                for fn in funcs:
                    if fn[0] not in best or fn[1:] < best[fn[0]][1:]:
                        best[fn[0]] = fn
                self._funcs = [(s, e, n) for s, _, e, n in sorted(best.values())]
                self._func_starts = [s for s, _, _ in self._funcs]
                if elf.has_dwarf_info():
                    self._load_lines(elf)
        except (OSError, ELFError, DWARFError, ValueError, KeyError, IndexError) as e:
            self.error = f"cannot read {self.elf_path}: {e}"

    def _load_lines(self, elf: object) -> None:
        dwarf = elf.get_dwarf_info()  # type: ignore[attr-defined]
        keyed: list[tuple[int, int, int, str | None, int]] = []
        order = 0
        for cu in dwarf.iter_CUs():
            prog = dwarf.line_program_for_CU(cu)
            if prog is None:
                continue
            top = cu.get_top_DIE()
            comp_dir_attr = top.attributes.get("DW_AT_comp_dir")
            comp_dir = os.fsdecode(comp_dir_attr.value) if comp_dir_attr is not None else ""
            files = _file_names(prog, comp_dir)
            base = 0 if prog["version"] >= 5 else 1  # DWARF 5 numbers files from 0
            for entry in prog.get_entries():
                st = entry.state
                if st is None:
                    continue
                order += 1
                if st.end_sequence:
                    # Sorts before a row of another sequence starting at the same address.
                    keyed.append((st.address, 0, order, None, 0))
                    continue
                i = st.file - base
                name = files[i] if 0 <= i < len(files) else "??"
                keyed.append((st.address, 1, order, name, st.line))
        keyed.sort(key=lambda r: (r[0], r[1], r[2]))
        self._lines = [(a, f, ln) for a, _, _, f, ln in keyed]
        self._line_addrs = [a for a, _, _ in self._lines]

    # ---- lookups -------------------------------------------------------------------
    def function(self, addr: int) -> str | None:
        """The C name of the function holding addr, or None."""
        self._load()
        i = bisect.bisect_right(self._func_starts, addr) - 1
        # Walk back over functions that start before addr but end before it too
        # (e.g. a small alias inside a larger one); a few steps suffice.
        for j in range(i, max(i - 4, -1), -1):
            start, end, name = self._funcs[j]
            if start <= addr < end:
                return name
        return None

    def function_start(self, addr: int) -> int:
        i = bisect.bisect_right(self._func_starts, addr) - 1
        return self._func_starts[i] if i >= 0 else 0

    def line(self, addr: int, since: int = 0) -> tuple[str, int] | None:
        """(file, line) of the instruction at addr per the line table, or None.

        Code inlined from the compiler's C prelude (kaa_rt.h: bounds checks, division)
        has that header's lines; for it, the nearest earlier .py row at or after `since`
        (the function's start) is the Kaa line that used the helper."""
        self._load()
        i = bisect.bisect_right(self._line_addrs, addr) - 1
        if i < 0:
            return None
        _, file, line = self._lines[i]
        if file is None:
            return None
        j = i
        while not file.endswith(".py") and j > 0 and self._lines[j - 1][0] >= since:
            j -= 1
            if self._lines[j][1] is not None and self._lines[j][1].endswith(".py"):
                return self._lines[j][1], self._lines[j][2]
        return file, line

    def return_slot(self, addr: int) -> int | None:
        """Where the return address is, as an offset from rsp, while the code at addr runs
        with an rsp-based CFA (no frame pointer of its own yet); None when the function
        has set up its frame (or addr has no call frame information)."""
        fde = self._fde_at(addr)
        if fde is None:
            return None
        row = None
        for r in fde.get_decoded().table:  # type: ignore[attr-defined]
            if r["pc"] > addr:
                break
            row = r
        if row is None or "cfa" not in row:
            return None
        cfa = row["cfa"]
        ra = row.get(_RA_REGISTER)
        if cfa.reg != _RSP_REGISTER or cfa.expr is not None:
            return None
        ra_offset = ra.arg if ra is not None and ra.type == "OFFSET" else -8
        return cfa.offset + ra_offset

    def _fde_at(self, addr: int) -> object | None:
        if self._fde_starts is None:
            self._load_fdes()
        assert self._fde_starts is not None
        i = bisect.bisect_right(self._fde_starts, addr) - 1
        if i >= 0 and addr < self._fdes[i][1]:
            return self._fdes[i][2]
        return None

    def _load_fdes(self) -> None:
        self._fde_starts = []
        try:
            from elftools.common.exceptions import ELFError, DWARFError
            from elftools.dwarf.callframe import FDE
            from elftools.elf.elffile import ELFFile
        except ImportError:  # pragma: no cover - pyelftools is a dependency
            return
        try:
            # The FDEs decode lazily from the stream: keep the image's bytes, not an open file.
            elf = ELFFile(io.BytesIO(self.elf_path.read_bytes()))
            if not elf.has_dwarf_info():
                return
            dwarf = elf.get_dwarf_info()
            entries = dwarf.CFI_entries() if dwarf.has_CFI() else (
                dwarf.EH_CFI_entries() if dwarf.has_EH_CFI() else [])
            fdes = []
            for e in entries:
                if isinstance(e, FDE):
                    start = e.header["initial_location"]
                    fdes.append((start, start + e.header["address_range"], e))
            fdes.sort(key=lambda f: f[0])
            self._fdes = fdes
            self._fde_starts = [f[0] for f in fdes]
        except (OSError, ELFError, DWARFError, ValueError, KeyError, IndexError) as e:
            self.error = f"cannot read call frame information of {self.elf_path}: {e}"

    def describe(self, addr: int, return_address: bool = False) -> str | None:
        """`function (file:line)` for addr, or None when addr is in no known function.

        With return_address, addr is where a call returns to: the call itself, at
        addr - 1, is described."""
        at = addr - 1 if return_address and addr > 0 else addr
        cname = self.function(at)
        if cname is None:
            return None
        name = demangle(cname)
        where = self.line(at, self.function_start(at))
        if where is None:
            return name
        file, line = where
        return f"{name} ({_shorten(file)}:{line})"


def _file_names(prog: object, comp_dir: str) -> list[str]:
    """Full paths of a line program's file table, in table order."""
    header = prog.header  # type: ignore[attr-defined]
    version = prog["version"]  # type: ignore[index]
    dirs = [os.fsdecode(d) for d in header["include_directory"]]
    out = []
    for fe in header["file_entry"]:
        name = os.fsdecode(fe.name)
        if not os.path.isabs(name):
            if version >= 5:
                d = dirs[fe.dir_index] if fe.dir_index < len(dirs) else ""
            else:  # directory 0 is the compilation directory
                d = comp_dir if fe.dir_index == 0 else (
                    dirs[fe.dir_index - 1] if fe.dir_index - 1 < len(dirs) else "")
            if not os.path.isabs(d):
                d = os.path.join(comp_dir, d)
            name = os.path.join(d, name)
        out.append(os.path.normpath(name))
    return out


# DWARF register numbers on x86-64: rsp, and the return address column.
_RSP_REGISTER = 7
_RA_REGISTER = 16

# A backtrace frame the kernel prints: `  #3 0x0000000000101234`
FRAME_LINE = re.compile(rb"^\s*#(\d+) 0x([0-9a-fA-F]+)\s*$")
# The first line of a fault report: `fault: page fault (...) on cpu 0 at rip 0x0000000000101234`
FAULT_LINE = re.compile(rb"^fault: .*? at rip 0x([0-9a-fA-F]+)")
# Words at the faulting rsp: `  stack+0x20 0x... 0x... 0x... 0x...`
STACK_LINE = re.compile(rb"^\s*stack\+0x([0-9a-fA-F]+)((?: 0x[0-9a-fA-F]+)+)\s*$")
# Lines that start a new report: what came before them is forgotten.
REPORT_START = re.compile(rb"^(?:fault|panic): ")
# A partial line that can still become a frame line (bytes \s minus the newline).
_FRAME_PREFIX = re.compile(
    rb"[ \t\r\f\v]*(?:#(?:\d+(?: (?:0(?:x(?:[0-9a-fA-F]+[ \t\r\f\v]*)?)?)?)?)?)?")
_FAULT = b"fault:"
_MAX_HELD = 256  # a frame or fault line is short: never hold back more than this


def _may_annotate(partial: bytes) -> bool:
    """Whether a partial line can still become a frame line or a fault line."""
    return (_FRAME_PREFIX.fullmatch(partial) is not None or _FAULT.startswith(partial)
            or partial.startswith(_FAULT))


class ConsoleSymbolizer:
    """A writer that annotates backtrace frame lines and fault lines on their way to `out`.

    Bytes pass through unchanged and without delay, except a partial line that may
    still turn out to be a frame or fault line: it is held until its newline (or until
    it cannot be one). Frame #0 is the faulting instruction; frames #1 and up are
    return addresses. Call finish() at the end to let out a held partial line."""

    def __init__(self, out: BinaryIO, symbolizer: Symbolizer):
        self.out = out
        self.symbolizer = symbolizer
        self._held = bytearray()   # start of the current line, while it may be annotated
        self._passing = False      # the current line is known not to be annotated
        self._seen = bytearray()   # start of a passing line, to read stack words from
        self._stack: dict[int, int] = {}  # rsp offset -> word, from the report's stack lines
        self._shift = 0            # frames inserted into the current backtrace

    def write(self, data: bytes) -> int:
        data = bytes(data)
        pieces: list[bytes] = []
        pos, n = 0, len(data)
        while pos < n:
            nl = data.find(b"\n", pos)
            if self._passing:
                end = n if nl < 0 else nl
                pieces.append(data[pos:end + 1])
                if len(self._seen) <= _MAX_HELD:
                    self._seen += data[pos:end]
                if nl < 0:
                    break
                self._observe(bytes(self._seen))
                self._seen.clear()
                self._passing = False
                pos = nl + 1
                continue
            if nl < 0:
                self._held += data[pos:]
                if len(self._held) > _MAX_HELD or not _may_annotate(bytes(self._held)):
                    pieces.append(bytes(self._held))
                    self._seen += self._held
                    self._held.clear()
                    self._passing = True
                break
            self._held += data[pos:nl]
            line = bytes(self._held)
            self._held.clear()
            pieces.append(self._annotate(line))
            pieces.append(b"\n")
            pos = nl + 1
        if pieces:
            self.out.write(b"".join(pieces))
        return n

    def _observe(self, line: bytes) -> None:
        """Follow a report through a line shown as it is."""
        if REPORT_START.match(line):
            self._stack.clear()
        m = STACK_LINE.match(line)
        if m is not None:
            base = int(m.group(1), 16)
            for i, word in enumerate(m.group(2).split()):
                self._stack[base + 8 * i] = int(word, 16)
        if FRAME_LINE.match(line) is None:
            self._shift = 0

    def _describe(self, addr: int, return_address: bool) -> str | None:
        try:
            return self.symbolizer.describe(addr, return_address=return_address)
        except Exception:  # a broken image must not break the console
            return None

    def _annotate(self, line: bytes) -> bytes:
        self._observe(line)
        m = FRAME_LINE.match(line)
        if m is None:
            m = FAULT_LINE.match(line)
            if m is None:
                return line
            what = self._describe(int(m.group(1), 16), False)
            if what is None:
                return line
            end = m.end(1)
            return line[:end] + b" in " + what.encode("utf-8", "replace") + line[end:]
        number, addr = int(m.group(1)), int(m.group(2), 16)
        if number == 0:
            self._shift = 0
            caller = self._caller(addr)
            self._stack.clear()
        else:
            caller = None
        what = self._describe(addr, number >= 1)
        start, end = m.span(1)
        out = line[:start] + b"%d" % (number + self._shift) + line[end:m.end(2)]
        if what is not None:
            out += b" in " + what.encode("utf-8", "replace")
        out += line[m.end(2):]
        if caller is not None:
            self._shift = 1
            eol = b"\r" if line.endswith(b"\r") else b""
            out += b"\n" + self._annotate_inserted(line[:start], caller) + eol
        return out

    def _caller(self, rip: int) -> int | None:
        """The return address of a frame #0 at rip that had no frame of its own, from the
        stack words of its report; None when it had one (or the words do not reach)."""
        if not self._stack:
            return None
        try:
            slot = self.symbolizer.return_slot(rip)
        except Exception:
            return None
        if slot is None or slot not in self._stack:
            return None
        return self._stack[slot]

    def _annotate_inserted(self, indent: bytes, addr: int) -> bytes:
        line = indent + b"1 0x%016x" % addr
        what = self._describe(addr, True)
        return line + (b" in " + what.encode("utf-8", "replace") if what is not None else b"")

    def flush(self) -> None:
        self.out.flush()

    def finish(self) -> None:
        """End of stream: write out a held partial line, then flush."""
        if self._held:
            self.out.write(bytes(self._held))
            self._held.clear()
        self._passing = False
        self._seen.clear()
        self.out.flush()
