"""The slow work of a build as jobs, run in one process per core, the longest first.

A ``Job`` is a plain function of plain values (so that it can run in another process), an estimate of how
long it takes, and the names of the jobs it needs first. ``run`` keeps every worker busy: whenever one is
free it starts the longest job that is ready. Workers import WeasyPrint and the site generator once, while the main
process is still preparing the jobs, and then take one job after another.

A job that fails with located errors returns them; ``run`` goes on with the jobs that do not depend on it
(so one build reports every leaflet that does not fit, not only the first) and raises them all at the end.
A job that succeeds with warnings (what WeasyPrint logged while laying out a print) returns ``Done``; they
travel back with its outcome, to be shown after the build (``job_warnings``).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable

import jinja2

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
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Done:
    """What a job returns that has warnings for the user besides its value."""

    value: object
    warnings: tuple[Diagnostic, ...] = ()


def job_warnings(outcomes: dict[str, Outcome]) -> list[Diagnostic]:
    """The warnings of every job, each once (the print of every language warns about the same template)."""
    return list(dict.fromkeys(w for outcome in outcomes.values() for w in outcome.warnings))


def processes() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def started(workers: int, initializer: Callable) -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes forked now, each running ``initializer`` (imports, priority) before it is needed:
    an executor forks a process for each task submitted while none is idle, so each gets a task that does
    nothing."""
    executor = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                                      initializer=initializer)
    for _ in range(workers):
        executor.submit(int)
    return executor


def _warm_up() -> None:
    """Import the slow libraries once per worker, while the main process prepares the jobs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint  # noqa: F401

        from .render import web

        web.preload()


def _call(func: Callable, args: tuple) -> Outcome:
    started = time.perf_counter()
    try:
        value = func(*args)
    except OutreachError as exc:  # its diagnostics travel back; the exception itself does not pickle
        return Outcome(errors=list(exc.diagnostics), seconds=time.perf_counter() - started)
    except jinja2.TemplateError as exc:  # a template used outside a render: located here, where its frames are
        from .render.common import template_diagnostic

        return Outcome(errors=[template_diagnostic(exc)], seconds=time.perf_counter() - started)
    if isinstance(value, Done):
        return Outcome(value.value, seconds=time.perf_counter() - started, warnings=list(value.warnings))
    return Outcome(value, seconds=time.perf_counter() - started)


class Pool:
    """Worker processes, and the jobs given to them as the build finds them (``add``): a job starts as soon
    as a worker is free and the jobs it needs are done, the longest ready one first. The workers start when
    the build first knows it has something to make (``start``) or with the first job, so that their imports
    overlap the main process's work; a build with nothing to make starts none."""

    def __init__(self, progress: Progress, workers: int | None = None):
        self.progress = progress
        self.workers = workers or processes()
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self.pending: dict[str, Job] = {}
        self.running: dict[concurrent.futures.Future, tuple[Job, float]] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.failed: set[str] = set()
        self.names: set[str] = set()

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def start(self) -> None:
        """Start the workers now (they import the slow libraries while the caller prepares the jobs); a pool
        that is never given a job need not start them."""
        if self._executor is None:
            self._executor = started(self.workers, _warm_up)

    def add(self, job: Job) -> None:
        """Queue a job (the jobs it waits for must have been added before); it may start at once."""
        missing = set(job.after) - self.names
        if missing or job.name in self.names:
            raise ValueError(f"job {job.name}: unknown jobs {sorted(missing)} or a second job of that name")
        self.start()
        self.names.add(job.name)
        self.pending[job.name] = job
        self.progress.job_added(job)
        self._collect(timeout=0)
        self._dispatch()

    def _dispatch(self) -> None:
        for name in [n for n, job in self.pending.items() if self.failed & set(job.after)]:
            self.failed.add(name)  # what depends on a failed job is not attempted
            del self.pending[name]
        ready = sorted((job for job in self.pending.values() if all(n in self.outcomes for n in job.after)),
                       key=lambda job: (-job.cost, job.name))
        for job in ready[: max(0, self.workers - len(self.running))]:
            del self.pending[job.name]
            self.running[self._executor.submit(_call, job.func, job.args)] = (job, time.monotonic())
            self.progress.job_started(job)

    def _collect(self, timeout: float) -> None:
        if timeout:
            finished, _ = concurrent.futures.wait(self.running, timeout=timeout,
                                                  return_when=concurrent.futures.FIRST_COMPLETED)
        else:
            finished = [future for future in self.running if future.done()]
        for future in finished:
            job, _ = self.running.pop(future)
            outcome = future.result()
            if any(d.severity == "error" for d in outcome.errors):
                self.failed.add(job.name)
            self.outcomes[job.name] = outcome
            self.progress.job_done(job, outcome.seconds)

    def finish(self) -> dict[str, Outcome]:
        """Wait for every job; raise every error found, once all have run."""
        while True:
            self._dispatch()
            if not self.running:
                break
            self._collect(timeout=self.progress.interval)
            self.progress.tick(list(self.running.values()))
        errors = [d for outcome in self.outcomes.values() for d in outcome.errors]
        if errors:
            raise OutreachError(errors)
        return self.outcomes
