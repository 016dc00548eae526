"""YAML nodes → the typed model, reporting every error at once.

The dataclasses in ``model.py`` are the schema. ``Converter`` walks a node
and a type together; each mismatch becomes a diagnostic with the node's
location, and the walk goes on so that one run reports everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import types
import typing
from pathlib import Path

from . import languages, markup
from .errors import Location, OutreachError, Report, display_path
from .load import Mapping, Node, Scalar, Sequence, SourceFile, load_yaml
from . import kinds
from .model import Body, Contacts, Fact, Project, Site, Term, Text, iter_texts

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Digits that are not figures: document numbers ("33-CT/TW", "98/2014/NĐ-CP") and references to
# articles or items ("Điều 4", "điểm 2.2").
DOCUMENT_NUMBER = re.compile(r"\d+(?:/\d{4})?[-/–][A-ZĐ][A-Za-zĐ]*(?:[-/][A-ZĐ][A-Za-zĐ]*)*")
REFERENCE = re.compile(r"(?:Điều|điều|Điểm|điểm|Khoản|khoản|Mục|mục|Phần|phần|Chương|chương)\s+\d+(?:\.\d+)*")
FIGURE = re.compile(r"\d[\d.,]*")


def bare_figures(text: str) -> list[str]:
    """Figures typed into a text instead of coming from facts.yaml."""
    text = PLACEHOLDER.sub("", text)
    text = DOCUMENT_NUMBER.sub("", text)
    text = REFERENCE.sub("", text)
    return FIGURE.findall(text)
FACT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
STABLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FACT_TYPES = ("integer", "percent", "date", "range", "year")
FACT_ROLES = ("figure", "target", "deadline")
SPECIAL_FILES = ("site.yaml", "contacts.yaml", "facts.yaml", "glossary.yaml", languages.FILE)
OPTIONAL_FILES = ("names.yaml", "bodies.yaml")
MISSING = object()


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def type_name(node: Node | None) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if node is None or node.value is None:
        return "nothing"
    value = node.value
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            dt.date: "a date"}.get(type(value), type(value).__name__)


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


@functools.cache
def type_hints(cls) -> dict:
    """A model class's field types, resolved once a process (``outreach serve`` loads the content often)."""
    return typing.get_type_hints(cls)


class Converter:
    """Converts the nodes of one file, collecting diagnostics in ``report``."""

    def __init__(self, source: SourceFile, prefix: str, label: str, report: Report, fact_ids, body_ids=frozenset(),
                 placeholders: bool = True):
        self.source = source
        self.prefix = prefix  # msgctxt prefix, e.g. "leaflet.owners"
        self.label = label  # for translator comments, e.g. "Leaflet 'owners'"
        self.report = report
        self.fact_ids = fact_ids
        self.body_ids = body_ids  # names of bodies (content/bodies.yaml), also written {id} in texts
        self.placeholders = placeholders  # false where a text may not hold a placeholder (a body's own name)

    # -- entry point
    def record(self, node: Node, cls, path: tuple[str, ...] = (), docs: tuple[str, ...] = ()):
        if not isinstance(node, Mapping):
            self.report.error(node.loc, f"expected a mapping of fields for {cls.__name__}, got {type_name(node)}",
                              "schema.type")
            return MISSING
        internal = [f.name for f in dataclasses.fields(cls) if f.metadata.get("internal")]
        fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
        hints = type_hints(cls)
        suggested = set()
        for key, key_loc in node.keys.items():
            if key not in fields:
                hint = suggest(key, fields)
                if hint:
                    suggested.add(hint.split("'")[1])
                self.report.error(key_loc, f"unknown field '{key}'{hint}", "schema.unknown",
                                  f"the fields of {cls.__name__} are: {', '.join(fields)}")
        values = {}
        for name, f in fields.items():
            tp = hints[name]
            child = node.items.get(name)
            optional = _is_optional(tp)
            if child is None or (isinstance(child, Scalar) and child.value is None):
                if f.default is not dataclasses.MISSING or optional:
                    values[name] = f.default if f.default is not dataclasses.MISSING else None
                    continue
                if name in suggested:  # already reported as a misspelt field
                    values[name] = MISSING
                    continue
                where = node.keys.get(name, node.loc)
                self.report.error(where, f"missing field '{name}' ({f.metadata.get('doc', '')})",
                                  "schema.missing", f"add '{name}:' to this {cls.__name__.lower()}")
                values[name] = MISSING
                continue
            values[name] = self.value(child, _strip_optional(tp), path + (name,),
                                      docs + (f.metadata.get("doc", name),), f.metadata)
        if any(v is MISSING for v in values.values()):
            return MISSING
        if "location" in internal:
            values["location"] = node.loc
        return cls(**values)

    def value(self, node: Node, tp, path, docs, meta):
        origin = typing.get_origin(tp)
        if tp is Text:
            return self.text(node, path, docs, meta)
        if dataclasses.is_dataclass(tp):
            return self.record(node, tp, path, docs)
        if origin is tuple:
            item_type = typing.get_args(tp)[0]
            if not isinstance(node, Sequence):
                self.report.error(node.loc, f"expected a list, got {type_name(node)}", "schema.type",
                                  "write each item on its own line starting with '- '")
                return MISSING
            items, seen = [], {}
            for index, child in enumerate(node.items):
                key = _item_key(child) or str(index + 1)
                if isinstance(child, Mapping) and isinstance(child.items.get("id"), Scalar):
                    if key in seen:
                        self.report.error(child.items["id"].loc, f"duplicate id '{key}' (first at line {seen[key]})",
                                          "schema.duplicate-id", "give every item in this list its own id")
                    seen.setdefault(key, child.loc.line)
                items.append(self.value(child, item_type, path + (key,), docs, meta))
            return MISSING if MISSING in items else tuple(items)
        if origin is typing.Literal:
            allowed = typing.get_args(tp)
            if not isinstance(node, Scalar) or node.value not in allowed:
                got = node.value if isinstance(node, Scalar) else type_name(node)
                self.report.error(node.loc, f"'{got}' is not one of: {', '.join(map(str, allowed))}"
                                  f"{suggest(str(got), map(str, allowed))}", "schema.value")
                return MISSING
            return node.value
        expected = {str: "text", int: "a whole number", bool: "true or false", dt.date: "a date (YYYY-MM-DD)"}[tp]
        ok = isinstance(node, Scalar) and isinstance(node.value, tp) and not (
            tp is int and isinstance(node.value, bool)) and not (tp is dt.date and isinstance(node.value, dt.datetime))
        if tp is str and isinstance(node, Scalar) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            node_value = str(node.value)
            ok, node = True, Scalar(node_value, node.loc, node.end, node.style)
        if not ok:
            self.report.error(node.loc, f"expected {expected}, got {type_name(node)}", "schema.type")
            return MISSING
        if tp is str and path and path[-1] == "short_for" and node.value not in self.body_ids:
            self.report.error(node.loc, f"unknown body '{node.value}'{suggest(node.value, self.body_ids)}",
                              "schema.reference", "name a body from content/bodies.yaml")
        if tp is str and path and path[-1] == "fact" and node.value not in self.fact_ids:
            self.report.error(node.loc, f"unknown fact '{node.value}'{suggest(node.value, self.fact_ids)}",
                              "schema.reference", "name a fact from content/facts.yaml or content/facts/")
        if tp is str and path and path[-1] == "id" and not STABLE_ID.match(node.value):
            self.report.error(node.loc, f"id '{node.value}' may use only a-z, 0-9 and '-'", "schema.id",
                              "ids appear in URLs and translation contexts; keep them short and ASCII")
        return node.value

    def text(self, node: Node, path, docs, meta) -> Text:
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            self.report.error(node.loc, f"expected text, got {type_name(node)}", "schema.type",
                              "quote the value if it is meant as text")
            return MISSING
        value = node.value.strip()
        rich = bool(meta.get("rich"))
        space = meta.get("space")
        names = tuple(dict.fromkeys(placeholders_in(value)))
        for name in names:
            if not self.placeholders:
                self.report.error(self.source.locate(node, "{" + name + "}"),
                                  f"'{{{name}}}': a body's name is written out, without placeholders",
                                  "text.placeholder", "write the name in full here")
            elif not FACT_ID.match(name):
                self.report.error(self.source.locate(node, "{" + name + "}"),
                                  f"'{{{name}}}' is not a placeholder; braces are kept for facts and names of bodies",
                                  "text.placeholder", "write {fact_id} with an id from content/facts.yaml, or "
                                  "{body_id} with an id from content/bodies.yaml")
            elif name not in self.fact_ids and name not in self.body_ids:
                known = [*self.fact_ids, *self.body_ids]
                self.report.error(self.source.locate(node, "{" + name + "}"),
                                  f"unknown placeholder '{{{name}}}'{suggest(name, known)}",
                                  "text.placeholder",
                                  "placeholders name a fact in content/facts.yaml or a body in content/bodies.yaml")
        stray = PLACEHOLDER.sub("", value)
        for brace in "{}":
            if brace in stray:
                self.report.error(self.source.locate(node, brace), f"unmatched '{brace}'", "text.placeholder",
                                  "a placeholder is written {fact_id}")
        try:
            blocks = markup.parse(value, rich)
        except markup.MarkupError as exc:
            self.report.error(self.source.locate(node, exc.snippet[:12] or value.strip()[:12], line=exc.line),
                              exc.message, exc.code, exc.help)
            blocks = ()
        for figure in bare_figures(markup.plain(blocks)):
            self.report.error(self.source.locate(node, figure), f"figure '{figure}' typed into the text",
                              "text.figure", "put the figure in content/facts.yaml and write its {fact_id} here")
        if space and blocks and len(markup.plain(blocks)) > space:
            self.report.error(node.loc, f"text is {len(markup.plain(blocks))} characters; the panel has room for {space}",
                              "text.length", "shorten the Vietnamese text; translations must fit too")
        context = f"{self.prefix}:{'.'.join(path)}"
        where = " › ".join(d for d in docs if d)
        comment = f"{self.label} › {where}."
        if space:
            comment += f" Space: about {space} characters."
        if rich:
            comment += " Markup: *emphasis*, **strong**, [link](url), '- ' lists; keep {placeholders} as they are."
        elif names:
            comment += " Keep {placeholders} as they are."
        return Text(value, context, node.loc, comment, rich, space, names)


def _is_optional(tp) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in typing.get_args(tp)


def _strip_optional(tp):
    if _is_optional(tp):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0]
    return tp


def _item_key(node: Node) -> str | None:
    if isinstance(node, Mapping):
        ident = node.items.get("id")
        if isinstance(ident, Scalar) and isinstance(ident.value, (str, int)):
            return str(ident.value)
    return None


# ---------------------------------------------------------------- facts


def load_facts(source: SourceFile, report: Report) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    root = source.root
    if not isinstance(root, Mapping):
        report.error(Location(source.path, 1, 1), "facts.yaml must map fact ids to facts", "schema.type")
        return facts
    required = ("type", "value", "unit", "as_of", "source")
    optional = ("role",)
    for fact_id, node in root.items.items():
        loc = root.keys[fact_id]
        if not FACT_ID.match(fact_id):
            report.error(loc, f"fact id '{fact_id}' may use only a-z, 0-9 and '_'", "schema.id",
                         "a fact id is written in texts as {fact_id}; rename it here and there")
            continue
        if not isinstance(node, Mapping):
            report.error(node.loc, f"expected the fields {', '.join(required)}, got {type_name(node)}", "schema.type")
            continue
        for key, key_loc in node.keys.items():
            if key not in required + optional:
                report.error(key_loc, f"unknown field '{key}'{suggest(key, required + optional)}", "schema.unknown",
                             f"a fact has: {', '.join(required)}, and may have: {', '.join(optional)}")
        missing = [k for k in required if k not in node.items]
        for key in missing:
            report.error(loc, f"fact '{fact_id}' is missing '{key}'", "schema.missing")
        if missing:
            continue
        kind_node, value_node = node.items["type"], node.items["value"]
        kind = kind_node.value if isinstance(kind_node, Scalar) else None
        if kind not in FACT_TYPES:
            report.error(kind_node.loc, f"fact type '{kind}' is not one of: {', '.join(FACT_TYPES)}"
                         f"{suggest(str(kind), FACT_TYPES)}", "schema.value")
            continue
        value = _fact_value(kind, value_node, report)
        if value is MISSING:
            continue
        texts = {}
        for key in ("unit", "as_of", "source"):
            child = node.items[key]
            if not isinstance(child, Scalar) or child.value is None:
                report.error(child.loc, f"expected text, got {type_name(child)}", "schema.type")
                texts[key] = ""
            else:
                texts[key] = str(child.value)
        role = "figure"
        role_node = node.items.get("role")
        if role_node is not None:
            role = role_node.value if isinstance(role_node, Scalar) else None
            if role not in FACT_ROLES:
                report.error(role_node.loc, f"fact role '{role}' is not one of: {', '.join(FACT_ROLES)}"
                             f"{suggest(str(role), FACT_ROLES)}", "schema.value")
                continue
        facts[fact_id] = Fact(fact_id, kind, value, texts["unit"], texts["as_of"], texts["source"], loc, role)
    return facts


def _fact_value(kind: str, node: Node, report: Report):
    def bad(expected: str):
        report.error(node.loc, f"a {kind} fact needs {expected}, got {type_name(node)}", "schema.type")
        return MISSING

    if kind == "range":
        if not (isinstance(node, Sequence) and len(node.items) == 2 and all(
                isinstance(n, Scalar) and type(n.value) is int for n in node.items)):
            return bad("a list of two whole numbers, [low, high]")
        low, high = (n.value for n in node.items)
        if low > high:
            report.error(node.loc, f"range [{low}, {high}] runs backwards", "schema.value")
            return MISSING
        return (low, high)
    if not isinstance(node, Scalar):
        return bad("a single value")
    value = node.value
    if kind in ("integer", "year") and type(value) is not int:
        return bad("a whole number")
    if kind == "percent" and (type(value) not in (int, float) or not 0 <= value <= 100):
        return bad("a number from 0 to 100")
    if kind == "date" and type(value) is not dt.date:
        return bad("a date (YYYY-MM-DD)")
    return value


# ---------------------------------------------------------------- project


def load_project(content_dir: str | Path) -> Project:
    """Read and validate everything in ``content/``. Raises ``OutreachError`` with every problem."""
    content = Path(content_dir)
    report = Report()
    try:
        languages.configure(content)  # the project's languages: glossary renderings and all later stages
    except OutreachError as exc:
        report.diagnostics.extend(exc.diagnostics)
    sources: dict[str, SourceFile] = {}
    for path in sorted(content.rglob("*.yaml")):
        try:
            sources[path.relative_to(content).as_posix()] = load_yaml(path)
        except OutreachError as exc:
            report.diagnostics.extend(exc.diagnostics)
    for name in SPECIAL_FILES:
        if name not in sources and not any(d.location.path.endswith(name) for d in report.diagnostics):
            report.error(Location(display_path(content / name)), f"missing file content/{name}", "project.missing-file",
                         f"every project has content/{name}; copy it from the bundled content and fill it in")
    if report.errors:  # languages.yaml is read twice (its records, its place in the sources): report once
        raise OutreachError(list({(d.location, d.message): d for d in report.diagnostics}.values()))

    facts: dict[str, Fact] = {}
    for name in ["facts.yaml", *sorted(n for n in sources if n.startswith("facts/"))]:
        for fact_id, fact in load_facts(sources[name], report).items():
            if fact_id in facts:
                report.error(fact.location, f"duplicate fact '{fact_id}' (first at {facts[fact_id].location})",
                             "schema.duplicate-id", "every fact needs its own id")
                continue
            facts[fact_id] = fact
    fact_ids = set(facts)
    bodies = load_bodies(sources["bodies.yaml"], report, fact_ids) if "bodies.yaml" in sources else {}
    body_ids = frozenset(bodies)

    site = convert_file("site.yaml", sources["site.yaml"], report, fact_ids, body_ids)
    if site is not MISSING:
        check_site_url(site, sources["site.yaml"], report)
    contacts = convert_file("contacts.yaml", sources["contacts.yaml"], report, fact_ids, body_ids)
    glossary = convert_file("glossary.yaml", sources["glossary.yaml"], report, fact_ids, body_ids)

    documents = []
    seen: dict[tuple[str, str], Location] = {}
    for name, source in sources.items():
        if name in SPECIAL_FILES or name in OPTIONAL_FILES or name.startswith("facts/"):
            continue
        document = convert_file(name, source, report, fact_ids, body_ids)
        if document is MISSING:
            continue
        key = (document.kind, document.id)
        if key in seen:
            report.error(_id_location(source), f"duplicate id '{document.id}': another {document.kind} has it "
                         f"({seen[key]})", "schema.duplicate-id", "every document of a kind needs its own id")
            continue
        seen[key] = _id_location(source)
        documents.append(document)

    report.raise_if_errors()
    if contacts is not MISSING:
        check_documents(documents, report, contacts)
    report.raise_if_errors()
    if site is not MISSING:
        for check in EDITORIAL_CHECKS:
            check(documents, facts, site.edition, report)
    for diagnostic in report.warnings:
        print(diagnostic.format())
    documents.sort(key=lambda d: (list(kinds.models()).index(d.kind), getattr(d, "course", ""),
                                  getattr(d, "number", 0), _chapter_order(documents, d), d.id))
    names = _load_names(sources.get("names.yaml"), report)
    report.raise_if_errors()
    return Project(site, contacts, facts, glossary, tuple(documents),
                   tuple(str(content / name) for name in sources), names, bodies)


def _load_names(source: SourceFile | None, report: Report) -> tuple[str, ...]:
    if source is None:
        return ()
    root = source.root
    names = root.items.get("names") if isinstance(root, Mapping) else None
    if not isinstance(names, Sequence) or not all(isinstance(n, Scalar) and isinstance(n.value, str)
                                                  for n in names.items):
        report.error(Location(source.path, 1, 1), "names.yaml needs a list of names under 'names:'", "schema.type")
        return ()
    return tuple(n.value for n in names.items)


def _chapter_order(documents, document) -> int:
    if document.kind != "chapter":
        return 0
    for handbook in documents:
        if handbook.kind == "handbook" and handbook.id == document.handbook and document.id in handbook.chapters:
            return handbook.chapters.index(document.id)
    return 0




SITE_URL = re.compile(r"^https?://[^/\s?#]+(/[^\s?#]*)?$")


def check_site_url(site: Site, source: SourceFile, report: Report) -> None:
    """The site's address, when it is set, is one a reader can open: QR codes and printed URLs lead there."""
    if site.url is not None and not SITE_URL.match(site.url):
        report.error(source.root.items["url"].loc, f"url '{site.url}' is not the address of a site",
                     "config.site-url", "write the whole address the site is published at: https://…/")


def check_status(document, report: Report, contacts) -> None:
    status = document.status
    where = status.location or document.location
    if status.state != "draft" and not (status.by and status.date):
        report.error(where, f"a {status.state} {document.kind} needs 'by' (who) and 'date' (when)",
                     "status.incomplete", "add 'by:' and 'date:' under 'status:'")
    if status.state == "approved" and kinds.of(document).prints_contacts and contacts.missing:
        report.error(where, f"{document.kind} '{document.id}' cannot be approved: content/contacts.yaml still has "
                     f"empty fields ({', '.join(contacts.missing)})", "status.contacts",
                     "the Board fills in the contacts first; until then the document stays 'reviewed' at most")


def check_documents(documents, report: Report, contacts) -> None:
    """Rules that span fields or documents: chapters belong to a handbook, modules to a course, quizzes add up,
    and a document is approved only when it can be."""
    for document in documents:
        check_status(document, report, contacts)
    by_kind: dict[str, dict[str, object]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, {})[document.id] = document
    handbooks, chapters = by_kind.get("handbook", {}), by_kind.get("chapter", {})
    for handbook in handbooks.values():
        seen = set()
        for chapter_id in handbook.chapters:
            if chapter_id in seen:
                report.error(handbook.location, f"chapter '{chapter_id}' is listed twice", "schema.duplicate-id")
            seen.add(chapter_id)
            chapter = chapters.get(chapter_id)
            if chapter is None:
                report.error(handbook.location, f"handbook '{handbook.id}' lists chapter '{chapter_id}', "
                             f"which does not exist{suggest(chapter_id, chapters)}", "schema.reference",
                             "add a file with 'kind: chapter' and this id, or remove it from 'chapters'")
            elif chapter.handbook != handbook.id:
                report.error(chapter.location, f"chapter '{chapter_id}' belongs to handbook '{chapter.handbook}', "
                             f"but handbook '{handbook.id}' lists it", "schema.reference")
    for chapter in chapters.values():
        handbook = handbooks.get(chapter.handbook)
        if handbook is None:
            report.error(chapter.location, f"chapter '{chapter.id}' names handbook '{chapter.handbook}', which does "
                         f"not exist{suggest(chapter.handbook, handbooks)}", "schema.reference")
        elif chapter.id not in handbook.chapters:
            report.error(chapter.location, f"chapter '{chapter.id}' is not listed in handbook '{handbook.id}'",
                         "schema.reference", f"add '{chapter.id}' to 'chapters' in the handbook, where it belongs")
    for story in by_kind.get("story", {}).values():
        if story.subject == "member" and story.member is None:
            report.error(story.location, f"story '{story.id}' is about a Party member but does not name one",
                         "schema.missing", "add 'member:' with the member's name and job")
        if story.subject == "enterprise" and story.member is not None:
            report.error(story.member.location, f"story '{story.id}' is about an enterprise, yet names a member",
                         "schema.value", "set 'subject: member' for a story about a Party member, or drop 'member:'")
    courses = by_kind.get("course", {})
    numbers: dict[str, dict[int, object]] = {}
    for module in by_kind.get("module", {}).values():
        if module.course not in courses:
            report.error(module.location, f"module '{module.id}' belongs to course '{module.course}', which has no "
                         "file (kind: course)", "schema.reference")
        if module.number in numbers.setdefault(module.course, {}):
            report.error(module.location, f"modules '{numbers[module.course][module.number].id}' and '{module.id}' "
                         f"are both number {module.number} of course '{module.course}'", "schema.duplicate-id")
        numbers[module.course][module.number] = module
        if not 10 <= module.minutes <= 15:
            report.error(module.location, f"module '{module.id}' takes {module.minutes} minutes; a module takes 10 "
                         "to 15", "course.minutes", "split the module, or shorten it")
        if not 4 <= len(module.questions) <= 6:
            report.error(module.location, f"module '{module.id}' has {len(module.questions)} questions; it needs "
                         "4 to 6", "course.questions", "add or remove questions, or split the module")
        for question in module.questions:
            right = sum(choice.correct for choice in question.choices)
            where = question.location or module.location
            if not 2 <= len(question.choices) <= 5:
                report.error(where, f"question '{question.id}' has {len(question.choices)} choices; it needs 2 to 5",
                             "course.choices", "give the question 2 to 5 choices")
            if question.multiple and right < 2:
                report.error(where, f"question '{question.id}' is multiple choice but has {right} right answers",
                             "course.answers", "mark at least two choices 'correct: true', or drop 'multiple'")
            if not question.multiple and right != 1:
                report.error(where, f"question '{question.id}' has {right} right answers; a single-choice question "
                             "needs exactly one", "course.answers",
                             "mark one choice 'correct: true', or set 'multiple: true'")
    for course, modules in numbers.items():
        expected = list(range(1, len(modules) + 1))
        if sorted(modules) != expected:
            first = modules[min(modules)]
            report.error(first.location, f"modules of course '{course}' are numbered {sorted(modules)}; number them "
                         f"{expected}", "course.numbers", "number the modules of a course 1, 2, 3, … without gaps")


def _id_location(source: SourceFile) -> Location:
    node = source.root.items.get("id") if isinstance(source.root, Mapping) else None
    return node.loc if node is not None else Location(source.path, 1, 1)


def convert_file(name: str, source: SourceFile, report: Report, fact_ids, body_ids=frozenset()):
    """One content file → its record (or MISSING), by the file's name or its ``kind``."""
    root = source.root
    if root is None:
        report.error(Location(source.path, 1, 1), "the file is empty", "schema.missing")
        return MISSING
    base = Path(name).name
    if name == "site.yaml":
        return Converter(source, "site", "Site", report, fact_ids, body_ids).record(root, Site)
    if name == "contacts.yaml":
        return Converter(source, "contacts", "Contacts", report, fact_ids, body_ids).record(root, Contacts)
    if name == "glossary.yaml":
        return _load_glossary(source, report, fact_ids, body_ids)
    if name == "bodies.yaml":
        return tuple(load_bodies(source, report, ()).values())  # for extraction; load_project checks the ids
    if name in OPTIONAL_FILES or base == languages.FILE:
        return MISSING
    if name == "facts.yaml" or base == "facts.yaml" or name.startswith("facts/") or "/facts/" in name:
        return MISSING
    if not isinstance(root, Mapping):
        report.error(Location(source.path, 1, 1), "a document must be a mapping of fields", "schema.type")
        return MISSING
    kind_node, id_node = root.items.get("kind"), root.items.get("id")
    document_kinds = kinds.models()
    if not isinstance(kind_node, Scalar):
        report.error(root.loc, "missing field 'kind' (one of: " + ", ".join(document_kinds) + ")",
                     "schema.missing", "add 'kind: leaflet', 'kind: handbook' or 'kind: module'")
        return MISSING
    cls = document_kinds.get(kind_node.value)
    if cls is None:
        report.error(kind_node.loc, f"unknown document kind '{kind_node.value}'"
                     f"{suggest(str(kind_node.value), document_kinds)}", "schema.value")
        return MISSING
    doc_id = str(id_node.value) if isinstance(id_node, Scalar) else Path(name).stem
    label = f"{cls.__name__} '{doc_id}'"
    return Converter(source, f"{kind_node.value}.{doc_id}", label, report, fact_ids, body_ids).record(root, cls)


def load_bodies(source: SourceFile, report: Report, fact_ids) -> dict[str, Body]:
    """content/bodies.yaml: under 'bodies:', each body's placeholder id → its kind and Vietnamese name."""
    bodies: dict[str, Body] = {}
    root = source.root
    node = root.items.get("bodies") if isinstance(root, Mapping) else None
    if not isinstance(node, Mapping):
        report.error(root.loc if root is not None else Location(source.path, 1, 1),
                     "bodies.yaml needs the bodies under 'bodies:', each id mapped to its kind and name",
                     "schema.missing", "write 'bodies:', then '  tinh_uy:' with 'kind:' and 'name:' under it")
        return bodies
    for key, key_loc in node.keys.items():
        if not FACT_ID.match(str(key)):
            report.error(key_loc, f"body id '{key}' may use only a-z, 0-9 and '_', starting with a letter",
                         "schema.id", "the id is written in texts as {id}, like a fact")
            continue
        if key in fact_ids:
            report.error(key_loc, f"body id '{key}' is also a fact's id", "schema.duplicate-id",
                         "give the body an id no fact has: texts write both as {id}")
            continue
    ids = frozenset(key for key in node.keys if FACT_ID.match(str(key)) and key not in fact_ids)
    for key in [k for k in node.keys if k in ids]:
        converter = Converter(source, f"body.{key}", f"Name of a body '{key}'", report, fact_ids, ids,
                              placeholders=False)
        body = converter.record(node.items[key], Body)
        if body is MISSING:
            continue
        if body.short_for == key:
            report.error(node.items[key].items["short_for"].loc, f"body '{key}' cannot shorten itself",
                         "schema.reference")
        bodies[key] = dataclasses.replace(body, id=key, location=key_loc)
    return bodies


def _load_glossary(source: SourceFile, report: Report, fact_ids, body_ids=frozenset()) -> tuple[Term, ...]:
    root = source.root
    terms_node = root.items.get("terms") if isinstance(root, Mapping) else None
    if not isinstance(terms_node, Sequence):
        report.error(Location(source.path, 1, 1), "glossary.yaml needs a list under 'terms:'", "schema.missing")
        return ()
    if not languages.LANGUAGES:  # a glossary read alone (pybabel extract): the languages of its folder
        languages.configure(Path(source.path).parent)
    converter = Converter(source, "glossary", "Glossary", report, fact_ids, body_ids)
    fields = [f.name for f in dataclasses.fields(Term) if not f.metadata.get("internal")]
    stripped, renderings = [], []
    for node in terms_node.items:  # each language's rendering is a field named by its catalog id
        found: dict[str, str] = {}
        if isinstance(node, Mapping):
            keep = {key: child for key, child in node.items.items() if key in fields or not _is_language(key)}
            for key, child in node.items.items():
                if key in keep:
                    continue
                if isinstance(child, Scalar) and isinstance(child.value, str) and child.value.strip():
                    found[languages.get(key).catalog] = child.value.strip()
                else:
                    report.error(child.loc, f"expected the {languages.get(key).name} rendering as text, got "
                                 f"{type_name(child)}", "schema.type")
            missing = [lang for lang in languages.TARGETS if lang.catalog not in found]
            for lang in missing:
                report.error(node.loc, f"missing the {lang.name} rendering '{lang.catalog}:'", "schema.missing",
                             f"every term has a rendering in each language of content/{languages.FILE}")
            node = Mapping(keep, {key: node.keys[key] for key in keep}, node.loc)
        stripped.append(node)
        renderings.append(found)
    terms = converter.value(Sequence(stripped, terms_node.loc), tuple[Term, ...], (), (), {})
    if terms is MISSING:
        return ()
    return tuple(dataclasses.replace(term, renderings={languages.source().catalog: term.vi, **found})
                 for term, found in zip(terms, renderings))


def _is_language(key: str) -> bool:
    try:
        return not languages.get(key).is_source
    except KeyError:
        return False


# ---------------------------------------------------------------- editorial checks (warnings)
#
# Each check takes the documents, the facts, the edition date and the report, and adds warnings: what an
# editor should look at again before publishing. They never stop a build.

SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]*\s+")
WORD = re.compile(r"\S*[^\W_]\S*|\{[a-z0-9_]+\}")
MAX_SYLLABLES = 40


def _inline_text(spans) -> str:
    return "".join(span.text if span.tag == "text" else _inline_text(span.children) for span in spans)


def sentences(text: Text) -> list[str]:
    """The sentences of a text: every paragraph and list item, cut after '.', '!', '?' or '…'."""
    try:
        blocks = markup.parse(text.source, text.rich)
    except markup.MarkupError:
        return []
    found = []
    for block in blocks:
        for item in block.items:
            unit = " ".join(_inline_text(item).split())
            found.extend(part for part in SENTENCE_END.split(unit) if part.strip())
    return found


def syllables(sentence: str) -> int:
    """Vietnamese writes one syllable a word-space; a {placeholder} counts as one."""
    return len(WORD.findall(sentence))


def _sentence_location(text: Text, sentence: str) -> Location:
    """The line where a sentence starts in its YAML file. A text knows only where it starts and its lines may be
    wrapped anywhere, so the file from there on is searched with white space and emphasis marks evened out."""
    start = text.location
    try:
        lines = Path(start.path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return start
    chars, where = [], []
    for number in range(start.line, min(len(lines), start.line + 400) + 1):
        for col, char in enumerate(lines[number - 1] + " ", 1):
            if char == "*" or (char.isspace() and chars and chars[-1] == " "):
                continue
            chars.append(" " if char.isspace() else char)
            where.append((number, col))
    haystack = "".join(chars)
    needle = " ".join(sentence.replace("*", "").split())
    for length in (80, 40, 20):
        index = haystack.find(needle[:length])
        if index >= 0:
            return Location(start.path, *where[index])
    return start


def check_sentence_length(documents, facts, edition, report: Report) -> None:
    """Worker-facing texts: a sentence over MAX_SYLLABLES syllables is hard to read on a phone in a break."""
    for document in documents:
        if not kinds.of(document).worker_facing:
            continue
        for text in iter_texts(document):
            for sentence in sentences(text):
                count = syllables(sentence)
                if count > MAX_SYLLABLES:
                    report.warning(_sentence_location(text, sentence),
                                   f"sentence of {count} syllables; workers' texts keep to {MAX_SYLLABLES}",
                                   "style.sentence-length", "split it into two sentences, or say less")


def _due(fact: Fact) -> dt.date | None:
    """The day a target or deadline falls due: a date's own day, the end of a year's or an as_of year."""
    if fact.type == "date" and isinstance(fact.value, dt.date):
        return fact.value
    if fact.type == "year" and isinstance(fact.value, int):
        return dt.date(fact.value, 12, 31)
    match = re.match(r"(\d{4})(?:-(\d{2})-(\d{2}))?$", fact.as_of.strip())
    if not match:
        return None
    year, month, day = match.groups()
    return dt.date(int(year), int(month), int(day)) if month else dt.date(int(year), 12, 31)


def check_past_targets(documents, facts, edition, report: Report) -> None:
    """A target or deadline dated before the edition is history by the time readers see it. A passed deadline
    should not be told as one; a passed target must say whose date it was: its text names its year (a {year}
    or {date} fact of that year), so that it reads 'the target for 2025 was …', not as a goal ahead."""
    for document in documents:
        for text in iter_texts(document):
            years = {due.year for name in text.placeholders if (f := facts.get(name)) and f.role == "figure"
                     and f.type in ("year", "date") and (due := _due(f))}
            for sentence in sentences(text):
                for fact in (facts[name] for name in dict.fromkeys(placeholders_in(sentence)) if name in facts):
                    due = _due(fact)
                    if fact.role == "figure" or due is None or due >= edition:
                        continue
                    if fact.role == "target" and due.year in years:
                        continue
                    what = "deadline" if fact.role == "deadline" else "target"
                    hint = ("the deadline has passed: drop it, or say what was due by then" if what == "deadline"
                            else f"write it as the target for {due.year}, with that year in the same text")
                    report.warning(_sentence_location(text, sentence),
                                   f"{what} '{{{fact.id}}}' fell due on {due.isoformat()}, before the edition of "
                                   f"{edition.isoformat()}", "style.past-target", hint)


def check_answer_positions(documents, facts, edition, report: Report) -> None:
    """Right answers spread over the positions: a learner who always picks 'A' should not pass."""
    for module in documents:
        if module.kind != "module":
            continue
        positions = [index for question in module.questions
                     for index, choice in enumerate(question.choices) if choice.correct]
        if not positions:
            continue
        most = max(set(positions), key=positions.count)
        if positions.count(most) * 2 > len(positions):
            report.warning(module.questions[0].location or module.location, f"module '{module.id}': {positions.count(most)} of {len(positions)} "
                           f"right answers are choice {'ABCDE'[most]}", "course.answer-positions",
                           "move some right answers to other positions")


EDITORIAL_CHECKS = (check_sentence_length, check_past_targets, check_answer_positions)
