"""Line breaking for print, where WeasyPrint needs help.

WeasyPrint (through Pango) breaks Korean between any two syllables — it has no
``word-break: keep-all`` — and Japanese and Chinese between any two characters,
titles included. We mark the places where a line must not break with U+2060
WORD JOINER in the text of the print HTML, which Pango honours and which costs
nothing at layout (a no-wrap span per Korean word made the Korean handbook
3.7–4.8× slower to lay out):

- Korean (``Language.line_breaks == "words"``): between the characters of every
  word, also where a word runs across an inline tag (``<strong>기업</strong>의``);
- Japanese and Chinese (``"phrases"``): inside each phrase BudouX finds, in
  headings and in elements marked ``class="phrases"``, so that titles break
  between phrases (労働組合 | ハンドブック, never 労働 | 組合); and the last
  characters of every paragraph, so that no paragraph ends on a line of one or
  two characters;
- proper names (``names.yaml``), in every language: their spaces become no-break
  spaces ("Bình Phước" stays on one line); document numbers are joined
  (21-NQ/TW never breaks after its hyphen);
- headings and titles in languages that break at spaces (Vietnamese, English, Korean)
  never end on a line of one word: their last two words are joined; and in
  Vietnamese headings, the glossary's terms of up to three syllables are kept whole
  ("đoàn thể", "tổ chức đảng");
- display text, in elements marked ``class="display"`` (what a slide shows, set as
  large as titles): each paragraph and list item breaks as a heading does.

The pass reads the HTML as a stream of tags and text and keeps track of each
element's language; attributes, ``<head>`` and inline SVG are left alone.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from .. import languages

WJ = "\u2060"
NBSP = "\u00a0"
TOKEN = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.S)
TAG = re.compile(r"<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9:-]*)([^>]*?)(/)?\s*>", re.S)
ATTRIBUTE = re.compile(r'([a-zA-Z:-]+)\s*=\s*"([^"]*)"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"head", "style", "script", "svg", "title"}
INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "sub", "sup"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "dt"}
PARAGRAPH_ENDS = {"p", "li", "dd", "td"}
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# a document number: 21-NQ/TW, 28-CTr/TU, 98/2014/NĐ-CP (digits, then parts after - or /, one with letters)
DOCUMENT_NUMBER = re.compile(r"\d+(?:[-/](?:\d+|[A-ZĐ][A-Za-zĐđ]*))*[-/][A-ZĐ][A-Za-zĐđ]*(?:[-/](?:\d+|[A-ZĐ][A-Za-zĐđ]*))*")
FIGURE_RANGE = re.compile(r"(\d)–(\d)")  # 2023–2030
# a short title or quotation in CJK brackets: 《劳动法典》, 「理解度チェック」 (what is inside, up to QUOTED characters)
QUOTED = 10
FIGURE_AND_COUNTER = re.compile(r"(?<=\d)(?=[\u3040-\u30ff\u3400-\u9fff])|(?<=第)(?=\d)")  # 2030年, 3人, 第11回
SHORT_QUOTE = re.compile(r"([《「『〈【])([^《》「」『』〈〉【】\s]{1,%d})([》」』〉】])" % QUOTED)
TERM_WORDS = 3  # glossary terms of up to this many words are kept whole in Vietnamese headings
LAST_LINE_CHARACTERS = 4  # a paragraph's last line holds at least this many characters (punctuation included)


def _language(code: str | None):
    try:
        return languages.get(code) if code else None
    except KeyError:
        return None


def _breaks(code: str | None) -> str | None:
    """Where a line of this language may break (``Language.line_breaks``); None for an unknown language."""
    language = _language(code)
    return language.line_breaks if language else None


@functools.lru_cache(maxsize=None)
def _parser(model: str):
    """BudouX's parser of a model it ships (``ja``, ``zh-hans``, ``th`` …), named by the language record."""
    import json
    from importlib import resources

    import budoux

    return budoux.Parser(json.loads((resources.files("budoux") / "models" / f"{model}.json").read_text("utf-8")))


def join(text: str) -> str:
    """Join every two neighbouring characters that are not spaces."""
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        if not char.isspace() and not before.isspace() and WJ not in (char, before):
            out.append(WJ)
        out.append(char)
    return "".join(out)


def join_korean_words(text: str) -> str:
    """Keep each word that holds Hangul on one line."""
    return re.sub(r"\S+", lambda m: join(m.group(0)) if HANGUL.search(m.group(0)) else m.group(0), text)


def join_phrases(text: str, language: str) -> str:
    """Let a Japanese or Chinese line break only between BudouX phrases."""
    record = _language(language)
    model = record.phrase_model if record else ""
    if not model or not CJK_CHAR.search(text):
        return text
    return "".join(join(phrase) for phrase in _parser(model).parse(text))


def join_last_characters(text: str, count: int = LAST_LINE_CHARACTERS) -> str:
    """Join the last ``count`` characters of a paragraph, so that its last line is never one or two characters."""
    stripped = text.rstrip()
    tail = stripped[-count:]
    if not CJK_CHAR.search(tail) or any(char.isspace() for char in tail):
        return text
    return stripped[:-count] + join(tail) + text[len(stripped):]


def join_document_numbers(text: str) -> str:
    return DOCUMENT_NUMBER.sub(lambda match: join(match.group(0)), text)


@functools.lru_cache(maxsize=16)
def _range_pattern(dashes: str) -> re.Pattern:
    return re.compile(r"(?<=\d)([%s])(?=\d)" % re.escape(dashes))


def figure_ranges() -> re.Pattern:
    """A range of figures: the en dash or a language's ``range_dash`` between two digits (10–15, 10~15, 10～15)."""
    return _range_pattern("".join(sorted({"–", *(lang.range_dash for lang in languages.LANGUAGES)})))


def join_figure_ranges(text: str, pattern: re.Pattern | None = None) -> str:
    """Keep a range of figures on one line: no line starts or ends at its dash (2023～ | 2030年). ``pattern``:
    ``figure_ranges()``, found once by a caller that joins many texts."""
    return (pattern or figure_ranges()).sub(lambda match: WJ + match.group(1) + WJ, text)


def join_quotes_and_counters(text: str) -> str:
    """Keep a short title or quotation in CJK brackets on one line (《劳动法 | 典》 is wrong), and a figure with
    its counter (2030 | 年, 3 | 人 are wrong)."""
    text = FIGURE_AND_COUNTER.sub(WJ, text)
    return SHORT_QUOTE.sub(lambda match: join(match.group(0)), text)


def join_last_words(text: str) -> str:
    """Join the last two words of a heading with a no-break space, so that no heading ends on a line of one
    word; ``text`` is the heading's last text. A range of figures as the last word (2023–2030) is one word:
    the line does not break after its dash either."""
    stripped = text.rstrip()
    head, space, last = stripped.rpartition(" ")
    if not space or not head.strip() or not last:
        return text
    return head.rstrip(" ") + NBSP + FIGURE_RANGE.sub(f"\\1{WJ}–{WJ}\\2", last) + text[len(stripped):]


@functools.lru_cache(maxsize=16)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    kept = sorted({term for term in terms if 1 < len(term.split()) <= TERM_WORDS}, key=len, reverse=True)
    if not kept:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in term.split()) for term in kept)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def keep_terms(text: str, terms: tuple[str, ...]) -> str:
    """Keep each of ``terms`` (the glossary's Vietnamese terms) on one line."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        return text
    return pattern.sub(lambda match: re.sub(r"\s+", NBSP, match.group(0)), text)


def keep_names(text: str, names: tuple[str, ...]) -> str:
    for name in names:
        if " " in name and name in text:
            text = text.replace(name, name.replace(" ", NBSP))
    return text


class _Element:
    __slots__ = ("tag", "lang", "phrases", "display")

    def __init__(self, tag: str, lang: str, phrases: bool, display: bool = False):
        self.tag, self.lang, self.phrases, self.display = tag, lang, phrases, display


class MarkedDocuments:
    """``mark_breaks``, its results kept in ``folder`` (set by the build: its cache) by the digest of all it
    reads: the document, the names and terms, the languages' settings, the segmenters, the package. A build
    that changes one chapter marks one document again, not fifty."""

    def __init__(self):
        self.folder: Path | None = None

    def __call__(self, document: str, names: tuple[str, ...] = (), terms: tuple[str, ...] = ()) -> str:
        if self.folder is None:
            return mark_breaks(document, names, terms)
        from ..cache import breaks_key, write_whole

        path = self.folder / breaks_key(document, names, terms)
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
        marked = mark_breaks(document, names, terms)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_whole(path, marked)
        return marked


MARKED = MarkedDocuments()


def mark_breaks(document: str, names: tuple[str, ...] = (), terms: tuple[str, ...] = ()) -> str:
    """The print HTML with word joiners and no-break spaces where a line must not break. ``names`` are kept
    whole everywhere, ``terms`` (Vietnamese) in Vietnamese headings."""
    out: list[str] = []
    stack: list[_Element] = [_Element("#root", "", False)]
    skipped = 0
    last_text = -1  # index in ``out`` of the last text of the current paragraph
    previous_char = ""  # the character before the current text, across inline tags
    ranges = figure_ranges()
    for match in TOKEN.finditer(document):
        token = match.group(0)
        if token.startswith("<"):
            tag = TAG.match(token)
            if not tag or token.startswith("<!"):
                out.append(token)
                continue
            closing, name, attributes, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3), tag.group(4)
            if closing:
                if name in SKIPPED:
                    skipped = max(0, skipped - 1)
                if skipped == 0 and name in PARAGRAPH_ENDS and last_text >= 0 \
                        and _breaks(stack[-1].lang) == "phrases" and not stack[-1].phrases:
                    out[last_text] = html.escape(join_last_characters(html.unescape(out[last_text])), quote=False)
                titled = name in HEADINGS and name != "dt" or stack[-1].display and name in PARAGRAPH_ENDS
                if skipped == 0 and titled and last_text >= 0 and _breaks(stack[-1].lang) in ("spaces", "words"):
                    out[last_text] = html.escape(join_last_words(html.unescape(out[last_text])), quote=False)
                for depth in range(len(stack) - 1, 0, -1):  # close up to the matching element
                    if stack[depth].tag == name:
                        del stack[depth:]
                        break
                if name not in INLINE:
                    last_text, previous_char = -1, ""
            elif name in SKIPPED and not self_closing:
                skipped += 1
            elif name not in VOID and not self_closing and skipped == 0:
                values = dict(ATTRIBUTE.findall(attributes))
                parent = stack[-1]
                classes = values.get("class", "").split()
                display = parent.display or "display" in classes
                phrases = parent.phrases or name in HEADINGS or "phrases" in classes or display
                stack.append(_Element(name, values.get("lang", parent.lang), phrases, display))
                if name not in INLINE:
                    last_text, previous_char = -1, ""
            out.append(token)
            continue
        if skipped or not token.strip() and not previous_char:
            out.append(token)
            continue
        element = stack[-1]
        text = join_figure_ranges(join_document_numbers(keep_names(html.unescape(token), names)), ranges)
        if terms and element.phrases and element.lang == languages.source().code:
            text = keep_terms(text, terms)
        breaks = _breaks(element.lang)
        if breaks == "words":
            joined = join_korean_words(text)
            if previous_char and not previous_char.isspace() and not text[0].isspace() \
                    and (HANGUL.search(previous_char) or HANGUL.match(text[0])):
                joined = WJ + joined
            text = joined
        elif breaks == "phrases":
            text = join_phrases(text, element.lang) if element.phrases else join_quotes_and_counters(text)
        out.append(html.escape(text, quote=False))
        last_text = len(out) - 1
        previous_char = text[-1] if text else previous_char
    return "".join(out)
