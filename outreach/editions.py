"""Nothing published is lost: the last complete edition of each screen PDF, kept for readers.

When the Vietnamese changes, a translated product is not printed again until its translation is complete
(the print gate). Readers should not lose it meanwhile: the last screen PDF that was made complete stays
on the site, its link marked with its edition date and a notice, until the new one can be made. Press
files and packs are not kept: they stay gated.

The kept files live in ``build/.editions`` (``<file>.pdf`` and ``<file>.pdf.edition`` with its date). They
are a record of what was published, not a cache: a build never deletes them, and they change only when a
build publishes a complete new edition of the same file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


class Editions:
    def __init__(self, folder: Path, staged: Path):
        self.folder = folder
        self.staged = staged

    def kept(self, filename: str) -> dt.date | None:
        """The edition date of the last complete edition of a screen PDF, if one was published."""
        pdf, date = self.folder / filename, self.folder / f"{filename}.edition"
        if not (pdf.exists() and date.exists()):
            return None
        try:
            return dt.date.fromisoformat(date.read_text().strip())
        except ValueError:
            return None

    def link_kept(self, filename: str, target: Path) -> None:
        os.link(self.folder / filename, target)

    def record(self, filename: str, screen: Path, edition: dt.date) -> None:
        """Stage a complete screen PDF as the edition to keep (published with the build)."""
        self.staged.mkdir(parents=True, exist_ok=True)
        os.link(screen, self.staged / filename)
        date, published = self.staged / f"{filename}.edition", self.folder / f"{filename}.edition"
        if published.exists() and published.read_text() == f"{edition.isoformat()}\n":
            os.link(published, date)  # the same record, as it is (a build that changes nothing changes no file)
        else:
            date.write_text(f"{edition.isoformat()}\n")

    def publish(self) -> None:
        if not self.staged.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for path in self.staged.iterdir():
            path.replace(self.folder / path.name)
