"""The languages, as data: one record each, read from the project's ``content/languages.yaml``.

``code`` is the BCP 47 tag used in HTML ``lang``, URLs and hreflang; ``catalog`` is the Babel locale id,
which is also the ``locales/`` folder name (Babel finds a ``zh_Hans`` catalog only when asked for
``zh_Hans``). The first language is the source, the one ``content/`` is written in.

Everything that differs between languages reads these records: the print font stack and the fonts the
build checks (``fonts.py``), the line breaking of print (``render/linebreak.py``), the search, the theme
strings, the translators' script checks. The rules that must be written per language in a stylesheet are
generated from them (``print_css``, ``web_css``), so no language is named in a template, a stylesheet or
the code.

A process works on one project at a time: loading a project (``configure``) makes its languages the ones
``LANGUAGES``, ``TARGETS``, ``source()`` and ``get()`` give. A record that is the same as before stays the
same object.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import Location
from .model import spec

FILE = "languages.yaml"  # in content/
RANGE = re.compile(r"\\u[0-9a-fA-F]{4}(?:-\\u[0-9a-fA-F]{4})?|\\.|.")  # one character or range of a class
LineBreaks = Literal["spaces", "words", "phrases"]
Script = Literal["", "hangul", "japanese", "simplified-chinese"]
SpeechUnit = Literal["syllables", "words", "characters"]


@dataclass(frozen=True)
class Language:
    code: str = spec("BCP 47 tag: html lang, URLs, hreflang (zh-Hans)")
    catalog: str = spec("Babel locale id, also the folder in locales/ (zh_Hans)")
    name: str = spec("the language's own name, for the language switcher")
    theme: str = spec("the site theme's code for its own strings (zh); html lang is the code")
    search: str = spec("the site search's code for the language (stemming, stop words)")
    sans: str = spec("print font family of the text (fontconfig name)")
    serif: str = spec("print font family of serif text (fontconfig name)")
    fonts_package: str = spec("the Debian package that installs both families")
    line_breaks: LineBreaks = spec(
        "where a printed line may break: spaces (between words), words (Korean: between words only, never "
        "inside one), phrases (Japanese, Chinese: anywhere in text, between BudouX phrases in titles)",
        required=False, default="spaces")
    phrase_model: str = spec("the BudouX model for line breaks in titles (ja, zh-hans)", required=False, default="")
    segment_han: bool = spec("run jieba over Han text for the search index", required=False, default=False)
    unspaced: str = spec("characters of a script written without spaces between words, as a regular expression "
                         "class (\\u0e00-\\u0e7f): search finds a term wherever it occurs in such text",
                         required=False, default="")
    script: Script = spec("the script check of translations: hangul, japanese, simplified-chinese",
                          required=False, default="")
    full_width_punctuation: bool = spec("translations use full-width punctuation （，。：；？！）",
                                        required=False, default=False)
    range_dash: str = spec("what joins the two figures of a range (10–15): the en dash; the wave dash ～ in Japanese "
                           "and Chinese, the tilde ~ in Korean (CLDR's range patterns)", required=False, default="–")
    speech_unit: SpeechUnit = spec(
        "what a reading rate counts: syllables (Vietnamese: a word-space each; Korean: a Hangul block each), "
        "words (between spaces) or characters (Chinese, Japanese: each Han character and kana); a figure counts "
        "one for each of its digits", required=False, default="words")
    speech_rate: int = spec("how many speech_units a radio presenter reads in a minute, for the reading time of a "
                            "radio script; 0: not stated (no reading time is shown)", required=False, default=0)
    location: Location = field(default=Location(FILE), compare=False, repr=False, metadata={"internal": True})
    is_source: bool = field(default=False, metadata={"internal": True})

    @property
    def colon(self) -> str:
        """What stands between a label and its text: a full-width colon and no space where punctuation is
        full-width (Chinese, Japanese), else a colon and a space."""
        return "：" if self.full_width_punctuation else ": "

    @property
    def list_separator(self) -> str:
        """What separates the items of a run-in list of names: the enumeration comma 、 where punctuation is
        full-width, else a comma and a space."""
        return "、" if self.full_width_punctuation else ", "

    @property
    def families(self) -> tuple[str, str]:
        return self.sans, self.serif

    @property
    def sans_stack(self) -> str:
        return f'"{self.sans}", sans-serif'

    @property
    def serif_stack(self) -> str:
        return f'"{self.serif}", serif'


_active: tuple[Language, ...] = ()


class _Live(Sequence):
    """The languages of the project loaded last (all of them, or the translations)."""

    def __init__(self, targets: bool):
        self._targets = targets

    def _items(self) -> tuple[Language, ...]:
        return _active[1:] if self._targets else _active

    def __getitem__(self, index):
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())

    def __repr__(self) -> str:
        return repr(self._items())


LANGUAGES: Sequence[Language] = _Live(targets=False)
TARGETS: Sequence[Language] = _Live(targets=True)


def source() -> Language:
    if not _active:
        raise LookupError("no languages: no project has been loaded")
    return _active[0]


def get(identifier: str) -> Language:
    """Look a language up by its code (``zh-Hans``) or catalog id (``zh_Hans``)."""
    for lang in _active:
        if identifier.lower() in (lang.code.lower(), lang.catalog.lower()):
            return lang
    known = ", ".join(lang.code for lang in _active) or f"none (no {FILE} loaded)"
    raise KeyError(f"unknown language {identifier!r}; known: {known}")


def configure(content_dir: str | Path) -> tuple[Language, ...]:
    """Make the languages of ``content_dir/languages.yaml`` the current ones. Raises ``OutreachError``."""
    from .errors import OutreachError, Report
    from .load import load_yaml

    path = Path(content_dir) / FILE
    if not path.exists():
        raise OutreachError(_missing(path))
    report = Report()
    found = read(load_yaml(path), report)
    report.raise_if_errors()
    use(found)
    return _active


def _missing(path: Path):
    from .errors import Diagnostic

    return Diagnostic(Location(str(path)), f"missing file content/{FILE}", "project.missing-file",
                      hint="list the languages of the site there, the source language (Vietnamese) first")


def use(languages: tuple[Language, ...]) -> None:
    """Make ``languages`` the current ones, keeping the record already in use where one is the same."""
    global _active
    previous = {lang: lang for lang in _active}
    _active = tuple(previous.get(lang, lang) for lang in languages)


def read(source, report) -> tuple[Language, ...]:
    """The records of a parsed ``languages.yaml``; every problem goes to ``report``."""
    from .load import Mapping, Sequence as SequenceNode
    from .validate import MISSING, Converter

    root = source.root
    items = root.items.get("languages") if isinstance(root, Mapping) else None
    if not isinstance(items, SequenceNode) or not items.items:
        report.error(Location(source.path, 1, 1), f"{FILE} needs a list of languages under 'languages:'",
                     "schema.missing", "the source language (Vietnamese) first, then each translation")
        return ()
    converter = Converter(source, "languages", "Languages", report, set())
    found: list[Language] = []
    seen: dict[str, Location] = {}
    for index, node in enumerate(items.items):
        lang = converter.record(node, Language, (str(index + 1),))
        if lang is MISSING:
            continue
        for key in {lang.code.lower(), lang.catalog.lower()}:
            if key in seen:
                report.error(lang.location, f"language '{key}' is listed twice (first at line {seen[key].line})",
                             "schema.duplicate-id", "every language needs its own code and catalog")
            seen.setdefault(key, lang.location)
        if lang.phrase_model and lang.phrase_model not in phrase_models():
            report.error(lang.location, f"BudouX has no phrase model '{lang.phrase_model}'", "schema.value",
                         f"the models it ships: {', '.join(phrase_models())}")
        found.append(dataclasses.replace(lang, is_source=index == 0))
    return tuple(found)


def phrase_models() -> list[str]:
    """The BudouX models installed (``ja``, ``zh-hans``, ``th`` …): what ``phrase_model`` may name."""
    from importlib import resources

    return sorted(path.name[:-len(".json")] for path in (resources.files("budoux") / "models").iterdir()
                  if path.name.endswith(".json"))


# ---------------------------------------------------------------- generated stylesheet rules


def _selector(languages, prefix: str = "") -> str:
    return ", ".join(f"{prefix}:lang({lang.code})" for lang in languages)


def _grouped(languages, key):
    groups: dict[str, list[Language]] = {}
    for lang in languages:
        groups.setdefault(key(lang), []).append(lang)
    return groups.items()


def print_font_css(languages=LANGUAGES) -> str:
    """Each language's print font stack. The CJK faces are named explicitly: Han characters take the
    Simplified, Japanese or Korean forms of the face."""
    rules = [f"{_selector(group)} {{ font-family: {stack}; }}"
             for stack, group in _grouped(languages, lambda lang: lang.sans_stack)]
    rules += [f"{_selector(group, '.serif')} {{ font-family: {stack}; }}"
              for stack, group in _grouped(languages, lambda lang: lang.serif_stack)]
    return f"/* generated from content/{FILE} */\n" + "\n".join(rules) + "\n"


def print_justify_css(languages=LANGUAGES) -> str:
    """Running text of the booklets is justified where the script expects it: where lines break only between
    words (Korean) a ragged edge would be deep; where they break between characters (Chinese, Japanese) the
    extra width is shared between the characters (render/justify.py)."""
    justified = [lang for lang in languages if lang.line_breaks in ("words", "phrases")]
    if not justified:
        return ""
    rule = ", ".join(f"{tag}:lang({lang.code})" for lang in justified for tag in ("p", "li", "dd", "td")) \
        + " { text-align: justify; }\n"
    # in a narrow measure (class narrow: a glossary's or an intro's columns) a justified line of a few long
    # words opens wide gaps: text whose lines break between words only is set flush left there
    words = [lang for lang in justified if lang.line_breaks == "words"]
    if words:
        rule += ", ".join(f".narrow {tag}:lang({lang.code})" for lang in words for tag in ("p", "li", "dd")) \
            + " { text-align: left; }\n"
    return rule


def _upright(languages) -> list[Language]:
    """The languages whose scripts have no italic (Hangul, Han, kana: those whose lines break between words
    kept whole or between phrases): a slanted face would be a synthesised oblique no type designer drew, so their
    text stays upright and emphasis is carried by the words (quotation marks) or by weight."""
    return [lang for lang in languages if lang.line_breaks in ("words", "phrases")]


def print_upright_css(languages=LANGUAGES) -> str:
    upright = _upright(languages)
    if not upright:
        return ""
    return f"{_selector(upright)} {{ font-style: normal !important; }}\n"


def web_css(languages=LANGUAGES) -> str:
    """The site's rules that differ by language: where lines break only between words, the browser keeps words
    whole (Korean); where they break between phrases (Japanese, Chinese), titles, labels and buttons break
    between phrases (``word-break: auto-phrase``: Chromium finds Japanese phrases itself; elsewhere the rule
    does nothing) and no line starts with a small kana or a prolonged sound mark (``line-break: strict``);
    scripts without italic stay upright."""
    rules = []
    words = [lang for lang in languages if lang.line_breaks == "words"]
    if words:
        selector = ", ".join(f".md-typeset :lang({lang.code}), .md-typeset:lang({lang.code})" for lang in words)
        rules.append(f"{selector} {{ word-break: keep-all; overflow-wrap: anywhere; }}")
    phrases = [lang for lang in languages if lang.line_breaks == "phrases"]
    if phrases:
        rules.append(", ".join(f"html:lang({lang.code}) body" for lang in phrases) + " { line-break: strict; }")
        titles = ".md-header__topic, .md-typeset h1, .md-typeset h2, .md-typeset h3, .md-nav__link, .card, " \
            ".md-button, .md-top"
        rules.append(", ".join(f"html:lang({lang.code}) :is({titles})" for lang in phrases)
                     + " { word-break: auto-phrase; }")
    upright = _upright(languages)
    if upright:
        rules.append(", ".join(f".md-typeset:lang({lang.code}) :is(em, i, cite)" for lang in upright)
                     + " { font-style: normal; }")
    if not rules:
        return ""
    return f"/* generated from content/{FILE} */\n" + "\n".join(rules) + "\n"


def write_web_assets(assets: Path, languages=LANGUAGES) -> None:
    """Fill in what the site's assets take from the language records: the stylesheet's rules by language, and
    the characters the search finds wherever they occur (``UNSPACED`` in search.js)."""
    import json

    with open(assets / "outreach.css", "a", encoding="utf-8") as css:
        css.write(web_css(languages))
    search = assets / "search.js"
    marker = 'var UNSPACED = "";'
    text = search.read_text(encoding="utf-8")
    if marker not in text:
        raise ValueError(f"{search.name} has lost its line {marker!r}")
    unspaced = "".join(dict.fromkeys(part for lang in languages for part in RANGE.findall(lang.unspaced)))
    search.write_text(text.replace(marker, f"var UNSPACED = {json.dumps(unspaced)};", 1), encoding="utf-8")
