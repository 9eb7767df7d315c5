"""The smallest HTTP microservice: GET / answers with a JSON greeting.

    kaa run examples/http_hello.py -p 8080:80        # then: curl http://127.0.0.1:8080/

The answer carries the uptime and how many requests it has served; every other path
is a 404, every other method a 405, malformed requests a 400 (kaa/http/connection.py).
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kaa.http.connection as http
import kaa.http.json_writer as json
import kaa.http.server as httpd
import kernel.net.net as net
import kernel.threads as threads

requests: u64 = 0


def hello(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global requests
    requests += 1
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_str(j, "message", "Hello from Kaa")
    json.field_int(j, "uptime_ms", i64(threads.now_ns() // 1000000))
    json.field_int(j, "requests", i64(requests))
    json.end_object(j)


def main() -> i32:
    if not net.up():
        return 1
    router: http.Router
    http.route(addr(router), "GET", "/", hello)
    port = u16(cmdline.int_value("port", 80))
    print(f"http_hello: serving on port {port}")
    if not httpd.serve(port, addr(router)):
        print(f"http_hello: port {port} is taken")
        return 1
    return 0
