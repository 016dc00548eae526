"""What the web and print renderers share: a language's view of the content.

``Localizer`` turns model texts into HTML in one language. A text that is
not (yet) translated comes out in Vietnamese, inside an element that says
``lang="vi"``, after a notice in the reader's language; both renderers use
the same notices, written once in ``templates/notices.j2``.
"""

from __future__ import annotations

import html
import re
import sys
from functools import cached_property
from pathlib import Path
from typing import NoReturn

import jinja2
from markupsafe import Markup

from .. import languages, markup
from ..errors import Diagnostic, Location, OutreachError, display_path, read_source_line
from ..i18n.translate import FUZZY, MISSING, Rendered, Translator
from ..languages import Language
from ..model import Fact, Term, Text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


PLAIN_TEMPLATES = (".txt.j2", ".js.j2")  # every other template writes HTML (or Markdown, which holds HTML)


def autoescape(name: str | None) -> bool:
    """Whether a template escapes what it prints: all but plain text and scripts. Texts from the content
    and the catalogs are data; they are escaped once, where a template prints them."""
    return name is not None and not name.endswith(PLAIN_TEMPLATES)


class Environment(jinja2.Environment):
    """Jinja's environment, whose template errors are located diagnostics, as any other input's: the template's
    path, line and column, its source line and what to do (``template_diagnostic``)."""

    def handle_exception(self, source: str | None = None) -> NoReturn:
        error = sys.exc_info()[1]
        if isinstance(error, jinja2.TemplateError):
            raise OutreachError(template_diagnostic(error)) from None
        super().handle_exception(source)


TEMPLATE_HELP = {
    "template.syntax": "every {% if %}, {% for %}, {% macro %} … ends with its {% end… %}, every {{ and {% is "
                       "closed, and a tag is one Jinja knows",
    "template.undefined": "the template uses a name or an attribute its renderer does not give it: check the "
                          "spelling against what is passed where the template is rendered",
    "template.not-found": "templates are looked up in outreach/templates and in the template folders of the "
                          "registered kinds; check the name",
    "template.error": "the template failed while it was rendered",
}


def template_diagnostic(error: jinja2.TemplateError) -> Diagnostic:
    """A Jinja error at its place in the template: a syntax error where the parser stopped, a missing value or
    template at the innermost template line that was running."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        code = "template.syntax"
        message = f"Jinja syntax: {error.message}"
        path, line = error.filename or error.name or "template", error.lineno
    else:
        code = ("template.undefined" if isinstance(error, jinja2.UndefinedError) else
                "template.not-found" if isinstance(error, jinja2.TemplateNotFound) else "template.error")
        message = f"template '{error.name}' not found" if isinstance(error, jinja2.TemplateNotFound) \
            else str(error.message)
        path, line = _running_template(error)
        if path is None:  # raised outside any template: a template asked for by the code
            path, line = f"templates/{getattr(error, 'name', '') or ''}".rstrip("/"), 0
    shown = display_path(path) if Path(path).is_file() else path
    source = read_source_line(Location(shown, line))
    location = Location(shown, line, _column(source, error.message or "") if source else 0)
    return Diagnostic(location, message, code, hint=TEMPLATE_HELP[code], source_line=source)


def _running_template(error: BaseException) -> tuple[str | None, int]:
    """The innermost template frame of an error's traceback: its file, and the line of the template source
    (Jinja runs templates as compiled Python; the template maps the lines back)."""
    found: tuple[str | None, int] = (None, 0)
    tb = error.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(tb.tb_lineno))
        elif "__jinja_exception__" in tb.tb_frame.f_globals:  # a frame Jinja already rewrote to the template's
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _column(line: str, message: str) -> int:
    """Where in the line the error is: the first name or token the message quotes that the line holds (the
    attribute in "'x' has no attribute 'titel'", the tag in "unknown tag 'endfo'"); else the line's start."""
    for quoted in re.findall(r"'([^']+)'", message):
        pattern = rf"(?<!\w){re.escape(quoted)}(?!\w)" if quoted.isidentifier() else re.escape(quoted)
        match = re.search(pattern, line)
        if match:
            return match.start() + 1
    return len(line) - len(line.lstrip()) + 1


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept for the life of the process and, once a build names a folder of its cache
    (build.keep_between_builds), in that folder for the next build and its worker processes. Every build and every
    ``outreach serve`` rebuild makes new environments (ours, and the site generator's for its theme); without
    this each one compiles its templates again, which is a third of the time a one-language site takes. Jinja
    keys a template by name and file and checks the checksum of its source (and its own and Python's version
    in a stored one), so an edited template is compiled anew."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}
        self.folder: Path | None = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is None and self.folder is not None:
            try:
                code = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if code is not None:
            bucket.bytecode_from_string(code)  # leaves the bucket empty when Jinja or Python differ

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            from ..cache import write_whole

            self.folder.mkdir(parents=True, exist_ok=True)
            write_whole(self.folder / bucket.key, code)


COMPILED = CompiledTemplates()  # our environments' (they are all made alike, by ``environment``)
THEME_COMPILED = CompiledTemplates()  # the site generator's theme environment's (site_hooks.on_env)


def environment() -> jinja2.Environment:
    from .. import kinds

    env = Environment(
        bytecode_cache=COMPILED,
        # ours first, then the folders of kinds registered from outside this package
        loader=jinja2.FileSystemLoader([str(TEMPLATES), *(str(folder) for folder in kinds.template_folders())]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["N_"] = lambda message: message  # marks a UI string for extraction; translated where used
    env.globals["source_language"] = languages.source  # the language content/ is written in
    return env


class Localizer:
    """The content seen in one language."""

    def __init__(self, translator: Translator, env: jinja2.Environment):
        self.translator = translator
        self.language: Language = translator.language
        self.env = env
        self.fallbacks: list[tuple[Text, str]] = []  # what was shown in Vietnamese, and why
        self.missing_ui: set[str] = set()  # UI labels shown in Vietnamese
        self._terms: tuple[Term, ...] = ()  # glossary terms to link on the page being rendered
        self._glossary: str | None = None  # the glossary page's URL from that page; None in print (a mark)
        self._seen: set[str] = set()  # terms (and document codes) already linked on that page
        self._patterns: dict[tuple, tuple] = {}  # the terms' pattern, by language and the terms' identities

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

    @cached_property
    def _term_macros(self):
        return self.env.get_template("terms.j2").make_module({"_": self.ui, "lang": self.language})

    def rendered(self, text: Text) -> Rendered:
        result = self.translator.text(text)
        if result.is_fallback:
            self.fallbacks.append((text, result.status))
        return result

    def plain(self, text: Text) -> str:
        """Text without markup (titles, metadata, navigation)."""
        return markup.plain(markup.parse(self.translator.text(text).value, text.rich))

    def pasted(self, text: Text) -> str:
        """A text as plain text to paste elsewhere (``markup.to_text``); a fallback after its notice, in brackets.
        Not escaped: for plain-text templates only."""
        result = self.rendered(text)
        body = markup.to_text(markup.parse(result.value, text.rich))
        return f"[{self.notice_text(result.status)}]\n{body}" if result.is_fallback else body

    def reading_time(self, text: Text):
        """How long the text takes to read aloud, at the pace of the language it is shown in (``speech.py``);
        None when that language states no pace."""
        from ..speech import reading_time

        result = self.translator.text(text)
        return reading_time(markup.plain(markup.parse(result.value, text.rich)), result.language)

    def glossary_scope(self, terms=(), glossary: str | None = None) -> Markup:
        """From here on, link the first use of each glossary term (and each document code) in texts rendered with
        terms=True: to ``glossary`` (the glossary page's URL, on the web) or with a mark (print). A new scope is a
        new page: terms are linked again. ``glossary_scope()`` stops linking. Returns nothing to print."""
        self._terms, self._glossary, self._seen = tuple(terms), glossary, set()
        return Markup("")

    def inline(self, text: Text, terms: bool = False) -> Markup:
        """One line of text as inline HTML; a fallback is wrapped in a lang="vi" span. ``terms``: link glossary
        terms (not where the line sits inside a link or a label)."""
        result = self.rendered(text)
        body = markup.to_html(markup.parse(result.value, False), inline=True, text_hook=_escape)
        if terms:
            body = self.link_terms(body, result.language)
        if result.is_fallback:
            return Markup(f'<span lang="{result.language.code}" class="untranslated" '
                          f'title="{html.escape(self.notice_text(result.status))}">{body}</span>')
        return Markup(body)

    def block(self, text: Text) -> Markup:
        """A rich text as HTML blocks; a fallback comes after a notice, in a lang="vi" div."""
        result = self.rendered(text)
        body = self.link_terms(markup.to_html(markup.parse(result.value, text.rich), text_hook=_escape), result.language)
        if result.is_fallback:
            return Markup(f'{self.notice(result.status)}\n<div lang="{result.language.code}" class="untranslated">'
                          f"\n{body}\n</div>")
        return Markup(body)

    def link_terms(self, body: str, language: Language) -> str:
        """The first use on the page of each glossary term, as the text of ``language`` writes it, linked to its
        entry (or marked, in print). ``body`` is HTML whose text is escaped; text inside a link is left alone."""
        if not self._terms:
            return body
        known = (language.code, tuple(map(id, self._terms)))  # the same terms on every page: hashed once
        if known not in self._patterns:
            self._patterns[known] = _term_pattern(self._terms, language)
        pattern, by_form = self._patterns[known]
        macros = self._term_macros
        out, depth = [], 0
        for token in _TAG_OR_TEXT.findall(body):
            if token.startswith("<"):
                name = token[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(token) > 2 else ""
                if name == "a":
                    depth += -1 if token.startswith("</") else 1
                out.append(token)
                continue
            if depth:
                out.append(token)
                continue

            def replace(match: re.Match) -> str:
                code = match.groupdict().get("code")
                term = by_form.get(CODE_TERM if code else match.group("form").casefold())
                key = f"code:{code}" if code else term.id if term else ""
                if term is None or key in self._seen or (term.everyday and not code):
                    return match.group(0)
                self._seen.add(key)
                text = Markup(match.group(0))  # already escaped
                if self._glossary is None:
                    return str(macros.mark(text))
                name = term.rendering(self.language.catalog)
                return str(macros.link(f"{self._glossary}#{term.id}", name, self.plain(term.note), text))

            out.append(pattern.sub(replace, token))
        return "".join(out)

    def notice_text(self, status: str) -> str:
        """The notice as plain text (the macro's output is HTML)."""
        return Markup(str(self._notices.text(status)).strip()).unescape()

    def notice(self, status: str) -> Markup:
        return Markup(str(self._notices.notice(status)).strip())

    def fact(self, fact_id: str) -> str:
        from ..i18n.formatting import format_fact

        return format_fact(self.facts[fact_id], self.language)

    def figure(self, fact_id: str, label: Text) -> Markup:
        """A figure and its label; no space before a CJK or Korean label, which begins with its counter ("183社",
        "183家", "183개")."""
        label_html = self.inline(label)
        first = self.translator.text(label).value[:1]
        separator = "" if first and markup.CJK_OR_HANGUL.match(first) else " "
        return Markup(f'<span class="figure">{html.escape(self.fact(fact_id))}</span>{separator}{label_html}')

    def status_of(self, text: Text) -> str:
        return self.translator.text(text).status


_TAG_OR_TEXT = re.compile(r"<[^>]*>|[^<]+")
CODE_TERM = "\0document-codes"  # the key of the term that explains document codes (Term.codes)
_PATTERNS: dict = {}


def _term_pattern(terms: tuple[Term, ...], language: Language) -> tuple[re.Pattern, dict[str, Term]]:
    """One pattern for every term as ``language`` writes it (its glossary rendering), longest first, and every
    document code (33-CT/TW) when a term explains them. Latin-script words match whole (English also in the
    plural); Korean words at a word start (a particle may follow); Chinese and Japanese anywhere."""
    key = (language.code, terms)
    if key in _PATTERNS:
        return _PATTERNS[key]
    from ..validate import DOCUMENT_NUMBER

    by_form: dict[str, Term] = {}
    for term in terms:
        if getattr(term, "codes", False):
            by_form[CODE_TERM] = term
        form = html.escape(term.rendering(language.catalog), quote=False)
        if form.strip():
            by_form.setdefault(form.casefold(), term)
    forms = "|".join(re.escape(form) for form in sorted((f for f in by_form if f != CODE_TERM), key=len, reverse=True))
    if language.code == "ko":
        word = rf"(?<![가-힣])(?P<form>{forms})"
    elif language.code in ("zh-Hans", "ja"):
        word = rf"(?P<form>{forms})"
    else:
        plural = "(?:s|es)?" if language.code == "en" else ""
        word = rf"(?<![\w])(?P<form>{forms}){plural}(?![\w])"
    code = rf"(?-i:(?P<code>(?<![0-9A-Za-z/]){DOCUMENT_NUMBER.pattern}))" if CODE_TERM in by_form else "(?!)"
    pattern = re.compile(f"{code}|{word}" if forms else code, re.IGNORECASE)
    _PATTERNS[key] = (pattern, by_form)
    return _PATTERNS[key]


__all__ = ["Localizer", "environment", "FUZZY", "MISSING"]
