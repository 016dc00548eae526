"""mkdocs hooks of the generated sites: texts escaped once for the theme, and what mkdocs does not do itself.

mkdocs loads this file by its path (``hooks:`` in each language's generated ``mkdocs.yml``), so everything
here also runs under ``mkdocs serve`` on a generated configuration, and under ``outreach serve``. What a hook
needs to know comes from the generated configuration (``extra``), not from the rest of the build.

Escaping. mkdocs and Material treat page titles, navigation titles, the site name and the page descriptions
as HTML: the theme prints ``{{ page.title }}`` and ``{{ config.site_name }}`` as they are, puts the page
title into the search index as HTML, and escapes again only here and there (``{{ config.site_name | e }}``).
Ours are plain text, written into the generated front matter and configuration by ``render/web.py``; these
hooks escape each of them once, as ``Markup``, which the theme's own ``| e`` leaves alone.

Finishing (after the theme and the search plugin have written their files):

    web site       the theme's script does not fetch sitemap.xml for every alternate link; the sitemap
                   lists each page in every language; the search index holds plain text, and the theme's
                   own search engine and source maps, which no page loads, are left out
    offline pack   the Web Worker shim Material's offline plugin takes from a CDN comes from the pack

Not here: a language's copy of its PDFs and its service worker (``web.finish_language``). The PDFs are made
beside the sites, in other processes, and a site whose pages are unchanged is reused while its PDFs may
change, so the build adds them once every product is made.

This module is imported by absolute names only: mkdocs loads it as a file, outside the package.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority

from outreach.errors import Diagnostic, Location, OutreachError
from outreach.render.common import TEMPLATES, THEME_COMPILED

CONFIG_TEXTS = ("site_name", "site_description", "site_author")
PAGE_TEXTS = ("title", "description")


def as_html(value):
    """Plain text as HTML; what is HTML already (``Markup``) and what is not text are left as they are."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return escape(value)


def on_env(env, config, files):
    """The theme's templates compiled once a process, not once a build (``outreach serve`` rebuilds often)."""
    env.bytecode_cache = THEME_COMPILED
    return env


def on_config(config):
    for key in CONFIG_TEXTS:
        if config.get(key):
            config[key] = as_html(config[key])
    return config


def _items(items):
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or ())


def on_nav(nav, config, files):
    for item in _items(nav.items):
        if item.title is not None:
            item.title = as_html(item.title)
    return nav


def on_page_markdown(markdown, page, config, files):
    for key in PAGE_TEXTS:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = as_html(page.meta[key])
    return markdown


# -- finishing -------------------------------------------------------------------------------------------------


def finishing(config) -> dict:
    """What the generated configuration says about finishing: ``{"offline": bool}``."""
    return config.extra.get("finish") or {}


def on_post_template(output, template_name, config):
    """The sitemap, as mkdocs writes it (sitemap.xml and its .gz from the same text)."""
    if template_name == "sitemap.xml" and not finishing(config).get("offline"):
        return sitemap_with_alternates(output, config.site_url, config.extra["alternate"], config.extra["x_default"])
    return output


@event_priority(-110)  # after every plugin: the search index and Material's offline files are written
def on_post_build(config):
    site_dir = Path(config.site_dir)
    finish = finishing(config)
    if finish.get("offline"):
        finish_offline(site_dir)
        return
    disable_alternate_prefetch(site_dir)
    compact_search_index(site_dir)


ALTERNATE_SELECTOR = '"link[rel=alternate]"'
NO_ALTERNATES = '"link[rel=alternate][data-md-prefetch]"'


def disable_alternate_prefetch(site_dir: Path) -> None:
    """Material fetches 'sitemap.xml' next to every <link rel=alternate> of a page, to make its own language
    switcher stay on the page. Ours links the same page directly, so those requests (a handful per page, on
    the reader's data plan) are not needed: point the theme's selector at nothing."""
    bundles = sorted((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        if text.count(NO_ALTERNATES) == 1 and ALTERNATE_SELECTOR not in text:
            continue  # an earlier build into the same folder (mkdocs serve --dirtyreload copies it once)
        if text.count(ALTERNATE_SELECTOR) != 1:
            raise OutreachError(Diagnostic(Location(str(bundle)), "the theme's script no longer has the expected "
                                           "alternate-link selector", "site.theme",
                                           hint="check disable_alternate_prefetch against this mkdocs-material version"))
        bundle.write_text(text.replace(ALTERNATE_SELECTOR, NO_ALTERNATES),
                          encoding="utf-8")


def sitemap_with_alternates(text: str, own: str, alternates: list[dict], x_default: str) -> str:
    """Each URL of the sitemap lists the same page in every language (xhtml:link), and x-default. ``own`` is
    this language's root URL; ``alternates`` every language's root (``lang``, ``link``)."""

    def links(match: re.Match) -> str:
        loc = match.group(1)
        rel = loc[len(own):] if loc.startswith(own) else ""
        found = "".join(f'\n         <xhtml:link rel="alternate" hreflang="{alt["lang"]}" href="{alt["link"]}{rel}"/>'
                        for alt in alternates)
        found += f'\n         <xhtml:link rel="alternate" hreflang="x-default" href="{x_default}"/>'
        return match.group(0) + found

    text = re.sub(r"<loc>([^<]+)</loc>", links, text)
    return text.replace('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                        'xmlns:xhtml="http://www.w3.org/1999/xhtml">')


TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")


def compact_search_index(site_dir: Path) -> None:
    """Our search (assets/search.js) reads plain text: drop the markup from the index, and the theme's own
    search engine (lunr, its language files, its worker) and source maps, which no page loads."""
    path = site_dir / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for doc in index["docs"]:
        text = SPACE.sub(" ", html.unescape(TAG.sub(" ", doc.get("text", "")))).strip()
        title = SPACE.sub(" ", html.unescape(TAG.sub(" ", doc.get("title", "")))).strip()
        docs.append({"location": doc["location"], "title": title, "text": text})
    index = {"config": {"lang": index["config"]["lang"], "plain": True}, "docs": docs}
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    javascripts = site_dir / "assets" / "javascripts"
    for unused in (javascripts / "lunr", javascripts / "workers"):
        if unused.exists():
            shutil.rmtree(unused)
    for source_map in sorted(site_dir.joinpath("assets").rglob("*.map")):
        source_map.unlink()


IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER = TEMPLATES / "web" / "vendor" / "iframe-worker" / "shim.js"
EXTERNAL_SCRIPT = re.compile(r'<script[^>]+src="(?:https?:)?//')


def finish_offline(site_dir: Path) -> None:
    """The offline pack opens from the file system with no network: the Web Worker shim that Material's
    offline plugin takes from a CDN comes from the pack itself. The theme's source maps (a developer's aid, a
    tenth of the pack's bytes before zipping) stay out of it."""
    target = site_dir / "assets" / "javascripts" / "iframe-worker-shim.js"
    shutil.copyfile(IFRAME_WORKER, target)
    for source_map in site_dir.rglob("*.map"):
        source_map.unlink()
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        local = posixpath.relpath(target.relative_to(site_dir).as_posix(),
                                  page.parent.relative_to(site_dir).as_posix() or ".")
        text = text.replace(IFRAME_WORKER_CDN, local)
        if EXTERNAL_SCRIPT.search(text):
            raise OutreachError(Diagnostic(Location(str(page)), "the offline pack loads a script from the network",
                                           "site.offline", hint="the pack must open with no connection"))
        page.write_text(text, encoding="utf-8")
