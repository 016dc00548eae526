"""What a first visit costs a reader's data plan: every byte the server sends, background included.

    .venv/bin/python scripts/bench_weight.py [build/site] [--idle SECONDS]

Serves the built site with Debian's nginx and deploy/nginx.conf (precompressed files, as in production; see
scripts/serve.py), opens pages in Debian's Chromium with a fresh profile each (a first visit), and adds up the
bytes nginx sent — headers included, the service worker's own requests included — until nothing has been
requested for 5 seconds. Budget: 100 KB per first visit, unless the reader asks to keep the language for offline
reading. Also shows what opening the search adds, and what keeping the language costs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve  # noqa: E402

from outreach import languages  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["", "handbooks/so-tay/vao-dang/", "courses/awareness/awareness-1/"]
LANGUAGES = [lang.code for lang in languages.configure(Path(__file__).resolve().parent.parent / "content")]
BUDGET = 100 * 1024


def settle(server: serve.Nginx, start: int, idle: float) -> list[str]:
    """The log lines from ``start`` on, once nginx has had no request for ``idle`` seconds."""
    seen, quiet_since = len(server.log_lines()), time.monotonic()
    while time.monotonic() - quiet_since < idle:
        time.sleep(0.25)
        count = len(server.log_lines())
        if count != seen:
            seen, quiet_since = count, time.monotonic()
    return server.log_lines()[start:]


def sent(lines: list[str]) -> int:
    return sum(int(line.split()[2]) for line in lines)


def first_visit(browser, server: serve.Nginx, url: str, idle: float, connection: dict | None = None):
    """Bytes and requests of a first visit of ``url``, until the network is idle."""
    context = browser.new_context(viewport={"width": 412, "height": 860})
    if connection is not None:
        context.add_init_script(
            f"Object.defineProperty(navigator, 'connection', {{ value: {connection!r}, configurable: true }});"
            .replace("True", "true").replace("False", "false"))
    page = context.new_page()
    start = len(server.log_lines())
    page.goto(url)
    lines = settle(server, start, idle)
    return context, page, lines


def measure(site: Path, idle: float) -> int:
    failed = 0
    with serve.nginx(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        print(f"{'first visit of':<46} {'requests':>8} {'KB sent':>8}")
        for lang in LANGUAGES:
            for page_path in PAGES:
                context, page, lines = first_visit(browser, server, f"{server.base}{lang}/{page_path}", idle)
                total = sent(lines)
                over = total > BUDGET
                failed += over
                print(f"{lang + '/' + page_path:<46} {len(lines):>8} {total / 1024:>8.1f}{'  over budget' if over else ''}")
                if page_path == PAGES[1]:
                    start = len(server.log_lines())
                    page.click("label[for=__search]")
                    page.locator("input.md-search__input").fill("x")
                    search = settle(server, start, 1.5)
                    start = len(server.log_lines())
                    page.keyboard.press("Escape")
                    page.eval_on_selector(".keep-offline button", "button => button.click()")
                    page.wait_for_selector(".keep-offline[data-kept=true]", timeout=120000)
                    kept = settle(server, start, 1.5)
                    shown = page.inner_text(".keep-offline").strip() or "?"
                    print(f"{'  + opening the search':<46} {len(search):>8} {sent(search) / 1024:>8.1f}")
                    print(f"{'  + keeping the language (asked)':<46} {len(kept):>8} {sent(kept) / 1024:>8.1f}"
                          f"  ({shown[:60]})")
                context.close()
        # Save-Data on a Wi-Fi connection: nothing more than the page; Wi-Fi without Save-Data: the whole language
        for label, connection in (("Wi-Fi, Save-Data on", {"type": "wifi", "saveData": True}),
                                  ("Wi-Fi, Save-Data off", {"type": "wifi", "saveData": False})):
            context, page, lines = first_visit(browser, server, f"{server.base}vi/{PAGES[1]}", idle, connection)
            print(f"{'vi/' + PAGES[1] + ' (' + label + ')':<46} {len(lines):>8} {sent(lines) / 1024:>8.1f}")
            context.close()
        browser.close()
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="build/site")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds without a request that end a visit")
    args = parser.parse_args()
    return 1 if measure(Path(args.site), args.idle) else 0


if __name__ == "__main__":
    sys.exit(main())
