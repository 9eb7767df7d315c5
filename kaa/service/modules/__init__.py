"""Standard modules a service imports, each implemented by the runtime (kaa/pyrt/).

Each file here describes modules (its MODULES list): their functions (MethodSpecs, as the built-in types'
methods in methods.py, without a receiver), its constants, the runtime types it defines
(hash objects, random.Random, ...) with their methods, and its exception classes. The
lowering (modules.py's ModuleLowering) binds calls against these tables, so adding a
module is a runtime file, a header and a table here: no change to the compiler.

A function's TypeFn (its parameter and result types that depend on an argument, as
heapq.heappop(list[T]) -> T) is given the static type of the call's first argument.
math and sys are lowered by stdlib.py and calls.py (they came first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaa.service import types as T
from kaa.service.methods import MethodSpec
from kaa.service.symbols import ClassInfo


@dataclass
class NativeType:
    """A type the runtime defines (KType `cname`): annotations name it, its methods are
    MethodSpecs taking the object as the first C argument."""
    type: T.NativeT
    methods: dict[str, MethodSpec] = field(default_factory=dict)
    attributes: dict[str, MethodSpec] = field(default_factory=dict)   # read-only: a getter without parameters


@dataclass
class Module:
    name: str
    header: str | None = None                                           # in kaa/pyrt/
    functions: dict[str, MethodSpec] = field(default_factory=dict)
    constants: dict[str, tuple[str, T.Type]] = field(default_factory=dict)   # C expression, type
    # objects made once before the program runs (os.environ): C expression giving a new reference, type
    values: dict[str, tuple[str, T.Type]] = field(default_factory=dict)
    types: dict[str, NativeType] = field(default_factory=dict)
    exceptions: dict[str, ClassInfo] = field(default_factory=dict)


def exception_class(name: str, module: str, base: ClassInfo, cname: str) -> ClassInfo:
    """An exception class the runtime defines (KType cname), catchable and subclassable."""
    return ClassInfo(name, name, module, None, base, builtin_type=cname)


def _registry() -> dict[str, Module]:
    """Every module of this package's files: each file's MODULES list."""
    import importlib
    import pkgutil
    out: dict[str, Module] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        for m in importlib.import_module(f"{__name__}.{info.name}").MODULES:
            out[m.name] = m
    return out


REGISTRY: dict[str, Module] = {}


def registry() -> dict[str, Module]:
    if not REGISTRY:
        REGISTRY.update(_registry())
    return REGISTRY


def native_type(t: T.Type) -> NativeType | None:
    if not isinstance(t, T.NativeT):
        return None
    mod = registry().get(t.module)
    return mod.types.get(t.name) if mod else None


def native_methods(t: T.Type) -> dict[str, MethodSpec] | None:
    nt = native_type(t)
    return nt.methods if nt else None


def headers() -> list[str]:
    return [m.header for m in registry().values() if m.header]
