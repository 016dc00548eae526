"""The print fonts: each language's families must be installed, and the PDFs must embed them.

WeasyPrint finds fonts through fontconfig, which never fails: a family that is not installed is quietly
replaced by the closest one it has, and a Korean PDF then comes out in a fallback font (or in empty boxes).
So the build asks fontconfig first (``fc-match``, as WeasyPrint would) and stops with the Debian package to
install; after rendering, it reads the fonts each PDF embeds and stops if a language's family is not there.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

from .errors import Diagnostic, Location
from .languages import Language

FONTS_CSS = Path(__file__).resolve().parent / "templates" / "print" / "fonts.css"
# the Debian package of each family, by the longest matching prefix
PACKAGES = {"Noto Sans CJK": "fonts-noto-cjk", "Noto Serif CJK": "fonts-noto-cjk",
            "Noto Sans": "fonts-noto-core", "Noto Serif": "fonts-noto-core"}
STYLES = ("Regular", "Bold")
FIRST_FAMILY = re.compile(r'^\s*"([^"]+)"')
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def families(language: Language) -> tuple[str, ...]:
    """The families a language's print text is set in: its sans-serif and serif faces, named first."""
    return tuple(FIRST_FAMILY.match(stack).group(1) for stack in (language.sans, language.serif))


def package_of(family: str) -> str:
    prefix = max((p for p in PACKAGES if family.startswith(p)), key=len, default=None)
    return PACKAGES[prefix] if prefix else "a package that has it"


def _declared(family: str) -> tuple[Location, str]:
    """Where the print stylesheet names a family (what a reader of the error would open), and that line."""
    shown = "outreach/templates/print/fonts.css"
    try:
        for number, line in enumerate(FONTS_CSS.read_text(encoding="utf-8").splitlines(), start=1):
            col = line.find(f'"{family}"')
            if col >= 0:
                return Location(shown, number, col + 1), line
    except OSError:
        pass
    return Location(shown), ""


@functools.lru_cache(maxsize=64)
def resolve(family: str, style: str) -> tuple[tuple[str, ...], str]:
    """The families and the file fontconfig gives for a family and style, as WeasyPrint would get them."""
    result = subprocess.run(["fc-match", "--format=%{family}\n%{file}", f"{family}:style={style}"],
                            capture_output=True, text=True, check=False)
    names, _, file = result.stdout.partition("\n")
    return tuple(name.strip() for name in names.split(",") if name.strip()), file.strip()


def check_installed(languages) -> list[Diagnostic]:
    """An error for each Debian package whose families (of the languages built) fontconfig does not have."""
    if shutil.which("fc-match") is None:
        return [Diagnostic(Location("outreach/templates/print/fonts.css"), "fc-match (fontconfig) is not installed, so "
                           "the print fonts cannot be checked", "font.fontconfig",
                           hint="install it: sudo apt-get install fontconfig")]
    missing: dict[str, dict[str, list]] = {}  # package → family → [(style, got), …], languages
    users: dict[str, list[str]] = {}
    for language in languages:
        for family in families(language):
            users.setdefault(family, []).append(language.code)
            for style in STYLES:
                names, file = resolve(family, style)
                if family not in names:
                    got = f"{names[0] if names else 'nothing'} ({file or 'no file'})"
                    missing.setdefault(package_of(family), {}).setdefault(family, [])
                    if got not in missing[package_of(family)][family]:
                        missing[package_of(family)][family].append(got)
    found = []
    for package, by_family in missing.items():
        first = next(iter(by_family))
        location, line = _declared(first)
        names = ", ".join(f"'{family}' (for {', '.join(dict.fromkeys(users[family]))})" for family in by_family)
        instead = "; ".join(dict.fromkeys(got for gots in by_family.values() for got in gots))
        found.append(Diagnostic(
            location, f"fonts not installed: {names}; fontconfig gives {instead} instead, and the PDFs would be "
            "set in that fallback", "font.missing", "error",
            f"install the Debian package {package}: sudo apt-get install {package}", line))
    return found


def embedded_fonts(pdf: Path) -> set[str]:
    """The names of the fonts a PDF embeds, without subset tags (``Noto-Sans-CJK-KR-Bold``)."""
    import pikepdf

    names = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for font in fonts.values():
                name = str(font.get("/BaseFont", ""))
                names.add(SUBSET_TAG.sub("", name.lstrip("/")))
    return names


def _normal(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).lower()


def check_embedded(pdf: Path, languages, shown: str) -> list[Diagnostic]:
    """An error when a PDF does not embed the sans-serif family of each of its languages."""
    embedded = [_normal(name) for name in embedded_fonts(pdf)]
    found = []
    for language in languages:
        family = families(language)[0]
        if not any(name.startswith(_normal(family)) and not _other_family(name, family) for name in embedded):
            package = package_of(family)
            found.append(Diagnostic(
                Location(shown), f"the PDF does not embed '{family}', the font of its {language.name} text "
                f"(it embeds: {', '.join(sorted(embedded_fonts(pdf))) or 'no font'})", "font.embedded",
                hint=f"install the Debian package {package} (sudo apt-get install {package}), then build again"))
    return found


def _other_family(name: str, family: str) -> bool:
    """'notosanscjkkr' starts with 'notosans' but is another family than Noto Sans."""
    rest = name[len(_normal(family)):]
    return rest.startswith("cjk") and "cjk" not in _normal(family)
