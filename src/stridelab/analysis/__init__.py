"""Movement-lens analyses of watch data: pure functions, no I/O.

What comes in: NumPy arrays taken from :class:`~stridelab.watch.Records` columns
(``speed_m_s``, ``ground_contact_ms``, ``cadence_spm``, ``timestamp_s``), per-run
summaries (timezone-aware start times, distances, moving times, loads) and small records
about the athlete and their shoes (mass, leg length, :class:`ShoeInfo`, :class:`ShoeRun`).

What goes out: small frozen dataclasses with units in their field names, and plain
sentences for runners, each tied to its source.

- :mod:`~stridelab.analysis.spring_mass`: Morin et al. 2005 sine-wave spring–mass
  model: peak force, CoM displacement, vertical and leg stiffness (:class:`SpringMass`).
- :mod:`~stridelab.analysis.cadence_speed`: the runner's own cadence–speed curve from
  steady stretches, fitted robustly (:class:`SteadySamples`, :class:`CadenceSpeedFit`,
  :class:`CurvePosition`); the robust line fit itself is in
  :mod:`~stridelab.analysis.robust`.
- :mod:`~stridelab.analysis.training_load`: ISO-week volume, daily series, EWMA
  acute:chronic ratio and monotony (:class:`WeekLoad`, :class:`DailySeries`); the
  plain-language flags and their thresholds are in
  :mod:`~stridelab.analysis.load_flags` (:class:`LoadFlag`), re-exported there.
- :mod:`~stridelab.analysis.shoes`: mileage, wear and rotation of shoes
  (:class:`ShoeUsage`, :class:`RotationSummary`).

Invalid arguments raise :class:`~stridelab.errors.InputError`.
"""

from __future__ import annotations

from stridelab.analysis.cadence_speed import (
    CadenceSpeedFit,
    CurvePosition,
    SteadySamples,
    fit_cadence_speed,
    position_on_curve,
    steady_segments,
)
from stridelab.analysis.shoes import (
    RotationSummary,
    ShoeInfo,
    ShoeRun,
    ShoeUsage,
    rotation_summary,
    shoe_usage,
)
from stridelab.analysis.spring_mass import (
    SpringMass,
    estimate_spring_mass,
    leg_length_from_height_m,
)
from stridelab.analysis.training_load import (
    ACWR_LIMITS_NOTE,
    DailySeries,
    LoadFlag,
    WeekLoad,
    daily_series,
    ewma,
    ewma_acwr,
    load_flags,
    monotony,
    weekly_load,
)

__all__ = [
    "ACWR_LIMITS_NOTE",
    "CadenceSpeedFit",
    "CurvePosition",
    "DailySeries",
    "LoadFlag",
    "RotationSummary",
    "ShoeInfo",
    "ShoeRun",
    "ShoeUsage",
    "SpringMass",
    "SteadySamples",
    "WeekLoad",
    "daily_series",
    "estimate_spring_mass",
    "ewma",
    "ewma_acwr",
    "fit_cadence_speed",
    "leg_length_from_height_m",
    "load_flags",
    "monotony",
    "position_on_curve",
    "rotation_summary",
    "shoe_usage",
    "steady_segments",
    "weekly_load",
]
