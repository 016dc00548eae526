"""Property: whatever an editor or translator does to a bundled file, the tools answer with success or with
a located error, never a traceback, and a build that fails publishes nothing.

Hypothesis mutates the bundled YAML and .po files — bytes, indentation, keys, values, quotes, truncation —
for a bounded number of examples (deterministic by default, so that CI gives the same answer every time;
set HYPOTHESIS_RANDOM=1 to explore new examples, HYPOTHESIS_SCALE=10 for ten times as many). Most examples run `outreach check` or `outreach i18n
check` and, when those pass, lay out the pages and print HTML the build would make; a few run whole builds.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from outreach import cli
from outreach.build import Paths, localizers_for, site_url_of
from outreach.languages import TARGETS, source
from outreach.render import print as print_render
from outreach.render import web
from outreach.validate import load_project

from .conftest import REPO, fill_catalogs, write_project

LOCATED = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (error|warning): .+ \[[\w.-]+\]$")
YAML_FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.yaml"))
PO_FILES = [f"locales/{lang.catalog}/LC_MESSAGES/messages.po" for lang in TARGETS]
DETERMINISTIC = not os.environ.get("HYPOTHESIS_RANDOM")
SCALE = float(os.environ.get("HYPOTHESIS_SCALE", "1"))  # more examples when exploring: HYPOTHESIS_SCALE=10


def examples(count: int) -> int:
    return max(1, round(count * SCALE))
PROPERTY = dict(deadline=None, derandomize=DETERMINISTIC, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

# What an editor's slip or an attacker may leave in a value
NASTY = st.sampled_from(["", "\x00", "\t", "\r", "\u2028", "\ufeff", "{", "}", "{nope}", "%", "%(x)s", "*", "**",
                         "[", "](", "<script>", "\\", "\\u0000", "\"", "'", ": ", " #", "&a", "*a", "!!python/name:os.system",
                         "- ", "---", "...", "2023-02-30", "12", "é", "\udcff", "msgstr", "\n", "\n\n", "null"])


def lines_of(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def mutation(draw, text: str) -> bytes:
    """One edit of a file's text, of the kinds an editor makes by mistake."""
    data = text.encode("utf-8")
    kind = draw(st.sampled_from(["byte", "delete", "indent", "key", "value", "quote", "truncate", "swap"]))
    lines = lines_of(text)
    number = draw(st.integers(0, len(lines) - 1))
    line = lines[number]
    if kind == "byte":
        at = draw(st.integers(0, len(data)))
        inserted = draw(st.binary(min_size=1, max_size=3))
        return data[:at] + inserted + data[at:]
    if kind == "delete":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + data[at + draw(st.integers(1, 40)):]
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "indent":
        stripped = line.lstrip(" ")
        indent = draw(st.sampled_from(["", " ", "  ", "   ", "\t", " " * 12]))
        lines[number] = indent + stripped
    elif kind == "key":
        match = re.match(r"^(\s*-?\s*)([\w.]+)(:)", line) or re.match(r"^(\s*)(msg\w+|#\.|#:|#,)(\s)", line)
        if match:
            new = draw(st.sampled_from(["", match.group(2)[:-1], match.group(2) + "x", "kind", "id", "title", "msgid",
                                        "msgstr", "msgctxt", match.group(2).upper()]))
            lines[number] = match.group(1) + new + match.group(3) + line[match.end():]
        else:
            lines[number] = draw(NASTY) + line
    elif kind == "value":
        head, sep, _ = line.partition(": ") if ": " in line else line.partition(" ")
        value = "".join(draw(st.lists(st.one_of(NASTY, st.text(max_size=8)), max_size=4)))
        lines[number] = head + (sep or " ") + value
    elif kind == "quote":
        at = draw(st.integers(0, len(line)))
        lines[number] = line[:at] + draw(st.sampled_from(['"', "'", '\\"', "\\"])) + line[at:]
    else:  # swap two lines
        other = draw(st.integers(0, len(lines) - 1))
        lines[number], lines[other] = lines[other], lines[number]
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def run_cli(*argv: str) -> tuple[int, str]:
    """The command line in this process (fast), with what it printed; a traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(list(argv))
    return status, out.getvalue() + err.getvalue()


def assert_ok_or_located(status: int, output: str) -> None:
    event("valid" if status == 0 else "refused: " + ", ".join(sorted(set(re.findall(r"\[([\w.-]+)\]$", output,
                                                                                   re.M)))[:3]))
    assert status in (0, 1), output  # 2 is the last wall: an exception nothing else caught
    assert "Traceback" not in output
    if status == 1:
        errors = [line for line in output.splitlines() if ": error: " in line]
        assert errors, output
        for line in errors:
            match = LOCATED.match(line)
            assert match, f"not a located error: {line!r}"
            assert int(match.group("line")) >= 1 and int(match.group("col")) >= 1, line


def lay_out(root: Path, languages) -> None:
    """What the build makes of the content before mkdocs and WeasyPrint: every page, every print HTML."""
    paths = Paths(root)
    project = load_project(paths.content)
    site_url = site_url_of(paths)
    for code, lz in localizers_for(project, paths, languages).items():
        web.render_pages(project, lz, {})
    print_lz = localizers_for(project, paths, languages)
    for job in print_render.print_jobs(project, languages):
        print_render.print_html(job, project, print_lz, site_url)


@pytest.fixture(scope="module")
def bundled_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundled-input")
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@contextlib.contextmanager
def mutated(root: Path, name: str, data: bytes):
    path = root / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield path
    finally:
        path.write_bytes(original)


@settings(max_examples=examples(80), **PROPERTY)
@given(data=st.data())
def test_any_edit_of_a_content_file_is_valid_or_a_located_error(bundled_copy, data):
    name = data.draw(st.sampled_from(YAML_FILES), label="file")
    text = (REPO / name).read_text(encoding="utf-8")
    with mutated(bundled_copy, name, data.draw(mutation(text), label="edit")):
        status, output = run_cli("--root", str(bundled_copy), "check")
        assert_ok_or_located(status, output)
        if status == 0:  # what check passes, the build can lay out
            lay_out(bundled_copy, (source(),))


@settings(max_examples=examples(30), **PROPERTY)
@given(data=st.data())
def test_any_edit_of_a_catalog_is_valid_or_a_located_error(bundled_copy, data):
    index = data.draw(st.integers(0, len(PO_FILES) - 1), label="language")
    name, language = PO_FILES[index], TARGETS[index]
    text = (REPO / name).read_text(encoding="utf-8")
    with mutated(bundled_copy, name, data.draw(mutation(text), label="edit")):
        status, output = run_cli("--root", str(bundled_copy), "i18n", "check", "--language", language.code)
        assert_ok_or_located(status, output)
        if status == 0:  # what i18n check passes, the build can translate and lay out
            lay_out(bundled_copy, (source(), language))
        status, output = run_cli("--root", str(bundled_copy), "i18n", "status")
        assert_ok_or_located(status, output)


@pytest.fixture(scope="module")
def built_fixture(tmp_path_factory):
    """The small fixture project, built once: the output a failed build must leave as it was."""
    root = write_project(tmp_path_factory.mktemp("built-fixture"))
    fill_catalogs(root)
    status, output = run_cli("--root", str(root), "build")
    assert status == 0, output
    return root


def published(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "build").rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


@settings(max_examples=examples(2), **PROPERTY)
@given(data=st.data())
def test_a_build_of_an_edited_project_succeeds_or_publishes_nothing(built_fixture, data):
    """Whole builds, a few: exit 0, or a located error with build/ exactly as it was."""
    names = ["content/leaflets/test.yaml", "content/site.yaml", "content/facts.yaml",
             "locales/ko/LC_MESSAGES/messages.po", "locales/ja/LC_MESSAGES/messages.po"]
    name = data.draw(st.sampled_from(names), label="file")
    text = (built_fixture / name).read_text(encoding="utf-8")
    before = published(built_fixture)
    with mutated(built_fixture, name, data.draw(mutation(text), label="edit")):
        status, output = run_cli("--root", str(built_fixture), "build")
        assert_ok_or_located(status, output)
        if status == 1:
            assert published(built_fixture) == before
    if status == 0:  # put the fixture's own output back for the next example
        status, output = run_cli("--root", str(built_fixture), "build")
        assert status == 0, output
