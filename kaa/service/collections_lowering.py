"""Lowering the constructors of collections' types: Counter, defaultdict, deque, OrderedDict.

Their instances are runtime objects (kaa/pyrt/collections.c and deque.c) with static
types of their own (types.py): CounterT, DefaultDictT and OrderedDictT are kinds of DictT,
so everything lowered for a dict applies to them (d[k] of a missing key reaches the
runtime's __missing__ through k_dict_getitem); a DequeT is iterated as any iterable and
has methods.py's DEQUE_METHODS. A constructor's type comes from its arguments
(Counter(words) is a Counter[str]); an empty one (Counter(), deque(), defaultdict(list))
has NoReturn parts that the expected type fills in (types.subtype), as for [] and {}.

A defaultdict's factory is kept as the runtime calls it: a built-in type or one of
collections' own as the type object (so the repr shows <class 'list'>), anything else as
a function of no arguments: a lambda, a def, a Callable value, or a class of the program
(wrapped in a lambda that constructs it).
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.function import Val

# Factories the runtime makes itself: the KType, and the type of the value it makes.
FACTORY_TYPES: dict[str, tuple[str, T.Type]] = {
    "int": ("k_int_type", T.INT), "float": ("k_float_type", T.FLOAT), "bool": ("k_bool_type", T.BOOL),
    "str": ("k_str_type", T.STR), "bytes": ("k_bytes_type", T.BYTES),
    "list": ("k_list_type", T.ListT("list", T.NORETURN)), "set": ("k_set_type", T.SetT("set", T.NORETURN)),
    "dict": ("k_dict_type", T.DictT("dict", T.NORETURN, T.NORETURN)),
    "tuple": ("k_tuple_type", T.TupleT("tuple", (), T.NORETURN)),
}
COLLECTIONS_FACTORIES: dict[str, tuple[str, T.Type]] = {
    "Counter": ("k_counter_type", T.CounterT("Counter", T.NORETURN)),
    "OrderedDict": ("k_ordereddict_type", T.OrderedDictT("OrderedDict", T.NORETURN, T.NORETURN)),
    "deque": ("k_deque_type", T.DequeT("deque", T.NORETURN)),
}


class CollectionsLowering:
    """Mixed into Lowering (lower.py)."""

    def collections_name(self, node: ast.expr) -> str | None:
        """The collections name node refers to: `Counter` after `from collections import
        Counter`, `collections.Counter` after `import collections`; None otherwise."""
        if isinstance(node, ast.Name) and self.lookup_var(node.id) is None:
            module, _, name = self.mod.imports.get(node.id, "").rpartition(".")
            return name if module == "collections" else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                self.mod.imports.get(node.value.id) == "collections" and self.lookup_var(node.value.id) is None:
            return node.attr
        return None

    def collections_call(self, name: str, node: ast.Call) -> Val:
        lower = {"Counter": self.new_counter, "defaultdict": self.new_defaultdict, "deque": self.new_deque,
                 "OrderedDict": self.new_ordereddict}.get(name)
        if lower is None:
            raise self.report.error(node, f"collections.{name}() is not available",
                                    "collections has Counter, defaultdict, deque and OrderedDict")
        return lower(node)

    def new_counter(self, node: ast.Call) -> Val:
        """Counter(), Counter(iterable): each item counted, Counter(mapping): its counts."""
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_counter_new(0)", T.CounterT("Counter", T.NORETURN))
        v = self.expr(node.args[0])
        if isinstance(v.type, T.DictT):
            if v.type.value not in (T.INT, T.NORETURN):
                raise self.report.error(node.args[0], f"Counter() of a mapping to {v.type.value}",
                                        "a Counter counts with ints: pass a mapping to int, or an iterable")
            key = v.type.key
        else:
            key = T.iter_elem(v.type)
            if key is None:
                raise self.report.error(node.args[0], f"Counter() takes an iterable or a mapping, got {v.type}",
                                        "Counter(words) counts each item")
        return self.into_temp(f"k_counter_new({self.box(v).code})", T.CounterT("Counter", key), "!{}")

    def new_ordereddict(self, node: ast.Call) -> Val:
        """OrderedDict(), OrderedDict(mapping), OrderedDict(iterable of pairs)."""
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_ordereddict_new(0)", T.OrderedDictT("OrderedDict", T.NORETURN, T.NORETURN))
        v = self.expr(node.args[0])
        key, value = self.mapping_types(v.type, node.args[0], "OrderedDict")
        return self.into_temp(f"k_ordereddict_new({v.code})", T.OrderedDictT("OrderedDict", key, value), "!{}")

    def mapping_types(self, t: T.Type, node: ast.AST, name: str) -> tuple[T.Type, T.Type]:
        """The key and value types of a dict built from t: a mapping or an iterable of pairs."""
        if isinstance(t, T.DictT):
            return t.key, t.value
        elem = T.iter_elem(t)
        if isinstance(elem, T.TupleT) and elem.var is None and len(elem.items) == 2:
            return elem.items[0], elem.items[1]
        raise self.report.error(node, f"{name}() takes a mapping or an iterable of pairs, got {t}",
                                f"{name}(zip(keys, values))")

    def new_defaultdict(self, node: ast.Call) -> Val:
        """defaultdict(factory), defaultdict(factory, mapping or pairs)."""
        self.args_exactly(node, 0, 2)
        factory, value = ("k_None", T.NORETURN) if not node.args else self.default_factory(node.args[0])
        key, mapping = T.NORETURN, "0"
        if len(node.args) == 2:
            v = self.expr(node.args[1])
            key, given = self.mapping_types(v.type, node.args[1], "defaultdict")
            if given != T.NORETURN:
                # the factory's values are stored as they are: they must fit the mapping's
                if not T.dict_fits(T.DictT("dict", T.NORETURN, value), T.DictT("dict", key, given)):
                    raise self.report.error(node, f"the factory makes {value} values, the mapping has {given} "
                                            "values", "give them the same value type")
                value = given
            mapping = v.code
        return self.into_temp(f"k_defaultdict_new({factory}, {mapping})",
                              T.DefaultDictT("defaultdict", key, value), "!{}")

    def default_factory(self, node: ast.expr) -> tuple[str, T.Type]:
        """The factory as a kval, and the type of the values it makes."""
        if isinstance(node, ast.Name) and self.lookup_var(node.id) is None and node.id in FACTORY_TYPES:
            ktype, t = FACTORY_TYPES[node.id]
            return f"K_VAL(&{ktype})", t
        name = self.collections_name(node)
        if name in COLLECTIONS_FACTORIES:
            ktype, t = COLLECTIONS_FACTORIES[name]
            return f"K_VAL(&{ktype})", t
        if isinstance(node, ast.Constant) and node.value is None:
            return "k_None", T.NORETURN                     # no factory: a missing key raises KeyError
        if isinstance(node, ast.Name) and self.lookup_var(node.id) is None and node.id in self.mod.classes:
            node = ast.copy_location(ast.Lambda(   # defaultdict(Point): lambda: Point()
                args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                                   kwarg=None, defaults=[]),
                body=ast.copy_location(ast.Call(func=node, args=[], keywords=[]), node)), node)
        v = self.expr(node, self.infer_lambda(node, []) if isinstance(node, ast.Lambda) else None)
        if not (isinstance(v.type, T.CallableT) and not v.type.params):
            raise self.report.error(node, f"a defaultdict's factory is a function of no arguments, not {v.type}",
                                    "defaultdict(list), defaultdict(int) or defaultdict(lambda: ...)")
        return v.code, v.type.ret

    def new_deque(self, node: ast.Call) -> Val:
        """deque(), deque(iterable), deque(iterable, maxlen), maxlen= as a keyword too."""
        self.args_exactly(node, 0, 2, ("maxlen",))
        elem, items = T.NORETURN, "0"
        if node.args:
            v = self.expr(node.args[0])
            if T.iter_elem(v.type) is None:
                raise self.report.error(node.args[0], f"deque() takes an iterable, got {v.type}", "deque([1, 2])")
            elem, items = T.iter_elem(v.type), self.box(v).code
        m = node.args[1] if len(node.args) == 2 else self.keyword(node, "maxlen")
        maxlen = "k_None" if m is None else self.box(self.coerce(self.expr(m), T.optional(T.INT), m)).code
        return self.into_temp(f"k_deque_new({items}, {maxlen})", T.DequeT("deque", elem), "!{}")
