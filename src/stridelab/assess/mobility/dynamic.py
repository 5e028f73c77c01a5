"""Measuring the video self-tests on one leg or in a hold: single-leg squat, single-leg
balance, calf raises to fatigue, plank and side plank (see :mod:`.measure` for the
conventions: image pixels, geometry-chosen test leg, :class:`WrongTestError`)."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.assess.mobility.geometry import (
    angle_from_horizontal_deg,
    detect_reps,
    flexion_deg,
    frontal_projection_angle_deg,
    runs,
    sag_angle_deg,
)
from stridelab.assess.mobility.measure import (
    FloatArray,
    WrongTestError,
    _check_view,
    _conf,
    _leg_px,
    _mid,
    _p,
    _pick,
    _px_per_cm,
    _quality,
    _require_still,
    _side_of,
    view_ratio,
)
from stridelab.assess.mobility.result import MobilityResult
from stridelab.video.keypoints import PoseTrack

__all__ = ["measure_balance", "measure_calf_raise", "measure_plank", "measure_single_leg_squat"]


# --------------------------------------------------------------------------- single-leg stance

#: Least height (fraction of leg length) of the free foot's toe above the stance foot's
#: toe while the foot counts as lifted in the balance test (*design*: about 4 cm; the
#: perspective of a side view alone puts the far foot ~3% of leg length higher).
BALANCE_MIN_TOE_CLEARANCE = 0.05


def _single_stance(
    track: PoseTrack, leg: float, lift_fraction: float
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], FloatArray]:
    """Per frame: the right leg is the stance leg, single-leg stance, and the lift of
    the free ankle above the stance ankle (fraction of leg length).

    The stance leg is the lower ankle where one foot is clearly lifted (> ``lift_fraction``)
    and carried over (forward, then backward) through double-stance frames, so that
    left/right label swaps of the pose model do not matter.
    """
    la, ra = _p(track, "left_ankle"), _p(track, "right_ankle")
    diff = (ra[:, 1] - la[:, 1]) / leg  # + = right ankle lower (stance)
    lift = np.abs(diff)
    single = np.isfinite(lift) & (lift > lift_fraction)
    decided = np.where(single, np.sign(diff), 0.0)
    if not single.any():
        return np.nan_to_num(diff, nan=0.0) >= 0, single, lift
    idx = np.where(single, np.arange(len(diff)), -1)
    fwd = np.maximum.accumulate(idx)
    first = int(np.flatnonzero(single)[0])
    fwd[fwd < 0] = first
    right = decided[fwd] > 0
    return right, single, lift


def _widen(mask: NDArray[np.bool_], signal: FloatArray, level: float) -> NDArray[np.bool_]:
    """Grow each True run outward while ``signal`` stays above ``level`` (the true
    start and end of an excursion first detected at a higher threshold)."""
    out = mask.copy()
    x = np.nan_to_num(signal, nan=-np.inf)
    for a, b in runs(mask):
        while a > 0 and x[a - 1] > level:
            a -= 1
        while b < len(x) and x[b] > level:
            b += 1
        out[a:b] = True
    return out


def _running_percentile(
    values: FloatArray, time_s: FloatArray, *, half_window_s: float, q: float
) -> FloatArray:
    """The ``q``-th percentile of the finite values within ± ``half_window_s`` of each frame."""
    out = np.full(values.shape[0], np.nan)
    lo = np.searchsorted(time_s, time_s - half_window_s, side="left")
    hi = np.searchsorted(time_s, time_s + half_window_s, side="right")
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        w = values[a:b]
        w = w[np.isfinite(w)]
        if w.size:
            out[i] = np.percentile(w, q)
    return out


def _require_one_stance_leg(
    track: PoseTrack, right_stance: NDArray[np.bool_], single: NDArray[np.bool_], name: str
) -> None:
    flips = int(np.count_nonzero(np.diff(right_stance[_debounce(single, track.time_s, 0.1)])))
    if flips > 3:
        raise WrongTestError(
            f"{name}: the standing leg changed {flips} times (walking or running?); stand on "
            "one leg and lift the other foot"
        )


def _debounce(mask: NDArray[np.bool_], time_s: FloatArray, min_s: float) -> NDArray[np.bool_]:
    """Runs (True and False) shorter than ``min_s`` take the value of their neighbours."""
    out = mask.copy()
    for value in (False, True):
        for a, b in runs(out == value):
            if a > 0 and b < out.shape[0] and time_s[b - 1] - time_s[a] < min_s:
                out[a:b] = not value
    return out


def measure_single_leg_squat(track: PoseTrack, /, *, side: str | None = None) -> MobilityResult:
    """Single-leg squat, front or back view: FPPA and pelvis drop at the bottom of each
    rep (the lowest stance-hip position), rep count; value = median FPPA over reps."""
    name = "single-leg squat"
    warnings: list[str] = []
    notes: list[str] = []
    view_ok = _check_view(track, "front", name, warnings)
    leg = _leg_px(track)
    right_stance, single, _ = _single_stance(track, leg, 0.06)
    if single.mean() < 0.3:
        raise WrongTestError(
            f"{name}: both feet are on the floor in {1 - single.mean():.0%} of the clip; stand on "
            "the test leg with the other foot lifted"
        )
    _require_one_stance_leg(track, right_stance, single, name)
    hip = _pick(track, "hip", right_stance)
    knee = _pick(track, "knee", right_stance)
    ankle = _pick(track, "ankle", right_stance)
    other_hip = _pick(track, "hip", ~right_stance)
    _require_still(np.where(single[:, None], ankle, np.nan), leg, "stance ankle", name)
    # (A foot held forward can look level with the stance foot at the bottom of a squat
    # in a front view, so the depth uses every frame with the stance leg carried over.)
    hip_y = hip[:, 1]
    top = float(np.nanpercentile(hip_y, 5))
    depth = (hip_y - top) / leg
    reps = detect_reps(depth, track.time_s, min_prominence=0.08, min_separation_s=0.8)
    if not reps:
        raise WrongTestError(
            f"{name}: no squat found (the hip never sank more than 8% of a leg length); squat "
            "down and up on the test leg"
        )
    medial = np.sign(other_hip[:, 0] - hip[:, 0])
    fppa = frontal_projection_angle_deg(hip, knee, ankle, medial)
    drop = angle_from_horizontal_deg(hip, other_hip)  # + = the lifted side's hip lower
    stand = single & (depth < 0.02)
    drop_stand = float(np.nanmedian(drop[stand])) if np.isfinite(drop[stand]).any() else 0.0
    rep_rows = []
    for k, r in enumerate(reps, start=1):
        rep_rows.append(
            {
                "index": k,
                "bottom_time_s": float(track.time_s[r.peak]),
                "fppa_deg": float(fppa[r.peak]),
                "peak_fppa_deg": float(np.nanmax(fppa[r.start : r.stop])),
                "pelvic_drop_deg": float(drop[r.peak]),
                "depth_pct_leg": float(100.0 * depth[r.peak]),
            }
        )
    values = np.array([row["fppa_deg"] for row in rep_rows])
    used = np.zeros(track.n_frames, dtype=bool)
    for r in reps:
        used[r.start : r.stop] = True
    conf = _conf(
        track, [f"{s}_{p}" for s in ("left", "right") for p in ("hip", "knee", "ankle")], used
    )
    notes.append(
        "pelvis drop comes from BlazePose's hip landmarks, which follow a tilting pelvis "
        "poorly (on rendered test clips they missed an 8° drop): a rough indication only"
    )
    if abs(drop_stand) > 4.0:
        warnings.append(
            f"the pelvis line tilts {drop_stand:.0f}° while standing: a tilted phone or a "
            "hitched hip; pelvis drop is also given relative to standing"
        )
    return MobilityResult(
        test="single_leg_squat",
        input_kind="video",
        side=_side_of(right_stance[single], side, notes),
        value=float(np.median(values)),
        quality=_quality(conf, float(np.isfinite(fppa[used]).mean()), view_ok),
        detail={
            "reps": len(rep_rows),
            "per_rep": rep_rows,
            "fppa_max_deg": float(values.max()),
            "pelvic_drop_max_deg": float(max(row["pelvic_drop_deg"] for row in rep_rows)),
            "pelvic_drop_standing_deg": drop_stand,
        },
        warnings=tuple(warnings),
        notes=tuple(notes),
        method=(
            "FPPA = 180° − hip–knee–ankle angle in the image at the lowest hip position of each "
            "rep, + knee toward the midline (Willson & Davis 2008; Munro 2012)"
        ),
    )


def measure_balance(
    track: PoseTrack, /, *, side: str | None = None, height_cm: float | None = None
) -> MobilityResult:
    """Single-leg balance: lift-off to the first touch-down, touch-downs, pelvis sway."""
    name = "single-leg balance"
    warnings: list[str] = []
    notes: list[str] = []
    r = view_ratio(track)
    view_ok = math.isfinite(r) and r > 0.3
    if not view_ok:
        warnings.append("a side view shows no sideways sway: film from the front or back")
    leg = _leg_px(track)
    right_stance, single, _ = _single_stance(track, leg, 0.05)
    lifted = _debounce(single, track.time_s, 0.15)
    if not lifted.any():
        raise WrongTestError(f"{name}: the foot was never lifted (both feet stayed on the floor)")
    # Lift-off and touch-down: where the free ankle leaves / reaches the floor level
    # (1% of leg length or 3 robust SDs of the ankle height difference while standing).
    lift = _single_stance(track, leg, 0.05)[2]
    standing = lift[~lifted & np.isfinite(lift)]
    noise = (
        1.4826 * float(np.median(np.abs(standing - np.median(standing))))
        if standing.size > 5
        else 0.0
    )
    floor_level = float(np.median(standing)) if standing.size > 5 else 0.0
    lifted = _widen(lifted, lift, floor_level + max(0.01, 3.0 * noise))
    stance_ankle = _pick(track, "ankle", right_stance)
    _require_one_stance_leg(track, right_stance, single, name)
    _require_still(np.where(lifted[:, None], stance_ankle, np.nan), leg, "stance foot", name)
    # The free foot is off the floor, not only its heel (a split stance or a lunge
    # raises the back heel): its toe is above the stance foot's toe while lifted.
    free_toe_y = _pick(track, "toe", ~right_stance)[:, 1]
    stance_toe_y = _pick(track, "toe", right_stance)[:, 1]
    toe_clear = (stance_toe_y - free_toe_y) / leg
    clear = float(np.nanmedian(toe_clear[lifted])) if np.isfinite(toe_clear[lifted]).any() else 1.0
    if clear < BALANCE_MIN_TOE_CLEARANCE:
        raise WrongTestError(
            f"{name}: the other foot's toes stay on the floor (only the heel rises: a split "
            "stance or a lunge?); lift the whole foot"
        )
    periods = runs(lifted)
    t = track.time_s
    lift_i = periods[0][0]
    # A touch-down is the end of a lifted period before the end of the clip.
    touch = [float(t[b]) for _, b in periods if b < len(t)]
    first_down = touch[0] if touch else float(t[-1])
    held = first_down - float(t[lift_i])
    if not touch:
        warnings.append(f"still balancing when the clip ended: the hold is at least {held:.1f} s")
    if lift_i == 0:
        warnings.append(
            "the foot was already lifted when the clip began: the hold is longer than "
            "measured; start filming before lifting the foot"
        )
    pelvis_x = _mid(track, "hip")[:, 0]
    hold = lifted & (t <= first_down)
    px = pelvis_x[hold]
    px = px[np.isfinite(px)]
    scale = _px_per_cm(track, height_cm)
    sway_sd = float(np.std(px)) if px.size > 2 else float("nan")
    sway_range = (
        float(np.percentile(px, 95) - np.percentile(px, 5)) if px.size > 2 else float("nan")
    )
    conf = _conf(track, [f"{s}_{p}" for s in ("left", "right") for p in ("hip", "ankle")], hold)
    return MobilityResult(
        test="single_leg_balance",
        input_kind="video",
        side=_side_of(right_stance[lifted], side, notes),
        value=held,
        quality=_quality(
            conf, float(np.isfinite(pelvis_x[hold]).mean()) if hold.any() else 0.0, view_ok
        ),
        detail={
            "lift_off_s": float(t[lift_i]),
            "first_touchdown_s": first_down if touch else None,
            "touchdowns": len(touch),
            "touchdown_times_s": touch,
            "time_on_one_leg_s": float(sum(t[min(b, len(t) - 1)] - t[a] for a, b in periods)),
            "sway_sd_pct_leg": 100.0 * sway_sd / leg,
            "sway_range_pct_leg": 100.0 * sway_range / leg,
            "sway_sd_cm": sway_sd / scale if scale else None,
            "sway_range_cm": sway_range / scale if scale else None,
        },
        warnings=tuple(warnings),
        notes=tuple(notes),
        lower_bound=not touch or lift_i == 0,
        method=(
            "lifted = the free ankle ≥ 5% of a leg length above the stance ankle (runs < 0.15 s "
            "ignored); sway = sideways pelvis-centre motion while held (SD, 5–95% range)"
        ),
    )


# --------------------------------------------------------------------------- calf raise

#: A gap between rep peaks longer than this many median rep intervals ends a calf-raise
#: test (the pace was lost). *Design*, after the usual termination criteria of the
#: heel-rise test (heel no longer lifted, metronome pace no longer followed).
PACE_LOST_INTERVALS = 2.5


def measure_calf_raise(
    track: PoseTrack, /, *, side: str | None = None, height_cm: float | None = None
) -> MobilityResult:
    """Single-leg calf raises: full reps (peak heel rise ≥ half the typical rep) and the
    heel rise of each rep (cm when the body height is known)."""
    name = "calf raises"
    warnings: list[str] = []
    notes: list[str] = []
    view_ok = _check_view(track, "side", name, warnings)
    leg = _leg_px(track)
    right_stance, single, _ = _single_stance(track, leg, 0.06)
    if single.mean() < 0.5:
        warnings.append(
            "both feet were on the floor for much of the clip: a two-leg raise is easier"
        )
    _require_one_stance_leg(track, right_stance, single, name)
    heel = _pick(track, "heel", right_stance)
    toe = _pick(track, "toe", right_stance)
    ankle = _pick(track, "ankle", right_stance)
    _require_still(toe, leg, "stance toe", name)
    # The ankle keypoint follows the rise far better than the heel keypoint (BlazePose
    # places the heel partly from priors: it showed about 55% of the true heel rise on
    # rendered feet, the ankle about 95%). The heel rise is the ankle rise times the
    # lever ratio heel→toe / ankle→toe measured on the standing foot (the foot turns
    # about the toes; a real foot turns about the ball, so this reads up to ~15% low).
    # Standing height: a running 90th percentile over ±2.5 s (follows a slow drift of
    # the keypoints or the camera); reps are found by prominence, which ignores drift.
    base_ankle = _running_percentile(ankle[:, 1], track.time_s, half_window_s=2.5, q=90.0)
    rise = (base_ankle - ankle[:, 1]) / leg
    standing = np.isfinite(rise) & (rise < 0.005)
    lever_h = np.abs(heel[standing, 0] - toe[standing, 0])
    lever_a = np.abs(ankle[standing, 0] - toe[standing, 0])
    ok = np.isfinite(lever_h) & np.isfinite(lever_a) & (lever_a > 0.05 * leg)
    ratio = float(np.median(lever_h[ok] / lever_a[ok])) if ok.sum() >= 3 else float("nan")
    if not (math.isfinite(ratio) and 1.05 <= ratio <= 2.5):
        warnings.append("the foot was not seen clearly: heel height taken as 1.35 × the ankle rise")
        ratio = 1.35
    reps = detect_reps(rise, track.time_s, min_prominence=0.018, min_separation_s=0.5)
    if not reps:
        raise WrongTestError(
            f"{name}: the heel never rose more than about 2 cm; rise onto the toes"
        )
    peaks = np.array([rise[r.peak] for r in reps]) * ratio  # heel rise, fraction of leg
    typical = float(np.median(np.sort(peaks)[-max(2, len(peaks) // 2) :]))
    scale = _px_per_cm(track, height_cm)
    if scale is None:
        warnings.append(
            "heel height in cm needs the body height (--height-cm or the athlete profile)"
        )
    # The test is to fatigue: it ends at the first rep that falls short (the heel can no
    # longer be lifted) or at a pause of more than PACE_LOST_INTERVALS rep intervals
    # (the pace is lost); reps after that are listed but not counted.
    peak_t = np.array([float(track.time_s[r.peak]) for r in reps])
    interval_s = float(np.median(np.diff(peak_t))) if len(reps) > 2 else float("inf")
    rows = []
    full = 0
    ended_by = "clip_end"
    for k, pk in enumerate(peaks, start=1):
        ok_rep = bool(pk >= 0.5 * typical)
        if ended_by == "clip_end":
            if not ok_rep:
                ended_by = "partial_rep"
            elif k > 1 and peak_t[k - 1] - peak_t[k - 2] > PACE_LOST_INTERVALS * interval_s:
                ended_by = "pause"
        counted = ok_rep and ended_by == "clip_end"
        full += counted
        rows.append(
            {
                "index": k,
                "peak_time_s": float(peak_t[k - 1]),
                "heel_rise_pct_leg": float(100.0 * pk),
                "heel_rise_cm": float(pk * leg / scale) if scale else None,
                "ankle_rise_cm": float(pk / ratio * leg / scale) if scale else None,
                "full": ok_rep,
                "counted": counted,
            }
        )
    after = sum(1 for row in rows if row["full"] and not row["counted"])
    if after:
        warnings.append(
            f"{after} full rep(s) after the test ended ({ended_by.replace('_', ' ')}) are "
            "not counted: the test is to fatigue, without pauses"
        )
    used = np.zeros(track.n_frames, dtype=bool)
    for r in reps:
        used[r.start : r.stop] = True
    conf = _conf(
        track, [f"{s}_{p}" for s in ("left", "right") for p in ("heel", "toe", "ankle")], used
    )
    return MobilityResult(
        test="calf_raise",
        input_kind="video",
        side=_side_of(right_stance[single] if single.any() else right_stance, side, notes),
        value=float(full),
        quality=_quality(conf, float(np.isfinite(rise[used]).mean()), view_ok),
        detail={
            "reps": full,
            "partial_reps": sum(1 for row in rows if not row["full"]),
            "ended_by": ended_by,
            "per_rep": rows,
            "typical_heel_rise_cm": typical * leg / scale if scale else None,
            "heel_lever_ratio": ratio,
            "heel_height_note": (
                "rise of the back of the heel above standing = ankle rise × heel/ankle lever ratio"
            ),
        },
        warnings=tuple(warnings),
        notes=tuple(notes),
        method=(
            "ankle keypoint of the stance foot above its standing height (× the heel lever ratio "
            "for the heel); a rep is an ankle rise above 1.8% of leg length (about 1.5 cm); "
            "full when the heel rise is ≥ half the typical rise; the count ends at the first "
            f"partial rep or a pause over {PACE_LOST_INTERVALS:g} rep intervals"
        ),
    )


# --------------------------------------------------------------------------- plank

#: Largest knee flexion (deg) of the straighter leg at the start of a plank (*design*).
PLANK_MAX_KNEE_FLEXION_DEG = 45.0


def measure_plank(
    track: PoseTrack,
    /,
    *,
    kind: Literal["plank", "side_plank"] = "plank",
    side: str | None = None,
    sag_threshold_deg: float = 10.0,
    sustain_s: float = 1.0,
) -> MobilityResult:
    """Plank or side plank: time from getting into position until the hips sag
    ``sag_threshold_deg`` below the starting line for ``sustain_s``."""
    name = "plank" if kind == "plank" else "side plank"
    warnings: list[str] = []
    notes: list[str] = []
    s, h, a = _mid(track, "shoulder"), _mid(track, "hip"), _mid(track, "ankle")
    line = np.abs(angle_from_horizontal_deg(s, a))
    in_pos = np.isfinite(line) & (line < 35.0)
    in_pos = _debounce(in_pos, track.time_s, 0.5)
    if not in_pos.any():
        raise WrongTestError(
            f"{name}: no plank position found (the shoulder–ankle line never came within "
            "35° of horizontal)"
        )
    view_ok = _check_view(
        track.with_(xy_px=np.where(in_pos[:, None, None], track.xy_px, np.nan)),
        "side" if kind == "plank" else "front",
        name,
        warnings,
    )
    t = track.time_s
    start = runs(in_pos)[0][0]
    sag = sag_angle_deg(s, h, a)
    first = (t >= t[start]) & (t <= t[start] + 2.0) & in_pos
    baseline = float(np.nanmedian(sag[first])) if np.isfinite(sag[first]).any() else 0.0
    # A plank is held on straight legs: the straighter knee of the first 2 s (the far
    # leg may be hidden) tells it from lying or sitting with bent knees.
    knee_flex = np.fmin(
        *(
            flexion_deg(_p(track, f"{sd}_hip"), _p(track, f"{sd}_knee"), _p(track, f"{sd}_ankle"))
            for sd in ("left", "right")
        )
    )
    bent = float(np.nanmedian(knee_flex[first])) if np.isfinite(knee_flex[first]).any() else 0.0
    if bent > PLANK_MAX_KNEE_FLEXION_DEG:
        raise WrongTestError(
            f"{name}: the knees are bent {bent:.0f}° at the start; a {name} is held on "
            "straight legs (lying or sitting is not a plank)"
        )
    over = np.nan_to_num(sag - baseline, nan=0.0) >= sag_threshold_deg
    end_i, ended_by = len(t) - 1, "clip_end"
    for a0, b0 in runs(over & (np.arange(len(t)) >= start)):
        if t[b0 - 1] - t[a0] >= sustain_s or b0 == len(t):
            end_i, ended_by = a0, "hip_sag"
            break
    leave = [a0 for a0, _ in runs(~in_pos) if a0 > start]
    if leave and leave[0] < end_i:
        end_i, ended_by = leave[0], "left_position"
    value = float(t[end_i] - t[start])
    if ended_by == "clip_end":
        warnings.append(
            f"the clip ended before the hips sagged: the hold is at least {value:.1f} s"
        )
    if start == 0:
        warnings.append(
            "already in position when the clip began: the hold is longer than measured; "
            "start filming before getting into position"
        )
    held = np.zeros(len(t), dtype=bool)
    held[start : end_i + 1] = True
    conf = _conf(
        track, [f"{sd}_{p}" for sd in ("left", "right") for p in ("shoulder", "hip", "ankle")], held
    )
    return MobilityResult(
        test=kind,
        input_kind="video",
        side=side if kind == "side_plank" else None,
        value=value,
        quality=_quality(conf, float(np.isfinite(sag[held]).mean()), view_ok),
        detail={
            "start_s": float(t[start]),
            "end_s": float(t[end_i]),
            "ended_by": ended_by,
            "baseline_sag_deg": baseline,
            "max_sag_deg": float(np.nanmax(sag[held])) if np.isfinite(sag[held]).any() else None,
            "sag_threshold_deg": sag_threshold_deg,
        },
        warnings=tuple(warnings),
        lower_bound=ended_by == "clip_end" or start == 0,
        notes=tuple(notes)
        + (
            ("side plank: pass --side (the side down)",)
            if kind == "side_plank" and side is None
            else ()
        ),
        method=(
            "sag = 180° − shoulder–hip–ankle angle (+ hips low); the hold ends when sag exceeds "
            f"the first 2 s by {sag_threshold_deg:g}° for {sustain_s:g} s (design choice; Strand "
            "2014 stopped at visible form failure)"
        ),
    )
