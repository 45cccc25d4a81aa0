"""Production: everything comes from the environment; `manage.py check --deploy` is clean."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, SECURE_HSTS_PRELOAD

DEBUG = False
if len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a long random value (at least 40 characters) in production."
    )

# Joining the browsers' HSTS preload list binds every subdomain for years, so it is the
# council's explicit choice (DJANGO_SECURE_HSTS_PRELOAD=true), not a default we warn about.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
