"""A guest that crashes is never silent, booted.

tests/guest.py's Guest, run_to_exit and run_config fail the test when the console shows
a panic or a fault report, naming it and showing the report, unless the test said
expect_panic=True. The benchmarks report it as a crash, with the report symbolized:
Machine (every bench error about that guest) and the http benchmark's JSON ("crashed",
"crashes") and table. The guests here crash on purpose.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from guest import Guest, run_config, run_to_exit
from kaa import build, vm
from kaa.bench import http as bench_http
from kaa.bench import services
from kaa.bench.crash import find_crash
from kaa.bench.machine import Machine
from kaa.bench.options import Options
from kaa.bench.report import http_section

pytestmark = pytest.mark.booted

PANICS = """\
from kaa.lang import *
import kernel.threads as threads


@noinline
def boom(n: i32) -> None:
    assert n < 3, "boom"


def main() -> i32:
    print("ready")
    threads.sleep_ns(200_000_000)
    boom(5)
    return 0
"""

FAULTS = """\
from kaa.lang import *


@noinline
def poke(p: Ptr[u64]) -> None:
    p[0] = 7


def main() -> i32:
    print("ready")
    poke(cast(Ptr[u64], 0x7FFFFFFFF000))
    return 0
"""

# A kernel-level HTTP service that panics at its 50th request: a crash under load.
CRASHES_UNDER_LOAD = """\
from kaa.lang import *
import kaa.http.connection as http
import kaa.http.json_writer as json
import kaa.http.server as httpd
import kernel.net.net as net

served: u64 = 0


@noinline
def answer(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global served
    served += 1
    if served == 50:
        panic("served too many")
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "served", i64(served))
    json.end_object(j)


def main() -> i32:
    if not net.up():
        return 1
    router: http.Router
    http.route(addr(router), "GET", "/", answer)
    print("crashy: serving")
    httpd.serve(80, addr(router))
    return 0
"""


def write(tmp_path: Path, name: str, source: str) -> str:
    app = tmp_path / f"{name}.py"
    app.write_text(source)
    return str(app)


def test_guest_fails_the_test_with_the_panic_and_its_report(tmp_path: Path) -> None:
    app = write(tmp_path, "panics", PANICS)
    with pytest.raises(AssertionError) as failed:
        with Guest(app, "--net", "none") as g:
            g.wait_for("ready")
            g.proc.wait(60)
    text = str(failed.value)
    assert text.startswith("the guest crashed: panic: boom ("), text
    assert "backtrace:" in text and re.search(r"#\d+ 0x[0-9a-f]+ in boom \(.*panics\.py:7\)", text), text
    assert "ready" in text                                   # the lines before it too


def test_guest_that_expects_a_panic_passes(tmp_path: Path) -> None:
    with Guest(write(tmp_path, "panics", PANICS), "--net", "none", expect_panic=True) as g:
        g.wait_for("ready")
        g.proc.wait(60)
    crash = g.crash()
    assert crash is not None and crash.line.startswith("panic: boom (")


def test_a_crash_explains_the_test_failing_otherwise(tmp_path: Path) -> None:
    """The test's own failure (here: a line that never comes) reports the crash first."""
    with pytest.raises(AssertionError) as failed:
        with Guest(write(tmp_path, "panics", PANICS), "--net", "none") as g:
            g.wait_for("never printed", timeout=60)
    assert str(failed.value).startswith("the guest crashed: panic: boom ("), failed.value


def test_run_to_exit_and_run_config_fail_on_a_fault(kaa, tmp_path: Path) -> None:
    app = write(tmp_path, "faults", FAULTS)
    with pytest.raises(AssertionError, match=r"^the guest crashed: fault: page fault \(vector 14"):
        run_to_exit(kaa, app, "--net", "none")
    status, out = run_to_exit(kaa, app, "--net", "none", expect_panic=True)
    assert status == 101 and out[0] == "ready", out
    cfg = vm.VmConfig(build.build(Path(app)), net="none")
    with pytest.raises(AssertionError, match=r"in poke \(.*faults\.py:6\)"):
        run_config(cfg, 60)
    assert run_config(cfg, 60, expect_panic=True)[0] == 101


def test_no_crash_no_failure() -> None:
    assert find_crash(["Kaa 0.1: booted", "the word panic: inside a line", "  fault: indented"]) is None


def test_bench_reports_a_crash_under_load_with_its_report(tmp_path: Path) -> None:
    """The http benchmark against a service that panics at its 50th request (in the
    warm-up, on each fresh boot): every load is a failed run that crashed, with the
    symbolized report in "crashes" and in the table."""
    if (why := bench_http.wrk_missing()):
        pytest.skip(why)
    svc = services.http_service(write(tmp_path, "crashy", CRASHES_UNDER_LOAD), port=80, ready=r"crashy: serving")
    opts = Options(http=svc, with_linux=False, with_web=False, nets=("user",), smp=(1,), duration=1, runs=1,
                   log=lambda msg: None)
    result = bench_http.run(opts)
    entry = result["nets"]["user"]["crashy smp=1"]
    for load, *_ in bench_http.LOADS:
        assert entry[load]["failed"] == 1 and entry[load]["crashed"] == 1, entry
    reports = result["crashes"]
    assert sorted(reports) == sorted(f"crashy smp=1 user {load}" for load, *_ in bench_http.LOADS), reports
    first = reports["crashy smp=1 user keepalive-c32"][0]
    at = next(i for i, ln in enumerate(CRASHES_UNDER_LOAD.splitlines(), 1) if "panic(" in ln)
    assert re.search(rf"^panic: served too many \(.*crashy\.py:{at}\)$", first, re.M), first
    assert re.search(rf"#\d+ 0x[0-9a-f]+ in answer \(.*crashy\.py:{at}\)", first), first
    assert all("the guest crashed: panic: served too many" in e[0] for e in result["errors"].values()), result
    table = http_section(result)
    assert "1 (1 crashed)" in table and "**the guest crashed**" in table and "served too many" in table, table


def test_machine_names_the_crash_instead_of_qemu_ended(tmp_path: Path) -> None:
    cfg = vm.VmConfig(build.build(Path(write(tmp_path, "panics", PANICS))), net="none")
    with Machine(cfg) as m:
        with pytest.raises(Exception, match=r"the guest crashed: panic: boom"):
            m.wait_line("never printed", 60)
        assert "in boom (" in m.tail()
