"""kaa.web's client and socket against the scripted server of tests/test_web_client.py:
the same output under CPython and booted (BASE is that server, UDP its echo port,
LISTEN the port to accept one connection on at the end)."""

import os
import socket

from kaa import web

base = os.environ["BASE"]
host = base.split("://")[1].split(":")[0]
s = web.Session(timeout=5)


def show(path: str, method: str = "GET", timeout: float = 5) -> None:
    try:
        r = s.request(method, base + path, timeout=timeout)
        print(path, method, r.status, r.reason, repr(r.content), r.headers.get("x-case"))
    except web.ClientError as e:
        print(path, method, "ClientError:", e)
    except TimeoutError as e:
        print(path, method, "TimeoutError:", e)


for path in ["/len", "/chunked", "/http10", "/continue", "/len", "/close", "/stale", "/len", "/garbage",
             "/bad-length", "/short"]:
    show(path)
show("/silent", timeout=0.5)
show("/head", "HEAD")
show("/len")
print("connections:", s.connections_made)

echo = s.post(base + "/echo", json={"b": [1, 2, None], "a": "é", "c": 2.5},
              headers={"X-Token": "t", "user-agent": "me"})
print(echo.json())
echo = s.put(base + "/echo?x=1", data=b"raw\x00bytes", params={"q": "a b&c/é"})
print(echo.json())
echo = s.delete(base + "/echo/spaced path")
print(echo.json())
latin = s.get(base + "/latin1")
print(latin.text, latin.headers["Set-Cookie"], latin.headers.get_all("set-cookie"), "SET-COOKIE" in latin.headers,
      len(latin.headers), latin.headers.get("missing"), latin.headers.get("missing", "dflt"))
try:
    latin.headers["missing"]
except KeyError as missing:
    print("KeyError", missing)
for bad in ["ftp://x/", "http://", "http://h:99999/", "http://u@h/"]:
    try:
        s.get(bad)
    except web.ClientError as bad_url:
        print("bad url:", bad_url)
s.close()

# socket directly: a datagram echo, and a receive that times out
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
u.sendto(b"ping", (host, int(os.environ["UDP"])))
data, source = u.recvfrom(100)
print(data, source[1] == int(os.environ["UDP"]))
u.close()

t = socket.create_connection((host, int(base.rsplit(":", 1)[1])), timeout=0.3)
t.sendall(b"GET /silent HTTP/1.1\r\nHost: x\r\n\r\n")
try:
    t.recv(10)
except socket.timeout as timed_out:
    print("timeout:", timed_out, isinstance(timed_out, OSError), timed_out.errno)
t.close()
try:
    t.recv(10)
except OSError as closed:
    print("closed:", closed)

# a server: accept one connection and answer it
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("", int(os.environ["LISTEN"])))
srv.listen(1)
print("listening", srv.getsockname()[1] == int(os.environ["LISTEN"]))
conn, peer = srv.accept()
got = b""
while not got.endswith(b"\n"):
    more = conn.recv(100)
    if not more:
        break
    got += more
conn.sendall(got.decode().upper().encode())
conn.shutdown(socket.SHUT_WR)
print("served", got, conn.recv(10), type(peer[0]).__name__)
conn.close()
srv.close()
