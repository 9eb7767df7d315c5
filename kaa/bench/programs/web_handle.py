"""kaa bench: App.handle alone, in the guest: a Request made by hand, answered N times, the
time per request printed (no network, no bridge). `kaa run kaa/bench/programs/web_handle.py --net none`."""

import time
from dataclasses import dataclass

from kaa.web import App, Request

app = App()
app.access_log = False


@dataclass
class Item:
    id: int
    name: str
    price: float


items = {1: Item(1, "tea", 2.5)}


@app.get("/items/{item_id}")
def get_item(item_id: int) -> Item:
    return items[item_id]


@app.get("/text")
def text() -> str:
    return "Hello from kaa.web\n"


N = 20000
for path in ("/items/1", "/text"):
    t = time.perf_counter()
    for _ in range(N):
        r = app.handle(Request("GET", path, "", {"host": "x"}, b""))
    dt = time.perf_counter() - t
    print(path, r.status, len(r.body), f"{dt / N * 1e9:.0f} ns/request")
