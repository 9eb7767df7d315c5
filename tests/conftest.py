"""Shared pytest helpers: where the repository is and how to run the `kaa` command.

Tests run `python -m kaa ...` from the repository root, so paths given on the command
line (and echoed back in compiler errors) are relative to it, as a user would type them.
Markers: `booted` for tests that boot an image in QEMU, `kvm` for tests that need KVM.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Generous: a booted test compiles the kernel too, and CI machines can be slow.
KAA_TIMEOUT = 300


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "booted: boots an image in QEMU (slow)")
    config.addinivalue_line("markers", "kvm: needs a working /dev/kvm")
    config.addinivalue_line("markers", "slow: long; runs only when asked (see its skip reason)")


def run_kaa(*args: str, timeout: float = KAA_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `python -m kaa ARGS` in the repository root and capture its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "kaa", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
    )


@pytest.fixture
def kaa() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The `run_kaa` helper, as a fixture: `kaa("build", "app.py", "-o", out)`."""
    return run_kaa


@pytest.fixture
def root() -> Path:
    return ROOT
