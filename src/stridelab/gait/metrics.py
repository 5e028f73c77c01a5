"""Per-step gait metrics and their summary, from contacts and a cleaned track.

Definitions (side view, ground frame u forward / v up; see ``docs/video.md``):

- **step time**: IC of this foot − IC of the previous contact (other foot);
  **cadence** = 60 000 / median step time (steps/min).
- **contact time**: TO − IC; **flight time**: IC − TO of the previous contact;
  **duty factor**: contact time / stride time (stride = IC to IC of the same foot).
- **foot-strike angle**: heel→toe line against the ground at IC minus the same angle
  with the foot flat in midstance (so the landmark offsets cancel), + toes up.
  Classes after Mo et al. 2023 (validated 2D cut-offs): rearfoot > 7.4°,
  forefoot < −0.8°, midfoot in between.
- **shank angle** at IC: knee→ankle from vertical, + ankle ahead of the knee (Souza 2016).
- **overstride**: heel − pelvis centre (mid-hip, centre-of-mass proxy) along the ground
  at IC, + heel ahead (Wille 2014); cm with a scale, % of leg length without.
- **knee flexion** at IC and its peak in stance (0 = straight; Heiderscheit 2011).
- **hip extension** at TO: thigh (hip→knee) behind vertical, + extension.
- **vertical oscillation**: pelvis-centre peak-to-peak over each step.
- **trunk lean**: pelvis centre → shoulder centre from vertical, + forward (clip median).
- **arm swing**: range of the near upper arm's angle over each stride.
- rear view: **pelvic drop** (swing-side hip lower than stance side at midstance, after
  removing the clip's mean tilt) and **step width** (lateral heel distance between
  consecutive contacts).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridelab.gait.events import Contact
from stridelab.gait.kinematics import (
    foot_angle_deg,
    joint_flexion_deg,
    segment_angle_from_vertical_deg,
)
from stridelab.gait.result import CycleCurves, MetricSummary, Step
from stridelab.video.keypoints import KEYPOINTS

__all__ = [
    "FOOT_STRIKE_FOREFOOT_BELOW_DEG",
    "FOOT_STRIKE_REARFOOT_ABOVE_DEG",
    "classify_foot_strike",
    "compute_steps",
    "cycle_curves",
    "summarise_steps",
]

_IDX = {k: i for i, k in enumerate(KEYPOINTS)}
_RATIO_UNITS = frozenset({"ms", "steps/min", ""})

#: Per-step side-view metrics summarised alike: key (= Step field), unit, label and the
#: method uncertainty (2D sagittal angles 5–8° RMSE, Van Hooren 2023; joint centres
#: 3–5 cm, Needham 2021).
_SIDE_STEP_METRICS: tuple[tuple[str, str, str, float], ...] = (
    ("shank_angle_deg", "deg", "Shank angle at contact", 4.0),
    ("overstride_cm", "cm", "Overstride", 3.0),
    ("overstride_pct_leg", "% leg", "Overstride (leg length)", 3.0),
    ("knee_flexion_ic_deg", "deg", "Knee flexion at contact", 7.0),
    ("peak_knee_flexion_deg", "deg", "Peak knee flexion in stance", 7.0),
    ("hip_extension_to_deg", "deg", "Hip extension at toe-off", 6.0),
)

#: Mo et al. 2023 validated 2D cut-offs for the foot-strike angle.
FOOT_STRIKE_REARFOOT_ABOVE_DEG = 7.4
FOOT_STRIKE_FOREFOOT_BELOW_DEG = -0.8


def classify_foot_strike(angle_deg: float, /) -> str:
    """Rearfoot / midfoot / forefoot from the foot-strike angle (Mo et al. 2023)."""
    if angle_deg > FOOT_STRIKE_REARFOOT_ABOVE_DEG:
        return "rearfoot"
    if angle_deg < FOOT_STRIKE_FOREFOOT_BELOW_DEG:
        return "forefoot"
    return "midfoot"


def _p(uv: NDArray[np.float64], name: str) -> NDArray[np.float64]:
    return uv[:, _IDX[name], :]


def _at(t: NDArray[np.float64], series: NDArray[np.float64], when: float) -> float:
    """Linear interpolation of a (n,) series at a time (NaN if out of range/missing)."""
    ok = np.isfinite(series)
    if ok.sum() < 2 or when < t[ok][0] or when > t[ok][-1]:
        return float("nan")
    return float(np.interp(when, t[ok], series[ok]))


def _opt(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def _grounded_side(
    uv: NDArray[np.float64], time_s: NDArray[np.float64], when: float, default: str, *, ahead: bool
) -> str:
    """The label (left/right) of the leg on the ground at an event, whatever the pose
    model called it: at initial contact the landing foot is the one further ahead
    (``ahead=True``), at toe-off the pushing foot is the one further behind; the other
    foot is about a leg length away then, so the order is unambiguous. The default
    label when either foot is unseen."""
    i = int(np.clip(np.searchsorted(time_s, when), 0, len(time_s) - 1))
    pos = {}
    for side in ("left", "right"):
        u = uv[i, [_IDX[f"{side}_heel"], _IDX[f"{side}_toe"], _IDX[f"{side}_ankle"]], 0]
        pos[side] = float(np.mean(u)) if np.isfinite(u).all() else np.nan
    other = "right" if default == "left" else "left"
    if not (np.isfinite(pos[default]) and np.isfinite(pos[other])):
        return default
    further = pos[other] > pos[default] if ahead else pos[other] < pos[default]
    return other if further else default


def compute_steps(
    contacts: list[Contact],
    uv: NDArray[np.float64],
    time_s: NDArray[np.float64],
    *,
    view: str,
    cm_per_px: float | None,
    leg_px: float,
    frame_index: NDArray[np.int64],
    min_confidence: float = 0.35,
) -> list[Step]:
    """One :class:`Step` per contact, with the metrics the view allows."""
    pelvis = (_p(uv, "left_hip") + _p(uv, "right_hip")) / 2
    flat: dict[str, float] = {}
    for foot in ("left", "right"):
        ang = foot_angle_deg(_p(uv, f"{foot}_heel"), _p(uv, f"{foot}_toe"))
        mids = []
        for c in contacts:
            if c.foot == foot:
                a = c.ic_frame + int(0.35 * (c.to_frame - c.ic_frame))
                b = c.ic_frame + int(0.55 * (c.to_frame - c.ic_frame)) + 1
                mids.extend(ang[a:b][np.isfinite(ang[a:b])].tolist())
        flat[foot] = float(np.median(mids)) if mids else float("nan")
    # pelvis tilt in a rear view (+ right hip higher), and its clip median (camera roll)
    hips = uv[:, [_IDX["left_hip"], _IDX["right_hip"]], :]
    tilt = np.degrees(
        np.arctan2(hips[:, 1, 1] - hips[:, 0, 1], np.abs(hips[:, 1, 0] - hips[:, 0, 0]))
    )
    roll = float(np.median(tilt[np.isfinite(tilt)])) if np.isfinite(tilt).any() else np.nan
    steps: list[Step] = []
    ct = np.array([c.contact_time_ms for c in contacts])
    med_ct = float(np.median(ct)) if ct.size else float("nan")
    for i, c in enumerate(contacts):
        f = c.foot
        prev = contacts[i - 1] if i > 0 else None
        step_ms = flight_ms = None
        if prev is not None and prev.foot != f:
            step_ms = 1000.0 * (c.ic_time_s - prev.ic_time_s)
            flight_ms = 1000.0 * (c.ic_time_s - prev.to_time_s)
        t_ic, t_to = c.ic_time_s, c.to_time_s
        fields: dict[str, Any] = {}
        if view == "side":
            # the leg on the ground is the one whose foot is lower at that instant, whatever
            # its label: the pose model's left/right are least reliable as the legs cross
            s_ic = _grounded_side(uv, time_s, t_ic, f, ahead=True)
            s_to = _grounded_side(uv, time_s, t_to, f, ahead=False)
            heel, toe = _p(uv, f"{s_ic}_heel"), _p(uv, f"{s_ic}_toe")
            hip, knee, ankle = (_p(uv, f"{s_ic}_{j}") for j in ("hip", "knee", "ankle"))
            fa = _at(time_s, foot_angle_deg(heel, toe), t_ic) - flat[s_ic]
            fields["foot_strike_angle_deg"] = _opt(fa)
            fields["foot_strike"] = classify_foot_strike(fa) if math.isfinite(fa) else None
            fields["shank_angle_deg"] = _opt(
                _at(time_s, segment_angle_from_vertical_deg(knee, ankle), t_ic)
            )
            over_px = _at(time_s, heel[:, 0] - pelvis[:, 0], t_ic)
            fields["overstride_pct_leg"] = _opt(100.0 * over_px / leg_px)
            if cm_per_px is not None:
                fields["overstride_cm"] = _opt(over_px * cm_per_px)
            knee_flex = joint_flexion_deg(hip, knee, ankle)
            fields["knee_flexion_ic_deg"] = _opt(_at(time_s, knee_flex, t_ic))
            # peak in stance: frame by frame from the leg whose foot is lower (in stance
            # the other foot is in the air)
            peaks = []
            for i in range(c.ic_frame, min(c.to_frame + 1, len(time_s))):
                low = {
                    sd: float(np.min(uv[i, [_IDX[f"{sd}_heel"], _IDX[f"{sd}_toe"]], 1]))
                    for sd in ("left", "right")
                }
                side_i: str = f
                if all(np.isfinite(v) for v in low.values()):
                    side_i = "left" if low["left"] <= low["right"] else "right"
                kf = joint_flexion_deg(
                    *(uv[i, _IDX[f"{side_i}_{j}"], :] for j in ("hip", "knee", "ankle"))
                )
                if np.isfinite(kf):
                    peaks.append(float(kf))
            fields["peak_knee_flexion_deg"] = max(peaks) if peaks else None
            thigh = segment_angle_from_vertical_deg(_p(uv, f"{s_to}_hip"), _p(uv, f"{s_to}_knee"))
            fields["hip_extension_to_deg"] = _opt(-_at(time_s, thigh, t_to))
        else:
            heel = _p(uv, f"{f}_heel")
            other = "right" if f == "left" else "left"
            mid = (c.ic_frame + c.to_frame) // 2
            # tilt > 0: right hip higher (v up). Swing-side drop is positive.
            d = tilt[mid] - roll
            fields["pelvic_drop_deg"] = _opt(d if other == "left" else -d)
            if prev is not None and prev.foot != f and cm_per_px is not None:
                pm = (prev.ic_frame + prev.to_frame) // 2
                # signed: the right heel lands to the right of the left heel (image x
                # grows to the runner's right in a rear view); negative = crossover
                dx = heel[mid, 0] - _p(uv, f"{prev.foot}_heel")[pm, 0]
                w = dx if f == "right" else -dx
                fields["step_width_cm"] = _opt(w * cm_per_px)
        used, why = True, None
        if c.confidence < min_confidence:
            used, why = (
                False,
                f"foot poorly seen around this contact (confidence {c.confidence:.2f})",
            )
        elif math.isfinite(med_ct) and not 0.6 * med_ct <= c.contact_time_ms <= 1.5 * med_ct:
            used, why = False, "contact time implausible against the other steps"
        steps.append(
            Step(
                index=i,
                foot=f,
                ic_time_s=t_ic,
                to_time_s=t_to,
                ic_frame=int(frame_index[min(c.ic_frame, len(frame_index) - 1)]),
                to_frame=int(frame_index[min(c.to_frame, len(frame_index) - 1)]),
                contact_time_ms=c.contact_time_ms,
                step_time_ms=step_ms,
                flight_time_ms=flight_ms,
                confidence=c.confidence,
                foot_visible_fraction=c.foot_visible_fraction,
                used=used,
                excluded_reason=why,
                **fields,
            )
        )
    return steps


def _per_step(
    uv: NDArray[np.float64], steps: list[Step], time_s: NDArray[np.float64]
) -> dict[str, list[float]]:
    """Vertical oscillation and arm swing over each step window."""
    pelvis_v = (_p(uv, "left_hip")[:, 1] + _p(uv, "right_hip")[:, 1]) / 2
    out: dict[str, list[float]] = {"vo_px": [], "arm_deg": []}
    for a, b in itertools.pairwise(steps):
        i0 = int(np.searchsorted(time_s, a.ic_time_s))
        i1 = int(np.searchsorted(time_s, b.ic_time_s))
        seg = pelvis_v[i0 : i1 + 1]
        if seg.size >= 3 and np.isfinite(seg).all():
            out["vo_px"].append(float(seg.max() - seg.min()))
    return out


def summarise_steps(
    steps: list[Step],
    uv: NDArray[np.float64],
    time_s: NDArray[np.float64],
    *,
    view: str,
    cm_per_px: float | None,
    leg_px: float,
    sampling_rate_hz: float,
    near_foot: str,
    oblique: bool,
) -> dict[str, MetricSummary]:
    """Median, spread, left/right and quality of each metric over the used steps."""
    used = [s for s in steps if s.used]
    n = len(used)
    frame_ms = 1000.0 / sampling_rate_hz
    metrics: dict[str, MetricSummary] = {}

    def add(
        key: str,
        unit: str,
        label: str,
        values: list[tuple[str, float | None]],
        *,
        method_unc: float,
        withheld: str | None = None,
        fair: str | None = None,
        min_n: int = 3,
    ) -> None:
        vals = [(f, v) for f, v in values if v is not None and math.isfinite(v)]
        arr = np.array([v for _, v in vals])
        if withheld is None and arr.size < min_n:
            withheld = f"only {arr.size} usable steps (need {min_n})"
        if withheld is not None:
            metrics[key] = MetricSummary(
                key, unit, None, "withheld", int(arr.size), reason=withheld, label=label
            )
            return
        left = [v for f, v in vals if f == "left"]
        right = [v for f, v in vals if f == "right"]
        lm = float(np.median(left)) if left else None
        rm = float(np.median(right)) if right else None
        asym = None
        # a percentage only for strictly positive quantities (times, rates, lengths);
        # for signed angles and offsets the left − right difference is in ``spread``'s
        # unit via ``left``/``right`` (a % of a near-zero angle means nothing)
        if lm is not None and rm is not None and unit in _RATIO_UNITS and min(lm, rm) > 0:
            asym = 100.0 * abs(lm - rm) / ((lm + rm) / 2)
        se = 1.2533 * float(np.std(arr)) / math.sqrt(arr.size)
        reason = fair
        quality = "fair" if fair else "good"
        if arr.size < 6 and quality == "good":
            quality, reason = "fair", f"few steps ({arr.size}); average at least 7 (Dingenen 2018)"
        q75, q25 = np.percentile(arr, [75, 25])
        # Balanced over the feet: the near and the far foot are seen differently (the
        # far one partly hidden), so their values can form two clusters; the median of
        # all steps would then jump with how many steps of each foot were kept.
        # (Positions and angles only: timing comes from both feet's events alike.)
        if (
            unit not in _RATIO_UNITS
            and len(left) >= 2
            and len(right) >= 2
            and lm is not None
            and rm is not None
        ):
            value = (lm + rm) / 2
        else:
            value = float(np.median(arr))
        metrics[key] = MetricSummary(
            key,
            unit,
            value,
            quality,  # type: ignore[arg-type]
            int(arr.size),
            spread=float(q75 - q25),
            left=lm,
            right=rm,
            asymmetry_pct=asym,
            uncertainty=math.hypot(se, method_unc),
            reason=reason,
            label=label,
        )

    timing_fair = None
    timing_withheld = None
    if sampling_rate_hz < 25:
        timing_withheld = f"frame rate {sampling_rate_hz:.0f} fps is too low for contact time"
    elif sampling_rate_hz < 50:
        timing_fair = (
            f"at {sampling_rate_hz:.0f} fps one frame is {frame_ms:.0f} ms; film at 60–240 fps"
        )
    if view != "side":
        timing_withheld = (
            "contact and flight times need the side view: from behind, the foot's height "
            "in the image mixes with its distance from the camera"
        )
    quant = frame_ms / math.sqrt(6)
    # Step time from the whole train of initial contacts, whatever the foot labels (the
    # pose model's left/right are its least reliable output): each contact gets a step
    # number (a gap of about two median gaps is a missed step), and the Theil–Sen slope
    # of contact time against step number is the step time. Its error is the event
    # error divided by the span of the clip, not by one step.
    st: list[tuple[str, float | None]] = [(s.foot, s.step_time_ms) for s in used]
    # every well-seen initial contact counts for the rhythm, even when its toe-off was
    # implausible; toe-offs only from the used steps
    seen = [s for s in steps if s.confidence >= 0.35]
    train_step_ms = _train_step_ms(
        np.array([s.ic_time_s for s in seen]), np.array([s.to_time_s for s in used])
    )
    add("step_time_ms", "ms", "Step time", st, method_unc=quant)
    if train_step_ms is not None and "step_time_ms" in metrics:
        metrics["step_time_ms"] = replace(metrics["step_time_ms"], value=train_step_ms)
    if "step_time_ms" in metrics and metrics["step_time_ms"].value is not None:
        m = metrics["step_time_ms"]
        v = float(m.value)  # type: ignore[arg-type]
        metrics["cadence_spm"] = replace(
            m,
            key="cadence_spm",
            unit="steps/min",
            value=60000.0 / v,
            spread=None,
            left=None,  # a per-foot cadence mostly shows the near/far detection delay
            right=None,
            asymmetry_pct=None,
            uncertainty=60000.0 * (m.uncertainty or 0.0) / v**2,
            label="Cadence",
        )
    else:
        metrics["cadence_spm"] = MetricSummary(
            "cadence_spm",
            "steps/min",
            None,
            "withheld",
            0,
            reason="too few consecutive left–right steps",
            label="Cadence",
        )
    add(
        "contact_time_ms",
        "ms",
        "Contact time",
        [(s.foot, s.contact_time_ms) for s in used],
        method_unc=quant,
        withheld=timing_withheld,
        fair=timing_fair,
    )
    add(
        "flight_time_ms",
        "ms",
        "Flight time",
        [(s.foot, s.flight_time_ms) for s in used],
        method_unc=quant,
        withheld=timing_withheld,
        fair=timing_fair,
    )
    strides: list[tuple[str, float | None]] = []
    for s in used:
        same = [o for o in steps if o.foot == s.foot and o.ic_time_s > s.ic_time_s]
        if same and same[0].used:
            stride = 1000.0 * (same[0].ic_time_s - s.ic_time_s)
            strides.append((s.foot, s.contact_time_ms / stride))
    add(
        "duty_factor",
        "",
        "Duty factor",
        strides,
        method_unc=quant / 600,
        withheld=timing_withheld,
        fair=timing_fair,
    )
    if view == "side":
        angle_fair = (
            "camera looks oblique to the running direction; angles are projected"
            if oblique
            else None
        )
        add(
            "foot_strike_angle_deg",
            "deg",
            "Foot-strike angle",
            [(s.foot, s.foot_strike_angle_deg) for s in used],
            method_unc=2.9,
            fair=angle_fair,
        )
        fsa = metrics["foot_strike_angle_deg"]
        metrics["foot_strike"] = MetricSummary(
            "foot_strike",
            "class",
            classify_foot_strike(float(fsa.value)) if fsa.value is not None else None,
            fsa.quality,
            fsa.n_steps,
            reason=fsa.reason,
            label="Foot strike",
        )
        for key, unit, label, unc in _SIDE_STEP_METRICS:
            if unit == "cm" and cm_per_px is None:
                metrics[key] = MetricSummary(
                    key,
                    unit,
                    None,
                    "withheld",
                    0,
                    reason="no scale: give --height-cm; overstride_pct_leg is relative",
                    label=label,
                )
                continue
            add(
                key,
                unit,
                label,
                [(s.foot, getattr(s, key)) for s in used],
                method_unc=unc,
                fair=angle_fair,
            )
        # clip-level metrics
        hip_c = (_p(uv, "left_hip") + _p(uv, "right_hip")) / 2
        sh_c = (_p(uv, "left_shoulder") + _p(uv, "right_shoulder")) / 2
        lean = np.degrees(np.arctan2(sh_c[:, 0] - hip_c[:, 0], sh_c[:, 1] - hip_c[:, 1]))
        lean = lean[np.isfinite(lean)]
        if lean.size >= 10:
            q75, q25 = np.percentile(lean, [75, 25])
            metrics["trunk_lean_deg"] = MetricSummary(
                "trunk_lean_deg",
                "deg",
                float(np.median(lean)),
                "fair" if oblique else "good",
                n,
                spread=float(q75 - q25),
                uncertainty=4.0,
                reason=angle_fair,
                label="Trunk lean",
            )
        per = _per_step(uv, used, time_s)
        scale = cm_per_px if cm_per_px is not None else None
        if scale is not None:
            add(
                "vertical_oscillation_cm",
                "cm",
                "Vertical oscillation",
                [("both", v * scale) for v in per["vo_px"]],
                method_unc=1.0,
            )
        else:
            metrics["vertical_oscillation_cm"] = MetricSummary(
                "vertical_oscillation_cm",
                "cm",
                None,
                "withheld",
                0,
                reason="no scale: give --height-cm; vertical_oscillation_pct_leg is relative",
                label="Vertical oscillation",
            )
        add(
            "vertical_oscillation_pct_leg",
            "% leg",
            "Vertical oscillation (leg length)",
            [("both", 100.0 * v / leg_px) for v in per["vo_px"]],
            method_unc=1.0,
        )
        arm = _arm_swing(uv, time_s, used, near_foot)
        add(
            "arm_swing_deg",
            "deg",
            "Arm swing (near arm)",
            [(near_foot, v) for v in arm],
            method_unc=6.0,
            fair=angle_fair,
        )
    else:
        add(
            "pelvic_drop_deg",
            "deg",
            "Contralateral pelvic drop",
            [(s.foot, s.pelvic_drop_deg) for s in used],
            method_unc=2.8,
        )
        if cm_per_px is not None:
            add(
                "step_width_cm",
                "cm",
                "Step width",
                [(s.foot, s.step_width_cm) for s in used],
                method_unc=2.0,
            )
        else:
            metrics["step_width_cm"] = MetricSummary(
                "step_width_cm",
                "cm",
                None,
                "withheld",
                0,
                reason="no scale: give --height-cm",
                label="Step width",
            )
    return metrics


def _train_slope(times: NDArray[np.float64]) -> tuple[float, float] | None:
    """(step time, residual variance) of one train of events, in seconds.

    The train is cut wherever a gap is not one step (more than ±40 % off the median
    gap: a missed or an extra event); the slope is Theil–Sen over the pairs within
    stretches (one slope shared by all, one intercept each).
    """
    times = np.sort(times[np.isfinite(times)])
    if times.size < 3:
        return None
    gaps = np.diff(times)
    med = float(np.median(gaps))
    if med <= 0:
        return None
    good = (gaps > 0.6 * med) & (gaps < 1.4 * med)
    seg_id = np.concatenate([[0], np.cumsum(~good)])
    pair_slopes, pieces = [], []
    for sid in np.unique(seg_id):
        tt = times[seg_id == sid]
        if tt.size < 2:
            continue
        k = np.arange(tt.size, dtype=float)
        i, j = np.triu_indices(k.size, 1)
        pair_slopes.append((tt[j] - tt[i]) / (k[j] - k[i]))
        pieces.append((k, tt))
    if not pair_slopes:
        return None
    slope = float(np.median(np.concatenate(pair_slopes)))
    resid = np.concatenate([tt - slope * k - np.median(tt - slope * k) for k, tt in pieces])
    var = (1.4826 * float(np.median(np.abs(resid)))) ** 2
    return slope, max(var, 1e-12)


def _train_step_ms(ic: NDArray[np.float64], to: NDArray[np.float64]) -> float | None:
    """Step time from the trains of initial contacts and toe-offs, in ms.

    Each train gives a slope (:func:`_train_slope`); the two are combined weighted by
    the inverse of their residual variance (late or early events show up as scatter).
    The error is then the event error over the span of the clip, not over one step.
    """
    fits = [f for f in (_train_slope(ic), _train_slope(to)) if f is not None and f[0] > 0]
    if not fits:
        return None
    w = np.array([1.0 / v for _, v in fits])
    return 1000.0 * float(np.sum(w * np.array([sl for sl, _ in fits])) / np.sum(w))


def _arm_swing(
    uv: NDArray[np.float64], time_s: NDArray[np.float64], used: list[Step], side: str
) -> list[float]:
    ang = segment_angle_from_vertical_deg(_p(uv, f"{side}_shoulder"), _p(uv, f"{side}_elbow"))
    same = [s for s in used if s.foot == side]
    out = []
    for a, b in itertools.pairwise(same):
        i0, i1 = (int(np.searchsorted(time_s, x)) for x in (a.ic_time_s, b.ic_time_s))
        seg = ang[i0 : i1 + 1]
        if seg.size >= 3 and np.isfinite(seg).all():
            out.append(float(seg.max() - seg.min()))
    return out


def cycle_curves(
    steps: list[Step], uv: NDArray[np.float64], time_s: NDArray[np.float64]
) -> CycleCurves:
    """Mean joint angles over the gait cycle (IC to next IC of the same foot), per foot."""
    pct = np.linspace(0, 100, 101)
    curves: dict[str, dict[str, tuple[float, ...]]] = {}
    to_pct: dict[str, float] = {}
    for foot in ("left", "right"):
        hip, knee, ankle = (_p(uv, f"{foot}_{p}") for p in ("hip", "knee", "ankle"))
        heel, toe = _p(uv, f"{foot}_heel"), _p(uv, f"{foot}_toe")
        series = {
            "knee_flexion_deg": joint_flexion_deg(hip, knee, ankle),
            "hip_flexion_deg": segment_angle_from_vertical_deg(hip, knee),
            "shank_angle_deg": segment_angle_from_vertical_deg(knee, ankle),
            "foot_angle_deg": foot_angle_deg(heel, toe),
        }
        same = [s for s in steps if s.foot == foot and s.used]
        stacks: dict[str, list[NDArray[np.float64]]] = {k: [] for k in series}
        tos = []
        for a, b in itertools.pairwise(same):
            if b.ic_time_s - a.ic_time_s > 2.0:
                continue
            tt = a.ic_time_s + pct / 100 * (b.ic_time_s - a.ic_time_s)
            tos.append(100 * (a.to_time_s - a.ic_time_s) / (b.ic_time_s - a.ic_time_s))
            for k, s in series.items():
                ok = np.isfinite(s)
                if ok.sum() > 2:
                    stacks[k].append(np.interp(tt, time_s[ok], s[ok]))
        for k, lst in stacks.items():
            if lst:
                curves.setdefault(k, {})[foot] = tuple(float(x) for x in np.mean(lst, axis=0))
        if tos:
            to_pct[foot] = float(np.mean(tos))
    return CycleCurves(tuple(float(x) for x in pct), curves, to_pct)
