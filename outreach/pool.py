"""The slow work of a build as jobs, run in one process per core, the longest first.

A ``Job`` is a plain function of plain values (so that it can run in another process), an estimate of how
long it takes, and the names of the jobs it needs first. ``run`` keeps every worker busy: whenever one is
free it starts the longest job that is ready. Workers import WeasyPrint and mkdocs once, while the main
process is still preparing the jobs, and then take one job after another.

A job that fails with located errors returns them; ``run`` goes on with the jobs that do not depend on it
(so one build reports every leaflet that does not fit, not only the first) and raises them all at the end.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable

from .errors import Diagnostic, OutreachError
from .progress import Progress


@dataclass
class Job:
    name: str  # unique, and stable from one build to the next (timings are kept under it)
    stage: str  # what kind of work, for the progress display
    func: Callable
    args: tuple
    cost: float  # estimated seconds
    after: tuple[str, ...] = ()


@dataclass
class Outcome:
    value: object = None
    errors: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def processes() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _warm_up() -> None:
    """Import the slow libraries once per worker, while the main process prepares the jobs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import mkdocs.commands.build  # noqa: F401
        import weasyprint  # noqa: F401


def _call(func: Callable, args: tuple) -> Outcome:
    started = time.perf_counter()
    try:
        value = func(*args)
    except OutreachError as exc:  # its diagnostics travel back; the exception itself does not pickle
        return Outcome(errors=list(exc.diagnostics), seconds=time.perf_counter() - started)
    return Outcome(value, seconds=time.perf_counter() - started)


class Pool:
    """Worker processes, started as soon as the first job is known (``start``), so that their imports
    overlap the main process's work; a build with nothing to make starts none."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or processes()
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self._executor is None:
            self._executor = concurrent.futures.ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("fork"), initializer=_warm_up)
            self._executor.submit(int)  # starts every worker now (with fork, all start at the first job)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def run(self, jobs: list[Job], progress: Progress) -> dict[str, Outcome]:
        """Run every job, the longest ready one first; raise every error found, once all have run."""
        names = {job.name for job in jobs}
        pending = {job.name: job for job in jobs}
        for job in jobs:
            missing = set(job.after) - names
            if missing:
                raise ValueError(f"job {job.name} waits for unknown jobs {sorted(missing)}")
        outcomes: dict[str, Outcome] = {}
        failed: set[str] = set()
        running: dict[concurrent.futures.Future, tuple[Job, float]] = {}
        progress.jobs_planned(jobs)
        if jobs:
            self.start()
        while pending or running:
            for name in [n for n, job in pending.items() if failed & set(job.after)]:
                failed.add(name)  # what depends on a failed job is not attempted
                del pending[name]
            ready = sorted((job for job in pending.values() if all(n in outcomes for n in job.after)),
                           key=lambda job: (-job.cost, job.name))
            for job in ready[: max(0, self.workers - len(running))]:
                del pending[job.name]
                running[self._executor.submit(_call, job.func, job.args)] = (job, time.monotonic())
                progress.job_started(job)
            if not running:
                break
            finished, _ = concurrent.futures.wait(running, timeout=progress.interval,
                                                  return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                job, _ = running.pop(future)
                outcome = future.result()
                if outcome.errors and any(d.severity == "error" for d in outcome.errors):
                    failed.add(job.name)
                outcomes[job.name] = outcome
                progress.job_done(job, outcome.seconds)
            progress.tick([(job, started) for job, started in running.values()])
        errors = [d for outcome in outcomes.values() for d in outcome.errors]
        if errors:
            raise OutreachError(errors)
        return outcomes
