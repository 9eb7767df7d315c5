"""A small REST service: an in-memory key-value store.

    kaa run examples/http_api.py -p 8080:80
    curl -X PUT --data-binary 'world' http://127.0.0.1:8080/kv/hello     # 201 Created (200 when replaced)
    curl http://127.0.0.1:8080/kv/hello                                  # world
    curl -X DELETE http://127.0.0.1:8080/kv/hello                        # 204
    curl http://127.0.0.1:8080/stats                                     # {"keys":0,"bytes":0,...}

Keys are up to MAX_KEY bytes of the path after /kv/, values up to the request body
limit; each value lives in its own heap block, freed when it is replaced or deleted.
The table is open-addressed with linear probing and tombstones.
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.lib.http as http
import kernel.lib.json as json
import kernel.net.httpd as httpd
import kernel.net.net as net

SLOTS: Final = 4096                 # a power of two
MAX_KEY: Final = 128
EMPTY: Final = 0
USED: Final = 1
DELETED: Final = 2


@struct
class Entry:
    state: u8
    key_len: u8
    key: Array[u8, 128]
    value: Bytes


table: Array[Entry, 4096]
keys: i64 = 0
value_bytes: i64 = 0
gets: u64 = 0
puts: u64 = 0
deletes: u64 = 0


def hash(s: Str) -> u64:
    h: u64 = 0xCBF29CE484222325     # FNV-1a
    for b in s:
        h = (h ^ b) * 0x100000001B3
    return h


def same_key(e: Ptr[Entry], s: Str) -> bool:
    if e.key_len != len(s):
        return False
    for i in range(len(s)):
        if e.key[i] != s[i]:
            return False
    return True


def find(key: Str, for_insert: bool) -> Ptr[Entry]:
    """The entry holding key; with for_insert, else the first free slot on its probe path."""
    free_slot: Ptr[Entry] = None
    i = hash(key) & (SLOTS - 1)
    for probe in range(SLOTS):
        e = addr(table[(i + u64(probe)) & (SLOTS - 1)])
        if e.state == EMPTY:
            return free_slot if free_slot is not None else (e if for_insert else None)
        if e.state == DELETED:
            if free_slot is None and for_insert:
                free_slot = e
        elif same_key(e, key):
            return e
    return free_slot


def get(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global gets
    gets += 1
    e = find(req.rest, False)
    if e is None or len(req.rest) == 0:
        http.error(resp, 404)
        return
    http.send_bytes(resp, 200, "application/octet-stream", e.value)


def put(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global keys, value_bytes, puts
    key = req.rest
    if len(key) == 0 or len(key) > MAX_KEY:
        http.text(resp, 400, "a key is 1 to 128 bytes\n")
        return
    e = find(key, True)
    if e is None:
        http.text(resp, 507, "the store is full\n")
        return
    value = new_array(u8, len(req.body))
    for i in range(len(req.body)):
        value[i] = req.body[i]
    created = e.state != USED or not same_key(e, key)
    if created:
        e.state = USED
        e.key_len = u8(len(key))
        for i in range(len(key)):
            e.key[i] = key[i]
        keys += 1
    else:
        value_bytes -= len(e.value)
        free(e.value)
    e.value = value
    value_bytes += len(value)
    puts += 1
    http.text(resp, 201 if created else 200, "created\n" if created else "replaced\n")


def delete(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global keys, value_bytes, deletes
    e = find(req.rest, False)
    if e is None or len(req.rest) == 0:
        http.error(resp, 404)
        return
    value_bytes -= len(e.value)
    free(e.value)
    e.value = Bytes(ptr=None, len=0)
    e.state = DELETED
    keys -= 1
    deletes += 1
    http.send_bytes(resp, 204, "text/plain", b"")


def stats(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "keys", keys)
    json.field_int(j, "bytes", value_bytes)
    json.field_int(j, "gets", i64(gets))
    json.field_int(j, "puts", i64(puts))
    json.field_int(j, "deletes", i64(deletes))
    json.end_object(j)


def main() -> i32:
    if not net.up():
        return 1
    router: http.Router
    http.route(addr(router), "GET", "/kv/", get)
    http.route(addr(router), "PUT", "/kv/", put)
    http.route(addr(router), "DELETE", "/kv/", delete)
    http.route(addr(router), "GET", "/stats", stats)
    port = u16(cmdline.int_value("port", 80))
    print(f"http_api: serving on port {port}")
    if not httpd.serve(port, addr(router)):
        print(f"http_api: port {port} is taken")
        return 1
    return 0
