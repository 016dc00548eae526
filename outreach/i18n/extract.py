"""The Babel extractor for content YAML, so that plain ``pybabel extract`` works too.

Registered as ``outreach_yaml`` under the ``babel.extractors`` entry point;
``babel.cfg`` maps ``content/**.yaml`` to it. Each text field yields one
message with its stable id as ``msgctxt`` and a comment saying where it
appears. ``outreach i18n extract`` produces the same messages.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OutreachError, Report
from ..load import load_yaml
from ..model import iter_texts
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
        yield item.location.line, "pgettext", (item.context, item.source), [item.comment]
