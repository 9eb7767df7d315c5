"""kaa/http/date.py on the host (tests/host/http_date_check.py), against Python's
email.utils: IMF-fixdate out, the three HTTP-date forms in, nonsense refused."""

from __future__ import annotations

import random
import subprocess
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def check(tmp_path_factory: pytest.TempPathFactory):
    exe = kbuild.build(ROOT / "tests" / "host" / "http_date_check.py",
                       tmp_path_factory.mktemp("date") / "http_date_check", target="host", debug=True)

    def run(lines: list[str]) -> list[str]:
        r = subprocess.run([str(exe)], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout.splitlines()
    return run


def samples() -> list[int]:
    rng = random.Random(6)
    edges = [0, 59, 86399, 86400, 951782400, 951868800, 4107542399, 4107542400, (1 << 32) - 1]
    return edges + [rng.randrange(0, 1 << 32) for _ in range(300)]


def test_format_is_imf_fixdate(check) -> None:
    ts = samples()
    assert check([f"f {t}" for t in ts]) == [
        format_datetime(datetime.fromtimestamp(t, timezone.utc), usegmt=True) for t in ts]


def test_parse_reads_all_three_forms(check) -> None:
    ts = [t for t in samples() if t < 3155760000]       # RFC 850 years stop at 2069
    lines = []
    for t in ts:
        d = datetime.fromtimestamp(t, timezone.utc)
        lines += [f"p {format_datetime(d, usegmt=True)}", f"p {d.strftime('%A, %d-%b-%y %H:%M:%S GMT')}",
                  f"p {d.strftime('%a %b %e %H:%M:%S %Y')}"]
    assert check(lines) == [str(t) for t in ts for _ in range(3)]


@pytest.mark.parametrize("text", [
    "", "garbage", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
    "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 29 Feb 1900 08:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08-49-37 GMT",
    "Sun, 06 Nov 19x4 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
    "Sun Nov  6 08:49:37 1994 ", "Sun, 06 Nov 1994 08:49:37 GMT ",
])
def test_parse_refuses_what_is_not_a_date(check, text: str) -> None:
    assert check([f"p {text}"]) == ["-1"]
