"""kernel/net/iface.py and kernel/net/udp.py on the host, over a fake NetDevice.

tests/host/net_iface.py runs a script of steps from its command line (feed a frame,
poll, tick, bind, send ...) and prints every frame the fake device is asked to send
("tx HEX") and every flush. Tests compare those frames byte for byte with frames
built by tests/test_net_frames.py, and check that every malformed or unwanted frame
is dropped under its own counter and that every Packet returns to the pool.
"""

from __future__ import annotations

import re

import subprocess
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kaa import build as kbuild
from test_net_frames import (BROADCAST_MAC, ETH_ARP, ETH_IPV4, PROTO_ICMP, PROTO_UDP, arp, decode, eth,
                             icmp_echo, ipv4, udp, udp_frame)

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., list[str]]

US_MAC, US = "52:54:00:12:34:56", "10.0.2.15"
PEER_MAC, PEER = "52:55:0a:00:02:02", "10.0.2.2"          # slirp's gateway
OTHER_MAC, OTHER = "52:55:0a:00:02:07", "10.0.2.7"
CFG = f"cfg={US}/24,{PEER}"
ALL_BACK = "packets 128 of 128"


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Run:
    exe = kbuild.build(ROOT / "tests" / "host" / "net_iface.py", tmp_path_factory.mktemp("iface") / "net_iface",
                       target="host", debug=True)

    def run(*steps: str) -> list[str]:
        # The script goes through stdin: the host platform keeps only 4 KiB of arguments.
        r = subprocess.run([str(exe), "-"], input="\n".join(steps), capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout.splitlines()
    return run


def tx(frame: bytes) -> str:
    return f"tx {frame.hex()}"


def sent(lines: list[str]) -> list[bytes]:
    return [bytes.fromhex(line[3:]) for line in lines if line.startswith("tx ")]


def counters(lines: list[str]) -> dict[str, int]:
    """The rows printed by the `counters` step (non-zero ones)."""
    out = {}
    for line in lines:
        parts = line.split()
        if line.startswith("  ") and len(parts) == 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


def arp_request_from_peer(target: str = US) -> bytes:
    return eth(BROADCAST_MAC, PEER_MAC, ETH_ARP, arp(1, PEER_MAC, PEER, "00:00:00:00:00:00", target))


def arp_reply_from(mac: str, addr: str) -> bytes:
    return eth(US_MAC, mac, ETH_ARP, arp(2, mac, addr, US_MAC, US))


def echo_request(seq: int = 1, data: bytes = b"abcdefgh", src: str = PEER, dst: str = US,
                 dst_mac: str = US_MAC, ident: int = 0x77) -> bytes:
    return eth(dst_mac, PEER_MAC, ETH_IPV4, ipv4(src, dst, PROTO_ICMP, icmp_echo(8, 0x1C46, seq, data), ident=ident))


def echo_reply(seq: int = 1, data: bytes = b"abcdefgh", ident: int = 0) -> bytes:
    return eth(PEER_MAC, US_MAC, ETH_IPV4, ipv4(US, PEER, PROTO_ICMP, icmp_echo(0, 0x1C46, seq, data), ident=ident))


# ARP

def test_arp_request_for_us_is_answered(net: Run) -> None:
    out = net(CFG, f"rx={arp_request_from_peer().hex()}", "counters", "arp", "end")
    reply = eth(PEER_MAC, US_MAC, ETH_ARP, arp(2, US_MAC, US, PEER_MAC, PEER))
    assert out[:2] == [tx(reply), "flush"]
    assert counters(out) == {"rx_frames": 1, "arp_rx": 1, "arp_replies_sent": 1, "tx_frames": 1}
    assert f"  {PEER:<16} {PEER_MAC}  60s" in out
    assert out[-1] == ALL_BACK


def test_arp_for_someone_else_is_not_answered_nor_learned(net: Run) -> None:
    out = net(CFG, f"rx={arp_request_from_peer(OTHER).hex()}", "counters", "arp", "end")
    assert sent(out) == []
    assert counters(out) == {"rx_frames": 1, "arp_rx": 1, "arp_not_for_us": 1}
    assert out[-1] == ALL_BACK and len(out) == 4


def test_arp_updates_a_known_entry_even_when_not_the_target(net: Run) -> None:
    # RFC 826: the merge happens before the "am I the target?" test.
    moved = "52:55:0a:00:02:99"
    out = net(CFG, f"rx={arp_request_from_peer().hex()}",
              f"rx={eth(BROADCAST_MAC, moved, ETH_ARP, arp(1, moved, PEER, '00:00:00:00:00:00', OTHER)).hex()}",
              "arp", "end")
    assert f"  {PEER:<16} {moved}  60s" in out


def test_gratuitous_arp(net: Run) -> None:
    out = net(CFG, "garp", "end")
    announce = eth(BROADCAST_MAC, US_MAC, ETH_ARP, arp(1, US_MAC, US, "00:00:00:00:00:00", US))
    assert out == [tx(announce), "flush", "garp 0", ALL_BACK]


# ICMP echo

def test_echo_request_is_answered_in_place(net: Run) -> None:
    out = net(CFG, f"rx={arp_request_from_peer().hex()}", f"rx={echo_request().hex()}", "counters", "end")
    assert sent(out)[1] == echo_reply()
    assert counters(out)["icmp_echo_replies"] == 1
    assert out[-1] == ALL_BACK


def test_echo_reply_waits_for_arp(net: Run) -> None:
    """An unknown sender: ask who it is, hold the reply, send it with the answer."""
    out = net(CFG, f"rx={echo_request().hex()}", "deadline", f"rx={arp_reply_from(PEER_MAC, PEER).hex()}",
              "deadline", "end")
    ask = eth(BROADCAST_MAC, US_MAC, ETH_ARP, arp(1, US_MAC, US, "00:00:00:00:00:00", PEER))
    assert out == [tx(ask), "flush", "deadline 1000000000", tx(echo_reply()), "flush", "deadline 0", ALL_BACK]


def test_a_burst_of_replies_costs_one_flush(net: Run) -> None:
    queued = [f"q={echo_request(seq).hex()}" for seq in range(1, 6)]
    out = net(CFG, f"rx={arp_request_from_peer().hex()}", *queued, "poll", "end")
    replies = [tx(echo_reply(seq, ident=seq - 1)) for seq in range(1, 6)]
    assert out[2:] == [*replies, "flush", "polled 5", ALL_BACK]


def test_large_echo_and_ip_options(net: Run) -> None:
    data = bytes(range(256)) * 5 + b"x" * 192                  # 1472 bytes: a full 1500-byte datagram
    with_options = eth(US_MAC, PEER_MAC, ETH_IPV4, ipv4(PEER, US, PROTO_ICMP, icmp_echo(8, 0x1C46, 9, b"opt"),
                                                        options=b"\x01\x01\x01\x00"))
    out = net(CFG, f"rx={arp_request_from_peer().hex()}", f"rx={echo_request(2, data).hex()}",
              f"rx={with_options.hex()}", "end")
    assert sent(out)[1:] == [echo_reply(2, data), echo_reply(9, b"opt", ident=1)]


# UDP

def test_udp_datagram_is_queued_and_answered(net: Run) -> None:
    frame = udp_frame(US_MAC, PEER_MAC, PEER, US, 5555, 7, b"ping")
    out = net(CFG, f"rx={arp_request_from_peer().hex()}", "bind=7", f"rx={frame.hex()}", "recv=7",
              f"send=7,{PEER},5555,{b'pong'.hex()}", "counters", "end")
    assert out[2:4] == ["ready 7 1", f"dgram 7 {PEER} 5555 {b'ping'.hex()}"]
    assert out[4:7] == [tx(udp_frame(PEER_MAC, US_MAC, US, PEER, 7, 5555, b"pong")), "flush", "sendto 0"]
    assert counters(out)["udp_rx"] == 1 and counters(out)["udp_tx"] == 1
    assert out[-1] == ALL_BACK


def test_udp_echo_reuses_the_received_packet(net: Run) -> None:
    frames = [f"q={udp_frame(US_MAC, PEER_MAC, PEER, US, 4000 + i, 7, bytes([i]) * 30).hex()}" for i in range(3)]
    out = net(CFG, f"rx={arp_request_from_peer().hex()}", "bind=7", *frames, "poll", "echo=7", "end")
    assert out[2:6] == ["ready 7 1", "ready 7 2", "ready 7 3", "polled 3"]
    assert sent(out)[1:] == [udp_frame(PEER_MAC, US_MAC, US, PEER, 7, 4000 + i, bytes([i]) * 30, ident=i)
                             for i in range(3)]
    assert out[-1] == ALL_BACK


def test_udp_queue_limit_drops_and_counts(net: Run) -> None:
    frames = [f"rx={udp_frame(US_MAC, PEER_MAC, PEER, US, 9, 7, bytes([i])).hex()}" for i in range(4)]
    out = net(CFG, "bind=7", "limit=7,2", *frames, "recv=7", "counters", "end")
    assert out[:4] == ["ready 7 1", "ready 7 2", f"dgram 7 {PEER} 9 00", f"dgram 7 {PEER} 9 01"]
    assert counters(out)["udp_queue_full"] == 2 and counters(out)["udp_rx"] == 2
    assert out[-1] == ALL_BACK


def test_udp_bind_rules(net: Run) -> None:
    out = net(CFG, "bind=7", "bind=7", "bind=0", "send=49152,10.0.2.255,9,00", "end")
    assert out[0] == "bind 7 failed"                    # taken
    assert sent(out) == [udp_frame(BROADCAST_MAC, US_MAC, US, "10.0.2.255", 49152, 9, b"\0")]


def test_udp_send_results(net: Run) -> None:
    out = net(CFG, "bind=7", f"send=7,{PEER},9,{'00' * 1473}", f"send=7,{PEER},9,{'00' * 1472}", "exhaust",
              f"send=7,{PEER},9,00", "refill", "counters", "end")
    assert [line for line in out if line.startswith("sendto")] == ["sendto 5", "sendto 1", "sendto 3"]
    c = counters(out)
    assert c["tx_too_big"] == 1 and c["tx_no_buffer"] == 1 and c["arp_requests_sent"] == 1
    assert out[-1] == ALL_BACK


# Routing

def test_off_link_goes_through_the_gateway(net: Run) -> None:
    out = net(CFG, "bind=7", "send=7,8.8.8.8,53,abcd", f"rx={arp_reply_from(PEER_MAC, PEER).hex()}", "end")
    ask = eth(BROADCAST_MAC, US_MAC, ETH_ARP, arp(1, US_MAC, US, "00:00:00:00:00:00", PEER))
    assert sent(out) == [ask, udp_frame(PEER_MAC, US_MAC, US, "8.8.8.8", 7, 53, b"\xab\xcd")]


def test_on_link_goes_direct(net: Run) -> None:
    out = net(CFG, "bind=7", f"send=7,{OTHER},53,abcd", f"rx={arp_reply_from(OTHER_MAC, OTHER).hex()}", "end")
    assert [decode(f).arp[3] for f in sent(out)[:1]] == [OTHER]
    assert sent(out)[1] == udp_frame(OTHER_MAC, US_MAC, US, OTHER, 7, 53, b"\xab\xcd")


def test_no_gateway_no_route(net: Run) -> None:
    out = net(f"cfg={US}/24,0.0.0.0", "bind=7", "send=7,8.8.8.8,53,00", "counters", "end")
    assert "sendto 2" in out and counters(out)["ip_no_route"] == 1 and sent(out) == []


def test_broadcasts_need_no_arp(net: Run) -> None:
    out = net(CFG, "bind=7", "send=7,255.255.255.255,9,01", "send=7,10.0.2.255,9,02", "end")
    assert sent(out) == [udp_frame(BROADCAST_MAC, US_MAC, US, "255.255.255.255", 7, 9, b"\x01"),
                         udp_frame(BROADCAST_MAC, US_MAC, US, "10.0.2.255", 7, 9, b"\x02", ident=1)]


# ARP timers and the queue of packets waiting for an answer

def test_arp_queue_holds_four_packets(net: Run) -> None:
    sends = [f"send=7,{OTHER},9,{i:02x}" for i in range(6)]
    out = net(CFG, "bind=7", *sends, f"rx={arp_reply_from(OTHER_MAC, OTHER).hex()}", "counters", "end")
    assert [line for line in out if line.startswith("sendto")] == ["sendto 1"] * 4 + ["sendto 4"] * 2
    assert [decode(f).payload for f in sent(out)[1:]] == [bytes([i]) for i in range(4)]
    assert counters(out)["arp_queue_full"] == 2
    assert out[-1] == ALL_BACK


def test_arp_retries_then_gives_up(net: Run) -> None:
    out = net(CFG, "bind=7", f"send=7,{OTHER},9,00", "t=999999999", "tick", "t=1000000000", "tick", "deadline",
              "t=2000000000", "tick", "deadline", "t=3000000000", "tick", "deadline", "counters", "end")
    assert len(sent(out)) == 3 and all(decode(f).arp_op == 1 for f in sent(out))
    assert [line for line in out if line.startswith("deadline")] == \
        ["deadline 2000000000", "deadline 3000000000", "deadline 0"]
    assert counters(out)["arp_unresolved"] == 1 and counters(out)["arp_requests_sent"] == 3
    assert out[-1] == ALL_BACK


def test_arp_entries_expire(net: Run) -> None:
    out = net(CFG, "bind=7", f"rx={arp_request_from_peer().hex()}", "t=59999999999", f"send=7,{PEER},9,01",
              "t=60000000000", f"send=7,{PEER},9,02", "end")
    frames = sent(out)
    assert [f.ethertype for f in map(decode, frames)] == [ETH_ARP, ETH_IPV4, ETH_ARP]   # 2nd send: ask again


def test_arp_table_full_evicts(net: Run) -> None:
    """Learned one a second: the 17th and later replace the entries nearest expiry."""
    learn = []
    for i in range(100, 120):
        sender = f"52:55:00:00:00:{i:02x}"
        frame = eth(BROADCAST_MAC, sender, ETH_ARP, arp(1, sender, f"10.0.2.{i}", "00:00:00:00:00:00", US))
        learn += [f"t={i * 1_000_000_000}", f"rx={frame.hex()}"]
    out = net(CFG, "full=0", *learn, "arp", "end")
    entries = sorted(line.split()[0] for line in out if line.startswith("  10.0.2."))
    assert entries == sorted(f"10.0.2.{i}" for i in range(104, 120))
    assert out[-1] == ALL_BACK


# Device trouble

def test_ring_full_is_counted(net: Run) -> None:
    out = net(CFG, "full=0", f"rx={arp_request_from_peer().hex()}", "counters", "end")
    assert out[0] == "refused" and counters(out)["tx_dropped"] == 1
    assert out[-1] == ALL_BACK


# Every malformed or unwanted frame is dropped under its own counter.

def ip_frame(payload: bytes, proto: int = PROTO_UDP, src: str = PEER, dst: str = US, **kw: int) -> bytes:
    return eth(US_MAC, PEER_MAC, ETH_IPV4, ipv4(src, dst, proto, payload, **kw))   # type: ignore[arg-type]


def corrupt(frame: bytes, at: int, value: int) -> bytes:
    return frame[:at] + bytes([value]) + frame[at + 1:]


GOOD_UDP = ip_frame(udp(PEER, US, 1, 7, b"data"))
MALFORMED = {
    "rx_short": bytes.fromhex("525400123456525500"),
    "rx_not_for_us": eth(OTHER_MAC, PEER_MAC, ETH_IPV4, b""),
    "rx_bad_ethertype": eth(US_MAC, PEER_MAC, 0x86DD, b"\x60" + b"\0" * 39),
    "arp_bad": eth(BROADCAST_MAC, PEER_MAC, ETH_ARP, b"\0\x01\x08\x00\x06\x04", pad=False),
    "ip_short": eth(US_MAC, PEER_MAC, ETH_IPV4, b"\x45\0\0\x14", pad=False),
    "ip_short ": ip_frame(b"\0" * 60)[:-20],                        # total length beyond the frame
    "ip_bad_header": corrupt(GOOD_UDP, 14, 0x44),                   # IHL 4
    "ip_bad_header ": corrupt(GOOD_UDP, 14, 0x65),                  # version 6
    "ip_bad_checksum": ip_frame(udp(PEER, US, 1, 7, b"x"), check=0xBEEF),
    "ip_fragments": ip_frame(udp(PEER, US, 1, 7, b"x"), flags=1),
    "ip_fragments ": ip_frame(b"\0" * 8, frag=1480),
    "ip_not_for_us": ip_frame(udp(PEER, OTHER, 1, 7, b"x"), dst=OTHER),
    "ip_not_for_us ": ip_frame(udp(PEER, "224.0.0.1", 1, 7, b"x"), dst="224.0.0.1"),
    "ip_unknown_protocol": ip_frame(b"\0" * 20, proto=6),           # TCP: nothing attached
    "ip_unknown_protocol ": ip_frame(b"\0" * 20, proto=99),
    "icmp_bad": ip_frame(icmp_echo(8, 1, 1, b"x", check=0x1234), proto=PROTO_ICMP),
    "icmp_bad ": ip_frame(b"\x08\0\0", proto=PROTO_ICMP),
    "icmp_other": ip_frame(icmp_echo(0, 1, 1, b"x"), proto=PROTO_ICMP),   # an echo reply nobody asked for
    "icmp_other ": ip_frame(icmp_echo(3, 0, 0, b"\0" * 28), proto=PROTO_ICMP),
    "icmp_ignored": ip_frame(icmp_echo(8, 1, 1, b"x"), proto=PROTO_ICMP, dst="10.0.2.255"),
    "icmp_ignored ": ip_frame(icmp_echo(8, 1, 1, b"x"), proto=PROTO_ICMP, src="0.0.0.0"),
    "udp_bad_checksum": ip_frame(udp(PEER, US, 1, 7, b"data", check=0x1234)),
    "udp_bad_length": ip_frame(udp(PEER, US, 1, 7, b"data")[:10]),
    "udp_bad_length ": ip_frame(b"\0\x01\0\x07\0\x04\0\0"),         # length 4 < 8
    "udp_no_socket": ip_frame(udp(PEER, US, 1, 8, b"data")),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_frames_are_counted(net: Run, name: str) -> None:
    out = net(CFG, "bind=7", f"rx={MALFORMED[name].hex()}", "counters", "end")
    c = counters(out)
    assert sent(out) == [] and c[name.strip()] == 1 and c["rx_frames"] == 1
    drops = {k: v for k, v in c.items() if k not in ("rx_frames", "ip_rx", "arp_rx")}
    assert drops == {name.strip(): 1}
    assert out[-1] == ALL_BACK


def test_unconfigured_interface(net: Run) -> None:
    """Before an address: no echo replies, no routes, but broadcasts (DHCP) come in."""
    offer = udp_frame(BROADCAST_MAC, PEER_MAC, PEER, "255.255.255.255", 67, 68, b"offer")
    unicast = udp_frame(US_MAC, PEER_MAC, PEER, US, 67, 68, b"unicast")
    out = net("bind=68", f"rx={echo_request().hex()}", f"rx={offer.hex()}", f"rx={unicast.hex()}", "recv=68",
              f"send=68,{PEER},67,00", "counters", "end")
    assert f"dgram 68 {PEER} 67 {b'offer'.hex()}" in out and f"dgram 68 {PEER} 67 {b'unicast'.hex()}" in out
    assert "sendto 2" in out and sent(out) == []
    assert counters(out)["icmp_ignored"] == 1


def test_netstat_table(net: Run) -> None:
    out = net(CFG, "netstat")
    assert out[:2] == [f"fake0: mac {US_MAC} mtu 1500", f"  inet {US}/24 gateway {PEER}"]
    counters = re.findall(r"^    (\w+): u64", (ROOT / "kernel" / "net" / "counters.py").read_text(), re.M)
    assert len(out) == 2 + len(counters) and out[2] == f"  {'rx_frames':<22}{0:>12}"


# Whatever arrives, in whatever order: no crash, no lost Packet.

frames = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(list(MALFORMED.values()) + [GOOD_UDP, arp_request_from_peer(), echo_request(),
                                                arp_reply_from(OTHER_MAC, OTHER)]),
    st.builds(lambda p: ip_frame(udp(PEER, US, 1, 7, p)), st.binary(max_size=64)),
    st.builds(lambda f, i, v: corrupt(f, i % len(f), v), st.sampled_from([GOOD_UDP, echo_request()]),
              st.integers(0, 200), st.integers(0, 255)),
)
steps = st.one_of(
    st.builds(lambda f: f"rx={f.hex()}", frames),
    st.builds(lambda f: f"q={f.hex()}", frames),
    st.just("poll"), st.just("recv=7"), st.just("echo=7"), st.just("garp"), st.just("full=1"), st.just("full=-1"),
    st.builds(lambda t: f"t={t * 500_000_000}", st.integers(0, 200)), st.just("tick"),
    st.builds(lambda d: f"send=7,{d},9,00", st.sampled_from([PEER, OTHER, "8.8.8.8", "10.0.2.255"])),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=st.lists(steps, max_size=40))
def test_any_traffic_returns_every_packet(net: Run, script: list[str]) -> None:
    out = net(CFG, "bind=7", "limit=7,3", *script, "end")
    assert out[-1] == ALL_BACK
    for frame in sent(out):
        f = decode(frame)                                  # checks IPv4 and UDP checksums
        assert f.src == US_MAC and len(frame) >= 60
