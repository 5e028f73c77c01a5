"""Uploads: a multipart body streamed to disk under the data directory, typed by content.

In: the raw request body (an async iterator of chunks) and its ``Content-Type``. Out: a
:class:`StoredUpload` whose file lives under ``<data_dir>/uploads`` with a random name.

- The body is never held in memory: chunks go straight into ``uploads/.incoming/`` and
  the part is cut off (:class:`UploadTooLargeError`) as soon as it passes the limit.
- The client's file name is only a label; it never becomes part of a path, so names
  like ``../../etc/passwd`` cannot reach outside the folder.
- The type is decided by the first bytes (:func:`sniff`), not by the name: FIT header
  ``.FIT``, a TCX/GPX XML root, zip and gzip magic, ISO-BMFF ``ftyp`` (MP4/MOV) and
  EBML (WebM/MKV).
- Anything that goes wrong removes the partial file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from stridelab.errors import InputError, UnsupportedFormatError
from stridelab.watch.load import detect_format

__all__ = [
    "FIELD_NAME",
    "StoredUpload",
    "UnsupportedUploadError",
    "UploadError",
    "UploadKind",
    "UploadTooLargeError",
    "receive_upload",
    "safe_display_name",
    "sniff",
]

#: The multipart field that carries the file.
FIELD_NAME = "file"
#: Bytes kept in memory to decide the type.
HEAD_BYTES = 4096
#: Room for the multipart framing and small extra fields, on top of the file limit.
_OVERHEAD_BYTES = 64 * 1024

UploadKind = Literal["activity", "archive", "video"]

#: ISO-BMFF major brands of files that share MP4's ``ftyp`` box but hold no video: a
#: phone's HEIC/AVIF photo or an M4A recording must be refused here, not fail later.
_NOT_VIDEO_BRANDS = {
    **dict.fromkeys((b"heic", b"heix", b"heim", b"heis", b"mif1"), "a HEIF/HEIC image"),
    **dict.fromkeys((b"avif",), "an AVIF image"),
    **dict.fromkeys((b"M4A ", b"M4B ", b"M4P "), "an M4A audio file"),
}

_EXPECTED = (
    "expected a FIT, TCX or GPX activity file (optionally gzipped), a zip export, "
    "or an MP4/MOV/WebM/MKV video"
)


class UploadError(InputError):
    """The request does not carry one usable file (malformed, cut off, empty)."""


class UploadTooLargeError(UploadError):
    """The file is larger than the app accepts."""


class UnsupportedUploadError(UnsupportedFormatError):
    """The file's content is none of the types the app reads."""


@dataclass(frozen=True)
class StoredUpload:
    """One received file.

    ``path`` is under the uploads folder with a random name; ``format`` is what the
    content says (``fit``, ``tcx``, ``gpx``, ``fit.gz``…, ``zip``, ``mp4``, ``mov``,
    ``webm``, ``mkv``); ``name`` is the client's file name, cleaned, for display only.
    """

    path: Path
    kind: UploadKind
    format: str
    size_bytes: int
    name: str


def _size(n_bytes: int) -> str:
    if n_bytes >= 2**20:
        return f"{n_bytes / 2**20:.0f} MB"
    return f"{n_bytes / 1024:.0f} kB" if n_bytes >= 1024 else f"{n_bytes} bytes"


def _looks_like(head: bytes) -> str:
    """A short guess at what an unsupported file is (for the error message)."""
    signatures = {
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"%PDF": "a PDF document",
        b"GIF8": "a GIF image",
        b"RIFF": "a RIFF file (WAV/AVI)",
        b"ID3": "an MP3 file",
    }
    for magic, what in signatures.items():
        if head.startswith(magic):
            return what
    sample = head[:512]
    if not sample:
        return "nothing (0 bytes)"
    text = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample) / len(sample)
    if text > 0.95:
        stripped = sample.lstrip()
        if stripped.startswith(b"<"):
            return "XML or HTML that is neither TCX nor GPX"
        return "plain text"
    return "unrecognised binary data"


def sniff(head: bytes, /) -> tuple[UploadKind, str]:
    """The kind and format of a file from its first bytes (4 KiB is plenty).

    Raises
    ------
    UnsupportedUploadError
        The content is none of the supported types (the message says what it looks like).
    """
    # binary magic first: a stored zip member's XML must not make the zip look like XML
    if head.startswith(b"PK\x03\x04"):
        return "archive", "zip"
    if head.startswith(b"PK\x05\x06"):
        raise UnsupportedUploadError("the zip archive is empty: it holds no files")
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
        except zlib.error:
            inner = b""
        inner_fmt = detect_format(inner) if inner else None
        if inner_fmt is None:
            raise UnsupportedUploadError(
                f"a gzip file that does not hold a FIT, TCX or GPX activity; {_EXPECTED}"
            )
        return "activity", f"{inner_fmt}.gz"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _NOT_VIDEO_BRANDS:
            raise UnsupportedUploadError(
                f"unsupported file type ({_NOT_VIDEO_BRANDS[brand]}, not a video); {_EXPECTED}"
            )
        return "video", "mov" if brand == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "webm" if b"webm" in head[:64] else "mkv"
    fmt = detect_format(head)
    if fmt is not None:
        return "activity", fmt
    raise UnsupportedUploadError(f"unsupported file type ({_looks_like(head)}); {_EXPECTED}")


def safe_display_name(raw: str, /) -> str:
    """The last path component of a client's file name, printable, at most 200 chars."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if ch.isprintable()).strip()
    return clean[-200:] or "upload"


class _Receiver:
    """Multipart callbacks writing the ``file`` part to an open temporary file."""

    def __init__(self, part_path: Path, max_bytes: int) -> None:
        self.part_path = part_path
        self.max_bytes = max_bytes
        self.fh: BinaryIO | None = None
        self.in_file = False
        self.file_parts = 0
        self.size = 0
        self.head = bytearray()
        self.name = ""
        self._field = b""
        self._value = b""
        self._headers: dict[bytes, bytes] = {}

    # header callbacks
    def on_part_begin(self) -> None:
        self._headers = {}
        self.in_file = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field = b""
        self._value = b""

    def on_headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"")
        _kind, options = parse_options_header(disposition)
        if options.get(b"name") != FIELD_NAME.encode() or b"filename" not in options:
            return  # another field: its bytes are counted against the overhead, not kept
        self.file_parts += 1
        if self.file_parts > 1:
            raise UploadError("one file per upload: send each file in its own request")
        self.name = safe_display_name(options[b"filename"].decode("utf-8", "replace"))
        self.fh = self.part_path.open("xb")
        self.in_file = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.in_file or self.fh is None:
            return
        n = end - start
        self.size += n
        if self.size > self.max_bytes:
            raise UploadTooLargeError(
                f"the file is larger than the {_size(self.max_bytes)} this app accepts"
            )
        if len(self.head) < HEAD_BYTES:
            self.head += data[start : min(end, start + HEAD_BYTES - len(self.head))]
        self.fh.write(data[start:end])

    def on_part_end(self) -> None:
        self.in_file = False

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


async def receive_upload(
    chunks: AsyncIterator[bytes],
    /,
    *,
    content_type: str,
    content_length: int | None,
    uploads_dir: Path,
    max_bytes: int,
) -> StoredUpload:
    """Stream a ``multipart/form-data`` body with one file in field ``file`` to disk.

    Parameters
    ----------
    chunks : the request body as it arrives.
    content_type : the request's ``Content-Type`` header (with the boundary).
    content_length : the declared body size, if any (checked before reading).
    uploads_dir : where the file ends up (``.incoming/`` below it while receiving).
    max_bytes : the largest accepted file.

    Raises
    ------
    UploadTooLargeError, UnsupportedUploadError, UploadError
        Too large; not a supported type (by content); malformed, cut off or empty.
    """
    media, options = parse_options_header(content_type)
    if media != b"multipart/form-data":
        raise UnsupportedUploadError(
            f"send the file as multipart/form-data in the field {FIELD_NAME!r} "
            f"(got Content-Type {content_type[:80]!r})"
        )
    boundary = options.get(b"boundary")
    if not boundary or len(boundary) > 200:
        raise UploadError("the multipart Content-Type has no usable boundary")
    limit = max_bytes + _OVERHEAD_BYTES
    if content_length is not None and content_length > limit:
        raise UploadTooLargeError(
            f"the upload is larger than the {_size(max_bytes)} this app accepts"
        )
    incoming = uploads_dir / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    part_path = incoming / f"{token}.part"
    receiver = _Receiver(part_path, max_bytes)
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": receiver.on_part_begin,
            "on_header_field": receiver.on_header_field,
            "on_header_value": receiver.on_header_value,
            "on_header_end": receiver.on_header_end,
            "on_headers_finished": receiver.on_headers_finished,
            "on_part_data": receiver.on_part_data,
            "on_part_end": receiver.on_part_end,
        },
    )
    total = 0
    try:
        try:
            async for chunk in chunks:
                total += len(chunk)
                if total > limit:
                    raise UploadTooLargeError(
                        f"the upload is larger than the {_size(max_bytes)} this app accepts"
                    )
                parser.write(chunk)
        except MultipartParseError as exc:
            raise UploadError(f"malformed multipart body ({exc})") from None
        finally:
            receiver.close()
        if receiver.file_parts == 0:
            raise UploadError(f"no file: send the file in the multipart field {FIELD_NAME!r}")
        if parser.state != MultipartState.END:
            raise UploadError(
                "the upload was cut off before its end (incomplete multipart body); send it again"
            )
        if receiver.size == 0:
            raise UploadError(f"{receiver.name}: the file is empty (0 bytes)")
        kind, fmt = sniff(bytes(receiver.head))
        final = uploads_dir / f"{token}.{fmt}"
        os.replace(part_path, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            part_path.unlink()
        raise
    return StoredUpload(final, kind, fmt, receiver.size, receiver.name)
