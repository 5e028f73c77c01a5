"""Progress across re-tests: trends of the key metrics with the minimal detectable change.

In: the athlete's stored measurements (video metrics, mobility tests, jump tests) and
the current findings. Out: :class:`Progress` — per metric the values over time, the
change from the first to the latest, the minimal detectable change (MDC) it is compared
with and where that MDC comes from; per finding whether it improved, stayed or worsened.

MDC sources, in order: the test's own ``mdc`` (mobility tests); a published SDD (2D
pelvic drop 2.8°, Dingenen 2018); for other video metrics 1.96·√(u₁² + u₂²) from the two
clips' stated uncertainties; for jump tests 10% of the first value (*design*: no MDC for
runners; method_spec §7 counts change ≥ 10% where no MDC is known).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from stridelab.coach.findings import Evidence, Finding, Measurement, collect_evidence
from stridelab.coach.findings import findings_from_evidence as _findings
from stridelab.store import Database

__all__ = ["MetricTrend", "Progress", "finding_status", "metric_trend", "progress", "progress_from"]

Status = Literal["improved", "stayed", "worsened", "changed", "not_retested"]

#: Direction of a video metric (True: higher is better, False: lower, None: no direction).
VIDEO_DIRECTION: dict[str, bool | None] = {
    "overstride_cm": False,
    "overstride_pct_leg": False,
    "shank_angle_deg": False,
    "pelvic_drop_deg": False,
    "hip_extension_to_deg": True,
    "vertical_oscillation_cm": False,
}
#: Published smallest detectable differences for video metrics.
VIDEO_SDD = {"pelvic_drop_deg": (2.8, "SDD 2.7–2.8° for 2D pelvic drop (Dingenen 2018)")}
#: Change counted as real for jump tests, % of the first value (design).
JUMP_MDC_PCT = 10.0
#: Changes equal to the MDC (up to float error) do not count as beyond it.
_EPS = 1e-9
#: Findings whose wanted direction differs from their metric's default.
_FINDING_DIRECTION = {"cadence-step-rate": True, "core_control-upright-trunk": True}


@dataclass(frozen=True)
class MetricTrend:
    key: str
    unit: str
    points: tuple[tuple[date, float], ...]
    change: float | None
    mdc: float | None
    mdc_source: str
    beyond_mdc: bool | None
    higher_is_better: bool | None
    status: Status

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.key,
            "unit": self.unit,
            "points": [{"date": d.isoformat(), "value": round(v, 3)} for d, v in self.points],
            "first": round(self.points[0][1], 3),
            "latest": round(self.points[-1][1], 3),
            "change": None if self.change is None else round(self.change, 3),
            "mdc": None if self.mdc is None else round(self.mdc, 3),
            "mdc_source": self.mdc_source,
            "beyond_mdc": self.beyond_mdc,
            "higher_is_better": self.higher_is_better,
            "status": self.status,
        }


def _direction(ms: Sequence[Measurement]) -> bool | None:
    key = ms[-1].key
    if key.startswith("video."):
        return VIDEO_DIRECTION.get(key.removeprefix("video."))
    return ms[-1].higher_is_better


def _mdc(ms: Sequence[Measurement]) -> tuple[float | None, str]:
    first, last = ms[0], ms[-1]
    if last.mdc:
        return float(last.mdc), "the test's minimal detectable change"
    if last.key.startswith("video."):
        name = last.key.removeprefix("video.")
        if name in VIDEO_SDD:
            return VIDEO_SDD[name]
        if first.uncertainty and last.uncertainty:
            mdc = 1.96 * math.hypot(first.uncertainty, last.uncertainty)
            return mdc, "1.96 × √(u₁² + u₂²) from the two clips' stated uncertainties"
        return None, "no uncertainty stated"
    if last.key.startswith("jump."):
        return abs(first.value) * JUMP_MDC_PCT / 100, (
            f"{JUMP_MDC_PCT:g}% of the first value (design: no MDC for runners)"
        )
    return None, "no MDC known"


def _status(change: float, mdc: float | None, higher_is_better: bool | None) -> Status:
    if mdc is None or abs(change) <= mdc + _EPS:
        return "stayed"
    if higher_is_better is None:
        return "changed"
    return "improved" if (change > 0) == higher_is_better else "worsened"


def metric_trend(ms: Sequence[Measurement], /) -> MetricTrend:
    """The trend of one metric's measurements (oldest first; at least one)."""
    ms = sorted(ms, key=lambda m: m.on)
    points = tuple((m.on, m.value) for m in ms)
    direction = _direction(ms)
    if len(ms) < 2:
        return MetricTrend(
            ms[0].key,
            ms[0].unit,
            points,
            None,
            None,
            "one measurement",
            None,
            direction,
            "not_retested",
        )
    change = ms[-1].value - ms[0].value
    mdc, source = _mdc(ms)
    beyond = None if mdc is None else abs(change) > mdc + _EPS
    return MetricTrend(
        ms[-1].key,
        ms[-1].unit,
        points,
        change,
        mdc,
        source,
        beyond,
        direction,
        _status(change, mdc, direction),
    )


def finding_status(finding: Finding, trend: MetricTrend | None, /) -> Status:
    """Whether a finding improved, stayed or worsened (from its metric's trend)."""
    if trend is None or trend.change is None:
        return "not_retested"
    direction = _FINDING_DIRECTION.get(finding.id, trend.higher_is_better)
    if finding.id.endswith("-asymmetry"):
        return trend.status  # the weaker side getting better
    return _status(trend.change, trend.mdc, direction)


@dataclass(frozen=True)
class Progress:
    athlete: str
    metrics: tuple[MetricTrend, ...]
    findings: tuple[tuple[Finding, Status, MetricTrend | None], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "stridelab.progress/1",
            "athlete": self.athlete,
            "metrics": [m.to_dict() for m in self.metrics],
            "findings": [
                {
                    "id": f.id,
                    "title": f.title,
                    "pattern": f.pattern,
                    "metric": f.metric,
                    "status": status,
                    "change": None if t is None or t.change is None else round(t.change, 3),
                    "mdc": None if t is None or t.mdc is None else round(t.mdc, 3),
                    "unit": f.unit,
                }
                for f, status, t in self.findings
            ],
        }


def progress_from(ev: Evidence, /) -> Progress:
    """Progress for already collected evidence (pure)."""
    groups: dict[str, list[Measurement]] = {}
    for m in (*ev.video, *ev.mobility, *ev.jumps):
        groups.setdefault(m.key, []).append(m)
    trends = {k: metric_trend(v) for k, v in sorted(groups.items())}
    findings = [f for f in _findings(ev) if f.pattern != "baseline"]
    rows = []
    for f in findings:
        t = trends.get(f.metric)
        rows.append((f, finding_status(f, t), t))
    return Progress(ev.athlete, tuple(trends.values()), tuple(rows))


def progress(db: Database, athlete: str) -> Progress:
    """Trends of every stored metric and the status of each current finding."""
    return progress_from(collect_evidence(db, athlete))
