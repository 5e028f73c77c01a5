"""Jump and hop tests from a phone accelerometer (flight time by free fall).

In: a CSV recorded by a phone worn tight at the waist — a phyphox "Acceleration with g"
export or a plain ``time,ax,ay,az`` file — read by :func:`load_accelerometer_csv` into
an :class:`AccelTrace` (or built from arrays with :func:`accel_trace`). Out:
:func:`analyze_accelerometer` gives a :class:`~stridelab.assess.result.JumpTestResult`
with ``input_kind="accelerometer"``.

Method. A phone reports specific force: ≈ 1 g standing, ≈ 0 g in free fall. Flight is
where the magnitude |a| stays below ``threshold_g`` (0.3 g) for at least
``min_flight_ms`` (80 ms) and ends in a landing impact (≥ 1.5 g within 100 ms). Each
edge is refined below the sample: the edge samples between 0.25 g and 1.0 g are fitted
with a straight line and take-off/landing is where it reaches 0 g (the moment free fall
starts or ends), kept next to the last free-fall sample (see
:meth:`FreeFallDetector._refine`). Height is h = g·t²/8 (Bosco 1983), RSI = height (m) /
contact time (s).

The thresholds are design choices, not taken from a source: free fall reads 0 g plus
sensor noise (phones ≈ 0.01–0.05 g), while standing, unweighting and contact stay well
above 0.3 g; 80 ms of flight is a 0.8 cm jump, below any real test.

Accuracy. One sample of flight time is dh = g·t·dt/4 of height (≈ 1.2 cm at 100 Hz on
a 0.5 s flight). In practice the phone, not the sampling, limits accuracy: a hand-held
phone erred by ≈ 18 cm (accuracy) / 16 cm (precision) raw (PMC9947475), a waist-worn
accelerometer overestimated by a constant ≈ 3.1 cm (Cabarkapa). Use video first.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stridelab.assess.result import (
    G_M_S2,
    JUMP_TESTS,
    Jump,
    JumpTest,
    JumpTestResult,
    height_from_flight_cm,
)
from stridelab.errors import CorruptFileError, InputError, UnsupportedFormatError

__all__ = [
    "MIN_SAMPLING_RATE_HZ",
    "SOURCES",
    "AccelTrace",
    "Flight",
    "FreeFallDetector",
    "accel_trace",
    "analyze_accelerometer",
    "load_accelerometer_csv",
]

#: Slowest sampling accepted (Hz); 100 Hz or more is advised.
MIN_SAMPLING_RATE_HZ = 50.0
_ADVISED_RATE_HZ = 100.0
#: Hops with a longer ground contact are not fast stretch-shortening hops (ms).
FAST_SSC_CONTACT_MS = 250.0
#: A gap between flights longer than this is a pause, not a ground contact (ms).
MAX_CONTACT_MS = 600.0
#: Flights longer than this are not jumps (phone dropped or thrown) (ms); h ≈ 1.2 m.
MAX_FLIGHT_MS = 1000.0
#: Still windows whose gravity directions differ by more than this suggest a hand-held
#: or loose phone (degrees).
_MAX_REST_ROTATION_DEG = 20.0
_BEST_N_RJT = 5

SOURCES = (
    "Bosco C, Luhtanen P, Komi PV (1983). A simple method for measurement of mechanical "
    "power in jumping. Eur J Appl Physiol 50:273–282 (height from flight time, h = g·t²/8).",
    "Harper D, Hobbs S, Moore J (2011). The ten to five repeated jump test: a new test for "
    "evaluation of lower body reactive strength. BASES Student Conference, Chester "
    "(10 hops, RSI = mean of the best 5; fast SSC contact < 0.25 s after Young 1995).",
    "Comyns TM, Flanagan EP, Fleming S, Fitzgerald E, Harper DJ (2019). Interday "
    "reliability and usefulness of a reactive strength index derived from 2 maximal "
    "rebound jump tests. Int J Sports Physiol Perform 14(9):1200-1204.",
    "Stratford C, Dos'Santos T, McMahon JJ (2020). The 10/5 repeated jumps test: are 10 "
    "repetitions and three trials necessary? Biomechanics 1(1):1–14, "
    "doi:10.3390/biomechanics1010001 (one trial suffices; peak RSI stable after ~7 hops).",
    "Hand-held smartphone accelerometer jump height: raw error ≈ 18 cm accuracy / 16 cm "
    "precision, ≈ 4 cm after a trained neural network (PMC9947475).",
    "Cabarkapa D et al. Waist-worn accelerometer vs force plate: constant overestimation "
    "≈ 3.1 cm (journals.iupui.edu).",
)


# --------------------------------------------------------------------------- the trace


@dataclass(frozen=True, eq=False)
class AccelTrace:
    """A phone accelerometer recording: time (s) and three axes in m/s², gravity
    included. Build it with :func:`accel_trace` or :func:`load_accelerometer_csv`."""

    time_s: np.ndarray
    ax_m_s2: np.ndarray
    ay_m_s2: np.ndarray
    az_m_s2: np.ndarray
    sampling_rate_hz: float
    source: str = "array"
    notes: tuple[str, ...] = ()

    @property
    def magnitude_g(self) -> np.ndarray:
        """|a| in g."""
        return np.sqrt(self.ax_m_s2**2 + self.ay_m_s2**2 + self.az_m_s2**2) / G_M_S2


def _sample_error_cm(dt_s: float, flight_s: float = 0.5) -> float:
    """Height error of one sample of flight time, dh = g·t·dt/4 (cm)."""
    return 100.0 * G_M_S2 * flight_s * dt_s / 4.0


def accel_trace(
    time_s: Any,
    ax_m_s2: Any,
    ay_m_s2: Any,
    az_m_s2: Any,
    /,
    *,
    source: str = "array",
    notes: tuple[str, ...] = (),
) -> AccelTrace:
    """Validate arrays and build an :class:`AccelTrace`.

    Parameters
    ----------
    time_s
        Sample times (s), strictly increasing.
    ax_m_s2, ay_m_s2, az_m_s2
        Accelerations in m/s², gravity included ("Acceleration with g").

    Raises
    ------
    InputError
        Unequal lengths, fewer than 10 samples, non-finite values, time not strictly
        increasing, or sampling slower than :data:`MIN_SAMPLING_RATE_HZ`.
    """
    arrays = [np.asarray(a, dtype=float).ravel() for a in (time_s, ax_m_s2, ay_m_s2, az_m_s2)]
    sizes = {a.size for a in arrays}
    if len(sizes) != 1:
        raise InputError(f"time and the three axes must have equal lengths, got {sorted(sizes)}")
    t = arrays[0]
    if t.size < 10:
        raise InputError(f"need at least 10 samples, got {t.size}")
    for name, a in zip(("time", "ax", "ay", "az"), arrays, strict=True):
        if not np.all(np.isfinite(a)):
            bad = int(np.flatnonzero(~np.isfinite(a))[0])
            raise InputError(f"{name} is not a finite number at sample {bad + 1}")
    dt = np.diff(t)
    if np.any(dt <= 0):
        i = int(np.flatnonzero(dt <= 0)[0])
        raise InputError(
            f"time is not strictly increasing: sample {i + 2} (t = {t[i + 1]:.6g}) follows "
            f"t = {t[i]:.6g}; export one continuous recording"
        )
    rate = 1.0 / float(np.median(dt))
    if rate < MIN_SAMPLING_RATE_HZ:
        dt_ms = 1000.0 / rate
        raise InputError(
            f"sampling too slow for flight times: {rate:.0f} Hz means {dt_ms:.0f} ms per "
            f"sample, which gives ±{_sample_error_cm(dt_ms / 1000.0):.1f} cm of height on a "
            f"0.5 s flight (dh = g·t·dt/4); record at {MIN_SAMPLING_RATE_HZ:.0f} Hz at least, "
            f"{_ADVISED_RATE_HZ:.0f} Hz or more advised"
        )
    return AccelTrace(t, arrays[1], arrays[2], arrays[3], rate, source, tuple(notes))


# ------------------------------------------------------------------------------ CSV

_TIME_COLUMNS = {  # name -> factor to seconds
    "time (s)": 1.0,
    "time": 1.0,
    "time_s": 1.0,
    "t": 1.0,
    "timestamp": 1e-3,
    "time_ms": 1e-3,
    "t_ms": 1e-3,
}
_AXIS_NAMES = (
    ("acceleration x (m/s^2)", "acceleration y (m/s^2)", "acceleration z (m/s^2)"),
    ("ax", "ay", "az"),
    ("x", "y", "z"),
    ("acc_x", "acc_y", "acc_z"),
)


def _split(text: str) -> tuple[list[list[str]], str]:
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        raise UnsupportedFormatError(
            f"not an accelerometer CSV: the first line {first[:80]!r} has no columns "
            "(expected e.g. 'time,ax,ay,az' or a phyphox export)"
        )
    rows = [
        r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)
    ]
    return rows, delimiter


def _resting_magnitude(magnitude: np.ndarray, rate_hz: float) -> float | None:
    """Median magnitude over still half-second windows (relative std < 10 %), in the
    file's units; ``None`` if the wearer never stands still."""
    n = max(5, round(0.5 * rate_hz))
    means = []
    for start in range(0, magnitude.size - n + 1, n):
        w = magnitude[start : start + n]
        m = float(np.mean(w))
        if m > 0 and float(np.std(w)) < 0.1 * m:
            means.append(m)
    return float(np.median(means)) if means else None


def load_accelerometer_csv(path: str | Path) -> AccelTrace:
    """Read a phone accelerometer CSV.

    Formats, told apart by the header: phyphox "Acceleration with g" exports
    (``"Time (s)","Acceleration x (m/s^2)",…``, comma, semicolon or tab separated, an
    optional ``"Absolute acceleration (m/s^2)"`` column ignored) and plain files with a
    time column (``time``/``t``/``time_s`` in s, ``timestamp``/``time_ms`` in ms) and
    axes ``ax,ay,az`` (or ``x,y,z``, ``acc_x,…``). A plain file may be in g or m/s²: the
    resting magnitude (≈ 1 or ≈ 9.8) decides, and a note says which was found.

    Raises
    ------
    InputError
        Missing file, empty file, no data rows, too slow sampling, time going backwards,
        gravity removed ("linear acceleration"), units that cannot be told.
    UnsupportedFormatError
        Not a text CSV, or the columns are not recognised (the message lists them).
    CorruptFileError
        A data row cannot be read as numbers.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    raw = p.read_bytes()
    if not raw.strip():
        raise InputError(f"{p.name}: the file is empty; export the recording again")
    if b"\x00" in raw[:4096]:
        raise UnsupportedFormatError(f"{p.name}: binary data, not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormatError(f"{p.name}: not a UTF-8 text CSV ({exc.reason})") from exc

    rows, delimiter = _split(text)
    names = [c.strip().strip('"').strip() for c in rows[0]]
    lower = [n.lower() for n in names]
    found = ", ".join(repr(n) for n in names)
    if any(n.startswith("linear acceleration") for n in lower):
        raise InputError(
            f"{p.name}: this is phyphox 'Linear Acceleration' (gravity removed); free fall "
            "cannot be seen without gravity — record 'Acceleration with g' instead"
        )
    time_idx = next((i for i, n in enumerate(lower) if n in _TIME_COLUMNS), None)
    axes_idx = None
    for triple in _AXIS_NAMES:
        if all(a in lower for a in triple):
            axes_idx = [lower.index(a) for a in triple]
            break
    if time_idx is None or axes_idx is None:
        missing = "a time column" if time_idx is None else "three acceleration axes"
        raise UnsupportedFormatError(
            f"{p.name}: not an accelerometer CSV — {missing} missing. Expected a phyphox "
            "export ('Time (s)', 'Acceleration x (m/s^2)', …) or 'time,ax,ay,az' "
            f"(time also 't' in s or 'timestamp' in ms); found columns: {found}"
        )
    phyphox = lower[axes_idx[0]].startswith("acceleration")
    to_seconds = _TIME_COLUMNS[lower[time_idx]]

    wanted = [time_idx, *axes_idx]
    values: list[list[float]] = []
    for row_no, row in enumerate(rows[1:], start=2):
        try:
            cells = [row[i].strip() for i in wanted]
        except IndexError:
            raise CorruptFileError(
                f"{p.name}: row {row_no} has {len(row)} fields, the header has {len(names)}"
            ) from None
        if delimiter != ",":
            cells = [c.replace(",", ".") for c in cells]  # decimal comma
        try:
            values.append([float(c) if c else math.nan for c in cells])
        except ValueError:
            bad = next(c for c in cells if not _is_float(c))
            raise CorruptFileError(
                f"{p.name}: row {row_no}: cannot read {bad[:40]!r} as a number"
            ) from None
    if not values:
        raise InputError(f"{p.name}: the header is there but there are no data rows")
    data = np.array(values)
    keep = np.all(np.isfinite(data), axis=1)
    notes: list[str] = []
    if not keep.all():
        notes.append(f"{int((~keep).sum())} rows with empty or non-finite values were skipped")
        data = data[keep]
    if data.shape[0] < 10:
        raise InputError(f"{p.name}: only {data.shape[0]} usable data rows; need at least 10")
    time_s = data[:, 0] * to_seconds
    acc = data[:, 1:4]

    magnitude = np.sqrt(np.sum(acc**2, axis=1))
    dt = np.diff(time_s)
    rate_guess = 1.0 / float(np.median(dt)) if dt.size and np.median(dt) > 0 else 0.0
    rest = _resting_magnitude(magnitude, rate_guess) if rate_guess > 0 else None
    if rest is None:
        rest = float(np.median(magnitude))
    if phyphox:
        notes.append("phyphox export, accelerations in m/s²")
        if rest < 3.0:
            raise InputError(
                f"{p.name}: resting magnitude is {rest:.2f} m/s², not ≈ 9.81: gravity seems "
                "removed — record 'Acceleration with g'"
            )
    elif 0.7 <= rest <= 1.3:
        acc = acc * G_M_S2
        notes.append(f"plain CSV in g (resting magnitude {rest:.2f}); converted to m/s²")
    elif 7.0 <= rest <= 13.0:
        notes.append(f"plain CSV in m/s² (resting magnitude {rest:.2f})")
    elif rest < 0.3:
        raise InputError(
            f"{p.name}: resting magnitude is {rest:.2f}, ≈ 0: gravity seems removed (linear "
            "acceleration); record acceleration including gravity"
        )
    else:
        raise InputError(
            f"{p.name}: cannot tell the units: resting magnitude {rest:.3g} is neither ≈ 1 (g) "
            "nor ≈ 9.8 (m/s²)"
        )
    return accel_trace(
        time_s,
        acc[:, 0],
        acc[:, 1],
        acc[:, 2],
        source="phyphox" if phyphox else "plain",
        notes=tuple(notes),
    )


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------ detection


@dataclass(frozen=True)
class Flight:
    """One free-fall period: refined take-off and landing times (s)."""

    takeoff_time_s: float
    landing_time_s: float

    @property
    def flight_time_s(self) -> float:
        return self.landing_time_s - self.takeoff_time_s


class FreeFallDetector:
    """Find flights as periods of free fall in the acceleration magnitude.

    Parameters
    ----------
    threshold_g
        |a| below this is free fall (g). Default 0.3 g (design choice, see module doc).
    min_flight_ms
        Shorter low-g periods are ignored (ms).
    landing_min_g
        A flight must end in an impact of at least this within ``landing_window_ms``.
    merge_gap_ms
        Low-g runs separated by at most this much are one flight (noise spikes).
    fit_low_g, fit_high_g
        Edge samples within this band are fitted by a line extrapolated to 0 g.

    Attributes
    ----------
    flights_
        The detected :class:`Flight`\\ s, in time order.
    rejected_
        Human-readable reasons for low-g periods that were not taken as flights.
    """

    def __init__(
        self,
        *,
        threshold_g: float = 0.3,
        min_flight_ms: float = 80.0,
        landing_min_g: float = 1.5,
        landing_window_ms: float = 100.0,
        merge_gap_ms: float = 15.0,
        fit_low_g: float = 0.25,
        fit_high_g: float = 1.0,
    ) -> None:
        self.threshold_g = threshold_g
        self.min_flight_ms = min_flight_ms
        self.landing_min_g = landing_min_g
        self.landing_window_ms = landing_window_ms
        self.merge_gap_ms = merge_gap_ms
        self.fit_low_g = fit_low_g
        self.fit_high_g = fit_high_g

    def detect(self, magnitude_g: np.ndarray, /, *, time_s: np.ndarray) -> FreeFallDetector:
        """Detect flights in ``magnitude_g`` (|a| in g) sampled at ``time_s`` (s)."""
        mag = np.asarray(magnitude_g, dtype=float)
        t = np.asarray(time_s, dtype=float)
        dt = float(np.median(np.diff(t)))
        below = mag < self.threshold_g
        edges = np.diff(below.astype(np.int8))
        starts = list(np.flatnonzero(edges == 1) + 1)  # first sample below
        ends = list(np.flatnonzero(edges == -1))  # last sample below
        if below[0]:
            starts.insert(0, 0)
        if below[-1]:
            ends.append(mag.size - 1)
        runs: list[list[int]] = []
        for s, e in zip(starts, ends, strict=True):
            if runs and (t[s] - t[runs[-1][1]]) * 1000.0 <= self.merge_gap_ms + 1e-9:
                runs[-1][1] = e
            else:
                runs.append([s, e])

        flights: list[Flight] = []
        rejected: list[str] = []
        for s, e in runs:
            if s == 0 or e == mag.size - 1:
                rejected.append(f"low-g period at {t[s]:.2f} s touches the end of the recording")
                continue
            t_off_c = self._crossing(t, mag, s - 1, s)
            t_land_c = self._crossing(t, mag, e, e + 1)
            if (t_land_c - t_off_c) * 1000.0 < self.min_flight_ms:
                continue
            after = (t > t[e]) & (t <= t[e] + self.landing_window_ms / 1000.0 + dt)
            if not np.any(after) or float(np.max(mag[after])) < self.landing_min_g:
                rejected.append(
                    f"low-g period {t_off_c:.2f}–{t_land_c:.2f} s ended without a landing "
                    f"impact (≥ {self.landing_min_g} g): phone handled or moved, not a jump?"
                )
                continue
            inside = mag[s : e + 1]
            mad = float(np.median(np.abs(inside - np.median(inside))))
            noise_g = float(np.median(inside)) + 4.0 * 1.4826 * mad
            takeoff = self._refine(t, mag, s, rising=False, noise_g=noise_g)
            landing = self._refine(t, mag, e, rising=True, noise_g=noise_g)
            flights.append(Flight(takeoff, landing))
        self.flights_ = tuple(flights)
        self.rejected_ = tuple(rejected)
        return self

    def _crossing(self, t: np.ndarray, mag: np.ndarray, i: int, j: int) -> float:
        """Time where the line between samples i and j crosses the threshold."""
        a, b = mag[i], mag[j]
        frac = (a - self.threshold_g) / (a - b) if a != b else 0.5
        return float(t[i] + frac * (t[j] - t[i]))

    def _refine(
        self, t: np.ndarray, mag: np.ndarray, k: int, *, rising: bool, noise_g: float
    ) -> float:
        """The time the edge at run boundary ``k`` leaves (or reaches) 0 g.

        Falling edge (take-off): ``k`` is the first sample below the threshold; rising
        edge (landing): ``k`` is the last. The moment is where a line through the edge
        reaches 0 g: fitted to the edge samples between ``fit_low_g`` and ``fit_high_g``,
        or, for an edge faster than the sampling (fewer than two such samples), through
        the last edge sample and the first "free-fall" sample if that one still reads
        above the flight's noise, else through the first two edge samples. It is kept
        between the last edge sample and the first free-fall sample (below
        ``fit_low_g``), or up to one sample beyond when that sample reads above the
        flight's noise level ``noise_g`` (median + 4 robust SD of the flight) or the
        edge's last ``noise_g / slope`` is hidden in the noise.
        """
        outward = 1 if rising else -1  # from the flight towards the ground phase
        floor = k  # walk into the flight to its first sample below fit_low_g
        while 0 <= floor - outward < mag.size and mag[floor] >= self.fit_low_g:
            floor -= outward
        edge = floor + outward  # last sample on the edge before free fall
        band: list[int] = []
        i = edge
        while 0 <= i < mag.size and self.fit_low_g <= mag[i] <= self.fit_high_g and len(band) < 8:
            band.append(i)
            i += outward
        resolved = len(band) >= 2
        on_edge = bool(mag[floor] > noise_g)  # the last "free-fall" sample is still rising
        if not resolved:  # an edge faster than the sampling: two samples on it
            pair = (floor, edge) if on_edge else (edge, edge + outward)
            band = [j for j in pair if 0 <= j < mag.size]
        t_edge, t_floor = float(t[edge]), float(t[floor])
        if len(band) < 2:
            return 0.5 * (t_edge + t_floor)
        slope, intercept = np.polyfit(t[band], mag[band], 1)
        if slope * outward <= 0:  # noise, not an edge
            return 0.5 * (t_edge + t_floor)
        # The moment may lie beyond the last "free-fall" sample: by a whole sample if that
        # sample reads above the flight's noise level; on a resolved edge also by
        # noise / slope (the part of the edge hidden in the noise).
        step = abs(t_floor - t_edge)
        if on_edge:
            margin = step
        elif resolved:
            margin = min(step, noise_g / abs(slope))
        else:
            margin = 0.0
        lo, hi = sorted((t_edge, t_floor + (t_floor - t_edge) * margin / step))
        return float(min(max(-intercept / slope, lo), hi))


# ------------------------------------------------------------------------- analysis


def _rest_rotation_deg(trace: AccelTrace) -> float | None:
    """Largest angle (deg) between the gravity direction of any still half-second window
    and their median direction; ``None`` without two still windows."""
    acc = np.column_stack([trace.ax_m_s2, trace.ay_m_s2, trace.az_m_s2]) / G_M_S2
    mag = np.linalg.norm(acc, axis=1)
    n = max(5, round(0.5 * trace.sampling_rate_hz))
    dirs = []
    for start in range(0, mag.size - n + 1, n):
        w = mag[start : start + n]
        if 0.9 <= float(np.mean(w)) <= 1.1 and float(np.std(w)) < 0.15:
            v = acc[start : start + n].mean(axis=0)
            dirs.append(v / np.linalg.norm(v))
    if len(dirs) < 2:
        return None
    d = np.array(dirs)
    ref = np.median(d, axis=0)
    ref /= np.linalg.norm(ref)
    return float(np.degrees(np.max(np.arccos(np.clip(d @ ref, -1.0, 1.0)))))


def _jumps_from_flights(
    flights: tuple[Flight, ...], test: JumpTest
) -> tuple[list[Jump], list[str]]:
    """Turn flights into jumps following the test's rules; also return notes."""
    notes: list[str] = []
    contacts: list[float | None] = [None]
    for prev, cur in itertools.pairwise(flights):
        gap_ms = (cur.takeoff_time_s - prev.landing_time_s) * 1000.0
        contacts.append(gap_ms if gap_ms <= MAX_CONTACT_MS else None)

    jumps: list[Jump] = []
    for flight, contact_ms in zip(flights, contacts, strict=True):
        ft_s = flight.flight_time_s
        height = height_from_flight_cm(ft_s)
        valid, note = True, None
        if test == "drop" and contact_ms is None:
            fall_ms = ft_s * 1000.0
            box_cm = 100.0 * G_M_S2 * ft_s**2 / 2.0
            notes.append(
                f"drop from the box at {flight.takeoff_time_s:.2f} s: fall {fall_ms:.0f} ms "
                f"≈ {box_cm:.0f} cm box (h = g·t²/2)"
            )
            continue
        if test in ("cmj", "squat"):
            contact_ms = None
        rsi = height / 100.0 / (contact_ms / 1000.0) if contact_ms else None
        if ft_s * 1000.0 > MAX_FLIGHT_MS:
            valid, note = (
                False,
                f"flight {ft_s * 1000:.0f} ms > {MAX_FLIGHT_MS:.0f} ms: phone dropped?",
            )
        elif test in ("pogo", "rj10-5") and contact_ms is None:
            valid, note = False, "first hop from standing: no ground contact to time"
        elif (
            test in ("pogo", "rj10-5")
            and contact_ms is not None
            and contact_ms > FAST_SSC_CONTACT_MS
        ):
            valid = False
            note = (
                f"contact {contact_ms:.0f} ms > {FAST_SSC_CONTACT_MS:.0f} ms: not a fast "
                "stretch-shortening hop"
            )
        jumps.append(
            Jump(
                index=len(jumps) + 1,
                takeoff_time_s=flight.takeoff_time_s,
                landing_time_s=flight.landing_time_s,
                flight_time_ms=ft_s * 1000.0,
                height_flight_cm=height,
                contact_time_ms=contact_ms,
                rsi=rsi,
                valid=valid,
                note=note,
            )
        )
    return jumps, notes


def analyze_accelerometer(
    trace: AccelTrace,
    /,
    *,
    test: JumpTest,
    detector: FreeFallDetector | None = None,
) -> JumpTestResult:
    """Jump heights, contact times and RSI from a phone accelerometer recording.

    Parameters
    ----------
    trace
        The recording (phone worn tight at the waist).
    test
        ``"cmj"``, ``"squat"``: each flight is a jump. ``"drop"``: a flight with no
        ground contact before it is the drop from the box (reported in a note), the
        flight after the rebound contact is the jump. ``"pogo"``, ``"rj10-5"``: each
        flight is a hop; contact time is the ground time before its take-off.
    detector
        A configured :class:`FreeFallDetector`; the defaults otherwise.

    Returns
    -------
    JumpTestResult
        ``summary`` holds ``best_height_cm``, ``mean_height_cm``, ``best_rsi``,
        ``mean_rsi`` (for ``rj10-5`` the mean of the 5 best valid hops, Harper 2011),
        ``height_uncertainty_cm`` (one sample of flight time, dh = g·t·dt/4, for the
        longest valid flight), ``method`` and ``sampling_rate_hz``.

    Validity of hops (``pogo``, ``rj10-5``): the first hop from standing has no contact
    time and is excluded; hops with contact > 250 ms are not fast stretch-shortening
    hops (Young 1995, as used by Harper 2011) and are excluded from RSI; flights over
    1 s are excluded everywhere.

    Raises
    ------
    InputError
        Unknown test, or no flight found (the wearer never left the ground).
    """
    if test not in JUMP_TESTS:
        raise InputError(f"test must be one of {', '.join(JUMP_TESTS)}; got {test!r}")
    det = detector if detector is not None else FreeFallDetector()
    det.detect(trace.magnitude_g, time_s=trace.time_s)
    if not det.flights_:
        extra = f" ({'; '.join(det.rejected_)})" if det.rejected_ else ""
        raise InputError(
            "no flight found: |a| never stayed below "
            f"{det.threshold_g} g for {det.min_flight_ms:.0f} ms followed by a landing, so the "
            "wearer never left the ground. Check that the phone records 'Acceleration with g' "
            f"and is worn tight at the waist during the jumps{extra}"
        )
    jumps, notes = _jumps_from_flights(det.flights_, test)
    if not jumps:
        raise InputError(
            "drop jump: only drops from the box were found, no rebound jump within "
            f"{MAX_CONTACT_MS:.0f} ms of landing"
        )
    notes = [*trace.notes, *notes, *det.rejected_]
    warnings: list[str] = []

    fs = trace.sampling_rate_hz
    dt = 1.0 / fs
    valid = [j for j in jumps if j.valid]
    heights = [j.height_flight_cm for j in valid]
    rsis = sorted((j.rsi for j in valid if j.rsi is not None), reverse=True)
    longest_s = max((j.flight_time_ms for j in valid), default=500.0) / 1000.0
    uncertainty = _sample_error_cm(dt, longest_s)

    if fs < _ADVISED_RATE_HZ:
        warnings.append(
            f"sampling at {fs:.0f} Hz: one sample ({dt * 1000:.0f} ms) is ±{uncertainty:.1f} cm "
            f"of height; record at {_ADVISED_RATE_HZ:.0f} Hz or more"
        )
    rotation = _rest_rotation_deg(trace)
    if rotation is None:
        warnings.append(
            "no still period found: stand still for 1–2 s before and between jumps so the "
            "recording can be checked"
        )
    elif rotation > _MAX_REST_ROTATION_DEG:
        warnings.append(
            f"the phone turned by {rotation:.0f}° between still periods: it seems hand-held "
            "or loose. Hand-held phones erred by ≈ 16–18 cm (PMC9947475); wear it tight at "
            "the waist (≈ 3 cm bias, Cabarkapa)"
        )
    mean_rsi: float | None
    if test == "rj10-5":
        best = rsis[:_BEST_N_RJT]
        mean_rsi = float(np.mean(best)) if best else None
        if len(rsis) < _BEST_N_RJT:
            warnings.append(
                f"only {len(rsis)} valid hops; the 10/5 score is the mean RSI of the best "
                f"{_BEST_N_RJT} of 10"
            )
        rsi_rule = (
            "mean RSI of the 5 best valid hops (Harper 2011; Comyns 2019); valid = a rebound "
            "hop with contact ≤ 250 ms"
        )
    else:
        mean_rsi = float(np.mean(rsis)) if rsis else None
        rsi_rule = "mean RSI of all valid jumps"
    if not valid:
        warnings.append("no valid jump: see each jump's note")
    notes.append(
        "Accuracy: the sampling bound is one sample of flight time; in practice a waist-worn "
        "accelerometer overestimated by ≈ 3.1 cm (Cabarkapa) and a hand-held phone erred by "
        "≈ 16–18 cm raw (PMC9947475)"
    )

    contacts = [j.contact_time_ms for j in valid if j.contact_time_ms is not None]
    summary: dict[str, Any] = {
        "best_height_cm": max(heights) if heights else None,
        "mean_height_cm": float(np.mean(heights)) if heights else None,
        "best_rsi": rsis[0] if rsis else None,
        "mean_rsi": mean_rsi,
        "mean_rsi_rule": rsi_rule if rsis else None,
        "mean_contact_time_ms": float(np.mean(contacts)) if contacts else None,
        "height_uncertainty_cm": uncertainty,
        "height_uncertainty_basis": (
            f"one sample ({dt * 1000:.1f} ms) of a {longest_s * 1000:.0f} ms flight, "
            "dh = g·t·dt/4; waist-worn bias ≈ 3 cm (Cabarkapa), hand-held ≈ 16–18 cm "
            "(PMC9947475)"
        ),
        "method": "flight time (free fall)",
        "sampling_rate_hz": fs,
        "n_jumps": len(jumps),
        "n_valid": len(valid),
        "free_fall_threshold_g": det.threshold_g,
        "min_flight_ms": det.min_flight_ms,
    }
    return JumpTestResult(
        test=test,
        input_kind="accelerometer",
        jumps=tuple(jumps),
        summary=summary,
        notes=tuple(notes),
        warnings=tuple(warnings),
        sources=SOURCES,
    )
