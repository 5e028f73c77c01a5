"""Synthetic phone-accelerometer traces of jump and hop tests, with exact truth.

The phone is worn at the waist. What it reports is the *specific force* (phyphox
"Acceleration with g"): body acceleration minus gravity, so a phone at rest reads a
vector of magnitude g ≈ 9.81 m/s² pointing up, and a phone in free fall reads 0.

The vertical specific force is built from straight-line pieces between knots (values in
g), so every event time is exact:

* standing: 1 g;
* countermovement jump (``cmj``): unweighting dip to 0.4 g, braking/propulsion hump
  (≈ 2.2 g), then a steep final drop to 0 g *at* take-off (1.5 g → 0 over 15 ms);
* squat jump (``squat``): the same without the dip;
* flight: exactly 0 g from take-off to landing (free fall);
* landing: 0 → 4.5 g in 12 ms (impact), settling back to 1 g within 0.6 s;
* hops (``pogo``, ``rj10-5``): a countermovement take-off, then ``n_hops - 1`` rebound
  contacts of ``contact_time_ms`` each (0 → 4 g in the first 8 % of contact, 3.5 g at
  mid-contact, 1.5 g at 90 %, 0 g at take-off);
* drop jump (``drop``): standing on a box, step off (0.9 g → 0 over 50 ms), free fall of
  ``box_height_cm`` (t = √(2h/g)), a rebound contact of ``contact_time_ms`` with a 5 g
  impact, the jump flight, and a landing.

Each flight and contact time varies by up to ``variation`` (fraction, uniform, seeded)
around the requested value; the truth holds the values actually used. The first sample
falls at a random sub-sample offset so events do not line up with samples.

The phone's "up" axis is ``gravity_axis`` (phyphox axes: ``y`` runs up the screen of an
upright phone), tilted by a slowly wandering angle of up to about
``orientation_jitter_deg`` about each of the two other axes. Tilting does not change
the magnitude; a large jitter mimics a hand-held phone. Gaussian noise of ``noise_g``
(standard deviation, in g) is added to each axis.

Truth per jump: take-off and landing times (s), flight time (ms), height by
h = g·t²/8 (cm; Bosco 1983), ground-contact time before the take-off (ms; rebound hops
and drop jumps only) and RSI = height (m) / contact (s).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from stridelab.assess.result import G_M_S2, height_from_flight_cm
from stridelab.errors import InputError

__all__ = [
    "AccelJumpTruth",
    "SyntheticAccel",
    "simulate_accel_jumps",
    "write_phyphox_csv",
    "write_plain_csv",
]

AccelTest = Literal["cmj", "squat", "drop", "pogo", "rj10-5"]
GravityAxis = Literal["x", "y", "z", "-x", "-y", "-z"]
_TESTS = ("cmj", "squat", "drop", "pogo", "rj10-5")
_AXES = {"x": 0, "y": 1, "z": 2}

#: The exact phyphox export header ("Acceleration with g", CSV, comma separated).
PHYPHOX_COLUMNS = (
    "Time (s)",
    "Acceleration x (m/s^2)",
    "Acceleration y (m/s^2)",
    "Acceleration z (m/s^2)",
)
PHYPHOX_ABSOLUTE_COLUMN = "Absolute acceleration (m/s^2)"

_REST_BEFORE_S = 1.5
_REST_BETWEEN_S = 2.0
_REST_AFTER_S = 1.5


@dataclass(frozen=True)
class AccelJumpTruth:
    """Exact events of one jump or hop. Times in seconds from the first sample's clock
    zero (the first sample itself sits at a sub-sample offset after 0)."""

    index: int
    takeoff_time_s: float
    landing_time_s: float
    flight_time_ms: float
    height_cm: float
    contact_time_ms: float | None = None  # ground contact before this take-off
    rsi: float | None = None  # height (m) / contact (s)


@dataclass(frozen=True, eq=False)
class SyntheticAccel:
    """A simulated phone recording and its truth. Accelerations in m/s², gravity
    included (at rest the vector magnitude is g)."""

    test: AccelTest
    sampling_rate_hz: float
    time_s: np.ndarray
    ax_m_s2: np.ndarray
    ay_m_s2: np.ndarray
    az_m_s2: np.ndarray
    jumps: tuple[AccelJumpTruth, ...]
    box_height_cm: float | None = None
    #: Exact step-off and touch-down times of each drop from the box (``drop`` only).
    drops_s: tuple[tuple[float, float], ...] = ()


def _landing_knots(t_land: float, peak_g: float = 4.5) -> list[tuple[float, float]]:
    return [
        (t_land, 0.0),
        (t_land + 0.012, peak_g),
        (t_land + 0.04, 2.5),
        (t_land + 0.12, 1.8),
        (t_land + 0.3, 0.7),
        (t_land + 0.6, 1.0),
    ]


def _takeoff_knots(t_off: float, *, countermovement: bool) -> list[tuple[float, float]]:
    knots = [(t_off - 0.9, 1.0), (t_off - 0.7, 0.4)] if countermovement else []
    knots += [
        (t_off - 0.5, 1.0),
        (t_off - 0.3, 2.2),
        (t_off - 0.12, 2.1),
        (t_off - 0.015, 1.5),
        (t_off, 0.0),
    ]
    return knots


def _contact_knots(t_land: float, t_off: float, peak_g: float) -> list[tuple[float, float]]:
    c = t_off - t_land
    return [
        (t_land, 0.0),
        (t_land + 0.08 * c, peak_g),
        (t_land + 0.5 * c, 0.8 * peak_g),
        (t_land + 0.9 * c, 1.5),
        (t_off, 0.0),
    ]


def _tilted_up(
    time_s: np.ndarray, gravity_axis: str, jitter_deg: float, rng: np.random.Generator
) -> np.ndarray:
    """Unit "up" vector in the phone frame over time, shape (n, 3)."""
    sign = -1.0 if gravity_axis.startswith("-") else 1.0
    k = _AXES[gravity_axis.lstrip("-")]
    others = [i for i in range(3) if i != k]
    up = np.zeros((time_s.size, 3))
    up[:, k] = sign
    for i in others:
        offset = rng.uniform(-0.5, 0.5)
        freq_hz = rng.uniform(0.1, 0.4)
        phase = rng.uniform(0.0, 2.0 * math.pi)
        angle = np.radians(
            jitter_deg * (offset + 0.5 * np.sin(2 * math.pi * freq_hz * time_s + phase))
        )
        up[:, i] = np.tan(angle)
    return up / np.linalg.norm(up, axis=1, keepdims=True)


def simulate_accel_jumps(
    *,
    test: AccelTest = "cmj",
    sampling_rate_hz: float = 100.0,
    n_jumps: int = 3,
    n_hops: int = 10,
    flight_time_ms: float = 500.0,
    contact_time_ms: float = 180.0,
    box_height_cm: float = 30.0,
    variation: float = 0.05,
    noise_g: float = 0.05,
    gravity_axis: GravityAxis = "y",
    orientation_jitter_deg: float = 5.0,
    seed: int = 0,
) -> SyntheticAccel:
    """Simulate a waist-worn phone recording a jump or hop test.

    Parameters
    ----------
    test
        ``"cmj"``, ``"squat"`` (``n_jumps`` jumps with rests between), ``"drop"``
        (``n_jumps`` drop jumps from ``box_height_cm``), ``"pogo"`` or ``"rj10-5"``
        (one series of ``n_hops`` flights: a countermovement take-off, then
        ``n_hops - 1`` rebound hops).
    sampling_rate_hz
        Samples per second.
    flight_time_ms, contact_time_ms
        Typical flight and ground-contact times (ms); each jump varies by up to
        ``variation`` (a fraction) around them.
    noise_g
        Standard deviation of the Gaussian noise on each axis, in g.
    gravity_axis
        The phone axis pointing up when the wearer stands (phyphox: ``"y"`` for an
        upright phone in a waistband).
    orientation_jitter_deg
        Scale of the slow tilt wander (degrees); 30 or more looks hand-held.
    seed
        Seed of the :class:`numpy.random.Generator`; equal arguments give equal traces.

    Returns
    -------
    SyntheticAccel
        Time (s), the three axes (m/s², gravity included) and the exact truth.
    """
    if test not in _TESTS:
        raise InputError(f"test must be one of {', '.join(_TESTS)}; got {test!r}")
    if gravity_axis.lstrip("-") not in _AXES or gravity_axis.count("-") > 1:
        raise InputError(f"gravity_axis must be x, y, z or -x, -y, -z; got {gravity_axis!r}")
    if not sampling_rate_hz > 0:
        raise InputError(f"sampling_rate_hz must be positive, got {sampling_rate_hz}")
    if not 80.0 <= flight_time_ms <= 1000.0:
        raise InputError(f"flight_time_ms must be within 80–1000 ms, got {flight_time_ms}")
    if not 80.0 <= contact_time_ms <= 600.0:
        raise InputError(f"contact_time_ms must be within 80–600 ms, got {contact_time_ms}")
    if not 0.0 <= variation < 0.5:
        raise InputError(f"variation must be within [0, 0.5), got {variation}")
    count = n_hops if test in ("pogo", "rj10-5") else n_jumps
    if count < 1:
        raise InputError(f"need at least one jump or hop, got {count}")

    rng = np.random.default_rng(seed)

    def vary(value_ms: float) -> float:
        return value_ms * (1.0 + variation * rng.uniform(-1.0, 1.0)) / 1000.0

    knots: list[tuple[float, float]] = [(0.0, 1.0)]
    truths: list[AccelJumpTruth] = []
    drops: list[tuple[float, float]] = []
    t = _REST_BEFORE_S + (0.9 if test != "drop" else 0.0)  # first take-off / step-off

    if test in ("cmj", "squat"):
        for i in range(count):
            flight = vary(flight_time_ms)
            knots += _takeoff_knots(t, countermovement=test == "cmj")
            knots += _landing_knots(t + flight)
            truths.append(
                AccelJumpTruth(i + 1, t, t + flight, flight * 1e3, height_from_flight_cm(flight))
            )
            t += flight + 0.6 + _REST_BETWEEN_S + 0.9
        end = t - 0.9 - _REST_BETWEEN_S
    elif test == "drop":
        fall = math.sqrt(2.0 * box_height_cm / 100.0 / G_M_S2)
        for i in range(count):
            contact, flight = vary(contact_time_ms), vary(flight_time_ms)
            land1 = t + fall
            off = land1 + contact
            knots += [(t - 0.3, 1.0), (t - 0.05, 0.9), (t, 0.0)]
            knots += _contact_knots(land1, off, peak_g=5.0)
            knots += _landing_knots(off + flight)
            drops.append((t, land1))
            h = height_from_flight_cm(flight)
            truths.append(
                AccelJumpTruth(
                    i + 1, off, off + flight, flight * 1e3, h, contact * 1e3, h / 100.0 / contact
                )
            )
            t = off + flight + 0.6 + _REST_BETWEEN_S + 0.3
        end = t - 0.3 - _REST_BETWEEN_S
    else:
        flight = vary(flight_time_ms)
        knots += _takeoff_knots(t, countermovement=True)
        truths.append(AccelJumpTruth(1, t, t + flight, flight * 1e3, height_from_flight_cm(flight)))
        t += flight
        for i in range(1, count):
            contact, flight = vary(contact_time_ms), vary(flight_time_ms)
            off = t + contact
            knots += _contact_knots(t, off, peak_g=4.0)
            h = height_from_flight_cm(flight)
            truths.append(
                AccelJumpTruth(
                    i + 1, off, off + flight, flight * 1e3, h, contact * 1e3, h / 100.0 / contact
                )
            )
            t = off + flight
        knots += _landing_knots(t)
        end = t + 0.6

    end += _REST_AFTER_S
    knots.append((end, 1.0))
    knot_t = np.array([k[0] for k in knots])
    knot_f = np.array([k[1] for k in knots])
    if np.any(np.diff(knot_t) <= 0):  # pragma: no cover - guarded by the value ranges
        raise InputError("internal: event knots overlap; choose longer contacts or flights")

    dt = 1.0 / sampling_rate_hz
    start = rng.uniform(0.0, dt)
    time_s = start + dt * np.arange(int((end - start) / dt) + 1)
    vertical_g = np.interp(time_s, knot_t, knot_f)
    up = _tilted_up(time_s, gravity_axis, orientation_jitter_deg, rng)
    acc = (vertical_g * G_M_S2)[:, None] * up
    acc += rng.normal(0.0, noise_g * G_M_S2, size=acc.shape)
    return SyntheticAccel(
        test=test,
        sampling_rate_hz=float(sampling_rate_hz),
        time_s=time_s,
        ax_m_s2=acc[:, 0].copy(),
        ay_m_s2=acc[:, 1].copy(),
        az_m_s2=acc[:, 2].copy(),
        jumps=tuple(truths),
        box_height_cm=box_height_cm if test == "drop" else None,
        drops_s=tuple(drops),
    )


def write_phyphox_csv(sim: SyntheticAccel, path: str | Path, *, absolute: bool = True) -> Path:
    """Write ``sim`` as phyphox exports "Acceleration with g" to CSV (comma separated,
    quoted header, numbers in ``%.9E``), optionally with the absolute-acceleration
    column. Returns the path."""
    out = Path(path)
    columns = [*PHYPHOX_COLUMNS, *([PHYPHOX_ABSOLUTE_COLUMN] if absolute else [])]
    data = [sim.time_s, sim.ax_m_s2, sim.ay_m_s2, sim.az_m_s2]
    if absolute:
        data.append(np.sqrt(sim.ax_m_s2**2 + sim.ay_m_s2**2 + sim.az_m_s2**2))
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(columns)
        for row in zip(*data, strict=True):
            fh.write(",".join(f"{v:.9E}" for v in row) + "\n")
    return out


def write_plain_csv(
    sim: SyntheticAccel,
    path: str | Path,
    *,
    units: Literal["m/s2", "g"] = "m/s2",
    time_column: Literal["time", "t", "timestamp"] = "time",
) -> Path:
    """Write ``sim`` as a plain CSV with header ``time,ax,ay,az`` (no units stated).

    ``units="g"`` divides the axes by g. ``time_column="timestamp"`` writes the time in
    milliseconds under ``timestamp``; ``"time"`` and ``"t"`` are in seconds.
    """
    if units not in ("m/s2", "g"):
        raise InputError(f"units must be 'm/s2' or 'g', got {units!r}")
    if time_column not in ("time", "t", "timestamp"):
        raise InputError(f"time_column must be time, t or timestamp, got {time_column!r}")
    scale = 1.0 / G_M_S2 if units == "g" else 1.0
    time = sim.time_s * (1000.0 if time_column == "timestamp" else 1.0)
    out = Path(path)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"{time_column},ax,ay,az\n")
        for row in zip(
            time, sim.ax_m_s2 * scale, sim.ay_m_s2 * scale, sim.az_m_s2 * scale, strict=True
        ):
            fh.write(",".join(f"{v:.6f}" for v in row) + "\n")
    return out
