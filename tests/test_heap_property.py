"""Property: the kernel heap never hands out overlapping blocks and gets back every byte.

tests/host/heap_ops.py runs kernel/mm/heap.py and kernel/mm/pages.py on the host over an
8 MiB arena, applying the operations on its command line; hypothesis draws the
sequences (sizes from 0 bytes to a few hundred KiB, frees in any order).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def heap_ops(tmp_path_factory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "heap_ops.py", tmp_path_factory.mktemp("heap") / "heap_ops",
                        target="host", debug=True)


sizes = st.one_of(st.integers(0, 64), st.integers(0, 4096), st.integers(4000, 300000))


@st.composite
def operations(draw: st.DrawFn) -> list[str]:
    ops: list[str] = []
    live: list[int] = []
    slot = 0
    for _ in range(draw(st.integers(1, 300))):
        if live and draw(st.booleans()):
            victim = live.pop(draw(st.integers(0, len(live) - 1)))
            ops.append(f"-{victim}")
        else:
            ops.append(f"+{draw(sizes)}")
            live.append(slot)
            slot += 1
    return ops


@settings(max_examples=60, deadline=None)
@given(operations())
def test_heap_blocks_are_disjoint_and_all_memory_returns(heap_ops: Path, ops: list[str]) -> None:
    out = subprocess.run([str(heap_ops), *ops], capture_output=True, text=True, timeout=60).stdout
    assert out.splitlines() == ["overlaps 0 corrupted 0 failed 0 in_use 0", "accounted True"]
