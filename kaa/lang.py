"""Kaa Python's types and intrinsics, as CPython, mypy and editors see them.

A Kaa module starts with `from kaa.lang import *`. The Kaa compiler does not run this
file: it knows every name below by itself (kaa/compiler/builtins.py). This module only
gives the names a shape that Python tooling understands, so a service can be opened,
linted and type-checked like any other Python file. Nothing here works at run time on
CPython; calling an intrinsic raises.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Callable, Final, Generic, TypeVar

__all__ = [
    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
    "Ptr", "Array", "Slice", "Bytes", "Str", "Fn", "Final", "IntEnum", "Writer",
    "SpinLock", "CpuidResult", "InterruptFrame",
    "struct", "inline", "noinline", "interrupt", "naked", "export", "extern", "section",
    "addr", "cast", "sizeof", "new", "try_new", "new_array", "free", "panic",
    "outb", "inb", "outw", "inw", "outl", "inl",
    "mmio_read8", "mmio_read16", "mmio_read32", "mmio_read64",
    "mmio_write8", "mmio_write16", "mmio_write32", "mmio_write64",
    "rdmsr", "wrmsr", "cpuid", "rdtsc", "hlt", "cli", "sti", "pause",
    "mfence", "lfence", "sfence", "barrier",
    "atomic_load", "atomic_store", "atomic_add", "atomic_cas",
    "read_cr0", "read_cr2", "read_cr3", "read_cr4", "write_cr0", "write_cr3", "write_cr4",
    "irq_disabled", "asm",
]

T = TypeVar("T")


def _no_runtime(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("Kaa Python runs compiled (`kaa build`), not on CPython")


# Integers. Arithmetic wraps; widening is implicit, narrowing is `u8(x)`.
class i8(int): ...
class i16(int): ...
class i32(int): ...
class i64(int): ...
class u8(int): ...
class u16(int): ...
class u32(int): ...
class u64(int): ...


usize = u64
isize = i64


class _Subscriptable:
    """Accepts any subscript (Array[u8, 16], Fn[[i32], None]) when CPython evaluates it."""

    def __class_getitem__(cls, item: Any) -> Any:
        return cls


class Ptr(_Subscriptable, Generic[T]):
    """A raw pointer: p[i], p + n (scaled), p.field, None is null."""

    def __getitem__(self, i: int) -> T: ...
    def __setitem__(self, i: int, v: T) -> None: ...
    def __add__(self, n: int) -> Ptr[T]: ...
    def __sub__(self, n: int) -> Ptr[T]: ...


class Array(_Subscriptable):
    """A fixed array stored inline: Array[u8, 16]."""

    def __getitem__(self, i: int) -> T: ...
    def __setitem__(self, i: int, v: T) -> None: ...
    def __len__(self) -> int: ...


class Slice(_Subscriptable, Generic[T]):
    """Pointer + length; s[a:b] makes a new view without copying."""

    def __getitem__(self, i: int) -> T: ...
    def __setitem__(self, i: int, v: T) -> None: ...
    def __len__(self) -> int: ...


Bytes = Slice[u8]


class Str:
    """A static string (UTF-8 bytes and a length)."""

    def __getitem__(self, i: int) -> u8: ...
    def __len__(self) -> int: ...


class Fn(_Subscriptable):
    """A function pointer: Fn[[u8, i32], bool]."""

    def __call__(self, *args: Any) -> Any: ...


class Writer:
    """Formats into a caller-owned buffer: Writer(buf=p, cap=n); w.write(f"...")."""

    buf: Ptr[u8]
    cap: usize
    len: usize

    def write(self, text: Any) -> None: ...


class SpinLock:
    """A test-and-set lock; `with lock:` holds it for the block."""

    value: u32


class CpuidResult:
    eax: u32
    ebx: u32
    ecx: u32
    edx: u32


class InterruptFrame:
    """What the CPU pushes on an interrupt; the first parameter of an @interrupt."""

    rip: u64
    cs: u64
    rflags: u64
    rsp: u64
    ss: u64


def struct(cls: Any = None, *, packed: bool = False) -> Any:
    return cls if cls is not None else (lambda c: c)


def _decorator(f: Any) -> Any:
    return f


def _decorator_with_name(_name: str) -> Callable[[Any], Any]:
    return _decorator


inline = _decorator
noinline = _decorator
interrupt = _decorator
naked = _decorator
export = _decorator_with_name
section = _decorator_with_name


def extern(f: Any) -> Any:
    return f


addr = cast = sizeof = new = try_new = new_array = free = panic = _no_runtime
outb = inb = outw = inw = outl = inl = _no_runtime
mmio_read8 = mmio_read16 = mmio_read32 = mmio_read64 = _no_runtime
mmio_write8 = mmio_write16 = mmio_write32 = mmio_write64 = _no_runtime
rdmsr = wrmsr = cpuid = rdtsc = hlt = cli = sti = pause = _no_runtime
mfence = lfence = sfence = barrier = _no_runtime
atomic_load = atomic_store = atomic_add = atomic_cas = _no_runtime
read_cr0 = read_cr2 = read_cr3 = read_cr4 = write_cr0 = write_cr3 = write_cr4 = _no_runtime
irq_disabled = asm = _no_runtime
