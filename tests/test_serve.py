"""`outreach serve` as an editor uses it: a real server process, real files saved, Debian's Chromium."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import fill_catalogs, replaced, write_project
from .test_browser import CHROMIUM, LANGS, browser  # noqa: F401  (browser: Debian's Chromium, a fixture)

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def as_in_a_terminal() -> None:
    """Ctrl-C as a terminal gives it: a shell starts a background job (a CI runner's, say) with SIGINT
    ignored, and a process that starts so keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Serve:
    """`outreach serve --port 0` in a project folder; knows its address once it says it."""

    def __init__(self, root: Path, *options: str):
        self.root = root
        self.process = subprocess.Popen([sys.executable, "-m", "outreach", "serve", "--port", "0", *options],
                                        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=as_in_a_terminal)
        self.lines: list[str] = []
        first = self.process.stdout.readline()
        self.lines.append(first)
        match = re.search(r"serving (http://127\.0\.0\.1:\d+/)", first)
        assert match, first
        self.url = match.group(1)

    def state(self, since: int = -1) -> dict:
        with urllib.request.urlopen(f"{self.url}__outreach/wait?since={since}", timeout=30) as response:
            return json.load(response)

    def wait_built(self, timeout: float = 120) -> dict:
        """Until a build has ended (every language in the site)."""
        deadline = time.monotonic() + timeout
        state = self.state()
        while time.monotonic() < deadline:
            if not state["building"] and (state["errors"] or all(code in state["built"] for code in LANGS)):
                return state
            state = self.state(state["generation"])
        raise AssertionError(f"no build ended in {timeout} s: {state}")

    def wait_preview(self, timeout: float = 180) -> dict:
        """Until the print preview shows its first product."""
        deadline = time.monotonic() + timeout
        state = self.state()
        while state["preview"] == 0 and time.monotonic() < deadline:
            state = self.state(state["generation"])
        assert state["preview"], state
        return state

    def stop(self, signum: int = signal.SIGINT) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        out, _ = self.process.communicate(timeout=60)
        return self.process.returncode, "".join(self.lines) + out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    root = write_project(tmp_path / "project")
    fill_catalogs(root)
    return root


@pytest.fixture
def server(project):
    serve = Serve(project, "--no-preview")
    serve.wait_built()
    yield serve
    serve.stop()


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_serves_every_language_with_the_reload_script(server):
    for code in LANGS:
        with urllib.request.urlopen(f"{server.url}{code}/leaflets/test/") as response:
            page = response.read().decode()
        assert f'lang="{code}"' in page
        assert f'data-key="{code}"' in page and "/__outreach/live.js" in page
    with urllib.request.urlopen(f"{server.url}vi/") as response:
        assert "Tài liệu thử" in response.read().decode()
    # no service worker in the preview: it would answer with stale pages
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{server.url}vi/sw.js")
    assert error.value.code == 404


def test_the_served_site_is_finished_as_the_built_one(server):
    """The site generator's hooks finish the site under serve too: the sitemap lists every language of each
    page (at the address serve gives it), the search index is plain text."""
    with urllib.request.urlopen(f"{server.url}ko/sitemap.xml") as response:
        sitemap = response.read().decode()
    for code in LANGS:
        assert (f'<xhtml:link rel="alternate" hreflang="{code}" href="{server.url}{code}/leaflets/test/"/>'
                in sitemap)
    with urllib.request.urlopen(f"{server.url}ko/search/search_index.json") as response:
        index = json.load(response)
    assert index["config"]["plain"] is True and all("<" not in doc["text"] for doc in index["docs"])


def test_an_edit_reaches_the_open_page(server, tab, project):
    tab.goto(f"{server.url}vi/leaflets/test/")
    assert "Tỉnh hỗ trợ" in tab.inner_text("article")
    edit(project / "content/leaflets/test.yaml", "heading: Tỉnh hỗ trợ", "heading: Tỉnh luôn đồng hành")
    tab.wait_for_function("document.querySelector('article').innerText.includes('Tỉnh luôn đồng hành')",
                          timeout=30000)
    assert "Tỉnh hỗ trợ" not in tab.inner_text("article")


def test_a_catalog_edit_reaches_the_translated_page(server, tab, project):
    tab.goto(f"{server.url}ko/leaflets/test/")
    assert "입당 절차" in tab.inner_text("article")
    edit(project / "locales/ko/LC_MESSAGES/messages.po", 'msgstr "입당 절차"', 'msgstr "당원이 되는 길"')
    tab.wait_for_function("document.querySelector('article').innerText.includes('당원이 되는 길')", timeout=30000)


def test_an_error_shows_over_the_last_good_page_and_clears_when_fixed(server, tab, project):
    tab.goto(f"{server.url}en/leaflets/test/")
    leaflet = project / "content/leaflets/test.yaml"
    good = leaflet.read_text(encoding="utf-8")
    leaflet.write_text(replaced(good, "    heading: Đề nghị", "    headng: Đề nghị"), encoding="utf-8")
    tab.wait_for_selector("#outreach-errors", timeout=30000)
    shown = tab.inner_text("#outreach-errors")
    assert re.search(r"content/leaflets/test\.yaml:\d+:\d+: error: unknown field 'headng'", shown), shown
    assert "headng: Đề nghị" in shown and "help:" in shown
    assert "How a worker joins the Party" in tab.inner_text("article")  # the last good page, underneath
    leaflet.write_text(replaced(good, "Gặp chúng tôi.", "Hãy gặp chúng tôi."), encoding="utf-8")
    tab.wait_for_selector("#outreach-errors", state="detached", timeout=30000)
    tab.wait_for_function("document.querySelector('article').innerText.includes('Hãy gặp chúng tôi')",
                          timeout=30000)


def test_two_quick_saves_end_in_the_state_of_the_second(server, tab, project):
    tab.goto(f"{server.url}vi/leaflets/test/")
    leaflet = project / "content/leaflets/test.yaml"
    edit(leaflet, "heading: Đề nghị", "heading: Lần lưu thứ nhất")
    time.sleep(0.15)
    edit(leaflet, "heading: Lần lưu thứ nhất", "heading: Lần lưu thứ hai")
    tab.wait_for_function("document.querySelector('article').innerText.includes('Lần lưu thứ hai')",
                          timeout=30000)
    state = server.wait_built()
    time.sleep(1)
    state = server.state()
    assert not state["building"] and not state["errors"]
    tab.reload()
    assert "Lần lưu thứ hai" in tab.inner_text("article")
    assert "Lần lưu thứ nhất" not in tab.inner_text("article")


def test_the_print_preview_shows_the_leaflet_pages_and_refreshes(project, tab):
    serve = Serve(project, "--language", "en")
    try:
        serve.wait_preview()
        tab.goto(f"{serve.url}__preview/")
        images = tab.locator("#leaflet-test\\.vi-en img")
        assert images.count() == 2
        first = images.first.get_attribute("src")
        assert tab.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 100)")
        # the leaflets first, each product one link away; a page image is kept by the browser (named by version)
        assert tab.eval_on_selector_all("section[id]", "all => all.map(s => s.id)") == ["leaflet-test.vi-en"]
        assert tab.locator("nav a[href='#leaflet-test.vi-en']").count() == 1
        with urllib.request.urlopen(serve.url + first.lstrip("/")) as response:
            assert response.headers["Content-Type"] == "image/png"
            assert "immutable" in response.headers["Cache-Control"]
        edit(project / "content/leaflets/test.yaml", "body: Xin liên hệ.", "body: Xin liên hệ với Ban.")
        tab.wait_for_function(f"document.querySelector('#leaflet-test\\\\.vi-en img').getAttribute('src') "
                              f"!== {json.dumps(first)}", timeout=90000)
        # a panel that no longer fits is an error on the preview, naming the panel and the pair
        edit(project / "content/leaflets/test.yaml", "body: Gặp chúng tôi.",
             "body: |\n" + "      - Gặp.\n" * 70)  # short enough for the length check, too many lines
        tab.wait_for_selector("#outreach-errors", timeout=90000)
        shown = tab.inner_text("#outreach-errors")
        assert "does not fit panel 'inside" in shown and "Tiếng Việt – English" in shown, shown
    finally:
        serve.stop()


def test_ctrl_c_stops_cleanly_and_nothing_is_written_outside_build(project):
    before = sorted(p.relative_to(project) for p in project.rglob("*") if "build" not in p.parts)
    serve = Serve(project, "--no-preview")
    serve.wait_built()
    code, output = serve.stop()
    assert code == 0, output
    assert "Traceback" not in output
    assert output.rstrip().endswith("stopped")
    after = sorted(p.relative_to(project) for p in project.rglob("*") if "build" not in p.parts)
    assert after == before
    assert (project / "build" / "serve" / "site" / "vi" / "index.html").exists()


def test_ctrl_c_while_the_preview_renders_stops_at_once(project):
    """The preview renders one product after another; Ctrl-C does not wait for the rest of them."""
    serve = Serve(project)
    try:
        serve.wait_preview()
    finally:
        started = time.monotonic()
        code, output = serve.stop()
    assert code == 0, output
    assert "Traceback" not in output
    assert output.rstrip().endswith("stopped"), output
    assert time.monotonic() - started < 30, output
    rendered = re.findall(r"^preview: .*\(\d+ pages?\)$", output, re.M)
    assert 1 <= len(rendered) <= 2, output  # the first, and the one being rendered when Ctrl-C came; no more


def test_sigterm_stops_it_as_ctrl_c_does(project):
    """What a process manager sends."""
    serve = Serve(project, "--no-preview")
    serve.wait_built()
    code, output = serve.stop(signal.SIGTERM)
    assert code == 0, output
    assert "Traceback" not in output
    assert output.rstrip().endswith("stopped"), output


def test_the_preview_lists_the_leaflets_before_the_handbooks():
    from outreach.serve import listed

    stems = ("handbook-so-tay.vi", "leaflet-owners.vi-en", "leaflet-owners.vi-ko", "handbook-so-tay.en",
             "leaflet-owners.vi-zh-Hans")  # in the order of the print jobs (the languages' order)
    products = {stem: {"stem": stem, "kind": stem.split("-")[0], "order": number} for number, stem in enumerate(stems)}
    assert [p["stem"] for p in listed(products)] == [
        "leaflet-owners.vi-en", "leaflet-owners.vi-ko", "leaflet-owners.vi-zh-Hans", "handbook-so-tay.vi",
        "handbook-so-tay.en"]
