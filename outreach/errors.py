"""Diagnostics: every message a user sees points at a place in a file.

``Diagnostic`` is the one type of them, whatever found the fault: validation of the content (a line and
column in a YAML file), the translation checks (an entry of a ``.po`` file), a template (a line of a
``.j2`` file), WeasyPrint laying out a print, or the preflight of a press file (a page of a PDF).

Policy (as in WeasyPrint's logger): an *error* makes the input unusable and
stops the command with exit status 1; a *warning* is printed with its
location and the command goes on. Each diagnostic carries a short code in
brackets (``[schema.unknown]``) that is stable, so it can be searched for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: a line and column of a text file (``path:line:col``), or a page of a PDF
    (``path:page 3``); each counts from 1, and 0 means the whole file."""

    path: str
    line: int = 0
    col: int = 0
    page: int = 0

    def __str__(self) -> str:
        if self.page:
            return f"{self.path}:page {self.page}"
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    code: str
    severity: str = "error"
    hint: str = ""
    source_line: str | None = None

    def format(self) -> str:
        lines = [f"{self.location}: {self.severity}: {self.message} [{self.code}]"]
        source = self.source_line
        if source is None:
            source = read_source_line(self.location)
        if source:
            source, caret_col = _window(source.rstrip("\n"), max(self.location.col, 1))
            lines.append("    " + source)
            # Keep the caret under the right character when the line has tabs.
            prefix = "".join("\t" if ch == "\t" else " " for ch in source[: caret_col - 1])
            lines.append("    " + prefix + "^")
        if self.hint:
            lines.append(f"  help: {self.hint}")
        return "\n".join(lines)


WIDTH = 100  # of the source line shown under a message


def _window(line: str, col: int) -> tuple[str, int]:
    """A long source line cut to a window around the column (a minified line, a bomb), with the new column."""
    if len(line) <= WIDTH:
        return line, col
    start = max(0, min(col - WIDTH // 2, len(line) - WIDTH))
    shown = line[start:start + WIDTH]
    prefix = "…" if start else ""
    suffix = "…" if start + WIDTH < len(line) else ""
    return prefix + shown + suffix, col - start + len(prefix)


def read_source_line(location: Location) -> str:
    if not location.line:
        return ""
    try:
        with open(location.path, encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if number == location.line:
                    return text
    except (OSError, UnicodeDecodeError):
        return ""
    return ""


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class OutreachError(Exception):
    """The one exception the command line turns into an exit status.

    It holds every diagnostic found, not just the first, so one run tells the
    user everything that is wrong.
    """

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.location, d.code))
        super().__init__(self.format())

    def format(self) -> str:
        errors = [d for d in self.diagnostics if d.severity == "error"]
        text = "\n".join(d.format() for d in self.diagnostics)
        if len(errors) > 1:
            text += f"\n{len(errors)} errors"
        return text


@dataclass
class Report:
    """Collects diagnostics while a stage runs; raises them all at the end."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, code: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, message, code, "error", hint, read_source_line(location)))

    def warning(self, location: Location, message: str, code: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, message, code, "warning", hint, read_source_line(location)))

    def extend(self, other: "Report") -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise OutreachError(self.diagnostics)
