"""Classes to C: the instance struct, the type object with its slots, the vtable, the
constructor, and the methods a @dataclass gets.

Layout: an instance is a struct starting with KObj (KException for exception classes)
followed by every field of the class and its bases, bases' fields first, so a pointer
to a subclass instance is a valid pointer to each base's struct. Field types are
unboxed where the static type allows (double, bool).
The type object's slots (repr, str, hash, richcmp, len, iter, next, contains) wrap the
dunder methods so the generic runtime (printing a list of objects, dict keys, sorting)
reaches them; the vtable holds the methods some subclass overrides; the attribute table (attrs) names
every field, property, method and class constant for values of static type Any, which
find them at run time (dynamic.c).
@dataclass methods are generated as Python source (AST) and lowered like user methods.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.expressions import float_literal
from kaa.service.function import c_string, runtime_type
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
    if not info.protocol:
        out += attribute_table(info, unit)
        slots["attrs"] = f"{c}__attrs"
        if info.dataclass and fields_lead_table(info):
            slots["json_fields"] = str(len(info.all_fields()))
    return out, slots


def fields_lead_table(info: ClassInfo) -> bool:
    """attribute_table's first entries are the dataclass's fields, each readable as a
    value, with ASCII names: what json.dumps(asdict(obj)) needs to read them in place."""
    fields = info.all_fields()
    return not info.namedtuple and all(convertible(t) and name.isascii() and class_level(info, name)[0] is None
                                       for name, t in fields.items())


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
        free = " k_decref(v);" if box_is_new(t) else ""
        lines.append(f"    v = {unit_box(t, field_c)}; x = k_asdict(v);{free} "
                     f"if (!x || k_dict_setitem(d, {unit.str_literal(name)}, x) < 0) {{ k_xdecref(x); goto fail; }} "
                     f"k_decref(x);")
    lines += ["    return d;", "fail:", "    k_decref(d);", "    return 0;", "}"]
    return lines


TUPLE_SLOTS = {"hash": "k_tuple_hash", "richcmp": "k_tuple_richcmp", "len": "k_tuple_len", "iter": "k_tuple_iter",
               "contains": "k_tuple_contains"}


def unit_box(t: T.Type, code: str) -> str:
    """A kval of an unboxed value: borrowed for a bool, a new reference for a float or a
    native int (box_is_new says which)."""
    if t == T.FLOAT:
        return f"k_float_box({code})"
    if t == T.BOOL:
        return f"k_bool({code})"
    if t in T.NATIVE_INTS:
        return f"k_int_from_i64((i64)({code}))"
    return code


def box_is_new(t: T.Type) -> bool:
    return t == T.FLOAT or t in T.NATIVE_INTS


def unbox_arg(t: T.Type, code: str) -> str:
    if t == T.FLOAT:
        return f"(K_IS_SMALL({code}) || K_OBJ({code})->type != &k_float_type ? k_int_to_double({code}) : " \
               f"k_float_unbox({code}))"
    if t == T.BOOL:
        return f"({code} == k_True)"
    if t in T.NATIVE_INTS:
        k = T.NATIVE_INTS[t]
        return f"(({t.c_type})k_int_to_native({code}, {k.c_lo}, {k.c_hi}, \"{t}\"))"
    return code


# ---- attributes reached through dynamic values (KType.attrs, dynamic.h) ----
#
# x.name, x.name = v and x.name(...) on a value of static type Any find `name` at run time
# in the table of x's class: one entry per attribute, inherited ones with this class's
# implementation. The C functions behind the entries are shared by a class and its
# subclasses (kept once in unit.value_wrappers, under their owner's names).

BUILTIN_VALUE_TYPES = (type(None), bool, int, float, str, bytes, bytearray, list, dict, tuple, set)


def class_has_attribute(info: ClassInfo, name: str) -> bool:
    return name in info.all_fields() or info.lookup_method(name) is not None or \
        info.lookup_constant(name) is not None


def dynamic_attribute_reachable(classes, name: str) -> bool:
    """x.name on a dynamic x is looked up at run time, unless only CPython's built-in types
    have such an attribute (x.real): a run-time AttributeError would then differ from
    CPython, so the compiler asks for narrowing instead."""
    if not any(hasattr(t, name) for t in BUILTIN_VALUE_TYPES):
        return True
    return any(class_has_attribute(info, name) for info in classes)


def any_to_c(t: T.Type, src: str, dst: str, fail: str) -> tuple[str, str, bool] | None:
    """Converting the dynamic value src to t's representation in dst, checked as the
    lowering's from_any checks (mypyc's TypeError): (declaration of dst, statements that
    run `fail` when the check raised, whether dst is a new reference). None: no dynamic
    value converts to t."""
    if t == T.FLOAT:
        return f"double {dst} = 0;", f"if (!k_expect_double({src}, &{dst})) {fail}", False
    if t == T.BOOL:
        check = f"if (!k_expect({src}, &k_bool_type, \"bool\", 0)) {fail}"
        return f"bool {dst} = 0;", f"{check} {dst} = {src} == k_True;", False
    if t == T.INT:
        return f"kval {dst} = 0;", f"if (!({dst} = k_expect_int({src}))) {fail}", False
    if t in T.NATIVE_INTS:
        k = T.NATIVE_INTS[t]
        return f"{t.c_type} {dst} = 0;", (f"{{ kval i = k_expect_int({src}); if (!i) {fail} "
                                          f"{dst} = ({t.c_type})k_int_to_native(i, {k.c_lo}, {k.c_hi}, \"{t}\"); "
                                          f"if (k_exc) {fail} }}"), False
    if t.c_type != "kval":
        return None
    inner = t.inner if isinstance(t, T.OptionalT) else t
    none_ok = int(isinstance(t, T.OptionalT))
    if inner == T.FLOAT:
        return f"kval {dst} = 0;", f"if (!({dst} = k_expect_float_box({src}, {none_ok}))) {fail}", True
    ktype = runtime_type(inner) if inner not in (T.ANY, T.OBJECT) else None
    check = f"if (!k_expect({src}, &{ktype[0]}, {c_string(ktype[1])}, {none_ok})) {fail} " if ktype else ""
    return f"kval {dst} = 0;", f"{check}{dst} = {src};", False


def box_c(t: T.Type, code: str) -> str:
    """A new reference to the value code of type t holds (kvals: code is one already)."""
    if t == T.FLOAT:
        return f"k_float_box({code})"
    if t == T.BOOL:
        return f"k_bool({code})"
    if t in T.NATIVE_INTS:
        return f"k_int_from_i64((i64){code})"
    return code


def convertible(t: T.Type) -> bool:
    """A dynamic value converts to t (every type has a kval representation but those)."""
    return t.c_type == "kval" or t in (T.FLOAT, T.BOOL) or t in T.NATIVE_INTS


def attribute_table(info: ClassInfo, unit) -> list[str]:
    """`static const KAttr C__attrs[]`: fields, properties, methods and class constants of
    the class, by name, ended by the entry saying whether the class is frozen."""
    entries: list[str] = []
    names: list[str] = []
    fields = info.all_fields()
    for name in fields:
        names.append(name)
    c: ClassInfo | None = info
    while c is not None:
        names += [n for n in [*c.methods, *c.constants] if n not in names and "." not in n
                  and not (n.startswith("__") and n.endswith("__"))]
        c = c.base
    for name in names:
        m, const = class_level(info, name)
        if m is not None and m.kind == "property":
            entries.append(property_entry(info, m, unit))
        elif name in fields:
            entries.append(field_entry(info, name, fields[name], unit))
        elif m is not None:
            entries.append(method_entry(m, unit))
        elif const is not None:
            entries.append(constant_entry(name, *const, unit))
    end = "K_ATTR_FROZEN" if frozen_dataclass(info) else "K_ATTR_FIELD"
    entries.append(f"{{.name = 0, .kind = {end}}}")
    return [f"static const KAttr {info.cname}__attrs[] = {{", ",\n".join(f"    {e}" for e in entries), "};"]


def class_level(info: ClassInfo, name: str) -> tuple[FuncInfo | None, tuple[T.Type, str] | None]:
    """The method or the constant `name` names in the class (the most derived definition)."""
    c: ClassInfo | None = info
    while c is not None:
        if name in c.methods:
            return c.methods[name], None
        if name in c.constants:
            return None, c.constants[name]
        c = c.base
    return None, None


def frozen_dataclass(info: ClassInfo) -> bool:
    """Every assignment to an instance raises dataclasses.FrozenInstanceError."""
    return info.frozen and info.dataclass and not info.namedtuple


def shared(unit, name: str, make) -> str:
    """The C function `name` (its text from make()), emitted once for the whole program."""
    if name not in unit.value_wrappers:
        unit.value_wrappers[name] = make()
    return name


def field_entry(info: ClassInfo, name: str, t: T.Type, unit) -> str:
    owner = info
    while name not in owner.fields:
        owner = owner.base
    cname = c_string(name)
    if not convertible(t):
        return f"{{.name = {cname}, .kind = K_ATTR_OPAQUE}}"
    if owner.namedtuple:                               # items of the tuple, boxed already
        index = list(owner.all_fields()).index(name)
        get = shared(unit, f"{owner.cname}__dget_{name}", lambda: f"static kval {owner.cname}__dget_{name}(kval self) "
                     f"{{ return k_newref(k_tuple_get_fast(self, {index})); }}")
        return f"{{.name = {cname}, .kind = K_ATTR_TUPLE_FIELD, .get = {get}}}"
    field = f"(({unit.struct_name(owner)} *)self)->{name}"
    read = f"return {box_c(t, field)};" if not t.is_object else \
        f"kval v = {field}; if (!v) return k_dyn_no_attribute(self, {cname}); return k_newref(v);"
    get = shared(unit, f"{owner.cname}__dget_{name}",
                 lambda: f"static kval {owner.cname}__dget_{name}(kval self) {{ {read} }}")
    if frozen_dataclass(info) or info.enum_kind is not None:
        kind = "K_ATTR_FROZEN" if frozen_dataclass(info) else "K_ATTR_ENUM"
        return f"{{.name = {cname}, .kind = {kind}, .get = {get}}}"
    decl, conv, owned = any_to_c(t, "v", "x", "return -1;")       # type: ignore[misc]
    if t.is_object:
        store = f"kval o = {field}; {field} = {'x' if owned else 'k_newref(x)'}; k_xdecref(o);"
    else:
        store = f"{field} = x;"
    body = f"{decl} {conv} {store} return 0;"
    set_ = shared(unit, f"{owner.cname}__dset_{name}",
                  lambda: f"static int {owner.cname}__dset_{name}(kval self, kval v) {{ {body} }}")
    return f"{{.name = {cname}, .kind = K_ATTR_FIELD, .get = {get}, .set = {set_}}}"


def call_c(f: FuncInfo, args: list[str]) -> str:
    """Statements calling f (arguments in C form) into the new reference r (0: raised)."""
    call = f"{f.cname}({', '.join(args)})"
    if f.ret in (T.NONE, T.NORETURN) or f.ret.is_object:
        return f"r = {call};"
    return f"{{ {f.ret.c_type} v = {call}; if (!k_exc) r = {box_c(f.ret, 'v')}; }}"


def property_entry(info: ClassInfo, m: FuncInfo, unit) -> str:
    unit.need_prototype(m)
    cname = c_string(m.name)
    if not convertible(m.ret):
        return f"{{.name = {cname}, .kind = K_ATTR_OPAQUE}}"
    get = shared(unit, f"{m.cname}__dget", lambda: f"static kval {m.cname}__dget(kval self) {{ kval r = 0; "
                 f"{call_c(m, ['self'])} return r; }}")
    setter = info.lookup_method(f"{m.name}.setter")
    if setter is None or frozen_dataclass(info) or not setter.params or not convertible(setter.params[0].type):
        kind = "K_ATTR_FROZEN" if frozen_dataclass(info) else "K_ATTR_PROPERTY"
        return f"{{.name = {cname}, .kind = {kind}, .get = {get}}}"
    unit.need_prototype(setter)
    decl, conv, owned = any_to_c(setter.params[0].type, "v", "x", "return -1;")     # type: ignore[misc]
    release = " k_decref(x);" if owned else ""
    set_ = shared(unit, f"{setter.cname}__dset", lambda: f"static int {setter.cname}__dset(kval self, kval v) "
                  f"{{ {decl} {conv} kval r = {setter.cname}(self, x);{release} return r ? 0 : -1; }}")
    return f"{{.name = {cname}, .kind = K_ATTR_PROPERTY, .get = {get}, .set = {set_}}}"


def default_c(unit, f: FuncInfo, p) -> tuple[str, bool] | None:
    """A parameter's default value in its C representation (and whether it is a new
    reference), or None when it is not a constant."""
    if p.name in f.defaults_cnames:
        return f.defaults_cnames[p.name], False
    try:
        v = ast.literal_eval(p.default)
    except (ValueError, TypeError, SyntaxError):
        return None
    t = p.type
    if t == T.FLOAT and isinstance(v, (int, float)):
        return float_literal(float(v)), False
    if t == T.BOOL and isinstance(v, bool):
        return ("1" if v else "0"), False
    if t in T.NATIVE_INTS and isinstance(v, int):
        return f"(({t.c_type}){int(v)}LL)", False
    if t.c_type != "kval":
        return None
    if isinstance(t, T.OptionalT) and t.inner == T.FLOAT and type(v) is int:
        v = float(v)                                    # as the call's coercion makes it
    return constant_kval(unit, v)


def constant_kval(unit, v: object) -> tuple[str, bool] | None:
    """A constant as a kval (and whether it is a new reference), or None."""
    if v is None:
        return "k_None", False
    if isinstance(v, bool):
        return ("k_True" if v else "k_False"), False
    if isinstance(v, int):
        return (f"k_int_small({v}LL)" if -(1 << 62) <= v < (1 << 62) else unit.big_int(v)), False
    if isinstance(v, float):
        return f"k_float_box({float_literal(v)})", True
    if isinstance(v, str):
        return unit.str_literal(v), False
    if isinstance(v, bytes):
        return unit.bytes_literal(v), False
    if isinstance(v, tuple):
        items = [constant_kval(unit, x) for x in v]
        if None in items or any(owned for _, owned in items):     # (floats in tuples: not worth it)
            return None
        return (f"k_tuple_pack({len(items)}, {', '.join(c for c, _ in items)})" if items else "k_tuple_new(0)"), True
    return None


def method_entry(m: FuncInfo, unit) -> str:
    """A method's entry in the table, with its parameters for binding (dynamic.c)."""
    cname = c_string(m.name)
    if len(m.params) > 64 or not all(convertible(p.type) for p in m.params) or \
            not convertible(m.ret) and m.ret not in (T.NONE, T.NORETURN):
        return f"{{.name = {cname}, .kind = K_ATTR_OPAQUE}}"
    fn = shared(unit, f"{m.cname}__dcall", lambda: call_entry(m, unit))
    names = shared(unit, f"{m.cname}__dparams", lambda: f"static const char *const {m.cname}__dparams[] = "
                   f"{{{', '.join(c_string(p.name) for p in m.params) or '0'}}};")
    required = sum(1 << i for i, p in enumerate(m.params) if p.default is None)
    kind = "K_ATTR_STATIC" if m.kind == "staticmethod" else "K_ATTR_METHOD"
    return (f"{{.name = {cname}, .kind = {kind}, .call = {fn}, .qualname = {c_string(f'{m.owner.name}.{m.name}')}, "
            f".params = {names}, .required = {required}ULL, .nparams = {len(m.params)}, "
            f".npositional = {sum(1 for p in m.params if not p.kw_only)}}}")


def call_entry(m: FuncInfo, unit) -> str:
    """`kval M__dcall(self, args, n)`: args in parameter order (0: the default), each
    checked and converted to its parameter's type, the method called, its result boxed.
    Every kval argument is held, so one release at the end fits both ways of getting it."""
    unit.need_prototype(m)
    decls, body, release = ["kval r = 0;"], [], []
    for i, p in enumerate(m.params):
        decl, conv, owned = any_to_c(p.type, f"args[{i}]", f"a{i}", "goto fail;")     # type: ignore[misc]
        decls.append(decl)
        if p.type.is_object:
            conv += "" if owned else f" k_incref(a{i});"
            release.append(f"k_xdecref(a{i});")
        if p.default is None:
            body.append(conv)
            continue
        default = default_c(unit, m, p)
        if default is None:
            text = f"{m.owner.name}.{m.name}() needs argument '{p.name}' through a dynamic value: " \
                   "its default is not a constant"
            dflt = f"{{ k_raise_str(&k_TypeError_type, {c_string(text)}); goto fail; }}"
        elif p.type.is_object and not default[1]:
            dflt = f"a{i} = k_newref({default[0]});"
        else:
            dflt = f"a{i} = {default[0]};"
        body.append(f"if (args[{i}]) {{ {conv} }} else {dflt}")
    receiver = {"method": ["self"], "classmethod": ["K_VAL(k_type_of(self))"]}.get(m.kind, [])
    body.append(call_c(m, receiver + [f"a{i}" for i in range(len(m.params))]))
    return "\n    ".join([f"static kval {m.cname}__dcall(kval self, const kval *args, i64 n) {{",
                           "(void)self; (void)n;"] + decls + body + ["goto fail;"]) + \
        f"\nfail:\n    {' '.join(release)}\n    return r;\n}}"


def constant_entry(name: str, t: T.Type, global_c: str, unit) -> str:
    cname = c_string(name)
    if not convertible(t):
        return f"{{.name = {cname}, .kind = K_ATTR_OPAQUE}}"
    read = f"return {box_c(t, global_c)};" if not t.is_object else \
        f"if (!{global_c}) return k_dyn_no_attribute(self, {cname}); return k_newref({global_c});"
    get = shared(unit, f"{global_c}__dget", lambda: f"static kval {global_c}__dget(kval self) {{ (void)self; {read} }}")
    return f"{{.name = {cname}, .kind = K_ATTR_CONSTANT, .get = {get}}}"
