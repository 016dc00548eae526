"""Texts are data: script payloads in every text of the content and the catalogs run nowhere in the site.

The hostile fixture (``tests/hostile.py``) plants payloads in every field of every document kind and in
every msgstr of every language; after a build, every page of every site and of every offline zip is parsed
as a browser would (an HTML5 parser) and searched for what would run: a script element carrying the
payload, an event-handler attribute, a ``javascript:`` URL. The search index (which the theme inserts as
HTML) is parsed the same way. And the payloads must still be there, as text, escaped exactly once.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from pathlib import Path

import pytest
import tinyhtml5

from outreach.build import Paths, build
from outreach.languages import LANGUAGES

from .hostile import MARK, PAYLOADS, write_hostile_project

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def executable(root) -> list[str]:
    """What would run in a browser: script elements with the payload, event handlers, javascript: URLs."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = local(element.tag)
        if tag == "script" and MARK in "".join(element.itertext()) + element.get("src", ""):
            found.append(f"<script> {''.join(element.itertext())[:80]!r}")
        for name, value in element.attrib.items():
            name = local(name).lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value[:60]!r}>")
            if name in URL_ATTRIBUTES and "".join(value.split()).lower().startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag} {name}={value[:60]!r}>")
        if tag == "iframe" and element.get("srcdoc"):
            found.append("<iframe srcdoc>")
    return found


def fragment(html: str):
    """A piece of HTML parsed as the content of a page's body, as innerHTML would."""
    return tinyhtml5.parse("<!doctype html><body>" + html)


def texts(root) -> str:
    """Every text and attribute value of a parsed page, as the reader's browser has them."""
    parts = []
    for element in root.iter():
        if isinstance(element.tag, str):
            parts += [element.text or "", element.tail or "", *element.attrib.values()]
    return "\n".join(parts)


def pages(root: Path):
    """(name, bytes) of every HTML page of the site and of the offline zips."""
    site = root / "build/site"
    for path in sorted(site.rglob("*.html")):
        yield str(path.relative_to(root)), path.read_bytes()
    for zipped in sorted((site / "offline").glob("*.zip")):
        with zipfile.ZipFile(zipped) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".html"):
                    yield f"{zipped.relative_to(root)}:{name}", archive.read(name)


def search_documents(root: Path):
    """(where, html) of every title and text in the search indexes, as the page that searches shows them: the
    theme's index holds HTML; a plain index ("plain": true, read by assets/search.js) holds text, which
    search.js escapes before it shows it."""
    site = root / "build/site"
    for index in sorted(site.glob("*/search/search_index.json")):
        data = json.loads(index.read_text(encoding="utf-8"))
        plain = data["config"].get("plain", False)
        if plain:
            script = (index.parent.parent / "assets" / "search.js").read_text(encoding="utf-8")
            assert "escapeHtml(article.title.shown)" in script and "function escapeHtml" in script
        for doc in data["docs"]:
            for field in ("title", "text"):
                yield f"{index.relative_to(root)} {doc['location']} {field}", \
                    html.escape(doc[field]) if plain else doc[field]
    for zipped in sorted((site / "offline").glob("*.zip")):
        with zipfile.ZipFile(zipped) as archive:
            for name in archive.namelist():
                if name.endswith("search_index.js"):
                    text = archive.read(name).decode("utf-8")
                    data = json.loads(text[text.index("{"): text.rindex("}") + 1])
                    for doc in data["docs"]:
                        for field in ("title", "text"):
                            yield f"{zipped.relative_to(root)}:{name} {doc['location']} {field}", doc[field]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = write_hostile_project(tmp_path_factory.mktemp("hostile"))
    build(Paths(root))
    return root


def test_no_payload_runs_in_any_page_or_offline_zip(hostile_build):
    found = {}
    count = 0
    for name, data in pages(hostile_build):
        count += 1
        problems = executable(tinyhtml5.parse(io.BytesIO(data), transport_encoding="utf-8"))
        if problems:
            found[name] = problems
    assert count > 60  # the pages of five sites and five offline packs
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)[:3000]


def test_no_payload_runs_from_the_search_index(hostile_build):
    found, count = [], 0
    for where, html in search_documents(hostile_build):
        count += 1
        problems = executable(fragment(html))
        if problems:
            found.append((where, problems))
    assert count > 100
    assert not found, found[:10]


def test_payloads_are_shown_as_text_escaped_once(hostile_build):
    """Every payload reaches the reader as the text it is: in titles, descriptions, navigation and bodies,
    never as markup and never escaped twice (which would show '&lt;')."""
    for code in (lang.code for lang in LANGUAGES):
        path = hostile_build / "build/site" / code / "handbooks/so-tay/chuong/index.html"
        root = tinyhtml5.parse(io.BytesIO(path.read_bytes()), transport_encoding="utf-8")
        shown = texts(root)
        for payload in PAYLOADS:
            assert payload in shown, (code, payload)
        assert "&lt;" not in shown and "&amp;" not in shown, code
        title = next(e for e in root.iter() if isinstance(e.tag, str) and local(e.tag) == "title")
        assert MARK in title.text and "<" in title.text, (code, title.text)
        description = next(e for e in root.iter() if isinstance(e.tag, str) and local(e.tag) == "meta"
                           and e.get("name") == "description")
        assert "\"><script>" in description.get("content"), code
    titles = [shown for where, shown in search_documents(hostile_build) if where.startswith("build/site/en/")
              and where.endswith(" title")]
    shown = [fragment(title) for title in titles]
    assert any("<script>" in "".join(tree.itertext()) for tree in shown)  # text, shown as text


def test_the_hostile_project_is_all_there(hostile_build):
    """The test above means something only if the payloads reached every kind of page and every language."""
    site = hostile_build / "build/site"
    for code in (lang.code for lang in LANGUAGES):
        for rel in ("", "leaflets/test/", "handbooks/so-tay/", "handbooks/so-tay/chuong/", "courses/awareness/",
                    "courses/awareness/awareness-a/", "stories/vi-du/", "glossary/"):
            html = (site / code / rel / "index.html").read_text(encoding="utf-8")
            assert MARK in html, (code, rel)
    with zipfile.ZipFile(site / "offline/outreach-ko.zip") as archive:
        assert MARK in archive.read("outreach-ko/courses/awareness/awareness-a.html").decode("utf-8")
