"""kernel/net/dhcp.py against scripted server replies, on the host.

tests/host/net_iface.py runs the client over the fake device (the `dhcp` step starts
it; every later rx, poll and tick services it). Replies are built the way QEMU's
slirp builds them (tests/test_net_frames.py: slirp_reply). The client's random
numbers come from a fixed seed, so a script replays identically: a test runs the
steps so far, reads the client's xid or next deadline from the output, and runs
again with the server's answer or the tick appended.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kaa import build as kbuild
from test_net_frames import (BROADCAST_MAC, ETH_ARP, ETH_IPV4, Dhcp, Frame, arp, decode, eth, ip, slirp_reply,
                             udp_frame)

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., list[str]]
SECOND = 1_000_000_000

US_MAC = "52:54:00:12:34:56"
SERVER_MAC, SERVER = "52:55:0a:00:02:02", "10.0.2.2"
PARAMS = bytes([1, 3, 6, 51, 58, 59])


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Run:
    exe = kbuild.build(ROOT / "tests" / "host" / "net_iface.py", tmp_path_factory.mktemp("dhcp") / "net_iface",
                       target="host", debug=True)

    def run(*steps: str) -> list[str]:
        r = subprocess.run([str(exe), "-"], input="\n".join(steps), capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout.splitlines()
    return run


def frames(out: list[str]) -> list[Frame]:
    return [decode(bytes.fromhex(line[3:])) for line in out if line.startswith("tx ")]


def messages(out: list[str]) -> list[Dhcp]:
    return [Dhcp.parse(f.payload) for f in frames(out) if f.dport == 67]


def state(out: list[str]) -> dict[str, str]:
    """The last `show`: interface address, client state, lease times and next deadline."""
    info: dict[str, str] = {}
    for line in out:
        words = line.split()
        if words and words[0] in ("iface", "dhcp", "lease"):
            if words[0] == "iface":
                info.update(iface=words[1], gw=words[3])
            else:
                info.update(zip(words[0::2], words[1::2]))
    return info


def reply(d: Dhcp, unicast: bool = False) -> str:
    """rx= of a server message: broadcast as slirp sends it, or unicast to the offer."""
    if unicast:
        return "rx=" + udp_frame(US_MAC, SERVER_MAC, SERVER, d.yiaddr, 67, 68, d.build()).hex()
    return "rx=" + udp_frame(BROADCAST_MAC, SERVER_MAC, SERVER, "255.255.255.255", 67, 68, d.build()).hex()


def xid_of(net: Run, *steps: str) -> int:
    return messages(net(*steps))[-1].xid


def bound(net: Run, lease: int = 86400, extra: dict[int, bytes] | None = None) -> list[str]:
    """The steps of a complete exchange: DISCOVER at 0, OFFER at 1 s, ACK at 1.1 s."""
    steps = ["dhcp", f"t={SECOND}"]
    xid = xid_of(net, *steps)
    steps += [reply(slirp_reply(2, xid, US_MAC)), f"t={SECOND + SECOND // 10}",
              reply(slirp_reply(5, xid, US_MAC, lease=lease, extra=extra))]
    return steps


def test_discover(net: Run) -> None:
    out = net("dhcp", "show")
    (f,) = frames(out)
    assert (f.dst, f.src, f.ip_src, f.ip_dst, f.sport, f.dport) == \
        (BROADCAST_MAC, US_MAC, "0.0.0.0", "255.255.255.255", 68, 67)
    assert len(f.payload) == 548                                   # what slirp insists on
    d = Dhcp.parse(f.payload)
    assert (d.op, d.ciaddr, d.chaddr, d.secs, d.flags) == (1, "0.0.0.0", US_MAC, 0, 0)
    assert d.options == {53: b"\x01", 55: PARAMS}
    s = state(out)
    assert s["dhcp"] == "selecting" and s["iface"] == "0.0.0.0/0"
    assert 3 * SECOND <= int(s["next"]) <= 5 * SECOND              # 4 s, +-1 s (RFC 2131 section 4.1)


def test_exchange_with_slirp(net: Run) -> None:
    steps = bound(net)
    out = net(*steps, "show", "end")
    discover, request = messages(out)
    assert request.xid == discover.xid and request.secs == 1 and request.ciaddr == "0.0.0.0"
    assert request.options == {53: b"\x03", 50: ip("10.0.2.15"), 54: ip(SERVER), 55: PARAMS}
    assert frames(out)[1].ip_dst == "255.255.255.255"
    announce = eth(BROADCAST_MAC, US_MAC, ETH_ARP, arp(1, US_MAC, "10.0.2.15", "00:00:00:00:00:00", "10.0.2.15"))
    assert frames(out)[2].raw == announce                          # gratuitous ARP once bound
    acked = SECOND + SECOND // 10
    s = state(out)
    assert (s["iface"], s["gw"], s["dhcp"], s["server"], s["dns"]) == \
        ("10.0.2.15/24", SERVER, "bound", SERVER, "10.0.2.3")
    assert (int(s["lease"]), int(s["t1"]), int(s["t2"]), int(s["expiry"])) == \
        (86400, acked + 43200 * SECOND, acked + 75600 * SECOND, acked + 86400 * SECOND)
    assert int(s["next"]) == int(s["t1"]) and s["ignored"] == "0"
    assert out[-1] == "packets 128 of 128"


def test_unicast_offer_and_ack_are_accepted(net: Run) -> None:
    xid = xid_of(net, "dhcp")
    out = net("dhcp", reply(slirp_reply(2, xid, US_MAC), unicast=True),
              reply(slirp_reply(5, xid, US_MAC), unicast=True), "show")
    assert state(out)["dhcp"] == "bound"


def retransmissions(net: Run, steps: list[str], count: int) -> tuple[list[int], list[str]]:
    """Tick at each deadline the client names; the times at which it sent."""
    times = [0]
    for _ in range(count):
        deadline = int(state(net(*steps, "show"))["next"])
        assert messages(net(*steps, f"t={deadline - 1}", "tick")) == messages(net(*steps))   # not early
        steps = steps + [f"t={deadline}", "tick"]
        times.append(deadline)
    return times, steps


def test_discover_backs_off_to_64_seconds(net: Run) -> None:
    times, steps = retransmissions(net, ["dhcp"], 7)
    gaps = [b - a for a, b in zip(times, times[1:])]
    for gap, base in zip(gaps, [4, 8, 16, 32, 64, 64, 64]):
        assert (base - 1) * SECOND <= gap <= (base + 1) * SECOND, gaps
    sent = messages(net(*steps))
    assert len(sent) == 8 and len({d.xid for d in sent}) == 1 and all(d.options[53] == b"\x01" for d in sent)


def test_request_is_retried_then_discovery_restarts(net: Run) -> None:
    xid = xid_of(net, "dhcp")
    times, steps = retransmissions(net, ["dhcp", reply(slirp_reply(2, xid, US_MAC))], 4)
    sent = messages(net(*steps))
    assert [d.options[53] for d in sent] == [b"\x01"] + [b"\x03"] * 4 + [b"\x01"]
    assert len({d.xid for d in sent[:5]}) == 1 and sent[5].xid != xid        # a new exchange
    gaps = [b - a for a, b in zip(times[1:], times[2:])]
    for gap, base in zip(gaps, [8, 16, 32]):
        assert (base - 1) * SECOND <= gap <= (base + 1) * SECOND, gaps


def test_nak_sends_the_client_back_to_discover(net: Run) -> None:
    xid = xid_of(net, "dhcp")
    out = net("dhcp", reply(slirp_reply(2, xid, US_MAC)), reply(slirp_reply(6, xid, US_MAC)), "show")
    assert [d.options[53] for d in messages(out)] == [b"\x01", b"\x03", b"\x01"]
    assert messages(out)[2].xid != xid and state(out)["dhcp"] == "selecting"


def test_foreign_replies_are_ignored(net: Run) -> None:
    xid = xid_of(net, "dhcp")
    offer = slirp_reply(2, xid, US_MAC)
    wrong_xid = slirp_reply(2, xid + 1, US_MAC)
    wrong_mac = slirp_reply(2, xid, "52:54:00:00:00:01")
    no_server_id = slirp_reply(2, xid, US_MAC)
    del no_server_id.options[54]
    ack_while_selecting = slirp_reply(5, xid, US_MAC)
    request_echo = Dhcp(op=1, xid=xid, chaddr=US_MAC, options={53: b"\x03"})
    garbage = "rx=" + udp_frame(BROADCAST_MAC, SERVER_MAC, SERVER, "255.255.255.255", 67, 68, b"\0" * 300).hex()
    out = net("dhcp", *[reply(d) for d in (wrong_xid, wrong_mac, no_server_id, ack_while_selecting, request_echo)],
              garbage, "show")
    assert len(messages(out)) == 1 and state(out)["ignored"] == "6" and state(out)["dhcp"] == "selecting"
    assert len(messages(net("dhcp", reply(offer)))) == 2


def test_renewal_is_unicast_to_the_server(net: Run) -> None:
    steps = bound(net)
    t1 = int(state(net(*steps, "show"))["t1"])
    steps += [f"t={t1}", "tick"]
    out = net(*steps, "show")
    ask = frames(out)[-1]
    assert ask.ethertype == ETH_ARP and ask.arp[3] == SERVER        # who is the server? (not learned yet)
    assert state(out)["dhcp"] == "renewing"
    assert int(state(out)["next"]) == t1 + (75600 - 43200) // 2 * SECOND   # half the time to T2
    steps.append("rx=" + eth(US_MAC, SERVER_MAC, ETH_ARP, arp(2, SERVER_MAC, SERVER, US_MAC, "10.0.2.15")).hex())
    out = net(*steps)
    f = frames(out)[-1]
    renew = Dhcp.parse(f.payload)
    assert (f.dst, f.ip_src, f.ip_dst) == (SERVER_MAC, "10.0.2.15", SERVER)
    assert renew.ciaddr == "10.0.2.15" and renew.options == {53: b"\x03", 55: PARAMS}
    assert renew.xid != messages(out)[0].xid
    ack = slirp_reply(5, renew.xid, US_MAC, lease=3600)
    out = net(*steps, f"t={t1 + SECOND}", "rx=" + udp_frame(US_MAC, SERVER_MAC, SERVER, "10.0.2.15", 67, 68,
                                                            ack.build()).hex(), "show")
    s = state(out)
    assert s["dhcp"] == "bound" and int(s["t1"]) == t1 + SECOND + 1800 * SECOND
    assert frames(out)[-1].ethertype == ETH_IPV4                    # no new announcement: same address


def test_rebinding_then_expiry(net: Run) -> None:
    steps = bound(net, lease=800)                                   # T1 400 s, T2 700 s
    s = state(net(*steps, "show"))
    t2, expiry = int(s["t2"]), int(s["expiry"])
    steps += [f"t={int(s['t1'])}", "tick", f"t={t2}", "tick"]
    out = net(*steps, "show")
    f = frames(out)[-1]
    assert (f.dst, f.ip_src, f.ip_dst) == (BROADCAST_MAC, "10.0.2.15", "255.255.255.255")
    assert Dhcp.parse(f.payload).ciaddr == "10.0.2.15" and state(out)["dhcp"] == "rebinding"
    assert int(state(out)["next"]) == t2 + 60 * SECOND                # half of 100 s is under the minimum
    out = net(*steps, f"t={expiry}", "tick", "show", "end")
    s = state(out)
    assert s["iface"] == "0.0.0.0/0" and s["dhcp"] == "selecting"
    assert messages(out)[-1].options[53] == b"\x01" and frames(out)[-1].ip_src == "0.0.0.0"
    assert out[-1] == "packets 128 of 128"


def test_renewal_and_rebinding_times_from_options(net: Run) -> None:
    out = net(*bound(net, lease=300, extra={58: struct.pack("!I", 100), 59: struct.pack("!I", 200)}), "show")
    s = state(out)
    acked = SECOND + SECOND // 10
    assert (int(s["t1"]), int(s["t2"]), int(s["expiry"])) == \
        (acked + 100 * SECOND, acked + 200 * SECOND, acked + 300 * SECOND)


def test_infinite_lease_never_renews(net: Run) -> None:
    steps = bound(net, lease=0xFFFFFFFF)
    out = net(*steps, f"t={10**18}", "tick", "show")
    assert state(out)["dhcp"] == "bound" and state(out)["next"] == "0" and len(messages(out)) == 2


def test_prefix_without_a_mask_option(net: Run) -> None:
    xid = xid_of(net, "dhcp")
    ack = slirp_reply(5, xid, US_MAC)
    del ack.options[1]
    out = net("dhcp", reply(slirp_reply(2, xid, US_MAC)), reply(ack), "show")
    assert state(out)["iface"] == "10.0.2.15/8"                    # class A


# Whatever servers say, whenever: the client never crashes nor loses a Packet, and when
# it says it is bound the interface has the address it was given.

@st.composite
def server_steps(draw: st.DrawFn, xid: int) -> list[str]:
    steps: list[str] = []
    t = 0
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["offer", "ack", "nak", "garbage", "time"]))
        if kind == "time":
            t += draw(st.sampled_from([1, 10**9, 4 * 10**9, 600 * 10**9, 10**13]))
            steps += [f"t={t}", "tick"]
            continue
        if kind == "garbage":
            payload = draw(st.binary(max_size=600))
        else:
            extra = {code: draw(st.binary(max_size=6)) for code in draw(st.sets(st.sampled_from([1, 3, 6, 51, 54, 58, 59])))}
            d = slirp_reply({"offer": 2, "ack": 5, "nak": 6}[kind], draw(st.sampled_from([xid, xid ^ 1])), US_MAC,
                            yiaddr=draw(st.sampled_from(["10.0.2.15", "10.0.2.16", "0.0.0.0"])),
                            lease=draw(st.sampled_from([0, 1, 2, 300, 0xFFFFFFFF])), extra=extra)
            payload = d.build(size=draw(st.sampled_from([300, 548])))
        steps.append("rx=" + udp_frame(BROADCAST_MAC, SERVER_MAC, SERVER, "255.255.255.255", 67, 68, payload).hex())
    return steps


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_dhcp_survives_any_server(net: Run, data: st.DataObject) -> None:
    xid = xid_of(net, "dhcp")
    out = net("dhcp", *data.draw(server_steps(xid)), "show", "end")
    s = state(out)
    assert out[-1] == "packets 128 of 128"
    if s["dhcp"] in ("bound", "renewing", "rebinding"):
        assert s["iface"] != "0.0.0.0/0"
    for f in frames(out):
        assert f.src == US_MAC
