"""What a build makes: for each product, its key, and a job when the key has changed.

    plan_print   every printed product: its print HTML, the print gate (a product is printed in a language
                 only when that language is complete; meanwhile readers keep its last complete edition),
                 its key, and a job (PDF, then pack) unless the published pack has the same key; the same
                 for the screen PDFs of the kinds without a press product (kinds.py: ``press=None``), whose
                 job makes the tagged PDF only
    plan_web     every language: its site project and its offline pack's, their keys, and a job for each
                 one whose key changed

The keys are computed in cache.py. A product whose key has not changed is linked into staging from the
published output. The jobs run in the pool (pool.py); what they do is in products.py.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, kinds, products
from .cache import KeyStore, Timings, content_version
from .editions import Editions
from .errors import Diagnostic, Location
from .i18n import catalogs
from .i18n.translate import Translator
from .languages import LANGUAGES
from .model import Project
from .pool import Job, Pool
from .render import print as print_render
from .render import web
from .render.common import TEMPLATES, Localizer, environment

if TYPE_CHECKING:
    from .build import BuildResult, Paths


def localizers_for(project: Project, paths: Paths, languages=LANGUAGES) -> dict[str, Localizer]:
    env = environment()
    return {lang.code: Localizer(Translator.load(lang, paths.locales, project.facts, project.bodies), env)
            for lang in languages}


def contact_blanks(localizers: dict[str, Localizer]) -> tuple[str, ...]:
    """What print shows, in each language, where a contact detail is missing (the release gate looks for it)."""
    blank = next(iter(localizers.values())).env.get_template("contacts.j2").module.blank
    return tuple(dict.fromkeys(lz.ui(blank) for lz in localizers.values()))


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


def pdf_link(job, kept=None) -> web.PdfLink:
    """How the pages link to a PDF; its kind says whether a reader who keeps the language keeps it too."""
    return web.PdfLink(f"pdf/{job.filename}", job.label(), job.languages, kept=kept,
                       offline=kinds.of(job.document).kept_offline)


GATED = "gated"  # the key of a screen-only PDF that was not made (its kept edition, if any, is published)


class Plan:
    """What this build makes: the jobs for the pool, and what the finishing steps need to know."""

    def __init__(self, paths: Paths, project: Project, site_url: str, languages, result: BuildResult,
                 pool: Pool):
        self.paths, self.project, self.site_url, self.languages, self.result, self.pool = \
            paths, project, site_url, languages, result, pool
        self.staging = paths.staging
        self.epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        self.keys = KeyStore(paths.cache / "keys", paths.staging / "keys")
        self.editions = Editions(paths.out / ".editions", paths.staging / "editions")
        self.timings = Timings(paths.cache / "timings.json")
        self.pdf_links: dict[str, list[web.PdfLink]] = {}
        self.pdf_keys: dict[str, str] = {}  # file name → the key of its screen PDF, for the offline packs
        self.print_jobs: dict[str, str] = {}  # file name → the job that makes it
        self.made: list[str] = []  # complete screen PDFs (new or unchanged)
        self.screen_only: set[str] = set()  # those of them that have no press file and no pack
        self.owned: set[str] = {"site/index.html", "site/status", "site/pdf"}  # outputs this build answers for
        self.web_lz: dict[str, Localizer] = {}
        self.pages: dict[str, list[web.Page]] = {}  # each language's site pages

    def job(self, name: str, stage: str, func, args: tuple, estimate: float, after=()) -> Job:
        return Job(name, stage, func, args, self.timings.get(name, estimate), tuple(after))

    def add(self, *jobs: Job) -> None:
        """Give jobs to the pool, the longest first: as many as there are workers start at once."""
        for job in sorted(jobs, key=lambda job: -job.cost):
            self.pool.add(job)


def plan_print(plan: Plan) -> None:
    """The print HTML of every product; a job for each one whose inputs changed, the gate for the others."""
    project, paths, staging = plan.project, plan.paths, plan.staging
    print_lz = localizers_for(project, paths, plan.languages)
    readme = TEMPLATES / "pack" / "README.txt.j2"
    # what stands in for missing contacts; preflight fails a press file that is not a draft and prints it
    blanks = contact_blanks(print_lz) if project.contacts.missing else ()
    jobs = []
    every = print_render.print_jobs(project, LANGUAGES) + print_render.print_jobs(project, LANGUAGES, press=False)
    for job in every:
        stem = job.filename[: -len(".pdf")]
        press_product = kinds.of(job.document).press
        links = plan.pdf_links.setdefault(job.link_key, [])
        if not all(lang in plan.languages for lang in job.languages):
            link_published(plan, job, links)  # another language's product, left as it is
            continue
        plan.owned |= {f"pdf/{job.filename}", f"packs/{stem}", f"packs/{stem}.zip"} if press_product \
            else {f"pdf/{job.filename}"}
        page_url = f"{plan.site_url}{job.web_language.code}/{web.page_url(web.page_path(job.document))}"
        for lang in job.languages:
            print_lz[lang.code].fallbacks.clear()
            print_lz[lang.code].missing_ui.clear()
        source = print_render.print_html(job, project, print_lz, page_url)
        blocking = blocked_entries(job, print_lz, paths)
        if blocking:  # the gate: a product is printed in a language only when that language is complete
            plan.result.blocked[job.filename] = len(blocking)
            plan.result.warnings.extend(blocking)
            if press_product is None:  # no pack tells a kept edition from a made one: its key does
                plan.keys.record(f"pdf-{stem}", GATED)
            kept = plan.editions.kept(job.filename)
            if kept:  # readers keep the last complete edition of the screen PDF meanwhile
                plan.editions.link_kept(job.filename, staging / "pdf" / job.filename)
                plan.pdf_keys[job.filename] = cache.kept_key(kept, plan.editions.folder / job.filename)
                plan.result.kept[job.filename] = kept
                links.append(pdf_link(job, kept))
            continue
        source = dataclasses.replace(source, fit_keys=cache.fit_keys(source, job.languages))
        if press_product is None:
            jobs.append(plan_screen(plan, job, source, links))
            continue
        titles = {lang.code: print_lz[lang.code].plain(job.document.title) for lang in job.languages}
        state = project.state(job.document)
        version = content_version(project.site.edition, source.html, *source.tails)
        pdf = cache.pdf_key(source, job.languages)
        key = cache.pack_key(pdf, state, titles, version, readme, job.document.kind, blanks)
        plan.pdf_keys[job.filename] = pdf
        plan.made.append(job.filename)
        links.append(pdf_link(job))
        if plan.keys.record(f"pack-{stem}", key) and reuse_pack(paths, stem, job.filename):
            plan.result.packs_reused += 1
            plan.result.pdfs_reused += 1
            continue
        plan.pool.start()  # the workers' imports overlap the rest of the print HTML
        press = staging / "packs" / stem / f"{stem}.press.pdf"
        label = f"{job.filename} ({'+'.join(lang.code for lang in job.languages)})"
        plan.print_jobs[job.filename] = f"print {stem}"
        args = (source, press, staging / "pdf" / job.filename, paths.root, paths.cache / "pdf", pdf, label,
                job.document, tuple(lang.code for lang in job.languages), titles, version, state,
                project.site.edition, blanks, plan.epoch)
        size = len(source.html) + sum(map(len, source.tails))
        jobs.append(plan.job(f"print {stem}", "print", products.printed_product, args, estimate=size / 40_000))
    plan.add(*(job for job in jobs if job))  # all at once (the HTML takes less time than the workers' imports)


def plan_screen(plan: Plan, job, source, links: list) -> Job | None:
    """A screen PDF of a kind without a press product: keyed on what the PDF is made from, linked from the
    published output when that has not changed, else a job that makes the tagged PDF (no press file, no
    pack)."""
    stem, paths = job.filename[: -len(".pdf")], plan.paths
    pdf = plan.pdf_keys[job.filename] = cache.pdf_key(source, job.languages)
    plan.made.append(job.filename)
    plan.screen_only.add(job.filename)
    links.append(pdf_link(job))
    published = paths.out / "pdf" / job.filename
    if plan.keys.record(f"pdf-{stem}", pdf) and published.exists():
        os.link(published, plan.staging / "pdf" / job.filename)
        plan.result.pdfs_reused += 1
        return None
    plan.pool.start()  # the workers' imports overlap the rest of the print HTML
    label = f"{job.filename} ({'+'.join(lang.code for lang in job.languages)})"
    plan.print_jobs[job.filename] = f"print {stem}"
    args = (source, plan.staging / "pdf" / job.filename, paths.root, paths.cache / "pdf", pdf, label,
            tuple(lang.code for lang in job.languages), plan.epoch)
    size = len(source.html) + sum(map(len, source.tails))
    return plan.job(f"print {stem}", "print", products.screen_pdf, args, estimate=size / 40_000)


def link_published(plan: Plan, job, links: list) -> None:
    """The link to a product this build does not make, as published: made, kept, or not there."""
    stem = job.filename[: -len(".pdf")]
    if (plan.paths.out / "pdf" / job.filename).exists():
        if kinds.of(job.document).press:
            complete = (plan.paths.out / "packs" / stem).is_dir()
        else:
            key = plan.paths.cache / "keys" / f"pdf-{stem}.key"
            complete = key.exists() and key.read_text() != GATED
        kept = None if complete else plan.editions.kept(job.filename)
        links.append(pdf_link(job, kept))


def reuse_pack(paths: Paths, stem: str, filename: str) -> bool:
    """Link the published pack and screen PDF into staging (they passed preflight when they were made)."""
    published, zipped = paths.out / "packs" / stem, paths.out / "packs" / f"{stem}.zip"
    screen = paths.out / "pdf" / filename
    if not (published.is_dir() and zipped.exists() and screen.exists()):
        return False
    shutil.copytree(published, paths.staging / "packs" / stem, copy_function=os.link)
    os.link(zipped, paths.staging / "packs" / zipped.name)
    os.link(screen, paths.staging / "pdf" / filename)
    return True


def plan_web(plan: Plan) -> None:
    """Each language's site project, and its offline pack's; a job for each one whose inputs changed."""
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
        key = cache.site_key(web.base_config(paths.root), work, web.OVERRIDES, plan.epoch)
        plan.pages[code] = pages
        if not reuse_output(plan, f"site-{code}", key, f"site/{code}"):
            args = (config, code, target, plan.epoch, paths.cache / "compressed")
            plan.add(plan.job(f"site {code}", "site", products.site, args, estimate=0.05 * len(pages)))
            # the share cards of the pages (kept by what they show; finish links them into the site)
            args = (code, pages, lz.plain(project.site.title), lz.plain(project.site.board), paths.cache / "cards",
                    paths.work / "cards" / code)
            plan.add(plan.job(f"cards {code}", "cards", products.share_cards, args, estimate=0.02 * len(pages)))

        # the pack carries this language's own PDFs (for Vietnamese: the Vietnamese handbook and handouts)
        own = {key: [link for link in links if link.languages[-1] is language]
               for key, links in plan.pdf_links.items()}
        pdfs = sorted({link.href[len("pdf/"):] for links in own.values() for link in links})
        offline_pages = web.render_pages(project, lz, own, urls=web.OFFLINE)
        work = paths.work / "offline" / code
        config = write_project(plan, lz, offline_pages, work, work / name, offline=True)
        site_key = cache.site_key(web.base_config(paths.root), work, web.OVERRIDES, plan.epoch, web.IFRAME_WORKER)
        key = cache.offline_key(site_key, {pdf: plan.pdf_keys[pdf] for pdf in pdfs})
        if not reuse_output(plan, f"offline-{code}", key, f"site/offline/{name}.zip"):
            args = (config, code, work / name, [(staging / "pdf" / pdf, f"pdf/{pdf}") for pdf in pdfs],
                    staging / "site" / "offline" / f"{name}.zip", project.site.edition, plan.epoch)
            after = [plan.print_jobs[pdf] for pdf in pdfs if pdf in plan.print_jobs]
            plan.add(plan.job(f"offline {code}", "offline", products.offline_pack, args,
                              estimate=0.08 * len(pages), after=after))
        plan.result.fallbacks[code] = len({text.context for text, _ in lz.fallbacks})
    plan.web_lz = web_lz


def write_project(plan: Plan, lz: Localizer, pages, work: Path, target: Path, offline: bool) -> Path:
    """One site project: the Markdown pages and a configuration that inherits the project's."""
    config = web.site_config(plan.project, lz, pages, plan.paths.root, plan.site_url, work, target, offline=offline)
    return web.write_project(work, config, pages, lz.language)


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
