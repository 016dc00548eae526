"""The Babel extractor for content YAML, so that plain ``pybabel extract`` works too.

Registered as ``outreach_yaml`` under the ``babel.extractors`` entry point;
``babel.cfg`` maps ``content/**.yaml`` to it. Each text field yields one
message with its stable id as ``msgctxt``, its text unwrapped (one line per
paragraph and per list item, see ``unwrap``) and a comment saying where it
appears. ``outreach i18n extract`` produces the same messages.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OutreachError, Report
from ..load import load_yaml
from ..model import Text, iter_texts
from ..validate import MISSING, convert_file


class _AnyFact:
    """Extraction does not check placeholders: validation does."""

    def __contains__(self, item) -> bool:
        return True

    def __iter__(self):
        return iter(())


def texts_in_file(path: str, text: str):
    source = load_yaml(path, text)
    content_name = Path(path).name if Path(path).name in ("site.yaml", "contacts.yaml", "glossary.yaml",
                                                          "facts.yaml", "bodies.yaml") else Path(path).as_posix()
    report = Report()
    record = convert_file(content_name, source, report, _AnyFact())
    report.raise_if_errors()
    return [] if record is MISSING else iter_texts(record)


def extract_yaml(fileobj, keywords, comment_tags, options):
    """Babel extraction method: yields (lineno, funcname, messages, comments)."""
    name = getattr(fileobj, "name", "content.yaml")
    data = fileobj.read()
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        texts = texts_in_file(name, text)
    except OutreachError as exc:
        raise SystemExit(exc.format()) from None
    for item in texts:
        yield item.location.line, "pgettext", (item.context, message_id(item)), [item.comment]


# ---------------------------------------------------------------- one line per paragraph and list item

BLANK_LINE = re.compile(r"\n\s*\n")
LIST_ITEM = re.compile(r"^\s*([-•]|\d{1,2}[.)])\s+(.*)$")  # as markup.BULLET, markup.NUMBERED
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _join(lines: list[str]) -> str:
    """Wrapped lines as one: joined with a space, but with none where the break has a CJK character on
    either side (markup's ``*`` aside): Chinese and Japanese have no spaces between words, and a line break
    there stands for nothing."""
    out = ""
    for line in (" ".join(part.split()) for part in lines):
        if not line:
            continue
        if out:
            left, right = out.rstrip("*"), line.lstrip("*")
            if not (left and right and (CJK.match(left[-1]) or CJK.match(right[0]))):
                out += " "
        out += line
    return out


def unwrap(text: str, rich: bool) -> str:
    """A text as translators see it: each paragraph and each list item on one line.

    Content YAML keeps the editor's hard line wraps and the indentation of list continuations; markup.py
    joins them when it parses a text (see ``markup.join_lines``), so they carry nothing. Unwrapped, a
    paragraph is one line, paragraphs are separated by one blank line and a list item is one line that
    starts with its marker. markup.parse makes the same blocks of it, with the same text but for a space
    it put where a line break had a CJK character on one side only (``_join``). A text without paragraphs
    or lists (``rich`` false) is one line. Unwrapping twice gives what unwrapping once gave."""
    text = text.strip()
    if not rich:
        return _join(text.splitlines())
    chunks = []
    for chunk in BLANK_LINE.split(text):
        lines: list[str] = []
        run: list[str] = []
        marker = ""

        def close() -> None:
            if run:
                joined = _join(run)
                lines.append(f"{marker} {joined}" if marker else joined)
            run.clear()

        for line in chunk.splitlines():
            item = LIST_ITEM.match(line)
            if item:
                close()
                marker = item.group(1)
                run.append(item.group(2))
            else:
                run.append(line)
        close()
        if lines:
            chunks.append("\n".join(lines))
    return "\n\n".join(chunks)


def message_id(text: Text) -> str:
    """The msgid of a content text."""
    return unwrap(text.source, text.rich)
