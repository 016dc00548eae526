"""The command line: arguments in, exit status out. The work happens elsewhere."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path

from jinja2 import TemplateError

from . import __version__
from .errors import Diagnostic, Location, OutreachError, display_path


def _paths(args):
    from .build import Paths

    return Paths(Path(args.root).resolve())


def _site_languages(args):
    """The languages asked for with --language, Vietnamese (the source) always first."""
    from .languages import LANGUAGES, get

    languages = tuple(get(code) for code in args.languages) if args.languages else LANGUAGES
    if languages[0] is not LANGUAGES[0]:
        languages = (LANGUAGES[0], *[lang for lang in languages if lang is not LANGUAGES[0]])
    return languages


def cmd_build(args) -> int:
    from .build import build
    from .progress import for_stream

    languages = _site_languages(args)
    result = build(_paths(args), site_url=args.site_url, languages=languages, progress=for_stream(sys.stderr))
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    for code, count in result.fallbacks.items():
        if count:
            print(f"{code}: {count} texts are not translated yet and show in Vietnamese with a notice",
                  file=sys.stderr)
    root = _paths(args).out
    print(f"built the site in {', '.join(result.languages)} ({result.sites_rendered} rendered, "
          f"{result.sites_reused} unchanged) → {display_path(root / 'site')}")
    print(f"built {len(result.pdfs)} PDFs ({result.pdfs_rendered} rendered, {result.pdfs_reused} unchanged)"
          f" → {display_path(root / 'pdf')}")
    print(f"built {len(result.packs)} printer packs ({len(result.packs) - result.packs_reused} checked, "
          f"{result.packs_reused} unchanged), all passing preflight → {display_path(root / 'packs')}")
    for filename, count in result.blocked.items():
        print(f"not printed: {filename} ({count} entries untranslated or fuzzy)", file=sys.stderr)
    for filename, edition in result.kept.items():
        print(f"kept: {filename} of {edition.isoformat()} stays on the site, marked as an earlier edition, until "
              "its translation is complete", file=sys.stderr)
    print(f"done in {result.seconds:.1f} s")
    return 0


def cmd_serve(args) -> int:
    from .serve import serve

    serve(_paths(args), host=args.host, port=args.port, languages=_site_languages(args),
          preview=not args.no_preview, log=lambda message: print(message, flush=True))
    return 0


def cmd_check(args) -> int:
    from . import release
    from .build import site_url_of
    from .validate import load_project

    paths = _paths(args)
    project = load_project(paths.content)
    if any(release.printed(doc) and doc.status.state == "approved" for doc in project.documents):
        unreleasable = release.check_site_url(project, site_url_of(paths), paths.site_yaml)
        if unreleasable:
            raise OutreachError(unreleasable)
    print(f"content is valid: {len(project.documents)} documents, {len(project.texts())} texts, "
          f"{len(project.facts)} facts, {len(project.glossary)} glossary terms")
    return 0


def _template(paths):
    from .i18n import catalogs
    from .render.common import TEMPLATES
    from .validate import load_project

    return catalogs.extract(load_project(paths.content), TEMPLATES, paths.root)


def cmd_extract(args) -> int:
    from .i18n import catalogs

    paths = _paths(args)
    template = _template(paths)
    target = catalogs.template_path(paths.locales)
    changed = catalogs.write_if_changed(target, catalogs.render_po(template))
    print(f"{'wrote' if changed else 'unchanged'} {display_path(target)} ({len(template)} messages)")
    return 0


def cmd_update(args) -> int:
    from .i18n import catalogs
    from .languages import TARGETS, get

    paths = _paths(args)
    languages = tuple(get(code) for code in args.languages) if args.languages else TARGETS
    result = catalogs.update(paths.locales, _template(paths), languages)
    for path in result.written:
        print(f"updated {display_path(path)}")
    if not result.written:
        print("catalogs are up to date")
    return 0


def cmd_i18n_check(args) -> int:
    from .i18n.checks import check_catalogs
    from .languages import TARGETS, get
    from .validate import load_project

    paths = _paths(args)
    languages = tuple(get(code) for code in args.languages) if args.languages else TARGETS
    diagnostics = check_catalogs(load_project(paths.content), paths.locales, languages)
    for diagnostic in diagnostics:
        print(diagnostic.format())
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    print(f"{errors} errors, {warnings} warnings in {', '.join(lang.code for lang in languages)}")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_compile(args) -> int:
    from .i18n import catalogs

    for path in catalogs.compile_catalogs(_paths(args).locales):
        print(f"compiled {display_path(path)}")
    return 0


def cmd_status(args) -> int:
    from .i18n import catalogs
    from .languages import TARGETS

    paths = _paths(args)
    table = {}
    for language in TARGETS:
        path = catalogs.po_path(paths.locales, language)
        if not path.exists():
            table[language.code] = {}
            continue
        table[language.code] = catalogs.status(catalogs.read_catalog(path, language.catalog))
    complete = all(rows.get("all") and rows["all"].complete for rows in table.values())
    if args.json:
        data = {lang: {group: {**vars(c), "total": c.total, "percent": round(c.percent(), 1)}
                       for group, c in rows.items()} for lang, rows in table.items()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        header = f"{'language':<9} {'document':<22} {'done':>6} {'fuzzy':>6} {'todo':>6} {'obsolete':>8} {'words':>7}"
        print(header)
        print("-" * len(header))
        for lang, rows in table.items():
            if not rows:
                print(f"{lang:<9} (no catalog: run outreach i18n update)")
            for group, c in rows.items():
                print(f"{lang:<9} {group:<22} {c.translated:>6} {c.fuzzy:>6} {c.untranslated:>6} "
                      f"{c.obsolete:>8} {c.words_translated:>7}")
    if args.check and not complete:
        print("not complete: some entries are fuzzy or untranslated", file=sys.stderr)
        return 1
    return 0


def _contact_blanks(paths) -> tuple[str, ...]:
    """The texts printed where a contact is missing, from the project's catalogs (none outside a project)."""
    from .build import contact_blanks, localizers_for
    from .validate import load_project

    if not paths.content.is_dir():
        return ()
    try:
        project = load_project(paths.content)
        return contact_blanks(localizers_for(project, paths))
    except OutreachError:
        return ()


def cmd_preflight(args) -> int:
    from . import pack, preflight

    path = Path(args.path)
    folder = path if path.is_dir() else None
    if folder is not None:
        presses = sorted(folder.glob("*.press.pdf"))
        if not presses:
            raise OutreachError(Diagnostic(Location(display_path(folder)), "no *.press.pdf in this folder",
                                           "preflight.input", hint="give a printer pack folder or a PDF"))
    else:
        presses = [path]
    # the pack's manifest says what the product is and whether it is still a draft
    manifest_file = (folder or path.parent) / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.exists() else {}
    kind = args.product or manifest.get("kind") \
        or next((k for k in pack.PRODUCTS if path.name.startswith(k + "-")), None)
    if kind is None:
        raise OutreachError(Diagnostic(Location(display_path(path)), "cannot tell which product this is",
                                       "preflight.input", hint="pass --product leaflet, handbook or course"))
    spec = pack.PRODUCTS[kind].spec
    blanks = _contact_blanks(_paths(args))
    failed = False
    for press in presses:
        companions = sorted(p for p in folder.glob("*.pdf") if p.name != press.name) if folder else []
        report = preflight.preflight(press, spec, shown=press.name, status=manifest.get("status"),
                                     companions=companions, blanks=blanks)
        print(report.text(), end="")
        if folder is not None:
            (folder / "preflight.txt").write_text(report.text(), encoding="utf-8")
        failed = failed or not report.passed
    return 1 if failed else 0


def cmd_proofsheet(args) -> int:
    from .languages import LANGUAGES, get
    from .proofsheet import write_proofsheets

    paths = _paths(args)
    languages = tuple(get(code) for code in args.languages) if args.languages else LANGUAGES
    target = Path(args.out) if args.out else paths.out / "proofsheets"
    edition = ""
    site = paths.content / "site.yaml"
    if site.exists():
        import yaml

        edition = str((yaml.safe_load(site.read_text(encoding="utf-8")) or {}).get("edition", ""))
    written = write_proofsheets(paths.out / "packs", target, languages, edition)
    for path in written:
        print(f"wrote {display_path(path)}")
    if not written:
        print("no printed products in these languages", file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="outreach",
        description="Publish outreach material in Vietnamese, English, Korean, Chinese and Japanese "
                    "from the Vietnamese sources in content/.")
    top.add_argument("--version", action="version", version=f"outreach {__version__}")
    top.add_argument("--root", default=".", help="the project folder (default: the current folder)")
    top.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site and the PDFs into build/",
                                description="Validate the content, then build the five-language site into "
                                            "build/site and the PDFs into build/pdf. On any error the "
                                            "previous output is left as it was.")
    build.add_argument("--site-url", help="the address the site is published at (default: url in content/site.yaml)")
    build.add_argument("--language", dest="languages", action="append", metavar="CODE",
                       help="build only this language (and Vietnamese), leaving the other languages' outputs as they are; "
                            "repeatable")
    build.set_defaults(func=cmd_build)

    serve = commands.add_parser(
        "serve", help="preview the site and the print products while you edit",
        description="Build the site into build/serve, serve it on localhost and rebuild what a change to "
                    "content/, locales/, the templates or the site's base configuration touches; the open page "
                    "reloads by itself. "
                    "Errors show over the last good page. Leaflets and handbooks are previewed page by page at "
                    "/__preview/. Ctrl-C stops it.")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0 picks a free one)")
    serve.add_argument("--language", dest="languages", action="append", metavar="CODE",
                       help="build only this language (and Vietnamese); repeatable")
    serve.add_argument("--no-preview", action="store_true", help="do not make the print preview")
    serve.set_defaults(func=cmd_serve)

    check = commands.add_parser("check", help="validate the content and report every error",
                                description="Read content/ and report every error with its file, line and column.")
    check.set_defaults(func=cmd_check)

    check_print = commands.add_parser(
        "preflight", help="check a press PDF or a printer pack as a printer would",
        description="Check every page of a press PDF: TrimBox and BleedBox, MediaBox at the origin, page count, an "
                    "output intent naming a registered printing condition that fits the paper, no annotations, no "
                    "unused colour spaces, embedded fonts, no DeviceRGB, total ink, smallest text, image resolution, "
                    "and for leaflets the folds and safe zone. Unless the pack's manifest says the document is a "
                    "draft, also that no QR code or printed URL leads to a placeholder host and no contact is blank. "
                    "For a pack folder, checks the fonts of every PDF in it and writes preflight.txt into it. "
                    "Exit 1 on any error.")
    check_print.add_argument("path", help="a *.press.pdf file or a folder under build/packs/")
    check_print.add_argument("--product", choices=["leaflet", "handbook", "course"],
                             help="what the PDF is (default: from the pack's manifest or the file name)")
    check_print.set_defaults(func=cmd_preflight)

    proofsheet = commands.add_parser(
        "proofsheet", help="write a review sheet per language: every page of every printed product",
        description="For each language, write one PDF with every page of every printed product in that language "
                    "(handbooks as reading spreads, leaflets outside and inside), each labelled with its product "
                    "and page, and each product with its titles, status and printing condition, so that the Board "
                    "can review a whole edition before approving it. Reads the printer packs in build/packs "
                    "(run 'outreach build' first); a leaflet counts under its second language.")
    proofsheet.add_argument("--out", metavar="DIR", help="where to write (default: build/proofsheets)")
    proofsheet.add_argument("--language", dest="languages", action="append", metavar="CODE",
                            help="only this language; repeatable")
    proofsheet.set_defaults(func=cmd_proofsheet)

    i18n = commands.add_parser("i18n", help="translation catalogs: extract, update, compile, status",
                               description="Work with the gettext catalogs in locales/.")
    sub = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    extract = sub.add_parser("extract", help="write locales/messages.pot from the content and templates",
                             description="Write locales/messages.pot from the content and the templates.")
    extract.set_defaults(func=cmd_extract)
    update = sub.add_parser("update", help="extract, then merge into every language's .po (keeps translations)",
                            description="Extract, then merge the template into each locales/<lang>/LC_MESSAGES/"
                                        "messages.po. Changed texts are marked fuzzy with the previous source kept; "
                                        "removed ones are kept as obsolete. No translation is dropped.")
    update.add_argument("--language", dest="languages", action="append", metavar="CODE",
                        help="update only this language; repeatable")
    update.set_defaults(func=cmd_update)
    check_i18n = sub.add_parser(
        "check", help="run the translation checks (placeholders, markup, glossary, script, length …)",
        description="Check every translated entry: placeholders, markup and links, glossary terms, copies of the "
                    "Vietnamese, script, leaflet space, white space and punctuation. Exit 1 on errors.")
    check_i18n.add_argument("--language", dest="languages", action="append", metavar="CODE",
                            help="check only this language; repeatable")
    check_i18n.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check_i18n.set_defaults(func=cmd_i18n_check)
    compile_ = sub.add_parser("compile", help="compile .po files to .mo (build products, not committed)",
                              description="Compile each catalog to a .mo file beside it; fuzzy entries are left out.")
    compile_.set_defaults(func=cmd_compile)
    status = sub.add_parser("status", help="translated, fuzzy and untranslated entries per language and document",
                            description="Count translated, fuzzy, untranslated and obsolete entries per language "
                                        "and document.")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.add_argument("--check", action="store_true", help="exit 1 unless every catalog is complete")
    status.set_defaults(func=cmd_status)
    return top


def _unexpected(args, exc: BaseException) -> str:
    """One line for an exception that is not a diagnostic: what failed, and how to see more."""
    command = " ".join(part for part in (getattr(args, "command", None), getattr(args, "i18n_command", None)) if part)
    where = ""
    tb = exc.__traceback__
    while tb is not None:  # the innermost frame of our own code
        if "/outreach/" in tb.tb_frame.f_code.co_filename:
            where = f" (in {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno})"
        tb = tb.tb_next
    return (f"error: outreach {command} failed: {type(exc).__name__}: {exc}{where} [internal]\n"
            f"  help: this is a bug or an input we do not check yet; run 'outreach --debug {command} …' for the "
            "traceback and report it")


def _os_error(exc: OSError) -> str:
    """A file the command could not read or write, as a located error."""
    path = exc.filename or ""
    what = {errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.EROFS: "read-only file system",
            errno.ENOSPC: "no space left on the device"}.get(exc.errno, exc.strerror or str(exc))
    hint = ("check that you may write to the project's build/ folder (ls -ld build), or copy the project "
            "somewhere you may write" if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else
            "free some space and build again" if exc.errno == errno.ENOSPC else "check the path")
    shown = display_path(path) if path else "outreach"
    verb = "find" if exc.errno == errno.ENOENT else "write" if "build" in Path(path).parts else "read"
    if verb == "read" and exc.errno in (errno.EACCES, errno.EPERM):
        hint = "check that you may read the project's files (ls -l), or run as their owner"
    return f"{shown}: error: cannot {verb} this: {what} [io]\n  help: {hint}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if getattr(args, "root", None) is not None and (Path(args.root) / "content").is_dir():
            from . import languages

            languages.configure(Path(args.root) / "content")  # --language names one of the project's languages
        status = args.func(args)
        sys.stdout.flush()  # here, where a closed pipe is handled, not at exit
        return status
    except OutreachError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    except TemplateError as exc:  # a template used outside a render (a macro called from the code), as any input
        if args.debug:
            raise
        from .render.common import template_diagnostic

        print(template_diagnostic(exc).format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader of our output went away (outreach i18n status | head): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        if args.debug:
            raise
        print(_os_error(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last wall: one line, not a traceback
        if args.debug:
            raise
        print(_unexpected(args, exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
