"""collections: its runtime header (kaa/pyrt/collections.h) for every service.

The module's types need the compiler's own static types (a Counter[str] is a dict, a
deque[int] is iterable), so their constructors are lowered by collections_lowering.py,
their annotations by declare.py and their methods by methods.py; this entry only brings
the header."""

from __future__ import annotations

from kaa.service.modules import Module

MODULES = [Module("collections", header="collections.h")]
