"""Cameras shared by the mobility tests: a level phone 3.2 m away, side or rear."""

from __future__ import annotations

from stridelab.synthetic.runner import CameraSpec

SIDE = CameraSpec(
    view="side", width_px=640, height_px=480, distance_m=3.2, camera_height_m=0.6, fps=20
)
REAR = CameraSpec(
    view="rear",
    width_px=480,
    height_px=640,
    distance_m=3.2,
    camera_height_m=0.9,
    fps=20,
    horizontal_fov_deg=45.0,
)
