"""A single photo in, one person's keypoints out.

:func:`read_image` decodes a JPEG or PNG (Pillow), turned upright by its EXIF
orientation so that keypoints are in the pixels of the photo *as displayed*.
:func:`estimate_image_pose` runs a pose backend in static-image mode and returns a
one-frame :class:`~stridelab.video.keypoints.PoseTrack`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import NoPersonError, UnsupportedFormatError
from stridelab.video.keypoints import PoseTrack, make_pose_track
from stridelab.video.pose import MediaPipePoseBackend, PoseBackend

__all__ = ["IMAGE_FORMATS", "estimate_image_pose", "is_image", "read_image"]

#: Pillow format names accepted as photos.
IMAGE_FORMATS = ("JPEG", "PNG", "MPO", "WEBP")


def is_image(path: str | Path, /) -> bool:
    """True when Pillow recognises the file as a photo (by content, not suffix)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            return im.format in IMAGE_FORMATS
    except (UnidentifiedImageError, OSError):
        return False


def read_image(path: str | Path, /) -> NDArray[np.uint8]:
    """RGB ``uint8`` array (height, width, 3) of a photo, upright per its EXIF tag.

    Raises
    ------
    UnsupportedFormatError
        Not a JPEG/PNG/WebP photo, or unreadable.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    p = Path(path)
    try:
        with Image.open(p) as im:
            if im.format not in IMAGE_FORMATS:
                raise UnsupportedFormatError(
                    f"{p.name}: a {im.format} image; use a JPEG or PNG photo"
                )
            upright = ImageOps.exif_transpose(im)
            rgb = (upright if upright is not None else im).convert("RGB")
            return np.asarray(rgb, dtype=np.uint8).copy()
    except UnidentifiedImageError:
        raise UnsupportedFormatError(f"{p.name}: not a photo (JPEG or PNG expected)") from None
    except OSError as exc:
        raise UnsupportedFormatError(f"{p.name}: the photo cannot be read ({exc})") from None


def estimate_image_pose(path: str | Path, /, *, backend: PoseBackend | None = None) -> PoseTrack:
    """Keypoints of the most prominent person in a photo, as a one-frame track.

    Raises
    ------
    NoPersonError
        No person was found.
    """
    image = read_image(path)
    own = backend is None
    model: PoseBackend = (
        backend if backend is not None else MediaPipePoseBackend(static_image_mode=True)
    )
    try:
        estimate = model.process(image)
    finally:
        if own:
            model.close()
    name = Path(path).name
    if estimate is None:
        raise NoPersonError(
            f"{name}: no person found in the photo; the whole body must be in view, in good light"
        )
    h, w = image.shape[:2]
    return make_pose_track(
        [0.0],
        estimate.xy_px[None],
        estimate.confidence[None],
        width_px=w,
        height_px=h,
        source=model.name,
        notes=(f"photo {name}",),
    )
