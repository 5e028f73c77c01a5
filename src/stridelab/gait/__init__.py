"""Pose track in, gait events and metrics out.

In: a cleaned :class:`~stridelab.video.keypoints.PoseTrack` (or a video, through
:func:`analyze_video`). Out: a :class:`GaitAnalysis`: initial contact and toe-off of
every step, per-step metrics (contact and flight time, foot strike, shank angle,
overstride, knee and hip angles; pelvic drop and step width from behind), their
summary with spread, left/right and a quality flag with its reason, and the JSON form
(``GaitAnalysis.to_dict()``, schema ``stridelab.gait/1``).
"""

from stridelab.gait.events import Contact, ContactDetector, GroundLine, fit_ground_line
from stridelab.gait.metrics import classify_foot_strike
from stridelab.gait.pipeline import TrackAnalysis, VideoOptions, analyze_track, analyze_video
from stridelab.gait.result import SCHEMA, GaitAnalysis, MetricSummary, Scale, Step, VideoQuality

__all__ = [
    "SCHEMA",
    "Contact",
    "ContactDetector",
    "GaitAnalysis",
    "GroundLine",
    "MetricSummary",
    "Scale",
    "Step",
    "TrackAnalysis",
    "VideoOptions",
    "VideoQuality",
    "analyze_track",
    "analyze_video",
    "classify_foot_strike",
    "fit_ground_line",
]
