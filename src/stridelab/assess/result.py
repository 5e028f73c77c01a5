"""Typed results of a jump or hop test, and their JSON form.

``JumpTestResult.to_dict()`` is what ``stridelab test jump --json`` prints::

    {"test": "cmj|squat|drop|pogo|rj10-5",
     "input_kind": "video|accelerometer|force_plate",
     "jumps": [{"index": 1, "flight_time_ms": ..., "contact_time_ms": ...,
                "height_flight_cm": ..., "height_impulse_cm": ..., "rsi": ...,
                "peak_force_n": ..., "rfd_0_50_n_per_s": ..., "rfd_0_100_n_per_s": ...,
                "rfd_0_200_n_per_s": ..., "mrsi": ..., "takeoff_time_s": ...,
                "landing_time_s": ..., "valid": true, "note": null}, ...],
     "summary": {"best_height_cm": ..., "mean_height_cm": ..., "best_rsi": ...,
                 "mean_rsi": ..., "height_uncertainty_cm": ..., "method": "...",
                 ...},
     "notes": [...], "warnings": [...], "sources": [...]}

A value the input cannot give is ``null`` (e.g. no force without a force plate).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from stridelab._util import json_safe

__all__ = [
    "G_M_S2",
    "INPUT_KINDS",
    "JUMP_TESTS",
    "Jump",
    "JumpTestResult",
    "height_from_flight_cm",
]

#: Standard gravity (m/s²).
G_M_S2 = 9.80665
JUMP_TESTS = ("cmj", "squat", "drop", "pogo", "rj10-5")
INPUT_KINDS = ("video", "accelerometer", "force_plate")
JumpTest = Literal["cmj", "squat", "drop", "pogo", "rj10-5"]
InputKind = Literal["video", "accelerometer", "force_plate"]


def height_from_flight_cm(flight_time_s: float, /) -> float:
    """Jump height from flight time, h = g·t²/8 (take-off and landing in the same
    posture; Bosco 1983), in cm."""
    return 100.0 * G_M_S2 * flight_time_s**2 / 8.0


@dataclass(frozen=True)
class Jump:
    """One jump (or one hop of a series). Times in real seconds from the start."""

    index: int
    takeoff_time_s: float
    landing_time_s: float
    flight_time_ms: float
    height_flight_cm: float
    contact_time_ms: float | None = None  # ground contact before this take-off (hops)
    height_impulse_cm: float | None = None
    rsi: float | None = None  # height (m) / contact time (s)
    mrsi: float | None = None  # modified RSI: height (m) / time to take-off (s)
    peak_force_n: float | None = None
    rfd_0_50_n_per_s: float | None = None
    rfd_0_100_n_per_s: float | None = None
    rfd_0_200_n_per_s: float | None = None
    takeoff_velocity_m_s: float | None = None
    asymmetry_pct: float | None = None  # two force plates: peak force L vs R
    valid: bool = True
    note: str | None = None


@dataclass(frozen=True)
class JumpTestResult:
    test: JumpTest
    input_kind: InputKind
    jumps: tuple[Jump, ...]
    summary: dict[str, Any]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "test": self.test,
                "input_kind": self.input_kind,
                "jumps": [asdict(j) for j in self.jumps],
                "summary": self.summary,
                "notes": list(self.notes),
                "warnings": list(self.warnings),
                "sources": list(self.sources),
            }
        )
