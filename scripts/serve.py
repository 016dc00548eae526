"""Serve the built site on 127.0.0.1 as it is served in production: Debian's nginx with deploy/nginx.conf
(precompressed .br and .gz, cache headers, Content-Security-Policy, Accept-Language at /).

    .venv/bin/python scripts/serve.py [--port 8000] [build/site]

nginx runs in the foreground as this user, with its configuration, logs and temporary files in a temporary
folder; deploy/nginx.conf is used as it is, but for its listen, server_name and root lines. Without nginx
(`apt install nginx libnginx-mod-http-brotli-static`), --python serves with Python's server and gzip.
The tests and the benchmarks start nginx through ``nginx()`` here.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MODULES = Path("/usr/lib/nginx/modules")
LOG_FORMAT = "$msec $status $bytes_sent $request_method $request_uri"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(site: Path, workdir: Path, port: int) -> Path:
    """A complete nginx configuration around deploy/nginx.conf, listening on 127.0.0.1:port, serving site."""
    rules = DEPLOY.read_text(encoding="utf-8")
    rules = re.sub(r"^(\s*)listen\s+[^;]+;\n", "", rules, flags=re.M)
    rules = re.sub(r"^(\s*)server_name\s+[^;]+;", rf"\1listen 127.0.0.1:{port};\n\1server_name localhost;",
                   rules, count=1, flags=re.M)
    rules = re.sub(r"^(\s*)root\s+[^;]+;", rf"\1root {site.resolve()};", rules, count=1, flags=re.M)
    (workdir / "site.conf").write_text(rules, encoding="utf-8")
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    modules = "".join(f"load_module {module};\n" for module in sorted(MODULES.glob("ngx_http_brotli_*.so")))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the site where the tests put it
    main = f"""{modules}{user}worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format outreach '{LOG_FORMAT}';
    access_log {workdir}/access.log outreach;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
    sendfile on;
    include {workdir}/site.conf;
}}
"""
    path = workdir / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


class Nginx:
    def __init__(self, base: str, workdir: Path, process: subprocess.Popen):
        self.base, self.workdir, self.process = base, workdir, process

    @property
    def access_log(self) -> Path:
        return self.workdir / "access.log"

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8").splitlines() if self.access_log.exists() else []


@contextlib.contextmanager
def nginx(site: Path, port: int | None = None):
    """Debian's nginx serving ``site`` with deploy/nginx.conf on 127.0.0.1; yields an Nginx (base URL, log)."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="outreach-nginx-") as tmp:
        workdir = Path(tmp)
        config = nginx_config(site, workdir, port)
        check = subprocess.run([NGINX, "-t", "-q", "-p", str(workdir), "-e", str(workdir / "error.log"),
                                "-c", str(config)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx rejects the configuration: {check.stderr.strip()}")
        process = subprocess.Popen([NGINX, "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(config)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                if process.poll() is not None:
                    raise RuntimeError(f"nginx stopped: {process.stderr.read().decode()}")
                time.sleep(0.05)
            yield Nginx(f"http://127.0.0.1:{port}/", workdir, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".map", ".txt"}
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Python's server with gzip, for a machine without nginx."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirect to the directory URL
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or path.suffix not in COMPRESS or not accepts:
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if FINGERPRINTED.search(path.name)
                         else "no-cache")
        self.end_headers()
        return io.BytesIO(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--python", action="store_true", help="Python's server with gzip instead of nginx")
    parser.add_argument("site", nargs="?", default="build/site")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop nginx too when this script is stopped
    if args.python:
        handler = functools.partial(Handler, directory=args.site)
        with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
            print(f"serving {args.site} on http://127.0.0.1:{args.port}/ (Python, gzip)", flush=True)
            server.serve_forever()
    with nginx(Path(args.site), args.port) as server:
        print(f"serving {args.site} on {server.base} (nginx with deploy/nginx.conf)", flush=True)
        try:
            server.process.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
