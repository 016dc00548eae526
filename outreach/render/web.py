"""Model + language → an mkdocs-material project → the static site.

For each language this writes a docs folder of Markdown pages and an
``mkdocs.yml`` that inherits the top-level one, then runs mkdocs on it;
mkdocs' hooks in ``site_hooks.py`` escape the texts for the theme and
finish what mkdocs writes. The content model knows nothing of mkdocs: only
this module and those hooks do, so the site generator can be replaced
without touching content, catalogs or the build (docs/site-generator.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gzip
import hashlib
import html
import json
import logging
import os
import posixpath
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup

from ..cache import cards_key, compressed_key
from ..errors import Diagnostic, Location, OutreachError
from .. import languages as language_data
from ..languages import LANGUAGES, Language, source
from ..model import Project, Text
from . import site_hooks
from .common import TEMPLATES, Localizer

OVERRIDES = TEMPLATES / "web" / "overrides"
# escapes titles, names, descriptions for the theme; finishes the site mkdocs wrote (site_hooks.py says what)
HOOKS = Path(__file__).resolve().with_name("site_hooks.py")
IFRAME_WORKER = site_hooks.IFRAME_WORKER  # what the offline pack carries besides its pages
CONFIG_FILE = "mkdocs.yml"  # the project's base configuration of the site, beside content/
PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions")  # what makes the site, for the build's keys
ASSETS = TEMPLATES / "web" / "assets"
MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


@dataclass(frozen=True)
class PdfLink:
    href: str  # relative to the site root, e.g. "pdf/leaflet-owners.vi-en.pdf"
    label: str
    languages: tuple[Language, ...]
    kept: dt.date | None = None  # an earlier complete edition, kept while the new one is being translated
    offline: bool = True  # kept with the language for reading offline (False: kept once opened, as any page)

    def kept_text(self, language: Language) -> str:
        """The kept edition's date, as the reader's language writes dates."""
        from ..i18n.formatting import DATE_PATTERNS, format_date, locale_of

        return format_date(self.kept, DATE_PATTERNS.get(language.catalog, "long"), locale=locale_of(language))


@dataclass(frozen=True)
class Page:
    path: str  # inside docs/, e.g. "leaflets/owners.md"; a file beside the pages: its own name ("….txt")
    title: str
    markdown: str  # the page's Markdown; for a file, its text as it is published
    listed: bool = True  # in the navigation and given a share card; False: a file, or a page only the preview has

    @property
    def url(self) -> str:
        """The page's URL relative to its language root (use_directory_urls)."""
        stem = self.path[: -len(".md")]
        if stem == "index":
            return ""
        return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


def md_escape(value: str) -> Markup:
    """Plain text for a Markdown line: HTML-escaped (Markdown passes HTML through), then Markdown's own
    specials escaped with a backslash."""
    return Markup(MD_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False)))


def yaml_scalar(value: str) -> Markup:
    """Plain text as a YAML scalar in the front matter: as it is (``site_hooks`` escapes it for the theme)."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def page_path(document) -> str:
    """Where a document's page lives in every language's docs folder (its kind says)."""
    from .. import kinds

    kind = kinds.of(document)
    return kind.page(document) if kind.page else f"{document.kind}s/{document.id}.md"


GLOSSARY_PAGE = "glossary.md"


def page_url(path: str) -> str:
    return Page(path, "", "").url


@dataclass(frozen=True)
class Urls:
    """Where mkdocs writes each page: directory URLs on the web (``handbooks/so-tay/``), plain .html files
    in the offline pack (``handbooks/so-tay/index.html``), which opens from the file system."""

    directory: bool = True

    def of(self, path: str) -> str:
        return page_url(path) if self.directory else path[: -len(".md")] + ".html"

    def folder(self, path: str) -> str:
        url = self.of(path)
        return url.rstrip("/") if self.directory else posixpath.dirname(url)

    def link(self, source: str, target: str) -> str:
        """A relative URL from one page to another (for raw HTML, which mkdocs does not rewrite)."""
        start, end = self.folder(source) or ".", self.of(target)
        rel = posixpath.relpath(end or ".", start)
        if self.directory:
            return "./" if rel == "." else rel if rel.endswith("/") else rel + "/"
        return rel

    def pdf_root(self, path: str) -> str:
        """From a page to the folder that holds this language's pdf/: the language's root on the web (where its
        service worker can keep them), the pack's root offline."""
        depth = len([part for part in self.folder(path).split("/") if part])
        return "../" * depth

    def root(self, path: str) -> str:
        """From a page to the folder that holds pdf/: the site root above the language folders on the web,
        the pack's own root offline."""
        depth = len([part for part in self.folder(path).split("/") if part])
        return "../" * (depth + (1 if self.directory else 0))


WEB = Urls(directory=True)
OFFLINE = Urls(directory=False)


def md_link(source: str, target: str) -> str:
    """A relative Markdown link to another page's source (mkdocs checks and rewrites it)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class Pages:
    """The pages of one language's site as they are made: what a kind's page function adds to."""

    def __init__(self, project: Project, lz: Localizer, pdfs: dict[str, list[PdfLink]], urls: Urls):
        env = lz.env
        env.filters.setdefault("md", md_escape)
        env.filters.setdefault("yaml", yaml_scalar)
        self.project, self.lz, self.pdfs, self.urls = project, lz, pdfs, urls
        self.common = {"project": project, "site": project.site, "lz": lz, "_": lz.ui, "attrs": self.attrs,
                       "lang_attr": self.lang_attr, "lang": lz.language, "languages": LANGUAGES}
        self.pages: list[Page] = []

    def lang_attr(self, text: Text) -> Markup:
        return Markup(f' lang="{source().code}"') if self.lz.status_of(text) in ("missing", "fuzzy") else Markup("")

    def attrs(self, text: Text) -> Markup:
        attr = self.lang_attr(text)
        return Markup(" {:") + attr + Markup(" }") if attr else Markup("")

    def add(self, path: str, template: str, title: str, terms: bool = True, **context) -> None:
        # each page links the first use of each glossary term to its entry (not the home page, nor the glossary)
        self.lz.glossary_scope(self.project.glossary if terms else (), self.urls.link(path, GLOSSARY_PAGE))
        text = self.lz.env.get_template(f"web/{template}").render(
            **self.common, root=self.urls.root(path), pdf_root=self.urls.pdf_root(path), **context)
        self.lz.glossary_scope()
        self.pages.append(Page(path, title, text))

    def attach(self, doc, path: str) -> dict[str, str]:
        """The files its kind makes beside a document's page (``Kind.files``), in this language: each rendered
        from its template with the page's context, in the folder of the page's own URL; returns each one's
        address from the page, by its id."""
        from .. import kinds

        folder = path[: -len("/index.md")] if path.endswith("/index.md") else path[: -len(".md")]
        links = {}
        self.lz.glossary_scope()  # a text to paste links no term
        for output in kinds.of(doc).files:
            target = f"{folder}/{output.name.format(id=doc.id, lang=self.lz.language.code)}"
            text = self.lz.env.get_template(f"web/{output.template}").render(**self.common, doc=doc)
            self.pages.append(Page(target, "", text, listed=False))
            links[output.id] = posixpath.relpath(target, self.urls.folder(path) or ".")
        return links

    def pdfs_for(self, doc, variant: str = "") -> list[PdfLink]:
        key = f"{doc.kind}.{doc.id}" + (f".{variant}" if variant else "")
        return [link for link in self.pdfs.get(key, [])
                if self.lz.language.is_source or self.lz.language in link.languages]


def handbook_pages(site: Pages, doc) -> None:
    """A handbook's page, then one page per chapter."""
    chapters = {chapter.id: chapter for chapter in site.project.of_kind("chapter")}
    path = page_path(doc)
    own = [chapters[c] for c in doc.chapters]
    site.add(path, "handbook.md.j2", site.lz.plain(doc.title), doc=doc, pdfs=site.pdfs_for(doc), chapters=own,
             glossary=md_link(path, GLOSSARY_PAGE))
    for chapter in own:
        site.add(page_path(chapter), "chapter.md.j2", site.lz.plain(chapter.title), doc=chapter)


def course_pages(site: Pages, doc) -> None:
    """A course's page, then one page per module, each pointing to the next."""
    urls = site.urls
    path = page_path(doc)
    own = [m for m in site.project.of_kind("module") if m.course == doc.id]
    site.add(path, "course.md.j2", site.lz.plain(doc.title), doc=doc, pdfs=site.pdfs_for(doc),
             modules=[{"doc": m, "page": urls.link(path, page_path(m))} for m in own])
    for index, module in enumerate(own):
        following = own[index + 1] if index + 1 < len(own) else None
        site.add(page_path(module), "module.md.j2", site.lz.plain(module.title), doc=module, course=doc,
                 next={"doc": following, "page": urls.link(page_path(module), page_path(following))}
                 if following else None)


def lecture_pages(site: Pages, doc) -> None:
    """A course's lecturer slides, as a presentation page in the course's section."""
    strings = theme_strings(site.lz)
    title = strings["lecture_title"] % {"heading": strings["lecture"], "title": site.lz.plain(doc.title)}
    site.add(page_path(doc), "lecture.md.j2", title, doc=doc, page_title=title,
             pdfs=site.pdfs_for(doc), notes=site.pdfs_for(doc, "notes"), heading=strings["lecture"],
             course=site.urls.link(page_path(doc), page_path(doc.course)))


def render_pages(project: Project, lz: Localizer, pdfs: dict[str, list[PdfLink]], urls: Urls = WEB,
                 offline_pack: str | None = None, unpublished: bool = False) -> list[Page]:
    """Every page of one language's site, in navigation order: the home page, each kind's pages and the files
    beside them, the glossary. ``unpublished``: also the pages of the documents their kind does not publish
    (templates), outside the navigation and the home page, for the preview of ``outreach serve``."""
    from .. import kinds

    site = Pages(project, lz, pdfs, urls)
    site.add("index.md", "home.md.j2", lz.plain(project.site.title), terms=False,
             sections=home_sections(project, urls),
             glossary=urls.link("index.md", GLOSSARY_PAGE),
             offline_pack=offline_pack and urls.root("index.md") + offline_pack)
    for kind in kinds.by("nav"):
        for doc in kinds.documents(project, kind, published_only=not unpublished):
            first = len(site.pages)
            if kind.pages:
                kind.pages(site, doc)
            elif kind.web:
                path = page_path(doc)
                site.add(path, kind.web, lz.plain(doc.title), doc=doc, pdfs=site.pdfs_for(doc),
                         notes=site.pdfs_for(doc, "notes"), files=site.attach(doc, path))
            if not kind.published(doc):
                site.pages[first:] = [dataclasses.replace(page, listed=False) for page in site.pages[first:]]
    site.add(GLOSSARY_PAGE, "glossary.md.j2", lz.ui("Giải thích từ ngữ"), terms=False,
             glossary_terms=project.glossary)
    return site.pages


def handbook_card(doc, project: Project, card) -> dict:
    chapters = {chapter.id: chapter for chapter in project.of_kind("chapter")}
    return {"chapters": [card(chapters[c]) for c in doc.chapters]}


def course_card(doc, project: Project, card) -> dict:
    own = [m for m in project.of_kind("module") if m.course == doc.id]
    return {"modules": [card(m) for m in own], "minutes": sum(m.minutes for m in own)}


def home_sections(project: Project, urls: Urls) -> list[dict]:
    """What the home page shows: a section per kind that has one (its template under web/home/), with a card
    per published document; every link as a URL (the cards are HTML)."""
    from .. import kinds

    def card(doc) -> dict:
        return {"doc": doc, "page": md_link("index.md", page_path(doc)),
                "href": urls.link("index.md", page_path(doc))}

    sections = []
    for kind in kinds.by("home_rank"):
        if kind.home:
            cards = [{**card(doc), **(kind.card(doc, project, card) if kind.card else {})}
                     for doc in kinds.documents(project, kind)]
            sections.append({"kind": kind.name, "template": f"web/home/{kind.home}", "cards": cards})
    return sections


def navigation(pages: list[Page]) -> list:
    """mkdocs nav: top-level pages, with a handbook's chapters and a course's modules under it."""
    nav: list = []
    sections: dict[str, list] = {}
    for page in (page for page in pages if page.listed):
        parts = page.path.split("/")
        if len(parts) == 3:  # handbooks/<id>/… or courses/<id>/…
            group = "/".join(parts[:2])
            if group not in sections:
                sections[group] = []
                nav.append({page.title: sections[group]})
            sections[group].append({page.title: page.path})
        else:
            nav.append({page.title: page.path})
    return nav


def generated(work: Path) -> tuple[Path, Path]:
    """Where a generated project (in ``work``) keeps its configuration and its pages."""
    return work / CONFIG_FILE, work / "docs"


def write_project(work: Path, config: dict, pages: list[Page], language: Language) -> Path:
    """One language's generated project: its pages and its configuration; returns the configuration file."""
    config_file, docs = generated(work)
    write_docs(docs, pages, language)
    config_file.write_text(dump_config(config), encoding="utf-8")
    return config_file


def site_config(project: Project, lz: Localizer, pages: list[Page], root: Path, site_url: str,
                work: Path, site_dir: Path, offline: bool = False) -> dict:
    """The mkdocs configuration of one language, inheriting the project's mkdocs.yml (in ``root``). The
    offline pack's build adds Material's offline plugin (search from the file system, .html files) and has no
    switcher: the pack holds one language. The hooks (site_hooks.py) read ``extra`` to finish the site."""
    language = lz.language
    alternates = [{"name": lang.name, "link": f"{site_url}{lang.code}/", "lang": lang.code} for lang in LANGUAGES]
    nav = navigation(pages)
    return {
        "INHERIT": str(base_config(root).resolve()),
        "site_name": lz.plain(project.site.title),
        "site_description": lz.plain(project.site.description),
        "site_author": lz.plain(project.site.board),
        "site_url": f"{site_url}{language.code}/",
        "docs_dir": str(generated(work)[1].resolve()),
        "site_dir": str(site_dir.resolve()),
        "theme": {"language": language.theme, "custom_dir": str(OVERRIDES)},
        "plugins": {"search": {"lang": language.search}, **({"offline": {}} if offline else {})},
        "hooks": [str(HOOKS)],
        "nav": nav,
        "extra": {"alternate": [] if offline else alternates, "x_default": "" if offline else site_url,
                  "ui": theme_strings(lz), "lang": language.code, "finish": {"offline": offline}},
        **({"use_directory_urls": False} if offline else {}),
    }


def theme_strings(lz: Localizer) -> dict[str, str]:
    """Labels shown by the theme's own templates (search box, offline notes), from the catalogs."""
    text = lz.env.get_template("web/theme_strings.txt.j2").render(_=lz.ui)
    return dict(line.split("\t", 1) for line in text.strip().splitlines())


SEARCH_LANGUAGES = TEMPLATES / "web" / "search"


def write_docs(docs_dir: Path, pages: list[Page], language: Language) -> None:
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    for page in pages:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    shutil.copytree(ASSETS, docs_dir / "assets")
    language_data.write_web_assets(docs_dir / "assets")  # what differs by language, from the language records
    # our lunr language files replace the theme's (files in docs/ win over the theme's)
    own = SEARCH_LANGUAGES / f"lunr.{language.search}.min.js"
    if own.exists():
        target = docs_dir / "assets" / "javascripts" / "lunr" / "min" / own.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(own, target)


@contextlib.contextmanager
def _han_segmentation(enabled: bool):
    """Material runs jieba over all Han text when it is importable; only Chinese wants that."""
    with warnings.catch_warnings():  # jieba imports pkg_resources, which warns on import
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import material.plugins.search.plugin as search_plugin

    saved = search_plugin.jieba
    if saved is not None:
        saved.setLogLevel(logging.WARNING)
    if not enabled:
        search_plugin.jieba = None
    try:
        yield
    finally:
        search_plugin.jieba = saved


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def preload() -> None:
    """Import the site generator ahead of the first site (a worker process does it while it waits)."""
    import mkdocs.commands.build  # noqa: F401


def base_config(root: Path) -> Path:
    """The project's base configuration of the site (theme, Markdown extensions), which each language's
    generated configuration inherits."""
    return root / CONFIG_FILE


def build_site(config_file: Path, language: Language) -> None:
    """Build one language's site with mkdocs, finished by its hooks (site_hooks.py). Warnings fail the build
    (strict)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        with _han_segmentation(language.segment_han):
            config = load_config(config_file=str(config_file))
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        details = "; ".join(r.getMessage() for r in handler.records) or str(exc)
        raise OutreachError(Diagnostic(Location(str(config_file)), f"mkdocs failed for {language.code}: {details}",
                                       "site.mkdocs",
                                       hint="the generated pages are kept in build/.work for a look")) from None
    finally:
        logger.removeHandler(handler)


SHELL = ("stylesheets/main.*.min.css", "stylesheets/palette.*.min.css", "javascripts/bundle.*.min.js",
         "outreach.css", "outreach.js", "early.js", "search.js", "emblem.svg", "images/favicon.png")


def shell_urls(site_dir: Path) -> list[str]:
    """What every page of a language loads besides itself."""
    assets = site_dir / "assets"
    return [f"./{p.relative_to(site_dir).as_posix()}" for pattern in SHELL for p in sorted(assets.glob(pattern))]


def language_pdfs(pdfs: dict[str, list[PdfLink]], language: Language) -> list[PdfLink]:
    """The PDFs a language's pages link to (the Vietnamese pages: all of them)."""
    links = {link.href: link for links in pdfs.values() for link in links
             if language.is_source or language in link.languages}
    return [links[href] for href in sorted(links)]


def finish_language(env, site_dir: Path, language: Language, pdf_dir: Path, pdfs: list[PdfLink]) -> None:
    """Done at every build, also when the language's pages were unchanged (the PDFs may have changed): the
    language's own copy of its PDFs (pdf/, inside what its service worker may keep), and the service worker,
    which knows every page, the search index and the PDFs kept for reading offline, and what keeping them all
    costs."""
    own = site_dir / "pdf"
    if own.exists():
        shutil.rmtree(own)
    own.mkdir()
    for link in pdfs:
        name = posixpath.basename(link.href)
        os.link(pdf_dir / name, own / name)
    shell = shell_urls(site_dir)
    pages = []
    for page in sorted(site_dir.rglob("index.html")):
        rel = page.parent.relative_to(site_dir).as_posix()
        pages.append("./" if rel == "." else f"./{rel}/")
    urls = [*pages, *shell, "./search/search_index.json"]
    digest = hashlib.sha256()
    size = 0
    for url in urls:
        target = site_dir / url[2:]
        data = (target / "index.html" if url.endswith("/") else target).read_bytes()
        digest.update(url.encode() + data)
        size += len(gzip.compress(data, 6, mtime=0))
    # the ones in the reader's language (a Vietnamese reader keeps the Vietnamese handbook and handouts, not
    # the translations the Vietnamese pages also link to), of the kinds kept for reading offline (not the decks
    # a lecturer presents from: the service worker keeps one once it is opened)
    for path in sorted(own / posixpath.basename(link.href) for link in pdfs
                       if link.languages[-1] is language and link.offline):
        data = path.read_bytes()
        digest.update(path.name.encode() + data)
        size += len(data)
        urls.append(f"./pdf/{path.name}?v={hashlib.sha256(data).hexdigest()[:12]}")
    sw = site_dir / "sw.js"
    if sw.exists():
        sw.unlink()  # it may be a link to the published copy
    sw.write_text(env.get_template("web/sw.js.j2").render(
        language=language.code, version=digest.hexdigest()[:16], shell=shell, urls=urls, bytes=size),
        encoding="utf-8")


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest"}


def _compressed(job: tuple[str, bytes]) -> bytes:
    suffix, data = job
    if suffix == ".gz":
        # zlib's best level; zopfli made the .gz 4 % smaller for 90 times the CPU (11 s a language), and a .gz
        # goes only to a client without brotli. mtime 0: the same bytes at every build
        return gzip.compress(data, compresslevel=9, mtime=0)
    import brotli

    # quality 10: quality 11 made the five sites' pages 2 % smaller for 3.1 times the CPU (12 s against 4 s)
    return brotli.compress(data, quality=10)


def precompress(site: Path, cache: Path, processes: int = 2) -> int:
    """A .gz (zlib) and a .br (brotli) beside every text file of the site, for a web server to send as they
    are (nginx: gzip_static, brotli_static). Compressing is slow and deterministic, so each result is kept in
    ``cache`` by the digest of the bytes it was made from, and what is missing is made in ``processes``
    processes; returns how many files were compressed anew."""
    from concurrent.futures import ProcessPoolExecutor

    cache.mkdir(parents=True, exist_ok=True)
    targets: list[tuple[Path, Path]] = []
    missing: dict[Path, tuple[str, bytes]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        key = compressed_key(data)
        for suffix in (".gz", ".br"):
            stored = cache / f"{key}{suffix}"
            if not stored.exists():
                missing[stored] = (suffix, data)
            targets.append((stored, path.with_name(path.name + suffix)))
    if missing:
        jobs = sorted(missing.items(), key=lambda item: -len(item[1][1]))  # the largest first
        if processes > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(min(processes, len(jobs))) as pool:
                results = list(pool.map(_compressed, [job for _, job in jobs]))
        else:
            results = [_compressed(job) for _, job in jobs]
        for (stored, _), packed in zip(jobs, results):
            partial = stored.with_name(stored.name + ".part")
            partial.write_bytes(packed)
            partial.replace(stored)
    for stored, target in targets:
        if target.exists():
            target.unlink()  # a published copy linked into staging: never write through it
        os.link(stored, target)
    return len(missing)


def card_name(url: str) -> str:
    """The share card of a page (URL relative to its language root): assets/cards/<name>.png."""
    return url.strip("/").replace("/", "-") or "index"


def card_source(env, language: Language, pages: list[Page], site: str, board: str) -> str:
    """The HTML of a language's share cards, one page each for its listed pages; their lines break as in
    print (linebreak.mark_breaks: Korean words kept whole, Japanese and Chinese titles between phrases)."""
    from .linebreak import mark_breaks

    cards = [{"site": site, "title": page.title, "board": board} for page in pages if page.listed]
    return mark_breaks(env.get_template("web/card.html.j2").render(cards=cards, language=language,
                                                                   font=language.sans_stack))


def share_cards(env, site_dir: Path, language: Language, pages: list[Page], site: str, board: str,
                cache: Path) -> None:
    """One share card (1200×630 PNG) per page in the page's language and script, in assets/cards/: the image
    of its Open Graph and Twitter preview. Made by WeasyPrint and pdftoppm, kept in ``cache`` by the digest of
    what they show; done at every build (a reused site keeps its cards only if nothing changed)."""
    source = card_source(env, language, pages, site, board)
    pages = [page for page in pages if page.listed]
    key = cards_key(source, language)
    stored = cache / f"{language.code}-{key}"
    if not stored.is_dir():
        import subprocess
        import tempfile

        from weasyprint import HTML

        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            pdf = Path(tmp) / "cards.pdf"
            HTML(string=source).write_pdf(pdf)
            (Path(tmp) / "png").mkdir()
            subprocess.run(["pdftoppm", "-r", "96", str(pdf), str(Path(tmp) / "card")], check=True)
            made = sorted(Path(tmp).glob("card-*.ppm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            if len(made) != len(pages):
                raise OutreachError(Diagnostic(Location(str(pdf)), f"{len(made)} share cards for {len(pages)} pages",
                                               "site.cards", hint="a page title too long for one card?"))
            for page, ppm in zip(pages, made):
                write_png(ppm, Path(tmp) / "png" / f"{card_name(page.url)}.png")
            (Path(tmp) / "png").rename(stored)
    target = site_dir / "assets" / "cards"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for png in sorted(stored.glob("*.png")):
        os.link(png, target / png.name)


def write_png(ppm: Path, png: Path) -> None:
    """A rasterised card as a PNG of 256 colours (a card is a few flat colours and the anti-aliased edges of
    its text: at the size shown, no difference can be seen), at zlib's level 6: a quarter of the bytes of
    full colour (13 KB a card against 45 KB) in less time. pdftoppm's own PNGs (full colour, level 9) took four
    times as long to write."""
    from PIL import Image

    with Image.open(ppm) as image:
        image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE).save(png, "PNG", compress_level=6)
    ppm.unlink()


def dump_config(config: dict) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def render_root(env, project: Project, localizers: dict[str, Localizer], site_url: str) -> str:
    entries = [{"language": lz.language, "title": lz.plain(project.site.title)} for lz in localizers.values()]
    return env.get_template("web/root.html.j2").render(
        entries=entries, source=source(), titles={e["language"].code: e["title"] for e in entries},
        description=localizers[source().code].plain(project.site.description) if source().code in localizers else "",
        codes=[lang.code for lang in LANGUAGES], site_url=site_url)


ROOT_ASSETS = TEMPLATES / "web" / "root"


def write_root_assets(site: Path) -> None:
    """Beside the page that sends a reader to a language and the status page: their stylesheet and script (no
    inline ones: a strict Content-Security-Policy), and the favicon (the theme's, from a language's site)."""
    for path in sorted(ROOT_ASSETS.iterdir()):
        shutil.copyfile(path, site / path.name)
    icons = sorted(site.glob("*/assets/images/favicon.png"))
    if icons:
        shutil.copyfile(icons[0], site / "favicon.png")


def render_status(env, project: Project, locales: Path, version: str) -> str:
    """The translation and editorial status table, as a page outside the readers' navigation."""
    from ..i18n import catalogs
    from ..languages import TARGETS

    table = {}
    for language in TARGETS:
        path = catalogs.po_path(locales, language)
        if path.exists():
            table[language] = catalogs.status(catalogs.read_catalog(path, language.catalog))
    states = {f"{doc.kind}.{doc.id}": doc.status.state for doc in project.documents}
    return env.get_template("web/status.html.j2").render(table=table, states=states, version=version)
