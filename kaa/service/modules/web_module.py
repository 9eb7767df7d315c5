"""kaa.web.runtime: what kaa.web's booted transport needs from the C runtime (kaa/pyrt/web.c)."""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.methods import MethodSpec, P
from kaa.service.modules import Module

MODULES = [Module(
    "kaa.web.runtime",
    header="web.h",
    functions={
        "set_handler": MethodSpec("k_web_set_handler", [P("handler", T.CallableT("callable", (T.INT,), T.NONE))],
                                  T.NONE),
        "print_exception": MethodSpec("k_web_print_exception", [P("exc", T.ANY)], T.NONE),
        "kept": MethodSpec("k_web_kept", [P("obj", T.ANY)], T.BOOL, "bool"),
    },
)]
