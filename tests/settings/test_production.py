"""Production configuration: deployment checks, and static files as whitenoise serves them."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import REPO

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-check-secret-" + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "portal.example.gov.uk",
    "PORTAL_BASE_URL": "https://portal.example.gov.uk",
    "PORTAL_TRUSTED_PROXY_COUNT": "1",  # nginx in front, as docs/deployment.md prescribes
}


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "PORTAL_")) and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    database = tmp_path / "db.sqlite3"
    database.touch()  # production settings never create the database file themselves
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV,
                        DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("command", "variable"), [
    (["check"], "DATABASE_URL"), (["migrate", "--noinput"], "PORTAL_SQLITE_PATH")])
def test_production_refuses_a_missing_sqlite_file_instead_of_creating_it(
        tmp_path, command, variable):
    missing = tmp_path / "nonexistent.sqlite3"
    value = f"sqlite:///{missing}" if variable == "DATABASE_URL" else str(missing)
    result = run_manage(*command, **PRODUCTION_ENV, **{variable: value})
    assert result.returncode != 0
    # Said first, in words: `check` as portal.E003, other commands as they start.
    assert result.stderr.startswith(("SystemCheckError", "The SQLite database file"))
    assert f"{missing} (database 'default') does not exist" in result.stderr
    assert not missing.exists()


def test_production_migrates_a_database_file_created_on_purpose(tmp_path):
    database = tmp_path / "db.sqlite3"
    database.touch()
    result = run_manage("migrate", "--noinput", "contenttypes", **PRODUCTION_ENV,
                        PORTAL_SQLITE_PATH=str(database))
    assert result.returncode == 0, result.stderr
    assert database.stat().st_size > 0


def test_development_settings_still_create_the_demo_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    result = run_manage("migrate", "--noinput", "contenttypes",
                        DJANGO_SETTINGS_MODULE="portal.settings.dev",
                        PORTAL_SQLITE_PATH=str(database))
    assert result.returncode == 0, result.stderr
    assert database.stat().st_size > 0


def test_production_refuses_a_missing_or_short_secret_key():
    result = run_manage("check", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_render_with_hashed_compressed_static_files(client, demo_site, tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        # The admin's own files (half the time) play no part in a public page.
        call_command("collectstatic", "--noinput", "--ignore", "wagtailadmin", verbosity=0)
        html = client.get("/neighbourhoods/harlesden/").content.decode()
    assert "/static/portal/css/portal." in html and ".css" in html
    assert "portal/css/portal.css\"" not in html  # the hashed name is used
    assert (tmp_path / "leaflet" / "images" / "layers.png").exists()
    assert list(tmp_path.glob("portal/css/portal.*.css.gz"))
