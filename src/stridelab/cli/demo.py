"""``stridelab demo``: the main job on built-in sample input.

Writes a synthetic training history as real FIT files (Garmin's encoder), imports them,
shows the latest run and the movement-lens analysis; renders a synthetic runner and
analyses the clip; analyses a simulated force-plate jump and two rendered ankle-test
photos; and prints the 4-week plan built from all of it. Every input has exact truth.
Running it twice imports nothing new (imports are idempotent).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

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
    console.rule("[bold]test the engine: a jump on a force plate, an ankle test by photo")
    _engine_demo(state, workdir)
    console.rule("[bold]coach the practice: the next 4 weeks from what was measured")
    last_run = max(a.start_utc for a in list_activities(db, athlete=state.athlete))
    _plan_demo(state, start=last_run.date() + timedelta(days=7 - last_run.weekday()))
    console.print(
        "\nNext: [bold]stridelab import PATH[/] your own FIT/TCX/GPX files or a Garmin/Strava "
        "export zip, then [bold]stridelab analyze[/]; film yourself from the side and run "
        "[bold]stridelab video analyze CLIP --height-cm N[/]; [bold]stridelab test list[/] "
        "for the self-tests; [bold]stridelab plan --explain[/]; or [bold]stridelab serve[/] "
        "to do all of it in your browser."
    )


def _engine_demo(state: State, workdir: Path) -> None:
    """A simulated force-plate countermovement jump and rendered knee-to-wall photos
    (both with exact truth), analysed and stored like the runner's own files."""
    from PIL import Image

    from stridelab.assess.mobility import record_test
    from stridelab.cli.assess import run_jump
    from stridelab.synthetic import poses
    from stridelab.synthetic.jumps import simulate_force_plate_jump, write_force_plate_csv
    from stridelab.synthetic.render import render_pose_frame
    from stridelab.synthetic.runner import CameraSpec

    console = out_console()
    plate = workdir / "cmj-force-plate.csv"
    takeoff_m_s = 2.6
    if not plate.exists():
        write_force_plate_csv(
            simulate_force_plate_jump(test="cmj", mass_kg=70.0, takeoff_velocity_m_s=takeoff_m_s),
            plate,
        )
    console.print(
        f"{plate}: take-off at {takeoff_m_s} m/s, a {100 * takeoff_m_s**2 / (2 * 9.80665):.1f} cm "
        "jump (the truth)"
    )
    run_jump(state, plate, test_type="cmj", on="2026-11-02")
    sides: tuple[tuple[Literal["right", "left"], float], ...] = (("right", 38.0), ("left", 31.0))
    for side, angle in sides:
        photo = workdir / f"knee-to-wall-{side}.png"
        camera = CameraSpec(
            width_px=640, height_px=480, distance_m=3.2, camera_height_m=0.6, facing=side
        )
        if not photo.exists():
            frame = render_pose_frame(poses.lunge_pose(shank_angle_deg=angle, side=side), camera, 0)
            Image.fromarray(frame).save(photo)
        rec = record_test(
            state.db,
            "knee-to-wall",
            photo,
            athlete=state.athlete,
            performed_at=datetime(2026, 11, 2, 12, tzinfo=UTC),
            side=side,
            height_cm=178,
        )
        s = rec.data["summary"]
        norm = s["norm"]
        console.print(
            f"{photo.name}: shank {s['value']:.1f}° from vertical (truth {angle:g}°)"
            + (f", {norm['status']} the {norm['cutoff']:g}° cut-off" if norm else "")
            + (
                f"; left/right symmetry {rec.symmetry['lsi_pct']:.0f} %"
                if rec.symmetry and rec.symmetry.get("lsi_pct") is not None
                else ""
            )
        )


def _plan_demo(state: State, *, start: date) -> None:
    from stridelab.cli.coach import print_plan
    from stridelab.coach import PlanRequest, build_plan

    request = PlanRequest(
        goal="10k",
        race_date=start + timedelta(weeks=10),
        run_days=4,
        minutes_per_week=75,
        equipment=frozenset({"band", "dumbbell"}),
        weeks=4,
        start=start,
    )
    print_plan(build_plan(state.db, state.athlete, request), explain=False)


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
