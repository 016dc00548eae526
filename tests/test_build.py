"""A build of the small fixture project: the site and PDFs in five languages."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from outreach.build import Paths, build
from outreach.errors import OutreachError
from outreach.languages import LANGUAGES

from .conftest import edit_file, fill_catalogs, pdffonts, pdftotext, write_project

CODES = [lang.code for lang in LANGUAGES]
PAIRS = ["vi-en", "vi-ko", "vi-zh-Hans", "vi-ja"]
MADE = ["vi-ko", "vi-zh-Hans", "vi-ja"]  # vi-en is held back: one English entry is untranslated


class Elements(HTMLParser):
    """Tags with their attributes, and the text under each element with a lang attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page(root: Path, code: str, rel: str = "leaflets/test/") -> Path:
    return root / "build/site" / code / rel / "index.html"


def test_every_language_has_the_leaflet_page_in_its_language(fixture_build):
    root, _ = fixture_build
    expected = {"vi": "Quy trình kết nạp đảng viên", "en": "How a worker joins the Party", "ko": "입당 절차",
                "zh-Hans": "入党程序", "ja": "入党の手続き"}
    for code, heading in expected.items():
        html = page(root, code).read_text(encoding="utf-8")
        doc = parse(page(root, code))
        html_tag = next(attrs for tag, attrs in doc.tags if tag == "html")
        assert html_tag["lang"] == code
        assert heading in html


def test_facts_are_formatted_for_each_language(fixture_build):
    root, _ = fixture_build
    assert "71.383" in page(root, "vi", "").read_text()
    for code in ("en", "ko", "zh-Hans", "ja"):
        assert "71,383" in page(root, code, "").read_text()
    assert "ngày 18 tháng 3 năm 2019" in page(root, "vi").read_text()
    assert "March 18, 2019" in page(root, "en").read_text()
    assert "2019년 3월 18일" in page(root, "ko").read_text()
    assert "2019年3月18日" in page(root, "ja").read_text()


def test_untranslated_text_falls_back_to_vietnamese_with_a_notice(fixture_build):
    root, result = fixture_build
    html = page(root, "en").read_text(encoding="utf-8")
    assert '<div lang="vi" class="untranslated">' in html
    assert "Gặp chúng tôi." in html  # panels.inside_3.body has no English translation
    notice = re.search(r'<p class="notice notice-missing" lang="en" role="note">(.*?)</p>', html)
    assert notice, "the fallback must come with a notice in the reader's language"
    assert result.fallbacks["en"] > 0 and result.fallbacks["vi"] == 0
    assert "untranslated" not in page(root, "vi").read_text(encoding="utf-8")


def test_language_switcher_leads_to_the_same_page(fixture_build):
    root, _ = fixture_build
    doc = parse(page(root, "ko"))
    switcher = {attrs["hreflang"]: attrs["href"] for tag, attrs in doc.tags
                if tag == "a" and "md-select__link" in attrs.get("class", "")}
    assert set(switcher) == set(CODES)
    for code, href in switcher.items():
        target = (page(root, "ko").parent / href).resolve() / "index.html"
        assert target == page(root, code).resolve(), (code, href)
        assert target.exists()


def test_every_page_has_hreflang_alternates_to_the_same_page(fixture_build):
    root, _ = fixture_build
    doc = parse(page(root, "ja"))
    alternates = {attrs["hreflang"]: attrs["href"] for tag, attrs in doc.tags
                  if tag == "link" and attrs.get("rel") == "alternate"}
    for code in CODES:
        assert alternates[code] == f"https://outreach.example.org/{code}/leaflets/test/"
    assert alternates["x-default"] == "https://outreach.example.org/"


def test_root_page_sends_readers_to_a_language(fixture_build):
    root, _ = fixture_build
    doc = parse(root / "build/site/index.html")
    links = {attrs["hreflang"]: attrs["href"] for tag, attrs in doc.tags if tag == "a"}
    assert links == {code: f"{code}/" for code in CODES}
    for href in links.values():
        assert (root / "build/site" / href / "index.html").exists()


def test_vietnamese_anchors_keep_d_with_stroke(fixture_build):
    root, _ = fixture_build
    html = page(root, "vi").read_text(encoding="utf-8")
    assert '<h1 id="đảng-viên-và-công-đoàn">' in html


def test_section_anchors_are_the_same_in_every_language(fixture_build):
    root, _ = fixture_build
    for code in CODES:
        html = page(root, code).read_text(encoding="utf-8")
        for anchor in ("benefits", "support", "request", "figures", "contacts"):
            assert f'<h2 id="{anchor}"' in html, (code, anchor)


def test_search_is_per_language(fixture_build):
    root, _ = fixture_build
    import json

    for code, lang in (("vi", "vi"), ("en", "en"), ("ko", "ko"), ("zh-Hans", "zh"), ("ja", "ja")):
        index = json.loads((root / "build/site" / code / "search/search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
    def docs_text(code):
        index = json.loads((root / "build/site" / code / "search/search_index.json").read_text(encoding="utf-8"))
        return " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])

    assert "\u200b" in docs_text("zh-Hans")  # jieba segmented the Chinese text
    assert "\u200b" not in docs_text("ja")  # and not the Japanese
    assert "入党程序" in docs_text("zh-Hans").replace("\u200b", "")


def test_leaflet_page_links_to_its_pdfs(fixture_build):
    root, _ = fixture_build
    for code, pairs in (("vi", MADE), ("en", []), ("zh-Hans", ["vi-zh-Hans"])):
        doc = parse(page(root, code))
        pdf_links = [attrs["href"] for tag, attrs in doc.tags if tag == "a" and attrs.get("href", "").endswith(".pdf")]
        assert len(pdf_links) == len(pairs)
        for href, pair in zip(pdf_links, pairs):
            assert href.endswith(f"leaflet-test.{pair}.pdf")
            assert (page(root, code).parent / href).resolve().exists()


HOST_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
              ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}
LOADING_RELS = {"stylesheet", "preload", "prefetch", "icon", "manifest", "modulepreload", "preconnect",
                "dns-prefetch"}


def test_no_page_requests_a_third_party_host(fixture_build):
    root, _ = fixture_build
    site = root / "build/site"
    offenders = []
    for path in site.rglob("*.html"):
        for tag, attrs in parse(path).tags:
            for attr in ("src", "href", "data"):
                url = attrs.get(attr) or ""
                if (tag, attr) not in HOST_ATTRS or not urlsplit(url).netloc:
                    continue
                if tag == "link" and not (set((attrs.get("rel") or "").split()) & LOADING_RELS):
                    continue  # canonical and alternate links are not requests
                if urlsplit(url).netloc != "outreach.example.org":
                    offenders.append((path.relative_to(site), url))
    for path in [*site.rglob("*.css"), *site.rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"""(?:url\(|@import\s+)["']?(https?:)?//([^/"')\s]+)""", text):
            offenders.append((path.relative_to(site), url))
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com"):
            if host in text:
                offenders.append((path.relative_to(site), host))
    assert offenders == []
    # Material's bundle fetches Mermaid from unpkg.com, but only for a page that has a Mermaid diagram.
    for path in site.rglob("*.html"):
        assert 'class="mermaid"' not in path.read_text(encoding="utf-8"), path
    html = page(root, "en").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "Made with" not in html


def test_a_leaflet_is_printed_only_in_a_complete_language(fixture_build):
    root, result = fixture_build
    pdfs = sorted(p.name for p in (root / "build/pdf").glob("*.pdf"))
    assert pdfs == sorted(f"leaflet-test.{pair}.pdf" for pair in MADE)
    assert result.blocked == {"leaflet-test.vi-en.pdf": 1}
    blocking = [w for w in result.warnings if w.code == "print.blocked"]
    assert [w.format().splitlines()[0] for w in blocking] == [
        "locales/en/LC_MESSAGES/messages.po: warning: leaflet-test.vi-en.pdf is not made: untranslated entry "
        "leaflet.test:panels.inside_3.body [print.blocked]"]
    assert not (root / "build/packs/leaflet-test.vi-en").exists()


def test_the_bilingual_leaflets_carry_both_languages(fixture_build):
    root, _ = fixture_build
    expected = {"vi-ko": "기업과 함께합니다", "vi-zh-Hans": "与企业同行", "vi-ja": "企業とともに"}
    for pair, translated in expected.items():
        text = pdftotext(root / "build/pdf" / f"leaflet-test.{pair}.pdf")
        assert "Đồng hành cùng doanh nghiệp" in text
        assert translated in text
        assert "71.383" in text  # the Vietnamese side
        assert "71,383" in text  # the other side


def test_leaflet_pdf_pages_fonts_and_metadata(fixture_build):
    import pikepdf

    root, _ = fixture_build
    faces = {"vi-ko": "Noto-Sans-CJK-KR", "vi-zh-Hans": "Noto-Sans-CJK-SC", "vi-ja": "Noto-Sans-CJK-JP"}
    for pair, face in faces.items():
        path = root / "build/pdf" / f"leaflet-test.{pair}.pdf"
        fonts = pdffonts(path)
        assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
        names = {f["name"].split("+", 1)[1] for f in fonts}
        assert any(name.startswith(face) for name in names), names
        assert any(name.startswith("Noto-Sans") for name in names)
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == 2
            box = [float(v) for v in pdf.pages[0].cropbox]  # the screen copy shows the trim
            assert (round((box[2] - box[0]) / 72 * 25.4), round((box[3] - box[1]) / 72 * 25.4)) == (297, 210)
            assert str(pdf.Root.Lang) == "vi"
            info = pdf.docinfo
            assert str(info.Author) == "Ban Tuyên giáo Tỉnh ủy"
            assert "Đảng viên và công đoàn" in str(info.Title)
            assert str(info.Subject)


def test_korean_words_are_kept_whole_in_print(fixture_build):
    root, _ = fixture_build
    text = pdftotext(root / "build/pdf/leaflet-test.vi-ko.pdf")
    for word in ("노동조합은", "함께합니다"):
        assert word in text


def test_second_build_reuses_pdfs_and_is_byte_identical(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    first = build(Paths(root))
    snapshot = {p.relative_to(root / "build"): p.read_bytes() for p in (root / "build").rglob("*")
                if p.is_file() and ".cache" not in p.parts}
    second = build(Paths(root))
    assert first.pdfs_rendered == 3 and second.pdfs_rendered == 0 and second.pdfs_reused == 3
    assert first.sites_rendered == 10 and second.sites_rendered == 0 and second.sites_reused == 10
    again = {p.relative_to(root / "build"): p.read_bytes() for p in (root / "build").rglob("*")
             if p.is_file() and ".cache" not in p.parts}
    assert again.keys() == snapshot.keys()
    changed = [str(k) for k in snapshot if snapshot[k] != again[k]]
    assert changed == []
    # without the cache, WeasyPrint and mkdocs give the same bytes too
    shutil.rmtree(root / "build/.cache")
    third = build(Paths(root))
    assert third.pdfs_rendered == 3 and third.sites_rendered == 10
    rebuilt = {p.relative_to(root / "build"): p.read_bytes() for p in (root / "build").rglob("*")
               if p.is_file() and ".cache" not in p.parts}
    assert [str(k) for k in snapshot if snapshot[k] != rebuilt.get(k)] == []

    # a change in one language's catalog rebuilds only that language's site
    po = root / "locales/ja/LC_MESSAGES/messages.po"
    edit_file(po, "入党の手続き", "入党の流れ")
    fourth = build(Paths(root))
    assert fourth.sites_rendered == 2 and fourth.sites_reused == 8
    assert fourth.pdfs_rendered == 1 and fourth.pdfs_reused == 2
    assert "入党の流れ" in page(root, "ja").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_previous_output_intact(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    build(Paths(root))
    before = {p: p.read_bytes() for p in (root / "build/site").rglob("*.html")}
    leaflet = root / "content/leaflets/test.yaml"
    edit_file(leaflet, "{start}", "{unknown}")
    with pytest.raises(OutreachError):
        build(Paths(root))
    after = {p: p.read_bytes() for p in (root / "build/site").rglob("*.html")}
    assert after == before
    assert len(list((root / "build/pdf").glob("*.pdf"))) == 3


def test_a_build_that_fails_halfway_publishes_nothing(tmp_path, monkeypatch):
    from outreach.render import web

    root = write_project(tmp_path)
    fill_catalogs(root)
    build(Paths(root))
    before = {p: p.read_bytes() for p in (root / "build").rglob("*") if p.is_file() and ".cache" not in p.parts}
    leaflet = root / "content/leaflets/test.yaml"
    edit_file(leaflet, "Gặp chúng tôi.", "Gặp chúng tôi sớm.")
    real = web.build_site

    def fail_on_japanese(config_file, language):
        if language.code == "ja":
            raise OutreachError(web.Diagnostic(web.Location(str(config_file)), "simulated failure", "test"))
        real(config_file, language)

    monkeypatch.setattr(web, "build_site", fail_on_japanese)
    with pytest.raises(OutreachError):
        build(Paths(root))
    after = {p: p.read_bytes() for p in (root / "build").rglob("*") if p.is_file() and ".cache" not in p.parts
             and ".work" not in p.parts}
    assert after == {p: b for p, b in before.items() if ".work" not in p.parts}
    assert "Gặp chúng tôi sớm." not in page(root, "vi").read_text(encoding="utf-8")
    assert not (root / "build/.staging").exists()


def test_sitemaps_list_every_language_of_every_page(fixture_build):
    root, _ = fixture_build
    sitemap = (root / "build/site/ko/sitemap.xml").read_text(encoding="utf-8")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    block = sitemap.split("<loc>https://outreach.example.org/ko/leaflets/test/</loc>", 1)[1].split("</url>", 1)[0]
    for code in CODES:
        assert f'<xhtml:link rel="alternate" hreflang="{code}" href="https://outreach.example.org/{code}/leaflets/test/"/>' \
            in block
    assert 'hreflang="x-default" href="https://outreach.example.org/"' in block
