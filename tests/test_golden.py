"""Golden files for the renderers we own: the print HTML of a leaflet and of a handbook chapter, and the
Markdown of every generated page, from the inline fixture project. A change in what they produce shows in
review as a diff of tests/golden/. The style sheets inlined into the print HTML are left out of the goldens:
they are files of their own (outreach/templates/print/*.css) and show in review there.

When a change in the output is intended, regenerate the goldens and review the diff before committing:

    OUTREACH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from outreach.build import Paths, localizers_for
from outreach.languages import LANGUAGES
from outreach.render import print as print_render
from outreach.render import web
from outreach.validate import load_project

from .conftest import Fixture, fill_catalogs, write_project

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("OUTREACH_UPDATE_GOLDEN") == "1"
SITE_URL = "https://outreach.example.org/"

HANDBOOK = Fixture("""\
id: so-tay
kind: handbook
status:
  state: draft
title: Sổ tay thử
subtitle: Cho người lao động
summary: Sổ tay thử của bộ kiểm thử.
intro: |
  Sổ tay này có **một** chương, giai đoạn {start}.
chapters:
  - vao-dang
""")

CHAPTER = Fixture("""\
id: vao-dang
kind: chapter
status:
  state: draft
handbook: so-tay
title: Vào Đảng từng bước
summary: Các bước vào Đảng, tóm tắt.
sections:
  - id: cac-buoc
    heading: Các bước
    body: |
      Theo Chỉ thị ngày {signed}, *mỗi* người lao động có thể:

      1. Nói nguyện vọng với chi bộ nơi bạn
         làm việc.
      2. Học lớp bồi dưỡng; xem [trang của Ban](https://outreach.example.org/vi/).
  - id: ai
    heading: Ai giúp bạn?
    body: Công đoàn và <chi bộ> "giúp" bạn & đồng nghiệp.
""")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The fixture project with a one-chapter handbook, translated, loaded once."""
    root = write_project(tmp_path_factory.mktemp("golden"), {
        "content/handbook/handbook.yaml": HANDBOOK, "content/handbook/vao-dang.yaml": CHAPTER})
    fill_catalogs(root)
    paths = Paths(root)
    project = load_project(root / "content")
    return project, localizers_for(project, paths)


STYLE = re.compile(r"(<style>).*?(</style>)", re.S)


def without_css(html: str) -> str:
    """The print HTML with its inlined style sheets left out: they are files of their own in review."""
    return STYLE.sub(r"\1/* the style sheets */\2", html)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; make it with OUTREACH_UPDATE_GOLDEN=1 (see {__name__})"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"tests/golden/{name}", "rendered", n=2))
        pytest.fail(f"the output differs from tests/golden/{name} (OUTREACH_UPDATE_GOLDEN=1 to accept it):\n"
                    + diff[:6000], pytrace=False)


def job(project, kind: str, codes: tuple[str, ...]):
    return next(j for j in print_render.print_jobs(project, LANGUAGES)
                if j.document.kind == kind and tuple(lang.code for lang in j.languages) == codes)


def print_source(project, localizers, kind: str, codes: tuple[str, ...]):
    found = job(project, kind, codes)
    page_url = f"{SITE_URL}{found.web_language.code}/{web.page_url(web.page_path(found.document))}"
    return print_render.print_html(found, project, localizers, page_url)


def test_content_text_is_escaped_in_the_print_html(rendered):
    project, localizers = rendered
    html = print_source(project, localizers, "handbook", ("vi",)).html
    assert 'Công đoàn và &lt;chi bộ&gt; "giúp" bạn &amp; đồng nghiệp.' in html
    assert "<chi bộ>" not in html


def test_print_html_of_a_bilingual_leaflet(rendered):
    project, localizers = rendered
    source = print_source(project, localizers, "leaflet", ("vi", "ko"))
    # word joiners keep Korean words whole at line ends; a no-break space keeps a heading's last two words together
    words = source.html.replace("\u2060", "").replace("\u00a0", " ")
    assert "기업과 함께합니다" in words and "Đồng hành cùng doanh nghiệp" in words
    check_golden("print/leaflet-test.vi-ko.html", without_css(source.html))


@pytest.mark.parametrize("code", ["vi", "ja"])
def test_print_html_of_a_handbook_chapter(rendered, code):
    project, localizers = rendered
    source = print_source(project, localizers, "handbook", (code,))
    tails = "".join(f"\n<!-- tail with {notes} notes pages -->\n{tail}" for notes, tail in enumerate(source.tails))
    check_golden(f"print/handbook-so-tay.{code}.html", without_css(source.html + tails))


@pytest.mark.parametrize("code", ["vi", "ja"])
def test_generated_page_markdown(rendered, code):
    project, localizers = rendered
    pages = web.render_pages(project, localizers[code], {})
    assert len({page.path for page in pages}) == len(pages)
    text = "".join(f"<!-- page {page.path}: {page.title} -->\n{page.markdown}\n" for page in pages)
    check_golden(f"pages/{code}.md", text)
