"""Unit tests for kaa.vm: accelerator choice, QEMU argv, exit statuses, and run()
driven by a fake QEMU (booted tests with real images live elsewhere)."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kaa import vm

ROOT = Path(__file__).resolve().parent.parent


def free_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def host(tmp_path, monkeypatch):
    """Point the probed paths at files the test controls; all absent at first."""
    paths = {"kvm": tmp_path / "kvm", "pvm": tmp_path / "kvm_pvm", "qboot": tmp_path / "qboot.rom"}
    monkeypatch.setattr(vm, "KVM_DEV_PATH", str(paths["kvm"]))
    monkeypatch.setattr(vm, "KVM_PVM_PATH", str(paths["pvm"]))
    monkeypatch.setattr(vm, "QBOOT_PATH", str(paths["qboot"]))
    return paths


def test_tcg_is_always_available(host):
    assert vm.pick_accel("tcg") == "tcg"


def test_auto_without_kvm_picks_tcg(host):
    assert vm.pick_accel("auto") == "tcg"


def test_auto_with_usable_kvm_picks_kvm(host):
    host["kvm"].touch()
    assert vm.pick_accel("auto") == "kvm"


def test_auto_prefers_tcg_over_kvm_pvm(host):
    host["kvm"].touch()
    host["pvm"].mkdir()
    assert vm.pick_accel("auto") == "tcg"


def test_explicit_kvm_is_honoured_even_on_kvm_pvm(host):
    host["kvm"].touch()
    host["pvm"].mkdir()
    assert vm.pick_accel("kvm") == "kvm"


def test_explicit_kvm_without_dev_kvm_is_a_clear_error(host):
    with pytest.raises(vm.VmError, match="/dev/kvm|kvm.*cannot be opened"):
        vm.pick_accel("kvm")


def test_unknown_accel_is_rejected(host):
    with pytest.raises(vm.VmError, match="unknown accelerator"):
        vm.pick_accel("hvf")


def _after(cmd, flag):
    return cmd[cmd.index(flag) + 1]


def test_microvm_tcg_command(host):
    cfg = vm.VmConfig(image="app.elf", accel="tcg", memory=256, smp=2, cmdline="ip=dhcp x=1")
    cmd = vm.qemu_command(cfg, qmp_socket="/tmp/q/qmp.sock")
    assert cmd[0] == vm.QEMU
    assert _after(cmd, "-M") == "microvm"
    assert "-bios" not in cmd
    assert _after(cmd, "-accel") == "tcg" and _after(cmd, "-cpu") == "max"
    assert _after(cmd, "-m") == "256" and _after(cmd, "-smp") == "2"
    assert _after(cmd, "-kernel") == "app.elf"
    assert _after(cmd, "-append") == "ip=dhcp x=1"
    assert _after(cmd, "-serial") == "stdio"
    assert _after(cmd, "-display") == "none"
    assert {"-nodefaults", "-no-user-config"} <= set(cmd)
    assert _after(cmd, "-device") == "isa-debug-exit,iobase=0x501,iosize=1"
    assert _after(cmd, "-qmp") == "unix:/tmp/q/qmp.sock,server=on,wait=off"


def test_q35_uses_qboot_when_present(host):
    host["qboot"].touch()
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", machine="q35", accel="tcg"))
    assert _after(cmd, "-M") == "q35"
    assert _after(cmd, "-bios") == str(host["qboot"])


def test_q35_falls_back_to_default_firmware(host):
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", machine="pc", accel="tcg"))
    assert _after(cmd, "-M") == "pc"
    assert "-bios" not in cmd


def test_kvm_uses_default_cpu_model(host):
    host["kvm"].touch()
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", accel="kvm"))
    assert _after(cmd, "-accel") == "kvm"
    assert "-cpu" not in cmd


def test_auto_accel_is_resolved_in_the_command(host):
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf"))
    assert _after(cmd, "-accel") == "tcg"


def test_empty_cmdline_and_no_qmp_are_left_out(host):
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", accel="tcg"))
    assert "-append" not in cmd and "-qmp" not in cmd


def test_extra_args_come_last(host):
    extra = ["-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"]
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", accel="tcg", extra=extra))
    assert cmd[-4:] == extra


def test_gdb_stub_listens_on_loopback_and_starts_paused(host):
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", accel="tcg", gdb=4321))
    assert _after(cmd, "-gdb") == "tcp:127.0.0.1:4321"
    assert "-S" in cmd


def test_no_gdb_no_stub(host):
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", accel="tcg"))
    assert "-gdb" not in cmd and "-S" not in cmd


def test_gdb_port_out_of_range_is_rejected(host):
    with pytest.raises(vm.VmError, match="not a TCP port"):
        vm.qemu_command(vm.VmConfig(image="app.elf", accel="tcg", gdb=70000))


@pytest.mark.parametrize("net", vm.NETS)
def test_e1000_on_microvm_is_rejected_with_any_network(host, net):
    cfg = vm.VmConfig(image="app.elf", accel="tcg", net=net, nic="e1000", dgram="1:2")
    with pytest.raises(vm.VmError, match="microvm has only virtio devices"):
        vm.qemu_command(cfg)


def test_e1000_without_network_is_fine_on_q35(host):
    cmd = vm.qemu_command(vm.VmConfig(image="app.elf", machine="q35", accel="tcg", net="none", nic="e1000"))
    assert "-netdev" not in cmd


def test_memory_below_the_image_is_rejected(host, tmp_path: Path):
    from kaa import build
    elf = build.build(Path(__file__).resolve().parent.parent / "examples" / "hello.py")
    end = vm.image_end(elf)
    assert end is not None and 1 << 20 < end < 2 << 20     # loaded at 1 MiB, smaller than 1 MiB
    with pytest.raises(vm.VmError, match="--memory 1 is too small.*use --memory 2 or more"):
        vm.qemu_command(vm.VmConfig(image=str(elf), accel="tcg", memory=1))
    assert "-m" in vm.qemu_command(vm.VmConfig(image=str(elf), accel="tcg", memory=2))


def test_unknown_machine_is_rejected(host):
    with pytest.raises(vm.VmError, match="unknown machine"):
        vm.qemu_command(vm.VmConfig(image="app.elf", machine="virt", accel="tcg"))


@pytest.mark.parametrize("rc, status", [
    (1, 0),                 # guest wrote 0
    (85, 42),               # guest wrote 42
    (255, 127),             # largest status that survives 8-bit exit codes
    (0, vm.NO_STATUS),      # powered off / reset under -no-reboot
    (2, vm.QEMU_FAILED),    # even: not from isa-debug-exit
    (-9, 128 + 9),          # QEMU killed by SIGKILL
    (-2, vm.INTERRUPTED),
])
def test_exit_status(rc, status):
    assert vm.exit_status(rc) == status


def test_reserved_statuses_are_distinct():
    assert len({vm.TIMEOUT, vm.QEMU_FAILED, vm.NO_STATUS, vm.INTERRUPTED}) == 4


# run() against a stand-in for QEMU whose behaviour is chosen by the -append text.
FAKE_QEMU = """\
import os, sys, time
args = sys.argv[1:]
mode = args[args.index("-append") + 1] if "-append" in args else ""
if mode == "status42":
    os.write(1, b"hel"); time.sleep(0.05); os.write(1, b"lo\\r\\n\\x00\\xff")
    os.write(2, b"qemu-system-x86_64: warning: harmless\\n")
    sys.exit((42 << 1) | 1)
if mode == "qemu-error":
    os.write(2, b"qemu: could not open kernel file 'x.elf': No such file or directory\\n")
    sys.exit(1)
if mode == "status0":
    sys.exit(1)
if mode == "hang":
    os.write(1, b"booted\\n")
    time.sleep(60)
if mode == "echo-stdin":            # the guest's console input, echoed once a q arrives
    data = b""
    while not data.endswith(b"q"):
        chunk = os.read(0, 100)
        if not chunk:
            break
        data += chunk
    os.write(1, b"got " + data)
    sys.exit(1)
if mode == "stdin-eof":             # reports whether its stdin ends
    os.write(1, b"eof" if os.read(0, 100) == b"" else b"data")
    sys.exit(1)
if mode == "slow":
    time.sleep(1.5)
    sys.exit(1)
"""


@pytest.fixture
def fake_qemu(tmp_path, monkeypatch, host):
    script = tmp_path / "fake-qemu"
    script.write_text(f"#!{sys.executable}\n{FAKE_QEMU}")
    script.chmod(0o755)
    monkeypatch.setattr(vm, "QEMU", str(script))

    def run(mode, timeout=5.0, console_in=None, gdb=None):
        out, err = io.BytesIO(), io.BytesIO()
        cfg = vm.VmConfig(image="x.elf", accel="tcg", cmdline=mode, gdb=gdb)
        status = vm.run(cfg, timeout=timeout, out=out, err=err, console_in=console_in)
        return status, out.getvalue(), err.getvalue()
    return run


def test_run_streams_console_bytes_and_decodes_status(fake_qemu):
    status, out, err = fake_qemu("status42")
    assert status == 42
    assert out == b"hello\r\n\x00\xff"
    assert b"warning: harmless" in err


def test_run_reports_qemu_failure(fake_qemu):
    status, out, err = fake_qemu("qemu-error")
    assert status == vm.QEMU_FAILED
    assert b"could not open kernel" in err


def test_run_guest_status_zero_is_success(fake_qemu):
    assert fake_qemu("status0")[0] == 0


def test_run_timeout_stops_qemu(fake_qemu, capsys):
    start = time.monotonic()
    status, out, _ = fake_qemu("hang", timeout=0.5)
    assert status == vm.TIMEOUT
    assert out == b"booted\n"
    assert time.monotonic() - start < 0.5 + 2 * vm.STOP_GRACE
    assert "kaa: timeout after 0.5 s" in capsys.readouterr().err


def test_missing_qemu_is_a_clear_error(host, monkeypatch):
    monkeypatch.setattr(vm, "QEMU", "/nonexistent/qemu-system-x86_64")
    with pytest.raises(vm.VmError, match="not found"):
        vm.run(vm.VmConfig(image="x.elf", accel="tcg"), out=io.BytesIO(), err=io.BytesIO())


def test_run_forwards_console_input(fake_qemu):
    r, w = os.pipe()
    os.write(w, b"n?q")
    with os.fdopen(r, "rb", buffering=0) as keys:
        status, out, _ = fake_qemu("echo-stdin", console_in=keys)
    os.close(w)
    assert (status, out) == (0, b"got n?q")


def test_run_passes_the_end_of_console_input_on(fake_qemu):
    r, w = os.pipe()
    os.close(w)
    with os.fdopen(r, "rb", buffering=0) as keys:
        assert fake_qemu("stdin-eof", console_in=keys)[1] == b"eof"


def test_run_without_console_input_gives_qemu_none(fake_qemu):
    assert fake_qemu("stdin-eof")[1] == b"eof"


def test_console_input_takes_pipes_not_files(tmp_path):
    r, w = os.pipe()
    with os.fdopen(r, "rb") as pipe, open(tmp_path / "f", "wb+") as f, open(os.devnull, "rb") as null:
        assert vm.console_input(pipe) is pipe
        assert vm.console_input(f) is None
        assert vm.console_input(null) is None
    os.close(w)


def test_timeout_waits_for_the_debugger(fake_qemu):
    """With --gdb the guest runs only when gdb lets it: the timeout does not apply."""
    status, _, err = fake_qemu("slow", timeout=0.3, gdb=1234)
    assert status == 0
    assert f"gdb {Path('x.elf').resolve()} -ex 'target remote :1234'" in err.decode()


@pytest.mark.booted
def test_gdb_attaches_stops_at_a_py_line_and_continues(tmp_path):
    """kaa run --gdb PORT waits; gdb attaches, stops at a breakpoint on a .py line (the
    #line directives), continues, and the guest greets and exits 0."""
    if shutil.which("gdb") is None:
        pytest.skip("needs gdb (make test installs it)")
    image = tmp_path / "hello.elf"
    subprocess.run([sys.executable, "-m", "kaa", "build", "examples/hello.py", "-o", str(image)],
                   cwd=ROOT, check=True, capture_output=True)
    port = free_tcp_port()
    kaa = subprocess.Popen([sys.executable, "-m", "kaa", "run", str(image), "--gdb", str(port), "--", "traced"],
                           cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        hint = kaa.stderr.readline()
        assert f"gdb {image} -ex 'target remote :{port}'" in hint
        line = 1 + next(i for i, t in enumerate((ROOT / "examples" / "hello.py").read_text().splitlines())
                        if "command line:" in t)
        deadline = time.monotonic() + 60
        while True:                     # QEMU may not listen yet when kaa prints the hint
            gdb = subprocess.run(["gdb", "-batch", "-nx", "-ex", f"target remote :{port}", "-ex",
                                  f"break hello.py:{line}", "-ex", "continue", "-ex", "continue", str(image)],
                                 capture_output=True, text=True, timeout=120)
            if "Connection refused" not in gdb.stderr or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        out, _ = kaa.communicate(timeout=60)
    finally:
        if kaa.poll() is None:
            kaa.kill()
            kaa.wait()
    assert f"hello.py:{line}" in gdb.stdout and "Breakpoint 1, hello__main" in gdb.stdout, gdb.stdout + gdb.stderr
    assert "Hello from Kaa\ncommand line: traced" in out
    assert kaa.returncode == 0
