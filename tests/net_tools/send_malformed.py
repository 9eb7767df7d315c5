"""Send malformed frames to a guest over a tap (run inside the test's network namespace).

    python3 send_malformed.py TAP GUEST_MAC GUEST_IP HOST_IP

Prints one JSON object: how many frames of each kind were sent. Every frame goes to
the guest's MAC (or broadcast), on a link that leads nowhere else.
"""

from __future__ import annotations

import json
import random
import sys

from scapy.all import ARP, ICMP, IP, UDP, Ether, Raw, conf, sendp  # type: ignore[import-untyped]

conf.verb = 0


def main() -> None:
    tap, mac, guest, host = sys.argv[1:5]
    rng = random.Random(1234)
    me = Ether(dst=mac, src="02:00:00:00:00:01")
    ip = IP(src=host, dst=guest)
    frames: dict[str, list[bytes]] = {}

    def add(kind: str, *packets: object) -> None:
        frames.setdefault(kind, []).extend(bytes(p) for p in packets)

    good_udp = bytes(me / ip / UDP(sport=4000, dport=5555) / Raw(b"x" * 20))
    add("truncated_ethernet", *(good_udp[:n] for n in (1, 5, 13)))
    add("truncated_ip", *(good_udp[:14 + n] for n in (1, 10, 19)))
    add("ip_total_length_too_big", me / IP(src=host, dst=guest, len=1400) / UDP(dport=5555) / Raw(b"y" * 10))
    add("ip_bad_checksum", *(me / IP(src=host, dst=guest, chksum=0x1234) / UDP(dport=5555) / Raw(b"z")
                             for _ in range(20)))
    add("ip_bad_ihl", me / IP(src=host, dst=guest, ihl=3) / Raw(b"a" * 30),
        me / IP(src=host, dst=guest, ihl=15) / Raw(b"b" * 10))
    add("ip_fragments", me / IP(src=host, dst=guest, flags="MF") / UDP(dport=5555) / Raw(b"f" * 40),
        me / IP(src=host, dst=guest, frag=10) / Raw(b"g" * 40))
    add("udp_bad_checksum", *(me / ip / UDP(sport=4000, dport=5555, chksum=0xBEEF) / Raw(b"c" * 12)
                              for _ in range(20)))
    add("udp_bad_length", me / ip / UDP(sport=4000, dport=5555, len=400) / Raw(b"l" * 4))
    add("icmp_bad_checksum", me / ip / ICMP(chksum=0x4242) / Raw(b"p" * 8))
    add("broadcast_storm", *(Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:02") /
                             ARP(psrc=host, pdst=f"10.0.3.{100 + i % 100}") for i in range(2000)))
    add("random_bytes", *(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 1514)))
                          for _ in range(10000)))
    # random bytes still go to the guest: put its MAC in front
    dst = bytes(int(b, 16) for b in mac.split(":"))
    frames["random_bytes"] = [dst + f[6:] if len(f) > 6 else f for f in frames["random_bytes"]]
    for kind, batch in frames.items():
        sendp([Raw(f) for f in batch], iface=tap)
    print(json.dumps({k: len(v) for k, v in frames.items()}))


if __name__ == "__main__":
    main()
