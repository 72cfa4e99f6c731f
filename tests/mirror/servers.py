"""nginx serving a static export with the shipped configs (deploy/nginx/), on a free loopback
port, from a private prefix: never the system's nginx, its config or its logs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.load.http_load import fetch
from tests.load.servers import ROOT, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
SHIPPED = ROOT / "deploy" / "nginx"
# The paths the shipped files name, replaced by the test's own.
EXPORT_PLACEHOLDER = "/srv/kratom-mirror"
SNIPPETS_PLACEHOLDER = "/etc/nginx/kratom"


def nginx_available() -> str | None:
    """Why nginx cannot run here, or None."""
    if not Path(NGINX).exists():
        return "nginx is not installed (apt-get install nginx)"
    if not BROTLI_MODULE.exists():
        return "brotli_static is not installed (apt-get install libnginx-mod-http-brotli-static)"
    return None


@dataclass
class StaticServer:
    port: int
    prefix: Path
    host: str = "127.0.0.1"

    def get(self, path: str, **headers: str):
        return fetch(self.host, self.port, path, headers)

    @property
    def log(self) -> Path:
        return self.prefix / "error.log"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _site_config(export: Path, prefix: Path, port: int, site: str, app_port: int | None) -> Path:
    """The shipped ``site`` config with the test's paths and port in place of the examples."""
    for name in ("kratom-mirror-common.conf", "kratom-app-proxy.conf"):
        shutil.copy(SHIPPED / name, prefix / name)
    text = (SHIPPED / site).read_text()
    text = text.replace(EXPORT_PLACEHOLDER, str(export)).replace(SNIPPETS_PLACEHOLDER, str(prefix))
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    if app_port is not None:
        text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    (prefix / site).write_text(text)
    return prefix / site


def _plain_config(root: Path, prefix: Path, port: int) -> Path:
    """nginx serving files as they are: no rules, no compression, its stock types."""
    config = prefix / "plain.conf"
    config.write_text(
        "include /etc/nginx/mime.types;\n"
        f"server {{\n    listen 127.0.0.1:{port};\n    root {root};\n}}\n"
    )
    return config


def _main_config(prefix: Path, server_config: Path) -> Path:
    main = prefix / "nginx.conf"
    temp = {name: prefix / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(exist_ok=True)
    main.write_text(
        f"load_module {BROTLI_MODULE};\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        # One worker: on a shared 2-core machine the load generator needs the other core.
        "worker_processes 1;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    access_log off;\n"
        "    sendfile on;\n"
        "    tcp_nopush on;\n"
        "    keepalive_requests 100000;\n"
        f"    client_body_temp_path {temp['client_body']};\n"
        f"    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n"
        f"    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        f"    include {server_config};\n"
        "}\n"
    )
    return main


@contextmanager
def nginx_serving(export: Path, *, site: str = "kratom-mirror.conf", app_port: int | None = None):
    """Run nginx with the shipped ``site`` config over ``export``; yield a
    :class:`StaticServer`."""
    with _nginx(lambda prefix, port: _site_config(export, prefix, port, site, app_port)) as server:
        yield server


@contextmanager
def plain_nginx(root: Path):
    """nginx serving the files under ``root`` with no rules at all: the floor."""
    with _nginx(lambda prefix, port: _plain_config(root, prefix, port)) as server:
        yield server


@contextmanager
def _nginx(server_config):
    prefix = Path(tempfile.mkdtemp(prefix="kratom-nginx-"))
    port = free_port()
    config = _main_config(prefix, server_config(prefix, port))
    command = [NGINX, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)  # noqa: S603
    if checked.returncode != 0:
        shutil.rmtree(prefix, ignore_errors=True)
        raise RuntimeError(f"nginx -t refused the config:\n{checked.stderr}")
    with _running(
        [*command, "-g", "daemon off;"], StaticServer(port, prefix), "nginx", signal.SIGQUIT
    ) as server:
        yield server


@contextmanager
def _running(command: list[str], server: StaticServer, name: str, stop, env=None):
    """Start ``command`` (its output in ``server.log``), yield ``server`` once it answers, and
    stop it and remove its private folder afterwards, whatever happens."""
    with server.log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 (a Debian server, our own config)
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited at start:\n{server.log_text()}")
            try:
                server.get("/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer:\n{server.log_text()}") from None
                time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(stop)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        shutil.rmtree(server.prefix, ignore_errors=True)


CADDY = shutil.which("caddy") or "/usr/bin/caddy"
CADDYFILE = ROOT / "deploy" / "caddy" / "Caddyfile"


@contextmanager
def caddy_serving(export: Path):
    """Run Caddy with the shipped Caddyfile over ``export`` on a free loopback port: plain
    http, no admin endpoint, its data in a private folder."""
    if not Path(CADDY).exists():
        raise FileNotFoundError("caddy is not installed (apt-get install caddy)")
    prefix = Path(tempfile.mkdtemp(prefix="kratom-caddy-"))
    port = free_port()
    text = CADDYFILE.read_text().replace(EXPORT_PLACEHOLDER, str(export))
    text = text.replace("kratom.example.org {", f"http://127.0.0.1:{port} {{")
    config = prefix / "Caddyfile"
    config.write_text("{\n\tadmin off\n}\n" + text)
    env = {**os.environ, "HOME": str(prefix), "XDG_DATA_HOME": str(prefix / "data")}
    env["XDG_CONFIG_HOME"] = str(prefix / "config")
    command = [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"]
    with _running(command, StaticServer(port, prefix), "caddy", signal.SIGTERM, env) as server:
        yield server
