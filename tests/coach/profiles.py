"""Synthetic athlete profiles as :class:`Evidence`, described in words.

Each builder gives exact values, so a finding's numbers can be compared with the truth
and a plan's choices can be traced back to one measurement.
"""

from __future__ import annotations

from datetime import date

from stridelab.coach.findings import CadenceEvidence, Evidence, LoadEvidence, Measurement

D0 = date(2026, 11, 2)


def video(
    key: str,
    value: float,
    *,
    on: date = D0,
    quality: str = "good",
    n: int = 12,
    uncertainty: float | None = 3.0,
    unit: str = "",
    asymmetry_pct: float | None = None,
) -> Measurement:
    return Measurement(
        key=f"video.{key}",
        on=on,
        value=value,
        unit=unit,
        quality=quality,
        n=n,
        uncertainty=uncertainty,
        extra={"asymmetry_pct": asymmetry_pct},
    )


def mobility(
    test: str,
    value: float,
    *,
    side: str | None = None,
    status: str | None = "within",
    cutoff: float = 10.0,
    mdc: float = 1.9,
    unit: str = "cm",
    on: date = D0,
    quality: str = "good",
    higher_is_better: bool = True,
) -> Measurement:
    key = f"mobility.{test}" + (f".{side}" if side else "")
    norm = (
        None
        if status is None
        else {"cutoff": cutoff, "status": status, "population": "adults", "source": "test source"}
    )
    return Measurement(
        key=key,
        on=on,
        value=value,
        unit=unit,
        quality=quality,
        n=1,
        mdc=mdc,
        higher_is_better=higher_is_better,
        norm=norm,
    )


def jump(test: str, value: float, *, on: date = D0, kind: str = "force_plate") -> Measurement:
    skey = "best_height_cm" if test in ("cmj", "squat") else "best_rsi"
    return Measurement(
        key=f"jump.{test}.{skey}",
        on=on,
        value=value,
        unit="cm" if skey == "best_height_cm" else "",
        n=3,
        higher_is_better=True,
        extra={"input_kind": kind},
    )


def cadence(
    easy_speed: float = 2.8, intercept: float = 128.0, slope: float = 10.0, n_points: int = 40
) -> CadenceEvidence:
    return CadenceEvidence(
        easy_speed_m_s=easy_speed,
        expected_spm=intercept + slope * easy_speed,
        residual_sd_spm=1.5,
        n_points=n_points,
        description="curve",
    )


def load(
    *,
    ramp: float | None = None,
    last_run: date = date(2026, 11, 29),
    weeks: int = 6,
    single_pair: bool = False,
    worn: bool = False,
) -> LoadEvidence:
    flags = ()
    if ramp is not None:
        flags = (("ramp", ramp, 30.0, f"volume up {ramp:.0f}% this week", "Nielsen 2014"),)
    return LoadEvidence(
        flags=flags,
        weeks_with_runs=weeks,
        last_run=last_run,
        single_pair=single_pair,
        rotation_message="One pair for everything: Trainer carried 100% of your 12 runs",
        rotation_source="Malisoux 2015",
        shoe_warnings=(("Trainer", "Trainer has 720 km — past its 700 km retirement mark", 102.9),)
        if worn
        else (),
    )


def nothing(name: str = "newcomer") -> Evidence:
    """A runner who has stored nothing yet."""
    return Evidence(athlete=name)


def overstrider() -> Evidence:
    """Lands 14 cm ahead with a 9° shank, runs 3×/week with a watch; ankles and calves
    pass, single-leg squat passes; a 10/5 RSI of 1.6."""
    return Evidence(
        athlete="overstrider",
        video=(
            video("overstride_cm", 14.0, unit="cm"),
            video("shank_angle_deg", 9.0, unit="deg"),
            video("trunk_lean_deg", 7.0, unit="deg"),
            video("cadence_spm", 158.0),
        ),
        mobility=(
            mobility("ankle_dorsiflexion", 12.0, side="left"),
            mobility("ankle_dorsiflexion", 12.5, side="right"),
            mobility("calf_raise", 26, unit="reps", mdc=6, cutoff=24),
            mobility("single_leg_squat", 6.0, unit="deg", mdc=8, status=None),
        ),
        jumps=(jump("rj10-5", 1.6),),
        n_runs=18,
        cadence=cadence(),
        load=load(),
    )


def ramping_novice() -> Evidence:
    """A novice whose weekly distance rose 70% last week, in one worn pair, with a stiff
    ankle (7 cm knee-to-wall, cut-off 10) and pelvic drop of 6.5°."""
    return Evidence(
        athlete="ramping_novice",
        video=(video("pelvic_drop_deg", 6.5, unit="deg"),),
        mobility=(
            mobility("ankle_dorsiflexion", 7.0, side="left", status="below"),
            mobility("ankle_dorsiflexion", 9.5, side="right", status="below"),
        ),
        n_runs=12,
        cadence=cadence(easy_speed=2.5),
        load=load(ramp=70.0, weeks=4, single_pair=True, worn=True),
    )


def masters_marathoner() -> Evidence:
    """A masters marathoner, upright trunk (3°), weak calves (15 reps, median 24), stiff
    hips on the doorway test, a CMJ of 24 cm that fell from 28 cm."""
    return Evidence(
        athlete="masters_marathoner",
        video=(video("trunk_lean_deg", 3.0, unit="deg"), video("overstride_cm", 6.0, unit="cm")),
        mobility=(
            mobility("calf_raise", 15, side="left", unit="reps", mdc=6, cutoff=24, status="below"),
            mobility("calf_raise", 17, side="right", unit="reps", mdc=6, cutoff=24, status="below"),
            mobility("hip_extension", -4.0, unit="deg", mdc=5, cutoff=0, status="below"),
            mobility("single_leg_squat", 6.0, unit="deg", mdc=8, status=None),
        ),
        jumps=(jump("cmj", 28.0, on=date(2026, 9, 1)), jump("cmj", 24.0)),
        n_runs=40,
        cadence=cadence(easy_speed=2.9, intercept=120, slope=12),
        load=load(weeks=8),
    )


TYPICAL = {
    "newcomer": nothing,
    "overstrider": overstrider,
    "ramping_novice": ramping_novice,
    "masters_marathoner": masters_marathoner,
}
