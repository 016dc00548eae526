"""The build, stage by stage.

    load + validate   content/*.yaml, locales/*/messages.po → Project, checked translations and fonts
    plan print        Project + languages         → print HTML, the print gate, a key per product (plan.py)
    plan web          Project + 1 language        → site project per language, its key (plan.py)
    run jobs          one job per product whose key changed, the longest first, one process per core
                      (pool.py): print HTML → PDF → pack, site project → site, offline site → zip (products.py)
    finish            root and status pages, screen PDFs on the site, kept editions (publish.py)
    publish           build/.staging              → build/site, build/pdf, build/packs (publish.py)

Each product has a key, a digest of the inputs it really reads and of the package version (cache.py); a
product whose key has not changed is linked from the published output instead of being made again.
Everything is written under ``build/.staging`` first and moved into place only when every stage has
succeeded, so a failed build leaves the previous output as it was; one build at a time holds the build
folder (lock.py).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, fonts, release
from .errors import Diagnostic, Location, OutreachError
from .i18n import catalogs
from .i18n.checks import check_catalogs
from .languages import LANGUAGES, Language
from .lock import build_lock
from .model import Project
from .paths import Paths, site_url_of
from .plan import Plan, blocked_entries, contact_blanks, localizers_for, plan_print, plan_web  # noqa: F401 (API)
from .pool import Pool
from .products import source_date
from .progress import Progress
from .publish import finish, publish, staging, write_joining_pages
from .render import common, linebreak, web
from .validate import load_project


@dataclass
class BuildResult:
    pdfs: list[Path] = field(default_factory=list)
    packs: list[Path] = field(default_factory=list)
    blocked: dict[str, int] = field(default_factory=dict)  # products not printed, and how many entries block each
    languages: list[str] = field(default_factory=list)
    fallbacks: dict[str, int] = field(default_factory=dict)
    made: list[str] = field(default_factory=list)  # the jobs that ran ("print <file>", "site ko", "offline ko" …)
    pdfs_rendered: int = 0
    pdfs_reused: int = 0
    sites_rendered: int = 0
    sites_reused: int = 0
    packs_reused: int = 0
    kept: dict[str, dt.date] = field(default_factory=dict)  # screen PDFs kept from an earlier edition
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)


def build(paths: Paths, site_url: str | None = None, languages: tuple[Language, ...] = LANGUAGES,
          progress: Progress | None = None) -> BuildResult:
    """Build ``languages`` into build/; the outputs of any other language are left as they are."""
    progress = progress or Progress()
    started = time.monotonic()
    progress.stage("reading the content and the catalogs")
    cache.new_build()  # the package version, once, before the workers fork
    keep_between_builds(paths.cache)
    parsed = cache.ParsedTexts(paths.cache)
    parsed.load()
    project = load_project(paths.content)  # also makes content/languages.yaml the languages (LANGUAGES)
    overridden = bool(site_url)
    site_url = site_url_of(paths, site_url)
    unreleasable = release.check_site_url(project, site_url, paths.site_yaml, overridden)
    if unreleasable:  # the release gate, before anything is written (the build folder too)
        raise OutreachError(unreleasable)
    with build_lock(paths.out, progress):
        result = BuildResult(languages=[lang.code for lang in languages])
        check_translations(project, paths, languages, result)
        try:
            with staging(paths), source_date(project.site.edition), Pool(progress) as pool:
                plan = Plan(paths, project, site_url, languages, result, pool)
                progress.stage("rendering the print HTML")
                plan_print(plan)  # each product's job starts as soon as a worker is free
                progress.stage("generating the sites")
                plan_web(plan)
                write_joining_pages(plan)
                progress.stage("making")
                outcomes = pool.finish()
                plan.timings.save({name: outcome.seconds for name, outcome in outcomes.items()})
                progress.stage("finishing")
                finish(plan, outcomes)
        finally:
            progress.finish()
        publish(paths)
        parsed.save()
    result.seconds = time.monotonic() - started
    return result


def keep_between_builds(folder: Path) -> None:
    """What a build works out that the next one may take as it is, kept in the cache ``folder``: compiled
    templates (ours and the theme's), and print HTML with its line breaks marked. Both are keyed on all that
    makes them (a template: its source, and the environments that compile it, i.e. the package and the site
    generator; linebreak: its inputs), so a changed input is worked out anew."""
    compilers = cache.templates_key()
    common.COMPILED.folder = folder / "templates" / compilers / "ours"
    common.THEME_COMPILED.folder = folder / "templates" / compilers / "theme"
    linebreak.MARKED.folder = folder / "breaks"


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
