"""Shared fixtures: a small project written inline, and builds of it and of the bundled content."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import subprocess
import threading
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from outreach.build import Paths, build
from outreach import markup
from outreach.i18n import catalogs
from outreach import languages
from outreach.languages import TARGETS
from outreach.render.common import TEMPLATES
from outreach.validate import PLACEHOLDER, load_project

REPO = Path(__file__).resolve().parent.parent
languages.configure(REPO / "content")  # the project's languages, for tests that use them before loading a project


def replaced(text, old, new, count: int = -1):
    """``text`` with ``old`` replaced by ``new``; fails when ``old`` is not there, so an edit that no longer
    applies to a changed fixture fails the test rather than leave it testing the unedited fixture."""
    if old not in text:
        raise AssertionError(f"the text to replace is not in the fixture: {old!r}")
    return text.replace(old, new, count)


class Fixture(str):
    """Fixture text whose ``replace`` is ``replaced``: it fails when the text to replace is not found."""

    def replace(self, old, new, count=-1):
        return Fixture(replaced(str(self), old, new, count))

    def __add__(self, other):
        return Fixture(str(self) + other)


def edit_file(path: Path, old, new, count: int = -1) -> None:
    """Replace text in a file of a fixture project; fails when ``old`` is not in it."""
    if isinstance(old, bytes):
        path.write_bytes(replaced(path.read_bytes(), old, new, count))
    else:
        path.write_text(replaced(path.read_text(encoding="utf-8"), old, new, count), encoding="utf-8")

SITE = Fixture("""\
title: Trang thử
description: Trang thử cho bộ kiểm thử.
board: Ban Tuyên giáo Tỉnh ủy
province: Bình Phước
edition: 2024-05-01
url: https://outreach.example.org/
home:
  heading: Tài liệu thử
  intro: Có {workers} lao động trong khu công nghiệp.
""")

CONTACTS = Fixture("""\
office: Ban Tuyên giáo Tỉnh ủy
unit: Bộ phận chuyên trách
address: ~
phone: ~
email: ~
""")

FACTS = Fixture("""\
workers:
  type: integer
  value: 71383
  unit: lao động
  as_of: "2023"
  source: Phần thứ nhất, mục I
start:
  type: year
  value: 2023
  unit: năm
  as_of: "2023"
  source: Tên Đề án
signed:
  type: date
  value: 2019-03-18
  unit: ngày ký
  as_of: "2019-03-18"
  source: Phần thứ nhất, mục II
""")

GLOSSARY = Fixture("""\
terms:
  - id: chi-bo
    vi: chi bộ
    en: Party cell
    ko: 당세포
    zh_Hans: 党支部
    ja: 党支部
    note: Tổ chức cơ sở của Đảng.
""")

LEAFLET = Fixture("""\
id: test
kind: leaflet
audience: Cho chủ doanh nghiệp
title: Đảng viên và công đoàn
summary: Tờ rơi thử.
panels:
  front:
    kicker: Cho chủ doanh nghiệp
    title: Đồng hành cùng doanh nghiệp
    subtitle: Giai đoạn {start}.
  inside_1:
    heading: Quy trình kết nạp đảng viên
    body: |
      Công đoàn **không điều hành** việc kinh doanh.

      - Một;
      - Hai.
  inside_2:
    heading: Tỉnh hỗ trợ
    body: Chỉ thị ngày {signed}.
  inside_3:
    heading: Đề nghị
    body: Gặp chúng tôi.
  flap:
    heading: Số liệu
    figures:
      - id: workers
        fact: workers
        label: lao động
    note: Theo Đề án.
  back:
    heading: Liên hệ
    body: Xin liên hệ.
    scan: Quét mã
status:
  state: draft
""")

# Translations of the fixture, per language, by msgctxt. "panels.inside_3.body"
# is left out on purpose: it must fall back to Vietnamese with a notice.
TRANSLATIONS = {
    "en": {
        "site:title": "Test site", "site:home.heading": "Test material",
        "site:home.intro": "There are {workers} workers in the industrial zone.",
        "leaflet.test:title": "Party members and trade unions",
        "leaflet.test:panels.inside_1.heading": "How a worker joins the Party",
        "leaflet.test:panels.inside_1.body": "The union **does not run** the business.\n\n- One;\n- Two.",
        "leaflet.test:panels.inside_2.body": "Directive of {signed}.",
        "leaflet.test:panels.front.title": "Working with your enterprise",
    },
    "ko": {
        "site:title": "시험 사이트", "site:home.heading": "시험 자료",
        "site:home.intro": "산업단지에 {workers}명의 근로자가 있습니다.",
        "leaflet.test:title": "당원과 노동조합",
        "leaflet.test:panels.inside_1.heading": "입당 절차",
        "leaflet.test:panels.inside_1.body": "노동조합은 경영을 **하지 않습니다**.\n\n- 하나;\n- 둘.",
        "leaflet.test:panels.inside_2.body": "{signed} 지시.",
        "leaflet.test:panels.front.title": "기업과 함께합니다",
    },
    "zh_Hans": {
        "site:title": "测试网站", "site:home.heading": "测试资料",
        "site:home.intro": "工业区有{workers}名劳动者。",
        "leaflet.test:title": "党员与工会",
        "leaflet.test:panels.inside_1.heading": "入党程序",
        "leaflet.test:panels.inside_1.body": "工会**不经营**企业。\n\n- 一；\n- 二。",
        "leaflet.test:panels.inside_2.body": "{signed}的指示。",
        "leaflet.test:panels.front.title": "与企业同行",
    },
    "ja": {
        "site:title": "テストサイト", "site:home.heading": "テスト資料",
        "site:home.intro": "工業団地には{workers}人の労働者がいます。",
        "leaflet.test:title": "党員と労働組合",
        "leaflet.test:panels.inside_1.heading": "入党の手続き",
        "leaflet.test:panels.inside_1.body": "労働組合は経営を**行いません**。\n\n- 一つ；\n- 二つ。",
        "leaflet.test:panels.inside_2.body": "{signed}の指示。",
        "leaflet.test:panels.front.title": "企業とともに",
    },
}


def write_project(root: Path, files: dict[str, str] | None = None) -> Path:
    """A small project in ``root``: content, the repository's mkdocs.yml, and catalogs."""
    contents = {
        "content/site.yaml": SITE, "content/contacts.yaml": CONTACTS, "content/facts.yaml": FACTS,
        "content/glossary.yaml": GLOSSARY, "content/leaflets/test.yaml": LEAFLET,
    }
    contents.update(files or {})
    for name, text in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if "content/languages.yaml" not in contents:
        shutil.copy(REPO / "content" / "languages.yaml", root / "content" / "languages.yaml")
    return root


PSEUDO = {"en": "Text", "ko": "번역문", "zh_Hans": "译文", "ja": "訳文です"}
UNTRANSLATED = {"en": {"leaflet.test:panels.inside_3.body"}}  # falls back to Vietnamese, and blocks vi-en


def pseudo_translation(message, catalog_id: str, words=PSEUDO) -> str:
    """A stand-in translation with the source's shape: same placeholders, blocks, list items and links."""
    word = words[catalog_id]
    if not message.context:  # a UI label: keep its %(variables)s
        return " ".join([word, *re.findall(r"%\(\w+\)s", message.id)])
    rich = any("Markup:" in comment for comment in message.auto_comments)
    placeholders = " ".join("{" + name + "}" for name in dict.fromkeys(PLACEHOLDER.findall(message.id)))
    parts = []
    for index, block in enumerate(markup.parse(message.id, rich)):
        items = []
        for position, item in enumerate(block.items):
            links = " ".join(f"[{word}]({href})" for href in markup.links((markup.Block("p", (item,)),)))
            first = placeholders if index == 0 and position == 0 else ""
            items.append(" ".join(part for part in (word, first, links) if part))
        if block.tag == "p":
            parts.append(items[0])
        else:
            marker = "- " if block.tag == "ul" else "1. "
            parts.append("\n".join(marker + item for item in items))
    return "\n\n".join(parts)


def fill_catalogs(root: Path, translations=TRANSLATIONS, untranslated=UNTRANSLATED, words=PSEUDO) -> None:
    """Catalogs for the fixture: the real translations above, a stand-in for every other entry."""
    project = load_project(root / "content")
    catalogs.update(root / "locales", catalogs.extract(project, TEMPLATES, root))
    for language in TARGETS:
        path = catalogs.po_path(root / "locales", language)
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or message.context in untranslated.get(language.catalog, ()):
                continue
            own = translations.get(language.catalog, {})
            message.string = own.get(message.context) or pseudo_translation(message, language.catalog, words)
        with open(path, "wb") as handle:
            write_po(handle, catalog, include_previous=True)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory):
    """The small fixture project, translated (but for one field) and built once."""
    root = write_project(tmp_path_factory.mktemp("fixture"))
    fill_catalogs(root)
    result = build(Paths(root))
    return root, result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory):
    """The bundled content and catalogs, built in a copy of the repository's inputs, for a site served
    at http://127.0.0.1:<port>/ (see ``served_site``)."""
    root = tmp_path_factory.mktemp("bundled")
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    port = free_port()
    result = build(Paths(root), site_url=f"http://127.0.0.1:{port}/")
    result.port = port
    return root, result


@pytest.fixture(scope="session")
def served_site(bundled_build):
    """The bundled site on 127.0.0.1, as a reader's browser gets it."""
    root, result = bundled_build
    handler = functools.partial(QuietHandler, directory=str(root / "build/site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", result.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{result.port}/", root
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".webmanifest": "application/manifest+json"}

    def log_message(self, *args):
        pass


def load_errors(root: Path) -> str:
    """The formatted errors of loading a project's content, with paths as its user sees them."""
    from outreach.errors import OutreachError

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        with pytest.raises(OutreachError) as info:
            load_project("content")
    return info.value.format()


def pdftotext(path: Path) -> str:
    """The PDF's text in reading order, with runs of white space made one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


def pdffonts(path: Path) -> list[dict[str, str]]:
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name, type..., encoding, emb, sub, uni, object, ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows
