"""A small REST service: an in-memory key-value store.

    kaa run examples/http_api.py -p 8080:80
    curl -X PUT --data-binary 'world' http://127.0.0.1:8080/kv/hello     # 201 Created (200 when replaced)
    curl http://127.0.0.1:8080/kv/hello                                  # world
    curl -X DELETE http://127.0.0.1:8080/kv/hello                        # 204
    curl http://127.0.0.1:8080/stats                                     # {"keys":0,"bytes":0,...}

Keys are up to 128 bytes of the path after /kv/, values up to the request body limit
(1 MiB; `-- http.max_body=BYTES` changes it, kaa/http/server.py), in a kernel.lib.table
(each value its own heap copy, freed when replaced or deleted).
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kaa.http.connection as http
import kaa.http.json_writer as json
import kernel.lib.table as table
import kaa.http.server as httpd
import kernel.net.net as net

SLOTS: Final = 4096                 # a power of two

store: table.Table
gets: u64 = 0
puts: u64 = 0
deletes: u64 = 0


def get(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global gets
    gets += 1
    e = table.find(addr(store), req.rest.bytes())
    if e is None:
        http.error(resp, 404)
        return
    http.send_copy(resp, 200, "application/octet-stream", e.value)    # streamed when large


def put(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global puts
    key = req.rest.bytes()
    if len(key) == 0 or len(key) > table.MAX_KEY:
        http.text(resp, 400, "a key is 1 to 128 bytes\n")
        return
    e = table.slot_for(addr(store), key)
    if e is None or (e.state != table.USED and table.full(addr(store))):
        http.text(resp, 507, "the store is full\n")
        return
    created = table.store(addr(store), e, key, req.body)
    puts += 1
    http.text(resp, 201 if created else 200, "created\n" if created else "replaced\n")


def delete(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global deletes
    e = table.find(addr(store), req.rest.bytes())
    if e is None:
        http.error(resp, 404)
        return
    table.remove(addr(store), e)
    deletes += 1
    http.send_bytes(resp, 204, "text/plain", b"")


def stats(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "keys", store.keys)
    json.field_int(j, "bytes", store.value_bytes)
    json.field_int(j, "gets", i64(gets))
    json.field_int(j, "puts", i64(puts))
    json.field_int(j, "deletes", i64(deletes))
    json.end_object(j)


def main() -> i32:
    if not net.up():
        return 1
    table.init(addr(store), SLOTS)
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
