"""Video in, pose track out.

In: a video file (any container/codec PyAV decodes; portrait, variable frame rate and
slow motion handled) or keypoints made by another tool (TRC, OpenPose JSON, our CSV).
Out: a cleaned :class:`~stridelab.video.keypoints.PoseTrack` of one runner, in image
pixels over real seconds, with per-point confidence and notes on what was corrected.
"""

from stridelab.video.clean import CleanTrack, TrackCleaner
from stridelab.video.decode import Frame, VideoInfo, check_video_usable, iter_frames, probe_video
from stridelab.video.formats import (
    load_keypoints,
    load_openpose_json,
    load_trc,
    read_keypoints_csv,
    write_keypoints_csv,
    write_trc,
)
from stridelab.video.keypoints import (
    KEYPOINTS,
    LEFT_RIGHT_PAIRS,
    PoseTrack,
    keypoint_index,
    make_pose_track,
    with_capture_fps,
)
from stridelab.video.person import PersonChoice, choose_person, parse_person_option
from stridelab.video.pose import MediaPipePoseBackend, PoseBackend, PoseEstimate, estimate_pose

__all__ = [
    "KEYPOINTS",
    "LEFT_RIGHT_PAIRS",
    "CleanTrack",
    "Frame",
    "MediaPipePoseBackend",
    "PersonChoice",
    "PoseBackend",
    "PoseEstimate",
    "PoseTrack",
    "TrackCleaner",
    "VideoInfo",
    "check_video_usable",
    "choose_person",
    "estimate_pose",
    "iter_frames",
    "keypoint_index",
    "load_keypoints",
    "load_openpose_json",
    "load_trc",
    "make_pose_track",
    "parse_person_option",
    "probe_video",
    "read_keypoints_csv",
    "with_capture_fps",
    "write_keypoints_csv",
    "write_trc",
]
