"""Templates and WeasyPrint speak as the content does: a Jinja error in a template is a located error (its
path:line:col, the source line, a caret and a help; exit status 1, no traceback), and what WeasyPrint ignores
in a print is a located warning shown after the build, which still succeeds.

The fixture project has a kind of its own, a one-page notice, installed as a plugin is (a module named under the
``outreach.kinds`` entry point group), with its templates in the project's ``templates/`` folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from outreach.errors import OutreachError
from outreach.render.common import environment, template_diagnostic

from .conftest import write_project

# the notice's module, and the line that registers its kind when the module is imported
PLUGIN = (Path(__file__).with_name("notice_kind.py").read_text(encoding="utf-8")
          + '\nkinds.register(kind(Path(__file__).parent / "templates"))\n')

WEB = """\
---
title: {{ lz.plain(doc.title) | yaml }}
---
# {{ lz.plain(doc.title) | md }}

{{ lz.block(doc.body) }}
{% for pdf in pdfs %}
<a href="{{ pdf_root }}{{ pdf.href }}">PDF</a>
{% endfor %}
"""

PRINT = """\
<!doctype html>
<html lang="{{ lz.language.code }}">
<head>{% from "print/_meta.j2" import head %}{{ head(meta, css) }}
<style>@page { size: 148mm 105mm; margin: 10mm; } h1 { font-size: 14pt; }</style></head>
<body><h1>{{ lz.inline(doc.title) }}</h1>{{ lz.block(doc.body) }}</body>
</html>
"""

NOTICE = """\
id: nghi-le
kind: notice
status:
  state: draft
title: Thông báo lịch sinh hoạt chi bộ
summary: Lịch sinh hoạt chi bộ trong tháng.
body: Chi bộ sinh hoạt vào chiều thứ năm tuần đầu, sau ca làm việc.
"""


def plugin_project(root: Path, web: str = WEB, print_html: str = PRINT) -> Path:
    """The fixture project with a notice, its kind installed as a plugin: a module, its entry point, its
    templates."""
    write_project(root, {"content/notices/nghi-le.yaml": NOTICE})
    (root / "notice_kind.py").write_text(PLUGIN, encoding="utf-8")
    info = root / "notice_kind-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: notice-kind\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[outreach.kinds]\nnotice = notice_kind\n", encoding="utf-8")
    (root / "templates" / "web").mkdir(parents=True)
    (root / "templates" / "web" / "notice.md.j2").write_text(web, encoding="utf-8")
    (root / "templates" / "notice-print.html.j2").write_text(print_html, encoding="utf-8")
    return root


def build(root: Path) -> subprocess.CompletedProcess:
    """``outreach build`` of the Vietnamese (the notice's page and PDF), as its user runs it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "outreach", "build", "--language", "vi"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def messages(stderr: str) -> list[str]:
    """What the build told its user, without the progress lines."""
    return [line for line in stderr.splitlines() if not line.startswith("build: ")]


def test_the_plugin_kind_builds(tmp_path):
    """The fixture is sound: unbroken, the notice's page and PDF are built, and WeasyPrint has nothing to say."""
    root = plugin_project(tmp_path)
    run = build(root)
    assert run.returncode == 0, run.stderr
    assert (root / "build/site/vi/notices/nghi-le/index.html").exists()
    assert (root / "build/pdf/notice-nghi-le.vi.pdf").exists()
    assert "[print.weasyprint]" not in run.stderr


def test_a_jinja_syntax_error_is_located_in_its_template(tmp_path):
    root = plugin_project(tmp_path, web=WEB.replace("{% endfor %}", "{% endfo %}"))
    run = build(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = messages(run.stderr)
    assert lines[0] == ("templates/web/notice.md.j2:9:4: error: Jinja syntax: Encountered unknown tag 'endfo'. "
                        "Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that "
                        "needs to be closed is 'for'. [template.syntax]")
    assert lines[1:4] == ["    {% endfo %}",
                          "       ^",
                          "  help: every {% if %}, {% for %}, {% macro %} … ends with its {% end… %}, every {{ and "
                          "{% is closed, and a tag is one Jinja knows"]
    assert not (root / "build/site").exists()  # nothing published


def test_an_undefined_value_is_located_at_its_template_line(tmp_path):
    root = plugin_project(tmp_path, print_html=PRINT.replace("lz.inline(doc.title)", "lz.inline(doc.titel)"))
    run = build(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = messages(run.stderr)
    source = "<body><h1>{{ lz.inline(doc.titel) }}</h1>{{ lz.block(doc.body) }}</body>"
    assert lines[0] == (f"templates/notice-print.html.j2:5:{source.index('titel') + 1}: error: 'notice_kind.Notice "
                        "object' has no attribute 'titel' [template.undefined]")
    assert lines[1:3] == ["    " + source, "    " + " " * source.index("titel") + "^"]
    assert lines[3].startswith("  help: the template uses a name or an attribute its renderer does not give it")


def test_a_css_property_weasyprint_ignores_is_one_located_warning(tmp_path):
    """The print of each language meets it; the user reads it once, at the document, with where the declaration
    is written; the build succeeds."""
    css = "h1 { font-size: 14pt; }"
    root = plugin_project(tmp_path, print_html=PRINT.replace(css, "h1 { font-size: 14pt; line-break: strict; }"))
    run = build(root)
    assert run.returncode == 0, run.stderr
    assert (root / "build/pdf/notice-nghi-le.vi.pdf").exists()
    lines = messages(run.stderr)
    warned = [index for index, line in enumerate(lines) if line.endswith("[print.weasyprint]")]
    assert len(warned) == 1, run.stderr
    column = PRINT.splitlines()[3].index(css) + len("h1 { font-size: 14pt; ") + 1
    assert lines[warned[0]:warned[0] + 2] == [
        "content/notices/nghi-le.yaml: warning: WeasyPrint: Ignored `line-break: strict`, unknown property. "
        "[print.weasyprint]",
        "  help: WeasyPrint lays this document out without it; the declaration is at "
        f"templates/notice-print.html.j2:4:{column}"]


def test_a_missing_template_and_a_macro_called_from_the_code_are_located(tmp_path, monkeypatch):
    """An {% include %} of a template that does not exist points at the include; a macro the code calls (its
    module made outside any render) points at its own line."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.j2").write_text('<p>\n  {% include "print/nope.j2" %}\n</p>\n', encoding="utf-8")
    (tmp_path / "t" / "macros.j2").write_text("{% macro label(x) %}{{ x.nmae }}{% endmacro %}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = environment()
    env.loader = jinja2.FileSystemLoader("t")
    with pytest.raises(OutreachError) as info:
        env.get_template("page.j2").render()
    assert info.value.format().splitlines() == [
        "t/page.j2:2:15: error: template 'print/nope.j2' not found [template.not-found]",
        '      {% include "print/nope.j2" %}',
        "                  ^",
        "  help: templates are looked up in outreach/templates and in the template folders of the registered "
        "kinds; check the name"]
    with pytest.raises(jinja2.UndefinedError) as raw:
        env.get_template("macros.j2").module.label({})
    assert template_diagnostic(raw.value).format().splitlines()[:3] == [
        "t/macros.j2:1:26: error: 'dict object' has no attribute 'nmae' [template.undefined]",
        "    {% macro label(x) %}{{ x.nmae }}{% endmacro %}",
        "                             ^"]
