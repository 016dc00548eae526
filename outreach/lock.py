"""One build at a time in a build folder.

Two builds writing the same ``build/.staging`` would spoil each other's output. A build holds an exclusive
lock on ``build/.lock`` from its start to its publication; a second build waits for it, and says so. The
lock is the operating system's (``flock``): it goes away with the process that held it, even when that
process is killed, so a crashed build never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from .errors import display_path
from .progress import Progress


@contextlib.contextmanager
def build_lock(folder: Path, progress: Progress):
    path = folder / ".lock"
    folder.mkdir(parents=True, exist_ok=True)  # a folder we may not write is reported as any file we cannot write
    handle = open(path, "a+")
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            progress.note(f"another build is running in {display_path(folder)} ({holder}); waiting for it to "
                          "finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
