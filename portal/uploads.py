"""Uploads: size limits checked before anything reads the file, and images re-encoded.

An uploaded image is never stored as it came. `clean_image` checks the size Django already
knows (the multipart parser streamed the file to a temporary file, not memory), reads only the
image header to check its pixels, refuses animation, then decodes it and writes a fresh file
with Pillow: EXIF (GPS included), XMP, comments and text chunks are dropped, the EXIF
orientation is applied first, and anything appended after the image data (an HTML page, a
zip) is left behind. JPEG, PNG, WebP, GIF and AVIF keep their format.

Animated images are refused rather than flattened: motion that starts by itself and cannot be
paused fails WCAG 2.2.2, and keeping only the first frame would be a silent loss.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import warnings
from collections.abc import Callable, Iterable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

# Pillow format name -> the file extensions that name it (the first is used when renaming).
FORMAT_EXTENSIONS = {
    "JPEG": ("jpg", "jpeg"),
    "PNG": ("png",),
    "WEBP": ("webp",),
    "GIF": ("gif",),
    "AVIF": ("avif",),
}
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
              "GIF": "image/gif", "AVIF": "image/avif"}

MESSAGES = {
    "file_too_large": _("The file is too big (%(size)s). Choose an image of %(limit)s or less."),
    "file_too_many_pixels": _(
        "The image has too many pixels (%(pixels)s). Choose one of at most %(limit)s pixels, "
        "or make it smaller first."),
    "invalid_image": _("This file is not a %(formats)s image, or it is damaged."),
    "animated_image": _("Animated images cannot be uploaded: they keep moving with no way to "
                        "pause them. Choose a still image."),
}


def max_image_pixels() -> int:
    """The most pixels an uploaded image may have (settings.PORTAL_MAX_IMAGE_PIXELS)."""
    return settings.PORTAL_MAX_IMAGE_PIXELS


_strict = threading.Lock()


@contextlib.contextmanager
def _refuse_truncated_images():
    """Pillow's LOAD_TRUNCATED_IMAGES for the duration: WeasyPrint sets it to True for the
    whole process when it is imported, which would store a cut-off upload padded with grey.
    Web workers run one request at a time, so nothing else decodes meanwhile."""
    with _strict:
        previous, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _error(code: str, messages: dict | None, **params) -> ValidationError:
    message = (messages or {}).get(code) or MESSAGES[code]
    return ValidationError(message, code=code, params=params)


def _formats_text(formats: Iterable[str]) -> str:
    """"JPEG, PNG or WebP"."""
    names = [{"WEBP": "WebP"}.get(name, name) for name in formats]
    if len(names) == 1:
        return names[0]
    return gettext("%(list)s or %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def check_file_size(upload, max_bytes: int | None, messages: dict | None = None) -> None:
    """Refuse an upload over `max_bytes` from its size alone, before anything reads it."""
    size = getattr(upload, "size", None)
    if max_bytes is not None and (size is None or size > max_bytes):
        raise _error("file_too_large", messages, size=filesizeformat(size or 0),
                     limit=filesizeformat(max_bytes))


def clean_image(upload, max_bytes: int | None, max_pixels: int | None = None, *,
                formats: Iterable[str] = PHOTO_FORMATS,
                messages: dict | None = None) -> ContentFile:
    """The upload re-encoded as a fresh image file of the same format, without metadata.

    Raises ValidationError (codes file_too_large, file_too_many_pixels, invalid_image,
    animated_image) with a message for the person uploading; `messages` overrides them.
    """
    formats = tuple(formats)
    max_pixels = max_image_pixels() if max_pixels is None else max_pixels
    check_file_size(upload, max_bytes, messages)
    invalid = _error("invalid_image", messages, formats=_formats_text(formats))
    # Pillow refuses a decompression bomb before it says how big it is.
    too_many_pixels = _error("file_too_many_pixels", messages, limit=f"{max_pixels:,}",
                             pixels=gettext("more than %(count)s") % {
                                 "count": f"{min(max_pixels, Image.MAX_IMAGE_PIXELS):,}"})
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow warns past Image.MAX_IMAGE_PIXELS and fails at twice that; both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only the header is read here; JPEG may come back as MPO (a camera's extra frames).
            image = Image.open(upload, formats=formats)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except Exception:  # noqa: BLE001 (any parser failure means "not an image we accept")
            raise invalid from None
        width, height = image.size
        if width * height > max_pixels:
            raise _error("file_too_many_pixels", messages, pixels=f"{width:,} × {height:,}",
                         limit=f"{max_pixels:,}")
        source_format = "JPEG" if image.format == "MPO" else image.format
        if source_format not in formats:
            raise invalid
        if source_format != "JPEG" and getattr(image, "n_frames", 1) > 1:
            raise _error("animated_image", messages)
        try:
            with _refuse_truncated_images():
                image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except Exception:  # noqa: BLE001 (truncated or corrupt image data)
            raise invalid from None
    try:
        data = _encode(image, source_format)
    except (OSError, ValueError):  # a mode the format cannot hold: never a server error
        raise invalid from None
    return ContentFile(data, name=_file_name(upload.name, source_format))


def _encode(image: Image.Image, image_format: str) -> bytes:
    """The pixels, the palette, transparency and colour profile; nothing else of the source."""
    source_info, image.info = image.info, {}  # some encoders fall back to info (GIF comments)
    options = {}
    if source_info.get("icc_profile"):
        options["icc_profile"] = source_info["icc_profile"]
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in source_info
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=90)
    elif image_format in ("PNG", "GIF"):
        if "transparency" in source_info:
            options["transparency"] = source_info["transparency"]
    elif image_format in ("WEBP", "AVIF"):
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if has_alpha else "RGB")
        options.update(quality=90)
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _file_name(name: str | None, image_format: str) -> str:
    """The uploaded name, with an extension that says what the file now is."""
    stem, extension = os.path.splitext(os.path.basename(name or "image"))
    extensions = FORMAT_EXTENSIONS[image_format]
    extension = extension[1:].lower()
    return f"{stem or 'image'}.{extension if extension in extensions else extensions[0]}"


class CleanImageField(forms.FileField):
    """An image upload, checked in the cheap order (size, extension, header, pixels) and
    cleaned to the re-encoded file that `clean_image` returns."""

    def __init__(self, *, max_bytes: int | Callable[[], int], max_pixels=None,
                 formats: Iterable[str] = PHOTO_FORMATS, extensions: Iterable[str] = (),
                 **kwargs):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.formats = tuple(formats)
        self.extensions = list(extensions) or [
            extension for name in self.formats for extension in FORMAT_EXTENSIONS[name]]
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        max_bytes = self.max_bytes() if callable(self.max_bytes) else self.max_bytes
        max_pixels = self.max_pixels() if callable(self.max_pixels) else self.max_pixels
        check_file_size(upload, max_bytes, self.error_messages)
        FileExtensionValidator(self.extensions)(upload)
        return clean_image(upload, max_bytes, max_pixels, formats=self.formats,
                           messages=self.error_messages)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(MIME_TYPES[name] for name in self.formats)
        return attrs


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose declared body is over settings.PORTAL_MAX_REQUEST_BYTES,
    before any of it is read: the same limit as the proxy's, for when there is no proxy.

    Nothing reads a request body until a view (or CSRF's process_view) asks for it, and
    returning here means no view runs, so the body is never read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.PORTAL_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for an unreadable length either
        if limit and length > limit:
            return render(request, "413.html", {"limit": filesizeformat(limit)}, status=413)
        return self.get_response(request)
