"""Test settings: fast hashing, in-memory email, no map tiles, no network."""

import os

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, LEAFLET_CONFIG, sqlite_path

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # tests only
ALLOWED_HOSTS = ["*"]  # the test client and live server use several host names
SECURE_SSL_REDIRECT = False  # the test client and live server speak plain HTTP
SESSION_COOKIE_SECURE = False  # cookies over plain HTTP
CSRF_COOKIE_SECURE = False  # cookies over plain HTTP
SECURE_HSTS_SECONDS = 0  # no HSTS for the live server
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # inspect mail.outbox
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # links in emails point at the live server
PORTAL_SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"  # the test client's host
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405  # no collectstatic before tests
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
WHITENOISE_AUTOREFRESH = True  # serve static files straight from the finders
WHITENOISE_USE_FINDERS = True
PORTAL_MAP_TILES_URL = ""  # nothing may be fetched from the internet in tests
LEAFLET_CONFIG["TILES"] = []
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = ["'self'", "data:"]
PORTAL_GEOCODER = "portal.neighbourhoods.geocoding.OfflinePostcodeGeocoder"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The test runner creates (and deletes) its own database file.
    DATABASES["default"]["NAME"] = sqlite_path(DATABASES["default"]["NAME"])  # noqa: F405
    # A file, not memory, so the live server's thread has a connection of its own; one per
    # process, so two test runs on one machine do not share it.
    _TEST_DB_DIR = BASE_DIR / "test-artifacts"  # noqa: F405
    _TEST_DB_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_DB_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
