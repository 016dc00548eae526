"""Incremental builds: what a change makes again, what a language build leaves alone, what readers keep,
and that an incremental build gives the same bytes as a clean one."""

from __future__ import annotations

import importlib.metadata
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from outreach import cache
from outreach.build import Paths, build
from outreach.i18n import catalogs
from outreach.languages import get
from outreach.render import common, web
from outreach.render import print as print_render
from outreach.render.common import TEMPLATES
from outreach.validate import load_project

from .conftest import REPO, fill_catalogs, pdftotext, write_project

SKIPPED = {".cache", ".work"}

VI, KO, ZH_HANS, JA = (get(code) for code in ("vi", "ko", "zh-Hans", "ja"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every published file of build/, by path (the cache and the generated projects left out)."""
    out = root / "build"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and not SKIPPED & set(p.relative_to(out).parts)}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def update_catalogs(root: Path) -> None:
    catalogs.update(root / "locales", catalogs.extract(load_project(root / "content"), TEMPLATES, root))


def translate(root: Path, language, context: str, string: str) -> None:
    """A translator's work: the entry's new translation, its fuzzy flag cleared."""
    path = catalogs.po_path(root / "locales", language)
    catalog = catalogs.read_catalog(path)
    entry = next(m for m in catalog if m.context == context)
    entry.string, entry.flags = string, set()
    path.write_bytes(catalogs.render_po(catalog))


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Every published file of build/ as its inode and modification time: a file made again has others."""
    out = root / "build"
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")
            if p.is_file() and not SKIPPED & set(p.relative_to(out).parts) and p.name != ".lock"}


def touched(a: dict, b: dict) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def test_a_comment_or_white_space_in_the_content_or_a_catalog_makes_nothing_again(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    first = build(Paths(root))
    before, times = snapshot(root), stamps(root)
    site = root / "content/site.yaml"
    site.write_text("# a comment an editor left\n" + site.read_text(encoding="utf-8").replace(
        "board: Ban Tuyên giáo Tỉnh ủy", "board:   Ban Tuyên giáo Tỉnh ủy   # who publishes"), encoding="utf-8")
    facts = root / "content/facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("workers:\n", "\n\nworkers:   \n"), encoding="utf-8")
    leaflet = root / "content/leaflets/test.yaml"  # every text of the document moves down two lines
    leaflet.write_text("# Tờ rơi thử: bản của biên tập viên\n\n" + leaflet.read_text(encoding="utf-8"),
                       encoding="utf-8")
    edit(leaflet, "    heading: Tỉnh hỗ trợ\n", "    heading:    Tỉnh hỗ trợ      # tiêu đề\n")
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text("# a note on the configuration\n" + mkdocs.read_text(encoding="utf-8"), encoding="utf-8")
    po = catalogs.po_path(root / "locales", KO)  # a translator's comment, a blank line, a msgstr wrapped anew
    text = po.read_text(encoding="utf-8")
    entry = re.search(r'\nmsgid "Ấn bản"\nmsgstr "([^"\n]+)"\n', text)
    assert entry, "the Korean catalog has the print label"
    po.write_text(text.replace(entry.group(0), f'\n# 번역자 메모: 인쇄본 라벨\nmsgid "Ấn bản"\nmsgstr ""\n'
                                               f'"{entry.group(1)}"\n\n', 1), encoding="utf-8")
    result = build(Paths(root))
    assert len(first.made) == 18 and result.made == []  # the build's own account: no job ran
    assert (result.pdfs_rendered, result.sites_rendered, result.packs_reused, result.sites_reused) == (0, 0, 3, 10)
    assert differences(before, snapshot(root)) == []
    assert touched(times, stamps(root)) == []  # not one file written again


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package's files for the package version (the code that runs stays the installed one)."""
    copy = tmp_path / "package"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    yield copy
    monkeypatch.undo()
    cache.new_build()


def move_helper(package: Path) -> None:
    """A function moves to another module: ``card_name`` from render/web.py to render/common.py."""
    web_py, common_py = package / "render/web.py", package / "render/common.py"
    helper = re.search(r"\ndef card_name\(.*?\n\n\n", web_py.read_text(encoding="utf-8"), re.S)
    assert helper
    edit(web_py, helper.group(0), "\n\n")
    common_py.write_text(common_py.read_text(encoding="utf-8") + helper.group(0).rstrip() + "\n", encoding="utf-8")


def test_the_package_version_is_the_distribution_and_every_file_of_the_package(package_copy):
    version = cache.new_build()
    assert version.startswith(importlib.metadata.version("outreach") + "+")
    assert cache.package_version() == version  # once per build
    (package_copy / "__pycache__").mkdir()
    (package_copy / "__pycache__" / "cache.cpython-311.pyc").write_bytes(b"bytecode")
    assert cache.new_build() == version  # bytecode is not the package
    sw = package_copy / "templates/web/sw.js.j2"
    sw.write_text(sw.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = cache.new_build()
    assert changed != version  # a template is part of it
    move_helper(package_copy)
    assert cache.new_build() not in (version, changed)


def test_a_change_in_the_package_makes_every_product_again(tmp_path, package_copy):
    root = write_project(tmp_path / "project")
    fill_catalogs(root)
    first = build(Paths(root))
    before = snapshot(root)
    move_helper(package_copy)
    result = build(Paths(root))
    assert len(first.made) == 18 and result.made == first.made, result.made
    assert {name.split()[0] for name in result.made} == {"print", "site", "offline", "cards"}
    assert result.pdfs_rendered == 3 and result.pdfs_reused == 0  # WeasyPrint ran: the PDF cache has it too
    assert result.packs_reused == 0 and result.sites_reused == 0
    changed = differences(before, snapshot(root))
    # the same code, moved: the same pages and screen PDFs; a press file's document ID is made from its key,
    # so the press files are new, and the packs that hold them
    assert changed == sorted(f"packs/leaflet-test.{pair}{name}" for pair in ("vi-ja", "vi-ko", "vi-zh-Hans")
                             for name in (".zip", f"/leaflet-test.{pair}.press.pdf", "/manifest.json"))
    assert build(Paths(root)).made == []


def test_an_offline_pack_is_made_again_when_a_pdf_in_it_changes_and_only_then(tmp_path, own_templates):
    root = write_project(tmp_path / "project")
    fill_catalogs(root)
    build(Paths(root))
    times = stamps(root)
    # the leaflets' print stylesheet: their PDFs change, and no page of any site
    css = own_templates / "print/leaflet.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.figure { letter-spacing: 0.02em; }\n", encoding="utf-8")
    result = build(Paths(root))
    pairs = ("vi-ja", "vi-ko", "vi-zh-Hans")
    assert result.made == [f"offline {code}" for code in ("ja", "ko", "zh-Hans")] + \
        [f"print leaflet-test.{pair}" for pair in pairs]
    for pair in pairs:  # each pack holds its language's leaflet as it is now
        code = pair[len("vi-"):]
        with zipfile.ZipFile(root / f"build/site/offline/outreach-{code}.zip") as archive:
            assert archive.read(f"outreach-{code}/pdf/leaflet-test.{pair}.pdf") == \
                (root / f"build/pdf/leaflet-test.{pair}.pdf").read_bytes()
    after = stamps(root)
    for code in ("vi", "en"):  # no PDF of theirs changed (English is not printed yet): not made again
        assert after[f"site/offline/outreach-{code}.zip"] == times[f"site/offline/outreach-{code}.zip"]
    assert after["site/ko/leaflets/test/index.html"] == times["site/ko/leaflets/test/index.html"]
    assert build(Paths(root)).made == []  # and nothing when nothing changed


def test_a_language_build_leaves_the_other_languages_as_they_were(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    build(Paths(root))
    before = snapshot(root)
    inodes = {p: os.stat(root / "build" / p).st_ino for p in before}
    # a Japanese and a Korean change; only Korean (and Vietnamese) is built
    edit(catalogs.po_path(root / "locales", KO), "입당 절차", "입당의 절차")
    edit(root / "locales/ja/LC_MESSAGES/messages.po", "入党の手続き", "入党の流れ")
    result = build(Paths(root), languages=(VI, KO))
    assert result.languages == ["vi", "ko"] and result.sites_rendered == 2 and result.pdfs_rendered == 1
    after = snapshot(root)
    changed = differences(before, after)
    assert changed and all(name.startswith(("site/ko/", "site/offline/outreach-ko.zip", "pdf/leaflet-test.vi-ko",
                                            "site/pdf/leaflet-test.vi-ko", "packs/leaflet-test.vi-ko",
                                            "site/vi/pdf/leaflet-test.vi-ko",  # the Vietnamese pages link it too
                                            ".editions/leaflet-test.vi-ko"))
                           for name in changed), changed
    assert "입당의 절차" in (root / "build/site/ko/leaflets/test/index.html").read_text(encoding="utf-8")
    assert "入党の流れ" not in (root / "build/site/ja/leaflets/test/index.html").read_text(encoding="utf-8")
    for name in ("pdf/leaflet-test.vi-ja.pdf", "packs/leaflet-test.vi-ja.zip", "site/ja/index.html",
                 "site/offline/outreach-zh-Hans.zip"):
        assert os.stat(root / "build" / name).st_ino == inodes[name]  # the very same file, not made again
    root_page = (root / "build/site/index.html").read_text(encoding="utf-8")
    assert all(f'hreflang="{code}"' in root_page for code in ("vi", "en", "ko", "zh-Hans", "ja"))

    # the full build then catches up with Japanese, and equals a clean one
    build(Paths(root))
    assert "入党の流れ" in (root / "build/site/ja/leaflets/test/index.html").read_text(encoding="utf-8")


def test_readers_keep_the_last_complete_edition_while_a_translation_catches_up(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    build(Paths(root))
    published = (root / "build/pdf/leaflet-test.vi-ko.pdf").read_bytes()

    # the Vietnamese changes: the Korean, Chinese and Japanese entries become fuzzy
    edit(root / "content/leaflets/test.yaml", "body: Chỉ thị ngày {signed}.", "body: Chỉ thị của Ban Bí thư ngày {signed}.")
    update_catalogs(root)
    result = build(Paths(root))
    assert "leaflet-test.vi-ko.pdf" in result.blocked
    assert set(result.kept) == {"leaflet-test.vi-ko.pdf", "leaflet-test.vi-zh-Hans.pdf", "leaflet-test.vi-ja.pdf"}
    assert (root / "build/pdf/leaflet-test.vi-ko.pdf").read_bytes() == published
    assert (root / "build/site/pdf/leaflet-test.vi-ko.pdf").read_bytes() == published
    assert not (root / "build/packs/leaflet-test.vi-ko").exists()  # press files stay gated
    assert "Chỉ thị ngày" in pdftotext(root / "build/pdf/leaflet-test.vi-ko.pdf")  # the earlier text
    ko_page = (root / "build/site/ko/leaflets/test/index.html").read_text(encoding="utf-8")
    link = re.search(r'<li><a href="[^"]*leaflet-test\.vi-ko\.pdf"[^>]*>[^<]*</a> <span class="kept-edition">'
                     r'\(([^)]*)\)</span></li>', ko_page)
    assert link, "the kept PDF's link says which edition it is"
    assert "2024년 5월 1일" in link.group(1)  # the edition date, as Korean writes it
    vi_page = (root / "build/site/vi/leaflets/test/index.html").read_text(encoding="utf-8")
    assert "ấn bản ngày 1 tháng 5 năm 2024; ấn bản mới đang được dịch" in vi_page
    with __import__("zipfile").ZipFile(root / "build/site/offline/outreach-ko.zip") as archive:
        assert archive.read("outreach-ko/pdf/leaflet-test.vi-ko.pdf") == published

    # once the Korean translation is complete, the new edition replaces the kept one
    translate(root, KO, "leaflet.test:panels.inside_2.body", "{signed} 당 중앙서기국 지시.")
    result = build(Paths(root))
    assert "leaflet-test.vi-ko.pdf" not in result.blocked and "leaflet-test.vi-ko.pdf" not in result.kept
    assert "Chỉ thị của Ban Bí thư ngày" in pdftotext(root / "build/pdf/leaflet-test.vi-ko.pdf")
    assert "kept-edition" not in (root / "build/site/ko/leaflets/test/index.html").read_text(encoding="utf-8")
    assert (root / "build/packs/leaflet-test.vi-ko").is_dir()


# ------------------------------------------------------------ incremental = clean

def resub(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(pattern, text), (path, pattern)
    path.write_text(re.sub(pattern, new, text, count=1), encoding="utf-8")


def _edit_content(root: Path, rng: random.Random) -> str:
    word = rng.choice(["sớm", "ngay", "trực tiếp", "tại văn phòng"])
    resub(root / "content/leaflets/test.yaml", r"body: Xin liên hệ[^\n]*", f"body: Xin liên hệ {word}.")
    return f"content: back panel + '{word}'"


def _edit_msgstr(root: Path, rng: random.Random) -> str:
    language, string = rng.choice([(KO, "기업과 늘 함께합니다"), (JA, "企業と共に"), (ZH_HANS, "与企业一起同行"),
                                   (KO, "기업과 함께"), (JA, "企業と一緒に")])
    translate(root, language, "leaflet.test:panels.front.title", string)
    return f"msgstr: {language.code} {string}"


def _edit_fact(root: Path, rng: random.Random) -> str:
    value = rng.randint(70000, 79999)
    resub(root / "content/facts.yaml", r"value: 7\d{4}\b", f"value: {value}")
    return f"fact: workers = {value}"


def _edit_glossary(root: Path, rng: random.Random) -> str:
    term = rng.choice(["cell", "branch", "unit", "group"])
    resub(root / "content/glossary.yaml", r"en: Party \w+", f"en: Party {term}")
    return f"glossary: en Party {term}"


def _edit_template(root: Path, rng: random.Random) -> str:
    name, addition = rng.choice([
        ("print/leaflet.css", f"\n.figure {{ letter-spacing: 0.0{rng.randint(1, 9)}em; }}\n"),
        ("web/leaflet.md.j2", f"\n<!-- edited {rng.randint(1, 99)} -->\n"),
        ("web/overrides/main.html", f"\n<!-- edited {rng.randint(1, 99)} -->\n"),
    ])
    path = root / "templates" / name
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    return f"template: {name}"


EDITS = [_edit_content, _edit_msgstr, _edit_fact, _edit_glossary, _edit_template]


@pytest.fixture
def own_templates(tmp_path, monkeypatch):
    """A copy of the templates that a test may edit (the workers inherit it: they are forked)."""
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    monkeypatch.setattr(common, "TEMPLATES", copy)
    monkeypatch.setattr(print_render, "PRINT_CSS", copy / "print")
    monkeypatch.setattr(web, "OVERRIDES", copy / "web" / "overrides")
    monkeypatch.setattr(web, "ASSETS", copy / "web" / "assets")
    return copy


def test_an_incremental_build_equals_a_clean_one(tmp_path, own_templates):
    seed = int(os.environ.get("OUTREACH_TEST_SEED", time.time_ns() % 100_000))
    rounds = int(os.environ.get("OUTREACH_TEST_ROUNDS", "2"))
    rng = random.Random(seed)
    root = write_project(tmp_path / "project")
    fill_catalogs(root)
    build(Paths(root))
    applied = []
    for _ in range(rounds):
        for change in rng.sample(EDITS, 2):
            applied.append(change(tmp_path if change is _edit_template else root, rng))
        build(Paths(root))
        incremental = snapshot(root)
        # a clean build: nothing of build/ but the record of published editions
        kept = tmp_path / "incremental"
        (root / "build").rename(kept)
        (root / "build").mkdir()
        if (kept / ".editions").exists():
            shutil.copytree(kept / ".editions", root / "build/.editions")
        build(Paths(root))
        clean = snapshot(root)
        shutil.rmtree(root / "build")
        kept.rename(root / "build")
        assert differences(incremental, clean) == [], f"seed {seed}: {applied}"
        assert len(incremental) > 100


def test_a_second_build_waits_for_the_first(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    command = [sys.executable, "-m", "outreach", "build"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = root / "build/.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().startswith("pid")) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    assert f"another build is running in build (pid {first.pid}); waiting for it to finish" in second.stderr
    assert "10 rendered" in out and "0 rendered, 10 unchanged" in second.stdout  # it found the first's output
    assert not (root / "build/.staging").exists()
    assert "build: [" in err  # not a terminal: plain progress lines


def test_progress_on_a_terminal_is_one_line(tmp_path):
    import pty

    root = write_project(tmp_path)
    fill_catalogs(root)
    main, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    run = subprocess.Popen([sys.executable, "-m", "outreach", "build"], cwd=root, stdout=subprocess.PIPE,
                           stderr=terminal, env={**env, "PYTHONPATH": str(REPO), "TERM": "xterm"})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert run.wait(timeout=600) == 0
    text = shown.decode("utf-8", "replace")
    assert "\r\x1b[K" in text and "build: [" not in text
    assert re.search(r"making \d+/18 · slowest running: (print|site|offline|cards) \S+ \d+ s", text), text[-2000:]
