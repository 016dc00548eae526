"""Bad content is reported with path:line:col, the source line, a code and what to do."""

from __future__ import annotations

import subprocess
import sys


from outreach.validate import load_project

from .conftest import LEAFLET, edit_file, load_errors, write_project


def errors_for(tmp_path, leaflet: str | None = None, **files) -> str:
    extra = {"content/leaflets/test.yaml": leaflet} if leaflet is not None else {}
    extra.update({f"content/{name.replace('__', '/')}.yaml": text for name, text in files.items()})
    return load_errors(write_project(tmp_path, extra))


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("title: Đảng viên và công đoàn", "title: [Đảng viên"))
    first = text.splitlines()[0]
    # libyaml words the problem "did not find expected ',' or ']'", PyYAML "expected ',' or ']', but got ':'"
    assert first.startswith("content/leaflets/test.yaml:5:8: error: YAML syntax: ")
    assert "expected ',' or ']'" in first
    assert first.endswith("(while parsing a flow sequence that starts at line 4, column 8) [yaml.syntax]")
    assert "help:" in text


def test_unknown_field_suggests_the_right_name(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("  inside_2:\n    heading:", "  inside_2:\n    headng:"))
    first = text.splitlines()[0]
    assert first == ("content/leaflets/test.yaml:19:5: error: unknown field 'headng' "
                     "(did you mean 'heading'?) [schema.unknown]")
    assert text.splitlines()[1] == "        headng: Tỉnh hỗ trợ"
    assert text.splitlines()[2] == "        ^"
    assert "missing field 'heading'" not in text  # the misspelling says it already


def test_missing_field(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("summary: Tờ rơi thử.\n", ""))
    assert "content/leaflets/test.yaml:1:1: error: missing field 'summary'" in text
    assert "[schema.missing]" in text


def test_wrong_type(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("title: Đảng viên và công đoàn", "title:\n  - a\n  - b"))
    assert "content/leaflets/test.yaml:5:3: error: expected text, got a list [schema.type]" in text


def test_duplicate_ids_in_a_list_and_across_documents(tmp_path):
    twice = LEAFLET.replace("      - id: workers\n        fact: workers\n        label: lao động\n",
                            "      - id: workers\n        fact: workers\n        label: lao động\n"
                            "      - id: workers\n        fact: workers\n        label: người\n")
    text = errors_for(tmp_path, twice, leaflets__copy=LEAFLET)
    first = twice.splitlines().index("      - id: workers") + 1
    assert f"content/leaflets/test.yaml:{first + 3}:13: error: duplicate id 'workers' (first at line {first})" \
           " [schema.duplicate-id]" in text
    assert "error: duplicate id 'test': another leaflet has it" in text


def test_unknown_placeholder_points_at_the_brace(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("Giai đoạn {start}.", "Giai đoạn {strat}."))
    assert ("content/leaflets/test.yaml:10:25: error: unknown placeholder '{strat}' (did you mean 'start'?) "
            "[text.placeholder]") in text
    lines = text.splitlines()
    assert lines[1].strip() == "subtitle: Giai đoạn {strat}."
    assert lines[2].index("^") == lines[1].index("{strat}")


def test_unknown_fact_type_and_bad_value(tmp_path):
    facts = "workers:\n  type: integr\n  value: 1\n  unit: x\n  as_of: '2023'\n  source: y\n" \
            "start:\n  type: year\n  value: soon\n  unit: x\n  as_of: '2023'\n  source: y\n" \
            "signed:\n  type: date\n  value: 2019-03-18\n  unit: x\n  as_of: '2019'\n  source: y\n"
    text = errors_for(tmp_path, facts=facts)
    assert "content/facts.yaml:2:9: error: fact type 'integr' is not one of: integer, percent, date, range, " \
           "year (did you mean 'integer'?) [schema.value]" in text
    assert "content/facts.yaml:9:10: error: a year fact needs a whole number, got text [schema.type]" in text


def test_unbalanced_markup(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("**không điều hành**", "**không điều hành"))
    assert "error: '**' opens strong emphasis that is never closed [markup.emphasis]" in text
    assert text.splitlines()[0].startswith("content/leaflets/test.yaml:14:17:")


def test_every_error_is_reported_at_once(tmp_path):
    broken = LEAFLET.replace("audience:", "audiense:").replace("{start}", "{nope}").replace("kind: leaflet\n",
                                                                                             "kind: leaflet\nextra: 1\n")
    text = errors_for(tmp_path, broken)
    assert "unknown field 'audiense'" in text and "unknown placeholder '{nope}'" in text
    assert "unknown field 'extra'" in text
    assert text.rstrip().endswith("errors")


def test_command_line_exits_non_zero_without_traceback(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET.replace("title:", "titel:", 1)})
    run = subprocess.run([sys.executable, "-m", "outreach", "check"], cwd=root, capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "content/leaflets/test.yaml:4:1: error: unknown field 'titel' (did you mean 'title'?)" in run.stderr
    ok = subprocess.run([sys.executable, "-m", "outreach", "check"], cwd=write_project(tmp_path / "ok"),
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "content is valid: 1 documents" in ok.stdout


def test_a_figure_typed_into_a_text_is_an_error(tmp_path):
    text = errors_for(tmp_path, LEAFLET.replace("body: Gặp chúng tôi.", "body: Có 183 doanh nghiệp."))
    assert "error: figure '183' typed into the text [text.figure]" in text
    assert "help: put the figure in content/facts.yaml and write its {fact_id} here" in text


def test_document_numbers_references_and_list_numbers_are_not_figures(tmp_path, monkeypatch):
    from outreach.validate import bare_figures

    assert bare_figures("Chỉ thị số 33-CT/TW, Nghị định số 98/2014/NĐ-CP, Quy định số 342-QĐ/TW, "
                        "Điều 4, điểm 2.2, Chương trình số 28-CTr/TU") == []
    assert bare_figures("có 12 khu với 71.383 lao động") == ["12", "71.383"]
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET.replace(
        "body: Gặp chúng tôi.", "body: |\n      1. Gặp chúng tôi.\n      2. Trao đổi.")})
    monkeypatch.chdir(root)
    load_project("content")  # raises on an error


# ---------------------------------------------------------------- hostile and broken YAML


def check_cli(root):
    """`outreach check` as the user runs it: exit status and what it printed."""
    run = subprocess.run([sys.executable, "-m", "outreach", "check"], cwd=root, capture_output=True, text=True,
                         timeout=60)
    assert "Traceback" not in run.stderr + run.stdout
    return run.returncode, run.stderr


def write_bytes(root, name: str, data: bytes):
    (root / name).write_bytes(data)
    return root


def test_a_nul_byte_is_a_located_error(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET.replace("Tờ rơi thử.", "Tờ rơi\x00 thử.")})
    status, err = check_cli(root)
    assert status == 1
    assert err.startswith("content/leaflets/test.yaml:5:16: error: control character U+0000 is not allowed "
                          "[yaml.control]\n    summary: Tờ rơi␀ thử.\n                   ^\n  help: delete it")


def test_a_latin1_byte_has_a_line_and_column(tmp_path):
    root = write_project(tmp_path)
    path = root / "content/leaflets/test.yaml"
    edit_file(path, "Tờ rơi thử.".encode(), b"T\xe9 thu.")
    status, err = check_cli(root)
    assert status == 1
    lines = err.splitlines()
    assert lines[0] == ("content/leaflets/test.yaml:5:11: error: the file is not UTF-8 text: byte 0xe9 invalid "
                        "continuation byte (in Latin-1 or Windows-1252 it would be 'é') [yaml.encoding]")
    assert lines[1] == "    summary: T\ufffd thu."
    assert lines[2] == "              ^"
    assert lines[3].startswith("  help: save the file as UTF-8")


def test_deep_flow_nesting_is_a_located_error_with_a_short_source_line(tmp_path):
    root = write_project(tmp_path, {"content/leaflets/deep.yaml": "a: " + "[" * 100_000 + "]" * 100_000 + "\n"})
    status, err = check_cli(root)
    assert status == 1
    first, source, caret = err.splitlines()[:3]
    assert first.startswith("content/leaflets/deep.yaml:1:")
    assert "[yaml.syntax]" in first or "[yaml.depth]" in first
    assert len(source) < 120 and source.strip("[ …") == ""
    assert len(caret) < 120


def test_deep_block_nesting_stops_at_the_depth_limit(tmp_path):
    from outreach.load import MAX_DEPTH

    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x\n"
    root = write_project(tmp_path, {"content/leaflets/deep.yaml": text})
    status, err = check_cli(root)
    assert status == 1
    # the first value past the limit: the mapping of key k40, on line 41, indented by 80 spaces
    assert err.splitlines()[0] == (f"content/leaflets/deep.yaml:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: nested more "
                                   f"than {MAX_DEPTH} levels deep [yaml.depth]")


def test_an_alias_bomb_stops_early_with_a_located_error(tmp_path):
    import time

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi"))
    root = write_project(tmp_path, {"content/leaflets/bomb.yaml": bomb})
    started = time.monotonic()
    status, err = check_cli(root)
    assert time.monotonic() - started < 20  # 9**9 values are never built
    assert status == 1
    assert err.splitlines()[:2] == [
        "content/leaflets/bomb.yaml:5:4: error: more than 50000 values (aliases counted as often as they are used) "
        "[yaml.size]", "    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]"]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    from outreach.load import MAX_BYTES

    root = write_project(tmp_path, {"content/leaflets/big.yaml": "a: '" + "x" * MAX_BYTES + "'\n"})
    status, err = check_cli(root)
    assert status == 1
    assert err.startswith(f"content/leaflets/big.yaml:1:1: error: the file is {MAX_BYTES + 6:,} bytes; a content "
                          f"file is at most {MAX_BYTES:,} [yaml.size]")


def test_an_impossible_date_is_a_located_error(tmp_path):
    from .conftest import FACTS

    root = write_project(tmp_path, {"content/facts.yaml": FACTS.replace("value: 2019-03-18", "value: 2023-02-30")})
    status, err = check_cli(root)
    assert status == 1
    assert err.splitlines()[:4] == [
        "content/facts.yaml:15:10: error: '2023-02-30' is not a date: day is out of range for month [yaml.date]",
        "      value: 2023-02-30", "             ^",
        "  help: write a real date as YYYY-MM-DD, or put the value in quotes to keep it as text"]


def test_a_figure_naming_a_missing_fact_fails_check(tmp_path):
    """`check` catches what `build` would crash on."""
    root = write_project(tmp_path, {"content/leaflets/test.yaml": LEAFLET.replace("fact: workers", "fact: worker")})
    status, err = check_cli(root)
    assert status == 1
    assert err.splitlines()[:3] == [
        "content/leaflets/test.yaml:28:15: error: unknown fact 'worker' (did you mean 'workers'?) [schema.reference]",
        "            fact: worker", "                  ^"]


def test_a_javascript_link_is_a_located_error(tmp_path):
    leaflet = LEAFLET.replace("body: Gặp chúng tôi.", 'body: "[Gặp](javascript:alert(document.cookie)) chúng tôi."')
    text = errors_for(tmp_path, leaflet)
    assert text.splitlines()[0] == ("content/leaflets/test.yaml:23:18: error: link target "
                                    "'javascript:alert(document.cookie)' is not a web address, mailto:, tel: or site "
                                    "path [markup.link-target]")
