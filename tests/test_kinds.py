"""Document kinds as a registry: a kind registered only here (its model, templates and outputs) is validated,
translated, built into a page and a screen PDF, and left out of the printer packs; and the slides kind: a 16:9
deck, an A4 speaker-notes PDF and a presentation page."""

from __future__ import annotations

import re
from html import unescape
import subprocess
from pathlib import Path

import pytest

from outreach import kinds
from outreach.build import Paths, build
from outreach.languages import LANGUAGES, source
from outreach.render import print as print_render

from . import notice_kind
from .conftest import REPO, fill_catalogs, pdftotext, write_project

EN = next(lang for lang in LANGUAGES if lang.code == "en")


NOTICE_WEB = """\
---
title: {{ lz.plain(doc.title) | yaml }}
---
# {{ lz.plain(doc.title) | md }}

<div class="notice-body">{{ lz.block(doc.body) }}</div>

{% for pdf in pdfs %}<a class="notice-pdf" href="{{ pdf_root }}{{ pdf.href }}">PDF</a>{% endfor %}
"""

NOTICE_HOME = """\
{% if cards %}
<div class="notices">{% for card in cards %}<a class="notice-card" href="{{ card.href }}">{{ lz.inline(card.doc.title) }}</a>{% endfor %}</div>
{% endif %}
"""

NOTICE_PRINT = """\
<!doctype html>
<html lang="{{ lz.language.code }}">
<head>{% from "print/_meta.j2" import head %}{{ head(meta, css) }}<style>@page { size: 148mm 105mm; margin: 10mm; }</style></head>
<body><h1>{{ lz.inline(doc.title) }}</h1>{{ lz.block(doc.body) }}</body>
</html>
"""

NOTICE = """\
id: nghi-le
kind: notice
status:
  state: draft
title: Thông báo lịch sinh hoạt chi bộ
summary: Lịch sinh hoạt chi bộ trong tháng.
body: Chi bộ sinh hoạt vào chiều thứ năm tuần đầu, sau ca làm việc, với {workers} lao động được mời.
"""

DECK = """\
id: thu
kind: slides
status:
  state: draft
audience: Cán bộ chủ chốt và lãnh đạo doanh nghiệp.
title: Bài trình bày thử
subtitle: Một dòng dưới tiêu đề.
summary: Bài trình bày để thử loại tài liệu mới.
slides:
  - id: mot
    heading: Trang thứ nhất về chi bộ
    points:
      - Có {workers} lao động trong khu công nghiệp.
      - Ý thứ hai của trang.
    notes: Ghi chú riêng của trang thứ nhất, chỉ người trình bày đọc.
  - id: hai
    heading: Trang thứ hai
    notes: Ghi chú riêng của trang thứ hai.
    points:
      - Một ý duy nhất.
"""


@pytest.fixture(scope="module")
def plugin_build(tmp_path_factory):
    """The fixture project with a deck and a notice, the notice's kind registered by this test alone, built in
    Vietnamese and English."""
    root = tmp_path_factory.mktemp("kinds")
    templates = root / "notice-templates"
    (templates / "web" / "home").mkdir(parents=True)
    (templates / "web" / "notice.md.j2").write_text(NOTICE_WEB, encoding="utf-8")
    (templates / "web" / "home" / "notice.md.j2").write_text(NOTICE_HOME, encoding="utf-8")
    (templates / "notice-print.html.j2").write_text(NOTICE_PRINT, encoding="utf-8")
    kinds.register(notice_kind.kind(templates, home="notice.md.j2", home_rank=50))
    try:
        write_project(root, {"content/notices/nghi-le.yaml": NOTICE, "content/slides/thu.yaml": DECK})
        fill_catalogs(root, untranslated={})
        result = build(Paths(root), languages=(source(), EN))
        yield root, result
    finally:
        kinds.unregister("notice")


def page_size(pdf: Path) -> tuple[float, float, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    return width, height, int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_a_kind_registered_only_in_the_test_is_built(plugin_build):
    root, _ = plugin_build
    page = (root / "build/site/vi/notices/nghi-le/index.html").read_text(encoding="utf-8")
    body = re.search(r'<div class="notice-body">(.*?)</div>', page, re.S).group(1)
    # the glossary term links to its entry, as on every page of the site
    assert '<a class="term" href="../../glossary/#chi-bo"' in body
    assert "Chi bộ sinh hoạt vào chiều thứ năm tuần đầu" in re.sub(r"<[^>]+>", "", body)
    assert "71.383 lao động" in page  # the fact placeholder, formatted for Vietnamese
    assert 'href="../../pdf/notice-nghi-le.vi.pdf"' in page
    english = (root / "build/site/en/notices/nghi-le/index.html").read_text(encoding="utf-8")
    assert 'class="notice-body"' in english and "Chi bộ sinh hoạt" not in english  # translated (stand-in text)
    home = (root / "build/site/vi/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="notice-card" href="notices/nghi-le/">Thông báo lịch sinh hoạt chi bộ</a>', home)
    pdf = root / "build/pdf/notice-nghi-le.vi.pdf"
    assert "Thông báo lịch sinh hoạt chi bộ" in pdftotext(pdf)
    width, height, _ = page_size(pdf)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (148, 105)
    # no press product: no printer pack for it, while the leaflet still has its pack
    packs = sorted(path.name for path in (root / "build/packs").iterdir())
    assert not [name for name in packs if name.startswith("notice-")]
    assert "leaflet-test.vi-en" in packs


def test_an_unregistered_kind_is_an_error_that_names_the_kinds(tmp_path):
    poster = NOTICE.replace("kind: notice", "kind: poster")
    assert poster != NOTICE
    write_project(tmp_path, {"content/posters/nghi-le.yaml": poster})
    from .conftest import load_errors

    errors = load_errors(tmp_path)
    assert "content/posters/nghi-le.yaml:2:7: error: unknown document kind 'poster'" in errors
    assert "slides" in kinds.models() and "poster" not in kinds.models()


def test_slides_make_a_16_9_deck_and_a4_speaker_notes_without_a_pack(plugin_build):
    root, _ = plugin_build
    deck, notes = root / "build/pdf/slides-thu.vi.pdf", root / "build/pdf/slides-thu.vi.notes.pdf"
    width, height, pages = page_size(deck)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72 * 1000)) == (254, 142875)
    assert pages == 3  # the title slide and two slides
    text = pdftotext(deck)
    assert "Bài trình bày thử" in text and "Trang thứ nhất về chi bộ" in text and "71.383" in text
    assert "Ghi chú riêng của trang thứ nhất" not in text  # the notes are not projected
    width, height, pages = page_size(notes)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert pages == 3
    notes_text = pdftotext(notes)
    assert notes_text.index("Trang thứ nhất về chi bộ") < notes_text.index("Ghi chú riêng của trang thứ nhất") \
        < notes_text.index("Trang thứ hai")  # each slide, then its notes
    assert (root / "build/pdf/slides-thu.en.pdf").exists()
    assert not [path for path in (root / "build/packs").iterdir() if path.name.startswith("slides-")]


def test_the_presentation_page_has_a_section_per_slide_and_notes_behind_a_toggle(plugin_build):
    root, _ = plugin_build
    page = (root / "build/site/vi/slides/thu/index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section class="deck-slide[^"]*" id="([^"]+)"', page)
    assert sections == ["title", "mot", "hai"]
    assert page.count('<details class="deck-notes">') == 3
    assert re.search(r'<details class="deck-notes">\s*<summary>Ghi chú cho người trình bày</summary>\s*'
                     r'<p>Ghi chú riêng của trang thứ nhất', page)
    # keyboard and no script: each slide links to the next and the previous one
    assert 'href="#mot" rel="next"' in page and 'href="#title" rel="prev"' in page
    assert 'href="../../pdf/slides-thu.vi.pdf"' in page and 'href="../../pdf/slides-thu.vi.notes.pdf"' in page
    home = (root / "build/site/vi/index.html").read_text(encoding="utf-8")
    assert 'id="slides"' in home and 'href="slides/thu/">Bài trình bày thử</a>' in home


def test_lecturer_slides_are_made_from_every_module():
    """Each course's lecturer slides hold each module's objectives, key points, example and questions (as
    discussion, the answer in the notes), and say the modules prepare for the class."""
    from outreach.build import localizers_for
    from outreach.validate import load_project

    project = load_project(REPO / "content")
    lectures = kinds.documents(project, kinds.get("lecture"))
    assert [lecture.id for lecture in lectures] == [course.id for course in project.of_kind("course")]
    localizers = localizers_for(project, Paths(REPO), (source(),))
    lz = localizers[source().code]
    for lecture in lectures:
        job = print_render.PrintJob(lecture, (source(),), "notes")
        assert job.filename == f"lecture-{lecture.id}.vi.notes.pdf"
        html = print_render.print_html(job, project, localizers, "https://example.org/")
        plain = " ".join(unescape(re.sub(r"<[^>]+>|\u2060|\u00ad", "", html.html)).split())
        assert "phần chuẩn bị và tự học cho lớp, không thay cho lớp học" in plain
        modules = [m for m in project.of_kind("module") if m.course == lecture.id]
        assert modules and list(lecture.modules) == modules
        for module in modules:
            for text in (module.title, *module.goals, *module.key_points,
                         *(question.prompt for question in module.questions)):
                assert " ".join(lz.plain(text).split())[:60] in plain, (module.id, text.context)
            for question in module.questions:
                right = ", ".join(choice.id.upper() for choice in question.choices if choice.correct)
                assert f"Đáp án: {right}" in plain


def test_screen_pdfs_are_keyed_and_reused_like_the_press_products(plugin_build):
    """A build with nothing changed makes no PDF again: the slides' screen PDFs (no press file, no pack) are
    linked from the published output, as the leaflet's pack is, and come out byte for byte the same."""
    root, first = plugin_build
    deck = root / "build/pdf/slides-thu.en.notes.pdf"
    before = deck.read_bytes()
    assert (root / "build/.cache/keys/pdf-slides-thu.en.notes.key").exists()
    again = build(Paths(root), languages=(source(), EN))
    assert first.pdfs_rendered > 0 and again.pdfs_rendered == 0
    assert again.pdfs_reused == first.pdfs_rendered + first.pdfs_reused
    assert deck.read_bytes() == before
    assert sorted(path.name for path in again.pdfs) == sorted(path.name for path in first.pdfs)
    page = (root / "build/site/en/slides/thu/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/slides-thu.en.notes.pdf"' in page


def test_a_deck_whose_translation_falls_behind_keeps_its_last_complete_edition(tmp_path):
    """The print gate holds for the screen-only PDFs too: while the English deck waits for its translation,
    readers keep the last complete one, its link marked with its edition, also where a build of another
    language links it as published; no pack is ever made for it."""
    from .test_incremental import edit, translate, update_catalogs

    root = write_project(tmp_path, {"content/slides/thu.yaml": DECK})
    fill_catalogs(root, untranslated={})
    build(Paths(root), languages=(source(), EN))
    published = (root / "build/pdf/slides-thu.en.pdf").read_bytes()

    edit(root / "content/slides/thu.yaml", "- Ý thứ hai của trang.", "- Ý thứ hai của trang, đã sửa.")
    update_catalogs(root)
    result = build(Paths(root), languages=(source(), EN))
    assert {"slides-thu.en.pdf", "slides-thu.en.notes.pdf"} <= set(result.blocked)
    assert {"slides-thu.en.pdf", "slides-thu.en.notes.pdf"} <= set(result.kept)
    assert (root / "build/pdf/slides-thu.en.pdf").read_bytes() == published
    assert "Ý thứ hai của trang, đã sửa" in pdftotext(root / "build/pdf/slides-thu.vi.pdf")
    kept = re.compile(r'slides-thu\.en\.pdf"[^>]*>[^<]*</a> <span class="kept-edition">')
    assert kept.search((root / "build/site/en/slides/thu/index.html").read_text(encoding="utf-8"))
    # a Vietnamese build leaves the English deck as published: still the kept edition
    build(Paths(root), languages=(source(),))
    assert kept.search((root / "build/site/vi/slides/thu/index.html").read_text(encoding="utf-8"))
    assert (root / "build/pdf/slides-thu.en.pdf").read_bytes() == published

    translate(root, EN, "slides.thu:slides.mot.points.2", "The second point, corrected.")
    result = build(Paths(root), languages=(source(), EN))
    assert "slides-thu.en.pdf" not in result.blocked and "slides-thu.en.pdf" not in result.kept
    assert "The second point, corrected." in pdftotext(root / "build/pdf/slides-thu.en.pdf")
    page = (root / "build/site/en/slides/thu/index.html").read_text(encoding="utf-8")
    assert "slides-thu.en.pdf" in page and not kept.search(page)
    assert not [path for path in (root / "build/packs").iterdir() if path.name.startswith("slides-")]
