"""array: its runtime header (kaa/pyrt/array.h) and array.typecodes.

An array's static type is the compiler's own (types.ArrayT: array[int] or array[float],
decided by the literal type code), so `array(...)` is lowered by array_lowering.py, its
annotations by declare.py, its methods by methods.py's ARRAY_METHODS and its items and
operators by access.py and expressions.py; this entry brings the header and the constant."""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.modules import Module

MODULES = [Module("array", header="array.h", constants={"typecodes": ("K_VAL(&k_array_typecodes.s)", T.STR)})]
