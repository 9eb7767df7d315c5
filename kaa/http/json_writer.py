"""JSON text (RFC 8259) written through a Writer, valid by construction.

A Json tracks where it is: the open objects and arrays (at most MAX_DEPTH), whether
the current one already has a member (so it writes the comma), and whether an object
is waiting for the value of a key it was given. A call that would make the text
invalid (a value where a key belongs, a second top-level value, closing what is not
open, nesting past MAX_DEPTH) writes nothing and sets `error`; every later call is
then ignored, so callers check once at the end with ok(), which also requires the
top-level value to be complete and the Writer not to have overflowed.

Strings are written as UTF-8: `"`, `\\` and the control characters U+0000..U+001F are
escaped (RFC 8259 section 7), everything else passes through. Bytes that are not
well-formed UTF-8 become U+FFFD, one per maximal ill-formed subpart (Unicode 15,
section 3.9, "U+FFFD substitution of maximal subparts"), so the text stays valid JSON
whatever a caller hands in; that is the same rule as Python's errors="replace".

    j: json.Json
    json.init(addr(j), addr(w))
    json.begin_object(addr(j))
    json.field_str(addr(j), "name", "kaa")
    json.key(addr(j), "ports")
    json.begin_array(addr(j))
    json.integer(addr(j), 80)
    json.end_array(addr(j))
    json.end_object(addr(j))
    if not json.ok(addr(j)): ...            # {"name":"kaa","ports":[80]}
"""

from kaa.lang import *

MAX_DEPTH: Final = 32
OBJECT: Final = 1
ARRAY: Final = 2


@struct
class Json:
    w: Ptr[Writer]
    depth: u32                      # open objects and arrays
    kinds: Array[u8, 33]            # kinds[d]: OBJECT or ARRAY for level d (1..depth)
    members: Array[bool, 33]        # members[d]: level d has a member (the next needs a comma)
    want_value: bool                # the innermost object has a key and waits for its value
    done: bool                      # the top-level value is complete
    error: bool


def init(j: Ptr[Json], w: Ptr[Writer]) -> None:
    j[0] = Json(w=w)


def ok(j: Ptr[Json]) -> bool:
    """The text is one complete JSON value and every byte of it reached the Writer."""
    return not j.error and j.done and not j.w.overflow


# ---- structure ---------------------------------------------------------------------

def value_slot(j: Ptr[Json]) -> bool:
    """Make room for a value here (a comma if needed); False, with error set, when a
    value is not allowed."""
    if j.error:
        return False
    if j.depth == 0:
        if j.done:
            j.error = True                  # a second top-level value
            return False
        return True
    if j.kinds[j.depth] == OBJECT:
        if not j.want_value:
            j.error = True                  # an object member needs its key first
            return False
        j.want_value = False
        return True
    if j.members[j.depth]:
        j.w.write_byte(44)                  # ','
    j.members[j.depth] = True
    return True


def value_written(j: Ptr[Json]) -> None:
    if j.depth == 0:
        j.done = True


def open_level(j: Ptr[Json], kind: u8, bracket: u8) -> None:
    if not value_slot(j):
        return
    if j.depth == MAX_DEPTH:
        j.error = True
        return
    j.depth += 1
    j.kinds[j.depth] = kind
    j.members[j.depth] = False
    j.w.write_byte(bracket)


def close_level(j: Ptr[Json], kind: u8, bracket: u8) -> None:
    if j.error:
        return
    if j.depth == 0 or j.kinds[j.depth] != kind or j.want_value:
        j.error = True                      # nothing open, the other kind, or a key without value
        return
    j.depth -= 1
    j.w.write_byte(bracket)
    value_written(j)


def begin_object(j: Ptr[Json]) -> None:
    open_level(j, OBJECT, 123)              # '{'


def end_object(j: Ptr[Json]) -> None:
    close_level(j, OBJECT, 125)             # '}'


def begin_array(j: Ptr[Json]) -> None:
    open_level(j, ARRAY, 91)                # '['


def end_array(j: Ptr[Json]) -> None:
    close_level(j, ARRAY, 93)               # ']'


def key(j: Ptr[Json], name: Str) -> None:
    """The next member's name; its value must come next."""
    if j.error:
        return
    if j.depth == 0 or j.kinds[j.depth] != OBJECT or j.want_value:
        j.error = True
        return
    if j.members[j.depth]:
        j.w.write_byte(44)
    j.members[j.depth] = True
    write_string(j.w, name)
    j.w.write_byte(58)                      # ':'
    j.want_value = True


# ---- values ------------------------------------------------------------------------

def string(j: Ptr[Json], s: Str) -> None:
    if value_slot(j):
        write_string(j.w, s)
        value_written(j)


def string_bytes(j: Ptr[Json], b: Bytes) -> None:
    """Bytes (a request body, say) as a string: ill-formed UTF-8 becomes U+FFFD."""
    string(j, Str(ptr=b.ptr, len=len(b)))


def integer(j: Ptr[Json], v: i64) -> None:
    if value_slot(j):
        j.w.write(v)
        value_written(j)


def unsigned(j: Ptr[Json], v: u64) -> None:
    if value_slot(j):
        j.w.write(v)
        value_written(j)


def boolean(j: Ptr[Json], v: bool) -> None:
    if value_slot(j):
        j.w.write_str("true" if v else "false")
        value_written(j)


def null(j: Ptr[Json]) -> None:
    if value_slot(j):
        j.w.write_str("null")
        value_written(j)


def field_str(j: Ptr[Json], name: Str, v: Str) -> None:
    key(j, name)
    string(j, v)


def field_int(j: Ptr[Json], name: Str, v: i64) -> None:
    key(j, name)
    integer(j, v)


def field_bool(j: Ptr[Json], name: Str, v: bool) -> None:
    key(j, name)
    boolean(j, v)


# ---- strings -----------------------------------------------------------------------

def write_string(w: Ptr[Writer], s: Str) -> None:
    """s quoted and escaped; ill-formed UTF-8 replaced by U+FFFD."""
    w.write_byte(34)                        # '"'
    i = 0
    while i < len(s):
        c = s[i]
        if c < 0x80:
            write_ascii(w, c)
            i += 1
            continue
        n = utf8_sequence(s, i)
        if n > 0:
            w.write_str(s[i:i + n])
            i += n
        else:
            w.write_str("\ufffd")             # U+FFFD, as UTF-8
            i -= n
    w.write_byte(34)


def write_ascii(w: Ptr[Writer], c: u8) -> None:
    if c == 34 or c == 92:                  # '"' and '\'
        w.write_byte(92)
        w.write_byte(c)
    elif c >= 0x20:
        w.write_byte(c)
    elif c == 8:
        w.write_str("\\b")
    elif c == 9:
        w.write_str("\\t")
    elif c == 10:
        w.write_str("\\n")
    elif c == 12:
        w.write_str("\\f")
    elif c == 13:
        w.write_str("\\r")
    else:
        w.write(f"\\u{c:04x}")


def utf8_sequence(s: Str, i: i64) -> i64:
    """The length of the well-formed UTF-8 sequence at s[i] (a byte >= 0x80), or minus
    the length of the maximal ill-formed subpart to replace (Unicode table 3-7)."""
    c = s[i]
    need = 0
    lo: u8 = 0x80
    hi: u8 = 0xBF
    if 0xC2 <= c <= 0xDF:
        need = 1
    elif c == 0xE0:
        need = 2
        lo = 0xA0                           # no overlong 3-byte forms
    elif 0xE1 <= c <= 0xEC or 0xEE <= c <= 0xEF:
        need = 2
    elif c == 0xED:
        need = 2
        hi = 0x9F                           # no surrogates
    elif c == 0xF0:
        need = 3
        lo = 0x90                           # no overlong 4-byte forms
    elif 0xF1 <= c <= 0xF3:
        need = 3
    elif c == 0xF4:
        need = 3
        hi = 0x8F                           # nothing above U+10FFFF
    else:
        return -1                           # a continuation byte, C0, C1 or F5..FF
    for k in range(1, need + 1):
        if i + k >= len(s) or s[i + k] < lo or s[i + k] > hi:
            return -k
        lo = 0x80
        hi = 0xBF
    return need + 1
