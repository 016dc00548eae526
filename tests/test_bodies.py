"""Names of bodies and of the province: one registry (content/bodies.yaml), used in texts as {id}."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from outreach.i18n.checks import check_catalogs
from outreach.i18n.translate import Translator
from outreach.languages import LANGUAGES
from outreach.validate import load_project

from .conftest import LEAFLET, REPO, SITE, load_errors, write_project

BODIES = """\
bodies:
  tinh:
    kind: province
    name: Bình Phước
  ban_tuyen_giao:
    kind: party
    name: Ban Tuyên giáo Tỉnh ủy
"""


def test_an_unknown_placeholder_is_an_error_at_its_place(tmp_path):
    leaflet = LEAFLET.replace("title: Đảng viên và công đoàn", "title: Đảng viên và {ban_tuyen_gaio}")
    text = load_errors(write_project(tmp_path, {"content/bodies.yaml": BODIES, "content/leaflets/test.yaml": leaflet}))
    first = text.splitlines()[0]
    assert re.match(r"content/leaflets/test\.yaml:4:21: error: unknown placeholder '\{ban_tuyen_gaio\}' "
                    r"\(did you mean 'ban_tuyen_giao'\?\) \[text\.placeholder\]$", first), first
    caret = text.splitlines()[2]
    assert text.splitlines()[1][len(caret) - 1:].startswith("{ban_tuyen_gaio}")
    assert "content/bodies.yaml" in text  # the help says where names of bodies live


def test_bodies_are_checked_like_any_content(tmp_path):
    bad = BODIES + """\
  workers:
    kind: party
    name: Ban Dân vận Tỉnh ủy
  Ban_Sai:
    kind: party
    name: Ban Sai
  ban_dan_van:
    kind: partty
    name: Ban Dân vận {tinh}
  dang_uy_khoi_ngan:
    kind: party
    name: Đảng ủy Khối
    short_for: dang_uy_khoi
"""
    text = load_errors(write_project(tmp_path, {"content/bodies.yaml": bad}))
    assert "content/bodies.yaml:8:3: error: body id 'workers' is also a fact's id [schema.duplicate-id]" in text
    assert "content/bodies.yaml:11:3: error: body id 'Ban_Sai' may use only a-z, 0-9 and '_'" in text
    assert "content/bodies.yaml:15:11: error: 'partty' is not one of: province, party, state, mass" in text
    assert re.search(r"content/bodies\.yaml:16:\d+: error: '\{tinh\}': a body's name is written out", text)
    assert "content/bodies.yaml:20:16: error: unknown body 'dang_uy_khoi'" in text


def test_a_body_is_named_through_the_registry_in_every_language(tmp_path):
    """Renaming a body is one edit in bodies.yaml plus its translations: every text that names it follows."""
    root = tmp_path
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    project = load_project(root / "content")
    before = {lang.code: Translator.load(lang, root / "locales", project.facts, project.bodies) for lang in LANGUAGES}
    assert before["vi"].text(project.site.board).value == "Ban Tuyên giáo Tỉnh ủy Bình Phước"
    assert before["en"].text(project.site.board).value == (
        "Propaganda Board of the Provincial Party Committee of Bình Phước")
    assert before["zh-Hans"].text(project.site.board).value == "平福省委宣教部"
    assert before["zh-Hans"].text(project.site.province).value == "平福省"

    # the province is renamed: one line in bodies.yaml, one entry in each catalog
    bodies = root / "content/bodies.yaml"
    bodies.write_text(bodies.read_text(encoding="utf-8").replace("name: Bình Phước", "name: Đồng Nai"), "utf-8")
    renamed = {"en": "Đồng Nai", "ko": "동나이", "zh_Hans": "同奈", "ja": "ドンナイ"}
    for lang in LANGUAGES[1:]:
        path = root / f"locales/{lang.catalog}/LC_MESSAGES/messages.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        entry = catalog.get("Bình Phước", "body.tinh:name")
        catalog.delete("Bình Phước", "body.tinh:name")
        catalog.add("Đồng Nai", renamed[lang.catalog], context="body.tinh:name", auto_comments=entry.auto_comments)
        with open(path, "wb") as handle:
            write_po(handle, catalog)
    project = load_project(root / "content")
    after = {lang.code: Translator.load(lang, root / "locales", project.facts, project.bodies) for lang in LANGUAGES}
    assert after["vi"].text(project.site.board).value == "Ban Tuyên giáo Tỉnh ủy Đồng Nai"
    assert after["en"].text(project.site.board).value == "Propaganda Board of the Provincial Party Committee of Đồng Nai"
    assert after["ko"].text(project.site.board).value.startswith("동나이성 ")  # a province name takes 성 attached
    assert after["zh-Hans"].text(project.site.board).value == "同奈省委宣教部"
    assert after["ja"].text(project.site.province).value == "ドンナイ省"
    # every text that named the province changed with it, in every language, and nothing else did
    for lang in LANGUAGES:
        texts = [text for text in project.texts() if not text.context.startswith("body.")]
        changed = [text.context for text in texts if before[lang.code].text(text).value != after[lang.code].text(text).value]
        naming = [text.context for text in texts if "{tinh}" in text.source]
        old = {"vi": "Bình Phước", "en": "Bình Phước", "ko": "빈프억", "zh-Hans": "平福", "ja": "ビンフオック"}[lang.code]
        assert len(naming) >= 5 and set(naming) <= set(changed), lang.code
        assert all(old in before[lang.code].text(text).value for text in texts if text.context in changed)
        for text in project.texts():
            value = after[lang.code].text(text).value
            assert "Bình Phước" not in value and "平福" not in value and "빈프억" not in value, text.context


def test_no_text_types_the_name_of_a_body():
    """The bundled texts name bodies only through the registry, and every name is translated and checked."""
    project = load_project(REPO / "content")
    assert {"tinh", "tinh_uy", "ban_tuyen_giao", "ban_dan_van", "ban_to_chuc", "lien_doan_lao_dong",
            "ban_quan_ly", "dang_uy_khoi"} <= set(project.bodies)
    names = {key: re.compile(r"(?<![\wÀ-ỹ])" + r"\s+".join(map(re.escape, body.name.source.split())) + r"(?![\wÀ-ỹ])")
             for key, body in project.bodies.items()}
    for text in project.texts():
        if text.context.startswith("body."):
            continue
        for key, pattern in names.items():
            assert not pattern.search(text.source), f"{text.context} types '{project.bodies[key].name.source}'"
    for lang in LANGUAGES:
        translator = Translator.load(lang, REPO / "locales", project.facts, project.bodies)
        for key, body in project.bodies.items():
            assert (translator.text(body.name).status == "translated") != lang.is_source, (lang.code, key)
        rendered = [translator.text(text).value for text in project.texts()]
        assert not any(re.search(r"\{[a-z_]+\}", value) for value in rendered)  # every placeholder filled
    assert [d for d in check_catalogs(project, REPO / "locales", LANGUAGES[1:])] == []


def test_names_fill_the_printed_and_web_pages(fixture_build):
    """A body placeholder in a text comes out as the name, escaped, on the site."""
    root, _ = fixture_build
    page = (root / "build/site/vi/index.html").read_text(encoding="utf-8")
    assert "Ban Tuyên giáo Tỉnh ủy" in page  # the fixture's board, typed out
    assert "{" + "ban_tuyen_giao}" not in page
    assert SITE  # the fixture keeps names typed out: bodies.yaml is optional


def test_a_translation_names_bodies_through_the_registry():
    """A short form may be written out in full, and a translation may name a body the Vietnamese only implies;
    a body or a fact the source names may not go missing, nor a fact be added."""
    from babel.messages.catalog import Message

    from outreach.i18n import checks
    from outreach.languages import get

    ctx = checks.Context(get("en"), (), (), {"dang_uy_khoi_ngan": "dang_uy_khoi"},
                         frozenset({"dang_uy_khoi", "dang_uy_khoi_ngan", "tinh", "ban_to_chuc"}))

    def codes(source, translation):
        message = Message(source, translation, context="chapter.x:body")
        return [found.message.removesuffix(" (chapter.x:body)") for found in checks.check_placeholders(message, ctx)]

    assert codes("{dang_uy_khoi_ngan} họp.", "The {dang_uy_khoi} meets.") == []
    assert codes("{dang_uy_khoi} và {dang_uy_khoi_ngan}.", "The {dang_uy_khoi} and it.") == []
    assert codes("Tỉnh có {workers} lao động.", "{tinh} has {workers} workers.") == []
    assert codes("{ban_to_chuc} chủ trì.", "The Organization Board leads.") == [
        "placeholders differ from the source: missing {ban_to_chuc}"]
    assert codes("Tỉnh có lao động.", "{tinh} has {workers} workers.") == [
        "placeholders differ from the source: not in the source {tinh}, {workers}"]
