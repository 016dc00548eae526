"""The content model: typed, frozen records, independent of any site generator.

Each document kind is a dataclass whose fields are its schema: the type
says what the YAML must hold, and ``spec()`` adds a line of documentation,
whether the text may use the Markdown subset, and, for leaflet fields, how
many characters the panel has room for. ``validate.py`` turns YAML nodes into
these records and reports every mismatch with its location.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Mapping, Optional

from .errors import Location


def spec(doc: str, *, rich: bool = False, space: int | None = None, required: bool = True, default=None):
    metadata = {"doc": doc, "rich": rich, "space": space}
    if required:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Text:
    """A translatable string: the Vietnamese source and the stable id translators see."""

    source: str
    context: str  # msgctxt: stable id of the field, e.g. "leaflet.owners:panels.front.title"
    location: Location
    comment: str  # where it appears, for the translator
    rich: bool = False  # paragraphs, lists, emphasis and links allowed
    space: int | None = None  # characters the layout has room for
    placeholders: tuple[str, ...] = ()


# ---------------------------------------------------------------- facts

FactType = Literal["integer", "percent", "date", "range", "year"]


@dataclass(frozen=True)
class Fact:
    """A figure from the plan, typed, with where it comes from."""

    id: str
    type: FactType
    value: object  # int, float (percent as a whole number, 70 = 70 %), date, or (low, high)
    unit: str
    as_of: str  # the date or year the figure holds for
    source: str  # the part of the plan it comes from
    location: Location
    role: str = "figure"  # "figure", or "target"/"deadline": a goal or a due date the plan sets for as_of


# ---------------------------------------------------------------- names of bodies


BodyKind = Literal["province", "party", "state", "mass"]


@dataclass(frozen=True)
class Body:
    """The name of a Party or state body, a mass organisation or the province: one entry, used in texts as
    {id} (like a fact) and translated in the catalogs, so that a renamed body is one edit plus its
    translations."""

    kind: BodyKind = spec("province, party (a Party body), state (a state body) or mass (a mass organisation)")
    name: Text = spec("the name as the texts write it in Vietnamese; translated in the catalogs")
    short_for: Optional[str] = spec("id of the body whose full name this one shortens", required=False)
    id: str = field(default="", compare=False, metadata={"internal": True, "doc": ""})
    location: Location = field(default=None, compare=False, metadata={"internal": True, "doc": ""})


# ---------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Term:
    """A key term. In glossary.yaml each language's rendering is a field named by its catalog id (``en:``,
    ``zh_Hans:``), one for every language of content/languages.yaml."""

    id: str = spec("stable id of the term")
    vi: str = spec("the Vietnamese term")
    note: Text = spec("what the term means, for readers and translators")
    variants: tuple[str, ...] = spec("other accepted renderings, any language", required=False, default=())
    everyday: bool = spec("true for an everyday word (worker, trade union): in the glossary, but not linked or marked "
                          "in the texts", required=False, default=False)
    codes: bool = spec("true for the term that explains document codes such as 33-CT/TW: pages link each code "
                       "to it", required=False, default=False)
    # catalog id → the approved rendering, for every language (the source's is ``vi``)
    renderings: Mapping[str, str] = field(default_factory=dict, metadata={"internal": True})

    def rendering(self, catalog_id: str) -> str:
        return self.renderings[catalog_id]

    def __hash__(self) -> int:  # the renderings are a mapping: hash them as pairs (pages cache by their terms)
        return hash((self.id, self.vi, self.note, self.variants, self.everyday, self.codes,
                     tuple(sorted(self.renderings.items()))))


# ---------------------------------------------------------------- site, contacts


@dataclass(frozen=True)
class Home:
    heading: Text = spec("heading of the language home page")
    intro: Text = spec("introduction on the home page", rich=True)


@dataclass(frozen=True)
class Site:
    title: Text = spec("name of the site, shown in every page header")
    description: Text = spec("one-sentence description for search engines")
    board: Text = spec("the publishing body, shown as author on pages and PDFs")
    province: Text = spec("the province's name")
    edition: dt.date = spec("date of this edition; printed in PDFs and used as their creation date")
    home: Home = spec("the home page of each language")
    url: Optional[str] = spec("the address the site is published at (https://…/): QR codes and printed URLs lead "
                              "there; ``--site-url`` overrides it for one build", required=False)


@dataclass(frozen=True)
class Contacts:
    """Contact details the Board fills in. Empty fields are shown as marked placeholders."""

    office: Text = spec("name of the office to contact")
    unit: Text = spec("the unit that handles enterprises' questions")
    address: Optional[Text] = spec("postal address", required=False)
    phone: Optional[str] = spec("telephone number", required=False)
    email: Optional[str] = spec("e-mail address", required=False)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in ("address", "phone", "email") if getattr(self, name) is None)


def located():
    """A field the converter fills with the record's place in its file; not written in YAML."""
    return field(default=None, compare=False, metadata={"internal": True, "doc": ""})


# ---------------------------------------------------------------- editorial status


STATES = ("draft", "reviewed", "approved")


@dataclass(frozen=True)
class Editorial:
    """Where a document stands: draft, reviewed or approved, with who and when."""

    state: Literal["draft", "reviewed", "approved"] = spec("draft, reviewed or approved")
    by: Optional[str] = spec("who reviewed or approved it (name and role)", required=False)
    date: Optional[dt.date] = spec("when it was reviewed or approved", required=False)
    location: Location = field(default=None, compare=False, metadata={"internal": True, "doc": ""})


def least(*states: str) -> str:
    """The least advanced of several states: a handbook is approved only when every chapter is."""
    return min(states, key=STATES.index)


# ---------------------------------------------------------------- leaflet


@dataclass(frozen=True)
class Panel:
    heading: Text = spec("panel heading", space=70)
    body: Text = spec("panel text", rich=True, space=620)


@dataclass(frozen=True)
class CoverPanel:
    kicker: Text = spec("small line above the title: who it is for", space=60)
    title: Text = spec("the leaflet's title", space=90)
    subtitle: Text = spec("one sentence under the title", space=170)


@dataclass(frozen=True)
class Figure:
    id: str = spec("stable id of this figure")
    fact: str = spec("id of the fact shown large, from content/facts.yaml")
    label: Text = spec("what the figure counts", space=90)


@dataclass(frozen=True)
class FiguresPanel:
    heading: Text = spec("panel heading", space=70)
    figures: tuple[Figure, ...] = spec("figures shown on this panel, 4 to 7")
    note: Text = spec("source line under the figures", space=140)


@dataclass(frozen=True)
class BackPanel:
    heading: Text = spec("panel heading", space=70)
    body: Text = spec("text above the contacts", rich=True, space=260)
    scan: Text = spec("caption over the QR code", space=80)


@dataclass(frozen=True)
class LeafletPanels:
    """The six panels of a DL tri-fold printed on both sides of A4 landscape.

    A letter fold. Outside, left to right: the outside of the flap that tucks
    in (97 mm), back cover (100 mm), front cover (100 mm). Inside, left to
    right: behind the cover (100 mm), behind the back (100 mm), the inside of
    the flap (97 mm); the inside panels' texts run on in three columns.
    """

    front: CoverPanel = spec("front cover")
    back: BackPanel = spec("back cover: contacts and the QR code to the web page")
    flap: FiguresPanel = spec("outside of the tuck-in flap: the zones in figures")
    inside_1: Panel = spec("inside, left (behind the cover)")
    inside_2: Panel = spec("inside, middle (behind the back)")
    inside_3: Panel = spec("inside, right (on the flap)")


@dataclass(frozen=True)
class Leaflet:
    id: str = spec("stable id, used in file names and URLs")
    kind: Literal["leaflet"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    audience: Text = spec("who the leaflet is for, one line")
    title: Text = spec("title on the web page")
    summary: Text = spec("one-sentence summary for the web page and PDF metadata")
    panels: LeafletPanels = spec("the panels")
    location: Location = located()


# ---------------------------------------------------------------- handbook


@dataclass(frozen=True)
class Section:
    id: str = spec("stable id of the section; its anchor on the page")
    heading: Text = spec("section heading")
    body: Text = spec("section text", rich=True)


@dataclass(frozen=True)
class Handbook:
    id: str = spec("stable id, used in file names and URLs")
    kind: Literal["handbook"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    title: Text = spec("the handbook's title, on the cover")
    subtitle: Text = spec("one line under the title, on the cover")
    summary: Text = spec("one-sentence summary, for the web page and PDF metadata")
    intro: Text = spec("the foreword, before the first chapter", rich=True)
    chapters: tuple[str, ...] = spec("ids of the chapters (kind: chapter), in reading order")
    location: Location = located()


@dataclass(frozen=True)
class Chapter:
    id: str = spec("stable id of the chapter; the page's URL")
    kind: Literal["chapter"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    handbook: str = spec("id of the handbook this chapter belongs to")
    title: Text = spec("chapter title")
    summary: Text = spec("one line saying what the chapter answers, for the table of contents")
    sections: tuple[Section, ...] = spec("the chapter's sections")
    location: Location = located()


# ---------------------------------------------------------------- courses


@dataclass(frozen=True)
class Course:
    id: Literal["awareness", "new-member"] = spec("the course: awareness (Party-awareness class) or new-member")
    kind: Literal["course"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    title: Text = spec("the course's title")
    summary: Text = spec("who the course is for and what it covers, one or two sentences")
    intro: Text = spec("how to study the course: online, in class, in short sessions", rich=True)
    location: Location = located()


@dataclass(frozen=True)
class Choice:
    id: str = spec("stable id of the choice: a, b, c …")
    text: Text = spec("the choice")
    correct: bool = spec("true for a right answer", required=False, default=False)


@dataclass(frozen=True)
class Question:
    id: str = spec("stable id of the question: q1, q2 …")
    prompt: Text = spec("the question")
    choices: tuple[Choice, ...] = spec("two to five choices")
    explanation: Text = spec("one line saying why the right answer is right")
    multiple: bool = spec("true when more than one choice is right", required=False, default=False)
    location: Location = located()


@dataclass(frozen=True)
class Module:
    id: str = spec("stable id, used in file names and URLs")
    kind: Literal["module"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    course: Literal["awareness", "new-member"] = spec("the course this module belongs to")
    number: int = spec("position in the course, from 1")
    minutes: int = spec("time to study the module, 10 to 15")
    title: Text = spec("the module's title")
    summary: Text = spec("one line saying what the module is about")
    goals: tuple[Text, ...] = spec("what the learner will be able to do after it")
    key_points: tuple[Text, ...] = spec("the points to remember")
    reading: Text = spec("the short reading", rich=True)
    example: Text = spec("an example from an industrial-zone workplace", rich=True)
    questions: tuple[Question, ...] = spec("4 to 6 self-check questions")
    board_supplies: tuple[str, ...] = spec(
        "material the Board must supply before the module is taught (notes for the Board, not translated)",
        required=False, default=())
    location: Location = located()


# ---------------------------------------------------------------- stories


@dataclass(frozen=True)
class Pronunciation:
    """A name the radio script says that a presenter may not know how to say: a foreign person's or
    enterprise's name, with how to say it (each language writes its own guide)."""

    id: str = spec("stable id of the note")
    name: Text = spec("the name as the script writes it")
    say: Text = spec("how to say it, as a presenter of this language reads it: syllables and stress")


@dataclass(frozen=True)
class Story:
    """An exemplary enterprise or Party member, for the province's radio, television and newspaper: a media kit of
    a newspaper article, a radio script and a short social post."""

    id: str = spec("stable id, used in file names and URLs")
    kind: Literal["story"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    example: bool = spec("true while this is a template to fill in, not the story of a real enterprise or person; "
                         "a template is shown in the preview of `outreach serve` only")
    subject: Literal["enterprise", "member"] = spec(
        "who the story is about: an exemplary enterprise, or an exemplary Party member working in one")
    title: Text = spec("the headline, on the page and over the article")
    enterprise: Text = spec("the enterprise's name (for a member's story: the enterprise the member works in)")
    zone: Text = spec("the industrial or economic zone it is in")
    summary: Text = spec("the article's lead: one or two sentences saying what works well there")
    body: Text = spec("the newspaper article", rich=True)
    radio: Text = spec("the radio script: short sentences, written to be heard; figures as {fact_id}", rich=True)
    post: Text = spec("a short post for the Board's social media pages", space=280)
    member: Optional[Text] = spec("the Party member's name and job, for a story about a member", required=False)
    pronunciations: tuple[Pronunciation, ...] = spec(
        "how to say the foreign names the radio script uses, for the presenter", required=False, default=())
    location: Location = located()


# ---------------------------------------------------------------- slides


@dataclass(frozen=True)
class Slide:
    id: str = spec("stable id of the slide; its anchor on the presentation page")
    heading: Text = spec("the slide's heading, one line", space=80)
    notes: Text = spec("speaker notes: what the presenter says while the slide shows", rich=True)
    points: tuple[Text, ...] = spec("what the slide shows: one to five short lines", required=False, default=())


@dataclass(frozen=True)
class Slides:
    id: str = spec("stable id, used in file names and URLs")
    kind: Literal["slides"] = spec("document kind")
    status: Editorial = spec("editorial status: draft, reviewed or approved, with who and when")
    audience: Text = spec("who the presentation is for, one line")
    title: Text = spec("the presentation's title, on its first slide")
    subtitle: Text = spec("one line under the title")
    summary: Text = spec("one-sentence summary, for the web page and PDF metadata")
    slides: tuple[Slide, ...] = spec("the slides after the title slide, in order")
    location: Location = located()


def iter_texts(record) -> list[Text]:
    """The texts in a record, depth first, in field order."""
    if isinstance(record, Text):
        return [record]
    if isinstance(record, tuple):
        return [text for item in record for text in iter_texts(item)]
    if dataclasses.is_dataclass(record) and not isinstance(record, Location):
        return [text for f in dataclasses.fields(record) for text in iter_texts(getattr(record, f.name))]
    return []


Document = Leaflet | Handbook | Chapter | Course | Module | Story | Slides  # and the kinds plugins register


@dataclass(frozen=True)
class Project:
    """Everything in ``content/``, validated."""

    site: Site
    contacts: Contacts
    facts: dict[str, Fact]
    glossary: tuple[Term, ...]
    documents: tuple[Document, ...]
    sources: tuple[str, ...] = ()  # every file read, for change detection
    names: tuple[str, ...] = ()  # proper names that keep their Vietnamese spelling in translations
    bodies: dict[str, Body] = field(default_factory=dict)  # names of bodies and the province, by placeholder id

    def texts(self) -> list[Text]:
        """Every translatable text, in a stable order (files, then fields)."""
        found: list[Text] = []
        for record in (self.site, self.contacts, *self.bodies.values(), *self.glossary, *self.documents):
            found.extend(iter_texts(record))
        return found

    def parts(self, document) -> list:
        """A document and what is printed with it: a handbook's chapters, a course's modules."""
        if document.kind == "handbook":
            chapters = {doc.id: doc for doc in self.of_kind("chapter")}
            return [document, *(chapters[c] for c in document.chapters if c in chapters)]
        if document.kind == "course":
            return [document, *(m for m in self.of_kind("module") if m.course == document.id)]
        return [document]

    def state(self, document) -> str:
        """The editorial state of a printed product: the least advanced of its parts."""
        return least(*(part.status.state for part in self.parts(document)))

    def of_kind(self, kind: str) -> list[Document]:
        return [doc for doc in self.documents if doc.kind == kind]
