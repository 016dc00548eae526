"""The printed products as a printer and the Board meet them: the leaflet's fold, PDF/X-4 press files, proofs, the
release gate and the review sheet, read from the files the build writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from outreach import pack
from outreach import preflight as pf
from outreach.build import Paths, build
from outreach.errors import OutreachError

from .conftest import LEAFLET, Fixture, fill_catalogs, pdffonts, write_project

PAIRS = ("vi-en", "vi-ko", "vi-zh-Hans", "vi-ja")
SAFE = 4 * pf.MM


def trim_words(path: Path, number: int) -> tuple[list[tuple[float, float, float, float, str]], list[float]]:
    """The words of a page in points from the top left of its TrimBox, and the trim's size."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[number - 1]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
    left, top = trim[0] - media[0], media[3] - trim[3]
    words = [(x0 - left, y0 - top, x1 - left, y1 - top, w) for x0, y0, x1, y1, w in pf.words(path)[number - 1]]
    return words, [trim[2] - trim[0], trim[3] - trim[1]]


def words_of(words, phrase: str):
    """The boxes of the words of a phrase, in the order they are printed (first occurrence of the first word)."""
    tokens = phrase.split()
    texts = [w[4] for w in words]
    for start in range(len(texts)):
        if texts[start:start + len(tokens)] == tokens:
            return words[start:start + len(tokens)]
    raise AssertionError(f"'{phrase}' is not on the page")


def bands(folds_mm, width):
    edges = [0.0, *(f * pf.MM for f in folds_mm), width]
    return list(zip(edges, edges[1:]))


# ------------------------------------------------------------ the fold


@pytest.mark.parametrize("pair", PAIRS)
def test_the_leaflet_is_a_letter_fold(bundled_build, pair):
    """Outside: flap 97 | back 100 | cover 100; inside: 100 | 100 | 97. The cover's title is on the outside right
    panel, the flap's figures on the outside left, and the inside text keeps clear of the inside folds."""
    root, _ = bundled_build
    press = root / f"build/packs/leaflet-owners.{pair}/leaflet-owners.{pair}.press.pdf"
    outside, (width, _) = trim_words(press, 1)
    flap, back, cover = bands((97, 197), width)
    for x0, _, x1, _, word in words_of(outside, "Tổ chức đảng và công đoàn đồng hành cùng doanh nghiệp"):
        assert cover[0] + SAFE <= x0 and x1 <= cover[1] - SAFE, word
    for x0, _, x1, _, word in words_of(outside, "Các khu công nghiệp, khu kinh tế của tỉnh"):
        assert flap[0] + SAFE <= x0 and x1 <= flap[1] - SAFE, word
    for x0, _, x1, _, word in words_of(outside, "Liên hệ"):
        assert back[0] + SAFE <= x0 and x1 <= back[1] - SAFE, word

    inside, (width, _) = trim_words(press, 2)
    panels = bands((100, 200), width)
    assert round((panels[2][1] - panels[2][0]) / pf.MM) == 97  # the narrow panel is the inside right one
    counts = [0, 0, 0]
    for x0, _, x1, _, word in inside:
        index = next((i for i, (a, b) in enumerate(panels) if a + SAFE <= x0 and x1 <= b - SAFE), None)
        assert index is not None, f"'{word}' at {x0 / pf.MM:.1f}–{x1 / pf.MM:.1f} mm is not inside one panel"
        counts[index] += 1
    assert min(counts) > 40, counts
    first = words_of(inside, "Điều này có lợi gì cho doanh nghiệp?")[0]
    assert first[0] < panels[0][1]  # the inside begins behind the cover, on the left


@pytest.mark.parametrize("pair", PAIRS)
def test_the_inside_panels_end_level(bundled_build, pair):
    """No inside panel is left with more than a third of its height empty while a neighbour is full."""
    root, _ = bundled_build
    press = root / f"build/packs/leaflet-owners.{pair}/leaflet-owners.{pair}.press.pdf"
    inside, (width, height) = trim_words(press, 2)
    fill = []
    for left, right in bands((100, 200), width):
        bottoms = [y1 for x0, _, x1, y1, _ in inside if left <= x0 and x1 <= right]
        fill.append(max(bottoms) / height)
    for a, b in ((0, 1), (1, 2)):
        for empty, full in ((fill[a], fill[b]), (fill[b], fill[a])):
            assert not (1 - empty > 1 / 3 and full > 0.85), [f"{f:.0%}" for f in fill]
    assert max(fill) - min(fill) < 0.15, [f"{f:.0%}" for f in fill]


def test_proof_fold_marks_follow_the_letter_fold(bundled_build):
    root, _ = bundled_build
    proof = root / "build/packs/leaflet-owners.vi-ko/leaflet-owners.vi-ko.proof.pdf"
    with pikepdf.open(proof) as pdf:
        for page, folds in zip(pdf.pages, ((97, 197), (100, 200))):
            left = float(page.TrimBox[0])
            dashed = sorted({round((box[0] - left) / pf.MM) for box, dash in mark_segments(page) if dash})
            assert dashed == list(folds)


# ------------------------------------------------------------ PDF/X-4


def test_press_files_are_pdf_x4_for_their_paper(bundled_build):
    root, _ = bundled_build
    conditions = {}
    for manifest_file in sorted((root / "build/packs").glob("*/manifest.json")):
        manifest = json.loads(manifest_file.read_text())
        press = manifest_file.parent / manifest["files"][0]["name"]
        with pikepdf.open(press) as pdf:
            intent = pdf.Root.OutputIntents[0]
            conditions[manifest["kind"], str(intent.OutputConditionIdentifier)] = manifest["paper_surface"]
            assert str(intent.RegistryName) == "http://www.color.org" and str(intent.Info)
            assert manifest["output_intent"]["condition"] == str(intent.OutputConditionIdentifier)
            for page in pdf.pages:
                assert "/Annots" not in page
                assert [float(v) for v in page.MediaBox][:2] == [0, 0]
                assert "/lab-d50" not in page.Resources.get("/ColorSpace", {})
        assert "result: PASS" in (manifest_file.parent / "preflight.txt").read_text()
    assert conditions == {("leaflet", "FOGRA39"): "coated", ("handbook", "FOGRA29"): "uncoated",
                          ("course", "FOGRA29"): "uncoated"}
    with pikepdf.open(root / "build/pdf/handbook-so-tay.vi.pdf") as screen:  # the screen copy keeps its links
        assert sum(len(page.get("/Annots", [])) for page in screen.pages) > 20


def test_every_pdf_passes_qpdf_check(bundled_build):
    root, _ = bundled_build
    files = sorted((root / "build/packs").glob("*/*.pdf")) + sorted((root / "build/pdf").glob("*.pdf"))
    assert len(files) == 19 * 3 + 30  # press file, proof and screen PDF of each press product; screen-only PDFs
    for path in files:
        run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert run.returncode == 0 and "WARNING" not in run.stdout + run.stderr, (path.name, run.stdout[-500:])


# ------------------------------------------------------------ proofs


def mark_segments(page) -> list[tuple[tuple[float, float, float, float], bool]]:
    """The straight lines drawn on the proof sheet itself (crop and fold marks), and whether each is dashed."""
    segments, dashed, start = [], False, None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "d":
            dashed = len(operands[0]) > 0
        elif op == "m":
            start = [float(v) for v in operands]
        elif op == "l" and start:
            end = [float(v) for v in operands]
            segments.append(((start[0], start[1], end[0], end[1]), dashed))
    return segments


def test_proofs_embed_every_font_and_keep_the_draft_label_on_the_sheet_and_off_the_marks(bundled_build):
    root, _ = bundled_build
    proofs = sorted((root / "build/packs").glob("*/*.proof.pdf"))
    assert len(proofs) == 19
    for proof in proofs:
        fonts = pdffonts(proof)
        assert fonts and all(font["emb"] == "yes" for font in fonts), (proof.name, fonts)
        assert not any("Helvetica" in font["name"] for font in fonts)
        with pikepdf.open(proof) as pdf:
            page = pdf.pages[0]
            width, height = float(page.MediaBox[2]), float(page.MediaBox[3])
            marks = [box for box, _ in mark_segments(page)]
        assert len(marks) >= 8
        words = pf.words(proof)[0]
        draft = [w for w in words if w[4] == "DRAFT"][0]
        line = [w for w in words if abs(w[1] - draft[1]) < 1]
        x0, x1 = min(w[0] for w in line), max(w[2] for w in line)
        top, bottom = height - max(w[3] for w in line), height - min(w[1] for w in line)  # PDF y, from the bottom
        assert " ".join(w[4] for w in line) == pack.DRAFT_LABEL
        assert pf.MM <= x0 and x1 <= width - pf.MM and pf.MM <= top and bottom <= height - pf.MM, proof.name
        for ax, ay, bx, by in marks:
            apart = (max(ax, bx) < x0 - pf.MM or min(ax, bx) > x1 + pf.MM
                     or max(ay, by) < top - pf.MM or min(ay, by) > bottom + pf.MM)
            assert apart, (proof.name, (ax, ay, bx, by))


@pytest.mark.parametrize("name", ["handbook-so-tay.ja", "leaflet-owners.vi-ko"])
def test_the_draft_label_shows_below_the_page_inside_the_sheet(bundled_build, tmp_path, name):
    """In the rendered proof, the red label sits in the outer band of the sheet, below the marks."""
    root, _ = bundled_build
    proof = root / f"build/packs/{name}/{name}.proof.pdf"
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(proof), str(tmp_path / "p")],
                   check=True)
    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")
    px_mm = 50 / 25.4
    band_top = int(image.height - pack.PROOF_MARGIN_MM * px_mm)  # below the page and its bleed
    red = [(x, y) for y in range(band_top, image.height) for x in range(image.width)
           if (lambda r, g, b: r > 180 and g < 110 and b < 110)(*image.getpixel((x, y)))]
    assert red, "no red label below the page"
    xs, ys = [x for x, _ in red], [y for _, y in red]
    assert min(xs) > 2 and max(xs) < image.width - 3 and max(ys) < image.height - 2
    marks_end = image.height - (pack.PROOF_MARGIN_MM - pack.MARK_GAP_MM - pack.MARK_LENGTH_MM) * px_mm
    assert min(ys) > marks_end  # lower than the lowest end of any crop or fold mark


# ------------------------------------------------------------ the release gate

SIGNED = LEAFLET.replace("status:\n  state: draft",
                         "status:\n  state: approved\n  by: Trưởng Ban Tuyên giáo\n  date: 2026-11-20")
FILLED = Fixture("""\
office: Ban Tuyên giáo Tỉnh ủy
unit: Bộ phận chuyên trách
address: Số nhà, đường, phường
phone: "0000 000 000"
email: contact@example.org
""")


def test_a_document_cannot_be_approved_while_the_site_address_is_a_placeholder(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/test.yaml": SIGNED, "content/contacts.yaml": FILLED})
    with pytest.raises(OutreachError) as info:
        build(Paths(root))
    text = info.value.format()
    assert ("leaflet 'test' cannot be approved: its QR code and printed URL lead to outreach.example.org, a "
            "placeholder host [status.site-url]") in text
    site = root / "content/site.yaml"
    line = next(n for n, t in enumerate(site.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("url:"))
    assert f"help: set url in {site} (line {line}) to the address the site is published at" in text
    assert not (root / "build").exists()
    run = subprocess.run([sys.executable, "-m", "outreach", "check"], cwd=root, capture_output=True, text=True)
    assert run.returncode == 1 and "[status.site-url]" in run.stderr
    assert "content/leaflets/test.yaml:" in run.stderr
    with pytest.raises(OutreachError) as info:
        build(Paths(root), site_url="http://localhost:8000/")
    assert "help: set the --site-url given to this build to the address" in info.value.format()


def test_a_reviewed_press_file_with_blank_contacts_fails_preflight(tmp_path):
    reviewed = LEAFLET.replace("status:\n  state: draft",
                               "status:\n  state: reviewed\n  by: Phó Ban Tuyên giáo\n  date: 2026-11-20")
    root = write_project(tmp_path, {"content/leaflets/test.yaml": reviewed})
    fill_catalogs(root)
    with pytest.raises(OutreachError) as info:
        build(Paths(root), site_url="https://tuyengiao.binhphuoc.gov.vn/outreach/")
    text = info.value.format()
    assert ("build/packs/leaflet-test.vi-ko/leaflet-test.vi-ko.press.pdf:page 1: error: contact details are "
            "missing: '[chưa có – Ban Tuyên giáo sẽ bổ sung]' is printed in their place") in text
    assert "[release.url]" not in text and "[release.qr]" not in text


# ------------------------------------------------------------ the review sheet


def test_proofsheet_shows_every_page_of_every_product_per_language(fixture_build, tmp_path):
    root, _ = fixture_build
    run = subprocess.run([sys.executable, "-m", "outreach", "proofsheet", "--out", str(tmp_path)], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert written == ["proofsheet.ja.pdf", "proofsheet.ko.pdf", "proofsheet.zh-Hans.pdf"]  # vi-en is not printed
    for code in ("ja", "ko", "zh-Hans"):
        sheet = tmp_path / f"proofsheet.{code}.pdf"
        text = " ".join(subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout.split())
        assert f"leaflet-test.vi-{code} · p. 1 (mặt ngoài / outside)" in text
        assert f"leaflet-test.vi-{code} · p. 2 (mặt trong / inside)" in text
        assert "draft" in text and "FOGRA39" in text
        images = subprocess.run(["pdfimages", "-list", str(sheet)], capture_output=True, text=True).stdout
        assert len(images.splitlines()[2:]) == 2  # one thumbnail per press page
        fonts = pdffonts(sheet)
        assert fonts and all(font["emb"] == "yes" for font in fonts)


def test_proofsheet_of_the_bundled_edition_has_every_page(bundled_build, tmp_path):
    root, _ = bundled_build
    from outreach.languages import get
    from outreach.proofsheet import write_proofsheets

    written = write_proofsheets(root / "build/packs", tmp_path, (get("vi"), get("ja")))
    assert [p.name for p in written] == ["proofsheet.vi.pdf", "proofsheet.ja.pdf"]
    for sheet, code in zip(written, ("vi", "ja")):
        expected = sum(json.loads(m.read_text())["pages"] for m in (root / "build/packs").glob("*/manifest.json")
                       if json.loads(m.read_text())["languages"][-1] == code)
        images = subprocess.run(["pdfimages", "-list", str(sheet)], capture_output=True, text=True).stdout
        assert len(images.splitlines()[2:]) == expected
        text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout
        assert f"handbook-so-tay.{code} · p. 2–3" in text  # a booklet is shown in reading spreads


def test_proofsheet_without_packs_says_to_build(tmp_path):
    write_project(tmp_path)
    run = subprocess.run([sys.executable, "-m", "outreach", "proofsheet"], cwd=tmp_path, capture_output=True,
                         text=True)
    assert run.returncode == 1
    assert "error: no printer packs to review [proofsheet.input]" in run.stderr and "help: run: outreach build" \
        in run.stderr
