"""One service module's C translation unit: literals, globals, classes, functions.

Order in the C file: the runtime header, string/bytes literals (static objects),
class structs, prototypes, globals, class type objects and vtables, functions, the
module's init function (its top-level code, run once at start) and the release of its
globals (debug builds release them before counting leaks).
"""

from __future__ import annotations

import ast

from kaa.compiler.errors import Reporter
from kaa.service import classes as C
from kaa.service import types as T
from kaa.service.declare import Declarer
from kaa.service.function import c_bytes, c_string
from kaa.service.lower import Lowering
from kaa.service.symbols import ClassInfo, FuncInfo, ModuleInfo, Param

SSE_MARKER = "/* kaa: sse */"


class Output:
    """What every module of the program lowers into: one C translation unit, so functions and
    globals stay static (gcc inlines across modules) and a literal or wrapper is made once."""

    def __init__(self) -> None:
        self.literals: dict[tuple[type, object], str] = {}
        self.literal_lines: list[str] = []
        self.init_lines: list[str] = []          # run before the baseline of the leak count
        self.prototypes: dict[str, str] = {}
        self.kernel_prototypes: dict[str, str] = {}
        self.functions: list[str] = []
        self.value_wrappers: dict[str, str] = {}
        self.lowered: set[str] = set()
        self.counter = 0
        self.argv = ""
        self.program_path = ""                    # sys.argv[0]: the main module's path
        self.values: set[str] = set()             # module_value globals made


class Unit:
    """One module of the program: declared, then lowered into the shared Output."""

    def __init__(self, mod: ModuleInfo, report: Reporter, out: Output | None = None):
        self.mod = mod
        self.report = report
        self.declarer = Declarer(mod, report)
        self.out = out or Output()
        self.literals = self.out.literals
        self.literal_lines = self.out.literal_lines
        self.init_lines = self.out.init_lines
        self.prototypes = self.out.prototypes
        self.kernel_prototypes = self.out.kernel_prototypes
        self.functions = self.out.functions
        self.value_wrappers = self.out.value_wrappers
        self.lowered = self.out.lowered
        self.global_order: list = []
        self.caches: list[str] = []                 # lru_cache dicts, released at exit
        self.file_c = c_string(mod.path)
        self.lowering = None
        self.kernel_modules: dict = {}            # local name -> KernelModule (kernel_calls.py)
        self.init_code = ""

    @property
    def counter(self) -> int:
        return self.out.counter

    @counter.setter
    def counter(self, n: int) -> None:
        self.out.counter = n

    # ---- literals ----

    def str_literal(self, s: str) -> str:
        key = (str, s)
        if key not in self.literals:
            self.counter += 1
            name = f"S{self.counter}"
            data = s.encode("utf-8", "surrogatepass")
            self.literal_lines.append(f"K_STR_LITERAL({name}, {c_bytes(data)}, {len(data)}, {len(s)});")
            self.literals[key] = f"K_STR_LIT({name})"
        return self.literals[key]

    def bytes_literal(self, b: bytes) -> str:
        key = (bytes, b)
        if key not in self.literals:
            self.counter += 1
            name = f"B{self.counter}"
            self.literal_lines.append(f"K_BYTES_LITERAL({name}, {c_bytes(b)}, {len(b)});")
            self.literals[key] = f"K_BYTES_LIT({name})"
        return self.literals[key]

    def big_int(self, v: int) -> str:
        key = (int, v)
        if key not in self.literals:
            self.counter += 1
            name = f"I{self.counter}"
            text = str(v)
            self.literal_lines.append(f"static kval {name};")
            self.init_lines.append(f"{name} = k_int_parse((const u8 *){c_string(text)}, {len(text)}, 10);")
            self.literals[key] = name
        return self.literals[key]

    def module_value(self, name: str, code: str) -> str:
        """A standard module's object made once, before the program's baseline of live
        objects (os.environ): the C global holding it."""
        cname = "G_" + name.replace(".", "_")
        if cname not in self.out.values:
            self.out.values.add(cname)
            self.literal_lines.append(f"static kval {cname};")
            self.init_lines.append(f"{cname} = {code};")
        return cname

    def sys_argv(self) -> str:
        if not self.out.argv:
            self.out.argv = "G_sys_argv"
            self.literal_lines.append("static kval G_sys_argv;")
            self.init_lines.append(f"G_sys_argv = k_sys_argv({c_string(self.out.program_path or self.mod.path)});")
        return self.out.argv

    # ---- names ----

    def struct_name(self, info: ClassInfo) -> str:
        return f"{info.cname}_obj"

    def need_prototype(self, f: FuncInfo) -> None:
        if f.cname not in self.prototypes:
            self.prototypes[f.cname] = self.signature(f) + ";"

    def signature(self, f: FuncInfo) -> str:
        params = []
        if f.owner is not None and f.kind in ("method", "property", "classmethod"):
            params.append("kval self")
        if f.kind == "closure":
            params.append("kval clo")
        params += [f"{p.type.c_type} a_{p.name}" for p in f.params]
        ret = "kval" if f.ret in (T.NONE, T.NORETURN) else f.ret.c_type
        return f"static {ret} {f.cname}({', '.join(params) or 'void'})"

    def fn_pointer_type(self, f: FuncInfo) -> str:
        params = ["kval"] + [p.type.c_type for p in f.params]
        ret = "kval" if f.ret in (T.NONE, T.NORETURN) else f.ret.c_type
        return f"{ret} (*)({', '.join(params)})"

    def entry(self, name: str, f: FuncInfo, receiver: str | None) -> str:
        """`kval name(kval self, const kval *args, i64 n)`: calls f with its arguments unboxed
        (KFunc's calling convention), `receiver` first when given, and boxes the result."""
        self.need_prototype(f)
        args = ([receiver] if receiver else []) + [C.unbox_arg(p.type, f"args[{i}]") for i, p in enumerate(f.params)]
        call = f"{f.cname}({', '.join(args)})"
        if f.ret in (T.NONE, T.NORETURN):
            body = f"return {call};"
        else:
            body = f"{f.ret.c_type} r = {call}; if (k_exc) return 0; return {C.unit_box(f.ret, 'r')};"
        return f"static kval {name}(kval self, const kval *args, i64 n) {{ (void)self; (void)n; {body} }}"

    def function_value(self, f: FuncInfo) -> str:
        """A static KFunc calling f (a function used as a value)."""
        name = f"{f.cname}__value"
        if name not in self.value_wrappers:
            self.value_wrappers[name] = (self.entry(f"{f.cname}__call", f, None) + "\n" +
                                         f"static KFunc {name} = {{K_STATIC_HDR(&k_function_type), {f.cname}__call}};")
        return f"K_VAL(&{name})"

    def bound_method(self, m: FuncInfo) -> str:
        """The KFunc entry of `obj.method` as a value: a closure whose one cell is obj."""
        name = f"{m.cname}__bound"
        if name not in self.value_wrappers:
            self.value_wrappers[name] = self.entry(name, m, "((KClosure *)self)->cells[0]")
        return name

    def lambda_function(self, node: ast.Lambda, t: T.CallableT) -> str:
        self.counter += 1
        name = f"{self.mod.prefix}_lambda{self.counter}"
        params = [Param(a.arg, pt) for a, pt in zip(node.args.args, t.params)]
        fn = FuncInfo("<lambda>", name, params, t.ret, None, qualname="<lambda>")
        body = [ast.Return(value=node.body, lineno=node.lineno, col_offset=node.col_offset)]
        self.lower_function(fn, body)
        return self.function_value(fn)

    def lower_closure(self, name: str, body: list[ast.stmt], params: list[tuple[str, T.Type]], fn_t: T.CallableT,
                      cells: list[tuple[str, T.Type]], node: ast.AST, self_name: str | None = None) -> str:
        """A nested function or lambda over cells: `RET f(kval clo, params)` and its KFunc entry."""
        from kaa.service.function import Var
        self.counter += 1
        cname = f"{self.mod.prefix}_{name.strip('<>')}{self.counter}"
        fn = FuncInfo(name, cname, [Param(n, t) for n, t in params], fn_t.ret, None, qualname=name, kind="closure")
        low = Lowering(self, fn, cname)
        for i, (n, t) in enumerate(cells):
            low.vars[n] = Var(n, t, f"((KClosure *)clo)->cells[{i}]", cell=True)
        if self_name is not None:           # recursion: the closure itself, no reference cycle
            low.vars[self_name] = Var(self_name, fn_t, "clo")
        low.lower_body(body, params, None)
        ret = "kval" if fn.ret in (T.NONE, T.NORETURN) else fn.ret.c_type
        ok = "k_None" if ret == "kval" else "0"
        err = "0" if ret in ("kval", "bool") else "-1"
        sig = self.signature(fn)
        self.prototypes[cname] = sig + ";"
        self.functions.append(low.c_function(sig, ret, ok, err, self.file_c, name))
        self.functions.append(self.entry(f"{cname}__call", fn, "self"))
        self.prototypes[cname + "__call"] = f"static kval {cname}__call(kval self, const kval *args, i64 n);"
        return cname

    def lower_genexpr(self, body: list[ast.stmt], param: str, param_t: T.Type, elem: T.Type,
                      cells: list[tuple[str, T.Type]]) -> str:
        self.counter += 1
        cname = f"{self.mod.prefix}_genexpr{self.counter}"
        fn = FuncInfo("<genexpr>", cname, [Param(param, param_t)], T.IteratorT("iterator", elem), None,
                      qualname="<genexpr>", kind="closure", is_generator=True)
        self.lower_generator(fn, body, None, cells)
        return cname

    # ---- classes ----

    def constructor(self, info: ClassInfo) -> FuncInfo:
        init = info.lookup_method("__init__")
        params = list(init.params) if init is not None else []
        f = FuncInfo(info.name, f"{info.cname}_new", params, info.instance, None, info, kind="constructor")
        if init is not None and hasattr(init, "factories"):
            f.factories = init.factories                  # type: ignore[attr-defined]
        f.defaults_cnames = dict(init.defaults_cnames) if init is not None else {}
        return f

    def descendants(self, info: ClassInfo) -> list[ClassInfo]:
        out = []
        for s in info.subclasses:
            out += [s] + self.descendants(s)
        return out

    def redefined_below(self, info: ClassInfo, name: str) -> bool:
        return any(name in d.constants for d in self.descendants(info))

    def constant_lookup(self, info: ClassInfo, name: str) -> str:
        """A C function giving class constant `name` of the class an object has at run time."""
        fn = f"{info.cname}__const_{name}"
        if fn not in self.value_wrappers:
            t, _ = info.lookup_constant(name)
            cases = [f"if (t == &{d.type_cname}) return {d.lookup_constant(name)[1]};" for d in self.descendants(info)]
            self.value_wrappers[fn] = (f"static {t.c_type} {fn}(const KType *t) {{ {' '.join(cases)} "
                                       f"return {info.lookup_constant(name)[1]}; }}")
        return fn

    def dynamic_constructor(self, info: ClassInfo) -> str:
        """cls(...) in a classmethod: construct the class cls is at run time (subclasses whose
        constructor takes the same arguments)."""
        fn = f"{info.cname}__new_dynamic"
        if fn not in self.value_wrappers:
            ctor = self.constructor(info)
            params = ", ".join(["kval cls"] + [f"{p.type.c_type} a_{p.name}" for p in ctor.params])
            args = ", ".join(f"a_{p.name}" for p in ctor.params)
            cases = []
            for d in self.descendants(info):
                dc = self.constructor(d)
                if [p.type for p in dc.params] == [p.type for p in ctor.params]:
                    cases.append(f"if (cls == K_VAL(&{d.type_cname})) return {dc.cname}({args});")
            self.prototypes[fn] = f"static kval {fn}({params});"
            self.value_wrappers[fn] = f"static kval {fn}({params}) {{ {' '.join(cases)} return {ctor.cname}({args}); }}"
        return fn

    def emit_class(self, info: ClassInfo, out: list[str]) -> None:
        struct = self.struct_name(info)
        out.append(f"typedef struct {{ {' '.join(C.struct_fields(info))} }} {struct};")

    def emit_class_code(self, info: ClassInfo) -> None:
        struct = self.struct_name(info)
        lines: list[str] = []
        lines += C.clear_function(info, struct)
        wrappers, slots = C.slot_wrappers(info, self)
        lines += wrappers
        vtable = "0"
        if info.vtable:
            entries = []
            for m in info.vtable:
                impl = info.lookup_method(m.name)
                self.need_prototype(impl)
                entries.append(f"(void *){impl.cname}")
            lines.append(f"static void *const {info.cname}_vtable[] = {{{', '.join(entries)}}};")
            vtable = f"{info.cname}_vtable"
        base = info.base.type_cname if info.base is not None else \
            "k_tuple_type" if info.namedtuple else "k_object_type"
        flags = "K_TF_EXCEPTION" if info.is_exception else "0"
        clear = f"{info.cname}_clear"
        if info.namedtuple:
            slots = {**C.TUPLE_SLOTS, **slots}
            clear = "k_tuple_clear"
        slot_init = "".join(f", .{k} = {v}" for k, v in slots.items())
        lines.append(f"const KType {info.type_cname} = {{K_STATIC_HDR(&k_type_type), {c_string(info.name)}, "
                     f"{c_string(info.module)}, &{base}, sizeof({struct}), {flags}, .clear = {clear}"
                     f"{slot_init}, .methods = {vtable}"
                     + (f", .enum_members = &{info.cname}__members" if info.enum_kind else "") + "};")
        self.functions.append("\n".join(lines))
        self.emit_constructor(info, struct)
        for m in info.methods.values():
            if m.node is not None and m.cname not in self.lowered and not (info.namedtuple and m.name == "__init__"):
                self.lower_function(m, m.node.body)

    def emit_constructor(self, info: ClassInfo, struct: str) -> None:
        ctor = self.constructor(info)
        init = info.lookup_method("__init__")
        params = ", ".join(f"{p.type.c_type} a_{p.name}" for p in ctor.params) or "void"
        if info.namedtuple:                     # a tuple of the (boxed) arguments, typed as the class
            items = [C.unit_box(p.type, f"a_{p.name}") for p in ctor.params]
            lines = [f"static kval {ctor.cname}({params}) {{", f"    kval t = k_tuple_new({len(items)});"]
            lines += [f"    ((KTuple *)t)->items[{i}] = " + (f"k_newref({x})" if x == f"a_{p.name}" else x) + ";"
                      for i, (x, p) in enumerate(zip(items, ctor.params))]
            lines += [f"    K_OBJ(t)->type = &{info.type_cname};", "    return t;", "}"]
            self.prototypes[ctor.cname] = f"static kval {ctor.cname}({params});"
            self.functions.append("\n".join(lines))
            return
        lines = [f"static kval {ctor.cname}({params}) {{",
                 f"    kval self = K_VAL(k_alloc(&{info.type_cname}, sizeof({struct})));"]
        if info.is_exception:
            boxed = [C.unit_box(p.type, f"a_{p.name}") for p in ctor.params]
            pack = f"k_tuple_pack({len(boxed)}, {', '.join(boxed)})" if boxed else "k_tuple_new(0)"
            lines.append(f"    ((KException *)self)->args = {pack};")
        if init is not None:
            self.need_prototype(init)
            args = ", ".join(["self"] + [f"a_{p.name}" for p in ctor.params])
            lines.append(f"    kval r = {init.cname}({args});")
            lines.append("    if (!r) { k_decref(self); return 0; }")
        lines.append("    return self;")
        lines.append("}")
        self.prototypes[ctor.cname] = f"static kval {ctor.cname}({params});"
        self.functions.append("\n".join(lines))

    # ---- functions ----

    def current_position(self) -> tuple[int, int]:
        node = getattr(self.lowering, "node", None)
        return (getattr(node, "lineno", 1) or 1, (getattr(node, "col_offset", 0) or 0) + 1)

    def lower_function(self, f: FuncInfo, body: list[ast.stmt]) -> None:
        low = Lowering(self, f, f.cname)
        self_param = None
        if f.owner is not None and f.kind in ("method", "property", "classmethod") and isinstance(f.node, ast.FunctionDef):
            self_param = f.node.args.args[0].arg
        if f.is_generator:
            self.lower_generator(f, body, self_param)
            return
        low.lower_body(body, [(p.name, p.type) for p in f.params], self_param)
        if f.kind == "classmethod" and self_param is not None:
            low.vars[self_param].type = f.owner.type_obj    # type: ignore[union-attr]
        ret = "kval" if f.ret in (T.NONE, T.NORETURN) else f.ret.c_type
        ok = "k_None" if ret == "kval" else "0"
        err = "0" if ret in ("kval", "bool") else "-1"
        sig = self.signature(f)
        if f.cache_size not in (None, 0):                 # the body under another name, the cache in front
            sig = sig.replace(f" {f.cname}(", f" {f.cname}__uncached(", 1)
        text = low.c_function(sig, ret, ok, err, self.file_c, f.qualname)
        self.need_prototype(f)
        self.functions.append(text)
        if f.cache_size not in (None, 0):
            self.functions.append(self.cache_wrapper(f, ret, err))

    def cache_wrapper(self, f: FuncInfo, ret: str, err: str) -> str:
        """functools.lru_cache: results kept in a dict keyed by the argument (a tuple of them
        when there are several); a hit moves to the end, and when maxsize entries are kept
        the least recently used (the first) goes, as CPython's."""
        cache = f"{f.cname}__cache"
        self.caches.append(cache)
        boxed = [C.unit_box(p.type, f"a_{p.name}") for p in f.params]
        new_box = [b for b, p in zip(boxed, f.params) if C.box_is_new(p.type)]
        args = ", ".join(f"a_{p.name}" for p in f.params)
        if len(boxed) == 1:
            key = boxed[0] if new_box else f"k_newref({boxed[0]})"
            free_boxes = ""
        else:
            names = [f"b{i}" for i in range(len(boxed))]
            key = f"k_tuple_pack({len(boxed)}{''.join(', ' + n for n in names)})" if boxed else "k_tuple_new(0)"
            free_boxes = " ".join(f"k_decref(b{i});" for i, p in enumerate(f.params) if C.box_is_new(p.type))
        hit = {"kval": "k_newref(hit)", "double": "k_float_unbox(hit)", "bool": "(hit == k_True)"}.get(
            ret, "0")
        if f.ret in T.NATIVE_INTS:                      # the cache holds what the function returned
            hit = f"({{ i64 x = 0; k_int_to_i64(hit, &x); ({ret})x; }})"
        result_box = {"kval": "r", "double": "k_float_box(r)", "bool": "k_bool(r)"}.get(ret, "k_int_from_i64(r)")
        failed = "!r" if ret == "kval" else "k_exc"
        lines = [f"static kval {cache};", f"{self.signature(f)} {{"]
        if len(boxed) > 1:
            lines += [f"    kval b{i} = {b};" for i, b in enumerate(boxed)]
        lines += [f"    kval key = {key}; {free_boxes}",
                  f"    if (!{cache}) {cache} = k_dict_new();",
                  f"    kval hit = k_dict_getitem_borrowed({cache}, key);",
                  "    if (hit) {"]
        if f.cache_size > 0:
            lines.append(f"        k_incref(hit); k_dict_delitem({cache}, key); k_dict_setitem({cache}, key, hit); "
                         f"k_decref(hit);")
        lines += [f"        k_decref(key); return {hit};", "    }",
                  f"    if (k_exc) {{ k_decref(key); return {err}; }}",
                  f"    {ret} r = {f.cname}__uncached({args});",
                  f"    if ({failed}) {{ k_decref(key); return {err}; }}",
                  f"    kval v = {result_box};"]
        if f.cache_size > 0:
            lines.append(f"    if (k_dict_len({cache}) >= {f.cache_size}) {{ i64 pos = 0; kval old; "
                         f"k_dict_next({cache}, &pos, &old, 0); k_incref(old); k_dict_delitem({cache}, old); "
                         f"k_decref(old); }}")
        lines += [f"    int rc = k_dict_setitem({cache}, key, v);",
                  "    k_decref(key);" + ("" if ret == "kval" else " k_decref(v);"),
                  f"    if (rc < 0) {{ {'k_decref(r); ' if ret == 'kval' else ''}return {err}; }}",
                  "    return r;", "}"]
        return "\n".join(lines)

    def lower_generator(self, f: FuncInfo, body: list[ast.stmt], self_param: str | None,
                        cells: list[tuple[str, T.Type]] = ()) -> None:
        """A generator function returns a frame object; k_next resumes its body where it
        yielded last. Every local and temporary lives in the frame, so it survives the
        return at each yield; `state` says where to resume (0: start, -1: finished).
        A generator expression's frame also keeps the closure holding the cells it reads."""
        from kaa.service.function import Var
        low = Lowering(self, f, f.cname)
        low.frame_prefix = "F->"
        for i, (n, t) in enumerate(cells):
            low.vars[n] = Var(n, t, f"((KClosure *)clo)->cells[{i}]", cell=True)
        low.lower_body(body, [(p.name, p.type) for p in f.params], self_param)
        frame = f"{f.cname}_frame"
        fields = [(n, "kval" if c == "kval_b" else c) for n, c in low.decls.items()]
        params = [("self", "kval")] if self_param is not None else []
        params += [("clo", "kval")] if f.kind == "closure" else []
        params += [(f"a_{p.name}", p.type.c_type) for p in f.params]
        struct = ["KObj hdr;", "i32 state;"] + [f"{c} {n};" for n, c in params + fields]
        owned = [n for n, c in params + fields if c == "kval"]
        lines = [f"typedef struct {{ {' '.join(struct)} }} {frame};",
                 f"static void {frame}_clear(KObj *o) {{ {frame} *F = ({frame} *)o; "
                 + " ".join(f"k_xdecref(F->{n});" for n in owned) + " }",
                 f"static kval {f.cname}_resume(kval gen);",
                 f"static kval {f.cname}_iter(kval gen) {{ return k_newref(gen); }}",
                 f"static const KType {frame}_type = {{K_STATIC_HDR(&k_type_type), \"generator\", \"builtins\", "
                 f"&k_object_type, sizeof({frame}), 0, .clear = {frame}_clear, .iter = {f.cname}_iter, "
                 f".next = {f.cname}_resume}};"]
        sig = self.signature(f)
        ctor = [f"{sig} {{", f"    {frame} *F = ({frame} *)k_alloc(&{frame}_type, sizeof({frame}));"]
        for n, c in params:
            ctor.append(f"    F->{n} = {'k_newref(' + n + ')' if c == 'kval' else n};")
        ctor += ["    return K_VAL(F);", "}"]
        resume = [f"static kval {f.cname}_resume(kval gen) {{", f"    {frame} *F = ({frame} *)gen;", "    kval ret = 0;",
                  "    switch (F->state) { case 0: break; "
                  + " ".join(f"case {i}: goto Y{i};" for i in range(1, low.yields + 1)) + " default: return 0; }"]
        names = [n for n, _ in params + fields]
        resume += [f"#define {n} F->{n}" for n in names]
        resume += low.lines
        resume += ["    goto L_out;", "L_error: ret = 0;", "L_out:;", "    F->state = -1;"]
        resume += [f"    k_xdecref({n}); {n} = 0;" for n in owned]
        resume.append("    return ret;")
        low.lines = []
        low.emit_error_blocks(self.file_c, f.qualname)
        resume += low.lines
        resume += [f"#undef {n}" for n in names]
        resume.append("}")
        self.need_prototype(f)
        self.functions.append("\n".join(lines + ctor + resume))

    def predeclare_globals(self) -> None:
        """Type the module's top-level names from their first assignment, in source order,
        so methods and functions lowered before the module's code can read them."""
        from kaa.compiler.errors import CompileError
        low = Lowering(self, None, "predeclare")
        for s in self.mod.tree.body:
            low.begin_statement(s)
            try:
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
                    low.declare_var(s.target.id, low.annotation_type(s), s.target)
                elif isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) \
                        and s.targets[0].id not in self.mod.globals and s.targets[0].id not in self.mod.typevars:
                    t = low.peek_type(s.value)
                    if t not in (T.NONE, T.NORETURN):
                        low.declare_var(s.targets[0].id, t, s.targets[0])
            except CompileError:
                pass                    # reported where the module's code is lowered

    def lower_module_code(self) -> str:
        body = [s for s in self.mod.tree.body]
        low = Lowering(self, None, f"{self.mod.prefix}_kaa_init")
        low.block_module(body)
        return low.c_function(f"static kval {self.mod.prefix}_kaa_init(void)", "kval", "k_None", "0", self.file_c,
                              "<module>")

    # ---- the module's part of the file ----

    def declare(self, modules: dict[str, ModuleInfo]) -> None:
        """Types, signatures and class layouts; the names imported from `modules` (the
        program's modules declared before this one) bound first."""
        self.declarer.bind_imports(modules)
        self.declarer.declare()
        for info in self.mod.own_classes():
            if info.dataclass:
                C.synthesize_dataclass(info, self.declarer)
            elif info.enum_kind is not None:
                C.synthesize_enum(info, self.declarer)
        for info in self.mod.own_classes():
            self.constructor(info)
        self.predeclare_globals()

    def lower(self) -> None:
        # __init__ first: it types the fields the rest of the program reads
        for info in self.mod.own_classes():
            init_m = info.methods.get("__init__")
            if init_m is not None and init_m.node is not None and not info.namedtuple:
                self.lower_function(init_m, init_m.node.body)
                self.lowered.add(init_m.cname)
        self.init_code = self.lower_module_code()
        for info in self.mod.own_classes():
            self.emit_class_code(info)
        for f in self.mod.own_functions():
            self.lower_function(f, f.node.body)          # type: ignore[union-attr]

    def declarations(self) -> list[str]:
        """Class structs and type objects: before every prototype, since signatures and
        bodies of later modules use them."""
        out: list[str] = []
        for info in self.mod.own_classes():
            self.emit_class(info, out)
        out += [f"extern const KType {i.type_cname};" for i in self.mod.own_classes()]
        return out

    def definitions(self) -> list[str]:
        """Globals and class constants (before the functions that read them)."""
        out = [f"static {g.type.c_type} {g.cname};" for g in self.global_order]
        for info in self.mod.own_classes():
            for name, (t, cname) in info.constants.items():
                out.append(f"static {t.c_type} {cname};")
            if info.enum_kind is not None:
                out.append(f"static kval {info.cname}__members;")
        return out

    def entry_points(self) -> list[str]:
        """The module's code (run once, at import) and the release of its globals at exit."""
        p = self.mod.prefix
        releases = [f"k_xdecref({g.cname}); {g.cname} = 0;" for g in reversed(self.global_order) if g.type.is_object]
        releases += [f"k_xdecref({cname});" for info in self.mod.own_classes()
                     for (t, cname) in info.constants.values() if t.is_object]
        releases += [f"k_xdecref({info.cname}__members);" for info in self.mod.own_classes() if info.enum_kind]
        releases += [f"k_xdecref({c}); {c} = 0;" for c in self.caches]
        return [self.init_code, f"static void {p}_kaa_release(void) {{ {' '.join(releases)} }}"]


def program_c(units: list[Unit]) -> str:
    """The C file of the program's modules, `units` in import order (the main module last),
    with kaa_main's two halves: `kaa_run` runs each module's code until one raises, and
    `kaa_release` releases their globals, last imported first."""
    out = units[-1].out
    lines = [SSE_MARKER, f"/* {units[-1].mod.path}: generated by the Kaa service compiler */",
             '#include "kaa_service.h"']
    lines += out.literal_lines
    for u in units:
        lines += u.declarations()
    lines += list(out.prototypes.values())
    lines += list(out.kernel_prototypes.values())
    for u in units:
        lines += u.definitions()
    lines += list(out.value_wrappers.values())
    lines += out.functions
    for u in units:
        lines += u.entry_points()
    lines.append(f"void kaa_literals(void) {{ {' '.join(out.init_lines)} }}")
    runs = " && ".join(f"{u.mod.prefix}_kaa_init()" for u in units)
    lines.append(f"void kaa_run(void) {{ (void)({runs}); }}")
    lines.append(f"void kaa_release(void) {{ {' '.join(f'{u.mod.prefix}_kaa_release();' for u in reversed(units))} }}")
    return "\n".join(lines) + "\n"
