"""What the web and print renderers share: a language's view of the content.

``Localizer`` turns model texts into HTML in one language. A text that is
not (yet) translated comes out in Vietnamese, inside an element that says
``lang="vi"``, after a notice in the reader's language; both renderers use
the same notices, written once in ``templates/notices.j2``.
"""

from __future__ import annotations

import html
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import markup
from ..i18n.translate import FUZZY, MISSING, Rendered, Translator
from ..languages import Language
from ..model import Fact, Text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


PLAIN_TEMPLATES = (".txt.j2", ".js.j2")  # every other template writes HTML (or Markdown, which holds HTML)


def autoescape(name: str | None) -> bool:
    """Whether a template escapes what it prints: all but plain text and scripts. Texts from the content
    and the catalogs are data; they are escaped once, where a template prints them."""
    return name is not None and not name.endswith(PLAIN_TEMPLATES)


def environment() -> jinja2.Environment:
    from .. import kinds

    env = jinja2.Environment(
        # ours first, then the folders of kinds registered from outside this package
        loader=jinja2.FileSystemLoader([str(TEMPLATES), *(str(folder) for folder in kinds.template_folders())]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["N_"] = lambda message: message  # marks a UI string for extraction; translated where used
    return env


class Localizer:
    """The content seen in one language."""

    def __init__(self, translator: Translator, env: jinja2.Environment):
        self.translator = translator
        self.language: Language = translator.language
        self.env = env
        self.fallbacks: list[tuple[Text, str]] = []  # what was shown in Vietnamese, and why
        self.missing_ui: set[str] = set()  # UI labels shown in Vietnamese

    @property
    def facts(self) -> dict[str, Fact]:
        return self.translator.facts

    def ui(self, message: str, **variables) -> str:
        if not self.language.is_source and self.translator.lookup(message, None)[2] != "translated":
            self.missing_ui.add(message)
        return self.translator(message, **variables)

    @cached_property
    def _notices(self):
        return self.env.get_template("notices.j2").make_module({"_": self.ui, "lang": self.language})

    def rendered(self, text: Text) -> Rendered:
        result = self.translator.text(text)
        if result.is_fallback:
            self.fallbacks.append((text, result.status))
        return result

    def plain(self, text: Text) -> str:
        """Text without markup (titles, metadata, navigation)."""
        return markup.plain(markup.parse(self.translator.text(text).value, text.rich))

    def inline(self, text: Text) -> Markup:
        """One line of text as inline HTML; a fallback is wrapped in a lang="vi" span."""
        result = self.rendered(text)
        body = markup.to_html(markup.parse(result.value, False), inline=True, text_hook=_escape)
        if result.is_fallback:
            return Markup(f'<span lang="{result.language.code}" class="untranslated" '
                          f'title="{html.escape(self.notice_text(result.status))}">{body}</span>')
        return Markup(body)

    def block(self, text: Text) -> Markup:
        """A rich text as HTML blocks; a fallback comes after a notice, in a lang="vi" div."""
        result = self.rendered(text)
        body = markup.to_html(markup.parse(result.value, text.rich), text_hook=_escape)
        if result.is_fallback:
            return Markup(f'{self.notice(result.status)}\n<div lang="{result.language.code}" class="untranslated">'
                          f"\n{body}\n</div>")
        return Markup(body)

    def notice_text(self, status: str) -> str:
        """The notice as plain text (the macro's output is HTML)."""
        return Markup(str(self._notices.text(status)).strip()).unescape()

    def notice(self, status: str) -> Markup:
        return Markup(str(self._notices.notice(status)).strip())

    def fact(self, fact_id: str) -> str:
        from ..i18n.formatting import format_fact

        return format_fact(self.facts[fact_id], self.language)

    def figure(self, fact_id: str, label: Text) -> Markup:
        """A figure and its label; no space before a CJK label ("183社", "183家")."""
        label_html = self.inline(label)
        first = self.translator.text(label).value[:1]
        separator = "" if first and markup.CJK.match(first) else " "
        return Markup(f'<span class="figure">{html.escape(self.fact(fact_id))}</span>{separator}{label_html}')

    def status_of(self, text: Text) -> str:
        return self.translator.text(text).status


__all__ = ["Localizer", "environment", "FUZZY", "MISSING"]
