"""Read YAML into nodes that remember where they came from.

PyYAML's ``compose`` keeps a mark for every node; we turn its graph into
three small node types so that later stages can say ``path:line:col`` for
any value they reject. This is the only module that reads content files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from .errors import Diagnostic, Location, OutreachError, Report, display_path, read_source_line


@dataclass
class Scalar:
    value: Any
    loc: Location
    end: Location
    style: str | None = None  # None for plain, '|' / '>' for blocks, quotes otherwise

    kind = "scalar"


@dataclass
class Mapping:
    items: dict[str, "Node"]
    keys: dict[str, Location]
    loc: Location

    kind = "mapping"


@dataclass
class Sequence:
    items: list["Node"]
    loc: Location

    kind = "list"


Node = Union[Scalar, Mapping, Sequence]


@dataclass
class SourceFile:
    path: str  # as displayed to the user
    text: str
    root: Node | None
    lines: list[str] = field(default_factory=list)

    def locate(self, node: Scalar, needle: str, start: int = 0, line: int = 0) -> Location:
        """The location of ``needle`` inside a scalar's source, or the scalar's start. ``line`` (from 0) is the
        line of the value it is on, when known: the search starts there (a block scalar's value starts on the
        line after its indicator) and falls back to the whole scalar."""
        first, last = node.loc.line, max(node.end.line, node.loc.line)
        for begin in dict.fromkeys((min(first + line, last), first)):
            for number in range(begin, last + 1):
                text = self.lines[number - 1] if number - 1 < len(self.lines) else ""
                col = text.find(needle, start if number == first else 0)
                if col >= 0:
                    return Location(self.path, number, col + 1)
        return node.loc


# libyaml's parser when PyYAML has it (it keeps line and column marks too), the pure-Python one otherwise
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Limits on what a content file may ask of the loader. The largest bundled file is about 20 KB and
# 8 levels deep; a file past these limits is a mistake or an attack, never content.
MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 50_000  # values after aliases are expanded: an alias bomb stops here, not at the memory's end


class LimitExceeded(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _loc(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character index in a text."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _Converter:
    """Turns PyYAML's node graph into our nodes, within the limits on depth and size."""

    def __init__(self, path: str, loader, report: Report):
        self.path, self.loader, self.report = path, loader, report
        self.nodes = 0
        self.top: yaml.Node | None = None  # the value under the root being converted: where a limit is blamed

    def limit(self, node: yaml.Node, message: str, code: str, hint: str) -> LimitExceeded:
        loc = _loc(self.path, node.start_mark)
        return LimitExceeded(Diagnostic(loc, message, code, "error", hint, read_source_line(loc)))

    def convert(self, node: yaml.Node, depth: int = 1) -> Node:
        if depth == 2:
            self.top = node
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.limit(self.top or node, f"more than {MAX_NODES} values (aliases counted as often as they are used)",
                             "yaml.size", "a YAML alias (*name) repeats a whole anchored value; write the values "
                             "out, or split the file")
        if depth > MAX_DEPTH:
            raise self.limit(node, f"nested more than {MAX_DEPTH} levels deep", "yaml.depth",
                             "content is a few levels deep at most; check the indentation and the brackets")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return Sequence([self.convert(n, depth + 1) for n in node.value], _loc(self.path, node.start_mark))
        value = self.scalar(node)
        return Scalar(value, _loc(self.path, node.start_mark), _loc(self.path, node.end_mark), node.style)

    def scalar(self, node: yaml.Node):
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            loc = _loc(self.path, node.start_mark)
            if node.tag.endswith(":timestamp"):
                self.report.error(loc, f"'{node.value}' is not a date: {problem}", "yaml.date",
                                  "write a real date as YYYY-MM-DD, or put the value in quotes to keep it as text")
            else:
                self.report.error(loc, f"cannot read the value '{node.value}': {problem}", "yaml.value",
                                  "put the value in quotes to keep it as text")
            return None

    def mapping(self, node: yaml.MappingNode, depth: int) -> Mapping:
        items: dict[str, Node] = {}
        keys: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(self.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.report.error(key_loc, "a key must be a plain name", "yaml.key",
                                  "write a field name such as 'title:'; put a key in quotes to keep it as text")
                continue
            key = str(self.scalar(key_node))
            if key in items:
                self.report.error(
                    key_loc,
                    f"duplicate key '{key}' (first at line {keys[key].line})",
                    "yaml.duplicate-key",
                    "remove one of the two, or merge them",
                )
                continue
            keys[key] = key_loc
            items[key] = self.convert(value_node, depth + 1)
        return Mapping(items, keys, _loc(self.path, node.start_mark))


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def decode(data: bytes, shown: str, what: str = "file") -> str:
    """UTF-8 bytes as text; anything else is an error at the line and column of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        line_bytes = data[start: end if end >= 0 else len(data)]
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        byte = data[exc.start]
        latin1 = bytes([byte]).decode("latin-1")
        guess = f" (in Latin-1 or Windows-1252 it would be '{latin1}')" if byte >= 0xA0 else ""
        raise OutreachError(Diagnostic(
            Location(shown, line, col), f"the {what} is not UTF-8 text: byte 0x{byte:02x} {exc.reason}{guess}",
            f"{'po' if what == 'catalog' else 'yaml'}.encoding", "error",
            "save the file as UTF-8 (every modern editor and Poedit can)",
            line_bytes.decode("utf-8", "replace"))) from None


def control_characters(text: str, shown: str, code: str) -> list[Diagnostic]:
    """Characters that no text should hold (NUL, other C0/C1 controls): copied in by accident, or planted."""
    found = []
    for match in CONTROL.finditer(text):
        line, col = position(text, match.start())
        source = text.splitlines()[line - 1] if text.splitlines() else ""
        found.append(Diagnostic(Location(shown, line, col), f"control character U+{ord(match.group()):04X} is not "
                                f"allowed", code, "error", "delete it (it often comes with text copied from a PDF "
                                "or a word processor)", source.replace("\x00", "\u2400")))
        if len(found) >= 10:
            break
    return found


def load_yaml(path: str | Path, text: str | None = None) -> SourceFile:
    """Parse one YAML file. Raises ``OutreachError`` on syntax errors and on files past the limits."""
    shown = display_path(path)
    if text is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise OutreachError(Diagnostic(Location(shown), f"cannot read the file: {exc.strerror}", "yaml.read",
                                           hint="check that the file exists and that you may read it")) from None
        if len(data) > MAX_BYTES:
            raise OutreachError(Diagnostic(Location(shown, 1, 1), f"the file is {len(data):,} bytes; a content file "
                                           f"is at most {MAX_BYTES:,}", "yaml.size",
                                           hint="split it into several files (one document per file)"))
        text = decode(data, shown)
    elif len(text) > MAX_BYTES:
        raise OutreachError(Diagnostic(Location(shown, 1, 1), f"the file has {len(text):,} characters; a content "
                                       f"file has at most {MAX_BYTES:,}", "yaml.size",
                                       hint="split it into several files (one document per file)"))
    controls = control_characters(text, shown, "yaml.control")
    if controls:
        raise OutreachError(controls)
    report = Report()
    loader = LOADER(text)
    try:
        root = loader.get_single_node()
        converted = _Converter(shown, loader, report).convert(root) if root is not None else None
    except LimitExceeded as exc:
        raise OutreachError(exc.diagnostic) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(shown, mark) if mark else Location(shown)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            context = exc.context
            if exc.context_mark and exc.context_mark.line != getattr(mark, "line", None):
                context += f" that starts at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
            problem = f"{problem} ({context})"
        report.error(where, f"YAML syntax: {problem}", "yaml.syntax",
                     "check the indentation and quoting on this line and the one above it")
        raise OutreachError(report.diagnostics) from None
    except yaml.YAMLError as exc:  # the reader's errors carry a character position, not a mark
        index = getattr(exc, "position", 0) or 0
        line, col = position(text, index)
        report.error(Location(shown, line, col), f"YAML: {getattr(exc, 'reason', None) or exc}", "yaml.syntax",
                     "check this line")
        raise OutreachError(report.diagnostics) from None
    except RecursionError:
        raise OutreachError(Diagnostic(Location(shown, 1, 1), "the file is nested too deeply to read",
                                       "yaml.depth", hint="check the indentation and the brackets")) from None
    finally:
        loader.dispose()
    report.raise_if_errors()
    return SourceFile(shown, text, converted, text.splitlines())
