"""The HTML report of a video gait analysis: one offline page a runner can read.

:func:`write_html_report` writes ``report.html`` (and ``plotly.min.js``, copied once from
the installed ``plotly`` package, plus the snapshot JPEGs) into a folder. Nothing is
loaded from the network. Everything that comes from data is HTML-escaped by Jinja2's
autoescape; plot data is embedded as HTML-safe JSON.

:func:`render_summary_text` gives the plain-language summary on its own (the CLI prints
it).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import shutil
import statistics
import uuid
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridelab.gait.result import GaitAnalysis, MetricSummary, Step
from stridelab.video.keypoints import PoseTrack

__all__ = [
    "METRIC_LABELS",
    "REFERENCES",
    "render_summary_text",
    "write_html_report",
]

logger = logging.getLogger(__name__)

REPORT_NAME = "report.html"
PLOTLY_JS_NAME = "plotly.min.js"
#: Long side of the snapshot images (pixels).
SNAPSHOT_LONG_SIDE_PX = 720

#: Plain-language names of the metrics, in the order the cards show them.
METRIC_LABELS: dict[str, str] = {
    "cadence_spm": "Cadence",
    "contact_time_ms": "Ground contact time",
    "flight_time_ms": "Flight time",
    "step_time_ms": "Step time",
    "duty_factor": "Duty factor",
    "overstride_cm": "Overstride in cm (foot ahead of hip at contact)",
    "overstride_pct_leg": "Overstride in % of leg length (foot ahead of hip at contact)",
    "foot_strike": "Foot strike",
    "foot_strike_angle_deg": "Foot angle at contact",
    "shank_angle_deg": "Shank angle at contact",
    "knee_flexion_ic_deg": "Knee bend at contact",
    "peak_knee_flexion_deg": "Peak knee bend in stance",
    "hip_extension_to_deg": "Hip extension at toe-off",
    "trunk_lean_deg": "Trunk lean",
    "vertical_oscillation_cm": "Vertical oscillation",
    "arm_swing_deg": "Arm swing",
    "pelvic_drop_deg": "Pelvic drop",
    "step_width_cm": "Step width",
}

_HEIDERSCHEIT = (
    "Heiderscheit BC, Chumanov ES, Michalski MP, Wille CM, Ryan MB. Effects of step rate "
    "manipulation on joint mechanics during running. Med Sci Sports Exerc. "
    "2011;43(2):296-302."
)

#: Reference notes shown on the metric cards: (short text, full citation).
REFERENCES: dict[str, tuple[str, str]] = {
    "knee_flexion_ic_deg": (
        "Healthy runners at their preferred step rate: 17.8 ± 4.0° (Heiderscheit 2011).",
        _HEIDERSCHEIT,
    ),
    "peak_knee_flexion_deg": (
        "Healthy runners at their preferred step rate: 46.3 ± 4.5° (Heiderscheit 2011).",
        _HEIDERSCHEIT,
    ),
    "cadence_spm": (
        "No single ideal: cadence rises with speed and differs between runners. A 5–10 % "
        "higher step rate lowered hip and knee loading (Heiderscheit 2011).",
        _HEIDERSCHEIT,
    ),
}

_UNIT_FORMAT = {
    "ms": ".0f",
    "spm": ".0f",
    "steps/min": ".0f",
    "deg": ".1f",
    "cm": ".1f",
    "%": ".0f",
    "% leg": ".0f",
    "": ".2f",
}
_UNIT_SYMBOL = {"deg": "°", "spm": "steps/min"}

_STRIKE_WORDS = {
    "rearfoot": "rearfoot (heel first)",
    "midfoot": "midfoot (flat foot)",
    "forefoot": "forefoot (ball of the foot first)",
}

_CYCLE_TITLES = {
    "knee_flexion_deg": "Knee flexion (°)",
    "hip_flexion_deg": "Hip flexion (°)",
    "shank_angle_deg": "Shank angle (°)",
    "foot_angle_deg": "Foot angle (°)",
}

_FOOT_COLOURS = {"left": "rgb(40,160,255)", "right": "rgb(255,120,30)"}


# --------------------------------------------------------------------------- helpers


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _fmt_number(value: Any, unit: str = "") -> str:
    """A number formatted for its unit; ``"–"`` when missing."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if not _finite(value):
        return "–"
    spec = _UNIT_FORMAT.get(unit, ".1f")
    return f"{value:{spec}}"


def _with_unit(value: Any, unit: str) -> str:
    text = _fmt_number(value, unit)
    if text == "–" or not unit or isinstance(value, str):
        return text
    symbol = _UNIT_SYMBOL.get(unit, unit)
    return f"{text}{symbol}" if symbol == "°" else f"{text} {symbol}"


def _label(key: str, metric: MetricSummary | None = None) -> str:
    if metric is not None and metric.label:
        return metric.label
    return METRIC_LABELS.get(key, key.replace("_", " ").capitalize())


def _short_label(key: str, metric: MetricSummary) -> str:
    """Label without the explanation in brackets, lower case (for running text)."""
    label = _label(key, metric).split(" (")[0]
    return label[0].lower() + label[1:] if label else key


def _reported(metrics: Mapping[str, MetricSummary], key: str) -> MetricSummary | None:
    m = metrics.get(key)
    if m is None or m.quality == "withheld" or m.value is None:
        return None
    if not isinstance(m.value, str) and not _finite(m.value):
        return None
    return m


def _lr(m: MetricSummary) -> str:
    if m.left is None and m.right is None:
        return ""
    return f" (left {_with_unit(m.left, m.unit)}, right {_with_unit(m.right, m.unit)})"


def _ordered_metric_keys(metrics: Mapping[str, MetricSummary]) -> list[str]:
    known = [k for k in METRIC_LABELS if k in metrics]
    return known + sorted(k for k in metrics if k not in METRIC_LABELS)


# --------------------------------------------------------------------------- summary


def render_summary_text(analysis: GaitAnalysis) -> str:
    """The plain-language summary of an analysis (3–6 sentences).

    Covers cadence (never compared with a fixed number: form is individual), ground
    contact time, where the foot lands relative to the hip (overstride) with the knee
    angle at contact and its published reference, foot strike, trunk lean (positive =
    forward), and what was withheld and why.
    """
    m = analysis.metrics
    sentences: list[str] = []
    n_used = len(analysis.used_steps)

    cadence = _reported(m, "cadence_spm")
    if cadence is not None:
        sentences.append(
            f"Over {n_used} usable steps your cadence was {_with_unit(cadence.value, 'spm')}; "
            "there is no single right cadence, it depends on your speed, build and "
            "experience, so compare it with your own runs rather than a target."
        )
    contact = _reported(m, "contact_time_ms")
    if contact is not None:
        sentences.append(
            f"Each foot stayed on the ground for about {_with_unit(contact.value, 'ms')} "
            f"per step{_lr(contact)}."
        )

    over = _reported(m, "overstride_cm") or _reported(m, "overstride_pct_leg")
    knee = _reported(m, "knee_flexion_ic_deg")
    if over is not None and _finite(over.value):
        v = float(over.value)  # type: ignore[arg-type]
        amount = (
            f"{abs(v):.1f} cm" if over.key == "overstride_cm" else f"{abs(v):.0f} % of leg length"
        )
        where = (
            f"about {amount} ahead of your hip"
            if v > 0.5
            else f"about {amount} behind your hip"
            if v < -0.5
            else "roughly under your hip"
        )
        text = f"At initial contact your foot landed {where}"
        if knee is not None:
            text += (
                f", with the knee bent {_with_unit(knee.value, 'deg')} "
                "(healthy runners: 17.8 ± 4.0°, Heiderscheit 2011)"
            )
        sentences.append(text + ".")
    elif knee is not None:
        sentences.append(
            f"At initial contact your knee was bent {_with_unit(knee.value, 'deg')} "
            "(healthy runners: 17.8 ± 4.0°, Heiderscheit 2011)."
        )

    strike = _reported(m, "foot_strike")
    lean = _reported(m, "trunk_lean_deg")
    parts: list[str] = []
    if strike is not None:
        word = _STRIKE_WORDS.get(str(strike.value), str(strike.value))
        parts.append(f"you landed mostly on your {word}")
    if lean is not None and _finite(lean.value):
        t = float(lean.value)  # type: ignore[arg-type]
        direction = "forward" if t >= 0 else "backward"
        parts.append(f"your trunk leaned {abs(t):.0f}° {direction}")
    if parts:
        s = " and ".join(parts)
        sentences.append(s[0].upper() + s[1:] + ".")

    if not sentences:
        sentences.append("No gait metric could be reported from this clip.")

    withheld = [(k, mm) for k, mm in m.items() if mm.quality == "withheld"]
    if withheld:
        shown = withheld[:4]
        items = "; ".join(
            f"{_short_label(k, mm)} – {mm.reason or 'no reason given'}" for k, mm in shown
        )
        more = (
            f"; and {len(withheld) - len(shown)} more (see the cards)" if len(withheld) > 4 else ""
        )
        sentences.append(f"Not reported: {items}{more}.")
    return " ".join(sentences)


# --------------------------------------------------------------------------- cards, tables


def metric_cards(analysis: GaitAnalysis) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for key in _ordered_metric_keys(analysis.metrics):
        mm = analysis.metrics[key]
        withheld = mm.quality == "withheld"
        ref = REFERENCES.get(key)
        symbol = "" if mm.unit == "class" else _UNIT_SYMBOL.get(mm.unit, mm.unit)
        cards.append(
            {
                "key": key,
                "label": _label(key, mm),
                "value": "withheld" if withheld else _fmt_number(mm.value, mm.unit),
                "unit": "" if withheld or isinstance(mm.value, str) else symbol,
                "unit_hint": symbol if withheld else "",
                "spread": None if mm.spread is None else _with_unit(mm.spread, mm.unit),
                "left": None if mm.left is None else _with_unit(mm.left, mm.unit),
                "right": None if mm.right is None else _with_unit(mm.right, mm.unit),
                "asymmetry": None if mm.asymmetry_pct is None else f"{mm.asymmetry_pct:.0f} %",
                "n_steps": mm.n_steps,
                "quality": mm.quality,
                "reason": mm.reason,
                "reference": ref[0] if ref else None,
            }
        )
    return cards


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def _step_table(steps: Sequence[Step]) -> tuple[list[str], list[dict[str, Any]]]:
    names = [f.name for f in dataclasses.fields(Step)]
    rows = [
        {
            "cells": [_cell(getattr(s, n)) for n in names],
            "used": s.used,
            "reason": s.excluded_reason,
            "foot": s.foot,
        }
        for s in steps
    ]
    return names, rows


# --------------------------------------------------------------------------- plots


def _json_list(values: Sequence[float]) -> list[float | None]:
    return [float(v) if _finite(v) else None for v in values]


def cycle_plots(analysis: GaitAnalysis) -> list[dict[str, Any]]:
    cycle = analysis.cycle
    if cycle is None or not cycle.curves:
        return []
    x = _json_list(cycle.percent)
    names = [n for n in _CYCLE_TITLES if n in cycle.curves]
    names += sorted(n for n in cycle.curves if n not in _CYCLE_TITLES)
    plots: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        data = []
        for foot in ("left", "right"):
            y = cycle.curves[name].get(foot)
            if y is None:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": foot,
                    "x": x,
                    "y": _json_list(y),
                    "line": {"color": _FOOT_COLOURS[foot], "width": 2},
                }
            )
        shapes, notes = [], []
        for foot, pct in cycle.toe_off_percent.items():
            if not _finite(pct):
                continue
            colour = _FOOT_COLOURS.get(foot, "grey")
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": pct,
                    "x1": pct,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": colour, "dash": "dash", "width": 1},
                }
            )
            notes.append(
                {
                    "x": pct,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "text": f"TO {foot}",
                    "showarrow": False,
                    "yanchor": "bottom",
                    "font": {"color": colour, "size": 10},
                }
            )
        plots.append(
            {
                "id": f"plot-cycle-{i}",
                "data": data,
                "layout": {
                    "title": {"text": _CYCLE_TITLES.get(name, name), "font": {"size": 14}},
                    "xaxis": {"title": {"text": "% of gait cycle (IC → IC)"}, "range": [0, 100]},
                    "yaxis": {"title": {"text": "degrees"}},
                    "shapes": shapes,
                    "annotations": notes,
                    "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
                    "height": 300,
                    "legend": {"orientation": "h"},
                },
            }
        )
    return plots


def contact_plot(analysis: GaitAnalysis) -> dict[str, Any] | None:
    if not analysis.steps:
        return None
    data = []
    for foot in ("left", "right"):
        for used in (True, False):
            steps = [s for s in analysis.steps if s.foot == foot and s.used == used]
            if not steps:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers+lines" if used else "markers",
                    "name": foot if used else f"{foot} (excluded)",
                    "x": _json_list([s.ic_time_s for s in steps]),
                    "y": _json_list([s.contact_time_ms for s in steps]),
                    "text": [s.excluded_reason or f"step {s.index}" for s in steps],
                    "marker": {
                        "color": _FOOT_COLOURS[foot] if used else "rgba(150,150,150,0.8)",
                        "symbol": "circle" if used else "x",
                        "size": 8,
                    },
                    "line": {"color": _FOOT_COLOURS[foot], "width": 1},
                }
            )
    return {
        "id": "plot-contact",
        "data": data,
        "layout": {
            "title": {"text": "Ground contact time per step", "font": {"size": 14}},
            "xaxis": {"title": {"text": "time (s)"}},
            "yaxis": {"title": {"text": "contact time (ms)"}},
            "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
            "height": 300,
            "legend": {"orientation": "h"},
        },
    }


# --------------------------------------------------------------------------- snapshots


def _representative_steps(analysis: GaitAnalysis) -> dict[str, Step]:
    """Per foot, the used step whose contact time is closest to that foot's median."""
    chosen: dict[str, Step] = {}
    for foot in ("left", "right"):
        steps = [s for s in analysis.used_steps if s.foot == foot and _finite(s.contact_time_ms)]
        if not steps:
            continue
        med = statistics.median(s.contact_time_ms for s in steps)
        chosen[foot] = min(steps, key=lambda s: (abs(s.contact_time_ms - med), s.ic_frame))
    return chosen


def _write_snapshots(
    analysis: GaitAnalysis,
    video_path: str | os.PathLike[str],
    track: PoseTrack,
    out_dir: Path,
    capture_fps: float | None,
) -> list[dict[str, Any]]:
    """JPEGs at IC and TO of a representative step per foot, skeleton drawn."""
    import cv2

    from stridelab.report.annotate import _pose_lookup, draw_skeleton
    from stridelab.video.decode import iter_frames

    wanted: dict[int, list[tuple[str, str, Step]]] = {}
    for foot, step in _representative_steps(analysis).items():
        wanted.setdefault(step.ic_frame, []).append((foot, "ic", step))
        wanted.setdefault(step.to_frame, []).append((foot, "to", step))
    if not wanted:
        return []
    lookup = _pose_lookup(track)
    last = max(wanted)
    shots: list[dict[str, Any]] = []
    for frame in iter_frames(Path(video_path), capture_fps=capture_fps, max_frames=last + 1):
        if frame.index > last:
            break
        if frame.index not in wanted:
            continue
        src = frame.image
        scale = min(1.0, SNAPSHOT_LONG_SIDE_PX / max(src.shape[:2]))
        img: NDArray[np.uint8] = np.ascontiguousarray(
            cv2.resize(src, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            if scale < 1.0
            else src.copy(),
            dtype=np.uint8,
        )
        row = lookup(frame.index)
        if row is not None:
            draw_skeleton(img, track.xy_px[row], track.confidence[row], scale=scale)
        ok, buf = cv2.imencode(
            ".jpg",
            cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
            [
                cv2.IMWRITE_JPEG_QUALITY,
                85,
            ],
        )
        if not ok:
            logger.warning("could not encode the snapshot of frame %d", frame.index)
            continue
        for foot, event, step in wanted[frame.index]:
            name = f"snapshot_{foot}_{event}.jpg"
            (out_dir / name).write_bytes(buf.tobytes())
            shots.append(
                {
                    "file": name,
                    "foot": foot,
                    "event": "initial contact" if event == "ic" else "toe-off",
                    "order": (0 if foot == "left" else 1, 0 if event == "ic" else 1),
                    "time_s": f"{(step.ic_time_s if event == 'ic' else step.to_time_s):.3f}",
                    "frame": frame.index,
                    "step": step.index,
                }
            )
    shots.sort(key=lambda s: s["order"])
    return shots


# --------------------------------------------------------------------------- page


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("stridelab.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _copy_plotly_js(out_dir: Path) -> None:
    """Write the installed plotly.js next to the report once (offline; no CDN)."""
    from importlib import resources

    target = out_dir / PLOTLY_JS_NAME
    source = resources.files("plotly") / "package_data" / PLOTLY_JS_NAME
    with resources.as_file(source) as src_path:
        if src_path.is_file():
            if target.is_file() and target.stat().st_size == src_path.stat().st_size:
                return
            shutil.copyfile(src_path, target)
            return
    from plotly.offline import get_plotlyjs

    target.write_text(get_plotlyjs(), encoding="utf-8")


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename (never half-written)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _setup_rows(analysis: GaitAnalysis) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in analysis.setup.items():
        if key == "ground_line" and isinstance(value, Mapping):
            slope, icpt = value.get("slope"), value.get("intercept_px")
            if _finite(slope) and _finite(icpt):
                rows.append(("ground line", f"y = {slope:.4f}·x + {icpt:.1f} px"))
            continue
        if key == "scale":
            continue
        rows.append((key.replace("_", " "), _cell(value)))
    sc = analysis.scale
    scale_text = (
        f"{sc.cm_per_px:.4f} cm/px (from {sc.source})"
        if sc.cm_per_px is not None and _finite(sc.cm_per_px)
        else f"no scale ({sc.source}): distances in % of leg length"
    )
    if sc.detail:
        scale_text += f" – {sc.detail}"
    rows.append(("scale", scale_text))
    for key, value in analysis.video.items():
        rows.append((f"video {key.replace('_', ' ')}", _cell(value)))
    return rows


def write_html_report(
    analysis: GaitAnalysis,
    out_dir: str | os.PathLike[str],
    *,
    video_path: str | os.PathLike[str] | None = None,
    track: PoseTrack | None = None,
    annotated_video_name: str | None = None,
    capture_fps: float | None = None,
) -> Path:
    """Write ``report.html`` for a gait analysis into ``out_dir``.

    The page works offline: ``plotly.min.js`` is copied next to it from the installed
    ``plotly`` package. Order: plain-language summary, metric cards, the annotated
    video, plots (joint angles over the gait cycle, contact time per step), snapshots
    at initial contact and toe-off, the per-step table, quality notes and setup.

    Parameters
    ----------
    analysis : the analysis to report.
    out_dir : folder for ``report.html``, ``plotly.min.js`` and the snapshots (created
        if missing).
    video_path, track : the source clip and its pose track; with both, JPEG snapshots
        (``snapshot_{left,right}_{ic,to}.jpg``) of a representative step per foot are
        written next to the report.
    annotated_video_name : file name (relative to ``out_dir``) of the annotated MP4 to
        embed with ``<video controls>``.
    capture_fps : capture rate of a slow-motion clip, passed to the decoder.

    Returns
    -------
    Path
        The path of ``report.html``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _copy_plotly_js(out)

    snapshots: list[dict[str, Any]] = []
    if video_path is not None and track is not None:
        snapshots = _write_snapshots(analysis, video_path, track, out, capture_fps)

    plots = cycle_plots(analysis)
    contact = contact_plot(analysis)
    if contact is not None:
        plots.append(contact)
    columns, rows = _step_table(analysis.steps)
    q = analysis.quality
    quality_rows = [
        ("frames with a person", f"{q.frames_with_person} of {q.frames_total}"),
        *(
            (f"{foot} foot visible", f"{frac * 100:.0f} % of frames")
            for foot, frac in q.foot_visible_fraction.items()
            if _finite(frac)
        ),
        ("left/right swaps corrected", str(q.swaps_corrected)),
        ("steps detected / used", f"{q.n_steps_detected} / {q.n_steps_used}"),
    ]
    withheld = [
        (_label(k, mm), mm.reason or "no reason given")
        for k, mm in analysis.metrics.items()
        if mm.quality == "withheld"
    ]
    citations = sorted(
        {REFERENCES[k][1] for k in analysis.metrics if k in REFERENCES} | {_HEIDERSCHEIT}
    )
    title_name = analysis.video.get("file") or analysis.video.get("name") or "video"
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=f"Running gait report – {title_name}",
            summary=render_summary_text(analysis),
            cards=metric_cards(analysis),
            video_name=annotated_video_name,
            plots=plots,
            snapshots=snapshots,
            columns=columns,
            rows=rows,
            withheld=withheld,
            notes=list(q.notes),
            warnings=list(q.warnings),
            quality_rows=quality_rows,
            setup_rows=_setup_rows(analysis),
            citations=citations,
            plotly_js=PLOTLY_JS_NAME,
            has_excluded=any(not s.used for s in analysis.steps),
        )
    )
    path = out / REPORT_NAME
    _write_atomic(path, html)
    logger.info("report written: %s", path)
    return path
