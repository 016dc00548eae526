"""The built site as production serves it: Debian's nginx with deploy/nginx.conf, read by Chromium."""

from __future__ import annotations

import gzip
import importlib.util
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from outreach.languages import LANGUAGES

from .conftest import REPO

playwright = pytest.importorskip("playwright.sync_api")
brotli = pytest.importorskip("brotli")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANGS = [lang.code for lang in LANGUAGES]  # the bundled project's, content/languages.yaml
BUDGET = 100 * 1024

pytestmark = [pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
              pytest.mark.skipif(not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(),
                                 reason="Debian's nginx is not installed (scripts/setup.sh --test)")]


def load_serve():
    spec = importlib.util.spec_from_file_location("outreach_serve", REPO / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve = load_serve()


@pytest.fixture(scope="module")
def nginx_site(bundled_build):
    root, _ = bundled_build
    with serve.nginx(root / "build/site") as server:
        yield server, root / "build/site"


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def fetch(url: str, **headers):
    """(status, headers, body) without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers)) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_every_text_file_is_precompressed_with_the_same_bytes(bundled_build):
    root, _ = bundled_build
    site = root / "build/site"
    texts = [p for p in site.rglob("*") if p.suffix in {".html", ".css", ".js", ".json", ".xml", ".svg"}]
    assert len(texts) > 100
    for path in texts:
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
    # zlib's best level, and no time stamp in the .gz: the same bytes at every build
    bundle = next(site.glob("vi/assets/javascripts/bundle.*.min.js"))
    assert bundle.with_name(bundle.name + ".gz").read_bytes() == gzip.compress(bundle.read_bytes(), 9, mtime=0)


def test_nginx_sends_precompressed_files_with_cache_headers(nginx_site):
    server, site = nginx_site
    page = site / "vi/handbooks/so-tay/vao-dang/index.html"
    status, headers, body = fetch(f"{server.base}vi/handbooks/so-tay/vao-dang/", **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == page.read_bytes()
    assert headers["Cache-Control"] == "no-cache" and "utf-8" in headers["Content-Type"]
    status, headers, body = fetch(f"{server.base}vi/handbooks/so-tay/vao-dang/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == page.read_bytes()
    assert body == page.with_name("index.html.gz").read_bytes()  # sent as built, not compressed again
    bundle = next(site.glob("vi/assets/javascripts/bundle.*.min.js"))
    _, headers, _ = fetch(f"{server.base}vi/assets/javascripts/{bundle.name}", **{"Accept-Encoding": "gzip"})
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    _, headers, _ = fetch(f"{server.base}vi/sw.js", **{"Accept-Encoding": "gzip"})
    assert headers["Cache-Control"] == "no-cache" and headers["Content-Encoding"] == "gzip"
    for header in ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert headers[header], header
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("accept, target", [
    ("ja,en;q=0.8", "/ja/"), ("ko-KR,ko;q=0.9", "/ko/"), ("zh-CN,zh;q=0.9", "/zh-Hans/"),
    ("de-DE,de;q=0.9,en;q=0.5", "/en/"), ("vi", "/vi/"), ("zh-TW", None), ("de", None),
])
def test_the_address_without_a_language_sends_a_reader_to_their_language(nginx_site, accept, target):
    server, site = nginx_site
    status, headers, body = fetch(server.base, **{"Accept-Language": accept})
    assert "Accept-Language" in headers.get_all("Vary", [])
    if target:
        assert status == 302 and headers["Location"].endswith(target)
    else:  # no language of ours: the page that lets the reader choose
        assert status == 200 and body == (site / "index.html").read_bytes()


def test_a_missing_page_gets_the_language_own_404(nginx_site):
    server, site = nginx_site
    status, _, body = fetch(f"{server.base}ko/no-such-page/")
    assert status == 404 and body == (site / "ko/404.html").read_bytes()


CSP_LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def test_no_content_security_policy_violation_in_chromium(browser, nginx_site):
    server, _ = nginx_site
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    pages = ["", "status/", "vi/no-such-page/"] + [f"{lang}/{path}" for lang in LANGS for path in
                                                    ("", "handbooks/so-tay/vao-dang/", "courses/awareness/awareness-2/")]
    for path in pages:
        page.goto(server.base + path, wait_until="load")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__violations") == [], path
    page.goto(f"{server.base}vi/courses/new-member/new-member-2/")
    page.click("label[for=__search]")
    page.locator("input.md-search__input").fill("dang phi")
    page.locator("input.md-search__input").press("End")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Escape")
    page.locator("form.quiz fieldset.question").first.locator("input").first.check()
    page.locator("a.term").first.click()  # a glossary term's popover, placed through the CSSOM
    page.wait_for_selector(".term-popover")
    page.keyboard.press("Escape")
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text], console
    context.close()


def settle(server, start: int, idle: float) -> list[str]:
    seen, quiet = len(server.log_lines()), time.monotonic()
    while time.monotonic() - quiet < idle:
        time.sleep(0.2)
        if len(server.log_lines()) != seen:
            seen, quiet = len(server.log_lines()), time.monotonic()
    return server.log_lines()[start:]


def bytes_sent(lines: list[str]) -> int:
    return sum(int(line.split()[2]) for line in lines)


@pytest.mark.parametrize("lang", ["vi", "ja"])
def test_a_first_visit_costs_at_most_100_kb_background_included(browser, nginx_site, lang):
    server, _ = nginx_site
    context = browser.new_context(viewport={"width": 412, "height": 860})
    page = context.new_page()
    start = len(server.log_lines())
    page.goto(f"{server.base}{lang}/handbooks/so-tay/vao-dang/")
    page.wait_for_selector(".keep-offline:not([hidden])", timeout=15000)  # the service worker has answered
    lines = settle(server, start, 3)
    total = bytes_sent(lines)
    assert total <= BUDGET, (total, lines)
    assert not any("search_index" in line or ".pdf" in line for line in lines)
    # the control says what keeping the language costs, in the reader's language
    label = page.inner_text(".keep-offline button")
    assert re.search(r"\d\u00a0MB", label), label  # the figure and its unit on one line
    assert {"vi": "các bản PDF để đọc", "ja": "閲覧用PDF"}[lang] in label  # what it keeps: the reading PDFs
    context.close()


def connection_script(**values) -> str:
    body = ", ".join(f"{key}: {str(value).lower() if isinstance(value, bool) else repr(value)}"
                     for key, value in values.items())
    return f"Object.defineProperty(navigator, 'connection', {{ value: {{ {body} }}, configurable: true }});"


def test_save_data_keeps_the_first_visit_small_even_on_wifi(browser, nginx_site):
    server, _ = nginx_site
    context = browser.new_context()
    context.add_init_script(connection_script(type="wifi", saveData=True))
    page = context.new_page()
    start = len(server.log_lines())
    page.goto(f"{server.base}en/handbooks/so-tay/vao-dang/")
    page.wait_for_selector(".keep-offline:not([hidden])", timeout=15000)
    lines = settle(server, start, 3)
    assert bytes_sent(lines) <= BUDGET and page.get_attribute(".keep-offline", "data-kept") == "false"
    context.close()


def test_on_an_unmetered_connection_the_language_is_kept_without_asking(browser, nginx_site):
    server, _ = nginx_site
    context = browser.new_context()
    context.add_init_script(connection_script(type="wifi", saveData=False))
    page = context.new_page()
    page.goto(f"{server.base}ko/")
    page.wait_for_selector(".keep-offline[data-kept=true]", timeout=120000)
    context.set_offline(True)
    page.goto(f"{server.base}ko/courses/new-member/new-member-6/")
    assert page.locator("html").get_attribute("lang") == "ko" and page.locator("form.quiz").count() == 1
    context.close()


def search(page, query: str) -> int:
    page.click("label[for=__search]")
    field = page.locator("input.md-search__input")
    field.fill(query)
    field.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.locator(".md-search-result__item").count()


def test_kept_language_reads_searches_and_opens_pdfs_with_the_network_cut(browser, nginx_site):
    server, _ = nginx_site
    context = browser.new_context(viewport={"width": 412, "height": 860})
    page = context.new_page()
    page.goto(f"{server.base}ja/handbooks/so-tay/")
    page.wait_for_selector(".keep-offline:not([hidden])", timeout=15000)
    page.click(".keep-offline button")
    page.wait_for_selector(".keep-offline[data-kept=true]", timeout=120000)
    assert page.inner_text(".keep-offline .keep-note").strip()
    context.set_offline(True)
    page.goto(f"{server.base}ja/courses/new-member/new-member-2/")  # never opened
    assert page.locator("form.quiz").count() == 1
    assert search(page, "労働組合") >= 1
    first = page.eval_on_selector(".md-search-result__link", "e => e.href")
    assert "/ja/handbooks/so-tay/doan-the/" in first or "/ja/handbooks/so-tay/to-chuc/" in first
    page.goto(f"{server.base}ja/handbooks/so-tay/")
    pdf = page.eval_on_selector(".pdf-links a[hreflang=ja]", "e => e.href")
    assert "/ja/pdf/" in pdf
    status = page.evaluate("url => fetch(url).then(r => r.status + ' ' + r.headers.get('content-type'))", pdf)
    assert status == "200 application/pdf"
    context.set_offline(False)
    context.close()


def test_without_asking_the_pages_read_and_the_search_once_opened_work_offline(browser, nginx_site):
    server, _ = nginx_site
    context = browser.new_context(viewport={"width": 412, "height": 860})
    page = context.new_page()
    page.goto(f"{server.base}vi/handbooks/so-tay/vao-dang/")
    page.wait_for_selector(".keep-offline:not([hidden])", timeout=15000)
    assert search(page, "ket nap") >= 1  # the search index now stays on the device
    page.wait_for_timeout(500)
    context.set_offline(True)
    page.goto(f"{server.base}vi/handbooks/so-tay/vao-dang/")
    assert page.locator("h1").count() == 1
    assert search(page, "cong doan") >= 1
    context.set_offline(False)
    context.close()


def test_offline_search_without_the_index_says_why(browser, nginx_site):
    server, _ = nginx_site
    context = browser.new_context(viewport={"width": 412, "height": 860})
    page = context.new_page()
    page.goto(f"{server.base}en/")
    page.wait_for_selector(".keep-offline:not([hidden])", timeout=15000)
    context.set_offline(True)
    page.click("label[for=__search]")
    meta = page.locator(".md-search-result__meta")
    expected = page.get_attribute(".md-search", "data-offline")
    assert expected
    page.wait_for_function("text => document.querySelector('.md-search-result__meta').textContent.trim() === text",
                           arg=expected, timeout=10000)
    assert meta.inner_text().strip() == expected
    context.set_offline(False)
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_a_share_card_of_its_own(bundled_build, lang):
    import re
    import struct

    root, result = bundled_build
    site = root / "build/site"
    base = f"http://127.0.0.1:{result.port}/"
    seen = set()
    for page in sorted((site / lang).rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
        assert re.search(r'<meta property="og:title" content="[^"]+"', html)
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        assert image.startswith(base) and image not in seen, image
        seen.add(image)
        png = (site / image[len(base):]).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1200, 630)
