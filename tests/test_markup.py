"""The markup of texts: the subset parses to blocks and spans; anything outside it is a located error."""

from __future__ import annotations

import pytest

from outreach import markup
from outreach.markup import Block, Span

from .conftest import LEAFLET, load_errors, write_project


def html(text: str, rich: bool = True) -> str:
    return markup.to_html(markup.parse(text, rich))


def test_paragraphs_lists_emphasis_and_links():
    text = ("Công đoàn **không điều hành** việc *kinh doanh*.\n\n- Một;\n- Hai [trang](https://example.org/a).\n\n"
            "1. Ba\n2. Bốn")
    assert html(text) == ('<p>Công đoàn <strong>không điều hành</strong> việc <em>kinh doanh</em>.</p>\n'
                          '<ul><li>Một;</li><li>Hai <a href="https://example.org/a">trang</a>.</li></ul>\n'
                          '<ol><li>Ba</li><li>Bốn</li></ol>')


def test_wrapped_lines_join_with_a_space_except_between_cjk_characters():
    assert markup.parse("một\n   hai", False) == (Block("p", ((Span("text", text="một hai"),),)),)
    assert markup.parse("不经营\n企业。", False) == (Block("p", ((Span("text", text="不经营企业。"),),)),)


def test_a_list_item_continues_on_its_indented_lines():
    assert html("1. Nói nguyện vọng với đảng viên\n   nơi bạn làm việc.\n2. Học.") == \
        "<ol><li>Nói nguyện vọng với đảng viên nơi bạn làm việc.</li><li>Học.</li></ol>"


def test_a_link_target_keeps_its_parentheses():
    """A target holding balanced parentheses was cut at the first ')' and the rest printed as text."""
    blocks = markup.parse("Xem [Điều lệ](https://vi.wikipedia.org/wiki/Điều_lệ_(Đảng)) để biết thêm.", False)
    assert markup.links(blocks) == ["https://vi.wikipedia.org/wiki/Điều_lệ_(Đảng)"]
    assert markup.to_html(blocks) == ('<p>Xem <a href="https://vi.wikipedia.org/wiki/Điều_lệ_(Đảng)">Điều lệ</a> '
                                      'để biết thêm.</p>')


def test_strong_text_ending_in_cjk_punctuation_closes_before_the_next_word():
    """CommonMark would not close '**' between '。' and a letter; Chinese and Japanese write it so."""
    assert html("- **不经营企业。**管理权仍归企业主。", True) == \
        "<ul><li><strong>不经营企业。</strong>管理权仍归企业主。</li></ul>"
    assert html("**企業について。**\\[企業名\\]は", False) == "<p><strong>企業について。</strong>[企業名]は</p>"


def test_strong_text_followed_by_a_korean_particle_closes():
    """Korean writes a particle straight after its noun: '**{name}**는' is strong text, then the particle."""
    assert html("- **{ban_to_chuc}**는 계획 시행을 주관합니다.", True) == \
        "<ul><li><strong>{ban_to_chuc}</strong>는 계획 시행을 주관합니다.</li></ul>"
    assert html("**노동조합**이 있습니다", False) == "<p><strong>노동조합</strong>이 있습니다</p>"


def test_escapes_write_markup_characters_as_themselves():
    assert html(r"\*không\* \[một\] a\\b", False) == r"<p>*không* [một] a\b</p>"
    assert markup.plain(markup.parse(r"\*\*x\*\*", False)) == "**x**"


def test_text_is_escaped_where_it_enters_html():
    assert html('a < b & "c" > d [x](https://e.org/?a=1&b=2)', False) == \
        '<p>a &lt; b &amp; &quot;c&quot; &gt; d <a href="https://e.org/?a=1&amp;b=2">x</a></p>'


def test_html_is_text():
    """Texts are data: HTML typed into one shows as typed (README: "Every text is data")."""
    assert html("<div>\n<script>alert(1)</script>\n</div>") == \
        "<p>&lt;div&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;/div&gt;</p>"
    assert html('a <b onmouseover="x()">c</b>', False) == \
        "<p>a &lt;b onmouseover=&quot;x()&quot;&gt;c&lt;/b&gt;</p>"


def test_an_underscore_inside_a_word_is_text():
    assert markup.plain(markup.parse("ct33_date and a_b_c", False)) == "ct33_date and a_b_c"


def test_a_one_line_field_refuses_lists_and_paragraphs():
    for text in ("- một\n- hai", "một\n\nhai", "một\n1. hai", "1. một\n2. hai"):
        with pytest.raises(markup.MarkupError) as info:
            markup.parse(text, False)
        assert info.value.code == "markup.block", text
    assert markup.parse("", False) == (Block("p", ((),)),)
    assert markup.parse("", True) == ()


ERRORS = [
    # text, code, message, snippet the error points at (line, column from 0)
    ("a **b", "markup.emphasis", "'**' opens strong emphasis that is never closed", (0, 2)),
    ("a *b", "markup.emphasis", "'*' opens emphasis that is never closed", (0, 2)),
    ("2 * 3", "markup.emphasis", "'*' opens emphasis that is never closed", (0, 2)),
    ("xem [trang] này", "markup.link", "'[' starts a link that is not written [text](target)", (0, 4)),
    ("a ] b", "markup.link", "']' without a matching '['", (0, 2)),
    ("[a]: https://e.org", "markup.link", "'[' starts a link that is not written [text](target)", (0, 0)),
    ("[a](ftp://e.org)", "markup.link-target",
     "link target 'ftp://e.org' is not a web address, mailto:, tel: or site path", (0, 4)),
    ('[a](https://e.org "tiêu đề")', "markup.link", "a link title is not part of the markup texts may use", (0, 4)),
    ("một\n# Tiêu đề", "markup.syntax", "a heading ('#' or an underline of '-' or '=') is not part of the markup "
     "texts may use", (1, 0)),
    ("Tiêu đề\n===", "markup.syntax", "a heading ('#' or an underline of '-' or '=') is not part of the markup "
     "texts may use", (1, 0)),
    ("> trích", "markup.syntax", "a quotation ('>') is not part of the markup texts may use", (0, 0)),
    ("một\n\n    mã", "markup.syntax", "indented code (a line indented four spaces after a blank line) is not "
     "part of the markup texts may use", (2, 4)),
    ("```\nmã\n```", "markup.syntax", "a code block ('```') is not part of the markup texts may use", (0, 0)),
    ("một\n\n---", "markup.syntax", "a horizontal rule is not part of the markup texts may use", (2, 0)),
    ("| a | b |\n| - | - |", "markup.syntax", "a table is not part of the markup texts may use", (0, 0)),
    ("a `mã`", "markup.syntax", "code ('`') is not part of the markup texts may use", (0, 2)),
    ("![ảnh](https://e.org/a.png)", "markup.syntax", "an image ('![…](…)') is not part of the markup texts may use",
     (0, 0)),
    ("a ~~b~~", "markup.syntax", "strikethrough ('~~') is not part of the markup texts may use", (0, 2)),
    ("R &amp; D", "markup.syntax", "an HTML entity is not part of the markup texts may use", (0, 2)),
    ("<https://e.org>", "markup.syntax", "an address in '<…>' is not part of the markup texts may use", (0, 0)),
    ("a _b_", "markup.syntax", "emphasis with '_' is not part of the markup texts may use", (0, 2)),
    ("- một\n  - hai", "markup.block", "a list inside a list item", (1, 2)),
    ("* một", "markup.block", "a list bulleted with '*'", (0, 0)),
    ("- một\n-\n- ba", "markup.block", "an empty list item", (1, 0)),
    ("- một\n\n  hai", "markup.block", "a list item of more than one paragraph", (0, 0)),
]


@pytest.mark.parametrize("text, code, message, where", ERRORS, ids=[e[0][:16] for e in ERRORS])
def test_markup_outside_the_subset_is_an_error_that_points_at_it(text, code, message, where):
    with pytest.raises(markup.MarkupError) as info:
        markup.parse(text, True)
    error = info.value
    assert (error.code, error.message, (error.line, error.column)) == (code, message, where)
    assert error.help


def test_the_line_map_counts_from_the_text_as_given():
    with pytest.raises(markup.MarkupError) as info:
        markup.parse("\n\nmột\n\nhai **ba", True)
    assert (info.value.line, info.value.column, info.value.snippet) == (4, 4, "**ba")


def test_a_markup_error_in_a_file_has_its_line_the_source_and_a_help(tmp_path):
    leaflet = LEAFLET.replace("      - Một;\n      - Hai.\n", "      - Một;\n      - Hai.\n\n      # Ba\n")
    text = load_errors(write_project(tmp_path, {"content/leaflets/test.yaml": leaflet}))
    assert text.splitlines()[:4] == [
        "content/leaflets/test.yaml:19:7: error: a heading ('#' or an underline of '-' or '=') is not part of the "
        "markup texts may use [markup.syntax]",
        "          # Ba",
        "          ^",
        "  help: documents have their own heading fields; write the text as a paragraph"]


def test_the_same_stray_marker_on_a_later_line_is_found_there(tmp_path):
    leaflet = LEAFLET.replace("      - Một;\n      - Hai.\n", "      - **Một**;\n      - Hai **ba.\n")
    text = load_errors(write_project(tmp_path, {"content/leaflets/test.yaml": leaflet}))
    assert text.splitlines()[:3] == [
        "content/leaflets/test.yaml:17:13: error: '**' opens strong emphasis that is never closed "
        "[markup.emphasis]",
        "          - Hai **ba.",
        "                ^"]


def test_a_build_keeps_the_texts_it_parsed_for_the_next_one_and_only_those(tmp_path, monkeypatch):
    import json

    from outreach import cache

    monkeypatch.setattr(cache.ParsedTexts, "_seen", {})
    first = cache.ParsedTexts(tmp_path)
    first.load()
    blocks = markup.parse("Một **câu** có [liên kết](https://example.org/a_(b)).", False)
    markup.parse("- một\n- hai", True)
    first.save()
    stored = json.loads(first.path.read_text(encoding="utf-8"))
    assert {(text, rich) for text, rich, _ in stored} >= {
        ("Một **câu** có [liên kết](https://example.org/a_(b)).", False), ("- một\n- hai", True)}
    assert markup.from_data(markup.to_data(blocks)) == blocks

    # the next build (another process: nothing parsed yet) takes them as they were, without parsing them
    monkeypatch.setattr(markup, "_PARSED", {})
    monkeypatch.setattr(cache.ParsedTexts, "_seen", {})
    second = cache.ParsedTexts(tmp_path)
    second.load()
    monkeypatch.setattr(markup, "_parse", lambda text, rich: pytest.fail(f"parsed again: {text!r}"))
    assert markup.parse("Một **câu** có [liên kết](https://example.org/a_(b)).", False) == blocks
    second.save()  # this build asked for one text: the file keeps that one, not every text ever parsed
    assert [(text, rich) for text, rich, _ in json.loads(second.path.read_text(encoding="utf-8"))] == [
        ("Một **câu** có [liên kết](https://example.org/a_(b)).", False)]
