"""Format registry: bytes or a path in, activities out; the format is detected by content.

``load(path)`` and ``load_bytes(data)`` pick the reader from the file's first bytes
(FIT header signature, or the root element of XML), never from the suffix alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from stridelab.errors import InputError, UnsupportedFormatError
from stridelab.watch.model import Activity, SourceFormat

__all__ = ["MAX_FILE_BYTES", "detect_format", "load", "load_bytes"]

#: Larger files are refused before reading (a 24 h FIT file at 1 Hz is about 5 MB).
MAX_FILE_BYTES = 256 * 1024 * 1024

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(TrainingCenterDatabase|gpx)\b")


def detect_format(head: bytes, /) -> SourceFormat | None:
    """The format of a file from its first bytes (at least 14; 4 KiB is plenty)."""
    from stridelab.watch.fit_decode import looks_like_fit

    if looks_like_fit(head[:14]):
        return "fit"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    m = _XML_ROOT.search(text[:4096])
    if m:
        return "tcx" if m.group(1) == b"TrainingCenterDatabase" else "gpx"
    return None


def _reader(fmt: SourceFormat) -> Callable[[bytes], list[Activity]]:
    if fmt == "fit":
        from stridelab.watch.fit import read_fit

        return read_fit
    if fmt == "tcx":
        from stridelab.watch.tcx import read_tcx

        return read_tcx
    from stridelab.watch.gpx import read_gpx

    return read_gpx


def load_bytes(data: bytes, /, *, name: str = "<bytes>") -> list[Activity]:
    """Read activities from the bytes of a FIT, TCX or GPX file.

    Raises
    ------
    UnsupportedFormatError
        Neither FIT nor TCX nor GPX (``name`` is used in the message).
    """
    fmt = detect_format(data[:4096])
    if fmt is None:
        raise UnsupportedFormatError(
            f"{name}: not a FIT, TCX or GPX file (content does not match any of them)"
        )
    return _reader(fmt)(data)


def load(path: str | Path, /) -> list[Activity]:
    """Read activities from a FIT, TCX or GPX file on disk."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{p}: {size / 1e6:.0f} MB is too large for an activity file")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read file ({exc.strerror or exc})") from exc
    return load_bytes(data, name=str(p))
