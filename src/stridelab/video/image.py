"""A single photo in, one person's keypoints out.

:func:`read_image` decodes a JPEG or PNG (Pillow), turned upright by its EXIF
orientation so that keypoints are in the pixels of the photo *as displayed*.
:func:`estimate_image_pose` runs a pose backend in static-image mode and returns a
one-frame :class:`~stridelab.video.keypoints.PoseTrack`. BlazePose finds one person
per image, not necessarily the largest, so the photo is searched again with that person
blanked out; when a second person is found, the taller of the two is measured and the
track's notes say so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import NoPersonError, UnsupportedFormatError
from stridelab.video.keypoints import PoseTrack, make_pose_track
from stridelab.video.pose import Box, MediaPipePoseBackend, PoseBackend, PoseEstimate

__all__ = [
    "IMAGE_FORMATS",
    "estimate_image_pose",
    "is_image",
    "read_image",
    "unsupported_photo_format",
]

#: Pillow format names accepted as photos.
IMAGE_FORMATS = ("JPEG", "PNG", "MPO", "WEBP")
#: Keypoints below this confidence do not count toward a person's outline.
_OUTLINE_CONF = 0.3
#: A second person shorter than this fraction of the photo's height is ignored.
_MIN_PERSON_FRACTION = 0.15


def _outline(estimate: PoseEstimate) -> Box | None:
    return Box.around(estimate.xy_px[estimate.confidence > _OUTLINE_CONF])


def _second_person(
    model: PoseBackend, image: NDArray[np.uint8], first: PoseEstimate
) -> PoseEstimate | None:
    """Another person in ``image`` once ``first`` is blanked out (None when there is none)."""
    box = _outline(first)
    if box is None:
        return None
    h, w = image.shape[:2]
    work = image.copy()
    m = box.expanded(1.15, w, h)
    work[int(m.y0) : int(np.ceil(m.y1)), int(m.x0) : int(np.ceil(m.x1))] = np.median(
        image[::8, ::8].reshape(-1, 3), axis=0
    ).astype(np.uint8)
    model.reset()
    other = model.process(work)
    other_box = None if other is None else _outline(other)
    if other is None or other_box is None or other_box.height < _MIN_PERSON_FRACTION * h:
        return None
    return other


#: ISO-BMFF major brands of photos Pillow cannot read (a phone's default HEIC, AVIF).
_UNREADABLE_PHOTO_BRANDS = {
    **dict.fromkeys((b"heic", b"heix", b"heim", b"heis", b"mif1"), "HEIC/HEIF"),
    b"avif": "AVIF",
}


def unsupported_photo_format(path: str | Path, /) -> str | None:
    """``"HEIC/HEIF"`` or ``"AVIF"`` when the file is such a photo (by its ``ftyp`` box),
    which stridelab cannot decode, else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return None
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    return _UNREADABLE_PHOTO_BRANDS.get(head[8:12])


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
    name = Path(path).name
    notes = [f"photo {name}"]
    try:
        estimate = model.process(image)
        other = None if estimate is None else _second_person(model, image, estimate)
    finally:
        if own:
            model.close()
    if estimate is None:
        raise NoPersonError(
            f"{name}: no person found in the photo; the whole body must be in view, in good light"
        )
    if other is not None:
        boxes = [_outline(e) for e in (estimate, other)]
        heights = [b.height if b is not None else 0.0 for b in boxes]
        if heights[1] > heights[0]:
            estimate, boxes = other, boxes[::-1]
        chosen = boxes[0]
        where = f" (centred at x = {chosen.centre[0]:.0f} px)" if chosen is not None else ""
        notes.append(
            f"more than one person in the photo: the tallest{where} was measured; crop the "
            "photo to the person tested if that is not them"
        )
    h, w = image.shape[:2]
    return make_pose_track(
        [0.0],
        estimate.xy_px[None],
        estimate.confidence[None],
        width_px=w,
        height_px=h,
        source=model.name,
        notes=tuple(notes),
    )
