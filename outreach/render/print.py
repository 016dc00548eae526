"""Model + languages → print HTML (Jinja) → PDF (WeasyPrint).

Rendering is split so that the slow part is easy to share and to skip:
``*_html()`` are pure functions that return a complete HTML document;
``PdfWriter`` turns HTML into PDF in one long-lived process and keeps a
cache keyed on the HTML, so an unchanged document is not rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import Markup

from ..errors import Diagnostic, Location, OutreachError
from ..i18n.formatting import format_fact
from ..languages import SOURCE, TARGETS, Language
from ..model import Fact, Leaflet, Project
from .common import TEMPLATES, Localizer

PRINT_CSS = TEMPLATES / "print"


@dataclass(frozen=True)
class PrintJob:
    document: Leaflet
    languages: tuple[Language, ...]

    @property
    def filename(self) -> str:
        codes = "-".join(lang.code for lang in self.languages)
        return f"{self.document.kind}-{self.document.id}.{codes}.pdf"

    def label(self) -> str:
        return " – ".join(lang.name for lang in self.languages)


def leaflet_jobs(project: Project) -> list[PrintJob]:
    """One bilingual leaflet per target language: vi+en, vi+ko, vi+zh-Hans, vi+ja."""
    return [PrintJob(doc, (SOURCE, target)) for doc in project.of_kind("leaflet") for target in TARGETS]


def qr_svg(url: str) -> Markup:
    """A vector QR code (error correction M, 4-module quiet zone)."""
    return Markup(segno.make(url, error="m").svg_inline(border=4, omitsize=True, dark="#000"))


def edition_text(date: dt.date, language: Language) -> str:
    fact = Fact("edition", "date", date, "", "", "", None)  # type: ignore[arg-type]
    return format_fact(fact, language)


def leaflet_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> str:
    """The print HTML of one bilingual leaflet: both languages on every panel."""
    first = localizers[job.languages[0].code]
    env = first.env
    sides = []
    for index, language in enumerate(job.languages):
        lz = localizers[language.code]
        sides.append(env.get_template("print/leaflet-panels.html.j2").make_module({
            "lz": lz, "_": lz.ui, "doc": job.document, "project": project, "site": project.site,
            "side": index, "edition_date": edition_text(project.site.edition, language),
        }))
    titles = [localizers[lang.code].plain(job.document.title) for lang in job.languages]
    meta = {
        "title": " / ".join(dict.fromkeys(titles)),
        "author": first.plain(project.site.board),
        "subject": " / ".join(dict.fromkeys(localizers[lang.code].plain(job.document.summary)
                                            for lang in job.languages)),
        "keywords": ", ".join(lang.code for lang in job.languages),
        "created": project.site.edition.isoformat() + "T00:00:00Z",
    }
    css = (PRINT_CSS / "leaflet.css").read_text(encoding="utf-8")
    return env.get_template("print/leaflet.html.j2").render(
        sides=sides, first=first, meta=meta, css=Markup(css), doc=job.document, project=project,
        localizers=[localizers[lang.code] for lang in job.languages],
        qr_svg=qr_svg(page_url), page_url=page_url,
    )


PX_TO_MM = 25.4 / 96


def overflowing_panels(document) -> list[tuple[str, float]]:
    """Panels (elements with data-panel) whose content runs past their bottom edge, in mm."""
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            panel = element.get("data-panel") if element is not None else None
            if not panel or getattr(box, "element_tag", None) != "div":
                continue
            box = getattr(box, "_box", box)  # absolutely positioned: the placeholder holds the box
            limit = box.content_box_y() + box.height
            bottom = max((child.position_y + child.margin_height() for child in box.descendants()
                          if child is not box and hasattr(child, "margin_height")), default=limit)
            if bottom - limit > 0.5:
                found.append((panel, (bottom - limit) * PX_TO_MM))
    return found


class PdfWriter:
    """Renders HTML to PDF with WeasyPrint; one instance serves many documents."""

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = cache_dir
        self.rendered = 0
        self.reused = 0

    def key(self, html: str) -> str:
        import weasyprint

        digest = hashlib.sha256()
        digest.update(weasyprint.__version__.encode())
        digest.update(html.encode("utf-8"))
        return digest.hexdigest()

    def write(self, html: str, target: Path, base_url: Path, label: str = "") -> None:
        cached = self.cache_dir / f"{self.key(html)}.pdf" if self.cache_dir else None
        if cached and cached.exists():
            shutil.copyfile(cached, target)
            self.reused += 1
            return
        import weasyprint

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        document = weasyprint.HTML(string=html, base_url=str(base_url)).render()
        overflows = overflowing_panels(document)
        if overflows:
            raise OutreachError([Diagnostic(
                Location(label or target.name), f"text does not fit panel '{panel}': {over:.1f} mm too long",
                "print.overflow", hint="shorten this panel's text in that language (or in Vietnamese)")
                for panel, over in overflows])
        document.write_pdf(target)
        self.rendered += 1
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(cached.name + ".tmp")
            shutil.copyfile(target, tmp)
            tmp.replace(cached)
