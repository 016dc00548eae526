"""Each translation check catches the fault planted for it, and passes a good translation."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.catalog import Message

from outreach.i18n import checks
from outreach.languages import TARGETS, get
from outreach.model import Term, Text
from outreach.errors import Location

EN, KO, ZH_HANS, JA = get("en"), get("ko"), get("zh-Hans"), get("ja")
TERM = Term(id="chi-bo", vi="chi bộ", note=Text("Tổ chức cơ sở.", "glossary:chi-bo.note", Location("g.yaml"), ""),
            variants=("cell",), renderings={"vi": "chi bộ", "en": "Party cell", "ko": "당세포", "zh_Hans": "党支部",
                                            "ja": "党支部"})
RICH = "Leaflet › panel text. Markup: *emphasis*, **strong**, [link](url), '- ' lists; keep {placeholders}."


def message(source, translation, context="leaflet.test:panels.inside_1.body", comment=RICH):
    return Message(source, translation, context=context, auto_comments=[comment])


def problems(check, msg, language=EN, names=("Bình Phước",)):
    return [(p.code, p.severity, p.message) for p in check(msg, checks.Context(language, (TERM,), names))]


def test_placeholders():
    good = message("Có {iz_workers} lao động.", "There are {iz_workers} workers.")
    assert problems(checks.check_placeholders, good) == []
    bad = message("Có {iz_workers} lao động.", "There are {iz_worker} workers.")
    assert problems(checks.check_placeholders, bad) == [
        ("check.placeholders", "error",
         "placeholders differ from the source: missing {iz_workers}; not in the source {iz_worker}")]


def test_markup_balance_structure_and_links():
    assert problems(checks.check_markup, message("**Đậm** chữ", "**Bold** text")) == []
    assert problems(checks.check_markup, message("**Đậm** chữ", "**Bold text"))[0][2] == \
        "'**' opens strong emphasis that is never closed"
    lists = problems(checks.check_markup, message("- một\n- hai", "- one"))
    assert lists == [("check.markup", "error", "paragraphs and lists differ from the source: [('ul', 2)] → [('ul', 1)]")]
    link = problems(checks.check_markup, message("[Xem](https://a.vn/x)", "[See](https://a.vn/y)"))
    assert link[0][0] == "check.markup" and "link targets differ" in link[0][2]


def test_glossary_term_must_use_its_rendering():
    assert problems(checks.check_glossary, message("Sinh hoạt chi bộ.", "The Party cell meets.")) == []
    assert problems(checks.check_glossary, message("Sinh hoạt chi bộ.", "The cell meets.")) == []  # a variant
    bad = problems(checks.check_glossary, message("Sinh hoạt chi bộ.", "The branch meets."))
    assert bad == [("check.glossary", "warning", "'chi bộ' should be rendered as 'Party cell' (glossary: chi-bo)")]
    assert problems(checks.check_glossary, message("Chi bộ họp.", "党支部开会。"), ZH_HANS) == []


def test_same_as_source():
    bad = problems(checks.check_same_as_source, message("Công đoàn", "Công đoàn"))
    assert bad == [("check.same-as-source", "warning", "the translation only copies the Vietnamese")]
    assert problems(checks.check_same_as_source, message("Bình Phước", "Bình Phước")) == []


@pytest.mark.parametrize("language, text, expected", [
    (KO, "Party cell은 매달 회의를 합니다 in the zone", "Korean text is mostly not Hangul"),
    (JA, "党支部毎月会議開催工業団地内企業従業員参加可能日程調整必要連絡先確認", "Japanese sentence without any kana"),
    (ZH_HANS, "党支部每月开会。これは", "Chinese text contains Japanese kana"),
    (ZH_HANS, "黨支部每月開會。", "Traditional characters in Simplified Chinese"),
    (EN, "The cell in Đồng Nai meets.", "Vietnamese letters"),
])
def test_script(language, text, expected):
    found = problems(checks.check_script, message("x", text), language)
    assert found and found[0][0] == "check.script" and expected in found[0][2]


def test_script_accepts_names_and_document_numbers():
    ok = message("x", "In Bình Phước, under Regulation 342-QĐ/TW, {plan_start}.")
    assert problems(checks.check_script, ok, EN) == []
    assert problems(checks.check_script, message("x", "당세포는 매달 회의를 합니다."), KO) == []
    assert problems(checks.check_script, message("x", "党支部は毎月会議を開きます。"), JA) == []


def test_length_uses_the_space_in_the_comment():
    comment = "Leaflet › panel heading. Space: about 20 characters."
    assert problems(checks.check_length, message("Tiêu đề", "A short heading", comment=comment)) == []
    bad = problems(checks.check_length, message("Tiêu đề", "A heading far too long for it", comment=comment))
    assert bad == [("check.length", "error", "29 characters; the panel has room for about 20")]


def test_whitespace_and_punctuation():
    assert problems(checks.check_whitespace, message("Một câu.", " A sentence."))[0][0] == "check.whitespace"
    assert problems(checks.check_whitespace, message("Một câu.", "A  sentence.")) == [
        ("check.whitespace", "warning", "doubled space")]
    half_width = problems(checks.check_whitespace, message("Chi bộ họp.", "党支部开会."), ZH_HANS)
    assert half_width == [("check.punctuation", "warning",
                           "ASCII punctuation in CJK text; use full-width （，。：；？！）")]
    assert problems(checks.check_whitespace, message("Chi bộ họp.", "党支部开会。"), ZH_HANS) == []


def test_every_check_is_listed():
    names = {check.__name__ for check in checks.CHECKS}
    assert names == {"check_blank", "check_placeholders", "check_format_variables", "check_markup",
                     "check_glossary", "check_same_as_source", "check_script", "check_length", "check_whitespace"}


def test_the_bundled_catalogs_pass_every_check():
    run = subprocess.run([sys.executable, "-m", "outreach", "i18n", "check", "--strict"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    assert run.stdout.strip().endswith(f"0 errors, 0 warnings in {', '.join(lang.code for lang in TARGETS)}")


def test_check_command_points_at_the_po_entry_and_the_source(tmp_path):
    from .conftest import fill_catalogs, write_project

    root = write_project(tmp_path)
    translations = {"ko": {"leaflet.test:panels.inside_2.body": "{signd} 지시."}}
    fill_catalogs(root, translations)
    run = subprocess.run([sys.executable, "-m", "outreach", "i18n", "check", "--language", "ko"], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 1
    first = run.stdout.splitlines()[0]
    assert first.startswith("locales/ko/LC_MESSAGES/messages.po:")
    assert "error: placeholders differ from the source: missing {signed}; not in the source {signd} " \
           "(leaflet.test:panels.inside_2.body) [check.placeholders]" in first
    assert "  help: source: content/leaflets/test.yaml:" in run.stdout
    # the location is the translation's msgstr line, the column its opening quote
    po = (root / "locales/ko/LC_MESSAGES/messages.po").read_text(encoding="utf-8").splitlines()
    line, column = map(int, first.split(":")[1:3])
    assert po[line - 1] == 'msgstr "{signd} 지시."' and column == len("msgstr ") + 1
    assert po[line - 3] == 'msgctxt "leaflet.test:panels.inside_2.body"'
    assert run.stdout.splitlines()[1:3] == ['    msgstr "{signd} 지시."', "           ^"]
