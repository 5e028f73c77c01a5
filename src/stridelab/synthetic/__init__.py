"""Exactly known sample data.

In: a :class:`SyntheticRunSpec` (session shape, pause, runner's cadence–speed,
contact-time and oscillation lines, heart-rate response, seed). Out: a
:class:`SyntheticRun` holding a real FIT activity file (``fit_bytes``, written with
Garmin's official encoder) and its :class:`SyntheticTruth`, the values exactly as
stored in the file, per record and per lap, so readers and analyses can be tested
against known answers. And a running figure: a :class:`RunnerSpec` and a
:class:`CameraSpec` in; exact keypoints (:func:`synthetic_keypoints`), rendered frames and
an H.264 clip (:func:`write_runner_video`) with their :class:`RunnerTruth` out.
"""

from stridelab.synthetic.fit_run import (
    SyntheticLapTruth,
    SyntheticRun,
    SyntheticRunSpec,
    SyntheticTruth,
    synthetic_run,
    write_synthetic_run,
)
from stridelab.synthetic.render import render_frame, write_runner_video
from stridelab.synthetic.runner import (
    CameraSpec,
    RunnerSpec,
    RunnerTruth,
    StepTruth,
    runner_truth,
    synthetic_keypoints,
)

__all__ = [
    "CameraSpec",
    "RunnerSpec",
    "RunnerTruth",
    "StepTruth",
    "SyntheticLapTruth",
    "SyntheticRun",
    "SyntheticRunSpec",
    "SyntheticTruth",
    "render_frame",
    "runner_truth",
    "synthetic_keypoints",
    "synthetic_run",
    "write_runner_video",
    "write_synthetic_run",
]
