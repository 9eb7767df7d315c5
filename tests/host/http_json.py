# kaa/http/json_writer.py on the host: stdin is a list of events, the JSON text comes out
# in hex. Events: { } [ ] (objects, arrays), k:HEX (a key), s:HEX (a string), i:N
# (an integer), u:N (unsigned), t f n (true, false, null). cap=N on the command line
# sizes the Writer (default 1 MiB), to test overflow. Prints "J <hex>" and
# "ok <bool> error <bool>".
from kaa.lang import *
import kernel.cmdline as cmdline
import kaa.http.json_writer as json
import http_io
import net_hex

text_buf: Array[u8, 1048576]
data_buf: Array[u8, 1048576]


def event(j: Ptr[json.Json], word: Str) -> None:
    c = word[0]
    arg = word[2:len(word)] if len(word) >= 2 else ""
    if c == 123:
        json.begin_object(j)
    elif c == 125:
        json.end_object(j)
    elif c == 91:
        json.begin_array(j)
    elif c == 93:
        json.end_array(j)
    elif c == 107:                          # k
        b = net_hex.unhex(arg, data_buf[0:len(data_buf)])
        json.key(j, Str(ptr=b.ptr, len=len(b)))
    elif c == 115:                          # s
        json.string_bytes(j, net_hex.unhex(arg, data_buf[0:len(data_buf)]))
    elif c == 105:                          # i
        json.integer(j, http_io.signed(arg))
    elif c == 117:                          # u
        json.unsigned(j, u64(http_io.signed(arg)))
    elif c == 116:
        json.boolean(j, True)
    elif c == 102:
        json.boolean(j, False)
    elif c == 110:
        json.null(j)


def main() -> i32:
    cap = u64(cmdline.int_value("cap", len(text_buf)))
    w = Writer(buf=addr(text_buf[0]), cap=cap)
    j: json.Json
    json.init(addr(j), addr(w))
    s = http_io.script()
    pos = 0
    while True:
        word = http_io.next_word(s, addr(pos))
        if len(word) == 0:
            break
        event(addr(j), word)
    http_io.hex_line("J", w.bytes())
    print(f"ok {json.ok(addr(j))} error {j.error}")
    return 0
