"""kaa bench http: the kaa.web framework under load, booted and under CPython (one file).

GET /items/1 answers item 1 (created at start) as JSON through the framework's whole
path: routing, the path part converted to an int, the handler, the dataclass sent as
JSON. GET /text answers a constant string: the same path without the JSON, to tell the
framework's cost from the handler's.

The access log is off unless ACCESS_LOG=1: a console line per request is not what a
service under production load writes (and booted, every line crosses the serial port).

    kaa run kaa/bench/programs/web_items.py -p 8080:8080 -- PORT=8080
    PORT=8080 PYTHONPATH=. python3 kaa/bench/programs/web_items.py
"""

import os
from dataclasses import dataclass

from kaa.web import App, HTTPError

app = App()
app.access_log = os.environ.get("ACCESS_LOG", "0") == "1"


@dataclass
class Item:
    id: int
    name: str
    price: float


items: dict[int, Item] = {1: Item(1, "tea", 2.5)}


@app.get("/items/{item_id}")
def get_item(item_id: int) -> Item:
    if item_id not in items:
        raise HTTPError(404, f"no item {item_id}")
    return items[item_id]


@app.get("/text")
def text() -> str:
    return "Hello from kaa.web\n"


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8080")))
