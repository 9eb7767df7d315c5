"""What every benchmark is given: the services under test and the bounds of the load."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from kaa.bench import services
from kaa.bench.services import Service


DURATION = 3.0


def _log(msg: str) -> None:
    print(f"kaa bench: {msg}", file=sys.stderr, flush=True)


@dataclass
class Options:
    runs: int | None = None           # None: each benchmark's own default
    duration: float = DURATION        # seconds of each wrk, round-trip or bulk TCP load
    accel: str = "auto"
    memory: int = 128                 # MiB, for every guest but the memory bisection's
    smp: tuple[int, ...] = (1, 2)     # vCPU counts the http benchmark runs with
    nets: tuple[str, ...] = ("user", "tap")   # networks http and tcp run over (kaa/bench/network.py)
    hello: Service = field(default_factory=services.hello)
    udp: Service = field(default_factory=services.udp_echo)
    http: Service = field(default_factory=services.http_service)
    web: Service = field(default_factory=services.web_items)    # http: the kaa.web framework's service
    tcp: Service = field(default_factory=services.tcp_bulk)
    linux: Service = field(default_factory=services.linux)
    with_linux: bool = True           # False: leave the Linux baseline out (no apt, no 2 s boots)
    with_web: bool = True             # False: http leaves the kaa.web service out (booted and CPython)
    log: object = _log

    def runs_or(self, default: int) -> int:
        return self.runs if self.runs is not None else default

    def say(self, msg: str) -> None:
        self.log(msg)                 # type: ignore[operator]

    def http_services(self) -> tuple[list[Service], dict[str, str]]:
        """(HTTP services to compare, {name: why skipped}): the Kaa one when it exists, and Linux."""
        chosen, skipped = [], {}
        why = self.http.available()
        if why is None:
            chosen.append(self.http)
        else:
            skipped[self.http.name] = why
        if self.with_linux:
            chosen.append(self.linux)
        return chosen, skipped

    def framework_services(self) -> tuple[list[Service], dict[str, str]]:
        """(the kaa.web service booted and the same file under CPython, {name: why skipped})."""
        if not self.with_web:
            return [], {}
        pair = [self.web, services.cpython(self.web)]
        why = self.web.available()
        return ([], {s.name: why for s in pair}) if why else (pair, {})

    def networks(self) -> tuple[list[str], dict[str, str]]:
        """(networks to load services over, {name: why skipped}): the tap needs root."""
        from kaa.bench.network import tap_missing
        chosen, skipped = [], {}
        for n in self.nets:
            why = tap_missing() if n == "tap" else None
            if why:
                skipped[f"net {n}"] = why
            else:
                chosen.append(n)
        return chosen, skipped
