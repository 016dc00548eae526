"""Gettext catalogs: extract the template, update each language, compile, count.

``locales/messages.pot`` is made from the content (one message per text
field, ``msgctxt`` = the field's stable id) and from the UI strings in our
templates. ``update`` merges it into ``locales/<lang>/LC_MESSAGES/messages.po``
keyed on ``msgctxt``, so that no translation is ever dropped:

* same context, same source: kept as it is;
* same context, changed source: kept, marked fuzzy, previous source kept;
* context gone: kept as obsolete (``#~``), and brought back if it returns;
* new context whose source was translated elsewhere (a renamed document):
  that translation is offered, marked fuzzy.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, denormalize, read_po, write_po

from ..errors import Diagnostic, Location, OutreachError, display_path
from ..languages import TARGETS, Language
from ..model import Project
from .extract import message_id, unwrap

DOMAIN = "messages"
PROJECT = "outreach"
TEMPLATE_GLOB = "**/*.j2"
WIDTH = 79
UI_GROUP = "ui"


def template_path(locales: Path) -> Path:
    return locales / f"{DOMAIN}.pot"


def po_path(locales: Path, language: Language) -> Path:
    return locales / language.catalog / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locales: Path, language: Language) -> Path:
    return po_path(locales, language).with_suffix(".mo")


def _new_catalog(locale: str | None, revision: dt.datetime | None = None) -> Catalog:
    created = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
    return Catalog(
        locale=locale, domain=DOMAIN, project=PROJECT, version="1",
        copyright_holder="", msgid_bugs_address="", charset="utf-8",
        creation_date=created, revision_date=revision or created,
        fuzzy=False, header_comment="# Outreach material of the provincial Propaganda Board.\n#",
    )


def ui_messages(templates_dir: Path, root: Path):
    """(msgid, path, line, comments) for every UI string in the Jinja templates."""
    for path in sorted(templates_dir.glob(TEMPLATE_GLOB)):
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        for lineno, message, comments, context in extract_from_file(
                "jinja2", str(path), comment_tags=("NOTE:", "TRANSLATORS:"), strip_comment_tags=True,
                options={"trimmed": "true"}):
            yield message, context, shown, lineno, comments


def extract(project: Project, templates_dir: Path, root: Path) -> Catalog:
    """The template catalog for the whole project."""
    catalog = _new_catalog(None)
    for text in project.texts():
        shown = Path(os.path.relpath(os.path.abspath(text.location.path), root)).as_posix()
        catalog.add(message_id(text), context=text.context, locations=[(shown, text.location.line)],
                    auto_comments=[text.comment])
    for message, context, shown, lineno, comments in ui_messages(templates_dir, root):
        existing = catalog.get(message, context)
        if existing:
            existing.locations.append((shown, lineno))
        else:
            catalog.add(message, context=context, locations=[(shown, lineno)],
                        auto_comments=comments or ["Label on the web pages and in the PDFs."])
    return catalog


def _key(message: Message):
    return message.context or "", message.id if not message.context else ""


def _rich(message: Message) -> bool:
    return any("Markup:" in comment for comment in message.auto_comments)


def _comments(message: Message) -> list[str]:
    """The translator's own comments; Babel's reader files the ``#|`` previous-msgid lines among them."""
    return [comment for comment in message.user_comments if not comment.startswith("|")]


def merge(po: Catalog, template: Catalog) -> Catalog:
    """A new catalog for ``po``'s language with ``template``'s messages; no translation lost.

    A content text's source, translation and previous source are compared and written unwrapped
    (``extract.unwrap``): a catalog whose texts kept their hard line wraps is migrated entry by entry, and
    a translation made with line breaks inside a paragraph is unwrapped the same way. A fuzzy entry's
    ``#|`` previous msgid stays the text its translation was made for, however often the source changes."""
    previous: dict = {}
    memory: dict[str, str] = {}
    for message in [*po.obsolete.values(), *(m for m in po if m.id)]:
        previous[_key(message)] = message  # active entries win over obsolete ones
        if message.string and not message.fuzzy:
            memory.setdefault(unwrap(message.id, True) if message.context else message.id, message.string)
    merged = _new_catalog(str(po.locale) if po.locale else None, po.revision_date)
    merged.mime_headers = po.mime_headers
    used = set()
    for message in template:
        if not message.id:
            continue
        rich = _rich(message)

        def plain(text: str) -> str:
            return unwrap(text, rich) if message.context and text else text

        key = _key(message)
        old = previous.get(key)
        flags = set(message.flags) - {"fuzzy"}
        string, previous_id = "", []
        if old is not None and plain(old.id) == message.id:
            used.add(key)
            string = plain(old.string)
            if old.fuzzy and old.string:
                flags.add("fuzzy")
                previous_id = [plain(text) for text in old.previous_id]
        elif old is not None and old.string:
            used.add(key)
            string = plain(old.string)
            made_for = old.previous_id if old.fuzzy and old.previous_id else [old.id]
            previous_id = [plain(text) for text in made_for]
            flags.add("fuzzy")
        elif (unwrap(message.id, True) if message.context else message.id) in memory:
            string = plain(memory[unwrap(message.id, True) if message.context else message.id])
            flags.add("fuzzy")
        elif old is not None:
            used.add(key)
        merged.add(message.id, string, locations=message.locations, flags=flags,
                   auto_comments=message.auto_comments, user_comments=_comments(old) if old else (),
                   previous_id=previous_id, context=message.context)
    for key, old in previous.items():
        if key not in used and old.string:
            merged.obsolete[old.context and (old.id, old.context) or old.id] = Message(
                old.id, old.string, flags=old.flags, user_comments=_comments(old), context=old.context)
    return merged


def _previous_ids(text: str) -> dict[tuple[str | None, str], str]:
    """The ``#| msgid`` of each entry, which Babel's reader skips."""
    found = {}
    for entry in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        current = None
        for line in entry.splitlines():
            match = re.match(r'^(#\| )?(msgctxt|msgid|msgstr)\s+(".*")\s*$', line)
            if match:
                current = ("prev_" if match.group(1) else "") + match.group(2)
                fields[current] = [match.group(3)]
            elif current and re.match(r'^(#\| )?".*"\s*$', line):
                fields[current].append(line[3:] if line.startswith("#| ") else line)
            elif line.startswith("#~"):
                break
        if "prev_msgid" in fields and "msgid" in fields:
            context = denormalize("\n".join(fields["msgctxt"])) if "msgctxt" in fields else None
            found[(context, denormalize("\n".join(fields["msgid"])))] = denormalize("\n".join(fields["prev_msgid"]))
    return found


_READ: dict[tuple, Catalog] = {}


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po file (with the previous msgids Babel skips). A file read before and unchanged since is
    not parsed again; treat the result as read-only."""
    path = Path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, locale)
    except OSError:
        key = None
    if key in _READ:
        return _READ[key]
    catalog = _read_catalog(path, locale)
    if key is not None:
        if len(_READ) > 16:
            _READ.clear()
        _READ[key] = catalog
    return catalog


KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$")
STRING = re.compile(r'^"((?:[^"\\]|\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+))*)"\s*$')
CHARSET = re.compile(r"charset=([^\s;\\]+)")
_HINT_SYNTAX = "fix the entry (msgfmt --check-format shows the same), or restore the file from version control"


class _PoChecker:
    """The syntax of a .po file, checked as strictly as GNU msgfmt: every string closed, every escape known,
    every entry complete, no entry twice, a known charset. Babel's reader is lenient (it takes an unterminated
    string without its last character, and the last of two duplicates); a catalog passes here first."""

    def __init__(self, text: str, shown: str):
        self.lines = text.split("\n")
        self.shown = shown
        self.diagnostics: list[Diagnostic] = []

    def error(self, number: int, col: int, message: str, code: str = "po.syntax", hint: str = _HINT_SYNTAX) -> None:
        source = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
        self.diagnostics.append(Diagnostic(Location(self.shown, number, col), message, code, "error", hint, source))

    def string(self, number: int, col: int, literal: str) -> str | None:
        literal = literal.rstrip()
        match = STRING.match(literal)
        if match:
            return match.group(1)
        if not literal.startswith('"'):
            self.error(number, col, "expected a string in double quotes")
        elif len(literal) < 2 or not re.search(r'(?<!\\)(?:\\\\)*"$', literal[1:]):
            self.error(number, col + len(literal), "unterminated string: the closing '\"' is missing")
        else:
            self.error(number, col, "invalid string: an unknown escape, or a '\"' that is not escaped")
        return None

    def check(self) -> list[Diagnostic]:
        entries: list[dict] = []
        entry: dict | None = None
        current = None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.rstrip("\r")
            stripped = line.strip()
            if not stripped:
                current = None
                continue
            if stripped.startswith("#"):
                if stripped.startswith("#~"):
                    current = None
                continue
            match = KEYWORD.match(stripped)
            if match:
                keyword = match.group(1)
                col = line.index(match.group(2)) + 1
                value = self.string(number, col, match.group(2))
                if keyword in ("msgctxt", "msgid") and (entry is None or "msgstr" in entry or
                                                       (keyword == "msgctxt" and "msgid" in entry)):
                    entry = {"line": number}
                    entries.append(entry)
                elif entry is None:
                    self.error(number, 1, f"'{keyword}' without a msgid before it")
                    entry = {"line": number}
                    entries.append(entry)
                key = "msgstr" if keyword.startswith("msgstr") else keyword
                if key in entry and not keyword.startswith("msgstr["):
                    self.error(number, 1, f"a second '{keyword}' in the entry that starts at line {entry['line']}")
                entry.setdefault(key, "")
                entry[key] += value or ""
                current = key
                continue
            if stripped.startswith('"'):
                if current is None:
                    self.error(number, 1, "a string that belongs to no msgid or msgstr")
                    continue
                value = self.string(number, line.index('"') + 1, stripped)
                entry[current] += value or ""
                continue
            self.error(number, 1, "not a line of a .po file (a comment, a keyword or a string)")
        seen: dict[tuple, int] = {}
        for item in entries:
            if "msgid" not in item:
                self.error(item["line"], 1, "an entry without a msgid")
                continue
            if "msgstr" not in item:
                self.error(item["line"], 1, "an entry without a msgstr: the file may be cut off here"
                           if item is entries[-1] else "an entry without a msgstr")
                continue
            key = (item.get("msgctxt"), item["msgid"])
            if key in seen:
                context = f" (msgctxt \"{item['msgctxt']}\")" if item.get("msgctxt") is not None else ""
                self.error(item["line"], 1, f"duplicate entry{context}: first defined at line {seen[key]}",
                           "po.duplicate", "keep one of the two (msgfmt rejects the file)")
            else:
                seen[key] = item["line"]
        header = next((item for item in entries if item.get("msgid") == "" and item.get("msgctxt") is None), None)
        if header is not None and "msgstr" in header:
            found = CHARSET.search(header["msgstr"])
            number = next((n for n, line in enumerate(self.lines, 1) if "charset=" in line), header["line"])
            if found is None:
                self.error(number, 1, "the header names no charset", "po.charset",
                           'the header needs "Content-Type: text/plain; charset=UTF-8\\n"')
            else:
                charset = found.group(1)
                try:
                    known = codecs.lookup(charset).name
                except LookupError:
                    known = None
                col = self.lines[number - 1].find(charset) + 1 if number <= len(self.lines) else 1
                if known != "utf-8":
                    self.error(number, col, f"charset '{charset}' " + ("is not a known character set" if known is None
                               else "is not UTF-8"), "po.charset",
                               "the catalogs are UTF-8: write charset=UTF-8 in the header (and save the file as UTF-8)")
        return self.diagnostics


def check_po_syntax(data: bytes, shown: str) -> list[Diagnostic]:
    """Every syntax error of a .po file, with its line and column (after decoding it as UTF-8)."""
    from ..load import control_characters, decode

    text = decode(data, shown, "catalog")
    return control_characters(text, shown, "po.control") or _PoChecker(text, shown).check()


def _read_catalog(path: Path, locale: str | None = None) -> Catalog:
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OutreachError(Diagnostic(Location(shown), f"cannot read the catalog: {exc.strerror}", "po.read",
                                       hint="check that the file exists and that you may read it")) from None
    problems = check_po_syntax(data, shown)
    if problems:
        raise OutreachError(problems)
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except (PoFileError, ValueError, LookupError) as exc:
        raise OutreachError(Diagnostic(Location(shown, getattr(exc, "lineno", 0) or 1, 1),
                                       f"cannot read the catalog: {exc}", "po.syntax", hint=_HINT_SYNTAX)) from None
    for (context, msgid), previous in _previous_ids(data.decode("utf-8")).items():
        message = catalog.get(msgid, context)
        if message is not None:
            message.previous_id = [previous]
    for message in [*catalog, *catalog.obsolete.values()]:
        message.user_comments = _comments(message)
    return catalog


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, omit_header=False, sort_output=False, ignore_obsolete=False,
             include_previous=True, sort_by_file=False)
    return buffer.getvalue()


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


@dataclass
class UpdateResult:
    written: list[Path] = field(default_factory=list)


def update(locales: Path, template: Catalog, languages=TARGETS) -> UpdateResult:
    """Write the template and merge it into each language's catalog."""
    result = UpdateResult()
    if write_if_changed(template_path(locales), render_po(template)):
        result.written.append(template_path(locales))
    for language in languages:
        path = po_path(locales, language)
        po = read_catalog(path, language.catalog) if path.exists() else _new_catalog(language.catalog)
        if not path.exists():
            po.locale = language.catalog
        merged = merge(po, template)
        merged.locale = language.catalog
        if write_if_changed(path, render_po(merged)):
            result.written.append(path)
    return result


def compile_catalogs(locales: Path, languages=TARGETS) -> list[Path]:
    written = []
    for language in languages:
        catalog = read_catalog(po_path(locales, language), language.catalog)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        if write_if_changed(mo_path(locales, language), buffer.getvalue()):
            written.append(mo_path(locales, language))
    return written


# ---------------------------------------------------------------- status


def group_of(message: Message) -> str:
    """The document a message belongs to: the part of msgctxt before ':'."""
    if message.context and ":" in message.context:
        return message.context.split(":", 1)[0]
    return UI_GROUP


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Counts:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    words_translated: int = 0
    words_fuzzy: int = 0
    words_untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def complete(self) -> bool:
        return self.fuzzy == 0 and self.untranslated == 0

    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def status(catalog: Catalog) -> dict[str, Counts]:
    """Counts per document group, and 'all'."""
    table: dict[str, Counts] = {}

    def bump(group: str, attr: str, n_words: int) -> None:
        for name in (group, "all"):
            counts = table.setdefault(name, Counts())
            setattr(counts, attr, getattr(counts, attr) + 1)
            if attr != "obsolete":
                word_attr = "words_" + attr
                setattr(counts, word_attr, getattr(counts, word_attr) + n_words)

    for message in catalog:
        if not message.id:
            continue
        state = "fuzzy" if message.fuzzy and message.string else "translated" if message.string else "untranslated"
        bump(group_of(message), state, words(message.id))
    for message in catalog.obsolete.values():
        bump(group_of(message), "obsolete", 0)
    return dict(sorted(table.items(), key=lambda kv: (kv[0] == "all", kv[0])))
