"""Typed results of a video gait analysis, and their JSON form.

The JSON written by ``stridelab video analyze --json`` is ``GaitAnalysis.to_dict()``:

``schema``
    ``"stridelab.gait/1"``.
``video``
    file name, displayed size, stored and capture frame rates, duration in real seconds.
``setup``
    view, facing direction, surface, scale (``cm_per_px`` and where it came from).
``quality``
    frames with a person, per-foot visibility, left/right swaps corrected, notes and
    warnings in plain language, ``n_steps_detected`` and ``n_steps_used``.
``steps``
    one object per foot contact: ``foot`` (``left``/``right``), ``ic_time_s``,
    ``to_time_s``, ``ic_frame``, ``to_frame``, ``contact_time_ms``, ``step_time_ms``,
    ``flight_time_ms``, per-step angles and distances, ``confidence`` in [0, 1] and
    ``used`` (false when the step was excluded from the summary, with ``excluded_reason``).
``summary``
    one number (or class) per metric: the median of the used steps, ``null`` when
    withheld: ``cadence_spm``, ``step_time_ms``, ``contact_time_ms``, ``flight_time_ms``,
    ``duty_factor``, ``foot_strike``, ``foot_strike_angle_deg``, ``shank_angle_deg``,
    ``overstride_cm`` (or ``overstride_pct_leg`` without a scale), ``knee_flexion_ic_deg``,
    ``peak_knee_flexion_deg``, ``hip_extension_to_deg``, ``trunk_lean_deg``,
    ``vertical_oscillation_cm``, ``arm_swing_deg``; rear view: ``pelvic_drop_deg``,
    ``step_width_cm``.
``metrics``
    the same keys with detail: ``value``, ``unit``, ``spread`` (interquartile range),
    ``left``, ``right``, ``asymmetry_pct``, ``n_steps``, ``uncertainty``, ``quality``
    (``good``/``fair``/``withheld``) and ``reason``.
``cycle``
    joint angles over the normalised gait cycle (0–100 %, IC to next IC of the same
    foot): mean curves per foot for the report plots.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from stridelab._util import json_safe
from stridelab.gait.constants import Foot, MetricQuality

__all__ = [
    "SCHEMA",
    "CycleCurves",
    "GaitAnalysis",
    "MetricSummary",
    "Scale",
    "Step",
    "VideoQuality",
]

SCHEMA = "stridelab.gait/1"


@dataclass(frozen=True)
class Step:
    """One foot contact, from initial contact (IC) to toe-off (TO)."""

    index: int
    foot: Foot
    ic_time_s: float
    to_time_s: float
    ic_frame: int
    to_frame: int
    contact_time_ms: float
    step_time_ms: float | None = None  # IC of this foot − IC of the previous (other) foot
    flight_time_ms: float | None = None  # TO of the previous foot → IC of this foot
    confidence: float = 1.0
    foot_strike_angle_deg: float | None = None
    foot_strike: str | None = None
    shank_angle_deg: float | None = None
    overstride_cm: float | None = None
    overstride_pct_leg: float | None = None
    knee_flexion_ic_deg: float | None = None
    peak_knee_flexion_deg: float | None = None
    hip_extension_to_deg: float | None = None
    pelvic_drop_deg: float | None = None
    step_width_cm: float | None = None
    foot_visible_fraction: float = 1.0
    used: bool = True
    excluded_reason: str | None = None


@dataclass(frozen=True)
class MetricSummary:
    """One metric summarised over the used steps (or over the clip)."""

    key: str
    unit: str
    value: float | str | None
    quality: MetricQuality
    n_steps: int = 0
    spread: float | None = None
    left: float | None = None
    right: float | None = None
    asymmetry_pct: float | None = None
    uncertainty: float | None = None
    reason: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Scale:
    """How image pixels become centimetres at the runner."""

    cm_per_px: float | None
    source: str  # "height" | "keypoints" | "none"
    detail: str = ""


@dataclass(frozen=True)
class VideoQuality:
    frames_total: int
    frames_with_person: int
    foot_visible_fraction: dict[str, float]
    swaps_corrected: int
    n_steps_detected: int
    n_steps_used: int
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CycleCurves:
    """Mean joint angles over the normalised gait cycle (101 points, 0–100 %)."""

    percent: tuple[float, ...]
    curves: dict[str, dict[str, tuple[float, ...]]] = field(default_factory=dict)
    # curves[angle_name][foot] -> 101 values (deg); angle names: knee_flexion_deg,
    # hip_flexion_deg, shank_angle_deg, foot_angle_deg
    toe_off_percent: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class GaitAnalysis:
    """Everything a video analysis found: the typed form of the JSON result."""

    video: dict[str, Any]
    setup: dict[str, Any]
    scale: Scale
    quality: VideoQuality
    steps: tuple[Step, ...]
    metrics: dict[str, MetricSummary]
    cycle: CycleCurves | None = None

    @property
    def summary(self) -> dict[str, float | str | None]:
        return {k: (m.value if m.quality != "withheld" else None) for k, m in self.metrics.items()}

    @property
    def used_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.used)

    @classmethod
    def from_dict(cls, data: dict[str, Any], /) -> GaitAnalysis:
        """Rebuild an analysis from its ``to_dict()`` form (the stored JSON)."""
        setup = dict(data.get("setup") or {})
        scale = Scale(**(setup.pop("scale", None) or {"cm_per_px": None, "source": "none"}))
        q = dict(data["quality"])
        q["notes"] = tuple(q.get("notes") or ())
        q["warnings"] = tuple(q.get("warnings") or ())
        cycle = data.get("cycle")
        return cls(
            video=dict(data.get("video") or {}),
            setup=setup,
            scale=scale,
            quality=VideoQuality(**q),
            steps=tuple(Step(**s) for s in data.get("steps") or ()),
            metrics={k: MetricSummary(**m) for k, m in (data.get("metrics") or {}).items()},
            cycle=None
            if not cycle
            else CycleCurves(
                percent=tuple(cycle["percent"]),
                curves={
                    name: {foot: tuple(v) for foot, v in feet.items()}
                    for name, feet in cycle["curves"].items()
                },
                toe_off_percent=dict(cycle.get("toe_off_percent") or {}),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "video": self.video,
            "setup": {**self.setup, "scale": asdict(self.scale)},
            "quality": asdict(self.quality),
            "summary": self.summary,
            "metrics": {k: asdict(m) for k, m in self.metrics.items()},
            "steps": [asdict(s) for s in self.steps],
            "cycle": asdict(self.cycle) if self.cycle is not None else None,
        }
        return json_safe(out)
