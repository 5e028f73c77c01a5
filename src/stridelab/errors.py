"""The exception hierarchy of stridelab.

Every error the library raises on purpose derives from :class:`StridelabError`, so a
caller (the CLI, the web app, a batch job) can catch one type. Messages say what was
expected, what was found and, where possible, what to do.
"""

from __future__ import annotations

__all__ = [
    "CorruptFileError",
    "EmptyActivityError",
    "InputError",
    "NoPersonError",
    "NotFoundError",
    "StoreError",
    "StridelabError",
    "UnsupportedFormatError",
    "VideoError",
]


class StridelabError(Exception):
    """Base class of all errors raised by stridelab."""


class InputError(StridelabError):
    """The input cannot be used as given (bad value, missing field, absurd number)."""


class UnsupportedFormatError(InputError):
    """The file is not one of the formats stridelab reads (or not an activity file)."""


class CorruptFileError(InputError):
    """The file is damaged beyond what can be recovered."""


class EmptyActivityError(InputError):
    """The file is readable but holds no activity data (no records, no session)."""


class StoreError(StridelabError):
    """The database could not be opened, migrated or written."""


class NotFoundError(StridelabError):
    """A requested athlete, activity or shoe does not exist."""


class VideoError(InputError):
    """The video cannot be decoded or analysed (not a video, truncated, too short)."""


class NoPersonError(VideoError):
    """No person (or not the chosen person) is visible well enough to analyse."""
