"""Files for services: open(), os and os.path (kaa/pyrt/file.c, os_module.c) over the
platform's file calls (kernel/fs/file_bridge.py booted, kernel/platform/host_files.py on
the host), judged against CPython running the same program on a copy of the same folder.

- host: tests/files/store.py (reads, writes, appends, renames, replaces, removes),
  errors.py (every failure, as CPython words it) and with_files.py (`with`, files as
  iterators, print(file=), os.path's rules) run in copies of a folder made by
  make_data(): the host build (--debug: a leak fails) must print what CPython prints
  and leave the same tree.
- property: text and binary reads (read(n), readline(n), iteration, readlines, seek) of
  content with "\\r\\n", "\\r", multi-byte characters and runs across the buffers' size,
  and 'r+b' writes mixed with reads, seeks and truncation, by tests/files/text_ops.py,
  as CPython does them.
- booted: store.py on an ext2 image made from the folder (mke2fs -d): the console is
  CPython's output, `e2fsck -fn` finds the image clean, debugfs reads back CPython's
  tree, and a second boot on the same image (`store.py verify`) finds it all. errors.py
  and with_files.py booted; a read-only disk; no disk; and durable.py stopped with no
  warning (QMP quit) after its acknowledged writes, which must all be on the image.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from guest import Guest, after_banner, run_config

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "files"
TIMEOUT = 120
needs_e2fsprogs = pytest.mark.skipif(shutil.which("mke2fs") is None and not Path("/sbin/mke2fs").exists(),
                                     reason="needs e2fsprogs")


def make_data(root: Path) -> Path:
    """The folder the programs work in: data/ with text, binary and nested files."""
    d = root / "data"
    (d / "sub" / "inner").mkdir(parents=True)
    (d / "notes.txt").write_bytes("héllo wörld\r\nsecond line\rthird\n\nlast line without end".encode())
    (d / "lf.txt").write_bytes(b"one\ntwo\nthree\n")
    (d / "blob.bin").write_bytes(random.Random(5).randbytes(50000))
    (d / "empty.txt").write_bytes(b"")
    (d / "patch.bin").write_bytes(b"0123456789abcdef")
    (d / "log.txt").write_bytes(b"created\n")
    (d / "sub" / "state.json").write_bytes(b'{"c": 3}')
    (d / "sub" / "gone.txt").write_bytes(b"bye")
    return root


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root (lost+found aside): a file's bytes, None for a folder."""
    out: dict[str, bytes | None] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.split("/")[0] != "lost+found":
            out[rel] = None if p.is_dir() else p.read_bytes()
    return out


def cpython(program: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONUTF8": "1"}
    return subprocess.run([sys.executable, str(PROGRAMS / program), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)


class HostBuilds:
    """The programs built for the host with --debug, once per test session."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, Path] = {}

    def __call__(self, program: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        if program not in self.built:
            out = self.folder / Path(program).stem
            subprocess.run([sys.executable, "-m", "kaa", "build", f"tests/files/{program}", "--target", "host",
                            "--debug", "-o", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=600)
            self.built[program] = out
        return subprocess.run([str(self.built[program]), *args], cwd=cwd, capture_output=True, text=True,
                              timeout=TIMEOUT)


@pytest.fixture(scope="session")
def host(tmp_path_factory: pytest.TempPathFactory) -> HostBuilds:
    return HostBuilds(tmp_path_factory.mktemp("files-host"))


# ---- host ----

@pytest.mark.parametrize("program", ["store.py", "errors.py", "with_files.py"])
def test_host_matches_cpython(program: str, tmp_path: Path, host: HostBuilds) -> None:
    theirs, ours = make_data(tmp_path / "cpython"), make_data(tmp_path / "kaa")
    want = cpython(program, theirs)
    assert want.returncode == 0, want.stderr
    got = host(program, ours)
    assert (got.returncode, got.stdout, got.stderr) == (0, want.stdout, "")
    assert tree(ours) == tree(theirs)
    if program == "store.py":                           # a second run starts from the first one's tree
        want, got = cpython(program, theirs, "verify"), host(program, ours, "verify")
        assert got.stdout == want.stdout and want.returncode == 0


PIECES = ["a", "bc", "\r", "\n", "\r\n", "\n\r", "é", "€", "😀", " ", "\r\r\n"]
content = st.lists(st.one_of(st.sampled_from(PIECES), st.integers(1, 9000).map(lambda n: "x" * n)),
                   max_size=40).map(lambda parts: "".join(parts).encode())
operation = st.one_of(st.tuples(st.just("read"), st.integers(-1, 12000)),
                      st.tuples(st.just("readline"), st.integers(-1, 300)),
                      st.tuples(st.just("lines"), st.integers(1, 4)),
                      st.tuples(st.just("seek"), st.integers(0, 30000)),
                      st.tuples(st.just("write"), st.integers(0, 20000)),
                      st.tuples(st.just("truncate"), st.integers(0, 30000)),
                      st.tuples(st.just("tell"), st.just(0)))
# what each mode of text_ops.py does: text, binary, binary read-write ('r+b')
MODE_OPS = {"t": {"read", "readline", "lines"}, "b": {"read", "readline", "lines", "seek"},
            "p": {"read", "readline", "seek", "write", "truncate", "tell"}}


@settings(max_examples=40, deadline=None)
@given(data=content, ops=st.lists(operation, max_size=12), readlines=st.booleans())
def test_reads_and_writes_as_cpython(host: HostBuilds, data: bytes, ops: list[tuple[str, int]],
                                     readlines: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for mode, usable in MODE_OPS.items():
            steps = [f"{op} {n}" for op, n in ops if op in usable]
            steps += ["readlines"] if readlines and mode != "p" else []
            (folder / "ops.txt").write_text("".join(step + "\n" for step in steps))
            runs = []
            for run in (cpython, host):
                (folder / "input.bin").write_bytes(data)       # 'r+b' changes it
                runs.append(run("text_ops.py", folder, mode))
            want, got = runs
            assert want.returncode == 0, want.stderr
            assert (got.returncode, got.stdout, got.stderr) == (0, want.stdout, ""), (mode, steps)


# ---- booted ----

def boot(kaa, program: str, *args: str, cmdline: tuple[str, ...] = ()) -> list[str]:
    r = kaa("run", f"tests/files/{program}", "--debug", "--net", "none", "--timeout", str(TIMEOUT), *args,
            *(("--", *cmdline) if cmdline else ()))
    assert r.returncode == 0, r.stdout + r.stderr
    return after_banner(r.stdout, r.stderr)


@pytest.mark.booted
@needs_e2fsprogs
def test_booted_disk_matches_cpython_and_survives_a_reboot(kaa, tmp_path: Path) -> None:
    from kaa import disk
    theirs, folder = make_data(tmp_path / "cpython"), make_data(tmp_path / "kaa")
    image = tmp_path / "disk.img"
    want = cpython("store.py", theirs)
    assert want.returncode == 0, want.stderr
    assert boot(kaa, "store.py", "--disk", str(folder), "--disk-out", str(image)) == want.stdout.splitlines()
    clean, report = disk.check(image)
    assert clean, report
    assert tree(disk.get_tree(image, tmp_path / "dump")) == tree(theirs)
    again = cpython("store.py", theirs, "verify")
    assert boot(kaa, "store.py", "--disk", str(image), cmdline=("verify",)) == again.stdout.splitlines()
    clean, report = disk.check(image)
    assert clean, report


@pytest.mark.booted
@needs_e2fsprogs
@pytest.mark.parametrize("program", ["errors.py", "with_files.py"])
def test_booted_matches_cpython(kaa, tmp_path: Path, program: str) -> None:
    from kaa import disk
    theirs, folder = make_data(tmp_path / "cpython"), make_data(tmp_path / "kaa")
    image = tmp_path / "disk.img"
    want = cpython(program, theirs)
    assert boot(kaa, program, "--disk", str(folder), "--disk-out", str(image)) == want.stdout.splitlines()
    clean, report = disk.check(image)
    assert clean, report
    assert tree(disk.get_tree(image, tmp_path / "dump")) == tree(theirs)


def cpython_error(code: int, filename: str, filename2: str | None = None) -> str:
    """str() of the OSError CPython raises for errno code on filename (-> filename2)."""
    e = OSError(code, os.strerror(code), filename, None, filename2) if filename2 else \
        OSError(code, os.strerror(code), filename)
    return str(e)


@pytest.mark.booted
@needs_e2fsprogs
def test_a_read_only_disk_refuses_changes(tmp_path: Path) -> None:
    from kaa import build as kbuild, disk, vm
    image = disk.make(make_data(tmp_path / "tree"), tmp_path / "ro.img")
    elf = kbuild.build(ROOT / "tests/files/read_only.py", debug=True)
    cfg = vm.VmConfig(elf, net="none", extra=["-drive", f"file={image},format=raw,if=none,id=d0,readonly=on",
                                              "-global", "virtio-mmio.force-legacy=false",
                                              "-device", "virtio-blk-device,drive=d0"])
    status, out = run_config(cfg, TIMEOUT)
    rofs = errno.EROFS
    assert status == 0, out
    with open(tmp_path / "tree/data/notes.txt", encoding="utf-8") as f:
        notes = f.read()
    assert out == [repr(notes),
                   f"create OSError {rofs} {cpython_error(rofs, 'data/new.txt')}",
                   f"append OSError {rofs} {cpython_error(rofs, 'data/notes.txt')}",
                   f"mkdir OSError {rofs} {cpython_error(rofs, 'data/dir')}",
                   f"remove OSError {rofs} {cpython_error(rofs, 'data/notes.txt')}",
                   f"rename OSError {rofs} {cpython_error(rofs, 'data/notes.txt', 'data/renamed.txt')}"]


@pytest.mark.booted
def test_without_a_disk_files_are_not_there(kaa, tmp_path: Path) -> None:
    prog = tmp_path / "nodisk.py"
    prog.write_text("import os\n"
                    "print(os.path.exists('a.txt'))\n"
                    "try:\n    open('a.txt', 'w')\n"
                    "except OSError as e:\n    print(type(e).__name__, e)\n")
    r = kaa("run", str(prog), "--net", "none", "--timeout", "60")
    assert r.returncode == 0, r.stdout + r.stderr
    assert after_banner(r.stdout) == ["False", f"OSError {cpython_error(errno.ENODEV, 'a.txt')}"]


@pytest.mark.booted
@needs_e2fsprogs
def test_acknowledged_writes_survive_a_power_cut(tmp_path: Path) -> None:
    from kaa import disk
    empty = tmp_path / "empty"
    empty.mkdir()
    image = disk.make(empty, tmp_path / "disk.img")
    with Guest("tests/files/durable.py", "--disk", str(image), "--net", "none", timeout=TIMEOUT) as g:
        g.wait_for("waiting for the power cut", timeout=TIMEOUT)
    clean, report = disk.check(image)                   # stopped with no warning, yet consistent
    assert clean, report
    got = tree(disk.get_tree(image, tmp_path / "dump"))
    assert got == {"state.json": b'{"round": 19}', "log.txt": "".join(f"round {i}\n" for i in range(20)).encode()}
