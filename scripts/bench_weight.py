"""What a first visit costs a reader's data plan: bytes transferred, gzip-compressed, per page.

    .venv/bin/python scripts/bench_weight.py [build/site]

Serves the built site on 127.0.0.1, opens pages in Debian's Chromium (a fresh profile each: a first visit),
and sums every response the page loads, compressed with gzip as a web server would send it. The search index
is reported apart: it loads only when the reader opens the search. Target: at most 100 KB for a handbook page.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["handbooks/so-tay/vao-dang/", "courses/awareness/awareness-1/"]
LANGUAGES = ["vi", "en", "ko", "zh-Hans", "ja"]
BUDGET = 100 * 1024


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure(site: Path) -> list[tuple[str, int, int, int]]:
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for lang in LANGUAGES:
            for page_path in PAGES:
                context = browser.new_context(viewport={"width": 412, "height": 860})
                page = context.new_page()
                urls: list[str] = []
                page.on("requestfinished", lambda request: urls.append(request.url))
                page.goto(f"{base}{lang}/{page_path}", wait_until="networkidle")
                page.wait_for_timeout(500)
                total = raw = requests = 0
                for url in dict.fromkeys(urls):
                    path = urlsplit(url).path
                    if path.endswith("search_index.json") or "/sw.js" in path:
                        continue
                    file = site / path.lstrip("/")
                    if file.is_dir():
                        file = file / "index.html"
                    if not file.exists():
                        continue
                    data = file.read_bytes()
                    raw += len(data)
                    total += len(gzip.compress(data, 6))
                    requests += 1
                rows.append((f"{lang}/{page_path}", requests, raw, total))
                context.close()
        browser.close()
    server.shutdown()
    return rows


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "build/site")
    rows = measure(site)
    print(f"{'page':<42} {'requests':>8} {'raw KB':>8} {'gzip KB':>8}")
    for name, requests, raw, total in rows:
        flag = "" if total <= BUDGET else "  over budget"
        print(f"{name:<42} {requests:>8} {raw / 1024:>8.1f} {total / 1024:>8.1f}{flag}")
    index = {lang: len(gzip.compress((site / lang / "search/search_index.json").read_bytes(), 6)) / 1024
             for lang in LANGUAGES}
    print("search index, gzip KB (loaded only when search opens): "
          + ", ".join(f"{lang} {size:.0f}" for lang, size in index.items()))
    return 0 if all(total <= BUDGET for name, _, _, total in rows if "/handbooks/" in f"/{name}") else 1


if __name__ == "__main__":
    sys.exit(main())
