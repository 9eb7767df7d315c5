"""kaa run refuses --accel kvm on kvm_pvm for an image with floating-point code (that KVM
cannot emulate SSE: the guest would stop with a KVM internal error), and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa import vm
from kaa.build import build

ROOT = Path(__file__).resolve().parent.parent


def config(image: Path) -> vm.VmConfig:
    return vm.VmConfig(image=image, accel="kvm")


def test_sse_images_are_refused_on_kvm_pvm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service = tmp_path / "svc.py"
    service.write_text("print(1.5 * 2)\n")
    svc_image = build(service)
    kernel_image = build(ROOT / "examples" / "hello.py")
    assert vm.image_uses_sse(svc_image) and not vm.image_uses_sse(kernel_image)
    monkeypatch.setattr(vm, "KVM_PVM_PATH", str(tmp_path))          # as on a kvm_pvm machine
    with pytest.raises(vm.VmError, match="cannot run floating-point"):
        vm.check_accel(config(svc_image))
    vm.check_accel(config(kernel_image))                            # no float code: allowed
    monkeypatch.setattr(vm, "KVM_PVM_PATH", str(tmp_path / "absent"))   # a real KVM host
    vm.check_accel(config(svc_image))
