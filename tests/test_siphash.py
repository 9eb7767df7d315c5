"""kernel/lib/siphash.py on the host (tests/host/siphash_check.py): SipHash-2-4 against
the SipHash paper's test vector, and against OpenSSL's SipHash (`openssl mac SIPHASH`,
an implementation of its own) for the reference vectors' inputs (key 00..0f, messages
00, 00 01, ... of 0 to 63 bytes) and for random keys and messages. hash8() and hash12()
must give hash()'s value for messages of 8 and 12 bytes.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent
KEY = bytes(range(16))


@pytest.fixture(scope="module")
def check(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "siphash_check.py",
                        tmp_path_factory.mktemp("siphash") / "siphash_check", target="host", debug=True)


@pytest.fixture(scope="module")
def openssl() -> str:
    if shutil.which("openssl") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "openssl"],
                       capture_output=True, timeout=600)
    path = shutil.which("openssl")
    if path is None:
        pytest.skip("openssl is not installed and apt-get could not install it (Debian: apt-get install openssl)")
    return path


def kernel_hashes(exe: Path, cases: list[tuple[bytes, bytes]]) -> list[list[int]]:
    script = "".join(f"{k.hex()} {m.hex() or '-'}\n" for k, m in cases)
    r = subprocess.run([str(exe)], input=script, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return [[int(w, 16) for w in line.split()] for line in r.stdout.splitlines()]


def openssl_hash(openssl: str, key: bytes, msg: bytes) -> int:
    r = subprocess.run([openssl, "mac", "-macopt", f"hexkey:{key.hex()}", "-macopt", "size:8", "SIPHASH"],
                       input=msg, capture_output=True, timeout=30, check=True)
    return int.from_bytes(bytes.fromhex(r.stdout.decode().strip()), "little")


def test_the_papers_vector(check: Path) -> None:
    """Appendix A of the paper: key 00..0f, message 00..0e (15 bytes)."""
    assert kernel_hashes(check, [(KEY, bytes(range(15)))]) == [[0xA129CA6149BE45E5]]


def test_reference_inputs_and_random_ones_against_openssl(check: Path, openssl: str) -> None:
    rng = random.Random(6528)
    cases = [(KEY, bytes(range(n))) for n in range(64)]
    cases += [(rng.randbytes(16), rng.randbytes(rng.choice([8, 12, rng.randrange(200)]))) for _ in range(60)]
    got = kernel_hashes(check, cases)
    assert len(got) == len(cases)
    for (key, msg), values in zip(cases, got):
        want = openssl_hash(openssl, key, msg)
        assert values[0] == want, f"key {key.hex()} message {msg.hex()}: {values[0]:016x}, OpenSSL {want:016x}"
        if len(msg) in (8, 12):
            assert values == [want, want], f"hash{len(msg)}() differs for {msg.hex()}"
        else:
            assert len(values) == 1
