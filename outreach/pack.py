"""Printer packs: from each press file, a proof, a manifest, a README and a zip.

    press file   PDF/X-4, CMYK, 3 mm bleed, no marks            (rendered by render/print.py, with the tagged
                                                                 PDF for reading on screen, build/pdf/)
    proof        each page on a larger sheet with crop and fold marks outside the trim, labelled PROOF
    preflight    the checks of preflight.py, written to preflight.txt; a failing press file fails the build
    pack         build/packs/<name>/ and build/packs/<name>.zip
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from . import preflight as pf
from . import press as press_mod
from .languages import Language

PROOF_MARGIN_MM = 20.0
MARK_GAP_MM = 2.0  # between the bleed edge and the start of a mark
MARK_LENGTH_MM = 8.0


@dataclass(frozen=True)
class Product:
    """What the printer needs to know about one kind of printed product (in English and Vietnamese)."""

    kind: str
    name: str  # for people
    spec: pf.Spec
    binding: str
    folding: str
    paper: str
    vi: dict

    @property
    def condition(self) -> press_mod.PrintingCondition:
        """The printing condition the press file is made for: the paper decides it."""
        return press_mod.CONDITIONS[self.spec.paper]


PRODUCTS = {
    "leaflet": Product(
        "leaflet", "bilingual leaflet", pf.LEAFLET, binding="none",
        folding="DL letter fold (roll fold) from A4 landscape, 2 pages (outside, inside). Outside, left to right: "
                "flap 97 | back 100 | cover 100 mm, folds at 97 and 197 mm from the left trim edge; inside: "
                "100 | 100 | 97 mm, folds at 100 and 200 mm. The 97 mm panel folds in first, the cover over it.",
        paper="coated silk or matt, 130–170 g/m²",
        vi={"binding": "không đóng", "folding": "gấp ba kiểu cuốn (DL) từ khổ A4 ngang, 2 trang (mặt ngoài, mặt "
            "trong). Mặt ngoài, từ trái sang phải: tấm gấp 97 | mặt sau 100 | bìa 100 mm, gấp tại 97 mm và 197 mm tính "
            "từ mép cắt bên trái; mặt trong: 100 | 100 | 97 mm, gấp tại 100 mm và 200 mm. Tấm 97 mm gấp vào trước, "
            "bìa gấp phủ lên.", "paper": "giấy couché mờ hoặc bóng, 130–170 g/m²"}),
    "handbook": Product(
        "handbook", "handbook (A5 booklet)", pf.BOOKLET, binding="saddle stitch (2 staples)",
        folding="none; single pages in reading order, the printer imposes",
        paper="white uncoated offset: cover 250 g/m², text pages 80–100 g/m²",
        vi={"binding": "đóng ghim giữa (2 ghim)", "folding": "không; các trang đơn theo thứ tự đọc, nhà in tự bình "
            "trang", "paper": "giấy offset trắng không tráng phủ: bìa 250 g/m², ruột 80–100 g/m²"}),
    "course": Product(
        "course", "course handout (A4)", pf.HANDOUT, binding="none (loose sheets or a corner staple)",
        folding="none",
        paper="white uncoated offset, 80–100 g/m², printed both sides",
        vi={"binding": "không đóng (tờ rời hoặc một ghim góc)", "folding": "không",
            "paper": "giấy offset trắng không tráng phủ 80–100 g/m², in hai mặt"}),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mark_lines(x0, y0, x1, y1, bleed, gap, length) -> list[tuple[float, float, float, float]]:
    """Crop marks at the four trim corners, outside the bleed."""
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            start = bleed + gap
            lines.append((x + sx * start, y, x + sx * (start + length), y))  # horizontal
            lines.append((x, y + sy * start, x, y + sy * (start + length)))  # vertical
    return lines


def _fold_lines(x0, y0, y1, folds_mm, bleed, gap, length) -> list[tuple[float, float, float, float]]:
    """Fold marks above and below the sheet, at each fold, outside the bleed."""
    start = bleed + gap
    lines = []
    for fold in folds_mm:
        x = x0 + fold * pf.MM
        lines.append((x, y1 + start, x, y1 + start + length))
        lines.append((x, y0 - start, x, y0 - start - length))
    return lines


PROOF_CSS = """
@page { margin: 0 }
body { margin: 0; font-family: "Noto Sans", sans-serif; color: device-cmyk(0 0 0 1); }
section { position: relative; break-after: page; }
section:last-child { break-after: auto; }
.slug { position: absolute; top: 3mm; left: %(margin)smm; margin: 0; font-size: 8pt; white-space: nowrap; }
.draft { position: absolute; bottom: 2.5mm; left: 0; right: 0; margin: 0; text-align: center; font-size: 12pt;
         font-weight: bold; white-space: nowrap; color: device-cmyk(0 0.9 0.9 0); }
"""
DRAFT_LABEL = "DRAFT - NOT APPROVED FOR PRINT · BẢN NHÁP - CHƯA DUYỆT IN"


def proof(press: Path, target: Path, label: str, folds_mm=(), draft: bool = False) -> None:
    """Each press page centred on a larger sheet, with crop marks, fold marks and a PROOF label.

    The labels are set by WeasyPrint in Noto Sans, so that the proof, like the press file, has every font
    embedded. The marks sit 2–10 mm outside the bleed; the labels keep to the outer 10 mm of the sheet, clear
    of them (a DRAFT label in the band below the page, the slug above it). ``press`` is a finished press file
    (press.finish: its colour spaces pruned), drawn on the sheets as it is."""
    import weasyprint

    mm = pf.MM
    margin = PROOF_MARGIN_MM * mm
    gap, length = MARK_GAP_MM * mm, MARK_LENGTH_MM * mm
    with pikepdf.open(press) as source:
        geometry = []
        for page in source.pages:
            media = [float(v) for v in page.obj.MediaBox]
            trim = [float(v) for v in page.obj.TrimBox]
            geometry.append((media, trim, trim[0] - float(page.obj.BleedBox[0])))
        count = len(geometry)
        pages_css, sections = [], []
        for number, (media, trim, bleed) in enumerate(geometry, start=1):
            width, height = media[2] - media[0] + 2 * margin, media[3] - media[1] + 2 * margin
            folds = folds_mm[(number - 1) % len(folds_mm)] if folds_mm else ()
            title = (f"PROOF - {label} - page {number} of {count} - trim {(trim[2] - trim[0]) / mm:.0f} x "
                     f"{(trim[3] - trim[1]) / mm:.0f} mm, bleed {bleed / mm:.0f} mm")
            if folds:
                title += " - dashed marks: folds"
            pages_css.append(f"@page sheet{number} {{ size: {width:.3f}pt {height:.3f}pt }}\n"
                             f".sheet{number} {{ page: sheet{number}; height: {height:.3f}pt }}")
            draft_label = f'<p class="draft">{html.escape(DRAFT_LABEL)}</p>' if draft else ""
            sections.append(f'<section class="sheet{number}"><p class="slug">{html.escape(title)}</p>'
                            f"{draft_label}</section>")
        css = PROOF_CSS % {"margin": PROOF_MARGIN_MM} + "\n".join(pages_css)
        document = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PROOF {html.escape(label)}'
                    f"</title><style>{css}</style></head><body>{''.join(sections)}</body></html>")
        sheets = weasyprint.HTML(string=document).write_pdf()
        with pikepdf.open(io.BytesIO(sheets)) as out:
            forms = set()  # the press pages, whose colour spaces the press file's finishing pruned
            for number, (page, (media, trim, bleed)) in enumerate(zip(out.pages, geometry), start=1):
                form = out.copy_foreign(source.pages[number - 1].as_form_xobject())
                forms.add(form.objgen)
                dx, dy = margin - media[0], margin - media[1]
                x0, y0, x1, y1 = trim[0] + dx, trim[1] + dy, trim[2] + dx, trim[3] + dy
                folds = folds_mm[(number - 1) % len(folds_mm)] if folds_mm else ()
                ops = ["q", f"1 0 0 1 {dx:.3f} {dy:.3f} cm", "/Press Do", "Q", "q", "0 0 0 1 K", "0.25 w"]
                ops += [f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S"
                        for ax, ay, bx, by in _mark_lines(x0, y0, x1, y1, bleed, gap, length)]
                ops.append("[2 2] 0 d")
                ops += [f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S"
                        for ax, ay, bx, by in _fold_lines(x0, y0, y1, folds, bleed, gap, length)]
                ops.append("Q")
                page.contents_coalesce()
                labels = page.obj.Contents.read_bytes()
                # the press page first, the labels (kept in their own graphics state) and marks over it
                page.obj.Contents = out.make_stream(
                    "\n".join(ops[:4]).encode() + b"\nq\n" + labels + b"\nQ\n" + "\n".join(ops[4:]).encode())
                resources = pikepdf.Dictionary({key: value for key, value in page.obj.Resources.items()})
                xobjects = pikepdf.Dictionary({key: value for key, value in resources.get("/XObject", {}).items()})
                xobjects.Press = form
                resources.XObject = xobjects
                page.obj.Resources = resources
                page.obj.TrimBox = pikepdf.Array([x0, y0, x1, y1])
            if "/OutputIntents" in source.Root:
                out.Root.OutputIntents = pikepdf.Array([out.copy_foreign(source.make_indirect(intent))
                                                        for intent in source.Root.OutputIntents])
            press_mod.prune_colour_spaces(out, pruned=forms)
            out.docinfo["/Title"] = f"PROOF {label}"
            for key in ("/CreationDate", "/ModDate", "/Producer"):
                if key in out.docinfo:
                    del out.docinfo[key]
            out.save(target, deterministic_id=True)


def content_version(edition: dt.date, files: list[Path]) -> str:
    """The edition date and a digest of the sources, so a printed copy can be traced to its text."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{edition.isoformat()}+{digest.hexdigest()[:12]}"


def manifest(product: Product, document, languages: tuple[Language, ...], titles: dict[str, str],
             press: Path, proof_file: Path, version: str, status: str, report: pf.Report) -> dict:
    with pikepdf.open(press) as pdf:
        pages = len(pdf.pages)
        intent = pdf.Root.OutputIntents[0]
        condition = str(intent.get("/OutputConditionIdentifier", ""))
        registry = str(intent.get("/RegistryName", ""))
        description = str(intent.get("/Info", ""))
    spec = product.spec
    return {
        "product": product.name,
        "kind": product.kind,
        "document": f"{document.kind}.{document.id}",
        "title": titles,
        "languages": [lang.code for lang in languages],
        "trim_mm": list(spec.trim_mm),
        "bleed_mm": spec.bleed_mm,
        "pages": pages,
        "binding": product.binding,
        "folding": product.folding,
        "colour": f"CMYK (4/4), PDF/X-4, output intent: {condition}; no RGB, no spot colours",
        "paper": product.paper,
        "paper_surface": spec.paper,
        "output_intent": {"condition": condition, "registry": registry, "description": description},
        "marks": "none in the press file; see the proof for crop and fold marks",
        "files": [{"name": path.name, "role": role, "bytes": path.stat().st_size, "sha256": sha256(path)}
                  for path, role in ((press, "press"), (proof_file, "proof"))],
        "content_version": version,
        "status": status,
        "preflight": "pass" if report.passed else "fail",
    }


def write_zip(folder: Path, target: Path, date: dt.date) -> None:
    """A zip of the pack with fixed dates and order, so that an unchanged pack zips to the same bytes."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def write_tree_zip(folder: Path, target: Path, date: dt.date) -> None:
    """A folder and everything under it, zipped with fixed dates and order (same input, same bytes)."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def dump_manifest(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def make_pack(product: Product, document, languages, titles: dict[str, str], press: Path,
              version: str, status: str, readme_template, date: dt.date, blanks: tuple[str, ...] = ()) -> pf.Report:
    """Everything beside the press file: the press file finished to PDF/X-4, proof, preflight, manifest, README,
    zip. ``blanks`` are the texts that stand in for missing contact details (every language)."""
    folder = press.parent
    stem = folder.name
    press_mod.finish(press, product.condition)  # the screen PDF was written by the renderer, links and tags kept
    proof_file = folder / f"{stem}.proof.pdf"
    proof(press, proof_file, stem, product.spec.folds_mm, draft=status != "approved")
    report = pf.preflight(press, product.spec, shown=press.name, status=status, companions=[proof_file],
                          blanks=blanks)
    (folder / "preflight.txt").write_text(report.text(), encoding="utf-8")
    data = manifest(product, document, languages, titles, press, proof_file, version, status, report)
    (folder / "manifest.json").write_text(dump_manifest(data), encoding="utf-8")
    (folder / "README.txt").write_text(readme_template.render(
        m=data, stem=stem, press=press.name, proof=proof_file.name, folds=bool(product.spec.folds_mm),
        vi=product.vi), encoding="utf-8")
    write_zip(folder, folder.parent / f"{folder.name}.zip", date)
    return report
