"""mkdocs hooks of the generated sites: a text from the content or the catalogs is data, escaped once.

mkdocs and Material treat page titles, navigation titles, the site name and the page descriptions as HTML:
the theme prints ``{{ page.title }}`` and ``{{ config.site_name }}`` as they are, puts the page title into
the search index as HTML, and escapes again only here and there (``{{ config.site_name | e }}``). Ours are
plain text, written into the generated front matter and configuration by ``render/web.py``; these hooks
escape each of them once, as ``Markup``, which the theme's own ``| e`` leaves alone.

mkdocs loads this file by its path (``hooks:`` in each language's generated ``mkdocs.yml``), so it also runs
under ``mkdocs serve`` on a generated configuration.
"""

from __future__ import annotations

from markupsafe import Markup, escape

CONFIG_TEXTS = ("site_name", "site_description", "site_author")
PAGE_TEXTS = ("title", "description")


def as_html(value):
    """Plain text as HTML; what is HTML already (``Markup``) and what is not text are left as they are."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return escape(value)


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
