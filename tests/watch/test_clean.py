"""Time-axis repair and cadence units: pure functions against exact answers."""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.watch.clean import (
    STEPS_ALREADY_WARNING,
    cadence_to_spm,
    clean_time_axis,
    looks_like_steps,
    merge_same_time,
    out_of_range_to_nan,
)


def test_clean_time_axis_drops_backward_and_invalid_times_keeps_repeats():
    ts = np.array([10.0, 11.0, 11.0, 9.0, np.nan, 12.0, 11.5, 13.0])
    keep, warnings = clean_time_axis(ts)
    assert keep.tolist() == [True, True, True, False, False, True, False, True]
    assert len(warnings) == 2


def test_merge_same_time_first_finite_value_wins():
    ts = np.array([1.0, 2.0, 2.0, 3.0])
    cols = {"hr": np.array([100.0, np.nan, 120.0, 130.0]), "v": np.array([1.0, 2.0, 9.0, 3.0])}
    out_ts, out, n = merge_same_time(ts, cols)
    assert out_ts.tolist() == [1.0, 2.0, 3.0] and n == 1
    assert out["hr"].tolist() == [100.0, 120.0, 130.0]
    assert out["v"].tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("values", "sport", "expected", "warned"),
    [
        ([80.0, 82.0, 0.0], "running", [160.0, 164.0, np.nan], False),  # strides -> steps
        ([170.0, 172.0, 168.0], "running", [170.0, 172.0, 168.0], True),  # already steps
        # a treadmill file in steps with a long walk: median 118 < 140, 90th percentile 176
        ([118.0] * 6 + [176.0] * 4, "running", [118.0] * 6 + [176.0] * 4, True),
        ([85.0, 90.0], "cycling", None, False),  # pedalling: not steps
    ],
)
def test_cadence_to_spm(values, sport, expected, warned):
    spm, warnings = cadence_to_spm(np.array(values), sport=sport, unit="rpm")
    if expected is None:
        assert spm is None
    else:
        np.testing.assert_array_equal(spm, expected)
    assert (STEPS_ALREADY_WARNING in warnings) is warned


def test_looks_like_steps_ignores_zeros_and_nans():
    assert not looks_like_steps(np.array([0.0, np.nan, 90.0]))
    assert looks_like_steps(np.array([0.0, 0.0, 150.0]))
    assert not looks_like_steps(np.array([]))


def test_out_of_range_values_become_nan_with_a_count():
    cols = {"heart_rate_bpm": np.array([140.0, 0.0, 400.0, 150.0])}
    out, warnings = out_of_range_to_nan(cols)
    assert np.isnan(out["heart_rate_bpm"]).tolist() == [False, True, True, False]
    assert warnings and "heart_rate_bpm" in warnings[0]
    assert cols["heart_rate_bpm"][1] == 0.0  # input not mutated
