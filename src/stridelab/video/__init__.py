"""Video in, pose track out.

In: a video file (any container/codec PyAV decodes; portrait, variable frame rate and
slow motion handled) or keypoints made by another tool (TRC, OpenPose JSON, our CSV).
Out: a cleaned :class:`~stridelab.video.keypoints.PoseTrack` of one runner, in image
pixels over real seconds, with per-point confidence and notes on what was corrected.
"""

from stridelab.video.keypoints import (
    KEYPOINTS,
    LEFT_RIGHT_PAIRS,
    PoseTrack,
    keypoint_index,
    make_pose_track,
)

__all__ = [
    "KEYPOINTS",
    "LEFT_RIGHT_PAIRS",
    "PoseTrack",
    "keypoint_index",
    "make_pose_track",
]
