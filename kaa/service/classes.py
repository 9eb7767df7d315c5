"""Classes to C: the instance struct, the type object with its slots, the vtable, the
constructor, and the methods a @dataclass gets.

Layout: an instance is a struct starting with KObj (KException for exception classes)
followed by every field of the class and its bases, bases' fields first, so a pointer
to a subclass instance is a valid pointer to each base's struct. Field types are
unboxed where the static type allows (double, bool).
The type object's slots (repr, str, hash, richcmp, len, iter, next, contains) wrap the
dunder methods so the generic runtime (printing a list of objects, dict keys, sorting)
reaches them; the vtable holds the methods some subclass overrides.
@dataclass methods are generated as Python source (AST) and lowered like user methods.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.symbols import ClassInfo, FuncInfo, Param


def synthesize_dataclass(info: ClassInfo, declarer) -> None:
    """Add __init__, __repr__, __eq__ (orderings with order=True, __hash__ with frozen=True)
    to a dataclass."""
    fields = info.all_fields()
    node = info.node
    src: list[str] = []
    if "__init__" not in info.methods:
        params, body = [], []
        for name, t in fields.items():
            params.append(name)
            body.append(f"    self.{name} = {name}")
        src.append(f"def __init__(self, {', '.join(params)}) -> None:\n" + ("\n".join(body) or "    pass"))
    if "__repr__" not in info.methods:
        inner = ", ".join(f"{n}={{self.{n}!r}}" for n in fields)
        src.append(f"def __repr__(self) -> str:\n    return f\"{info.name}({inner})\"")
    if info.namedtuple:
        add_synthesized(info, declarer, src)         # equality, order and hash are the tuple's
        return
    if info.eq and "__eq__" not in info.methods:
        mine = ", ".join(f"self.{n}" for n in fields) + ("," if len(fields) == 1 else "")
        theirs = ", ".join(f"other.{n}" for n in fields) + ("," if len(fields) == 1 else "")
        src.append(f"def __eq__(self, other: object) -> bool:\n"
                   f"    if not isinstance(other, {info.name}):\n        return False\n"
                   f"    return ({mine}) == ({theirs})")
    if info.order:
        for op, name in (("<", "__lt__"), ("<=", "__le__"), (">", "__gt__"), (">=", "__ge__")):
            mine = ", ".join(f"self.{n}" for n in fields) + ("," if len(fields) == 1 else "")
            theirs = ", ".join(f"other.{n}" for n in fields) + ("," if len(fields) == 1 else "")
            src.append(f"def {name}(self, other: '{info.name}') -> bool:\n    return ({mine}) {op} ({theirs})")
    if info.eq and info.frozen and "__hash__" not in info.methods:      # frozen: hashable by its fields
        mine = ", ".join(f"self.{n}" for n in fields) + ("," if len(fields) == 1 else "")
        src.append(f"def __hash__(self) -> int:\n    return hash(({mine}))")
    add_synthesized(info, declarer, src)
    if info.eq and "__hash__" not in info.methods and not info.frozen:
        info.unhashable = True                            # type: ignore[attr-defined]


def synthesize_enum(info: ClassInfo, declarer) -> None:
    """The methods an enum class gets: __init__(name, value) for its members, CPython's
    repr and str, hash by name; IntEnum members compare with each other and with ints
    by value (they are ints in CPython)."""
    n = info.name
    src = ["def __init__(self, name: str, value: object) -> None:\n    self.name = name\n    self.value = value",
           f"def __repr__(self) -> str:\n    return f\"<{n}.{{self.name}}: {{self.value!r}}>\""]
    if info.enum_kind == "Enum":
        src.append(f"def __str__(self) -> str:\n    return f\"{n}.{{self.name}}\"")
        src.append("def __hash__(self) -> int:\n    return hash(self.name)")
    else:
        src.append("def __str__(self) -> str:\n    return str(self.value)")
        src.append("def __hash__(self) -> int:\n    return hash(self.value)")
        plain = "int" if info.enum_kind == "IntEnum" else "str"
        src.append(f"def __eq__(self, other: object) -> bool:\n"
                   f"    if isinstance(other, {n}):\n        return self.value == other.value\n"
                   f"    if isinstance(other, {plain}):\n        return self.value == other\n    return False")
        for op, name in (("<", "__lt__"), ("<=", "__le__"), (">", "__gt__"), (">=", "__ge__")):
            src.append(f"def {name}(self, other: object) -> bool:\n"
                       f"    if isinstance(other, {n}):\n        return self.value {op} other.value\n"
                       f"    if isinstance(other, {plain}):\n        return self.value {op} other\n"
                       f"    raise TypeError(f\"'{op}' not supported between instances of '{n}' and "
                       f"'{{type(other).__name__}}'\")")
    add_synthesized(info, declarer, [s for s in src if s.split("(")[0][4:] not in info.methods])


def add_synthesized(info: ClassInfo, declarer, src: list[str]) -> None:
    """Methods given as Python source: declared as the class's own, at the class's line."""
    fields = info.all_fields()
    node = info.node
    for text in src:
        fn = ast.parse(text).body[0]
        assert isinstance(fn, ast.FunctionDef)
        for n in ast.walk(fn):
            if hasattr(n, "lineno"):
                n.lineno = node.lineno                 # type: ignore[union-attr]
                n.end_lineno = node.lineno             # type: ignore[union-attr]
                n.col_offset = node.col_offset         # type: ignore[union-attr]
        if fn.name == "__init__":
            for arg in fn.args.args[1:]:
                arg.annotation = ast.Name("object")    # replaced by the field types below
        m = declarer.signature(fn, info, f"{info.cname}_{fn.name}", skip_self=True) if fn.name != "__init__" else \
            FuncInfo("__init__", f"{info.cname}___init__", [], T.NONE, fn, info, qualname="__init__")
        if fn.name == "__init__":
            m.params = [Param(n, t, info.field_defaults.get(n) or info.field_factories.get(n))
                        for n, t in fields.items()]
            m.factories = set(info.field_factories)       # type: ignore[attr-defined]
        m.kind = "method"
        m.synthesized = True                              # type: ignore[attr-defined]
        info.methods[fn.name] = m


def struct_fields(info: ClassInfo) -> list[str]:
    head = "KException exc;" if info.is_exception else "KObj hdr;"
    return [head] + [f"{t.c_type} {name};" for name, t in info.all_fields().items()]


def clear_function(info: ClassInfo, struct: str) -> list[str]:
    lines = [f"static void {info.cname}_clear(KObj *o) {{"]
    if info.is_exception:
        lines.append("    k_exc_clear(o);")
    for name, t in info.all_fields().items():
        if t.is_object:
            lines.append(f"    k_xdecref((({struct} *)o)->{name});")
    lines.append("}")
    return lines


def slot_wrappers(info: ClassInfo, unit) -> tuple[list[str], dict[str, str]]:
    """C functions adapting dunder methods to KType slots, and the slot initialisers."""
    out: list[str] = []
    slots: dict[str, str] = {}
    c = info.cname

    def method(name: str) -> FuncInfo | None:
        m = info.lookup_method(name)
        if m is not None:
            unit.need_prototype(m)
        return m

    r = method("__repr__")
    if r is not None:
        slots["repr"] = r.cname
    s = method("__str__")
    if s is not None:
        slots["str"] = s.cname
    h = method("__hash__")
    if h is not None:
        out.append(f"static i64 {c}_hash_slot(kval self) {{ kval r = {h.cname}(self); if (!r) return -1; "
                   f"i64 v = k_int_hash(r); k_decref(r); return v; }}")
        slots["hash"] = f"{c}_hash_slot"
    elif getattr(info, "unhashable", False) or info.lookup_method("__eq__") is not None:
        slots["hash"] = "k_hash_unhashable"
    cmp_methods = {op: method(name) for op, name in (("K_EQ", "__eq__"), ("K_NE", "__ne__"), ("K_LT", "__lt__"),
                                                      ("K_LE", "__le__"), ("K_GT", "__gt__"), ("K_GE", "__ge__"))}
    if any(cmp_methods.values()):
        body = [f"static int {c}_richcmp_slot(kval a, kval b, int op) {{", "    bool r;", "    switch (op) {"]
        for op, m in cmp_methods.items():
            if m is None:
                if op == "K_NE" and cmp_methods["K_EQ"] is not None:
                    body.append(f"    case K_NE: r = {cmp_methods['K_EQ'].cname}(a, b); "
                                f"if (k_exc) return -1; return !r;")
                continue
            ptype = m.params[0].type if m.params else T.OBJECT
            guard = ""
            if isinstance(ptype, T.ClassT):
                guard = f"if (!k_isinstance(b, &{ptype.info.type_cname})) return 2; "
            body.append(f"    case {op}: {guard}r = {m.cname}(a, b); if (k_exc) return -1; return r;")
        body += ["    }", "    return 2;", "}"]
        out += body
        slots["richcmp"] = f"{c}_richcmp_slot"
    n = method("__len__")
    if n is not None:
        out.append(f"static i64 {c}_len_slot(kval self) {{ kval r = {n.cname}(self); if (!r) return -1; "
                   f"i64 v = 0; k_int_to_i64(r, &v); k_decref(r); return v; }}")
        slots["len"] = f"{c}_len_slot"
    it = method("__iter__")
    if it is not None:
        slots["iter"] = it.cname
    nx = method("__next__")
    if nx is not None:
        box = unit_box(nx.ret, "r")
        out.append(f"static kval {c}_next_slot(kval self) {{ {nx.ret.c_type} r = {nx.cname}(self); "
                   f"if (k_exc) {{ if (k_isinstance(k_exc, &k_StopIteration_type)) k_decref(k_exc_fetch()); return 0; }} "
                   f"return {box}; }}")
        slots["next"] = f"{c}_next_slot"
    if info.dataclass:
        out += asdict_slot(info, unit)
        slots["asdict"] = f"{c}_asdict_slot"
    ct = method("__contains__")
    if ct is not None:
        arg = unbox_arg(ct.params[0].type, "item")
        out.append(f"static int {c}_contains_slot(kval self, kval item) {{ bool r = {ct.cname}(self, {arg}); "
                   f"if (k_exc) return -1; return r; }}")
        slots["contains"] = f"{c}_contains_slot"
    return out, slots


def asdict_slot(info: ClassInfo, unit) -> list[str]:
    """dataclasses.asdict(self): a dict of the fields in order, each value converted by
    k_asdict (nested dataclasses, lists, tuples, dicts)."""
    c = info.cname
    lines = [f"static kval {c}_asdict_slot(kval self) {{", "    kval d = k_dict_new(), v, x;"]
    for name, t in info.all_fields().items():
        owner = info
        while name not in owner.fields:
            owner = owner.base
        field_c = f"(({unit.struct_name(owner)} *)self)->{name}"
        free = " k_decref(v);" if t == T.FLOAT else ""
        lines.append(f"    v = {unit_box(t, field_c)}; x = k_asdict(v);{free} "
                     f"if (!x || k_dict_setitem(d, {unit.str_literal(name)}, x) < 0) {{ k_xdecref(x); goto fail; }} "
                     f"k_decref(x);")
    lines += ["    return d;", "fail:", "    k_decref(d);", "    return 0;", "}"]
    return lines


TUPLE_SLOTS = {"hash": "k_tuple_hash", "richcmp": "k_tuple_richcmp", "len": "k_tuple_len", "iter": "k_tuple_iter",
               "contains": "k_tuple_contains"}


def unit_box(t: T.Type, code: str) -> str:
    if t == T.FLOAT:
        return f"k_float_box({code})"
    if t == T.BOOL:
        return f"k_bool({code})"
    return code


def unbox_arg(t: T.Type, code: str) -> str:
    if t == T.FLOAT:
        return f"(K_IS_SMALL({code}) || K_OBJ({code})->type != &k_float_type ? k_int_to_double({code}) : " \
               f"k_float_unbox({code}))"
    if t == T.BOOL:
        return f"({code} == k_True)"
    return code
