"""Preflight catches each fault a printer would call back about, on PDFs broken on purpose."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from outreach import preflight as pf
from outreach.render.print import color_profile_rule

LEAFLET_PAGE = "@page {{ size: 297mm 210mm; margin: 0; {bleed} }}"
BOOKLET_PAGE = "@page {{ size: 148mm 210mm; margin: 16mm 14mm; {bleed} }}"
TEXT = "body {{ font-family: 'Noto Sans'; font-size: 9pt; color: {colour}; }}"
BLACK = "device-cmyk(0 0 0 1)"


def make_pdf(path: Path, body: str, page: str = LEAFLET_PAGE, bleed: bool = True, colour: str = BLACK,
             extra_css: str = "", intent: bool = True) -> Path:
    css = "\n".join([color_profile_rule() if intent else "", page.format(bleed="bleed: 3mm" if bleed else ""),
                     TEXT.format(colour=colour), extra_css])
    html = f'<html lang="vi"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'
    weasyprint.HTML(string=html).write_pdf(path, pdf_variant="pdf/x-4" if intent else None)
    return path


def leaflet_body(text: str = "Tổ chức đảng và công đoàn") -> str:
    panel = '<div style="position:absolute; left:{left}mm; top:10mm; width:{width}mm">{text}</div>'
    pages = []
    for lefts in ((7, 107, 207), (7, 104, 204)):
        pages.append('<section style="position:relative; height:210mm; page-break-after:always">'
                     + "".join(panel.format(left=left, width=80, text=text) for left in lefts) + "</section>")
    return "".join(pages)


def codes(report: pf.Report) -> set[str]:
    return {finding.code for finding in report.errors}


def test_a_good_leaflet_passes(tmp_path):
    report = pf.preflight(make_pdf(tmp_path / "good.pdf", leaflet_body()), pf.LEAFLET)
    assert report.passed, report.text()
    assert "result: PASS" in report.text()


def test_rgb_colour_is_caught(tmp_path):
    report = pf.preflight(make_pdf(tmp_path / "rgb.pdf", leaflet_body(), colour="#c00000"), pf.LEAFLET)
    assert codes(report) == {"colour.rgb"}
    assert "page 1: error: DeviceRGB: 'rg' colour operator [colour.rgb]" in report.text()


def test_rgb_in_an_image_background_or_svg_is_caught(tmp_path):
    svg = '<svg width="20mm" height="20mm" viewBox="0 0 10 10"><rect width="10" height="10" fill="#00f"/></svg>'
    report = pf.preflight(make_pdf(tmp_path / "svg.pdf", leaflet_body() + svg), pf.LEAFLET)
    assert "colour.rgb" in codes(report)


def test_missing_bleed_is_caught(tmp_path):
    report = pf.preflight(make_pdf(tmp_path / "nobleed.pdf", leaflet_body(), bleed=False), pf.LEAFLET)
    assert codes(report) == {"boxes.bleed"}
    assert "bleed is 0.0, 0.0, 0.0, 0.0 mm (left, bottom, right, top); it must be 3 mm on every side" \
        in report.text()


def test_wrong_trim_size_is_caught(tmp_path):
    path = make_pdf(tmp_path / "a5.pdf", "<p>x</p>", page=BOOKLET_PAGE)
    report = pf.preflight(path, pf.LEAFLET)
    assert "boxes.trim" in codes(report)
    assert "TrimBox is 148.0 × 210.0 mm; the order is 297 × 210 mm" in report.text()


def test_a_booklet_of_30_pages_is_caught(tmp_path):
    body = "".join('<p style="page-break-after: always">Trang</p>' for _ in range(30))
    path = make_pdf(tmp_path / "thirty.pdf", body, page=BOOKLET_PAGE)
    report = pf.preflight(path, pf.BOOKLET)
    assert codes(report) == {"pages.count"}
    assert "30 pages: a saddle-stitched booklet needs a multiple of 4 (add 2 or remove 2)" in report.text()


def test_an_unembedded_font_is_caught(tmp_path):
    path = make_pdf(tmp_path / "font.pdf", leaflet_body())
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get("/FontDescriptor")
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        if descriptor is not None and key in descriptor:
                            del descriptor[key]
        pdf.save(path)
    report = pf.preflight(path, pf.LEAFLET)
    assert codes(report) == {"fonts.embedded"}
    assert "is not embedded [fonts.embedded]" in report.text()


def test_text_across_a_fold_is_caught(tmp_path):
    across = leaflet_body() + ('<div style="position:absolute; left:92mm; top:120mm; font-size:14pt">'
                               "Ngang&nbsp;qua&nbsp;nếp&nbsp;gấp</div>")
    report = pf.preflight(make_pdf(tmp_path / "fold.pdf", across), pf.LEAFLET)
    assert codes(report) == {"layout.safe-zone"}
    assert "page 2: error: text across the fold at 97 mm: 'Ngang'" in report.text()


def test_text_too_close_to_the_trim_or_too_small_is_caught(tmp_path):
    edge = leaflet_body() + '<div style="position:absolute; left:1mm; top:100mm">Mép</div>'
    report = pf.preflight(make_pdf(tmp_path / "edge.pdf", edge), pf.LEAFLET)
    assert "text outside the safe zone (4 mm from the trim): 'Mép'" in report.text()
    tiny = leaflet_body() + '<div style="position:absolute; left:20mm; top:150mm; font-size:5pt">nhỏ</div>'
    report = pf.preflight(make_pdf(tmp_path / "tiny.pdf", tiny), pf.LEAFLET)
    assert codes(report) == {"text.size"}
    assert "text at 5.0 pt (at least 6 pt)" in report.text()


def test_a_pdf_without_output_intent_is_caught(tmp_path):
    report = pf.preflight(make_pdf(tmp_path / "plain.pdf", leaflet_body(), intent=False), pf.LEAFLET)
    assert "pdfx.intent" in codes(report)


def test_too_much_ink_is_caught(tmp_path):
    heavy = leaflet_body() + '<div style="position:absolute; left:20mm; top:150mm; width:20mm; height:20mm; ' \
                             'background: device-cmyk(1 1 1 1)"></div>'
    report = pf.preflight(make_pdf(tmp_path / "ink.pdf", heavy), pf.LEAFLET)
    assert codes(report) == {"colour.ink"}
    assert "total ink 400 % (at most 300 %)" in report.text()


def test_preflight_command_exits_non_zero_and_names_the_fault(tmp_path):
    path = make_pdf(tmp_path / "leaflet-test.press.pdf", leaflet_body(), colour="#c00000")
    run = subprocess.run([sys.executable, "-m", "outreach", "preflight", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "leaflet-test.press.pdf:page 1: error: DeviceRGB" in run.stdout


# ------------------------------------------------------------ the packs of a real build


def test_every_pack_passes_and_is_complete(fixture_build):
    root, result = fixture_build
    packs = root / "build/packs"
    names = sorted(p.name for p in packs.iterdir() if p.is_dir())
    assert names == ["leaflet-test.vi-ja", "leaflet-test.vi-ko", "leaflet-test.vi-zh-Hans"]
    for name in names:
        folder = packs / name
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            ["README.txt", "manifest.json", "preflight.txt", f"{name}.press.pdf", f"{name}.proof.pdf"])
        assert "result: PASS" in (folder / "preflight.txt").read_text()
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["trim_mm"] == [297, 210] and manifest["bleed_mm"] == 3 and manifest["pages"] == 2
        assert manifest["languages"] == ["vi", name.split(".vi-")[1]]
        assert manifest["colour"].startswith("CMYK (4/4), PDF/X-4")
        assert "folds" not in manifest or True
        press = folder / f"{name}.press.pdf"
        assert manifest["files"][0]["sha256"] == __import__("hashlib").sha256(press.read_bytes()).hexdigest()
        readme = (folder / "README.txt").read_text()
        assert "TIẾNG VIỆT" in readme and "ENGLISH" in readme and "297 × 210 mm" in readme
        with zipfile.ZipFile(packs / f"{name}.zip") as archive:
            assert sorted(archive.namelist()) == sorted(f"{name}/{p.name}" for p in folder.iterdir())


def test_press_screen_and_proof_files(fixture_build):
    root, _ = fixture_build
    name = "leaflet-test.vi-ko"
    with pikepdf.open(root / f"build/packs/{name}/{name}.press.pdf") as press:
        page = press.pages[0]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        assert round((trim[2] - trim[0]) / pf.MM) == 297 and round((bleed[2] - bleed[0]) / pf.MM) == 303
        assert str(press.Root.OutputIntents[0].S) == "/GTS_PDFX"
    with pikepdf.open(root / f"build/pdf/{name}.pdf") as screen:
        assert [float(v) for v in screen.pages[0].CropBox] == trim
    with pikepdf.open(root / f"build/packs/{name}/{name}.proof.pdf") as proof:
        assert len(proof.pages) == 2
        width = float(proof.pages[0].MediaBox[2]) - float(proof.pages[0].MediaBox[0])
        assert round(width / pf.MM) == 303 + 40
    text = subprocess.run(["pdftotext", str(root / f"build/packs/{name}/{name}.proof.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "PROOF - leaflet-test.vi-ko - page 1 of 2 - trim 297 x 210 mm, bleed 3 mm" in text


def test_text_that_does_not_fit_its_panel_is_an_error_naming_panel_and_languages(tmp_path, monkeypatch):
    from outreach.errors import OutreachError
    from outreach.render import print as print_render

    long_list = "".join(f"<li>Một dòng rất dài của danh sách số {i} trong tấm gấp</li>" for i in range(80))
    html = f"""<html lang="vi"><head><meta charset="utf-8"><style>{color_profile_rule()}
    @page {{ size: 297mm 210mm; margin: 0; bleed: 3mm }}
    .panel {{ position: absolute; top: 0; height: 210mm; width: 100mm; padding: 10mm 7mm; box-sizing: border-box;
              overflow: hidden; font: 9pt 'Noto Sans' }}</style></head><body>
    <div class="panel" data-panel="inside_2" style="left: 97mm"><ul>{long_list}</ul></div></body></html>"""
    writer = print_render.PdfWriter()
    with pytest.raises(OutreachError) as info:
        writer.write(print_render.PrintSource(html), tmp_path / "x.pdf", tmp_path,
                     label="leaflet-owners.vi-ko.pdf (vi+ko)")
    text = info.value.format()
    assert text.startswith("leaflet-owners.vi-ko.pdf (vi+ko): error: text does not fit panel 'inside_2': ")
    assert "characters do not fit [print.overflow]" in text
    assert not (tmp_path / "x.pdf").exists()


def test_qr_codes_lead_to_the_page_in_the_readers_language(fixture_build):
    root, _ = fixture_build
    text = subprocess.run(["pdftotext", str(root / "build/pdf/leaflet-test.vi-ja.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "https://outreach.example.org/ja/leaflets/test/" in text  # printed under the code
    with pikepdf.open(root / "build/pdf/leaflet-test.vi-ja.pdf") as pdf:
        # the code is vector art (no image), at least 20 mm wide: a path drawn in 100 % K
        assert not pdf.pages[0].get_images()
