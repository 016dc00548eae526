"""Checks on translations: each is a small function in ``CHECKS``.

A check gets one translated message and what it needs to judge it, and
yields diagnostics (``problem``), located at the entry's translation in the
``.po`` file, naming its msgctxt and, in the help, its source in ``content/``.
Errors stop the build; warnings are printed. What a text may be, its space on
the page and whether it may hold paragraphs and lists, comes from the content
model (the field's ``spec``), looked up by the msgctxt: not from the comments
for translators, which a tool may strip or rewrite.
To add a check, write a function and add it to the list.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping

from babel.messages.catalog import Message

from .. import markup
from ..errors import Diagnostic, Location, display_path
from ..languages import Language
from ..model import Term, Text
from ..validate import DOCUMENT_NUMBER, PLACEHOLDER

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u3400-\u9fff]")
LETTER = re.compile(r"[^\W\d_]")
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
                        r"ĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸàáèéìíòóùúýÀÁÈÉÌÍÒÓÙÚÝ]")
# Characters that exist only in Traditional Chinese (their Simplified forms differ); a common selection.
TRADITIONAL_ONLY = set(
    "們個來對時會說國學與經為實現發開關點體頭問題員黨議歲區認識讓聯總專業義務權際組織職責調準備論壇團幫報導據證"
    "齊樣產稱費處傳動勞華陸書場應當從過這還進運邊長門間隊聽聲誌擔選舉條優寫約參檢討訓練機構協規劃資訊網絡電腦")
FORMAT_VARIABLE = re.compile(r"%\(\w+\)[sd]")
ASCII_PUNCT_NEAR_CJK = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff])[,.:;?!](?=\s|$|[\u3040-\u30ff\u3400-\u9fff])")


@dataclass
class Context:
    """What the checks know besides the message."""

    language: Language
    terms: tuple[Term, ...]
    names: tuple[str, ...]  # proper names that keep Vietnamese letters in every language
    short_forms: dict[str, str] = field(default_factory=dict)  # a body's short name → its full name (bodies.yaml)
    bodies: frozenset[str] = frozenset()  # ids of the names of bodies (bodies.yaml)
    texts: Mapping[str, Text] = field(default_factory=dict)  # the content's texts by msgctxt (Project.texts)
    path: str = "messages.po"  # the catalog, as its user names it
    lines: tuple[str, ...] = ()  # the catalog's lines, to point at an entry's translation


Check = Callable[[Message, Context], Iterator[Diagnostic]]


def problem(message: Message, ctx: Context, code: str, text: str, severity: str = "error") -> Diagnostic:
    """What a check found in one entry: at its translation (the msgstr line, the opening quote), with its
    msgctxt, and the source of its text as the help."""
    line, col = _msgstr_position(ctx.lines, message.lineno or 0)
    source = ", ".join(f"{file}:{number}" for file, number in message.locations[:1])
    context = f" ({message.context})" if message.context else ""
    return Diagnostic(Location(ctx.path, line, col), text + context, code, severity,
                      hint=f"source: {source}" if source else "",
                      source_line=ctx.lines[line - 1] if 0 < line <= len(ctx.lines) else "")


def _model_text(message: Message, ctx: Context) -> Text | None:
    """The content text an entry translates, by its msgctxt; None for a UI label or an entry the content no
    longer has (a catalog not updated yet)."""
    return ctx.texts.get(message.context) if message.context else None


def _rich(message: Message, ctx: Context) -> bool:
    """Whether the text may hold paragraphs and lists (its field's ``spec(rich=True)``). An entry the content
    no longer has is read as rich: its blocks are still compared with the source's, and no list is refused."""
    text = _model_text(message, ctx)
    return text.rich if text is not None else True


def _is_content(message: Message) -> bool:
    """Content texts (with a msgctxt) use the markup; UI labels from templates are plain text."""
    return bool(message.context)


def _plain(message: Message, ctx: Context, string: str) -> str:
    if not _is_content(message):
        return string
    try:
        return markup.plain(markup.parse(string, _rich(message, ctx)))
    except markup.MarkupError:
        return string


def check_placeholders(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    source, target = set(PLACEHOLDER.findall(message.id)), set(PLACEHOLDER.findall(message.string))
    # a body's short name ({dang_uy_khoi_ngan}) may be written out in full ({dang_uy_khoi}) in a language whose
    # readers need it, or referred back to once the full name has been given; and a translation may name a body
    # the Vietnamese only implies ("Tỉnh" → "{tinh}성"), through the registry too
    full = {ctx.short_forms.get(name, name) for name in source}
    named = {ctx.short_forms.get(name, name) for name in target}
    if source == target or (full <= named and not {name for name in named - full if name not in ctx.bodies}):
        return
    missing, extra = sorted(source - target), sorted(target - source)
    parts = []
    if missing:
        parts.append("missing " + ", ".join(f"{{{name}}}" for name in missing))
    if extra:
        parts.append("not in the source " + ", ".join(f"{{{name}}}" for name in extra))
    yield problem(message, ctx, "check.placeholders", "placeholders differ from the source: " + "; ".join(parts))


PYTHON_FORMAT = re.compile(r"%\((\w+)\)[sd]")


def check_figures(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    """A translation types no figure: figures come from content/facts.yaml as {placeholders}, so that a changed
    figure changes in every language (document numbers and references are not figures)."""
    from ..validate import bare_figures

    if not _is_content(message):
        return
    typed = [figure for figure in bare_figures(_plain(message, ctx, message.string))
             if figure not in bare_figures(_plain(message, ctx, message.id))]
    if typed:
        yield problem(message, ctx, "check.figure",
                      f"the figure {typed[0]} is typed into the translation; write the source's {{placeholder}} "
                      "for a figure, or the number as the source writes it (an ordinal in a name: XI, or in words)")


def check_format_variables(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    """A UI label's %(name)s variables are the source's, and the label formats as the build will format it."""
    if _is_content(message):
        return
    source, target = PYTHON_FORMAT.findall(message.id), PYTHON_FORMAT.findall(message.string)
    if set(source) != set(target):
        missing, extra = sorted(set(source) - set(target)), sorted(set(target) - set(source))
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"%({name})s" for name in missing))
        if extra:
            parts.append("not in the source " + ", ".join(f"%({name})s" for name in extra))
        yield problem(message, ctx, "check.format", "format variables differ from the source: " + "; ".join(parts))
        return
    if source:
        try:
            message.string % {name: 1 for name in source}
        except (KeyError, ValueError, TypeError) as exc:
            yield problem(message, ctx, "check.format",
                          f"the label cannot be filled in: {exc!r}; write a literal % as %%")


def check_blank(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    """A translation of white space only would print an empty heading: it is an error, not a translation."""
    if not message.string.strip():
        yield problem(message, ctx, "check.blank", "the translation is only white space; leave it empty "
                      "(msgstr \"\") while it is not translated")


def check_markup(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    if not _is_content(message):
        return
    rich = _rich(message, ctx)
    try:
        target = markup.parse(message.string, rich)
    except markup.MarkupError as exc:
        yield problem(message, ctx, "check.markup", exc.message)
        return
    source = markup.parse(message.id, rich)
    shape = lambda blocks: [(b.tag, len(b.items)) for b in blocks]  # noqa: E731
    if shape(source) != shape(target):
        yield problem(message, ctx, "check.markup",
                      f"paragraphs and lists differ from the source: {shape(source)} → {shape(target)}")
    if markup.links(source) != markup.links(target):
        yield problem(message, ctx, "check.markup", f"link targets differ from the source: {markup.links(source)} "
                      f"→ {markup.links(target)}")


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\wÀ-ỹ])" + re.escape(term) + r"(?![\wÀ-ỹ])", re.IGNORECASE)


def check_glossary(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    """A glossary term in the source is rendered as the glossary says (or one of its variants)."""
    source = message.id
    folded = source.lower()
    # longest terms first, and a shorter term inside a longer one found is not counted again
    for term in sorted(ctx.terms, key=lambda t: -len(t.vi)):
        if term.vi.lower() not in folded:
            continue
        pattern = _term_pattern(term.vi)
        if not pattern.search(source):
            continue
        source = pattern.sub(" ", source)
        accepted = [term.rendering(ctx.language.catalog), *term.variants]
        translation = message.string.lower()
        if not any(rendering.lower() in translation for rendering in accepted if rendering):
            yield problem(message, ctx, "check.glossary", f"'{term.vi}' should be rendered as "
                          f"'{term.rendering(ctx.language.catalog)}' (glossary: {term.id})", "warning")


def check_same_as_source(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    text = message.string.strip()
    words = FORMAT_VARIABLE.sub("", PLACEHOLDER.sub("", text))  # a pattern of placeholders alone has nothing to translate
    if text == message.id.strip() and LETTER.search(words) and text not in ctx.names:
        yield problem(message, ctx, "check.same-as-source", "the translation only copies the Vietnamese", "warning")


def _strip_names(text: str, names) -> str:
    text = DOCUMENT_NUMBER.sub(" ", PLACEHOLDER.sub(" ", text))
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def _hangul(text: str, letters: list[str]) -> Iterator[str]:
    hangul = len(HANGUL.findall(text))
    if letters and hangul < 0.5 * len(letters):
        yield f"Korean text is mostly not Hangul ({hangul} of {len(letters)} letters)"


def _japanese(text: str, letters: list[str]) -> Iterator[str]:
    if len(letters) >= 20 and not KANA.search(text):
        yield "Japanese sentence without any kana"


def _simplified_chinese(text: str, letters: list[str]) -> Iterator[str]:
    if KANA.search(text):
        yield "Chinese text contains Japanese kana"
    traditional = sorted({ch for ch in text if ch in TRADITIONAL_ONLY})
    if traditional:
        yield f"Traditional characters in Simplified Chinese: {''.join(traditional)}"


def _no_script_check(text: str, letters: list[str]) -> Iterator[str]:
    return iter(())


# by ``Language.script`` (content/languages.yaml): what is wrong with a text in that script, in words
SCRIPT_CHECKS = {"hangul": _hangul, "japanese": _japanese, "simplified-chinese": _simplified_chinese}


def check_script(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    """Each language in its own script."""
    text = FORMAT_VARIABLE.sub(" ", _strip_names(_plain(message, ctx, message.string), ctx.names))
    letters = LETTER.findall(text)
    for wrong in SCRIPT_CHECKS.get(ctx.language.script, _no_script_check)(text, letters):
        yield problem(message, ctx, "check.script", wrong)
    if not ctx.language.is_source and VIETNAMESE.search(text):
        found = "".join(sorted(set(VIETNAMESE.findall(text))))
        yield problem(message, ctx, "check.script", f"Vietnamese letters ({found}) outside the proper names "
                      "declared in content/names.yaml")


def check_length(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    """A text fits the space its field has on the page (``spec(space=…)`` in the content model)."""
    text = _model_text(message, ctx)
    if text is None or not text.space:
        return
    length = len(_plain(message, ctx, message.string))
    if length > text.space:
        yield problem(message, ctx, "check.length", f"{length} characters; the panel has room for about {text.space}")


def check_whitespace(message: Message, ctx: Context) -> Iterator[Diagnostic]:
    string = message.string
    if string[:1].isspace() != message.id[:1].isspace() or string[-1:].isspace() != message.id[-1:].isspace():
        yield problem(message, ctx, "check.whitespace", "leading or trailing white space differs from the source",
                      "warning")
    for line in string.split("\n"):
        if "  " in line.strip():
            yield problem(message, ctx, "check.whitespace", "doubled space", "warning")
            break
    if ctx.language.full_width_punctuation:
        plain = PLACEHOLDER.sub("", string)
        if ASCII_PUNCT_NEAR_CJK.search(plain):
            yield problem(message, ctx, "check.punctuation",
                          "ASCII punctuation in CJK text; use full-width （，。：；？！）", "warning")


CHECKS: list[Check] = [
    check_blank,
    check_placeholders,
    check_figures,
    check_format_variables,
    check_markup,
    check_glossary,
    check_same_as_source,
    check_script,
    check_length,
    check_whitespace,
]


def run_checks(message: Message, ctx: Context) -> list[Diagnostic]:
    if not message.id or not message.string:
        return []
    if not message.string.strip():
        return list(check_blank(message, ctx))  # the other checks have nothing to judge
    return [found for check in CHECKS for found in check(message, ctx)]


def _msgstr_position(lines, msgid_line: int) -> tuple[int, int]:
    """Where an entry's translation starts (line, column), from the line of its msgid."""
    for number in range(max(msgid_line, 1), min(msgid_line + 200, len(lines)) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number, lines[number - 1].find('"') + 1 or 1
    return msgid_line, 1


def check_catalogs(project, locales, languages) -> list[Diagnostic]:
    """Run every check over every translated entry; diagnostics point at the .po entry and its source."""
    from .catalogs import po_path, read_catalog

    texts = {text.context: text for text in project.texts()}
    short_forms = {key: body.short_for for key, body in project.bodies.items() if body.short_for}
    diagnostics = []
    for language in languages:
        path = po_path(Path(locales), language)
        if not path.exists():
            continue
        catalog = read_catalog(path, language.catalog)
        ctx = Context(language, project.glossary, project.names, short_forms, frozenset(project.bodies), texts,
                      display_path(path), tuple(path.read_text(encoding="utf-8").split("\n")))
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                diagnostics.extend(run_checks(message, ctx))
    return diagnostics
