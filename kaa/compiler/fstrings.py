"""Text arguments: what print(...), panic(...) and Writer.write(...) accept.

Each argument becomes a list of Parts stored on its node (node.kaa_parts); the emitter
turns every Part into one call on a kernel.lib.fmt.Writer. f-strings are split here at
compile time, and their format specs (Python's mini-language, integer and string
subset) are parsed once, so nothing is interpreted at run time.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kaa.compiler import types as T

if TYPE_CHECKING:
    from kaa.compiler.check import Checker

SPEC = re.compile(r"^(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?(?P<alt>#)?(?P<zero>0)?"
                  r"(?P<width>\d+)?(?P<type>[bdoxXs])?$", re.S)


@dataclass
class Spec:
    fill: str = " "
    align: str = ""          # "", "<", ">", "^", "=" ("" means the type's default)
    sign: str = "-"
    alt: bool = False
    width: int = 0
    type: str = ""

    @property
    def base(self) -> int:
        return {"b": 2, "o": 8, "x": 16, "X": 16}.get(self.type, 10)


@dataclass
class Part:
    kind: str                    # lit, int, str, bool, ptr, bytes
    value: ast.expr | str
    spec: Spec


def check_text(c: "Checker", e: ast.expr) -> None:
    if isinstance(e, ast.JoinedStr):
        parts: list[Part] = []
        for v in e.values:
            if isinstance(v, ast.Constant):
                from kaa.compiler.check import check_utf8
                check_utf8(c, e, v.value)
                parts.append(Part("lit", v.value, Spec()))
            else:
                assert isinstance(v, ast.FormattedValue)
                parts.append(_formatted(c, v))
        e.kaa_parts = parts  # type: ignore[attr-defined]
        e.ty = T.VOID  # type: ignore[attr-defined]
        return
    e.kaa_parts = [_value_part(c, e, Spec())]  # type: ignore[attr-defined]


def _formatted(c: "Checker", v: ast.FormattedValue) -> Part:
    if v.conversion != -1:
        if _self_documenting(c, v.value):
            name = ast.unparse(v.value)
            raise c.report.error(v.value, f"'{{{name}=}}' (the name and its value) is not supported",
                                 f"write the name out: f\"{name}={{{name}}}\"")
        raise c.report.error(v.value, f"'!{chr(v.conversion)}' conversions are not supported",
                             "write {x} or {x:...}: values format as themselves")
    spec = Spec()
    if v.format_spec is not None:
        fs = v.format_spec
        if not all(isinstance(p, ast.Constant) for p in fs.values):  # type: ignore[attr-defined]
            raise c.report.error(fs, "format specs must be constant", "write e.g. {x:08x}")
        spec = parse_spec(c, fs, "".join(p.value for p in fs.values))  # type: ignore[attr-defined]
    return _value_part(c, v.value, spec)


def _self_documenting(c: "Checker", e: ast.expr) -> bool:
    """Whether `e` is written {e=} (Python 3.8's debugging form): an '=' follows it."""
    lines = c.func.module.source.splitlines()
    if e.end_lineno is None or e.end_col_offset is None or e.end_lineno > len(lines):
        return False
    rest = lines[e.end_lineno - 1].encode()[e.end_col_offset:].decode(errors="replace").lstrip()
    return rest.startswith("=") and not rest.startswith("==")


def parse_spec(c: "Checker", node: ast.AST, text: str) -> Spec:
    m = SPEC.match(text)
    if m is None:
        raise c.report.error(node, f"unsupported format spec ':{text}'",
                             "use [[fill]align][sign][#][0][width][b|d|o|x|X|s], e.g. {x:08x} or {s:>10}")
    spec = Spec(width=int(m["width"] or 0), type=m["type"] or "", sign=m["sign"] or "-", alt=bool(m["alt"]))
    if m["zero"] and not m["align"]:
        spec.fill, spec.align = "0", "="
    if m["align"]:
        spec.align, spec.fill = m["align"], m["fill"] or " "
    if len(spec.fill.encode()) != 1:
        raise c.report.error(node, "the fill character must be one byte", "use an ASCII fill, e.g. {x:*>8}")
    return spec


def _value_part(c: "Checker", e: ast.expr, spec: Spec) -> Part:
    if isinstance(e, ast.JoinedStr):
        raise c.report.error(e, "nested f-strings are not supported", "write all the parts into one f-string")
    t = c.expr(e)
    c.finalize(e)
    t = e.ty  # type: ignore[attr-defined]
    if T.as_int(t) or (t == T.BOOL and (spec.width or spec.type or spec.align)):
        kind = "int"                 # Python formats a bool with a spec as 0/1
    elif t == T.BOOL:
        kind = "bool"
    elif t == T.STR:
        kind = "str"
    elif t == T.BYTES:
        kind = "bytes"
    elif isinstance(t, T.PtrType):
        kind = "ptr"
    elif t == T.F64:
        raise c.report.error(e, "an f64 is not formatted at the kernel level",
                             f"print its bits in hex: {{bits({ast.unparse(e)}):016x}} (a service-level float "
                             "prints as in Python)")
    else:
        raise c.report.error(e, f"cannot format a {t}", "format integers, bools, pointers, Str and Bytes")
    if kind != "int" and (spec.type not in ("", "s") or spec.align == "=" or spec.alt or spec.sign != "-"):
        raise c.report.error(e, f"format spec is for integers, not {t}",
                             "Str, Bytes, bools and pointers take [[fill]align][width], e.g. {s:>10}")
    if kind == "int" and spec.type == "s":
        raise c.report.error(e, "':s' is for strings; integers take b, d, o, x or X", "write {x} or {x:d}")
    return Part(kind, e, spec)
