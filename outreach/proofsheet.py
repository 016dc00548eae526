"""The review sheet: every page of every printed product of a language, as labelled thumbnails, so that the Board
can look over a whole edition before approving it.

    packs     build/packs/*/manifest.json and the press files they list   (made by ``outreach build``)
    pages     each press page cropped to its trim, rasterised by poppler (pdftoppm)
    sheet     A4 landscape, one section per product: booklets as reading spreads, other pages one by one
    output    build/proofsheets/proofsheet.<language>.pdf

A product belongs to the language its reader reads: a leaflet in Vietnamese and Korean to Korean.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from markupsafe import Markup

from .errors import Diagnostic, Location, OutreachError, display_path
from .languages import LANGUAGES, Language, print_font_css
from .render.common import environment

RESOLUTION = 80  # dpi of the thumbnails: enough to read a heading when zoomed in, small enough to mail


@dataclass(frozen=True)
class Thumbnail:
    number: int  # page number, from 1
    image: str  # file URI of the rendered page
    width_mm: float  # trim size
    height_mm: float


@dataclass(frozen=True)
class Product:
    name: str  # the pack's name: leaflet-owners.vi-ko
    kind: str
    product: str  # for people: "bilingual leaflet"
    titles: dict
    languages: tuple[str, ...]
    status: str
    condition: str
    pages: tuple[Thumbnail, ...]

    @property
    def spreads(self) -> list[tuple[Thumbnail | None, ...]]:
        """Pages as the reader sees them: a booklet's cover alone on the right, then facing pages; anything
        else one page at a time."""
        pages = list(self.pages)
        if self.kind != "handbook" or len(pages) < 2:
            return [(page,) for page in pages]
        inner = pages[1:-1]
        return [(None, pages[0]), *[tuple(inner[i:i + 2]) for i in range(0, len(inner), 2)], (pages[-1], None)]


def read_packs(packs: Path) -> list[dict]:
    manifests = []
    for path in sorted(packs.glob("*/manifest.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["folder"] = path.parent
        manifests.append(data)
    if not manifests:
        raise OutreachError(Diagnostic(Location(display_path(packs)), "no printer packs to review",
                                       "proofsheet.input", hint="run: outreach build"))
    return manifests


def rasterise(press: Path, work: Path) -> list[Thumbnail]:
    """Each page of a press file cropped to its trim, as a JPEG."""
    cropped = work / f"{press.stem}.trim.pdf"
    sizes = []
    with pikepdf.open(press) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            page.obj.CropBox = page.obj.TrimBox
            sizes.append(((trim[2] - trim[0]) * 25.4 / 72, (trim[3] - trim[1]) * 25.4 / 72))
        pdf.save(cropped)
    prefix = work / press.stem
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-jpeg", "-jpegopt", "quality=80", str(cropped), str(prefix)],
                   check=True, capture_output=True)
    images = sorted(work.glob(f"{press.stem}-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Thumbnail(number, image.as_uri(), width, height)
            for number, (image, (width, height)) in enumerate(zip(images, sizes), start=1)]


ORDER = ("leaflet", "handbook", "course")


def products_of(manifests: list[dict], language: Language, work: Path) -> list[Product]:
    found = []
    for data in sorted(manifests, key=lambda m: (ORDER.index(m["kind"]) if m["kind"] in ORDER else len(ORDER),
                                                 m["folder"].name)):
        if data["languages"][-1] != language.code:
            continue
        press = next(data["folder"] / f["name"] for f in data["files"] if f["role"] == "press")
        found.append(Product(
            data["folder"].name, data["kind"], data["product"], data["title"], tuple(data["languages"]),
            data["status"], data.get("output_intent", {}).get("condition", ""), tuple(rasterise(press, work))))
    return found


def write_proofsheets(packs: Path, target: Path, languages=LANGUAGES, edition: str = "") -> list[Path]:
    """One review PDF per language that has printed products; returns the files written."""
    import weasyprint

    manifests = read_packs(packs)
    template = environment().get_template("pack/proofsheet.html.j2")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as work:
        for language in languages:
            products = products_of(manifests, language, Path(work))
            if not products:
                continue
            html = template.render(language=language, products=products, edition=edition,
                                   language_css=Markup(print_font_css()),
                                   pages=sum(len(p.pages) for p in products))
            out = target / f"proofsheet.{language.code}.pdf"
            tmp = out.with_name(out.name + ".tmp")
            weasyprint.HTML(string=html, base_url=work).write_pdf(tmp)
            tmp.replace(out)
            written.append(out)
    return written
