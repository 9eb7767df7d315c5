"""A service that calls another by name: the Item service (examples/items.py) through
kaa.web's HTTP client, its name resolved by DNS.

    kaa run examples/items.py -p 8080:8080                          # service B
    kaa run examples/items_client.py -- DNS=10.0.2.2:5353 ITEMS=http://items.test:8080
    ITEMS=http://127.0.0.1:8080 python3 examples/items_client.py    # the same calls under CPython

Booted, `items.test` is asked of the DNS server DNS= names (here one on the host, which
QEMU's user network shows the guest as 10.0.2.2); without DNS=, of DHCP's server.
What it prints does not depend on what B held before: run it as often as you like.
"""

import os
import socket

from kaa import web


def main() -> None:
    base = os.environ.get("ITEMS", "http://items.test:8080")
    host = base.split("://")[1].split(":")[0].split("/")[0]

    # Names: one lookup, then the cache (tests count the queries the server saw)
    first = socket.gethostbyname(host)
    print("resolved", host, "twice alike:", socket.gethostbyname(host) == first)

    session = web.Session(headers={"X-Caller": "items_client"}, timeout=10)
    created = session.post(f"{base}/items", json={"name": "kettle", "price": 30})
    item = created.json()
    print(created.status, created.headers["Content-Type"], item["name"], item["price"])

    got = session.get(f"{base}/items/{item['id']}")
    print(got.status, got.json() == item, got.headers.get("content-length") == str(len(got.content)))

    listed = session.get(f"{base}/items", params={"limit": "1000"})
    print(listed.status, "kettle" in listed.json())

    missing = session.get(f"{base}/items/0")
    print(missing.status, missing.json(), missing.ok)
    try:
        missing.raise_for_status()
    except web.HTTPStatusError as status_error:
        print("raise_for_status:", status_error.status)

    bad = session.post(f"{base}/items", data=b'{"name": ', headers={"Content-Type": "application/json"})
    print(bad.status, bad.json()["detail"].startswith("invalid JSON"))

    gone = session.delete(f"{base}/items/{item['id']}")
    print(gone.status, repr(gone.content), session.get(f"{base}/items/{item['id']}").status)
    print("connections opened:", session.connections_made)
    session.close()

    # The module functions share one session; errors are exceptions
    print(web.get(f"{base}/items/x").status)
    for url in [os.environ.get("MISSING", "http://items.test:1") + "/", "http://nowhere.test/", "https://items.test/"]:
        try:
            web.get(url, timeout=10)
        except ConnectionRefusedError as refused:
            print("refused:", refused)
        except socket.gaierror as no_name:
            print("no such name:", no_name.errno, no_name.strerror)
        except web.ClientError as client_error:
            print("client error:", client_error)

    # socket itself: an HTTP/1.0 request by hand
    port = int(base.rsplit(":", 1)[1]) if base.count(":") == 2 else 80
    conn = socket.create_connection((host, port), timeout=10)
    conn.sendall(f"GET /items/0 HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
    reply = b""
    while True:
        data = conn.recv(4096)
        if not data:
            break
        reply += data
    conn.close()
    print(reply.split(b"\r\n")[0].decode(), reply.endswith(b'{"detail": "no item 0"}'))


if __name__ == "__main__":
    main()
