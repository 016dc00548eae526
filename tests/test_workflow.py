"""The translation workflow: outdated notices, the print gate, editorial status, checks in the build."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from outreach.build import Paths, build
from outreach.errors import OutreachError
from outreach.i18n import catalogs
from outreach.languages import TARGETS, get
from outreach.render.common import TEMPLATES
from outreach.validate import load_project

from .conftest import LEAFLET, REPO, Fixture, edit_file, fill_catalogs, load_errors, pdftotext, write_project

KO, JA = get("ko"), get("ja")

FILLED_CONTACTS = Fixture("""\
office: Ban Tuyên giáo Tỉnh ủy
unit: Bộ phận chuyên trách
address: Số nhà, đường, phường
phone: "0000 000 000"
email: contact@example.org
""")


def _update(root):
    catalogs.update(root / "locales", catalogs.extract(load_project(root / "content"), TEMPLATES, root))


def test_a_changed_source_shows_an_outdated_notice_and_blocks_the_press_file(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    leaflet = root / "content/leaflets/test.yaml"
    edit_file(leaflet, "body: Chỉ thị ngày {signed}.", "body: Chỉ thị của Ban Bí thư ngày {signed}.")
    _update(root)
    entry = catalogs.read_catalog(catalogs.po_path(root / "locales", KO)).get(
        "Chỉ thị của Ban Bí thư ngày {signed}.", "leaflet.test:panels.inside_2.body")
    assert entry.fuzzy and entry.string == "{signed} 지시." and entry.previous_id == ["Chỉ thị ngày {signed}."]

    # the Japanese translator has already caught up; the others have not
    ja = catalogs.po_path(root / "locales", JA)
    catalog = catalogs.read_catalog(ja)
    updated = catalog.get("Chỉ thị của Ban Bí thư ngày {signed}.", "leaflet.test:panels.inside_2.body")
    updated.string, updated.flags = "{signed}の書記局の指示。", set()
    ja.write_bytes(catalogs.render_po(catalog))

    result = build(Paths(root))
    html = (root / "build/site/ko/leaflets/test/index.html").read_text(encoding="utf-8")
    assert '<p class="notice notice-fuzzy" lang="ko" role="note">' in html
    assert "Chỉ thị của Ban Bí thư ngày ngày 18 tháng 3 năm 2019." in html  # the current Vietnamese
    assert "leaflet-test.vi-ko.pdf" in result.blocked
    assert any("fuzzy entry leaflet.test:panels.inside_2.body" in w.message for w in result.warnings)
    assert not (root / "build/pdf/leaflet-test.vi-ko.pdf").exists()
    assert (root / "build/pdf/leaflet-test.vi-ja.pdf").exists()  # an up-to-date language is printed
    assert "notice-fuzzy" not in (root / "build/site/ja/leaflets/test/index.html").read_text(encoding="utf-8")


def test_status_page_lists_every_language_and_document(fixture_build):
    root, _ = fixture_build
    page = (root / "build/site/status/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    for language in TARGETS:
        assert f"{language.name} ({language.code})" in page
    assert "<td>leaflet.test</td><td class=\"state\">draft</td>" in page
    # outside the readers' navigation
    for code in ("vi", "en"):
        assert "status/" not in (root / f"build/site/{code}/index.html").read_text(encoding="utf-8")


def test_status_json_reports_fuzzy_and_untranslated(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    import sys

    run = subprocess.run([sys.executable, "-m", "outreach", "i18n", "status", "--json"], cwd=root,
                         capture_output=True, text=True)
    table = json.loads(run.stdout)
    assert table["en"]["leaflet.test"]["untranslated"] == 1
    assert table["ko"]["leaflet.test"]["untranslated"] == 0 and table["ko"]["all"]["percent"] == 100.0


def test_approval_needs_who_and_when_and_the_contacts(tmp_path):
    approved = LEAFLET.replace("status:\n  state: draft", "status:\n  state: approved")
    root = write_project(tmp_path / "a", {"content/leaflets/test.yaml": approved})
    text = load_errors(root)
    assert "error: a approved leaflet needs 'by' (who) and 'date' (when) [status.incomplete]" in text
    assert ("error: leaflet 'test' cannot be approved: content/contacts.yaml still has empty fields "
            "(address, phone, email) [status.contacts]") in text
    signed = LEAFLET.replace("status:\n  state: draft",
                             "status:\n  state: approved\n  by: Trưởng Ban Tuyên giáo\n  date: 2026-11-20")
    root = write_project(tmp_path / "b", {"content/leaflets/test.yaml": signed})
    # the fixture's contacts are empty on purpose: the error names the fields that are
    contacts = yaml.safe_load((root / "content/contacts.yaml").read_text(encoding="utf-8"))
    assert sorted(field for field, value in contacts.items() if value is None) == ["address", "email", "phone"]
    text = load_errors(root)
    assert "[status.contacts]" in text and "[status.incomplete]" not in text


def test_draft_and_approved_press_files(tmp_path):
    signed = LEAFLET.replace("status:\n  state: draft",
                             "status:\n  state: approved\n  by: Trưởng Ban Tuyên giáo\n  date: 2026-11-20")
    root = write_project(tmp_path, {"content/leaflets/test.yaml": signed, "content/contacts.yaml": FILLED_CONTACTS})
    fill_catalogs(root)
    build(Paths(root), site_url="https://tuyengiao.binhphuoc.gov.vn/outreach/")
    pack = root / "build/packs/leaflet-test.vi-ja"
    assert json.loads((pack / "manifest.json").read_text())["status"] == "approved"
    assert "DRAFT" not in pdftotext(pack / "leaflet-test.vi-ja.proof.pdf")
    assert "NOT APPROVED" not in (pack / "README.txt").read_text()


def test_draft_press_files_are_marked(fixture_build):
    root, _ = fixture_build
    pack = root / "build/packs/leaflet-test.vi-ja"
    assert json.loads((pack / "manifest.json").read_text())["status"] == "draft"
    assert "DRAFT - NOT APPROVED FOR PRINT" in pdftotext(pack / "leaflet-test.vi-ja.proof.pdf")
    assert "CHƯA ĐƯỢC DUYỆT" in (pack / "README.txt").read_text()


def test_a_broken_translation_stops_the_build_and_keeps_the_previous_output(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    build(Paths(root))
    before = (root / "build/site/ko/leaflets/test/index.html").read_bytes()
    po = catalogs.po_path(root / "locales", KO)
    edit_file(po, "{signed} 지시.", "{signd} 지시.")
    with pytest.raises(OutreachError) as info:
        build(Paths(root))
    assert "error: placeholders differ from the source: missing {signed}; not in the source {signd}" \
           in info.value.format()
    assert "locales/ko/LC_MESSAGES/messages.po:" in info.value.format()
    assert (root / "build/site/ko/leaflets/test/index.html").read_bytes() == before


def test_translators_guide_exists_in_vietnamese_and_english():
    for name, words in (("translating.vi.md", ["Poedit", "msgfmt --check", "check.placeholders"]),
                        ("translating.en.md", ["Poedit", "msgfmt --check", "check.placeholders"])):
        text = (REPO / "docs" / name).read_text(encoding="utf-8")
        assert all(word in text for word in words)
