"""Uploads: sizes checked before anything reads the file, images re-encoded with nothing of the
original but its pixels, the request body limit applied before the body is read."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.images import ADMIN_FORMATS
from portal.uploads import clean_image

from .images import (
    APPENDED,
    animated_gif,
    jpeg_with_gps,
    noisy_png,
    png_bytes,
    png_claiming,
    still_gif,
)

MB = 1024 * 1024


def refusal(content, name="photo.png", max_bytes=5 * MB, max_pixels=50_000_000, **options):
    with pytest.raises(ValidationError) as caught:
        clean_image(SimpleUploadedFile(name, content), max_bytes, max_pixels, **options)
    return caught.value


def test_anything_appended_after_the_image_is_dropped():
    original = png_bytes()
    cleaned = clean_image(SimpleUploadedFile("hall.png", original + APPENDED), 5 * MB).read()
    assert b"<html" not in cleaned and b"script" not in cleaned
    assert cleaned.endswith(b"IEND\xaeB`\x82")  # the file ends where the PNG ends
    assert Image.open(io.BytesIO(cleaned)).tobytes() == Image.open(
        io.BytesIO(original)).tobytes()


def test_exif_and_gps_are_stripped_after_the_orientation_is_applied():
    cleaned = clean_image(SimpleUploadedFile("photo.jpg", jpeg_with_gps((40, 30))), 5 * MB)
    data = cleaned.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and cleaned.name == "photo.jpg"
    assert image.size == (30, 40)  # turned as the EXIF orientation said, before it was dropped
    assert not image.getexif() and b"Exif" not in data and b"PhoneMaker" not in data


def test_png_text_and_gif_comments_are_dropped():
    cleaned = clean_image(SimpleUploadedFile("a.png", png_bytes(text="taken at 12 Acacia Avenue")),
                          5 * MB).read()
    assert b"Acacia" not in cleaned
    cleaned = clean_image(SimpleUploadedFile("a.gif", still_gif(b"12 Acacia Avenue")), 5 * MB,
                          formats=ADMIN_FORMATS).read()
    assert b"Acacia" not in cleaned and Image.open(io.BytesIO(cleaned)).format == "GIF"


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_each_photo_format_keeps_its_format(image_format):
    buffer = io.BytesIO()
    Image.new("RGBA" if image_format != "JPEG" else "RGB", (20, 10)).save(buffer, image_format)
    cleaned = clean_image(SimpleUploadedFile(f"a.{image_format.lower()}", buffer.getvalue()),
                          5 * MB)
    assert Image.open(cleaned).format == image_format


def test_a_multi_picture_jpeg_from_a_camera_is_kept_as_one_jpeg():
    first, second = Image.new("RGB", (20, 10), "red"), Image.new("RGB", (20, 10), "blue")
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    cleaned = Image.open(clean_image(SimpleUploadedFile("a.jpg", buffer.getvalue()), MB))
    assert cleaned.format == "JPEG" and not hasattr(cleaned, "n_frames")


def test_the_size_is_checked_before_the_file_is_opened():
    # Not an image at all, and too big: the answer is about the size, so nothing parsed it.
    error = refusal(b"\0" * (MB + 1), max_bytes=MB)
    assert error.code == "file_too_large"
    assert "too big (1.0\xa0MB)" in error.messages[0] and "1.0\xa0MB or less" in error.messages[0]


@pytest.mark.parametrize(("width", "height"), [(8_000, 8_000), (10_000, 10_000),
                                                (100_000, 100_000)])
def test_decompression_bombs_are_refused_from_their_header(width, height):
    # Over the portal's limit, over Pillow's warning limit, over Pillow's error limit.
    content = png_claiming(width, height)
    assert len(content) < 100
    error = refusal(content)
    assert error.code == "file_too_many_pixels"
    assert "at most 50,000,000 pixels" in error.messages[0]


def test_the_pixel_count_is_named_when_it_is_known():
    error = refusal(png_claiming(8_000, 8_000))
    assert "8,000 × 8,000" in error.messages[0]


def test_animated_images_are_refused_and_still_gifs_kept():
    assert refusal(animated_gif(), "a.gif", formats=ADMIN_FORMATS).code == "animated_image"
    assert Image.open(clean_image(SimpleUploadedFile("a.gif", still_gif()), MB,
                                  formats=ADMIN_FORMATS)).format == "GIF"


@pytest.mark.parametrize(("name", "content"), [
    ("notes.png", b"this is not an image"),
    ("cut.png", noisy_png()[:60_000]),  # image data cut short
    ("a.gif", still_gif()),  # a real image, in a format photos do not accept
    ("page.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
])
def test_files_that_are_not_accepted_images_are_refused(name, content, monkeypatch):
    from PIL import ImageFile

    # WeasyPrint turns this on for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    error = refusal(content, name)
    assert error.code == "invalid_image"
    assert "not a JPEG, PNG or WebP image" in error.messages[0]


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(client, db, settings):
    settings.PORTAL_MAX_REQUEST_BYTES = 32 * MB
    # The body declares 50 MB but is one byte: reading it would fail the test client, so the
    # 413 shows that nothing read it.
    response = client.generic("POST", "/search/", b"x", content_type="multipart/form-data; "
                              "boundary=xyz", CONTENT_LENGTH=str(50 * MB))
    assert response.status_code == 413
    html = response.content.decode()
    assert "too big" in html and "32.0\xa0MB or less" in html
    assert "Content-Security-Policy" in response.headers


def test_a_body_under_the_request_limit_goes_through(client, db, settings):
    settings.PORTAL_MAX_REQUEST_BYTES = 1024
    assert client.post("/healthz", {"a": "b"}).status_code == 405  # reached the view


@pytest.fixture
def admin_client(client, superuser, settings, tmp_path):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path
    client.force_login(superuser)
    return client


def admin_add(admin_client, name, content):
    from wagtail.models import Collection

    return admin_client.post("/admin/images/add/", {
        "title": "Upload", "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile(name, content)})


def test_admin_image_uploads_are_re_encoded(admin_client):
    from wagtail.images import get_image_model

    response = admin_add(admin_client, "hall.png", png_bytes() + APPENDED)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = admin_add(admin_client, "photo.jpg", jpeg_with_gps())
    assert response.status_code == 302
    png, jpeg = get_image_model().objects.order_by("pk")
    with png.open_file() as stored:
        assert APPENDED not in stored.read()
    with jpeg.open_file() as stored:
        data = stored.read()
    assert b"Exif" not in data and (jpeg.width, jpeg.height) == (30, 40)
    assert jpeg.file_size == len(data)


def test_admin_upload_pages_still_render(admin_client):
    for url in ("/admin/images/add/", "/admin/images/multiple/add/"):
        assert admin_client.get(url).status_code == 200


def test_admin_multiple_upload_is_re_encoded(admin_client):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    response = admin_client.post("/admin/images/multiple/add/", {
        "collection": Collection.get_first_root_node().pk,
        "files[]": SimpleUploadedFile("photo.jpg", jpeg_with_gps())})
    assert response.json()["success"]
    with get_image_model().objects.get().open_file() as stored:
        assert b"Exif" not in stored.read()


def test_admin_uploads_are_refused_for_size_before_format(admin_client, settings):
    from wagtail.images import get_image_model

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = MB
    html = admin_add(admin_client, "big.png", b"\0" * (2 * MB)).content.decode()
    assert "This file is too big (2.0\xa0MB)" in html and "Not a valid" not in html
    html = admin_add(admin_client, "bomb.png", png_claiming(100_000, 100_000)).content.decode()
    assert "too many pixels" in html
    html = admin_add(admin_client, "moving.gif", animated_gif()).content.decode()
    assert "too many pixels" not in html and "Animated images cannot be uploaded" in html
    assert not get_image_model().objects.exists()
