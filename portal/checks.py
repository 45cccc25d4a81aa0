"""System checks that report missing or wrong configuration before it bites."""

import logging
import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    problems = []
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend")):
        problems.append(Warning(
            "Email is not sent: DJANGO_EMAIL_BACKEND is a development backend.",
            hint="Use the SMTP backend and set DJANGO_EMAIL_HOST.", id="portal.W001",
        ))
    problems.extend(check_site_url())
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache", "filebased.FileBasedCache")):
        problems.append(Warning(
            "The default cache is not shared by the web server's processes: rate limits "
            "(sign-in included) would count per process, and cache versions would disagree.",
            hint="Leave CACHES as the settings define it (the database), or set "
                 "REDIS_URL.", id="portal.W003",
        ))
    if getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", None) is None:
        problems.append(Warning(
            "PORTAL_TRUSTED_PROXY_COUNT is not set. Behind a proxy every resident would share "
            "its address, and one person could use up everyone's rate limits.",
            hint="Set it to the number of proxies in front of gunicorn that you run (1 for "
                 "nginx or Caddy on the same machine), or to 0 if nothing is in front. See "
                 "docs/deployment.md.", id="portal.W004",
        ))
    return problems


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver")


def check_site_url() -> list:
    """PORTAL_SITE_URL (environment PORTAL_BASE_URL) must be the public https address: every
    link in an email is built on it, so a missing or local one sends residents nowhere."""
    url = str(getattr(settings, "PORTAL_SITE_URL", "") or "")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = host in LOOPBACK_HOSTS or host.endswith(".localhost") or host.startswith("127.")
    if parts.scheme not in ("http", "https") or not host or local:
        return [Error(
            f"PORTAL_BASE_URL is {repr(url) if url else 'not set'}: links in emails would "
            "not reach anyone.",
            hint="Set PORTAL_BASE_URL to the portal's public address, for example "
                 "https://neighbourhoods.example.gov.uk.", id="portal.E004",
        )]
    if parts.scheme != "https":
        return [Warning(
            "PORTAL_BASE_URL is not an https address: links in emails would be sent over "
            "plain HTTP.", hint="Use the https:// address.", id="portal.W002",
        )]
    return []


@register()
def check_portal_settings(app_configs, **kwargs):
    problems = []
    if settings.PORTAL_SUPPRESSION_THRESHOLD < 1:
        problems.append(Error(
            "PORTAL_SUPPRESSION_THRESHOLD must be at least 1.",
            hint="Counts below it are hidden so nobody can be singled out; 5 is the default.",
            id="portal.E001",
        ))
    tiles = settings.PORTAL_MAP_TILES_URL
    if tiles and not all(part in tiles for part in ("{z}", "{x}", "{y}")):
        problems.append(Error(
            "PORTAL_MAP_TILES_URL must contain {z}, {x} and {y}.",
            hint="For example https://tile.openstreetmap.org/{z}/{x}/{y}.png, or leave it "
                 "empty to draw maps without a base layer.",
            id="portal.E002",
        ))
    return problems


SQLITE_HINT = (
    "These settings never create it, so a wrong path or a lost volume cannot become an empty "
    "database. Set DATABASE_URL or PORTAL_SQLITE_PATH to the right file, or create a new one "
    "on purpose: `touch` the file, then run `manage.py migrate` (`make run` creates the demo "
    "database itself)."
)


def _missing_sqlite_file(database: dict) -> str | None:
    """The file a database must open without creating it, if that file is missing."""
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") != "django.db.backends.sqlite3" or not name.startswith("file:"):
        return None
    parts = urlsplit(name)
    if parse_qs(parts.query).get("mode", [""])[-1] not in ("ro", "rw"):
        return None  # mode=rwc (or none): SQLite may create it
    path = unquote(parts.path)
    return None if os.path.exists(path) else path


def missing_sqlite_files() -> list[str]:
    """"The SQLite database file ... does not exist" for each database whose file is missing."""
    return [f"The SQLite database file {path} (database '{alias}') does not exist."
            for alias, database in settings.DATABASES.items()
            if (path := _missing_sqlite_file(database))]


def log_missing_sqlite_files() -> None:
    """Say so at start-up, before anything fails to connect: gunicorn runs no system checks,
    and `migrate` would otherwise stop at the first query with SQLite's "unable to open"."""
    for problem in missing_sqlite_files():
        logging.getLogger("portal").error("%s %s", problem, SQLITE_HINT)


@register()
def check_sqlite_file(app_configs, **kwargs):
    """Production settings never create an SQLite file: a missing one is an error at start-up."""
    return [Error(problem, hint=SQLITE_HINT, id="portal.E003")
            for problem in missing_sqlite_files()]
