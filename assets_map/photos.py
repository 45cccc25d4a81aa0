"""Asset photos: the limits, storing an upload as a Wagtail image, and signed references to it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from wagtail.images import get_image_model
from wagtail.models import Collection

PHOTO_SALT = "assets_map.photo"


def max_photo_bytes() -> int:
    """The largest photo an organisation may upload (settings.ASSETS_MAP_MAX_PHOTO_BYTES)."""
    return getattr(settings, "ASSETS_MAP_MAX_PHOTO_BYTES", 5 * 1024 * 1024)


def max_photos() -> int:
    """How many photos an asset may have (settings.ASSETS_MAP_MAX_PHOTOS)."""
    return getattr(settings, "ASSETS_MAP_MAX_PHOTOS", 10)


def store_photo(upload, description: str, title: str):
    """Save an uploaded photo as a Wagtail image in the root collection; returns the image.

    The image is not shown anywhere until a version of an asset that uses it is published.
    """
    Image = get_image_model()
    image = Image(title=(title or upload.name)[:255], description=description[:255],
                  collection=Collection.get_first_root_node())
    image.file.save(upload.name, upload, save=False)
    image.save()
    return image


def photo_token(image_id: int) -> str:
    """A signed reference to an uploaded image, so a form can keep it between requests
    without letting anyone point at somebody else's image."""
    return signing.dumps(image_id, salt=PHOTO_SALT)


def image_id_from_token(token: str) -> int | None:
    """The image id a photo_token signs, or None if the token is forged or damaged."""
    try:
        value = signing.loads(token, salt=PHOTO_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
