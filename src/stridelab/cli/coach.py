"""``stridelab plan`` and ``stridelab progress`` (being built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the coaching commands to the top-level app."""
