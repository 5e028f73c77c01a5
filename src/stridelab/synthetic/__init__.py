"""Exactly known sample data.

In: a :class:`SyntheticRunSpec` (session shape, pause, runner's cadence–speed,
contact-time and oscillation lines, heart-rate response, seed). Out: a
:class:`SyntheticRun` holding a real FIT activity file (``fit_bytes``, written with
Garmin's official encoder) and its :class:`SyntheticTruth`, the values exactly as
stored in the file, per record and per lap, so readers and analyses can be tested
against known answers. And a running figure: a :class:`RunnerSpec` and a
:class:`CameraSpec` in; exact keypoints (:func:`synthetic_keypoints`), rendered frames and
an H.264 clip (:func:`write_runner_video`) with their :class:`RunnerTruth` out; the
same for jumps and hops (:class:`JumpVideoSpec`, :func:`write_jump_video`), force-plate
and accelerometer jump traces, and the test poses (:mod:`stridelab.synthetic.poses`).
"""

from stridelab.synthetic.accel_jumps import (
    SyntheticAccel,
    simulate_accel_jumps,
    write_phyphox_csv,
    write_plain_csv,
)
from stridelab.synthetic.fit_run import (
    SyntheticLapTruth,
    SyntheticRun,
    SyntheticRunSpec,
    SyntheticTruth,
    synthetic_run,
    write_synthetic_run,
)
from stridelab.synthetic.jump_video import (
    JumpVideoSpec,
    JumpVideoTruth,
    default_jump_camera,
    jump_pose,
    jump_truth,
    synthetic_jump_keypoints,
    write_jump_video,
)
from stridelab.synthetic.jumps import (
    SyntheticForcePlate,
    simulate_force_plate_jump,
    write_force_plate_csv,
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
    "JumpVideoSpec",
    "JumpVideoTruth",
    "RunnerSpec",
    "RunnerTruth",
    "StepTruth",
    "SyntheticAccel",
    "SyntheticForcePlate",
    "SyntheticLapTruth",
    "SyntheticRun",
    "SyntheticRunSpec",
    "SyntheticTruth",
    "default_jump_camera",
    "jump_pose",
    "jump_truth",
    "render_frame",
    "runner_truth",
    "simulate_accel_jumps",
    "simulate_force_plate_jump",
    "synthetic_jump_keypoints",
    "synthetic_keypoints",
    "synthetic_run",
    "write_force_plate_csv",
    "write_jump_video",
    "write_phyphox_csv",
    "write_plain_csv",
    "write_runner_video",
    "write_synthetic_run",
]
