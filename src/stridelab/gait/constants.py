"""Vocabulary shared by the gait stage: event names, feet, views, strike classes."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "FOOT_STRIKE_CLASSES",
    "IC",
    "TO",
    "Foot",
    "FootStrike",
    "MetricQuality",
    "Surface",
    "View",
]

#: Initial contact (first frame the foot is on the ground).
IC = "ic"
#: Toe-off (last frame the foot is on the ground).
TO = "to"

Foot = Literal["left", "right"]
View = Literal["side", "rear", "front"]
Surface = Literal["treadmill", "overground"]
FootStrike = Literal["rearfoot", "midfoot", "forefoot"]
#: good: use it; fair: use with care (reason given); withheld: not reported (reason given).
MetricQuality = Literal["good", "fair", "withheld"]

FOOT_STRIKE_CLASSES: tuple[FootStrike, ...] = ("rearfoot", "midfoot", "forefoot")
