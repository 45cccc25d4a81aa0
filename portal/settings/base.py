"""Production-safe base settings, configured from environment variables.

Every variable is listed in `.env.example`; `dev.py` and `test.py` relax what they must.
"""

import os
from pathlib import Path

import dj_database_url

from portal.languages import DEFAULT_OFFER, offered_languages

PORTAL_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PORTAL_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A refused form gets the portal's own page (its layout, no inline style, so it passes the CSP).
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

INSTALLED_APPS = [
    "portal.accounts",
    "portal.themes",
    "portal.neighbourhoods",
    "portal.deprivation",
    "portal.pages",
    "portal.search",
    "portal.alerts",
    "priorities",
    "plans",
    "insight",
    "portal",
    "surveys",
    "forums",
    "assets_map",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "leaflet",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, CSRF and messages middleware, so it sees what they did.
    "portal.cache_headers.PublicCacheMiddleware",
    "portal.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A first visit to an unprefixed page goes to its translation in the browser's language.
    "portal.languages.FirstVisitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.AdminAccessMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so the 413 page it answers with has the session, language and CSP of any page.
    "portal.uploads.RequestBodyLimitMiddleware",
]

# How long a shared cache or browser may keep a page answered to someone anonymous that
# depends on nothing of theirs (portal/cache_headers.py); 0 marks every page private.
PORTAL_PUBLIC_CACHE_SECONDS = int(env("PORTAL_PUBLIC_CACHE_SECONDS", "120"))

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# SQLite by default; WAL mode and a busy timeout make concurrent writers wait instead of failing.
SQLITE_PATH = env("PORTAL_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60, conn_health_checks=True
    )
}


def sqlite_uri(path):
    """An SQLite URI that opens the file read-write but never creates it (mode=rw)."""
    from urllib.parse import quote

    return f"file:{quote(os.path.abspath(path))}?mode=rw"


def sqlite_path(name):
    """The file an SQLite NAME (a path or a file: URI) points at."""
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(name).path) if name.startswith("file:") else name


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
        "uri": True,
    }
    # SQLite creates a missing file on connect: a wrong path or a lost volume would become an
    # empty database that fails every page while looking healthy. Opened with mode=rw, a
    # missing file is an error instead (portal.E003 names it; /healthz answers 503). Only
    # dev.py (`make run`) and test.py let SQLite create the file.
    if DATABASES["default"]["NAME"] and DATABASES["default"]["NAME"] != ":memory:":
        DATABASES["default"]["NAME"] = sqlite_uri(sqlite_path(DATABASES["default"]["NAME"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Each app's rules.py (django-rules) answers has_perm("app.action", obj).
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: the languages a site offers (PORTAL_LANGUAGES, comma-separated codes
# from portal/languages.py; English is always offered, first, as the default). Interface
# catalogues are in locale/; see docs/languages.md.
LANGUAGE_CODE = "en"
LANGUAGES = offered_languages(env("PORTAL_LANGUAGES", DEFAULT_OFFER), LANGUAGE_CODE)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# One date format per language ("29 November 2026", 24-hour times): portal/formats/<lang>/
# overrides Django's US-style "en" defaults ("Nov. 29, 2026, 11:04 p.m.").
FORMAT_MODULE_PATH = ["portal.formats"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# Static and media files. Whitenoise serves compressed, hashed static files; nothing from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = env("PORTAL_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PORTAL_DIR / "static"]
MEDIA_URL = env("PORTAL_MEDIA_URL", "/media/")
MEDIA_ROOT = env("PORTAL_MEDIA_ROOT", str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request and upload limits (docs/deployment.md; the proxy's body limit should match
# PORTAL_MAX_REQUEST_BYTES). A body declared larger than this is refused with 413 before any
# of it is read: three 5 MB photos, a 10 MB admin image or a 25 MB document fit under it.
PORTAL_MAX_REQUEST_BYTES = int(env("PORTAL_MAX_REQUEST_BYTES", str(32 * 1024 * 1024)))
# Form fields other than files, held in memory: Wagtail's editor posts a long page's whole
# StreamField as fields. Past this Django answers 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files above this are streamed to a temporary file, not kept in memory, so their
# size is known (and checked) before anything reads them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Images are checked for pixels from their header before they are decoded; decoding one takes
# about 4 bytes a pixel of memory (200 MB at this limit), then it is re-encoded
# (portal/uploads.py). Also Wagtail's limit for admin uploads.
PORTAL_MAX_IMAGE_PIXELS = int(env("PORTAL_MAX_IMAGE_PIXELS", "50000000"))

# One cache shared by every process: rate-limit counters (the portal's and allauth's), cache
# versions and results. The database by default (its table comes with `migrate`); Redis when
# REDIS_URL is set (install the "redis" extra). PORTAL_REDIS_URL is the old name, still read
# when REDIS_URL is not set (deprecated). Never per-process memory: a limit of 5 would be 5 per
# gunicorn worker.
REDIS_URL = env("REDIS_URL", "") or env("PORTAL_REDIS_URL", "")
PORTAL_REDIS_URL = REDIS_URL  # deprecated alias, kept for code that reads the old name
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
    # Sessions read from Redis and written through to the database: every app server sees
    # one session, a Redis restart signs nobody out. (With the database cache this would
    # only add writes, so sessions stay plain database rows there.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",  # created by `migrate` (portal/cache.py)
            "KEY_FUNCTION": "portal.cache.cache_key",  # counters are culled last
            "OPTIONS": {"MAX_ENTRIES": int(env("PORTAL_CACHE_MAX_ENTRIES", "20000"))},
        },
        # Wagtail caches each image rendition it looks up; in a database table that costs
        # more queries than the look-up it saves, so renditions are not cached (they are read
        # from the database, in one query where a page prefetches them).
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

# The client's address (rate limits, duplicate responses): REMOTE_ADDR, or with N trusted
# proxies in front the N-th X-Forwarded-For entry from the right (portal.ratelimit.client_ip,
# which allauth's adapter uses too). 0 trusts no header; unset (None) acts as 0, and the
# deployment checks ask for it (portal.W004).
PORTAL_TRUSTED_PROXY_COUNT = (
    int(env("PORTAL_TRUSTED_PROXY_COUNT")) if env("PORTAL_TRUSTED_PROXY_COUNT") else None
)
ALLAUTH_TRUSTED_PROXY_COUNT = PORTAL_TRUSTED_PROXY_COUNT or 0

# Email: SMTP in production, configured from the environment.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Neighbourhood portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production values; dev.py and test.py relax the HTTPS ones.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# A load balancer probing the app over plain HTTP must see the health check's real answer,
# not a redirect it may count as healthy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Map tiles are configurable; an empty URL draws maps without a base layer (used in tests).
PORTAL_MAP_TILES_URL = env("PORTAL_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
PORTAL_MAP_TILES_ATTRIBUTION = env(
    "PORTAL_MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def _tiles_origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}.", ""))
    if not parts.scheme:
        return None
    return f"{parts.scheme}://*.{parts.hostname}" if "{s}" in url else (
        f"{parts.scheme}://{parts.hostname}"
    )


_TILES_ORIGIN = _tiles_origin(PORTAL_MAP_TILES_URL)

# The public site runs with a strict Content Security Policy: no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_TILES_ORIGIN] if _TILES_ORIGIN else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (
        float(env("PORTAL_MAP_CENTER_LAT", "51.5585")),
        float(env("PORTAL_MAP_CENTER_LNG", "-0.2817")),
    ),
    "DEFAULT_ZOOM": int(env("PORTAL_MAP_ZOOM", "12")),
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("Map", PORTAL_MAP_TILES_URL, {"attribution": PORTAL_MAP_TILES_ATTRIBUTION})]
    if PORTAL_MAP_TILES_URL
    else [],
    "RESET_VIEW": False,
}

# Postcode look-up: an offline table by default (import it from the ONS Postcode Directory).
PORTAL_GEOCODER = env("PORTAL_GEOCODER", "portal.neighbourhoods.geocoding.OfflinePostcodeGeocoder")
PORTAL_GEOCODER_URL = env("PORTAL_GEOCODER_URL", "")
# Postcode districts (outward codes: NW10,NW2,HA9) the area covers. A postcode missing from the
# table is "not in our area" outside them and "we could not find it" inside them. Empty: worked
# out from the postcodes inside a neighbourhood (docs/data-formats.md, "Postcodes").
PORTAL_POSTCODE_DISTRICTS = [code.upper() for code in env_list("PORTAL_POSTCODE_DISTRICTS")]
PORTAL_SUPPRESSION_THRESHOLD = int(env("PORTAL_SUPPRESSION_THRESHOLD", "5"))

# Wagtail
WAGTAIL_SITE_NAME = env("PORTAL_SITE_NAME", "Neighbourhood portal")
# The portal's public address (environment: PORTAL_BASE_URL): every link in an email and the
# Wagtail admin's; never the request's host. Production must set it (deploy check portal.E004).
PORTAL_SITE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = PORTAL_MAX_IMAGE_PIXELS
# Still images only (portal/uploads.py says why animation is refused); each is re-encoded.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.images.PortalImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 25 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests that reveal who is signed in

# Accounts (django-allauth): email login, mandatory verification, rate limits, TOTP for staff.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Counted in the shared cache per account ("key": the email address) and per client address
# (portal.ratelimit.client_ip). allauth checks a list in order and stops at the first refusal,
# so the per-account limit comes first: guessing one account's password uses at most 5 of the
# address's allowance per 5 minutes and never locks anyone else out, while a spray across
# accounts is stopped by the per-address limit, set high enough for a venue's shared wifi.
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "5/5m/key,30/15m/ip",
    "signup": "20/m/ip,100/h/ip",
    "confirm_email": "1/1m/key",
    "reset_password": "5/5m/key,20/m/ip",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "3/m/key,20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_ADAPTER = "portal.accounts.adapter.PortalAccountAdapter"  # emails via the task queue
ACCOUNT_FORMS = {
    "signup": "portal.accounts.forms.PortalSignupForm",
    "login": "portal.accounts.forms.PortalLoginForm",
    "reset_password": "portal.accounts.forms.PortalResetPasswordForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", True)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The largest feedback file (CSV or XLSX) an officer may import (insight/importing_files.py).
INSIGHT_IMPORT_MAX_MB = int(env("INSIGHT_IMPORT_MAX_MB", "20"))
# Suggested codes: a theme is suggested when the classifier is at least this sure (0..1), and it
# retrains in the background after this many new codings.
INSIGHT_SUGGESTION_THRESHOLD = float(env("INSIGHT_SUGGESTION_THRESHOLD", "0.35"))
INSIGHT_RETRAIN_EVERY = int(env("INSIGHT_RETRAIN_EVERY", "200"))
# Who is told (through the task queue, a link and never the text) when an item of community
# insight is flagged for safeguarding; empty: PRIORITIES_SAFEGUARDING_EMAIL, then the site's.
INSIGHT_SAFEGUARDING_EMAIL = env("INSIGHT_SAFEGUARDING_EMAIL", "")
# /healthz fails when a queued task has waited longer than this for a worker (0: never).
PORTAL_HEALTH_TASK_BACKLOG_SECONDS = int(env("PORTAL_HEALTH_TASK_BACKLOG_SECONDS", "900"))
# Plan PDFs: one render runs in a child process of the task worker, stopped after this many
# seconds or when it needs more than this many megabytes of address space (0: no limit) and
# marked failed; a render waiting this many minutes for the worker is shown as stuck, with a
# "Try again" that each visitor may press this many times an hour.
# (PORTAL_PDF_RENDER_TIMEOUT is the older name of PORTAL_PDF_TIMEOUT_SECONDS.)
PORTAL_PDF_TIMEOUT_SECONDS = int(env("PORTAL_PDF_TIMEOUT_SECONDS",
                                     env("PORTAL_PDF_RENDER_TIMEOUT", "120")))
PORTAL_PDF_MEMORY_MB = int(env("PORTAL_PDF_MEMORY_MB", "1536"))
PORTAL_PDF_STUCK_MINUTES = int(env("PORTAL_PDF_STUCK_MINUTES", "5"))
PORTAL_PDF_RETRIES_PER_HOUR = int(env("PORTAL_PDF_RETRIES_PER_HOUR", "10"))
# Survey responses keep keyed hashes of the address and browser (duplicate checks) until this
# many days after their survey closes; `forget_response_hashes` (daily) then clears them.
PORTAL_RESPONSE_HASH_RETENTION_DAYS = int(env("PORTAL_RESPONSE_HASH_RETENTION_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}
