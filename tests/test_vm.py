"""Unit tests for kaa.vm: accelerator choice, QEMU argv, exit statuses, and run()
driven by a fake QEMU (booted tests with real images live elsewhere)."""

import io
import sys
import time

import pytest

from kaa import vm


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
"""


@pytest.fixture
def fake_qemu(tmp_path, monkeypatch, host):
    script = tmp_path / "fake-qemu"
    script.write_text(f"#!{sys.executable}\n{FAKE_QEMU}")
    script.chmod(0o755)
    monkeypatch.setattr(vm, "QEMU", str(script))

    def run(mode, timeout=5.0):
        out, err = io.BytesIO(), io.BytesIO()
        cfg = vm.VmConfig(image="x.elf", accel="tcg", cmdline=mode)
        return vm.run(cfg, timeout=timeout, out=out, err=err), out.getvalue(), err.getvalue()
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
