"""Reading force-plate CSV exports into a :class:`ForcePlateTrace`.

In: a CSV of time and vertical force (one plate, or left and right plates; N, kN or lbf;
comma, semicolon or tab). Out: a validated :class:`ForcePlateTrace` (total force, the
plates, sampling rate, notes on what was detected). Analysis lives in
:mod:`stridelab.assess.force_plate`.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import CorruptFileError, InputError, UnsupportedFormatError

__all__ = ["MIN_SAMPLING_RATE_HZ", "ForcePlateTrace", "load_force_plate_csv"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

#: Lowest sampling rate accepted for force plates (research notes §3 ask for 1000 Hz).
MIN_SAMPLING_RATE_HZ = 500.0
_MIN_DURATION_S = 1.0
_LBF_TO_N = 4.4482216152605


@dataclass(frozen=True)
class ForcePlateTrace:
    """Vertical force on a time axis, validated on construction.

    Build with :meth:`from_arrays` (or :func:`load_force_plate_csv`). Arrays are
    read-only copies; forces in newtons, time in seconds.
    """

    time_s: FloatArray
    force_n: FloatArray
    sampling_rate_hz: float
    force_left_n: FloatArray | None = None
    force_right_n: FloatArray | None = None
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def from_arrays(
        cls,
        time_s: Any,
        force_n: Any | None = None,
        /,
        *,
        force_left_n: Any | None = None,
        force_right_n: Any | None = None,
        notes: tuple[str, ...] = (),
    ) -> ForcePlateTrace:
        """Validate arrays and build a trace.

        The total force defaults to left + right when only the two plates are given.

        Raises
        ------
        InputError
            Fewer than 1 s of samples, a sampling rate under 500 Hz, mismatched lengths,
            or non-finite values.
        CorruptFileError
            Time not strictly increasing.
        """
        t = np.asarray(time_s, dtype=np.float64).ravel().copy()
        sides = [
            None if a is None else np.asarray(a, dtype=np.float64).ravel().copy()
            for a in (force_left_n, force_right_n)
        ]
        if (sides[0] is None) != (sides[1] is None):
            raise InputError("two-plate data needs both left and right forces")
        if force_n is None:
            if sides[0] is None or sides[1] is None:
                raise InputError("no vertical force given")
            f = sides[0] + sides[1]
        else:
            f = np.asarray(force_n, dtype=np.float64).ravel().copy()
        for name, arr in (("force", f), ("left force", sides[0]), ("right force", sides[1])):
            if arr is not None and arr.shape != t.shape:
                raise InputError(f"{name} has {arr.size} samples but time has {t.size}")
        for name, arr in (("time", t), ("force", f), ("left", sides[0]), ("right", sides[1])):
            if arr is not None and not np.all(np.isfinite(arr)):
                bad = int(np.nonzero(~np.isfinite(arr))[0][0])
                raise InputError(f"{name} value at sample {bad + 1} is not a finite number")
        if t.size < 2:
            raise InputError(
                f"too few samples ({t.size}); a jump recording needs at least "
                f"{_MIN_DURATION_S:.0f} s of quiet standing plus the jump"
            )
        dt = np.diff(t)
        if np.any(dt <= 0):
            bad = int(np.nonzero(dt <= 0)[0][0])
            raise CorruptFileError(
                f"time is not increasing: sample {bad + 2} ({t[bad + 1]:g} s) follows "
                f"{t[bad]:g} s; check the time column or remove repeated rows"
            )
        rate = 1.0 / float(np.median(dt))
        if rate < MIN_SAMPLING_RATE_HZ - 0.5:
            raise InputError(
                f"force plates need ≥ {MIN_SAMPLING_RATE_HZ:.0f} Hz; this file is "
                f"{rate:.0f} Hz. Export at 1000 Hz (research notes §3)"
            )
        duration = float(t[-1] - t[0])
        if duration < _MIN_DURATION_S:
            raise InputError(
                f"too few samples: {t.size} ({duration:.2f} s); a jump recording needs "
                f"at least {_MIN_DURATION_S:.0f} s of quiet standing plus the jump"
            )
        for arr in (t, f, *sides):
            if arr is not None:
                arr.setflags(write=False)
        return cls(
            time_s=t,
            force_n=f,
            sampling_rate_hz=rate,
            force_left_n=sides[0],
            force_right_n=sides[1],
            notes=tuple(notes),
        )


# ------------------------------------------------------------------------- CSV reading

_TIME_NAMES = {"time", "t", "seconds", "second", "sec", "s", "ms", "timestamp", "time_s"}
_UNIT_RE = re.compile(r"[\[(]\s*(kn|n|lbf|lb|s|ms)\s*[\])]|[_ ](kn|n|lbf|lb|s|ms)$")


def _norm(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().strip('"').lower()


def _unit_of(name: str) -> str | None:
    m = _UNIT_RE.search(_norm(name))
    if not m:
        return None
    return (m.group(1) or m.group(2)).lower()


def _base(name: str) -> str:
    return _UNIT_RE.sub("", _norm(name)).strip(" _")


def _is_time(name: str) -> bool:
    b = _base(name)
    return b in _TIME_NAMES or b.startswith("time") or _norm(name) in _TIME_NAMES


def _side(name: str) -> str | None:
    b = _base(name)
    if re.search(r"left|(^|[^a-z])l([^a-z]|$)|plate[ _]?1|fp[ _]?1", b):
        return "left"
    if re.search(r"right|(^|[^a-z])r([^a-z]|$)|plate[ _]?2|fp[ _]?2", b):
        return "right"
    return None


def _is_total(name: str) -> bool:
    b = _base(name)
    if b in {"fz", "force", "total", "fz_total", "total_fz", "total force", "force_z"}:
        return True
    return ("fz" in b or "force" in b or "total" in b) and not re.search(r"f[xy]", b)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _read_rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormatError(
            f"{path.name} is not a text CSV file (not UTF-8 text)"
        ) from exc
    if not text.strip():
        raise InputError(f"{path.name} is empty; expected a header row and force samples")
    sample = text[:4096]
    delimiter = max((",", ";", "\t"), key=sample.count)
    if sample.count(delimiter) == 0:
        delimiter = ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]


def load_force_plate_csv(
    path: str | Path, /, *, sampling_rate_hz: float | None = None
) -> ForcePlateTrace:
    """Read a force-plate CSV export (time + vertical force; one or two plates).

    Columns are found by name, case-insensitively: time (``time``, ``t``, ``seconds``,
    ``ms``, ``time_s`` …), total vertical force (``Fz``, ``force``, ``Fz_N``,
    ``total`` …) and plates (``left``/``right`` or ``plate1``/``plate2``). Units come from
    the header (``N``, ``kN``, ``lbf``; ``s``, ``ms``) or, if absent, from magnitude: a
    standing force around 0.5–2 means kN, a time step ≥ 0.5 means ms. Metadata lines
    before the header are skipped.

    Parameters
    ----------
    path
        The CSV file.
    sampling_rate_hz
        Only for files without a time column: the sampling rate (Hz).

    Returns
    -------
    ForcePlateTrace
        Forces in N, time in s; ``notes`` say which columns and units were used.

    Raises
    ------
    InputError
        Missing or empty file, too few samples, a rate under 500 Hz.
    UnsupportedFormatError
        No numeric data, or no vertical force column (the message lists the columns).
    CorruptFileError
        A non-numeric cell inside the data, or time not increasing.
    """
    path = Path(path)
    rows = _read_rows(path)
    numeric = [all(_is_number(c) for c in r if c) for r in rows]
    first_data = next(
        (i for i in range(len(rows)) if all(numeric[i : i + 3])),
        None,
    )
    if first_data is None:
        raise UnsupportedFormatError(
            f"{path.name} holds no numeric data; expected a header row (e.g. time_s,Fz_N) "
            "followed by one row of numbers per sample"
        )
    header = rows[first_data - 1] if first_data > 0 else []
    data_rows = rows[first_data:]
    n_cols = max(len(r) for r in data_rows)
    if len(header) < n_cols:
        header = header + [f"column{i + 1}" for i in range(len(header), n_cols)]
    found = ", ".join(h for h in header[:n_cols]) or "(none)"

    time_col = next((i for i, h in enumerate(header) if _is_time(h)), None)
    sides: dict[str, int] = {}
    total_col = None
    for i, h in enumerate(header[:n_cols]):
        if i == time_col:
            continue
        side = _side(h)
        if side and side not in sides:
            sides[side] = i
        elif side is None and total_col is None and _is_total(h):
            total_col = i
    if total_col is None and len(sides) < 2:
        raise UnsupportedFormatError(
            f"{path.name} has no vertical force column; columns found: {found}. Expected "
            "one named Fz, force or total (or left and right plate columns)"
        )
    if time_col is None and sampling_rate_hz is None:
        raise UnsupportedFormatError(
            f"{path.name} has no time column; columns found: {found}. Add a time column "
            "(time, t, seconds or ms) or pass sampling_rate_hz"
        )

    values = np.full((len(data_rows), n_cols), np.nan)
    for r, row in enumerate(data_rows):
        for c, cell in enumerate(row[:n_cols]):
            if not cell:
                continue
            try:
                values[r, c] = float(cell)
            except ValueError as exc:
                raise CorruptFileError(
                    f"{path.name} line {first_data + r + 1}, column "
                    f"{header[c]!r}: {cell!r} is not a number"
                ) from exc
    needed = (time_col, total_col, sides.get("left"), sides.get("right"))
    for c in (c for c in needed if c is not None):
        if np.isnan(values[:, c]).any():
            r = int(np.nonzero(np.isnan(values[:, c]))[0][0])
            raise CorruptFileError(
                f"{path.name} line {first_data + r + 1}: column {header[c]!r} is empty"
            )

    notes: list[str] = []
    used = []
    if time_col is None:
        assert sampling_rate_hz is not None
        time_s = np.arange(len(data_rows)) / float(sampling_rate_hz)
        notes.append(f"no time column; time from the given {sampling_rate_hz:g} Hz")
    else:
        raw_t = values[:, time_col]
        t_unit = _unit_of(header[time_col]) or ("ms" if _base(header[time_col]) == "ms" else None)
        if t_unit is None:
            step = float(np.median(np.diff(raw_t))) if raw_t.size > 1 else 0.0
            t_unit = "ms" if step >= 0.5 else "s"
            notes.append(f"time unit not in the header; read as {t_unit} from its step")
        time_s = raw_t / 1000.0 if t_unit == "ms" else raw_t
        used.append(f"time={header[time_col]!r} ({t_unit})")

    force_cols = [total_col, sides.get("left"), sides.get("right")]
    units = {_unit_of(header[c]) for c in force_cols if c is not None} - {None, "s", "ms"}
    unit = units.pop() if len(units) == 1 else None
    cols = [None if c is None else values[:, c] for c in force_cols]
    total = sum(c for c in cols[1:] if c is not None) if cols[0] is None else cols[0]
    if unit is None:
        level = float(np.percentile(np.abs(total), 90))
        if 0.2 <= level <= 5.0:
            unit = "kN"
            notes.append(
                f"force unit not in the header; the standing force is about {level:.2f}, "
                "which only makes sense in kN (a body weight of ~0.7 kN), so read as kN"
            )
        else:
            unit = "n"
            notes.append("force unit not in the header; read as N")
    scale = {"kn": 1000.0, "n": 1.0, "lbf": _LBF_TO_N, "lb": _LBF_TO_N}[unit.lower()]
    if unit.lower() in ("lbf", "lb"):
        notes.append("forces converted from lbf to N")
    elif unit.lower() == "kn":
        notes.append("forces converted from kN to N")
    if float(np.median(total)) < -50.0:  # some plates export Fz pointing down
        scale = -scale
        notes.append("vertical force was negative (downward axis); sign flipped")
    forces = [None if c is None else c * scale for c in cols]
    used += [
        f"{k}={header[c]!r}"
        for k, c in zip(("Fz", "left", "right"), force_cols, strict=True)
        if c is not None
    ]
    notes.insert(0, "columns: " + ", ".join(used))
    return ForcePlateTrace.from_arrays(
        time_s,
        forces[0],
        force_left_n=forces[1],
        force_right_n=forces[2],
        notes=tuple(notes),
    )


# -------------------------------------------------------------------- signal helpers
