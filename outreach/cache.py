"""What each output is made from, as a key: an output is made again only when its key changes.

A key is a digest of the inputs an output really reads, as the build sees them after parsing: the print
HTML of a PDF, the generated Markdown and configuration of a site, the PDFs inside a pack, the files of the
theme overrides. Nothing is keyed on the bytes of a YAML file, so a comment or a change of white space in
the content changes no key. The code that turns those inputs into an output is represented by the package
version (``CODE_VERSION``), which every key includes.

Keys are staged beside the output during a build (``KeyStore.record``) and published with it, so a key in
``build/.cache/keys`` always describes the output that is in ``build/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
from pathlib import Path

from . import __version__
from .errors import Location

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_version() -> str:
    """The package version, and a digest of its code: in a source checkout the version number does not
    move with every change, the code does. Templates are not in it: each output's key holds the templates
    it reads, through what they render or their own bytes."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@functools.cache
def tool_versions() -> str:
    """The third-party programs that make the outputs (read from their metadata, without importing them)."""
    from .render import web

    return " ".join(f"{name} {importlib.metadata.version(name)}" for name in ("weasyprint", "pikepdf", *web.PACKAGES))


def digest(*parts) -> str:
    """A digest of strings, bytes and paths (a path stands for its bytes), each length-prefixed."""
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            part = part.read_bytes()
        elif not isinstance(part, bytes):
            part = str(part).encode("utf-8")
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def tree(folder: Path) -> list:
    """The names and bytes of every file under a folder, for a key."""
    parts: list = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts += [path.relative_to(folder).as_posix(), path]
    return parts


def fingerprint(value):
    """A model record as plain data, without where it was read from: locations and file lists left out, so
    that moving a text to another line or adding a comment gives the same fingerprint."""
    if isinstance(value, Location):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__] + [[f.name, fingerprint(getattr(value, f.name))]
                                         for f in dataclasses.fields(value) if f.name != "sources"]
    if isinstance(value, dict):
        return [[fingerprint(k), fingerprint(v)] for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))]
    if isinstance(value, (list, tuple)):
        return [fingerprint(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def content_version(edition: dt.date, *parts) -> str:
    """The edition date and a short digest, so that a printed copy or a page can be traced to its text."""
    return f"{edition.isoformat()}+{digest(*parts)[:12]}"


def model_version(project) -> str:
    """The version of the whole content, from the parsed model (not the bytes of its files)."""
    return content_version(project.site.edition, json.dumps(fingerprint(project), ensure_ascii=False))


class KeyStore:
    """The keys of the published outputs (``build/.cache/keys``) and of the ones being staged."""

    def __init__(self, published: Path, staged: Path):
        self.published = published
        self.staged = staged
        staged.mkdir(parents=True, exist_ok=True)

    def record(self, name: str, key: str) -> bool:
        """Stage the key of an output; True when the published output was made from the same inputs."""
        (self.staged / f"{name}.key").write_text(key)
        published = self.published / f"{name}.key"
        return published.exists() and published.read_text() == key

    def publish(self) -> None:
        self.published.mkdir(parents=True, exist_ok=True)
        for key in self.staged.glob("*.key"):
            key.replace(self.published / key.name)


class Timings:
    """How long each job took last time, so that the longest start first (``build/.cache/timings.json``)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.seconds: dict[str, float] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.seconds = {}

    def get(self, name: str, default: float) -> float:
        return self.seconds.get(name, default)

    def save(self, measured: dict[str, float]) -> None:
        self.seconds.update({name: round(value, 3) for name, value in measured.items()})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.seconds, indent=0, sort_keys=True))
        tmp.replace(self.path)
