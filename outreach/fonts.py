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
from .languages import LANGUAGES, Language

STYLES = ("Regular", "Bold")
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
STYLE_WORDS = ("regular", "bold", "italic", "light", "medium", "semibold", "black", "thin", "extra", "condensed")


def families(language: Language) -> tuple[str, ...]:
    """The families a language's print text is set in: its sans-serif and serif faces."""
    return language.families


def package_of(family: str, languages=LANGUAGES) -> str:
    """The Debian package that installs a family, as the language records that use it say."""
    return next((lang.fonts_package for lang in languages if family in lang.families), "a package that has it")


def _declared(language: Language, family: str) -> tuple[Location, str]:
    """Where the language records name a family (what a reader of the error would open), and that line."""
    where = language.location
    try:
        lines = Path(where.path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return where, ""
    for number in range(max(where.line, 1), len(lines) + 1):
        col = lines[number - 1].find(family)
        if col >= 0:
            return Location(where.path, number, col + 1), lines[number - 1]
    return where, ""


@functools.lru_cache(maxsize=64)
def resolve(family: str, style: str) -> tuple[tuple[str, ...], str]:
    """The families and the file fontconfig gives for a family and style, as WeasyPrint would get them."""
    result = subprocess.run(["fc-match", "--format=%{family}\n%{file}", f"{family}:style={style}"],
                            capture_output=True, text=True, check=False)
    names, _, file = result.stdout.partition("\n")
    return tuple(name.strip() for name in names.split(",") if name.strip()), file.strip()


def check_installed(languages) -> list[Diagnostic]:
    """An error for each Debian package whose families (of the languages built) fontconfig does not have."""
    languages = tuple(languages)
    if shutil.which("fc-match") is None:
        where = languages[0].location if languages else Location("content/languages.yaml")
        return [Diagnostic(where, "fc-match (fontconfig) is not installed, so the print fonts cannot be checked",
                           "font.fontconfig", hint="install it: sudo apt-get install fontconfig")]
    missing: dict[str, dict[str, list]] = {}  # package → family → [got, …]
    users: dict[str, list[Language]] = {}
    for language in languages:
        for family in families(language):
            users.setdefault(family, []).append(language)
            for style in STYLES:
                names, file = resolve(family, style)
                if family not in names:
                    got = f"{names[0] if names else 'nothing'} ({file or 'no file'})"
                    gots = missing.setdefault(language.fonts_package, {}).setdefault(family, [])
                    if got not in gots:
                        gots.append(got)
    found = []
    for package, by_family in missing.items():
        first = next(iter(by_family))
        location, line = _declared(users[first][0], first)
        names = ", ".join(f"'{family}' (for {', '.join(dict.fromkeys(lang.code for lang in users[family]))})"
                          for family in by_family)
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
            package = language.fonts_package
            found.append(Diagnostic(
                Location(shown), f"the PDF does not embed '{family}', the font of its {language.name} text "
                f"(it embeds: {', '.join(sorted(embedded_fonts(pdf))) or 'no font'})", "font.embedded",
                hint=f"install the Debian package {package} (sudo apt-get install {package}), then build again"))
    return found


def _other_family(name: str, family: str) -> bool:
    """'notosanscjkkr' and 'notosansthai' start with 'notosans' but are other families than Noto Sans: what
    follows the family is a style (bold, italic …), not another word of a name."""
    rest = name[len(_normal(family)):]
    return bool(rest) and not rest.startswith(STYLE_WORDS)
