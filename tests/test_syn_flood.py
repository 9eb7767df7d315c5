"""A SYN flood against examples/http_hello.py while a real client is served.

In a network namespace the test creates, scapy crafts 10,000 SYNs to the guest's port
80 from spoofed addresses of the namespace's subnet (10.0.3.3 to 10.0.3.254, random
ports and sequence numbers), sent as raw frames on the tap; nothing ever answers the
guest's SYN-ACKs to them. Meanwhile a real client in the same namespace makes HTTP
requests one after the other: every one must be answered, none may wait long. The
listener's 256 half-open slots (tcp.DEFAULT_SYN_LIMIT) fill at once, so the guest must
answer the rest with SYN cookies (RFC 4987), keeping no state for them: its connections
stay few, and the counters show the cookies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from deploy_tools import apt_install
from guest import NetNamespace
from test_soak import ConsoleGuest, shown

pytestmark = [pytest.mark.booted,
              pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                                 reason="network namespaces need root and iproute2")]

SYSTEM_PYTHON = "/usr/bin/python3"          # Debian's, with python3-scapy
SCAPY = "/usr/lib/python3/dist-packages/scapy"
GUEST_IP = "10.0.3.2"
SYNS = 10_000

# Crafted with scapy, sent as raw frames through an AF_PACKET socket (scapy's own
# sendp manages a few thousand frames a second), paced so the tap's queue keeps them.
FLOOD = r"""
import random, socket, sys, time
from scapy.all import Ether, IP, TCP
tap, mac, dst, count, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
frames = [bytes(Ether(dst=mac) / IP(src="10.0.3.%d" % rng.randint(3, 254), dst=dst) /
                TCP(sport=rng.randint(1024, 65535), dport=80, flags="S", seq=rng.getrandbits(32),
                    window=64240, options=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]))
          for _ in range(count)]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((tap, 0))
start = time.monotonic()
for i, f in enumerate(frames):
    s.send(f)
    if i % 100 == 99:
        time.sleep(0.01)
print(len(frames), round(time.monotonic() - start, 2), flush=True)
"""

# The real client: one request after another until told to stop (a line on stdin).
CLIENT = r"""
import http.client, json, select, sys, time
host = sys.argv[1]
ok, errors, slowest = 0, [], 0.0
while not select.select([sys.stdin], [], [], 0)[0]:
    t = time.monotonic()
    try:
        c = http.client.HTTPConnection(host, 80, timeout=10)
        c.request("GET", "/")
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status == 200 and b"Hello from Kaa" in body:
            ok += 1
        else:
            errors.append("status %d" % r.status)
    except Exception as e:
        errors.append(repr(e))
    slowest = max(slowest, time.monotonic() - t)
    time.sleep(0.02)
print(json.dumps({"ok": ok, "errors": errors[:10], "slowest": round(slowest, 3)}), flush=True)
"""


def test_syn_flood_with_a_real_client_served() -> None:
    apt_install({SCAPY: "python3-scapy"})
    with NetNamespace("kaa-synflood") as ns:
        with ConsoleGuest("examples/http_hello.py", "--net", "tap", "--tap", ns.tap, netns=ns.name,
                          cmdline=(f"ip={GUEST_IP}/24",)) as g:
            g.wait_for(r"http_hello: serving on port 80")
            mac = g.wait_for(r"net: \S+ ([0-9a-f:]{17}) ").group(1)
            client = subprocess.Popen(["ip", "netns", "exec", ns.name, sys.executable, "-c", CLIENT, GUEST_IP],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            try:
                flood = ns.run(SYSTEM_PYTHON, "-c", FLOOD, ns.tap, mac, GUEST_IP, str(SYNS), "1", timeout=300)
                during = g.netstat()
                out, _ = client.communicate("stop\n", timeout=60)
            finally:
                client.kill()
            after = g.netstat()
    sent = int(flood.stdout.split()[0])
    served = json.loads(out)
    assert sent == SYNS
    assert served["errors"] == [] and served["ok"] >= 20, served
    assert served["slowest"] < 3, served                    # no request waited for a SYN retransmission
    # The flood filled the half-open queue: the rest were answered with cookies, and
    # the connections the guest keeps stayed within the listener's limits.
    assert during["tcp_syncookies_sent"] > SYNS // 2, shown(during)
    assert during["tcp_connections"] <= 256 + 128 + 8, shown(during)    # half-open, backlog, the client's
    # Connections made from cookies are the real client's (its SYNs came while the queue
    # was full): none of the spoofed ones, whose SYN-ACKs nobody answers.
    assert after["tcp_syncookies_ok"] <= served["ok"] and after["tcp_syncookies_failed"] == 0, after
    print({k: v for k, v in after.items() if v and k.startswith(("arp", "tcp", "tx"))})
    print(f"\nSYN flood: {sent} SYNs in {flood.stdout.split()[1]} s; the client got {served['ok']} answers, "
          f"the slowest in {served['slowest']} s; cookies sent {after['tcp_syncookies_sent']}, connections made "
          f"from them {after['tcp_syncookies_ok']}; TCP connections during the flood {during['tcp_connections']}")
