"""The back service of examples/stack: a stock of items, kept in memory, as JSON.

Not published: only the other services of the stack reach it, by its name `back`.
Every answer says which host answered (HOSTNAME, which `kaa up` sets to the service's
name) and how many requests it has served, so a caller's answer shows where it came from.

    python3 examples/stack/back.py                  # under CPython (PORT=8081 to move it)
"""

import os
import socket

from kaa.web import App, HTTPError

app = App()
app.access_log = False

stock: dict[str, int] = {"tea": 12, "kettle": 3}
served = 0


@app.get("/stock")
def list_stock() -> dict[str, object]:
    global served
    served += 1
    return {"host": socket.gethostname(), "served": served, "stock": stock}


@app.post("/stock/{item}/take")
def take(item: str) -> dict[str, object]:
    global served
    served += 1
    if stock.get(item, 0) <= 0:
        raise HTTPError(409, f"no {item} left")
    stock[item] -= 1
    return {"host": socket.gethostname(), "served": served, "item": item, "left": stock[item]}


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "80")))
