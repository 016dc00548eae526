"""What each output is made from, as a key: an output is made again only when its key changes.

Every key of the build is computed here, from the inputs the output really reads, as the build sees them
after parsing, never from the bytes of a source file:

    PDF            its print HTML (and tails): the parsed documents it shows, their catalog entries, facts,
                   glossary and bodies, the print templates and stylesheets, all rendered into it; the font
                   files fontconfig gives for its languages; WeasyPrint and pikepdf
    printed pack   its PDF's key, the document's state and titles, its content version, the pack README
                   template, its kind, what stands in for missing contacts; the printing conditions'
                   characterisation data
    screen PDF     its PDF's key (a kind without a press product)
    part spacing   the HTML of one part of a print document, the document's stylesheets, its fonts, the PDF
                   tools (the spacing chosen for the part: render/print.py, fit_parts)
    line breaks    a print document, the names and terms kept whole, the languages' settings, the segmenters
    templates      the package, Jinja and the site generator (compiled templates; Jinja checks each source)
    parsed texts   the package and markdown-it-py (the blocks of every text parsed, by the text)
    site           its generated Markdown, assets and configuration (the pages, navigation, theme strings:
                   the documents, facts, glossary and catalog entries of its language), the base site
                   configuration as data, the theme overrides, the edition date; the site generator and its
                   theme (render/web.py: PACKAGES), the compressors
    offline pack   the same for its own site project, the Web Worker shim, and the keys of the PDFs inside
    compression    the bytes of one file; the compressors
    share cards    the card HTML of a language's pages; the font files; WeasyPrint, Pillow, pdftoppm
    ICC profile    the characterisation data, colprof's arguments and version (press.py)

Nothing is keyed on the bytes of a YAML or PO file, so a comment or a change of white space in the content
or a catalog changes no key. The code that turns the inputs into an output is represented by one value, the
package version (``package_version``), which every key includes: no key names a module, so moving a
function from one module to another cannot leave an output stale.

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
import shutil
import zlib
from pathlib import Path

import yaml

from . import __version__
from .errors import Location

PACKAGE = Path(__file__).resolve().parent
DISTRIBUTION = "outreach"


@functools.cache
def package_version() -> str:
    """The package version: the installed distribution's version, and a digest of every file of the package
    (its code, templates, stylesheets, scripts and vendored assets; not the bytecode caches).

    The version number alone does not move with every change in a development checkout, so output made by
    other code would be reused; the digest does. It is computed once per build (``new_build``, before the
    workers fork, so that they inherit it) and goes into every key."""
    try:
        version = importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that is not installed
        version = __version__
    hasher = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
            continue
        name = path.relative_to(PACKAGE).as_posix().encode()
        data = path.read_bytes()
        hasher.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return f"{version}+{hasher.hexdigest()[:16]}"


def new_build() -> str:
    """Compute the package version for a build that starts (the package may have changed since the last)."""
    package_version.cache_clear()
    return package_version()


@functools.cache
def tools(*names: str) -> str:
    """The versions of third-party distributions that make an output (from their metadata: no import)."""
    return " ".join(f"{name} {importlib.metadata.version(name)}" for name in names)


PDF_TOOLS = ("weasyprint", "pikepdf")
COMPRESSORS = ("brotli",)  # and zlib, of the Python that runs the build (ZLIB_RUNTIME_VERSION)


def poppler() -> str:
    """pdftoppm, as installed (poppler-utils and the library it links come from one Debian source package, so
    an upgrade of either replaces it too)."""
    return " ".join(installed([shutil.which("pdftoppm") or "pdftoppm"]))


def installed(paths) -> list[str]:
    """Files of the system (fonts, characterisation data) as their path, size and modification time: a
    package upgrade changes them, and hashing some hundred megabytes of fonts at every build would not."""
    parts = []
    for path in sorted(set(map(str, paths))):
        try:
            stat = os.stat(path)
            parts.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{path} missing")
    return parts


def font_files(languages) -> list[str]:
    """The font files fontconfig gives for the print families of ``languages`` (as WeasyPrint gets them)."""
    import shutil

    from . import fonts

    if shutil.which("fc-match") is None:  # the build stops on it (fonts.check_installed); a preview goes on
        return ["no fontconfig"]
    return installed(fonts.resolve(family, style)[1] for language in languages
                     for family in fonts.families(language) for style in fonts.STYLES)


def write_whole(path: Path, data: bytes | str) -> None:
    """Write a file whole or not at all: into a file of this process beside it, then renamed over it, so that
    neither a reader nor another process writing the same file meets half of it."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    tmp.replace(path)


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


class _Tagged(yaml.SafeLoader):
    """Reads a YAML file as data, its tags kept as data too (for a key: comments and spacing drop out)."""


_Tagged.add_multi_constructor("", lambda loader, tag, node: [tag, loader.construct_object(node, deep=True)
                                                             if not isinstance(node, yaml.MappingNode)
                                                             else loader.construct_mapping(node, deep=True)])


def yaml_data(path: Path) -> str:
    """A YAML file as data (JSON), for a key."""
    with open(path, encoding="utf-8") as handle:
        return json.dumps(yaml.load(handle, Loader=_Tagged), sort_keys=True, default=str, ensure_ascii=False)


# ------------------------------------------------------------------------------------------- the keys


def pdf_key(source, languages=None) -> str:
    """A PDF (press file and tagged screen PDF, one layout): its print HTML and tails, the fonts of its
    languages (None: of every language), the PDF tools, the package version."""
    from .languages import LANGUAGES

    return digest("pdf", package_version(), tools(*PDF_TOOLS), *font_files(languages or LANGUAGES),
                  source.html, *source.tails)


def fit_keys(source, languages) -> tuple[tuple[str, str], ...]:
    """The spacing chosen for each part of a print document (render/print.py: fit_parts): the part's HTML, the
    document's stylesheets, the fonts of its languages, the PDF tools, the package version; not the other
    parts, which start on pages of their own."""
    from .render.print import parts_of

    context, parts = parts_of(source.html)
    if not parts:
        return ()
    around = digest("fit", package_version(), tools(*PDF_TOOLS), *font_files(languages), context)
    return tuple((part, digest(around, html)) for part, html in parts)


def breaks_key(document: str, names: tuple[str, ...], terms: tuple[str, ...]) -> str:
    """A print document with its line breaks marked (render/linebreak.py): the document, the names and terms
    kept whole, the languages' settings, the segmenters, the package version."""
    from . import languages

    return digest("breaks", package_version(), tools("budoux", "jieba"), repr(languages.LANGUAGES),
                  "\n".join(names), "\n".join(terms), document)


def templates_key() -> str:
    """Compiled templates: what compiles them (the package's environment, the site generator's for its theme,
    Jinja); each template is checked against its source by Jinja itself."""
    from .render.web import PACKAGES

    return digest("templates", package_version(), tools("jinja2", *PACKAGES))[:16]


def pack_key(pdf: str, state: str, titles: dict[str, str], version: str, readme: Path, kind: str,
             blanks: tuple[str, ...]) -> str:
    """A printed product's pack (press file, proof, preflight, manifest, README, zip), from its PDF's key."""
    from .press import CONDITIONS

    return digest("pack", package_version(), tools(*PDF_TOOLS), pdf, state,
                  json.dumps(titles, sort_keys=True, ensure_ascii=False), version, readme, kind,
                  json.dumps(blanks, ensure_ascii=False), *installed(c.source for c in CONDITIONS.values()))


def kept_key(edition: dt.date, kept: Path) -> str:
    """A kept edition of a screen PDF (build/.editions): its date and bytes."""
    return digest("kept", edition, kept)


def site_key(base_config: Path, work: Path, overrides: Path, epoch: int, *assets: Path) -> str:
    """One site build (a site, or an offline pack's site): its generated configuration and pages, the base
    configuration as data (comments do not count), the theme overrides, the date written into it, the files
    its finishing reads (``assets``); the generator's packages (render/web.py names them) and the compressors."""
    from .render import web

    config, docs = web.generated(work)
    return digest("site", package_version(), tools(*web.PACKAGES, *COMPRESSORS), zlib.ZLIB_RUNTIME_VERSION, epoch,
                  yaml_data(base_config),
                  config, *tree(docs), *tree(overrides), *assets)


def offline_key(site: str, pdfs: dict[str, str]) -> str:
    """An offline pack: its site's key and the keys of the PDFs it contains, by file name."""
    return digest("offline", site, json.dumps(pdfs, sort_keys=True))


def compressed_key(data: bytes) -> str:
    """The .gz and .br of a file's bytes."""
    return digest("compressed", package_version(), tools(*COMPRESSORS), zlib.ZLIB_RUNTIME_VERSION, data)


def cards_key(source: str, language) -> str:
    """A language's share cards: their HTML, the language's font files, WeasyPrint, Pillow and pdftoppm."""
    return digest("cards", package_version(), tools("weasyprint", "pillow"), poppler(), *font_files([language]),
                  source)[:24]


def profile_key(source: Path, args, colprof: str, date) -> str:
    """An output ICC profile (in the user's cache, shared by every checkout): the characterisation data,
    colprof's arguments and version, the date written into its header. All that it is made from is named
    here, so the package version is left out: making one takes half a minute."""
    return digest("profile", source, *args, colprof, date)[:16]


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


class ParsedTexts:
    """The markup of the texts a build parsed (markup.parse), kept for the next build in the cache folder: one
    file per parser (the package version and markdown-it-py's), so a changed parser starts afresh. A build
    that changes one sentence then parses that sentence, not the five languages' thousands of texts. The file
    holds the texts of the last build only, so it does not grow with every edit."""

    # the file as this process last read or wrote it, and the texts it holds (``serve`` builds again and again)
    _seen: dict[Path, tuple[tuple[int, int], frozenset]] = {}

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / f"markup-{digest('markup', package_version(), tools('markdown-it-py'))[:16]}.json"

    def _stamp(self) -> tuple[int, int]:
        stat = self.path.stat()
        return stat.st_mtime_ns, stat.st_size

    def load(self) -> None:
        from . import markup

        stored: dict = {}
        try:
            stamp = self._stamp()
            if ParsedTexts._seen.get(self.path, ((), None))[0] != stamp:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                stored = {(text, bool(rich)): markup.from_data(blocks) for text, rich, blocks in data}
                ParsedTexts._seen[self.path] = (stamp, frozenset(stored))
        except (OSError, ValueError, TypeError, IndexError):  # none yet, or not whole: parse afresh
            ParsedTexts._seen.pop(self.path, None)
        markup.remember(stored)

    def save(self) -> None:
        """Write the texts this build asked for, when they are not the ones the file holds (the other parsers'
        files go)."""
        from . import markup

        used = markup.used()
        if frozenset(used) == ParsedTexts._seen.get(self.path, ((), None))[1]:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        data = [[text, rich, markup.to_data(blocks)] for (text, rich), blocks in used.items()]
        write_whole(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        ParsedTexts._seen[self.path] = (self._stamp(), frozenset(used))
        for other in self.folder.glob("markup-*.json"):
            if other != self.path:
                other.unlink(missing_ok=True)


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
        write_whole(self.path, json.dumps(self.seconds, indent=0, sort_keys=True))
