"""Model + languages → print HTML (Jinja) → PDF (WeasyPrint).

Rendering is split so that the slow part is easy to share and to skip:
``*_html()`` are pure functions that return a complete HTML document;
``PdfWriter`` turns HTML into PDF in one long-lived process and keeps a
cache keyed on the HTML, so an unchanged document is not rendered again.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
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

from ..cache import pdf_key  # noqa: F401 (what a PDF is made from; the key of the PDF cache)
from ..cache import write_whole
from ..errors import Diagnostic, Location, OutreachError, display_path
from ..press import save_as_written
from ..i18n.formatting import format_fact
from .. import languages as language_data
from ..languages import LANGUAGES, TARGETS, Language, source
from ..model import Fact, Project, iter_texts
from . import justify, palette
from .common import TEMPLATES, Localizer
from .linebreak import MARKED

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
    variant: str = ""  # another PDF of the same document and languages: "notes" (a deck's speaker notes)

    @property
    def filename(self) -> str:
        codes = "-".join(lang.code for lang in self.languages)
        return f"{self.document.kind}-{self.document.id}.{codes}{'.' + self.variant if self.variant else ''}.pdf"

    @property
    def link_key(self) -> str:
        """Where the web pages look the PDF up (see render.web.Pages.pdfs_for)."""
        return f"{self.document.kind}.{self.document.id}" + (f".{self.variant}" if self.variant else "")

    @property
    def web_language(self) -> Language:
        """The language whose web page the QR code leads to."""
        return self.languages[-1]

    def label(self) -> str:
        return " – ".join(lang.name for lang in self.languages)


def print_jobs(project: Project, languages=LANGUAGES, press: bool = True) -> list[PrintJob]:
    """Every PDF of the kinds that print: a bilingual pair (vi + each other language) or one per language, as
    each kind says. ``press``: the press products (each with a printer pack); False: the screen PDFs only."""
    from .. import kinds

    jobs = []
    for kind in kinds.all_kinds():
        if kind.print is None or (kind.press is not None) != press:
            continue
        pairs = [(source(), target) for target in TARGETS] if kind.print_languages == "pairs" else \
            [(language,) for language in LANGUAGES]
        jobs += [PrintJob(doc, codes, variant) for doc in kinds.documents(project, kind) for codes in pairs
                 for variant in kind.variants]
    return [job for job in jobs if all(lang in languages for lang in job.languages)]


def qr_svg(url: str) -> Markup:
    """A vector QR code (error correction M, 4-module quiet zone)."""
    # the title is the figure's alternative text in the tagged PDF
    svg = segno.make(url, error="m").svg_inline(border=4, omitsize=True, dark="#000", title=url)
    # 100 % K, not RGB; and no fill, which would default to RGB black
    return Markup(svg.replace('stroke="#000"', 'stroke="device-cmyk(0 0 0 1)" fill="none"'))


def edition_text(date: dt.date, language: Language) -> str:
    fact = Fact("edition", "date", date, "", "", "", None)  # type: ignore[arg-type]
    return format_fact(fact, language)


def _css(*names: str, justify: bool = False) -> Markup:
    """The print CSS, colours in CMYK from the palette; each language's fonts (and, in running text that
    asks for it, its justification) from the language records."""
    return Markup("\n".join([color_profile_rule(), language_data.print_font_css(), *(palette.print_css(
        (PRINT_CSS / name).read_text(encoding="utf-8"), f"outreach/templates/print/{name}") for name in names),
        language_data.print_justify_css() if justify else "", language_data.print_upright_css()]))


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
    # (language code, the text as printed, where it comes from, its msgctxt): to name the source of a text
    # that does not fit its panel. Not part of the cache key: the HTML holds the same texts.
    texts: tuple[tuple[str, str, str, str], ...] = ()
    origin: str = ""  # the YAML file of the document, where WeasyPrint's warnings about its print are shown
    # each part's id and the key of its spacing (cache.fit_keys), so that a build that lays the same part out
    # again takes the spacing chosen before instead of trying them again; none: every build tries them
    fit_keys: tuple[tuple[str, str], ...] = ()

    def source_of(self, language: str, snippet: str) -> tuple[str, str] | None:
        """(path:line, msgctxt) of the text in ``language`` that holds ``snippet``."""
        wanted = "".join(snippet.replace("\u2060", "").split())  # without the word joiners of linebreak.py
        for code, value, where, context in self.texts:
            if code == language and wanted and wanted in "".join(value.split()):
                return where, context
        return None

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
    texts = tuple((lz.language.code, lz.plain(text), str(text.location), text.context)
                  for lz in lzs for text in iter_texts(job.document))
    return PrintSource(html, texts=texts)


def handbook_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    """The A5 booklet in one language; the tail adds notes pages and the back cover."""
    lz = localizers[job.languages[0].code]
    chapters = {doc.id: doc for doc in project.of_kind("chapter")}
    context = {
        "lz": lz, "_": lz.ui, "doc": job.document, "project": project, "site": project.site,
        "chapters": [chapters[c] for c in job.document.chapters], "terms": project.glossary,
        "meta": _meta(project, [lz], job.document, job.languages), "css": _css("fonts.css", "handbook.css", justify=True),
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
        meta=_meta(project, [lz], job.document, job.languages), css=_css("fonts.css", "course.css", justify=True),
        page_url=page_url,
    ))


def slides_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    """A 16:9 deck for the screen in one language; the "notes" variant: A4 pages, each slide with its notes."""
    lz = localizers[job.languages[0].code]
    html = lz.env.get_template("print/slides.html.j2").render(
        lz=lz, _=lz.ui, doc=job.document, project=project, site=project.site, notes=job.variant == "notes",
        meta=_meta(project, [lz], job.document, job.languages), css=_css("fonts.css", "slides.css"),
        page_url=page_url, edition=edition_text(project.site.edition, lz.language))
    # a slide's text that does not fit is reported at its source line (written as slides: it must fit)
    texts = tuple((lz.language.code, lz.plain(text), str(text.location), text.context)
                  for text in iter_texts(job.document))
    return PrintSource(html, texts=texts)


def lecture_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    """A course's lecturer slides in one language, made from its modules; "notes": with the speaker notes."""
    lz = localizers[job.languages[0].code]
    return PrintSource(lz.env.get_template("print/lecture.html.j2").render(
        lz=lz, _=lz.ui, doc=job.document, project=project, site=project.site, notes=job.variant == "notes",
        meta=_meta(project, [lz], job.document, job.languages), css=_css("fonts.css", "slides.css"),
        page_url=page_url, edition=edition_text(project.site.edition, lz.language)))


def print_html(job: PrintJob, project: Project, localizers: dict[str, Localizer], page_url: str) -> PrintSource:
    from .. import kinds

    source = kinds.of(job.document).print(job, project, localizers, page_url)
    terms = tuple(term.vi for term in project.glossary)  # kept whole in Vietnamese headings
    location = getattr(job.document, "location", None)
    return PrintSource(MARKED(source.html, project.names, terms),
                       tuple(MARKED(tail, project.names, terms) for tail in source.tails), texts=source.texts,
                       origin=display_path(location.path) if location else "")


PX_TO_MM = 25.4 / 96
WORD_SLACK = 1 / PX_TO_MM  # 1 mm, in CSS px
RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def finisher(key: str, crop: bool = False):
    """What changes in a PDF as WeasyPrint writes it (its ``finisher``, on the objects before they are written):
    the XMP DocumentID that WeasyPrint makes random for PDF/X-4, derived from ``key`` instead, so that a rebuild
    gives the same bytes; with ``crop``, each page shown at its trim size, without the bleed (a reader's PDF)."""
    import pydyf

    stable = f"xmp.did:{uuid.UUID(key[:32])}".encode()

    def finish(document, pdf) -> None:
        metadata = pdf.catalog.get("Metadata")
        for obj in pdf.objects:
            if crop and isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
                obj["CropBox"] = obj["TrimBox"]
            elif isinstance(obj, pydyf.Stream) and metadata is not None and obj.reference == metadata:
                obj.stream = [RANDOM_DOCUMENT_ID.sub(stable, chunk) if isinstance(chunk, bytes) else chunk
                              for chunk in obj.stream]

    return finish


def _descendants(box):
    """A box and everything inside it, into absolutely positioned children too (which WeasyPrint keeps
    behind placeholders)."""
    box = getattr(box, "_box", box)
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _texts_within(box, right: float, lang: str = ""):
    """The text boxes inside a box, each with the right edge of the narrowest block around it (a column of a
    multi-column panel is a block of its own, so a word is measured against its column, not the panel) and
    the language of the nearest element around it that names one."""
    from weasyprint.formatting_structure.boxes import BlockContainerBox, TextBox

    box = getattr(box, "_box", box)
    if isinstance(box, TextBox):
        yield box, right, box.style["lang"] or lang
        return
    element = getattr(box, "element", None)
    if element is not None and element.get("lang"):
        lang = element.get("lang")
    if isinstance(box, BlockContainerBox) and box.width:
        right = min(right, box.content_box_x() + box.width)
    for child in getattr(box, "children", ()):
        yield from _texts_within(child, right, lang)


def _visible_text(element) -> str:
    """The text of an element, without what inline SVG holds (a QR code's title is its alternative text)."""
    if str(element.tag).startswith("{http://www.w3.org/2000/svg}"):
        return element.tail or ""
    return (element.text or "") + "".join(_visible_text(child) for child in element) + (element.tail or "")


def overflowing_panels(document) -> list[tuple[str, str, str, str]]:
    """Panels (elements with data-panel) whose text does not fit: a word wider than the panel, what runs
    past the bottom edge, and what WeasyPrint left out altogether because it fell off the page. Each as
    (panel, what is wrong, the language of the text, the text)."""
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
            right = box.content_box_x() + box.width
            inside = list(_descendants(box))
            texts = [child for child in inside if isinstance(child, TextBox)]
            # a word may reach 1 mm into the panel's padding (the safe zone is 6 mm from the trim, the padding 7)
            wide = [(child, edge, lang) for child, edge, lang in _texts_within(box, right)
                    if child.position_x + child.width - edge > WORD_SLACK]
            if wide:
                child, edge, lang = wide[0]
                word = max(child.text.split(), key=len, default=child.text)
                found.append((panel, f"'{word}' is {(child.position_x + child.width - edge) * PX_TO_MM:.1f} mm "
                              "wider than its column", lang, child.text))
                continue
            bottom = max((child.position_y + child.margin_height() for child in inside
                          if child is not box and hasattr(child, "margin_height")), default=limit)
            written = "".join(_visible_text(element).split())
            laid_out = "".join("".join(child.text for child in texts).split())
            below = [child for child in texts if child.position_y + child.height - limit > 0.5]
            lang, snippet = (below[0].style["lang"] or "", below[0].text) if below else ("", "")
            if len(laid_out) < len(written):
                found.append((panel, f"{len(written) - len(laid_out)} characters do not fit", lang, snippet))
            elif bottom - limit > 0.5:
                found.append((panel, f"{(bottom - limit) * PX_TO_MM:.1f} mm too long", lang, snippet))
    return found


def overflow_diagnostic(source: PrintSource, label: str, panel: str, detail: str, lang: str,
                        snippet: str) -> Diagnostic:
    """An overflow, at the source of the text that does not fit when it can be told."""
    found = source.source_of(lang, snippet) if lang else None
    if found is None:
        return Diagnostic(Location(label), f"text does not fit panel '{panel}': {detail}", "print.overflow",
                          hint=f"shorten this panel's {lang + ' ' if lang else ''}text (or the Vietnamese)")
    where, context = found
    path, line, col = (where.rsplit(":", 2) + ["", ""])[:3]
    location = Location(path, int(line or 0), int(col or 0)) if line.isdigit() else Location(where)
    fix = ("shorten the Vietnamese text" if lang == language_data.source().code else
           f"shorten the {lang} translation (msgctxt \"{context}\"), or break the long word")
    return Diagnostic(location, f"{label}: text does not fit panel '{panel}' ({lang} text): {detail}",
                      "print.overflow", hint=fix)


RUNT_LINES = 5  # a part's last page with this many lines or fewer, before a forced break, is a build error
FIT_LINES = 7  # ... and with this many or fewer the layout tries other spacing first
FITS = ("tight", "loose", "tighter", "looser")  # spacings a part may take (data-fit in the print CSS)


@dataclass(frozen=True)
class PartEnd:
    """The last page of a part (an element with data-part: the foreword, a chapter, a module) that runs over
    more than one page; the next part starts on a new page."""

    part: str  # the element's id
    title: str  # its title, for messages
    page: int  # 1-based
    lines: int  # lines of text on that page


def _text_rows(box) -> set[float]:
    """The vertical positions of the lines of text inside a box (two columns side by side count once)."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, TextBox

    rows: set[float] = set()
    stack = [box]
    while stack:
        box = stack.pop()
        box = getattr(box, "_box", box)  # absolutely positioned: the placeholder holds the box
        if isinstance(box, MarginBox):
            continue
        if isinstance(box, LineBox):
            if any(isinstance(child, TextBox) and child.text.strip() for child in box.descendants()):
                rows.add(round(box.position_y))
            continue
        stack.extend(getattr(box, "children", ()))
    return rows


def part_ends(document) -> list[PartEnd]:
    """The last page of every part that spans pages, with the number of lines on it."""
    pages_of: dict[str, list[int]] = {}
    titles: dict[str, str] = {}
    lines = []
    for number, page in enumerate(document.pages, start=1):
        lines.append(len(_text_rows(page._page_box)))
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or box.element_tag not in ("section", "header") or element.get("data-part") is None:
                continue
            part = element.get("id", "")
            titles[part] = element.get("data-part")
            if number not in pages_of.setdefault(part, []):
                pages_of[part].append(number)
    return [PartEnd(part, titles[part], pages[-1], lines[pages[-1] - 1])
            for part, pages in pages_of.items() if len(pages) > 1]


PART_START = re.compile(r'<(?:section|header)\b[^>]*?\bid="([^"]*)" data-part=')


def parts_of(html: str) -> tuple[str, list[tuple[str, str]]]:
    """What lays out each part of a print HTML (an element with data-part): the document's stylesheets and
    metadata (everything up to its body), and each part's HTML, up to the next part (the last one up to the
    end). Every part starts on a new page, so these are all that decide where its lines fall."""
    starts = list(PART_START.finditer(html))
    if not starts:
        return "", []
    body = html.find("<body")
    context = html[: html.find(">", body) + 1] if body >= 0 else html[: starts[0].start()]
    ends = [match.start() for match in starts[1:]] + [len(html)]
    return context, [(match.group(1), html[match.start():end]) for match, end in zip(starts, ends)]


def with_fits(html: str, fits: dict[str, str]) -> str:
    for part, fit in fits.items():
        html = html.replace(f'id="{part}" data-part=', f'id="{part}" data-fit="{fit}" data-part=', 1)
    return html


def fit_parts(html: str, document, render, known: dict[str, str] | None = None):
    """Lay the document out again, with other spacing in the parts whose last page holds only a few lines.

    Every part starts on a new page, so a part's spacing moves only its own lines. A part is set tighter
    (its last lines move back) or looser (more lines move onto its last page), whichever leaves no short
    page, or the one with the most lines on its last page. ``known`` are the spacings chosen before for
    parts laid out the same way ("": none), which ``document`` was laid out with; they are kept, not tried
    again. Returns the document laid out best, and the spacing chosen for each part that was short."""
    known = known or {}
    kept = {part: fit for part, fit in known.items() if fit}
    short = {end.part: end.lines for end in part_ends(document) if end.lines <= FIT_LINES and end.part not in known}
    if not short:
        return document, {}
    last: list = [sorted(kept.items()), document]  # the fits laid out last and their document

    def layout(fits: dict[str, str]):
        key = sorted({**kept, **fits}.items())
        if last[0] != key:
            last[:] = [key, render(with_fits(html, {**kept, **fits}))]
        return last[1]

    best = {part: ("", lines) for part, lines in short.items()}  # part → (fit, lines on its last page)
    for fit in FITS:
        trying = {part: fit for part, (chosen, lines) in best.items() if lines <= FIT_LINES}
        if not trying:
            break
        chosen = {part: chosen for part, (chosen, _) in best.items() if chosen}
        ends = {end.part: end.lines for end in part_ends(layout({**chosen, **trying}))}
        for part in trying:
            lines = ends.get(part, FIT_LINES + 1000)  # the part now fits on fewer pages: no last page to fill
            if lines > best[part][1]:
                best[part] = (fit, lines)
    choice = {part: fit for part, (fit, _) in best.items()}
    return layout({part: fit for part, fit in choice.items() if fit}), choice


class FitStore:
    """The spacing chosen for each part, kept in a folder by the part's key (cache.fit_keys): a part laid out
    the same way again takes it at once. A build that changes one chapter then lays the document out once,
    with the spacings a clean build would choose (a part's choice depends on that part alone)."""

    def __init__(self, folder: Path | None, keys: tuple[tuple[str, str], ...]):
        self.folder, self.keys = folder, dict(keys)

    def known(self) -> dict[str, str]:
        found = {}
        for part, key in self.keys.items() if self.folder else ():
            path = self.folder / key
            if path.exists():
                found[part] = path.read_text(encoding="utf-8")
        return found

    def keep(self, known: dict[str, str], chosen: dict[str, str]) -> None:
        """Store the spacing of every part not known before: the one chosen, else none."""
        if not self.folder:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for part, key in self.keys.items():
            if part not in known:
                write_whole(self.folder / key, chosen.get(part, ""))


def layout_diagnostics(source: PrintSource, label: str, found: list[tuple]) -> list[Diagnostic]:
    """What ``render_pdf`` found wrong with a layout, as diagnostics (an overflow at the source of its text)."""
    diagnostics = []
    for code, *details in found:
        if code == "print.overflow":
            diagnostics.append(overflow_diagnostic(source, label, *details))
        else:
            message, hint = details
            diagnostics.append(Diagnostic(Location(label), message, code, hint=hint))
    return diagnostics


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = LOGGED_AT.sub("", record.getMessage())  # a line of the HTML's own <style>: no help to find it
        if message not in self.messages:
            self.messages.append(message)


LOGGED_AT = re.compile(r" at \d+:\d+(?=[,.:]|$)")


@contextlib.contextmanager
def weasyprint_warnings():
    """What WeasyPrint logs while the block runs (CSS it ignores, a resource it cannot load: its warnings and
    errors, none of which stops it), each message once, in order; yields the list, filled as it goes."""
    logger = logging.getLogger("weasyprint")
    handler, level = _Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


DECLARATION = re.compile(r"`(-?[\w-]+):\s*([^`]*)`")


def _declared_at(message: str) -> str:
    """Where the templates write the CSS declaration a WeasyPrint message names (`name:value`), as path:line."""
    from .. import kinds

    match = DECLARATION.search(message)
    if not match:
        return ""
    written = re.compile(rf"(?<![\w-]){re.escape(match.group(1))}\s*:\s*{re.escape(match.group(2).strip())}")
    for folder in (TEMPLATES, *kinds.template_folders()):
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix not in (".css", ".j2") or not path.is_file():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                found = written.search(line)
                if found:
                    return f"{display_path(path)}:{number}:{found.start() + 1}"
    return ""


def weasyprint_diagnostics(where: str, messages: list[str]) -> list[Diagnostic]:
    """WeasyPrint's messages about a print as warnings at ``where``: the document's YAML file (``origin``), else
    the PDF. The build goes on, and the print may not look as its templates say."""
    diagnostics = []
    for message in messages:
        declared = _declared_at(message)
        hint = (f"WeasyPrint lays this document out without it; the declaration is at {declared}" if declared else
                "WeasyPrint lays this document out without it; see the print templates and their CSS")
        diagnostics.append(Diagnostic(Location(where), f"WeasyPrint: {message}", "print.weasyprint", "warning", hint,
                                      source_line=""))
    return diagnostics


def render_pdf(source: PrintSource, target: Path | None, base_url: Path, key: str,
               screen: Path | None = None, fits: Path | None = None) -> list[tuple]:
    """HTML → PDF/X-4 at ``target`` (None: no press file), and the tagged PDF for reading on screen at
    ``screen``. Returns the problems of the layout, and then writes nothing: panels whose text does not fit,
    as ("print.overflow", panel, what is wrong, the language of the text, the text), and pages with only a few
    lines, as ("print.runt", message, hint). ``fits``: the folder of the spacings chosen for parts before
    (FitStore). A plain function of plain values, so that it can run in another process."""
    import weasyprint

    def render(html):
        with justify.inter_character():  # justified Japanese and Chinese between characters, Korean also between syllables
            return weasyprint.HTML(string=html, base_url=str(base_url)).render()

    store = FitStore(fits, source.fit_keys)
    known = store.known()
    document = render(with_fits(source.html, {part: fit for part, fit in known.items() if fit}))
    overflows = overflowing_panels(document)
    if overflows:
        return [("print.overflow", *overflow) for overflow in overflows]
    document, chosen = fit_parts(source.html, document, render, known)
    store.keep(known, chosen)
    runts = [end for end in part_ends(document) if end.lines <= RUNT_LINES]
    if runts:
        return [("print.runt", f"page {end.page} holds only the last {end.lines} line(s) of '{end.title}' before "
                 "the next page break", "shorten or lengthen this part in that language by a few lines")
                for end in runts]
    tail = source.tail(len(document.pages))
    if tail:
        back = render(tail)
        document = document.copy([*document.pages, *back.pages])
    if screen:
        with element_languages():  # shown at its trim size; an /ID from its bytes, as PDF/X has
            document.write_pdf(screen, pdf_variant=SCREEN_VARIANT, pdf_identifier=True,
                               finisher=finisher(key, crop=True))
        if target is not None:  # the press file from the same bytes: one PDF written, not two
            shutil.copyfile(screen, target)
            press_variant(target, document, key)
    elif target is not None:
        document.write_pdf(target, pdf_variant=PDF_VARIANT, finisher=finisher(key))
    return []


XMP_HEADER = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
XMP_FOOTER = b"</x:xmpmeta>\n<?xpacket end=\"r\"?>"


def press_variant(path: Path, document, key: str) -> None:
    """Make a copy of the tagged screen PDF what WeasyPrint writes for PDF/X-4: its metadata (WeasyPrint's own
    PDF/X-4 XMP, the document id derived from ``key``), trapping stated, PDF 1.6; and no structure tree, which
    guides a reader, not a press (the marked content it pointed to stays, as PDF/X allows). The drawing is the
    screen PDF's: the same layout, the same CMYK colours and fonts (the press checks in pack.py follow)."""
    metadata = document.metadata
    if not metadata.modified:  # PDF/X-4 dates its metadata: the source date (else now), as WeasyPrint would
        stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None
        metadata.modified = dt.datetime.fromtimestamp(stamp or dt.datetime.now().timestamp(), dt.timezone.utc) \
            .strftime("%Y-%m-%dT%H:%M:%SZ")
    xmp = metadata.generate_rdf_metadata("x", 4, "PDF/X-4")
    content = b"\n".join((XMP_HEADER, xmp, *metadata.xmp_metadata, XMP_FOOTER))
    content = RANDOM_DOCUMENT_ID.sub(f"xmp.did:{uuid.UUID(key[:32])}".encode(), content)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.Metadata = pdf.make_stream(content, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        pdf.docinfo["/Trapped"] = pikepdf.Name("/False")
        for name in ("/StructTreeRoot", "/MarkInfo"):
            if name in pdf.Root:
                del pdf.Root[name]
        for page in pdf.pages:
            for name in ("/StructParents", "/Tabs", "/CropBox"):  # the screen PDF is cropped to the trim
                if name in page.obj:
                    del page.obj[name]
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    del annotation["/StructParent"]
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]  # its first half was computed over the screen PDF; qpdf derives a new one
        save_as_written(pdf, path, force_version="1.6")


SCREEN_VARIANT = "pdf/ua-1"  # tagged: structure, reading order, alternative texts, languages


@contextlib.contextmanager
def element_languages():
    """Tag the language of every element whose ``lang`` differs from its parent's (``/Lang`` on its structure
    element), and what each table header cell heads (``/Scope``: its row or its column), while a PDF is written.

    WeasyPrint 70 tags only the document's language; a bilingual leaflet or a Vietnamese term in a Korean
    glossary then reads out in the wrong voice. WeasyPrint offers no hook for this, so its function that builds
    one structure element per box is wrapped for the time of the call.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def with_language(box, parent, *args):
        node = getattr(box, "_box", box)
        element = getattr(node, "element", None)
        lang = element.get("lang") if element is not None and node.element_tag not in ("html", "body") else None
        for structure in original(box, parent, *args):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            if structure.get("S") == "/TH" and "A" in structure:  # what a header cell heads: its row or column
                scope = element.get("scope") if element is not None else None
                structure["A"]["Scope"] = "/Row" if scope == "row" else "/Column"
            yield structure

    tags._build_box_tree = with_language
    try:
        yield
    finally:
        tags._build_box_tree = original


def write_cached(source: PrintSource, target: Path | None, base_url: Path, cache_dir: Path | None,
                 key: str | None = None, screen: Path | None = None) -> tuple[list[tuple], bool, list[str]]:
    """Write one press PDF (None: a screen PDF only) and its screen PDF, when a path is given, from the cache
    when the same HTML was rendered before. Returns the problems of the layout (as ``render_pdf`` does),
    whether WeasyPrint ran, and what WeasyPrint warned about (kept with the cached PDF, so that a PDF from the
    cache warns as it did when it was made). A plain function of plain values, so that it can run in another
    process."""
    key = key or pdf_key(source)
    cached = cache_dir / f"{key}.pdf" if cache_dir else None
    cached_screen = cache_dir / f"{key}.screen.pdf" if cache_dir else None
    cached_warnings = cache_dir / f"{key}.warnings.json" if cache_dir else None
    if cached and (target is None or cached.exists()) and (not screen or cached_screen.exists()) \
            and cached_warnings.exists():
        if target is not None:
            shutil.copyfile(cached, target)
        if screen:
            shutil.copyfile(cached_screen, screen)
        return [], False, json.loads(cached_warnings.read_text(encoding="utf-8"))
    with weasyprint_warnings() as warnings:
        problems = render_pdf(source, target, base_url, key, screen=screen,
                              fits=cache_dir / "fits" if cache_dir else None)
    if cached and not problems:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for made, kept in ((target, cached), (screen, cached_screen)):
            if made:
                tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
                shutil.copyfile(made, tmp)
                tmp.replace(kept)
        write_whole(cached_warnings, json.dumps(warnings, ensure_ascii=False))
    return problems, True, warnings


class PdfWriter:
    """Renders HTML to PDF with WeasyPrint, many documents per process, in as many processes as the
    machine has cores; an unchanged document (same HTML, same WeasyPrint) comes from the cache."""

    def __init__(self, cache_dir: Path | None = None, processes: int | None = None):
        self.cache_dir = cache_dir
        self.processes = processes or min(2, os.cpu_count() or 1)
        self.rendered = 0
        self.reused = 0
        self.warnings: list[Diagnostic] = []  # WeasyPrint's, about the PDFs written

    def key(self, source: PrintSource) -> str:
        return pdf_key(source)

    def write(self, source: PrintSource, target: Path, base_url: Path, label: str = "",
              screen: Path | None = None) -> None:
        self.write_all([(source, target, screen, label)], base_url)

    def write_all(self, items: list[tuple[PrintSource, Path | None, Path | None, str]], base_url: Path) -> None:
        """Write every press PDF (None: none) and its screen PDF, when a path is given; raise one error listing
        every problem of the layout in every file (a panel whose text does not fit, a page with only a few
        lines)."""
        args = [(source, target, base_url, self.cache_dir, None, screen) for source, target, screen, _ in items]
        if len(items) > 1 and self.processes > 1:
            with concurrent.futures.ProcessPoolExecutor(self.processes) as pool:
                results = list(pool.map(write_cached, *zip(*args)))
        else:
            results = [write_cached(*a) for a in args]
        problems = []
        for (source, target, screen, label), (found, rendered, warned) in zip(items, results):
            problems += layout_diagnostics(source, label or (target or screen).name, found)
            self.warnings += weasyprint_diagnostics(source.origin or label or (target or screen).name, warned)
            self.rendered += rendered and not found
            self.reused += not rendered
        if problems:
            raise OutreachError(problems)
