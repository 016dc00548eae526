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
        catalog.add(text.source, context=text.context, locations=[(shown, text.location.line)],
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


def merge(po: Catalog, template: Catalog) -> Catalog:
    """A new catalog for ``po``'s language with ``template``'s messages; no translation lost."""
    previous: dict = {}
    memory: dict[str, str] = {}
    for message in [*po.obsolete.values(), *(m for m in po if m.id)]:
        previous[_key(message)] = message  # active entries win over obsolete ones
        if message.string and not message.fuzzy:
            memory.setdefault(message.id, message.string)
    merged = _new_catalog(str(po.locale) if po.locale else None, po.revision_date)
    merged.mime_headers = po.mime_headers
    used = set()
    for message in template:
        if not message.id:
            continue
        key = _key(message)
        old = previous.get(key)
        flags = set(message.flags) - {"fuzzy"}
        string, previous_id = "", ()
        if old is not None and old.id == message.id:
            used.add(key)
            string = old.string
            if old.fuzzy and old.string:
                flags.add("fuzzy")
                previous_id = old.previous_id
        elif old is not None and old.string:
            used.add(key)
            string, previous_id = old.string, old.id
            flags.add("fuzzy")
        elif message.id in memory:
            string = memory[message.id]
            flags.add("fuzzy")
        elif old is not None:
            used.add(key)
        merged.add(message.id, string, locations=message.locations, flags=flags,
                   auto_comments=message.auto_comments, user_comments=old.user_comments if old else (),
                   previous_id=previous_id, context=message.context)
    for key, old in previous.items():
        if key not in used and old.string:
            merged.obsolete[old.context and (old.id, old.context) or old.id] = Message(
                old.id, old.string, flags=old.flags, user_comments=old.user_comments, context=old.context)
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


def _read_catalog(path: Path, locale: str | None = None) -> Catalog:
    shown = display_path(path)
    try:
        data = path.read_bytes()
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
        for (context, msgid), previous in _previous_ids(data.decode("utf-8")).items():
            message = catalog.get(msgid, context)
            if message is not None:
                message.previous_id = [previous]
        return catalog
    except PoFileError as exc:
        raise OutreachError(Diagnostic(Location(shown, exc.lineno, 1), f"cannot read catalog: {exc}",
                                       "po.syntax", "fix the entry, or restore the file from version control")) from None
    except UnicodeDecodeError as exc:
        raise OutreachError(Diagnostic(Location(shown), f"catalog is not UTF-8: {exc.reason}", "po.encoding")) from None


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
