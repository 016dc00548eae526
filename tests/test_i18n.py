"""Extraction, catalog updates that never lose a translation, and locale formatting."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from outreach.i18n import catalogs
from outreach.i18n.formatting import format_fact
from outreach.languages import get
from outreach.model import Fact
from outreach.render.common import TEMPLATES
from outreach.validate import load_project

VI, EN, KO, ZH_HANS, JA = (get(code) for code in ("vi", "en", "ko", "zh-Hans", "ja"))

from .conftest import REPO, write_project


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
    leaflet.write_text(leaflet.read_text().replace("scan: Quét mã", "scan: Quét mã QR"), encoding="utf-8")
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
    leaflet.write_text(leaflet.read_text().replace("id: test", "id: renamed"), encoding="utf-8")
    _update(root)
    renamed = _po(root).get("Đề nghị", context="leaflet.renamed:panels.inside_3.heading")
    assert renamed.string == "Our request" and renamed.fuzzy
    assert '#~ msgstr "Our request"' in catalogs.po_path(root / "locales", EN).read_text()

    # 5. and renamed back: translated as before
    leaflet.write_text(leaflet.read_text().replace("id: renamed", "id: test"), encoding="utf-8")
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


@pytest.mark.parametrize("language, number, date", [
    (VI, "71.383", "ngày 18 tháng 3 năm 2019"),
    (EN, "71,383", "March 18, 2019"),
    (KO, "71,383", "2019년 3월 18일"),
    (ZH_HANS, "71,383", "2019年3月18日"),
    (JA, "71,383", "2019年3月18日"),
])
def test_facts_are_formatted_per_locale(language, number, date):
    assert format_fact(fact("integer", 71383), language) == number
    assert format_fact(fact("date", dt.date(2019, 3, 18)), language) == date
    assert format_fact(fact("year", 2030), language) == "2030"
    assert format_fact(fact("percent", 70), language) == "70%"
    assert format_fact(fact("range", (10, 15)), language) == "10–15"
