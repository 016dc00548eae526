"""Missing fonts fail loudly: real runs with a fontconfig set-up that hides the Noto CJK fonts."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from outreach import fonts
from outreach import languages
from outreach.languages import LANGUAGES, get

from .conftest import fill_catalogs, write_project

CJK_DIR = "/usr/share/fonts/opentype/noto"


@pytest.fixture(scope="module")
def without_cjk(tmp_path_factory):
    """An environment whose fontconfig sees the system's TrueType fonts (Noto Sans, DejaVu) but not the
    OpenType folder that holds the Noto CJK fonts, as on a machine without fonts-noto-cjk."""
    folder = tmp_path_factory.mktemp("fontconfig")
    config = folder / "fonts.conf"
    config.write_text(textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
        <fontconfig>
          <dir>/usr/share/fonts/truetype</dir>
          <cachedir>{folder / "cache"}</cachedir>
        </fontconfig>
        """))
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    seen = subprocess.run(["fc-list", ":", "family"], env=env, capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK" not in seen and "Noto Sans" in seen  # the set-up hides what it should, only that
    return env


def test_the_installed_fonts_resolve_to_the_intended_families():
    assert fonts.check_installed(LANGUAGES) == []
    assert fonts.families(get("ko")) == ("Noto Sans CJK KR", "Noto Serif CJK KR")
    assert fonts.package_of("Noto Serif CJK SC") == "fonts-noto-cjk"
    assert fonts.package_of("Noto Sans") == "fonts-noto-core"
    assert fonts.package_of("Noto Sans Klingon") == "a package that has it"


def test_a_build_without_the_cjk_fonts_stops_with_the_package_to_install(tmp_path, without_cjk):
    root = write_project(tmp_path)
    fill_catalogs(root)
    result = subprocess.run([sys.executable, "-m", "outreach", "build"], cwd=root, env=without_cjk,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("build: ")]  # not the progress
    cjk = [lang for lang in LANGUAGES if lang.fonts_package == "fonts-noto-cjk"]
    declared = (root / "content/languages.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(declared, 1) if text.strip() == f"sans: {cjk[0].sans}")
    assert lines[0].startswith(f"content/languages.yaml:{line}:11: error: fonts not installed: " + ", ".join(
        f"'{family}' (for {lang.code})" for lang in cjk for family in lang.families) + "; fontconfig gives ")
    assert lines[0].endswith("instead, and the PDFs would be set in that fallback [font.missing]")
    assert lines[1] == f"    {declared[line - 1]}"  # the source line, then a caret under the family
    assert lines[2] == " " * (4 + 10) + "^"
    assert lines[-1] == "  help: install the Debian package fonts-noto-cjk: sudo apt-get install fonts-noto-cjk"
    assert "fonts-noto-core" not in result.stderr  # Noto Sans is there
    assert not (root / "build" / "pdf").exists()
    # Vietnamese and English alone need no CJK font: that build goes through
    alone = subprocess.run([sys.executable, "-m", "outreach", "build", "--language", "en"], cwd=root, env=without_cjk,
                           capture_output=True, text=True, timeout=300)
    assert alone.returncode == 0, alone.stderr


RENDER = """
import sys, weasyprint
html = '<html><body><p lang="vi" style="font-family: \\'Noto Sans\\'">Chi bộ</p>' \\
       '<p lang="ko" style="font-family: \\'Noto Sans CJK KR\\', sans-serif">당세포 회의</p></body></html>'
weasyprint.HTML(string=html).write_pdf(sys.argv[1])
"""


@pytest.mark.parametrize("hidden", [False, True], ids=["installed", "hidden"])
def test_the_pdf_check_reads_the_fonts_weasyprint_embedded(tmp_path, without_cjk, hidden):
    """WeasyPrint run for real, with and without the CJK fonts; the check reads what the PDF embeds."""
    pdf = tmp_path / "out.pdf"
    env = without_cjk if hidden else {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    subprocess.run([sys.executable, "-c", RENDER, str(pdf)], env=env, check=True, timeout=120)
    embedded = fonts.embedded_fonts(pdf)
    problems = fonts.check_embedded(pdf, (get("vi"), get("ko")), "out.pdf")
    if not hidden:
        assert {"Noto-Sans", "Noto-Sans-CJK-KR"} <= embedded
        assert problems == []
    else:
        assert not any("CJK" in name for name in embedded)
        assert [(d.location.path, d.code) for d in problems] == [("out.pdf", "font.embedded")]
        assert problems[0].message.startswith("the PDF does not embed 'Noto Sans CJK KR', the font of its 한국어 text")
        assert problems[0].hint.startswith("install the Debian package fonts-noto-cjk")


def test_the_print_stylesheet_sets_each_language_in_its_own_families():
    css = languages.print_font_css()
    for language in LANGUAGES:
        assert f':lang({language.code})' in next(line for line in css.splitlines() if f'"{language.sans}"' in line)
        assert f'.serif:lang({language.code})' in next(
            line for line in css.splitlines() if f'"{language.serif}"' in line)
