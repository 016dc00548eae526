"""Languages are data: a project adds a sixth language (Thai) in its own content/languages.yaml, glossary and
catalog, and gets its site, its search and its PDF, with no change to the package."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from outreach import languages
from outreach.build import Paths, build

from .conftest import (GLOSSARY, REPO, TRANSLATIONS, PSEUDO, QuietHandler, fill_catalogs, free_port, load_errors,
                       pdffonts, pdftotext, write_project)

THAI = """\
  - code: th
    catalog: th
    name: ภาษาไทย
    theme: th
    search: th
    sans: Noto Sans Thai
    serif: Noto Serif Thai
    fonts_package: fonts-noto-core
    unspaced: '\\u0e00-\\u0e7f'
"""
THAI_TRANSLATIONS = {
    "site:title": "เว็บไซต์ทดสอบ", "site:home.heading": "เอกสารทดสอบ",
    "site:home.intro": "มีแรงงาน {workers} คนในนิคมอุตสาหกรรม",
    "leaflet.test:title": "สมาชิกพรรคและสหภาพแรงงาน",
    "leaflet.test:panels.inside_1.heading": "ขั้นตอนการเข้าเป็นสมาชิกพรรค",
    "leaflet.test:panels.inside_1.body": "สหภาพแรงงาน**ไม่ได้บริหาร**ธุรกิจ\n\n- หนึ่ง;\n- สอง.",
    "leaflet.test:panels.inside_2.body": "คำสั่งลงวันที่ {signed}",
    "leaflet.test:panels.front.title": "ร่วมเดินไปกับองค์กรของท่าน",
}
HEADING = THAI_TRANSLATIONS["leaflet.test:panels.inside_1.heading"]
UNION = "สหภาพแรงงาน"  # "trade union"
LABOUR = "แรงงาน"  # "labour": only inside runs of Thai written without spaces ("สหภาพแรงงาน", "มีแรงงาน")


@pytest.fixture(scope="module")
def thai_build(tmp_path_factory):
    """The fixture project with Thai added as data, translated and built, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("thai")
    own = (REPO / "content/languages.yaml").read_text(encoding="utf-8") + THAI
    glossary = GLOSSARY + "    th: หน่วยพรรค\n"
    write_project(root, {"content/languages.yaml": own, "content/glossary.yaml": glossary})
    try:
        fill_catalogs(root, {**TRANSLATIONS, "th": THAI_TRANSLATIONS}, words={**PSEUDO, "th": "ข้อความ"})
        port = free_port()
        build(Paths(root), site_url=f"http://127.0.0.1:{port}/")
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(QuietHandler, directory=str(root / "build/site")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield root, f"http://127.0.0.1:{port}/"
        server.shutdown()
        server.server_close()
    finally:
        languages.configure(REPO / "content")  # the other tests' languages again


def test_the_package_names_no_thai():
    package = REPO / "outreach"
    assert not [path for path in package.rglob("*") if path.is_file() and path.suffix != ".pyc"
                and ("Noto Sans Thai" in path.read_text(encoding="utf-8", errors="ignore")
                     or ":lang(th)" in path.read_text(encoding="utf-8", errors="ignore"))]


def test_a_sixth_language_gets_its_site(thai_build):
    root, _ = thai_build
    assert [lang.code for lang in languages.LANGUAGES][-1] == "th"
    page = (root / "build/site/th/leaflets/test/index.html").read_text(encoding="utf-8")
    assert '<html lang="th"' in page
    assert HEADING in page and UNION in page
    home = (root / "build/site/th/index.html").read_text(encoding="utf-8")
    assert "มีแรงงาน 71,383 คนในนิคมอุตสาหกรรม" in home  # the fact, formatted by the Thai locale
    assert 'hreflang="th"' in (root / "build/site/vi/index.html").read_text(encoding="utf-8")  # in the switcher
    glossary = (root / "build/site/th/glossary/index.html").read_text(encoding="utf-8")
    assert '<span lang="th">หน่วยพรรค</span>' in glossary


def test_a_sixth_language_prints_in_its_own_font(thai_build):
    root, _ = thai_build
    pdf = root / "build/pdf/leaflet-test.vi-th.pdf"
    text = pdftotext(pdf)
    # (pdftotext reorders a few Thai vowel marks, so the texts asked for are ones without them)
    assert THAI_TRANSLATIONS["leaflet.test:panels.front.title"] in text and "สหภาพแรงงานไม่ได้บริหารธุรกิจ" in text
    embedded = {row["name"].split("+", 1)[-1] for row in pdffonts(pdf) if row["emb"] == "yes"}
    assert {"Noto-Sans-Thai", "Noto-Sans-Thai-Bold", "Noto-Sans"} <= embedded, embedded  # Thai, and Vietnamese
    press = next((root / "build/packs").glob("leaflet-test.vi-th/*.press.pdf"))
    assert "Noto-Sans-Thai" in {row["name"].split("+", 1)[-1] for row in pdffonts(press) if row["emb"] == "yes"}


def test_a_sixth_language_is_found_by_the_sites_search(thai_build):
    playwright = pytest.importorskip("playwright.sync_api")
    from .test_browser import ALL_RESULTS, ARGS, CHROMIUM, open_search, result_pages

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    _, base = thai_build
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 412, "height": 860}).new_page()  # a phone
            page.goto(f"{base}th/")
            # typed into the search box, as a reader does: a word found inside longer runs of Thai, which it
            # is only as a script without spaces ("unspaced" in the language's entry)
            open_search(page, LABOUR)
            page.wait_for_timeout(300)
            assert result_pages(page)[:1] == ["/th/leaflets/test/"]
            assert {"/th/", "/th/leaflets/test/"} <= set(page.evaluate(ALL_RESULTS, LABOUR))
        finally:
            browser.close()


@pytest.fixture
def restore_languages():
    yield
    languages.configure(REPO / "content")


def test_a_language_is_checked_like_any_content(tmp_path, restore_languages):
    base = (REPO / "content/languages.yaml").read_text(encoding="utf-8")
    misspelt = base + THAI.replace("serif:", "serf:")
    errors = load_errors(write_project(tmp_path / "a", {"content/languages.yaml": misspelt}))
    line = next(n for n, text in enumerate(misspelt.splitlines(), 1) if "serf:" in text)
    assert f"content/languages.yaml:{line}:5: error: unknown field 'serf' (did you mean 'serif'?) " \
           "[schema.unknown]" in errors
    twice = base + THAI + THAI.replace("catalog: th", "catalog: th_TH")
    errors = load_errors(write_project(tmp_path / "b", {"content/languages.yaml": twice}))
    first, second = [n for n, text in enumerate(twice.splitlines(), 1) if text == "  - code: th"]
    assert f"content/languages.yaml:{second}:5: error: language 'th' is listed twice (first at line {first}) " \
           "[schema.duplicate-id]" in errors
    unknown = base + THAI + "    phrase_model: thai\n"
    errors = load_errors(write_project(tmp_path / "c", {"content/languages.yaml": unknown}))
    line = next(n for n, text in enumerate(unknown.splitlines(), 1) if text == "  - code: th")
    assert f"content/languages.yaml:{line}:5: error: BudouX has no phrase model 'thai' [schema.value]" in errors
    assert "help: the models it ships: ja, ja_word, th, zh-hans, zh-hant" in errors


def test_every_term_has_a_rendering_in_every_language(tmp_path, restore_languages):
    own = (REPO / "content/languages.yaml").read_text(encoding="utf-8") + THAI
    errors = load_errors(write_project(tmp_path, {"content/languages.yaml": own}))  # the glossary has no th:
    assert "content/glossary.yaml:2:5: error: missing the ภาษาไทย rendering 'th:' [schema.missing]" in errors


def test_a_project_without_its_languages_is_told_where_to_list_them(tmp_path, restore_languages):
    root = write_project(tmp_path)
    (root / "content/languages.yaml").unlink()
    assert "content/languages.yaml: error: missing file content/languages.yaml [project.missing-file]" in \
        load_errors(root)
