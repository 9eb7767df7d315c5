"""kernel/mm/pool.py, built for the host: distinct aligned buffers, None when empty, reuse."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent


def test_pool(tmp_path: Path) -> None:
    exe = kbuild.build(ROOT / "tests" / "host" / "pool_ops.py", tmp_path / "pool", target="host")
    assert subprocess.run([str(exe)], capture_output=True, text=True).stdout.splitlines() == [
        "init: True size 1536 available 300",
        "bad buffers: 0 empty pool gives None: True misses 1",
        "taken again: 300 too big for memory: False",
    ]
