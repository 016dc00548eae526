"""Looking texts up in a language's catalog, with an honest fallback.

A text is shown in the reader's language when its catalog has a
translation that is not fuzzy. Otherwise the Vietnamese source is shown and
the result says why (``missing`` or ``fuzzy``), so that the page can tell
the reader, in their language, that this part is not yet translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..languages import Language, source as source_language
from ..model import Body, Fact, Text
from .catalogs import po_path, read_catalog
from .extract import message_id
from .formatting import fill

SOURCE_STATUS = "source"
TRANSLATED = "translated"
FUZZY = "fuzzy"
MISSING = "missing"


@dataclass(frozen=True)
class Rendered:
    value: str  # placeholders filled
    language: Language  # the language ``value`` is in
    status: str  # source, translated, fuzzy or missing

    @property
    def is_fallback(self) -> bool:
        return self.status in (FUZZY, MISSING)


class Translator:
    def __init__(self, language: Language, catalog: Catalog | None, facts: dict[str, Fact],
                 bodies: dict[str, Body] | None = None):
        self.language = language
        self.facts = facts
        self.bodies = bodies or {}
        self._names: dict[str, dict[str, str]] = {}
        self._messages = {}
        if catalog is not None:
            for message in catalog:
                if message.id:
                    self._messages[(message.context, message.id)] = message

    @classmethod
    def load(cls, language: Language, locales: Path, facts: dict[str, Fact],
             bodies: dict[str, Body] | None = None) -> "Translator":
        if language.is_source:
            return cls(language, None, facts, bodies)
        path = po_path(locales, language)
        catalog = read_catalog(path, language.catalog) if path.exists() else None
        return cls(language, catalog, facts, bodies)

    def lookup(self, source: str, context: str | None, msgid: str | None = None) -> tuple[str, Language, str]:
        """The text to show for ``source`` (its entry found by ``msgid``, the source as extracted)."""
        if self.language.is_source:
            return source, self.language, SOURCE_STATUS
        message = self._messages.get((context, source if msgid is None else msgid))
        if message is None or not message.string:
            return source, source_language(), MISSING
        if message.fuzzy:
            return source, source_language(), FUZZY
        return message.string, self.language, TRANSLATED

    def names(self, language: Language) -> dict[str, str]:
        """Each body's name in ``language``: the reader's when the catalog has it, else the Vietnamese."""
        if language.code not in self._names:
            self._names[language.code] = {
                key: body.name.source if language.is_source else self.lookup(body.name.source, body.name.context)[0]
                for key, body in self.bodies.items()}
        return self._names[language.code]

    def text(self, text: Text) -> Rendered:
        value, language, status = self.lookup(text.source, text.context, message_id(text))
        return Rendered(fill(value, self.facts, language, self.names(language)), language, status)

    def ui(self, message: str) -> str:
        """A UI label from the templates, in the reader's language when translated."""
        return self.lookup(message, None)[0]

    def __call__(self, message: str, **variables) -> str:
        value = self.ui(message)
        return value % variables if variables else value
