"""``stridelab test list|guide|run`` (being built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the mobility and stability test commands to the ``test`` group."""
