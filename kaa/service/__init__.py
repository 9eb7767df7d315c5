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
                   "range.h", "slice.h"]


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
    files["kaa_service.h"] = "#pragma once\n" + "".join(f'#include "{h}"\n' for h in RUNTIME_HEADERS) + \
        "#define INT64_MAX 0x7fffffffffffffffLL\n#define INT64_MIN (-INT64_MAX - 1)\n" \
        "typedef struct { KObj hdr; kval value; } KCell;\n" + BUILTIN_DECLS
    for f in sorted(PYRT.iterdir()):
        if f.suffix == ".h":
            files[f.name] = f.read_text()
        elif f.suffix == ".c":
            files[f"pyrt_{f.name}"] = f"{SSE_MARKER}\n#line 1 \"kaa/pyrt/{f.name}\"\n" + f.read_text()
    files["service_entry.c"] = ENTRY.replace("LEAK_CHECK", "k_leak_check(baseline);" if debug else "")
    return files


BUILTIN_DECLS = """
kval k_enumerate_new(kval iterable, kval start);
kval k_zip_new(const kval *iterables, i64 n);
kval k_reversed(kval seq);
kval k_next_or_stop(kval it);
kval k_next_default(kval it, kval dflt);
int k_any_all(kval iterable, bool is_any);
kval k_format_float_spec(double d, kval spec);
kval k_sys_argv(const char *prog);
int k_contains(kval container, kval item);
kval k_int_round(kval v, kval ndigits);
i64 k_i64_floordiv(i64 x, i64 y); i64 k_i64_mod(i64 x, i64 y); i64 k_i64_lshift(i64 x, i64 y); i64 k_i64_rshift(i64 x, i64 y);
kval k_str_from_kernel(const u8 *p, i64 n);
double k_mathmod_sqrt(double x); double k_mathmod_exp(double x); double k_mathmod_log(double x);
double k_mathmod_log2(double x); double k_mathmod_log10(double x); double k_mathmod_log_base(double x, double b);
double k_mathmod_sin(double x); double k_mathmod_cos(double x); double k_mathmod_tan(double x);
double k_mathmod_atan(double x); double k_mathmod_atan2(double y, double x); double k_mathmod_fabs(double x);
double k_mathmod_degrees(double x); double k_mathmod_radians(double x); double k_mathmod_fmod(double x, double y);
double k_mathmod_pow(double x, double y); double k_mathmod_hypot(double x, double y);
double k_mathmod_copysign(double x, double y); bool k_mathmod_isclose(double a, double b, double r, double t);
kval k_mathmod_floor(double x); kval k_mathmod_ceil(double x); kval k_mathmod_trunc(double x);
kval k_mathmod_gcd(kval a, kval b); kval k_mathmod_factorial(kval n); kval k_mathmod_comb(kval n, kval k);
double k_mathmod_fsum(kval iterable);
kval k_cell_new(void);
kval k_cell_of(kval v);
kval k_set_fold_constant(kval naive);
kval k_closure_new(kval (*call)(kval self, const kval *args, i64 nargs), i64 ncells);
typedef struct { KFunc f; i64 n; kval cells[]; } KClosure;
extern KFunc k_builtin_len, k_builtin_str, k_builtin_repr, k_builtin_abs;
"""

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
