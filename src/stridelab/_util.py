"""Small helpers shared by several stages (internal)."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["file_sha256", "json_safe"]


def json_safe(value: Any) -> Any:
    """A copy fit for JSON: NaN/inf → None, floats rounded to 6 places, tuples and sets →
    lists (sets sorted), dataclasses → dicts, NumPy scalars and arrays → Python values,
    dates → ISO strings, dict keys → strings (nested all the way down)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return round(v, 6) if math.isfinite(v) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, set | frozenset):
        return [json_safe(v) for v in sorted(value)]
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def file_sha256(path: Path, /) -> str:
    """SHA-256 of a file (streamed), or of a folder's ``*.json`` files by name and content
    (an OpenPose export)."""
    h = hashlib.sha256()
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    for p in files:
        if path.is_dir():
            h.update(p.name.encode())
        with p.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()
