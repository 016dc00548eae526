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
BODY = "leaflet.test:panels.inside_1.body"
HEADING = "leaflet.test:panels.inside_1.heading"
# the content model's texts, as the checks look them up by msgctxt: what each field may hold (its spec)
TEXTS = {BODY: Text("Thân.", BODY, Location("t.yaml", 14, 5), "", rich=True, space=620),
         HEADING: Text("Tiêu đề", HEADING, Location("t.yaml", 12, 5), "", space=20)}


def message(source, translation, context=BODY, comment=""):
    """An entry as a catalog holds it; ``comment``: the translator's note, which the checks do not read."""
    return Message(source, translation, context=context, auto_comments=[comment] if comment else [])


def problems(check, msg, language=EN, names=("Bình Phước",)):
    """What a check finds, with the entry's msgctxt taken off its messages."""
    ctx = checks.Context(language, (TERM,), names, texts=TEXTS)
    suffix = f" ({msg.context})" if msg.context else ""
    return [(d.code, d.severity, d.message.removesuffix(suffix)) for d in check(msg, ctx)]


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


def test_length_uses_the_space_of_the_field_in_the_model():
    assert problems(checks.check_length, message("Tiêu đề", "A short heading", HEADING)) == []
    bad = problems(checks.check_length, message("Tiêu đề", "A heading far too long for it", HEADING))
    assert bad == [("check.length", "error", "29 characters; the panel has room for about 20")]
    # a comment that says otherwise is for the translator; the model decides
    said = message("Tiêu đề", "A heading far too long for it", HEADING, "Space: about 200 characters.")
    assert problems(checks.check_length, said) == bad
    assert problems(checks.check_length, message("Tiêu đề", "A heading far too long for it", "site:title")) == []


def test_markup_is_allowed_by_the_field_in_the_model():
    lists = "Một câu.\n\n- một\n- hai"
    assert problems(checks.check_markup, message(lists, "A sentence.\n\n- one\n- two")) == []
    plain = problems(checks.check_markup, message("Tiêu đề", "- A heading", HEADING, "Markup: *emphasis*"))
    assert [(code, severity) for code, severity, _ in plain] == [("check.markup", "error")]


def test_a_diagnostic_points_at_the_entry_and_names_its_msgctxt():
    lines = ("", 'msgctxt "leaflet.test:panels.inside_1.heading"', 'msgid "Tiêu đề"',
             'msgstr "A heading far too long for it"')
    entry = Message("Tiêu đề", "A heading far too long for it", context=HEADING, lineno=3,
                    locations=[("content/leaflets/test.yaml", 12)])
    ctx = checks.Context(EN, (TERM,), (), texts=TEXTS, path="locales/en/LC_MESSAGES/messages.po", lines=lines)
    [found] = checks.check_length(entry, ctx)
    assert found.format().splitlines() == [
        "locales/en/LC_MESSAGES/messages.po:4:8: error: 29 characters; the panel has room for about 20 "
        "(leaflet.test:panels.inside_1.heading) [check.length]",
        '    msgstr "A heading far too long for it"',
        "           ^",
        "  help: source: content/leaflets/test.yaml:12"]


def test_whitespace_and_punctuation():
    assert problems(checks.check_whitespace, message("Một câu.", " A sentence."))[0][0] == "check.whitespace"
    assert problems(checks.check_whitespace, message("Một câu.", "A  sentence.")) == [
        ("check.whitespace", "warning", "doubled space")]
    half_width = problems(checks.check_whitespace, message("Chi bộ họp.", "党支部开会."), ZH_HANS)
    assert half_width == [("check.punctuation", "warning",
                           "ASCII punctuation in CJK text; use full-width （，。：；？！）")]
    assert problems(checks.check_whitespace, message("Chi bộ họp.", "党支部开会。"), ZH_HANS) == []


def test_a_figure_typed_into_a_translation_is_an_error():
    """제XI차 as the source writes it, or 第十一回 in words: not 제11차, which no fact keeps up to date."""
    typed = problems(checks.check_figures, message("Đại hội XI của tỉnh.", "제11차 성 당대표대회."), KO)
    assert typed == [("check.figure", "error", "the figure 11 is typed into the translation; write the source's "
                      "{placeholder} for a figure, or the number as the source writes it (an ordinal in a name: "
                      "XI, or in words)")]
    assert problems(checks.check_figures, message("Đại hội XI của tỉnh.", "제XI차 성 당대표대회."), KO) == []
    assert problems(checks.check_figures, message("Đại hội XI của tỉnh.", "第十一回省党代表大会。"), JA) == []
    kept = message("Có {iz_workers} lao động theo Nghị định 98/2014/NĐ-CP.", "{iz_workers}人、議定第98/2014/NĐ-CP号。")
    assert problems(checks.check_figures, kept, JA) == []


def test_every_check_is_listed():
    names = {check.__name__ for check in checks.CHECKS}
    assert names == {"check_blank", "check_placeholders", "check_format_variables", "check_markup", "check_figures",
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


def test_catalogs_without_comments_still_get_the_length_and_markup_checks(tmp_path):
    """Some tools drop the extracted comments (#.) from a catalog; the checks know each text's space and markup
    from the content model, by msgctxt, so they judge such a catalog as they judge ours."""
    from .conftest import fill_catalogs, write_project

    root = write_project(tmp_path)
    long_heading = "How a worker who wants to join the Party applies, and who vouches for the applicant"
    fill_catalogs(root, {
        "en": {"leaflet.test:panels.inside_1.heading": long_heading},  # the panel heading has room for about 70
        "ko": {"leaflet.test:panels.inside_1.body": "노동조합은 경영을 **하지 않습니다**.\n\n- 하나와 둘."},  # one item
    })
    for language in ("en", "ko"):
        po = root / f"locales/{language}/LC_MESSAGES/messages.po"
        text = po.read_text(encoding="utf-8")
        assert "Space: about 70 characters." in text and "Markup: *emphasis*" in text  # as extracted
        po.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("#.")),
                      encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "outreach", "i18n", "check", "--language", "en", "--language", "ko"],
                         cwd=root, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout
    found = [line for line in run.stdout.splitlines() if ": error: " in line or ": warning: " in line]
    # two: the English body keeps its list (- One; - Two), a rich text, not refused as "one line of text"
    assert len(found) == 2, run.stdout
    assert found[0].startswith("locales/en/LC_MESSAGES/messages.po:")
    assert found[0].endswith(f"error: {len(long_heading)} characters; the panel has room for about 70 "
                             "(leaflet.test:panels.inside_1.heading) [check.length]")
    assert found[1].startswith("locales/ko/LC_MESSAGES/messages.po:")
    assert found[1].endswith("error: paragraphs and lists differ from the source: [('p', 1), ('ul', 2)] → "
                             "[('p', 1), ('ul', 1)] (leaflet.test:panels.inside_1.body) [check.markup]")
