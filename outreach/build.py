"""The build, stage by stage.

    load + validate   content/*.yaml              → Project                         (validate.py)
    translate         locales/*/messages.po       → one Localizer per language      (i18n/)
    plan print        Project + languages         → print HTML, the print gate      (render/print.py)
    plan web          Project + 1 language        → mkdocs project per site         (render/web.py)
    make              one job per changed product, the longest first, one process per core (pool.py):
                        print HTML → PDF → pack, mkdocs → site, offline site → zip  (products.py)
    finish            root and status pages, screen PDFs on the site, kept editions (editions.py)
    publish           build/.staging              → build/site, build/pdf, build/packs

Each product has a key, a digest of the inputs it really reads (cache.py); a product whose key has not
changed is linked from the published output instead of being made again. Everything is written under
``build/.staging`` first and moved into place only when every stage has succeeded, so a failed build leaves
the previous output as it was; one build at a time holds the build folder (lock.py).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cache import KeyStore, Timings, model_version
from .editions import Editions
from .errors import Diagnostic, Location, OutreachError
from .i18n import catalogs
from .i18n.checks import check_catalogs
from .languages import LANGUAGES, Language
from .lock import build_lock
from .model import Project
from .paths import Paths, site_url_of  # noqa: F401 (API)
from . import fonts, release
from .plan import Plan, blocked_entries, contact_blanks, localizers_for, plan_print, plan_web  # noqa: F401 (API)
from .pool import Pool, job_warnings
from .progress import Progress
from .render import web
from .validate import load_project


PRODUCTS = ("site", "pdf", "packs")


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
    kept: dict[str, dt.date] = field(default_factory=dict)  # screen PDFs kept from an earlier edition
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)


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


def build(paths: Paths, site_url: str | None = None, languages: tuple[Language, ...] = LANGUAGES,
          progress: Progress | None = None) -> BuildResult:
    """Build ``languages`` into build/; the outputs of any other language are left as they are."""
    progress = progress or Progress()
    started = time.monotonic()
    progress.stage("reading the content and the catalogs")
    project = load_project(paths.content)  # also makes content/languages.yaml the languages (LANGUAGES)
    overridden = bool(site_url)
    site_url = site_url_of(paths, site_url)
    unreleasable = release.check_site_url(project, site_url, paths.mkdocs_yml, overridden)
    if unreleasable:  # the release gate, before anything is written (the build folder too)
        raise OutreachError(unreleasable)
    with build_lock(paths.out, progress):
        result = BuildResult(languages=[lang.code for lang in languages])
        check_translations(project, paths, languages, result)
        staging = paths.staging
        if staging.exists():
            shutil.rmtree(staging)
        (staging / "pdf").mkdir(parents=True)
        try:
            with source_date(project.site.edition), Pool(progress) as pool:
                plan = Plan(paths, project, site_url, languages, result, pool)
                progress.stage("rendering the print HTML")
                plan_print(plan)  # each product's job starts as soon as a worker is free
                progress.stage("generating the sites")
                plan_web(plan)
                write_joining_pages(plan)
                progress.stage("making")
                outcomes = pool.finish()
                Timings(paths.cache / "timings.json").save({name: o.seconds for name, o in outcomes.items()})
                progress.stage("finishing")
                finish(plan, outcomes)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            progress.finish()
        publish(paths)
    result.seconds = time.monotonic() - started
    return result


def check_translations(project: Project, paths: Paths, languages, result: BuildResult) -> None:
    """Stale catalogs are a warning; a broken translation, or a font that is not installed, stops the build
    before anything is written."""
    warning = stale_catalog_warning(project, paths)
    if warning:
        result.warnings.append(warning)
    findings = check_catalogs(project, paths.locales, [lang for lang in languages if not lang.is_source])
    if any(f.severity == "error" for f in findings):
        raise OutreachError(findings)
    result.warnings.extend(findings)
    missing_fonts = fonts.check_installed(languages)
    if missing_fonts:
        raise OutreachError(missing_fonts)  # a fallback font is never printed in silence


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


def write_joining_pages(plan: Plan) -> None:
    """The pages above the languages: the root page that sends a reader to a language (it names every
    language, whichever this build makes), and the translation status."""
    paths, staging = plan.paths, plan.staging
    others = [lang for lang in LANGUAGES if lang not in plan.languages]
    everyone = {**localizers_for(plan.project, paths, others), **plan.web_lz}
    env = plan.web_lz[plan.languages[0].code].env
    (staging / "site" / "status").mkdir(parents=True)
    (staging / "site" / "status" / "index.html").write_text(
        web.render_status(env, plan.project, paths.locales, model_version(plan.project)), encoding="utf-8")
    (staging / "site" / "index.html").write_text(
        web.render_root(env, plan.project, {lang.code: everyone[lang.code] for lang in LANGUAGES}, plan.site_url),
        encoding="utf-8")


def finish(plan: Plan, outcomes) -> None:
    """Count what was made, keep the complete screen PDFs as editions, carry over the outputs of the
    languages this build leaves alone; then each language's own PDFs, service worker and share cards, the
    root page's assets, the screen PDFs on the site, and a .gz and a .br beside every text file."""
    paths, staging, result = plan.paths, plan.staging, plan.result
    result.warnings.extend(job_warnings(outcomes))  # what WeasyPrint warned about, printed after the build
    for name, outcome in outcomes.items():
        if name.startswith("print "):
            result.pdfs_rendered += bool(outcome.value)
            result.pdfs_reused += not outcome.value
        elif not name.startswith("cards "):
            result.sites_rendered += 1
    for filename in plan.made:
        plan.editions.record(filename, staging / "pdf" / filename, plan.project.site.edition)
        result.pdfs.append(paths.out / "pdf" / filename)
        if filename not in plan.screen_only:
            result.packs.append(paths.out / "packs" / filename[: -len(".pdf")])
    web.write_root_assets(staging / "site")
    if tuple(plan.languages) != LANGUAGES:
        carry_over(paths, plan.owned)
    for language in plan.languages:  # also for a site that was not made again: its PDFs may have changed
        lz, target = plan.web_lz[language.code], staging / "site" / language.code
        web.finish_language(lz.env, target, language, staging / "pdf", web.language_pdfs(plan.pdf_links, language))
        web.share_cards(lz.env, target, language, plan.pages[language.code], lz.plain(plan.project.site.title),
                        lz.plain(plan.project.site.board), paths.cache / "cards")
    shutil.copytree(staging / "pdf", staging / "site" / "pdf", copy_function=os.link)
    web.precompress(staging / "site", paths.cache / "compressed")


def carry_over(paths: Paths, owned: set[str]) -> None:
    """Link every published output this build does not answer for into staging, as it is."""
    for folder in ("pdf", "packs", "site", "site/offline"):
        for path in sorted((paths.out / folder).glob("*")) if (paths.out / folder).is_dir() else ():
            rel = path.relative_to(paths.out).as_posix()
            staged = paths.staging / rel
            if rel in owned or rel == "site/offline" or staged.exists():
                continue
            staged.parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir():
                shutil.copytree(path, staged, copy_function=os.link)
            else:
                os.link(path, staged)


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
    KeyStore(paths.cache / "keys", paths.staging / "keys").publish()
    Editions(paths.out / ".editions", paths.staging / "editions").publish()
    shutil.rmtree(paths.staging)
