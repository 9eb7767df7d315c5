"""The Kaa compiler: Kaa Python modules in, one C translation unit per module out.

Stages, one module each (see their docstrings): declare (load, parse, declare names),
resolve (types, constants, signatures), check (type every body; calls.py and
fstrings.py handle calls and text), emit_c (C text). runtime.h is the C prelude.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kaa.compiler.check import check_program
from kaa.compiler.declare import Func, Program
from kaa.compiler.emit_c import Emitter
from kaa.compiler.errors import CompileError
from kaa.compiler import types as T

RUNTIME_HEADER = Path(__file__).with_name("runtime.h")

# Modules every program is built with, per target: the formatting library that print
# lowers to, the runtime support (panic, spin locks, ...), the platform's entry and
# what services' random and time modules call (kaa/pyrt/osrandom.h).
PLATFORM_MODULES = {
    "kvm": ["kernel.lib.fmt", "kernel.lib.rt", "kernel.lib.mem", "kernel.arch.x86_64.start",
            "kernel.arch.x86_64.entropy", "kernel.clock"],
    "host": ["kernel.lib.fmt", "kernel.lib.rt", "kernel.platform.host"],
}
# ... and for service programs, what their runtime's files call (kaa/pyrt/file.h,
# kaa_stack_low in kaa/pyrt/object.h).
SERVICE_PLATFORM_MODULES = {"kvm": ["kernel.fs.file_bridge", "kernel.sched.stack_room"],
                            "host": ["kernel.platform.host_files"]}

__all__ = ["CompileError", "compile_program", "RUNTIME_HEADER", "PLATFORM_MODULES"]


def compile_program(app: Path, *, target: str = "kvm", debug: bool = False) -> dict[str, str]:
    """Compile `app` and what it reaches; return {file name: C text} (kaa_rt.h included)."""
    from kaa.compiler.declare import KAA_ROOT
    from kaa.service import compile_service, is_service_module, kernel_imports, program_modules
    service = is_service_module(app)
    # a service's modules, each with the kernel modules it imports: {path: {local name: module}}
    sources = program_modules(app, KAA_ROOT) if service else []
    kernel_names = {str(m.path.resolve()): kernel_imports(m.tree, KAA_ROOT) for m in sources}
    reached = sorted({m for names in kernel_names.values() for m in names.values()})
    roots = [KAA_ROOT / Path(*m.split(".")).with_suffix(".py") for m in reached] if service else [app]
    roots += [KAA_ROOT / Path(*m.split(".")).with_suffix(".py") for m in PLATFORM_MODULES[target]]
    if service:
        roots += [KAA_ROOT / Path(*m.split(".")).with_suffix(".py") for m in SERVICE_PLATFORM_MODULES[target]]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))    # the passes recurse once per nesting level
    try:
        program = Program(roots, [app.resolve().parent, KAA_ROOT])
        if service and target == "host":
            _check_host_service(app, program, kernel_names)
        if service:
            program.main = None         # kaa_main comes from the service program
        else:
            _check_main(program)
        check_program(program)
        files = Emitter(program, debug=debug, host=target == "host").emit()
        if service:
            files.update(compile_service(app, sources, debug=debug, kernel_program=program, kernel_names=kernel_names))
    except RecursionError:
        raise CompileError(str(app), 1, 1, "an expression or statement is nested too deeply to compile",
                           "split it into several statements")
    finally:
        sys.setrecursionlimit(limit)
    files["kaa_rt.h"] = RUNTIME_HEADER.read_text()
    return files


def _check_host_service(app: Path, program: Program, kernel_names: dict[str, dict[str, str]]) -> None:
    """A service whose kernel modules need the machine (the network: socket, kaa.web)
    has no --target host build: say so, instead of failing at link time."""
    if "kernel.arch.x86_64.traps" not in program.modules:
        return
    used = sorted({m for names in kernel_names.values() for m in names.values()})
    raise CompileError(str(app), 1, 1, f"this service needs the booted kernel (through {', '.join(used)}), "
                                       "which a --target host build does not have",
                       "boot it (kaa run), or run it under CPython: kaa.web and socket run there too")


def _check_main(program: Program) -> None:
    mod = program.main
    main = mod.symbols.get("main")
    if not isinstance(main, Func) or main.params or main.ret != T.I32:
        node = main.node if isinstance(main, Func) else None
        raise mod.report.error(node, "a program needs 'def main() -> i32'",
                               "main takes no parameters; it reads its arguments from the kernel command line")
