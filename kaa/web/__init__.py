"""kaa.web: a small web framework for microservices, for Kaa and for CPython.

    from kaa.web import App, HTTPError, Request

    app = App()

    @app.get("/items/{item_id}")
    def get_item(item_id: int) -> Item: ...

    app.run(port=80)

The same file boots as a Kaa service (the kernel's HTTP server underneath) and runs
under CPython (`python3 service.py`, on the standard library's HTTP server), so a
service can be developed and tested on the host.
"""

from kaa.web.app import App, Route
from kaa.web.client import (ClientError, ClientResponse, Headers, HTTPStatusError, Session, delete, get, patch,
                            post, put, request)
from kaa.web.http import HTTPError, Request, Response, json_reply

__all__ = ["App", "HTTPError", "Request", "Response", "Route", "json_reply",
           "ClientError", "ClientResponse", "Headers", "HTTPStatusError", "Session", "delete", "get", "patch", "post",
           "put", "request"]
