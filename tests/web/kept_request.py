"""A service that keeps a request past its answer and reads it later: the kernel's
exchange is gone by then, so the booted transport must have copied what it holds.

    POST /keep?x=1 (a body, a header X-Note) keeps the request
    GET /kept                               answers what the kept one held
"""

import os

from kaa.web import App, Request

app = App()
app.access_log = False
kept: list[Request] = []


@app.post("/keep")
def keep(req: Request) -> str:
    kept.append(req)
    return "kept\n"


@app.get("/kept")
def show() -> str:
    if not kept:
        return "none\n"
    old = kept[-1]
    return f"{old.method} {old.path} {old.query_string} {old.header('x-note')} {old.args.get('x')} {len(old.body)}\n"


app.run(port=int(os.environ.get("PORT", "8080")))
