"""ext2 (kernel/fs) on the host, against images mke2fs makes and e2fsck judges.

tests/host/fs_tool.py (built with --debug: bounds checks on) loads an image into a RAM
disk, mounts it through kernel/fs/vfs.py, runs a script (tests/host/fs_script.py) and
saves the image. Reading: every file of a tree comes back byte-exact (CRC-32), through
direct, indirect, double- and triple-indirect blocks and holes. Writing: hypothesis
draws scripts of creates, writes, appends, truncates, renames and removals; every
result must match tests/test_fs_model.py, `e2fsck -fn` must find the saved image
clean, and both our reader and debugfs must see the model's tree in it. Damage:
hypothesis flips bytes of the superblock, descriptors, inodes and directories; the
mount must refuse with a reason or the script must run to the end, never crash.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kaa import build as kbuild
from kaa import disk
from test_fs_model import Model, crc, data

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("mke2fs") is None and not os.path.exists("/sbin/mke2fs"),
                                reason="needs e2fsprogs")


@pytest.fixture(scope="module")
def tool(tmp_path_factory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "fs_tool.py", tmp_path_factory.mktemp("fs") / "fs_tool",
                        target="host", debug=True)


def run(tool: Path, image: Path, script: list[str], out: Path | None = None, *options: str,
        timeout: float = 120) -> tuple[int, list[str]]:
    ops = image.with_suffix(".ops")
    ops.write_text("\n".join(script) + "\n")
    argv = [str(tool), f"img={image}", f"ops={ops}", *options]
    if out is not None:
        argv.append(f"out={out}")
    r = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout)
    return r.returncode, r.stdout.splitlines()


def results(lines: list[str]) -> list[str]:
    """The script's lines, less the mount/unmount report."""
    return [ln for ln in lines if not ln.startswith(("mounted", "unmount", "damage"))]


def fsck_clean(image: Path) -> None:
    clean, report = disk.check(image)
    assert clean, report


def make_tree(root: Path, block: int) -> Model:
    """Files of every size class the block map has: direct, indirect, double-indirect,
    holes, an empty file, a directory of many entries, nesting."""
    apb = block // 4
    sizes = {"empty": 0, "one": 1, "block": block, "block+1": block + 1, "direct": 12 * block,
             "indirect": 12 * block + 1, "dind": (12 + apb) * block + 5, "big": 3 << 20}
    for name, size in sizes.items():
        p = root / "sizes" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data(len(name) * 1000 + size, size))
    deep = root / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "leaf.txt").write_text("leaf\n")
    many = root / "many"
    many.mkdir()
    for i in range(300):
        (many / f"entry-{i:03d}-{'x' * (i % 40)}").write_bytes(data(i, i * 7))
    with open(root / "holes", "wb") as f:     # data, a hole, data, a hole at the end
        f.write(data(1, 5000))
        f.seek(300 * block)
        f.write(data(2, 3000))
        f.truncate(400 * block)
    return Model.of_folder(root)


@pytest.mark.parametrize("block", [1024, 4096])
def test_reads_every_file_byte_exact(tool: Path, tmp_path: Path, block: int) -> None:
    model = make_tree(tmp_path / "tree", block)
    image = disk.make(tmp_path / "tree", tmp_path / "t.img", block_size=block)
    rc, lines = run(tool, image, ["walk"])
    assert rc == 0, lines
    model.tree["/lost+found"] = None
    from test_fs_model import sorted_walk
    assert sorted_walk(results(lines)) == model.walk_lines()


def test_reads_a_triple_indirect_file(tool: Path, tmp_path: Path) -> None:
    """With 1 KiB blocks the triple-indirect tree starts past 64.3 MiB."""
    tree = tmp_path / "tree"
    tree.mkdir()
    far = (12 + 256 + 256 * 256) * 1024 + 12345
    with open(tree / "far", "wb") as f:
        f.write(b"start")
        f.seek(far)
        f.write(data(9, 3000))
    image = disk.make(tree, tmp_path / "t.img", size=8 << 20, block_size=1024)
    rc, lines = run(tool, image, [f"readat /far {far - 100} 4000", "readat /far 0 5", "stat /far"])
    assert rc == 0, lines
    assert results(lines) == [f"r /far {far - 100} 3100 {crc(bytes(100) + data(9, 3000))}",
                              f"r /far 0 5 {crc(b'start')}", f"stat /far 1 {far + 3000} 1"]


def base_image(tmp_path: Path, block: int, size_mib: int = 16) -> tuple[Path, Model]:
    tree = tmp_path / "base"
    (tree / "d1" / "d2").mkdir(parents=True)
    (tree / "d1" / "f").write_bytes(data(7, 20000))
    (tree / "top").write_bytes(data(8, 3 * block + 17))
    image = disk.make(tree, tmp_path / "base.img", size=size_mib << 20, block_size=block)
    model = Model.of_folder(tree)
    model.tree["/lost+found"] = None
    return image, model


NAMES = ["a", "b", "c", "d1", "top", "lost+found"]
paths = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
sizes = st.one_of(st.integers(0, 3000), st.integers(0, 70000), st.integers(250000, 1 << 20))
offsets = st.one_of(st.integers(0, 5000), st.integers(0, 3 << 20))
seeds = st.integers(1, 1000)
operations = st.one_of(
    st.tuples(st.just("write"), paths, offsets, sizes, seeds),
    st.tuples(st.just("append"), paths, sizes, seeds),
    st.tuples(st.just("trunc"), paths, st.one_of(st.integers(0, 5000), st.integers(0, 400000))),
    st.tuples(st.just("mkdir"), paths),
    st.tuples(st.just("mkdir"), paths),
    st.tuples(st.just("rmdir"), paths),
    st.tuples(st.just("rm"), paths),
    st.tuples(st.just("create"), paths),
    st.tuples(st.just("mv"), paths, paths),
    st.tuples(st.just("sync"), st.just("/")),
).map(lambda t: " ".join(map(str, t)))


def check_script(tool: Path, tmp_path: Path, block: int, script: list[str]) -> None:
    image, model = base_image(tmp_path, block)
    out = tmp_path / "out.img"
    rc, lines = run(tool, image, script, out)
    assert rc == 0, lines
    expected = [model.apply(op) for op in script]
    got = [" ".join(ln.split()[:4]) if " err " in ln else ln for ln in results(lines)]
    assert got == expected
    assert lines[-1] == "unmount 0", lines
    fsck_clean(out)
    rc, lines = run(tool, out, ["walk"])               # remounted: what we wrote is there
    from test_fs_model import sorted_walk
    assert sorted_walk(results(lines)) == model.walk_lines()
    dump = disk.get_tree(out, tmp_path / "dump")       # and e2fsprogs agrees
    theirs = Model.of_folder(dump)
    assert theirs.walk_lines() == model.walk_lines()


@pytest.mark.parametrize("block", [1024, 4096])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=st.lists(operations, min_size=1, max_size=25))
def test_scripts_match_the_model_and_fsck(tool: Path, tmp_path_factory, block: int, script: list[str]) -> None:
    check_script(tool, tmp_path_factory.mktemp("ops"), block, script)


def test_a_busy_tree_of_renames_and_removals(tool: Path, tmp_path: Path) -> None:
    """Deterministic: directories moved across parents (link counts), files replaced by
    rename, a directory of many entries emptied again."""
    script = ["mkdir /a", "mkdir /a/x", "mkdir /b", "write /a/x/f 0 5000 1", "mv /a/x /b/x", "mv /b /a/b",
              "mkdir /c", "mv /c /a/b/x/c", "write /a/g 0 100 2", "write /a/h 0 200 3", "mv /a/g /a/h",
              "mkdir /e", "mv /a/b/x/c /e", "rmdir /top", "mv /a /top/a", "mv /d1/d2 /top", "mv /a/b /a"]
    script += [f"write /many{i} 0 {i * 50} {i}" for i in range(120)]
    script += [f"rm /many{i}" for i in range(0, 120, 2)]
    script += [f"mv /many{i} /d1/m{i}" for i in range(1, 120, 4)]
    check_script(tool, tmp_path, 1024, script)


def test_hash_indexed_directories_are_read_and_changed(tool: Path, tmp_path: Path) -> None:
    """e2fsck -D indexes a big directory (dir_index); we read it as the plain directory it
    also is and drop the index when we change it."""
    tree = tmp_path / "tree"
    (tree / "d").mkdir(parents=True)
    for i in range(1500):
        (tree / "d" / f"a-rather-long-file-name-{i}").write_bytes(data(i, i % 50))
    image = disk.make(tree, tmp_path / "t.img", block_size=1024)
    subprocess.run(["e2fsck", "-fyD", str(image)], capture_output=True)
    stat = subprocess.run(["debugfs", "-R", "stat /d", str(image)], capture_output=True, text=True).stdout
    assert "Flags: 0x1000" in stat
    model = Model.of_folder(tree)
    model.tree["/lost+found"] = None
    script = [f"rm /d/a-rather-long-file-name-{i}" for i in range(0, 1500, 3)]
    script += [f"create /d/new-{i}" for i in range(200)] + ["mv /d/a-rather-long-file-name-1 /d/moved"]
    out = tmp_path / "out.img"
    rc, lines = run(tool, image, ["walk"] + script, out)
    assert rc == 0
    from test_fs_model import sorted_walk
    assert sorted_walk(results(lines)[:1502]) == model.walk_lines()
    assert results(lines)[1502:] == [model.apply(op) for op in script]
    fsck_clean(out)
    rc, lines = run(tool, out, ["walk"])
    assert sorted_walk(results(lines)) == model.walk_lines()


def test_listdir_and_stat(tool: Path, tmp_path: Path) -> None:
    image, _ = base_image(tmp_path, 4096)
    rc, lines = run(tool, image, ["mkdir /x", "create /x/a", "write /x/b 0 10 1", "mkdir /x/c", "ls /x", "ls /top",
                                  "stat /x", "stat /x/b", "stat /missing", "ls /x/c"])
    assert rc == 0
    out = results(lines)
    assert out[4].split()[:2] == ["ls", "/x"] and sorted(out[4].split()[2:]) == ["a", "b", "c"]
    assert out[5:] == ["ls /top err 20 not a directory", "stat /x 2 4096 3", "stat /x/b 1 10 1",
                       "stat /missing err 2 no such file or directory", "ls /x/c"]


def test_triple_indirect_and_large_file_writes(tool: Path, tmp_path: Path) -> None:
    image, _ = base_image(tmp_path, 1024)
    far = (12 + 256 + 256 * 256) * 1024 + 777          # triple-indirect at 1 KiB blocks
    huge = 5 << 30                                      # past 4 GiB: size_high, large_file
    out = tmp_path / "out.img"
    rc, lines = run(tool, image, [f"write /far {far} 5000 3", f"readat /far {far - 10} 6000",
                                  f"write /huge {huge} 10 4", f"trunc /far {far + 100}", "stat /far",
                                  "stat /huge", "trunc /huge 10", "stat /huge"], out)
    assert rc == 0, lines
    assert results(lines) == [f"write /far ok", f"r /far {far - 10} 5010 {crc(bytes(10) + data(3, 5000))}",
                              "write /huge ok", "trunc /far ok", f"stat /far 1 {far + 100} 1",
                              f"stat /huge 1 {huge + 10} 1", "trunc /huge ok", "stat /huge 1 10 1"]
    fsck_clean(out)


@pytest.mark.parametrize("args", [["-r", "0"], ["-O", "none"], ["-O", "none", "-b", "4096"]])
def test_revision_0_and_featureless_images(tool: Path, tmp_path: Path, args: list[str]) -> None:
    tree = tmp_path / "tree"
    (tree / "d").mkdir(parents=True)
    (tree / "d" / "f").write_bytes(data(1, 70000))
    image = tmp_path / "t.img"
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", *args, "-d", str(tree), str(image), "8M"],
                   check=True, capture_output=True)
    model = Model.of_folder(tree)
    model.tree["/lost+found"] = None
    script = ["mkdir /n", "write /n/x 0 300000 2", "mv /d/f /n/f", "rmdir /d", "trunc /n/x 1000", "append /n/f 5 3"]
    out = tmp_path / "out.img"
    rc, lines = run(tool, image, script, out)
    assert rc == 0 and results(lines) == [model.apply(op) for op in script], lines
    fsck_clean(out)
    rc, lines = run(tool, out, ["walk"])
    from test_fs_model import sorted_walk
    assert sorted_walk(results(lines)) == model.walk_lines()


def test_a_full_disk_fails_cleanly(tool: Path, tmp_path: Path) -> None:
    image, _ = base_image(tmp_path, 1024, size_mib=1)
    script = [f"write /f{i} 0 1048576 {i}" for i in range(3)] + ["mkdir /x", "stat /f0", "rm /f0",
                                                                  "write /after 0 5000 9", "cat /after"]
    out = tmp_path / "out.img"
    rc, lines = run(tool, image, script, out)
    assert rc == 0, lines
    assert any("err 28" in ln or "short write" in ln for ln in lines), lines
    assert f"f /after 5000 {crc(data(9, 5000))}" in lines
    fsck_clean(out)


def test_read_only_mount_writes_nothing(tool: Path, tmp_path: Path) -> None:
    image, _ = base_image(tmp_path, 4096)
    before = image.read_bytes()
    out = tmp_path / "out.img"
    rc, lines = run(tool, image, ["mkdir /x", "write /top 0 5 1", "rm /top", "cat /d1/f"], out, "ro")
    assert rc == 0
    assert results(lines)[:3] == ["mkdir /x err 30 read-only file system", "write /top err 30 read-only file system",
                                  "rm /top err 30 read-only file system"]
    assert results(lines)[3] == f"f /d1/f 20000 {crc(data(7, 20000))}"
    assert out.read_bytes() == before


def test_an_ext4_image_is_refused_with_its_features(tool: Path, tmp_path: Path) -> None:
    image = tmp_path / "e4.img"
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", str(image), "8M"], check=True, capture_output=True)
    rc, lines = run(tool, image, ["walk"])
    assert rc == 3 and lines[0].startswith("mount failed: file system corrupt: unsupported incompatible features")


def test_a_truncated_image_is_refused(tool: Path, tmp_path: Path) -> None:
    image, _ = base_image(tmp_path, 1024)
    with open(image, "r+b") as f:
        f.truncate(4 << 20)
    rc, lines = run(tool, image, ["walk"])
    assert rc == 3 and "file system larger than the disk" in lines[0]


def test_io_errors_end_operations_not_the_program(tool: Path, tmp_path: Path) -> None:
    image, _ = base_image(tmp_path, 1024)
    script = [f"write /f{i} 0 200000 {i}" for i in range(6)] + ["walk", "mkdir /z", "sync"]
    rc, lines = run(tool, image, script, None, "failafter=300", "buffers=16")
    assert rc == 0, lines
    assert any("err 5 I/O error" in ln for ln in lines), lines


# --- damaged images ---

def damage_targets(image: Path) -> dict[str, tuple[int, int]]:
    """Byte ranges worth damaging in a 1 KiB-block image: (start, length)."""
    out = subprocess.run(["dumpe2fs", str(image)], capture_output=True, text=True).stdout
    table = next(int(ln.split("Inode table at ")[1].split("-")[0]) for ln in out.splitlines()
                 if "Inode table at" in ln)
    root_dir = int(subprocess.run(["debugfs", "-R", "bmap / 0", str(image)], capture_output=True,
                                  text=True).stdout.split()[0])
    d1 = int(subprocess.run(["debugfs", "-R", "bmap /d1 0", str(image)], capture_output=True,
                            text=True).stdout.split()[0])
    ind = int(subprocess.run(["debugfs", "-R", "bmap /d1/f 12", str(image)], capture_output=True,
                             text=True).stdout.split()[0]) - 1   # the indirect block comes just before
    return {"superblock": (1024, 1024), "descriptors": (2048, 64), "inodes": (table * 1024, 20 * 256),
            "root": (root_dir * 1024, 1024), "dir": (d1 * 1024, 1024), "indirect": (ind * 1024, 1024)}


DAMAGE_SCRIPT = ["walk", "ls /d1", "mkdir /new", "write /new/f 0 30000 1", "append /d1/f 3000 2", "trunc /top 10",
                 "mv /d1 /moved", "rm /moved/f", "rmdir /moved/d2", "mkdir /d1", "walk", "sync"]


@pytest.fixture(scope="module")
def damage_base(tmp_path_factory) -> tuple[Path, dict[str, tuple[int, int]]]:
    tmp = tmp_path_factory.mktemp("damage")
    image, _ = base_image(tmp, 1024, size_mib=2)
    return image, damage_targets(image)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(["superblock", "descriptors", "inodes", "root", "dir", "indirect"]),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_images_are_refused_or_survived(tool: Path, damage_base, tmp_path_factory, target: str,
                                                flips: list[tuple[float, int]]) -> None:
    base, targets = damage_base
    start, length = targets[target]
    image = tmp_path_factory.mktemp("bad") / "bad.img"
    raw = bytearray(base.read_bytes())
    for where, value in flips:
        raw[start + int(where * length)] = value
    image.write_bytes(bytes(raw))
    rc, lines = run(tool, image, DAMAGE_SCRIPT, image, "maxread=4000000", timeout=60)
    assert rc in (0, 3), lines[-5:]                     # 3: the mount refused; never a panic (101) or a fault
    if rc == 3:
        assert lines[0].startswith("mount failed: ") and len(lines[0]) > len("mount failed: x: "), lines
    else:
        assert lines[-1].startswith(("unmount", "damage")), lines[-5:]
