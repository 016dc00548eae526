"""The five languages, as data: one record each, one id per purpose.

``code`` is the BCP 47 tag used in HTML ``lang``, URLs and hreflang;
``catalog`` is the Babel locale id, which is also the ``locales/`` folder
name (Babel finds a ``zh_Hans`` catalog only when asked for ``zh_Hans``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    catalog: str
    name: str  # the language's own name, for the switcher
    theme_language: str  # mkdocs-material ``theme.language``
    search_lang: str  # mkdocs-material ``plugins.search.lang``
    sans: str  # print font stack, first family named explicitly
    serif: str
    segment_han: bool = False  # run jieba over Han text for the search index
    # where a printed line may break: "spaces" (between words), "words" (Korean: between words only, never
    # inside one), "phrases" (Japanese, Chinese: anywhere in text, between BudouX phrases in titles)
    line_breaks: str = "spaces"
    phrase_model: str = ""  # the BudouX model for line breaks in titles

    @property
    def is_source(self) -> bool:
        return self is SOURCE


VI = Language("vi", "vi", "Tiếng Việt", "vi", "vi", '"Noto Sans"', '"Noto Serif"')
EN = Language("en", "en", "English", "en", "en", '"Noto Sans"', '"Noto Serif"')
KO = Language("ko", "ko", "한국어", "ko", "ko", '"Noto Sans CJK KR"', '"Noto Serif CJK KR"', line_breaks="words")
ZH_HANS = Language(
    "zh-Hans", "zh_Hans", "简体中文", "zh-Hans", "zh", '"Noto Sans CJK SC"', '"Noto Serif CJK SC"',
    segment_han=True, line_breaks="phrases", phrase_model="zh-hans",
)
JA = Language("ja", "ja", "日本語", "ja", "ja", '"Noto Sans CJK JP"', '"Noto Serif CJK JP"', line_breaks="phrases",
              phrase_model="ja")

SOURCE = VI
LANGUAGES: tuple[Language, ...] = (VI, EN, KO, ZH_HANS, JA)
TARGETS: tuple[Language, ...] = tuple(lang for lang in LANGUAGES if lang is not SOURCE)

_BY_ANY_ID = {key.lower(): lang for lang in LANGUAGES for key in (lang.code, lang.catalog)}


def get(identifier: str) -> Language:
    """Look a language up by its code (``zh-Hans``) or catalog id (``zh_Hans``)."""
    try:
        return _BY_ANY_ID[identifier.lower()]
    except KeyError:
        known = ", ".join(lang.code for lang in LANGUAGES)
        raise KeyError(f"unknown language {identifier!r}; known: {known}") from None
