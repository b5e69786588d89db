"""Photos are re-encoded: what a phone wrote into the file (GPS, model) is not stored."""

import io

import pytest
from PIL import Image

from lianfang.cases import photos
from lianfang.core.errors import InvalidInput


def _jpeg_with_exif(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerX"  # Make
    exif[0x0110] = "ModelY-2020"  # Model
    exif.get_ifd(0x8825)[2] = (36.0, 6.0, 0.0)  # GPSLatitude: Lanzhou
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_with_gps_exif_is_stored_without_it():
    original = _jpeg_with_exif()
    assert b"PhoneMakerX" in original
    stored, width, height = photos.reencode(original)
    assert b"PhoneMakerX" not in stored and b"ModelY" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert again.format == "JPEG" and not again.getexif()
    assert (width, height) == (64, 48)


def test_a_large_picture_is_scaled_down():
    _stored, width, height = photos.reencode(_jpeg_with_exif((4000, 3000)))
    assert max(width, height) == photos.MAX_SIDE


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 not an image", b"GIF89a" + b"\x00" * 20, b""],
)
def test_a_file_that_is_not_a_jpeg_or_png_is_refused(content):
    with pytest.raises(InvalidInput) as exc:
        photos.reencode(content)
    assert "photos" in exc.value.fields


def test_a_gif_is_refused_even_when_it_is_a_real_image():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF")
    with pytest.raises(InvalidInput):
        photos.reencode(out.getvalue())


def test_a_file_over_the_size_limit_is_refused_before_decoding():
    with pytest.raises(InvalidInput) as exc:
        photos.reencode(b"\xff\xd8" + b"0" * (photos.MAX_BYTES + 1))
    assert "MB" in exc.value.message


def test_at_most_three_photos():
    with pytest.raises(InvalidInput):
        photos.reencode_all([_jpeg_with_exif()] * 4)
