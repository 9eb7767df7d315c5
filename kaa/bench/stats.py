"""Summaries of repeated measurements: every figure is a median with its min and max."""

from __future__ import annotations

import math
import statistics


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def summary(values: list[float], digits: int = 4) -> dict:
    """{"median", "min", "max", "n", "runs"} of values (None values are failed runs, left out)."""
    ok = [v for v in values if v is not None]
    if not ok:
        return {"median": None, "min": None, "max": None, "n": 0, "runs": values}
    r = lambda v: round(v, digits)       # noqa: E731
    return {"median": r(statistics.median(ok)), "min": r(min(ok)), "max": r(max(ok)), "n": len(ok),
            "runs": [None if v is None else r(v) for v in values]}
