"""Left/right symmetry and change against the runner's own baseline, over stored results.

Both are pure functions over result dicts as stored (``MobilityResult.to_dict()``, or a
stored row's ``result``), optionally with a ``performed_at`` ISO date (string or
datetime) to order them; without one, list order is time order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from stridelab.assess.mobility.catalogue import SCHEMA, TESTS

__all__ = ["compare_with_baseline", "mobility_symmetry"]


def _when(r: Mapping[str, Any], i: int) -> tuple[str, int]:
    v = r.get("performed_at")
    if isinstance(v, datetime):
        v = v.isoformat()
    return (str(v) if v is not None else "", i)


def _value(r: Mapping[str, Any]) -> float | None:
    v = r.get("summary", {}).get("value")
    return float(v) if isinstance(v, int | float) and math.isfinite(v) else None


def _real(diff: float, mdc: float | None) -> bool | None:
    return None if mdc is None else abs(diff) >= mdc


def mobility_symmetry(results: Iterable[Mapping[str, Any]], /) -> dict[str, Any]:
    """Per test (and hip-extension variant), the latest left and right values and their
    difference.

    Returns ``{test_key: {"test", "variant", "left", "right", "unit", "difference"
    (right − left), "worse_side", "lsi_pct" (worse / better × 100 for higher-is-better
    tests with positive values, else None), "mdc", "real" (|difference| ≥ MDC, None
    without an MDC)}}``; tests with only one side stored are left out.
    """
    latest: dict[str, dict[str, tuple[tuple[str, int], Mapping[str, Any]]]] = {}
    for i, r in enumerate(results):
        if r.get("schema") != SCHEMA or r.get("test") not in TESTS:
            continue
        side = r.get("summary", {}).get("side")
        if side not in ("left", "right") or _value(r) is None:
            continue
        key = r["test"] + (f":{r['variant']}" if r.get("variant") else "")
        when = _when(r, i)
        slot = latest.setdefault(key, {})
        if side not in slot or when >= slot[side][0]:
            slot[side] = (when, r)
    out: dict[str, Any] = {}
    for key, sides in sorted(latest.items()):
        if set(sides) != {"left", "right"}:
            continue
        left, right = sides["left"][1], sides["right"][1]
        info = TESTS[left["test"]]
        lv, rv = _value(left), _value(right)
        assert lv is not None and rv is not None
        diff = rv - lv
        if info.higher_is_better:
            worse = "left" if lv < rv else ("right" if rv < lv else None)
        else:
            worse = "left" if lv > rv else ("right" if rv > lv else None)
        lsi = None
        if info.higher_is_better and min(lv, rv) >= 0 and max(lv, rv) > 0:
            lsi = 100.0 * min(lv, rv) / max(lv, rv)
        out[key] = {
            "test": left["test"],
            "variant": left.get("variant"),
            "left": lv,
            "right": rv,
            "unit": info.unit,
            "difference": diff,
            "worse_side": worse,
            "lsi_pct": lsi,
            "mdc": info.mdc,
            "real": _real(diff, info.mdc),
        }
    return out


def compare_with_baseline(
    result: Mapping[str, Any], history: Iterable[Mapping[str, Any]], /
) -> dict[str, Any] | None:
    """The change of ``result`` from the first earlier result of the same test, variant
    and side in ``history`` (the baseline) and from the latest one.

    Returns None without an earlier result, else ``{"baseline_value", "change",
    "previous_value", "change_from_previous", "mdc", "real" (|change| ≥ MDC, None
    without an MDC), "better" (direction of the change), "note"}``.
    """
    value = _value(result)
    if value is None:
        return None
    s = result.get("summary", {})
    same = [
        (_when(h, i), h)
        for i, h in enumerate(history)
        if h is not result
        and h.get("test") == result.get("test")
        and h.get("variant") == result.get("variant")
        and h.get("summary", {}).get("side") == s.get("side")
        and _value(h) is not None
    ]
    if not same:
        return None
    same.sort(key=lambda p: p[0])
    base, prev = _value(same[0][1]), _value(same[-1][1])
    assert base is not None and prev is not None
    info = TESTS[str(result["test"])]
    change = value - base
    real = _real(change, info.mdc)
    better = None if change == 0 else ((change > 0) == info.higher_is_better)
    if real is None:
        note = "no published MDC for this test: treat changes under about 10% as noise"
    elif real:
        note = f"a real change (≥ the MDC of {info.mdc:g} {info.unit})"
    else:
        note = f"within the MDC of {info.mdc:g} {info.unit}: not a detectable change"
    return {
        "baseline_value": base,
        "change": change,
        "previous_value": prev,
        "change_from_previous": value - prev,
        "mdc": info.mdc,
        "real": real,
        "better": better,
        "note": note,
    }
