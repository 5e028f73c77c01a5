"""``stridelab serve``: the local web app (FastAPI + uvicorn) over the same library."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from stridelab.cli.state import State, err_console, out_console

__all__ = ["register", "run_serve"]


def run_serve(
    state: State,
    *,
    host: str,
    port: int,
    token: str | None,
    max_upload_mb: int,
    workers: int,
) -> None:
    """Build the app for the user's data folder and database and serve it until Ctrl-C."""
    from stridelab.errors import InputError

    try:
        import uvicorn

        from stridelab.web import WebSettings, create_app, is_loopback
        from stridelab.web.settings import token_problem
    except ImportError as exc:
        raise InputError(
            f"the web app needs the 'web' extra ({exc.name} is missing): "
            "pip install 'stridelab[web]'"
        ) from None
    if not 0 < port < 65536:
        raise InputError(f"--port must be 1–65535, got {port}")
    if max_upload_mb <= 0:
        raise InputError(f"--max-upload-mb must be positive, got {max_upload_mb}")
    if token is not None and (problem := token_problem(token)) is not None:
        # an empty --token "" must never turn the token rule off
        raise InputError(f"--token: {problem}")
    if not is_loopback(host) and token is None:
        token = secrets.token_urlsafe(24)
    settings = WebSettings.from_config(
        state.settings,
        athlete=state.athlete,
        token=token,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        workers=workers,
    )
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown if host not in ('0.0.0.0', '::') else 'THIS-COMPUTER'}:{port}/"
    con = out_console()
    con.print(f"[bold]stridelab[/] serving {settings.data_dir} for athlete {state.athlete}")
    if token:
        why = (
            "a token is required"
            if is_loopback(host)
            else f"{host} is not loopback: a token is required"
        )
        con.print(
            f"[yellow]{why}[/] (header "
            "'Authorization: Bearer TOKEN', or open the link below once in the browser)"
        )
        con.print(f"token: {token}")
        con.print(f"open: {url}?token={token}")
    else:
        con.print(f"open: {url}   (only this computer can connect; Ctrl-C stops)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except OSError as exc:
        err_console().print(f"[red]cannot listen on {host}:{port}: {exc}[/]")
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the top-level app."""

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[
            str, typer.Option(help="Address to listen on; anything but loopback needs a token.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
        token: Annotated[
            str | None,
            typer.Option(
                envvar="STRIDELAB_TOKEN",
                help="Token to require (default: a random one when not on loopback).",
            ),
        ] = None,
        max_upload_mb: Annotated[
            int, typer.Option("--max-upload-mb", help="Largest accepted upload, MB.")
        ] = 1024,
        workers: Annotated[int, typer.Option(help="Background jobs run at once (1–8).")] = 1,
    ) -> None:
        """Open the local web app: upload files and videos, read reports, follow the plan."""
        state: State = ctx.obj
        if not 1 <= workers <= 8:
            from stridelab.errors import InputError

            raise InputError(f"--workers must be 1–8, got {workers}")
        run_serve(
            state,
            host=host,
            port=port,
            token=token,
            max_upload_mb=max_upload_mb,
            workers=workers,
        )
