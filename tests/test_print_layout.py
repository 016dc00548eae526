"""Print layout read back from the PDFs: line breaks, runt pages, running heads, the measure of the handouts,
the tagged structure of the screen PDFs, the palette and the art."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po

from outreach.errors import OutreachError
from outreach.i18n.translate import Translator
from outreach.languages import LANGUAGES, get
from outreach.render import palette
from outreach.render import print as print_render
from outreach.render.linebreak import mark_breaks
from outreach.validate import load_project

XHTML = "{http://www.w3.org/1999/xhtml}"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# characters that CJK line breaking rules (kinsoku) keep from starting a line
NO_LINE_START = set("、。，．,.：；？！?!・）)」』】〕〉》〗〙〟’”ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")


@dataclass
class Line:
    text: str  # words joined by one space
    words: list[str]
    x: float
    top: float
    height: float
    right: float = 0.0


def pdf_pages(path: Path, first: int | None = None, last: int | None = None) -> list[list[list[Line]]]:
    """Every page of a PDF as poppler lays its text out: blocks of lines of words, in reading order."""
    command = ["pdftotext", "-bbox-layout"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    xhtml = subprocess.run([*command, str(path), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in ET.fromstring(xhtml).iter(f"{XHTML}page"):
        blocks = []
        for block in page.iter(f"{XHTML}block"):
            lines = []
            for line in block.iter(f"{XHTML}line"):
                words = [word.text or "" for word in line.iter(f"{XHTML}word")]
                lines.append(Line(" ".join(words), words, float(line.get("xMin")), float(line.get("yMin")),
                                  float(line.get("yMax")) - float(line.get("yMin")), float(line.get("xMax"))))
            blocks.append(lines)
        pages.append(blocks)
    return pages


def korean_vocabulary(root: Path) -> set[str]:
    """The Korean words of the sources: every token of every Korean catalog entry and glossary rendering."""
    with open(root / "locales/ko/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    texts = [m.string for m in catalog if m.id and isinstance(m.string, str)]
    return {token for text in texts for token in text.split() if HANGUL.search(token)}


def split_korean_words(pages, vocabulary: set[str]) -> list[str]:
    """Line ends that cut a Korean word: the two halves form a word of the sources, and are not both words."""
    found = []
    for number, blocks in enumerate(pages, start=1):
        for lines in blocks:
            for before, after in zip(lines, lines[1:]):
                if not (before.words and after.words):
                    continue
                left, right = before.words[-1], after.words[0]
                if not (HANGUL.search(left[-1]) and HANGUL.search(right[0])):
                    continue
                if left + right in vocabulary and not (left in vocabulary and right in vocabulary):
                    found.append(f"page {number}: {left}|{right}")
    return found


def forbidden_line_starts(pages) -> list[str]:
    return [f"page {number}: {line.text[:20]}" for number, blocks in enumerate(pages, start=1)
            for lines in blocks for line in lines[1:] if line.text and line.text[0] in NO_LINE_START]


def screen_pdfs(root: Path) -> list[Path]:
    """The screen PDFs of the press products (each has a printer pack)."""
    pdfs = sorted(pdf for pdf in (root / "build/pdf").glob("*.pdf") if (root / "build/packs" / pdf.stem).is_dir())
    assert len(pdfs) == 19
    return pdfs


def screen_only_pdfs(root: Path) -> list[Path]:
    """The PDFs of the kinds without a press product: decks and their speaker notes, in every language."""
    pdfs = sorted(pdf for pdf in (root / "build/pdf").glob("*.pdf") if not (root / "build/packs" / pdf.stem).is_dir())
    assert len(pdfs) == 30
    return pdfs


def split_names(pages, names: list[str]) -> list[str]:
    """Line ends inside a proper name of more than one word ("Bình | Phước")."""
    found = []
    for number, blocks in enumerate(pages, start=1):
        for lines in blocks:
            for before, after in zip(lines, lines[1:]):
                for name in names:
                    words = name.split()
                    for cut in range(1, len(words)):
                        if before.text.endswith(" ".join(words[:cut])) and after.text.startswith(" ".join(words[cut:])):
                            found.append(f"page {number}: {before.text[-20:]}|{after.text[:20]}")
    return found


def test_no_korean_word_or_name_is_split_and_no_line_starts_against_cjk_rules(bundled_build):
    import yaml

    root, _ = bundled_build
    vocabulary = korean_vocabulary(root)
    assert len(vocabulary) > 500
    names = [name for name in yaml.safe_load((root / "content/names.yaml").read_text())["names"] if " " in name]
    for pdf in screen_pdfs(root) + screen_only_pdfs(root):
        pages = pdf_pages(pdf)
        assert split_korean_words(pages, vocabulary) == [], pdf.name
        assert split_names(pages, names) == [], pdf.name
        if any(code in pdf.name for code in (".ko", "-ko", ".ja", "-ja", "zh-Hans")):
            assert forbidden_line_starts(pages) == [], pdf.name
    # the Korean issuer on the cover of the Korean leaflet: one line, not one word a line
    project = load_project(root / "content")
    board = Translator.load(get("ko"), root / "locales", project.facts, project.bodies).text(project.site.board).value
    assert "{" not in board and board.strip()
    cover = [line.text for blocks in pdf_pages(root / "build/pdf/leaflet-owners.vi-ko.pdf", 1) for lines in blocks
             for line in lines]
    assert board in cover, cover


def test_the_scan_finds_the_splits_weasyprint_makes_on_its_own(tmp_path):
    """Without word joiners WeasyPrint breaks Korean between syllables: the scan must see it."""
    import weasyprint

    words = "근로자는 고르십시오 기업에서 노동조합을 만들고 함께합니다 당원이 되는 길을 알아봅니다".split()
    text = " ".join(words * 6)
    html = (f'<html lang="ko"><head><meta charset="utf-8"><style>@page {{ size: 60mm 120mm; margin: 5mm }}'
            f'body {{ font: 9pt "Noto Sans CJK KR" }}</style></head><body><p>{text}</p><h1>고르십시오 (맞는 답)</h1>'
            "</body></html>")
    vocabulary = set(words)
    for marked, expect_splits in ((html, True), (mark_breaks(html), False)):
        weasyprint.HTML(string=marked).write_pdf(tmp_path / "ko.pdf")
        assert bool(split_korean_words(pdf_pages(tmp_path / "ko.pdf"), vocabulary)) is expect_splits



@pytest.mark.parametrize("lang, font, kept", [("zh-Hans", "Noto Sans CJK SC", "《劳动法典》"),
                                              ("ja", "Noto Sans CJK JP", "2023～2030年")])
def test_short_titles_and_ranges_of_figures_stay_on_one_line(tmp_path, lang, font, kept):
    """《劳动法 | 典》 and 2023～ | 2030年 are wrong: a paragraph at every offset in a narrow column puts them across
    a line end somewhere; WeasyPrint splits them there unless mark_breaks joins them."""
    import weasyprint

    filler = "的" if lang == "zh-Hans" else "の"
    paragraphs = "".join(f"<p>{filler * offset}{kept}{filler * 12}</p>" for offset in range(12))
    html = (f'<html lang="{lang}"><head><meta charset="utf-8"><style>@page {{ size: 60mm 300mm; margin: 5mm }}'
            f'body {{ font: 10pt "{font}"; width: 30mm }}</style></head><body>{paragraphs}</body></html>')
    for marked, expect_whole in ((html, False), (mark_breaks(html), True)):
        weasyprint.HTML(string=marked).write_pdf(tmp_path / "out.pdf")
        lines = [line.text.replace(" ", "").replace("\u2060", "") for blocks in pdf_pages(tmp_path / "out.pdf")
                 for block in blocks for line in block]
        whole = sum(line.count(kept) for line in lines)
        assert (whole == 12) is expect_whole, (whole, lines)

def cjk_paragraph_lines(pages):
    """(page number, a line, the line after it in the same paragraph or None, the right edge of its column) for
    every line of Japanese or Chinese body text: lines of the page's most common height (headings are taller,
    running heads shorter); the next line belongs to the same paragraph when it follows one line pitch below
    (the smallest step between lines of that height in the document: paragraphs and list items are further
    apart)."""
    text_of_page = []
    for blocks in pages:
        lines = [line for block in blocks for line in block if line.text.strip()]
        heights = Counter(round(line.height, 1) for line in lines if CJK.search(line.text))
        body = heights.most_common(1)[0][0] if heights else None
        text_of_page.append([line for line in lines if round(line.height, 1) == body])
    steps: dict[float, list[float]] = {}
    for text in text_of_page:
        for line, after in zip(text, text[1:]):
            if after.top - line.top > 1:
                steps.setdefault(round(line.height, 1), []).append(after.top - line.top)
    pitch = {height: min(found) for height, found in steps.items()
             if sum(1 for step in found if step < min(found) + 0.5) >= 5}  # a few lines alike are no paragraph
    for number, text in enumerate(text_of_page, start=1):
        for index, line in enumerate(text):
            if not CJK.search(line.text):
                continue
            after = text[index + 1] if index + 1 < len(text) else None
            if after is None or not 0 < after.top - line.top < pitch.get(round(line.height, 1), 0) + 1 \
                    or abs(after.x - line.x) > 20:
                after = None
            # the column: lines that start where this one or the next starts (a list item's first line starts
            # at its marker)
            column = max(other.right for other in text
                         if abs(other.x - line.x) < 2 or after is not None and abs(other.x - after.x) < 2)
            yield number, line, after, column


def test_japanese_and_chinese_body_text_is_justified_and_never_ends_on_one_or_two_characters(bundled_build):
    root, _ = bundled_build
    for code in ("ja", "zh-Hans"):
        for pdf in [pdf for pdf in screen_pdfs(root) if pdf.name.endswith(f"{code}.pdf")]:  # slides: flush left
            ragged, short, full = [], [], 0
            previous = None
            for number, line, after, column in cjk_paragraph_lines(pdf_pages(pdf)):
                if after is not None:  # a line the paragraph goes on from: flush with its column
                    full += 1
                    # (a line shorter by more than a few characters ends an element: a line break rule or a
                    # kept phrase moves a few characters on at most)
                    if 1 < column - line.right < 4 * line.height:
                        ragged.append(f"page {number}: {line.text[-12:]} ({column - line.right:.1f} pt short)")
                elif previous is not None and len(line.text.replace(" ", "")) <= 2:
                    short.append(f"page {number}: {previous.text[-8:]}|{line.text}")
                previous = line if after is not None else None
            assert full >= 5, pdf.name
            assert ragged == [], (pdf.name, ragged)
            assert short == [], (pdf.name, short)


def test_justification_spaces_cjk_characters_and_korean_words_and_syllables():
    from outreach.render.justify import WJ, gaps, korean_gaps

    # after 方, 案, 中 and 3 (next to 年), not inside 2023 or "Công đoàn", nor next to a space or a word joiner
    assert gaps("方案中2023年") == [0, 1, 2, 6]
    assert gaps("是Công đoàn。") == [0, 9]
    assert gaps(f"困{WJ}难。", "下") == [2, 3]
    assert gaps("労働", "組") == [0, 1] and gaps("労働") == [0]
    # Korean: the spaces between words, and the syllables followed by one of the same word (past joiners)
    assert korean_gaps(f"당{WJ}원{WJ}이 되는 길 (맞{WJ}는") == ([5, 8, 10], [0, 2, 6, 12])
    assert korean_gaps(f"노{WJ}동", f"{WJ}조") == ([], [0, 2])


TITLE_LINE_HEIGHT = 20  # pt: CJK lines of 14 pt type and larger (headings, titles) are at least this tall


def test_japanese_and_chinese_titles_break_between_phrases(bundled_build):
    import budoux

    root, _ = bundled_build
    parsers = {"ja": budoux.load_default_japanese_parser(), "zh-Hans": budoux.load_default_simplified_chinese_parser()}
    checked = 0
    for code, parser in parsers.items():
        for pdf in (root / "build/pdf").glob(f"*{code}.pdf"):
            for blocks in pdf_pages(pdf):
                for lines in blocks:
                    for before, after in zip(lines, lines[1:]):
                        if min(before.height, after.height) < TITLE_LINE_HEIGHT \
                                or not (CJK.search(before.text) and CJK.search(after.text)):
                            continue  # body text breaks anywhere; titles between phrases
                        joined = before.text.replace(" ", "") + after.text.replace(" ", "")
                        ends, position = set(), 0
                        for phrase in parser.parse(joined):
                            position += len(phrase)
                            ends.add(position)
                        assert len(before.text.replace(" ", "")) in ends, (pdf.name, before.text, after.text)
                        checked += 1
    assert checked >= 2  # the Japanese titles of the handbook cover and of the leaflet run over two lines


def test_line_breaks_keep_document_numbers_glossary_terms_and_the_last_words_of_headings():
    html = ('<html lang="vi"><body><h1>Sổ tay tổ chức đảng, đoàn thể trong doanh nghiệp</h1>'
            "<p>theo Nghị quyết 21-NQ/TW, đoàn thể</p>"
            '<h2 lang="ko">기업 내 당 조직과 대중단체 안내 책자</h2><h2 lang="en">The <em>steps</em> in brief</h2>'
            '<h2 lang="ja">党組織ハンドブック</h2></body></html>')
    marked = mark_breaks(html, (), ("đoàn thể", "tổ chức đảng", "Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"))
    nbsp, wj = "\u00a0", "\u2060"
    assert f"<h1>Sổ tay tổ{nbsp}chức{nbsp}đảng, đoàn{nbsp}thể trong doanh{nbsp}nghiệp</h1>" in marked
    assert f"2{wj}1{wj}-{wj}N{wj}Q{wj}/{wj}T{wj}W, đoàn thể</p>" in marked  # terms: in headings only
    assert f"안{wj}내{nbsp}책{wj}자</h2>" in marked and f"in{nbsp}brief</h2>" in marked
    assert nbsp not in marked.split('lang="ja">')[1]  # Japanese titles break between phrases instead


def test_headings_never_end_on_a_line_of_one_word(bundled_build):
    root, _ = bundled_build
    checked = 0
    for pdf in sorted((root / "build/pdf").glob("*.pdf")):
        if any(code in pdf.name for code in (".ja", "-ja", "zh-Hans")):
            continue  # Japanese and Chinese titles break between phrases (tested above)
        for number, blocks in enumerate(pdf_pages(pdf), start=1):
            for lines in blocks:
                for before, after in zip(lines, lines[1:]):
                    if min(before.height, after.height) < TITLE_LINE_HEIGHT or after.top - before.top > 2 * after.height:
                        continue
                    following = lines[lines.index(after) + 1] if lines.index(after) + 1 < len(lines) else None
                    if following is not None and following.height >= TITLE_LINE_HEIGHT \
                            and following.top - after.top < 2 * after.height:
                        continue  # not the heading's last line
                    checked += 1
                    assert len(after.words) > 1, (pdf.name, number, before.text, after.text)
    assert checked >= 5


HEAD_LINE_HEIGHT = 12  # pt: running heads (7.5 pt type) are less tall, text lines (9.5 pt and up) taller


def text_lines_of_page(blocks) -> list[Line]:
    return [line for lines in blocks for line in lines if line.text.strip()]


def test_no_runt_pages_and_running_heads_name_the_part(bundled_build):
    """A page that ends a chapter or a module holds more than five lines; every page after a part's first
    carries the part's title as its running head."""
    root, _ = bundled_build
    for pdf in screen_pdfs(root):
        if pdf.name.startswith("leaflet"):
            continue
        with pikepdf.open(pdf) as document:
            titles = {"".join(title.split()) for title in structure_texts(document, "/H2")}  # no-break spaces too
        assert titles, pdf.name
        parts, bodies = [], []
        for blocks in pdf_pages(pdf):
            lines = text_lines_of_page(blocks)
            top = min((line.top for line in lines), default=0)
            heads = [line for line in lines if line.top - top < 2 and line.height < HEAD_LINE_HEIGHT]
            part = next((line.text for line in heads if "".join(line.text.split()) in titles), None)
            parts.append(part)
            # the lines of the page: without the running head and the folio
            bodies.append([line for line in lines if not (part and line in heads)
                           and not re.fullmatch(r"[\d /]+", line.text)])
        assert sum(part is not None for part in parts) >= 3, pdf.name  # running heads are there
        for index, part in enumerate(parts):
            if part and (index + 1 == len(parts) or parts[index + 1] != part):  # the last page of a part
                assert len(bodies[index]) > print_render.RUNT_LINES, (pdf.name, index + 1, part, len(bodies[index]))


def test_a_runt_page_is_an_error_naming_the_part_the_file_and_the_page(tmp_path):
    lines = "".join(f"<p>Dòng thứ {n} của phần này.</p>" for n in range(18))  # a page holds 16
    html = ('<html lang="vi"><head><meta charset="utf-8"><style>@page { size: 100mm 100mm; margin: 10mm }'
            "body { font: 10pt/14pt 'Noto Sans' } section { break-before: page } p { margin: 0 }</style></head><body>"
            f'<section id="c1" data-part="Phần một">{lines}</section>'
            f'<section id="c2" data-part="Phần hai">{lines}</section></body></html>')
    import weasyprint

    ends = print_render.part_ends(weasyprint.HTML(string=html).render())
    runt = [end for end in ends if end.part == "c1"]
    assert runt and runt[0].lines <= print_render.RUNT_LINES, ends  # the fixture makes a runt
    with pytest.raises(OutreachError) as info:
        print_render.PdfWriter().write(print_render.PrintSource(html), tmp_path / "x.pdf", tmp_path,
                                       label="handbook-so-tay.vi.pdf (vi)")
    text = info.value.format()
    assert text.startswith(f"handbook-so-tay.vi.pdf (vi): error: page {runt[0].page} holds only the last "
                           f"{runt[0].lines} line(s) of 'Phần một' before the next page break [print.runt]")
    assert not (tmp_path / "x.pdf").exists()


def fitted_document(first: int, second: int) -> str:
    """Two parts whose pages hold 16 lines; a tight part holds 18."""
    part = lambda n, count: "".join(f"<p>Dòng {n}.{i} của phần này.</p>" for i in range(count))  # noqa: E731
    return ('<html lang="vi"><head><meta charset="utf-8"><style>@page { size: 100mm 100mm; margin: 10mm }'
            "body { font: 10pt/14pt 'Noto Sans' } section { break-before: page } p { margin: 0 }"
            "[data-fit=tight] p { line-height: 12pt }</style></head><body>"
            f'<section id="c1" data-part="Phần một">{part(1, first)}</section>'
            f'<section id="c2" data-part="Phần hai">{part(2, second)}</section></body></html>')


def test_a_part_keeps_the_spacing_chosen_for_it_and_the_pdf_is_the_one_a_clean_build_makes(tmp_path, monkeypatch):
    import weasyprint

    from outreach import cache

    renders = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render", lambda self, *a, **k: renders.append(1) or render(self, *a, **k))

    def write(html: str, folder: Path) -> bytes:
        source = print_render.PrintSource(html)
        source = print_render.PrintSource(html, fit_keys=cache.fit_keys(source, ()))
        renders.clear()
        problems, rendered, _ = print_render.write_cached(source, None, tmp_path, folder, cache.pdf_key(source, ()),
                                                         screen=folder / "out.pdf")
        assert not problems and rendered
        return (folder / "out.pdf").read_bytes()

    first = write(fitted_document(18, 18), tmp_path / "a")
    assert len(renders) == 2  # both parts end in 2 lines: one try, tight for both, kept
    fits = sorted(path.read_text() for path in (tmp_path / "a/fits").iterdir())
    assert fits == ["tight", "tight"]
    assert len(pikepdf.open(tmp_path / "a/out.pdf").pages) == 2  # each part on one page
    # the second part changes, the first does not: its spacing is known, the document is laid out once
    again = write(fitted_document(18, 10), tmp_path / "a")
    assert len(renders) == 1
    clean = write(fitted_document(18, 10), tmp_path / "b")
    assert len(renders) == 2  # a clean build tries the spacing of the first part again
    assert again == clean and again != first


def test_a_document_with_its_breaks_marked_is_kept_by_all_it_is_made_from(tmp_path):
    from outreach.render.linebreak import MarkedDocuments

    marked = MarkedDocuments()
    marked.folder = tmp_path
    html = '<html lang="ko"><body><h2>기업 안의 당 조직과 노동조합</h2><p>노동자는 교대 근무 사이에 공부합니다.</p></body></html>'
    first = marked(html, ("Bình Phước",))
    assert first == mark_breaks(html, ("Bình Phước",)) and first != html
    [kept] = list(tmp_path.iterdir())
    kept.write_text("as kept", encoding="utf-8")
    assert marked(html, ("Bình Phước",)) == "as kept"  # the same inputs: taken from the cache
    assert marked(html, ("Bình Dương",)) == mark_breaks(html, ("Bình Dương",))  # other names: marked anew
    assert len(list(tmp_path.iterdir())) == 2


def test_booklets_pad_with_notes_pages_only_to_a_multiple_of_four(bundled_build):
    root, _ = bundled_build
    for language in LANGUAGES:
        pdf = root / f"build/pdf/handbook-so-tay.{language.code}.pdf"
        pages = [text_lines_of_page(blocks) for blocks in pdf_pages(pdf)]
        assert len(pages) % 4 == 0
        # notes pages: a heading and ruled lines, between the contacts and the back cover
        notes = [i for i, lines in enumerate(pages) if len(lines) <= 2 and 3 < i < len(pages) - 1]
        assert len(notes) <= 3 and all(i > len(pages) - 5 for i in notes), (language.code, notes)


def test_handouts_keep_a_comfortable_measure_and_answer_options_hang(bundled_build):
    root, _ = bundled_build
    for code in ("vi", "en"):
        for course in ("awareness", "new-member"):
            pdf = root / f"build/pdf/course-{course}.{code}.pdf"
            longest = max(len(line.text) for blocks in pdf_pages(pdf)[1:] for lines in blocks for line in lines
                          if "://" not in line.text and line.height >= HEAD_LINE_HEIGHT)  # text, not running heads
            assert 50 <= longest <= 75, (pdf.name, longest)
            # an answer option that runs over two lines: its second line starts where its text starts
            hanging = 0
            for blocks in pdf_pages(pdf)[1:]:
                lines = [line for block in blocks for line in block]
                for option, following in zip(lines, lines[1:]):
                    if len(option.words) > 1 and re.fullmatch(r"[A-E]\.", option.words[0]) \
                            and not re.fullmatch(r"[A-E]\.", following.words[0]) and following.top - option.top < 20:
                        text_x = option_text_x(pdf, option)
                        if text_x is not None and abs(following.x - option.x) > 1:
                            assert abs(following.x - text_x) < 1.5, (pdf.name, option.text, following.text)
                            hanging += 1
            assert hanging >= 1, pdf.name


def option_text_x(pdf: Path, option: Line) -> float | None:
    """Where the text of an answer option starts: the second word of its first line."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    for line in ET.fromstring(xhtml).iter(f"{XHTML}line"):
        words = list(line.iter(f"{XHTML}word"))
        if abs(float(line.get("xMin")) - option.x) < 0.01 and abs(float(line.get("yMin")) - option.top) < 0.01:
            return float(words[1].get("xMin")) if len(words) > 1 else None
    return None


# --- tagged screen PDFs -----------------------------------------------------------------------------------

def structure_elements(document):
    """Every structure element, depth first in the order of the structure tree (the reading order)."""
    root = document.Root.get("/StructTreeRoot")
    stack = [root.K] if root is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, pikepdf.Array):
            stack[0:0] = list(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") not in (None, "/StructElem"):
            continue
        if "/S" not in node:
            continue
        yield node
        kids = node.get("/K")
        if kids is not None:
            stack[0:0] = list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def structure_texts(document, tag: str) -> list[str]:
    """The text of the structure elements with ``tag``, from the marked content of their pages."""
    texts = []
    by_page: dict = {}
    for element in structure_elements(document):
        if element.S != tag:
            continue
        ids = list(marked_ids(element))
        page = element.get("/Pg")
        if page is None or not ids:
            continue
        key = page.objgen
        if key not in by_page:
            by_page[key] = marked_text(pikepdf.Page(page))
        texts.append("".join(by_page[key].get(i, "") for i in ids))
    return [text for text in texts if text]


def marked_ids(element):
    kids = element.get("/K")
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, int):
            yield kid
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from marked_ids(kid)


def marked_text(page) -> dict[int, str]:
    """The text shown inside each marked-content id of a page (decoded with the fonts' ToUnicode maps)."""
    # pdftotext cannot tell marked content apart; decode the glyphs through ToUnicode ourselves.
    fonts = {}
    resources = page.obj.get("/Resources", {})
    for name, font in resources.get("/Font", {}).items():
        fonts[name] = to_unicode(font)
    out: dict[int, str] = {}
    current: list[int] = []
    font = None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            current.append(int(mcid) if mcid is not None else -1)
        elif op == "BMC":
            current.append(-1)
        elif op == "EMC" and current:
            current.pop()
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op in ("Tj", "TJ") and current and current[-1] >= 0 and font is not None:
            strings = operands[0] if op == "TJ" else [operands[0]]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    text = "".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "") for i in range(0, len(raw), 2))
                    out[current[-1]] = out.get(current[-1], "") + text
    return out


def to_unicode(font) -> dict[int, str]:
    cmap = font.get("/ToUnicode")
    mapping: dict[int, str] = {}
    if cmap is None:
        return mapping
    data = cmap.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(target, 16)
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                mapping[code] = chr(base + offset)
    return mapping


def test_screen_pdfs_are_tagged_with_structure_languages_and_alternative_texts(bundled_build):
    root, _ = bundled_build
    for pdf in screen_pdfs(root):
        languages = pdf.name.split(".")[1].split("-", 1) if pdf.name.startswith("leaflet") else [pdf.name.split(".")[1]]
        with pikepdf.open(pdf) as document:
            assert document.Root.MarkInfo.Marked is True, pdf.name
            assert str(document.Root.Lang) == languages[0], pdf.name
            assert str(document.open_metadata().get("pdfuaid:part")) == "1", pdf.name
            elements = list(structure_elements(document))
            tags = {str(element.S) for element in elements}
            assert {"/H1", "/H2", "/P", "/L", "/LI"} <= tags, (pdf.name, tags)
            figures = [element for element in elements if element.S == "/Figure"]
            assert all(str(figure.get("/Alt", "")).startswith("http") for figure in figures), pdf.name
            if not pdf.name.startswith("course"):  # the QR code: its alternative text is the address it holds
                assert figures, pdf.name
            langs = [str(element.Lang) for element in elements if "/Lang" in element]
            if len(languages) == 2:
                # both languages tagged, and the panels read one language after the other
                assert set(langs) >= set(languages), (pdf.name, set(langs))
                sides = [lang for lang in langs if lang in languages]
                switches = sum(1 for a, b in zip(sides, sides[1:]) if a != b)
                assert switches >= 10, (pdf.name, sides)
            elif pdf.name.startswith("handbook") and languages[0] != "vi":
                assert "vi" in langs, pdf.name  # the Vietnamese terms of the glossary
            headings = structure_texts(document, "/H1")
            assert headings and all(text.strip() for text in headings), pdf.name
            if pdf.name.startswith("course"):
                assert_answer_tables(document, pdf.name)
    for pdf in screen_only_pdfs(root):  # a deck: its title, then a heading per slide
        with pikepdf.open(pdf) as document:
            assert document.Root.MarkInfo.Marked is True, pdf.name
            assert str(document.Root.Lang) == pdf.name.split(".")[1], pdf.name
            assert str(document.open_metadata().get("pdfuaid:part")) == "1", pdf.name
            assert len(structure_texts(document, "/H1")) == 1, pdf.name
            assert len(structure_texts(document, "/H2")) >= 10, pdf.name


def assert_answer_tables(document, name: str) -> None:
    """The answer key of a handout is tagged as tables: one per module, a row per question, headed by the
    question's number (a row header), then the letters of the right answers and why. (A table that runs onto
    the next page is tagged as two.)"""
    elements = list(structure_elements(document))
    tables = [element for element in elements if element.S == "/Table"]
    rows = [element for element in elements if element.S == "/TR"]
    assert len(tables) >= 5 and len(rows) >= 3 * len(tables), (name, len(tables), len(rows))
    heads = []
    for row in rows:
        cells = [kid for kid in row.K if isinstance(kid, pikepdf.Dictionary)] if isinstance(row.K, pikepdf.Array) \
            else [row.K]
        assert [str(cell.S) for cell in cells] == ["/TH", "/TD", "/TD"], name
        assert str(cells[0].A.Scope) == "/Row", name
        assert all([str(h) for h in cell.A.Headers] == [str(cells[0].ID)] for cell in cells[1:]), name
        heads.append(cells[0])
    numbers = [int(text.rstrip(".")) for text in structure_texts(document, "/TH")]
    assert len(numbers) == len(heads) and 5 <= numbers.count(1) <= len(tables), (name, numbers)
    assert all(number == 1 or number == before + 1 for before, number in zip([0, *numbers], numbers)), name
    letters = structure_texts(document, "/TD")[0::2]
    assert len(letters) == len(rows) and all(re.fullmatch(r"[A-E](, [A-E])*", text) for text in letters), (name, letters)


def test_press_files_stay_untagged(bundled_build):
    root, _ = bundled_build
    for press in sorted((root / "build/packs").glob("*/*.press.pdf")):
        with pikepdf.open(press) as document:
            assert "/StructTreeRoot" not in document.Root, press.name
            assert str(document.Root.OutputIntents[0].S) == "/GTS_PDFX"


# --- palette and art ----------------------------------------------------------------------------------------

def test_the_site_css_holds_the_palette_and_print_css_names_only_palette_colours():
    assert palette.web_css_current(), "run: python -m outreach.render.palette"
    for css in sorted((palette.TEMPLATES / "print").glob("*.css")):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"device-cmyk\(|#[0-9a-fA-F]{3,6}\b|rgb\(", text), css.name
        palette.print_css(text, css.name)  # every var(--…) and art(…) is known
    for art in sorted(palette.ART.glob("*.svg")):
        printed = palette.print_svg(art.stem)
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", printed) and "device-cmyk(" in printed, art.name
    with pytest.raises(OutreachError) as info:
        palette.print_css(".x { color: var(--pink); }", "x.css")
    assert "colour --pink is not in the palette [print.palette]" in info.value.format()


def drawn(page_or_form) -> list[bytes]:
    """The content streams of a page and of every form it draws, nested forms included."""
    contents = page_or_form.get("/Contents")
    streams = [page_or_form.read_bytes()] if contents is None else \
        [stream.read_bytes() for stream in (contents if isinstance(contents, pikepdf.Array) else [contents])]
    for form in page_or_form.get("/Resources", {}).get("/XObject", {}).values():
        if form.get("/Subtype") == "/Form":
            streams += drawn(form)
    return streams


def test_covers_carry_the_art_in_cmyk_and_the_site_the_same_motif(bundled_build):
    root, _ = bundled_build
    for name in ("handbook-so-tay.ko", "course-awareness.ja", "leaflet-owners.vi-zh-Hans"):
        with pikepdf.open(root / f"build/packs/{name}/{name}.press.pdf") as document:
            content = b"\n".join(drawn(document.pages[0].obj))
            red = " ".join(f"{v:g}" for v in palette.PALETTE["red"].cmyk).encode()
            gold = " ".join(f"{v:g}" for v in palette.PALETTE["gold"].cmyk).encode()
            assert re.search(rb"\b" + re.escape(red) + rb" (k|scn)\b", content), name  # the red of the art, in CMYK
            assert re.search(rb"\b" + re.escape(gold) + rb" (k|scn)\b", content), name  # the star
            assert not re.search(rb" (rg|RG)\b|/DeviceRGB", content), name
    page = (root / "build/site/en/index.html").read_text(encoding="utf-8")
    assert "assets/emblem.svg" in page
    served = (root / "build/site/en/assets/emblem.svg").read_text(encoding="utf-8")
    assert palette.PALETTE["red"].srgb in served and palette.PALETTE["gold"].srgb in served
