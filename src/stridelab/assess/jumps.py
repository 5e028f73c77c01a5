"""One entry point for jump and hop tests: a file in, a :class:`JumpTestResult` out.

The input kind is found from the content: a video container (side view, feet visible:
take-off and landing from the toe keypoints, :mod:`stridelab.assess.video_jumps`), a
phone accelerometer CSV (phyphox export or ``time,ax,ay,az``) or a force-plate CSV
(time and vertical force).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from stridelab.assess.result import JUMP_TESTS, JumpTest, JumpTestResult
from stridelab.errors import InputError, UnsupportedFormatError

__all__ = ["analyze_jump_file", "detect_jump_input"]

_VIDEO_MAGIC = (b"ftyp", b"RIFF", b"\x1a\x45\xdf\xa3", b"moov", b"mdat")


def detect_jump_input(path: Path, /) -> str:
    """``"video"``, ``"accelerometer"`` or ``"force_plate"`` from the file's content."""
    with path.open("rb") as f:  # the head only: videos can be gigabytes
        head = f.read(4096)
    if not head:
        raise InputError(f"{path.name} is empty")
    if any(m in head[:16] for m in _VIDEO_MAGIC):
        return "video"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedFormatError(
            f"{path.name} is neither a CSV nor a video stridelab knows"
        ) from None
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    header = first.lower()
    tokens = set(re.findall(r"[a-z0-9]+", header))
    if "acceleration" in header or {"ax", "ay", "az"} <= tokens:
        return "accelerometer"
    if tokens & {"fz", "force", "forces", "plate", "plate1", "left", "right", "newton", "n", "kn"}:
        return "force_plate"
    raise UnsupportedFormatError(
        f"{path.name}: a jump test needs a force-plate CSV (time and vertical force, e.g. "
        "'time,Fz') or a phone accelerometer CSV (phyphox export, or 'time,ax,ay,az'); "
        f"the header found is {first[:120]!r}"
    )


def analyze_jump_file(
    path: Path | str,
    /,
    *,
    test: str = "cmj",
    mass_kg: float | None = None,
    drop_height_cm: float | None = None,
    capture_fps: float | None = None,
    person: str = "auto",
) -> JumpTestResult:
    """Analyse a jump or hop test file (kind found from the content).

    ``capture_fps`` (real capture rate of a slow-motion video) and ``person`` (``auto``,
    an index or ``x,y,w,h``) apply to videos only; ``mass_kg`` and ``drop_height_cm``
    to force plates only.

    Raises
    ------
    InputError
        Unknown test, implausible mass, drop height or frame rate, or anything the
        format readers and the analyses refuse (e.g. a video with no jump in it).
    """
    p = Path(path)
    if test not in JUMP_TESTS:
        raise InputError(f"--type must be one of {', '.join(JUMP_TESTS)}; got {test!r}")
    if mass_kg is not None and not 20 <= mass_kg <= 250:
        raise InputError(f"--mass-kg {mass_kg:g} is not a plausible body mass (20–250 kg)")
    if drop_height_cm is not None and not 5 <= drop_height_cm <= 120:
        raise InputError(f"--drop-height-cm {drop_height_cm:g} is not plausible (5–120 cm)")
    if capture_fps is not None and not 1 <= capture_fps <= 2000:
        raise InputError(f"--capture-fps {capture_fps:g} is not a plausible frame rate (1–2000)")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    kind = detect_jump_input(p)
    kind_test = cast(JumpTest, test)
    if kind == "video":
        from stridelab.assess.video_jumps import analyze_jump_video

        return analyze_jump_video(p, test=kind_test, capture_fps=capture_fps, person=person)
    if kind == "accelerometer":
        from stridelab.assess.accelerometer import analyze_accelerometer, load_accelerometer_csv

        return analyze_accelerometer(load_accelerometer_csv(p), test=kind_test)
    from stridelab.assess.force_plate import analyze_force_plate, load_force_plate_csv

    return analyze_force_plate(
        load_force_plate_csv(p), test=kind_test, mass_kg=mass_kg, drop_height_cm=drop_height_cm
    )
