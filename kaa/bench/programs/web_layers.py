"""kaa bench webprof: the layers under kaa.web, one at a time (LAYER=... on the command line).

Each layer answers through kaa/web/bridge.py directly and does only part of what
kaa.web's transport (kaa/web/transport_kaa.py) and App do, so the difference between two
layers' cost per request is what that part costs:

  raw      a constant body: the kernel's HTTP server and the call into Python, nothing else
  read     raw + the method, path, query and body copied out of the kernel
  headers  read + the headers dict (names lower-cased), as the transport makes it
  request  headers + the Request object (its query and cookies parsed)
  lean     GET /items/N with no framework: the path tested by hand, json.dumps(asdict(item))
  fstr     lean with the JSON written by an f-string (no asdict, no json.dumps)

Booted only (the bridge is the kernel's):
    kaa run kaa/bench/programs/web_layers.py -p 8080:8080 -- PORT=8080 LAYER=request
"""

import json
import os
from dataclasses import asdict, dataclass

import kaa.web.runtime as runtime
import kaa.web.bridge as bridge
from kaa.web.http import Request

LAYERS = {"raw": 0, "read": 1, "headers": 2, "request": 3, "lean": 4, "fstr": 5}
layer = LAYERS[os.environ.get("LAYER", "raw")]
TEXT = b"Hello from kaa.web\n"
NOT_FOUND = b'{"detail": "Not Found"}'


@dataclass
class Item:
    id: int
    name: str
    price: float


items: dict[int, Item] = {1: Item(1, "tea", 2.5)}


def item_json(item: Item) -> bytes:
    if layer == LAYERS["fstr"]:
        return f'{{"id": {item.id}, "name": "{item.name}", "price": {item.price}}}'.encode("utf-8")
    return json.dumps(asdict(item)).encode("utf-8")


def answer_item(h: int) -> None:
    path = bridge.path(h)
    if path.startswith("/items/"):
        item = items.get(int(path[7:]))
        if item is not None:
            bridge.respond(h, 200, "application/json", item_json(item))
            return
    bridge.respond(h, 404, "application/json", NOT_FOUND)


def on_request(h: int) -> None:
    if layer >= LAYERS["lean"]:
        answer_item(h)
        return
    if layer >= LAYERS["read"]:
        headers: dict[str, str] = {}
        if layer >= LAYERS["headers"]:
            for i in range(bridge.header_count(h)):
                headers[bridge.header_name(h, i).lower()] = bridge.header_value(h, i)
        method = bridge.method(h)
        path = bridge.path(h)
        query = bridge.query(h)
        body = bridge.body(h)
        if layer >= LAYERS["request"]:
            Request(method, path, query, headers, body)
    bridge.respond(h, 200, "text/plain; charset=utf-8", TEXT)


runtime.set_handler(on_request)
port = int(os.environ.get("PORT", "8080"))
if not bridge.listen(port):
    raise RuntimeError(f"cannot serve on port {port}")
print(f"web_layers: serving on port {port} (LAYER={os.environ.get('LAYER', 'raw')})")
bridge.run()
