"""Tests of stridelab.video.decode on tiny generated clips and the shared real clips.

Generated clips (PyAV, libx264, in ``tmp_path``) carry a white 8x8 square in the top-left
corner of the *stored* picture, so the display rotation can be checked from where the
square lands. The shared clips live in ``../shared/data/video`` (see its README); their
tests are skipped when that folder is absent.
"""

from __future__ import annotations

import gc
import logging
import weakref
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")

from stridelab.errors import InputError, VideoError  # noqa: E402
from stridelab.video.decode import (  # noqa: E402
    VideoInfo,
    _frame_rate_from_pts,
    check_video_usable,
    iter_frames,
    probe_video,
    rotate_image,
)

VIDEO_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "video"
needs_shared = pytest.mark.skipif(not VIDEO_DIR.is_dir(), reason="../shared/data/video absent")


def write_clip(
    path: Path,
    *,
    n_frames: int = 10,
    width_px: int = 64,
    height_px: int = 48,
    fps: int = 30,
    rotation_deg: int = 0,
    metadata: dict[str, str] | None = None,
    codec: str = "libx264",
) -> Path:
    """A clip whose frame i has a white top-left square and red level 4·i elsewhere."""
    options = {"movflags": "use_metadata_tags"} if metadata else {}
    with av.open(str(path), "w", options=options) as container:
        if metadata:
            container.metadata.update(metadata)
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width_px, height_px, "yuv420p"
        if rotation_deg:
            stream.set_display_rotation(rotation_deg)
        for i in range(n_frames):
            img = np.zeros((height_px, width_px, 3), np.uint8)
            img[..., 0] = (4 * i) % 256
            img[:8, :8] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


# ----------------------------------------------------------------------- rotation


@pytest.mark.parametrize(
    ("rotation_deg", "corner"),
    [(0, (0, 0)), (90, (1, 0)), (180, (1, 1)), (270, (0, 1)), (-90, (0, 1))],
)
def test_rotate_image_counter_clockwise(rotation_deg: int, corner: tuple[int, int]) -> None:
    img = np.zeros((4, 6, 3), np.uint8)
    img[0, 0] = 255
    out = rotate_image(img, rotation_deg)
    assert out.flags.c_contiguous
    rows, cols = out.shape[:2]
    assert (rows, cols) == ((6, 4) if rotation_deg % 180 else (4, 6))
    r, c = corner
    assert out[r * (rows - 1), c * (cols - 1), 0] == 255
    assert img[0, 0, 0] == 255 and img.shape == (4, 6, 3)  # input untouched


def test_rotate_image_rejects_odd_angles() -> None:
    with pytest.raises(InputError, match="multiple of 90"):
        rotate_image(np.zeros((2, 2, 3), np.uint8), 45)


@pytest.mark.parametrize(
    ("rotation_deg", "expected_deg", "square_at"),
    [
        (0, 0, "top-left"),
        (90, 90, "bottom-left"),
        (-90, 270, "top-right"),
        (180, 180, "bottom-right"),
    ],
)
def test_display_rotation_applied(
    tmp_path: Path, rotation_deg: int, expected_deg: int, square_at: str
) -> None:
    path = write_clip(tmp_path / "rot.mp4", rotation_deg=rotation_deg, n_frames=3)
    info = probe_video(path)
    assert info.rotation_deg == expected_deg
    assert (info.coded_width_px, info.coded_height_px) == (64, 48)
    portrait = expected_deg in (90, 270)
    assert (info.width_px, info.height_px) == ((48, 64) if portrait else (64, 48))
    frame = next(iter(iter_frames(info)))
    assert frame.image.shape == (info.height_px, info.width_px, 3)
    white = frame.image.min(axis=2) > 200
    rows, cols = np.nonzero(white)
    vertical = "top" if rows.mean() < info.height_px / 2 else "bottom"
    horizontal = "left" if cols.mean() < info.width_px / 2 else "right"
    assert f"{vertical}-{horizontal}" == square_at


# ----------------------------------------------------------------------- timing


def test_probe_and_times_of_generated_clip(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "c.mp4", n_frames=30, fps=30)
    info = probe_video(path)
    assert info.codec == "h264" and info.stored_fps == pytest.approx(30.0)
    assert info.capture_fps_source == "file" and info.time_scale == 1.0
    assert info.n_frames == 30 and info.duration_s == pytest.approx(1.0)
    assert not info.variable_frame_rate
    frames = list(iter_frames(path))
    assert [f.index for f in frames] == list(range(30))
    assert np.allclose([f.time_s for f in frames], np.arange(30) / 30)
    # frames come out in presentation order: the red level encodes the frame number
    reds = [int(f.image[40, 40, 0]) for f in frames]
    assert np.all(np.abs(np.array(reds) - 4 * np.arange(30)) <= 3)
    assert all(f.image.dtype == np.uint8 and f.image.shape == (48, 64, 3) for f in frames)


def test_step_and_max_frames(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "c.mp4", n_frames=20)
    frames = list(iter_frames(path, step=3, max_frames=4))
    assert [f.index for f in frames] == [0, 3, 6, 9]
    assert frames[1].time_s == pytest.approx(0.1)
    assert list(iter_frames(path, max_frames=0)) == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"step": 0}, "step"), ({"step": 1.5}, "step"), ({"max_frames": -1}, "max_frames")],
)
def test_bad_iteration_arguments(tmp_path: Path, kwargs: dict[str, object], match: str) -> None:
    path = write_clip(tmp_path / "c.mp4", n_frames=3)
    with pytest.raises(InputError, match=match):
        iter_frames(path, **kwargs)  # type: ignore[arg-type]


def test_capture_fps_from_metadata_and_user(tmp_path: Path) -> None:
    path = write_clip(
        tmp_path / "slow.mp4", n_frames=30, metadata={"com.android.capture.fps": "240.000000"}
    )
    info = probe_video(path)
    assert info.capture_fps == 240.0 and info.capture_fps_source == "metadata"
    assert info.time_scale == pytest.approx(30 / 240)
    assert info.duration_s == pytest.approx(30 / 240)
    assert any("com.android.capture.fps" in n for n in info.notes)
    user = probe_video(path, capture_fps=120)
    assert user.capture_fps_source == "user" and user.time_scale == pytest.approx(0.25)
    times = [f.time_s for f in iter_frames(info, capture_fps=120)]
    assert times[8] == pytest.approx(8 / 120)


def test_variable_frame_rate_follows_timestamps(tmp_path: Path) -> None:
    """Frames alternately 33 ms and 17 ms apart (millisecond time base)."""
    path = tmp_path / "vfr.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        t_ms = 0
        for i in range(40):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = t_ms, Fraction(1, 1000)
            t_ms += 33 if i % 2 == 0 else 17
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    info = probe_video(path)
    assert info.variable_frame_rate
    times = [f.time_s for f in iter_frames(info)]
    np.testing.assert_allclose(times[:5], [0.0, 0.033, 0.050, 0.083, 0.100], atol=1e-9)


def test_frame_rate_from_timestamps() -> None:
    rate, vfr = _frame_rate_from_pts([0, 2002, 1001, 3003, 4004, 5005], Fraction(1, 30000))
    assert rate == pytest.approx(30000 / 1001) and not vfr
    assert _frame_rate_from_pts([0], Fraction(1, 1000)) == (None, False)


@pytest.mark.parametrize("capture_fps", [0.5, 0, -30, 2001, float("nan"), "fast"])
def test_absurd_capture_fps(tmp_path: Path, capture_fps: object) -> None:
    path = write_clip(tmp_path / "c.mp4", n_frames=3)
    with pytest.raises(InputError, match="capture fps"):
        probe_video(path, capture_fps=capture_fps)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="capture fps"):
        iter_frames(path, capture_fps=capture_fps)  # type: ignore[arg-type]


# ----------------------------------------------------------------------- bad input


def _write_text(path: Path) -> Path:
    path.write_text("time,speed\n" + "0,1\n" * 200)
    return path


def _write_fit(path: Path) -> Path:
    header = bytes([14, 16, 0x6C, 0x08, 0, 0, 0, 0]) + b".FIT" + bytes(2)
    path.write_bytes(header + bytes(range(256)) * 4)
    return path


def _write_png(path: Path) -> Path:
    with av.open(str(path), "w", format="image2") as container:
        stream = container.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = 100, 80, "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((80, 100, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode()]:
            container.mux(packet)
    return path


def _write_audio(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=44100)
        for i in range(20):
            frame = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = 44100, i * 1024
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.mark.parametrize(
    ("name", "writer", "match"),
    [
        ("notes.txt", _write_text, "not a video"),
        ("clip.mp4", _write_text, "cannot read clip.mp4 as a video"),
        ("run.fit", _write_fit, "cannot read run.fit as a video"),
        ("photo.png", _write_png, "still image"),
        ("voice.m4a", _write_audio, "no video stream.*audio-only"),
        ("empty.mp4", lambda p: (p.write_bytes(b""), p)[1], "empty"),
    ],
)
def test_not_a_video(tmp_path: Path, name: str, writer, match: str) -> None:  # type: ignore[no-untyped-def]
    path = writer(tmp_path / name)
    with pytest.raises(VideoError, match=match):
        probe_video(path)
    with pytest.raises(VideoError, match=match):
        iter_frames(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="not found"):
        probe_video(tmp_path / "nope.mp4")
    with pytest.raises(VideoError, match="directory"):
        probe_video(tmp_path)


def test_truncated_generated_clip_without_any_frame(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "c.mp4", n_frames=30)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])  # moov at the end: nothing left to read
    with pytest.raises(VideoError, match=r"cut\.mp4"):
        probe_video(cut)


# ----------------------------------------------------------------------- usability


def _info(**changes: object) -> VideoInfo:
    base = VideoInfo(
        path=Path("x.mp4"),
        container="mp4",
        codec="h264",
        width_px=1080,
        height_px=1920,
        coded_width_px=1080,
        coded_height_px=1920,
        rotation_deg=0,
        stored_fps=30.0,
        capture_fps=30.0,
        capture_fps_source="file",
        time_scale=1.0,
        n_frames=300,
        duration_s=10.0,
        variable_frame_rate=False,
    )
    return VideoInfo(**{**base.__dict__, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"duration_s": 1.0}, "1.00 s of real time"),
        ({"n_frames": 12}, "12 frames"),
        ({"width_px": 40}, "40x1920 px"),
        ({"capture_fps": 10.0}, "10 fps"),
    ],
)
def test_check_video_usable_rejects(changes: dict[str, object], match: str) -> None:
    with pytest.raises(VideoError, match=match):
        check_video_usable(_info(**changes))


def test_check_video_usable_accepts() -> None:
    check_video_usable(_info())
    check_video_usable(_info(n_frames=None, duration_s=None))


# ----------------------------------------------------------------------- real clips

REAL = [
    # name, capture fps given, frames, displayed (w, h), capture fps
    ("treadmill-side-60fps.mp4", None, 388, (1080, 1920), 60.0),
    ("treadmill-side-slowmo.mp4", 240.0, 949, (480, 360), 240.0),
    ("park-walk-two-people.mp4", None, 230, (1768, 994), 30.0),
]


@needs_shared
@pytest.mark.parametrize(("name", "given", "n_frames", "size", "fps"), REAL)
def test_real_clips(
    name: str, given: float | None, n_frames: int, size: tuple[int, int], fps: float
) -> None:
    path = VIDEO_DIR / name
    info = probe_video(path, capture_fps=given)
    assert (info.width_px, info.height_px) == size
    assert info.n_frames == n_frames and info.capture_fps == fps
    check_video_usable(info)
    count = 0
    last = -1.0
    for frame in iter_frames(info, step=1):
        assert frame.index == count
        assert frame.time_s > last
        last = frame.time_s
        count += 1
        if count == 1:
            assert frame.image.shape == (size[1], size[0], 3)
            assert frame.time_s == 0.0
    assert count == n_frames
    assert last == pytest.approx((n_frames - 1) / fps, abs=1e-6)


@needs_shared
def test_slowmo_time_scaling() -> None:
    path = VIDEO_DIR / "treadmill-side-slowmo.mp4"
    info = probe_video(path, capture_fps=240)
    assert info.stored_fps == pytest.approx(30000 / 1001)
    assert info.time_scale == pytest.approx(30000 / 1001 / 240)
    frame = next(f for f in iter_frames(info, max_frames=241) if f.index == 240)
    assert frame.time_s == pytest.approx(1.0, abs=1e-6)
    plain = probe_video(path)
    assert plain.capture_fps_source == "file" and plain.duration_s == pytest.approx(
        949 / 29.97, abs=0.05
    )


@needs_shared
def test_iteration_does_not_keep_frames() -> None:
    """Every yielded image must be freed once the caller drops it."""
    refs: list[weakref.ref[np.ndarray]] = []
    for frame in iter_frames(VIDEO_DIR / "treadmill-side-slowmo.mp4", max_frames=200):
        refs.append(weakref.ref(frame.image))
    del frame
    gc.collect()
    assert sum(r() is not None for r in refs) == 0


@needs_shared
@pytest.mark.parametrize("fraction", [0.3, 0.8])
def test_truncated_real_clip_stops_cleanly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, fraction: float
) -> None:
    data = (VIDEO_DIR / "treadmill-side-slowmo.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * fraction)])
    info = probe_video(cut)
    assert info.n_frames == 949  # declared by the intact header
    with caplog.at_level(logging.WARNING, logger="stridelab.video.decode"):
        frames = [f.index for f in iter_frames(info)]
    assert 0.5 * fraction * 949 < len(frames) < 949
    assert frames == list(range(len(frames)))
    assert any("truncated" in r.getMessage() for r in caplog.records)


@needs_shared
def test_header_only_real_clip(tmp_path: Path) -> None:
    data = (VIDEO_DIR / "treadmill-side-60fps.mp4").read_bytes()
    cut = tmp_path / "header.mp4"
    cut.write_bytes(data[:12000])  # moov box intact, no picture data
    with pytest.raises(VideoError, match=r"header\.mp4"):
        info = probe_video(cut)
        list(iter_frames(info))
