"""Compile errors: where they are, what is wrong, what to write instead.

Every error the compiler reports is a CompileError raised at the first problem found.
It renders as

    path/to/file.py:LINE:COL: error: what is wrong
        the offending source line
        ^
    note: what is allowed instead

Columns are 1-based, as editors count them.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path


class CompileError(Exception):
    def __init__(self, path: str, line: int, col: int, message: str, hint: str = ""):
        super().__init__(message)
        self.path = path
        self.line = line
        self.col = col
        self.message = message
        self.hint = hint

    def render(self) -> str:
        out = [f"{self.path}:{self.line}:{self.col}: error: {self.message}"]
        source = _source_line(self.path, self.line)
        if source is not None:
            out.append("    " + source.rstrip())
            out.append("    " + " " * (self.col - 1) + "^")
        if self.hint:
            out.append(f"note: {self.hint}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def _source_line(path: str, line: int) -> str | None:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    # Undecodable bytes show as U+FFFD: the error may well be about them.
    lines = data.decode(encoding, errors="replace").splitlines()
    return lines[line - 1].expandtabs() if 0 < line <= len(lines) else None


class Reporter:
    """Raises CompileErrors located in one source file."""

    def __init__(self, path: str):
        self.path = path

    def error(self, node: ast.AST | None, message: str, hint: str = "") -> CompileError:
        line = getattr(node, "lineno", 1) or 1
        col = (getattr(node, "col_offset", 0) or 0) + 1
        return CompileError(self.path, line, col, message, hint)
