"""Find the activity files in what the user named: files, folders (recursive), zip archives.

In: paths. Out: :class:`SourceItem` objects, each able to read its bytes on demand, so a
Garmin Connect or Strava bulk export (zip of FIT/TCX/GPX, possibly ``.gz`` each) streams
through without unpacking to disk and without holding the archive in memory.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from stridelab.errors import InputError
from stridelab.watch.load import MAX_FILE_BYTES

__all__ = ["ACTIVITY_SUFFIXES", "SourceItem", "iter_sources", "read_maybe_gzip"]

#: Suffixes looked at inside folders and archives (the content decides the format).
ACTIVITY_SUFFIXES = (".fit", ".tcx", ".gpx", ".fit.gz", ".tcx.gz", ".gpx.gz")


@dataclass(frozen=True)
class SourceItem:
    """One candidate file: a display name and a way to read its (decompressed) bytes."""

    name: str
    read: Callable[[], bytes]


def _is_activity_name(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def read_maybe_gzip(data: bytes, /, *, name: str) -> bytes:
    """Gunzip ``data`` if it is gzip (by magic bytes), refusing over-large output."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: damaged gzip data ({exc})") from exc
    if len(out) > MAX_FILE_BYTES:
        raise InputError(f"{name}: decompresses to more than {MAX_FILE_BYTES // 2**20} MB")
    return out


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise InputError(f"{size / 1e6:.0f} MB is too large for an activity file")
            return read_maybe_gzip(path.read_bytes(), name=str(path))
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror or exc})") from exc

    return read


def _zip_items(path: Path) -> Iterator[SourceItem]:
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        yield SourceItem(str(path), _raiser(InputError(f"damaged zip archive ({exc})")))
        return
    for info in infos:
        if info.is_dir() or not _is_activity_name(info.filename):
            continue
        yield SourceItem(f"{path}!{info.filename}", _zip_reader(zf, info, path))


def _zip_reader(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        if info.file_size > MAX_FILE_BYTES:
            raise InputError(f"{info.file_size / 1e6:.0f} MB is too large for an activity file")
        try:
            with zf.open(info) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise InputError(f"damaged member of {path.name} ({exc})") from exc
        return read_maybe_gzip(data, name=info.filename)

    return read


def _raiser(exc: Exception) -> Callable[[], bytes]:
    def read() -> bytes:
        raise exc

    return read


def iter_sources(paths: Sequence[str | Path], /) -> Iterator[SourceItem]:
    """Every candidate activity file under ``paths``, in a stable (sorted) order.

    A named file is always tried whatever its suffix; inside folders only files with an
    activity suffix (:data:`ACTIVITY_SUFFIXES`) or ``.zip`` are looked at. A path that
    does not exist yields an item whose read raises :class:`InputError`.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() == ".zip":
                    yield from _zip_items(child)
                elif _is_activity_name(child.name):
                    yield SourceItem(str(child), _file_reader(child))
        elif path.is_file() and zipfile.is_zipfile(path):
            yield from _zip_items(path)
        elif path.exists():
            yield SourceItem(str(path), _file_reader(path))
        else:
            yield SourceItem(str(path), _raiser(InputError("no such file or folder")))
