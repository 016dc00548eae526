"""How long an editor waits, with `outreach serve` running, from saving a file to seeing the change.

    .venv/bin/python scripts/bench_serve.py [--runs 5]

In a copy of the project (the repository's files are not touched) and in Debian's Chromium:
  1. one Vietnamese heading of a handbook chapter → until the reloaded chapter page shows it;
  2. the same heading's Korean msgstr → until the reloaded Korean page shows it;
  3. one leaflet heading → until the print preview shows the new vi-en leaflet pages;
and, side by side in the same run, `mkdocs serve --dirtyreload` on the same generated mkdocs project:
the same heading edited in its generated Markdown → until its reloaded page shows it.
Prints the median (and min–max) of each over the runs, and the ratio to mkdocs serve. Targets: a text edit
reaches the page in ≤ 2 s, the leaflet preview in ≤ 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HEADING = re.compile(r"^(\s+heading: )(.+)$", re.M)


def marker(n: int) -> str:
    """A word no text holds (letters only: a digit in a text is an error)."""
    return "Zq" + "".join(string.ascii_lowercase[(n * 7 + i * 3) % 26] for i in range(6))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_state(url: str, test, timeout: float = 300) -> dict:
    deadline, since = time.monotonic() + timeout, -1
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}__outreach/wait?since={since}", timeout=60) as response:
            state = json.load(response)
        if test(state):
            return state
        since = state["generation"]
    raise SystemExit(f"serve did not reach the state in {timeout} s: {state}")


def settle(url: str) -> None:
    """Until serve has built everything the last change asked for (site and preview) without errors."""
    time.sleep(1)  # the watcher's debounce: the change has reached the builder
    state = wait_state(url, lambda s: not s["building"], timeout=900)
    if state["errors"]:
        raise SystemExit("serve reports errors: " + "\n".join(state["errors"]))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_heading(path: Path) -> str:
    match = HEADING.search(path.read_text(encoding="utf-8"))
    if not match:
        raise SystemExit(f"{path}: no heading to edit")
    return match.group(2).strip()


def timed(page, change, text: str, selector: str = "article") -> float:
    """Seconds from the save to the page showing ``text`` (polled every animation frame)."""
    started = time.monotonic()
    change()
    page.wait_for_function(f"(() => {{ const e = document.querySelector({json.dumps(selector)}) || document.body;"
                           f" return !!e && e.innerText.includes({json.dumps(text)}); }})()",
                           timeout=120000, polling="raf")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, work / name)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    chapter = sorted((work / "content" / "handbook").glob("*.yaml"))[0]
    chapter = next(p for p in sorted(chapter.parent.glob("*.yaml")) if "kind: chapter" in p.read_text("utf-8"))
    chapter_id = re.search(r"^id: (\S+)", chapter.read_text("utf-8"), re.M).group(1)
    handbook = re.search(r"^handbook: (\S+)", chapter.read_text("utf-8"), re.M).group(1)
    leaflet = sorted((work / "content" / "leaflets").glob("*.yaml"))[0]
    leaflet_id = re.search(r"^id: (\S+)", leaflet.read_text("utf-8"), re.M).group(1)
    po = work / "locales" / "ko" / "LC_MESSAGES" / "messages.po"

    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "bench-serve.log", "w", encoding="utf-8")  # serve's own messages
    serve = subprocess.Popen([str(PYTHON), "-m", "outreach", "--root", str(work), "serve", "--port", str(port)],
                             stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as from a terminal
    url = f"http://127.0.0.1:{port}/"
    results: dict[str, list[float]] = {"vi sentence → page": [], "ko msgstr → page": [],
                                       "leaflet text → preview": [], "mkdocs serve --dirtyreload": []}
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        wait_state(url, lambda s: not s["building"] and s["preview"] and not s["errors"]
                   and len(s["built"]) >= 5, timeout=900)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            chapter_url = f"{url}vi/handbooks/{handbook}/{chapter_id}/"
            ko_url = f"{url}ko/handbooks/{handbook}/{chapter_id}/"
            for run in range(args.runs):
                # 1. a Vietnamese sentence
                page.goto(chapter_url)
                old, new = first_heading(chapter), f"{first_heading(chapter)} {marker(run)}"
                results["vi sentence → page"].append(timed(page, lambda: replace_once(chapter, old, new), new))
                replace_once(chapter, new, old)
                settle(url)
                # 2. a Korean msgstr (of the chapter's title, shown on its page)
                page.goto(ko_url)
                title = re.search(rf'msgctxt "chapter\.{chapter_id}:title"\nmsgid "[^"]*"\nmsgstr "([^"]+)"',
                                  po.read_text("utf-8")).group(1)
                word = marker(run + 50)
                results["ko msgstr → page"].append(timed(
                    page, lambda: replace_once(po, f'msgstr "{title}"', f'msgstr "{title} {word}"'), word))
                replace_once(po, f'msgstr "{title} {word}"', f'msgstr "{title}"')
                settle(url)
                # 3. a leaflet text, until the preview shows the new pages
                page.goto(f"{url}__preview/")
                selector = f"#leaflet-{leaflet_id}\\.vi-en img"
                before = page.get_attribute(selector, "src")
                old_l = first_heading(leaflet)
                # one character changed (the panels are full: a longer heading would not fit, by design)
                new_l = old_l[:-1] + ("." if old_l[-1] != "." else "!")
                started = time.monotonic()
                replace_once(leaflet, old_l, new_l)
                page.wait_for_function(f"(() => {{ const i = document.querySelector({json.dumps(selector)});"
                                       f" return i && i.getAttribute('src') !== {json.dumps(before)} && i.complete"
                                       f" && i.naturalWidth > 0; }})()", timeout=180000, polling="raf")
                results["leaflet text → preview"].append(time.monotonic() - started)
                replace_once(leaflet, new_l, old_l)
                settle(url)
            serve.send_signal(signal.SIGINT)
            serve.wait(60)

            # the same generated project under mkdocs serve --dirtyreload
            generated = work / "build" / "serve" / "work" / "vi"
            docs_page = next(generated.glob(f"docs/handbooks/{handbook}/{chapter_id}*"))
            docs_page = docs_page / "index.md" if docs_page.is_dir() else docs_page
            mk_port = free_port()
            # mkdocs aborts a dirty build in strict mode ("A 'dirty' build is being performed"): not strict here
            loose = generated / "mkdocs-serve.yml"
            loose.write_text(f"INHERIT: {generated / 'mkdocs.yml'}\nstrict: false\n", encoding="utf-8")
            mkdocs = subprocess.Popen([str(ROOT / ".venv" / "bin" / "mkdocs"), "serve", "--dirtyreload", "-f",
                                       str(loose), "-a", f"127.0.0.1:{mk_port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                mk_url = f"http://127.0.0.1:{mk_port}/vi/handbooks/{handbook}/{chapter_id}/"  # under site_url's path
                for _ in range(600):
                    try:
                        urllib.request.urlopen(mk_url, timeout=1)
                        break
                    except OSError:
                        if mkdocs.poll() is not None:
                            raise SystemExit("mkdocs serve stopped")
                        time.sleep(0.2)
                for run in range(args.runs):
                    page.goto(mk_url)
                    page.wait_for_timeout(500)
                    heading = page.inner_text("article h2").strip().rstrip("¶").strip()
                    word = marker(run + 130)
                    results["mkdocs serve --dirtyreload"].append(timed(
                        page, lambda: replace_once(docs_page, heading, f"{heading} {word}"), word))
            finally:
                mkdocs.terminate()
                mkdocs.wait(30)
            browser.close()
    finally:
        if serve.poll() is None:
            serve.kill()
        shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(results["mkdocs serve --dirtyreload"])
    print(f"{'edit → visible':<30} {'median':>8} {'min':>7} {'max':>7} {'vs mkdocs serve':>16}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<30} {median:>7.2f}s {min(times):>6.2f}s {max(times):>6.2f}s {median / base:>15.2f}×")
    print(f"({args.runs} runs each, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
