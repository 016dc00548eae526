"""What a build tells the person waiting for it.

``Progress`` says nothing (a build called from code, or from the tests); ``Lines`` writes one plain line per
stage and per product made (CI logs, output to a file or a pipe); ``StatusLine`` keeps one line up to date on
a terminal: the stage, how many products are done of how many, and the slowest one still running.
``for_stream`` picks between the last two.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """Silent. The build calls these as it goes."""

    interval = 1.0  # seconds between ticks while jobs run

    def stage(self, text: str) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def job_added(self, job) -> None:
        pass

    def job_started(self, job) -> None:
        pass

    def job_done(self, job, seconds: float) -> None:
        pass

    def tick(self, running) -> None:
        pass

    def finish(self) -> None:
        pass


class Lines(Progress):
    """One line per stage and per product made."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.total = 0
        self.done = 0

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def stage(self, text: str) -> None:
        self._print(f"build: {text}")

    def note(self, text: str) -> None:
        self._print(f"build: {text}")

    def job_added(self, job) -> None:
        self.total += 1

    def job_done(self, job, seconds: float) -> None:
        self.done += 1
        self._print(f"build: [{self.done}/{self.total}] {job.name} ({seconds:.1f} s)")


class StatusLine(Lines):
    """One line, rewritten in place: stage, products done of total, the slowest still running."""

    interval = 0.25

    def __init__(self, stream: TextIO):
        super().__init__(stream)
        self.current = ""
        self.running: list = []
        self.started = time.monotonic()

    def _show(self) -> None:
        width = max(20, _columns(self.stream) - 1)
        text = f"{self.current}"
        if self.total:
            text += f" {self.done}/{self.total}"
        if self.running:
            job, started = min(self.running, key=lambda item: item[1])
            text += f" · slowest running: {job.name} {time.monotonic() - started:.0f} s"
        text += f" · {time.monotonic() - self.started:.0f} s"
        self.stream.write("\r\x1b[K" + text[:width])
        self.stream.flush()

    def stage(self, text: str) -> None:
        self.current = text
        self._show()

    def note(self, text: str) -> None:
        self.stream.write("\r\x1b[K" + text + "\n")
        self._show()

    def job_added(self, job) -> None:
        self.total += 1
        self._show()

    def job_done(self, job, seconds: float) -> None:
        self.done += 1
        self._show()

    def tick(self, running) -> None:
        self.running = list(running)
        self._show()

    def finish(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80


def for_stream(stream: TextIO = sys.stderr) -> Progress:
    """A status line on a terminal; plain lines in CI, on a dumb terminal, or into a file or a pipe."""
    interactive = hasattr(stream, "isatty") and stream.isatty()
    if interactive and not os.environ.get("CI") and os.environ.get("TERM", "") != "dumb":
        return StatusLine(stream)
    return Lines(stream)
