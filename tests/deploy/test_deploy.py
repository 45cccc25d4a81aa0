"""deploy/: the compose file, the nginx sites, the systemd units, the env examples and the
settings they feed (REDIS_URL, sessions, media on S3) are well formed and agree."""

import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

DEPLOY = REPO / "deploy"
SETTINGS = [REPO / "portal" / "settings" / name for name in ("base.py", "production.py")]
ENV_NAME = re.compile(r'\benv(?:_bool|_list)?\(\s*"([A-Z0-9_]+)"')


# An old name read only when the new one is unset (`env("NEW", env("OLD", ...))` or
# `env("NEW", "") or env("OLD", "")`): deprecated, so the examples need not list it.
ALIAS = re.compile(r'env\(\s*"[A-Z0-9_]+",\s*(?:""\)\s*or\s*)?env\(\s*"([A-Z0-9_]+)"')


def settings_env_names() -> set[str]:
    return {name for path in SETTINGS for name in ENV_NAME.findall(path.read_text())}


def deprecated_env_names() -> set[str]:
    return {name for path in SETTINGS for name in ALIAS.findall(path.read_text())}


def example_names(path: Path) -> set[str]:
    return set(re.findall(r"^([A-Z0-9_]+)=", path.read_text(), re.MULTILINE))


# -- compose.yaml -----------------------------------------------------------------------------
def test_compose_file_has_every_service_with_health_checks_and_volumes():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "scheduler", "nginx"} <= set(services)
    assert int(services["db"]["image"].rsplit(":", 1)[1].split("-")[0]) >= 15
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["worker"]["command"] == ["worker"]
    for name in ("db", "redis", "web", "nginx"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("migrate", "worker", "scheduler"):  # no gunicorn for the image's check
        assert services[name]["healthcheck"] == {"disable": True}, name
    assert {"db", "media"} <= set(compose["volumes"])
    assert "db:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker", "migrate"):
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Containerfile"
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert "media:/data/media" in service["volumes"]
    assert (services["web"]["depends_on"]["migrate"]["condition"]
            == "service_completed_successfully")
    assert (DEPLOY / services["web"]["env_file"]).with_suffix(".env.example").exists()


def test_containerfile_builds_a_non_root_image_with_static_files_and_gunicorn():
    text = (DEPLOY / "Containerfile").read_text()
    assert text.startswith("#") and "FROM docker.io/library/python:3.11-slim-bookworm" in text
    assert "libpango-1.0-0" in text and "fonts-dejavu-core" in text
    assert re.search(r"^USER portal$", text, re.MULTILINE)
    assert 'pip install ".[redis,s3]"' in text and "collectstatic --noinput" in text
    entrypoint = (DEPLOY / "container-entrypoint.sh").read_text()
    assert "exec gunicorn portal.wsgi" in entrypoint and "db_worker" in entrypoint


@pytest.mark.parametrize("script", ["backup.sh", "restore.sh", "scale_check.sh",
                                    "scheduled.sh", "container-entrypoint.sh"])
def test_shell_scripts_parse_and_are_executable(script):
    path = DEPLOY / script
    assert os.access(path, os.X_OK)
    shell = "bash" if path.read_text().startswith("#!/usr/bin/env bash") else "sh"
    result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_scheduled_jobs_name_real_commands():
    from django.core.management import get_commands

    jobs = re.findall(r"\bmanage (\w+)", (DEPLOY / "scheduled.sh").read_text())
    assert {"publish_scheduled", "send_alerts", "refresh_rankings", "send_forum_reminders",
            "send_staleness_reminders", "forget_response_hashes"} <= set(jobs)
    assert set(jobs) <= set(get_commands())
    result = subprocess.run(["sh", str(DEPLOY / "scheduled.sh"), "hourly"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "usage:" in result.stderr


# -- the env examples -------------------------------------------------------------------------
@pytest.mark.parametrize("example", [REPO / ".env.example", DEPLOY / "portal.env.example"])
def test_env_examples_list_every_variable_the_settings_read(example):
    names, deprecated = settings_env_names(), deprecated_env_names()
    assert {"REDIS_URL", "PORTAL_MEDIA_S3_BUCKET", "DATABASE_URL"} <= names
    assert "PORTAL_REDIS_URL" in deprecated
    missing = names - deprecated - example_names(example)
    assert not missing, f"{example.name} lacks {sorted(missing)}"
    unknown = example_names(example) - names - {"DJANGO_SETTINGS_MODULE"}
    assert not unknown, f"{example.name} lists settings nothing reads: {sorted(unknown)}"


# -- nginx ------------------------------------------------------------------------------------
def nginx_test(tmp_path, site: str) -> subprocess.CompletedProcess:
    """`nginx -t` on a site inside a minimal main configuration, with a self-signed
    certificate made for the occasion in place of the real one."""
    for tool in ("nginx", "openssl"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin"):
            pytest.skip(f"{tool} is not installed (apt-get install nginx-light openssl)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    text = text.replace("server web:8000", "server 127.0.0.1:8000")  # compose's host name
    text = re.sub(r"proxy_cache_path\s+\S+", f"proxy_cache_path {tmp_path}/cache", text)
    (tmp_path / "site.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; "
        f"proxy_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n")
    nginx = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin")
    return subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c",
                           str(tmp_path / "nginx.conf")], capture_output=True, text=True)


@pytest.mark.parametrize("site", ["portal.conf", "compose.conf"])
def test_nginx_sites_pass_nginx_t(tmp_path, site):
    result = nginx_test(tmp_path, (DEPLOY / "nginx" / site).read_text())
    assert result.returncode == 0, result.stderr


def test_nginx_t_really_checks(tmp_path):
    result = nginx_test(tmp_path, "server { listen 8; no_such_directive on; }")
    assert result.returncode != 0 and "no_such_directive" in result.stderr


@pytest.mark.parametrize("site", ["portal.conf", "compose.conf"])
def test_nginx_sites_forward_the_client_and_match_the_upload_limit(site, settings):
    text = (DEPLOY / "nginx" / site).read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", text).group(1)
    assert int(limit) * 1024 * 1024 == settings.PORTAL_MAX_REQUEST_BYTES
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text  # overwritten, one proxy
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_read_timeout" in text and "ssl_certificate" in text


# -- systemd ----------------------------------------------------------------------------------
def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    units = sorted(p.name for p in (DEPLOY / "systemd").iterdir())
    assert {"portal-web.service", "portal-worker.service", "portal-scheduled@.service",
            "portal-scheduled.timer"} <= set(units)
    for name in units:  # this checkout and this user stand in for /srv/portal and "portal"
        text = (DEPLOY / "systemd" / name).read_text().replace("/srv/portal", str(REPO))
        text = text.replace("/etc/portal/portal.env", str(DEPLOY / "portal.env.example"))
        text = re.sub(r"^(User|Group)=portal$", r"\1=root", text, flags=re.MULTILINE)
        (tmp_path / name).write_text(text)
    checked = [n for n in units if not n.endswith("@.service")] + [
        "portal-scheduled@frequent.service"]
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *checked],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    timers = [n for n in units if n.endswith(".timer")]
    groups = {re.search(r"Unit=portal-scheduled@(\w+)\.service",
                        (tmp_path / n).read_text()).group(1) for n in timers}
    assert groups == {"frequent", "morning", "night", "weekly"}


# -- settings ---------------------------------------------------------------------------------
BASE = str(REPO / "portal" / "settings" / "base.py")


@pytest.mark.parametrize(("variables", "location"), [
    ({"REDIS_URL": "redis://cache:6379/0"}, "redis://cache:6379/0"),
    ({"PORTAL_REDIS_URL": "redis://old:6379/2"}, "redis://old:6379/2"),  # deprecated alias
    ({"REDIS_URL": "redis://new:6379/0", "PORTAL_REDIS_URL": "redis://old:6379/2"},
     "redis://new:6379/0"),
])
def test_redis_url_chooses_redis_for_the_cache_and_sessions(monkeypatch, variables, location):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("PORTAL_REDIS_URL", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    base = runpy.run_path(BASE)
    assert base["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert base["CACHES"]["default"]["LOCATION"] == location
    assert base["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_database_holds_cache_and_sessions(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("PORTAL_REDIS_URL", raising=False)
    base = runpy.run_path(BASE)
    assert base["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert "SESSION_ENGINE" not in base  # Django's default: database sessions


def production_settings(tmp_path, extra_path=None, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    code = ("import json; from django.conf import settings; print(json.dumps({'storage': "
            "settings.STORAGES['default'], 'img': settings.CONTENT_SECURITY_POLICY"
            "['DIRECTIVES']['img-src']}))")
    path = os.pathsep.join(p for p in (extra_path, str(REPO)) if p)
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          env={**clean, "PYTHONPATH": path,
                               "DJANGO_SETTINGS_MODULE": "portal.settings.production",
                               "DJANGO_SECRET_KEY": "s" * 50,
                               "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **env})


def test_media_on_s3_when_a_bucket_is_set(tmp_path):
    import json

    fake = tmp_path / "fake"
    (fake / "storages").mkdir(parents=True)  # stands in for django-storages, never imported
    (fake / "storages" / "__init__.py").write_text("")
    local = production_settings(tmp_path, str(fake))
    assert json.loads(local.stdout)["storage"]["BACKEND"].endswith("FileSystemStorage")
    s3 = production_settings(tmp_path, str(fake), PORTAL_MEDIA_S3_BUCKET="portal-media",
                             PORTAL_MEDIA_S3_ENDPOINT_URL="https://objects.example.net:9000")
    assert s3.returncode == 0, s3.stderr
    chosen = json.loads(s3.stdout)
    assert chosen["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["storage"]["OPTIONS"]["bucket_name"] == "portal-media"
    assert chosen["storage"]["OPTIONS"]["endpoint_url"] == "https://objects.example.net:9000"
    assert "https://objects.example.net:9000" in chosen["img"]


def test_a_bucket_without_django_storages_is_a_clear_error(tmp_path):
    import importlib.util

    if importlib.util.find_spec("storages"):
        pytest.skip("django-storages is installed here")
    result = production_settings(tmp_path, PORTAL_MEDIA_S3_BUCKET="portal-media")
    assert result.returncode != 0
    assert 'django-storages is not installed: pip install ".[s3]"' in result.stderr
