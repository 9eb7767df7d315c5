"""time: clocks, sleep, and UTC broken-down times (kaa/pyrt/time_module.c).

The machine's zone is UTC: localtime() is gmtime(). An ISO 8601 UTC timestamp is
time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)).
struct_time's fields (t.tm_year, ...) are attributes: STRUCT_TIME_ATTRIBUTES names the
runtime function reading each, for the lowering to call as a method with no arguments.
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.methods import CDOUBLE, MethodSpec, P
from kaa.service.modules import Module, NativeType

STRUCT_TIME = T.NativeT("struct_time", module="time", cname="k_struct_time_type")
SECS = P("secs", T.ANY, "k_None")           # None (now), an int or a float
TIME_TUPLE = P("t", T.ANY, "k_None")        # a struct_time or a 9-tuple; None: localtime()

STRUCT_TIME_ATTRIBUTES: dict[str, MethodSpec] = {
    name: MethodSpec(f"k_struct_time_{name}", [], T.STR if name == "tm_zone" else T.INT)
    for name in ("tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst",
                 "tm_zone", "tm_gmtoff")
}

MODULES = [Module(
    "time",
    header="time_module.h",
    functions={
        "time": MethodSpec("k_time_time", [], T.FLOAT, "double"),
        "time_ns": MethodSpec("k_time_time_ns", [], T.INT),
        "monotonic": MethodSpec("k_time_monotonic", [], T.FLOAT, "double"),
        "monotonic_ns": MethodSpec("k_time_monotonic_ns", [], T.INT),
        "perf_counter": MethodSpec("k_time_perf_counter", [], T.FLOAT, "double"),
        "perf_counter_ns": MethodSpec("k_time_perf_counter_ns", [], T.INT),
        "sleep": MethodSpec("k_time_sleep", [P("secs", CDOUBLE)], T.NONE, "status"),
        "gmtime": MethodSpec("k_time_gmtime", [SECS], STRUCT_TIME),
        "localtime": MethodSpec("k_time_localtime", [SECS], STRUCT_TIME),
        "strftime": MethodSpec("k_time_strftime", [P("format", T.STR), TIME_TUPLE], T.STR),
        "asctime": MethodSpec("k_time_asctime", [TIME_TUPLE], T.STR),
        "ctime": MethodSpec("k_time_ctime", [SECS], T.STR),
    },
    constants={
        "timezone": ("k_int_small(0)", T.INT),
        "altzone": ("k_int_small(0)", T.INT),
        "daylight": ("k_int_small(0)", T.INT),
    },
    types={"struct_time": NativeType(STRUCT_TIME, {}, STRUCT_TIME_ATTRIBUTES)},
)]
