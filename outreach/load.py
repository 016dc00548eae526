"""Read YAML into nodes that remember where they came from.

PyYAML's ``compose`` keeps a mark for every node; we turn its graph into
three small node types so that later stages can say ``path:line:col`` for
any value they reject. This is the only module that reads content files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from .errors import Diagnostic, Location, OutreachError, Report, display_path


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

    def locate(self, node: Scalar, needle: str, start: int = 0) -> Location:
        """The location of ``needle`` inside a scalar's source, or the scalar's start."""
        first, last = node.loc.line, max(node.end.line, node.loc.line)
        for number in range(first, last + 1):
            text = self.lines[number - 1] if number - 1 < len(self.lines) else ""
            col = text.find(needle, start if number == first else 0)
            if col >= 0:
                return Location(self.path, number, col + 1)
        return node.loc


# libyaml's parser when PyYAML has it (it keeps line and column marks too), the pure-Python one otherwise
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loc(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _convert(node: yaml.Node, path: str, loader, report: Report) -> Node:
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        keys: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                report.error(key_loc, "a key must be a plain name", "yaml.key")
                continue
            key = str(loader.construct_object(key_node))
            if key in items:
                report.error(
                    key_loc,
                    f"duplicate key '{key}' (first at line {keys[key].line})",
                    "yaml.duplicate-key",
                    "remove one of the two, or merge them",
                )
                continue
            keys[key] = key_loc
            items[key] = _convert(value_node, path, loader, report)
        return Mapping(items, keys, _loc(path, node.start_mark))
    if isinstance(node, yaml.SequenceNode):
        return Sequence([_convert(n, path, loader, report) for n in node.value], _loc(path, node.start_mark))
    value = loader.construct_object(node, deep=True)
    return Scalar(value, _loc(path, node.start_mark), _loc(path, node.end_mark), node.style)


def load_yaml(path: str | Path, text: str | None = None) -> SourceFile:
    """Parse one YAML file. Raises ``OutreachError`` on syntax errors."""
    shown = display_path(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise OutreachError(Diagnostic(
                Location(shown), f"not UTF-8 text: {exc.reason}", "yaml.encoding",
                hint="save the file as UTF-8 (Poedit and every modern editor can)",
            )) from None
    report = Report()
    loader = LOADER(text)
    try:
        root = loader.get_single_node()
        converted = _convert(root, shown, loader, report) if root is not None else None
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
    finally:
        loader.dispose()
    report.raise_if_errors()
    return SourceFile(shown, text, converted, text.splitlines())
