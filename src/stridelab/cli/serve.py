"""``stridelab serve`` (being built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the top-level app."""
