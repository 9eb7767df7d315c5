"""A kaa.web service serving files from the folder "site" (the disk, booted; the working
directory under CPython), beside one route (tests/test_web.py)."""

import os

from kaa.web import App

app = App()
app.static("/static", "site")


@app.get("/api/ping")
def ping() -> dict[str, bool]:
    return {"ok": True}


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8080")))
