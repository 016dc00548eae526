"""Serve the built site on 127.0.0.1 the way a web server in production would: gzip for text, long cache
lifetimes for the theme's fingerprinted assets.

    .venv/bin/python scripts/serve.py [--port 8000] [build/site]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import re
from pathlib import Path

COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".map", ".txt"}
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")


class Handler(http.server.SimpleHTTPRequestHandler):
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
    parser.add_argument("site", nargs="?", default="build/site")
    args = parser.parse_args()
    handler = functools.partial(Handler, directory=args.site)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {args.site} on http://127.0.0.1:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
