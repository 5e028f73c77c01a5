"""Jump and hop tests from a side-view video (flight time from the feet).

In: a video file (side view, feet visible; slow motion with ``capture_fps`` or its
capture-rate tag) — :func:`analyze_jump_video` runs the pose model (BlazePose full,
offline) — or a :class:`~stridelab.video.keypoints.PoseTrack` from any source
(:func:`analyze_jump_track`). Out: a :class:`~stridelab.assess.result.JumpTestResult`
with ``input_kind="video"``, the same shape as the force-plate and accelerometer
results (force, impulse height and RFD are ``null``: a video cannot give them).

Method (:class:`VideoJumpDetector`).

1. **Floor line**: the Theil–Sen ground line of the gait pipeline
   (:func:`stridelab.gait.events.fit_ground_line`) through the lowest heel and toe
   points; the image is rotated so that this line is level (a tilted camera does not
   matter) and heights are measured up from it.
2. **Foot height**: take-off is the moment the *toes* leave the ground (the heels rise
   earlier, in push-off) and landing the moment they touch it again (jumpers land on
   the forefoot), so the signal is the mean height of the two toe keypoints, each
   above its own ground level (a low percentile of its height). Both feet move together
   in these tests, so a left/right swap of the pose model does not matter.
3. **Airborne** where that height exceeds a band of ``max(band_leg_fraction × leg
   length, noise_factor × keypoint jitter)``; a flight must last ``min_flight_ms`` and
   lift the toes by ``min_lift_leg_fraction`` of the leg.
4. **Sub-frame timing**: the toes leave (and reach) the ground at speed (≈ the
   take-off velocity, 1.5–3 m/s), so the edge is a straight line over a few frames: a
   line through the first (last) airborne samples within ``edge_fit_ms`` is extended
   down to the toes' own level next to the edge (their median height over the
   ``level_window_ms`` of ground frames before take-off or after landing: the toe
   landmark creeps up as the heel rises), and the moment is kept between the first
   airborne frame and the nearest frame at ground level. On exact keypoints this times
   the edges to a few ms at 30 fps as at 240 fps. BlazePose puts the toe of a pointed
   foot higher on the shoe than that of a flat foot, so its toe reads high when the
   foot leaves or touches the floor; for BlazePose tracks the level at an edge is
   raised by :data:`BLAZEPOSE_TOE_CONTACT_OFFSET_LEG` (measured on rendered truth).
   Through BlazePose the pose model, not the frame rate, limits the accuracy above
   60 fps (figures in docs/jumps.md).

Height h = g·t²/8 (Bosco 1983), RSI = height (m) / contact time (s) (Flanagan & Comyns
2008). For hops a flight's contact time is the ground time since the previous landing
(≤ 600 ms; longer is a pause). Validity of hops follows the accelerometer analysis:
the first hop from standing has no contact time, contacts over 250 ms are not fast
stretch-shortening hops (Young 1995, used by Harper 2011 for the 10/5 test) and are
left out of RSI; the 10/5 score is the mean RSI of the best 5 valid hops (Harper 2011;
Comyns 2019), the mean over all valid hops is also given.

Frame-rate uncertainty. A flight timed to whole frames is off by up to one frame
``dt``, which is ``dh = g·t·dt/4`` of height at flight time ``t`` (from dh/dt = g·t/4):
≈ 4 cm at 30 fps and ≈ 0.5 cm at 240 fps for a 0.5 s flight. The result states this
bound and, separately, the error measured through BlazePose on rendered truth
(:data:`MEASURED_FLIGHT_ERROR_MS`); below 60 fps it warns.
"""

from __future__ import annotations

import itertools
import logging
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridelab.assess.result import (
    G_M_S2,
    JUMP_TESTS,
    Jump,
    JumpTest,
    JumpTestResult,
    height_from_flight_cm,
)
from stridelab.errors import InputError, NoPersonError
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, leg_length_px

__all__ = [
    "ADVISED_FPS",
    "BLAZEPOSE_TOE_CONTACT_OFFSET_LEG",
    "MEASURED_FLIGHT_ERROR_MS",
    "MIN_JUMP_FPS",
    "SOURCES",
    "FootFlight",
    "VideoJumpDetector",
    "analyze_jump_track",
    "analyze_jump_video",
    "default_detector",
    "frame_height_error_cm",
    "measured_flight_error_ms",
]

log = logging.getLogger(__name__)

#: Slowest capture rate accepted (fps): one frame is 42 ms, ±5 cm on a 0.5 s flight.
MIN_JUMP_FPS = 24.0
#: Below this a warning says how much height one frame costs.
ADVISED_FPS = 60.0
#: Hops with a longer ground contact are not fast stretch-shortening hops (ms).
FAST_SSC_CONTACT_MS = 250.0
#: A ground time longer than this between flights is a pause, not a hop contact (ms).
MAX_CONTACT_MS = 600.0
#: Flights longer than this are not jumps (ms); h ≈ 1.2 m.
MAX_FLIGHT_MS = 1000.0
_BEST_N_RJT = 5
_MIN_FRAMES = 10
#: Toe lift in a flight over the pelvis rise g·t²/8 that flight implies, both in leg
#: lengths (leg taken as 0.86 m: thigh + shank = 0.491 × a 1.75 m height, Winter). The
#: toes rise at least as much as the centre of mass (≥ 1.2 on the synthetic jumper at
#: 155–200 cm); a clip slowed 2× reads 0.31–0.46 (flights twice as long, lift the same).
#: Below this a warning asks for the capture rate.
_MIN_LIFT_RATIO = 0.7
_NOMINAL_LEG_M = 0.86

#: Where BlazePose's toe landmark reads when a plantarflexed foot touches the floor,
#: above its flat-foot level, as a fraction of leg length. Measured on rendered jumps
#: of exact truth (``synthetic/jump_video.py``): the landmark slides up the toe box as
#: the foot points down (it reads ≈ 6–7 % of the leg high at the instants of take-off
#: and landing, ≈ 4 % through mid-flight), so without it flights read 25–60 ms long.
#: Chosen on four rendered clips (30–240 fps) of the default figure; on nine held-out
#: rendered clips (other rates, bodies, distances, cameras, seeds; docs/jumps.md) every
#: flight stays within :data:`MEASURED_FLIGHT_ERROR_MS`. Not checked on real footage.
#: Above the 5 % airborne band, so through BlazePose most edges stay at the first/last
#: airborne frame (whole-frame timing).
BLAZEPOSE_TOE_CONTACT_OFFSET_LEG = 0.07

#: Flight-time error (ms, |measured − true|, median and max) measured through BlazePose
#: full on rendered jumps of exact truth (``benchmarks/validate_jumps.py --video``; all
#: five tests, frame rate → (median, max)). Used to state the detection error.
MEASURED_FLIGHT_ERROR_MS: dict[float, tuple[float, float]] = {
    30.0: (31.0, 55.0),
    60.0: (16.0, 47.0),
    240.0: (7.0, 23.0),
}

SOURCES = (
    "Bosco C, Luhtanen P, Komi PV (1983). A simple method for measurement of mechanical "
    "power in jumping. Eur J Appl Physiol 50:273–282 (height from flight time, h = g·t²/8).",
    "Flanagan EP, Comyns TM (2008). The use of contact time and the reactive strength index "
    "to optimize fast stretch-shortening cycle training. Strength Cond J 30(5):32–38 "
    "(RSI = jump height / contact time).",
    "Harper D, Hobbs S, Moore J (2011). The ten to five repeated jump test: a new test for "
    "evaluation of lower body reactive strength. BASES Student Conference, Chester "
    "(10 hops, RSI = mean of the best 5; fast SSC contact < 0.25 s after Young 1995).",
    "Comyns TM, Flanagan EP, Fleming S, Fitzgerald E, Harper DJ (2019). Interday "
    "reliability and usefulness of a reactive strength index derived from 2 maximal rebound "
    "jump tests. Int J Sports Physiol Perform 14(9):1200–1204 (10/5 test: ICC ≥ 0.80, "
    "CV ≤ 10%).",
    "Balsalobre-Fernández C, Glaister M, Lockey RA (2015). The validity and reliability of "
    "an iPhone app for measuring vertical jump performance. J Sports Sci 33(15):1574–1579 "
    "(flight time from 240 fps slow-motion video agrees with a force plate, r ≈ 0.997).",
)

_IDX = {k: i for i, k in enumerate(KEYPOINTS)}
_TOES = (_IDX["left_toe"], _IDX["right_toe"])
_FEET = tuple(_IDX[f"{s}_{p}"] for s in ("left", "right") for p in ("heel", "toe"))


def frame_height_error_cm(flight_time_s: float, fps: float, /) -> float:
    """Height error of one frame of flight time: dh = g·t·dt/4 (from dh/dt = g·t/4), cm."""
    return 100.0 * G_M_S2 * flight_time_s / (4.0 * fps)


def measured_flight_error_ms(fps: float, /) -> tuple[float, float]:
    """(median, max) flight-time error (ms) measured through BlazePose at the nearest
    benchmarked frame rate (on a log scale); scaled by frame time outside the range."""
    rates = sorted(MEASURED_FLIGHT_ERROR_MS)
    nearest = min(rates, key=lambda r: abs(math.log(r / fps)))
    med, mx = MEASURED_FLIGHT_ERROR_MS[nearest]
    scale = max(1.0, nearest / fps) if fps < rates[0] else 1.0
    return med * scale, mx * scale


# ------------------------------------------------------------------------ detection


@dataclass(frozen=True)
class FootFlight:
    """One period with both feet off the floor, times in real seconds.

    ``from_floor`` is False when the feet were already above the floor at the start of
    the clip (standing on a box: the drop of a drop jump). ``edge_quality`` in [0, 1]
    says how well the take-off and landing edges were resolved (1: both sub-frame).
    """

    takeoff_time_s: float
    landing_time_s: float
    peak_height_px: float
    from_floor: bool = True
    edge_quality: float = 1.0

    @property
    def flight_time_s(self) -> float:
        return self.landing_time_s - self.takeoff_time_s


class VideoJumpDetector:
    """Find flights from the toe keypoints of a side-view pose track.

    Parameters
    ----------
    band_leg_fraction
        Toe height above its ground level that counts as airborne, as a fraction of the
        leg length (thigh + shank); 0.05 ≈ 4 cm on an adult (design choice: above the
        toe landmark's creep as the heel rises in push-off, seen up to ≈ 4 % of the leg
        through BlazePose, and far below any jump's foot clearance).
    noise_factor
        The band is at least this many times the toe keypoints' jitter in stance.
    level_percentile
        Percentile of a toe's height taken as its ground level (the feet are on the
        floor for a large share of any jump clip: quiet standing, contacts).
    min_flight_ms
        Shorter airborne periods are noise (80 ms ≈ 0.8 cm of height).
    min_lift_leg_fraction
        A flight must lift the toes at least this much (fraction of leg length).
    edge_fit_ms
        The take-off/landing line is fitted to the airborne samples within this time of
        the edge (at least two samples).
    level_window_ms
        The toes' level at an edge is their median height over this much of ground
        frames next to it (0: the clip-wide level).
    contact_offset_leg_fraction
        The toes' level at an edge is at least this (fraction of leg length) above the
        clip-wide level: where the pose model's toe point reads when a pointed foot
        touches the floor (0 for exact keypoints; see
        :data:`BLAZEPOSE_TOE_CONTACT_OFFSET_LEG`).
    one_foot_leg_fraction
        A toe higher than this (fraction of leg length) is "up" for the running check:
        in a jump both toes are up together, in running one foot swings high while the
        other is on the ground.
    """

    def __init__(
        self,
        *,
        band_leg_fraction: float = 0.05,
        noise_factor: float = 4.0,
        level_percentile: float = 10.0,
        min_flight_ms: float = 80.0,
        min_lift_leg_fraction: float = 0.06,
        edge_fit_ms: float = 30.0,
        one_foot_leg_fraction: float = 0.12,
        level_window_ms: float = 50.0,
        contact_offset_leg_fraction: float = 0.0,
    ) -> None:
        self.contact_offset_leg_fraction = contact_offset_leg_fraction
        self.level_window_ms = level_window_ms
        self.one_foot_leg_fraction = one_foot_leg_fraction
        self.band_leg_fraction = band_leg_fraction
        self.noise_factor = noise_factor
        self.level_percentile = level_percentile
        self.min_flight_ms = min_flight_ms
        self.min_lift_leg_fraction = min_lift_leg_fraction
        self.edge_fit_ms = edge_fit_ms

    def detect(self, track: PoseTrack, /) -> VideoJumpDetector:
        """Detect flights; results in ``flights_``, ``height_px_`` (the toe-height signal),
        ``band_px_``, ``leg_px_``, ``noise_px_``, ``ground_`` (the floor line),
        ``one_foot_fraction_`` (share of airborne frames with only one foot up) and
        ``rejected_`` (notes on airborne periods that are not jumps)."""
        from stridelab.gait.events import fit_ground_line, ground_frame

        t = track.time_s
        leg = leg_length_px(track.xy_px)
        if not np.isfinite(leg) or leg <= 0:
            raise NoPersonError("the legs are not visible: film the whole body, head to shoes")
        ground = fit_ground_line(track, leg_px=leg)
        uv = ground_frame(track.xy_px, ground, "right")
        per_toe = []
        for j in _TOES:
            h = uv[:, j, 1].copy()
            h[track.confidence[:, j] < 0.05] = np.nan
            finite = h[np.isfinite(h)]
            level = float(np.percentile(finite, self.level_percentile)) if finite.size else np.nan
            per_toe.append(h - level)
        toes = np.stack(per_toe)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            z = np.nanmean(toes, axis=0)
        z = _fill_short_gaps(t, z, max_gap_s=0.1)
        noise = _stance_noise_px(z, leg)
        band = max(self.band_leg_fraction * leg, self.noise_factor * noise)
        with np.errstate(invalid="ignore"):
            grounded = z[np.isfinite(z) & (z < band)]
        self._band, self._leg = band, leg
        self._stance_px = float(np.percentile(grounded, 90)) if grounded.size else band / 2
        with np.errstate(invalid="ignore"):
            air = z > band
            # one foot clearly up while the other is down: running or walking (a jump
            # lifts both; the far toe is too noisy to compare at the airborne band)
            each = toes > self.one_foot_leg_fraction * leg
        both_seen = np.isfinite(toes).all(axis=0)
        any_up = each.any(axis=0) & both_seen
        self.one_foot_fraction_ = (
            float(np.mean(each[:, any_up].sum(axis=0) == 1)) if any_up.sum() >= 5 else 0.0
        )
        flights: list[FootFlight] = []
        rejected: list[str] = []
        n = t.shape[0]
        for a, b in _runs(air):  # frames a .. b-1 airborne
            peak = float(np.nanmax(z[a:b]))
            if b >= n:
                rejected.append(f"feet off the floor at the end of the clip ({t[a]:.2f} s)")
                continue
            if peak < self.min_lift_leg_fraction * leg:
                continue
            t_land, q_land = self._edge(t, z, b - 1, rising=False)
            if a == 0:
                flights.append(FootFlight(float(t[0]), t_land, peak, False, q_land))
                continue
            t_off, q_off = self._edge(t, z, a, rising=True)
            if (t_land - t_off) * 1000.0 < self.min_flight_ms:
                continue
            flights.append(FootFlight(t_off, t_land, peak, True, min(q_off, q_land)))
        self.flights_ = tuple(flights)
        self.rejected_ = tuple(rejected)
        self.height_px_ = z
        self.band_px_ = band
        self.leg_px_ = leg
        self.noise_px_ = noise
        self.ground_ = ground
        return self

    def _edge(
        self, t: NDArray[np.float64], z: NDArray[np.float64], k: int, *, rising: bool
    ) -> tuple[float, float]:
        """Sub-frame take-off (``rising``: ``k`` is the first airborne frame) or landing
        (``k`` the last airborne frame): a line through the airborne samples within
        ``edge_fit_ms`` of the edge, extended to height 0, kept between ``k`` and the
        nearest frame at the ground level (below the 90th percentile of the grounded
        heights), at most ``edge_fit_ms`` away. Returns (time, quality 1 if resolved else 0.5)."""
        n = t.shape[0]
        step = 1 if rising else -1
        ground_i = k - step
        dt = float(np.median(np.diff(t)))
        m = max(2, round(self.edge_fit_ms / 1000.0 / dt) + 1)
        idx = [k + step * i for i in range(m) if 0 <= k + step * i < n]
        idx = [i for i in idx if np.isfinite(z[i])]
        # the bound on the ground side: the last frame still at the ground level (within
        # the stance spread), at most ``edge_fit_ms`` before the airborne frame
        back = max(1, round(self.edge_fit_ms / 1000.0 / dt))
        for _ in range(back):
            if not (0 <= ground_i - step < n and np.isfinite(z[ground_i])):
                break
            if z[ground_i] <= self._stance_px:
                break
            ground_i -= step
        lo, hi = sorted((float(t[ground_i]), float(t[k])))
        # fallback: where the line between the ground frame and ``k`` crosses the band
        zg, zk = float(z[k - step]), float(z[k])
        frac = (self._band - zg) / (zk - zg) if np.isfinite(zg) and zk > zg else 0.5
        t_prev = float(t[k - step])
        fallback = t_prev + float(np.clip(frac, 0.0, 1.0)) * (float(t[k]) - t_prev)
        if len(idx) < 2:
            return fallback, 0.5
        slope, intercept = np.polyfit(t[idx], z[idx], 1)
        if slope * step <= 0:
            return fallback, 0.5
        # the toe's own level next to the edge (it creeps up as the heel rises before
        # take-off and settles after landing): grounded frames within ``level_window_ms``
        win = max(1, round(self.level_window_ms / 1000.0 / dt))
        near = [ground_i - step * i for i in range(win) if 0 <= ground_i - step * i < n]
        zn = z[near]
        zn = zn[np.isfinite(zn) & (zn <= self._stance_px)]
        level = float(np.median(zn)) if zn.size and self.level_window_ms > 0 else 0.0
        level = max(level, self.contact_offset_leg_fraction * self._leg)
        t0 = (level - intercept) / slope
        return float(min(max(t0, lo), hi)), 1.0


def _fill_short_gaps(
    t: NDArray[np.float64], z: NDArray[np.float64], *, max_gap_s: float
) -> NDArray[np.float64]:
    out = z.copy()
    ok = np.isfinite(z)
    if ok.sum() < 2:
        return out
    for a, b in _runs(~ok):
        if a == 0 or b >= z.shape[0] or t[b] - t[a - 1] > max_gap_s:
            continue
        out[a:b] = np.interp(t[a:b], [t[a - 1], t[b]], [z[a - 1], z[b]])
    return out


def _stance_noise_px(z: NDArray[np.float64], leg: float) -> float:
    """Robust SD of the frame-to-frame jitter of the toe height while on the floor."""
    low = np.isfinite(z) & (z < 0.05 * leg)
    d = np.diff(z)[low[1:] & low[:-1]]
    if d.size < 5:
        return 0.0
    return float(1.4826 * np.median(np.abs(d - np.median(d))) / math.sqrt(2.0))


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def default_detector(pose_source: str, /) -> VideoJumpDetector:
    """The detector for keypoints from ``pose_source``: BlazePose (``mediapipe…``) gets
    :data:`BLAZEPOSE_TOE_CONTACT_OFFSET_LEG`, exact keypoints no offset."""
    offset = BLAZEPOSE_TOE_CONTACT_OFFSET_LEG if pose_source.startswith("mediapipe") else 0.0
    return VideoJumpDetector(contact_offset_leg_fraction=offset)


# ------------------------------------------------------------------------- analysis


def _feet_outside_fraction(track: PoseTrack) -> float:
    """Share of the frames with a person in which a heel or toe is outside the frame or
    unsure (model visibility < 0.3)."""
    present = np.isfinite(track.xy_px).all(axis=2).any(axis=1)
    if not present.any():
        return 1.0
    feet = track.xy_px[present][:, _FEET, :]
    conf = track.confidence[present][:, _FEET]
    with np.errstate(invalid="ignore"):
        out = (
            ~np.isfinite(feet).all(axis=2)
            | (feet[..., 1] > track.height_px)
            | (feet[..., 0] < 0)
            | (feet[..., 0] > track.width_px)
            | (conf < 0.3)
        )
    return float(np.mean(out.sum(axis=1) >= 2))


def _body_tilt_deg(track: PoseTrack) -> float | None:
    """Median angle (degrees) of the ankles→shoulders line from the image's up direction
    (0 upright, ±90 on its side, 180 upside down); None without enough frames."""
    mid = {
        p: (track.point(f"left_{p}") + track.point(f"right_{p}")) / 2.0
        for p in ("shoulder", "ankle")
    }
    d = mid["shoulder"] - mid["ankle"]
    ok = np.isfinite(d).all(axis=1)
    if ok.sum() < 5:
        return None
    # image y points down: upright is (0, -1)
    ang = np.degrees(np.arctan2(d[ok, 0], -d[ok, 1]))
    return float(np.median(ang))


def _lift_ratio(flights: tuple[FootFlight, ...], leg_px: float) -> float | None:
    """Median over flights from the floor of the toe lift (leg lengths) over the rise
    g·t²/8 the flight time implies (leg lengths of :data:`_NOMINAL_LEG_M`)."""
    r = [
        (f.peak_height_px / leg_px) / (G_M_S2 * f.flight_time_s**2 / 8.0 / _NOMINAL_LEG_M)
        for f in flights
        if f.from_floor and f.flight_time_s > 0
    ]
    return float(np.median(r)) if r else None


def _pelvis_travel_legs(track: PoseTrack, leg: float) -> float:
    hips = (track.point("left_hip")[:, 0] + track.point("right_hip")[:, 0]) / 2
    hips = hips[np.isfinite(hips)]
    if hips.size < 5:
        return 0.0
    return float((np.percentile(hips, 95) - np.percentile(hips, 5)) / leg)


def _assemble(
    flights: tuple[FootFlight, ...], test: JumpTest
) -> tuple[list[Jump], list[str], list[str]]:
    """Jumps from flights by the test's rules; also (notes, warnings)."""
    notes: list[str] = []
    warns: list[str] = []
    jumps: list[Jump] = []
    prev_landing: float | None = None
    for f in flights:
        if not f.from_floor:
            if test == "drop":
                notes.append(
                    f"drop from the box: landed at {f.landing_time_s:.2f} s (the fall starts "
                    "above the floor and is not timed)"
                )
            else:
                warns.append(
                    "the feet are above the floor at the start of the clip (standing on a box "
                    "or step?); that landing is not a jump — for a drop jump use --type drop"
                )
            prev_landing = f.landing_time_s
            continue
        ft_s = f.flight_time_s
        contact_ms: float | None = None
        if prev_landing is not None:
            gap = (f.takeoff_time_s - prev_landing) * 1000.0
            contact_ms = gap if gap <= MAX_CONTACT_MS else None
        if test in ("cmj", "squat"):
            contact_ms = None
        height = height_from_flight_cm(ft_s)
        rsi = height / 100.0 / (contact_ms / 1000.0) if contact_ms else None
        valid, note = True, None
        if ft_s * 1000.0 > MAX_FLIGHT_MS:
            valid = False
            note = (
                f"flight {ft_s * 1000:.0f} ms > {MAX_FLIGHT_MS:.0f} ms: not a jump (a slow-"
                "motion clip read at its playback rate? pass --capture-fps)"
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
        elif test == "drop" and contact_ms is None:
            note = "no drop from a box before this jump: no contact time"
        if f.edge_quality < 1.0:
            extra = "take-off or landing edge not resolved below the frame"
            note = f"{note}; {extra}" if note else extra
        jumps.append(
            Jump(
                index=len(jumps) + 1,
                takeoff_time_s=f.takeoff_time_s,
                landing_time_s=f.landing_time_s,
                flight_time_ms=ft_s * 1000.0,
                height_flight_cm=height,
                contact_time_ms=contact_ms,
                rsi=rsi,
                takeoff_velocity_m_s=G_M_S2 * ft_s / 2.0,
                valid=valid,
                note=note,
            )
        )
        prev_landing = f.landing_time_s
    return jumps, notes, warns


def _test_mismatch(test: JumpTest, jumps: list[Jump], drop_seen: bool) -> list[str]:
    out: list[str] = []
    n = len(jumps)
    hops = sum(1 for j in jumps if j.contact_time_ms is not None)
    if test in ("cmj", "squat") and n >= 3:
        gaps = [
            (b.takeoff_time_s - a.landing_time_s) * 1000.0 for a, b in itertools.pairwise(jumps)
        ]
        if sum(g <= MAX_CONTACT_MS for g in gaps) >= 2:
            out.append(
                f"{n} jumps in quick succession: this looks like repeated hops, not single "
                f"{test} jumps; use --type pogo or rj10-5"
            )
    if test == "rj10-5" and n < 10:
        out.append(f"only {n} hops found; the 10/5 test is 10 hops")
    if test == "pogo" and hops < 2:
        out.append(f"only {hops} rebound hops found; a pogo test is a series of hops")
    if test == "drop" and not drop_seen:
        out.append(
            "no drop from a box seen (the feet start on the floor): the first jump has no "
            "contact time; film the box and the landing area"
        )
    return out


def analyze_jump_track(
    track: PoseTrack,
    /,
    *,
    test: JumpTest,
    detector: VideoJumpDetector | None = None,
    video_meta: dict[str, Any] | None = None,
) -> JumpTestResult:
    """Jump heights, contact times and RSI from a side-view pose track (real seconds).

    Parameters
    ----------
    track
        Keypoints of one person (slow motion already rescaled to real time).
    test
        ``cmj``, ``squat``: each flight is a jump. ``drop``: the landing from the box
        (the feet are above the floor at the start) starts the rebound contact; the
        flight after it is the jump. ``pogo``, ``rj10-5``: every flight is a hop, its
        contact time is the ground time since the previous landing.
    detector
        A configured :class:`VideoJumpDetector`; otherwise :func:`default_detector` for
        the track's pose source.
    video_meta
        What the file said (frame size, frame rates), copied into the summary.

    Raises
    ------
    InputError
        Unknown test; fewer than 10 frames; too low a frame rate; the person not upright
        in the picture (a rotated clip); the feet out of the frame; feet leaving the
        floor one at a time (running or walking, not a jump test); no flight (the
        person never leaves the ground). :class:`NoPersonError` without a person.
    """
    if test not in JUMP_TESTS:
        raise InputError(f"test must be one of {', '.join(JUMP_TESTS)}; got {test!r}")
    present = np.isfinite(track.xy_px).all(axis=2).any(axis=1)
    if track.n_frames < _MIN_FRAMES:
        raise InputError(
            f"the clip is only {track.n_frames} frames long: film the whole test, with about "
            "1 s of standing before the first jump and after the last landing"
        )
    if present.sum() < _MIN_FRAMES or present.mean() < 0.5:
        raise NoPersonError(
            f"a person was found in only {int(present.sum())} of {track.n_frames} frames; "
            "film the whole body side on, head to shoes, for the whole test"
        )
    fps = track.sampling_rate_hz
    if not np.isfinite(fps) or fps < MIN_JUMP_FPS:
        raise InputError(
            f"{fps:.0f} fps is too slow for jump tests: one frame ({1000 / fps:.0f} ms) is "
            f"±{frame_height_error_cm(0.5, fps):.1f} cm of height on a 0.5 s flight; film at "
            f"{ADVISED_FPS:.0f} fps or more (slow motion 120–240 fps is best); for a slow-"
            "motion file pass --capture-fps"
        )
    tilt = _body_tilt_deg(track)
    if tilt is not None and abs(tilt) > 45.0:
        raise InputError(
            f"the person is {abs(tilt):.0f}° from upright in the picture: the video is turned "
            "on its side or upside down (a portrait clip without its rotation tag?); rotate it "
            "so that the person stands upright"
        )
    det = detector if detector is not None else default_detector(track.source)
    det.detect(track)
    leg = det.leg_px_
    if det.one_foot_fraction_ > 0.5:
        raise InputError(
            f"the feet leave the floor one at a time ({det.one_foot_fraction_:.0%} of airborne "
            "frames have one foot down): this looks like running or walking, not a two-footed "
            f"jump test ({test}); film the jumps themselves"
        )
    travel = _pelvis_travel_legs(track, leg)
    if travel > 2.0 and not det.flights_:
        raise InputError(
            f"the person travels {travel:.1f} leg lengths across the frame without a jump: "
            "this looks like running or walking, not a jump test; jump on the spot"
        )
    outside = _feet_outside_fraction(track)
    if outside > 0.5:
        raise InputError(
            f"the feet are out of the frame or hidden in {outside:.0%} of the frames: take-off "
            "and landing are timed from the feet; keep the shoes and the floor in view"
        )
    if not det.flights_:
        extra = f" ({'; '.join(det.rejected_)})" if det.rejected_ else ""
        raise InputError(
            "no jump found: the toes never left the floor by more than "
            f"{max(det.band_px_, det.min_lift_leg_fraction * leg):.0f} px "
            f"({max(det.band_leg_fraction, det.min_lift_leg_fraction):.0%} of the leg) for "
            f"{det.min_flight_ms:.0f} ms, so the person never left the ground{extra}. Film "
            "side on with the feet and the floor in view"
        )
    jumps, notes, warns = _assemble(det.flights_, test)
    drop_seen = any(not f.from_floor for f in det.flights_)
    if not jumps:
        raise InputError(
            "only a landing from above the floor was found (the drop from a box), no jump after it"
        )
    warns.extend(_test_mismatch(test, jumps, drop_seen))
    notes.extend(det.rejected_)
    notes.extend(track.notes)
    valid = [j for j in jumps if j.valid]
    heights = [j.height_flight_cm for j in valid]
    rsis = sorted((j.rsi for j in valid if j.rsi is not None), reverse=True)
    longest_s = max((j.flight_time_ms for j in valid), default=500.0) / 1000.0
    frame_cm = frame_height_error_cm(longest_s, fps)
    med_ms, max_ms = measured_flight_error_ms(fps)
    measured_cm = 100.0 * G_M_S2 * longest_s * (max_ms / 1000.0) / 4.0
    if fps < ADVISED_FPS:
        warns.append(
            f"{fps:.0f} fps: one frame ({1000 / fps:.0f} ms) is ±{frame_cm:.1f} cm of height on "
            f"this {longest_s * 1000:.0f} ms flight (dh = g·t·dt/4); film at "
            f"{ADVISED_FPS:.0f} fps or more — 240 fps slow motion gives ±"
            f"{frame_height_error_cm(longest_s, 240.0):.1f} cm"
        )
    lift = _lift_ratio(det.flights_, leg)
    if lift is not None and lift < _MIN_LIFT_RATIO:
        warns.append(
            f"the feet rose only {lift:.0%} as high as flights this long imply (g·t²/8): "
            f"time runs slow in this clip — a slow-motion file read at {fps:.0f} fps? Pass "
            "its capture rate with --capture-fps (e.g. 120 or 240)"
        )
    if outside > 0.1:
        warns.append(
            f"the feet are out of the frame or unsure in {outside:.0%} of the frames: timings "
            "there are guessed by the pose model; keep the shoes in view"
        )
    if leg < 80:
        warns.append(
            f"the person is small in the frame (leg {leg:.0f} px): film closer so the body "
            "fills most of the frame height"
        )
    if not valid:
        warns.append("no valid jump: see each jump's note")
    mean_rsi: float | None
    valid_rsi = [j.rsi for j in valid if j.rsi is not None]
    if test == "rj10-5":
        best = rsis[:_BEST_N_RJT]
        mean_rsi = float(np.mean(best)) if best else None
        if 0 < len(rsis) < _BEST_N_RJT:
            warns.append(
                f"only {len(rsis)} valid hops; the 10/5 score is the mean RSI of the best "
                f"{_BEST_N_RJT} of 10"
            )
        rule = (
            "mean RSI of the 5 best valid hops (Harper 2011; Comyns 2019); valid = a rebound "
            "hop with contact ≤ 250 ms (Young 1995)"
        )
    else:
        mean_rsi = float(np.mean(rsis)) if rsis else None
        rule = "mean RSI of all valid jumps"
    contacts = [j.contact_time_ms for j in valid if j.contact_time_ms is not None]
    summary: dict[str, Any] = {
        "best_height_cm": max(heights) if heights else None,
        "mean_height_cm": float(np.mean(heights)) if heights else None,
        "best_rsi": rsis[0] if rsis else None,
        "mean_rsi": mean_rsi,
        "mean_rsi_rule": rule if rsis else None,
        "mean_rsi_valid_hops": float(np.mean(valid_rsi)) if valid_rsi else None,
        "mean_contact_time_ms": float(np.mean(contacts)) if contacts else None,
        "height_uncertainty_cm": frame_cm,
        "height_uncertainty_basis": (
            f"one frame ({1000 / fps:.1f} ms at {fps:.0f} fps) of a {longest_s * 1000:.0f} ms "
            "flight, dh = g·t·dt/4 (dh/dt = g·t/4)"
        ),
        "flight_time_error_measured_ms": {"median": med_ms, "max": max_ms},
        "height_error_measured_cm": measured_cm,
        "height_error_measured_basis": (
            f"largest flight-time error through BlazePose on rendered truth near {fps:.0f} fps "
            f"({max_ms:.0f} ms; median {med_ms:.0f} ms), same formula"
        ),
        "method": "flight time (toe keypoints vs a fitted floor line)",
        "sampling_rate_hz": fps,
        "n_jumps": len(jumps),
        "n_valid": len(valid),
        "floor_line_angle_deg": det.ground_.angle_deg,
        "leg_length_px": leg,
        "airborne_band_px": det.band_px_,
        "keypoint_noise_px": det.noise_px_,
        "pose_source": track.source,
    }
    if video_meta:
        summary["video"] = dict(video_meta)
    notes.append(
        "Flight-time heights assume take-off and landing in the same posture; landing with "
        "bent knees or flexed ankles lengthens the flight and overstates the height"
    )
    if track.source.startswith("mediapipe"):
        notes.append(
            f"Through BlazePose on rendered jumps of known truth near {fps:.0f} fps, flights "
            f"read long by {med_ms:.0f} ms (median; up to {max_ms:.0f} ms ≈ "
            f"{measured_cm:.1f} cm) and contacts short: heights and RSI read high (also on "
            "rendered clips the correction was not tuned on; not checked on real footage); "
            "film at 240 fps for RSI"
        )
    return JumpTestResult(
        test=test,
        input_kind="video",
        jumps=tuple(jumps),
        summary=summary,
        notes=tuple(dict.fromkeys(notes)),
        warnings=tuple(dict.fromkeys(warns)),
        sources=SOURCES,
    )


def analyze_jump_video(
    path: Path | str,
    /,
    *,
    test: JumpTest,
    capture_fps: float | None = None,
    person: str = "auto",
    backend: Any = None,
    detector: VideoJumpDetector | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> JumpTestResult:
    """Decode a clip, find the person, run the pose model and analyse the jumps.

    ``capture_fps`` gives the real capture rate of a slow-motion file (else the file's
    capture-rate tag, else its frame rate). ``person`` as for the video analysis
    (``auto``, an index, or ``x,y,w,h``).

    Raises
    ------
    VideoError
        The clip cannot be read or is too short, small or slow.
    NoPersonError
        Nobody in the clip.
    InputError
        See :func:`analyze_jump_track`.
    """
    from stridelab.video.decode import check_video_usable, probe_video
    from stridelab.video.person import choose_person, parse_person_option
    from stridelab.video.pose import estimate_pose

    info = probe_video(path, capture_fps=capture_fps)
    check_video_usable(info)
    if info.capture_fps < MIN_JUMP_FPS:
        raise InputError(
            f"{Path(path).name}: {info.capture_fps:.0f} fps is too slow for jump tests (one "
            f"frame ≈ ±{frame_height_error_cm(0.5, info.capture_fps):.0f} cm of height); film at "
            f"{ADVISED_FPS:.0f} fps or more, or pass --capture-fps for slow motion"
        )
    choice = choose_person(path, parse_person_option(person), capture_fps=capture_fps)
    raw = estimate_pose(
        path, backend=backend, capture_fps=capture_fps, follow=choice.follow, progress=progress
    )
    meta = {
        "file": Path(path).name,
        "width_px": info.width_px,
        "height_px": info.height_px,
        "stored_fps": info.stored_fps,
        "capture_fps": info.capture_fps,
        "capture_fps_source": info.capture_fps_source,
        "frames": raw.n_frames,
    }
    result = analyze_jump_track(raw, test=test, detector=detector, video_meta=meta)
    extra = tuple(n for n in (*choice.notes, *info.notes) if n not in result.notes)
    if info.capture_fps_source == "file" and info.stored_fps >= 100:
        extra += (f"capture rate taken as the file's {info.stored_fps:.0f} fps",)
    if extra:
        from dataclasses import replace

        result = replace(result, notes=(*result.notes, *extra))
    return result
