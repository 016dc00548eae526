"""The bundled content: it validates, its catalogs are complete, and it builds in five languages."""

from __future__ import annotations

import subprocess

from outreach.i18n import catalogs
from outreach.languages import LANGUAGES, TARGETS
from outreach.validate import load_project

from .conftest import REPO, pdffonts, pdftotext

TITLES = {
    "vi": "Tổ chức đảng và công đoàn đồng hành cùng doanh nghiệp",
}


def test_bundled_catalogs_are_complete_and_accepted_by_msgfmt():
    for language in TARGETS:
        path = catalogs.po_path(REPO / "locales", language)
        counts = catalogs.status(catalogs.read_catalog(path, language.catalog))["all"]
        assert counts.complete, (language.code, counts)
        run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


def test_bundled_catalogs_match_the_content():
    from outreach.render.common import TEMPLATES

    template = catalogs.extract(load_project(REPO / "content"), TEMPLATES, REPO)
    pot = catalogs.read_catalog(catalogs.template_path(REPO / "locales"))
    assert {(m.context, m.id) for m in pot if m.id} == {(m.context, m.id) for m in template if m.id}, \
        "run: outreach i18n update"


def test_bundled_build_has_five_languages_and_four_leaflets(bundled_build):
    root, result = bundled_build
    assert [w.format() for w in result.warnings] == []  # none from WeasyPrint either: every print's CSS is used
    assert all(count == 0 for count in result.fallbacks.values()), result.fallbacks
    for language in LANGUAGES:
        html = (root / "build/site" / language.code / "leaflets/owners/index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language.code}"' in html
        assert "notice" not in html.split('<article', 1)[1]
    pdfs = sorted(p.name for p in (root / "build/pdf").glob("leaflet-*.pdf"))
    assert pdfs == ["leaflet-owners.vi-en.pdf", "leaflet-owners.vi-ja.pdf", "leaflet-owners.vi-ko.pdf",
                    "leaflet-owners.vi-zh-Hans.pdf"]


def test_bundled_leaflets_read_in_both_languages(bundled_build):
    root, _ = bundled_build
    project = load_project(root / "content")
    leaflet = project.of_kind("leaflet")[0]
    for language in TARGETS:
        catalog = catalogs.read_catalog(catalogs.po_path(root / "locales", language), language.catalog)
        title = catalog.get(leaflet.panels.front.title.source, leaflet.panels.front.title.context).string
        heading = catalog.get(leaflet.panels.inside_3.heading.source, leaflet.panels.inside_3.heading.context).string
        path = root / "build/pdf" / f"leaflet-owners.vi-{language.code}.pdf"
        text = pdftotext(path)
        squeezed = text.replace(" ", "")
        for expected in (title, heading):
            assert expected.replace(" ", "") in squeezed, (language.code, expected)
        assert "Chúng tôi đề nghị doanh nghiệp" in text
        assert "71.383" in text and "69.423" in text  # Vietnamese side
        assert "71,383" in text and "69,423" in text  # the other side
        assert all(font["emb"] == "yes" for font in pdffonts(path))



def test_leaflet_figures_take_their_counters_as_each_language_writes_them(bundled_build):
    """A figure and the label after it: a space in Vietnamese and English, none before a counter (12개, 12か所,
    12个): on the web page and in the printed leaflet."""
    import re

    root, _ = bundled_build
    expected = {"vi": "12 khu công nghiệp", "en": "12 industrial", "ko": "12개 산업단지", "ja": "12か所", "zh-Hans": "12个"}
    for language in LANGUAGES:
        page = (root / "build/site" / language.code / "leaflets/owners/index.html").read_text(encoding="utf-8")
        shown = re.sub(r"<[^>]+>", "", page.split('<ul class="figures">', 1)[1].split("</ul>", 1)[0])
        assert expected[language.code] in shown, (language.code, shown[:200])
        if not language.is_source:
            printed = pdftotext(root / "build/pdf" / f"leaflet-owners.vi-{language.code}.pdf").replace("\u2060", "")
            assert expected[language.code] in printed, language.code

def test_no_translation_types_a_figure_and_placeholders_match():
    from outreach import markup
    from outreach.validate import PLACEHOLDER, bare_figures

    for language in TARGETS:
        catalog = catalogs.read_catalog(catalogs.po_path(REPO / "locales", language), language.catalog)
        for message in catalog:
            if not message.id or not message.context:
                continue
            rich = "Markup:" in " ".join(message.auto_comments)
            plain = markup.plain(markup.parse(message.string, rich))
            assert bare_figures(plain) == [], (language.code, message.context, plain)
            assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), \
                (language.code, message.context)


def test_bundled_handbooks_courses_and_packs(bundled_build):
    import json

    root, result = bundled_build
    # 19 press products, each with its pack; and for the screen only, per language, the briefing deck and the two
    # courses' lecturer slides, each with its speaker notes (30 PDFs, no pack)
    assert len(result.pdfs) == 19 + 30 and len(result.packs) == 19
    screen_only = {path.name for path in result.pdfs} - {f"{path.name}.pdf" for path in result.packs}
    assert screen_only == {f"{stem}.{language.code}{notes}.pdf" for language in LANGUAGES for notes in ("", ".notes")
                           for stem in ("slides-quan-triet-de-an", "lecture-awareness", "lecture-new-member")}
    for language in LANGUAGES:
        code = language.code
        manifest = json.loads((root / f"build/packs/handbook-so-tay.{code}/manifest.json").read_text())
        assert 24 <= manifest["pages"] <= 40 and manifest["pages"] % 4 == 0, (code, manifest["pages"])
        for course in ("awareness", "new-member"):
            assert (root / f"build/packs/course-{course}.{code}/course-{course}.{code}.press.pdf").exists()
        module = (root / f"build/site/{code}/courses/awareness/awareness-1/index.html").read_text(encoding="utf-8")
        assert '<details class="answer">' in module and 'class="quiz"' in module
        glossary = (root / f"build/site/{code}/glossary/index.html").read_text(encoding="utf-8")
        assert glossary.count("<dt id=") >= 40
    # the Japanese handout ends with its answer key, under the catalog's heading for it
    answers = catalogs.read_catalog(REPO / "locales/ja/LC_MESSAGES/messages.po").get("Đáp án").string
    assert answers == "解答"
    pages = subprocess.run(["pdftotext", str(root / "build/pdf/course-awareness.ja.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    key = next(number for number, page in enumerate(pages) if page.lstrip().startswith(answers))
    assert key > len(pages) // 2 and "Đáp án" not in "".join(pages)


def test_the_template_story_is_not_published(bundled_build):
    import zipfile

    root, _ = bundled_build
    project = load_project(root / "content")
    templates = [doc for doc in project.of_kind("story") if doc.example]
    assert templates, "the bundled content keeps its story template"
    for language in LANGUAGES:
        site = root / "build/site" / language.code
        home = (site / "index.html").read_text(encoding="utf-8")
        for story in templates:
            assert not (site / "stories" / story.id).exists()
            assert f"stories/{story.id}" not in home
        assert 'id="stories"' not in home  # no "Exemplary enterprises" heading with nothing real under it
        with zipfile.ZipFile(root / "build/site/offline" / f"outreach-{language.code}.zip") as pack:
            assert not [name for name in pack.namelist() if "/stories/" in name or name.startswith("stories/")]


def test_keeping_a_language_keeps_its_reading_pdfs_not_the_presenters_decks(bundled_build):
    import re

    root, _ = bundled_build
    for language in LANGUAGES:
        site = root / "build/site" / language.code
        worker = (site / "sw.js").read_text(encoding="utf-8")
        kept = set(re.findall(r'"\./pdf/([^"?]+)\?v=[0-9a-f]{12}"', worker))
        code = language.code
        reading = {f"handbook-so-tay.{code}.pdf", f"course-awareness.{code}.pdf", f"course-new-member.{code}.pdf"}
        reading |= {f"leaflet-owners.vi-{code}.pdf"} if not language.is_source else set()
        assert kept == reading, (code, kept)
        # the decks stay on the site, linked from their pages, and are kept once opened
        decks = {path.name for path in (site / "pdf").glob("*.pdf")} - kept
        assert f"lecture-awareness.{code}.notes.pdf" in decks and f"slides-quan-triet-de-an.{code}.pdf" in decks
        # what the control says keeping costs: the pages and the search (compressed) and these PDFs
        size = int(re.search(r"const BYTES = (\d+);", worker).group(1))
        pdfs = sum((site / "pdf" / name).stat().st_size for name in kept)
        assert pdfs < size < pdfs + 1_000_000, (code, size, pdfs)
