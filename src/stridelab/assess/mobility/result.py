"""Typed result of a mobility or stability test, and its stored JSON form.

``MobilityResult.to_dict()``::

    {"schema": "stridelab.mobility/1", "test": "ankle_dorsiflexion", "input_kind": "photo",
     "variant": null,
     "summary": {"side": "right", "value": 41.2, "unit": "deg", "higher_is_better": true,
                 "mdc": 4.7, "norm": {"cutoff": 36.0, "status": "above",
                 "population": "...", "source": "..."}, "quality": "good",
                 "lower_bound": false, "warnings": [...]},
     "result": {... per-rep or per-frame detail ...},
     "notes": [...], "sources": [...], "method": "..."}

``norm.status`` is ``"within"`` when the value lies within the test's MDC of the
cut-off (the test cannot tell which side it is on), else ``"below"`` or ``"above"``;
it is ``"unknown"`` when the value is only a lower bound (``summary.lower_bound``: a
hold still going when the clip ended, or already under way when it began) that has
not passed the cut-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from stridelab._util import json_safe
from stridelab.assess.mobility.catalogue import SCHEMA, TESTS

__all__ = ["MobilityResult", "Quality", "norm_status"]

Quality = Literal["good", "fair", "poor"]


def norm_status(value: float, cutoff: float, mdc: float | None, /) -> str:
    """``below``/``within``/``above`` the cut-off; within means closer than the MDC."""
    tol = mdc if mdc is not None else 0.0
    if abs(value - cutoff) < tol:
        return "within"
    return "below" if value < cutoff else "above"


@dataclass(frozen=True)
class MobilityResult:
    """One measured self-test.

    Attributes
    ----------
    test : catalogue id (see :data:`~stridelab.assess.mobility.catalogue.TESTS`).
    input_kind : ``"photo"`` or ``"video"``.
    side : the leg or side tested, or None when unknown.
    value : the primary measure in the test's unit (None when it could not be measured).
    quality : ``good``/``fair``/``poor`` (keypoint visibility, view check, frames used).
    detail : per-rep / per-frame numbers (the ``result`` key of the JSON).
    variant : e.g. ``"thomas"`` or ``"kneeling"`` for hip extension.
    sex : used only to pick a sex-specific norm.
    lower_bound : the value is only a lower bound (a hold still going when the clip
        ended or already under way when it began); the norm status is then
        ``"unknown"`` unless the value is already above the cut-off.
    """

    test: str
    input_kind: Literal["photo", "video"]
    side: str | None
    value: float | None
    quality: Quality
    detail: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    method: str = ""
    variant: str | None = None
    sex: str | None = None
    lower_bound: bool = False

    def norm(self) -> dict[str, Any] | None:
        info = TESTS[self.test]
        if info.norm is None or self.value is None or not math.isfinite(self.value):
            return None
        if self.test == "hip_extension" and self.variant != "thomas":
            return None  # the cut-off belongs to the Thomas test only
        cutoff, population = info.norm.cutoff_for(self.sex)
        status = norm_status(self.value, cutoff, info.mdc)
        if self.lower_bound and status != "above":
            status = "unknown"  # the true hold may still pass the cut-off
        return {
            "cutoff": cutoff,
            "status": status,
            "population": population,
            "source": info.norm.source,
        }

    def summary(self) -> dict[str, Any]:
        info = TESTS[self.test]
        value = self.value if self.value is not None and math.isfinite(self.value) else None
        warnings = list(self.warnings)
        if self.norm() is None and value is not None:
            warnings.append(
                "no published norm for this test"
                + (" variant" if self.test == "hip_extension" else "")
                + ": compare with your own baseline"
            )
        return {
            "side": self.side,
            "value": value,
            "unit": info.unit,
            "higher_is_better": info.higher_is_better,
            "mdc": info.mdc,
            "norm": self.norm(),
            "quality": self.quality,
            "lower_bound": self.lower_bound,
            "warnings": warnings,
        }

    def to_dict(self) -> dict[str, Any]:
        info = TESTS[self.test]
        out: dict[str, Any] = json_safe(
            {
                "schema": SCHEMA,
                "test": self.test,
                "input_kind": self.input_kind,
                "variant": self.variant,
                "summary": self.summary(),
                "result": self.detail,
                "notes": list(self.notes),
                "method": self.method,
                "mdc_source": info.mdc_source,
                "sources": list(info.sources),
            }
        )
        return out
