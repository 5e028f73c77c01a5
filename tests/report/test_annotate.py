"""The annotated MP4: browser-ready H.264, one output frame per input frame, drawn on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stridelab.report import write_annotated_video
from stridelab.report.annotate import output_size
from tests.report import FPS, N_FRAMES, make_analysis, make_track, write_clip

av = pytest.importorskip("av")


def _decode(path: Path) -> tuple[list[np.ndarray], object]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        info = (s.codec_context.name, s.codec_context.pix_fmt, s.average_rate)
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
    return frames, info


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[tuple[int, int]]]:
    d = tmp_path_factory.mktemp("annotate")
    clip = write_clip(d / "clip.mp4")
    calls: list[tuple[int, int]] = []
    out = write_annotated_video(
        clip,
        make_track(),
        make_analysis(),
        d / "out" / "annotated.mp4",
        progress=lambda done, total: calls.append((done, total)),
    )
    return clip, out, calls


def test_output_is_browser_ready_h264(annotated):
    _, out, _ = annotated
    frames, (codec, pix_fmt, rate) = _decode(out)
    assert codec == "h264"
    assert pix_fmt == "yuv420p"
    assert len(frames) == N_FRAMES
    h, w = frames[0].shape[:2]
    assert (w, h) == (320, 240) and w % 2 == 0 and h % 2 == 0
    assert float(rate) == pytest.approx(FPS)


def test_faststart_puts_moov_before_mdat(annotated):
    _, out, _ = annotated
    head = out.read_bytes()
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


def test_skeleton_pixels_differ_from_source(annotated):
    clip, out, _ = annotated
    src, _ = _decode(clip)
    dst, _ = _decode(out)
    track = make_track()
    i = 20
    # Middle of the right thigh (hip→knee), clear of the metrics panel.
    hip = track.point("right_hip")[i]
    knee = track.point("right_knee")[i]
    x, y = np.round((hip + knee) / 2).astype(int)
    patch = (slice(y - 2, y + 3), slice(x - 2, x + 3))
    diff = np.abs(dst[i][patch].astype(int) - src[i][patch].astype(int)).max()
    assert diff > 60
    # A corner far from every drawing stays (almost) unchanged.
    corner = (slice(230, 238), slice(300, 318))
    assert np.abs(dst[i][corner].astype(int) - src[i][corner].astype(int)).mean() < 8


def test_no_temporary_file_left_and_progress_reported(annotated):
    _, out, calls = annotated
    assert sorted(p.name for p in out.parent.iterdir()) == ["annotated.mp4"]
    assert calls[-1][0] == N_FRAMES
    assert [c[0] for c in calls] == list(range(1, N_FRAMES + 1))


def test_large_odd_frames_are_scaled_to_even_size(tmp_path):
    clip = write_clip(tmp_path / "big.mp4", n_frames=6, width_px=1400, height_px=500)
    track = make_track(n_frames=6, width_px=1400, height_px=500)
    out = write_annotated_video(clip, track, make_analysis(6), tmp_path / "a.mp4")
    frames, _ = _decode(out)
    assert len(frames) == 6
    assert frames[0].shape[:2] == (458, 1280)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((320, 240), (320, 240)),
        ((1920, 1080), (1280, 720)),
        ((1080, 1920), (720, 1280)),
        ((321, 241), (322, 242)),
        ((1400, 500), (1280, 458)),
    ],
)
def test_output_size_is_even_and_bounded(size, expected):
    _, w, h = output_size(*size)
    assert (w, h) == expected


def test_undecodable_input_leaves_no_output(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all" * 10)
    from stridelab.errors import VideoError

    with pytest.raises(VideoError):
        write_annotated_video(bad, make_track(), make_analysis(), tmp_path / "x.mp4")
    assert [p.name for p in tmp_path.iterdir()] == ["bad.mp4"]
