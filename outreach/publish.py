"""After the jobs: the finishing steps, in the main process, and the move of the staged output into place.

    staging              a fresh build/.staging, removed again when the build fails
    write_joining_pages  the root page that sends a reader to a language, and the translation status
    finish               what was made, the kept editions, the outputs of the languages this build leaves
                         alone; each language's PDFs, service worker and share cards; the screen PDFs on the
                         site; a .gz and a .br beside every text file
    publish              build/.staging → build/site, build/pdf, build/packs, with their keys and editions

A file the finishing steps write again with the bytes it had is kept as it was published (the same file, its
time unchanged), so a build that changes nothing changes no file in build/.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
from typing import TYPE_CHECKING

from .cache import KeyStore, model_version
from .editions import Editions
from .languages import LANGUAGES
from .paths import Paths
from .plan import localizers_for
from .pool import job_warnings
from .render import web

if TYPE_CHECKING:
    from .plan import Plan

PRODUCTS = ("site", "pdf", "packs")


@contextlib.contextmanager
def staging(paths: Paths):
    """Everything is written under build/.staging; a failed or interrupted build removes it, and leaves the
    published output as it was."""
    if paths.staging.exists():
        shutil.rmtree(paths.staging)
    (paths.staging / "pdf").mkdir(parents=True)
    try:
        yield paths.staging
    except BaseException:
        shutil.rmtree(paths.staging, ignore_errors=True)
        raise


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
    result.made = sorted(outcomes)
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
    keep_unchanged(paths)


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


def keep_unchanged(paths: Paths) -> None:
    """Put the published file in the place of a staged one written anew with the same bytes."""
    for name in PRODUCTS:
        for folder, _, files in os.walk(paths.staging / name):
            for file in files:
                staged = os.path.join(folder, file)
                published = paths.out / os.path.relpath(staged, paths.staging)
                if os.stat(staged).st_nlink == 1 and published.is_file() \
                        and filecmp.cmp(staged, published, shallow=False):
                    os.unlink(staged)
                    os.link(published, staged)


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
