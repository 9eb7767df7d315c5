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
from dataclasses import dataclass
from pathlib import Path

from kaa.compiler.errors import CompileError, Reporter
from kaa.service.symbols import ModuleInfo
from kaa.service.web_routes import expand_routes
from kaa.service.unit import SSE_MARKER, Output, Unit, program_c

PYRT = Path(__file__).resolve().parent.parent / "pyrt"
SERVICE_LIBRARIES = ("kaa.web", "kaa.stdlib")      # what services import from the kaa package
# Modules whose CPython implementation cannot be compiled (of those, or of the standard
# library): what a service gets instead
KAA_SOURCES = {"kaa.web.transport": "kaa/web/transport_kaa.py", "socket": "kaa/stdlib/socket.py"}
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


def kernel_imports(tree: ast.Module, root: Path) -> dict[str, str]:
    """The kernel-level modules a service module imports: {local name: dotted module name}
    (`import kernel.threads as threads`, `from kernel import cmdline`, kaa.http's, kaa.web.bridge)."""
    found: dict[str, str] = {}
    for node in tree.body:
        names: list[tuple[str, str]] = []
        if isinstance(node, ast.Import):
            names = [(a.name, a.asname or a.name) for a in node.names if a.asname or "." not in a.name]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [(f"{node.module}.{a.name}", a.asname or a.name) for a in node.names]
        for dotted, local in names:
            path = root / Path(*dotted.split(".")).with_suffix(".py")
            if dotted.startswith(("kernel.", "kaa.")) and path.exists() and not is_service_module(path):
                found[local] = dotted
    return found


@dataclass
class SourceModule:
    name: str                 # "__main__" for the program, else the dotted name it is imported as
    path: Path
    tree: ast.Module
    text: str


def parse_source(path: Path) -> tuple[ast.Module, str]:
    data = path.read_bytes()
    try:
        text = data.decode(tokenize.detect_encoding(io.BytesIO(data).readline)[0])
    except (SyntaxError, UnicodeDecodeError) as e:
        raise CompileError(str(path), 1, 1, f"cannot decode the source: {e}", "save the file as UTF-8")
    try:
        return ast.parse(text, filename=str(path)), text
    except SyntaxError as e:
        raise CompileError(str(path), e.lineno or 1, e.offset or 1, f"syntax error: {e.msg}", "fix the Python syntax")


def find_module(dotted: str, search: list[Path]) -> Path | None:
    """The source of a service module the program imports, found as Python finds it: the
    program's folder first, then the folder kaa/ is in (for kaa.web)."""
    from kaa.service.modules import registry
    from kaa.service.statements import SERVICE_MODULES
    top = dotted.split(".")[0]
    if dotted in SERVICE_MODULES or dotted in registry() or top == "kernel" or \
            top == "kaa" and not dotted.startswith(SERVICE_LIBRARIES):
        return None         # a standard module, a kernel module (kernel_imports) or the host's kaa
    if dotted in KAA_SOURCES:
        from kaa.compiler.declare import KAA_ROOT
        return KAA_ROOT / KAA_SOURCES[dotted]
    rel = Path(*dotted.split("."))
    for d in search:
        for p in (d / rel.with_suffix(".py"), d / rel / "__init__.py"):
            if p.is_file() and is_service_module(p):
                return p
    return None


def imported_names(tree: ast.Module) -> list[tuple[str, ast.stmt, bool]]:
    """What a module's imports may name, in the order Python imports them, and whether
    only implicitly: `import a.b` imports the package a first; `from a import b` may
    import the module a.b."""
    out: list[tuple[str, ast.stmt, bool]] = []
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for dotted in names:
            parts = dotted.split(".")
            out += [(".".join(parts[:i]), node, i < len(parts)) for i in range(1, len(parts) + 1)]
    return out


def absolute_imports(tree: ast.Module, name: str, path: Path) -> None:
    """`from .models import Item` in module shop.api becomes `from shop.models import Item`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            parts = package.split(".") if package and name != "__main__" else []
            if node.level > len(parts):
                raise Reporter(str(path)).error(node, "attempted relative import beyond the top-level package"
                                                if parts else "attempted relative import with no known parent package",
                                                "import the module by its absolute name")
            base = ".".join(parts[:len(parts) - node.level + 1])
            node.module = f"{base}.{node.module}" if node.module else base
            node.level = 0


def program_modules(app: Path, root: Path) -> list[SourceModule]:
    """The program's service modules, each after the modules it imports, the main one last.
    An import cycle is a compile error (a module's classes and functions are declared
    before those of the modules that import it)."""
    search = [app.parent, root]         # paths as given: tracebacks print them relative as CPython's main
    order: list[SourceModule] = []
    done: dict[Path, SourceModule] = {}     # by resolved path: a module imported twice is one module
    active: list[Path] = []

    def visit(name: str, path: Path, via: ast.stmt | None, importer: Path | None) -> None:
        key = path.resolve()
        if key in done:
            return
        if key in active:
            cycle = " -> ".join(p.stem for p in active[active.index(key):] + [key])
            assert via is not None and importer is not None
            raise Reporter(str(importer)).error(via, f"circular import: {cycle}",
                                                "move what the modules share into a module both import")
        active.append(key)
        tree, text = parse_source(path)
        absolute_imports(tree, name, path)
        expand_routes(tree, Reporter(str(path)))
        for dotted, node, parent in imported_names(tree):
            found = find_module(dotted, search)
            if found is not None and not (parent and found.resolve() in active):
                visit(dotted, found, node, path)    # (a package importing its own modules is no cycle)
        active.pop()
        done[key] = m = SourceModule(name, path, tree, text)
        order.append(m)

    visit("__main__", app, None, None)
    return order


def compile_service(app: Path, sources: list[SourceModule], *, debug: bool = False, kernel_program: object = None,
                    kernel_names: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """C files for the service program `app`: its modules (program_modules(), parsed
    once by the caller), the runtime and kaa_main. kernel_program is the kernel-level
    Program holding the kernel modules they import; kernel_names maps each module's path
    to its {local name: kernel module}."""
    from kaa.service.kernel_calls import KernelModule
    out = Output()
    out.program_path = str(app)
    units: list[Unit] = []
    modules: dict[str, ModuleInfo] = {}
    for i, src in enumerate(sources):
        prefix = "M" if src.name == "__main__" else f"M{i}"
        mod = ModuleInfo(src.name, str(src.path), src.tree, src.text.splitlines(), prefix)
        unit = Unit(mod, Reporter(str(src.path)), out)
        for local, dotted in (kernel_names or {}).get(str(src.path.resolve()), {}).items():
            unit.kernel_modules[local] = KernelModule(dotted, kernel_program.modules[dotted])   # type: ignore[attr-defined]
        units.append(unit)
    unit = units[0]
    try:
        for unit in units:
            unit.declare(modules)
            modules[unit.mod.name] = unit.mod
        for unit in units:
            unit.declarer.assign_slots()
        for unit in units:
            unit.lower()
        files = {"service_main_module.c": program_c(units)}
    except CompileError:
        raise
    except Exception as e:            # a compiler bug: say where, and that it is ours
        line, col = unit.current_position()
        raise CompileError(unit.mod.path, line, col, f"internal compiler error ({type(e).__name__}: {e})",
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
void kaa_literals(void);
void kaa_run(void);
void kaa_release(void);

i32 kaa_main(void) {
    kaa_literals();
    i64 baseline = k_live;
    kaa_run();
    i32 status = k_program_exit();
    kaa_release();
    LEAK_CHECK
    return status;
}
"""
