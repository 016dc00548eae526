"""Justification between characters for Japanese and Chinese, and between syllables for Korean, which WeasyPrint does not do.

Japanese and Chinese body text is set justified: every full line ends flush with the measure. A line
of such text breaks between any two characters and holds no space, and WeasyPrint 70 justifies by
widening spaces only (``text-align: justify`` leaves these lines as they are, ragged by up to a
character, more where a line-start rule or a kept phrase moved a character on). CSS names what is
wanted ``text-justify: inter-character``: the extra width of the line shared out between its
characters. That is what this module does, for lines of ``lang`` ``ja`` or ``zh-Hans`` text (the
languages whose ``line_breaks`` is ``"phrases"``) in an element set ``text-align: justify``:

- the space goes into every gap next to a Han or kana character (or CJK punctuation), not inside a
  run of Latin letters or digits ("2023", "Công đoàn" keep their spacing) and not next to a space
  or the U+2060 WORD JOINER that ``linebreak.py`` puts in;
- a line with no such gap (a Latin line) is justified as WeasyPrint does, at its spaces;
- the last line of a paragraph stays flush left, as ``text-align: justify`` asks.

Korean (``line_breaks == "words"``) breaks between words only, so a justified line whose next word
was long opens wide gaps between its words. Its spaces take most of the extra width, and the gaps
between the syllables of its words a little (at most ``SYLLABLE_SPACING`` of the type size), as
Korean typesetters share it out.

It works inside WeasyPrint's layout: its function that justifies a line is replaced while
``inter_character()`` is active (WeasyPrint offers no hook), and each text box of such a line gets
a Pango layout with letter spacing on the characters followed by a gap, which stays with the box
when it is drawn.
"""

from __future__ import annotations

import contextlib
import re

from ..languages import LANGUAGES

WJ = "\u2060"
# Han, kana, CJK symbols and punctuation, full-width forms
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _codes(line_breaks: str) -> frozenset[str]:
    """The languages of the loaded project whose lines break so (content/languages.yaml)."""
    return frozenset(lang.code for lang in LANGUAGES if lang.line_breaks == line_breaks)

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
SPACE_SHARE = 4  # a space between Korean words takes this many times what a gap between syllables takes
SYLLABLE_SPACING = 0.06  # em: the most a gap between two syllables of a Korean word takes


def gaps(text: str, following: str = "") -> list[int]:
    """The characters of ``text`` after which a justified line may take extra space: those next to a
    CJK character, unless a space or a word joiner is on either side. ``following`` is the first
    character after the text on the same line (in the next text box), if any."""
    found = []
    for index, char in enumerate(text):
        after = text[index + 1] if index + 1 < len(text) else following
        if not after or char == WJ or after == WJ or char.isspace() or after.isspace():
            continue
        if CJK.match(char) or CJK.match(after):
            found.append(index)
    return found


def korean_gaps(text: str, following: str = "") -> tuple[list[int], list[int]]:
    """(spaces, syllables): the spaces of ``text`` between two words, and the Hangul syllables followed by
    another syllable of the same word (past the word joiners between them)."""
    spaces, syllables = [], []
    for index, char in enumerate(text):
        rest = text[index + 1:].lstrip(WJ) or following.lstrip(WJ)
        if not rest:
            continue
        if char == " " and index and not text[index - 1].isspace() and not rest[0].isspace():
            spaces.append(index)
        elif HANGUL.match(char) and HANGUL.match(rest[0]):
            syllables.append(index)
    return spaces, syllables


def _spaced_layout_class():
    from weasyprint.text import line_break
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    class SpacedLayout(line_break.Layout):
        """A text box's Pango layout with extra space (CSS px) after some of its characters: ``after`` maps
        a character's index to its space.

        WeasyPrint sets a layout's text again when it draws the box: the spacing is applied each time."""

        def __init__(self, style, after: dict[int, float]):
            self.after = after
            super().__init__(style, 0, None)

        def set_text(self, text, justify=False):
            super().set_text(text, justify)
            if not self.after:
                return
            attributes = pango.pango_layout_get_attributes(self.layout)
            if attributes == ffi.NULL:
                attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            offsets = [0]
            for char in self.text:
                offsets.append(offsets[-1] + len(char.encode("utf-8")))
            for index, spacing in self.after.items():
                if index + 1 < len(offsets) and spacing:
                    attribute = pango.pango_attr_letter_spacing_new(int(spacing * TO_UNITS))
                    attribute.start_index, attribute.end_index = offsets[index], offsets[index + 1]
                    pango.pango_attr_list_change(attributes, attribute)
            pango.pango_layout_set_attributes(self.layout, attributes)

    return SpacedLayout


def _plan(texts, extra_width: float) -> list[dict[int, float]] | None:
    """For each text box of a line, the space after each of its characters that takes some of the line's
    extra width; None when the line is to be justified at its spaces only, as WeasyPrint does."""
    cjk, spaces, syllables = [], [], []
    inter_character, words = _codes("phrases"), _codes("words")
    for index, box in enumerate(texts):
        following = texts[index + 1].text[:1] if index + 1 < len(texts) else ""
        lang, collapsing = box.style["lang"], box.style["white_space"] in ("normal", "pre-line")
        cjk.append(gaps(box.text, following) if lang in inter_character and collapsing else [])
        found = korean_gaps(box.text, following) if lang in words and collapsing else ([], [])
        spaces.append(found[0])
        syllables.append(found[1])
    if any(cjk):
        share = extra_width / sum(map(len, cjk))
        return [dict.fromkeys(after, share) for after in cjk]
    count_spaces, count_syllables = sum(map(len, spaces)), sum(map(len, syllables))
    if not count_syllables:
        return None
    font_size = max(box.style["font_size"] for box in texts)
    syllable = extra_width / (SPACE_SHARE * count_spaces + count_syllables)
    if count_spaces:
        syllable = min(syllable, SYLLABLE_SPACING * font_size)
        space = (extra_width - syllable * count_syllables) / count_spaces
    else:
        space = 0.0  # one long word on the line: between its syllables only
    return [{**dict.fromkeys(on_syllables, syllable), **dict.fromkeys(on_spaces, space)}
            for on_spaces, on_syllables in zip(spaces, syllables)]


def _justify(original, spaced_layout, context, line, extra_width: float) -> None:
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.line_break import line_size

    texts = [box for box in line.descendants() if isinstance(box, TextBox)]
    plan = _plan(texts, extra_width)
    if plan is None:
        original(context, line, extra_width)
        return

    def widths(scale: float) -> list[tuple[object, float]]:
        laid = []
        for box, after in zip(texts, plan):
            if not after:
                laid.append((None, box.width))
                continue
            layout = spaced_layout(box.style, {index: space * scale for index, space in after.items()})
            layout.set_text(box.text)
            width, _ = line_size(layout.get_first_line()[0], box.style)
            layout.deactivate()
            laid.append((layout, width))
        return laid

    laid = widths(1.0)
    added = sum(width - box.width for (_, width), box in zip(laid, texts))
    if added > 0 and abs(added - extra_width) > 0.05:
        # Pango gives the characters at the ends of a text box only half their spacing: share again
        laid = widths(extra_width / added)
    _apply(line, {id(box): entry for box, entry in zip(texts, laid)}, 0.0)


def _apply(box, laid: dict, advance: float) -> float:
    """Give the text boxes their spaced layouts and widths, and move every box of the line right by the
    width the text before it took (inline boxes grow by what their text took), as WeasyPrint does when it
    justifies at spaces. Returns the advance after the box."""
    from weasyprint.formatting_structure.boxes import InlineBox, LineBox, TextBox

    if isinstance(box, TextBox):
        box.position_x += advance
        layout, width = laid.get(id(box), (None, box.width))
        if layout is not None:
            advance += width - box.width
            box.width = width
            box.pango_layout = layout
        return advance
    if isinstance(box, (LineBox, InlineBox)):
        box.position_x += advance
        before = advance
        for child in box.children:
            if child.is_in_normal_flow():
                advance = _apply(child, laid, advance)
        box.width += advance - before
        return advance
    box.translate(advance, 0)  # an atomic inline box
    return advance


@contextlib.contextmanager
def inter_character():
    """While active, WeasyPrint justifies Japanese and Chinese lines between characters."""
    from weasyprint.layout import inline

    original = inline.justify_line
    spaced_layout = _spaced_layout_class()
    inline.justify_line = lambda context, line, extra: _justify(original, spaced_layout, context, line, extra)
    try:
        yield
    finally:
        inline.justify_line = original
