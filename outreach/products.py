"""The jobs a build runs in its worker processes, one per product:

    printed product   print HTML → press file and tagged screen PDF → PDF/X-4, proof, preflight, manifest,
                      README, zip
    screen PDF        print HTML → tagged PDF (a kind without a press product: slides, speaker notes)
    site              generated site project → one language's site (finished by the generator's hooks:
                      sitemap, search index), its text files compressed
    offline pack      generated site project (offline) → site → with the language's PDFs → zip
    share cards       the pages of one language → one 1200×630 image each, in the cache

Each is a plain function of plain values (paths, strings, model records, language codes), so that it can
run in another process; languages travel as codes because a ``Language`` is compared by identity.
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

from . import kinds, pack
from .languages import get
from .pool import Done
from .render import print as print_render
from .render import web
from .render.common import environment


@contextlib.contextmanager
def source_date(edition: dt.date):
    """Dates written into the output come from the edition, so rebuilds are byte-identical (the workers,
    forked, inherit it; ``_source_date`` sets it in a worker that was not)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if saved is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(edition.timetuple()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _source_date(epoch: int) -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))


def printed_product(source: print_render.PrintSource, press: Path, screen: Path, base_url: Path,
                    cache_dir: Path, key: str, label: str, document, codes: tuple[str, ...],
                    titles: dict[str, str], version: str, state: str, edition: dt.date, blanks: tuple[str, ...],
                    epoch: int) -> Done:
    """The press file of one product and its tagged screen PDF (one layout), then its pack, in the same
    process. Returns whether WeasyPrint ran, with what it warned about; raises the problems of the layout
    (panels that do not fit, short last pages), the fonts that are not embedded, or the preflight's errors."""
    from . import fonts
    from .errors import OutreachError

    _source_date(epoch)
    press.parent.mkdir(parents=True, exist_ok=True)
    problems, rendered, warned = print_render.write_cached(source, press, base_url, cache_dir, key, screen=screen)
    if problems:
        raise OutreachError(print_render.layout_diagnostics(source, label, problems))
    product = kinds.of(document).press
    languages = tuple(get(code) for code in codes)
    readme = environment().get_template("pack/README.txt.j2")
    folder = f"build/packs/{press.parent.name}"
    with print_render.weasyprint_warnings() as proof_warned:  # the proof's labels are laid out by WeasyPrint too
        report = pack.make_pack(product, document, languages, titles, press, version, state, readme, edition,
                                blanks)
    failed = fonts.check_embedded(press, languages, f"{folder}/{press.name}")
    # the preflight names a file of the pack (the press file, its proof) and its page
    failed += [dataclasses.replace(d, location=dataclasses.replace(d.location, path=f"{folder}/{d.location.path}"),
                                   hint="see preflight.txt in the pack") for d in report.errors]
    if failed:
        raise OutreachError(failed)
    warnings = print_render.weasyprint_diagnostics(source.origin or label, warned)
    warnings += print_render.weasyprint_diagnostics(f"{folder}/{press.parent.name}.proof.pdf", proof_warned)
    return Done(rendered, tuple(warnings))


def screen_pdf(source: print_render.PrintSource, screen: Path, base_url: Path, cache_dir: Path, key: str,
               label: str, codes: tuple[str, ...], epoch: int) -> Done:
    """The tagged PDF of a kind without a press product (slides): no press file, no pack. Returns whether
    WeasyPrint ran, with what it warned about; raises the problems of the layout, or the fonts that are not
    embedded."""
    from . import fonts
    from .errors import OutreachError

    _source_date(epoch)
    problems, rendered, warned = print_render.write_cached(source, None, base_url, cache_dir, key, screen=screen)
    if problems:
        raise OutreachError(print_render.layout_diagnostics(source, label, problems))
    failed = fonts.check_embedded(screen, tuple(get(code) for code in codes), f"build/pdf/{screen.name}")
    if failed:
        raise OutreachError(failed)
    return Done(rendered, tuple(print_render.weasyprint_diagnostics(source.origin or label, warned)))


def site(config_file: Path, code: str, target: Path, epoch: int, compressed: Path) -> None:
    """One language's site, and the .gz and .br of its text files (into the cache, so that the build's last
    step finds them made)."""
    _source_date(epoch)
    if target.exists():
        shutil.rmtree(target)
    web.build_site(config_file, get(code))
    web.precompress(target, compressed, processes=1)


def offline_pack(config_file: Path, code: str, folder: Path, pdfs: list[tuple[Path, str]], zipped: Path,
                 edition: dt.date, epoch: int) -> None:
    """One language's site for reading from the file system, with its PDFs, zipped."""
    _source_date(epoch)
    if folder.exists():
        shutil.rmtree(folder)
    web.build_site(config_file, get(code))
    for pdf, href in pdfs:
        (folder / href).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, folder / href)
    pack.write_tree_zip(folder, zipped, edition)


def share_cards(code: str, pages: list, site: str, board: str, cache: Path, scratch: Path) -> Done:
    """The share cards of one language's pages, made into the cache (the build links them into the site), with
    what WeasyPrint warned about while it laid them out."""
    from .errors import display_path

    with print_render.weasyprint_warnings() as warned:
        web.share_cards(environment(), scratch, get(code), pages, site, board, cache)
    return Done(None, tuple(print_render.weasyprint_diagnostics(display_path(web.TEMPLATES / "web/card.html.j2"),
                                                                warned)))
