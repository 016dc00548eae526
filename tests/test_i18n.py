"""Extraction, catalog updates that never lose a translation, and locale formatting."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from outreach import markup
from outreach.i18n import catalogs
from outreach.i18n.extract import message_id, unwrap
from outreach.i18n.translate import Translator
from outreach.i18n.formatting import format_fact
from outreach.languages import get
from outreach.model import Fact
from outreach.render.common import TEMPLATES
from outreach.validate import load_project

VI, EN, KO, ZH_HANS, JA = (get(code) for code in ("vi", "en", "ko", "zh-Hans", "ja"))

from .conftest import REPO, edit_file, write_project


def extract(root: Path):
    return catalogs.extract(load_project(root / "content"), TEMPLATES, root)


def test_each_text_is_one_message_with_its_stable_id_and_a_comment(tmp_path):
    root = write_project(tmp_path)
    template = extract(root)
    message = template.get("Giai đoạn {start}.", context="leaflet.test:panels.front.subtitle")
    assert message is not None
    assert message.locations == [("content/leaflets/test.yaml", 10)]
    assert message.auto_comments == ["Leaflet 'test' › the panels › front cover › one sentence under the title. "
                                     "Space: about 170 characters. Keep {placeholders} as they are."]
    assert "python-brace-format" in message.flags
    body = template.get("Công đoàn **không điều hành** việc kinh doanh.\n\n- Một;\n- Hai.",
                        context="leaflet.test:panels.inside_1.body")
    assert body is not None and "Space: about 620 characters" in body.auto_comments[0]
    # figures in a list are keyed by their id, not their position
    assert template.get("lao động", context="leaflet.test:panels.flap.figures.workers.label")


def test_template_strings_are_extracted_too(tmp_path):
    template = extract(write_project(tmp_path))
    label = template.get("Bản in (PDF)")
    assert label is not None and label.context is None
    assert label.locations[0][0].endswith("outreach/templates/web/_pdfs.j2")
    assert template.get("Xem đáp án") is not None  # from the module page
    assert template.get("Địa chỉ") is not None  # marked with N_() in the contacts macro


def test_pybabel_extract_with_babel_cfg_finds_the_same_messages(tmp_path):
    root = write_project(tmp_path)
    shutil.copy(REPO / "babel.cfg", root / "babel.cfg")
    shutil.copytree(REPO / "outreach" / "templates", root / "outreach" / "templates")
    pot = root / "out.pot"
    run = subprocess.run([Path(sys.executable).with_name("pybabel"), "extract", "-F", "babel.cfg", "-o", str(pot),
                          "."], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with open(pot, "rb") as handle:
        pybabel = read_po(handle)
    ours = extract(root)
    assert {(m.context, m.id) for m in pybabel if m.id} == {(m.context, m.id) for m in ours if m.id}


def _po(root: Path, language=EN):
    return catalogs.read_catalog(catalogs.po_path(root / "locales", language))


def _translate(root: Path, context: str, string: str, language=EN):
    catalog = _po(root, language)
    for message in catalog:
        if message.context == context:
            message.string = string
    path = catalogs.po_path(root / "locales", language)
    path.write_bytes(catalogs.render_po(catalog))


def _update(root: Path):
    catalogs.update(root / "locales", extract(root), (EN,))


def test_update_never_drops_a_translation_across_a_history(tmp_path):
    root = write_project(tmp_path)
    _update(root)
    _translate(root, "leaflet.test:panels.back.scan", "Scan the code")
    _translate(root, "leaflet.test:panels.inside_3.heading", "Our request")
    _translate(root, "glossary:chi-bo.note", "The Party's basic unit.")

    # 1. the source of a text changes: fuzzy, translation kept, previous source recorded
    leaflet = root / "content/leaflets/test.yaml"
    edit_file(leaflet, "scan: Quét mã", "scan: Quét mã QR")
    _update(root)
    message = _po(root).get("Quét mã QR", context="leaflet.test:panels.back.scan")
    assert message.string == "Scan the code" and message.fuzzy
    assert message.previous_id == ["Quét mã"]
    assert '#| msgid "Quét mã"' in catalogs.po_path(root / "locales", EN).read_text()

    # an update with nothing changed keeps the fuzzy entry and its previous source
    _update(root)
    assert _po(root).get("Quét mã QR", context="leaflet.test:panels.back.scan").previous_id == ["Quét mã"]

    # 2. a text is removed: kept as obsolete
    glossary = root / "content/glossary.yaml"
    saved = glossary.read_text()
    glossary.write_text("terms: []\n", encoding="utf-8")
    _update(root)
    text = catalogs.po_path(root / "locales", EN).read_text()
    assert '#~ msgctxt "glossary:chi-bo.note"' in text
    assert '#~ msgstr "The Party\'s basic unit."' in text
    assert _po(root).get("Tổ chức cơ sở của Đảng.", context="glossary:chi-bo.note") is None

    # 3. the text comes back: translated again, not fuzzy
    glossary.write_text(saved, encoding="utf-8")
    _update(root)
    back = _po(root).get("Tổ chức cơ sở của Đảng.", context="glossary:chi-bo.note")
    assert back.string == "The Party's basic unit." and not back.fuzzy
    assert "#~" not in catalogs.po_path(root / "locales", EN).read_text()

    # 4. the document is renamed: its translations are offered again (fuzzy), the old ones kept obsolete
    edit_file(leaflet, "id: test", "id: renamed")
    _update(root)
    renamed = _po(root).get("Đề nghị", context="leaflet.renamed:panels.inside_3.heading")
    assert renamed.string == "Our request" and renamed.fuzzy
    assert '#~ msgstr "Our request"' in catalogs.po_path(root / "locales", EN).read_text()

    # 5. and renamed back: translated as before
    edit_file(leaflet, "id: renamed", "id: test")
    _update(root)
    again = _po(root).get("Đề nghị", context="leaflet.test:panels.inside_3.heading")
    assert again.string == "Our request" and not again.fuzzy

    run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalogs.po_path(root / "locales", EN))],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_update_is_idempotent(tmp_path):
    root = write_project(tmp_path)
    _update(root)
    first = catalogs.po_path(root / "locales", EN).read_bytes()
    assert catalogs.update(root / "locales", extract(root), (EN,)).written == []
    assert catalogs.po_path(root / "locales", EN).read_bytes() == first


def test_zh_hans_catalog_lives_under_its_babel_id(tmp_path):
    root = write_project(tmp_path)
    catalogs.update(root / "locales", extract(root), (ZH_HANS,))
    assert (root / "locales/zh_Hans/LC_MESSAGES/messages.po").exists()
    assert get("zh-Hans") is get("zh_Hans") is ZH_HANS


def fact(kind, value):
    return Fact("x", kind, value, "", "", "", None)


@pytest.mark.parametrize("language, number, date, span", [
    (VI, "71.383", "ngày 18 tháng 3 năm 2019", "10–15"),
    (EN, "71,383", "March 18, 2019", "10–15"),
    (KO, "71,383", "2019년 3월 18일", "10~15"),
    (ZH_HANS, "71,383", "2019年3月18日", "10～15"),
    (JA, "71,383", "2019年3月18日", "10～15"),
])
def test_facts_are_formatted_per_locale(language, number, date, span):
    assert format_fact(fact("integer", 71383), language) == number
    assert format_fact(fact("date", dt.date(2019, 3, 18)), language) == date
    assert format_fact(fact("year", 2030), language) == "2030"
    assert format_fact(fact("percent", 70), language) == "70%"
    assert format_fact(fact("range", (10, 15)), language) == span  # content/languages.yaml: range_dash


# ---------------------------------------------------------------- updates that write nothing twice


def _stamps(root: Path) -> dict[str, tuple[int, bytes]]:
    return {path.relative_to(root).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted((root / "locales").rglob("*.po*"))}


def _cli_update(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "outreach", "i18n", "update"], cwd=root, capture_output=True,
                          text=True)


def test_a_second_update_writes_nothing_not_even_a_date(tmp_path):
    root = write_project(tmp_path)
    assert _cli_update(root).returncode == 0
    _translate(root, "leaflet.test:panels.back.scan", "Scan the code")
    leaflet = root / "content/leaflets/test.yaml"
    leaflet.write_text(leaflet.read_text().replace("scan: Quét mã", "scan: Quét mã QR"), encoding="utf-8")
    first = _cli_update(root)
    assert first.returncode == 0 and "updated locales/en/LC_MESSAGES/messages.po" in first.stdout
    before = _stamps(root)
    assert len(before) == 5  # the template and four catalogs, one of them with a fuzzy entry
    second = _cli_update(root)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "catalogs are up to date"
    assert _stamps(root) == before  # neither the bytes nor the modification times changed


def test_previous_msgid_is_the_text_the_translation_was_made_for(tmp_path):
    root = write_project(tmp_path)
    _update(root)
    _translate(root, "leaflet.test:panels.back.scan", "Scan the code")
    po = catalogs.po_path(root / "locales", EN)
    entry = 'msgctxt "leaflet.test:panels.back.scan"'
    po.write_text(po.read_text().replace(entry, "# Checked against the printed proof.\n" + entry), encoding="utf-8")
    leaflet = root / "content/leaflets/test.yaml"
    for source in ("Quét mã QR", "Quét mã QR này", "Quét mã QR để đọc"):  # the source changes three times
        leaflet.write_text(re.sub(r"scan: .*", f"scan: {source}", leaflet.read_text()), encoding="utf-8")
        _update(root)
        _update(root)
        message = _po(root).get(source, context="leaflet.test:panels.back.scan")
        assert message.string == "Scan the code" and message.fuzzy
        assert message.previous_id == ["Quét mã"]
        assert message.user_comments == ["Checked against the printed proof."]
        text = po.read_text()
        assert text.count('#| msgid "Quét mã"\n') == 1
        assert "# |" not in text and text.count("Checked against the printed proof.") == 1

    # translated again: not fuzzy, and no previous msgid any more
    _translate(root, "leaflet.test:panels.back.scan", "Scan the code to read this")
    catalog = _po(root)
    for message in catalog:
        if message.context == "leaflet.test:panels.back.scan":
            message.flags.discard("fuzzy")
            message.previous_id = []
    po.write_bytes(catalogs.render_po(catalog))
    _update(root)
    assert "#|" not in po.read_text()
    assert catalogs.update(root / "locales", extract(root), (EN,)).written == []


def test_user_comments_babel_made_of_previous_msgids_are_dropped_on_read(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '# | msgid "an intermediate text"\n# a note of the translator\n#, fuzzy\n#| msgid "the old text"\n'
                  'msgctxt "x:y"\nmsgid "the new text"\nmsgstr "la traduction"\n', encoding="utf-8")
    message = catalogs.read_catalog(po).get("the new text", context="x:y")
    assert message.user_comments == ["a note of the translator"]
    assert message.previous_id == ["the old text"]


# ---------------------------------------------------------------- one line per paragraph and list item


LEAFLET_WRAPPED = """\
id: test
kind: leaflet
audience: Cho chủ doanh nghiệp
title: Đảng viên và công đoàn
summary: |
  Tờ rơi thử, viết
  trên hai dòng.
panels:
  front:
    kicker: Cho chủ doanh nghiệp
    title: Đồng hành cùng doanh nghiệp
    subtitle: Giai đoạn {start}.
  inside_1:
    heading: Quy trình kết nạp đảng viên
    body: |
      Công đoàn **không điều
      hành** việc kinh doanh.
      Các tổ chức giúp:
      - giải thích pháp luật cho
        người lao động;
      - Hai.

      1. Bước một,
         rồi bước hai.
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
"""

BODY = "leaflet.test:panels.inside_1.body"
UNWRAPPED_BODY = ("Công đoàn **không điều hành** việc kinh doanh. Các tổ chức giúp:\n"
                  "- giải thích pháp luật cho người lao động;\n- Hai.\n\n1. Bước một, rồi bước hai.")


@pytest.mark.parametrize("text, rich, expected", [
    ("một\n  hai\nba", False, "một hai ba"),
    ("党组织\n成立", False, "党组织成立"),  # no space where Chinese was broken
    ("組合は**行い\nません**。\n{signed}の指示", False, "組合は**行いません**。{signed}の指示"),
    ("**强调**\n党的", False, "**强调**党的"),  # markup beside the break does not count
    ("해결하고,\n  모든 당사자", False, "해결하고, 모든 당사자"),  # Korean writes spaces between words
    ("a\n\n\n  b\n- c\n  d\n-   e\n\n2) f\n   g", True, "a\n\nb\n- c d\n- e\n\n2) f g"),
    ("  - one\n    line\n", True, "- one line"),
])
def test_unwrap_makes_one_line_per_paragraph_and_list_item(text, rich, expected):
    assert unwrap(text, rich) == expected
    assert unwrap(expected, rich) == expected


def test_msgids_have_no_hard_line_wraps(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET_WRAPPED})
    template = extract(root)
    assert template.get(UNWRAPPED_BODY, context=BODY) is not None
    assert template.get("Tờ rơi thử, viết trên hai dòng.", context="leaflet.test:summary") is not None
    for message in template:
        for line in message.id.split("\n"):
            assert line == line.strip() and "  " not in line, (message.context, message.id)
    # the Babel extractor (plain pybabel) gives the same msgids
    shutil.copy(REPO / "babel.cfg", root / "babel.cfg")
    shutil.copytree(REPO / "outreach" / "templates", root / "outreach" / "templates")
    run = subprocess.run([Path(sys.executable).with_name("pybabel"), "extract", "-F", "babel.cfg", "-o", "out.pot",
                          "."], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with open(root / "out.pot", "rb") as handle:
        assert read_po(handle).get(UNWRAPPED_BODY, context=BODY) is not None


def test_unwrapped_texts_parse_to_the_same_blocks():
    """Every bundled text and every translation: markup.parse makes the same blocks of the unwrapped text."""
    project = load_project(REPO / "content")
    count = 0
    for text in project.texts():
        assert markup.parse(message_id(text), text.rich) == markup.parse(text.source, text.rich), text.context
        count += 1
    for language in (EN, KO, ZH_HANS, JA):
        for message in catalogs.read_catalog(catalogs.po_path(REPO / "locales", language)):
            if message.context and message.string:
                rich = catalogs._rich(message)
                assert markup.parse(unwrap(message.string, rich), rich) == markup.parse(message.string, rich)
                assert unwrap(message.id, rich) == message.id, message.context  # the catalogs are unwrapped
                count += 1
    assert count > 3000


def _old_catalog(root: Path, language, translations: dict[str, str], fuzzy=()) -> None:
    """A catalog as the extractor wrote it before msgids were unwrapped: the YAML's line breaks kept."""
    project = load_project(root / "content")
    old = catalogs._new_catalog(language.catalog)
    for text in project.texts():
        old.add(text.source.strip(), translations.get(text.context, ""), context=text.context,
                auto_comments=[text.comment], flags={"fuzzy"} if text.context in fuzzy else ())
    path = catalogs.po_path(root / "locales", language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(catalogs.render_po(old))


def test_update_migrates_wrapped_catalogs_without_losing_a_translation(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET_WRAPPED})
    wrapped = {
        JA: ("組合は経営を**行い\nません**。\n支援：\n- 従業員に法令を\n  説明；\n- 二つ。\n\n1. 手順一、\n   手順二。",
             "組合は経営を**行いません**。支援：\n- 従業員に法令を説明；\n- 二つ。\n\n1. 手順一、手順二。"),
        KO: ("노동조합은 경영을\n**하지 않습니다**. 돕는 일:\n- 근로자에게 법률을\n  설명;\n- 둘.\n\n1. 첫째,\n   둘째.",
             "노동조합은 경영을 **하지 않습니다**. 돕는 일:\n- 근로자에게 법률을 설명;\n- 둘.\n\n1. 첫째, 둘째."),
    }
    for language, (old, _) in wrapped.items():
        _old_catalog(root, language, {BODY: old, "leaflet.test:summary": "Tờ rơi\n  thử", "site:title": "x"},
                     fuzzy={"site:title"})
    counts = {language: catalogs.status(_po(root, language))["all"] for language in wrapped}
    catalogs.update(root / "locales", extract(root), tuple(wrapped))
    for language, (_, new) in wrapped.items():
        catalog = _po(root, language)
        body = catalog.get(UNWRAPPED_BODY, context=BODY)
        assert body.string == new and not body.fuzzy
        summary = catalog.get("Tờ rơi thử, viết trên hai dòng.", context="leaflet.test:summary")
        assert summary.string == "Tờ rơi thử" and not summary.fuzzy
        assert catalog.get("Trang thử", context="site:title").fuzzy  # fuzzy stays fuzzy
        after = catalogs.status(catalog)["all"]
        assert (after.translated, after.fuzzy, after.obsolete) == (counts[language].translated,
                                                                   counts[language].fuzzy, 0)
        assert not list(catalog.obsolete)
        # the renderer finds the translation for the (wrapped) source text
        text = next(t for t in load_project(root / "content").texts() if t.context == BODY)
        rendered = Translator.load(language, root / "locales", {}).text(text)
        assert rendered.status == "translated" and rendered.value == new
        assert markup.parse(rendered.value, True) == markup.parse(wrapped[language][0], True)
    assert catalogs.update(root / "locales", extract(root), tuple(wrapped)).written == []


def test_a_translation_saved_with_line_breaks_is_unwrapped_by_update(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET_WRAPPED})
    _update(root)
    _translate(root, BODY, "The union **does not\nrun** the business. They help:\n- explain the law\n  to workers;\n"
                           "- Two.\n\n1. Step one,\n   then two.")
    _update(root)
    message = _po(root).get(UNWRAPPED_BODY, context=BODY)
    assert message.string == ("The union **does not run** the business. They help:\n- explain the law to workers;\n"
                              "- Two.\n\n1. Step one, then two.")
    assert not message.fuzzy
