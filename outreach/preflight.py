"""Preflight: the checks a printer's prepress would run, on every page of a press PDF.

Each check is a small function that takes the opened PDF and the product's
specification and yields findings; ``CHECKS`` lists them all. A finding is a
``Diagnostic`` located at the file and its page (``leaflet.press.pdf:page 2``):
an error (the file must not go to press) or a warning (worth a look).
"""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pikepdf

from .errors import Diagnostic, Location
from .press import BY_IDENTIFIER, REGISTERED_CONDITIONS, REGISTRY
from .release import placeholder_host

MM = 72 / 25.4
TOLERANCE = 0.5  # points


@dataclass(frozen=True)
class Spec:
    """What a press file must be."""

    product: str  # "leaflet", "booklet" or "handout"
    trim_mm: tuple[float, float]
    bleed_mm: float = 3.0
    pages: str = "any"  # "2", "multiple-of-4" or "any"
    safe_mm: float = 4.0  # text at least this far inside the trim
    folds_mm: tuple[tuple[float, ...], ...] = ()  # per page (cycled): fold positions from the left trim edge
    min_text_pt: float = 6.0
    min_ppi: float = 300.0
    max_ink: float = 3.0
    paper: str = "coated"  # "coated" or "uncoated": which printing condition the output intent must name


# The leaflet is a letter fold: outside flap 97 | back 100 | cover 100, inside 100 | 100 | 97 (mm).
LEAFLET = Spec("leaflet", (297, 210), pages="2", safe_mm=4.0, folds_mm=((97, 197), (100, 200)))
BOOKLET = Spec("booklet", (148, 210), pages="multiple-of-4", safe_mm=6.0, paper="uncoated")
HANDOUT = Spec("handout", (210, 297), pages="any", safe_mm=6.0, paper="uncoated")
SPECS = {"leaflet": LEAFLET, "booklet": BOOKLET, "handout": HANDOUT}


def finding(path: Path, code: str, message: str, page: int | None = None, severity: str = "error") -> Diagnostic:
    """What a check found in the PDF at ``path``, on a page (from 1) or in the whole file (None)."""
    return Diagnostic(Location(path.name, page=page or 0), message, code, severity, source_line="")


@dataclass
class Report:
    path: str
    spec: Spec
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    checks: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def passed(self) -> bool:
        return not self.errors

    def text(self) -> str:
        lines = [f"Preflight of {self.path}",
                 f"product: {self.spec.product}; trim {self.spec.trim_mm[0]:g} × {self.spec.trim_mm[1]:g} mm; "
                 f"bleed {self.spec.bleed_mm:g} mm; pages: {self.pages}",
                 f"checks: {', '.join(self.checks)}",
                 f"result: {'PASS' if self.passed else 'FAIL'} ({len(self.errors)} errors, "
                 f"{len(self.diagnostics) - len(self.errors)} warnings)"]
        lines += [diagnostic.format() for diagnostic in self.diagnostics]
        return "\n".join(lines) + "\n"


Check = Callable[[pikepdf.Pdf, Spec, Path], Iterator[Diagnostic]]


def _box(page: pikepdf.Page, name: str):
    value = page.obj.get(name)
    return [float(v) for v in value] if value is not None else None


def check_boxes(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    """TrimBox = the ordered size; BleedBox = trim + bleed on every side, on every page."""
    width, height = (v * MM for v in spec.trim_mm)
    bleed = spec.bleed_mm * MM
    for number, page in enumerate(pdf.pages, start=1):
        trim, bleed_box, media = _box(page, "/TrimBox"), _box(page, "/BleedBox"), _box(page, "/MediaBox")
        if media and (abs(media[0]) > 0.01 or abs(media[1]) > 0.01):
            yield finding(path, "boxes.origin", f"the MediaBox starts at ({media[0]:g}, {media[1]:g}), not at the "
                          "origin (0, 0), which some RIPs and imposition tools get wrong", number)
        if trim is None:
            yield finding(path, "boxes.trim", "no TrimBox", number)
            continue
        size = (trim[2] - trim[0], trim[3] - trim[1])
        if abs(size[0] - width) > TOLERANCE or abs(size[1] - height) > TOLERANCE:
            yield finding(path, "boxes.trim", f"TrimBox is {size[0] / MM:.1f} × {size[1] / MM:.1f} mm; the order is "
                          f"{spec.trim_mm[0]:g} × {spec.trim_mm[1]:g} mm", number)
        if bleed_box is None:
            yield finding(path, "boxes.bleed", "no BleedBox", number)
            continue
        margins = (trim[0] - bleed_box[0], trim[1] - bleed_box[1], bleed_box[2] - trim[2], bleed_box[3] - trim[3])
        if any(abs(m - bleed) > TOLERANCE for m in margins):
            shown = ", ".join(f"{m / MM:.1f}" for m in margins)
            yield finding(path, "boxes.bleed", f"bleed is {shown} mm (left, bottom, right, top); it must be "
                          f"{spec.bleed_mm:g} mm on every side", number)


def check_page_count(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    count = len(pdf.pages)
    if spec.pages == "multiple-of-4" and count % 4:
        yield finding(path, "pages.count", f"{count} pages: a saddle-stitched booklet needs a multiple of 4 "
                      f"(add {-count % 4} or remove {count % 4})")
    if spec.pages.isdigit() and count != int(spec.pages):
        yield finding(path, "pages.count", f"{count} pages: this product has {spec.pages}")


def check_output_intent(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    """A PDF/X output intent that names a characterised printing condition (registered at color.org), fits the
    product's paper, and carries its CMYK profile."""
    intents = pdf.Root.get("/OutputIntents")
    pdfx = [i for i in (intents or []) if i.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        yield finding(path, "pdfx.intent", "no PDF/X output intent")
        return
    intent = pdfx[0]
    profile = intent.get("/DestOutputProfile")
    if profile is None or int(profile.get("/N", 0)) != 4:
        yield finding(path, "pdfx.intent", "the output intent has no CMYK (4-component) ICC profile")
    identifier = str(intent.get("/OutputConditionIdentifier", ""))
    registry = str(intent.get("/RegistryName", ""))
    if identifier not in REGISTERED_CONDITIONS or registry != REGISTRY:
        yield finding(path, "pdfx.condition", f"the output intent names '{identifier}'"
                      + (f" in registry '{registry}'" if registry else " with no RegistryName")
                      + f", not a characterised printing condition registered at {REGISTRY} (such as FOGRA39 "
                      "for coated or FOGRA29 for uncoated paper)")
    elif not str(intent.get("/Info", "")).strip():
        yield finding(path, "pdfx.condition", f"the output intent {identifier} has no Info (the condition in words)")
    wanted = next((c for c in BY_IDENTIFIER.values() if c.paper == spec.paper), None)
    known = BY_IDENTIFIER.get(identifier)
    if wanted and known and known is not wanted:
        yield finding(path, "pdfx.condition", f"the output intent is {identifier}, for {known.paper} paper; this "
                      f"{spec.product} prints on {spec.paper} paper: {wanted.identifier}")


def check_annotations(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    """PDF/X forbids annotations (links, notes, form fields) inside the BleedBox: the printable area."""
    for number, page in enumerate(pdf.pages, start=1):
        area = _box(page, "/BleedBox") or _box(page, "/TrimBox") or _box(page, "/MediaBox")
        inside: dict[str, int] = {}
        for annotation in page.obj.get("/Annots", []):
            subtype = str(annotation.get("/Subtype", "/Annot")).lstrip("/")
            rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
            x0, x1 = sorted(rect[0::2])
            y0, y1 = sorted(rect[1::2])
            if subtype != "PrinterMark" and x0 < area[2] and x1 > area[0] and y0 < area[3] and y1 > area[1]:
                inside[subtype] = inside.get(subtype, 0) + 1
        if inside:
            shown = ", ".join(f"{count} {kind}" for kind, count in sorted(inside.items()))
            yield finding(path, "pdfx.annotations", f"annotations in the printable area ({shown}): PDF/X forbids them",
                          number)


def check_colour_spaces(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    """Every colour space declared in a page's resources is used by what draws with them."""
    reported = set()
    for page, name in _walked(pdf).unused_spaces:
        if (page, name) not in reported:
            reported.add((page, name))
            yield finding(path, "pdfx.colour-space", f"unused colour space {name} in the resources", page)


# ------------------------------------------------------------ content streams


def _resources_colorspace(resources, name) -> str:
    spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
    value = spaces.get(name)
    return _space_name(value) if value is not None else str(name)


def _space_name(value) -> str:
    """A colour space's family, with ICC profiles named by their number of components."""
    if isinstance(value, pikepdf.Name):
        return str(value)
    if isinstance(value, pikepdf.Array) and len(value):
        family = str(value[0])
        if family == "/ICCBased":
            n = int(value[1].get("/N", 0))
            return {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(n, family)
        if family == "/Indexed":
            return _space_name(value[1])
        if family in ("/CalRGB", "/Lab"):
            return "/DeviceRGB"
        if family in ("/Separation", "/DeviceN"):
            return family
        return family
    return str(value)


def _mul(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


@dataclass
class Walk:
    """What a walk through every content stream found."""

    rgb: list[tuple[int, str]] = field(default_factory=list)
    ink: list[tuple[int, float]] = field(default_factory=list)
    text_sizes: list[tuple[int, float]] = field(default_factory=list)
    images: list[tuple[int, str, float]] = field(default_factory=list)  # page, name, effective ppi
    fonts: dict[str, tuple[int, bool]] = field(default_factory=dict)  # font name → (page, embedded)
    unused_spaces: list[tuple[int, str]] = field(default_factory=list)  # page, colour space name


def _font_embedded(font) -> bool:
    subtype = str(font.get("/Subtype"))
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        font = descendants[0] if descendants else font
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


# the operators _walk_stream reads: graphics state, colour, text position and size, drawing of text and
# XObjects (the parser skips the others: paths, text spacing, marked content)
WALKED = "q Q cm rg RG cs CS k K sc scn SC SCN BT Tf Tm Td TD Tj TJ ' \" Do"


def _walk_stream(stream, resources, page_no: int, ctm, walk: Walk, seen: set) -> None:
    if resources is not None:
        for name, font in resources.get("/Font", {}).items():
            base = str(font.get("/BaseFont", name))
            if base not in walk.fonts or not walk.fonts[base][1]:
                walk.fonts[base] = (page_no, _font_embedded(font))
        for name, shading in resources.get("/Shading", {}).items():
            if _space_name(shading.get("/ColorSpace")) == "/DeviceRGB":
                walk.rgb.append((page_no, f"shading {name}"))
        for name, gstate in resources.get("/ExtGState", {}).items():
            mask = gstate.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
                _walk_xobject(mask.G, page_no, ctm, walk, seen, f"soft mask {name}")
        for name, pattern in resources.get("/Pattern", {}).items():
            if int(pattern.get("/PatternType", 0)) == 2:
                shading = pattern.get("/Shading")
                if shading is not None and _space_name(shading.get("/ColorSpace")) == "/DeviceRGB":
                    walk.rgb.append((page_no, f"pattern {name}"))
            elif isinstance(pattern, pikepdf.Stream) and pattern.objgen not in seen:
                seen.add(pattern.objgen)
                _walk_stream(pattern, pattern.get("/Resources"), page_no, ctm, walk, seen)
    stack = []
    tm = [1, 0, 0, 1, 0, 0]
    size = 0.0
    selected = set()
    for operands, operator in pikepdf.parse_content_stream(stream, WALKED):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif op in ("rg", "RG"):
            walk.rgb.append((page_no, f"'{op}' colour operator"))
        elif op in ("cs", "CS"):
            selected.add(str(operands[0]))
            space = _resources_colorspace(resources, operands[0])
            if space == "/DeviceRGB":
                walk.rgb.append((page_no, f"colour space {operands[0]}"))
        elif op in ("k", "K") or (op in ("sc", "scn", "SC", "SCN") and len(operands) == 4 and all(
                isinstance(v, (int, float)) or type(v).__name__ == "Decimal" for v in operands)):
            walk.ink.append((page_no, sum(float(v) for v in operands)))
        elif op == "BT":
            tm = [1, 0, 0, 1, 0, 0]
            line = tm
        elif op == "Tf":
            size = float(operands[1])
        elif op == "Tm":
            tm = [float(v) for v in operands]
            line = tm
        elif op in ("Td", "TD"):
            line = _mul([1, 0, 0, 1, float(operands[0]), float(operands[1])], line)
            tm = line
        elif op in ("Tj", "TJ", "'", '"'):
            m = _mul(tm, ctm)
            scale = math.hypot(m[2], m[3])
            walk.text_sizes.append((page_no, size * scale))
        elif op == "Do" and resources is not None:
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                width_pt = math.hypot(ctm[0], ctm[1])
                pixels = int(xobject.get("/Width", 0))
                ppi = pixels / (width_pt / 72) if width_pt else float("inf")
                walk.images.append((page_no, str(operands[0]), ppi))
                if _space_name(xobject.get("/ColorSpace")) == "/DeviceRGB":
                    walk.rgb.append((page_no, f"image {operands[0]}"))
            else:
                _walk_xobject(xobject, page_no, ctm, walk, seen, f"form {operands[0]}")
    if resources is not None:
        walk.unused_spaces += [(page_no, str(name)) for name in resources.get("/ColorSpace", {}).keys()
                               if str(name) not in selected]


def _walk_xobject(xobject, page_no, ctm, walk: Walk, seen: set, label: str) -> None:
    group = xobject.get("/Group")
    if group is not None and _space_name(group.get("/CS")) == "/DeviceRGB":
        walk.rgb.append((page_no, f"transparency group of {label}"))
    if xobject.objgen in seen and xobject.objgen != (0, 0):
        return
    seen.add(xobject.objgen)
    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
    _walk_stream(xobject, xobject.get("/Resources"), page_no, _mul(matrix, ctm), walk, seen)


def walk_pdf(pdf: pikepdf.Pdf) -> Walk:
    walk = Walk()
    seen: set = set()
    for number, page in enumerate(pdf.pages, start=1):
        group = page.obj.get("/Group")
        if group is not None and _space_name(group.get("/CS")) == "/DeviceRGB":
            walk.rgb.append((number, "page transparency group"))
        _walk_stream(page, page.obj.get("/Resources"), number, [1, 0, 0, 1, 0, 0], walk, seen)
        for annotation in page.obj.get("/Annots", []):
            appearance = annotation.get("/AP")
            if appearance is not None and isinstance(appearance.get("/N"), pikepdf.Stream):
                _walk_xobject(appearance.N, number, [1, 0, 0, 1, 0, 0], walk, seen, "annotation")
    return walk


_WALKS: dict[int, Walk] = {}


def _walked(pdf: pikepdf.Pdf) -> Walk:
    key = id(pdf)
    if key not in _WALKS:
        _WALKS.clear()
        _WALKS[key] = walk_pdf(pdf)
    return _WALKS[key]


def check_colour(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    """No DeviceRGB anywhere: content streams, images, shadings, patterns, transparency groups."""
    seen = set()
    for page, what in _walked(pdf).rgb:
        if (page, what) not in seen:
            seen.add((page, what))
            yield finding(path, "colour.rgb", f"DeviceRGB: {what}", page)


def check_ink(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    worst: dict[int, float] = {}
    for page, total in _walked(pdf).ink:
        worst[page] = max(worst.get(page, 0), total)
    for page, total in sorted(worst.items()):
        if total > spec.max_ink + 1e-6:
            yield finding(path, "colour.ink", f"total ink {total * 100:.0f} % (at most {spec.max_ink * 100:.0f} %)",
                          page)


def check_fonts(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    for name, (page, embedded) in sorted(_walked(pdf).fonts.items()):
        if not embedded:
            yield finding(path, "fonts.embedded", f"font {name.lstrip('/')} is not embedded", page)


def check_text_size(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    smallest: dict[int, float] = {}
    for page, size in _walked(pdf).text_sizes:
        if size > 0:
            smallest[page] = min(smallest.get(page, size), size)
    for page, size in sorted(smallest.items()):
        if size < spec.min_text_pt - 0.05:
            yield finding(path, "text.size", f"text at {size:.1f} pt (at least {spec.min_text_pt:g} pt)", page)


def check_images(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    for page, name, ppi in _walked(pdf).images:
        if ppi < spec.min_ppi:
            yield finding(path, "images.resolution", f"image {name} at {ppi:.0f} ppi (at least {spec.min_ppi:g})", page)


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


_WORDS: dict[tuple[str, int, int], list] = {}


def words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Word boxes per page, in reading order, in points from the top left of the MediaBox (poppler's
    pdftotext -bbox). One run of pdftotext per file: the safe zone and the release gate read the same words."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _WORDS:
        output = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                                text=True).stdout
        _WORDS.clear()
        _WORDS[key] = [[(float(a), float(b), float(c), float(d), html.unescape(w))
                        for a, b, c, d, w in WORD.findall(chunk)] for chunk in output.split("<page ")[1:]]
    return _WORDS[key]


def check_safe_zone(pdf: pikepdf.Pdf, spec: Spec, path: Path) -> Iterator[Diagnostic]:
    """Text stays inside the safe zone, and off the folds."""
    safe = spec.safe_mm * MM
    for number, (page, page_words) in enumerate(zip(pdf.pages, words(path)), start=1):
        media, trim = _box(page, "/MediaBox"), _box(page, "/TrimBox")
        if trim is None:
            continue
        # pdftotext measures from the top left of the MediaBox
        left, top = trim[0] - media[0], media[3] - trim[3]
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        folds = [f * MM for f in spec.folds_mm[(number - 1) % len(spec.folds_mm)]] if spec.folds_mm else []
        reported = 0
        for x0, y0, x1, y1, word in page_words:
            x0, x1, y0, y1 = x0 - left, x1 - left, y0 - top, y1 - top
            crossed = [f for f in folds if x0 < f < x1]
            problem = None
            if crossed:
                problem = f"text across the fold at {crossed[0] / MM:.0f} mm: '{word}'"
            elif x0 < safe or x1 > width - safe or y0 < safe or y1 > height - safe:
                problem = f"text outside the safe zone ({spec.safe_mm:g} mm from the trim): '{word}'"
            else:
                for edge in folds:
                    if edge - safe < x1 and x0 < edge + safe:
                        problem = f"text within {spec.safe_mm:g} mm of the fold at {edge / MM:.0f} mm: '{word}'"
                        break
            if problem:
                reported += 1
                if reported <= 5:
                    yield finding(path, "layout.safe-zone", problem, number)
        if reported > 5:
            yield finding(path, "layout.safe-zone", f"{reported - 5} more words outside the safe zone", number)


CHECKS: list[tuple[str, Check]] = [
    ("boxes", check_boxes),
    ("page count", check_page_count),
    ("output intent", check_output_intent),
    ("no annotations", check_annotations),
    ("no unused colour spaces", check_colour_spaces),
    ("fonts embedded", check_fonts),
    ("no DeviceRGB", check_colour),
    ("total ink", check_ink),
    ("text size", check_text_size),
    ("image resolution", check_images),
    ("safe zone and folds", check_safe_zone),
]


# ------------------------------------------------------------ release gate

URL = re.compile(r"https?://([^/\s:?#]+)", re.IGNORECASE)


def page_texts(path: Path) -> list[str]:
    """The text of each page in reading order, its words apart (from the words of ``words``)."""
    return [" ".join(word[4] for word in page) for page in words(path)]


def _squeezed(text: str) -> str:
    """Text without white space, word joiners or soft hyphens: how to find a phrase whatever its line breaks."""
    return "".join(text.replace("\u2060", "").replace("\u00ad", "").split())


def qr_codes(path: Path, resolution: int = 150) -> list[tuple[int, str]]:
    """What the QR codes on each page say: the pages rasterised by poppler, read by zbar."""
    found = []
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["pdftoppm", "-gray", "-r", str(resolution), "-png", str(path), f"{work}/page"], check=True,
                       capture_output=True)
        for image in sorted(Path(work).glob("page-*.png")):
            number = int(image.stem.rsplit("-", 1)[1])
            run = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                                 capture_output=True, text=True)
            found += [(number, line.strip()) for line in run.stdout.splitlines() if line.strip()]
    return found


def check_release(path: Path, status: str | None, blanks: tuple[str, ...] = ()) -> Iterator[Diagnostic]:
    """A file that is to be printed (its status is not 'draft'; unknown counts as not) must not send readers to a
    placeholder address, by QR code or printed URL, nor print a blank where the contacts go."""
    if status == "draft":
        return
    fix = "set url in content/site.yaml to the address the site is published at (or build with --site-url)"
    for number, text in enumerate(page_texts(path), start=1):
        hosts = sorted({match.group(1) for match in URL.finditer(text) if placeholder_host(match.group(1))})
        for host in hosts:
            yield finding(path, "release.url", f"a printed URL leads to {host}, a placeholder host: {fix}", number)
        flat = _squeezed(text)
        for blank in blanks:
            if blank and _squeezed(blank) in flat:
                yield finding(path, "release.contacts", f"contact details are missing: '{blank}' is printed in their "
                              "place; fill in content/contacts.yaml", number)
                break
    if shutil.which("zbarimg") is None:
        yield finding(path, "release.qr", "cannot read the QR codes: zbarimg is missing (bash scripts/setup.sh "
                      "installs Debian's zbar-tools)")
        return
    for number, data in qr_codes(path):
        match = URL.match(data)
        if match and placeholder_host(match.group(1)):
            yield finding(path, "release.qr", f"the QR code leads to {data}, a placeholder host: {fix}", number)


def resource_fonts(pdf: pikepdf.Pdf) -> dict[str, tuple[int, bool]]:
    """Every font in the resources of each page, of the forms, patterns and appearances it draws (the
    resources name every font the content can select, so no content stream need be read): font name →
    (the first page that has it, embedded)."""
    fonts: dict[str, tuple[int, bool]] = {}
    seen: set = set()

    def visit(resources, page_no: int) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for name, font in resources.get("/Font", {}).items():
            base = str(font.get("/BaseFont", name))
            if base not in fonts or not fonts[base][1]:
                fonts[base] = (page_no, _font_embedded(font))
            visit_owner(font, page_no)  # a Type3 font's glyphs have resources of their own
        for category in ("/XObject", "/Pattern"):
            for child in resources.get(category, {}).values():
                visit_owner(child, page_no)
        for gstate in resources.get("/ExtGState", {}).values():
            mask = gstate.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
                visit_owner(mask.G, page_no)

    def visit_owner(owner, page_no: int) -> None:
        if not isinstance(owner, (pikepdf.Dictionary, pikepdf.Stream)) or owner.get("/Subtype") == "/Image":
            return
        if owner.is_indirect:
            if owner.objgen in seen:
                return
            seen.add(owner.objgen)
        visit(owner.get("/Resources"), page_no)

    for number, page in enumerate(pdf.pages, start=1):
        visit(page.obj.get("/Resources"), number)
        for annotation in page.obj.get("/Annots", []):
            appearance = annotation.get("/AP")
            if appearance is not None:
                visit_owner(appearance.get("/N"), number)
    return fonts


def check_companion_fonts(path: Path) -> Iterator[Diagnostic]:
    """Every font embedded in another file of the pack (the proof)."""
    with pikepdf.open(path) as pdf:
        for name, (page, embedded) in sorted(resource_fonts(pdf).items()):
            if not embedded:
                yield finding(path, "fonts.embedded", f"font {name.lstrip('/')} is not embedded", page)


def preflight(path: Path, spec: Spec, shown: str | None = None, status: str | None = None,
              companions=(), blanks: tuple[str, ...] = ()) -> Report:
    """Run every check on one press file, the font check on the other PDFs of its pack (``companions``), and
    unless the file is a draft the release gate (``blanks``: the texts printed in place of missing contacts)."""
    report = Report(shown or str(path), spec, checks=[name for name, _ in CHECKS])
    with pikepdf.open(path) as pdf:
        report.pages = len(pdf.pages)
        for _, check in CHECKS:
            report.diagnostics.extend(check(pdf, spec, path))
        _WALKS.clear()
    for companion in companions:
        report.diagnostics.extend(check_companion_fonts(Path(companion)))
    if companions:
        report.checks.append("fonts embedded in " + ", ".join(Path(c).name for c in companions))
    if status != "draft":
        report.checks.append(f"release ({status or 'status unknown'}): URLs, QR codes, contacts")
        report.diagnostics.extend(check_release(path, status, blanks))
    _WORDS.clear()
    return report
