"""The hosts table of services: HOSTS=name:address,... on the kernel command line, which
kaa/stdlib/socket.py consults before DNS (as /etc/hosts), and `kaa up` writes so that the
services of a stack find each other by name.

Under CPython: kaa/stdlib/dns.py's parse_hosts and hosts_lookup. Booted: a service's
gethostbyname and getaddrinfo answer from the table, with no network at all (--net
none), and a name the table lacks still goes to DNS (which fails there, with DNS's code).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guest import run_to_exit
from kaa.stdlib import dns


def test_entries_names_and_addresses() -> None:
    table = dns.parse_hosts("back:10.0.9.3, DB:10.0.9.4,db.:10.0.9.5,,")
    assert table == {"back": ["10.0.9.3"], "db": ["10.0.9.4", "10.0.9.5"]}
    assert dns.hosts_lookup(table, "BACK.") == ["10.0.9.3"]
    assert dns.hosts_lookup(table, "Db") == ["10.0.9.4", "10.0.9.5"]
    assert dns.hosts_lookup(table, "front") == []
    assert dns.parse_hosts("") == {}


def test_a_lookup_cannot_change_the_table() -> None:
    table = dns.parse_hosts("back:10.0.9.3")
    dns.hosts_lookup(table, "back").append("10.9.9.9")
    assert dns.hosts_lookup(table, "back") == ["10.0.9.3"]


@pytest.mark.parametrize("text", ["back", ":10.0.9.3", "back:", "back:10.0.9", "back:10.0.9.300",
                                  "back:010.0.9.3", "back:10.0.9.3:80", "back=10.0.9.3"])
def test_a_bad_entry_is_named(text: str) -> None:
    with pytest.raises(ValueError) as e:
        dns.parse_hosts(f"ok:10.0.0.1,{text}")
    assert str(e.value) == f"bad HOSTS entry {text!r}: write name:A.B.C.D, entries separated by commas"


PROGRAM = """\
import socket

print(socket.gethostbyname("back"))
print(socket.gethostbyname("BACK."))
print([a[4] for a in socket.getaddrinfo("db", 5432, type=socket.SOCK_STREAM)])
print(socket.gethostbyname("10.1.2.3"))
try:
    socket.gethostbyname("nowhere")
except socket.gaierror as e:
    print("gaierror", e.errno)
except ValueError as e:
    print("ValueError", e)
"""


@pytest.mark.booted
def test_a_booted_service_resolves_from_the_table(tmp_path: Path, kaa: object) -> None:
    prog = tmp_path / "hosts_prog.py"
    prog.write_text(PROGRAM)
    image = tmp_path / "hosts_prog.elf"
    built = kaa("build", str(prog), "-o", str(image))                 # type: ignore[operator]
    assert built.returncode == 0, built.stderr
    status, lines = run_to_exit(kaa, str(image), "--net", "none",     # type: ignore[arg-type]
                                cmdline=("HOSTS=back:10.0.9.3,db:10.0.9.4,db:10.0.9.5",))
    assert status == 0, lines
    # nowhere: not in the table, so DNS is asked; with no network it cannot be (EAI_AGAIN)
    assert [ln for ln in lines if not ln.startswith("net: ")] == [
        "10.0.9.3", "10.0.9.3", "[('10.0.9.4', 5432), ('10.0.9.5', 5432)]", "10.1.2.3", "gaierror -3"]
    status, lines = run_to_exit(kaa, str(image), "--net", "none", cmdline=("HOSTS=back",))  # type: ignore[arg-type]
    assert status != 0 and any("bad HOSTS entry 'back'" in ln for ln in lines), lines
