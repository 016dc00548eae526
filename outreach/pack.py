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
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from . import preflight as pf
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


PRODUCTS = {
    "leaflet": Product(
        "leaflet", "bilingual leaflet", pf.LEAFLET, binding="none",
        folding="DL roll fold (tri-fold) from A4 landscape, 2 pages (outside, inside). Folds on the outside at "
                "100 mm and 200 mm from the left trim edge; inside panels 97 / 100 / 100 mm; the 97 mm panel "
                "folds in first.",
        paper="coated silk or matt, 130–170 g/m²",
        vi={"binding": "không đóng", "folding": "gấp ba kiểu cuốn (DL) từ khổ A4 ngang, 2 trang (mặt ngoài, mặt "
            "trong). Mặt ngoài gấp tại 100 mm và 200 mm tính từ mép cắt bên trái; mặt trong các tấm rộng 97 / 100 / "
            "100 mm; tấm 97 mm gấp vào trong trước.", "paper": "giấy couché mờ hoặc bóng, 130–170 g/m²"}),
    "handbook": Product(
        "handbook", "handbook (A5 booklet)", pf.BOOKLET, binding="saddle stitch (2 staples)",
        folding="none; single pages in reading order, the printer imposes",
        paper="cover 250 g/m² coated; text pages 80–100 g/m² uncoated or matt",
        vi={"binding": "đóng ghim giữa (2 ghim)", "folding": "không; các trang đơn theo thứ tự đọc, nhà in tự bình "
            "trang", "paper": "bìa couché 250 g/m²; ruột 80–100 g/m² giấy không tráng phủ hoặc couché mờ"}),
    "course": Product(
        "course", "course handout (A4)", pf.HANDOUT, binding="none (loose sheets or a corner staple)",
        folding="none",
        paper="80–100 g/m² uncoated, printed both sides",
        vi={"binding": "không đóng (tờ rời hoặc một ghim góc)", "folding": "không",
            "paper": "giấy không tráng phủ 80–100 g/m², in hai mặt"}),
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


def proof(press: Path, target: Path, label: str, folds_mm=(), draft: bool = False) -> None:
    """Each press page centred on a larger sheet, with crop marks, fold marks and a PROOF label."""
    mm = pf.MM
    with pikepdf.open(press) as source, pikepdf.new() as out:
        font = out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding))
        count = len(source.pages)
        for number, page in enumerate(source.pages, start=1):
            media = [float(v) for v in page.obj.MediaBox]
            trim = [float(v) for v in page.obj.TrimBox]
            margin = PROOF_MARGIN_MM * mm
            width = (media[2] - media[0]) + 2 * margin
            height = (media[3] - media[1]) + 2 * margin
            dx, dy = margin - media[0], margin - media[1]
            page.contents_coalesce()
            form = out.make_stream(page.obj.Contents.read_bytes(), {
                "/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Form,
                "/BBox": pikepdf.Array(media), "/Resources": out.copy_foreign(page.obj.Resources)})
            x0, y0, x1, y1 = trim[0] + dx, trim[1] + dy, trim[2] + dx, trim[3] + dy
            bleed = trim[0] - float(page.obj.BleedBox[0])
            ops = ["q", f"1 0 0 1 {dx:.3f} {dy:.3f} cm", "/Fx0 Do", "Q", "q", "0 0 0 1 K", "0.25 w"]
            for ax, ay, bx, by in _mark_lines(x0, y0, x1, y1, bleed, MARK_GAP_MM * mm, MARK_LENGTH_MM * mm):
                ops.append(f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S")
            folds = folds_mm[(number - 1) % len(folds_mm)] if folds_mm else ()
            ops.append("[2 2] 0 d")
            for fold in folds:
                x = x0 + fold * mm
                start = bleed + MARK_GAP_MM * mm
                ops.append(f"{x:.3f} {y1 + start:.3f} m {x:.3f} {y1 + start + MARK_LENGTH_MM * mm:.3f} l S")
                ops.append(f"{x:.3f} {y0 - start:.3f} m {x:.3f} {y0 - start - MARK_LENGTH_MM * mm:.3f} l S")
            ops.append("Q")
            title = f"PROOF - {label} - page {number} of {count} - trim {(trim[2] - trim[0]) / mm:.0f} x " \
                    f"{(trim[3] - trim[1]) / mm:.0f} mm, bleed {bleed / mm:.0f} mm"
            if folds:
                title += " - dashed marks: folds"
            ops += ["BT", "0 0 0 1 k", "/F1 8 Tf", f"{margin:.3f} {height - 5 * mm:.3f} Td",
                    f"({_pdf_text(title)}) Tj", "ET"]
            if draft:
                ops += ["q", "0 0.9 0.9 0 k", "BT", "/F1 28 Tf", f"{margin:.3f} {margin / 4:.3f} Td",
                        "(DRAFT - NOT APPROVED FOR PRINT) Tj", "ET", "Q"]
            new = out.add_blank_page(page_size=(width, height))
            new.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fx0=form),
                                                   Font=pikepdf.Dictionary(F1=font))
            new.obj.Contents = out.make_stream("\n".join(ops).encode("latin-1"))
            new.obj.TrimBox = pikepdf.Array([x0, y0, x1, y1])
        out.docinfo["/Title"] = f"PROOF {label}"
        out.save(target, deterministic_id=True)


def _pdf_text(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(") \
        .replace(")", "\\)")


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
              version: str, status: str, readme_template, date: dt.date) -> pf.Report:
    """Everything beside the press file: proof, preflight, manifest, README, zip."""
    folder = press.parent
    stem = folder.name
    proof_file = folder / f"{stem}.proof.pdf"
    proof(press, proof_file, stem, product.spec.folds_mm, draft=status != "approved")
    report = pf.preflight(press, product.spec, shown=press.name)
    (folder / "preflight.txt").write_text(report.text(), encoding="utf-8")
    data = manifest(product, document, languages, titles, press, proof_file, version, status, report)
    (folder / "manifest.json").write_text(dump_manifest(data), encoding="utf-8")
    (folder / "README.txt").write_text(readme_template.render(
        m=data, stem=stem, press=press.name, proof=proof_file.name, folds=bool(product.spec.folds_mm),
        vi=product.vi), encoding="utf-8")
    write_zip(folder, folder.parent / f"{folder.name}.zip", date)
    return report
