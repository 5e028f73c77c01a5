"""The video report page: a stored analysis (its JSON) back into the report's pieces.

In: the stored ``GaitAnalysis.to_dict()`` and the files of its report folder. Out: the
template context: plain-language summary first, metric cards, the annotated video, a
step table whose rows carry the time to seek to, joint-angle plots, snapshots at
contact and toe-off. The cards, plots and summary come from :mod:`stridelab.report.html`
(the same as the offline report).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from stridelab.gait.result import GaitAnalysis

__all__ = ["REPORT_FILE", "video_page_context"]

#: Files of a report folder the app serves (everything else stays private); the
#: stand-alone ``report.html`` loads ``plotly.min.js`` and the snapshots next to it.
REPORT_FILE = re.compile(
    r"^(annotated\.mp4|report\.html|result\.json|plotly\.min\.js|snapshot_[a-z]+_[a-z]+\.jpg)$"
)

_STEP_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (field, heading, number format)
    ("contact_time_ms", "contact ms", ".0f"),
    ("flight_time_ms", "flight ms", ".0f"),
    ("step_time_ms", "step ms", ".0f"),
    ("overstride_cm", "overstride cm", ".1f"),
    ("overstride_pct_leg", "overstride % leg", ".0f"),
    ("shank_angle_deg", "shank °", ".1f"),
    ("knee_flexion_ic_deg", "knee at IC °", ".1f"),
    ("peak_knee_flexion_deg", "peak knee °", ".1f"),
    ("foot_strike", "strike", ""),
    ("confidence", "confidence", ".2f"),
)


def _cell(value: Any, fmt: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    return format(value, fmt) if fmt else str(value)


def _step_rows(analysis: GaitAnalysis) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows of the step table with the file time (s) of each initial contact.

    The annotated video has one frame per source frame at the stored frame rate, so a
    step's IC frame ``k`` is at ``(k + 0.5) / stored_fps`` seconds of the file (the
    middle of the frame; for slow motion the file plays slower than real time).
    """
    fps = analysis.video.get("stored_fps")
    stored_fps = float(fps) if isinstance(fps, int | float) and fps and fps > 0 else None
    present = [
        c for c in _STEP_COLUMNS if any(getattr(s, c[0]) is not None for s in analysis.steps)
    ]
    rows = []
    for s in analysis.steps:
        seek = (s.ic_frame + 0.5) / stored_fps if stored_fps else s.ic_time_s
        rows.append(
            {
                "index": s.index,
                "foot": s.foot,
                "ic_time_s": f"{s.ic_time_s:.3f}",
                "seek_s": round(seek, 4),
                "end_s": round((s.to_frame + 0.5) / stored_fps, 4) if stored_fps else s.to_time_s,
                "cells": [_cell(getattr(s, field), fmt) for field, _h, fmt in present],
                "used": s.used,
                "reason": s.excluded_reason,
            }
        )
    return [h for _f, h, _fmt in present], rows


def _snapshots(folder: Path) -> list[dict[str, str]]:
    shots = []
    for foot in ("left", "right"):
        for event, words in (("ic", "initial contact"), ("to", "toe-off")):
            name = f"snapshot_{foot}_{event}.jpg"
            if (folder / name).is_file():
                shots.append({"file": name, "foot": foot, "event": words})
    return shots


def video_page_context(data: dict[str, Any], folder: Path, /) -> dict[str, Any]:
    """Everything the video report template needs (the folder may be missing)."""
    from stridelab.report.html import (
        contact_plot,
        cycle_plots,
        metric_cards,
        render_summary_text,
    )

    analysis = GaitAnalysis.from_dict(data)
    plots = cycle_plots(analysis)
    contact = contact_plot(analysis)
    if contact is not None:
        plots.append(contact)
    columns, rows = _step_rows(analysis)
    q = analysis.quality
    return {
        "file": analysis.video.get("file") or "video",
        "summary": render_summary_text(analysis),
        "cards": metric_cards(analysis),
        "has_video": (folder / "annotated.mp4").is_file(),
        "has_report": (folder / "report.html").is_file(),
        "columns": columns,
        "rows": rows,
        "plots": plots,
        "snapshots": _snapshots(folder),
        "warnings": list(q.warnings),
        "notes": list(q.notes),
        "steps_used": q.n_steps_used,
        "steps_detected": q.n_steps_detected,
        "view": analysis.setup.get("view"),
    }
