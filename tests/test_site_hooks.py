"""What mkdocs does not do is done in its hooks (outreach/render/site_hooks.py), which every generated
configuration loads: so ``mkdocs build`` (and ``mkdocs serve``) on a generated configuration, outside the
build, gives the site the build publishes."""

from __future__ import annotations

import calendar
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from outreach.languages import LANGUAGES
from outreach.render import site_hooks, web


def mkdocs_build(root: Path, config: Path, site: Path) -> None:
    """mkdocs' own command, dated as the build dates its outputs (the edition)."""
    edition = yaml.safe_load((root / "content/site.yaml").read_text(encoding="utf-8"))["edition"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(calendar.timegm(edition.timetuple()))}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr


def test_mkdocs_on_a_generated_configuration_gives_the_published_site(fixture_build, tmp_path):
    root, _ = fixture_build
    # Chinese: Material segments Han text for the search index when jieba is importable, as the build lets it
    config, _ = web.generated(root / "build/.work/web/zh-Hans")
    site = tmp_path / "zh-Hans"
    mkdocs_build(root, config, site)
    published = root / "build/site/zh-Hans"
    for name in ("sitemap.xml", "search/search_index.json", "leaflets/test/index.html"):
        assert (site / name).read_bytes() == (published / name).read_bytes(), name
    # mkdocs writes sitemap.xml.gz from the same text (the build replaces it with its own, smaller .gz)
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for language in LANGUAGES:
        assert (f'<xhtml:link rel="alternate" hreflang="{language.code}" '
                f'href="https://outreach.example.org/{language.code}/leaflets/test/"/>') in sitemap
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="https://outreach.example.org/"/>' in sitemap
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["plain"] is True and all("<" not in doc["text"] for doc in index["docs"])
    assert not (site / "assets/javascripts/lunr").exists() and not list(site.rglob("*.map"))
    bundle = next((site / "assets/javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert '"link[rel=alternate][data-md-prefetch]"' in bundle and '"link[rel=alternate]"' not in bundle


def test_mkdocs_on_an_offline_configuration_takes_no_script_from_the_network(fixture_build, tmp_path):
    root, _ = fixture_build
    config, _ = web.generated(root / "build/.work/offline/en")
    site = tmp_path / "offline"
    mkdocs_build(root, config, site)
    shim = site / "assets/javascripts/iframe-worker-shim.js"
    assert shim.read_bytes() == site_hooks.IFRAME_WORKER.read_bytes()
    nested = (site / "leaflets/test.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/iframe-worker-shim.js">' in nested
    assert not [page for page in site.rglob("*.html") if site_hooks.IFRAME_WORKER_CDN in page.read_text("utf-8")]


def test_the_sitemap_lists_each_page_in_every_language():
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               '    <url>\n         <loc>https://x.org/ko/a/</loc>\n    </url>\n</urlset>')
    alternates = [{"lang": "vi", "link": "https://x.org/vi/"}, {"lang": "ko", "link": "https://x.org/ko/"}]
    assert site_hooks.sitemap_with_alternates(sitemap, "https://x.org/ko/", alternates, "https://x.org/") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n    <url>\n         <loc>https://x.org/ko/a/</loc>'
        '\n         <xhtml:link rel="alternate" hreflang="vi" href="https://x.org/vi/a/"/>'
        '\n         <xhtml:link rel="alternate" hreflang="ko" href="https://x.org/ko/a/"/>'
        '\n         <xhtml:link rel="alternate" hreflang="x-default" href="https://x.org/"/>\n    </url>\n</urlset>')
