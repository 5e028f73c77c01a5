"""Columnar encoding of records: named float64 columns in, one compressed blob out.

The blob is a standard NumPy ``.npz`` archive (zip, deflate), so any NumPy user can read
it without stridelab: ``np.load(io.BytesIO(blob))``. Developer fields are stored as
``dev:<name>`` members. Float columns are stored as float32 when that loses nothing the
devices measure (timestamps and positions stay float64).
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from stridelab.errors import StoreError
from stridelab.watch.model import Records, make_records

__all__ = ["CODEC", "decode_records", "encode_records"]

CODEC = "npz-deflate-v1"
_DEV = "dev:"
_KEEP_FLOAT64 = frozenset({"timestamp_s", "latitude_deg", "longitude_deg", "distance_m"})
_UNITS_MEMBER = "__developer_units__"


def encode_records(records: Records, /) -> tuple[bytes, list[str]]:
    """Encode records; only columns holding at least one value are written."""
    arrays: dict[str, np.ndarray] = {}
    for name, col in records.columns.items():
        if name != "timestamp_s" and not np.isfinite(col).any():
            continue
        arrays[name] = col if name in _KEEP_FLOAT64 else col.astype(np.float32)
    for name, col in records.developer.items():
        arrays[_DEV + name] = col.astype(np.float32)
    units = json.dumps(dict(records.developer_units)).encode()
    arrays[_UNITS_MEMBER] = np.frombuffer(units, dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue(), [k for k in arrays if k != _UNITS_MEMBER]


def decode_records(blob: bytes, /) -> Records:
    """Decode a blob written by :func:`encode_records`."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise StoreError(f"stored records are unreadable: {exc}") from exc
    units = json.loads(arrays.pop(_UNITS_MEMBER, np.zeros(0, np.uint8)).tobytes() or b"{}")
    cols = {k: v.astype(np.float64) for k, v in arrays.items() if not k.startswith(_DEV)}
    dev = {k[len(_DEV) :]: v.astype(np.float64) for k, v in arrays.items() if k.startswith(_DEV)}
    return make_records(cols, dev, units)
