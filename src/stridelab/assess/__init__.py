"""Test the engine: jump and hop tests from a video, a force plate or a phone accelerometer.

In: a side-view video (feet visible), a force-plate CSV (time and vertical force, one or
two plates, ≥ 500 Hz) or a phone accelerometer CSV (phyphox export or ``time,ax,ay,az``).
Out: a :class:`~stridelab.assess.result.JumpTestResult`: every jump or hop with flight and
contact time, height (by flight time and, on a force plate, by impulse–momentum), RSI,
peak force and rate of force development, and a summary with the stated uncertainty
and the method used. :func:`analyze_jump_file` finds the input kind from the content.
The mobility and stability self-tests by camera are in :mod:`stridelab.assess.mobility`.
"""

from stridelab.assess.accelerometer import AccelTrace, analyze_accelerometer, load_accelerometer_csv
from stridelab.assess.force_plate import (
    ForcePlateJumpDetector,
    ForcePlateTrace,
    analyze_force_plate,
    load_force_plate_csv,
)
from stridelab.assess.jumps import analyze_jump_file, detect_jump_input
from stridelab.assess.result import JUMP_TESTS, Jump, JumpTestResult, height_from_flight_cm
from stridelab.assess.video_jumps import VideoJumpDetector, analyze_jump_track, analyze_jump_video

__all__ = [
    "JUMP_TESTS",
    "AccelTrace",
    "ForcePlateJumpDetector",
    "ForcePlateTrace",
    "Jump",
    "JumpTestResult",
    "VideoJumpDetector",
    "analyze_accelerometer",
    "analyze_force_plate",
    "analyze_jump_file",
    "analyze_jump_track",
    "analyze_jump_video",
    "detect_jump_input",
    "height_from_flight_cm",
    "load_accelerometer_csv",
    "load_force_plate_csv",
]
