"""``outreach serve``: the editor's and translator's loop.

    build     the site into build/serve/site (the language last looked at first), then a print preview
              of the leaflets and handbooks (PDF pages as images) into build/serve/preview
    serve     those folders on localhost, with a small script in every page that waits for the next
              build and reloads the page, or shows the build's errors over the last good page
    watch     content/, locales/, the templates and the site's base configuration; a change starts a build,
              and a change
              during a build starts another when it ends, so the last save always wins

Only what a change touches is made again: a language whose generated pages and configuration are those
of its last build is not built again, and a print document whose HTML is unchanged is not rendered.
Nothing is written outside build/serve.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import html
import http.server
import json
import os
import posixpath
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from . import kinds, markup
from .errors import OutreachError
from .languages import LANGUAGES, Language
from .plan import pdf_link
from .pool import started
from .render import print as print_render
from .render import web
from .render.common import TEMPLATES

LIVE_SCRIPT = "/__outreach/live.js"
WAIT_PATH = "/__outreach/wait"
PREVIEW_PATH = "/__preview/"
WAIT_SECONDS = 20
PREVIEW_DPI = 40


@dataclass
class State:
    """What the builder tells the pages, guarded by ``changed``."""

    generation: int = 0
    built: dict[str, int] = field(default_factory=dict)  # language code → generation of its last site build
    preview: int = 0  # generation of the last change to the print preview
    errors: list[str] = field(default_factory=list)  # the last build's errors, formatted; empty when it passed
    building: bool = False
    viewed: str = ""  # the language of the last page asked for, built first (at first, the source), or "preview"
    products: list[dict] = field(default_factory=list)  # the preview's products, their pages and notes
    unpublished: list[dict] = field(default_factory=list)  # documents only the preview shows (templates)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def snapshot(self) -> dict:
        return {"generation": self.generation, "built": dict(self.built), "preview": self.preview,
                "errors": list(self.errors), "building": self.building}

    def publish(self, **changes) -> None:
        with self.changed:
            for name, value in changes.items():
                setattr(self, name, value)
            self.generation += 1
            self.changed.notify_all()


def background(lower: int) -> None:
    """Lower the priority of the calling thread (on Linux a thread has its own; a process forked from it
    starts with it), so that what an editor waits for on the same cores runs first."""
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + lower))


def _preview_worker() -> None:
    background(5)
    import weasyprint  # noqa: F401  (imported while the sites build, not when the first leaflet is asked for)


def listed(products: dict[str, dict]) -> list[dict]:
    """The preview's products as its page lists them: the leaflets (whose panels must fit) first, each kind's
    products in the order of the languages."""
    return sorted(products.values(), key=lambda entry: (entry["kind"] != "leaflet", entry["order"]))


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


class Builder:
    """Builds the site and the print preview, remembering what each output was made from."""

    def __init__(self, paths, state: State, site_url: str, languages: tuple[Language, ...] = LANGUAGES,
                 preview: bool = True, log=print):
        self.paths, self.state, self.site_url, self.languages = paths, state, site_url, languages
        self.root = paths.out / "serve"
        self.site = self.root / "site"
        self.preview_dir = self.root / "preview"
        self.with_preview = preview
        self.log = log
        self.site_keys: dict[str, str] = {}
        self.print_keys: dict[str, str] = {}
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.interrupted = lambda: False  # set by serve(): True when a newer change is waiting
        self.stopping = threading.Event()  # set by serve() on Ctrl-C: no new preview is started
        self.site_errors: list[str] = []  # this build's errors, formatted: of the content and the sites
        self.preview_errors: list[str] = []  # and of the print preview

    # -- the site ------------------------------------------------------------------------------------------

    def build(self) -> None:
        """One build: everything the current sources give, or the errors that stop it. The print preview
        renders in its worker process while the sites build here, so both cores work and a leaflet's pages
        do not wait for five sites: it starts at once when the preview is what is looked at, else once the
        language being looked at is built."""
        from .build import localizers_for, source_date
        from .validate import load_project

        started = time.monotonic()
        self.state.publish(building=True)
        self.site_errors, self.preview_errors = [], []
        preview = None
        try:
            project = load_project(self.paths.content)
            with source_date(project.site.edition):
                localizers = localizers_for(project, self.paths, self.languages)
                jobs = self.preview_jobs(project)
                begun = False

                def begin_preview():
                    nonlocal preview, begun
                    if self.with_preview and not begun:
                        begun = True
                        preview = self.start_preview(project, jobs)

                if self.state.viewed == "preview":
                    begin_preview()
                links = {}
                for job in jobs:
                    links.setdefault(job.link_key, []).append(pdf_link(job))
                rebuilt = []
                for position, language in enumerate(self.order()):
                    if position == 1:  # the page being looked at is up to date: now the preview, the slower checks
                        begin_preview()
                        self.check_catalogs(project)
                    if self.build_language(project, localizers[language.code], links):
                        rebuilt.append(language.code)
                        with self.state.changed:
                            self.state.built[language.code] = self.state.generation + 1
                        self.publish_errors()
                begin_preview()  # when only one language is served
                if len(self.languages) == 1:
                    self.check_catalogs(project)
                self.write_root(project, localizers)
                self.state.unpublished = self.unpublished(project)
            self.log(f"site: {', '.join(rebuilt) or 'nothing'} rebuilt in {time.monotonic() - started:.1f} s")
        except OutreachError as exc:
            text = exc.format()
            self.log(text)
            self.site_errors = [d.format() for d in exc.diagnostics] or [text]
        except Exception as exc:  # a broken template or an unexpected fault: shown, and the loop goes on
            message = f"error: the build failed: {type(exc).__name__}: {exc}"
            self.log(message)
            self.site_errors = [message]
        if preview is not None:
            preview.join()
        self.publish_errors(building=False)

    def publish_errors(self, **changes) -> None:
        self.state.publish(errors=self.site_errors + self.preview_errors, **changes)

    def check_catalogs(self, project) -> None:
        """The translation checks the build runs; their errors stop this build as they would stop it."""
        from .i18n.checks import check_catalogs

        findings = check_catalogs(project, self.paths.locales, [lang for lang in self.languages
                                                                 if not lang.is_source])
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise OutreachError(errors)

    def order(self) -> list[Language]:
        """The language being looked at first: its page reloads while the others build."""
        viewed = [lang for lang in self.languages if lang.code == self.state.viewed]
        return viewed + [lang for lang in self.languages if lang not in viewed]

    def build_language(self, project, lz, links) -> bool:
        """Build one language's site when its generated pages or configuration changed (the generator's hooks
        finish it as in a build); swap the new site in only when it succeeded, so a failure leaves the last
        good pages served."""
        language = lz.language
        pages = web.render_pages(project, lz, links, unpublished=True)  # templates too, outside the navigation
        work = self.root / "work" / language.code
        staged = self.root / "next" / language.code
        live = self.site / language.code
        config = web.site_config(project, lz, pages, self.paths.root, self.site_url, work, staged)
        key = digest(web.dump_config(config), web.base_config(self.paths.root).read_bytes(),
                     *[f"{page.path}\n{page.markdown}" for page in pages], *self.template_bytes())
        if self.site_keys.get(language.code) == key and live.exists():
            return False
        config_file = web.write_project(work, config, pages, language)
        if staged.exists():
            shutil.rmtree(staged)
        web.build_site(config_file, language)
        self.swap(staged, live)
        self.site_keys[language.code] = key
        return True

    def unpublished(self, project) -> list[dict]:
        """The documents their kind does not publish (templates): each one's page in every language of the
        preview, which lists them at /__preview/."""
        found = []
        for kind in kinds.by("nav"):
            for doc in kinds.documents(project, kind, published_only=False):
                if kind.published(doc) or not (kind.web or kind.pages):
                    continue
                url = web.page_url(web.page_path(doc))
                title = markup.plain(markup.parse(doc.title.source, False)) if hasattr(doc, "title") else ""
                found.append({"title": f"{kind.name} {doc.id}: {title}", "location": str(doc.location or ""),
                              "pages": [(lang.code, f"/{lang.code}/{url}") for lang in self.languages]})
        return found

    @staticmethod
    def template_bytes() -> list[bytes]:
        """The theme overrides and assets the generated pages do not show but the site is made from."""
        files = sorted(p for folder in (web.OVERRIDES, web.ASSETS) for p in folder.rglob("*") if p.is_file())
        return [str(p).encode() + p.read_bytes() for p in files]

    @staticmethod
    def swap(staged: Path, live: Path) -> None:
        old = live.with_name(live.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        live.parent.mkdir(parents=True, exist_ok=True)
        if live.exists():
            live.rename(old)
        staged.rename(live)
        if old.exists():
            shutil.rmtree(old)

    def write_root(self, project, localizers) -> None:
        """The language chooser at the root; pages open on it reload when it changes."""
        env = next(iter(localizers.values())).env
        page = web.render_root(env, project, localizers, self.site_url)
        target = self.site / "index.html"
        if target.exists() and target.read_text(encoding="utf-8") == page:
            return
        self.site.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        web.write_root_assets(self.site)
        with self.state.changed:
            self.state.built["root"] = self.state.generation + 1
        self.state.publish()

    # -- the print preview ---------------------------------------------------------------------------------

    def preview_jobs(self, project) -> list:
        return [job for job in print_render.print_jobs(project, self.languages)
                if kinds.of(job.document).preview]

    def start_preview(self, project, jobs) -> threading.Thread | None:
        """``begin_preview``'s work; a print template that fails is the preview's error: the sites go on."""
        try:
            return self._start_preview(project, jobs)
        except OutreachError as exc:
            self.preview_errors += [d.format() for d in exc.diagnostics] or [exc.format()]
        except Exception as exc:  # noqa: BLE001  shown over the page, as the build's other faults
            self.preview_errors.append(f"error: the print preview failed: {type(exc).__name__}: {exc}")
        self.log("\n".join(self.preview_errors))
        return None

    def _start_preview(self, project, jobs) -> threading.Thread:
        """Start rendering the leaflets and handbooks whose print HTML changed (the leaflets first, then the
        viewed language's) in the worker process, and a thread that turns each PDF into page images as soon as
        it is made. A panel that does not fit is an error shown over the page."""
        from .build import localizers_for

        localizers = localizers_for(project, self.paths, self.languages)
        viewed = self.state.viewed
        order = {job.filename: number for number, job in enumerate(jobs)}  # the languages' order (languages.yaml)
        jobs = sorted(jobs, key=lambda job: (job.document.kind != "leaflet", viewed not in
                                             [lang.code for lang in job.languages]))
        products = {item["stem"]: item for item in self.state.products}
        queued = []
        for job in jobs:
            stem = job.filename[: -len(".pdf")]
            for lang in job.languages:
                localizers[lang.code].fallbacks.clear()
            page_url = f"{self.site_url}{job.web_language.code}/{web.page_url(web.page_path(job.document))}"
            source = print_render.print_html(job, project, localizers, page_url)
            untranslated = sum(len(localizers[lang.code].fallbacks) for lang in job.languages
                               if not lang.is_source)
            key = digest(source.html, *source.tails)
            entry = products.get(stem) or {"stem": stem, "title": f"{job.document.kind} {job.document.id}",
                                           "kind": job.document.kind, "label": job.label(), "pages": 0}
            entry["order"] = order[job.filename]
            entry["note"] = (f"{untranslated} texts not translated yet: shown in Vietnamese"
                             if untranslated else "")
            products[stem] = entry
            if self.print_keys.get(stem) != key:
                pdf = self.site / "pdf" / job.filename
                queued.append((job, source, key, entry, pdf, self.render(source, pdf, key)))
        self.state.products = listed(products)
        thread = threading.Thread(target=self.collect_preview, args=(queued, products), name="preview", daemon=True)
        thread.start()
        return thread

    def collect_preview(self, queued: list, products: dict) -> None:
        """Each rendered PDF of the preview, in the order it was asked for: its page images, then the pages
        that show it reload. Stops (and cancels what has not started) on Ctrl-C or when a newer change waits:
        the next build asks again for what is left."""
        for number, (job, source, key, entry, pdf, future) in enumerate(queued):
            found = self.wait_for(future)
            if found is None:  # Ctrl-C, or a newer change: what has not started is cancelled, what runs stopped
                for *_, waiting in queued[number:]:
                    waiting.cancel()
                self.abandon(restart=not self.stopping.is_set())
                if not self.stopping.is_set():
                    self.log("preview: interrupted by a newer change")
                return
            if isinstance(found, BaseException):  # the worker died (killed, out of memory): the next change retries
                self.preview_errors.append(f"error: the preview of {job.filename} failed: "
                                           f"{type(found).__name__}: {found}")
                self.abandon(restart=False)
                continue
            stem = job.filename[: -len(".pdf")]
            if found:  # a text that does not fit, at its source when it can be told; a page with a few lines
                self.preview_errors += [d.format() for d in print_render.layout_diagnostics(
                    source, f"{job.filename} ({job.label()})", found)]
                self.print_keys.pop(stem, None)
                self.publish_errors()
                continue
            pdf.with_name(pdf.name + ".tmp").replace(pdf)
            entry["pages"] = self.images(pdf, self.preview_dir / stem)
            entry["version"] = key[:12]
            self.print_keys[stem] = key
            self.state.products = listed(products)
            with self.state.changed:
                self.state.preview = self.state.generation + 1
            self.publish_errors()
            self.log(f"preview: {job.filename} ({entry['pages']} pages)")

    def render(self, source, target: Path, key: str) -> concurrent.futures.Future:
        """WeasyPrint in a long-lived worker process (its import and fonts are paid once), into
        ``target``.tmp; the future gives the problems of the layout, as ``render_pdf`` does."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        return self.worker().submit(print_render.render_pdf, source, tmp, self.paths.root, key)

    def worker(self) -> concurrent.futures.ProcessPoolExecutor:
        """The preview's worker process, started at once so that it imports WeasyPrint while the sites build;
        it runs below the build thread (the page being looked at comes first)."""
        if self.pool is None:
            self.pool = started(1, _preview_worker)
        return self.pool

    def wait_for(self, future: concurrent.futures.Future):
        """A render's problems (a list), the exception that ended its worker, or None when Ctrl-C or a newer
        change came first."""
        while not (self.stopping.is_set() or self.interrupted()):
            try:
                return future.result(timeout=0.1)
            except concurrent.futures.TimeoutError:
                continue
            except concurrent.futures.CancelledError:
                return None
            except Exception as exc:
                return exc
        return None

    def abandon(self, restart: bool) -> None:
        """Stop the worker and what it renders (a handbook takes seconds that the next change should not wait
        for); with ``restart``, start the next one at once."""
        pool, self.pool = self.pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):  # no public way before Python 3.14
                with contextlib.suppress(OSError):
                    process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
        if restart:
            self.worker()

    @staticmethod
    def images(pdf: Path, folder: Path) -> int:
        staged = folder.with_name(folder.name + ".next")
        if staged.exists():
            shutil.rmtree(staged)
        staged.mkdir(parents=True)
        subprocess.run(["pdftoppm", "-r", str(PREVIEW_DPI), "-png", str(pdf), str(staged / "page")], check=True)
        Builder.swap(staged, folder)
        return len(list(folder.glob("page-*.png")))

    def close(self) -> None:
        self.abandon(restart=False)


# -- the server --------------------------------------------------------------------------------------------

LIVE_JS = (TEMPLATES / "serve" / "live.js").read_text(encoding="utf-8")
PREVIEW_HTML = (TEMPLATES / "serve" / "preview.html").read_text(encoding="utf-8")


def inject(page: str, key: str, generation: int) -> str:
    """The reload script, told which build the page comes from."""
    tag = (f'<script src="{LIVE_SCRIPT}" data-key="{html.escape(key)}" data-generation="{generation}" '
           'defer></script>')
    at = page.rfind("</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def preview_page(state: State, folder: Path) -> str:
    """Every previewed product with its page images (the files pdftoppm wrote, in page order)."""
    rows = []
    for product in state.products:
        stem, label = product["stem"], html.escape(product["label"])
        images = "".join(
            f'<img src="/__preview/img/{urllib.parse.quote(stem)}/{image.name}?v={product.get("version", "")}" '
            f'alt="{label}, page {number}" loading="lazy">'
            for number, image in enumerate(sorted((folder / stem).glob("page-*.png")), 1))
        note = f'<p class="note">{html.escape(product["note"])}</p>' if product.get("note") else ""
        rows.append(f'<section id="{html.escape(stem)}"><h2>{html.escape(product["title"])} — {label} '
                    f'<small>{product["pages"]} pages</small></h2>{note}<div class="pages">{images}</div></section>')
    if state.unpublished:
        items = "".join(
            f'<li>{html.escape(entry["title"])} <small>({html.escape(entry["location"])})</small>: '
            + " · ".join(f'<a href="{html.escape(href)}" hreflang="{html.escape(code)}">{html.escape(code)}</a>'
                         for code, href in entry["pages"]) + "</li>"
            for entry in state.unpublished)
        rows.insert(0, '<section id="unpublished"><h2>Not published: templates <small>shown here only, never on the '
                    f'site, in a pack or in the search</small></h2><ul>{items}</ul></section>')
    if state.products:  # a way to each product without scrolling past the others' pages
        links = " · ".join(f'<a href="#{html.escape(product["stem"])}">{html.escape(product["title"])} '
                           f'{html.escape(product["label"])}</a>' for product in state.products)
        rows.insert(0, f'<nav aria-label="Products">{links}</nav>')
    body = "".join(rows) or "<p>The preview is being made…</p>"
    return inject(PREVIEW_HTML.replace("{body}", body), "preview", state.preview)


def handler_for(builder: Builder):
    state = builder.state

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(builder.site), **kwargs)

        def log_message(self, format, *args):  # noqa: A002  the terminal is for the build's messages
            pass

        def send_body(self, body: bytes, content_type: str, status: int = 200, cache: str = "no-store") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):  # noqa: N802
            self.do_GET()

        def do_GET(self):  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(url.path)
            if path == LIVE_SCRIPT:
                return self.send_body(LIVE_JS.encode(), "text/javascript; charset=utf-8")
            if path == WAIT_PATH:
                return self.wait(urllib.parse.parse_qs(url.query))
            if path == PREVIEW_PATH:
                state.viewed = "preview"  # the print preview is looked at: its products before any language's
                return self.send_body(preview_page(state, builder.preview_dir).encode(), "text/html; charset=utf-8")
            if path.startswith(PREVIEW_PATH + "img/"):  # named by the version of their PDF: kept by the browser
                versioned = "v" in urllib.parse.parse_qs(url.query)
                return self.file(builder.preview_dir, path[len(PREVIEW_PATH + "img/"):],
                                 "max-age=31536000, immutable" if versioned else "no-store")
            if path.endswith("/sw.js"):
                return self.send_body(b"not served in the preview", "text/plain", 404)
            first = path.strip("/").split("/", 1)[0]
            if first in {lang.code for lang in builder.languages}:
                state.viewed = first
            target = builder.site / path.lstrip("/")
            if target.is_dir():
                if not path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", path + "/")
                    self.end_headers()
                    return None
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                key = first if first in {lang.code for lang in builder.languages} else "root"
                page = inject(target.read_text(encoding="utf-8"), key, state.built.get(key, 0))
                return self.send_body(page.encode("utf-8"), "text/html; charset=utf-8")
            return super().do_GET()

        def file(self, folder: Path, relative: str, cache: str):
            target = (folder / relative).resolve()
            if not target.is_relative_to(folder.resolve()) or not target.is_file():
                return self.send_body(b"not found", "text/plain", 404)
            return self.send_body(target.read_bytes(), self.guess_type(str(target)), cache=cache)

        def wait(self, query):
            """Answers when a build newer than ``since`` has ended, or after a while with the same state."""
            since = int(query.get("since", ["-1"])[0] or -1)
            deadline = time.monotonic() + WAIT_SECONDS
            with state.changed:
                while state.generation <= since and time.monotonic() < deadline:
                    state.changed.wait(deadline - time.monotonic())
                snapshot = state.snapshot()
            self.send_body(json.dumps(snapshot).encode(), "application/json")

        def end_headers(self):
            if not self._headers_buffer or b"Cache-Control" not in b"".join(self._headers_buffer):
                self.send_header("Cache-Control", "no-store")
            super().end_headers()

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """A reader who leaves before the answer is complete is not an error worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def watched(paths) -> list[Path]:
    return [p for p in (paths.content, paths.locales, TEMPLATES, web.base_config(paths.root)) if p.exists()]


def relevant(change: tuple, path: str) -> bool:
    name = posixpath.basename(path)
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp", ".mo")) or "__pycache__" in path)


def serve(paths, host: str = "127.0.0.1", port: int = 8000, languages: tuple[Language, ...] = LANGUAGES,
          preview: bool = True, ready=None, stop: threading.Event | None = None, log=print) -> None:
    """Build, serve and watch until ``stop`` is set, Ctrl-C or SIGTERM."""
    import watchfiles

    stop = stop or threading.Event()
    state = State()
    httpd = Server((host, port), None)
    port = httpd.server_address[1]
    builder = Builder(paths, state, f"http://{host}:{port}/", languages, preview, log)
    httpd.RequestHandlerClass = handler_for(builder)
    dirty = threading.Event()
    dirty.set()
    builder.interrupted = dirty.is_set
    builder.stopping = stop

    def build_loop():
        background(5)  # the editor, the browser and the server's answers come before the build
        while not stop.is_set():
            if not dirty.wait(0.2):
                continue
            dirty.clear()
            builder.build()

    threads = [threading.Thread(target=httpd.serve_forever, name="serve", daemon=True),
               threading.Thread(target=build_loop, name="build", daemon=True)]
    for thread in threads:
        thread.start()
    log(f"serving http://{host}:{port}/ (print preview: http://{host}:{port}{PREVIEW_PATH}); "
        f"watching content/, locales/, the templates and {web.CONFIG_FILE}; Ctrl-C to stop")
    if ready:
        ready(port)
    # a process manager's SIGTERM stops it as Ctrl-C does (in the main thread only: tests run it in another)
    terminate = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set()) if terminate else None
    try:
        for changes in watchfiles.watch(*watched(paths), watch_filter=relevant, stop_event=stop,
                                        debounce=400, step=30, raise_interrupt=True):
            names = sorted({os.path.relpath(path, paths.root) for _, path in changes})
            log(f"changed: {', '.join(names)}")
            dirty.set()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if terminate:
            signal.signal(signal.SIGTERM, previous)
        httpd.shutdown()
        httpd.server_close()
        threads[1].join(timeout=30)
        builder.close()
        with contextlib.suppress(OSError):
            shutil.rmtree(builder.root / "next")
        log("stopped")
