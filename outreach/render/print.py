"""Model + languages → print HTML (Jinja) → PDF (WeasyPrint).

Rendering is split so that the slow part is easy to share and to skip:
``*_html()`` are pure functions that return a complete HTML document;
``PdfWriter`` turns HTML into PDF in one long-lived process and keeps a
cache keyed on the HTML, so an unchanged document is not rendered again.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import importlib.metadata
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import segno
from markupsafe import Markup

from ..errors import Diagnostic, Location, OutreachError
from ..i18n.formatting import format_fact
from ..languages import LANGUAGES, SOURCE, TARGETS, Language
from ..model import Fact, Project
from .common import TEMPLATES, Localizer

PRINT_CSS = TEMPLATES / "print"
# The CMYK output intent: Ghostscript's CMYK profile, from Debian's libgs-common.
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PDF_VARIANT = "pdf/x-4"


def color_profile_rule() -> str:
    """The rule that gives the PDF its CMYK output intent.

    WeasyPrint reads it only from the document's own CSS (not from a stylesheet
    passed separately), and needs ``components``.
    """
    if not CMYK_PROFILE.exists():
        raise OutreachError(Diagnostic(
            Location(str(CMYK_PROFILE)), "the CMYK colour profile is missing", "print.profile",
            hint="run: bash scripts/setup.sh (it installs Debian's libgs-common, which has the profile)"))
    return (f'@color-profile device-cmyk {{ src: url("{CMYK_PROFILE.as_uri()}"); '
            "components: cyan, magenta, yellow, black; }")


@dataclass(frozen=True)
class PrintJob:
    """One PDF: a document in one language, or a leaflet in a pair of languages."""

    document: object
    languages: tuple[Language, ...]

    @property
    def filename(self) -> str:
        codes = "-".join(lang.code for lang in self.languages)
        return f"{self.document.kind}-{self.document.id}.{codes}.pdf"

    @property
    def web_language(self) -> Language:
        """The language whose web page the QR code leads to."""
        return self.languages[-1]

    def label(self) -> str:
        return " – ".join(lang.name for lang in self.languages)


def print_jobs(project: Project, languages=LANGUAGES) -> list[PrintJob]:
    """Every PDF: bilingual leaflets (vi + each other language), and a handbook and a handout per course
    in each language."""
    jobs = [PrintJob(doc, (SOURCE, target)) for doc in project.of_kind("leaflet") for target in TARGETS]
    for kind in ("handbook", "course"):
        jobs += [PrintJob(doc, (language,)) for doc in project.of_kind(kind) for language in LANGUAGES]
    return [job for job in jobs if all(lang in languages for lang in job.languages)]


def qr_svg(url: str) -> Markup:
    """A vector QR code (error correction M, 4-module quiet zone)."""
    svg = segno.make(url, error="m").svg_inline(border=4, omitsize=True, dark="#000")
    # 100 % K, not RGB; and no fill, which would default to RGB black
    return Markup(svg.replace('stroke="#000"', 'stroke="device-cmyk(0 0 0 1)" fill="none"'))


def edition_text(date: dt.date, language: Language) -> str:
    fact = Fact("edition", "date", date, "", "", "", None)  # type: ignore[arg-type]
    return format_fact(fact, language)


def _css(*names: str) -> Markup:
    return Markup("\n".join([color_profile_rule(), *((PRINT_CSS / name).read_text(encoding="utf-8") for name in names)]))


def _meta(project: Project, localizers: list[Localizer], document, languages) -> dict:
    titles = [lz.plain(document.title) for lz in localizers]
    return {
        "title": " / ".join(dict.fromkeys(titles)),
        "author": localizers[0].plain(project.site.board),
        "subject": " / ".join(dict.fromkeys(lz.plain(document.summary) for lz in localizers)),
        "keywords": ", ".join(lang.code for lang in languages),
        "created": project.site.edition.isoformat() + "T00:00:00Z",
    }


@dataclass(frozen=True)
class PrintSource:
    """What the PDF writer needs: the HTML, and for booklets the tails that pad them.

    A saddle-stitched booklet needs a multiple of four pages; how many notes pages go before the back
    cover depends on how many pages the body takes, which only WeasyPrint knows. ``tails[k]`` is the
    back matter with k notes pages. Plain strings, so that a source can go to another process.
    """

    html: str
    tails: tuple[str, ...] = ()

    def tail(self, body_pages: int) -> str | None:
        if not self.tails:
            return None
        return self.tails[(-(body_pages + 1)) % 4]  # body + notes + back cover = a multiple of 4


def leaflet_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    """The print HTML of one bilingual leaflet: both languages on every panel."""
    lzs = [localizers[lang.code] for lang in job.languages]
    env = lzs[0].env
    sides = []
    for index, lz in enumerate(lzs):
        sides.append(env.get_template("print/leaflet-panels.html.j2").make_module({
            "lz": lz, "_": lz.ui, "doc": job.document, "project": project, "site": project.site,
            "side": index, "edition_date": edition_text(project.site.edition, lz.language),
        }))
    html = env.get_template("print/leaflet.html.j2").render(
        sides=sides, first=lzs[0], meta=_meta(project, lzs, job.document, job.languages),
        css=_css("fonts.css", "leaflet.css"), doc=job.document, project=project, localizers=lzs,
        qr_svg=qr_svg(page_url), page_url=page_url,
    )
    return PrintSource(html)


def handbook_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    """The A5 booklet in one language; the tail adds notes pages and the back cover."""
    lz = localizers[job.languages[0].code]
    chapters = {doc.id: doc for doc in project.of_kind("chapter")}
    context = {
        "lz": lz, "_": lz.ui, "doc": job.document, "project": project, "site": project.site,
        "chapters": [chapters[c] for c in job.document.chapters], "terms": project.glossary,
        "meta": _meta(project, [lz], job.document, job.languages), "css": _css("fonts.css", "handbook.css"),
        "edition": edition_text(project.site.edition, lz.language), "page_url": page_url,
        "qr_svg": qr_svg(page_url),
    }
    template = lz.env.get_template("print/handbook.html.j2")
    tails = tuple(template.render(part="tail", notes=notes, **context) for notes in range(4))
    return PrintSource(template.render(part="main", notes=0, **context), tails)


def course_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    """The A4 handout of one course in one language, with the answer key at the end."""
    lz = localizers[job.languages[0].code]
    modules = [m for m in project.of_kind("module") if m.course == job.document.id]
    return PrintSource(lz.env.get_template("print/course.html.j2").render(
        lz=lz, _=lz.ui, doc=job.document, modules=modules, project=project, site=project.site,
        meta=_meta(project, [lz], job.document, job.languages), css=_css("fonts.css", "course.css"),
        page_url=page_url,
    ))


RENDERERS = {"leaflet": leaflet_html, "handbook": handbook_html, "course": course_html}


def print_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    return RENDERERS[job.document.kind](job, project, localizers, page_url)


PX_TO_MM = 25.4 / 96
RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def stable_document_id(path: Path, key: str) -> None:
    """WeasyPrint gives PDF/X-4 files a random XMP DocumentID; derive it from the input instead,
    so that a rebuild gives the same bytes."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        metadata = pdf.Root.get("/Metadata")
        if metadata is None:
            return
        stable = f"xmp.did:{uuid.UUID(key[:32])}".encode()
        metadata.write(RANDOM_DOCUMENT_ID.sub(stable, metadata.read_bytes()))
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]  # its first half was computed over the random id; qpdf derives a new one
        pdf.save(path, deterministic_id=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)


def _descendants(box):
    """A box and everything inside it, into absolutely positioned children too (which WeasyPrint keeps
    behind placeholders)."""
    box = getattr(box, "_box", box)
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def overflowing_panels(document) -> list[tuple[str, str]]:
    """Panels (elements with data-panel) whose text does not fit: what runs past the bottom edge, and what
    WeasyPrint left out altogether because it fell off the page."""
    from weasyprint.formatting_structure.boxes import TextBox

    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            panel = element.get("data-panel") if element is not None else None
            if not panel or getattr(box, "element_tag", None) != "div":
                continue
            box = getattr(box, "_box", box)  # absolutely positioned: the placeholder holds the box
            limit = box.content_box_y() + box.height
            inside = list(_descendants(box))
            bottom = max((child.position_y + child.margin_height() for child in inside
                          if child is not box and hasattr(child, "margin_height")), default=limit)
            written = "".join("".join(element.itertext()).split())
            laid_out = "".join("".join(child.text for child in inside if isinstance(child, TextBox)).split())
            if len(laid_out) < len(written):
                found.append((panel, f"{len(written) - len(laid_out)} characters do not fit"))
            elif bottom - limit > 0.5:
                found.append((panel, f"{(bottom - limit) * PX_TO_MM:.1f} mm too long"))
    return found


def render_pdf(source: PrintSource, target: Path, base_url: Path, key: str) -> list[tuple[str, str]]:
    """HTML → PDF/X-4 at ``target``; returns the panels whose text does not fit (and then writes nothing).
    A plain function of plain values, so that it can run in another process."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=source.html, base_url=str(base_url)).render()
    overflows = overflowing_panels(document)
    if overflows:
        return overflows
    tail = source.tail(len(document.pages))
    if tail:
        back = weasyprint.HTML(string=tail, base_url=str(base_url)).render()
        document = document.copy([*document.pages, *back.pages])
    document.write_pdf(target, pdf_variant=PDF_VARIANT)
    stable_document_id(target, key)
    return []


def pdf_key(source: PrintSource) -> str:
    """What a PDF is made from: the print HTML (and tails), the WeasyPrint that lays it out, and the package
    version (the code that finishes the file)."""
    from ..cache import code_version

    digest = hashlib.sha256()
    digest.update(importlib.metadata.version("weasyprint").encode())  # without importing it (slow)
    digest.update(code_version().encode())
    digest.update(source.html.encode("utf-8"))
    for tail in source.tails:
        digest.update(tail.encode("utf-8"))
    return digest.hexdigest()


def write_cached(source: PrintSource, target: Path, base_url: Path, cache_dir: Path | None,
                 key: str | None = None) -> tuple[list[tuple[str, str]], bool]:
    """Write one PDF, from the cache when the same HTML was rendered before. Returns the panels that do not
    fit, and whether WeasyPrint ran. A plain function of plain values, so that it can run in another
    process."""
    key = key or pdf_key(source)
    cached = cache_dir / f"{key}.pdf" if cache_dir else None
    if cached and cached.exists():
        shutil.copyfile(cached, target)
        return [], False
    overflows = render_pdf(source, target, base_url, key)
    if cached and not overflows:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        shutil.copyfile(target, tmp)
        tmp.replace(cached)
    return overflows, True


def overflow_errors(label: str, overflows: list[tuple[str, str]]) -> list[Diagnostic]:
    return [Diagnostic(Location(label), f"text does not fit panel '{panel}': {detail}", "print.overflow",
                       hint="shorten this panel's text in that language (or in Vietnamese)")
            for panel, detail in overflows]


class PdfWriter:
    """Renders HTML to PDF with WeasyPrint, many documents per process, in as many processes as the
    machine has cores; an unchanged document (same HTML, same WeasyPrint) comes from the cache."""

    def __init__(self, cache_dir: Path | None = None, processes: int | None = None):
        self.cache_dir = cache_dir
        self.processes = processes or min(2, os.cpu_count() or 1)
        self.rendered = 0
        self.reused = 0

    def key(self, source: PrintSource) -> str:
        return pdf_key(source)

    def write(self, source: PrintSource, target: Path, base_url: Path, label: str = "") -> None:
        self.write_all([(source, target, label)], base_url)

    def write_all(self, items: list[tuple[PrintSource, Path, str]], base_url: Path) -> None:
        """Write every PDF; raise one error listing every panel, in every file, whose text does not fit."""
        args = [(source, target, base_url, self.cache_dir) for source, target, _ in items]
        if len(items) > 1 and self.processes > 1:
            with concurrent.futures.ProcessPoolExecutor(self.processes) as pool:
                results = list(pool.map(write_cached, *zip(*args)))
        else:
            results = [write_cached(*a) for a in args]
        problems = []
        for (source, target, label), (overflows, rendered) in zip(items, results):
            problems += overflow_errors(label or target.name, overflows)
            self.rendered += rendered and not overflows
            self.reused += not rendered
        if problems:
            raise OutreachError(problems)
