"""A synthetic interval run, written as a real FIT activity file with Garmin's encoder.

The session (defaults): 10 min easy warm-up, 4 × (4 min fast, 2 min easy), 8 min
cool-down = 42 min of timer time, with one 90 s pause (timer ``stop_all`` then
``start``) in the middle of the second recovery. One lap per workout step (10 laps).

Records are written at 1 Hz of *timer* time: one at every timer second from 0 to the
end, and two at the pause (the last one before ``stop_all`` and the first one after
``start``, 90 s apart in clock time, the same timer second). No record falls in the
pause, so elapsed time exceeds timer time by exactly ``pause_s``.

Quantisation (every value in :class:`SyntheticTruth` is the value *as stored*, i.e.
``raw / scale - offset`` exactly as a decoder computes it; rounding is half up):

=========================== ================================== =====================
quantity                    FIT field(s)                       resolution
=========================== ================================== =====================
speed                       ``speed``, ``enhanced_speed``      0.001 m/s
distance                    ``distance``                       0.01 m
heart rate                  ``heart_rate``                     1 bpm
cadence (steps/min)         ``cadence`` + ``fractional_cadence`` 1/64 spm (1/128 stride)
ground contact              ``stance_time``                    0.1 ms
vertical oscillation        ``vertical_oscillation``           0.1 mm
step length                 ``step_length``                    0.1 mm
vertical ratio              ``vertical_ratio``                 0.01 %
stance balance (left)       ``stance_time_balance``            0.01 %
altitude                    ``enhanced_altitude``              0.2 m
position                    ``position_lat/long``              1 semicircle
=========================== ================================== =====================

FIT stores cadence in *strides* (one foot) per minute; the truth is in *steps* per
minute (``cadence_spm = 2 * (cadence + fractional_cadence)``). Distance is the
trapezoidal integral of the stored speed over timer time (nothing accrues during the
pause). Step length is derived from the stored speed and cadence, vertical ratio from
the stored oscillation and step length. Lap and session averages are plain means of
the stored record values of the lap (records from the lap's first timer second up to,
not including, the next lap's first; the last lap keeps the final record), quantised
like the field they go to; average speed is distance / timer time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
from garmin_fit_sdk import Encoder, Profile

from stridelab.errors import InputError

__all__ = [
    "SyntheticLapTruth",
    "SyntheticRun",
    "SyntheticRunSpec",
    "SyntheticTruth",
    "synthetic_run",
    "write_synthetic_run",
]

_EARTH_RADIUS_M = 6_371_008.8
_SEMICIRCLES_PER_DEG = 2**31 / 180.0
_LOOP_SEMI_AXES_M = (450.0, 250.0)  # east, north: an oval of ~2.27 km
_STOP_SPEED_M_S = 1.5  # the runner slows to this before stopping the watch
_STOP_RAMP_S = 5


@dataclass(frozen=True)
class SyntheticRunSpec:
    """What to simulate. Durations are whole seconds of timer time.

    The runner's own lines: cadence ``cadence_intercept_spm + cadence_slope_spm_per_m_s
    * speed`` (steps/min), ground contact ``contact_intercept_ms + contact_slope_ms_per_m_s
    * speed`` (ms), vertical oscillation ``oscillation_intercept_mm +
    oscillation_slope_mm_per_m_s * speed`` (mm). Heart rate follows ``hr_intercept_bpm +
    hr_slope_bpm_per_m_s * speed + hr_drift_bpm_per_min * minutes`` with a first-order
    lag of ``hr_tau_s`` seconds, and relaxes towards ``hr_standing_bpm`` in the pause.
    ``noise=False`` gives the exact lines (then quantised); ``seed`` drives a
    :class:`numpy.random.Generator`, so the same spec always gives the same bytes.
    Energy is ``energy_kcal_per_kg_km * mass_kg`` per km, rounded per lap.
    """

    start_utc: datetime = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    timezone_offset_min: int = 60
    warmup_s: int = 600
    interval_count: int = 4
    interval_s: int = 240
    recovery_s: int = 120
    cooldown_s: int = 480
    warmup_speed_m_s: float = 2.8
    interval_speed_m_s: float = 4.0
    recovery_speed_m_s: float = 2.6
    cooldown_speed_m_s: float = 2.7
    pause_at_timer_s: int = 1260
    pause_s: int = 90
    mass_kg: float = 70.0
    energy_kcal_per_kg_km: float = 1.0
    seed: int = 0
    noise: bool = True
    cadence_intercept_spm: float = 128.0
    cadence_slope_spm_per_m_s: float = 10.0
    contact_intercept_ms: float = 330.0
    contact_slope_ms_per_m_s: float = -30.0
    oscillation_intercept_mm: float = 70.0
    oscillation_slope_mm_per_m_s: float = 5.0
    stance_balance_left_pct: float = 49.6
    hr_start_bpm: float = 88.0
    hr_intercept_bpm: float = 62.0
    hr_slope_bpm_per_m_s: float = 26.0
    hr_drift_bpm_per_min: float = 0.1
    hr_tau_s: float = 30.0
    hr_standing_bpm: float = 100.0
    speed_tau_s: float = 4.0
    loop_center_lat_deg: float = 52.5145
    loop_center_lon_deg: float = 13.3501
    sub_sport: Literal["generic", "road"] = "road"

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None:
            raise InputError("SyntheticRunSpec.start_utc must be timezone-aware (UTC)")
        for name in ("warmup_s", "interval_s", "recovery_s", "cooldown_s", "pause_s"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise InputError(f"{name} must be a positive whole number of seconds, got {value!r}")
        if self.interval_count < 0:
            raise InputError(f"interval_count must be >= 0, got {self.interval_count}")
        speeds = (self.warmup_speed_m_s, self.interval_speed_m_s, self.recovery_speed_m_s,
                  self.cooldown_speed_m_s)
        if min(speeds) <= 0 or max(speeds) > 10:
            raise InputError(f"segment speeds must be in (0, 10] m/s, got {speeds}")
        if self.mass_kg <= 0 or self.hr_tau_s <= 0 or self.speed_tau_s <= 0:
            raise InputError("mass_kg, hr_tau_s and speed_tau_s must be positive")
        bounds = self.lap_bounds_s()
        if not 0 < self.pause_at_timer_s < bounds[-1] or self.pause_at_timer_s in bounds:
            raise InputError(
                f"pause_at_timer_s must lie strictly inside a lap (0 < t < {bounds[-1]}, not on"
                f" a lap boundary {bounds}), got {self.pause_at_timer_s}"
            )

    def steps(self) -> tuple[tuple[str, int, float], ...]:
        """The workout steps as ``(intensity, duration_s, speed_m_s)``, one lap each."""
        work = [("active", self.interval_s, self.interval_speed_m_s),
                ("recovery", self.recovery_s, self.recovery_speed_m_s)] * self.interval_count
        return (("warmup", self.warmup_s, self.warmup_speed_m_s), *work,
                ("cooldown", self.cooldown_s, self.cooldown_speed_m_s))

    def lap_bounds_s(self) -> tuple[int, ...]:
        """Timer time at which each lap starts, plus the end (s)."""
        return (0, *np.cumsum([s[1] for s in self.steps()]).tolist())


@dataclass(frozen=True)
class SyntheticLapTruth:
    """One lap as stored. Times in s, distance in m, cadence in steps/min."""

    start_utc: datetime
    intensity: str
    first_record: int
    n_records: int
    elapsed_time_s: float
    timer_time_s: float
    distance_m: float
    avg_speed_m_s: float
    max_speed_m_s: float
    avg_hr_bpm: int
    max_hr_bpm: int
    avg_cadence_spm: float
    energy_kcal: int


@dataclass(frozen=True)
class SyntheticTruth:
    """The exact values the file was built from (as stored; see the module docstring).

    Per-record arrays (read-only ``float64``, one value per record) use the canonical
    column names of :mod:`stridelab.watch.model`; ``timer_s`` is the timer time of each
    record (it repeats once, at the pause).
    """

    start_utc: datetime
    timezone_offset_min: int
    distance_m: float
    timer_time_s: float
    elapsed_time_s: float
    n_records: int
    n_laps: int
    pause_count: int
    pause_s: float
    pause_start_utc: datetime
    avg_speed_m_s: float
    max_speed_m_s: float
    avg_hr_bpm: int
    max_hr_bpm: int
    avg_cadence_spm: float
    avg_ground_contact_ms: float
    avg_vertical_oscillation_mm: float
    avg_step_length_mm: float
    avg_vertical_ratio_pct: float
    avg_stance_balance_left_pct: float
    energy_kcal: int
    cadence_intercept_spm: float
    cadence_slope_spm_per_m_s: float
    laps: tuple[SyntheticLapTruth, ...]
    timestamp_s: np.ndarray = field(repr=False)
    timer_s: np.ndarray = field(repr=False)
    distance_m_series: np.ndarray = field(repr=False)
    speed_m_s: np.ndarray = field(repr=False)
    cadence_spm: np.ndarray = field(repr=False)
    heart_rate_bpm: np.ndarray = field(repr=False)
    ground_contact_ms: np.ndarray = field(repr=False)
    vertical_oscillation_mm: np.ndarray = field(repr=False)
    stance_balance_left_pct: np.ndarray = field(repr=False)
    step_length_mm: np.ndarray = field(repr=False)
    vertical_ratio_pct: np.ndarray = field(repr=False)
    altitude_m: np.ndarray = field(repr=False)
    latitude_deg: np.ndarray = field(repr=False)
    longitude_deg: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class SyntheticRun:
    """A synthetic run: the FIT file's bytes and the truth it was built from."""

    fit_bytes: bytes
    truth: SyntheticTruth
    spec: SyntheticRunSpec


def _rnd(x: Any) -> np.ndarray:
    """Round half up to int64."""
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5).astype(np.int64)


def _ar1(rng: np.random.Generator, n: int, sd: float, phi: float) -> np.ndarray:
    """A stationary AR(1) series with standard deviation ``sd``."""
    e = rng.normal(0.0, sd * math.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + e[i]
    return out


def _check_range(name: str, raw: np.ndarray, lo: int, hi: int) -> None:
    # The encoder wraps out-of-range integers silently (value & mask): refuse instead.
    if raw.min() < lo or raw.max() > hi:
        raise InputError(
            f"synthetic {name} leaves the FIT range [{lo}, {hi}] (raw {raw.min()}..{raw.max()});"
            " choose less extreme runner parameters"
        )


def _simulate(spec: SyntheticRunSpec) -> dict[str, np.ndarray]:
    """Raw (integer, as stored) record columns plus the timer/elapsed axes."""
    rng = np.random.default_rng(spec.seed)
    k = 1.0 if spec.noise else 0.0
    bounds = np.asarray(spec.lap_bounds_s())
    total, p = int(bounds[-1]), spec.pause_at_timer_s
    timer = np.concatenate([np.arange(0, p + 1), np.arange(p, total + 1)])
    elapsed = np.concatenate([np.arange(0, p + 1), np.arange(p, total + 1) + spec.pause_s])
    n = len(timer)
    stop_i = p  # index of the last record before the pause

    step_speed = np.array([s[2] for s in spec.steps()])
    target = step_speed[np.searchsorted(bounds[1:-1], timer, side="right")]
    target[stop_i - _STOP_RAMP_S : stop_i + 1] = _STOP_SPEED_M_S
    alpha = 1.0 - np.exp(-np.diff(timer, prepend=0) / spec.speed_tau_s)
    v = np.empty(n)
    v[0] = _STOP_SPEED_M_S
    for i in range(1, n):
        v[i] = v[i - 1] + alpha[i] * (target[i] - v[i - 1])
    v = np.maximum(v + k * _ar1(rng, n, 0.06, 0.9), 0.5)
    speed = _rnd(v * 1000)  # mm/s
    speed_m_s = speed / 1000.0

    # Distance: trapezoid of stored speed over timer time, in half-millimetres, then cm.
    half_mm = np.concatenate([[0], np.cumsum(np.diff(timer) * (speed[1:] + speed[:-1]))])
    distance = (half_mm + 10) // 20  # cm

    spm = (spec.cadence_intercept_spm + spec.cadence_slope_spm_per_m_s * speed_m_s
           + k * rng.normal(0.0, 1.5, n))
    cad128 = _rnd(spm / 2 * 128)  # 1/128 strides per minute
    cadence_spm = cad128 / 64.0

    gct = _rnd(10 * (spec.contact_intercept_ms + spec.contact_slope_ms_per_m_s * speed_m_s
                     + k * rng.normal(0.0, 3.0, n)))
    vo = _rnd(10 * (spec.oscillation_intercept_mm + spec.oscillation_slope_mm_per_m_s * speed_m_s
                    + k * rng.normal(0.0, 1.5, n)))
    balance = _rnd(100 * (spec.stance_balance_left_pct + k * rng.normal(0.0, 0.4, n)))
    step = _rnd(10 * 1000 * speed_m_s / (cadence_spm / 60.0))  # 0.1 mm
    ratio = _rnd(100 * (vo / 10.0) / (step / 10.0) * 100)  # 0.01 %

    # Heart rate on the clock (elapsed) axis, so it keeps relaxing during the pause.
    n_el = int(elapsed[-1]) + 1
    load = np.full(n_el, np.nan)
    load[elapsed] = speed_m_s
    hr_target = np.where(
        np.isnan(load),
        spec.hr_standing_bpm,
        spec.hr_intercept_bpm + spec.hr_slope_bpm_per_m_s * np.nan_to_num(load)
        + spec.hr_drift_bpm_per_min * np.arange(n_el) / 60.0,
    )
    a = 1.0 - math.exp(-1.0 / spec.hr_tau_s)
    hr_clock = np.empty(n_el)
    hr_clock[0] = spec.hr_start_bpm
    for i in range(1, n_el):
        hr_clock[i] = hr_clock[i - 1] + a * (hr_target[i] - hr_clock[i - 1])
    hr = _rnd(hr_clock[elapsed] + k * _ar1(rng, n, 1.2, 0.8))

    lat, lon, alt = _loop_position(spec, distance / 100.0, k * _ar1(rng, 2 * n, 1.0, 0.95))

    for name, raw, hi in (("heart rate", hr, 254), ("cadence", cad128 // 128, 254),
                          ("speed", speed, 65534), ("stance time", gct, 65534),
                          ("vertical oscillation", vo, 65534), ("step length", step, 65534),
                          ("vertical ratio", ratio, 65534), ("stance balance", balance, 65534)):
        _check_range(name, raw, 1, hi)
    return {"timer": timer, "elapsed": elapsed, "speed": speed, "distance": distance,
            "cad128": cad128, "hr": hr, "gct": gct, "vo": vo, "balance": balance,
            "step": step, "ratio": ratio, "lat": lat, "lon": lon, "alt": alt}


def _loop_position(
    spec: SyntheticRunSpec, distance_m: np.ndarray, jitter_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Semicircles (lat, long) and raw enhanced altitude along an oval park loop."""
    ax, ay = _LOOP_SEMI_AXES_M
    theta = np.linspace(0.0, 2 * np.pi, 4097)
    x, y = ax * np.cos(theta), ay * np.sin(theta)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    s = np.mod(distance_m, arc[-1])
    n = len(distance_m)
    east = np.interp(s, arc, x) + jitter_m[:n]
    north = np.interp(s, arc, y) + jitter_m[n:]
    lat0 = math.radians(spec.loop_center_lat_deg)
    lat_deg = spec.loop_center_lat_deg + np.degrees(north / _EARTH_RADIUS_M)
    lon_deg = spec.loop_center_lon_deg + np.degrees(east / (_EARTH_RADIUS_M * math.cos(lat0)))
    phase = 2 * np.pi * s / arc[-1]
    alt_m = 34.0 + 3.0 * np.sin(phase) + 1.5 * np.sin(2 * phase + 1.0)
    return (_rnd(lat_deg * _SEMICIRCLES_PER_DEG), _rnd(lon_deg * _SEMICIRCLES_PER_DEG),
            _rnd((alt_m + 500.0) * 5))


def _mean_raw(raw: np.ndarray) -> int:
    return int(_rnd(raw.mean()))


def _cad_fields(cad128: int) -> dict[str, float]:
    return {"strides": cad128 // 128, "fraction": (cad128 % 128) / 128.0}


def _summaries(spec: SyntheticRunSpec, raw: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """Per-lap then whole-session summaries (raw ints) from the record arrays."""
    bounds = spec.lap_bounds_s()
    timer, elapsed, n = raw["timer"], raw["elapsed"], len(raw["timer"])
    firsts = [int(np.argmax(timer >= b)) for b in bounds[:-1]] + [n - 1]
    kcal_per_cm = spec.energy_kcal_per_kg_km * spec.mass_kg / 100_000.0
    out = []
    spans = [(firsts[j], firsts[j + 1], bounds[j], bounds[j + 1]) for j in range(len(bounds) - 1)]
    spans.append((0, n - 1, 0, bounds[-1]))  # the session
    for j, (i0, i1, t0, t1) in enumerate(spans):
        sel = slice(i0, i1 + 1 if i1 == n - 1 else i1)
        dist_cm = int(raw["distance"][i1] - raw["distance"][i0])
        out.append({
            "i0": i0, "n": len(raw["timer"][sel]), "elapsed_s": int(elapsed[i1] - elapsed[i0]),
            "timer_s": int(t1 - t0), "distance_cm": dist_cm,
            "avg_speed": int(_rnd(dist_cm * 10 / (t1 - t0))), "max_speed": int(raw["speed"][sel].max()),
            "avg_hr": _mean_raw(raw["hr"][sel]), "max_hr": int(raw["hr"][sel].max()),
            "cad128": _mean_raw(raw["cad128"][sel]), "max_cad128": int(raw["cad128"][sel].max()),
            "gct": _mean_raw(raw["gct"][sel]), "vo": _mean_raw(raw["vo"][sel]),
            "balance": _mean_raw(raw["balance"][sel]), "step": _mean_raw(raw["step"][sel]),
            "ratio": _mean_raw(raw["ratio"][sel]),
            "kcal": int(_rnd(dist_cm * kcal_per_cm)) if j < len(spans) - 1 else None,
        })
    out[-1]["kcal"] = sum(s["kcal"] for s in out[:-1])
    return out


def _mesg(name: str, **fields: Any) -> dict[str, Any]:
    """A message dict for :class:`garmin_fit_sdk.Encoder`, with field names checked.

    The encoder silently drops names it does not know (typos, and sub-field names such
    as ``avg_running_cadence`` or ``timer_trigger``): only main field names are accepted.
    """
    num = Profile["mesg_num"][name.upper()]
    known = {f["name"] for f in Profile["messages"][num]["fields"].values()}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValueError(f"FIT message {name!r} has no field(s) {unknown}")
    return {"mesg_num": num, **fields}


def _encode(spec: SyntheticRunSpec, raw: dict[str, np.ndarray], summ: list[dict[str, Any]]) -> bytes:
    """Write the FIT file. Values are passed decoded (the encoder re-applies scale/offset)."""
    t0 = spec.start_utc.astimezone(UTC)
    at = [t0 + timedelta(seconds=int(e)) for e in raw["elapsed"]]
    cols = {k: v.tolist() for k, v in raw.items()}  # Python ints: the encoder rejects np.int64
    device = {"manufacturer": "development", "product": 1, "serial_number": 1_234_567_890}
    enc = Encoder()
    enc.write_mesg(_mesg("file_id", type="activity", time_created=t0, product_name="stridelab synthetic", **device))
    enc.write_mesg(_mesg("device_info", timestamp=t0, device_index="creator", software_version=1.0,
                         product_name="stridelab synthetic", **device))
    enc.write_mesg(_mesg("event", timestamp=t0, event="timer", event_type="start", data=0, event_group=0))
    stop_i = spec.pause_at_timer_s
    lap_ends = {s["i0"] + s["n"]: k for k, s in enumerate(summ[:-1])}
    sport = {"sport": "running", "sub_sport": spec.sub_sport}

    def lap_or_session(s: dict[str, Any], end: datetime) -> dict[str, Any]:
        cad = _cad_fields(s["cad128"])
        return dict(
            timestamp=end, start_time=at[s["i0"]], total_elapsed_time=float(s["elapsed_s"]),
            total_timer_time=float(s["timer_s"]), total_distance=s["distance_cm"] / 100,
            total_calories=s["kcal"], avg_speed=s["avg_speed"] / 1000,
            enhanced_avg_speed=s["avg_speed"] / 1000, max_speed=s["max_speed"] / 1000,
            enhanced_max_speed=s["max_speed"] / 1000, avg_heart_rate=s["avg_hr"],
            max_heart_rate=s["max_hr"], avg_cadence=cad["strides"],
            avg_fractional_cadence=cad["fraction"], max_cadence=s["max_cad128"] // 128,
            avg_stance_time=s["gct"] / 10, avg_vertical_oscillation=s["vo"] / 10,
            avg_stance_time_balance=s["balance"] / 100, avg_step_length=s["step"] / 10,
            avg_vertical_ratio=s["ratio"] / 100, start_position_lat=cols["lat"][s["i0"]],
            start_position_long=cols["lon"][s["i0"]], **sport,
        )

    def write_lap(k: int, end: datetime, trigger: str) -> None:
        enc.write_mesg(_mesg("lap", message_index=k, event="lap", event_type="stop",
                             lap_trigger=trigger, intensity=spec.steps()[k][0],
                             **lap_or_session(summ[k], end)))

    for i, when in enumerate(at):
        if i in lap_ends:
            write_lap(lap_ends[i], when, "manual")
        if i == stop_i + 1:
            enc.write_mesg(_mesg("event", timestamp=when, event="timer", event_type="start",
                                 data=0, event_group=0))
        c = cols["cad128"][i]
        enc.write_mesg(_mesg(
            "record", timestamp=when, position_lat=cols["lat"][i], position_long=cols["lon"][i],
            distance=cols["distance"][i] / 100, speed=cols["speed"][i] / 1000,
            enhanced_speed=cols["speed"][i] / 1000, enhanced_altitude=cols["alt"][i] / 5 - 500,
            heart_rate=cols["hr"][i], cadence=c // 128, fractional_cadence=(c % 128) / 128,
            stance_time=cols["gct"][i] / 10, vertical_oscillation=cols["vo"][i] / 10,
            stance_time_balance=cols["balance"][i] / 100, step_length=cols["step"][i] / 10,
            vertical_ratio=cols["ratio"][i] / 100, activity_type="running",
        ))
        if i in (stop_i, len(at) - 1):
            enc.write_mesg(_mesg("event", timestamp=when, event="timer", event_type="stop_all",
                                 data=0, event_group=0))
    end = at[-1]
    write_lap(len(summ) - 2, end, "session_end")
    enc.write_mesg(_mesg("session", message_index=0, event="session", event_type="stop",
                         trigger="activity_end", first_lap_index=0, num_laps=len(summ) - 1,
                         **lap_or_session(summ[-1], end)))
    enc.write_mesg(_mesg("activity", timestamp=end, total_timer_time=float(summ[-1]["timer_s"]),
                         num_sessions=1, type="manual", event="activity", event_type="stop",
                         local_timestamp=_fit_seconds(end) + 60 * spec.timezone_offset_min))
    return enc.close()


def _fit_seconds(when: datetime) -> int:
    return int(when.timestamp()) - 631_065_600  # FIT epoch 1989-12-31T00:00:00Z


#: Truth array -> (raw column, scale, offset); value = raw / scale - offset, as decoders compute.
_STORED: dict[str, tuple[str, float, float]] = {
    "timer_s": ("timer", 1, 0), "distance_m_series": ("distance", 100, 0),
    "speed_m_s": ("speed", 1000, 0), "cadence_spm": ("cad128", 64, 0),
    "heart_rate_bpm": ("hr", 1, 0), "ground_contact_ms": ("gct", 10, 0),
    "vertical_oscillation_mm": ("vo", 10, 0), "stance_balance_left_pct": ("balance", 100, 0),
    "step_length_mm": ("step", 10, 0), "vertical_ratio_pct": ("ratio", 100, 0),
    "altitude_m": ("alt", 5, 500), "latitude_deg": ("lat", _SEMICIRCLES_PER_DEG, 0),
    "longitude_deg": ("lon", _SEMICIRCLES_PER_DEG, 0),
}


def _freeze(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def _truth(
    spec: SyntheticRunSpec, raw: dict[str, np.ndarray], summ: list[dict[str, Any]]
) -> SyntheticTruth:
    t0 = spec.start_utc.astimezone(UTC)
    laps = tuple(
        SyntheticLapTruth(
            start_utc=t0 + timedelta(seconds=int(raw["elapsed"][s["i0"]])),
            intensity=spec.steps()[k][0], first_record=s["i0"], n_records=s["n"],
            elapsed_time_s=float(s["elapsed_s"]), timer_time_s=float(s["timer_s"]),
            distance_m=s["distance_cm"] / 100, avg_speed_m_s=s["avg_speed"] / 1000,
            max_speed_m_s=s["max_speed"] / 1000, avg_hr_bpm=s["avg_hr"], max_hr_bpm=s["max_hr"],
            avg_cadence_spm=s["cad128"] / 64, energy_kcal=s["kcal"],
        )
        for k, s in enumerate(summ[:-1])
    )
    s = summ[-1]
    return SyntheticTruth(
        start_utc=t0, timezone_offset_min=spec.timezone_offset_min,
        distance_m=s["distance_cm"] / 100, timer_time_s=float(s["timer_s"]),
        elapsed_time_s=float(s["elapsed_s"]), n_records=len(raw["timer"]), n_laps=len(laps),
        pause_count=1, pause_s=float(spec.pause_s),
        pause_start_utc=t0 + timedelta(seconds=spec.pause_at_timer_s),
        avg_speed_m_s=s["avg_speed"] / 1000, max_speed_m_s=s["max_speed"] / 1000,
        avg_hr_bpm=s["avg_hr"], max_hr_bpm=s["max_hr"], avg_cadence_spm=s["cad128"] / 64,
        avg_ground_contact_ms=s["gct"] / 10, avg_vertical_oscillation_mm=s["vo"] / 10,
        avg_step_length_mm=s["step"] / 10, avg_vertical_ratio_pct=s["ratio"] / 100,
        avg_stance_balance_left_pct=s["balance"] / 100, energy_kcal=s["kcal"],
        cadence_intercept_spm=spec.cadence_intercept_spm,
        cadence_slope_spm_per_m_s=spec.cadence_slope_spm_per_m_s, laps=laps,
        timestamp_s=_freeze(t0.timestamp() + raw["elapsed"]),
        **{name: _freeze(raw[key] / scale - offset) for name, (key, scale, offset) in _STORED.items()},
    )


def synthetic_run(spec: SyntheticRunSpec | None = None) -> SyntheticRun:
    """Simulate a run and encode it as a FIT activity file (in memory).

    Parameters
    ----------
    spec : SyntheticRunSpec, optional
        What to simulate; the defaults give a ~42 min interval session (~8 km).

    Returns
    -------
    SyntheticRun
        ``fit_bytes`` (a complete FIT file, CRC included) and ``truth``, the values
        as stored in the file. Same spec (same ``seed``) → identical bytes.

    Raises
    ------
    InputError
        If the spec is inconsistent or drives a field out of its FIT range.
    """
    spec = SyntheticRunSpec() if spec is None else spec
    raw = _simulate(spec)
    summ = _summaries(spec, raw)
    return SyntheticRun(_encode(spec, raw, summ), _truth(spec, raw, summ), spec)


def write_synthetic_run(path: Path, spec: SyntheticRunSpec | None = None) -> SyntheticRun:
    """Like :func:`synthetic_run`, and write the bytes to ``path`` (parents must exist)."""
    run = synthetic_run(spec)
    Path(path).write_bytes(run.fit_bytes)
    return run
