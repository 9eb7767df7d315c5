"""Property: the block cache returns what was last written, and sync() puts exactly that
on the disk.

tests/host/fs_cache_ops.py runs kernel/fs/block_cache.py over a RAM disk of 64 blocks
with 8 buffers (so almost every sequence evicts, dirty buffers included), checking
each block it reads against a shadow copy, the disk against the shadow after every
sync, and that get() refuses only when every buffer is pinned. Hypothesis draws the
sequences: reads, writes, whole-block fills, pins, reads around the cache, syncs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cache_ops(tmp_path_factory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "fs_cache_ops.py", tmp_path_factory.mktemp("cache") / "cache_ops",
                        target="host", debug=True)


blocks = st.one_of(st.integers(0, 11), st.integers(0, 63))     # a hot set and the rest
operation = st.one_of(
    blocks.map(lambda b: f"g{b}"),
    st.tuples(blocks, st.integers(0, 255)).map(lambda t: f"w{t[0]}:{t[1]}"),
    st.tuples(blocks, st.integers(0, 255)).map(lambda t: f"n{t[0]}:{t[1]}"),
    blocks.map(lambda b: f"p{b}"),
    st.just("u"),
    st.tuples(blocks, st.integers(1, 20)).map(lambda t: f"r{t[0]}:{t[1]}"),
    st.just("s"),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(operation, min_size=1, max_size=300))
def test_cache_reads_back_writes_and_syncs_them(cache_ops: Path, ops: list[str]) -> None:
    out = subprocess.run([str(cache_ops), *ops], capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert out[0] == "mismatches 0 wrong_refusals 0 dirty 0 dirty_count 0", out


def test_consecutive_dirty_blocks_go_in_one_request(cache_ops: Path) -> None:
    ops = [f"w{b}:{b}" for b in range(8)] + ["s"]
    out = subprocess.run([str(cache_ops), *ops], capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert out == ["mismatches 0 wrong_refusals 0 dirty 0 dirty_count 0", "requests 1 blocks 8 refused 0"]
