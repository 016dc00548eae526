"""Glossary terms where a page first uses them: a link (a popover with JavaScript) on the web, a † mark in print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tinyhtml5

from outreach.i18n.translate import Translator
from outreach.languages import LANGUAGES, get as by_id
from outreach.render.common import Localizer, environment
from outreach.validate import DOCUMENT_NUMBER, load_project

from .conftest import REPO, pdftotext

PROJECT = load_project(REPO / "content")
TERMS = {term.id: term for term in PROJECT.glossary}
# jargon that texts for workers used without explaining it
JARGON = ["cuong-linh-chinh-tri", "tap-trung-dan-chu", "hat-nhan-chinh-tri", "to-chuc-co-so-dang", "nu-cong",
          "bien-che", "chi-uy"]
CHROMIUM = "/usr/bin/chromium"


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def term_links(path: Path) -> list[tuple[str, str, dict]]:
    """(glossary id, link text, attributes) of every glossary link on a built page, as a browser parses it."""
    root = tinyhtml5.parse(path.read_text(encoding="utf-8"))
    found = []
    for element in root.iter():
        if local(element.tag) == "a" and "term" in (element.get("class") or "").split():
            found.append((element.get("href").rsplit("#", 1)[1], "".join(element.itertext()), dict(element.attrib)))
    return found


def pages(site: Path, lang: str) -> list[Path]:
    return sorted(path for path in (site / lang).rglob("index.html") if "offline" not in path.parts)


def test_the_jargon_is_in_the_glossary_in_every_language():
    for term_id in [*JARGON, "ky-hieu-van-ban"]:
        term = TERMS[term_id]
        assert all(term.rendering(lang.catalog) for lang in LANGUAGES), term_id
    assert TERMS["ky-hieu-van-ban"].codes
    for lang in LANGUAGES[1:]:
        translator = Translator.load(lang, REPO / "locales", PROJECT.facts, PROJECT.bodies)
        for term_id in [*JARGON, "ky-hieu-van-ban"]:
            assert translator.text(TERMS[term_id].note).status == "translated", (lang.code, term_id)


def test_each_page_links_the_first_use_of_each_term(bundled_build):
    root, _ = bundled_build
    site = root / "build/site"
    for lang in LANGUAGES:
        linked: dict[str, int] = {}
        codes = 0
        for path in pages(site, lang.code):
            links = term_links(path)
            relative = path.relative_to(site / lang.code).as_posix()
            if relative in ("index.html", "glossary/index.html"):
                assert links == [], relative  # the home page's cards are links already; the glossary is the glossary
                continue
            ids = [(term_id, text) if term_id == "ky-hieu-van-ban" else term_id for term_id, text, _ in links]
            assert len(ids) == len(set(ids)), (lang.code, relative)  # once a page, each document code once
            for term_id, text, attributes in links:
                term = TERMS[term_id]
                assert not term.everyday
                linked[term_id] = linked.get(term_id, 0) + 1
                href = attributes["href"]
                assert href.endswith(f"glossary/#{term_id}") and not href.startswith(("http", "/")), href
                assert attributes["data-term"] == term.rendering(lang.catalog)
                assert attributes["data-note"] and "{" not in attributes["data-note"]
                if term.codes:
                    codes += 1
                    assert DOCUMENT_NUMBER.fullmatch(text), text
                else:  # the text as this language writes the term (English also in the plural)
                    assert text.casefold().startswith(term.rendering(lang.catalog).casefold()), (lang.code, text)
        missing = [term_id for term_id in JARGON if term_id not in linked]
        assert missing == [], (lang.code, missing)
        assert codes >= 10, lang.code  # 33-CT/TW, 98/2014/NĐ-CP … where the handbook and the modules cite them
    # the glossary page has the anchors the links lead to
    glossary = (site / "en/glossary/index.html").read_text(encoding="utf-8")
    assert all(f'id="{term_id}"' in glossary for term_id in JARGON)


def test_terms_are_found_in_the_translation_and_escaped(tmp_path):
    """Matching runs over the text each language shows; whatever a term or a note holds enters HTML as text."""
    from dataclasses import replace

    chi_uy = TERMS["chi-uy"]
    payload = '<img src=x onerror=alert(1)> "q" & <b>co</b>'
    hostile = replace(chi_uy, note=replace(chi_uy.note, source=payload, context="glossary:hostile.note"))
    project = PROJECT
    text = next(t for t in project.texts() if t.context == "module.new-member-3:questions.q1.explanation")
    for code, expected in (("vi", "chi ủy"), ("en", "Party cell committee"), ("ko", "당세포 위원회"),
                           ("zh-Hans", "支部委员会"), ("ja", "党支部委員会")):
        lang = by_id(code)
        lz = Localizer(Translator.load(lang, REPO / "locales", project.facts, project.bodies), environment())
        lz.glossary_scope(project.glossary, "../../../glossary/")
        out = str(lz.inline(text, terms=True))
        links = re.findall(r'<a class="term" href="([^"]+)"[^>]*>([^<]+)</a>', out)
        assert ("../../../glossary/#chi-uy", expected) in links, (code, out)
        again = str(lz.inline(text, terms=True))  # the same page: linked once only
        assert 'class="term"' not in again
    lz = Localizer(Translator.load(by_id("en"), REPO / "locales", project.facts, project.bodies), environment())
    lz.glossary_scope((hostile,), '"><script>alert(1)</script>')
    out = str(lz.inline(text, terms=True))
    tree = tinyhtml5.parse(f"<p>{out}</p>")
    assert [local(e.tag) for e in tree.iter() if local(e.tag) not in ("html", "head", "body", "p")] == ["a"]
    link = next(e for e in tree.iter() if local(e.tag) == "a")
    assert link.get("data-note") == payload  # the note as text: outreach.js shows it with textContent
    assert "".join(link.itertext()) == "Party cell committee"
    assert link.get("href") == '"><script>alert(1)</script>#chi-uy'
    # no scope (the glossary page, leaflets, handouts): nothing linked
    lz.glossary_scope()
    assert 'class="term"' not in str(lz.inline(text, terms=True))


def test_the_printed_handbook_marks_terms_for_its_glossary(bundled_build):
    root, _ = bundled_build
    legend = {"vi": "Từ có dấu † được giải thích", "en": "Words marked † are explained",
              "ko": "† 표시가 붙은 말은", "zh-Hans": "带†号的词语", "ja": "†印の付いた言葉は"}
    for lang in LANGUAGES:
        text = pdftotext(root / f"build/pdf/handbook-so-tay.{lang.code}.pdf")
        assert legend[lang.code] in text, lang.code
        for term_id in ("bien-che", "nu-cong"):
            form = TERMS[term_id].rendering(lang.catalog)
            assert re.search(re.escape(form) + r"\w{0,2} ?†", text, re.IGNORECASE), (lang.code, form)
        assert re.search(r"98/2014/NĐ-CP ?†", text), lang.code  # a document code, marked too
        glossary = text[text.rindex(legend[lang.code]):]
        assert TERMS["chi-uy"].rendering(lang.catalog) in glossary  # the glossary at the end explains them
        # everyday words carry no mark
        worker = TERMS["nguoi-lao-dong"].rendering(lang.catalog)
        assert not re.search(re.escape(worker) + r" ?†", text, re.IGNORECASE), lang.code
    leaflet = pdftotext(root / "build/pdf/leaflet-owners.vi-en.pdf")
    assert "†" not in leaflet


browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def chromium():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield instance
        instance.close()


MODULE = "courses/awareness/awareness-1/"  # "tập trung dân chủ" in its reading


@browser_only
@pytest.mark.parametrize("lang", ["vi", "en", "ko", "zh-Hans", "ja"])
def test_a_tap_opens_the_term_and_escape_closes_it(chromium, served_site, lang):
    base, _ = served_site
    term = TERMS["tap-trung-dan-chu"]
    translator = Translator.load(by_id(lang), REPO / "locales", PROJECT.facts, PROJECT.bodies)
    note = translator.text(term.note).value
    context = chromium.new_context(viewport={"width": 412, "height": 860}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}{lang}/{MODULE}")
    link = page.locator('a.term[href$="#tap-trung-dan-chu"]')
    assert link.count() == 1
    link.scroll_into_view_if_needed()
    link.tap()
    popover = page.locator(".term-popover[role=dialog]")
    popover.wait_for(state="visible", timeout=5000)
    assert page.url.startswith(f"{base}{lang}/{MODULE}")  # the tap did not follow the link
    assert popover.locator(".term-name").inner_text() == term.rendering(by_id(lang).catalog)
    assert " ".join(popover.locator(".term-note").inner_text().split()) == " ".join(note.split())
    box, view = popover.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"]  # fits the phone's screen
    assert link.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    popover.wait_for(state="detached", timeout=5000)
    assert link.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('href')") == link.get_attribute("href")
    # a tap elsewhere closes it too
    link.tap()
    popover.wait_for(state="visible", timeout=5000)
    page.locator("h1").tap()
    popover.wait_for(state="detached", timeout=5000)
    context.close()


@browser_only
def test_the_keyboard_opens_and_closes_the_term(chromium, served_site):
    base, _ = served_site
    page = chromium.new_page()
    page.goto(f"{base}en/{MODULE}")
    link = page.locator('a.term[href$="#tap-trung-dan-chu"]')
    link.focus()
    page.keyboard.press("Enter")
    popover = page.locator(".term-popover")
    popover.wait_for(state="visible", timeout=5000)
    assert page.evaluate("document.activeElement.classList.contains('term-popover')")  # focus moved into it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('term-more')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Close"
    page.keyboard.press("Enter")  # the close button
    popover.wait_for(state="detached", timeout=5000)
    assert page.evaluate("document.activeElement.getAttribute('href')") == link.get_attribute("href")
    page.keyboard.press("Enter")
    popover.wait_for(state="visible", timeout=5000)
    page.keyboard.press("Escape")
    popover.wait_for(state="detached", timeout=5000)
    page.close()


@browser_only
def test_without_javascript_the_term_is_a_link_to_the_glossary(chromium, served_site):
    base, _ = served_site
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}ja/{MODULE}")
    page.locator('a.term[href$="#tap-trung-dan-chu"]').click()
    page.wait_for_url(re.compile(r".*/ja/glossary/#tap-trung-dan-chu$"))
    entry = page.locator("dt#tap-trung-dan-chu")
    assert entry.is_visible() and "民主集中制" in entry.inner_text()
    assert page.locator(".term-popover").count() == 0
    context.close()
