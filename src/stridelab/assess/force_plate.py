"""Jump and hop tests from a force-plate recording of vertical force.

In: a CSV export of a force plate (time and vertical force Fz; one plate, or left and
right plates) read by :func:`load_force_plate_csv` into a :class:`ForcePlateTrace`. Out:
a :class:`~stridelab.assess.result.JumpTestResult` from :func:`analyze_force_plate` (or
:class:`ForcePlateJumpDetector` for tuned thresholds).

Rules (each a parameter of :class:`ForcePlateJumpDetector`):

* **Body weight** — mean of the quietest 1 s before the first take-off (smallest SD among
  windows whose mean exceeds 100 N); it counts as quiet standing if its SD is at most 2 %
  of its mean. Research notes §3.
* **Movement onset** — first time the force leaves body weight ± 5 SD after ≥ 0.25 s of
  standing, minus 30 ms (Owen et al. 2014); the crossing is interpolated between samples.
* **Flight** — force below the larger of 20 N and 5 SD of the unloaded plate (McMahon
  et al. 2018). Take-off and landing are where the straight line through the samples
  either side of that threshold reaches 0 N, which removes most of the bias a threshold
  gives on a steep edge. An unloaded stretch longer than 1 s (≈ 1.2 m of jump height) or
  touching the start or end of the file is "off the plate" (e.g. standing on the box
  before a drop jump), not a flight.
* **Jump height** — impulse–momentum: v = ∫(F − BW)/m dt from onset to take-off
  (piecewise linear), h = v²/(2g) (Linthorne 2001); and flight time: h = g·t²/8 (Bosco
  et al. 1983). Primary: impulse–momentum for CMJ and squat jump; flight time for hops
  and drop jumps (whose impulse needs the touchdown velocity, taken as √(2·g·box height)
  when ``drop_height_cm`` is given).
* **Peak force** — largest total force from onset (or initial contact) to take-off.
* **RFD** — ΔF/Δt over 0–50, 0–100 and 0–200 ms (Maffiuletti et al. 2016), starting at
  movement onset for a squat jump, at the start of braking for a CMJ (force back above
  body weight after the unweighting; from onset the force *falls*) and at initial contact
  for hops and drop jumps. A window reaching past take-off has no value.
* **RSI** — height (m) / contact time (s) (Flanagan & Comyns 2008); **modified RSI** —
  height / time from onset to take-off (Ebben & Petushek 2010).
* **Hop series** — the jump from standing that starts the series is listed but not
  scored; a hop with contact > 250 ms is invalid (beyond the fast stretch-shortening
  cycle, Schmidtbleicher 1992). For ``rj10-5`` the RSI of the test is the mean of the
  best five valid hops (Harper, Hobbs & Moore 2011; reliability Comyns et al. 2019).
* **Asymmetry** (two plates) — (peak L − peak R) / larger peak × 100 %, positive when
  the left is higher (Impellizzeri et al. 2007, sign kept).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from stridelab.assess.force_plate_io import (
    MIN_SAMPLING_RATE_HZ,
    ForcePlateTrace,
    load_force_plate_csv,
)
from stridelab.assess.result import (
    G_M_S2,
    JUMP_TESTS,
    Jump,
    JumpTest,
    JumpTestResult,
    height_from_flight_cm,
)
from stridelab.errors import InputError

__all__ = [
    "MIN_SAMPLING_RATE_HZ",
    "SOURCES",
    "ForcePlateJumpDetector",
    "ForcePlateTrace",
    "analyze_force_plate",
    "load_force_plate_csv",
]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

_MIN_DURATION_S = 1.0
_LBF_TO_N = 4.4482216152605

SOURCES = (
    "Owen NJ, Watkins J, Kilduff LP, Bevan HR, Bennett MA (2014). Development of a "
    "criterion method to determine peak mechanical power output in a countermovement "
    "jump. J Strength Cond Res 28(6):1552-1558. [onset: BW ± 5 SD, minus 30 ms]",
    "McMahon JJ, Suchomel TJ, Lake JP, Comfort P (2018). Understanding the key phases of "
    "the countermovement jump force-time curve. Strength Cond J 40(4):96-106. "
    "[phases; take-off threshold 5 SD of the unloaded plate]",
    "Linthorne NP (2001). Analysis of standing vertical jumps using a force platform. "
    "Am J Phys 69(11):1198-1204. [impulse-momentum height]",
    "Bosco C, Luhtanen P, Komi PV (1983). A simple method for measurement of mechanical "
    "power in jumping. Eur J Appl Physiol 50:273-282. [h = g t^2 / 8]",
    "Maffiuletti NA et al. (2016). Rate of force development: physiological and "
    "methodological considerations. Eur J Appl Physiol 116:1091-1116. [RFD windows]",
    "Flanagan EP, Comyns TM (2008). The use of contact time and the reactive strength "
    "index to optimize fast stretch-shortening cycle training. Strength Cond J 30(5):32-38.",
    "Ebben WP, Petushek EJ (2010). Using the reactive strength index modified to evaluate "
    "plyometric performance. J Strength Cond Res 24(8):1983-1987. [RSImod]",
    "Schmidtbleicher D (1992). Training for power events. In: Komi PV (ed), Strength and "
    "Power in Sport. Blackwell. [fast SSC: contact < 250 ms]",
    "Harper D, Hobbs S, Moore J (2011). The 10 to 5 repeated jump test: a new test for "
    "evaluation of lower body reactive strength. BASES conference. [mean RSI of best 5]",
    "Comyns TM, Flanagan EP, Fleming S, Fitzgerald E, Harper DJ (2019). Interday "
    "reliability and usefulness of a reactive strength index derived from 2 maximal "
    "rebound jump tests. Int J Sports Physiol Perform 14(9):1200-1204.",
    "Impellizzeri FM, Rampinini E, Maffiuletti N, Marcora SM (2007). A vertical jump "
    "force test for assessing bilateral strength asymmetry in athletes. Med Sci Sports "
    "Exerc 39(11):2044-2050. [asymmetry index]",
)


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.nonzero(d == 1)[0]
    ends = np.nonzero(d == -1)[0] - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _interp(t: FloatArray, f: FloatArray, at: float) -> float:
    return float(np.interp(at, t, f))


def _integral(t: FloatArray, y: FloatArray, t0: float, t1: float) -> float:
    """Exact integral of the piecewise-linear interpolant of y over [t0, t1]."""
    inside = (t > t0) & (t < t1)
    ts = np.concatenate(([t0], t[inside], [t1]))
    ys = np.interp(ts, t, y)
    return float(np.sum((ys[1:] + ys[:-1]) * np.diff(ts)) / 2)


def _edge_zero(t: FloatArray, f: FloatArray, near: int, far: int, lo: int, hi: int) -> float:
    """Where the line through two loaded samples (``near`` next to the unloaded stretch,
    ``far`` one further) reaches 0 N, kept within samples ``lo``…``hi``.

    Both samples lie above the flight threshold, hence on the loaded edge; a sample below
    it may already be in the air and would bias the line by up to one sample.
    """
    lo, hi = max(lo, 0), min(hi, t.size - 1)
    if not 0 <= far < t.size or f[near] == f[far]:
        return float(t[near])
    at = float(t[near] + f[near] * (t[far] - t[near]) / (f[near] - f[far]))
    return min(max(at, float(t[lo])), float(t[hi]))


@dataclass(frozen=True)
class _Unloaded:
    first: int  # first sample below the threshold
    last: int  # last sample below the threshold
    off_plate: bool
    start_s: float  # take-off (or stepping off)
    end_s: float  # landing


@dataclass(frozen=True)
class _Standing:
    body_weight_n: float
    sd_n: float
    window_start_s: float
    measured: bool


# ---------------------------------------------------------------------------- detector


class ForcePlateJumpDetector:
    """Find jumps and hops in a :class:`ForcePlateTrace` and measure them.

    Parameters are stored unchanged; :meth:`detect` sets ``result_``,
    ``body_weight_n_``, ``flight_threshold_n_`` and ``unloaded_`` (take-off/landing
    pairs in seconds). The rules and their sources are in the module docstring.

    Parameters
    ----------
    quiet_window_s
        Length of the body-weight window (s).
    quiet_max_cv
        Largest SD / mean of that window that still counts as standing still.
    onset_sd
        Movement onset: force beyond body weight ± ``onset_sd`` SD.
    onset_backoff_ms
        Subtracted from that crossing (ms).
    onset_standing_s
        Standing needed right before an onset (s).
    flight_threshold_n
        Smallest flight threshold (N); raised to ``flight_sd`` SD of the unloaded plate.
    flight_sd
        See above.
    min_flight_ms
        Shorter unloaded stretches are ignored (ms).
    max_flight_s
        Longer unloaded stretches are off the plate, not flights (s).
    max_contact_ms
        Hops with longer ground contact are invalid (ms).
    """

    def __init__(
        self,
        *,
        quiet_window_s: float = 1.0,
        quiet_max_cv: float = 0.02,
        onset_sd: float = 5.0,
        onset_backoff_ms: float = 30.0,
        onset_standing_s: float = 0.25,
        flight_threshold_n: float = 20.0,
        flight_sd: float = 5.0,
        min_flight_ms: float = 30.0,
        max_flight_s: float = 1.0,
        max_contact_ms: float = 250.0,
    ) -> None:
        self.quiet_window_s = quiet_window_s
        self.quiet_max_cv = quiet_max_cv
        self.onset_sd = onset_sd
        self.onset_backoff_ms = onset_backoff_ms
        self.onset_standing_s = onset_standing_s
        self.flight_threshold_n = flight_threshold_n
        self.flight_sd = flight_sd
        self.min_flight_ms = min_flight_ms
        self.max_flight_s = max_flight_s
        self.max_contact_ms = max_contact_ms

    # -- phases --------------------------------------------------------------------

    def _unloaded(self, t: FloatArray, f: FloatArray, fs: float) -> tuple[float, list[_Unloaded]]:
        threshold = self.flight_threshold_n
        runs: list[tuple[int, int]] = []
        for _ in range(2):
            min_n = max(1, math.ceil(self.min_flight_ms / 1000.0 * fs))
            runs = [r for r in _runs(f < threshold) if r[1] - r[0] + 1 >= min_n]
            edge = max(1, round(0.01 * fs))
            quiet = [f[a + edge : b - edge + 1] for a, b in runs if b - a > 2 * edge + 2]
            if not quiet:
                break
            sd = float(np.std(np.concatenate(quiet)))
            new = max(self.flight_threshold_n, self.flight_sd * sd)
            if new <= threshold:
                break
            threshold = new
        out = []
        for a, b in runs:
            touches = a == 0 or b == f.size - 1
            start = _edge_zero(t, f, a - 1, a - 2, a - 1, a + 1) if a > 0 else float(t[0])
            end = _edge_zero(t, f, b + 1, b + 2, b - 1, b + 1) if b < f.size - 1 else float(t[-1])
            off = touches or end - start > self.max_flight_s
            out.append(_Unloaded(a, b, off, start, end))
        return threshold, out

    def _standing(
        self, t: FloatArray, f: FloatArray, fs: float, stop: int, mass_kg: float | None
    ) -> _Standing:
        n = round(self.quiet_window_s * fs)
        best: tuple[float, float, int] | None = None
        if stop >= n:
            seg = f[:stop]
            c1 = np.concatenate(([0.0], np.cumsum(seg)))
            c2 = np.concatenate(([0.0], np.cumsum(seg * seg)))
            mean = (c1[n:] - c1[:-n]) / n
            var = np.maximum((c2[n:] - c2[:-n]) / n - mean**2, 0.0)
            ok = mean > 100.0
            if ok.any():
                sd = np.sqrt(np.where(ok, var, np.inf))
                i = int(np.argmin(sd))
                # recompute the chosen window directly (cumulative sums lose precision)
                w = f[i : i + n]
                best = (float(np.mean(w)), float(np.std(w)), i)
        if best is not None and best[1] <= self.quiet_max_cv * best[0]:
            return _Standing(best[0], max(best[1], 0.1), float(t[best[2]]), True)
        if mass_kg is not None:
            return _Standing(mass_kg * G_M_S2, 0.0, math.nan, False)
        detail = (
            f"the steadiest {self.quiet_window_s:g} s before the first take-off varied by "
            f"SD {best[1]:.0f} N ({100 * best[1] / best[0]:.1f} % of {best[0]:.0f} N; "
            f"at most {100 * self.quiet_max_cv:.0f} % allowed)"
            if best is not None
            else f"less than {self.quiet_window_s:g} s of loaded plate before the first take-off"
        )
        raise InputError(
            f"no quiet standing: stand still for {self.quiet_window_s:g} s before jumping "
            f"({detail}); or pass mass_kg"
        )

    def _onset(
        self, t: FloatArray, f: FloatArray, fs: float, lo: int, hi: int, bw: float, band: float
    ) -> float | None:
        """Owen onset before sample ``hi``, searching after sample ``lo``."""
        inband = np.abs(f[lo:hi] - bw) <= band
        need = max(1, round(self.onset_standing_s * fs))
        stable = [r for r in _runs(inband) if r[1] - r[0] + 1 >= need]
        if not stable:
            return None
        e = lo + stable[-1][1]  # last standing sample
        if e + 1 >= hi:
            return None
        d0, d1 = abs(f[e] - bw), abs(f[e + 1] - bw)
        frac = (band - d0) / (d1 - d0) if d1 > d0 else 1.0
        cross = float(t[e] + frac * (t[e + 1] - t[e]))
        return cross - self.onset_backoff_ms / 1000.0

    @staticmethod
    def _braking_start(
        t: FloatArray, f: FloatArray, onset: float, takeoff: float, bw: float, band: float
    ) -> float:
        """First up-crossing of body weight after the unweighting minimum (else onset)."""
        sel = np.nonzero((t >= onset) & (t <= takeoff))[0]
        if sel.size < 3:
            return onset
        i_peak = sel[int(np.argmax(f[sel]))]
        before = sel[sel < i_peak]
        if before.size == 0 or f[before].min() > bw - band:
            return onset
        i_min = before[int(np.argmin(f[before]))]
        up = np.nonzero(f[i_min : i_peak + 1] >= bw)[0]
        if up.size == 0:
            return onset
        b = i_min + int(up[0])
        a = b - 1
        frac = (bw - f[a]) / (f[b] - f[a]) if f[b] != f[a] else 0.0
        return float(t[a] + frac * (t[b] - t[a]))

    # -- the analysis ----------------------------------------------------------------

    def detect(
        self,
        trace: ForcePlateTrace,
        /,
        *,
        test: JumpTest,
        mass_kg: float | None = None,
        drop_height_cm: float | None = None,
    ) -> Self:
        """Analyse ``trace`` as a ``test``; sets ``result_`` (a JumpTestResult).

        Raises
        ------
        InputError
            Unknown test, no flight phase, or no quiet standing (and no ``mass_kg``).
        """
        if test not in JUMP_TESTS:
            raise InputError(f"unknown test {test!r}; expected one of {', '.join(JUMP_TESTS)}")
        if mass_kg is not None and not 10.0 <= mass_kg <= 300.0:
            raise InputError(f"mass_kg {mass_kg:g} is not a body mass (10–300 kg)")
        if drop_height_cm is not None and not 0.0 < drop_height_cm <= 150.0:
            raise InputError(f"drop_height_cm {drop_height_cm:g} is not a box height (0–150 cm)")
        t, f, fs = trace.time_s, trace.force_n, trace.sampling_rate_hz
        warnings: list[str] = []
        notes: list[str] = list(trace.notes)

        threshold, unloaded = self._unloaded(t, f, fs)
        flights = [
            (i, u) for i, u in enumerate(unloaded) if not u.off_plate and u.start_s < u.end_s
        ]
        if not flights:
            raise InputError(
                f"no flight phase found: the force never dropped below {threshold:.0f} N "
                "between two ground contacts, so the person did not leave the plate "
                f"(lowest force {float(f.min()):.0f} N). Was the jump on the plate?"
            )
        stop = next((u.first for u in unloaded if u.first > 0), f.size)
        standing = self._standing(t, f, fs, stop, mass_kg)
        bw = standing.body_weight_n
        band = self.onset_sd * standing.sd_n
        mass = bw / G_M_S2
        if standing.measured:
            notes.append(
                f"body weight {bw:.1f} N (SD {standing.sd_n:.1f} N) from "
                f"{self.quiet_window_s:g} s of standing at {standing.window_start_s:.2f} s"
            )
            if mass_kg is not None and abs(mass - mass_kg) > 0.05 * mass_kg:
                warnings.append(
                    f"the plate weighs {mass:.1f} kg but mass_kg is {mass_kg:g}; "
                    "the plate's body weight is used"
                )
        else:
            warnings.append(
                f"no quiet standing found; body weight from mass_kg ({bw:.0f} N); onset-based "
                "values (impulse height, RFD, mRSI) are less certain"
            )
        self.body_weight_n_ = bw
        self.flight_threshold_n_ = threshold
        self.unloaded_ = tuple((u.start_s, u.end_s) for u in unloaded)

        if test in ("cmj", "squat"):
            jumps = self._standing_jumps(trace, unloaded, flights, bw, band, mass, test)
        else:
            jumps = self._contact_jumps(
                trace, unloaded, flights, bw, mass, test, drop_height_cm, warnings
            )
        if not jumps:
            raise InputError(
                "no drop jump found: expected stepping off the plate (onto the box), a "
                "landing, a contact and a flight"
                if test == "drop"
                else "no jump found"
            )
        summary = self._summary(jumps, test, bw, standing, mass, fs, threshold)
        notes += self._method_notes(test, drop_height_cm)
        self.result_ = JumpTestResult(
            test=test,
            input_kind="force_plate",
            jumps=tuple(jumps),
            summary=summary,
            notes=tuple(notes),
            warnings=tuple(warnings),
            sources=SOURCES,
        )
        logger.debug("force plate %s: %d jumps", test, len(jumps))
        return self

    def _peaks(self, trace: ForcePlateTrace, t0: float, t1: float) -> tuple[float, float | None]:
        t, f = trace.time_s, trace.force_n
        sel = (t >= t0) & (t <= t1)
        if not sel.any():
            return math.nan, None
        peak = float(f[sel].max())
        asym = None
        if trace.force_left_n is not None and trace.force_right_n is not None:
            pl = float(trace.force_left_n[sel].max())
            pr = float(trace.force_right_n[sel].max())
            if max(pl, pr) > 0:
                asym = 100.0 * (pl - pr) / max(pl, pr)
        return peak, asym

    @staticmethod
    def _rfd(t: FloatArray, f: FloatArray, start: float, takeoff: float) -> list[float | None]:
        out: list[float | None] = []
        f0 = _interp(t, f, start)
        for w_ms in (50, 100, 200):
            w = w_ms / 1000.0
            out.append(None if start + w > takeoff + 1e-9 else (_interp(t, f, start + w) - f0) / w)
        return out

    def _standing_jumps(
        self,
        trace: ForcePlateTrace,
        unloaded: list[_Unloaded],
        flights: list[tuple[int, _Unloaded]],
        bw: float,
        band: float,
        mass: float,
        test: str,
    ) -> list[Jump]:
        t, f, fs = trace.time_s, trace.force_n, trace.sampling_rate_hz
        jumps = []
        for k, (i, u) in enumerate(flights, start=1):
            lo = unloaded[i - 1].last + 1 if i > 0 else 0
            onset = self._onset(t, f, fs, lo, u.first, bw, band)
            flight_s = u.end_s - u.start_s
            h_flight = height_from_flight_cm(flight_s)
            note = None
            h_imp = v = mrsi = None
            rfd: list[float | None] = [None, None, None]
            if onset is None:
                note = "no standing before this jump: no onset, impulse height or RFD"
                t_from = float(t[lo])
            else:
                v = _integral(t, (f - bw) / mass, onset, u.start_s)
                h_imp = 100.0 * max(v, 0.0) ** 2 / (2 * G_M_S2)
                start = (
                    onset
                    if test == "squat"
                    else self._braking_start(t, f, onset, u.start_s, bw, band)
                )
                rfd = self._rfd(t, f, start, u.start_s)
                t_from = onset
            h_m = (h_imp if h_imp is not None else h_flight) / 100.0
            if onset is not None:
                mrsi = h_m / (u.start_s - onset)
            peak, asym = self._peaks(trace, t_from, u.start_s)
            jumps.append(
                Jump(
                    index=k,
                    takeoff_time_s=u.start_s,
                    landing_time_s=u.end_s,
                    flight_time_ms=1000.0 * flight_s,
                    height_flight_cm=h_flight,
                    height_impulse_cm=h_imp,
                    mrsi=mrsi,
                    peak_force_n=peak,
                    rfd_0_50_n_per_s=rfd[0],
                    rfd_0_100_n_per_s=rfd[1],
                    rfd_0_200_n_per_s=rfd[2],
                    takeoff_velocity_m_s=v,
                    asymmetry_pct=asym,
                    valid=onset is not None,
                    note=note,
                )
            )
        return jumps

    def _contact_jumps(
        self,
        trace: ForcePlateTrace,
        unloaded: list[_Unloaded],
        flights: list[tuple[int, _Unloaded]],
        bw: float,
        mass: float,
        test: str,
        drop_height_cm: float | None,
        warnings: list[str],
    ) -> list[Jump]:
        t, f = trace.time_s, trace.force_n
        jumps: list[Jump] = []
        for i, u in flights:
            prev = unloaded[i - 1] if i > 0 else None
            flight_s = u.end_s - u.start_s
            h_flight = height_from_flight_cm(flight_s)
            k = len(jumps) + 1
            if prev is None or (test == "drop") != prev.off_plate:
                if test == "drop":
                    continue  # a jump not preceded by a drop from the box
                jumps.append(
                    Jump(
                        index=k,
                        takeoff_time_s=u.start_s,
                        landing_time_s=u.end_s,
                        flight_time_ms=1000.0 * flight_s,
                        height_flight_cm=h_flight,
                        valid=False,
                        note="jump from standing that starts the series; not scored",
                    )
                )
                continue
            contact_s = u.start_s - prev.end_s
            if contact_s > 1.0:  # stood between two hops: a new series starts
                jumps.append(
                    Jump(
                        index=k,
                        takeoff_time_s=u.start_s,
                        landing_time_s=u.end_s,
                        flight_time_ms=1000.0 * flight_s,
                        height_flight_cm=h_flight,
                        valid=False,
                        note=f"contact {1000 * contact_s:.0f} ms: a new start, not a hop",
                    )
                )
                continue
            peak, asym = self._peaks(trace, prev.end_s, u.start_s)
            rfd = self._rfd(t, f, prev.end_s, u.start_s)
            h_imp = v = None
            if test == "drop" and drop_height_cm is not None:
                v_td = -math.sqrt(2 * G_M_S2 * drop_height_cm / 100.0)
                v = v_td + _integral(t, (f - bw) / mass, prev.end_s, u.start_s)
                h_imp = 100.0 * max(v, 0.0) ** 2 / (2 * G_M_S2)
            valid = 1000.0 * contact_s <= self.max_contact_ms
            jumps.append(
                Jump(
                    index=k,
                    takeoff_time_s=u.start_s,
                    landing_time_s=u.end_s,
                    flight_time_ms=1000.0 * flight_s,
                    height_flight_cm=h_flight,
                    contact_time_ms=1000.0 * contact_s,
                    height_impulse_cm=h_imp,
                    rsi=h_flight / 100.0 / contact_s,
                    peak_force_n=peak,
                    rfd_0_50_n_per_s=rfd[0],
                    rfd_0_100_n_per_s=rfd[1],
                    rfd_0_200_n_per_s=rfd[2],
                    takeoff_velocity_m_s=v,
                    asymmetry_pct=asym,
                    valid=valid,
                    note=None
                    if valid
                    else f"contact {1000 * contact_s:.0f} ms > {self.max_contact_ms:.0f} ms: "
                    "not a fast rebound",
                )
            )
        if test != "drop" and not any(j.valid for j in jumps):
            warnings.append(
                f"no valid hop: every contact was longer than {self.max_contact_ms:.0f} ms "
                "or there were no rebounds"
            )
        return jumps

    def _summary(
        self,
        jumps: list[Jump],
        test: str,
        bw: float,
        standing: _Standing,
        mass: float,
        fs: float,
        threshold: float,
    ) -> dict[str, Any]:
        impulse = test in ("cmj", "squat")
        valid = [j for j in jumps if j.valid]

        def height(j: Jump) -> float:
            if impulse and j.height_impulse_cm is not None:
                return j.height_impulse_cm
            return j.height_flight_cm

        heights = [height(j) for j in valid]
        rsis = [j.rsi for j in valid if j.rsi is not None]
        mrsis = [j.mrsi for j in valid if j.mrsi is not None]
        diffs = [
            abs(j.height_impulse_cm - j.height_flight_cm)
            for j in valid
            if j.height_impulse_cm is not None
        ]
        resolution = max(
            (G_M_S2 * (j.flight_time_ms / 1000.0) / fs / 4 * 100.0 for j in valid), default=0.0
        )
        summary: dict[str, Any] = {
            "best_height_cm": max(heights) if heights else None,
            "mean_height_cm": float(np.mean(heights)) if heights else None,
            "best_rsi": max(rsis) if rsis else None,
            "mean_rsi": float(np.mean(rsis)) if rsis else None,
            "height_uncertainty_cm": max([resolution, *diffs]) if valid else None,
            "height_uncertainty_basis": (
                "larger of the impulse–flight height difference and the one-sample "
                "flight-time resolution g·t·Δt/4"
            ),
            "method": "impulse-momentum" if impulse else "flight time",
            "body_weight_n": bw,
            "body_weight_sd_n": standing.sd_n if standing.measured else None,
            "mass_kg": mass,
            "sampling_rate_hz": fs,
            "flight_threshold_n": threshold,
            "n_jumps": len(jumps),
            "n_valid": len(valid),
        }
        if impulse:
            summary["best_mrsi"] = max(mrsis) if mrsis else None
            summary["mean_mrsi"] = float(np.mean(mrsis)) if mrsis else None
        else:
            contacts = [j.contact_time_ms for j in valid if j.contact_time_ms is not None]
            summary["mean_contact_time_ms"] = float(np.mean(contacts)) if contacts else None
        if test == "rj10-5":
            best5 = sorted(rsis, reverse=True)[:5]
            summary["rsi_10_5"] = float(np.mean(best5)) if len(best5) == 5 else None
        asyms = [j.asymmetry_pct for j in valid if j.asymmetry_pct is not None]
        if asyms:
            summary["mean_asymmetry_pct"] = float(np.mean(asyms))
        return summary

    @staticmethod
    def _method_notes(test: str, drop_height_cm: float | None) -> list[str]:
        notes = [
            "take-off/landing: force line through the flight threshold extrapolated to 0 N",
        ]
        if test in ("cmj", "squat"):
            notes.append(
                "height by impulse–momentum from movement onset (BW ± 5 SD − 30 ms, Owen "
                "2014); flight-time height also given (it reads higher if the landing "
                "posture differs)"
            )
            notes.append(
                "RFD windows start at "
                + ("movement onset" if test == "squat" else "the start of braking")
            )
        else:
            notes.append("height by flight time; RFD windows start at initial contact")
            if test == "drop" and drop_height_cm is not None:
                notes.append(f"impulse height assumes touchdown at √(2·g·{drop_height_cm:g} cm)")
            if test == "rj10-5":
                notes.append("rsi_10_5 = mean RSI of the best 5 valid hops (Harper 2011)")
        return notes


def analyze_force_plate(
    trace: ForcePlateTrace,
    /,
    *,
    test: JumpTest,
    mass_kg: float | None = None,
    drop_height_cm: float | None = None,
) -> JumpTestResult:
    """Analyse a force-plate jump or hop test with the default rules.

    Parameters
    ----------
    trace
        Vertical force (N) on a time axis, ≥ 500 Hz.
    test
        ``"cmj"``, ``"squat"``, ``"drop"``, ``"pogo"`` or ``"rj10-5"``.
    mass_kg
        Body mass (kg); used only when no quiet standing is found (the plate's own
        body weight wins otherwise, with a warning if they differ by > 5 %).
    drop_height_cm
        Box height of a drop jump (cm), for the impulse height.

    Returns
    -------
    JumpTestResult
        ``input_kind="force_plate"``; see :class:`ForcePlateJumpDetector` for the rules.
    """
    detector = ForcePlateJumpDetector().detect(
        trace, test=test, mass_kg=mass_kg, drop_height_cm=drop_height_cm
    )
    return detector.result_
