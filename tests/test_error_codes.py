"""One test for each error code that had none: the input that causes it, and what its user reads
(path:line:col, the source line and a caret where the input has them, and the help)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.build import Paths, stale_catalog_warning
from outreach.i18n import checks
from outreach.languages import get
from outreach.validate import load_project

from .conftest import FACTS, LEAFLET, REPO, edit_file, fill_catalogs, replaced, write_project
from .test_checks import message, problems
from .test_editorial import COURSE, module
from .test_errors import check_cli


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "outreach", *args], cwd=root, capture_output=True, text=True,
                            timeout=300)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def errors_of(tmp_path: Path, files: dict[str, str], remove: tuple[str, ...] = ()) -> list[str]:
    """`outreach check` on the fixture project with ``files`` written over it: it fails; its lines."""
    root = write_project(tmp_path, files)
    for name in remove:
        (root / name).unlink()
    status, err = check_cli(root)
    assert status == 1
    return err.splitlines()


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("translated"))
    fill_catalogs(root)
    return root


def copy(translated: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(translated, root)
    return root


# ---------------------------------------------------------------- YAML


def test_yaml_duplicate_key(tmp_path):
    leaflet = LEAFLET.replace("summary: Tờ rơi thử.\n", "summary: Tờ rơi thử.\nsummary: Lần nữa.\n")
    assert errors_of(tmp_path, {"content/leaflets/test.yaml": leaflet})[:4] == [
        "content/leaflets/test.yaml:6:1: error: duplicate key 'summary' (first at line 5) [yaml.duplicate-key]",
        "    summary: Lần nữa.",
        "    ^",
        "  help: remove one of the two, or merge them"]


def test_yaml_key(tmp_path):
    leaflet = LEAFLET.replace("summary: Tờ rơi thử.\n", "summary: Tờ rơi thử.\n[a, b]: c\n")
    assert errors_of(tmp_path, {"content/leaflets/test.yaml": leaflet})[:4] == [
        "content/leaflets/test.yaml:6:1: error: a key must be a plain name [yaml.key]",
        "    [a, b]: c",
        "    ^",
        "  help: write a field name such as 'title:'; put a key in quotes to keep it as text"]


def test_yaml_value(tmp_path):
    leaflet = LEAFLET.replace("summary: Tờ rơi thử.\n", "summary: !!int x\n")
    assert errors_of(tmp_path, {"content/leaflets/test.yaml": leaflet})[:4] == [
        "content/leaflets/test.yaml:5:10: error: cannot read the value 'x': invalid literal for int() with base 10: "
        "'x' [yaml.value]",
        "    summary: !!int x",
        "             ^",
        "  help: put the value in quotes to keep it as text"]


def test_yaml_read(tmp_path):
    root = write_project(tmp_path)
    (root / "content/leaflets/folder.yaml").mkdir()
    status, err = check_cli(root)
    assert status == 1
    assert err.splitlines()[:2] == [
        "content/leaflets/folder.yaml: error: cannot read the file: Is a directory [yaml.read]",
        "  help: check that the file exists and that you may read it"]


# ---------------------------------------------------------------- schema and texts


def test_schema_id_of_a_document(tmp_path):
    assert errors_of(tmp_path, {"content/leaflets/test.yaml": LEAFLET.replace("id: test\n", "id: Test_1\n", 1)})[:4] == [
        "content/leaflets/test.yaml:1:5: error: id 'Test_1' may use only a-z, 0-9 and '-' [schema.id]",
        "    id: Test_1",
        "        ^",
        "  help: ids appear in URLs and translation contexts; keep them short and ASCII"]


def test_schema_id_of_a_fact(tmp_path):
    lines = errors_of(tmp_path, {"content/facts.yaml": FACTS.replace("start:\n", "start-year:\n"),
                                 "content/leaflets/test.yaml": LEAFLET.replace("{start}", "{start-year}")})
    assert lines[:4] == [
        "content/facts.yaml:7:1: error: fact id 'start-year' may use only a-z, 0-9 and '_' [schema.id]",
        "    start-year:",
        "    ^",
        "  help: a fact id is written in texts as {fact_id}; rename it here and there"]


def test_text_length(tmp_path):
    body = "Gặp chúng tôi ở văn phòng. " * 30
    lines = errors_of(tmp_path, {"content/leaflets/test.yaml": LEAFLET.replace("body: Gặp chúng tôi.",
                                                                               "body: " + body)})
    assert lines[0] == ("content/leaflets/test.yaml:23:11: error: text is 809 characters; the panel has room for 620 "
                        "[text.length]")
    assert len(body.strip()) == 809
    assert lines[1].startswith("        body: Gặp chúng tôi ở văn phòng.") and lines[2] == "              ^"
    assert lines[3] == "  help: shorten the Vietnamese text; translations must fit too"


def test_project_missing_file(tmp_path):
    lines = errors_of(tmp_path, {}, remove=("content/contacts.yaml",))
    assert lines[:2] == [
        "content/contacts.yaml: error: missing file content/contacts.yaml [project.missing-file]",
        "  help: every project has content/contacts.yaml; copy it from the bundled content and fill it in"]


# ---------------------------------------------------------------- the course rules


def course_errors(tmp_path: Path, module_text: str) -> list[str]:
    return errors_of(tmp_path, {"content/courses/awareness.yaml": COURSE,
                                "content/courses/awareness-1.yaml": module_text})


def test_course_minutes(tmp_path):
    lines = course_errors(tmp_path, replaced(module("  Đọc.\n"), "minutes: 12", "minutes: 25"))
    assert lines[0] == ("content/courses/awareness-1.yaml:1:1: error: module 'awareness-1' takes 25 minutes; a module "
                        "takes 10 to 15 [course.minutes]")
    assert lines[3] == "  help: split the module, or shorten it"


def test_course_numbers(tmp_path):
    lines = course_errors(tmp_path, replaced(module("  Đọc.\n"), "number: 1", "number: 2"))
    assert lines[0] == ("content/courses/awareness-1.yaml:1:1: error: modules of course 'awareness' are numbered [2]; "
                        "number them [1] [course.numbers]")
    assert lines[3] == "  help: number the modules of a course 1, 2, 3, … without gaps"


def test_course_questions(tmp_path):
    lines = course_errors(tmp_path, module("  Đọc.\n", answers="abc"))
    assert lines[0] == ("content/courses/awareness-1.yaml:1:1: error: module 'awareness-1' has 3 questions; it needs "
                        "4 to 6 [course.questions]")
    assert lines[3] == "  help: add or remove questions, or split the module"


def test_course_choices(tmp_path):
    text = replaced(module("  Đọc.\n"), "      - id: b\n        text: Ý b.\n      - id: c\n        text: Ý c.\n", "", 1)
    lines = course_errors(tmp_path, text)
    assert lines[:4] == [
        "content/courses/awareness-1.yaml:18:5: error: question 'q1' has 1 choices; it needs 2 to 5 [course.choices]",
        "      - id: q1",
        "        ^",
        "  help: give the question 2 to 5 choices"]


def test_course_answers_of_a_single_choice_question(tmp_path):
    text = replaced(module("  Đọc.\n"), "      - id: b\n        text: Ý b.\n",
                    "      - id: b\n        text: Ý b.\n        correct: true\n", 1)
    lines = course_errors(tmp_path, text)
    assert lines[0] == ("content/courses/awareness-1.yaml:18:5: error: question 'q1' has 2 right answers; a "
                        "single-choice question needs exactly one [course.answers]")
    assert lines[3] == "  help: mark one choice 'correct: true', or set 'multiple: true'"


def test_course_answers_of_a_multiple_choice_question(tmp_path):
    lines = course_errors(tmp_path, replaced(module("  Đọc.\n"), "  - id: q1\n", "  - id: q1\n    multiple: true\n"))
    assert lines[0] == ("content/courses/awareness-1.yaml:18:5: error: question 'q1' is multiple choice but has 1 "
                        "right answers [course.answers]")
    assert lines[3] == "  help: mark at least two choices 'correct: true', or drop 'multiple'"


# ---------------------------------------------------------------- catalogs


def test_po_control(translated, tmp_path):
    root = copy(translated, tmp_path)
    po = root / "locales/ko/LC_MESSAGES/messages.po"
    edit_file(po, 'msgstr "당원과 노동조합"', 'msgstr "당원과\x07 노동조합"')
    number = po.read_text(encoding="utf-8").splitlines().index('msgstr "당원과\x07 노동조합"') + 1
    result = run(root, "i18n", "check", "--language", "ko")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (f"locales/ko/LC_MESSAGES/messages.po:{number}:12: error: control "
                                             "character U+0007 is not allowed [po.control]")
    assert "  help: delete it (it often comes with text copied from a PDF or a word processor)" in result.stderr


def test_po_read(translated, tmp_path):
    root = copy(translated, tmp_path)
    po = root / "locales/ko/LC_MESSAGES/messages.po"
    po.unlink()
    po.mkdir()
    result = run(root, "i18n", "check", "--language", "ko")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "locales/ko/LC_MESSAGES/messages.po: error: cannot read the catalog: Is a directory [po.read]",
        "  help: check that the file exists and that you may read it"]


def test_check_format_variables():
    label = dict(context=None, comment="")
    assert problems(checks.check_format_variables, message("Trang %(page)s", "Page %(page)s", **label)) == []
    assert problems(checks.check_format_variables, message("Trang %(page)s", "Page %(pg)s", **label)) == [
        ("check.format", "error", "format variables differ from the source: missing %(page)s; not in the source "
                                  "%(pg)s")]
    assert problems(checks.check_format_variables, message("%(done)s xong", "%(done)s 100%", **label), get("en")) == [
        ("check.format", "error", "the label cannot be filled in: ValueError('incomplete format'); write a literal % "
                                  "as %%")]


def test_i18n_stale(translated, tmp_path):
    root = copy(translated, tmp_path)
    paths = Paths(root)
    assert stale_catalog_warning(load_project(root / "content"), paths) is None
    edit_file(root / "content/leaflets/test.yaml", "body: Gặp chúng tôi.", "body: Hãy gặp chúng tôi.")
    warning = stale_catalog_warning(load_project(root / "content"), paths)
    assert warning.format().splitlines() == [
        "locales/messages.pot: warning: the catalogs do not match the content; new or changed texts show in "
        "Vietnamese [i18n.stale]",
        "  help: run: outreach i18n update"]


# ---------------------------------------------------------------- configuration and commands


def test_config_site_url(translated, tmp_path):
    root = copy(translated, tmp_path)
    edit_file(root / "content/site.yaml", "url: https://outreach.example.org/\n", "")
    result = run(root, "build")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("build: ")]  # not the progress
    assert lines[:2] == [
        "content/site.yaml: error: the site's address (url) is not set [config.site-url]",
        "  help: set url: in content/site.yaml to the address the site is published at (https://…/), or pass "
        "--site-url"]
    assert not (root / "build/site").exists()


def test_config_site_url_not_an_address(translated, tmp_path):
    root = copy(translated, tmp_path)
    edit_file(root / "content/site.yaml", "url: https://outreach.example.org/", "url: outreach.example.org")
    line = next(n for n, text in enumerate((root / "content/site.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("url:"))
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:4] == [
        f"content/site.yaml:{line}:6: error: url 'outreach.example.org' is not the address of a site "
        "[config.site-url]",
        "    url: outreach.example.org",
        "         ^",
        "  help: write the whole address the site is published at: https://…/"]


def test_preflight_input(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path, "preflight", "empty")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == ["empty: error: no *.press.pdf in this folder [preflight.input]",
                                              "  help: give a printer pack folder or a PDF"]


def test_every_diagnostic_names_its_severity_not_its_help_in_its_place():
    """Diagnostic(location, message, code, severity, hint): a help passed fourth became the severity, and was
    printed in its place ("mkdocs.yml: set site_url in mkdocs.yml…: site_url is not set")."""
    misplaced = []
    for path in sorted((REPO / "outreach").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Diagnostic" and len(node.args) > 3:
                severity = node.args[3]
                if isinstance(severity, ast.Constant) and severity.value not in ("error", "warning"):
                    misplaced.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert misplaced == []
