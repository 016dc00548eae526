"""Inter-character justification for Japanese and Chinese, which WeasyPrint does not do.

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
INTER_CHARACTER = frozenset(lang.code for lang in LANGUAGES if lang.line_breaks == "phrases")


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


def _spaced_layout_class():
    from weasyprint.text import line_break
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    class SpacedLayout(line_break.Layout):
        """A text box's Pango layout with ``spacing`` (CSS px) after each character at the given indexes.

        WeasyPrint sets a layout's text again when it draws the box: the spacing is applied each time."""

        def __init__(self, style, spacing: float, after: list[int]):
            self.spacing, self.after = spacing, after
            super().__init__(style, 0, None)

        def set_text(self, text, justify=False):
            super().set_text(text, justify)
            if not self.after or not self.spacing:
                return
            attributes = pango.pango_layout_get_attributes(self.layout)
            if attributes == ffi.NULL:
                attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            offsets = [0]
            for char in self.text:
                offsets.append(offsets[-1] + len(char.encode("utf-8")))
            for index in self.after:
                if index + 1 < len(offsets):
                    attribute = pango.pango_attr_letter_spacing_new(int(self.spacing * TO_UNITS))
                    attribute.start_index, attribute.end_index = offsets[index], offsets[index + 1]
                    pango.pango_attr_list_change(attributes, attribute)
            pango.pango_layout_set_attributes(self.layout, attributes)

    return SpacedLayout


def _justify(original, spaced_layout, context, line, extra_width: float) -> None:
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.line_break import line_size

    texts = [box for box in line.descendants() if isinstance(box, TextBox)]
    plan = []
    for index, box in enumerate(texts):
        following = texts[index + 1].text[:1] if index + 1 < len(texts) else ""
        spaced = box.style["lang"] in INTER_CHARACTER and box.style["white_space"] in ("normal", "pre-line")
        plan.append(gaps(box.text, following) if spaced else [])
    count = sum(len(after) for after in plan)
    if not count:
        original(context, line, extra_width)
        return

    def widths(spacing: float) -> list[tuple[object, float]]:
        laid = []
        for box, after in zip(texts, plan):
            if not after:
                laid.append((None, box.width))
                continue
            layout = spaced_layout(box.style, spacing, after)
            layout.set_text(box.text)
            width, _ = line_size(layout.get_first_line()[0], box.style)
            layout.deactivate()
            laid.append((layout, width))
        return laid

    spacing = extra_width / count
    laid = widths(spacing)
    added = sum(width - box.width for (_, width), box in zip(laid, texts))
    if added > 0 and abs(added - extra_width) > 0.05:
        # Pango gives the characters at the ends of a text box only half their spacing: share again
        spacing *= extra_width / added
        laid = widths(spacing)
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
