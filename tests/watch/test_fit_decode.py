"""The fast FIT path (fitfast) against the robust one (fitdecode), file by file.

This is the honest evaluation the fast path must pass to be used: on every shared FIT
file fitfast accepts, both decoders must yield the same activities, field by field.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from stridelab.errors import CorruptFileError, StridelabError, UnsupportedFormatError
from stridelab.watch.fit import activities_from_fit
from stridelab.watch.fit_decode import decode_fit, looks_like_fit
from stridelab.watch.summary import summarize
from tests.conftest import shared_files, shared_id

FIT_FILES = shared_files(".fit")

# fitfast 0.1 derives `enhanced_speed` from the `speed` component with a float truncation
# of 1 mm/s (4.014 for a stored 4015); the reader therefore takes `speed` first, and the
# two paths must then agree exactly.


def _assert_same(x: object, y: object) -> None:
    """Dataclasses equal field by field (floats to 1e-9)."""
    for f in dataclasses.fields(x):
        vx, vy = getattr(x, f.name), getattr(y, f.name)
        if isinstance(vx, float) and isinstance(vy, float):
            assert vx == pytest.approx(vy, rel=1e-9, abs=1e-9), f.name
        else:
            assert vx == vy, f.name


def _decode_both(data: bytes):
    try:
        fast = decode_fit(data, backend="fitfast")
    except CorruptFileError:
        return None, decode_fit(data, backend="fitdecode")
    return fast, decode_fit(data, backend="fitdecode")


@pytest.mark.parametrize("path", FIT_FILES, ids=shared_id)
def test_fast_path_agrees_with_fitdecode(path):
    fast, robust = _decode_both(path.read_bytes())
    if fast is None:
        pytest.skip("fitfast refuses this file; the fitdecode fallback is used")
    assert fast.decoder == "fitfast" and robust.decoder == "fitdecode"
    assert fast.developer_fields == robust.developer_fields
    for name in ("session", "lap", "file_id", "activity"):
        assert len(fast.messages[name]) == len(robust.messages[name]), name
    try:
        acts_fast = activities_from_fit(fast)
    except StridelabError as exc:
        with pytest.raises(type(exc)):
            activities_from_fit(robust)
        return
    acts_robust = activities_from_fit(robust)
    assert len(acts_fast) == len(acts_robust)
    for a, b in zip(acts_fast, acts_robust, strict=True):
        assert (a.sport, a.sub_sport, a.start_utc, a.timezone_offset_min) == (
            b.sport,
            b.sub_sport,
            b.start_utc,
            b.timezone_offset_min,
        )
        assert a.creator == b.creator
        _assert_same(a.totals, b.totals)
        assert len(a.laps) == len(b.laps)
        for la, lb in zip(a.laps, b.laps, strict=True):
            _assert_same(la, lb)
        assert a.pauses == b.pauses
        assert set(a.records.developer) == set(b.records.developer)
        for name, col in a.records.columns.items():
            other = b.records.columns[name]
            np.testing.assert_allclose(
                col, other, rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=name
            )
        for name, col in a.records.developer.items():
            np.testing.assert_allclose(col, b.records.developer[name], rtol=1e-5, equal_nan=True)
        sa, sb = summarize(a).to_dict(), summarize(b).to_dict()
        for key, va in sa.items():
            if isinstance(va, float):
                assert va == pytest.approx(sb[key], rel=1e-3, abs=0.01), key
            else:
                assert va == sb[key], key


def test_fast_path_is_used_for_clean_files_and_fallback_for_damaged():
    clean = (FIT_FILES[0].parent / "activity-small-fenix2-run.fit").read_bytes()
    assert decode_fit(clean).decoder == "fitfast"
    bad_crc = (FIT_FILES[0].parent / "activity-filecrc.fit").read_bytes()
    content = decode_fit(bad_crc)
    assert content.decoder == "fitdecode"
    assert any("CRC" in w for w in content.warnings)


def test_compressed_speed_distance_uses_fitdecode_and_is_expanded():
    path = FIT_FILES[0].parent / "compressed-speed-distance.fit"
    content = decode_fit(path.read_bytes())
    assert content.decoder == "fitdecode"
    (activity,) = activities_from_fit(content)
    speed = activity.records.get("speed_m_s")
    assert speed is not None and np.nanmedian(speed) > 1.0


def test_compressed_timestamps_are_unix_seconds():
    path = FIT_FILES[0].parent / "antfs-dump.63.fit"
    fast = decode_fit(path.read_bytes(), backend="fitfast")
    robust = decode_fit(path.read_bytes(), backend="fitdecode")
    np.testing.assert_array_equal(fast.records["timestamp"], robust.records["timestamp"])


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", UnsupportedFormatError),
        (b"<?xml version='1.0'?><gpx/>", UnsupportedFormatError),
        (b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00", CorruptFileError),
    ],
)
def test_not_fit_or_empty_fit_raises_own_errors(data, error):
    with pytest.raises(error):
        decode_fit(data)


def test_header_signature():
    assert looks_like_fit(FIT_FILES[0].read_bytes()[:14])
    assert not looks_like_fit(b"PK\x03\x04" + b"\x00" * 10)
