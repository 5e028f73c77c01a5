"""Keypoints made by other tools (and our own CSV), read into a :class:`PoseTrack`.

Supported formats, detected by content in :func:`load_keypoints`:

``trc``
    Tab-separated Track Row Column files (Sports2D, Pose2Sim, OpenSim, Kinovea). Marker
    names are matched case-insensitively (HALPE_26/OpenPose ``RHeel``, ``RBigToe``…,
    BlazePose ``right_heel``, ``right_foot_index``…). Coordinates, see :func:`load_trc`.
``openpose``
    A folder of OpenPose ``*_keypoints.json`` files, one per frame (BODY_25, COCO-18 or
    HALPE_26 layouts, told apart by length), see :func:`load_openpose_json`.
``csv``
    Our per-frame CSV (:func:`write_keypoints_csv`), an exact round trip.

Coordinates in the resulting track are always image pixels, x right, y down.
"""

from __future__ import annotations

import json
import logging
import math
import re
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import CorruptFileError, InputError, NoPersonError, UnsupportedFormatError
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, make_pose_track

__all__ = [
    "BODY_25",
    "COCO_18",
    "HALPE_26",
    "METRIC_PX_PER_M",
    "SUPPORTED_FORMATS",
    "TrcCoordinates",
    "canonical_keypoint",
    "load_keypoints",
    "load_openpose_json",
    "load_trc",
    "read_keypoints_csv",
    "write_keypoints_csv",
    "write_trc",
]

logger = logging.getLogger(__name__)

SUPPORTED_FORMATS: dict[str, str] = {
    "trc": "TRC marker file (Sports2D, Pose2Sim, OpenSim; first line 'PathFileType')",
    "openpose": "a folder of OpenPose *_keypoints.json files (BODY_25, COCO-18, HALPE_26)",
    "csv": "stridelab keypoint CSV (header 'frame,time_s,...')",
}

#: Scale used to draw metric coordinates (TRC in m or mm) into a pixel-like frame:
#: 1 px = 1 mm.
METRIC_PX_PER_M = 1000.0
_METRIC_MARGIN_M = 0.1

TrcCoordinates = Literal["auto", "px_y_down", "px_y_up", "metric_y_up"]

BODY_25: tuple[str, ...] = (
    "Nose", "Neck", "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow", "LWrist",
    "MidHip", "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "REye", "LEye", "REar",
    "LEar", "LBigToe", "LSmallToe", "LHeel", "RBigToe", "RSmallToe", "RHeel",
)  # fmt: skip
COCO_18: tuple[str, ...] = (
    "Nose", "Neck", "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow", "LWrist",
    "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "REye", "LEye", "REar", "LEar",
)  # fmt: skip
HALPE_26: tuple[str, ...] = (
    "Nose", "LEye", "REye", "LEar", "REar", "LShoulder", "RShoulder", "LElbow", "RElbow",
    "LWrist", "RWrist", "LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle", "Head", "Neck",
    "Hip", "LBigToe", "RBigToe", "LSmallToe", "RSmallToe", "LHeel", "RHeel",
)  # fmt: skip
_LAYOUTS = {len(BODY_25): BODY_25, len(COCO_18): COCO_18, len(HALPE_26): HALPE_26}

#: Names written by :func:`write_trc` (HALPE_26 / Sports2D spelling), canonical order.
_TRC_NAMES: tuple[str, ...] = tuple(
    "Nose"
    if k == "nose"
    else ("L" if k.startswith("left_") else "R")
    + {"toe": "BigToe"}.get(k.split("_", 1)[1], k.split("_", 1)[1].capitalize())
    for k in KEYPOINTS
)


def _alias_table() -> dict[str, str]:
    joints = {
        "shoulder": ("shoulder",),
        "elbow": ("elbow",),
        "wrist": ("wrist",),
        "hip": ("hip",),
        "knee": ("knee",),
        "ankle": ("ankle",),
        "heel": ("heel",),
        "toe": ("bigtoe", "toe", "footindex"),
    }
    table = {"nose": "nose"}
    for side, prefixes in (("left", ("l", "left")), ("right", ("r", "right"))):
        for joint, spellings in joints.items():
            for prefix in prefixes:
                for spelling in spellings:
                    table[prefix + spelling] = f"{side}_{joint}"
    return table


_ALIASES = _alias_table()


def canonical_keypoint(name: str) -> str | None:
    """The canonical keypoint a marker name stands for, or None.

    Case, spaces, ``_``, ``-`` and ``.`` are ignored: ``RBigToe``, ``right_foot_index``,
    ``RIGHT_FOOT_INDEX`` and ``R.Toe`` all give ``"right_toe"``.
    """
    return _ALIASES.get(re.sub(r"[^a-z0-9]", "", name.lower()))


def _read_text(path: Path, what: str) -> str:
    if not path.exists():
        raise InputError(f"{what} file not found: {path}")
    if not path.is_file():
        raise InputError(f"expected a {what} file, found a directory: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedFormatError(
            f"{path.name} is not a text {what} file (it holds binary data)"
        ) from None
    if not text.strip():
        raise InputError(f"{path.name} is empty: expected a {what} file with at least one frame")
    return text


def _frame_size(
    xy: NDArray[np.float64], frame_size_px: tuple[int, int] | None, notes: list[str]
) -> tuple[int, int]:
    if frame_size_px is not None:
        w, h = (int(v) for v in frame_size_px)
        if w <= 0 or h <= 0:
            raise InputError(f"frame_size_px must be two positive integers, got {frame_size_px}")
        return w, h
    finite = xy[np.isfinite(xy).all(axis=-1)]
    if finite.size == 0:
        return 1, 1
    notes.append("frame size unknown: estimated from the largest coordinates")
    w = max(1, math.ceil(float(np.max(finite[:, 0]))) + 1)
    h = max(1, math.ceil(float(np.max(finite[:, 1]))) + 1)
    return w, h


def _float(token: str, *, where: str) -> float:
    token = token.strip()
    if token == "" or token.lower() in {"nan", "na", "null"}:
        return math.nan
    try:
        return float(token)
    except ValueError:
        raise CorruptFileError(f"{where}: expected a number, found {token!r}") from None


# --------------------------------------------------------------------------- TRC


def load_trc(
    path: str | Path,
    *,
    source_name: str = "trc",
    coordinates: TrcCoordinates = "auto",
    frame_size_px: tuple[int, int] | None = None,
) -> PoseTrack:
    """Read a TRC marker file.

    Parameters
    ----------
    path : the ``.trc`` file.
    source_name : ``source`` of the returned track.
    coordinates : how to read X/Y. ``"px_y_down"``: image pixels (Sports2D ``*_px.trc``,
        our :func:`write_trc`); ``"px_y_up"``: pixels with y negated; ``"metric_y_up"``:
        metres (or mm) with Y up (Sports2D ``*_m.trc``, Pose2Sim/OpenSim; Z is dropped,
        the X–Y plane is used). ``"auto"`` decides from the header ``Units`` and the
        data: ``px`` units, a ``_px`` file name, or coordinates beyond 50 (Sports2D labels
        its pixel files ``m``) mean pixels, y up if most Y values are negative; ``mm``/
        ``m`` otherwise mean metric.
    frame_size_px : (width, height) of the video frame; estimated from the coordinates
        when omitted (TRC files do not store it).

    Returns
    -------
    PoseTrack
        Pixels with y down. Metric data are drawn at :data:`METRIC_PX_PER_M` (1 px = 1
        mm) with a 0.1 m margin, and ``px_per_m`` is set. In pixel files a marker at
        exactly (0, 0) is missing (Sports2D fills gaps with zeros); empty/NaN cells are
        missing.

    Raises
    ------
    InputError, CorruptFileError
        Missing/empty file, header or data rows malformed, non-numeric values, frame
        count different from ``NumFrames``, no known marker.
    """
    p = Path(path)
    lines = _read_text(p, "TRC").splitlines()
    if not lines[0].startswith("PathFileType"):
        raise UnsupportedFormatError(
            f"{p.name} is not a TRC file: its first line should start with 'PathFileType', "
            f"found {lines[0][:40]!r}"
        )
    if len(lines) < 5:
        raise CorruptFileError(f"{p.name}: TRC header is incomplete ({len(lines)} lines, need 5)")
    keys = lines[1].split("\t")
    vals = lines[2].split("\t")
    header = {k.strip(): v.strip() for k, v in zip(keys, vals, strict=False)}
    try:
        n_declared = int(float(header["NumFrames"]))
        data_rate = float(header.get("DataRate", "nan"))
    except (KeyError, ValueError):
        raise CorruptFileError(
            f"{p.name}: TRC header line 3 should give DataRate and NumFrames, found {lines[2]!r}"
        ) from None
    units = header.get("Units", "").lower()
    names = [n.strip() for n in lines[3].split("\t")[2:] if n.strip()]
    if not names:
        raise CorruptFileError(f"{p.name}: no marker names on line 4 of the TRC header")

    rows: list[list[float]] = []
    for lineno, line in enumerate(lines[5:], start=6):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2 + 3 * len(names):
            cells += [""] * (2 + 3 * len(names) - len(cells))
            if all(c.strip() == "" for c in cells[2:]):
                raise CorruptFileError(f"{p.name} line {lineno}: row holds no coordinates")
        rows.append(
            [_float(c, where=f"{p.name} line {lineno}") for c in cells[: 2 + 3 * len(names)]]
        )
    if not rows:
        raise InputError(f"{p.name} holds a TRC header but no frames")
    if len(rows) != n_declared:
        raise CorruptFileError(
            f"{p.name}: header declares NumFrames={n_declared} but {len(rows)} data rows were "
            "found; the file was cut or edited: export it again"
        )
    data = np.asarray(rows, dtype=np.float64)
    frame_no, time_col = data[:, 0], data[:, 1]
    coords = data[:, 2:].reshape(len(rows), len(names), 3)

    notes: list[str] = []
    xy = np.full((len(rows), len(KEYPOINTS), 2), np.nan)
    used: list[int] = []
    for j, name in enumerate(names):
        canon = canonical_keypoint(name)
        if canon is None:
            continue
        k = KEYPOINTS.index(canon)
        if k in used:
            continue
        used.append(k)
        xy[:, k, :] = coords[:, j, :2]
    if not used:
        raise InputError(
            f"{p.name}: none of its markers {names[:6]}… is a known keypoint; expected names "
            "such as RHeel, RBigToe, RAnkle, RKnee, RHip (HALPE_26/OpenPose) or BlazePose names"
        )
    if np.nanmax(np.abs(coords[..., 2]), initial=0.0) > 1e-9:
        notes.append("3D markers: depth (Z) dropped, the X–Y plane is used")

    kind = coordinates if coordinates != "auto" else _guess_trc_coordinates(xy, units, p)
    px_per_m: float | None = None
    if kind.startswith("px"):
        zeros = (xy == 0).all(axis=2)
        xy[zeros] = np.nan
        if kind == "px_y_up":
            xy[..., 1] = -xy[..., 1]
            notes.append("TRC y axis pointed up: flipped to image y down")
    else:
        scale = 0.001 if units == "mm" else 1.0
        metric = xy * scale
        finite = metric[np.isfinite(metric).all(axis=2)]
        if finite.size == 0:
            raise InputError(f"{p.name}: every marker is missing in every frame")
        x_min, y_max = float(finite[:, 0].min()), float(finite[:, 1].max())
        xy[..., 0] = (metric[..., 0] - x_min + _METRIC_MARGIN_M) * METRIC_PX_PER_M
        xy[..., 1] = (y_max - metric[..., 1] + _METRIC_MARGIN_M) * METRIC_PX_PER_M
        px_per_m = METRIC_PX_PER_M
        notes.append(f"metric TRC drawn at {METRIC_PX_PER_M:g} px/m (y flipped to point down)")
        if frame_size_px is None:
            span = (finite.max(axis=0) - finite.min(axis=0) + 2 * _METRIC_MARGIN_M) * 1000
            frame_size_px = (math.ceil(float(span[0])) + 1, math.ceil(float(span[1])) + 1)

    if np.all(np.isfinite(time_col)):
        time_s = time_col - time_col[0]
    elif math.isfinite(data_rate) and data_rate > 0:
        time_s = (frame_no - frame_no[0]) / data_rate
        notes.append("TRC Time column missing: times from Frame# and DataRate")
    else:
        raise CorruptFileError(f"{p.name}: no usable Time column and no DataRate")
    if len(time_s) > 1 and not np.all(np.diff(time_s) > 0):
        raise CorruptFileError(f"{p.name}: the Time column is not strictly increasing")
    # Frame# as written: Sports2D writes 0-based decoder frame numbers (as does write_trc)
    frame_index = (
        frame_no.astype(np.int64) if np.all(np.isfinite(frame_no)) else np.arange(len(rows))
    )
    width, height = _frame_size(xy, frame_size_px, notes)
    return make_pose_track(
        time_s,
        xy,
        width_px=width,
        height_px=height,
        source=source_name,
        frame_index=frame_index,
        notes=notes,
        px_per_m=px_per_m,
    )


def _guess_trc_coordinates(xy: NDArray[np.float64], units: str, path: Path) -> TrcCoordinates:
    finite = xy[np.isfinite(xy).all(axis=2)]
    finite = finite[~(finite == 0).all(axis=1)]
    if units in {"px", "pix", "pixel", "pixels"}:
        pixels = True
    elif units == "mm":
        pixels = False
    else:
        big = finite.size > 0 and float(np.max(np.abs(finite))) > 50.0
        pixels = "_px" in path.stem.lower() or big
    if not pixels:
        return "metric_y_up"
    if finite.size and float(np.median(finite[:, 1])) < 0:
        return "px_y_up"
    return "px_y_down"


def write_trc(track: PoseTrack, path: str | Path, *, y_up: bool = False) -> Path:
    """Write a track as a pixel TRC file (Sports2D layout, HALPE_26 marker names).

    Parameters
    ----------
    track : the pose track.
    path : destination ``.trc`` file (overwritten).
    y_up : write -y (y pointing up) for viewers that expect it; by default y points down
        like the ``*_px.trc`` files Sports2D writes.

    Notes
    -----
    ``Units`` is ``px``; Z is 0; missing points are empty cells; ``Frame#`` is the
    0-based ``frame_index`` (as Sports2D writes it). :func:`load_trc` reads it back
    (coordinates to the 1e-9 px printed), apart from confidences (TRC has none) and the
    frame size (give ``frame_size_px``).
    """
    p = Path(path)
    n, k = track.n_frames, len(KEYPOINTS)
    rate = track.sampling_rate_hz if track.n_frames > 1 else 0.0
    rate_txt = f"{rate:.6g}" if math.isfinite(rate) else "0"
    out = [
        f"PathFileType\t4\t(X/Y/Z)\t{p.name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\t"
        "OrigDataStartFrame\tOrigNumFrames",
        f"{rate_txt}\t{rate_txt}\t{n}\t{k}\tpx\t{rate_txt}\t0\t{n}",
        "Frame#\tTime\t" + "\t\t\t".join(_TRC_NAMES) + "\t\t",
        "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(k)),
        "",
    ]
    sign = -1.0 if y_up else 1.0
    for i in range(n):
        cells = [str(int(track.frame_index[i])), f"{track.time_s[i]:.9f}"]
        for j in range(k):
            x, y = track.xy_px[i, j]
            if np.isfinite(x) and np.isfinite(y):
                cells += [f"{x:.9f}", f"{sign * y:.9f}", "0"]
            else:
                cells += ["", "", ""]
        out.append("\t".join(cells))
    p.write_text("\n".join(out) + "\n", encoding="utf-8")
    return p


# --------------------------------------------------------------------------- OpenPose


def _frame_number(path: Path) -> int:
    digits = re.findall(r"\d+", path.name.removesuffix("_keypoints.json"))
    if not digits:
        raise InputError(
            f"cannot order OpenPose files: {path.name} has no frame number in its name "
            "(expected e.g. video_000000000012_keypoints.json)"
        )
    return int(digits[-1])


def _people_of(path: Path) -> list[NDArray[np.float64]]:
    """(K, 3) arrays (x, y, c; NaN where missing) of the people in one OpenPose file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptFileError(f"{path.name} is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("people"), list):
        raise CorruptFileError(f"{path.name}: expected an OpenPose object with a 'people' list")
    people = []
    for i, person in enumerate(doc["people"]):
        flat = person.get("pose_keypoints_2d") if isinstance(person, dict) else None
        if not isinstance(flat, list) or not flat:
            continue
        try:
            arr = np.asarray(flat, dtype=np.float64)
        except (TypeError, ValueError):
            raise CorruptFileError(
                f"{path.name} person {i}: pose_keypoints_2d holds non-numeric values"
            ) from None
        if arr.ndim != 1 or arr.size % 3:
            raise CorruptFileError(
                f"{path.name} person {i}: pose_keypoints_2d should be x, y, c triplets, "
                f"found {arr.size} numbers"
            )
        arr = arr.reshape(-1, 3)
        missing = (arr == 0).all(axis=1) | ~np.isfinite(arr).all(axis=1)
        arr[missing] = np.nan
        if np.isfinite(arr[:, :2]).any():  # OpenPose writes all-zero people (face only)
            people.append(arr)
    return people


def _centroid(person: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.nanmean(person[:, :2], axis=0)


def _size(person: NDArray[np.float64]) -> float:
    pts = person[np.isfinite(person[:, 0]), :2]
    return float(np.hypot(*np.ptp(pts, axis=0))) if len(pts) > 1 else 0.0


def load_openpose_json(
    folder: str | Path,
    *,
    fps: float,
    person: int | None = None,
    frame_size_px: tuple[int, int] | None = None,
) -> PoseTrack:
    """Read a folder of OpenPose ``*_keypoints.json`` files (one per frame).

    Parameters
    ----------
    folder : directory holding the JSON files.
    fps : frame rate in real frames per second (the files carry no timing).
    person : index of the person to follow in the first frame where that index exists;
        None picks the person with the largest confidence sum × body size in the first
        frame with anyone in it.
    frame_size_px : (width, height) of the video; estimated from coordinates if omitted.

    Returns
    -------
    PoseTrack
        One row per file; ``frame_index`` and ``time_s = (n - n₀) / fps`` come from the
        number in each file name. The chosen person is followed by nearest centroid; a
        frame whose nearest person is farther than (frames since last seen, at most 5) ×
        the person's size is left empty rather than jumping to someone else.

    Raises
    ------
    InputError, CorruptFileError, NoPersonError
    """
    d = Path(folder)
    if not d.is_dir():
        raise InputError(f"expected a folder of OpenPose JSON files, found {d}")
    if not (isinstance(fps, int | float) and math.isfinite(fps) and fps > 0):
        raise InputError(
            f"fps must be a positive number (OpenPose files carry no timing), got {fps!r}"
        )
    files = sorted(d.glob("*_keypoints.json")) or sorted(d.glob("*.json"))
    if not files:
        raise InputError(f"no OpenPose *_keypoints.json files in {d}")
    numbered = sorted((_frame_number(f), f) for f in files)
    numbers = [n for n, _ in numbered]
    if len(set(numbers)) != len(numbers):
        raise CorruptFileError(f"{d.name}: two OpenPose files carry the same frame number")
    frames = [_people_of(f) for _, f in numbered]

    n_kp = {p.shape[0] for people in frames for p in people}
    if not n_kp:
        raise NoPersonError(f"no person in any of the {len(files)} OpenPose files in {d.name}")
    if len(n_kp) > 1:
        raise CorruptFileError(
            f"{d.name}: files disagree on the number of keypoints per person ({sorted(n_kp)})"
        )
    (n_points,) = n_kp
    layout = _LAYOUTS.get(n_points)
    if layout is None:
        raise UnsupportedFormatError(
            f"{d.name}: {n_points} keypoints per person; supported layouts are BODY_25 (25), "
            "COCO-18 (18) and HALPE_26 (26)"
        )
    mapping = [
        (KEYPOINTS.index(c), j)
        for j, name in enumerate(layout)
        if (c := canonical_keypoint(name)) is not None
    ]

    notes: list[str] = []
    crowded = sum(len(people) > 1 for people in frames)
    chosen: list[NDArray[np.float64] | None] = [None] * len(frames)
    start = None
    for i, people in enumerate(frames):
        if person is not None and len(people) > person:
            start = i
            chosen[i] = people[person]
            break
        if person is None and people:
            start = i
            chosen[i] = max(people, key=lambda q: float(np.nansum(q[:, 2])) * max(_size(q), 1.0))
            break
    if start is None:
        raise NoPersonError(
            f"person {person} never appears in the OpenPose files of {d.name} "
            f"(at most {max(len(p) for p in frames)} people per frame)"
        )
    last = chosen[start]
    assert last is not None
    gap = 1
    for i in range(start + 1, len(frames)):
        people = frames[i]
        if people:
            ref = _centroid(last)
            dists = [float(np.hypot(*(_centroid(q) - ref))) for q in people]
            best = int(np.argmin(dists))
            if dists[best] <= max(_size(last), 1.0) * min(gap, 5):
                chosen[i] = people[best]
                last, gap = people[best], 1
                continue
        gap += 1
    if crowded:
        who = f"person {person}" if person is not None else "the largest, most confident person"
        notes.append(
            f"several people seen in {crowded} of {len(frames)} frames: followed {who} "
            "by nearest centroid"
        )

    xy = np.full((len(frames), len(KEYPOINTS), 2), np.nan)
    conf = np.zeros((len(frames), len(KEYPOINTS)))
    for i, pts in enumerate(chosen):
        if pts is None:
            continue
        for k, j in mapping:
            xy[i, k] = pts[j, :2]
            conf[i, k] = pts[j, 2]
    if n_points == len(COCO_18):
        notes.append("COCO-18 layout: heel and toe keypoints are missing")
    width, height = _frame_size(xy, frame_size_px, notes)
    nums = np.asarray(numbers, dtype=np.int64)
    return make_pose_track(
        (nums - nums[0]) / float(fps),
        xy,
        conf,
        width_px=width,
        height_px=height,
        source="openpose",
        frame_index=nums,
        notes=notes,
    )


# --------------------------------------------------------------------------- CSV

_CSV_HEAD = ("frame", "time_s")


def _csv_columns() -> list[str]:
    cols = list(_CSV_HEAD)
    for k in KEYPOINTS:
        cols += [f"{k}_x_px", f"{k}_y_px", f"{k}_conf"]
    return cols


def write_keypoints_csv(track: PoseTrack, path: str | Path) -> Path:
    """Write a track as our per-frame CSV (``# key=value`` comment lines, then a header).

    Columns: ``frame, time_s`` and ``<keypoint>_x_px, <keypoint>_y_px, <keypoint>_conf``
    for every canonical keypoint; missing points are empty cells. Numbers are written with
    Python's shortest round-trip repr, so :func:`read_keypoints_csv` returns the same
    values exactly.
    """
    p = Path(path)
    out = [
        "# stridelab keypoints v1",
        f"# width_px={track.width_px}",
        f"# height_px={track.height_px}",
        f"# source={track.source}",
        f"# px_per_m={'' if track.px_per_m is None else repr(track.px_per_m)}",
    ]
    out += [f"# note={' '.join(note.splitlines())}" for note in track.notes]
    out.append(",".join(_csv_columns()))
    for i in range(track.n_frames):
        cells = [str(int(track.frame_index[i])), repr(float(track.time_s[i]))]
        for j in range(len(KEYPOINTS)):
            x, y = track.xy_px[i, j]
            ok = bool(np.isfinite(x) and np.isfinite(y))
            cells += [
                repr(float(x)) if ok else "",
                repr(float(y)) if ok else "",
                repr(float(track.confidence[i, j])),
            ]
        out.append(",".join(cells))
    p.write_text("\n".join(out) + "\n", encoding="utf-8")
    return p


def read_keypoints_csv(path: str | Path) -> PoseTrack:
    """Read a CSV written by :func:`write_keypoints_csv`.

    Keypoint columns that are absent are read as missing (NaN); ``frame`` and ``time_s``
    are required. ``width_px``/``height_px`` comments are estimated from the coordinates
    when absent.

    Raises
    ------
    InputError, CorruptFileError
        Empty file, no header, missing ``frame``/``time_s`` columns, rows of the wrong
        length, non-numeric values, no frames.
    """
    p = Path(path)
    lines = _read_text(p, "keypoint CSV").splitlines()
    meta: dict[str, str] = {}
    notes: list[str] = []
    body_start = None
    for i, line in enumerate(lines):
        if line.startswith("#"):
            key, _, value = line[1:].strip().partition("=")
            if key == "note":
                notes.append(value)
            elif _:
                meta[key.strip()] = value.strip()
            continue
        if line.strip():
            body_start = i
            break
    if body_start is None:
        raise InputError(f"{p.name} holds only comments: no header and no frames")
    header = [c.strip() for c in lines[body_start].split(",")]
    missing = [c for c in _CSV_HEAD if c not in header]
    if missing:
        raise CorruptFileError(
            f"{p.name}: header lacks column(s) {missing}; expected 'frame,time_s,"
            "<keypoint>_x_px,<keypoint>_y_px,<keypoint>_conf,...'"
        )
    col = {name: j for j, name in enumerate(header)}
    if not any(f"{k}_x_px" in col for k in KEYPOINTS):
        raise CorruptFileError(f"{p.name}: no keypoint columns such as 'right_heel_x_px'")
    rows = []
    for lineno, line in enumerate(lines[body_start + 1 :], start=body_start + 2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split(",")
        if len(cells) != len(header):
            raise CorruptFileError(
                f"{p.name} line {lineno}: {len(cells)} fields, the header has {len(header)}"
            )
        rows.append([_float(c, where=f"{p.name} line {lineno}") for c in cells])
    if not rows:
        raise InputError(f"{p.name} has a header but no frames")
    data = np.asarray(rows, dtype=np.float64)
    n = len(rows)
    xy = np.full((n, len(KEYPOINTS), 2), np.nan)
    conf = np.zeros((n, len(KEYPOINTS)))
    for k, name in enumerate(KEYPOINTS):
        if f"{name}_x_px" in col and f"{name}_y_px" in col:
            xy[:, k, 0] = data[:, col[f"{name}_x_px"]]
            xy[:, k, 1] = data[:, col[f"{name}_y_px"]]
        if f"{name}_conf" in col:
            conf[:, k] = data[:, col[f"{name}_conf"]]
        else:
            conf[:, k] = np.where(np.isfinite(xy[:, k]).all(axis=1), 1.0, 0.0)
    frames = data[:, col["frame"]]
    if not np.all(np.isfinite(frames)) or not np.all(np.isfinite(data[:, col["time_s"]])):
        raise CorruptFileError(f"{p.name}: every row needs a frame number and a time_s")
    size: tuple[int, int] | None = None
    try:
        if "width_px" in meta and "height_px" in meta:
            size = (int(meta["width_px"]), int(meta["height_px"]))
        px_per_m = float(meta["px_per_m"]) if meta.get("px_per_m") else None
    except ValueError:
        raise CorruptFileError(f"{p.name}: malformed header comment values {meta}") from None
    width, height = _frame_size(xy, size, notes)
    try:
        return make_pose_track(
            data[:, col["time_s"]],
            xy,
            conf,
            width_px=width,
            height_px=height,
            source=meta.get("source", "csv"),
            frame_index=frames.astype(np.int64),
            notes=notes,
            px_per_m=px_per_m,
        )
    except InputError as exc:
        raise CorruptFileError(f"{p.name}: {exc}") from None


# --------------------------------------------------------------------------- registry


def _detect(path: Path) -> str | None:
    if path.is_dir():
        if any(path.glob("*_keypoints.json")) or any(path.glob("*.json")):
            return "openpose"
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not head.strip():
        raise InputError(f"{path.name} is empty: expected one of {_supported_list()}")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if text.startswith("PathFileType"):
        return "trc"
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        return "csv" if line.replace(" ", "").startswith("frame,time_s") else None
    return None


def _supported_list() -> str:
    return "; ".join(f"{k}: {v}" for k, v in SUPPORTED_FORMATS.items())


def load_keypoints(
    path: str | Path,
    *,
    source: Literal["auto", "trc", "openpose", "csv"] = "auto",
    fps: float | None = None,
    person: int | None = None,
    frame_size_px: tuple[int, int] | None = None,
) -> PoseTrack:
    """Load keypoints from any supported format, detected by content when ``source="auto"``.

    Parameters
    ----------
    path : a file (TRC, CSV) or a folder (OpenPose JSON).
    source : force a format instead of detecting it.
    fps : frame rate in real frames per second, required for OpenPose folders.
    person : person index for OpenPose folders (see :func:`load_openpose_json`).
    frame_size_px : (width, height) of the video for formats that do not store it.

    Raises
    ------
    UnsupportedFormatError
        The content matches none of :data:`SUPPORTED_FORMATS` (listed in the message).
    InputError
        Missing path, missing ``fps`` for OpenPose, or bad content (see the loaders).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"keypoint file or folder not found: {p}")
    kind = _detect(p) if source == "auto" else source
    if kind == "trc":
        return load_trc(p, frame_size_px=frame_size_px)
    if kind == "csv":
        return read_keypoints_csv(p)
    if kind == "openpose":
        if fps is None:
            raise InputError(
                f"{p.name}: OpenPose JSON files carry no timing; pass the video frame rate "
                "(fps=..., or --fps)"
            )
        return load_openpose_json(p, fps=fps, person=person, frame_size_px=frame_size_px)
    if kind is None:
        raise UnsupportedFormatError(
            f"{p.name} is not a keypoint format stridelab reads; supported: {_supported_list()}"
        )
    raise InputError(
        f"unknown keypoint source {source!r}; expected auto, {', '.join(SUPPORTED_FORMATS)}"
    )
