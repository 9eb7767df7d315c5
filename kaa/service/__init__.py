"""The service-level compiler: ordinary statically typed Python to C.

A program whose main module does not start with `from kaa.lang import *` is a service
program (docs/language.md, "The service level"). Stages, one module each: declare
(annotations to types, signatures, class layouts), lower (each function and the
module's top-level code to C, through the statement, expression, call and built-in
mixins), classes (type objects, constructors, @dataclass), unit (one module's C file).
The generated C calls the runtime in kaa/pyrt/ (C, freestanding), which is compiled
into every service program; `kaa_main` runs the module and turns an escaped exception
into a traceback and the exit status.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

from kaa.compiler.errors import CompileError, Reporter
from kaa.service.symbols import ModuleInfo
from kaa.service.unit import SSE_MARKER, Unit

PYRT = Path(__file__).resolve().parent.parent / "pyrt"
RUNTIME_HEADERS = ["object.h", "int.h", "float.h", "str.h", "bytes.h", "list.h", "tuple.h", "dict.h", "set.h",
                   "range.h", "slice.h", "builtins.h", "math_module.h", "dynamic.h"]


def is_service_module(path: Path) -> bool:
    """Kernel-level modules start with `from kaa.lang import *`; everything else is a service."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return False
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "kaa.lang":
            return False
    return True


def kernel_imports(app: Path, root: Path) -> dict[str, str]:
    """The kernel-level modules the service imports: {local name: dotted module name}
    (`import kernel.threads as threads`, `from kernel import cmdline`)."""
    try:
        tree = ast.parse(app.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        names: list[tuple[str, str]] = []
        if isinstance(node, ast.Import):
            names = [(a.name, a.asname or a.name) for a in node.names if a.asname or "." not in a.name]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [(f"{node.module}.{a.name}", a.asname or a.name) for a in node.names]
        for dotted, local in names:
            path = root / Path(*dotted.split(".")).with_suffix(".py")
            if dotted.startswith("kernel.") and path.exists() and not is_service_module(path):
                found[local] = dotted
    return found


def compile_service(app: Path, *, debug: bool = False, kernel_program: object = None,
                    kernel_names: dict[str, str] | None = None) -> dict[str, str]:
    """C files for the service program `app`: its module, the runtime and kaa_main.
    kernel_program is the kernel-level Program holding the kernel modules it imports."""
    path = str(app)
    data = app.read_bytes()
    try:
        text = data.decode(tokenize.detect_encoding(io.BytesIO(data).readline)[0])
    except (SyntaxError, UnicodeDecodeError) as e:
        raise CompileError(path, 1, 1, f"cannot decode the source: {e}", "save the file as UTF-8")
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as e:
        raise CompileError(path, e.lineno or 1, e.offset or 1, f"syntax error: {e.msg}", "fix the Python syntax")
    mod = ModuleInfo("__main__", path, tree, text.splitlines(), "M")
    unit = Unit(mod, Reporter(path))
    from kaa.service.kernel_calls import KernelModule
    for local, dotted in (kernel_names or {}).items():
        unit.kernel_modules[local] = KernelModule(dotted, kernel_program.modules[dotted])   # type: ignore[attr-defined]
    try:
        files = {"service_main_module.c": unit.emit()}
    except CompileError:
        raise
    except Exception as e:            # a compiler bug: say where, and that it is ours
        line, col = unit.current_position()
        raise CompileError(path, line, col, f"internal compiler error ({type(e).__name__}: {e})",
                           "please report it with this program; rewriting the line may avoid it") from e
    from kaa.service.modules import headers
    files["kaa_service.h"] = "#pragma once\n" + "".join(f'#include "{h}"\n' for h in RUNTIME_HEADERS + headers())
    for f in sorted(PYRT.iterdir()):
        if f.suffix == ".h":
            files[f.name] = f.read_text()
        elif f.suffix == ".c":
            files[f"pyrt_{f.name}"] = f"{SSE_MARKER}\n#line 1 \"kaa/pyrt/{f.name}\"\n" + f.read_text()
    files["service_entry.c"] = ENTRY.replace("LEAK_CHECK", "k_leak_check(baseline);" if debug else "")
    return files


ENTRY = SSE_MARKER + """
/* The program's entry: run the module's code, then report and release. */
#include "kaa_service.h"
void M_kaa_literals(void);
void M_kaa_release(void);
kval M_kaa_run(void);

i32 kaa_main(void) {
    M_kaa_literals();
    i64 baseline = k_live;
    M_kaa_run();
    i32 status = k_program_exit();
    M_kaa_release();
    LEAK_CHECK
    return status;
}
"""
