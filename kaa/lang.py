"""Kaa Python's types and intrinsics, as CPython, mypy and editors see them.

A Kaa module starts with `from kaa.lang import *`. The Kaa compiler does not run this
file: it knows every name below by itself (kaa/compiler/check.py's INTRINSICS and
SPECIAL_CALLS, declare.py's DECORATORS, types.py's INT_TYPES; tests/test_mypy.py keeps
this file in step with them). Here the names get a shape Python tooling understands:
  - under CPython (importing a service) every type accepts any subscript and every
    intrinsic raises: nothing here works at run time;
  - under mypy (`if TYPE_CHECKING`) the types are precise enough to catch a wrong
    argument count, a misspelt name or a Ptr passed as an integer. Integers are all
    `int` there and `f64` is `float`: widths, ranges, narrowing and the mixing of f64
    with integers are the Kaa compiler's to check. What plain stubs cannot say
    (Array[u8, 16], keyword init of @struct, a Ptr's auto-deref, string literals as
    Str) kaa/mypy_plugin.py adds; pyproject.toml's [tool.mypy] turns it on.
"""

from __future__ import annotations

from enum import IntEnum
from typing import (TYPE_CHECKING, Any, Callable, ContextManager, Final, Generic, Iterator, NoReturn,
                    TypeVar, dataclass_transform, overload)

__all__ = [
    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize", "f64",
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
    "irq_disabled", "asm", "sqrt", "bits", "from_bits",
]

T = TypeVar("T")
C = TypeVar("C", bound=type)
F = TypeVar("F", bound=Callable[..., Any])


def _no_runtime() -> NoReturn:
    raise RuntimeError("Kaa Python runs compiled (`kaa build`), not on CPython")


if TYPE_CHECKING:
    # Every width is `int` to mypy: a literal fits any of them, `u16(x)` is a call, and
    # Kaa's implicit widening needs no casts. The Kaa compiler checks the widths.
    i8 = int
    i16 = int
    i32 = int
    i64 = int
    u8 = int
    u16 = int
    u32 = int
    u64 = int
    usize = int
    isize = int
    f64 = float                         # an IEEE double; f64(n) converts, i64(x) truncates

    class _Indexed(Generic[T]):
        """What pointers, arrays and slices share: x[i], x[i] = v, x[a:b] (a Slice view)."""

        @overload
        def __getitem__(self, i: int) -> T: ...
        @overload
        def __getitem__(self, s: slice) -> Slice[T]: ...
        def __getitem__(self, i: int | slice) -> T | Slice[T]: ...
        def __setitem__(self, i: int, v: T) -> None: ...

    class Ptr(_Indexed[T]):
        """A raw pointer: p[i], p + n (scaled), p - q, p.field (auto-deref), None is null."""

        def __add__(self, n: int) -> Ptr[T]: ...
        @overload
        def __sub__(self, n: int) -> Ptr[T]: ...
        @overload
        def __sub__(self, other: Ptr[T]) -> int: ...
        def __sub__(self, n: int | Ptr[T]) -> Ptr[T] | int: ...
        def __lt__(self, other: Ptr[T]) -> bool: ...
        def __le__(self, other: Ptr[T]) -> bool: ...
        def __gt__(self, other: Ptr[T]) -> bool: ...
        def __ge__(self, other: Ptr[T]) -> bool: ...
        # The target's fields and methods (the plugin types them from T).
        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...

    class _Elements(_Indexed[T]):
        """What arrays and slices add to indexing: a length, len(a), and iteration."""

        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[T]: ...

    class ArrayOf(_Elements[T]):
        """A fixed array stored inline. Written Array[u8, 16]: the plugin reads that
        annotation as ArrayOf[u8] (mypy has no integer type arguments; the compiler
        checks the length)."""

    class _TypeForm:
        def __getitem__(self, args: Any) -> Any: ...

    # A value, so that Array[u8, 16] is also valid as an expression (sizeof(Array[u8, 16])).
    Array: _TypeForm

    class Slice(_Elements[T]):
        """Pointer + length; s[a:b] is a new view, no copy. Slice[T](ptr=p, len=n)."""

        ptr: Ptr[T]

        def __init__(self, *, ptr: Ptr[T], len: int) -> None: ...

    Bytes = Slice[int]

    class Str:
        """A static string: UTF-8 bytes and a length; s[i] is a byte. A literal is a Str
        (the plugin reads a `Str` annotation as `str | Str`)."""

        ptr: Ptr[int]

        def __init__(self, *, ptr: Ptr[int], len: int) -> None: ...
        @overload
        def __getitem__(self, i: int) -> int: ...
        @overload
        def __getitem__(self, s: slice) -> Str: ...
        def __getitem__(self, i: int | slice) -> int | Str: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[int]: ...
        def bytes(self) -> Bytes: ...

    from typing import Callable as Fn     # Fn[[A, B], R]; None is the null Fn

    # The compiler's builtin structs are Kaa structs of the kernel's runtime; the plugin
    # adds what the compiler gives them (Writer.write, `with lock:`).
    from kernel.lib.fmt import Writer
    from kernel.lib.rt import CpuidResult, InterruptFrame, SpinLock
else:
    class _Subscriptable:
        """Accepts any subscript (Array[u8, 16], Fn[[i32], None]) when CPython evaluates it."""

        def __class_getitem__(cls, item: Any) -> Any:
            return cls

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

    class f64(float): ...

    class Ptr(_Subscriptable): ...
    class Array(_Subscriptable): ...
    class Slice(_Subscriptable): ...
    class Str: ...
    class Fn(_Subscriptable): ...
    class Writer: ...
    class SpinLock: ...
    class CpuidResult: ...
    class InterruptFrame: ...

    Bytes = Slice


@overload
def struct(cls: C, /) -> C: ...
@overload
def struct(*, packed: bool = False) -> Callable[[C], C]: ...
@dataclass_transform(kw_only_default=True)
def struct(cls: Any = None, /, *, packed: bool = False) -> Any:
    """A C struct: fields are annotations, `Point(x=1)` sets some, the rest are zero."""
    return cls if cls is not None else (lambda c: c)


def inline(f: F) -> F:
    return f


def noinline(f: F) -> F:
    return f


def interrupt(f: F) -> F:
    """An IRQ/exception entry; its first parameter is a Ptr[InterruptFrame]."""
    return f


def naked(f: F) -> F:
    return f


def extern(f: F) -> F:
    """Defined in assembly or the linker script; the body is `...`."""
    return f


def export(symbol: str) -> Callable[[F], F]:
    return lambda f: f


def section(name: str) -> Callable[[F], F]:
    return lambda f: f


# Builtins the compiler checks itself (check.SPECIAL_CALLS).
def addr(x: T) -> Ptr[T]: _no_runtime()
def cast(to: type[T], x: Any) -> T: _no_runtime()
def sizeof(t: Any) -> usize: _no_runtime()
def new(t: type[T]) -> Ptr[T]: _no_runtime()
def try_new(t: type[T]) -> Ptr[T]: _no_runtime()
def new_array(t: type[T], n: int) -> Slice[T]: _no_runtime()
def free(p: Ptr[Any] | Slice[Any]) -> None: _no_runtime()
def panic(msg: Str) -> NoReturn: _no_runtime()
def cpuid(leaf: u32, subleaf: u32) -> CpuidResult: _no_runtime()
def atomic_load(p: Ptr[T]) -> T: _no_runtime()
def atomic_store(p: Ptr[T], value: T) -> None: _no_runtime()
def atomic_add(p: Ptr[T], value: T) -> T: _no_runtime()
def atomic_cas(p: Ptr[T], expected: T, new: T) -> bool: _no_runtime()
def irq_disabled() -> ContextManager[None]: _no_runtime()


def asm(template: str, *, out: list[tuple[str, Any]] = [], ins: list[tuple[str, Any]] = [],
        clobbers: list[str] = []) -> None:
    """GCC-style inline assembly: asm("outb %0, %1", ins=[("a", v), ("Nd", port)])."""
    _no_runtime()


# Intrinsics, one for one with check.INTRINSICS (same parameter and return types).
def outb(port: u16, value: u8) -> None: _no_runtime()
def outw(port: u16, value: u16) -> None: _no_runtime()
def outl(port: u16, value: u32) -> None: _no_runtime()
def inb(port: u16) -> u8: _no_runtime()
def inw(port: u16) -> u16: _no_runtime()
def inl(port: u16) -> u32: _no_runtime()
def mmio_read8(address: u64) -> u8: _no_runtime()
def mmio_read16(address: u64) -> u16: _no_runtime()
def mmio_read32(address: u64) -> u32: _no_runtime()
def mmio_read64(address: u64) -> u64: _no_runtime()
def mmio_write8(address: u64, value: u8) -> None: _no_runtime()
def mmio_write16(address: u64, value: u16) -> None: _no_runtime()
def mmio_write32(address: u64, value: u32) -> None: _no_runtime()
def mmio_write64(address: u64, value: u64) -> None: _no_runtime()
def rdmsr(msr: u32) -> u64: _no_runtime()
def wrmsr(msr: u32, value: u64) -> None: _no_runtime()
def rdtsc() -> u64: _no_runtime()
def hlt() -> None: _no_runtime()
def cli() -> None: _no_runtime()
def sti() -> None: _no_runtime()
def pause() -> None: _no_runtime()
def mfence() -> None: _no_runtime()
def lfence() -> None: _no_runtime()
def sfence() -> None: _no_runtime()
def barrier() -> None: _no_runtime()
def read_cr0() -> u64: _no_runtime()
def read_cr2() -> u64: _no_runtime()
def read_cr3() -> u64: _no_runtime()
def read_cr4() -> u64: _no_runtime()
def write_cr0(value: u64) -> None: _no_runtime()
def write_cr3(value: u64) -> None: _no_runtime()
def write_cr4(value: u64) -> None: _no_runtime()
def sqrt(x: f64) -> f64: _no_runtime()
def bits(x: f64) -> u64: _no_runtime()
def from_bits(u: u64) -> f64: _no_runtime()
