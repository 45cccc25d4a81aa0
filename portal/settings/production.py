"""Production: everything comes from the environment; `manage.py check --deploy` is clean."""

import importlib.util
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    SECRET_KEY,
    SECURE_HSTS_PRELOAD,
    STORAGES,
    env,
)

DEBUG = False
if len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a long random value (at least 40 characters) in production."
    )

# Joining the browsers' HSTS preload list binds every subdomain for years, so it is the
# council's explicit choice (DJANGO_SECURE_HSTS_PRELOAD=true), not a default we warn about.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Media on S3-compatible object storage (several app servers share no disk): set
# PORTAL_MEDIA_S3_BUCKET and install the "s3" extra (django-storages). Static files stay with
# whitenoise, in the image. docs/deployment.md, "Several app servers".
PORTAL_MEDIA_S3_BUCKET = env("PORTAL_MEDIA_S3_BUCKET", "")
if PORTAL_MEDIA_S3_BUCKET:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "PORTAL_MEDIA_S3_BUCKET is set but django-storages is not installed: "
            'pip install ".[s3]".'
        )
    _S3_DOMAIN = env("PORTAL_MEDIA_S3_CUSTOM_DOMAIN", "")
    _S3_ENDPOINT = env("PORTAL_MEDIA_S3_ENDPOINT_URL", "")
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": PORTAL_MEDIA_S3_BUCKET,
                "endpoint_url": _S3_ENDPOINT or None,
                "region_name": env("PORTAL_MEDIA_S3_REGION", "") or None,
                # Empty: boto3 finds credentials itself (instance role, AWS_* variables).
                "access_key": env("PORTAL_MEDIA_S3_ACCESS_KEY_ID", "") or None,
                "secret_key": env("PORTAL_MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
                "custom_domain": _S3_DOMAIN or None,
                "location": env("PORTAL_MEDIA_S3_PREFIX", "media"),
                # The bucket's own policy decides who may read (no per-object ACL). Without
                # a custom (public) domain, links are signed and expire. A new upload never
                # replaces a file with the same name, so a shared address keeps its file.
                "default_acl": None,
                "querystring_auth": not _S3_DOMAIN,
                "file_overwrite": False,
            },
        },
    }
    # Pictures then come from the bucket's address, which the CSP must allow.
    _media = urlsplit(f"https://{_S3_DOMAIN}" if _S3_DOMAIN else _S3_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_media.scheme}://{_media.netloc}" if _media.netloc else "https://*.amazonaws.com"
    )
