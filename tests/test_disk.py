"""kaa/disk.py and `kaa disk`: ext2 images made from folders, read back with debugfs.

Also what `kaa run --disk` hands QEMU (kaa/vm.py disk_args) on each machine type.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kaa import disk, vm

pytestmark = pytest.mark.skipif(shutil.which("mke2fs") is None and not Path("/sbin/mke2fs").exists(),
                                reason="needs e2fsprogs")


def tree(root: Path) -> Path:
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "note.txt").write_text("hello\n")
    (root / "big").write_bytes(bytes(range(256)) * 4000)
    (root / "empty").write_bytes(b"")
    return root


def test_make_list_get_and_check(kaa, tmp_path: Path) -> None:
    src = tree(tmp_path / "src")
    image = tmp_path / "t.img"
    r = kaa("disk", "make", str(src), str(image), "--block-size", "1024")
    assert r.returncode == 0 and r.stdout.strip() == str(image), r.stderr
    assert image.stat().st_size == disk.default_size(src, 1024) >= disk.MIN_SIZE
    r = kaa("disk", "ls", str(image))
    names = {line.split()[-1]: line.split()[0] for line in r.stdout.splitlines()}
    assert names == {"lost+found": "d", "a": "d", "big": "f", "empty": "f"}
    assert disk.ls(image, "/a/b") == [("note.txt", "f", 6)]
    r = kaa("disk", "get", str(image), "/a/b/note.txt", str(tmp_path / "out.txt"))
    assert r.returncode == 0 and (tmp_path / "out.txt").read_text() == "hello\n"
    r = kaa("disk", "check", str(image))
    assert r.returncode == 0, r.stdout
    r = kaa("disk", "get", str(image), "/nope", str(tmp_path / "x"))
    assert r.returncode == 1 and "/nope" in r.stderr


def test_a_size_and_a_block_size_are_honoured(tmp_path: Path) -> None:
    image = disk.make(tree(tmp_path / "src"), tmp_path / "t.img", size=12 << 20, block_size=4096)
    assert image.stat().st_size == 12 << 20
    with pytest.raises(disk.DiskError, match="block size"):
        disk.make(tmp_path / "src", tmp_path / "u.img", block_size=512)
    with pytest.raises(disk.DiskError, match="not a folder"):
        disk.make(tmp_path / "missing", tmp_path / "u.img")


def test_run_makes_a_temporary_image_of_a_folder(tmp_path: Path) -> None:
    src = tree(tmp_path / "src")
    image, temporary = disk.for_run(src)
    assert temporary and image.is_file()
    image.unlink()
    kept, temporary = disk.for_run(src, tmp_path / "kept.img", 20, 2048)
    assert not temporary and kept.stat().st_size == 20 << 20
    assert disk.for_run(kept) == (kept, False)          # an image is attached as it is
    with pytest.raises(disk.DiskError):
        disk.for_run(tmp_path / "missing")


def test_qemu_gets_virtio_blk_on_each_machine(tmp_path: Path) -> None:
    image = tmp_path / "d.img"
    image.write_bytes(bytes(4096))
    mmio = vm.disk_args(vm.VmConfig("x.elf", disk=image))
    assert mmio == ["-drive", f"file={image},if=none,id=d0,format=raw", "-global", "virtio-mmio.force-legacy=false",
                    "-device", "virtio-blk-device,drive=d0"]
    pci = vm.disk_args(vm.VmConfig("x.elf", machine="q35", disk=image))
    assert pci[-2:] == ["-device", "virtio-blk-pci,drive=d0,disable-legacy=on"]
    assert vm.disk_args(vm.VmConfig("x.elf")) == []
    with pytest.raises(vm.VmError, match="no such file"):
        vm.disk_args(vm.VmConfig("x.elf", disk=tmp_path / "missing.img"))


def test_run_reports_a_missing_disk(kaa, tmp_path: Path) -> None:
    r = kaa("run", "examples/hello.py", "--disk", str(tmp_path / "missing"), "--timeout", "30")
    assert r.returncode == 1 and "no such folder or image" in r.stderr
