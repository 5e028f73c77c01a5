"""What the pages and the JSON API show, as plain data built from library calls.

Presentation only: every number comes from the library (overview, stored analyses and
tests, the coach); this module selects, labels and shapes it for templates, Plotly and
JSON. The coaching package is optional at run time: when it cannot be imported the
findings and plan parts say so instead of failing.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from stridelab._util import json_safe
from stridelab.errors import InputError, StridelabError
from stridelab.store.db import Database

__all__ = [
    "COACH_EQUIPMENT",
    "COACH_GOALS",
    "coach_findings",
    "coach_plan",
    "coach_unavailable_reason",
    "dashboard_plots",
    "overview_data",
    "plan_ics",
    "test_history",
    "video_row",
    "video_summaries",
    "video_summary",
]

#: Plan goals and equipment offered by the plan form (``stridelab plan`` options).
COACH_GOALS = ("general", "5k", "10k", "half", "marathon")
COACH_EQUIPMENT = ("none", "band", "dumbbell", "step", "gym")


# --------------------------------------------------------------------------- overview


def overview_data(db: Database, /, *, athlete: str, weeks: int = 8) -> dict[str, Any]:
    """``build_overview`` as JSON-ready data (what ``stridelab analyze --json`` shows)."""
    from stridelab.insights import build_overview

    return dict(json_safe(build_overview(db, athlete=athlete, weeks=weeks)))


def dashboard_plots(overview: dict[str, Any], /) -> list[dict[str, Any]]:
    """Plotly figures for the dashboard: weekly volume (ramp flags marked) and the
    cadence–speed curve with each recent run."""
    plots: list[dict[str, Any]] = []
    weeks = overview.get("weeks") or []
    if weeks:
        flagged = {f["week_start"] for f in overview.get("flags") or [] if f.get("week_start")}
        colours = [
            "rgb(214,69,65)" if w["week_start"] in flagged else "rgb(40,120,200)" for w in weeks
        ]
        plots.append(
            {
                "id": "plot-weeks",
                "data": [
                    {
                        "type": "bar",
                        "x": [w["week_start"] for w in weeks],
                        "y": [w["distance_km"] for w in weeks],
                        "marker": {"color": colours},
                        "text": [
                            "" if w["ramp_pct"] is None else f"{w['ramp_pct']:+.0f}%" for w in weeks
                        ],
                        "textposition": "outside",
                        "name": "km per week",
                    }
                ],
                "layout": {
                    "title": {"text": "Weekly volume (red: flagged)", "font": {"size": 14}},
                    "xaxis": {"title": {"text": "week of"}, "type": "category"},
                    "yaxis": {"title": {"text": "km"}},
                    "margin": {"l": 50, "r": 10, "t": 40, "b": 60},
                    "height": 300,
                },
            }
        )
    curve = overview.get("cadence_curve")
    runs = [r for r in overview.get("runs") or [] if r["speed_m_s"] and r["cadence_spm"]]
    if curve is not None or runs:
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "runs (median of running)",
                "x": [r["speed_m_s"] for r in runs],
                "y": [r["cadence_spm"] for r in runs],
                "text": [f"run {r['activity_id']}" for r in runs],
                "marker": {"size": 9, "color": "rgb(255,120,30)"},
            }
        ]
        if curve is not None:
            lo, hi = curve["speed_min_m_s"], curve["speed_max_m_s"]
            xs = [lo, hi]
            ys = [curve["intercept_spm"] + curve["slope_spm_per_m_s"] * x for x in xs]
            sd = curve["residual_sd_spm"]
            data.insert(
                0,
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"your curve (±{sd:.1f} steps/min)",
                    "x": xs,
                    "y": ys,
                    "line": {"color": "rgb(40,120,200)", "width": 3},
                },
            )
        plots.append(
            {
                "id": "plot-cadence",
                "data": data,
                "layout": {
                    "title": {"text": "Your cadence–speed curve", "font": {"size": 14}},
                    "xaxis": {"title": {"text": "speed (m/s)"}},
                    "yaxis": {"title": {"text": "cadence (steps/min)"}},
                    "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
                    "height": 300,
                    "legend": {"orientation": "h"},
                },
            }
        )
    return plots


# --------------------------------------------------------------------------- videos


def video_summary(row: Any, /) -> dict[str, Any]:
    """One stored video analysis as a list entry (with the report page's address)."""
    return {
        "id": row.id,
        "file": row.file_name,
        "analysed_at": row.analysed_at.isoformat(),
        "view": row.view,
        "n_steps_used": row.n_steps_used,
        "summary": row.summary,
        "url": f"/videos/{row.id}",
    }


def video_summaries(db: Database, /, *, athlete: str) -> list[dict[str, Any]]:
    """The athlete's stored video analyses, newest first."""
    from stridelab.store.repository import list_video_analyses

    return [video_summary(r) for r in list_video_analyses(db, athlete=athlete)]


def video_row(db: Database, video_id: int, /, *, athlete: str) -> Any:
    """One stored analysis row (raises :class:`~stridelab.errors.NotFoundError`)."""
    from stridelab.store.repository import get_video_analysis

    return get_video_analysis(db, video_id, athlete=athlete)


def report_folder(videos_dir: Path, row: Any, /) -> Path:
    """The report folder of a stored analysis: the app's own ``<videos>/<sha256>``, else
    the folder ``stridelab video analyze`` recorded in the stored result (a path from the
    runner's own database, never from a URL)."""
    own = videos_dir / row.sha256
    if own.is_dir():
        return own
    recorded = row.result.get("report_folder") if isinstance(row.result, dict) else None
    if isinstance(recorded, str) and recorded and Path(recorded).is_dir():
        return Path(recorded)
    return own


# --------------------------------------------------------------------------- tests


def _main_value(test: str, summary: dict[str, Any]) -> tuple[Any, str, Any]:
    """(value, unit, minimal detectable change) of a stored test's summary."""
    if "value" in summary:  # mobility and stability tests: side/value/unit/mdc/norm/quality
        return summary.get("value"), str(summary.get("unit") or ""), summary.get("mdc")
    if "best_height_cm" in summary:  # jump tests: best height (RSI for hop series)
        if test in ("rj10-5", "pogo", "drop") and summary.get("best_rsi") is not None:
            return summary.get("best_rsi"), "RSI", summary.get("mdc_rsi")
        return summary.get("best_height_cm"), "cm", summary.get("mdc_cm")
    return None, "", None


def _num(v: Any) -> float | None:
    if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
        return float(v)
    return None


def test_history(db: Database, /, *, athlete: str) -> list[dict[str, Any]]:
    """The athlete's stored tests, oldest first, each with its change since the previous
    result of the same test (and side) and whether that change reaches the test's
    minimal detectable change (``beyond_mdc``: None when no MDC is known; ``improved``:
    the direction of a change beyond it, when the test says which way is better)."""
    from stridelab.store.repository import list_assessments

    out: list[dict[str, Any]] = []
    previous: dict[tuple[str, str | None], float] = {}
    for row in list_assessments(db, athlete=athlete):
        summary = dict(row.summary or {})
        value, unit, mdc = _main_value(row.test, summary)
        side = summary.get("side")
        value_f, mdc_f = _num(value), _num(mdc)
        key = (row.test, None if side is None else str(side))
        change = None
        if value_f is not None and key in previous:
            change = value_f - previous[key]
        if value_f is not None:
            previous[key] = value_f
        beyond = None if change is None or mdc_f is None else abs(change) >= mdc_f
        higher = summary.get("higher_is_better")
        improved = None
        if beyond and change is not None and isinstance(higher, bool):
            improved = (change > 0) == higher
        out.append(
            {
                "id": row.id,
                "test": row.test,
                "side": side,
                "performed_at": row.performed_at.isoformat(),
                "input_kind": row.input_kind,
                "file": row.file_name,
                "value": value_f,
                "unit": unit,
                "mdc": mdc_f,
                "change": None if change is None else round(change, 6),
                "beyond_mdc": beyond,
                "improved": improved,
                "norm": summary.get("norm"),
                "quality": summary.get("quality"),
            }
        )
    return out


# --------------------------------------------------------------------------- coach


_COACH_API = ("PlanRequest", "build_plan", "find_findings", "plan_to_ics")


def _coach() -> Any:
    """The :mod:`stridelab.coach` module with the names the web app uses.

    Raises
    ------
    ImportError
        The package is missing or lacks one of the names (it is being built).
    """
    import importlib

    module = importlib.import_module("stridelab.coach")
    missing = [n for n in _COACH_API if not hasattr(module, n)]
    if missing:
        raise ImportError(f"stridelab.coach has no {', '.join(missing)}")
    return module


def coach_unavailable_reason() -> str | None:
    """None when :mod:`stridelab.coach` offers findings and plans, else why not."""
    try:
        _coach()
    except ImportError as exc:
        return f"coaching is not available in this installation yet ({exc})"
    return None


def coach_findings(db: Database, /, *, athlete: str) -> tuple[list[dict[str, Any]], str | None]:
    """(open findings as dicts, None) or ([], the reason there are none to show)."""
    reason = coach_unavailable_reason()
    if reason is not None:
        return [], reason
    try:
        found = _coach().find_findings(db, athlete)
        return [dict(json_safe(f.to_dict())) for f in found], None
    except StridelabError as exc:
        return [], str(exc)


def coach_plan(
    db: Database,
    /,
    *,
    athlete: str,
    goal: str,
    race_date: date | None,
    run_days: int,
    minutes_per_week: int,
    equipment: frozenset[str],
    weeks: int,
    start: date,
) -> Any:
    """The plan :func:`stridelab.coach.build_plan` makes for these choices.

    Raises
    ------
    ImportError
        The coaching package is not available (see :func:`coach_unavailable_reason`).
    InputError
        Unknown equipment, or choices the coach refuses (the message says why).
    """
    unknown = sorted(equipment - set(COACH_EQUIPMENT))
    if unknown:
        raise InputError(
            f"unknown equipment {', '.join(unknown)}; choose from {', '.join(COACH_EQUIPMENT)}"
        )
    coach = _coach()
    request = coach.PlanRequest(
        goal=goal,
        race_date=race_date,
        run_days=run_days,
        minutes_per_week=minutes_per_week,
        equipment=equipment,
        weeks=weeks,
        start=start,
    )
    return coach.build_plan(db, athlete, request)


def plan_ics(plan: Any, /) -> bytes:
    """The plan as an iCalendar file (:func:`stridelab.coach.plan_to_ics`)."""
    return bytes(_coach().plan_to_ics(plan))
