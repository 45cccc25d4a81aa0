"""Local development: debug on, plain HTTP, email to the console."""

from .base import *  # noqa: F403
from .base import DATABASES, env, sqlite_path

DEBUG = True  # show tracebacks locally
# A fixed key is fine locally: there is nothing to protect.
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-secret-key-not-for-production")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]  # runserver only
SECURE_SSL_REDIRECT = False  # runserver speaks plain HTTP
SESSION_COOKIE_SECURE = False  # cookies over plain HTTP
CSRF_COOKIE_SECURE = False  # cookies over plain HTTP
SECURE_HSTS_SECONDS = 0  # never pin localhost to HTTPS
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # links in emails point at runserver
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
PORTAL_REQUIRE_STAFF_MFA = False  # demo logins work without an authenticator app
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` creates the demo database: a plain path lets SQLite create a missing file.
    DATABASES["default"]["NAME"] = sqlite_path(DATABASES["default"]["NAME"])
