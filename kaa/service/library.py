"""Lowering uses of the standard modules described in kaa/service/modules/: `json.dumps(x)`,
`from hashlib import sha256`, `random.Random(7).randint(1, 6)`, `except json.JSONDecodeError`.

Calls bind against the module's MethodSpecs exactly as methods of the built-in types do
(calls.py's spec_call), with no receiver.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.function import Val
from kaa.service.modules import Module, native_type, registry


class LibraryLowering:
    """Mixed into Lowering (lower.py)."""

    def library_module(self, node: ast.expr) -> Module | None:
        """The standard module node names (`json` after `import json`), or None."""
        if isinstance(node, ast.Name) and self.lookup_var(node.id) is None:
            name = self.mod.imports.get(node.id)
            return registry().get(name) if name else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                self.lookup_var(node.value.id) is None:     # os.path, after `import os` or `import os.path`
            top = node.value.id
            name = self.mod.imports.get(top) or (top if f"{top}.{node.attr}" in self.mod.imports else None)
            return registry().get(f"{name}.{node.attr}") if name else None
        return None

    def library_name(self, name: str) -> tuple[Module, str] | None:
        """What `from json import dumps` made `dumps` name: (json, "dumps"), or None."""
        if self.lookup_var(name) is not None:
            return None
        full = self.mod.imports.get(name, "")
        mod, _, attr = full.rpartition(".")
        m = registry().get(mod)
        return (m, attr) if m is not None else None

    def library_attribute(self, m: Module, attr: str, node: ast.AST) -> Val:
        if attr in m.constants:
            code, t = m.constants[attr]
            return Val(code, t)
        if attr in m.values:
            code, t = m.values[attr]
            return Val(self.unit.module_value(f"{m.name}.{attr}", code), t)
        if attr in m.exceptions:
            info = m.exceptions[attr]
            return Val(f"K_VAL(&{info.type_cname})", info.type_obj)
        if attr in m.functions or attr in m.types:
            raise self.report.error(node, f"{m.name}.{attr} can be called, not used as a value",
                                    f"call it: {m.name}.{attr}(...)")
        raise self.report.error(node, f"{m.name}.{attr} is not available",
                                f"{m.name} has: {', '.join(sorted([*m.functions, *m.constants, *m.exceptions]))}")

    def native_attribute(self, obj: Val, attr: str, node: ast.AST) -> Val:
        """`digest.name`, `t.tm_year`: a read-only attribute of a runtime type, through its getter."""
        nt = native_type(obj.type)
        spec = nt.attributes.get(attr) if nt else None
        if spec is None:
            raise self.report.error(node, f"'{obj.type}' has no attribute '{attr}' at the service level",
                                    f"it has: {', '.join(sorted([*nt.attributes, *nt.methods])) if nt else 'none'}")
        call = ast.copy_location(ast.Call(ast.Name(attr, ast.Load()), [], []), node)
        return self.spec_call(spec, obj, obj.type, call, attr)

    def functools_partial(self, node: ast.Call) -> Val:
        """functools.partial(f, a, ...): a Callable taking f's remaining parameters; the given
        arguments are converted to f's parameter types now, as a call would."""
        if not node.args or node.keywords:
            raise self.report.error(node, "partial() takes a function and positional arguments",
                                    "functools.partial(f, first_arg)")
        f = self.expr(node.args[0])
        t = f.type
        if not isinstance(t, T.CallableT) or len(node.args) - 1 > len(t.params):
            raise self.report.error(node.args[0], f"partial() of {t} with {len(node.args) - 1} arguments",
                                    "pass a function taking at least that many arguments")
        vals = [self.box(self.coerce(self.expr(a), p, a)).code for a, p in zip(node.args[1:], t.params)]
        arr = self.new_label("")[1:]
        self.emit(f"kval part{arr}[{max(len(vals), 1)}] = {{{', '.join(vals) or '0'}}};")
        rest = T.CallableT("callable", t.params[len(vals):], t.ret)
        return self.into_temp(f"k_functools_partial({f.code}, part{arr}, {len(vals)})", rest, "!{}")

    def library_callee(self, func: ast.expr) -> tuple[Module, str] | None:
        """The standard module function a call's func names (`json.dumps`, or `dumps` after
        `from json import dumps`), or None."""
        if isinstance(func, ast.Name):
            return self.library_name(func.id)
        if isinstance(func, ast.Attribute):
            m = self.library_module(func.value)
            return (m, func.attr) if m is not None else None
        return None

    def utf8_call(self, f: ast.Attribute, node: ast.Call) -> Val | None:
        """`json.dumps(v).encode()` (or .encode("utf-8")) in one runtime call making the
        bytes directly, when the function has such a twin: no str made to be copied."""
        if f.attr != "encode" or not isinstance(f.value, ast.Call) or node.keywords or len(node.args) > 1:
            return None
        if node.args and not (isinstance(node.args[0], ast.Constant) and
                              str(node.args[0].value).lower().replace("-", "").replace("_", "") in ("utf8",)):
            return None
        callee = self.library_callee(f.value.func)
        spec = callee[0].functions.get(callee[1]) if callee is not None else None
        if spec is None or not spec.utf8:
            return None
        fused = self.asdict_dumps(callee[0].name, callee[1], f.value, utf8=True)
        if fused is not None:
            return fused
        import dataclasses
        return self.spec_call(dataclasses.replace(spec, cfunc=spec.utf8, ret=T.BYTES), None, T.NONE, f.value, callee[1])

    def asdict_dumps(self, module: str, attr: str, node: ast.Call, utf8: bool) -> Val | None:
        """`json.dumps(asdict(obj))` (and its `.encode()`) in one runtime call: the encoder
        reads the dataclass's fields in place, so no dict is made (the same text)."""
        if (module, attr) != ("json", "dumps") or len(node.args) != 1 or node.keywords:
            return None
        inner = node.args[0]
        if not (isinstance(inner, ast.Call) and self.names_asdict(inner.func) and len(inner.args) == 1
                and not inner.keywords):
            return None
        obj = self.asdict_operand(inner)
        return self.into_temp(f"k_json_dumps_asdict({obj.code}, {int(utf8)})", T.BYTES if utf8 else T.STR, "!{}")

    def names_asdict(self, func: ast.expr) -> bool:
        """func is dataclasses.asdict: `asdict` imported from dataclasses, or `dataclasses.asdict`."""
        if isinstance(func, ast.Name):
            return self.lookup_var(func.id) is None and self.mod.imports.get(func.id) == "dataclasses.asdict"
        return isinstance(func, ast.Attribute) and func.attr == "asdict" and isinstance(func.value, ast.Name) and \
            self.mod.imports.get(func.value.id) == "dataclasses" and self.lookup_var(func.value.id) is None

    def library_call(self, m: Module, attr: str, node: ast.Call) -> Val:
        if m.name == "functools" and attr == "partial":
            return self.functools_partial(node)
        if m.name == "array" and attr == "array":         # the item type comes from the literal type code
            return self.new_array(node)
        spec = m.functions.get(attr)          # first: an exception class may name its C constructor here
        if spec is None and attr in m.exceptions:
            return self.construct(m.exceptions[attr], node.args, node.keywords, node)
        if spec is None:
            raise self.report.error(node, f"{m.name}.{attr}() is not available",
                                    f"{m.name} has: {', '.join(sorted(m.functions)) or 'no functions'}")
        k = spec.typed_by
        arg = node.args[k] if k < len(node.args) else None
        typed = self.peek_type(arg) if arg is not None and not isinstance(arg, ast.Lambda) else T.NONE
        return self.asdict_dumps(m.name, attr, node, utf8=False) or self.spec_call(spec, None, typed, node, attr)
