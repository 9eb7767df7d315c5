"""The front service of examples/stack: calls the back service by name and answers
with what it got.

    GET /                  the back's stock, fetched from BACK_URL (http://back/ in stack.toml)
    POST /buy/{item}       takes one item from the back's stock

`back` resolves through the hosts table `kaa up` puts on each guest's command line
(HOSTS=...); under CPython, through the system's resolver:

    PORT=8081 python3 examples/stack/back.py &
    BACK_URL=http://127.0.0.1:8081/ PORT=8080 python3 examples/stack/front.py
"""

import os
import socket
from typing import Any

from kaa import web
from kaa.web import App, HTTPError

app = App()
BACK_URL = os.environ.get("BACK_URL", "http://back/")


def back(method: str, path: str) -> Any:
    """The back's JSON answer; a 502 when it cannot be reached or fails."""
    try:
        r = web.request(method, BACK_URL + path, timeout=5)
    except (OSError, web.ClientError) as e:
        raise HTTPError(502, f"back service at {BACK_URL}: {e}")
    if r.status >= 500:
        raise HTTPError(502, f"back service at {BACK_URL}: status {r.status}")
    if r.status >= 400:
        raise HTTPError(r.status, r.json()["detail"])
    return r.json()


@app.get("/")
def index() -> dict[str, Any]:
    return {"host": socket.gethostname(), "back": back("GET", "stock")}


@app.post("/buy/{item}")
def buy(item: str) -> dict[str, Any]:
    return {"host": socket.gethostname(), "back": back("POST", f"stock/{item}/take")}


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "80")))
