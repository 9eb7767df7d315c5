"""Generate unicode_tables.c: the character data str needs, from CPython's own database.

Run with CPython 3.11 (Unicode 14.0.0): `python3 kaa/pyrt/gen_unicode_tables.py`.
The output is committed; rerun it only to change the layout or the Unicode version.

Every property is read from CPython itself (unicodedata and the str predicates of a
one-character string), so the runtime agrees with the CPython that generated it:
  - flags: printable, alpha, decimal, digit, numeric, space, lower, upper, title (Lt),
    cased and case-ignorable (the two the final-sigma rule and str.title() use, probed
    through CPython's own behaviour), XID start/continue (str.isidentifier);
  - case mappings lower/upper/title/fold: a delta (mapped = cp + delta) when the full
    mapping is one code point, else an index into an expansion table (count, then the
    code points), flagged by K_UC_EXTENDED in the record.

Layout (CPython's two-level scheme): each code point has a record (flags and the four
deltas); identical records are stored once. index1[cp >> SHIFT] picks a block of
2**SHIFT entries, index2[block * 2**SHIFT + (cp & mask)] picks the record. Identical
blocks are stored once. SHIFT is chosen to make the tables smallest.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

NCP = 0x110000
FLAGS = ["PRINTABLE", "ALPHA", "DECIMAL", "DIGIT", "NUMERIC", "SPACE", "LOWER", "UPPER",
         "TITLE", "CASED", "CASE_IGNORABLE", "XID_START", "XID_CONTINUE", "EXTENDED"]
BIT = {name: 1 << i for i, name in enumerate(FLAGS)}


def is_cased(c: str) -> bool:
    # str.title() lowers the character after a cased one, and titles it otherwise.
    return (c + "a").title()[-1] == "a"


def is_case_ignorable(c: str, cased: bool) -> bool:
    # Final sigma: a cased letter, case-ignorables, capital sigma, no cased letter after.
    if cased:       # ignorable iff skipped when it follows the sigma
        return ("A\u03a3" + c).lower()[1] == "\u03c2"
    return ("A" + c + "\u03a3").lower()[-1] == "\u03c2"   # skipped before the sigma


def flags_of(cp: int) -> int:
    c = chr(cp)
    f = 0
    checks = [("PRINTABLE", c.isprintable()), ("ALPHA", c.isalpha()), ("DECIMAL", c.isdecimal()),
              ("DIGIT", c.isdigit()), ("NUMERIC", c.isnumeric()), ("SPACE", c.isspace()),
              ("LOWER", c.islower()), ("UPPER", c.isupper()),
              ("TITLE", unicodedata.category(c) == "Lt"),
              ("XID_START", c.isidentifier() and c != "_"), ("XID_CONTINUE", ("a" + c).isidentifier())]
    for name, ok in checks:
        if ok:
            f |= BIT[name]
    cased = is_cased(c)
    if cased:
        f |= BIT["CASED"]
    if is_case_ignorable(c, cased):
        f |= BIT["CASE_IGNORABLE"]
    return f


def build_records() -> tuple[list[tuple[int, ...]], list[int], list[int]]:
    """One record per code point (as an index into the unique records), and the expansions."""
    records: dict[tuple[int, ...], int] = {}
    expansions: list[int] = []
    exp_index: dict[str, int] = {}
    per_cp: list[int] = []
    for cp in range(NCP):
        c = chr(cp)
        f = flags_of(cp)
        maps = [c.lower(), c.upper(), c.title(), c.casefold()]
        if any(len(m) != 1 for m in maps):
            f |= BIT["EXTENDED"]
            fields = []
            for m in maps:
                if m not in exp_index:
                    exp_index[m] = len(expansions)
                    expansions += [len(m), *map(ord, m)]
                fields.append(exp_index[m])
        else:
            fields = [ord(m) - cp for m in maps]
        rec = (f, *fields)
        per_cp.append(records.setdefault(rec, len(records)))
    return list(records), per_cp, expansions


def split_blocks(per_cp: list[int], shift: int) -> tuple[list[int], list[int]]:
    size = 1 << shift
    blocks: dict[tuple[int, ...], int] = {}
    index1 = []
    index2: list[int] = []
    for start in range(0, NCP, size):
        block = tuple(per_cp[start:start + size])
        if block not in blocks:
            blocks[block] = len(blocks)
            index2 += block
        index1.append(blocks[block])
    return index1, index2


def ctype(values: list[int]) -> str:
    return "u8" if max(values) < 256 else "u16" if max(values) < 65536 else "u32"


def width(values: list[int]) -> int:
    return {"u8": 1, "u16": 2, "u32": 4}[ctype(values)]


def c_array(name: str, typ: str, values: list[int], per_line: int = 16) -> str:
    lines = [f"static const {typ} {name}[{len(values)}] = {{"]
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(str(v) for v in values[i:i + per_line]) + ",")
    lines.append("};")
    return "\n".join(lines)


def generate() -> str:
    records, per_cp, expansions = build_records()
    best = min(range(4, 11), key=lambda s: sum(len(t) * width(t) for t in split_blocks(per_cp, s)))
    index1, index2 = split_blocks(per_cp, best)
    rec_lines = ["static const KUcRecord records[%d] = {" % len(records)]
    rec_lines += ["    {%d, %d, %d, %d, %d}," % r for r in records]
    rec_lines.append("};")
    return TEMPLATE.format(
        version=unicodedata.unidata_version, python=sys.version.split()[0], shift=best,
        records="\n".join(rec_lines),
        index1=c_array("index1", ctype(index1), index1), index2=c_array("index2", ctype(index2), index2, 32),
        expansions=c_array("expansions", "u32", expansions or [0]))


TEMPLATE = """\
/* Unicode {version} character data for str (CPython {python}'s unicodedata).
 * GENERATED by kaa/pyrt/gen_unicode_tables.py: do not edit; see that script for the layout.
 * Lookup: records[index2[(index1[cp >> SHIFT] << SHIFT) + (cp & MASK)]].
 */
#include "str.h"

#define SHIFT {shift}
#define MASK ((1u << SHIFT) - 1)

_Static_assert(K_UC_PRINTABLE == 1 && K_UC_XID_CONTINUE == 4096 && K_UC_EXTENDED == 8192, "flags as generated");

typedef struct {{ u16 flags; i32 lower, upper, title, fold; }} KUcRecord;

{records}

{index1}

{index2}

/* Multi-code-point mappings: a count, then the code points. */
{expansions}

static const KUcRecord *record(u32 cp) {{
    u32 block = index1[cp >> SHIFT];
    return &records[index2[(block << SHIFT) + (cp & MASK)]];
}}

u32 k_uc_flags(u32 cp) {{ return record(cp)->flags; }}

static int mapping(u32 cp, const KUcRecord *r, i32 field, u32 *out) {{
    if (!(r->flags & K_UC_EXTENDED)) {{
        out[0] = (u32)((i32)cp + field);
        return 1;
    }}
    const u32 *e = &expansions[field];
    for (u32 i = 0; i < e[0]; i++) out[i] = e[1 + i];
    return (int)e[0];
}}

int k_uc_lower(u32 cp, u32 *out) {{ const KUcRecord *r = record(cp); return mapping(cp, r, r->lower, out); }}
int k_uc_upper(u32 cp, u32 *out) {{ const KUcRecord *r = record(cp); return mapping(cp, r, r->upper, out); }}
int k_uc_title(u32 cp, u32 *out) {{ const KUcRecord *r = record(cp); return mapping(cp, r, r->title, out); }}
int k_uc_fold(u32 cp, u32 *out) {{ const KUcRecord *r = record(cp); return mapping(cp, r, r->fold, out); }}
"""


if __name__ == "__main__":
    out = Path(__file__).with_name("unicode_tables.c")
    out.write_text(generate())
    print(f"wrote {out}")
