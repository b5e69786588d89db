"""Photos sent with a tip: JPEG or PNG only, size-limited, decoded and re-encoded as a JPEG of at
most 1600 px so nothing of the original file survives — no EXIF (photos carry GPS positions and
phone models), no comments, no trailing bytes. A file that is not an image is refused."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lianfang.core.errors import InvalidInput

MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 3
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded

Photo = tuple[bytes, int, int]  # re-encoded JPEG, width, height


def _refuse(message: str) -> InvalidInput:
    return InvalidInput("invalid_photo", message, {"photos": [message]})


def reencode(content: bytes) -> Photo:
    """One uploaded file as a clean JPEG, or ``InvalidInput`` on the ``photos`` field."""
    if len(content) > MAX_BYTES:
        raise _refuse(_("每张照片不能超过 %(mb)s MB。") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ("JPEG", "PNG"):
                raise _refuse(_("只能上传 JPG 或 PNG 格式的照片。"))
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(_("照片尺寸过大。"))
            upright = ImageOps.exif_transpose(image)  # keep what the camera meant as upright
            clean = (upright or image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise _refuse(_("文件不是有效的照片。")) from exc
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: none is written
    return out.getvalue(), clean.width, clean.height


def reencode_all(files: list[bytes]) -> list[Photo]:
    if len(files) > MAX_PHOTOS:
        raise _refuse(_("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS})
    return [reencode(content) for content in files]
