"""The small Markdown subset that text fields may use, parsed strictly with markdown-it-py.

Blocks: paragraphs separated by a blank line; bulleted lists (``- item``);
numbered lists (``1. item``). Inline: ``*emphasis*``, ``**strong**``,
``[link text](https://…)`` (the address may hold balanced parentheses), and
``\\`` before a punctuation character to write it as itself.

Anything else is plain text, except Markdown syntax outside the subset (headings,
quotations, code, images, tables, rules, entities, ``_emphasis_``): that is an error, not
text passed through for a reader to see. HTML is text like any other: a ``<b>`` or a
``<script>`` typed into a text shows as typed, escaped where it enters HTML. Unbalanced markup is an error, never guessed
at: the same parse runs over the Vietnamese source and each translation, so a
translator who drops a ``*`` is told where.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token

LINK_TARGET = re.compile(r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+|tel:\+?[0-9 .-]+|/[^\s<>\"]*|#[\w-]+)$")
EMPHASIS = {"**": ("strong", "strong emphasis"), "*": ("em", "emphasis")}
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Hangul too: a Korean particle follows its noun with no space ("**{ban_to_chuc}**는")
CJK_OR_HANGUL = re.compile(r"[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
SINGLE_LINE = "this field takes one line of text, without lists or paragraphs"

# The rules of the subset, then the rules of the syntax it refuses: those are on only so that their syntax
# is recognised and reported where it stands (see REFUSED), rather than printed as text. `reference` stays
# off: a definition "[a]: https://…" would vanish from the text; off, its '[' is reported.
SUBSET_RULES = ["list", "emphasis", "link", "escape"]
REFUSED_RULES = ["heading", "lheading", "blockquote", "code", "fence", "hr", "table", "backticks", "image",
                 "autolink", "entity", "strikethrough"]

# What a token of refused syntax is called in the error, and what to write instead.
REFUSED = {
    "heading_open": ("a heading ('#' or an underline of '-' or '=')", "documents have their own heading fields; "
                     "write the text as a paragraph"),
    "blockquote_open": ("a quotation ('>')", "write the quotation as a paragraph"),
    "code_block": ("indented code (a line indented four spaces after a blank line)",
                   "start the line at the indentation of the text, or continue a list item at its text"),
    "fence": ("a code block ('```')", "texts have no code; write it as a paragraph"),
    "hr": ("a horizontal rule", "separate paragraphs with one blank line"),
    "table_open": ("a table", "write the rows as a list"),
    "code_inline": ("code ('`')", "texts have no code; escape a backquote as '\\`'"),
    "image": ("an image ('![…](…)')", "images are not placed from texts"),
    "s_open": ("strikethrough ('~~')", "delete the text instead, or escape '~' as '\\~'"),
    "entity": ("an HTML entity", "type the character itself"),
    "autolink": ("an address in '<…>'", "write a link as [text](address)"),
    "underscore": ("emphasis with '_'", "write *emphasis* or **strong** with '*'"),
}


class MarkupError(ValueError):
    """Markup outside the subset or unbalanced. ``line`` and ``column`` (from 0) place it in the text as
    given to ``parse``; ``snippet`` is the source text at fault, to find it in a file."""

    def __init__(self, message: str, code: str, snippet: str, help: str = "", line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.code = code
        self.snippet = snippet
        self.help = help
        self.line = line
        self.column = column


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


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule, with CommonMark's flanking rules relaxed next to CJK and Hangul text. CJK has no spaces
    between words, so strong text ending in a full stop runs on into the next word ("**不经营企业。**管理权"):
    CommonMark would not let that '**' close. Next to a CJK character a run opens unless a space follows it and
    closes unless a space precedes it, as the earlier parser of this subset did everywhere."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(state.pos, marker == "*")
    start, end = state.pos, state.pos + scanned.length
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    can_open, can_close = scanned.can_open, scanned.can_close
    if CJK_OR_HANGUL.match(before) or CJK_OR_HANGUL.match(after):
        can_open, can_close = not after.isspace(), not before.isspace()
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=scanned.length, token=len(state.tokens) - 1,
                                          end=-1, open=can_open, close=can_close))
    state.pos = end
    return True


def _markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False}).enable(SUBSET_RULES + REFUSED_RULES)  # HTML stays text
    md.inline.ruler.at("emphasis", _emphasis)
    md.disable("text_join")  # keeps an escaped character apart from the text, so a stray '*' is told from '\*'
    md.validateLink = lambda url: True  # LINK_TARGET decides, with an error that names the target
    md.normalizeLink = lambda url: url  # the address as written, escaped where it enters HTML
    return md


MARKDOWN = _markdown()


class _Text:
    """The lines of the text being parsed, to place an error by the line map of its block."""

    def __init__(self, source: str):
        self.lines = source.split("\n")
        # parse() strips the text; line maps count from its first non-blank line
        self.offset = source[:len(source) - len(source.lstrip())].count("\n")

    def error(self, message: str, code: str, token_map, snippet: str, help: str = "") -> MarkupError:
        first, last = token_map if token_map else (0, len(self.lines))
        first, last = first + self.offset, max(last + self.offset, first + self.offset + 1)
        for number in range(first, min(last, len(self.lines))):
            column = self.lines[number].find(snippet) if snippet else -1
            if column >= 0:
                return MarkupError(message, code, snippet, help, number, column)
        line = self.lines[first] if first < len(self.lines) else ""
        return MarkupError(message, code, snippet or line.strip(), help, first, len(line) - len(line.lstrip()))


def _refused(text: _Text, token: Token, snippet: str, token_map) -> MarkupError:
    key = "underscore" if token.type == "em_open" or token.type == "strong_open" else \
        "entity" if token.type == "text_special" else \
        "autolink" if token.type == "link_open" else token.type
    what, help = REFUSED[key]
    return text.error(f"{what} is not part of the markup texts may use", "markup.syntax", token_map,
                      snippet, help)


def _first_word(text: str, limit: int = 12) -> str:
    return (text.split() or [""])[0][:limit]


def _stray(text: _Text, content: str, token_map) -> MarkupError | None:
    """An error for markup characters left in a text run: delimiters markdown-it found no partner for."""
    for index, ch in enumerate(content):
        if ch == "*":
            marker = "**" if content.startswith("**", index) else "*"
            tag, name = EMPHASIS[marker]
            return text.error(f"'{marker}' opens {name} that is never closed", "markup.emphasis", token_map,
                              _first_word(content[index:]), f"close it with '{marker}', or write '\\*' for a "
                              "star as itself")
        if ch == "[":
            return text.error("'[' starts a link that is not written [text](target)", "markup.link", token_map,
                              _first_word(content[index:]), "write a link as [text](https://…), or '\\[' for a "
                              "bracket as itself")
        if ch == "]":
            return text.error("']' without a matching '['", "markup.link", token_map,
                              content[max(0, index - 10):index + 1].split()[-1],
                              "write a link as [text](https://…), or '\\]' for a bracket as itself")
    return None


def _inline(text: _Text, source: str, token_map) -> tuple[Inline, ...]:
    """The spans of one paragraph or list item; ``source`` is its lines as markdown-it cut them."""
    joined = join_lines(source.split("\n"))
    stack: list[tuple[str, str, list[Inline]]] = [("", "", [])]
    for token in MARKDOWN.parseInline(joined)[0].children or []:
        kind = token.type
        if kind == "text":
            error = _stray(text, token.content, token_map)
            if error:
                raise error
            stack[-1][2].append(Span("text", text=token.content))
        elif kind == "text_special" and token.info == "escape":
            stack[-1][2].append(Span("text", text=token.content))
        elif kind in ("em_open", "strong_open"):
            if token.markup not in EMPHASIS:
                raise _refused(text, token, token.markup, token_map)
            stack.append((EMPHASIS[token.markup][0], "", []))
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            if token.markup == "autolink":
                raise _refused(text, token, "<" + href[:11], token_map)
            if token.attrs.get("title"):
                raise text.error("a link title is not part of the markup texts may use", "markup.link",
                                 token_map, _first_word(href) or "](", "write the link as [text](target)")
            if not LINK_TARGET.match(href):
                raise text.error(f"link target '{href}' is not a web address, mailto:, tel: or site path",
                                 "markup.link-target", token_map, _first_word(href) or "]()",
                                 "write an address that starts with https://, mailto:, tel: or /")
            stack.append(("a", href, []))
        elif kind in ("em_close", "strong_close", "link_close"):
            tag, href, children = stack.pop()
            stack[-1][2].append(Span(tag, tuple(children), href=href))
        else:
            snippet = "![" if kind == "image" else _first_word(token.markup or token.content)
            raise _refused(text, token, snippet or _first_word(joined), token_map)
    return tuple(_merge(stack[0][2]))


def _merge(spans: list[Inline]) -> list[Inline]:
    """Adjacent text runs as one span (an escaped character is a token of its own)."""
    out: list[Inline] = []
    for span in spans:
        if span.tag == "text" and out and out[-1].tag == "text":
            out[-1] = Span("text", text=out[-1].text + span.text)
        elif span.tag == "text" and not span.text:
            continue
        else:
            out.append(span)
    return out


def parse_inline(text: str) -> tuple[Inline, ...]:
    return _inline(_Text(text), text, None)



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


def _list(text: _Text, tokens: list[Token], start: int) -> tuple[Block, int]:
    """The list opened at ``tokens[start]``: one paragraph per item, no nested blocks."""
    opener = tokens[start]
    if opener.type == "bullet_list_open" and opener.markup != "-":
        raise text.error(f"a list bulleted with '{opener.markup}'", "markup.block", opener.map, opener.markup + " ",
                         "start each item of a bulleted list with '- '")
    items: list[tuple[Inline, ...]] = []
    index = start + 1
    while tokens[index].type == "list_item_open":
        item, index = tokens[index], index + 1
        paragraphs = []
        while tokens[index].type != "list_item_close":
            token = tokens[index]
            if token.type == "inline":
                paragraphs.append(token)
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                raise text.error("a list inside a list item", "markup.block", token.map,
                                 text.lines[token.map[0] + text.offset].strip()[:12],
                                 "lists do not nest: start the line at the indentation of the list")
            elif token.type in REFUSED:
                raise _refused(text, token, _first_word(token.markup or token.content), token.map)
            index += 1
        if len(paragraphs) != 1:
            what = "an empty list item" if not paragraphs else "a list item of more than one paragraph"
            raise text.error(what, "markup.block", item.map, item.markup,
                             "write each item as one paragraph, without blank lines inside it")
        items.append(_inline(text, paragraphs[0].content, paragraphs[0].map))
        index += 1
    return Block("ul" if opener.type == "bullet_list_open" else "ol", tuple(items)), index + 1


_PARSED: dict[tuple[str, bool], tuple[Block, ...]] = {}
PARSED_LIMIT = 50_000  # texts kept in a process (a long ``serve`` session parses every version of a text)
_USED: set[tuple[str, bool]] = set()  # the texts asked for since ``remember``


def parse(text: str, rich: bool) -> tuple[Block, ...]:
    """Parse a field. ``rich`` allows paragraphs and lists; otherwise one line of inline text.

    Pure and returning immutable blocks, so results are kept: the same texts are parsed by validation, the
    checks, the web pages and the PDFs, and by the next build (``remember``, ``used``)."""
    key = (text, rich)
    _USED.add(key)
    found = _PARSED.get(key)
    if found is None:
        found = _parse(text, rich)
        if len(_PARSED) >= PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def remember(results: dict[tuple[str, bool], tuple[Block, ...]]) -> None:
    """Take the blocks of texts parsed before (by the same parser: cache.ParsedTexts keys them on it), and
    start counting the texts asked for afresh."""
    _PARSED.update(results)
    _USED.clear()


def used() -> dict[tuple[str, bool], tuple[Block, ...]]:
    """The texts asked for since ``remember`` (a build's), and their blocks: what the next build will ask
    for, but the texts that changed."""
    return {key: _PARSED[key] for key in _USED if key in _PARSED}


def to_data(blocks: tuple[Block, ...]) -> list:
    """Blocks as plain lists and strings (JSON), read back by ``from_data``."""
    def span(item: Span) -> list:
        return [item.tag, [span(child) for child in item.children], item.text, item.href]

    return [[block.tag, [[span(inline) for inline in item] for item in block.items]] for block in blocks]


def from_data(data: list) -> tuple[Block, ...]:
    def span(item: list) -> Span:
        return Span(item[0], tuple(span(child) for child in item[1]), item[2], item[3])

    return tuple(Block(tag, tuple(tuple(span(inline) for inline in item) for item in items)) for tag, items in data)


def _parse(text: str, rich: bool) -> tuple[Block, ...]:
    source = _Text(text)
    tokens = MARKDOWN.parse(text.strip())
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open":
            blocks.append(Block("p", (_inline(source, tokens[index + 1].content, token.map),)))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            if not rich:
                raise source.error(SINGLE_LINE, "markup.block", token.map, "", "write the text as one paragraph")
            block, index = _list(source, tokens, index)
            blocks.append(block)
        else:
            raise _refused(source, token, _first_word(token.markup or token.content), token.map)
    if not rich:
        if len(blocks) > 1:
            raise source.error(SINGLE_LINE, "markup.block", tokens[3].map if len(tokens) > 3 else None, "",
                               "write the text as one paragraph")
        return tuple(blocks) or (Block("p", ((),)),)
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
            spans = block.items[0]
            # a paragraph all in bold heads what follows it (print keeps it with that: break-after: avoid)
            head = ' class="run-in-head"' if len(spans) == 1 and spans[0].tag == "strong" else ""
            out.append(f"<p{head}>{render(spans)}</p>")
        else:
            lis = "".join(f"<li>{render(item)}</li>" for item in block.items)
            out.append(f"<{block.tag}>{lis}</{block.tag}>")
    return "\n".join(out)



def to_text(blocks: tuple[Block, ...]) -> str:
    """The blocks as plain text to paste: paragraphs one blank line apart, each list item on a line of its own
    after '- ' or its number, a link as its text with the address in brackets; emphasis drops out."""

    def render(spans: tuple[Inline, ...]) -> str:
        parts = []
        for span in spans:
            if span.tag == "text":
                parts.append(span.text)
            elif span.tag == "a":
                shown = render(span.children)
                parts.append(shown if shown == span.href else f"{shown} ({span.href})")
            else:
                parts.append(render(span.children))
        return "".join(parts)

    out = []
    for block in blocks:
        if block.tag == "p":
            out.append(render(block.items[0]))
        else:
            out.append("\n".join(f"{'- ' if block.tag == 'ul' else f'{number}. '}{render(item)}"
                                 for number, item in enumerate(block.items, 1)))
    return "\n\n".join(out)
