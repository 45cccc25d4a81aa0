"""The scale check's private services: PostgreSQL, Redis, two gunicorn app servers, one task
worker and nginx, all on loopback ports of their own in one temporary folder, all stopped by
`Services.stop()` (the driver calls it on every exit, a signal included)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PG_PORT, REDIS_PORT, APP_PORTS, NGINX_PORT = 55432, 56379, (58001, 58002), 58080
PG_BIN = Path("/usr/lib/postgresql")

NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    # The micro-cache of deploy/nginx/portal.conf: anonymous pages the app marks public.
    proxy_cache_path {tmp}/nginx-cache levels=1:2 keys_zone=portal_pages:10m max_size=256m
                     inactive=10m use_temp_path=off;
    upstream portal {{
        server 127.0.0.1:{app1} max_fails=0;
        server 127.0.0.1:{app2} max_fails=0;
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 32m;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_connect_timeout 5s;
            proxy_read_timeout 120s;
            proxy_cache portal_pages;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout http_502 http_503;
            proxy_cache_background_update on;
            proxy_cache_bypass $cookie_sessionid $http_authorization;
            proxy_no_cache $cookie_sessionid $http_authorization;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


def pg_bin(name: str) -> str:
    versions = sorted((p for p in PG_BIN.glob("*") if p.name.isdigit()), key=lambda p: int(p.name))
    if not versions:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql).")
    return str(versions[-1] / "bin" / name)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        # As the servers bind: connections of a previous run in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Services:
    def __init__(self, workers: int = 2, reuse: str = ""):
        """`reuse`: a folder kept by an earlier run (SCALE_CHECK_KEEP=1), whose database and
        static files are used again instead of being built (for working on the checks)."""
        self.reused = bool(reuse)
        self.tmp = Path(reuse) if reuse else (
            Path(os.environ.get("TMPDIR", "/tmp")) / f"portal-scale-{secrets.token_hex(4)}")
        self.tmp.mkdir(mode=0o755, exist_ok=self.reused)
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.workers = workers
        self.pg_data = self.tmp / "pg"
        self.pg_started = False
        self.database_url = f"postgres://portal@127.0.0.1:{PG_PORT}/portal"
        self.env = {
            **{k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "PORTAL_")) and k not in ("DATABASE_URL",
                                                                         "REDIS_URL")},
            "DJANGO_SETTINGS_MODULE": "scale_check_settings",
            "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(REPO)]),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",  # nginx listens on plain HTTP here
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{NGINX_PORT}",
            "PORTAL_TRUSTED_PROXY_COUNT": "1",
            "PORTAL_STATIC_ROOT": str(self.tmp / "static"),
            "PORTAL_MEDIA_ROOT": str(self.tmp / "media"),
            "PORTAL_MAP_TILES_URL": "",  # nothing from the internet
            "PORTAL_REQUIRE_STAFF_MFA": "false",
        }

    # -- helpers -------------------------------------------------------------------------
    def as_postgres(self, command: list[str]) -> list[str]:
        """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
        if os.geteuid() != 0:
            return command
        return ["runuser", "-u", "postgres", "--", *command]

    def manage(self, *args: str, capture: bool = False, timeout: int = 1800) -> str:
        """A manage.py command with the scale check's settings (system checks are `make
        check`'s job, not repeated for every command here)."""
        checks = [] if args[0] == "shell" else ["--skip-checks"]
        result = subprocess.run([sys.executable, "manage.py", *args, *checks],
                                cwd=REPO, env=self.env,
                                capture_output=capture, text=True, timeout=timeout)
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n"
                             f"{result.stdout or ''}{result.stderr or ''}")
        return result.stdout or ""

    def spawn(self, name: str, command: list[str], **kwargs) -> None:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115  # closed with the folder
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, **kwargs)
        self.processes.append((name, process))

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.tmp / f"{name}.log"
        return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else ""

    # -- start ---------------------------------------------------------------------------
    def check_ports(self) -> None:
        busy = [p for p in (PG_PORT, REDIS_PORT, *APP_PORTS, NGINX_PORT) if not port_free(p)]
        if busy:
            raise SystemExit(f"Ports in use: {busy}. Is another scale check running?")

    def start_postgres(self) -> None:
        if self.reused:
            self.pg_ctl_start()
            return
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres", "postgres")
        subprocess.run(self.as_postgres([pg_bin("initdb"), "-D", str(self.pg_data), "-A",
                                         "trust", "-U", "portal", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
        self.pg_ctl_start()
        subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U",
                        "portal", "portal"], check=True)

    def pg_ctl_start(self) -> None:
        options = (f"-p {PG_PORT} -k {self.pg_data} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200")
        subprocess.run(self.as_postgres([pg_bin("pg_ctl"), "-D", str(self.pg_data), "-o",
                                         options, "-l", str(self.pg_data / "log"), "-w",
                                         "start"]), check=True, capture_output=True)
        self.pg_started = True

    def start_redis(self) -> None:
        self.spawn("redis", ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(self.tmp),
                             "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"])
        wait_for(lambda: not port_free(REDIS_PORT), "redis-server", 20)

    def start_apps(self) -> None:
        for number, port in enumerate(APP_PORTS, start=1):
            self.spawn(f"app{number}", [sys.executable, "-m", "gunicorn", "portal.wsgi",
                                        "--bind", f"127.0.0.1:{port}",
                                        "--workers", str(self.workers), "--timeout", "120",
                                        "--log-level", "warning"], cwd=REPO, env=self.env)
        self.spawn("worker", [sys.executable, "manage.py", "db_worker", "--no-reload",
                              "--verbosity", "0", "--skip-checks"], cwd=REPO, env=self.env)
        conf = self.tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, app1=APP_PORTS[0], app2=APP_PORTS[1],
                                          port=NGINX_PORT))
        self.spawn("nginx", ["nginx", "-c", str(conf), "-p", str(self.tmp), "-g",
                             "daemon off;"])
        for port in (*APP_PORTS, NGINX_PORT):
            wait_for(lambda port=port: healthy(port), f"/healthz on port {port}", 90)

    # -- stop ----------------------------------------------------------------------------
    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.pg_started:
            subprocess.run(self.as_postgres([pg_bin("pg_ctl"), "-D", str(self.pg_data), "-m",
                                             "fast", "-w", "stop"]), capture_output=True)
        if os.environ.get("SCALE_CHECK_KEEP") or self.reused:
            print(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def healthy(port: int) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                     headers={"Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(ready, what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.5)
    raise SystemExit(f"{what} did not come up within {seconds:.0f} s")
