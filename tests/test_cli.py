"""The command line: help on every command, compile, status, exit codes."""

from __future__ import annotations

import gettext
import json
import subprocess
import sys

import pytest

from outreach.languages import TARGETS

from .conftest import fill_catalogs, write_project

COMMANDS = [[], ["build"], ["serve"], ["check"], ["preflight"], ["i18n"], ["i18n", "extract"], ["i18n", "update"], ["i18n", "compile"],
            ["i18n", "status"]]


def run(args, cwd):
    return subprocess.run([sys.executable, "-m", "outreach", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "outreach")
def test_every_command_has_help(command, tmp_path):
    result = run([*command, "--help"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: outreach")


def test_compile_writes_mo_files_that_gettext_reads(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    result = run(["i18n", "compile"], root)
    assert result.returncode == 0, result.stderr
    with open(root / "locales/ko/LC_MESSAGES/messages.mo", "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.pgettext("leaflet.test:panels.inside_1.heading", "Quy trình kết nạp đảng viên") == "입당 절차"
    with open(root / "locales/en/LC_MESSAGES/messages.mo", "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    # untranslated entries stay out of the .mo: gettext returns the source
    assert translations.pgettext("leaflet.test:panels.inside_3.body", "Gặp chúng tôi.") == "Gặp chúng tôi."


def test_status_counts_and_check_exit_code(tmp_path):
    root = write_project(tmp_path)
    fill_catalogs(root)
    result = run(["i18n", "status", "--json"], root)
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert list(table) == [lang.code for lang in TARGETS]
    leaflet = table["en"]["leaflet.test"]
    assert leaflet["untranslated"] == 1 and leaflet["translated"] == leaflet["total"] - 1
    assert run(["i18n", "status", "--check"], root).returncode == 1


def test_update_reports_and_is_quiet_when_nothing_changed(tmp_path):
    root = write_project(tmp_path)
    first = run(["i18n", "update"], root)
    assert first.returncode == 0 and "updated locales/ko/LC_MESSAGES/messages.po" in first.stdout
    second = run(["i18n", "update"], root)
    assert second.stdout.strip() == "catalogs are up to date"
