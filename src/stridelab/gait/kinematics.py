"""Pure functions for segment and joint angles in the ground frame.

All take (..., 2) arrays in the ground frame of :func:`stridelab.gait.events.ground_frame`
(u forward along the ground, v up) and return degrees.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "foot_angle_deg",
    "joint_flexion_deg",
    "segment_angle_from_vertical_deg",
]


def foot_angle_deg(heel: NDArray[np.float64], toe: NDArray[np.float64], /) -> NDArray[np.float64]:
    """Heel→toe line against the ground; positive when the toes are up."""
    d = toe - heel
    return np.degrees(np.arctan2(d[..., 1], d[..., 0]))


def segment_angle_from_vertical_deg(
    top: NDArray[np.float64], bottom: NDArray[np.float64], /
) -> NDArray[np.float64]:
    """Angle of the segment top→bottom from the downward vertical.

    Positive when ``bottom`` is ahead of ``top`` (e.g. the shank with the ankle in front
    of the knee at contact); negative when behind (the thigh at toe-off).
    """
    d = bottom - top
    return np.degrees(np.arctan2(d[..., 0], -d[..., 1]))


def joint_flexion_deg(
    proximal: NDArray[np.float64], joint: NDArray[np.float64], distal: NDArray[np.float64], /
) -> NDArray[np.float64]:
    """180° minus the angle between the two segments at ``joint`` (0 = straight)."""
    a = proximal - joint
    b = distal - joint
    cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
