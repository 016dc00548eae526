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
    def site_yaml(self) -> Path:
        """The site as a whole: its name, the publishing body, the address it is published at."""
        return self.content / "site.yaml"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

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


def site_url_of(paths: Paths, override: str | None = None) -> str:
    """The address the site is published at: ``override`` (``--site-url``), else ``url`` in content/site.yaml
    (whose form the validation checks where it is written)."""
    url = override
    if not url:
        try:
            with open(paths.site_yaml, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except (OSError, yaml.YAMLError):
            data = None  # the validation of the content reports it, with its place
        url = data.get("url") if isinstance(data, dict) else None
    if not url or not isinstance(url, str):
        raise OutreachError(Diagnostic(Location(display_path(paths.site_yaml)), "the site's address (url) is not set",
                                       "config.site-url",
                                       hint="set url: in content/site.yaml to the address the site is published at "
                                            "(https://…/), or pass --site-url"))
    return url.rstrip("/") + "/"
