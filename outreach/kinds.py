"""Document kinds: one entry each, and every stage reads it.

A kind says what its YAML holds (the model class, whose fields are the schema), where its web page lives and
which template makes it, its card on the home page, how it prints (a print HTML renderer, one PDF per language
or a bilingual pair), and whether that print is a press product (a printer pack made to ``press``'s spec) or a
screen PDF only, and whether ``outreach serve`` previews it page by page. Validation, the site, the print jobs,
the packs, the release gate and the preview all look kinds up here; adding a kind is one ``register`` call plus
its templates.

A kind from outside this package registers itself when its module is imported: a module named under the
``outreach.kinds`` entry point group is imported on first use, or a test calls ``register`` (and
``unregister``) itself. Its templates may live in a folder of its own (``templates``), searched after ours.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal, Optional

from . import model
from .model import Chapter, Course, Editorial, Handbook, Leaflet, Location, Module, Slides, Story, Text


def _always(document) -> bool:
    return True


@dataclass(frozen=True)
class Attachment:
    """A file beside a document's page, made in every language from a template: a text a newsroom pastes, say.
    Its page links to it (the page's template finds its address as ``files[id]``); the offline pack carries it."""

    id: str  # how the page's template names it
    name: str  # its file name, with {id} (the document's) and {lang} (the language's code) filled in
    template: str  # under templates/web/: a .txt.j2 writes text as it is; any other escapes for HTML


@dataclass(frozen=True)
class Kind:
    name: str  # the value of ``kind:`` in the YAML, and the first part of file names and status keys
    model: Optional[type]  # the schema: a frozen dataclass; None for a kind made from other documents (derive)
    page: Optional[Callable[[object], str]] = None  # where its page lives in each language's docs/
    web: Optional[str] = None  # the page's template, under templates/web/ (doc, pdfs in its context)
    pages: Optional[Callable] = None  # instead of ``web``: (render.web.Pages, doc) → adds its pages itself
    nav: int = 100  # its place among the kinds in the site's navigation
    home: Optional[str] = None  # its section on the home page, a template under templates/web/home/
    home_rank: int = 100  # the section's place on the home page
    card: Optional[Callable] = None  # more for a home-page card: (doc, project, card) → dict
    published: Callable[[object], bool] = _always  # False: never on the site, in a pack or a PDF
    print: Optional[Callable] = None  # (PrintJob, Project, localizers, page_url) → PrintSource
    print_languages: Literal["each", "pairs"] = "each"  # one PDF per language, or Vietnamese + each other
    press: Optional[object] = None  # a pack.Product: the PDF is a press product with a printer pack;
    # None: a screen PDF only (tagged, no bleed, no pack)
    variants: tuple[str, ...] = ("",)  # screen PDFs per document and language ("notes": the speaker notes)
    files: tuple[Attachment, ...] = ()  # files beside its page in each language (with ``web``: linked as ``files``)
    preview: bool = False  # shown page by page at /__preview/ in ``outreach serve``
    prints_contacts: bool = False  # its print carries the contacts: not approved while one is missing
    worker_facing: bool = False  # read by shift workers: the sentence-length check applies
    kept_offline: bool = True  # its PDFs are kept when a reader keeps the language for reading offline; False:
    # for presenters (slide decks, speaker notes), kept on a device once opened, as any page
    derive: Optional[Callable] = None  # (Project) → the documents of this kind, made from other documents
    templates: Optional[Path] = None  # a folder of its own templates (a kind from outside this package)

    @property
    def printed(self) -> bool:
        """A press product: its print carries the page's address (a QR code), checked by the release gate."""
        return self.print is not None and self.press is not None

    @property
    def key(self) -> str:
        return self.name


_KINDS: dict[str, Kind] = {}
_loaded = False


def _load() -> None:
    """This project's kinds, then the plugins' (on first use: the kinds name the renderers, which import
    modules that import this one)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    _builtin()
    for entry in importlib.metadata.entry_points(group="outreach.kinds"):
        entry.load()  # the module registers its kinds


def register(kind: Kind) -> Kind:
    """Add a kind (or replace one of the same name)."""
    _load()  # ours first: the order of registration is the order of documents
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def all_kinds() -> list[Kind]:
    """Every kind, in the order documents are sorted (the order of registration)."""
    _load()
    return list(_KINDS.values())


def get(name: str) -> Optional[Kind]:
    _load()
    return _KINDS.get(name)


def of(document) -> Kind:
    _load()
    return _KINDS[document.kind]


def models() -> dict[str, type]:
    """kind → its model class, for the kinds written in YAML."""
    return {kind.name: kind.model for kind in all_kinds() if kind.model is not None}


def documents(project, kind: Kind, published_only: bool = True) -> list:
    """The documents of a kind: from content, or made from other documents."""
    docs = kind.derive(project) if kind.derive else project.of_kind(kind.name)
    return [doc for doc in docs if kind.published(doc)] if published_only else docs


def by(attribute: str) -> list[Kind]:
    """The kinds in the order of a rank (``nav``, ``home_rank``)."""
    return sorted(all_kinds(), key=lambda kind: getattr(kind, attribute))


def template_folders() -> list[Path]:
    return [kind.templates for kind in all_kinds() if kind.templates]


# ---------------------------------------------------------------- lecturer slides, made from a course's modules


@dataclass(frozen=True)
class Lecture:
    """A course's lecturer slides: one section per module, from the module's goals, key points, example and
    questions. Made, not written: it has no YAML."""

    id: str
    course: Course
    modules: tuple[Module, ...]
    kind: str = "lecture"
    status: Editorial = field(default=None)
    location: Location = field(default=None)

    @property
    def title(self) -> Text:
        return self.course.title

    @property
    def summary(self) -> Text:
        return self.course.summary


def lectures(project) -> list[Lecture]:
    found = []
    for course in project.of_kind("course"):
        modules = tuple(m for m in project.of_kind("module") if m.course == course.id)
        found.append(Lecture(course.id, course, modules, status=course.status, location=course.location))
    return found


# ---------------------------------------------------------------- the kinds of this project


# A story's media kit, for the newsrooms of the province's newspaper, radio and television: the article (as text
# and as HTML to paste into a publishing system), the radio script with its reading time and how to say its
# foreign names, and the social post.
MEDIA_KIT = (
    Attachment("article", "{id}.article.{lang}.txt", "story/article.txt.j2"),
    Attachment("article_html", "{id}.article.{lang}.html", "story/article.html.j2"),
    Attachment("radio", "{id}.radio.{lang}.txt", "story/radio.txt.j2"),
    Attachment("post", "{id}.post.{lang}.txt", "story/post.txt.j2"),
)


def _builtin() -> None:
    from . import pack
    from .render import print as print_render
    from .render import web

    register(Kind("leaflet", Leaflet, page=lambda d: f"leaflets/{d.id}.md", web="leaflet.md.j2", nav=30,
                  home="leaflet.md.j2", home_rank=30, print=print_render.leaflet_html, print_languages="pairs",
                  press=pack.PRODUCTS["leaflet"], preview=True, prints_contacts=True))
    register(Kind("handbook", Handbook, page=lambda d: f"handbooks/{d.id}/index.md", pages=web.handbook_pages,
                  nav=10, home="handbook.md.j2", home_rank=20, card=web.handbook_card,
                  print=print_render.handbook_html, press=pack.PRODUCTS["handbook"], preview=True,
                  prints_contacts=True, worker_facing=True))
    register(Kind("chapter", Chapter, page=lambda d: f"handbooks/{d.handbook}/{d.id}.md", worker_facing=True))
    register(Kind("course", Course, page=lambda d: f"courses/{d.id}/index.md", pages=web.course_pages, nav=20,
                  home="course.md.j2", home_rank=10, card=web.course_card, print=print_render.course_html,
                  press=pack.PRODUCTS["course"], worker_facing=True))
    register(Kind("module", Module, page=lambda d: f"courses/{d.course}/{d.id}.md", worker_facing=True))
    register(Kind("story", Story, page=lambda d: f"stories/{d.id}.md", web="story.md.j2", nav=40,
                  home="story.md.j2", home_rank=40, files=MEDIA_KIT,
                  published=lambda d: not d.example))  # a template story is never published: preview only
    register(Kind("slides", Slides, page=lambda d: f"slides/{d.id}.md", web="slides.md.j2", nav=35,
                  home="slides.md.j2", home_rank=35, print=print_render.slides_html, variants=("", "notes"),
                  kept_offline=False))
    register(Kind("lecture", None, page=lambda d: f"courses/{d.id}/slides.md", pages=web.lecture_pages, nav=36,
                  derive=lectures, print=print_render.lecture_html, variants=("", "notes"), kept_offline=False))


assert model  # the model module holds the classes; kinds only name them
