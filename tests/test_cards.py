"""Share cards: the image a chat app or a social network shows for a shared page. Their titles break as the
print headings do: Japanese and Chinese between phrases, never inside one (できる | か is wrong)."""

from __future__ import annotations

import html
import re

import pytest

from outreach.languages import get
from outreach.render import web
from outreach.render.common import environment
from outreach.render.linebreak import WJ, join_phrases


def card_lines(source: str) -> list[list[str]]:
    """The lines of each card's title, as WeasyPrint lays the cards out (one page a card)."""
    import weasyprint
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    def lines(box):
        if isinstance(box, LineBox):
            yield "".join(child.text for child in box.descendants() if isinstance(child, TextBox))
            return
        for child in getattr(box, "children", ()):
            yield from lines(child)

    found = []
    for page in weasyprint.HTML(string=source).render().pages:
        titles = [box for box in page._page_box.descendants() if getattr(box, "element_tag", "") == "h1"]
        found.append([line.replace(WJ, "") for line in lines(titles[0])])
    return found


@pytest.mark.parametrize("lang", ["ja", "zh-Hans"])
def test_card_titles_break_between_phrases(bundled_build, lang):
    root, _ = bundled_build
    titles = sorted({html.unescape(match) for page in (root / "build/site" / lang).rglob("index.html")
                     for match in re.findall(r'<meta property="og:title" content="([^"]+)"', page.read_text("utf-8"))})
    pages = [web.Page(f"p{number}.md", title, "") for number, title in enumerate(titles)]
    source = web.card_source(environment(), get(lang), pages, "site", "board")
    wrapped = 0
    for title, lines in zip(titles, card_lines(source)):
        assert "".join(lines) == title
        phrases = join_phrases(title, lang).split(WJ)  # what may not be broken: the characters a joiner binds
        joined = {sum(map(len, phrases[:index])) for index in range(1, len(phrases))}
        ends = [sum(map(len, lines[:index])) for index in range(1, len(lines))]
        assert not joined & set(ends), (title, lines)
        wrapped += len(lines) > 1
    assert wrapped >= 3  # titles that take two lines: what the test is about
