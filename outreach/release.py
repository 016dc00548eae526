"""The release gate: what keeps a document from being approved for print.

A printed product sends its reader to the site by a QR code and a printed URL. While the site's address is a
placeholder (the reserved example names, ``*.invalid``, ``*.test``, ``localhost``), no printed document may be
approved; preflight applies the same rule to the press files themselves (``preflight.check_release``).
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Diagnostic, Location, display_path

PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net", "example", "invalid", "test", "localhost")


def placeholder_host(host: str) -> bool:
    """A host that cannot be where the site is published: the reserved example names (RFC 2606, RFC 6761)
    and addresses of the machine itself or a private network."""
    host = host.lower().rstrip(".").strip("[]")
    if not host or any(host == domain or host.endswith("." + domain) for domain in PLACEHOLDER_DOMAINS):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_private or address.is_link_local


def setting_location(site_yaml: Path) -> Location:
    """Where the site's address (url) is set in content/site.yaml (its line, when it has one)."""
    shown = display_path(site_yaml)
    try:
        lines = site_yaml.read_text(encoding="utf-8").splitlines()
    except OSError:
        return Location(shown)
    for number, line in enumerate(lines, start=1):
        if re.match(r"url\s*:", line):
            return Location(shown, number, 1)
    return Location(shown)


def printed(document) -> bool:
    """A press product: its print carries the page's address (the document's kind says)."""
    from . import kinds

    return kinds.of(document).printed


def check_site_url(project, site_url: str, site_yaml: Path, overridden: bool = False) -> list[Diagnostic]:
    """Every approved printed document is an error while the site's address is a placeholder."""
    host = urlsplit(site_url).hostname or ""
    if not placeholder_host(host):
        return []
    where = setting_location(site_yaml)
    setting = ("the --site-url given to this build" if overridden
               else f"url in {where.path}" + (f" (line {where.line})" if where.line else ""))
    found = []
    for document in project.documents:
        if printed(document) and document.status.state == "approved":
            found.append(Diagnostic(
                document.status.location or document.location,
                f"{document.kind} '{document.id}' cannot be approved: its QR code and printed URL lead to {host}, "
                f"a placeholder host", "status.site-url",
                hint=f"set {setting} to the address the site is published at (https://…/); until then the document "
                     "stays 'reviewed' at most"))
    return found
