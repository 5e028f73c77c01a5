"""A synthetic interval run, written as a real FIT activity file with Garmin's encoder.

The session (defaults): 10 min easy warm-up, 4 × (4 min fast, 2 min easy), 8 min
cool-down = 42 min of timer time (~8 km), with one 90 s pause (timer ``stop_all``, then
``start``) in the middle of the second recovery. One lap per workout step (10 laps).

Records are written at 1 Hz of *timer* time: one at every timer second from 0 to the
end, and two at the pause (the last before ``stop_all`` and the first after ``start``,
``pause_s`` apart on the clock, same timer second). No record falls inside the pause,
so elapsed time exceeds timer time by exactly ``pause_s``.

Quantisation. Every value in :class:`SyntheticTruth` is the value *as stored*, i.e.
``raw / scale - offset`` exactly as a decoder computes it (rounding is half up):

======================= ====================================== ======================
quantity                FIT record field(s)                    resolution
======================= ====================================== ======================
speed                   ``speed``, ``enhanced_speed``          0.001 m/s
distance                ``distance``                           0.01 m
heart rate              ``heart_rate``                         1 bpm
cadence                 ``cadence`` + ``fractional_cadence``   1/128 stride = 1/64 spm
ground contact          ``stance_time``                        0.1 ms
vertical oscillation    ``vertical_oscillation``               0.1 mm
step length             ``step_length``                        0.1 mm
vertical ratio          ``vertical_ratio``                     0.01 %
stance balance (left)   ``stance_time_balance``                0.01 %
altitude                ``enhanced_altitude``                  0.2 m
position                ``position_lat``, ``position_long``    1 semicircle
======================= ====================================== ======================

FIT stores cadence in *strides* (one foot) per minute; the truth is in *steps* per
minute, ``cadence_spm = 2 * (cadence + fractional_cadence)``. Distance is the
trapezoidal integral of the stored speed over timer time (nothing accrues in the
pause). Step length derives from the stored speed and cadence, vertical ratio from the
stored oscillation and step length. Lap and session averages are plain means of the
stored record values (a lap owns its records from its first timer second up to, not
including, the next lap's first; the last lap keeps the final record), quantised like
the field they go to; average speed is distance / timer time.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
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
_FIT_EPOCH_S = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds
_LOOP_SEMI_AXES_M = (450.0, 250.0)  # east, north: an oval park loop of ~2.27 km
_STOP_SPEED_M_S = 1.5  # the runner slows to this before stopping the watch ...
_STOP_RAMP_S = 5  # ... over the last seconds before the pause
#: Largest value each unsigned record field can hold (the next raw value means "invalid").
_STORABLE_MAX = {
    "heart_rate_bpm": 254,
    "cadence_spm": 509,  # 254 strides/min + 127/128
    "ground_contact_ms": 6553.4,
    "vertical_oscillation_mm": 6553.4,
    "step_length_mm": 6553.4,
    "vertical_ratio_pct": 655.34,
    "stance_balance_left_pct": 655.34,
}


@dataclass(frozen=True)
class SyntheticRunSpec:
    """What to simulate. Durations are whole seconds of timer time.

    The runner's own lines (speed in m/s): cadence ``cadence_intercept_spm +
    cadence_slope_spm_per_m_s * speed`` (steps/min), ground contact
    ``contact_intercept_ms + contact_slope_ms_per_m_s * speed`` (ms), vertical
    oscillation ``oscillation_intercept_mm + oscillation_slope_mm_per_m_s * speed`` (mm).
    Speed follows the step targets with a first-order lag of ``speed_tau_s``; heart rate
    follows ``hr_intercept_bpm + hr_slope_bpm_per_m_s * speed + hr_drift_bpm_per_min *
    minutes`` with a lag of ``hr_tau_s`` on the clock, relaxing towards
    ``hr_standing_bpm`` during the pause. ``noise=False`` gives the exact lines (then
    quantised); ``seed`` drives a :class:`numpy.random.Generator`, so a spec always
    gives the same bytes. Energy is ``energy_kcal_per_kg_km * mass_kg`` kcal per km,
    rounded per lap. The loop is centred on ``loop_center_lat_deg/lon_deg`` (degrees).
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
    speed_tau_s: float = 4.0
    hr_start_bpm: float = 88.0
    hr_intercept_bpm: float = 62.0
    hr_slope_bpm_per_m_s: float = 26.0
    hr_drift_bpm_per_min: float = 0.1
    hr_tau_s: float = 30.0
    hr_standing_bpm: float = 100.0
    loop_center_lat_deg: float = 52.5145
    loop_center_lon_deg: float = 13.3501
    sub_sport: Literal["generic", "road"] = "road"

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None or self.start_utc.microsecond:
            raise InputError(
                f"start_utc must be timezone-aware and on a whole second, got {self.start_utc!r}"
            )
        for name in ("warmup_s", "interval_s", "recovery_s", "cooldown_s", "pause_s"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise InputError(f"{name} must be a positive whole number of s, got {value!r}")
        if self.interval_count < 0:
            raise InputError(f"interval_count must be >= 0, got {self.interval_count}")
        speeds = [step[2] for step in self.steps()]
        if min(speeds) <= 0 or max(speeds) > 10:
            raise InputError(f"step speeds must be in (0, 10] m/s, got {speeds}")
        if min(self.mass_kg, self.hr_tau_s, self.speed_tau_s) <= 0:
            raise InputError("mass_kg, hr_tau_s and speed_tau_s must be positive")
        bounds = self.lap_bounds_s()
        if not 0 < self.pause_at_timer_s < bounds[-1] or self.pause_at_timer_s in bounds:
            raise InputError(
                f"pause_at_timer_s must lie strictly inside a lap (0 < t < {bounds[-1]}, "
                f"not on a lap boundary {bounds}), got {self.pause_at_timer_s}"
            )

    def steps(self) -> tuple[tuple[str, int, float], ...]:
        """The workout steps, one lap each: ``(intensity, duration_s, speed_m_s)``."""
        work = [
            ("active", self.interval_s, self.interval_speed_m_s),
            ("recovery", self.recovery_s, self.recovery_speed_m_s),
        ] * self.interval_count
        return (
            ("warmup", self.warmup_s, self.warmup_speed_m_s),
            *work,
            ("cooldown", self.cooldown_s, self.cooldown_speed_m_s),
        )

    def lap_bounds_s(self) -> tuple[int, ...]:
        """Timer time at which each lap starts, then the end of the run (s)."""
        return (0, *np.cumsum([step[1] for step in self.steps()]).tolist())


@dataclass(frozen=True)
class _Totals:
    """Totals and averages over a stretch of records, as stored.

    Units are in the names (s, m, bpm, steps/min, ms, mm, %, kcal). Averages are taken
    over records ``first_record`` to ``first_record + n_records - 1``.
    """

    start_utc: datetime
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
    max_cadence_spm: float
    avg_ground_contact_ms: float
    avg_vertical_oscillation_mm: float
    avg_step_length_mm: float
    avg_vertical_ratio_pct: float
    avg_stance_balance_left_pct: float
    energy_kcal: int


@dataclass(frozen=True)
class SyntheticLapTruth(_Totals):
    """One lap as stored.

    Its totals (``distance_m``, ``timer_time_s``, ``avg_hr_bpm``, ...) and the
    ``intensity`` of its workout step (``warmup``, ``active``, ``recovery``, ``cooldown``).
    """

    intensity: str


@dataclass(frozen=True)
class SyntheticTruth(_Totals):
    """The exact values the file was built from (as stored; see the module docstring).

    The inherited totals are the session's (``distance_m``, ``timer_time_s``,
    ``elapsed_time_s``, ``avg_hr_bpm``, ``avg_cadence_spm``, ...). Per-record arrays are
    read-only ``float64`` with the canonical names of :mod:`stridelab.watch.model`,
    except ``distance_m_series`` (cumulative distance, m; ``distance_m`` is the total)
    and ``timer_s`` (timer time of each record, s; it repeats once, at the pause).
    """

    timezone_offset_min: int
    n_laps: int
    pause_count: int
    pause_s: float
    pause_start_utc: datetime
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
    """A synthetic run: the FIT file's bytes, the truth it was built from, the spec."""

    fit_bytes: bytes
    truth: SyntheticTruth
    spec: SyntheticRunSpec


def _rnd(x: Any) -> np.ndarray:
    """Round half up, to int64."""
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5).astype(np.int64)


def _q(x: Any, scale: float, offset: float = 0.0) -> np.ndarray:
    """``x`` as FIT stores it: ``round((x + offset) * scale) / scale - offset``."""
    return _rnd((np.asarray(x) + offset) * scale) / scale - offset


def _ar1(rng: np.random.Generator, n: int, sd: float, phi: float) -> np.ndarray:
    """A stationary AR(1) series with standard deviation ``sd``."""
    e = rng.normal(0.0, sd * math.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + e[i]
    return out


def _lag(x0: float, target: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """First-order response: ``y[i] = y[i-1] + alpha[i] * (target[i] - y[i-1])``."""
    y = np.empty(len(target))
    y[0] = x0
    for i in range(1, len(target)):
        y[i] = y[i - 1] + alpha[i] * (target[i] - y[i - 1])
    return y


def _simulate(spec: SyntheticRunSpec) -> dict[str, np.ndarray]:
    """The per-record truth arrays, as stored (see the module docstring)."""
    rng = np.random.default_rng(spec.seed)
    k = 1.0 if spec.noise else 0.0
    bounds = np.asarray(spec.lap_bounds_s())
    end, p = int(bounds[-1]), spec.pause_at_timer_s
    timer = np.concatenate([np.arange(0, p + 1), np.arange(p, end + 1)])
    clock = np.concatenate([np.arange(0, p + 1), np.arange(p, end + 1) + spec.pause_s])
    n = len(timer)

    target = np.array([s[2] for s in spec.steps()])[np.searchsorted(bounds[1:-1], timer, "right")]
    target[p - _STOP_RAMP_S : p + 1] = _STOP_SPEED_M_S  # record p is the last before the pause
    alpha = 1.0 - np.exp(-np.diff(timer, prepend=0) / spec.speed_tau_s)
    v = _lag(_STOP_SPEED_M_S, target, alpha) + k * _ar1(rng, n, 0.06, 0.9)
    speed_mm_s = _rnd(np.maximum(v, 0.5) * 1000)
    speed = speed_mm_s / 1000.0
    # Trapezoid of the stored speed over timer time, in half-millimetres, then to cm.
    half_mm = np.cumsum(np.diff(timer, prepend=0) * (speed_mm_s + np.r_[0, speed_mm_s[:-1]]))
    distance = ((half_mm + 10) // 20) / 100.0

    line = spec.cadence_intercept_spm + spec.cadence_slope_spm_per_m_s * speed
    cadence = _q(line + k * rng.normal(0.0, 1.5, n), 64)
    line = spec.contact_intercept_ms + spec.contact_slope_ms_per_m_s * speed
    contact = _q(line + k * rng.normal(0.0, 3.0, n), 10)
    line = spec.oscillation_intercept_mm + spec.oscillation_slope_mm_per_m_s * speed
    oscillation = _q(line + k * rng.normal(0.0, 1.5, n), 10)
    balance = _q(spec.stance_balance_left_pct + k * rng.normal(0.0, 0.4, n), 100)
    step = _q(1000 * speed / (cadence / 60.0), 10)

    # Heart rate runs on the clock, so it keeps relaxing during the pause.
    minutes = np.arange(clock[-1] + 1) / 60.0
    hr_target = np.full(len(minutes), spec.hr_standing_bpm)
    hr_target[clock] = (
        spec.hr_intercept_bpm
        + spec.hr_slope_bpm_per_m_s * speed
        + spec.hr_drift_bpm_per_min * minutes[clock]
    )
    hr_alpha = np.full(len(minutes), 1.0 - math.exp(-1.0 / spec.hr_tau_s))
    hr = _lag(spec.hr_start_bpm, hr_target, hr_alpha)[clock] + k * _ar1(rng, n, 1.2, 0.8)

    arrays = {
        "timestamp_s": spec.start_utc.timestamp() + clock.astype(np.float64),
        "timer_s": timer.astype(np.float64),
        "distance_m_series": distance,
        "speed_m_s": speed,
        "cadence_spm": cadence,
        "heart_rate_bpm": _q(hr, 1),
        "ground_contact_ms": contact,
        "vertical_oscillation_mm": oscillation,
        "stance_balance_left_pct": balance,
        "step_length_mm": step,
        "vertical_ratio_pct": _q(100 * oscillation / step, 100),
    }
    arrays.update(_loop_position(spec, distance, k * _ar1(rng, 2 * n, 1.0, 0.95)))
    # The encoder wraps out-of-range integers silently (value & mask): refuse instead.
    for name, hi in _STORABLE_MAX.items():
        if not 0 < arrays[name].min() <= arrays[name].max() <= hi:
            raise InputError(
                f"synthetic {name} spans {arrays[name].min()}..{arrays[name].max()}, outside"
                f" what FIT can store (0, {hi}]; choose less extreme runner parameters"
            )
    return arrays


def _loop_position(
    spec: SyntheticRunSpec, distance_m: np.ndarray, jitter_m: np.ndarray
) -> dict[str, np.ndarray]:
    """Latitude, longitude (deg) and altitude (m) along an oval loop, as stored."""
    theta = np.linspace(0.0, 2 * np.pi, 4097)
    x, y = _LOOP_SEMI_AXES_M[0] * np.cos(theta), _LOOP_SEMI_AXES_M[1] * np.sin(theta)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    s, n = np.mod(distance_m, arc[-1]), len(distance_m)
    east = np.interp(s, arc, x) + jitter_m[:n]
    north = np.interp(s, arc, y) + jitter_m[n:]
    cos_lat = math.cos(math.radians(spec.loop_center_lat_deg))
    lat = spec.loop_center_lat_deg + np.degrees(north / _EARTH_RADIUS_M)
    lon = spec.loop_center_lon_deg + np.degrees(east / (_EARTH_RADIUS_M * cos_lat))
    phase = 2 * np.pi * s / arc[-1]
    return {
        "latitude_deg": _q(lat, _SEMICIRCLES_PER_DEG),
        "longitude_deg": _q(lon, _SEMICIRCLES_PER_DEG),
        "altitude_m": _q(34.0 + 3.0 * np.sin(phase) + 1.5 * np.sin(2 * phase + 1.0), 5, 500),
    }


def _summaries(
    spec: SyntheticRunSpec, a: dict[str, np.ndarray]
) -> tuple[list[SyntheticLapTruth], _Totals]:
    """The laps and the whole session, from the stored record arrays."""
    bounds, n = spec.lap_bounds_s(), len(a["timer_s"])
    firsts = [int(np.argmax(a["timer_s"] >= b)) for b in bounds[:-1]]
    kcal_per_m = spec.energy_kcal_per_kg_km * spec.mass_kg / 1000.0
    out = []
    for i0, i1 in [*zip(firsts, [*firsts[1:], n - 1], strict=True), (0, n - 1)]:
        sel = slice(i0, i1 + 1 if i1 == n - 1 else i1)
        timer_s = a["timer_s"][i1] - a["timer_s"][i0]
        distance_m = round(float(a["distance_m_series"][i1] - a["distance_m_series"][i0]), 2)
        mean = {name: float(a[name][sel].mean()) for name in a}
        out.append(
            _Totals(
                start_utc=datetime.fromtimestamp(a["timestamp_s"][i0], UTC),
                first_record=i0,
                n_records=len(a["timer_s"][sel]),
                elapsed_time_s=float(a["timestamp_s"][i1] - a["timestamp_s"][i0]),
                timer_time_s=float(timer_s),
                distance_m=distance_m,
                avg_speed_m_s=float(_q(distance_m / timer_s, 1000)),
                max_speed_m_s=float(a["speed_m_s"][sel].max()),
                avg_hr_bpm=int(_rnd(mean["heart_rate_bpm"])),
                max_hr_bpm=int(a["heart_rate_bpm"][sel].max()),
                avg_cadence_spm=float(_q(mean["cadence_spm"], 64)),
                max_cadence_spm=float(a["cadence_spm"][sel].max()),
                avg_ground_contact_ms=float(_q(mean["ground_contact_ms"], 10)),
                avg_vertical_oscillation_mm=float(_q(mean["vertical_oscillation_mm"], 10)),
                avg_step_length_mm=float(_q(mean["step_length_mm"], 10)),
                avg_vertical_ratio_pct=float(_q(mean["vertical_ratio_pct"], 100)),
                avg_stance_balance_left_pct=float(_q(mean["stance_balance_left_pct"], 100)),
                energy_kcal=int(_rnd(distance_m * kcal_per_m)),
            )
        )
    laps = [
        SyntheticLapTruth(**asdict(t), intensity=st[0])
        for t, st in zip(out[:-1], spec.steps(), strict=True)
    ]
    # Session energy is the sum of the (rounded) laps, as a device would total it.
    return laps, replace(out[-1], energy_kcal=sum(lap.energy_kcal for lap in laps))


def _mesg(name: str, **values: Any) -> dict[str, Any]:
    """A message for :class:`garmin_fit_sdk.Encoder`, field names checked.

    The encoder silently drops names it does not know (typos, and sub-field names such
    as ``avg_running_cadence`` or ``timer_trigger``): only main field names count.
    """
    num = Profile["mesg_num"][name.upper()]
    known = {f["name"] for f in Profile["messages"][num]["fields"].values()}
    if unknown := sorted(set(values) - known):
        raise ValueError(f"FIT message {name!r} has no field(s) {unknown}")
    return {"mesg_num": num, **values}


def _strides(spm: float) -> dict[str, float]:
    """Steps/min as FIT's integer strides/min plus a 1/128 fraction."""
    whole = math.floor(spm / 2)
    return {"whole": whole, "fraction": spm / 2 - whole}


def _summary_fields(s: _Totals, lat: float, lon: float, sub_sport: str) -> dict[str, Any]:
    cadence = _strides(s.avg_cadence_spm)
    return {
        "timestamp": s.start_utc + timedelta(seconds=s.elapsed_time_s),  # the end
        "start_time": s.start_utc,
        "total_elapsed_time": s.elapsed_time_s,
        "total_timer_time": s.timer_time_s,
        "total_distance": s.distance_m,
        "total_calories": s.energy_kcal,
        "avg_speed": s.avg_speed_m_s,
        "enhanced_avg_speed": s.avg_speed_m_s,
        "max_speed": s.max_speed_m_s,
        "enhanced_max_speed": s.max_speed_m_s,
        "avg_heart_rate": s.avg_hr_bpm,
        "max_heart_rate": s.max_hr_bpm,
        "avg_cadence": cadence["whole"],
        "avg_fractional_cadence": cadence["fraction"],
        "max_cadence": _strides(s.max_cadence_spm)["whole"],
        "avg_stance_time": s.avg_ground_contact_ms,
        "avg_vertical_oscillation": s.avg_vertical_oscillation_mm,
        "avg_step_length": s.avg_step_length_mm,
        "avg_vertical_ratio": s.avg_vertical_ratio_pct,
        "avg_stance_time_balance": s.avg_stance_balance_left_pct,
        "start_position_lat": round(lat * _SEMICIRCLES_PER_DEG),
        "start_position_long": round(lon * _SEMICIRCLES_PER_DEG),
        "sport": "running",
        "sub_sport": sub_sport,
        "event_type": "stop",
    }


#: FIT record field -> truth array; the encoder re-applies each field's scale and offset.
_RECORD_FIELDS = {
    "distance": "distance_m_series",
    "speed": "speed_m_s",
    "enhanced_speed": "speed_m_s",
    "enhanced_altitude": "altitude_m",
    "heart_rate": "heart_rate_bpm",
    "stance_time": "ground_contact_ms",
    "vertical_oscillation": "vertical_oscillation_mm",
    "stance_time_balance": "stance_balance_left_pct",
    "step_length": "step_length_mm",
    "vertical_ratio": "vertical_ratio_pct",
}


def _encode(
    spec: SyntheticRunSpec,
    a: dict[str, np.ndarray],
    laps: list[SyntheticLapTruth],
    session: _Totals,
) -> bytes:
    """Write the FIT file: values go in decoded, as the encoder expects."""
    col = {name: arr.tolist() for name, arr in a.items()}  # the encoder refuses np.int64
    at = [datetime.fromtimestamp(ts, UTC) for ts in col["timestamp_s"]]
    enc = Encoder()

    def put(name: str, **values: Any) -> None:
        enc.write_mesg(_mesg(name, **values))

    def totals(t: _Totals) -> dict[str, Any]:
        i = t.first_record
        return _summary_fields(t, col["latitude_deg"][i], col["longitude_deg"][i], spec.sub_sport)

    def lap(j: int) -> None:
        trigger = "session_end" if j == len(laps) - 1 else "manual"
        step = {"lap_trigger": trigger, "intensity": laps[j].intensity}
        put("lap", message_index=j, event="lap", **step, **totals(laps[j]))

    device = {"manufacturer": "development", "product": 1, "serial_number": 1_234_567_890}
    timer = {"event": "timer", "data": 0, "event_group": 0}  # data = timer_trigger manual
    put("file_id", type="activity", time_created=at[0], product_name="stridelab", **device)
    put("device_info", timestamp=at[0], device_index="creator", **device)
    put("event", timestamp=at[0], event_type="start", **timer)
    lap_before = {t.first_record + t.n_records: j for j, t in enumerate(laps)}
    for i, when in enumerate(at):
        if i in lap_before:
            lap(lap_before[i])
        if i == spec.pause_at_timer_s + 1:
            put("event", timestamp=when, event_type="start", **timer)
        cadence = _strides(col["cadence_spm"][i])
        put(
            "record",
            timestamp=when,
            position_lat=round(col["latitude_deg"][i] * _SEMICIRCLES_PER_DEG),
            position_long=round(col["longitude_deg"][i] * _SEMICIRCLES_PER_DEG),
            cadence=cadence["whole"],
            fractional_cadence=cadence["fraction"],
            activity_type="running",
            **{fit_name: col[name][i] for fit_name, name in _RECORD_FIELDS.items()},
        )
        if i in (spec.pause_at_timer_s, len(at) - 1):
            put("event", timestamp=when, event_type="stop_all", **timer)
    lap(len(laps) - 1)
    ends = {"event": "session", "trigger": "activity_end", "first_lap_index": 0}
    put("session", message_index=0, num_laps=len(laps), **ends, **totals(session))
    local = int(at[-1].timestamp()) - _FIT_EPOCH_S + 60 * spec.timezone_offset_min
    put(
        "activity",
        timestamp=at[-1],
        local_timestamp=local,
        total_timer_time=session.timer_time_s,
        num_sessions=1,
        type="manual",
        event="activity",
        event_type="stop",
    )
    return enc.close()


def _truth(
    spec: SyntheticRunSpec,
    arrays: dict[str, np.ndarray],
    laps: list[SyntheticLapTruth],
    session: _Totals,
) -> SyntheticTruth:
    frozen: dict[str, Any] = {}  # Any: mypy cannot match ** of one dict to typed fields
    for name, arr in arrays.items():
        arr.flags.writeable = False
        frozen[name] = arr
    return SyntheticTruth(
        **asdict(session),
        timezone_offset_min=spec.timezone_offset_min,
        n_laps=len(laps),
        pause_count=1,
        pause_s=float(spec.pause_s),
        pause_start_utc=session.start_utc + timedelta(seconds=spec.pause_at_timer_s),
        cadence_intercept_spm=spec.cadence_intercept_spm,
        cadence_slope_spm_per_m_s=spec.cadence_slope_spm_per_m_s,
        laps=tuple(laps),
        **frozen,
    )


def synthetic_run(spec: SyntheticRunSpec | None = None) -> SyntheticRun:
    """Simulate a run and encode it as a FIT activity file, in memory.

    Parameters
    ----------
    spec : SyntheticRunSpec, optional
        What to simulate; the default is a ~42 min interval session (~8 km, 2522
        records, ~105 kB).

    Returns
    -------
    SyntheticRun
        ``fit_bytes`` (a complete FIT file, CRC included) and ``truth``, the values as
        stored in the file. The same spec (same ``seed``) gives identical bytes.

    Raises
    ------
    InputError
        If the spec is inconsistent or drives a field out of what FIT can store.
    """
    spec = SyntheticRunSpec() if spec is None else spec
    arrays = _simulate(spec)
    laps, session = _summaries(spec, arrays)
    fit_bytes = _encode(spec, arrays, laps, session)
    return SyntheticRun(fit_bytes, _truth(spec, arrays, laps, session), spec)


def write_synthetic_run(path: Path, spec: SyntheticRunSpec | None = None) -> SyntheticRun:
    """:func:`synthetic_run`, with the bytes also written to ``path`` (FIT file).

    Parameters
    ----------
    path : Path
        Where to write; the parent folder must exist. An existing file is replaced.
    spec : SyntheticRunSpec, optional
        As for :func:`synthetic_run`.

    Returns
    -------
    SyntheticRun
        The run that was written.
    """
    run = synthetic_run(spec)
    Path(path).write_bytes(run.fit_bytes)
    return run
