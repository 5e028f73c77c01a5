"""Small helpers shared by several stages (internal)."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

__all__ = ["file_sha256", "json_safe"]


def json_safe(value: Any) -> Any:
    """A copy fit for JSON: NaN/inf → None, floats rounded to 6 places, tuples → lists
    (nested through dicts and lists)."""
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
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
