"""The PDFs that are read on screen only: the kinds without a press product (slides and their speaker notes,
lecturer slides). Tagged PDF/UA, no bleed, no printer pack; published beside the other PDFs in build/pdf/ and
linked from the document's page.

One call from the build (``write_screen_pdfs``), after the press products and before the site, which links
what this adds to ``pdf_links``.
"""

from __future__ import annotations

from .errors import Diagnostic, OutreachError
from . import fonts
from .render import print as print_render
from .render import web


def write_screen_pdfs(project, paths, localizers, writer, pdf_links: dict, site_url: str, languages,
                      result) -> None:
    """Render every screen-only PDF into build/.staging/pdf, as the press products are: a language whose
    texts are not all translated blocks the product in that language (a warning), a font not embedded stops
    the build."""
    from .build import blocked_entries

    made = []
    for job in print_render.print_jobs(project, languages, press=False):
        page_url = f"{site_url}{job.web_language.code}/{web.page_url(web.page_path(job.document))}"
        for lang in job.languages:
            localizers[lang.code].fallbacks.clear()
            localizers[lang.code].missing_ui.clear()
        source = print_render.print_html(job, project, localizers, page_url)
        blocking = blocked_entries(job, localizers, paths)
        if blocking:
            result.blocked[job.filename] = len(blocking)
            result.warnings.extend(blocking)
            continue
        made.append((job, source))
    writer.write_all([(source, None, paths.staging / "pdf" / job.filename,
                       f"{job.filename} ({'+'.join(lang.code for lang in job.languages)})")
                      for job, source in made], paths.root)
    failed: list[Diagnostic] = []
    for job, _ in made:
        failed += fonts.check_embedded(paths.staging / "pdf" / job.filename, job.languages,
                                       f"build/pdf/{job.filename}")
        result.pdfs.append(paths.out / "pdf" / job.filename)
        pdf_links.setdefault(job.link_key, []).append(
            web.PdfLink(f"pdf/{job.filename}", job.label(), job.languages))
    if failed:
        raise OutreachError(failed)
