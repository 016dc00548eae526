"""Where a project keeps its sources and its outputs, and the address its site is published at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Diagnostic, Location, OutreachError, display_path


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def out(self) -> Path:
        return self.root / "build"

    @property
    def staging(self) -> Path:
        return self.out / ".staging"

    @property
    def work(self) -> Path:
        return self.out / ".work"

    @property
    def cache(self) -> Path:
        return self.out / ".cache"


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without running its python tags."""


_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_url_of(paths: Paths, override: str | None = None) -> str:
    url = override
    if not url:
        with open(paths.mkdocs_yml, encoding="utf-8") as handle:
            url = (yaml.load(handle, Loader=_IgnoreTags) or {}).get("site_url")
    if not url:
        raise OutreachError(Diagnostic(Location(display_path(paths.mkdocs_yml)), "site_url is not set",
                                       "config.site-url", hint="set site_url in mkdocs.yml, or pass --site-url"))
    return url.rstrip("/") + "/"
