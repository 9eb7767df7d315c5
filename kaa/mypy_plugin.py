"""mypy plugin: the parts of Kaa Python that kaa/lang.py's stubs cannot say.

Turned on by pyproject.toml ([tool.mypy] plugins). It runs inside mypy, never in a
build. Each hook mirrors one rule the Kaa compiler implements:
  - `@struct` classes take keyword init with every field optional (the rest are zero),
    and the compiler's builtin structs get what it gives them: Writer.write(text) and
    `with lock:` on a SpinLock;
  - `Array[T, N]` is `ArrayOf[T]`: mypy has no integer type arguments; the compiler checks N;
  - `Str` in an annotation means `str | Str`, so a string literal is a Str; in a Kaa
    module indexing or iterating a string gives bytes (int), as in Kaa;
  - `p.field` and `p.method()` on a `Ptr[S]` are S's (auto-deref), so a misspelt field
    through a pointer is still an error.
"""

from __future__ import annotations

from typing import Callable

from mypy.checkmember import analyze_member_access
from mypy.nodes import ARG_NAMED_OPT, ARG_POS, Argument, AssignmentStmt, ImportAll, NameExpr, Var
from mypy.plugin import AnalyzeTypeContext, AttributeContext, ClassDefContext, MethodContext, Plugin
from mypy.plugins.common import add_method_to_class
from mypy.semanal_shared import has_placeholder
from mypy.types import AnyType, Instance, NoneType, Type, TypeOfAny, UnionType, get_proper_type

LANG = "kaa.lang"


class KaaPlugin(Plugin):
    def get_class_decorator_hook_2(self, fullname: str) -> Callable[[ClassDefContext], bool] | None:
        return _struct if fullname == f"{LANG}.struct" else None

    def get_type_analyze_hook(self, fullname: str) -> Callable[[AnalyzeTypeContext], Type] | None:
        return {f"{LANG}.Array": _array, f"{LANG}.Str": _str}.get(fullname)

    def get_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        if fullname.startswith(f"{LANG}.Ptr."):
            name = fullname[len(f"{LANG}.Ptr."):]
            return lambda ctx: _deref(ctx, name)
        return None

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        return _string_bytes if fullname in ("builtins.str.__getitem__", "builtins.str.__iter__") else None


def _struct(ctx: ClassDefContext) -> bool:
    """__init__(self, *, field=..., ...) from the field annotations, in order."""
    info = ctx.cls.info
    args = []
    for stmt in ctx.cls.defs.body:
        if not (isinstance(stmt, AssignmentStmt) and len(stmt.lvalues) == 1 and isinstance(stmt.lvalues[0], NameExpr)):
            continue
        var = info.names.get(stmt.lvalues[0].name)
        if var is None or not isinstance(var.node, Var):
            continue
        t = var.node.type
        if t is None or has_placeholder(t):
            return False                    # not analysed yet: mypy calls again later
        args.append(Argument(Var(var.node.name, t), t, None, ARG_NAMED_OPT))
    none = NoneType()
    add_method_to_class(ctx.api, ctx.cls, "__init__", args, none)
    anything = ctx.api.named_type("builtins.object")
    if info.fullname == "kernel.lib.fmt.Writer":
        add_method_to_class(ctx.api, ctx.cls, "write", [_arg("text", anything)], none)
    if info.fullname == "kernel.lib.rt.SpinLock":
        add_method_to_class(ctx.api, ctx.cls, "__enter__", [], none)
        add_method_to_class(ctx.api, ctx.cls, "__exit__", [_arg(n, anything) for n in ("t", "v", "tb")], none)
    return True


def _arg(name: str, t: Type) -> Argument:
    return Argument(Var(name, t), t, None, ARG_POS)


def _array(ctx: AnalyzeTypeContext) -> Type:
    if len(ctx.type.args) != 2:
        ctx.api.fail("Array takes an element type and a length: Array[T, N]", ctx.context)
        return AnyType(TypeOfAny.from_error)
    return ctx.api.named_type(f"{LANG}.ArrayOf", [ctx.api.analyze_type(ctx.type.args[0])])


def _str(ctx: AnalyzeTypeContext) -> Type:
    if ctx.type.args:
        ctx.api.fail("Str takes no type arguments", ctx.context)
    return UnionType([ctx.api.named_type("builtins.str", []), ctx.api.named_type(f"{LANG}.Str", [])])


def _deref(ctx: AttributeContext, name: str) -> Type:
    ptr = get_proper_type(ctx.type)
    if not (isinstance(ptr, Instance) and ptr.args):
        return ctx.default_attr_type
    target = get_proper_type(ptr.args[0])
    if not isinstance(target, Instance):
        return ctx.default_attr_type
    return analyze_member_access(name, target, ctx.context, is_lvalue=ctx.is_lvalue, is_super=False,
                                 is_operator=False, original_type=target, chk=ctx.api)  # type: ignore[arg-type]


def _string_bytes(ctx: MethodContext) -> Type:
    """s[i] and `for b in s` give a byte in Kaa; slices stay strings."""
    if not _is_kaa_module(ctx):
        return ctx.default_return_type
    ret = get_proper_type(ctx.default_return_type)
    integer = ctx.api.named_generic_type("builtins.int", [])
    if isinstance(ret, Instance) and ret.type.fullname == "typing.Iterator":
        return ctx.api.named_generic_type("typing.Iterator", [integer])
    index = get_proper_type(ctx.arg_types[0][0]) if ctx.arg_types and ctx.arg_types[0] else None
    if isinstance(index, Instance) and index.type.fullname == "builtins.slice":
        return ctx.default_return_type
    return integer


def _is_kaa_module(ctx: MethodContext) -> bool:
    tree = getattr(ctx.api, "tree", None)
    return tree is not None and any(isinstance(i, ImportAll) and i.id == LANG for i in tree.imports)


def plugin(version: str) -> type[Plugin]:
    return KaaPlugin
