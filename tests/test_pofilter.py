"""The catalogs pass the checks translators' tools run: translate-toolkit's pofilter, whose checks Weblate runs.

pofilter runs its standard checks on each catalog, for the catalog's language. A check is left out only
where it cannot hold between Vietnamese and that language; each is named below with the reason and with
what it found when this list was made. Every other check, among them the line breaks (``newlines``) and
doubled spaces (``doublespacing``) that hard-wrapped msgids once gave every entry, must find nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.i18n import catalogs
from outreach.languages import TARGETS

from .conftest import REPO

POFILTER = Path(sys.executable).with_name("pofilter")
ALL = tuple(language.catalog for language in TARGETS)

# check: (the catalogs it is left out for, why)
EXCLUDED = {
    "brackets": (ALL, "translations add glosses and years in parentheses where the Vietnamese says it in words "
                      "(en 2, ko 10, zh_Hans 10, ja 26 entries, even with full-width brackets counted as ASCII)"),
    "sentencecount": (ALL, "translators join or split sentences (en 21, ko 85, zh_Hans 58, ja 121 entries); "
                           "i18n check holds every paragraph and list item to the source's"),
    "puncspacing": (ALL, "CJK full-width punctuation takes no space after it, and Vietnamese spaces the dash of "
                         "'chính trị - xã hội' where English writes 'socio-political' (en 18, ko 95, zh, ja 97)"),
    "startpunc": (ALL, "a sentence's **emphasis** or {placeholder} moves with the word order of the language "
                       "(en 8, ko 18, zh_Hans 6, ja 20)"),
    "endpunc": (("ko", "zh_Hans", "ja"), "Japanese closes with full-width '？' and '。', which translate-toolkit "
                                         "does not match to '?' and '.' (160 entries); a Vietnamese closing "
                                         "colon becomes a polite sentence in ko (2); Chinese doubles '…' (1)"),
    "simplecaps": (("en",), "Vietnamese writes 'đảng', 'đoàn thanh niên' in lower case where the glossary has "
                            "English capitalise 'Party', 'Youth Union' (209 entries)"),
    "startcaps": (("en",), "a Vietnamese label in lower case becomes 'Party members …', and a sentence may start "
                           "with a {figure} (4 entries)"),
    "singlequoting": (("en", "ko"), "English apostrophes (Women's Union) and Korean quoting of terms "
                                    "(en 15, ko 6)"),
    "doublequoting": (("en", "zh_Hans", "ja"), "translations quote a term the Vietnamese writes plainly "
                                               "(“the Party”, “党”: en 3, zh_Hans 5, ja 7)"),
    "acronyms": (("en", "ko", "zh_Hans", "ja"), "Vietnamese abbreviations (UBND) are written out, Roman numbers "
                                                "of congresses (XI) become ordinals, 'CHƯA' in capitals is emphasis, "
                                                "not an acronym, and Chinese says U盘 for USB (en 4, ko 2, zh_Hans 5, "
                                                "ja 2)"),
    "doublewords": (("en",), "'… to the Party. Party members …': the same word on either side of a full stop "
                             "(2 entries)"),
    "unchanged": (("en", "ko"), "proper names keep their Vietnamese spelling (content/names.yaml; 'Bình Phước'), "
                                 "and a pattern of placeholders alone stays as it is ('%(heading)s: %(title)s', "
                                 "en and ko 1); i18n check's check.same-as-source judges copies with that list"),
    "short": (("ja",), "'Ví dụ' is '例' (1 entry)"),
    "escapes": (("zh_Hans",), "the blanks of the template stories, \\[…\\], are compared as space-separated "
                           "words, and Chinese puts no spaces between words (1 entry)"),
}
FINDING = re.compile(r"^# \(pofilter\) (\w+): (.*)$")


def pofilter(path: Path, catalog_id: str, excluded: list[str]) -> list[tuple[str, str, str]]:
    """(check, msgctxt or msgid, message) for every finding of pofilter's standard checks on ``path``."""
    out = path.with_name(path.name + ".pofilter.po")
    command = [str(POFILTER), "--progress=none", "--errorlevel=traceback", f"--language={catalog_id}",
               "--nofuzzy", *[f"--excludefilter={name}" for name in excluded], str(path), str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and not run.stderr.strip(), run.stderr
    findings: list[tuple[str, str, str]] = []
    pending: list[tuple[str, str]] = []
    for line in (out.read_text(encoding="utf-8") if out.exists() else "").splitlines():
        match = FINDING.match(line)
        if match:
            pending.append((match.group(1), match.group(2)))
        elif pending and (line.startswith(("msgctxt ", "msgid ")) and line != 'msgid ""' or line.startswith('"')):
            where = line.split(" ", 1)[1] if line.startswith("msg") else line  # a label's msgid: its first line
            findings.extend((check, where, message) for check, message in pending)
            pending = []
    return findings


@pytest.mark.parametrize("language", TARGETS, ids=lambda language: language.code)
def test_pofilter_finds_nothing_in_the_catalog(language, tmp_path):
    path = tmp_path / "messages.po"
    shutil.copy(catalogs.po_path(REPO / "locales", language), path)
    excluded = sorted(name for name, (languages, _) in EXCLUDED.items() if language.catalog in languages)
    findings = pofilter(path, language.catalog, excluded)
    assert findings == [], "\n".join(f"{check}: {where}: {message}" for check, where, message in findings)


def test_pofilter_finds_line_breaks_and_double_spaces_in_a_translation(tmp_path):
    """The test above can fail: a translation saved with a hard wrap and an indent is found."""
    path = tmp_path / "messages.po"
    catalog = catalogs.read_catalog(catalogs.po_path(REPO / "locales", TARGETS[0]))
    message = next(m for m in catalog if m.context and " " in m.string and "\n" not in m.string)
    first, rest = message.string.split(" ", 1)
    message.string = f"{first}\n  {rest}"
    path.write_bytes(catalogs.render_po(catalog))
    found = {(check, where) for check, where, _ in pofilter(path, TARGETS[0].catalog, [])}
    assert ("newlines", f'"{message.context}"') in found
    assert ("doublespacing", f'"{message.context}"') in found


def test_every_exclusion_is_still_needed(tmp_path):
    """A check left out for a catalog where it finds nothing (any more) goes back into the test above."""
    unneeded = []
    for language in TARGETS:
        path = tmp_path / f"{language.catalog}.po"
        shutil.copy(catalogs.po_path(REPO / "locales", language), path)
        for name, (languages, _) in EXCLUDED.items():
            if language.catalog not in languages:
                continue
            others = [other for other in EXCLUDED if other != name]
            if not any(check == name for check, _, _ in pofilter(path, language.catalog, others)):
                unneeded.append(f"{name} for {language.catalog}")
    assert unneeded == []
