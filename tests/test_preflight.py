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

from outreach import pack, press
from outreach import preflight as pf
from outreach.render.print import PrintSource, color_profile_rule, pdf_key, render_pdf

LEAFLET_PAGE = "@page {{ size: 297mm 210mm; margin: 0; {bleed} }}"
BOOKLET_PAGE = "@page {{ size: 148mm 210mm; margin: 16mm 14mm; {bleed} }}"
TEXT = "body {{ font-family: 'Noto Sans'; font-size: 9pt; color: {colour}; }}"
BLACK = "device-cmyk(0 0 0 1)"


def make_pdf(path: Path, body: str, page: str = LEAFLET_PAGE, bleed: bool = True, colour: str = BLACK,
             extra_css: str = "", intent: bool = True, finish: bool = True, paper: str = "coated") -> Path:
    """A PDF from WeasyPrint, finished as the build finishes press files (unless ``finish`` is false)."""
    css = "\n".join([color_profile_rule() if intent else "", page.format(bleed="bleed: 3mm" if bleed else ""),
                     TEXT.format(colour=colour), extra_css])
    html = f'<html lang="vi"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'
    weasyprint.HTML(string=html).write_pdf(path, pdf_variant="pdf/x-4" if intent else None)
    if intent and finish:
        press.finish(path, press.CONDITIONS[paper])
    return path


def leaflet_body(text: str = "Tổ chức đảng và công đoàn") -> str:
    panel = '<div style="position:absolute; left:{left}mm; top:10mm; width:{width}mm">{text}</div>'
    pages = []
    for lefts in ((7, 104, 204), (7, 107, 207)):  # outside folds at 97 and 197 mm, inside at 100 and 200
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
    assert "\nrgb.pdf:page 1: error: DeviceRGB: 'rg' colour operator [colour.rgb]\n" in report.text()
    # a finding is a diagnostic like any other, located at the file and its page
    first = report.errors[0]
    assert (first.location.path, first.location.page, str(first.location)) == ("rgb.pdf", 1, "rgb.pdf:page 1")


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
    path = make_pdf(tmp_path / "thirty.pdf", body, page=BOOKLET_PAGE, paper="uncoated")
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
    assert "page 2: error: text across the fold at 100 mm: 'Ngang'" in report.text()


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


def test_what_weasyprint_writes_is_not_yet_pdf_x(tmp_path):
    """Its MediaBox starts at minus the bleed, every page declares Lab and ICC colour spaces it does not use,
    and the output intent is named after the profile, not a printing condition."""
    report = pf.preflight(make_pdf(tmp_path / "raw.pdf", leaflet_body(), finish=False), pf.LEAFLET)
    assert codes(report) == {"boxes.origin", "pdfx.colour-space", "pdfx.condition"}
    assert "page 1: error: the MediaBox starts at (-8.50394, -8.50394), not at the origin (0, 0)" in report.text()
    assert "page 1: error: unused colour space /lab-d50 in the resources [pdfx.colour-space]" in report.text()
    assert ("error: the output intent names 'Artifex CMYK SWOP Profile' with no RegistryName, not a characterised "
            "printing condition registered at http://www.color.org") in report.text()


def test_finished_press_files_name_the_printing_condition_of_their_paper(tmp_path):
    coated = make_pdf(tmp_path / "coated.pdf", leaflet_body())
    with pikepdf.open(coated) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert "paper type 1 or 2" in str(intent.Info)
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:24] == b"CMYKLab " and int(intent.DestOutputProfile.N) == 4
        assert [float(v) for v in pdf.pages[0].MediaBox][:2] == [0, 0]
        assert [round(float(v) / pf.MM, 1) for v in pdf.pages[0].TrimBox] == [3, 3, 300, 213]
    assert pf.preflight(coated, pf.LEAFLET).passed
    uncoated_leaflet = pf.preflight(make_pdf(tmp_path / "uncoated.pdf", leaflet_body(), paper="uncoated"), pf.LEAFLET)
    assert codes(uncoated_leaflet) == {"pdfx.condition"}
    assert ("the output intent is FOGRA29, for uncoated paper; this leaflet prints on coated paper: FOGRA39"
            in uncoated_leaflet.text())
    assert {name: product.condition.identifier for name, product in pack.PRODUCTS.items()} == {
        "leaflet": "FOGRA39", "handbook": "FOGRA29", "course": "FOGRA29"}


def test_an_output_intent_without_a_registered_condition_is_caught(tmp_path):
    path = make_pdf(tmp_path / "swop.pdf", leaflet_body())
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        intent = pdf.Root.OutputIntents[0]
        intent.OutputConditionIdentifier = pikepdf.String("My printer's CMYK")
        pdf.save(path)
    report = pf.preflight(path, pf.LEAFLET)
    assert codes(report) == {"pdfx.condition"}
    assert "names 'My printer's CMYK' in registry 'http://www.color.org', not a characterised" in report.text()


def test_an_annotation_in_the_printable_area_is_caught(tmp_path):
    path = make_pdf(tmp_path / "link.pdf", leaflet_body())
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        def link(rect):
            return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                        Rect=rect, Border=[0, 0, 0]))
        pdf.pages[1].Annots = pdf.make_indirect(pikepdf.Array([link([100, 100, 200, 120])]))
        # outside the BleedBox: allowed
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([link([-50, -50, -10, -10])]))
        pdf.save(path)
    report = pf.preflight(path, pf.LEAFLET)
    assert codes(report) == {"pdfx.annotations"}
    assert "page 2: error: annotations in the printable area (1 Link): PDF/X forbids them" in report.text()
    assert "page 1:" not in report.text()


def test_links_stay_in_the_screen_pdf_and_leave_the_press_file(tmp_path):
    body = leaflet_body('<a href="https://tuyengiao.binhphuoc.gov.vn/">Trang</a>')
    css = "\n".join([color_profile_rule(), LEAFLET_PAGE.format(bleed="bleed: 3mm"), TEXT.format(colour=BLACK),
                     "a { color: inherit }"])
    html = f'<html lang="vi"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'
    raw, screen = tmp_path / "raw.pdf", tmp_path / "screen.pdf"
    source = PrintSource(html)
    assert render_pdf(source, raw, tmp_path, pdf_key(source), screen=screen) == []  # one layout, two files
    press.finish(raw, press.CONDITIONS["coated"])
    with pikepdf.open(screen) as pdf:
        assert sum(len(page.get("/Annots", [])) for page in pdf.pages) == 6
    with pikepdf.open(raw) as pdf:
        assert all("/Annots" not in page for page in pdf.pages)
    assert pf.preflight(raw, pf.LEAFLET).passed


def test_an_unused_colour_space_is_caught(tmp_path):
    path = make_pdf(tmp_path / "lab.pdf", leaflet_body())
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        resources = pdf.pages[0].Resources
        resources.ColorSpace = pikepdf.Dictionary({"/lab-d50": pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(
            WhitePoint=[0.9642, 1, 0.8251])])})
        pdf.save(path)
    report = pf.preflight(path, pf.LEAFLET)
    assert codes(report) == {"pdfx.colour-space"}
    assert "page 1: error: unused colour space /lab-d50 in the resources" in report.text()


def test_an_unembedded_font_in_the_proof_fails_the_pack(tmp_path):
    path = make_pdf(tmp_path / "good.press.pdf", leaflet_body())
    slug = tmp_path / "old.proof.pdf"
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(200, 100))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))))
        page.Contents = pdf.make_stream(b"BT /F1 8 Tf 10 10 Td (PROOF) Tj ET")
        pdf.save(slug)
    report = pf.preflight(path, pf.LEAFLET, companions=[slug])
    assert codes(report) == {"fonts.embedded"}
    assert "\nold.proof.pdf:page 1: error: font Helvetica is not embedded [fonts.embedded]\n" in report.text()


def test_an_unembedded_font_inside_a_form_of_the_proof_is_found_on_its_page(tmp_path):
    path = make_pdf(tmp_path / "good.press.pdf", leaflet_body())
    proof = tmp_path / "nested.proof.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(200, 100))
        page = pdf.add_blank_page(page_size=(200, 100))
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Courier))
        form = pdf.make_stream(b"BT /F1 8 Tf 10 10 Td (PROOF) Tj ET", Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Form, BBox=[0, 0, 200, 100],
                               Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
        page.Contents = pdf.make_stream(b"q /Fm1 Do Q")
        pdf.save(proof)
    report = pf.preflight(path, pf.LEAFLET, companions=[proof])
    assert codes(report) == {"fonts.embedded"}
    assert "\nnested.proof.pdf:page 2: error: font Courier is not embedded [fonts.embedded]\n" in report.text()


# ------------------------------------------------------------ the release gate

QR_PAGE = ('<div style="position:absolute; left:120mm; top:60mm; width:30mm">{qr}</div>'
           '<div style="position:absolute; left:120mm; top:95mm; font-size:8pt">{url}</div>')


def release_pdf(tmp_path: Path, url: str, extra: str = "") -> Path:
    from outreach.render.print import qr_svg

    body = leaflet_body() + QR_PAGE.format(qr=qr_svg(url), url=url) + extra
    return make_pdf(tmp_path / f"release-{len(list(tmp_path.iterdir()))}.pdf", body,
                    extra_css=".qr svg, svg { width: 30mm; height: 30mm }")


def test_a_press_file_for_print_must_not_lead_to_a_placeholder_host(tmp_path):
    path = release_pdf(tmp_path, "https://outreach.example.org/vi/leaflets/owners/")
    approved = pf.preflight(path, pf.LEAFLET, status="approved")
    assert codes(approved) == {"release.url", "release.qr"}
    assert ("page 2: error: a printed URL leads to outreach.example.org, a placeholder host: set url in "
            "content/site.yaml to the address the site is published at (or build with --site-url) [release.url]"
            in approved.text())
    assert ("page 2: error: the QR code leads to https://outreach.example.org/vi/leaflets/owners/, a placeholder "
            "host: set url in content/site.yaml" in approved.text())
    assert pf.preflight(path, pf.LEAFLET, status="draft").passed  # a draft may be proofed
    assert not pf.preflight(path, pf.LEAFLET).passed  # a file whose status is unknown is held to the rule
    for host in ("localhost:8000", "leaflets.invalid", "site.test", "127.0.0.1", "www.example.com"):
        report = pf.preflight(release_pdf(tmp_path, f"http://{host}/vi/"), pf.LEAFLET, status="reviewed")
        assert "release.qr" in codes(report), host


def test_a_press_file_for_print_with_the_real_address_and_contacts_passes(tmp_path):
    path = release_pdf(tmp_path, "https://tuyengiao.binhphuoc.gov.vn/vi/")
    report = pf.preflight(path, pf.LEAFLET, status="approved", blanks=("[chưa có – Ban Tuyên giáo sẽ bổ sung]",))
    assert report.passed, report.text()


def test_a_press_file_for_print_must_not_print_blank_contacts(tmp_path):
    blank = "[chưa có – Ban Tuyên giáo sẽ bổ sung]"
    path = release_pdf(tmp_path, "https://tuyengiao.binhphuoc.gov.vn/vi/",
                       f'<div style="position:absolute; left:110mm; top:150mm; width:60mm">Điện thoại: {blank}</div>')
    report = pf.preflight(path, pf.LEAFLET, status="approved", blanks=(blank, "[미정 – 선전교육위원회에서 추후 기재]"))
    assert codes(report) == {"release.contacts"}
    assert (f"page 2: error: contact details are missing: '{blank}' is printed in their place; fill in "
            "content/contacts.yaml [release.contacts]") in report.text()
    assert pf.preflight(path, pf.LEAFLET, status="draft", blanks=(blank,)).passed


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
        assert manifest["folding"].startswith("DL letter fold (roll fold) from A4 landscape, 2 pages")
        assert "folds at 97 and 197 mm from the left trim edge" in manifest["folding"]
        assert manifest["binding"] == "none"
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
        assert [float(v) for v in page.MediaBox][:2] == [0, 0]
        assert "/Annots" not in page
    with pikepdf.open(root / f"build/pdf/{name}.pdf") as screen:
        crop = [float(v) for v in screen.pages[0].CropBox]
        assert (crop[2] - crop[0], crop[3] - crop[1]) == pytest.approx((trim[2] - trim[0], trim[3] - trim[1]))
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
