# kaa/http/date.py on the host: stdin has one request a line, "f SECONDS" (print
# the IMF-fixdate) or "p TEXT" (print the seconds parse() gives, -1 for none).
from kaa.lang import *
import kaa.http.date as http_date
import http_io

out: Array[u8, 64]


def line_end(s: Str, start: i64) -> i64:
    i = start
    while i < len(s) and s[i] != 10:
        i += 1
    return i


def main() -> i32:
    s = http_io.script()
    pos: i64 = 0
    while pos < len(s):
        end = line_end(s, pos)
        line = s[pos:end]
        pos = end + 1
        if len(line) < 2:
            continue
        if line[0] == 102:                  # f
            w = Writer(buf=addr(out[0]), cap=len(out))
            http_date.format(addr(w), http_io.signed(line[2:len(line)]))
            print(w.text())
        else:
            print(http_date.parse(line[2:len(line)]))
    return 0
