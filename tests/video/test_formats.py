"""Tests of stridelab.video.formats on small files written in ``tmp_path``.

Fixtures are built in code: a synthetic track with known coordinates, TRC files laid out
as Sports2D writes them (tab-separated, ``Units`` = ``m`` even for pixels, 0-based
``Frame#``, no blank line before the data, empty cells for gaps), and OpenPose folders
with one ``*_keypoints.json`` per frame.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from stridelab.errors import (
    CorruptFileError,
    InputError,
    NoPersonError,
    UnsupportedFormatError,
)
from stridelab.video.formats import (
    BODY_25,
    COCO_18,
    HALPE_26,
    canonical_keypoint,
    load_keypoints,
    load_openpose_json,
    load_trc,
    read_keypoints_csv,
    write_keypoints_csv,
    write_trc,
)
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, keypoint_index, make_pose_track

K = len(KEYPOINTS)


def synthetic_track(n: int = 6, *, missing: bool = True) -> PoseTrack:
    """Keypoint k at x = 100 + 10k + i/3, y = 200 + 20k - i/7 (frame i); two gaps."""
    i = np.arange(n)[:, None]
    k = np.arange(K)[None, :]
    xy = np.stack([100 + 10 * k + i / 3, 200 + 20 * k - i / 7], axis=-1).astype(float)
    conf = np.clip(0.5 + 0.01 * k + 0.001 * i, 0, 1)
    if missing:
        xy[1, keypoint_index("left_heel")] = np.nan
        xy[3, keypoint_index("nose")] = np.nan
    return make_pose_track(
        np.arange(n) / 60.0 + 1 / 3,
        xy,
        conf,
        width_px=1080,
        height_px=1920,
        source="mediapipe",
        frame_index=np.arange(n) + 5,
        notes=("swap fixed at frame 2", "line\nbreak"),
        px_per_m=412.5,
    )


# ----------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("RBigToe", "right_toe"),
        ("right_foot_index", "right_toe"),
        ("LEFT_HEEL", "left_heel"),
        ("LHip", "left_hip"),
        ("Nose", "nose"),
        ("Hip", None),
        ("LSmallToe", None),
        ("Neck", None),
    ],
)
def test_canonical_keypoint(name: str, expected: str | None) -> None:
    assert canonical_keypoint(name) == expected


# ----------------------------------------------------------------------- CSV


def test_csv_round_trip_is_exact(tmp_path: Path) -> None:
    track = synthetic_track()
    path = write_keypoints_csv(track, tmp_path / "k.csv")
    text = path.read_text()
    assert text.startswith("# stridelab keypoints v1\n# width_px=1080\n# height_px=1920\n")
    assert "\nframe,time_s,nose_x_px,nose_y_px,nose_conf," in text
    back = read_keypoints_csv(path)
    np.testing.assert_array_equal(back.time_s, track.time_s)
    np.testing.assert_array_equal(back.xy_px, track.xy_px)  # NaN positions equal too
    np.testing.assert_array_equal(back.confidence, track.confidence)
    np.testing.assert_array_equal(back.frame_index, track.frame_index)
    assert (back.width_px, back.height_px) == (1080, 1920)
    assert back.source == "mediapipe" and back.px_per_m == 412.5
    assert back.notes == ("swap fixed at frame 2", "line break")
    assert load_keypoints(path).n_frames == track.n_frames


def test_csv_without_px_per_m(tmp_path: Path) -> None:
    track = synthetic_track(missing=False).with_(px_per_m=None, notes=())
    back = read_keypoints_csv(write_keypoints_csv(track, tmp_path / "k.csv"))
    assert back.px_per_m is None and back.notes == ()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("", InputError, "empty"),
        ("# width_px=10\n", InputError, "only comments"),
        ("frame,nose_x_px\n0,1\n", CorruptFileError, "time_s"),
        ("frame,time_s,nose_x_px,nose_y_px,nose_conf\n", InputError, "no frames"),
        ("frame,time_s,nose_x_px,nose_y_px,nose_conf\n0,0,abc,2,1\n", CorruptFileError, "'abc'"),
        ("frame,time_s,nose_x_px,nose_y_px,nose_conf\n0,0,1,2\n", CorruptFileError, "4 fields"),
        ("frame,time_s,speed\n0,0,1\n", CorruptFileError, "no keypoint columns"),
        (
            "frame,time_s,nose_x_px,nose_y_px,nose_conf\n0,0.1,1,2,1\n1,0.1,1,2,1\n",
            CorruptFileError,
            "increasing",
        ),
    ],
)
def test_csv_bad_input(tmp_path: Path, text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        read_keypoints_csv(_csv(tmp_path, text))


def test_csv_partial_columns_and_estimated_size(tmp_path: Path) -> None:
    path = _csv(tmp_path, "frame,time_s,right_heel_x_px,right_heel_y_px\n0,0,10.5,20\n1,0.1,,\n")
    track = read_keypoints_csv(path)
    heel = track.point("right_heel")
    assert heel[0].tolist() == [10.5, 20.0] and np.isnan(heel[1]).all()
    assert track.confidence[0, keypoint_index("right_heel")] == 1.0
    assert np.isnan(track.point("nose")).all()
    assert (track.width_px, track.height_px) == (12, 21)
    assert any("estimated" in n for n in track.notes)


# ----------------------------------------------------------------------- TRC


def sports2d_trc(
    path: Path,
    names: list[str],
    coords: np.ndarray,
    *,
    units: str = "m",
    fps: float = 30.0,
    num_frames: int | None = None,
) -> Path:
    """A TRC laid out like Sports2D's ``make_trc_with_trc_data`` (NaN → empty cell)."""
    n = coords.shape[0]
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{path}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\t"
        "OrigDataStartFrame\tOrigNumFrames",
        f"{fps}\t{fps}\t{num_frames or n}\t{len(names)}\t{units}\t{fps}\t0\t{n}",
        "Frame#\tTime\t" + "\t\t\t".join(names) + "\t\t\t",
        "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(names))),
    ]
    for i in range(n):
        cells = [str(i), repr(i / fps)]
        cells += ["" if math.isnan(v) else repr(float(v)) for v in coords[i].ravel()]
        lines.append("\t".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


HALPE_TRC_NAMES = ["Hip", "RHip", "RKnee", "RAnkle", "RBigToe", "RSmallToe", "RHeel", "Neck"]


def _halpe_coords(n: int, *, scale: float = 1.0, y_sign: float = 1.0) -> np.ndarray:
    """(n, markers, 3): marker m at x = 500 + 7m + 2i, y = 900 + 30m + i, z = 0."""
    i = np.arange(n)[:, None]
    m = np.arange(len(HALPE_TRC_NAMES))[None, :]
    x = (500 + 7 * m + 2 * i) * scale
    y = y_sign * (900 + 30 * m + i) * scale
    return np.stack([x, y, np.zeros_like(x)], axis=-1).astype(float)


def test_sports2d_px_trc_labelled_m_is_read_as_pixels(tmp_path: Path) -> None:
    coords = _halpe_coords(5)
    coords[2, HALPE_TRC_NAMES.index("RHeel")] = np.nan  # gap left as empty cells
    coords[3, HALPE_TRC_NAMES.index("RKnee"), :2] = 0.0  # gap filled with zeros
    path = sports2d_trc(tmp_path / "run_Sports2D_px_person00.trc", HALPE_TRC_NAMES, coords)
    track = load_trc(path, frame_size_px=(1080, 1920))
    assert track.n_frames == 5 and track.px_per_m is None and track.source == "trc"
    heel = track.point("right_heel")
    assert heel[0].tolist() == [500 + 7 * 6, 900 + 30 * 6]
    assert np.isnan(heel[2]).all() and np.isnan(track.point("right_knee")[3]).all()
    assert track.point("right_toe")[4].tolist() == [500 + 28 + 8, 900 + 120 + 4]
    assert np.isnan(track.point("left_heel")).all()
    np.testing.assert_allclose(track.time_s, np.arange(5) / 30)
    assert track.frame_index.tolist() == [0, 1, 2, 3, 4]
    assert (track.width_px, track.height_px) == (1080, 1920)


def test_pixel_trc_with_y_up_is_flipped(tmp_path: Path) -> None:
    path = sports2d_trc(tmp_path / "up.trc", HALPE_TRC_NAMES, _halpe_coords(3, y_sign=-1))
    track = load_trc(path)
    assert track.point("right_hip")[0].tolist() == [507.0, 930.0]
    assert any("flipped" in n for n in track.notes)


@pytest.mark.parametrize(("units", "scale"), [("m", 0.001), ("mm", 1.0)])
def test_metric_trc_gets_px_per_m(tmp_path: Path, units: str, scale: float) -> None:
    coords = _halpe_coords(4, scale=scale)  # y up: larger y = higher
    path = sports2d_trc(tmp_path / "run_m_person00.trc", HALPE_TRC_NAMES, coords, units=units)
    track = load_trc(path)
    assert track.px_per_m == 1000.0
    hip, heel = track.point("right_hip"), track.point("right_heel")
    # 1 px = 1 mm; the heel is 150 mm *higher* than the hip in this y-up data
    np.testing.assert_allclose(hip[:, 1] - heel[:, 1], 150.0, atol=1e-6)
    np.testing.assert_allclose(heel[:, 0] - hip[:, 0], 35.0, atol=1e-6)
    assert np.nanmin(track.xy_px) == pytest.approx(100.0)  # 0.1 m margin
    assert track.width_px > np.nanmax(track.xy_px[..., 0])


def test_3d_trc_drops_depth(tmp_path: Path) -> None:
    coords = _halpe_coords(3, scale=0.001)
    coords[..., 2] = 0.3
    track = load_trc(sports2d_trc(tmp_path / "pose2sim.trc", HALPE_TRC_NAMES, coords))
    assert any("Z" in n for n in track.notes)


@pytest.mark.parametrize("y_up", [False, True])
def test_write_trc_round_trip(tmp_path: Path, y_up: bool) -> None:
    track = synthetic_track()
    path = write_trc(track, tmp_path / "out.trc", y_up=y_up)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("PathFileType\t4")
    assert lines[2].split("\t")[2:5] == ["6", str(K), "px"]
    assert lines[3].split("\t")[2] == "Nose" and "RBigToe" in lines[3]
    back = load_trc(path, frame_size_px=(1080, 1920))
    np.testing.assert_allclose(back.xy_px, track.xy_px, atol=1e-6, equal_nan=True)
    np.testing.assert_allclose(back.time_s, track.time_s - track.time_s[0], atol=1e-9)
    np.testing.assert_array_equal(back.frame_index, track.frame_index)
    assert load_keypoints(path).n_frames == 6


def _trc_text(body: str, num_frames: int = 1) -> str:
    return (
        "PathFileType\t4\t(X/Y/Z)\tx.trc\n"
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\n"
        f"30\t30\t{num_frames}\t1\tpx\n"
        "Frame#\tTime\tRHeel\t\t\n"
        "\t\tX1\tY1\tZ1\n" + body
    )


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("", InputError, "empty"),
        ("PathFileType\t4\n", CorruptFileError, "incomplete"),
        (_trc_text("", 0), InputError, "no frames"),
        (_trc_text("1\t0\t1\t2\t0\n", 3), CorruptFileError, "NumFrames=3 but 1"),
        (_trc_text("1\t0\tx\t2\t0\n"), CorruptFileError, "'x'"),
        (_trc_text("1\t0\n"), CorruptFileError, "no coordinates"),
        (_trc_text("1\t0\t1\t2\t0\n").replace("RHeel", "Marker1"), InputError, "known keypoint"),
        (
            _trc_text("1\t0\t1\t2\t0\n").replace("30\t30\t1", "abc\t30\tone"),
            CorruptFileError,
            "NumFrames",
        ),
    ],
)
def test_trc_bad_input(tmp_path: Path, text: str, error: type[Exception], match: str) -> None:
    path = tmp_path / "bad.trc"
    path.write_text(text)
    with pytest.raises(error, match=match):
        load_trc(path)


# ----------------------------------------------------------------------- OpenPose


def _person(layout: tuple[str, ...], x0: float, y0: float, c: float = 0.9) -> list[float]:
    """Flat OpenPose keypoints: point j at (x0 + j, y0 + 10 j) with confidence c."""
    flat: list[float] = []
    for j in range(len(layout)):
        flat += [x0 + j, y0 + 10 * j, c]
    return flat


def write_openpose(folder: Path, frames: list[list[list[float]]], *, name: str = "clip") -> Path:
    folder.mkdir(exist_ok=True)
    for i, people in enumerate(frames):
        doc = {
            "version": 1.3,
            "people": [{"person_id": [-1], "pose_keypoints_2d": p} for p in people],
        }
        (folder / f"{name}_{i:012d}_keypoints.json").write_text(json.dumps(doc))
    return folder


def test_openpose_body25_single_person(tmp_path: Path) -> None:
    frames = [[_person(BODY_25, 100 + 5 * i, 300)] for i in range(4)]
    frames[2][0][3 * BODY_25.index("RHeel") : 3 * BODY_25.index("RHeel") + 3] = [0, 0, 0]
    folder = write_openpose(tmp_path / "op", frames)
    track = load_openpose_json(folder, fps=50)
    assert track.source == "openpose" and track.n_frames == 4
    np.testing.assert_allclose(track.time_s, [0, 0.02, 0.04, 0.06])
    j = BODY_25.index("RHeel")
    assert track.point("right_heel")[0].tolist() == [100 + j, 300 + 10 * j]
    assert np.isnan(track.point("right_heel")[2]).all()
    assert track.confidence[2, keypoint_index("right_heel")] == 0.0
    assert track.confidence[0, keypoint_index("right_heel")] == pytest.approx(0.9)
    j = BODY_25.index("LBigToe")
    assert track.point("left_toe")[1].tolist() == [105 + j, 300 + 10 * j]
    assert not any("several" in n for n in track.notes)


def test_openpose_frame_order_is_numeric(tmp_path: Path) -> None:
    folder = tmp_path / "op"
    folder.mkdir()
    for n in (10, 2, 1):
        doc = {"people": [{"pose_keypoints_2d": _person(BODY_25, float(n), 0)}]}
        (folder / f"clip_{n}_keypoints.json").write_text(json.dumps(doc))
    track = load_openpose_json(folder, fps=10)
    assert track.frame_index.tolist() == [1, 2, 10]
    np.testing.assert_allclose(track.time_s, [0.0, 0.1, 0.9])
    assert track.point("nose")[:, 0].tolist() == [1.0, 2.0, 10.0]


def test_openpose_follows_person_by_centroid(tmp_path: Path) -> None:
    """Runner (large, confident) moves right; a bystander stands still; list order flips."""
    runner = [_person(BODY_25, 100 + 20 * i, 500, c=0.9) for i in range(6)]
    bystander = _person(BODY_25, 900, 100, c=0.5)
    frames = [[runner[i], bystander] if i % 2 == 0 else [bystander, runner[i]] for i in range(6)]
    frames[3] = [bystander]  # runner hidden in frame 3
    folder = write_openpose(tmp_path / "op", frames)
    track = load_openpose_json(folder, fps=30)
    noses = track.point("nose")[:, 0]
    np.testing.assert_array_equal(noses[[0, 1, 2, 4, 5]], [100, 120, 140, 180, 200])
    assert np.isnan(noses[3])  # not jumped to the bystander
    assert any("several people" in n for n in track.notes)
    other = load_openpose_json(folder, fps=30, person=1)
    assert np.all(other.point("nose")[:, 0] == 900)


@pytest.mark.parametrize(("layout", "feet"), [(COCO_18, False), (HALPE_26, True)])
def test_openpose_other_layouts(tmp_path: Path, layout: tuple[str, ...], feet: bool) -> None:
    folder = write_openpose(tmp_path / "op", [[_person(layout, 10, 20)] for _ in range(3)])
    track = load_openpose_json(folder, fps=25)
    j = layout.index("RKnee")
    assert track.point("right_knee")[0].tolist() == [10 + j, 20 + 10 * j]
    assert np.isfinite(track.point("left_heel")).all() == feet
    assert np.isnan(track.point("left_heel")).all() != feet


def test_openpose_via_load_keypoints(tmp_path: Path) -> None:
    folder = write_openpose(tmp_path / "op", [[_person(BODY_25, 1, 2)] for _ in range(3)])
    assert load_keypoints(folder, fps=30, frame_size_px=(640, 480)).width_px == 640
    with pytest.raises(InputError, match="fps"):
        load_keypoints(folder)


def _op_file(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(content)
    return folder


@pytest.mark.parametrize(
    ("files", "error", "match"),
    [
        ({"a_0_keypoints.json": "{not json"}, CorruptFileError, "not valid JSON"),
        ({"a_0_keypoints.json": "[]"}, CorruptFileError, "'people'"),
        ({"a_0_keypoints.json": '{"people": []}'}, NoPersonError, "no person"),
        (
            {"a_0_keypoints.json": '{"people": [{"pose_keypoints_2d": [1, 2]}]}'},
            CorruptFileError,
            "triplets",
        ),
        (
            {"a_0_keypoints.json": '{"people": [{"pose_keypoints_2d": [1, 2, 1, 2, 3, 1]}]}'},
            UnsupportedFormatError,
            "2 keypoints",
        ),
        (
            {
                "a_0_keypoints.json": json.dumps({"people": [{"pose_keypoints_2d": [1.0] * 75}]}),
                "a_1_keypoints.json": json.dumps({"people": [{"pose_keypoints_2d": [1.0] * 54}]}),
            },
            CorruptFileError,
            "disagree",
        ),
        (
            {"a_keypoints.json": json.dumps({"people": []})},
            InputError,
            "no frame number",
        ),
    ],
)
def test_openpose_bad_input(
    tmp_path: Path, files: dict[str, str], error: type[Exception], match: str
) -> None:
    folder = tmp_path / "op"
    for name, content in files.items():
        _op_file(folder, name, content)
    with pytest.raises(error, match=match):
        load_openpose_json(folder, fps=30)


def test_openpose_missing_person_index(tmp_path: Path) -> None:
    folder = write_openpose(tmp_path / "op", [[_person(BODY_25, 1, 2)]])
    with pytest.raises(NoPersonError, match="person 3"):
        load_openpose_json(folder, fps=30, person=3)


@pytest.mark.parametrize("fps", [0, -1, float("nan")])
def test_openpose_bad_fps(tmp_path: Path, fps: float) -> None:
    folder = write_openpose(tmp_path / "op", [[_person(BODY_25, 1, 2)]])
    with pytest.raises(InputError, match="fps"):
        load_openpose_json(folder, fps=fps)


# ----------------------------------------------------------------------- registry


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", "just some text\n"),
        ("data.csv", "time,speed\n0,1\n"),
        ("run.fit", bytes([14, 16, 0x6C, 0x08, 0, 0, 0, 0]) + b".FIT" + bytes(range(200, 256))),
        ("pose.trc", "frame,time_s\n"),  # content wins over the suffix: this is a CSV header
    ],
)
def test_unsupported_formats(tmp_path: Path, name: str, content: str | bytes) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    if name == "pose.trc":
        with pytest.raises(CorruptFileError, match="no keypoint columns"):
            load_keypoints(path)
        return
    with pytest.raises(UnsupportedFormatError, match=r"supported: trc: .*openpose: .*csv: "):
        load_keypoints(path)


def test_registry_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_keypoints(tmp_path / "missing.trc")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        load_keypoints(tmp_path / "empty.csv")
    (tmp_path / "emptydir").mkdir()
    with pytest.raises(UnsupportedFormatError):
        load_keypoints(tmp_path / "emptydir")
    track = synthetic_track()
    csv_path = write_keypoints_csv(track, tmp_path / "k.txt")  # suffix does not matter
    assert load_keypoints(csv_path, source="csv").n_frames == 6
    with pytest.raises(InputError, match="unknown keypoint source"):
        load_keypoints(csv_path, source="mot")  # type: ignore[arg-type]
