"""Property: the split virtqueue never loses or duplicates a buffer, whatever order the
device completes them in, single descriptors and chains (add_chain) alike, and asks
for notifications exactly as EVENT_IDX says.

tests/host/virtqueue_sim.py runs kernel/drivers/virtio/virtqueue.py on the host against a
simulated device; hypothesis draws the interleavings.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "virtqueue_sim.py",
                        tmp_path_factory.mktemp("vq") / "virtqueue_sim", target="host", debug=True)


ops = st.lists(st.one_of(st.builds(lambda n: f"a{n}", st.integers(1, 20)),
                         st.builds(lambda n: f"g{n}", st.integers(1, 12)),
                         st.builds(lambda k: f"c{k}", st.integers(0, 40)),
                         st.just("t"), st.just("r")), max_size=200)


@settings(max_examples=80, deadline=None)
@given(ops)
def test_virtqueue_against_a_device(sim: Path, commands: list[str]) -> None:
    out = subprocess.run([str(sim), *commands], capture_output=True, text=True, timeout=30).stdout
    m = re.fullmatch(r"added (\d+) errors 0 free 16 of 16 wrong notifications 0\n", out)
    assert m, out
