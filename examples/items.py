"""A REST service in plain Python with kaa.web: items kept in memory.

    kaa run examples/items.py -p 8080:8080             # booted (PORT=... after -- to change it)
    python3 examples/items.py                           # the same service under CPython
    curl -X POST -d '{"name": "tea", "price": 2.5}' http://127.0.0.1:8080/items     # 201
    curl http://127.0.0.1:8080/items/1                   # {"id": 1, "name": "tea", "price": 2.5}
    curl http://127.0.0.1:8080/items/x                   # 422: item_id must be an integer
    curl 'http://127.0.0.1:8080/items?limit=5'           # the names of the first five
"""

import os
from dataclasses import dataclass

from kaa.web import App, HTTPError, Request

app = App()


@dataclass
class Item:
    id: int
    name: str
    price: float


items: dict[int, Item] = {}


@app.get("/items/{item_id}")
def get_item(item_id: int) -> Item:
    if item_id not in items:
        raise HTTPError(404, f"no item {item_id}")
    return items[item_id]


@app.post("/items", status=201)
def create_item(req: Request) -> Item:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        raise HTTPError(422, "an item needs a name (a string) and a price")
    try:
        price = float(body["price"])
    except (KeyError, TypeError, ValueError):
        raise HTTPError(422, "an item's price is a number")
    item = Item(len(items) + 1, body["name"], price)
    items[item.id] = item
    return item


@app.delete("/items/{item_id}")
def delete_item(item_id: int) -> None:
    if items.pop(item_id, None) is None:
        raise HTTPError(404, f"no item {item_id}")


@app.get("/items")
def list_items(limit: int = 10) -> list[str]:
    return [i.name for i in items.values()][:limit]


@app.get("/crash")
def crash() -> str:
    return str(1 // (len(items) - len(items)))      # a handler that raises: a 500, and the server goes on


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8080")))
