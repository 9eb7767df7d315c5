"""virtio-blk and ext2, booted: the guest's disk is an image `kaa run --disk` made.

tests/kernel/fs_blk.py drives the raw device on every transport (virtio-mmio legacy
and modern, virtio-pci): four threads (on two CPUs) write and read back their own
regions at once, a 1 MiB transfer goes as several requests in flight, requests past
the end fail with RANGE; the host then finds the guest's patterns in the image file.
tests/kernel/fs_blk_errors.py sees the device's own errors: reads QEMU's blkdebug
driver fails (IO), writes to a read-only disk (READ_ONLY).

tests/kernel/fs_disk.py mounts an image made from a tree (nested folders, files from
0 B to 3 MiB), runs the script the test put on it (tests/host/fs_script.py): it reads
every file (CRC-32 compared with the host's), then creates, appends, truncates,
renames and deletes files and folders, reads everything again; four threads on two
CPUs then append to files of their own at once; it unmounts. The host compares the
console with tests/test_fs_model.py, runs `e2fsck -fn` on the image (clean), and
reads the tree back with debugfs.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kaa import build as kbuild
from kaa import disk
from kaa import vm
from guest import after_banner, run_config
from test_fs_model import Model, crc, data, sorted_walk

pytestmark = [pytest.mark.booted, pytest.mark.skipif(shutil.which("mke2fs") is None and
                                                       not Path("/sbin/mke2fs").exists(), reason="needs e2fsprogs")]
TIMEOUT = "180"
ROOT = Path(__file__).resolve().parent.parent


def boot_legacy(app: str, image: Path, cmdline: str = "", machine: str = "microvm") -> tuple[int, list[str]]:
    """Boot with the disk's transport left legacy: virtio-mmio version 1 on microvm, a
    legacy-only (I/O port) virtio-pci function on q35."""
    elf = kbuild.build(ROOT / app)
    if machine == "microvm":
        cfg = vm.VmConfig(elf, net="none", disk=image, cmdline=cmdline,
                          extra=["-global", "virtio-mmio.force-legacy=true"])
    else:
        cfg = vm.VmConfig(elf, machine=machine, net="none", cmdline=cmdline,
                          extra=["-drive", f"file={image},format=raw,if=none,id=d0",
                                 "-device", "virtio-blk-pci,drive=d0,disable-modern=on"])
    return run_config(cfg, float(TIMEOUT))


# --- the raw device ---

def region_pattern(k: int) -> bytes:
    row = bytes(range(256)) * 4
    return b"".join(row[(k * 37 + s * 11) % 256:][:512] for s in range(2048))


@pytest.mark.parametrize("transport", ["mmio-modern", "mmio-legacy", "pci", "pci-legacy"])
def test_virtio_blk_requests(kaa, tmp_path: Path, transport: str) -> None:
    image = tmp_path / "raw.img"
    with open(image, "wb") as f:
        f.truncate(64 << 20)
    if transport.endswith("legacy"):
        status, out = boot_legacy("tests/kernel/fs_blk.py", image, machine="q35" if transport == "pci-legacy" else "microvm")
    else:
        machine = "q35" if transport == "pci" else "microvm"
        r = kaa("run", "tests/kernel/fs_blk.py", "--timeout", TIMEOUT, "--machine", machine, "--smp", "2",
                "--net", "none", "--disk", str(image))
        status, out = r.returncode, after_banner(r.stdout)
    kind = {"mmio-modern": "mmio modern", "mmio-legacy": "mmio legacy", "pci": "pci modern",
            "pci-legacy": "pci legacy"}[transport]
    assert status == 0, out
    assert out[0] == f"disk sectors {64 << 11} block 512 read_only False {kind}"
    assert out[1:4] == ["big write 0 read 0 differ 0", "range: last 0 past 2 beyond 2 huge 2", "flush 0"]
    assert re.fullmatch(r"requests \d+ reads \d+ writes, True interrupts", out[4]), out
    raw = image.read_bytes()
    for k in range(4):
        start = 8192 * (k + 1) * 512
        assert raw[start:start + 2048 * 512] == region_pattern(k), f"region {k}"
    assert raw[65536 * 512:65536 * 512 + (1 << 20)] == bytes((i * 7 + 3) & 0xFF for i in range(1 << 20))


def boot_with_drive(app: str, drive: str) -> tuple[int, list[str]]:
    elf = kbuild.build(ROOT / app)
    cfg = vm.VmConfig(elf, net="none", extra=["-global", "virtio-mmio.force-legacy=false", "-drive", drive,
                                              "-device", "virtio-blk-device,drive=d0"])
    return run_config(cfg, float(TIMEOUT))


def test_virtio_blk_reports_device_errors(tmp_path: Path) -> None:
    image = tmp_path / "raw.img"
    with open(image, "wb") as f:
        f.truncate(8 << 20)
    rules = tmp_path / "blkdebug.conf"
    rules.write_text('[inject-error]\nevent = "none"\niotype = "read"\nerrno = "5"\nsector = "4096"\nonce = "off"\n')
    status, out = boot_with_drive("tests/kernel/fs_blk_errors.py",
                                  f"if=none,id=d0,driver=blkdebug,config={rules},image.driver=raw,"
                                  f"image.file.filename={image},rerror=report,werror=report")
    assert status == 0, out
    assert out == ["read_only False", "read 0: 0", "read 4096: 1", "read 4000..4200: 1", "write 0: 0", "flush: 0",
                   "errors 2"]
    status, out = boot_with_drive("tests/kernel/fs_blk_errors.py", f"if=none,id=d0,file={image},format=raw,readonly=on")
    assert status == 0, out
    assert out == ["read_only True", "read 0: 0", "read 4096: 0", "read 4000..4200: 0", "write 0: 4", "flush: 0",
                   "errors 0"]


# --- ext2 ---

def make_tree(root: Path) -> None:
    sizes = [0, 1, 511, 4096, 4097, 50_000, 1_500_000, 3 << 20]
    for depth, name in enumerate(["docs", "docs/deep", "docs/deep/er", "docs/deep/er/est"]):
        for i, size in enumerate(sizes[depth:depth + 5]):
            p = root / name / f"file{i}.bin"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data(depth * 10 + i, size))
    (root / "empty-dir").mkdir()
    for i in range(60):
        p = root / "many" / f"note-{i:02d}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data(100 + i, i * 13))


SCRIPT = [
    "mkdir /out", "mkdir /out/a", "mkdir /out/a/b",
    "write /out/a/b/new 0 1048576 1", "append /out/a/b/new 1048576 2", "append /out/a/b/new 777 3",
    "append /docs/file0.bin 5000 4", "write /docs/deep/file1.bin 100 200 5",
    "trunc /docs/deep/er/file2.bin 1000", "trunc /docs/file3.bin 70000", "trunc /docs/deep/er/est/file4.bin 0",
    "mv /docs/deep/er/est /out/est", "mv /many/note-05.txt /out/note", "mv /many/note-06.txt /many/note-07.txt",
    "rm /docs/file4.bin", "rm /many/note-01.txt", "rmdir /empty-dir", "rmdir /docs", "mv /out /docs/deep/out",
    "create /docs/made", "mkdir /docs/made", "rm /docs/deep", "mv /docs /docs/deep/x",
    "write /docs/deep/out/a/sparse 2000000 100 6", "sync /",
]


def check_run(out: list[str], model: Model, image: Path, now: int, workers: int = 0) -> None:
    assert out[0].startswith("mounted"), out
    appended = [ln for ln in out if ln.startswith("thread ")]
    lines = [ln for ln in out[1:] if not ln.startswith("thread ")]
    first = [ln for ln in lines[:200] if ln[:2] in ("d ", "f ")][:len(model.walk_lines())]
    assert sorted_walk(first) == model.walk_lines()
    rest = lines[len(first):]
    expected = [model.apply(op) for op in SCRIPT]
    got = [" ".join(ln.split()[:4]) if " err " in ln else ln for ln in rest[:len(SCRIPT)]]
    assert got == expected
    assert sorted_walk(rest[len(SCRIPT):-2]) == model.walk_lines()
    assert rest[-2] == "unmount 0", rest[-2:]
    for k in range(workers):                # threads appending to files of their own at once
        content = b"".join(data(k * 100 + j, 10000) for j in range(20))
        assert appended[k] == f"thread {k} {len(content)} {crc(content)}"
        model.tree[f"/thread-{k}"] = bytearray(content)
    clean, report = disk.check(image)
    assert clean, report
    theirs = Model.of_folder(disk.get_tree(image, image.parent / "dump"))
    assert theirs.walk_lines() == model.walk_lines()
    stat = subprocess.run(["debugfs", "-R", "stat /docs/deep/out/a/b/new", str(image)], capture_output=True,
                          text=True).stdout
    mtime = int(re.search(r"mtime: 0x([0-9a-f]+)", stat).group(1), 16)
    assert now <= mtime <= now + 600, stat


@pytest.mark.parametrize("machine,block", [("microvm", 4096), ("q35", 1024)])
def test_guest_reads_and_changes_an_ext2_tree(kaa, tmp_path: Path, machine: str, block: int) -> None:
    tree = tmp_path / "tree"
    make_tree(tree)
    (tree / "kaa-script").write_text("walk\n" + "\n".join(SCRIPT) + "\nwalk\n")
    model = Model.of_folder(tree)
    model.tree["/lost+found"] = None
    image = tmp_path / "disk.img"
    now = int(time.time())
    r = kaa("run", "tests/kernel/fs_disk.py", "--timeout", TIMEOUT, "--machine", machine, "--smp", "2",
            "--net", "none", "--disk", str(tree), "--disk-out", str(image), "--disk-block-size", str(block),
            "--", f"now={now}", "threads=4")
    assert r.returncode == 0, r.stdout + r.stderr
    check_run(after_banner(r.stdout), model, image, now, 4)


def test_guest_ext2_on_legacy_virtio_mmio(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    make_tree(tree)
    (tree / "kaa-script").write_text("walk\n" + "\n".join(SCRIPT) + "\nwalk\n")
    model = Model.of_folder(tree)
    model.tree["/lost+found"] = None
    image = disk.make(tree, tmp_path / "disk.img", block_size=2048)
    now = int(time.time())
    status, out = boot_legacy("tests/kernel/fs_disk.py", image, f"now={now}")
    assert status == 0, out
    check_run(out, model, image, now)
