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
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import products
from .cache import KeyStore, Timings, code_version, content_version, digest, model_version, tool_versions, tree
from .editions import Editions
from .errors import Diagnostic, Location, OutreachError
from .i18n import catalogs
from .i18n.checks import check_catalogs
from .i18n.translate import Translator
from .languages import LANGUAGES, Language
from .lock import build_lock
from .model import Project
from .pool import Job, Pool
from .progress import Progress
from .render import print as print_render
from .render import web
from .render.common import TEMPLATES, Localizer, environment
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
    kept: dict[str, dt.date] = field(default_factory=dict)  # screen PDFs kept from an earlier edition
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


def localizers_for(project: Project, paths: Paths, languages=LANGUAGES, for_print=False) -> dict[str, Localizer]:
    env = environment()
    return {lang.code: Localizer(Translator.load(lang, paths.locales, project.facts), env, for_print=for_print)
            for lang in languages}


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
    with build_lock(paths.out, progress):
        progress.stage("reading the content and the catalogs")
        project = load_project(paths.content)
        site_url = site_url_of(paths, site_url)
        result = BuildResult(languages=[lang.code for lang in languages])
        check_translations(project, paths, languages, result)
        staging = paths.staging
        if staging.exists():
            shutil.rmtree(staging)
        (staging / "pdf").mkdir(parents=True)
        try:
            with source_date(project.site.edition), Pool() as pool:
                plan = Plan(paths, project, site_url, languages, result)
                progress.stage("rendering the print HTML")
                plan_print(plan)
                progress.stage("generating the sites")
                plan_web(plan)
                progress.stage("making")
                outcomes = pool.run(plan.jobs, progress)
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
    """Stale catalogs are a warning; a broken translation stops the build before anything is written."""
    warning = stale_catalog_warning(project, paths)
    if warning:
        result.warnings.append(warning)
    findings = check_catalogs(project, paths.locales, [lang for lang in languages if not lang.is_source])
    if any(f.severity == "error" for f in findings):
        raise OutreachError(findings)
    result.warnings.extend(findings)


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


class Plan:
    """What this build makes: the jobs for the pool, and what the finishing steps need to know."""

    def __init__(self, paths: Paths, project: Project, site_url: str, languages, result: BuildResult):
        self.paths, self.project, self.site_url, self.languages, self.result = \
            paths, project, site_url, languages, result
        self.staging = paths.staging
        self.epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        self.keys = KeyStore(paths.cache / "keys", paths.staging / "keys")
        self.editions = Editions(paths.out / ".editions", paths.staging / "editions")
        self.timings = Timings(paths.cache / "timings.json")
        self.jobs: list[Job] = []
        self.pdf_links: dict[str, list[web.PdfLink]] = {}
        self.pdf_keys: dict[str, str] = {}  # file name → key, for the packs that contain the PDF
        self.print_jobs: dict[str, str] = {}  # file name → the job that makes it
        self.made: list[str] = []  # complete screen PDFs (new or unchanged)
        self.owned: set[str] = {"site/index.html", "site/status", "site/pdf"}  # outputs this build answers for
        self.web_lz: dict[str, Localizer] = {}

    def add(self, name: str, stage: str, func, args: tuple, estimate: float, after=()) -> None:
        self.jobs.append(Job(name, stage, func, args, self.timings.get(name, estimate), tuple(after)))


def plan_print(plan: Plan) -> None:
    """The print HTML of every product; a job for each one whose inputs changed, the gate for the others."""
    project, paths, staging = plan.project, plan.paths, plan.staging
    print_lz = localizers_for(project, paths, plan.languages, for_print=True)
    readme = TEMPLATES / "pack" / "README.txt.j2"
    for job in print_render.print_jobs(project, LANGUAGES):
        stem = job.filename[: -len(".pdf")]
        links = plan.pdf_links.setdefault(f"{job.document.kind}.{job.document.id}", [])
        if not all(lang in plan.languages for lang in job.languages):
            link_published(plan, job, links)  # another language's product, left as it is
            continue
        plan.owned |= {f"pdf/{job.filename}", f"packs/{stem}", f"packs/{stem}.zip"}
        page_url = f"{plan.site_url}{job.web_language.code}/{web.page_url(web.page_path(job.document))}"
        for lang in job.languages:
            print_lz[lang.code].fallbacks.clear()
            print_lz[lang.code].missing_ui.clear()
        source = print_render.print_html(job, project, print_lz, page_url)
        blocking = blocked_entries(job, print_lz, paths)
        if blocking:  # the gate: a product is printed in a language only when that language is complete
            plan.result.blocked[job.filename] = len(blocking)
            plan.result.warnings.extend(blocking)
            kept = plan.editions.kept(job.filename)
            if kept:  # readers keep the last complete edition of the screen PDF meanwhile
                plan.editions.link_kept(job.filename, staging / "pdf" / job.filename)
                plan.pdf_keys[job.filename] = digest("kept", kept, plan.editions.folder / job.filename)
                plan.result.kept[job.filename] = kept
                links.append(web.PdfLink(f"pdf/{job.filename}", job.label(), job.languages, kept=kept))
            continue
        titles = {lang.code: print_lz[lang.code].plain(job.document.title) for lang in job.languages}
        state = project.state(job.document)
        version = content_version(project.site.edition, source.html, *source.tails)
        pdf = print_render.pdf_key(source)
        key = digest(code_version(), tool_versions(), pdf, state, json.dumps(titles, sort_keys=True), version,
                     readme, job.document.kind)
        plan.pdf_keys[job.filename] = key
        plan.made.append(job.filename)
        links.append(web.PdfLink(f"pdf/{job.filename}", job.label(), job.languages))
        if plan.keys.record(f"pack-{stem}", key) and reuse_pack(paths, stem, job.filename):
            plan.result.packs_reused += 1
            plan.result.pdfs_reused += 1
            continue
        press = staging / "packs" / stem / f"{stem}.press.pdf"
        label = f"{job.filename} ({'+'.join(lang.code for lang in job.languages)})"
        plan.print_jobs[job.filename] = f"print {stem}"
        plan.add(f"print {stem}", "print", products.printed_product,
                 (source, press, staging / "pdf" / job.filename, paths.root, paths.cache / "pdf", pdf, label,
                  job.document, tuple(lang.code for lang in job.languages), titles, version, state,
                  project.site.edition, plan.epoch),
                 estimate=(len(source.html) + sum(map(len, source.tails))) / 40_000)


def link_published(plan: Plan, job, links: list) -> None:
    """The link to a product this build does not make, as published: made, kept, or not there."""
    stem = job.filename[: -len(".pdf")]
    if (plan.paths.out / "pdf" / job.filename).exists():
        kept = None if (plan.paths.out / "packs" / stem).is_dir() else plan.editions.kept(job.filename)
        links.append(web.PdfLink(f"pdf/{job.filename}", job.label(), job.languages, kept=kept))


def reuse_pack(paths: Paths, stem: str, filename: str) -> bool:
    """Link the published pack and screen copy into staging (they passed preflight when they were made)."""
    published, zipped = paths.out / "packs" / stem, paths.out / "packs" / f"{stem}.zip"
    screen = paths.out / "pdf" / filename
    if not (published.is_dir() and zipped.exists() and screen.exists()):
        return False
    shutil.copytree(published, paths.staging / "packs" / stem, copy_function=os.link)
    os.link(zipped, paths.staging / "packs" / zipped.name)
    os.link(screen, paths.staging / "pdf" / filename)
    return True


def plan_web(plan: Plan) -> None:
    """Each language's mkdocs project, and its offline pack's; a job for each one whose inputs changed."""
    project, paths, staging = plan.project, plan.paths, plan.staging
    web_lz = localizers_for(project, paths, plan.languages)
    (staging / "site" / "offline").mkdir(parents=True)
    for language in plan.languages:
        lz = web_lz[language.code]
        code = language.code
        name = f"outreach-{code}"
        plan.owned |= {f"site/{code}", f"site/offline/{name}.zip"}
        pages = web.render_pages(project, lz, plan.pdf_links, offline_pack=f"offline/{name}.zip")
        work, target = paths.work / "web" / code, staging / "site" / code
        config = write_project(plan, lz, pages, work, target, offline=False)
        key = site_key(plan, work, web.TEMPLATES / "web" / "sw.js.j2")
        if not reuse_output(plan, f"site-{code}", key, f"site/{code}"):
            plan.add(f"site {code}", "site", products.site, (config, code, target, plan.site_url, plan.epoch),
                     estimate=0.05 * len(pages))

        # the pack carries this language's own PDFs (for Vietnamese: the Vietnamese handbook and handouts)
        own = {key: [link for link in links if link.languages[-1] is language]
               for key, links in plan.pdf_links.items()}
        pdfs = sorted({link.href[len("pdf/"):] for links in own.values() for link in links})
        offline_pages = web.render_pages(project, lz, own, urls=web.OFFLINE)
        work = paths.work / "offline" / code
        config = write_project(plan, lz, offline_pages, work, work / name, offline=True)
        key = site_key(plan, work, web.IFRAME_WORKER, *[plan.pdf_keys[pdf] for pdf in pdfs])
        if not reuse_output(plan, f"offline-{code}", key, f"site/offline/{name}.zip"):
            plan.add(f"offline {code}", "offline", products.offline_pack,
                     (config, code, work / name, [(staging / "pdf" / pdf, f"pdf/{pdf}") for pdf in pdfs],
                      staging / "site" / "offline" / f"{name}.zip", project.site.edition, plan.epoch),
                     estimate=0.08 * len(pages), after=[plan.print_jobs[pdf] for pdf in pdfs if pdf in plan.print_jobs])
        plan.result.fallbacks[code] = len({text.context for text, _ in lz.fallbacks})
    plan.web_lz = web_lz


def write_project(plan: Plan, lz: Localizer, pages, work: Path, target: Path, offline: bool) -> Path:
    """One mkdocs project: the Markdown pages and a configuration that inherits mkdocs.yml."""
    web.write_docs(work / "docs", pages, lz.language)
    config = web.site_config(plan.project, lz, pages, plan.paths.mkdocs_yml.resolve(), plan.site_url,
                             (work / "docs").resolve(), target.resolve(), offline=offline)
    config_file = work / "mkdocs.yml"
    config_file.write_text(web.dump_config(config), encoding="utf-8")
    return config_file


def site_key(plan: Plan, work: Path, *more) -> str:
    """What one mkdocs build reads: its generated docs and configuration, the base configuration (parsed:
    comments do not count), the theme overrides; and what finishes the site after mkdocs."""
    return digest(code_version(), tool_versions(), plan.epoch, yaml_data(plan.paths.mkdocs_yml),
                  work / "mkdocs.yml", *tree(work / "docs"), *tree(web.OVERRIDES), *more)


def reuse_output(plan: Plan, name: str, key: str, path: str) -> bool:
    """Link a published output into staging when it was made from the same inputs."""
    published = plan.paths.out / path
    if not (plan.keys.record(name, key) and published.exists()):
        return False
    staged = plan.staging / path
    if published.is_dir():
        shutil.copytree(published, staged, copy_function=os.link)
    else:
        os.link(published, staged)
    plan.result.sites_reused += 1
    return True


def finish(plan: Plan, outcomes) -> None:
    """Count what was made, keep the complete screen PDFs as editions, write the pages that join the
    languages, and carry over the outputs of the languages this build leaves alone."""
    paths, staging, result = plan.paths, plan.staging, plan.result
    for name, outcome in outcomes.items():
        if name.startswith("print "):
            result.pdfs_rendered += bool(outcome.value)
            result.pdfs_reused += not outcome.value
        else:
            result.sites_rendered += 1
    for filename in plan.made:
        plan.editions.record(filename, staging / "pdf" / filename, plan.project.site.edition)
        result.pdfs.append(paths.out / "pdf" / filename)
        result.packs.append(paths.out / "packs" / filename[: -len(".pdf")])
    everyone = {**localizers_for(plan.project, paths, [l for l in LANGUAGES if l not in plan.languages]),
                **plan.web_lz}
    env = plan.web_lz[plan.languages[0].code].env
    (staging / "site" / "status").mkdir(parents=True)
    (staging / "site" / "status" / "index.html").write_text(
        web.render_status(env, plan.project, paths.locales, model_version(plan.project)), encoding="utf-8")
    (staging / "site" / "index.html").write_text(
        web.render_root(env, plan.project, {lang.code: everyone[lang.code] for lang in LANGUAGES}, plan.site_url),
        encoding="utf-8")
    if tuple(plan.languages) != LANGUAGES:
        carry_over(paths, plan.owned)
    shutil.copytree(staging / "pdf", staging / "site" / "pdf", copy_function=os.link)


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


class _Tagged(yaml.SafeLoader):
    """Reads a YAML file as data, its tags kept as data too (for a key: comments and spacing drop out)."""


_Tagged.add_multi_constructor("", lambda loader, tag, node: [tag, loader.construct_object(node, deep=True)
                                                             if not isinstance(node, yaml.MappingNode)
                                                             else loader.construct_mapping(node, deep=True)])


def yaml_data(path: Path) -> str:
    with open(path, encoding="utf-8") as handle:
        return json.dumps(yaml.load(handle, Loader=_Tagged), sort_keys=True, default=str, ensure_ascii=False)


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
