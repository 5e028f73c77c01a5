"""The catalogue of mobility and stability self-tests: set-up, camera, what counts,
the norm or cut-off (source and population), and the minimal detectable change.

Sources are the evidence notes of the method (``method_spec.md`` §2 and §6). Where the
notes found no published norm, ``norm`` is None and a result is compared with the
runner's own baseline instead; where no MDC was found, ``mdc`` is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stridelab.errors import InputError

__all__ = [
    "SCHEMA",
    "TESTS",
    "NormRef",
    "TestInfo",
    "resolve_test",
]

#: Schema id of every stored mobility result.
SCHEMA = "stridelab.mobility/1"

Unit = Literal["deg", "s", "reps", "cm"]
View = Literal["side", "front", "any"]


@dataclass(frozen=True)
class NormRef:
    """A published (or practitioner) cut-off; ``cutoff_by_sex`` overrides ``cutoff``."""

    cutoff: float
    population: str
    source: str
    cutoff_by_sex: dict[str, float] = field(default_factory=dict)

    def cutoff_for(self, sex: str | None) -> tuple[float, str]:
        """Cut-off and population text for ``sex`` ("male"/"female"/None)."""
        if sex in self.cutoff_by_sex:
            return self.cutoff_by_sex[sex], f"{self.population} ({sex})"
        if self.cutoff_by_sex:
            low_sex = min(self.cutoff_by_sex, key=lambda k: self.cutoff_by_sex[k])
            return (
                self.cutoff_by_sex[low_sex],
                f"{self.population} ({low_sex}; sex not given, so the lower value is used)",
            )
        return self.cutoff, self.population


@dataclass(frozen=True)
class TestInfo:
    """One self-test of the catalogue."""

    id: str
    name: str
    inputs: tuple[Literal["photo", "video"], ...]
    view: View
    unit: Unit
    higher_is_better: bool
    measure: str
    setup: str
    camera: str
    counts: str
    norm: NormRef | None
    mdc: float | None
    mdc_source: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    def guide(self) -> str:
        """Human-readable guide (set-up, camera placement, what counts, norm, MDC)."""
        norm = (
            f"{self.norm.cutoff:g} {self.unit} — {self.norm.population} ({self.norm.source})"
            if self.norm is not None and not self.norm.cutoff_by_sex
            else (
                ", ".join(f"{k} {v:g} {self.unit}" for k, v in self.norm.cutoff_by_sex.items())
                + f" — {self.norm.population} ({self.norm.source})"
                if self.norm is not None
                else "no published norm: compared with your own first (baseline) result"
            )
        )
        mdc = f"{self.mdc:g} {self.unit} ({self.mdc_source})" if self.mdc else self.mdc_source
        return (
            f"{self.name} [{self.id}]\n"
            f"Measures: {self.measure}\n"
            f"Input: {' or '.join(self.inputs)}; {self.view} view\n"
            f"Set-up: {self.setup}\n"
            f"Camera: {self.camera}\n"
            f"What counts: {self.counts}\n"
            f"Norm / cut-off: {norm}\n"
            f"Minimal detectable change: {mdc}\n"
            f"Sources: {'; '.join(self.sources)}"
        )


_LEVEL = (
    "Phone on a tripod or propped still, level (use its level app: a tilted phone tilts "
    "every angle), at the height of the body part measured, 2–4 m away so that the whole "
    "body is in the frame; good light, plain background, fitted clothes, one person."
)

TESTS: dict[str, TestInfo] = {
    t.id: t
    for t in (
        TestInfo(
            id="ankle_dorsiflexion",
            name="Ankle dorsiflexion (knee-to-wall / weight-bearing lunge)",
            inputs=("photo", "video"),
            view="side",
            unit="deg",
            higher_is_better=True,
            measure="shank (knee→ankle) angle from vertical at the end of the lunge, deg",
            setup=(
                "Face a wall, test foot in front and pointing at the wall, back foot behind. "
                "Keep the front heel down and drive the knee forward to the wall; move the "
                "foot back until the knee only just touches with the heel still down. Hold "
                "that end position."
            ),
            camera="Side view of the test leg (the test leg nearest the camera). " + _LEVEL,
            counts=(
                "The end position with the heel on the floor. In a video, the frame with the "
                "largest shank angle while the front foot stays flat is used."
            ),
            norm=NormRef(
                cutoff=36.0,
                population=(
                    "practitioner pass threshold of ≥ 10 cm toe-to-wall (adults), as the "
                    "shank angle at which the front of the knee reaches a wall 10 cm ahead "
                    "of the toes (geometry of adult segment lengths, 160–190 cm tall: about "
                    "34–40°); not a published angle nor a runner cut-off"
                ),
                source="allsystemschiro.ca (10 cm); geometric conversion (stridelab design)",
            ),
            mdc=4.7,
            mdc_source="Powden, Hoch & Hoch 2015, Man Ther (MDC 4.6–4.7°, 1.6–1.9 cm)",
            sources=("Powden 2015 Man Ther", "Bennell 1998", "Williams 2013 JSAMS"),
            aliases=("knee-to-wall", "knee_to_wall", "lunge", "wblt", "ankle"),
        ),
        TestInfo(
            id="hip_extension",
            name="Hip extension (kneeling hip-flexor test or modified Thomas test)",
            inputs=("photo", "video"),
            view="side",
            unit="deg",
            higher_is_better=True,
            measure=(
                "kneeling: thigh (hip→knee) of the kneeling leg behind vertical, deg; "
                "Thomas: thigh of the hanging leg below horizontal, deg (+ = hip extended); "
                "Thomas also reports knee flexion (< 67° suggests a short rectus femoris)"
            ),
            setup=(
                "Kneeling: half-kneel with the test knee on a pad, tuck the pelvis "
                "(posterior tilt, low back flat) and shift forward until the front of the "
                "hip stretches; trunk upright. Thomas: sit at the very end of a table, roll "
                "back hugging the other knee to the chest (low back flat on the table) and "
                "let the test leg hang relaxed."
            ),
            camera="Side view of the test leg (nearest the camera). " + _LEVEL,
            counts=(
                "Kneeling: no published norm, compared with your baseline. Thomas: the "
                "thigh at or below horizontal passes; only valid with the pelvis held "
                "(low back flat), otherwise the test is unreliable (Vigotsky 2016)."
            ),
            norm=NormRef(
                cutoff=0.0,
                population=(
                    "modified Thomas test only: thigh above horizontal (hip angle > 0°) "
                    "suggests short one-joint hip flexors; adults, EXECP protocol"
                ),
                source="BMC Sports Sci Med Rehabil 2021 (Table 4); Vigotsky 2016 PeerJ",
            ),
            mdc=None,
            mdc_source=(
                "no published MDC found for a camera thigh angle (trigonometric method ICC "
                "0.90–0.95, PMC4560013); a change is judged against your baseline"
            ),
            sources=("BMC SSMR 2021", "Vigotsky 2016 PeerJ", "PMC4560013"),
            aliases=("thomas", "kneeling-hip-flexor", "kneeling_hip_flexor", "hip"),
        ),
        TestInfo(
            id="big_toe_extension",
            name="Big-toe (first MTP) extension",
            inputs=("photo",),
            view="side",
            unit="deg",
            higher_is_better=True,
            measure=(
                "angle between the first metatarsal and the big toe, deg, from three "
                "points you mark on the photo (--points): heel or first metatarsal shaft, "
                "the big-toe joint, the tip of the big toe"
            ),
            setup=(
                "Stand (or sit with the foot flat), lift the big toe as far as it goes "
                "(or have someone lift it) while the ball of the foot stays down."
            ),
            camera=(
                "Close side photo of the inside of the foot, phone at floor level, the whole "
                "foot and toe in the frame."
            ),
            counts=(
                "The pose model has no toe joint (BlazePose's 33 landmarks end at the heel "
                "and the toe tip), so stridelab does not guess this angle: mark the three "
                "points in any image viewer and pass them as --points 'x1,y1;x2,y2;x3,y3' "
                "(pixels of the displayed photo)."
            ),
            norm=NormRef(
                cutoff=30.0,
                population=(
                    "practitioner minimum (≥ 30°, 35° in Runner's World; ~65° assumed "
                    "needed for gait, 42° used in walking, Nawoczenski 1999)"
                ),
                source="healthhp.com.au; Runner's World; podiapaedia.org",
            ),
            mdc=None,
            mdc_source="no published MDC for a photo-marked angle; judged against your baseline",
            sources=("Nawoczenski 1999", "healthhp.com.au", "Runner's World"),
            aliases=("big-toe", "big_toe", "toe", "mtp"),
        ),
        TestInfo(
            id="single_leg_squat",
            name="Single-leg squat (knee frontal-plane projection angle)",
            inputs=("video",),
            view="front",
            unit="deg",
            higher_is_better=False,
            measure=(
                "knee frontal-plane projection angle (FPPA: hip→knee vs knee→ankle, 0 = "
                "straight, + = knee inward/valgus) at the bottom of each rep (median over "
                "reps), rep count, pelvis drop toward the lifted leg"
            ),
            setup=(
                "Stand on the test leg, hands on the hips, the other foot lifted in front. "
                "Squat as deep as you control (about 45–60° of knee bend) and back up, 5 "
                "slow reps."
            ),
            camera="Front (or back) view, phone at knee-to-hip height. " + _LEVEL,
            counts=(
                "FPPA at the deepest point of each rep (Munro 2012). 2D FPPA reflects "
                "knee, hip and foot together and relates only moderately to 3D knee "
                "abduction, so use it to follow your own control over time."
            ),
            norm=None,
            mdc=8.9,
            mdc_source="Munro 2012 J Sport Rehabil (SDD 7.54–8.93°; the larger value used)",
            sources=("Munro 2012 J Sport Rehabil", "Gwynne & Curran 2014", "Schurr 2017"),
            aliases=("single-leg-squat", "sls", "squat"),
        ),
        TestInfo(
            id="single_leg_balance",
            name="Single-leg balance (eyes open)",
            inputs=("video",),
            view="any",
            unit="s",
            higher_is_better=True,
            measure=(
                "time from lifting the foot to the first touch-down (or the end of the "
                "clip), touch-downs, sideways sway of the pelvis"
            ),
            setup=(
                "Stand on the test leg, arms relaxed, lift the other foot a little behind "
                "you; hold as long as you can up to 45 s. Start filming before lifting."
            ),
            camera="Front or back view, the whole body. " + _LEVEL,
            counts="Holding ends at the first touch-down of the lifted foot.",
            norm=NormRef(
                cutoff=30.0,
                population=(
                    "practitioner target, adults, eyes open (the age norms of Springer "
                    "2007 could not be read)"
                ),
                source="corenewport.com; Springer 2007 (norms not available)",
            ),
            mdc=None,
            mdc_source=(
                "no published MDC found (Springer 2007 ICC 0.994); judged against your baseline"
            ),
            sources=("Springer 2007", "corenewport.com"),
            aliases=("single-leg-balance", "balance", "slb"),
        ),
        TestInfo(
            id="calf_raise",
            name="Single-leg calf (heel) raises to fatigue",
            inputs=("video",),
            view="side",
            unit="reps",
            higher_is_better=True,
            measure="reps to fatigue and the heel height of each rep (cm with --height-cm)",
            setup=(
                "Stand on the test leg (ideally on a 10° wedge), fingertips on a wall, the "
                "other foot off the floor. Rise as high as you can and lower, one rep every "
                "2 s (metronome), until you cannot rise any more."
            ),
            camera="Side view of the test foot, phone at ankle-to-knee height. " + _LEVEL,
            counts=(
                "A rep counts when the heel rises at least half the height of your typical "
                "rep. The test ends at the first rep below that (the heel can no longer be "
                "lifted) or at a pause of more than about two beats (the pace is lost); reps "
                "after the end are listed but not counted."
            ),
            norm=NormRef(
                cutoff=21.0,
                population="healthy volunteers aged 20–81, 10° incline, median reps (n = 566)",
                source="Hébert-Losier 2017, Physiotherapy",
                cutoff_by_sex={"male": 24.0, "female": 21.0},
            ),
            mdc=6.0,
            mdc_source="Hébert-Losier 2017 (limits of agreement about ±6 reps)",
            sources=("Hébert-Losier 2017 Physiotherapy",),
            aliases=("calf-raise", "heel-raise", "heel_raise", "calf"),
        ),
        TestInfo(
            id="plank",
            name="Prone (forearm) plank hold",
            inputs=("video",),
            view="side",
            unit="s",
            higher_is_better=True,
            measure=(
                "time from reaching the plank until the hips sag more than the threshold "
                "(10° below your own starting line, for 1 s)"
            ),
            setup="Forearm plank, elbows under the shoulders, body straight from head to heels.",
            camera="Side view at hip height, the whole body. " + _LEVEL,
            counts=(
                "The hold ends when the hips sag 10° or more below the straight line you "
                "started with for at least 1 s, or when you leave the plank."
            ),
            norm=NormRef(
                cutoff=83.0,
                population=(
                    "university students, mean hold to form failure "
                    "(men 124 ± 72 s, women 83 ± 63 s)"
                ),
                source="Strand 2014, J Hum Kinet",
                cutoff_by_sex={"male": 124.0, "female": 83.0},
            ),
            mdc=None,
            mdc_source="no published MDC found for hold time; judged against your baseline",
            sources=("Strand 2014 J Hum Kinet", "McGill 1999"),
            aliases=("prone-plank", "front-plank"),
        ),
        TestInfo(
            id="side_plank",
            name="Side plank hold",
            inputs=("video",),
            view="front",
            unit="s",
            higher_is_better=True,
            measure="time until the hips sag more than 10° below your starting line for 1 s",
            setup="Side plank on the forearm, feet stacked, body straight; test side down.",
            camera="Front (or back) view at hip height, the whole body. " + _LEVEL,
            counts=(
                "No absolute norm: McGill 1999 gives ratios (side bridge = 0.65 of the "
                "extensor hold in men, 0.39 in women), so compare with your baseline and "
                "the other side."
            ),
            norm=None,
            mdc=None,
            mdc_source=(
                "no published MDC found (McGill 1999 reliability > 0.97); "
                "judged against your baseline"
            ),
            sources=("McGill 1999",),
            aliases=("side-plank", "sideplank"),
        ),
    )
}


def resolve_test(name: str, /) -> tuple[TestInfo, str | None]:
    """The catalogue entry for a test id or alias, and the variant it names
    (``"kneeling"``/``"thomas"`` for hip extension, else None).

    Raises
    ------
    InputError
        Unknown name (the message lists the tests).
    """
    key = name.strip().lower()
    variant = None
    if key in ("thomas", "modified-thomas"):
        variant = "thomas"
    elif key in ("kneeling-hip-flexor", "kneeling_hip_flexor"):
        variant = "kneeling"
    for info in TESTS.values():
        if key == info.id or key in info.aliases or key.replace("-", "_") == info.id:
            return info, variant
    raise InputError(
        f"unknown test {name!r}; expected one of {', '.join(TESTS)} "
        "(or knee-to-wall, thomas, kneeling-hip-flexor, big-toe, calf-raise, side-plank)"
    )
