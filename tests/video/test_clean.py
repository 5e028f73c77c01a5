"""The cleaning stage on exact synthetic keypoints with known damage."""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints
from stridelab.video.clean import (
    LEG_GROUP,
    TrackCleaner,
    butterworth_lowpass,
    decide_facing,
    fill_gaps,
    fix_left_right_swaps,
    hampel_mask,
)
from stridelab.video.keypoints import KEYPOINTS

IDX = {k: i for i, k in enumerate(KEYPOINTS)}


@pytest.fixture(scope="module")
def track():
    return synthetic_keypoints(RunnerSpec(duration_s=4.0), CameraSpec(fps=60))[0]


def _swap_legs(xy: np.ndarray, frames: slice) -> np.ndarray:
    out = xy.copy()
    for g in LEG_GROUP:
        li, ri = IDX[f"left_{g}"], IDX[f"right_{g}"]
        out[frames, li], out[frames, ri] = xy[frames, ri], xy[frames, li]
    return out


def test_swap_fix_undoes_injected_swaps(track) -> None:
    damaged = _swap_legs(_swap_legs(track.xy_px, slice(40, 46)), slice(150, 153))
    fixed, swapped = fix_left_right_swaps(damaged, LEG_GROUP)
    assert swapped.sum() == 9
    np.testing.assert_allclose(fixed, track.xy_px)


def test_swap_fix_leaves_exact_keypoints_alone(track) -> None:
    _, swapped = fix_left_right_swaps(track.xy_px, LEG_GROUP)
    assert not swapped.any()


def test_cleaner_removes_spikes_and_fills_short_gaps(track) -> None:
    xy = track.xy_px.copy()
    j = IDX["right_heel"]
    xy[100, j] += 150.0  # a wild detection
    xy[120:124, j] = np.nan  # 4 frames lost
    clean = TrackCleaner().clean(track.with_(xy_px=xy))
    err = np.abs(clean.track.xy_px[:, j] - track.xy_px[:, j])
    assert err[100].max() < 10.0  # the spike is gone
    assert np.nanmax(err[120:124]) < 20.0  # linear fill of a fast-moving heel
    assert clean.filled_points > 0 and clean.outliers_removed > 0


def test_hampel_and_gaps_and_filter() -> None:
    t = np.arange(200) / 100.0
    v = np.sin(2 * np.pi * 1.0 * t)
    spiky = v.copy()
    spiky[50] += 5
    assert np.flatnonzero(hampel_mask(spiky, window=11, min_dev=0.2)).tolist() == [50]
    gappy = v.copy()
    gappy[60:65] = np.nan
    filled, mask = fill_gaps(gappy, t, max_gap_s=0.1)
    assert mask.sum() == 5 and np.allclose(filled[60:65], v[60:65], atol=0.02)
    gappy[100:130] = np.nan
    _, mask = fill_gaps(gappy, t, max_gap_s=0.1)
    assert not mask[100:130].any()  # too long to invent
    smooth = butterworth_lowpass(v, sampling_rate_hz=100.0, cutoff_hz=12.0)
    assert np.max(np.abs(smooth[20:-20] - v[20:-20])) < 0.01  # no lag at 1 Hz


@pytest.mark.parametrize("facing", ["right", "left"])
def test_facing_decided_from_the_feet(facing: str) -> None:
    tr, _ = synthetic_keypoints(RunnerSpec(duration_s=3.0), CameraSpec(fps=30, facing=facing))
    got, agree = decide_facing(tr)
    assert got == facing and agree > 0.9
