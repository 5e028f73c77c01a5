"""``stridelab demo``: the main job on built-in sample input.

Writes a synthetic training history as real FIT files (Garmin's encoder), imports them,
shows the latest run and the movement-lens analysis. Running it twice imports nothing
new (imports are idempotent).
"""

from __future__ import annotations

from pathlib import Path

from rich.progress import track

from stridelab.cli.activity import show_summaries
from stridelab.cli.analyze import print_overview
from stridelab.cli.importing import run_import
from stridelab.cli.state import State, out_console
from stridelab.errors import InputError
from stridelab.insights import build_overview
from stridelab.store import add_shoe, assign_shoe, list_activities, list_shoes, update_athlete
from stridelab.synthetic import synthetic_run
from stridelab.synthetic.history import synthetic_history

__all__ = ["run_demo"]


def run_demo(state: State, workdir: Path) -> None:
    console = out_console()
    sample_dir = workdir / "sample-runs"
    try:
        sample_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {sample_dir}: {exc.strerror or exc}") from exc
    specs = synthetic_history(weeks=6)
    console.rule("[bold]stridelab demo: a synthetic runner's last 6 weeks")
    paths = []
    for spec in track(
        specs, description="writing sample FIT files", console=console, transient=True
    ):
        path = sample_dir / f"{spec.start_utc:%Y-%m-%d}-run.fit"
        if not path.exists():
            path.write_bytes(synthetic_run(spec).fit_bytes)
        paths.append(path)
    console.print(
        f"{len(paths)} FIT files in {sample_dir} (Garmin FIT SDK encoder; truth known exactly)"
    )

    db = state.db
    update_athlete(db, state.athlete, height_cm=178, mass_kg=70)
    fresh = not list_shoes(db, athlete=state.athlete)
    if fresh:
        add_shoe(db, "Daily trainer", athlete=state.athlete, start_km=610, default=True)
        add_shoe(db, "Light racer", athlete=state.athlete, retire_at_km=500)
    run_import(state, [sample_dir])
    if fresh:  # the interval sessions (Thursdays) were run in the racers
        thursdays = [
            a.id for a in list_activities(db, athlete=state.athlete) if a.start_utc.weekday() == 3
        ]
        assign_shoe(db, "Light racer", thursdays, athlete=state.athlete)

    console.rule("[bold]latest run")
    show_summaries(state, str(paths[-1]), json_out=False)
    console.rule("[bold]analysis")
    print_overview(build_overview(db, athlete=state.athlete))
    console.rule("[bold]see the stride: a synthetic runner filmed from the side")
    _video_demo(state, workdir)
    console.print(
        "\nNext: [bold]stridelab import PATH[/] your own FIT/TCX/GPX files or a Garmin/Strava "
        "export zip, then [bold]stridelab analyze[/]; film yourself from the side and run "
        "[bold]stridelab video analyze CLIP --height-cm N[/]."
    )


def _video_demo(state: State, workdir: Path) -> None:
    """Render the built-in clip (exact truth) and analyse it like a user's video."""
    from stridelab.cli.video import run_video_analyze
    from stridelab.synthetic.render import write_runner_video
    from stridelab.synthetic.runner import CameraSpec, RunnerSpec

    clip = workdir / "synthetic-runner-60fps.mp4"
    spec = RunnerSpec(duration_s=4.0)
    camera = CameraSpec(fps=60, width_px=960, height_px=540)
    if not clip.exists():
        write_runner_video(spec, camera, clip)
    out_console().print(
        f"{clip}: cadence {spec.cadence_spm:g} steps/min, contact {spec.contact_time_ms:g} ms, "
        f"foot strike {spec.foot_strike_angle_deg:g}°, overstride {spec.overstride_cm:g} cm "
        "(the truth the analysis below should find)"
    )
    run_video_analyze(
        state,
        clip,
        view="auto",
        height_cm=spec.height_cm,
        capture_fps=None,
        surface="auto",
        person="auto",
        out=workdir / "synthetic-runner-analysis",
        json_file=None,
        annotate=True,
        fps=None,
    )
