"""Exactly known force-plate recordings of jumps and hop series.

The vertical ground reaction force F(t) of a point mass ``m`` is built from smooth
pieces and sampled at ``sampling_rate_hz``; the body moves by a(t) = (F − m·g)/m from
rest. Every test starts with ``quiet_s`` of quiet standing (F = m·g), so the body weight
can be measured, and ends standing still after the last landing.

============ ========================================================================
test         force pattern after the quiet standing
============ ========================================================================
``squat``    propulsion F(s) = m·g·(1 − s) + A·sin(π·s), s = τ/0.40 s, from m·g to 0
``cmj``      unweighting dip F = m·g·(1 − 0.6·sin(π·τ/0.30 s)), then the propulsion
``pogo``     a CMJ, then ``n_hops`` half-sine contacts of ``contact_time_ms`` each
``rj10-5``   as ``pogo`` (default 10 rebound contacts)
``drop``     step off the plate onto a box (F → 0), 2 s off the plate, land from
             ``drop_height_cm`` at √(2·g·h), one half-sine contact, take-off
============ ========================================================================

Consistency between truth and detection. For ``squat`` and ``cmj`` (and the first jump
of a hop series) the phase durations are whole numbers of samples, take-off falls on a
sample where F = 0, and the propulsion amplitude ``A`` is solved so that the
*trapezoidal* integral of the sampled (noise-free) net force, divided by the mass, gives
exactly the requested take-off velocity. Flight lasts 2·v/g (continuous time, so landings
fall between samples); the landing force brings the body to rest. Half-sine contacts
carry the exact continuous impulse m·(v_in + v_out) + m·g·T_c. Hence the impulse height
v²/(2g) equals the flight height g·t²/8 exactly in the truth.

Movement onset in the truth follows the rule of Owen et al. (2014): the time the
noise-free force first leaves body weight ± 5·σ (σ = the noise SD of the total force),
minus 30 ms. RFD windows start at that onset for a squat jump, at the start of braking
(force back up through body weight after the unweighting) for a countermovement jump, and
at initial contact for hops and drop jumps; a window longer than the time to take-off
has no value. Noise is Gaussian with SD ``noise_n`` per plate, added to every sample
including the flight (an unloaded plate reads ≈ 0 N).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.assess.result import G_M_S2, height_from_flight_cm
from stridelab.errors import InputError

__all__ = [
    "ForcePlateJumpTruth",
    "SyntheticForcePlate",
    "simulate_force_plate_jump",
    "write_force_plate_csv",
]

FloatArray = NDArray[np.float64]
_Shape = Callable[[FloatArray], FloatArray]

_UNWEIGHT_S = 0.30
_UNWEIGHT_DEPTH = 0.6  # fraction of body weight
_PROPULSION_S = 0.40
_LANDING_S = 0.50
_IMPACT_S = 0.05
_IMPACT_BW = 2.5  # impact peak, body weights, on top of the settling ramp
_STEP_OFF_S = 0.30
_OFF_PLATE_S = 2.0
_ONSET_SD = 5.0
_ONSET_BACKOFF_S = 0.030
_RFD_WINDOWS_MS = (50, 100, 200)
_TESTS = ("cmj", "squat", "drop", "pogo", "rj10-5")


@dataclass(frozen=True)
class ForcePlateJumpTruth:
    """The exact values of one simulated jump (or hop); times in seconds from start.

    ``contact_time_ms`` is the ground contact before this take-off (hops, drop jumps;
    ``None`` for a jump from standing). Force values are of the noise-free total force.
    """

    index: int
    takeoff_time_s: float
    landing_time_s: float
    flight_time_s: float
    takeoff_velocity_m_s: float
    height_impulse_cm: float
    height_flight_cm: float
    peak_force_n: float
    contact_time_ms: float | None = None
    contact_start_s: float | None = None
    movement_onset_s: float | None = None
    rfd_start_s: float | None = None
    rfd_0_50_n_per_s: float | None = None
    rfd_0_100_n_per_s: float | None = None
    rfd_0_200_n_per_s: float | None = None
    rsi: float | None = None
    mrsi: float | None = None
    peak_force_left_n: float | None = None
    peak_force_right_n: float | None = None
    asymmetry_pct: float | None = None


@dataclass(frozen=True)
class SyntheticForcePlate:
    """A simulated force-plate recording and its truth.

    ``force_n`` is the total vertical force (N) with noise; ``force_left_n`` and
    ``force_right_n`` are set for two plates (their sum is ``force_n``).
    """

    test: str
    time_s: FloatArray
    force_n: FloatArray
    sampling_rate_hz: float
    mass_kg: float
    body_weight_n: float
    noise_sd_n: float  # SD of the noise on the total force
    jumps: tuple[ForcePlateJumpTruth, ...]
    force_left_n: FloatArray | None = None
    force_right_n: FloatArray | None = None
    drop_height_cm: float | None = None


@dataclass(frozen=True)
class _Piece:
    start_s: float
    end_s: float
    shape: _Shape  # of τ = t − start_s


def _evaluate(pieces: Sequence[_Piece], t: FloatArray, rest_n: float) -> FloatArray:
    """Noise-free force at times ``t``: the piece covering t, else standing (``rest_n``)."""
    out = np.full_like(t, rest_n, dtype=np.float64)
    for p in pieces:
        mask = (t >= p.start_s) & (t < p.end_s)
        out[mask] = p.shape(t[mask] - p.start_s)
    if pieces:
        out[t < pieces[0].start_s] = rest_n
    return out


def _as_list(value: float | Sequence[float], n: int, name: str) -> list[float]:
    if isinstance(value, int | float):
        return [float(value)] * n
    values = [float(v) for v in value]
    if len(values) != n:
        raise InputError(f"{name} has {len(values)} values; expected {n} (one per hop)")
    return values


def _trapezoid(y: FloatArray, dx: float) -> float:
    return float(np.sum(y[1:] + y[:-1]) * dx / 2)


def _samples(duration_s: float, fs: float) -> float:
    """Duration rounded to a whole number of samples (at least one)."""
    return max(1, round(duration_s * fs)) / fs


def _landing_pieces(t_land: float, v_in: float, m: float) -> list[_Piece]:
    """Impact + settling to m·g over 0.5 s; net impulse m·v_in stops the body."""
    mg = m * G_M_S2
    p1 = _IMPACT_BW * mg
    p2 = (
        math.pi / (2 * _LANDING_S) * (m * v_in + mg * _LANDING_S / 2 - 2 * p1 * _IMPACT_S / math.pi)
    )

    def shape(tau: FloatArray) -> FloatArray:
        impact = np.where(tau < _IMPACT_S, p1 * np.sin(np.pi * tau / _IMPACT_S), 0.0)
        ramp = mg * (1 - np.cos(np.pi * tau / _LANDING_S)) / 2
        return impact + ramp + p2 * np.sin(np.pi * tau / _LANDING_S)

    return [_Piece(t_land, t_land + _LANDING_S, shape)]


def _half_sine(t0: float, contact_s: float, v_in: float, v_out: float, m: float) -> _Piece:
    """Contact of duration ``contact_s`` reversing v_in (down) into v_out (up)."""
    mg = m * G_M_S2
    peak = (m * (v_in + v_out) + mg * contact_s) * math.pi / (2 * contact_s)
    return _Piece(t0, t0 + contact_s, lambda tau: peak * np.sin(np.pi * tau / contact_s))


def _push_off(
    start_s: float, fs: float, v_target: float, m: float, *, countermovement: bool
) -> tuple[list[_Piece], float]:
    """Squat or countermovement push-off from rest; returns pieces and take-off time.

    The propulsion amplitude is solved on the sample grid (trapezoidal integral).
    """
    mg = m * G_M_S2
    t_unweight = _samples(_UNWEIGHT_S, fs) if countermovement else 0.0
    t_prop = _samples(_PROPULSION_S, fs)
    t_prop0 = start_s + t_unweight
    t_off = t_prop0 + t_prop

    def unweight(tau: FloatArray) -> FloatArray:
        return mg * (1 - _UNWEIGHT_DEPTH * np.sin(np.pi * tau / t_unweight))

    def base(tau: FloatArray) -> FloatArray:
        return mg * (1 - tau / t_prop)

    def bump(tau: FloatArray) -> FloatArray:
        return np.sin(np.pi * tau / t_prop)

    n0 = round(start_s * fs)
    n_off = round(t_off * fs)
    t = np.arange(n0, n_off + 1) / fs
    fixed = np.full_like(t, mg)
    if countermovement:
        sel = (t >= start_s) & (t < t_prop0)
        fixed[sel] = unweight(t[sel] - start_s)
    sel = t >= t_prop0
    tau = np.clip(t[sel] - t_prop0, 0.0, t_prop)
    fixed[sel] = base(tau)
    unit = np.zeros_like(t)
    unit[sel] = bump(tau)
    fixed[-1] = 0.0  # exactly zero at take-off
    unit[-1] = 0.0
    dv_fixed = _trapezoid(fixed - mg, 1 / fs) / m
    dv_unit = _trapezoid(unit, 1 / fs) / m
    amplitude = (v_target - dv_fixed) / dv_unit

    def propulsion(tau: FloatArray) -> FloatArray:
        return base(tau) + amplitude * bump(tau)

    pieces = []
    if countermovement:
        pieces.append(_Piece(start_s, t_prop0, unweight))
    pieces.append(_Piece(t_prop0, t_off, propulsion))
    return pieces, t_off


def _first_leave(
    force_at: Callable[[FloatArray], FloatArray], t0: float, t1: float, level: float, band: float
) -> float:
    """First time in [t0, t1] where |F − level| > band, found on a 1 µs grid."""
    t = np.arange(t0, t1, 1e-6)
    out = np.nonzero(np.abs(force_at(t) - level) > band)[0]
    return float(t[out[0]]) if out.size else t0


def _first_up_cross(
    force_at: Callable[[FloatArray], FloatArray], t0: float, t1: float, level: float
) -> float:
    t = np.arange(t0, t1, 1e-6)
    f = force_at(t)
    above = np.nonzero(f >= level)[0]
    return float(t[above[0]]) if above.size else t0


def simulate_force_plate_jump(
    *,
    test: Literal["cmj", "squat", "drop", "pogo", "rj10-5"],
    mass_kg: float = 70.0,
    sampling_rate_hz: float = 1000.0,
    takeoff_velocity_m_s: float | Sequence[float] = 2.5,
    n_hops: int = 10,
    contact_time_ms: float | Sequence[float] = 180.0,
    quiet_s: float = 1.5,
    noise_n: float = 2.0,
    plates: Literal[1, 2] = 1,
    left_share: float = 0.5,
    drop_height_cm: float = 30.0,
    seed: int = 0,
) -> SyntheticForcePlate:
    """Simulate a force-plate recording of a jump test with exact truth.

    Parameters
    ----------
    test
        ``"cmj"``, ``"squat"``, ``"drop"``, ``"pogo"`` or ``"rj10-5"``.
    mass_kg
        Body mass (kg); body weight is ``mass_kg * 9.80665`` N.
    sampling_rate_hz
        Samples per second.
    takeoff_velocity_m_s
        Vertical take-off velocity (m/s). For hop series, one value or one per hop
        (``n_hops`` values; the initial jump from standing uses the first).
    n_hops
        Rebound contacts in a hop series (``pogo``, ``rj10-5``).
    contact_time_ms
        Ground contact of each hop and of the drop jump (ms); one value or one per hop.
    quiet_s
        Quiet standing at the start (s).
    noise_n
        SD of the Gaussian noise on each plate (N).
    plates
        1 (total force only) or 2 (left and right plates; the total is their sum).
    left_share
        Fraction of the force on the left plate (two plates).
    drop_height_cm
        Box height of a drop jump (cm); touchdown velocity √(2·g·h).
    seed
        Seed of the noise generator.

    Returns
    -------
    SyntheticForcePlate
        Samples and the truth per jump (see the module docstring).
    """
    if test not in _TESTS:
        raise InputError(f"unknown test {test!r}; expected one of {', '.join(_TESTS)}")
    if sampling_rate_hz <= 0 or mass_kg <= 0 or quiet_s < 0 or noise_n < 0:
        raise InputError("sampling_rate_hz and mass_kg must be > 0; quiet_s, noise_n ≥ 0")
    if plates not in (1, 2) or not 0.0 <= left_share <= 1.0:
        raise InputError("plates must be 1 or 2 and left_share within 0…1")
    fs = float(sampling_rate_hz)
    m = float(mass_kg)
    mg = m * G_M_S2
    hopping = test in ("pogo", "rj10-5")
    n_contacts = n_hops if hopping else 1
    if hopping and n_hops < 1:
        raise InputError("n_hops must be ≥ 1")
    velocities = _as_list(takeoff_velocity_m_s, n_contacts, "takeoff_velocity_m_s")
    contacts_s = [c / 1000.0 for c in _as_list(contact_time_ms, n_contacts, "contact_time_ms")]
    if min(velocities) <= 0 or min(contacts_s) <= 0:
        raise InputError("take-off velocities and contact times must be > 0")

    start = _samples(quiet_s, fs) if quiet_s > 0 else 0.0
    pieces: list[_Piece] = []
    # (take-off, landing, velocity, contact start or None, contact s or None, onset or None)
    flights: list[tuple[float, float, float, float | None, float | None, str]] = []
    if test in ("cmj", "squat") or hopping:
        push, t_off = _push_off(start, fs, velocities[0], m, countermovement=test != "squat")
        pieces += push
        kind = "squat" if test == "squat" else "cmj"
        t_land = t_off + 2 * velocities[0] / G_M_S2
        flights.append((t_off, t_land, velocities[0], None, None, kind))
        if hopping:
            v_in = velocities[0]
            for v_out, hop_s in zip(velocities, contacts_s, strict=True):
                pieces.append(_half_sine(t_land, hop_s, v_in, v_out, m))
                t_off = t_land + hop_s
                t_next = t_off + 2 * v_out / G_M_S2
                flights.append((t_off, t_next, v_out, t_land, hop_s, "hop"))
                t_land, v_in = t_next, v_out
        pieces += _landing_pieces(t_land, velocities[-1], m)
    else:  # drop
        step = _samples(_STEP_OFF_S, fs)
        pieces.append(
            _Piece(start, start + step, lambda tau: mg * (1 + np.cos(np.pi * tau / step)) / 2)
        )
        t_td = start + step + _OFF_PLATE_S
        pieces.append(_Piece(start + step, t_td, lambda tau: np.zeros_like(tau)))
        v_td = math.sqrt(2 * G_M_S2 * drop_height_cm / 100.0)
        pieces.append(_half_sine(t_td, contacts_s[0], v_td, velocities[0], m))
        t_off = t_td + contacts_s[0]
        t_land = t_off + 2 * velocities[0] / G_M_S2
        flights.append((t_off, t_land, velocities[0], t_td, contacts_s[0], "hop"))
        pieces += _landing_pieces(t_land, velocities[0], m)
    # flights: zero force between take-off and landing
    for t_off, t_land, *_ in flights:
        pieces.append(_Piece(t_off, t_land, lambda tau: np.zeros_like(tau)))
    pieces.sort(key=lambda p: p.start_s)
    end_s = max(p.end_s for p in pieces) + 1.0

    def force_at(t: FloatArray) -> FloatArray:
        return _evaluate(pieces, np.asarray(t, dtype=np.float64), mg)

    n = round(end_s * fs) + 1
    time_s = np.arange(n) / fs
    clean = force_at(time_s)
    rng = np.random.default_rng(seed)
    left: FloatArray | None = None
    right: FloatArray | None = None
    total: FloatArray
    if plates == 2:
        left_n = left_share * clean + rng.normal(0.0, noise_n, n)
        right_n = (1 - left_share) * clean + rng.normal(0.0, noise_n, n)
        left, right, total = left_n, right_n, np.add(left_n, right_n)
        noise_sd = noise_n * math.sqrt(2.0)
    else:
        total = clean + rng.normal(0.0, noise_n, n)
        noise_sd = noise_n

    band = _ONSET_SD * max(noise_sd, 0.1)
    truths = []
    for i, (t_off, t_land, v, c0, c_s, kind) in enumerate(flights, start=1):
        flight_s = t_land - t_off
        h_cm = 100.0 * v**2 / (2 * G_M_S2)
        onset: float | None = None
        rfd0: float
        if kind in ("cmj", "squat"):
            leave = _first_leave(force_at, start, t_off, mg, band)
            onset_s = leave - _ONSET_BACKOFF_S
            onset = onset_s
            if kind == "squat":
                rfd0 = onset_s
            else:
                t_min = start + _samples(_UNWEIGHT_S, fs) / 2
                rfd0 = _first_up_cross(force_at, t_min, t_off, mg)
            win0, win1 = onset_s, t_off
        else:
            assert c0 is not None
            rfd0 = c0
            win0, win1 = c0, t_off
        rfd: list[float | None] = []
        for w_ms in _RFD_WINDOWS_MS:
            w = w_ms / 1000.0
            if rfd0 + w > t_off:
                rfd.append(None)
            else:
                f = force_at(np.array([rfd0, rfd0 + w]))
                rfd.append(float(f[1] - f[0]) / w)
        sel = (time_s >= win0) & (time_s <= win1)
        peak = float(clean[sel].max())
        pl = pr = asym = None
        if plates == 2:
            pl, pr = left_share * peak, (1 - left_share) * peak
            asym = 100.0 * (pl - pr) / max(pl, pr)
        truths.append(
            ForcePlateJumpTruth(
                index=i,
                takeoff_time_s=t_off,
                landing_time_s=t_land,
                flight_time_s=flight_s,
                takeoff_velocity_m_s=v,
                height_impulse_cm=h_cm,
                height_flight_cm=height_from_flight_cm(flight_s),
                peak_force_n=peak,
                contact_time_ms=None if c_s is None else 1000.0 * c_s,
                contact_start_s=c0,
                movement_onset_s=onset,
                rfd_start_s=rfd0,
                rfd_0_50_n_per_s=rfd[0],
                rfd_0_100_n_per_s=rfd[1],
                rfd_0_200_n_per_s=rfd[2],
                rsi=None if c_s is None else h_cm / 100.0 / c_s,
                mrsi=None if onset is None else h_cm / 100.0 / (t_off - onset),
                peak_force_left_n=pl,
                peak_force_right_n=pr,
                asymmetry_pct=asym,
            )
        )
    return SyntheticForcePlate(
        test=test,
        time_s=time_s,
        force_n=total,
        sampling_rate_hz=fs,
        mass_kg=m,
        body_weight_n=mg,
        noise_sd_n=noise_sd,
        jumps=tuple(truths),
        force_left_n=left,
        force_right_n=right,
        drop_height_cm=drop_height_cm if test == "drop" else None,
    )


_UNIT_SCALE = {"N": 1.0, "kN": 1e-3}


def write_force_plate_csv(
    sim: SyntheticForcePlate,
    path: str | Path,
    /,
    *,
    units: Literal["N", "kN"] = "N",
    columns: Sequence[str] | None = None,
    time_unit: Literal["s", "ms"] = "s",
) -> Path:
    """Write a simulated recording as a comma-separated file with a header row.

    Parameters
    ----------
    sim
        The simulation.
    path
        Output file.
    units
        Force unit of the written values.
    columns
        Header names, in order: time, total force and (two plates) left and right. The
        default is ``time_s, Fz_N`` (``Fz_kN`` in kN) plus ``left_N, right_N`` for two
        plates. Two names write time and total only; three names (two plates) write
        time, left and right without the total; four write all.
    time_unit
        Unit of the time column.

    Returns
    -------
    Path
        The written file.
    """
    if units not in _UNIT_SCALE:
        raise InputError(f"units must be 'N' or 'kN', not {units!r}")
    scale = _UNIT_SCALE[units]
    t = sim.time_s * (1000.0 if time_unit == "ms" else 1.0)
    two = sim.force_left_n is not None and sim.force_right_n is not None
    if columns is None:
        columns = [f"time_{time_unit}", f"Fz_{units}"]
        if two:
            columns += [f"left_{units}", f"right_{units}"]
    data: list[FloatArray]
    if len(columns) == 2:
        data = [t, sim.force_n * scale]
    elif len(columns) == 3 and two:
        assert sim.force_left_n is not None and sim.force_right_n is not None
        data = [t, sim.force_left_n * scale, sim.force_right_n * scale]
    elif len(columns) == 4 and two:
        assert sim.force_left_n is not None and sim.force_right_n is not None
        data = [t, sim.force_n * scale, sim.force_left_n * scale, sim.force_right_n * scale]
    else:
        raise InputError(
            f"{len(columns)} column names for a {'two' if two else 'one'}-plate recording; "
            "give 2 (time, total), 3 (time, left, right) or 4 (time, total, left, right)"
        )
    out = Path(path)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        digits = 9 if units == "kN" else 6
        for row in zip(*data, strict=True):
            writer.writerow([f"{row[0]:.6f}"] + [f"{v:.{digits}g}" for v in row[1:]])
    return out
