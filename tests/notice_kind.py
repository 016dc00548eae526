"""A document kind that exists only in the tests: a one-page notice. ``test_kinds`` registers it itself;
``test_template_diagnostics`` installs this file as a plugin is installed (a module under the ``outreach.kinds``
entry point group, which registers the kind when it is imported)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from outreach import kinds
from outreach.model import Editorial, Location, Text, located, spec
from outreach.render.print import PrintSource, _css, _meta


@dataclass(frozen=True)
class Notice:
    id: str = spec("stable id")
    kind: Literal["notice"] = spec("document kind")
    status: Editorial = spec("editorial status")
    title: Text = spec("title")
    summary: Text = spec("one line")
    body: Text = spec("the notice", rich=True)
    location: Location = located()


def notice_html(job, project, localizers, page_url) -> PrintSource:
    lz = localizers[job.languages[0].code]
    return PrintSource(lz.env.get_template("notice-print.html.j2").render(
        lz=lz, doc=job.document, meta=_meta(project, [lz], job.document, job.languages), css=_css("fonts.css")))


def kind(templates: Path, **more) -> kinds.Kind:
    """The notice's kind, its templates in ``templates``."""
    return kinds.Kind("notice", Notice, page=lambda d: f"notices/{d.id}.md", web="notice.md.j2", nav=50,
                      print=notice_html, templates=templates, **more)
