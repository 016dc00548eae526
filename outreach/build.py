"""The build, stage by stage.

    load + validate   content/*.yaml            → Project           (validate.py)
    translate         locales/*/messages.po     → one Localizer per language
    render print      Project + 2 languages     → HTML → PDF         (render/print.py)
    render web        Project + 1 language      → mkdocs project → site (render/web.py)
    publish           build/.staging            → build/site, build/pdf

Everything is written under ``build/.staging`` first and moved into place
only when every stage has succeeded, so a failed build leaves the previous
output as it was.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Diagnostic, Location, OutreachError
from .i18n import catalogs
from .i18n.checks import check_catalogs
from .i18n.translate import Translator
from .languages import LANGUAGES, Language
from .model import Project
from . import fonts, kinds, pack, release, screen
from .render import print as print_render
from .render import web
from .render.common import Localizer, environment
from .validate import load_project

PRODUCTS = ("site", "pdf", "packs")


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def out(self) -> Path:
        return self.root / "build"

    @property
    def staging(self) -> Path:
        return self.out / ".staging"

    @property
    def work(self) -> Path:
        return self.out / ".work"

    @property
    def cache(self) -> Path:
        return self.out / ".cache"


@dataclass
class BuildResult:
    pdfs: list[Path] = field(default_factory=list)
    packs: list[Path] = field(default_factory=list)
    blocked: dict[str, int] = field(default_factory=dict)  # products not printed, and how many entries block each
    languages: list[str] = field(default_factory=list)
    fallbacks: dict[str, int] = field(default_factory=dict)
    pdfs_rendered: int = 0
    pdfs_reused: int = 0
    sites_rendered: int = 0
    sites_reused: int = 0
    packs_reused: int = 0
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without running its python tags."""


_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_url_of(paths: Paths, override: str | None = None) -> str:
    url = override
    if not url:
        with open(paths.mkdocs_yml, encoding="utf-8") as handle:
            url = (yaml.load(handle, Loader=_IgnoreTags) or {}).get("site_url")
    if not url:
        raise OutreachError(Diagnostic(Location(str(paths.mkdocs_yml)), "site_url is not set", "config.site-url",
                                       "set site_url in mkdocs.yml, or pass --site-url"))
    return url.rstrip("/") + "/"


def localizers_for(project: Project, paths: Paths, languages=LANGUAGES) -> dict[str, Localizer]:
    env = environment()
    return {lang.code: Localizer(Translator.load(lang, paths.locales, project.facts), env)
            for lang in languages}


def contact_blanks(localizers: dict[str, Localizer]) -> tuple[str, ...]:
    """What print shows, in each language, where a contact detail is missing (the release gate looks for it)."""
    blank = next(iter(localizers.values())).env.get_template("contacts.j2").module.blank
    return tuple(dict.fromkeys(lz.ui(blank) for lz in localizers.values()))


def stale_catalog_warning(project: Project, paths: Paths) -> Diagnostic | None:
    template_file = catalogs.template_path(paths.locales)
    fresh = catalogs.extract(project, web.TEMPLATES, paths.root)
    current = catalogs.read_catalog(template_file) if template_file.exists() else None
    key = lambda cat: {(m.context, m.id) for m in cat if m.id}  # noqa: E731
    if current is None or key(current) != key(fresh):
        return Diagnostic(Location(str(template_file.relative_to(paths.root))),
                          "the catalogs do not match the content; new or changed texts show in Vietnamese",
                          "i18n.stale", "warning", "run: outreach i18n update")
    return None


def build(paths: Paths, site_url: str | None = None, languages: tuple[Language, ...] = LANGUAGES) -> BuildResult:
    started = time.monotonic()
    result = BuildResult(languages=[lang.code for lang in languages])
    project = load_project(paths.content)
    overridden = bool(site_url)
    site_url = site_url_of(paths, site_url)
    unreleasable = release.check_site_url(project, site_url, paths.mkdocs_yml, overridden)
    if unreleasable:
        raise OutreachError(unreleasable)
    warning = stale_catalog_warning(project, paths)
    if warning:
        result.warnings.append(warning)
    findings = check_catalogs(project, paths.locales, [lang for lang in languages if not lang.is_source])
    if any(f.severity == "error" for f in findings):
        raise OutreachError(findings)  # broken translations stop the build, before anything is written
    result.warnings.extend(findings)
    missing_fonts = fonts.check_installed(languages)
    if missing_fonts:
        raise OutreachError(missing_fonts)  # a fallback font is never printed in silence

    staging = paths.staging
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "pdf").mkdir(parents=True)
    try:
        with source_date(project.site.edition):
            render_all(project, paths, site_url, languages, result)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish(paths)
    result.seconds = time.monotonic() - started
    return result


@contextlib.contextmanager
def source_date(edition: dt.date):
    """Dates written into the output come from the edition, so rebuilds are byte-identical."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if saved is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(edition.timetuple()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def input_key(label: str, files) -> str:
    """A digest of a label and the names and bytes of the files a step reads."""
    digest = hashlib.sha256(label.encode())
    for path in files:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def site_key(work: Path, base_config: Path) -> str:
    """What one language's mkdocs build reads: the generated docs and config, the theme overrides, and the
    code that finishes the site after mkdocs."""
    import material
    import mkdocs

    return input_key(f"{mkdocs.__version__} {material.__version__}", [
        base_config, Path(web.__file__), web.HOOKS, web.TEMPLATES / "web" / "sw.js.j2", web.IFRAME_WORKER,
        work / "mkdocs.yml", *sorted(p for p in (work / "docs").rglob("*") if p.is_file()),
        *sorted(p for p in web.OVERRIDES.rglob("*") if p.is_file())])


def pack_key(press: Path, state: str, version: str) -> str:
    """What a pack is made from: the press file, the status, the sources, the pack code."""
    return input_key(f"{state} {version}", [press, Path(pack.__file__), Path(pack.pf.__file__),
                                           Path(pack.press_mod.__file__), Path(release.__file__),
                                           web.TEMPLATES / "pack" / "README.txt.j2"])


def record_key(paths: Paths, name: str, key: str) -> bool:
    """Stage the key of an output (published with it); True when the published output has the same key."""
    (paths.staging / "keys").mkdir(exist_ok=True)
    (paths.staging / "keys" / f"{name}.key").write_text(key)
    published = paths.cache / "keys" / f"{name}.key"
    return published.exists() and published.read_text() == key


def reuse_pack(paths: Paths, stem: str, key: str) -> bool:
    """Link the published pack into staging when it was made from the same inputs (it passed preflight then)."""
    published, zipped = paths.out / "packs" / stem, paths.out / "packs" / f"{stem}.zip"
    if not (record_key(paths, f"pack-{stem}", key) and published.is_dir() and zipped.exists()):
        return False
    staged = paths.staging / "packs" / stem
    for path in published.iterdir():
        target = staged / path.name
        if target.exists():
            target.unlink()
        os.link(path, target)
    os.link(zipped, paths.staging / "packs" / zipped.name)
    return True


def blocked_entries(job, localizers: dict[str, Localizer], paths: Paths) -> list[Diagnostic]:
    """The entries that keep a printed product from being made: untranslated or fuzzy texts and labels."""
    found = []
    for lang in job.languages:
        if lang.is_source:
            continue
        lz = localizers[lang.code]
        po = str(catalogs.po_path(paths.locales, lang).relative_to(paths.root))
        entries = [(text.context, status) for text, status in lz.fallbacks]
        entries += [(repr(label), "missing") for label in sorted(lz.missing_ui)]
        for context, status in dict.fromkeys(entries):
            found.append(Diagnostic(
                Location(po), f"{job.filename} is not made: {'fuzzy' if status == 'fuzzy' else 'untranslated'} "
                f"entry {context}", "print.blocked", "warning",
                "translate the entry (and clear its fuzzy flag) to print this product"))
    return found


def build_site(paths: Paths, project: Project, lz: Localizer, pages, work: Path, target: Path, site_url: str,
               kind: str, code: str, result: BuildResult, published: Path | None = None,
               offline: bool = False) -> bool:
    """Run mkdocs for one language, unless its inputs are those of the published output, which is then
    linked into staging. Returns whether mkdocs ran (and the output needs finishing)."""
    web.write_docs(work / "docs", pages, lz.language)
    config = web.site_config(project, lz, pages, paths.mkdocs_yml.resolve(), site_url, (work / "docs").resolve(),
                             target.resolve(), offline=offline)
    config_file = work / "mkdocs.yml"
    config_file.write_text(web.dump_config(config), encoding="utf-8")
    key = site_key(work, paths.mkdocs_yml)
    published = published or paths.out / "site" / code
    if record_key(paths, f"{kind}-{code}", key) and published.exists():
        staged = paths.staging / published.relative_to(paths.out)
        if published.is_dir():
            shutil.copytree(published, staged, copy_function=os.link)
        else:
            os.link(published, staged)
        result.sites_reused += 1
        return False
    if target.exists():
        shutil.rmtree(target)
    web.run_mkdocs(config_file, lz.language)
    result.sites_rendered += 1
    return True


def render_all(project: Project, paths: Paths, site_url: str, languages: tuple[Language, ...],
               result: BuildResult) -> None:
    """Render the PDFs and the site into the staging folder."""
    staging = paths.staging

    # print
    print_lz = localizers_for(project, paths, languages)
    writer = print_render.PdfWriter(paths.cache / "pdf")
    pdf_links: dict[str, list[web.PdfLink]] = {}
    version = pack.content_version(project.site.edition, [Path(p) for p in project.sources]
                                   + sorted(paths.locales.glob("*/LC_MESSAGES/*.po")))
    readme = print_lz[languages[0].code].env.get_template("pack/README.txt.j2")
    # what stands in for missing contacts; preflight fails a press file that is not a draft and prints it
    blanks = contact_blanks(print_lz) if project.contacts.missing else ()
    failed: list[Diagnostic] = []
    made = []
    for job in print_render.print_jobs(project, languages):
        page_url = f"{site_url}{job.web_language.code}/{web.page_url(web.page_path(job.document))}"
        for lang in job.languages:
            print_lz[lang.code].fallbacks.clear()
            print_lz[lang.code].missing_ui.clear()
        source = print_render.print_html(job, project, print_lz, page_url)
        blocking = blocked_entries(job, print_lz, paths)
        if blocking:  # the gate: a product is printed in a language only when that language is complete
            result.blocked[job.filename] = len(blocking)
            result.warnings.extend(blocking)
            continue
        stem = job.filename[: -len(".pdf")]
        press = staging / "packs" / stem / f"{stem}.press.pdf"
        press.parent.mkdir(parents=True)
        made.append((job, source, press))
    writer.write_all([(source, press, staging / "pdf" / job.filename,
                       f"{job.filename} ({'+'.join(lang.code for lang in job.languages)})")
                      for job, source, press in made], paths.root)

    for job, source, press in made:
        stem = press.parent.name
        titles = {lang.code: print_lz[lang.code].plain(job.document.title) for lang in job.languages}
        state = project.state(job.document)
        key = pack_key(press, state, version)
        if reuse_pack(paths, stem, key):
            result.packs_reused += 1
            report = None
        else:
            report = pack.make_pack(kinds.of(job.document).press, job.document, job.languages, titles, press,
                                    version, state, readme, project.site.edition, blanks)
        shown = f"build/packs/{stem}/{press.name}"
        failed += fonts.check_embedded(press, job.languages, shown)
        failed += [Diagnostic(Location(shown + (f":page {f.page}" if f.page else "")), f.message, f.code,
                              hint="see preflight.txt in the pack") for f in (report.errors if report else [])]
        result.pdfs.append(paths.out / "pdf" / job.filename)
        result.packs.append(paths.out / "packs" / stem)
        pdf_links.setdefault(f"{job.document.kind}.{job.document.id}", []).append(
            web.PdfLink(f"pdf/{job.filename}", job.label(), job.languages))
    if failed:
        raise OutreachError(failed)
    # kinds without a press product (slides): screen PDFs only, linked from their pages -- outreach/screen.py
    screen.write_screen_pdfs(project, paths, print_lz, writer, pdf_links, site_url, languages, result)
    result.pdfs_rendered, result.pdfs_reused = writer.rendered, writer.reused

    # web: each language's site, and its offline pack (a zip that opens from the file system)
    web_lz = localizers_for(project, paths, languages)
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    (staging / "site" / "offline").mkdir(parents=True)
    for language in languages:
        lz = web_lz[language.code]
        pack_name = f"outreach-{language.code}"
        pages = web.render_pages(project, lz, pdf_links, offline_pack=f"offline/{pack_name}.zip")
        work = paths.work / "web" / language.code
        target = staging / "site" / language.code
        if build_site(paths, project, lz, pages, work, target, site_url, "site", language.code, result):
            web.finish_site(lz.env, target, language, site_url, epoch)
        web.finish_language(lz.env, target, language, staging / "pdf", web.language_pdfs(pdf_links, language))
        web.share_cards(lz.env, target, language, pages, lz.plain(project.site.title), lz.plain(project.site.board),
                        paths.cache / "cards")

        # the pack carries this language's own PDFs (for Vietnamese: the Vietnamese handbook and handouts)
        offline_links = {key: [link for link in links if link.languages[-1] is language]
                         for key, links in pdf_links.items()}
        offline_pages = web.render_pages(project, lz, offline_links, urls=web.OFFLINE)
        offline_work = paths.work / "offline" / language.code
        offline_site = offline_work / pack_name
        zipped = staging / "site" / "offline" / f"{pack_name}.zip"
        if build_site(paths, project, lz, offline_pages, offline_work, offline_site, site_url, "offline",
                      language.code, result, published=paths.out / "site" / "offline" / zipped.name,
                      offline=True):
            web.finish_offline(offline_site)
            for link in {link for links in offline_links.values() for link in links}:
                (offline_site / "pdf").mkdir(exist_ok=True)
                shutil.copyfile(staging / link.href, offline_site / link.href)
            pack.write_tree_zip(offline_site, zipped, project.site.edition)
        result.fallbacks[language.code] = len({text.context for text, _ in lz.fallbacks})
    (staging / "site" / "status").mkdir(parents=True)
    (staging / "site" / "status" / "index.html").write_text(
        web.render_status(web_lz[languages[0].code].env, project, paths.locales, version), encoding="utf-8")
    (staging / "site" / "index.html").write_text(
        web.render_root(web_lz[languages[0].code].env, project, web_lz, site_url), encoding="utf-8")
    web.write_root_assets(staging / "site")
    shutil.copytree(staging / "pdf", staging / "site" / "pdf", copy_function=os.link)
    web.precompress(staging / "site", paths.cache / "compressed")


def publish(paths: Paths) -> None:
    """Move the staged products into place, then drop the old ones."""
    old = paths.out / ".old"
    if old.exists():
        shutil.rmtree(old)
    old.mkdir(parents=True)
    for name in PRODUCTS:
        current, staged = paths.out / name, paths.staging / name
        staged.mkdir(parents=True, exist_ok=True)  # a product may be empty (every print product blocked)
        if current.exists():
            current.rename(old / name)
        staged.rename(current)
    shutil.rmtree(old)
    keys = paths.cache / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for key in (paths.staging / "keys").glob("*.key"):
        key.replace(keys / key.name)
    shutil.rmtree(paths.staging)
