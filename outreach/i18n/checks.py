"""Checks on translations: each is a small function in ``CHECKS``.

A check gets one translated message and what it needs to judge it, and
yields problems. Errors stop the build; warnings are printed with the place
of the entry in the ``.po`` file and of its source in ``content/``.
To add a check, write a function and add it to the list.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from babel.messages.catalog import Message

from .. import markup
from ..languages import Language
from ..model import Term
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
SPACE = re.compile(r"Space: about (\d+) characters")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severity: str = "error"


@dataclass
class Context:
    """What the checks know besides the message."""

    language: Language
    terms: tuple[Term, ...]
    names: tuple[str, ...]  # proper names that keep Vietnamese letters in every language
    short_forms: dict[str, str] = field(default_factory=dict)  # a body's short name → its full name (bodies.yaml)
    bodies: frozenset[str] = frozenset()  # ids of the names of bodies (bodies.yaml)


Check = Callable[[Message, Context], Iterator[Problem]]


def _rich(message: Message) -> bool:
    return any("Markup:" in comment for comment in message.auto_comments)


def _is_content(message: Message) -> bool:
    """Content texts (with a msgctxt) use the markup; UI labels from templates are plain text."""
    return bool(message.context)


def _plain(message: Message, string: str) -> str:
    if not _is_content(message):
        return string
    try:
        return markup.plain(markup.parse(string, _rich(message)))
    except markup.MarkupError:
        return string


def check_placeholders(message: Message, ctx: Context) -> Iterator[Problem]:
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
    yield Problem("check.placeholders", "placeholders differ from the source: " + "; ".join(parts))


PYTHON_FORMAT = re.compile(r"%\((\w+)\)[sd]")


def check_format_variables(message: Message, ctx: Context) -> Iterator[Problem]:
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
        yield Problem("check.format", "format variables differ from the source: " + "; ".join(parts))
        return
    if source:
        try:
            message.string % {name: 1 for name in source}
        except (KeyError, ValueError, TypeError) as exc:
            yield Problem("check.format", f"the label cannot be filled in: {exc!r}; write a literal % as %%")


def check_blank(message: Message, ctx: Context) -> Iterator[Problem]:
    """A translation of white space only would print an empty heading: it is an error, not a translation."""
    if not message.string.strip():
        yield Problem("check.blank", "the translation is only white space; leave it empty (msgstr \"\") while it "
                      "is not translated")


def check_markup(message: Message, ctx: Context) -> Iterator[Problem]:
    if not _is_content(message):
        return
    rich = _rich(message)
    try:
        target = markup.parse(message.string, rich)
    except markup.MarkupError as exc:
        yield Problem("check.markup", exc.message)
        return
    source = markup.parse(message.id, rich)
    shape = lambda blocks: [(b.tag, len(b.items)) for b in blocks]  # noqa: E731
    if shape(source) != shape(target):
        yield Problem("check.markup", f"paragraphs and lists differ from the source: {shape(source)} → {shape(target)}")
    if markup.links(source) != markup.links(target):
        yield Problem("check.markup", f"link targets differ from the source: {markup.links(source)} → "
                      f"{markup.links(target)}")


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\wÀ-ỹ])" + re.escape(term) + r"(?![\wÀ-ỹ])", re.IGNORECASE)


def check_glossary(message: Message, ctx: Context) -> Iterator[Problem]:
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
            yield Problem("check.glossary", f"'{term.vi}' should be rendered as "
                          f"'{term.rendering(ctx.language.catalog)}' (glossary: {term.id})", "warning")


def check_same_as_source(message: Message, ctx: Context) -> Iterator[Problem]:
    text = message.string.strip()
    words = FORMAT_VARIABLE.sub("", PLACEHOLDER.sub("", text))  # a pattern of placeholders alone has nothing to translate
    if text == message.id.strip() and LETTER.search(words) and text not in ctx.names:
        yield Problem("check.same-as-source", "the translation only copies the Vietnamese", "warning")


def _strip_names(text: str, names) -> str:
    text = DOCUMENT_NUMBER.sub(" ", PLACEHOLDER.sub(" ", text))
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def _hangul(text: str, letters: list[str]) -> Iterator[Problem]:
    hangul = len(HANGUL.findall(text))
    if letters and hangul < 0.5 * len(letters):
        yield Problem("check.script", f"Korean text is mostly not Hangul ({hangul} of {len(letters)} letters)")


def _japanese(text: str, letters: list[str]) -> Iterator[Problem]:
    if len(letters) >= 20 and not KANA.search(text):
        yield Problem("check.script", "Japanese sentence without any kana")


def _simplified_chinese(text: str, letters: list[str]) -> Iterator[Problem]:
    if KANA.search(text):
        yield Problem("check.script", "Chinese text contains Japanese kana")
    traditional = sorted({ch for ch in text if ch in TRADITIONAL_ONLY})
    if traditional:
        yield Problem("check.script", f"Traditional characters in Simplified Chinese: {''.join(traditional)}")


def _no_script_check(text: str, letters: list[str]) -> Iterator[Problem]:
    return iter(())


# by ``Language.script`` (content/languages.yaml)
SCRIPT_CHECKS = {"hangul": _hangul, "japanese": _japanese, "simplified-chinese": _simplified_chinese}


def check_script(message: Message, ctx: Context) -> Iterator[Problem]:
    """Each language in its own script."""
    text = FORMAT_VARIABLE.sub(" ", _strip_names(_plain(message, message.string), ctx.names))
    letters = LETTER.findall(text)
    yield from SCRIPT_CHECKS.get(ctx.language.script, _no_script_check)(text, letters)
    if not ctx.language.is_source and VIETNAMESE.search(text):
        found = "".join(sorted(set(VIETNAMESE.findall(text))))
        yield Problem("check.script", f"Vietnamese letters ({found}) outside the proper names declared in "
                      "content/names.yaml")


def check_length(message: Message, ctx: Context) -> Iterator[Problem]:
    """Leaflet fields fit the space their panel has (stated in the translator comment)."""
    for comment in message.auto_comments:
        match = SPACE.search(comment)
        if match:
            length = len(_plain(message, message.string))
            if length > int(match.group(1)):
                yield Problem("check.length", f"{length} characters; the panel has room for about {match.group(1)}")


def check_whitespace(message: Message, ctx: Context) -> Iterator[Problem]:
    string = message.string
    if string[:1].isspace() != message.id[:1].isspace() or string[-1:].isspace() != message.id[-1:].isspace():
        yield Problem("check.whitespace", "leading or trailing white space differs from the source", "warning")
    for line in string.split("\n"):
        if "  " in line.strip():
            yield Problem("check.whitespace", "doubled space", "warning")
            break
    if ctx.language.full_width_punctuation:
        plain = PLACEHOLDER.sub("", string)
        if ASCII_PUNCT_NEAR_CJK.search(plain):
            yield Problem("check.punctuation", "ASCII punctuation in CJK text; use full-width （，。：；？！）",
                          "warning")


CHECKS: list[Check] = [
    check_blank,
    check_placeholders,
    check_format_variables,
    check_markup,
    check_glossary,
    check_same_as_source,
    check_script,
    check_length,
    check_whitespace,
]


def run_checks(message: Message, ctx: Context) -> list[Problem]:
    if not message.id or not message.string:
        return []
    if not message.string.strip():
        return list(check_blank(message, ctx))  # the other checks have nothing to judge
    return [problem for check in CHECKS for problem in check(message, ctx)]


def _msgstr_position(lines: list[str], msgid_line: int) -> tuple[int, int]:
    """Where an entry's translation starts (line, column), from the line of its msgid."""
    for number in range(max(msgid_line, 1), min(msgid_line + 200, len(lines)) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number, lines[number - 1].find('"') + 1 or 1
    return msgid_line, 1


def check_catalogs(project, locales, languages) -> list:
    """Run every check over every translated entry; diagnostics point at the .po entry and its source."""
    from pathlib import Path

    from ..errors import Diagnostic, Location, display_path, read_source_line
    from .catalogs import po_path, read_catalog

    diagnostics = []
    for language in languages:
        path = po_path(Path(locales), language)
        if not path.exists():
            continue
        shown = display_path(path)
        ctx = Context(language, project.glossary, project.names,
                      {key: body.short_for for key, body in project.bodies.items() if body.short_for},
                      frozenset(project.bodies))
        catalog = read_catalog(path, language.catalog)
        lines = path.read_text(encoding="utf-8").split("\n")
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            for problem in run_checks(message, ctx):
                where = Location(shown, *_msgstr_position(lines, getattr(message, "lineno", 0) or 0))
                source = ", ".join(f"{file}:{line}" for file, line in message.locations[:1])
                context = f" ({message.context})" if message.context else ""
                diagnostics.append(Diagnostic(
                    where, problem.message + context, problem.code, problem.severity,
                    hint=f"source: {source}" if source else "", source_line=read_source_line(where)))
    return diagnostics
