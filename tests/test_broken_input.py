"""Broken catalogs and hostile runs: each is a located error, a non-zero exit, no traceback, nothing published.

Catalogs are checked as strictly as GNU msgfmt (which is run beside our reader to show it agrees), and
whatever `i18n check` passes, the build does not fail on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.build import Paths, build
from outreach.errors import OutreachError

from .conftest import edit_file, fill_catalogs, replaced, write_project

KO = "locales/ko/LC_MESSAGES/messages.po"
TITLE = 'msgstr "당원과 노동조합"'


def run(args, cwd, **kwargs):
    result = subprocess.run([sys.executable, "-m", "outreach", *args], cwd=cwd, capture_output=True, text=True,
                            timeout=300, **kwargs)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """The fixture project with its catalogs, not built."""
    root = write_project(tmp_path_factory.mktemp("translated"))
    fill_catalogs(root)
    return root


def broken(translated: Path, tmp_path: Path, change) -> Path:
    """A copy of the translated project whose Korean catalog ``change`` edits."""
    root = tmp_path / "project"
    shutil.copytree(translated, root)
    path = root / KO
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    path.write_bytes(changed.encode("utf-8") if isinstance(changed, str) else changed)
    return root


def line_of(root: Path, needle: str) -> int:
    return next(n for n, line in enumerate((root / KO).read_text(encoding="utf-8", errors="replace").splitlines(), 1) if needle in line)


def assert_refused(root: Path, first_line: str) -> str:
    """`i18n check` and `build` both stop with the same located error, and nothing is published."""
    check = run(["i18n", "check"], root)
    assert check.returncode == 1
    combined = check.stderr + check.stdout
    assert first_line in combined, combined
    made = run(["build"], root)
    assert made.returncode == 1
    assert first_line in made.stderr
    assert not (root / "build" / "site").exists() and not (root / "build" / "pdf").exists()
    return combined


def msgfmt_rejects(root: Path) -> str:
    result = subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(root / KO)], capture_output=True,
                            text=True)
    assert result.returncode != 0
    return result.stderr


def test_unterminated_string_is_an_error_not_a_lost_character(translated, tmp_path):
    root = broken(translated, tmp_path, lambda t: replaced(t, TITLE, TITLE[:-1], 1))
    number = line_of(root, TITLE[:-1])
    text = assert_refused(root, f"{KO}:{number}:17: error: unterminated string: the closing '\"' is missing "
                                "[po.syntax]")
    assert f"    {TITLE[:-1]}\n" in text
    assert "end-of-line within string" in msgfmt_rejects(root)


def test_duplicate_entry_is_an_error(translated, tmp_path):
    def duplicate(text):
        start = text.index('msgctxt "leaflet.test:title"')
        return text + "\n" + text[start: text.index("\n\n", start)] + "\n"

    root = broken(translated, tmp_path, duplicate)
    first = line_of(root, 'msgctxt "leaflet.test:title"')
    second = len((root / KO).read_text(encoding="utf-8").splitlines()) - 2
    assert_refused(root, f"{KO}:{second}:1: error: duplicate entry (msgctxt \"leaflet.test:title\"): first defined "
                         f"at line {first} [po.duplicate]")
    assert "duplicate message definition" in msgfmt_rejects(root)


def test_truncated_catalog_is_an_error(translated, tmp_path):
    def cut(text):
        start = text.index('msgctxt "leaflet.test:title"')
        return text[: start + len('msgctxt "leaflet.test:title"\nmsgid "Đảng viên')]

    root = broken(translated, tmp_path, cut)
    number = line_of(root, 'msgid "Đảng viên')
    assert_refused(root, f"{KO}:{number}:")
    result = run(["i18n", "check"], root)
    text = result.stdout + result.stderr
    assert "unterminated string" in text or "the file may be cut off here" in text
    msgfmt_rejects(root)


def test_a_catalog_cut_between_msgid_and_msgstr(translated, tmp_path):
    def cut(text):
        start = text.index('msgctxt "leaflet.test:title"')
        return text[: text.index("msgstr", start)]

    root = broken(translated, tmp_path, cut)
    number = line_of(root, 'msgctxt "leaflet.test:title"')
    assert_refused(root, f"{KO}:{number}:1: error: an entry without a msgstr: the file may be cut off here [po.syntax]")


def test_unknown_charset_is_an_error(translated, tmp_path):
    root = broken(translated, tmp_path, lambda t: replaced(t, "charset=utf-8", "charset=CHARSET"))
    number = line_of(root, "charset=CHARSET")
    assert_refused(root, f"{KO}:{number}:36: error: charset 'CHARSET' is not a known character set [po.charset]")


def test_a_latin1_catalog_has_a_line_and_column(translated, tmp_path):
    root = broken(translated, tmp_path, lambda t: replaced(t, TITLE, 'msgstr "Caf\udce9"').encode("utf-8", "surrogateescape"))
    number = line_of(root, 'msgstr "Caf')
    assert_refused(root, f"{KO}:{number}:12: error: the catalog is not UTF-8 text: byte 0xe9 invalid continuation "
                         "byte (in Latin-1 or Windows-1252 it would be 'é') [po.encoding]")


def test_whitespace_only_translation_is_an_error(translated, tmp_path):
    root = broken(translated, tmp_path, lambda t: replaced(t, TITLE, 'msgstr "   "', 1))
    number = line_of(root, 'msgstr "   "')
    text = assert_refused(root, f"{KO}:{number}:8: error: the translation is only white space; leave it empty "
                                f"(msgstr \"\") while it is not translated (leaflet.test:title) [check.blank]")
    assert "  help: source: content/leaflets/test.yaml:4" in text


@pytest.mark.parametrize("wrong, expected", [
    ("%(minute)s 분", "format variables differ from the source: missing %(minutes)s; not in the source %(minute)s"),
    ("%(minutes)s 분 100%", "the label cannot be filled in"),
])
def test_a_misspelt_format_variable_in_a_ui_label_is_an_error(translated, tmp_path, wrong, expected):
    def change(text):
        start = text.index('msgid "%(minutes)s phút"')
        end = text.index("\n\n", start)
        return text[:start] + f'msgid "%(minutes)s phút"\nmsgstr "{wrong}"' + text[end:]

    root = broken(translated, tmp_path, change)
    number = line_of(root, f'msgstr "{wrong}"')
    assert_refused(root, f"{KO}:{number}:8: error: {expected}")


def test_what_i18n_check_passes_the_build_reads(translated):
    """The bundled checks and the build agree: the translated fixture passes both."""
    assert run(["i18n", "check"], translated).returncode == 0


def test_a_closed_pipe_ends_quietly(translated):
    read, write = os.pipe()
    os.close(read)  # the reader has gone, as `head` does after its lines
    try:
        result = subprocess.run([sys.executable, "-m", "outreach", "i18n", "status"], cwd=translated, stdout=write,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == 141


def test_a_read_only_build_folder_is_one_located_line(translated):
    """A real read-only folder: as root (who may write anywhere), the build runs as an unprivileged user.
    The project goes to a folder of its own under /tmp, not pytest's (which pytest keeps private, mode 700)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="outreach-ro-"))
    try:
        root = base / "project"
        shutil.copytree(translated, root)
        (root / "build").mkdir()
        command = [sys.executable, "-m", "outreach", "build"]
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("setpriv is needed to drop root's privileges")
            subprocess.run(["chmod", "-R", "a+rX", str(base)], check=True)
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        (root / "build").chmod(0o555)
        env = {**os.environ, "HOME": str(root), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        if os.geteuid() == 0:
            # the unprivileged user must be able to run this checkout at all (a clone under root's private
            # home is not readable to it): otherwise a read-only build folder cannot be tried here
            probe = subprocess.run([*command[:4], sys.executable, "-c", "import outreach.cli, weasyprint"],
                                   cwd=root, capture_output=True, text=True, timeout=120, env=env)
            if probe.returncode != 0:
                pytest.skip(f"an unprivileged user cannot run this checkout: {probe.stderr.strip()[-200:]}")
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300, env=env)
        assert "Traceback" not in result.stderr
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[-2:] == [
            "build/.lock: error: cannot write this: permission denied [io]",
            "  help: check that you may write to the project's build/ folder (ls -ld build), or copy the project "
            "somewhere you may write"], result.stderr
        assert list((root / "build").iterdir()) == []
    finally:
        (base / "project" / "build").chmod(0o755)
        shutil.rmtree(base)


def test_an_unexpected_error_is_one_line_and_debug_gives_the_traceback(tmp_path):
    """A file we do not check yet (not a PDF at all) reaches code that raises: one line, exit 2."""
    fake = tmp_path / "leaflet-x.press.pdf"
    fake.write_text("not a PDF")
    result = run(["preflight", str(fake)], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: outreach preflight failed: PdfError: ")
    assert lines[0].endswith("[internal]")
    assert lines[1] == ("  help: this is a bug or an input we do not check yet; run 'outreach --debug preflight …' "
                        "for the traceback and report it")
    debug = subprocess.run([sys.executable, "-m", "outreach", "--debug", "preflight", str(fake)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert debug.returncode != 0 and "Traceback (most recent call last)" in debug.stderr


def test_a_failed_build_keeps_the_published_output(translated, tmp_path):
    """A catalog broken after a good build: the build stops and build/ is what it was."""
    root = tmp_path / "project"
    shutil.copytree(translated, root)
    build(Paths(root))
    before = {p.relative_to(root): p.stat().st_mtime_ns for p in (root / "build").rglob("*")
              if p.is_file() and p.name != ".lock"}  # the lock is every build's own
    path = root / KO
    edit_file(path, TITLE, TITLE[:-1], 1)
    with pytest.raises(OutreachError):
        build(Paths(root))
    after = {p.relative_to(root): p.stat().st_mtime_ns for p in (root / "build").rglob("*")
              if p.is_file() and p.name != ".lock"}  # the lock is every build's own
    assert after == before


def test_a_word_too_long_for_its_panel_names_the_panel_the_pair_and_the_source(translated, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(translated, root)
    path = root / "locales/en/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    text = replaced(text, 'msgid "Gặp chúng tôi."\nmsgstr ""', 'msgid "Gặp chúng tôi."\nmsgstr "Meet us."')
    text = replaced(text, 'msgstr "How a worker joins the Party"',
                    'msgstr "Joining: Pneumonoultramicroscopicsilicovolcanoconiosis"')
    path.write_text(text, encoding="utf-8")
    assert run(["i18n", "check"], root).returncode == 0  # 54 characters: within the 70 the field has
    result = run(["build"], root)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("build: ")]  # not the progress
    assert lines[0].startswith("content/leaflets/test.yaml:12:14: error: leaflet-test.vi-en.pdf (vi+en): text does "
                               "not fit panel 'inside' (en text): 'Pneumonoultramicroscopicsilicovolcanoconiosis' "
                               "is ")
    assert lines[0].endswith(" mm wider than its column [print.overflow]")
    assert lines[1] == "        heading: Quy trình kết nạp đảng viên"
    assert lines[3] == ('  help: shorten the en translation (msgctxt "leaflet.test:panels.inside_1.heading"), or '
                        "break the long word")
    assert "preflight" not in result.stderr and "safe zone" not in result.stderr
    assert not (root / "build" / "pdf").exists()
