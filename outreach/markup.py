"""The small Markdown subset that text fields may use, parsed strictly.

Blocks: paragraphs separated by a blank line; bulleted lists (``- item``);
numbered lists (``1. item``). Inline: ``*emphasis*``, ``**strong**``,
``[link text](https://…)``, and ``\\`` to escape one of ``*[]\\``.

Anything else is plain text. Unbalanced markup is an error, never guessed
at: the same parse runs over the Vietnamese source and each translation, so
a translator who drops a ``*`` is told where.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Callable

LINK_TARGET = re.compile(r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+|tel:\+?[0-9 .-]+|/[^\s<>\"]*|#[\w-]+)$")
EMPHASIS = {"**": ("strong", "strong emphasis"), "*": ("em", "emphasis")}
BULLET = re.compile(r"^\s*[-•]\s+(.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(.*)$")


class MarkupError(ValueError):
    def __init__(self, message: str, code: str, snippet: str):
        super().__init__(message)
        self.message = message
        self.code = code
        self.snippet = snippet  # the source text at fault, to locate it


@dataclass(frozen=True)
class Span:
    tag: str  # "text", "em", "strong", "a"
    children: tuple["Inline", ...] = ()
    text: str = ""
    href: str = ""


Inline = Span


@dataclass(frozen=True)
class Block:
    tag: str  # "p", "ul", "ol"
    items: tuple[tuple[Inline, ...], ...]  # one item for "p"


def parse_inline(text: str) -> tuple[Inline, ...]:
    spans, _ = _parse_inline(text, 0, None)
    return spans


def _parse_inline(text: str, pos: int, closer: str | None) -> tuple[tuple[Inline, ...], int]:
    out: list[Inline] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            out.append(Span("text", text="".join(buffer)))
            buffer.clear()

    while pos < len(text):
        ch = text[pos]
        if ch == "\\" and pos + 1 < len(text) and text[pos + 1] in "*[]\\()":
            buffer.append(text[pos + 1])
            pos += 2
            continue
        if closer and text.startswith(closer, pos) and (closer != "*" or not text.startswith("**", pos)):
            flush()
            return tuple(out), pos + len(closer)
        marker = "**" if text.startswith("**", pos) else "*" if ch == "*" else None
        if marker:
            flush()
            inner, end = _parse_inline(text, pos + len(marker), marker)
            tag, name = EMPHASIS[marker]
            if end < 0:
                raise MarkupError(f"'{marker}' opens {name} that is never closed", "markup.emphasis",
                                  text[pos:pos + 20])
            out.append(Span(tag, inner))
            pos = end
            continue
        if ch == "[":
            flush()
            inner, end = _parse_inline(text, pos + 1, "]")
            if end < 0 or not text.startswith("(", end):
                raise MarkupError("'[' starts a link that is not written [text](target)", "markup.link", text[pos:pos + 30])
            close = text.find(")", end)
            if close < 0:
                raise MarkupError("link target is not closed with ')'", "markup.link", text[pos:pos + 30])
            target = text[end + 1:close].strip()
            if not LINK_TARGET.match(target):
                raise MarkupError(
                    f"link target '{target}' is not a web address, mailto:, tel: or site path",
                    "markup.link-target", target or text[pos:pos + 30],
                )
            out.append(Span("a", inner, href=target))
            pos = close + 1
            continue
        if ch == "]" and closer is None:
            raise MarkupError("']' without a matching '['", "markup.link", text[max(0, pos - 10):pos + 1])
        buffer.append(ch)
        pos += 1
    if closer:
        return tuple(out), -1
    flush()
    return tuple(out), pos


CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: with a space, except between two CJK characters."""
    out = ""
    for line in (" ".join(part.split()) for part in lines):
        if not line:
            continue
        if out and not (CJK.match(out[-1]) and CJK.match(line[0])):
            out += " "
        out += line
    return re.sub(r"\s+", " ", out)


@functools.lru_cache(maxsize=8192)
def parse(text: str, rich: bool) -> tuple[Block, ...]:
    """Parse a field. ``rich`` allows paragraphs and lists; otherwise one line of inline text.

    Pure and returning immutable blocks, so results are cached: the same texts are parsed by
    validation, the checks, the web pages and the PDFs."""
    text = text.strip()
    if not rich:
        if BULLET.match(text) or "\n\n" in text:
            raise MarkupError("this field takes one line of text, without lists or paragraphs",
                              "markup.block", text.split("\n", 1)[0])
        return (Block("p", (parse_inline(join_lines(text.splitlines())),)),)
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        paragraph: list[str] = []
        items: list[list[str]] = []
        kind = ""

        def close_list() -> None:
            nonlocal items, kind
            if items:
                blocks.append(Block(kind, tuple(parse_inline(join_lines(i)) for i in items)))
            items, kind = [], ""

        def close_paragraph() -> None:
            if paragraph:
                blocks.append(Block("p", (parse_inline(join_lines(paragraph)),)))
                paragraph.clear()

        for line in chunk.splitlines():
            bullet, numbered = BULLET.match(line), NUMBERED.match(line)
            if bullet or numbered:
                close_paragraph()
                new_kind = "ul" if bullet else "ol"
                if kind and kind != new_kind:
                    close_list()
                kind = new_kind
                items.append([(bullet or numbered).groups()[-1]])
            elif items:
                items[-1].append(line)  # continuation of the item above
            else:
                paragraph.append(line)
        close_paragraph()
        close_list()
    return tuple(blocks)


def links(blocks: tuple[Block, ...]) -> list[str]:
    found: list[str] = []

    def walk(spans: tuple[Inline, ...]) -> None:
        for span in spans:
            if span.tag == "a":
                found.append(span.href)
            walk(span.children)

    for block in blocks:
        for item in block.items:
            walk(item)
    return found


def plain(blocks: tuple[Block, ...]) -> str:
    """The text without markup, for lengths, search snippets and metadata."""

    def walk(spans: tuple[Inline, ...]) -> str:
        return "".join(span.text if span.tag == "text" else walk(span.children) for span in spans)

    return "\n".join(" ".join(walk(item) for item in block.items) for block in blocks)


TextHook = Callable[[str], str]


def to_html(blocks: tuple[Block, ...], *, inline: bool = False, text_hook: TextHook = html.escape) -> str:
    """HTML for the blocks. ``text_hook`` escapes plain text (and may wrap words)."""

    def render(spans: tuple[Inline, ...]) -> str:
        parts = []
        for span in spans:
            if span.tag == "text":
                parts.append(text_hook(span.text))
            elif span.tag == "a":
                parts.append(f'<a href="{html.escape(span.href)}">{render(span.children)}</a>')
            else:
                parts.append(f"<{span.tag}>{render(span.children)}</{span.tag}>")
        return "".join(parts)

    if inline:
        return " ".join(render(item) for block in blocks for item in block.items)
    out = []
    for block in blocks:
        if block.tag == "p":
            out.append(f"<p>{render(block.items[0])}</p>")
        else:
            lis = "".join(f"<li>{render(item)}</li>" for item in block.items)
            out.append(f"<{block.tag}>{lis}</{block.tag}>")
    return "\n".join(out)

