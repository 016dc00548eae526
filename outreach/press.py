"""Press files as PDF/X-4 wants them, from what WeasyPrint writes.

    printing condition   the paper decides it: FOGRA39 (coated) or FOGRA29 (uncoated), as registered at color.org
    ICC profile          made once by ArgyllCMS's colprof from Fogra's characterisation data, kept in a user cache
    finish               no annotations, no unused colour spaces, MediaBox at the origin, the condition's output intent

WeasyPrint's PDF/X-4 carries link annotations (forbidden in the printable area), the Lab and ICC colour spaces it
declares on every page whether used or not, a MediaBox that starts at minus the bleed, and as output intent
whatever profile the CSS names, under the profile's own name rather than a printing condition a printer knows.
The screen PDF is written by the renderer from the same layout, before finishing, so it keeps its links.

Why colprof: Fogra's own ICC profiles (ISOcoated_v2, PSO Uncoated) are free to use but not free to redistribute
from Debian, while the measurements they are built from (FOGRA39L.ti3, FOGRA29L.ti3) are, in Debian's
icc-profiles-free. A profile built from those measurements characterises the same printing condition; the output
intent names the registered condition (OutputConditionIdentifier FOGRA39 or FOGRA29, RegistryName
http://www.color.org), which is what a printer's RIP matches on, and carries the profile for soft proofing and
transparency blending.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import zlib
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .cache import profile_key
from .errors import Diagnostic, Location, OutreachError

REGISTRY = "http://www.color.org"
CHARACTERISATIONS = Path("/usr/share/color/icc")  # Debian's icc-profiles-free

# Characterised printing conditions in the ICC's registry (OutputConditionIdentifier values a RIP knows).
REGISTERED_CONDITIONS = frozenset({
    "FOGRA27", "FOGRA28", "FOGRA29", "FOGRA30", "FOGRA31", "FOGRA39", "FOGRA40", "FOGRA41", "FOGRA42",
    "FOGRA43", "FOGRA44", "FOGRA45", "FOGRA46", "FOGRA47", "FOGRA51", "FOGRA52", "FOGRA53", "FOGRA54",
    "CGATS TR 001", "CGATS TR 002", "CGATS TR 003", "CGATS TR 005", "CGATS TR 006",
    *(f"CGATS21-2-CRPC{n}" for n in range(1, 8)), "JC200103", "JC200104", "JCN2002", "JCW2003",
    "IFRA26", "IFRA28", "IFRA30", "IFRA36"})


@dataclass(frozen=True)
class PrintingCondition:
    """A characterised printing condition: what the press file's colours are meant for."""

    identifier: str  # OutputConditionIdentifier, as registered at color.org
    paper: str  # "coated" or "uncoated": which products' paper it fits
    description: str  # OutputCondition and Info: the condition in words
    characterisation: str  # Fogra's measurement file, in CHARACTERISATIONS
    ink_limit: int  # total area coverage of the profile's separations, in %

    @property
    def source(self) -> Path:
        return CHARACTERISATIONS / self.characterisation


CONDITIONS = {
    "coated": PrintingCondition(
        "FOGRA39", "coated", "Offset printing according to ISO 12647-2:2004/Amd 1, paper type 1 or 2 (gloss or "
        "matt coated), 115 g/m2, screen ruling 60/cm", "FOGRA39L.ti3", 330),
    "uncoated": PrintingCondition(
        "FOGRA29", "uncoated", "Offset printing according to ISO 12647-2:2004, paper type 4 (white uncoated), "
        "120 g/m2, screen ruling 60/cm", "FOGRA29L.ti3", 300),
}
BY_IDENTIFIER = {condition.identifier: condition for condition in CONDITIONS.values()}
PROFILE_DATE = (2024, 1, 1, 0, 0, 0)  # written into every profile's header, so that the same data gives the same bytes


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "outreach" / "icc"


@functools.cache
def _colprof_version(colprof: str) -> str:
    usage = subprocess.run([colprof], capture_output=True, text=True)
    return next((line for line in (usage.stdout + usage.stderr).splitlines() if "Version" in line), "")


def icc_profile(condition: PrintingCondition) -> Path:
    """The ICC profile of a printing condition: made by colprof from the characterisation data the first time
    (about half a minute), then taken from the cache."""
    source = condition.source
    colprof = shutil.which("colprof")
    if not source.exists() or colprof is None:
        missing = str(source) if not source.exists() else "colprof"
        raise OutreachError(Diagnostic(
            Location(missing), f"cannot make the {condition.identifier} output profile: {missing} is missing",
            "print.profile", hint="run: bash scripts/setup.sh (it installs Debian's icc-profiles-free and argyll)"))
    args = ["-qm", f"-l{condition.ink_limit}", "-A", "Fogra", "-D", f"{condition.identifier} ({condition.paper})",
            "-C", f"Made with ArgyllCMS colprof from Fogra's {condition.characterisation}"]
    key = profile_key(source, args, _colprof_version(colprof), PROFILE_DATE)
    target = cache_dir() / f"{condition.identifier}-{key}.icc"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        shutil.copyfile(source, Path(work) / "data.ti3")
        run = subprocess.run([colprof, *args, "-O", "profile.icc", "data"], cwd=work, capture_output=True, text=True)
        made = Path(work) / "profile.icc"
        if run.returncode or not made.exists():
            raise OutreachError(Diagnostic(Location(str(source)), f"colprof failed: {run.stderr.strip()[-300:]}",
                                           "print.profile", hint="check that Debian's argyll is installed"))
        data = bytearray(made.read_bytes())
        data[24:36] = b"".join(value.to_bytes(2, "big") for value in PROFILE_DATE)
        made.write_bytes(bytes(data))
        os.replace(made, target)  # atomic: two builds at once both end with a whole profile
    return target


# ------------------------------------------------------------ finishing


def save_as_written(pdf: pikepdf.Pdf, path: Path, **options) -> None:
    """Save a PDF changed in place with its streams as WeasyPrint wrote them (an uncompressed one stays so:
    PDF/X-4 wants the XMP metadata readable), and an id derived from its bytes, so a rebuild is the same."""
    pdf.save(path, deterministic_id=True, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             **options)


def finish(path: Path, condition: PrintingCondition) -> None:
    """Make a WeasyPrint PDF/X-4 file a press file: no annotations, no unused colour spaces, every page's MediaBox
    at the origin, and the output intent of the printing condition."""
    profile = icc_profile(condition).read_bytes()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        shifts = {}
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            shifts[page.obj.objgen] = _move_to_origin(pdf, page)
        _shift_destinations(pdf, shifts)
        for key in ("/AcroForm", "/OpenAction"):
            if key in pdf.Root:
                del pdf.Root[key]
        prune_colour_spaces(pdf)
        stream = pikepdf.Stream(pdf, b"")
        stream.write(zlib.compress(profile, 9), filter=pikepdf.Name.FlateDecode)
        stream.N = 4
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(condition.identifier),
            OutputCondition=pikepdf.String(condition.description),
            RegistryName=pikepdf.String(REGISTRY), Info=pikepdf.String(condition.description),
            DestOutputProfile=pdf.make_indirect(stream))])
        save_as_written(pdf, path)  # uncompressed streams stay so: PDF/X-4 wants the XMP metadata readable


BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


def _move_to_origin(pdf: pikepdf.Pdf, page: pikepdf.Page) -> tuple[float, float]:
    """Translate the page so that its MediaBox starts at (0, 0); returns the shift."""
    media = [float(v) for v in page.obj.MediaBox]
    dx, dy = -media[0], -media[1]
    if not dx and not dy:
        return 0.0, 0.0
    for name in BOXES:
        box = page.obj.get(name)
        if box is not None:
            x0, y0, x1, y1 = (float(v) for v in box)
            page.obj[name] = pikepdf.Array([_num(x0 + dx), _num(y0 + dy), _num(x1 + dx), _num(y1 + dy)])
    page.contents_add(pikepdf.Stream(pdf, f"q 1 0 0 1 {_num(dx)} {_num(dy)} cm\n".encode()), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
    return dx, dy


def _num(value: float) -> float:
    return round(value, 6) + 0.0


def _shift_destinations(pdf: pikepdf.Pdf, shifts: dict) -> None:
    """Destinations (outline entries, named destinations) follow their page to the origin."""
    def shift(dest):
        if not isinstance(dest, pikepdf.Array) or len(dest) < 2 or not isinstance(dest[0], pikepdf.Dictionary):
            return
        dx, dy = shifts.get(dest[0].objgen, (0.0, 0.0))
        kind = str(dest[1])
        xs, ys = {"/XYZ": ([2], [3]), "/FitH": ([], [2]), "/FitBH": ([], [2]), "/FitV": ([2], []),
                  "/FitBV": ([2], []), "/FitR": ([2, 4], [3, 5])}.get(kind, ([], []))
        for indices, delta in ((xs, dx), (ys, dy)):
            for i in indices:
                if i < len(dest) and isinstance(dest[i], (int, float, Decimal)):  # a number, not null
                    dest[i] = _num(float(dest[i]) + delta)

    def outline(item, seen):
        while item is not None and item.objgen not in seen:
            seen.add(item.objgen)
            shift(item.get("/Dest"))
            action = item.get("/A")
            if action is not None:
                shift(action.get("/D"))
            outline(item.get("/First"), seen)
            item = item.get("/Next")

    outlines = pdf.Root.get("/Outlines")
    if outlines is not None:
        outline(outlines.get("/First"), set())

    def names(node):
        pairs = node.get("/Names", [])
        for i in range(1, len(pairs), 2):
            value = pairs[i]
            shift(value.get("/D") if isinstance(value, pikepdf.Dictionary) else value)
        for kid in node.get("/Kids", []):
            names(kid)

    tree = pdf.Root.get("/Names")
    if tree is not None and "/Dests" in tree:
        names(tree.Dests)


SELECTING = "cs CS BI ID EI"  # the operators that select a colour space (the parser skips the others)


def _content_names(stream) -> set[str]:
    """The colour space names a content stream selects (cs, CS, inline images)."""
    used = set()
    for operands, operator in pikepdf.parse_content_stream(stream, SELECTING):
        op = str(operator)
        if op in ("cs", "CS") and operands:
            used.add(str(operands[0]))
        elif op == "INLINE IMAGE":
            image = operands[0]
            space = image.obj.get("/CS") or image.obj.get("/ColorSpace")
            if space is not None:
                used.add(str(space))
    return used


def prune_colour_spaces(pdf: pikepdf.Pdf, pruned=()) -> None:
    """Drop every colour space that the content using the resources does not select, and empty resource
    categories. Each page gets resources of its own (their entries still shared), so that a page declares only
    what it uses; forms and patterns keep what any of their uses selects. ``pruned``: the forms (their
    object and generation numbers) whose resources are pruned already, left as they are."""
    seen: set = set(pruned)

    def prune(resources, used: set[str]) -> None:
        spaces = resources.get("/ColorSpace")
        if spaces is not None:
            kept = pikepdf.Dictionary({name: value for name, value in spaces.items() if name in used})
            resources.ColorSpace = kept
        for category in ("/ColorSpace", "/Pattern", "/Shading", "/XObject", "/ExtGState", "/Font", "/Properties"):
            value = resources.get(category)
            if isinstance(value, pikepdf.Dictionary) and not len(value.keys()):
                del resources[category]

    def visit_children(resources) -> None:
        for category in ("/XObject", "/Pattern"):
            for child in resources.get(category, {}).values():
                if isinstance(child, pikepdf.Stream) and child.get("/Subtype") != "/Image" \
                        and child.objgen not in seen:
                    seen.add(child.objgen)
                    visit_stream(child)
        for gstate in resources.get("/ExtGState", {}).values():
            mask = gstate.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask and mask.G.objgen not in seen:
                seen.add(mask.G.objgen)
                visit_stream(mask.G)

    def visit_stream(stream) -> None:
        resources = stream.get("/Resources")
        if resources is not None:
            visit_children(resources)
            prune(resources, _content_names(stream))

    for page in pdf.pages:
        shared = page.obj.get("/Resources")
        if shared is None:
            continue
        visit_children(shared)
        own = pikepdf.Dictionary({key: value for key, value in shared.items()})
        prune(own, _content_names(page))
        page.obj.Resources = own
