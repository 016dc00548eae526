"""How long a build takes, beside the work it cannot avoid, in one run on this machine.

    .venv/bin/python scripts/bench_build.py [--no-scale]

On a copy of the bundled content and catalogs it measures (the clean build and the limit as medians of three
runs, taken in turn):
- the limit: WeasyPrint alone on the build's own print HTML (every printed product, each laid out once and
  written once: PDF/X-4 for the press products, tagged PDF for the screen-only slides and notes), and mkdocs
  alone on the build's own generated projects, as CPU seconds of a process that does only that, divided by
  the cores;
- a clean build (wall and CPU of the whole process tree, its peak memory), and its ratio to the limit;
- incremental builds after one change each (none; one sentence in a handbook chapter; one Korean msgstr;
  one glossary term; one comment in site.yaml), as seconds and as a share of the clean build; after each,
  the change is undone and the build brought back (not measured);
- a clean build of the content copied three times over (every document under three ids);
- the CPU time the clean build spends inside WeasyPrint and mkdocs (a second clean build, every call counted):
  the third-party work it does beside the limit's, and how long that alone would take over the cores.

The figures depend on what else the machine is doing: compare the ratios printed side by side, from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def cores() -> int:
    return len(os.sched_getaffinity(0))


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def run(command: list[str], cwd: Path, watch_memory: bool = False) -> dict:
    """Run a command; its wall time, the CPU time of its whole process tree, and its peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "CI": "1", "PYTHONPATH": str(REPO)})
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if watch_memory:
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{stdout}\n{stderr}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": peak, "stdout": stdout}


def build(root: Path, watch_memory: bool = False) -> dict:
    return run([PYTHON, "-m", "outreach", "build"], root, watch_memory)


def project_copy(folder: Path) -> Path:
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


WEASYPRINT_ALONE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import weasyprint
    folder = Path(sys.argv[1])
    for item in json.loads((folder / "jobs.json").read_text()):
        html = (folder / item["html"]).read_text()
        document = weasyprint.HTML(string=html, base_url=item["base"]).render()
        if item["tails"]:
            tail = (folder / item["tails"][(-(len(document.pages) + 1)) % 4]).read_text()
            back = weasyprint.HTML(string=tail, base_url=item["base"]).render()
            document = document.copy([*document.pages, *back.pages])
        document.write_pdf(folder / "out.pdf", pdf_variant=item["variant"])
""")

MKDOCS_ALONE = textwrap.dedent("""
    import logging, sys, tempfile
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from outreach import languages
    from outreach.render.web import _han_segmentation
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    languages.configure(sys.argv[1])  # the project's languages (content/languages.yaml)
    for config_file, code in zip(sys.argv[2::2], sys.argv[3::2]):
        with tempfile.TemporaryDirectory() as site, _han_segmentation(languages.get(code).segment_han):
            config = load_config(config_file=config_file, site_dir=site)
            build(config)
            config.plugins.on_shutdown()
""")

# A clean build run with the CPU time of every call into WeasyPrint (laying out, writing a PDF) and mkdocs
# (building a site) counted, in the build's process and in its workers (forked from it, so they count too):
# the third-party work the build does, beside the limit's one layout and one write of each document.
ACCOUNTED = textwrap.dedent("""
    import collections, json, os, sys, time
    import weasyprint, weasyprint.document
    import mkdocs.commands.build
    folder = sys.argv[1]
    active = []

    def counted(owner, name, label):
        original = getattr(owner, name)
        def call(*args, **kwargs):
            if active:  # inside another counted call (HTML.write_pdf lays out, then writes)
                return original(*args, **kwargs)
            active.append(label)
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                active.pop()
                with open(os.path.join(folder, f"{os.getpid()}.jsonl"), "a") as log:
                    log.write(json.dumps([label, time.thread_time() - started]) + "\\n")
        setattr(owner, name, call)

    counted(weasyprint.HTML, "render", "weasyprint")
    counted(weasyprint.HTML, "write_pdf", "weasyprint")
    counted(weasyprint.document.Document, "write_pdf", "weasyprint")
    counted(mkdocs.commands.build, "build", "mkdocs")
    from outreach.cli import main
    sys.exit(main(["build"]))
""")


def accounted(root: Path, scratch: Path) -> dict[str, float]:
    """CPU seconds of WeasyPrint and of mkdocs inside a clean build of ``root`` (the build's output is removed
    first, so that nothing comes from the cache)."""
    shutil.rmtree(root / "build", ignore_errors=True)
    scratch.mkdir()
    run([PYTHON, "-c", ACCOUNTED, str(scratch)], root)
    spent: dict[str, float] = {}
    for log in scratch.glob("*.jsonl"):
        for line in log.read_text().splitlines():
            label, seconds = json.loads(line)
            spent[label] = spent.get(label, 0.0) + seconds
    return spent


def limit(root: Path, scratch: Path) -> dict:
    """CPU seconds of WeasyPrint alone on the build's print HTML, and of mkdocs alone on its projects."""
    sys.path.insert(0, str(REPO))
    from outreach.build import Paths, blocked_entries, localizers_for
    from outreach.render import print as print_render
    from outreach.render import web
    from outreach.validate import load_project

    paths = Paths(root)
    project = load_project(paths.content)
    localizers = localizers_for(project, paths)
    html_dir = scratch / "html"
    html_dir.mkdir()
    jobs = []
    every = [(job, "pdf/x-4") for job in print_render.print_jobs(project)]  # the press products
    every += [(job, "pdf/ua-1") for job in print_render.print_jobs(project, press=False)]  # screen PDFs only
    for number, (job, variant) in enumerate(every):
        for lz in localizers.values():
            lz.fallbacks.clear()
            lz.missing_ui.clear()
        url = f"https://outreach.example.org/{job.web_language.code}/{web.page_url(web.page_path(job.document))}"
        source = print_render.print_html(job, project, localizers, url)
        if blocked_entries(job, localizers, paths):
            continue
        (html_dir / f"{number}.html").write_text(source.html)
        tails = []
        for index, tail in enumerate(source.tails):
            (html_dir / f"{number}.tail{index}.html").write_text(tail)
            tails.append(f"{number}.tail{index}.html")
        jobs.append({"html": f"{number}.html", "tails": tails, "base": str(root), "variant": variant})
    (html_dir / "jobs.json").write_text(json.dumps(jobs))
    weasy = run([PYTHON, "-c", WEASYPRINT_ALONE, str(html_dir)], root)
    projects = []
    for kind in ("web", "offline"):
        for config in sorted((root / "build/.work" / kind).glob("*/mkdocs.yml")):
            projects += [str(config), config.parent.name]
    mkdocs = run([PYTHON, "-c", MKDOCS_ALONE, str(root / "content"), *projects], root)
    return {"weasyprint": weasy["cpu"], "mkdocs": mkdocs["cpu"], "documents": len(jobs),
            "projects": len(projects) // 2, "limit": (weasy["cpu"] + mkdocs["cpu"]) / cores()}


def edit(path: Path, pattern: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, new, text, count=1)
    if not count:
        sys.exit(f"{path}: no match for {pattern!r}")
    path.write_text(changed, encoding="utf-8")
    return text


CHANGES = [
    ("one sentence (vi chapter)", "content/handbook/vao-dang.yaml", r"(\n  [^\n]*?)\.\n", r"\1 ngay.\n"),
    ("one msgstr (ko)", "locales/ko/LC_MESSAGES/messages.po", r'(msgctxt "chapter\.vao-dang:title"\nmsgid "[^"]*"\nmsgstr "[^"]*)"',
     r'\1 (1)"'),
    ("one glossary term (en)", "content/glossary.yaml", r"(\n    en: )([^\n]+)", r"\1\2s"),
    ("one comment (site.yaml)", "content/site.yaml", r"\A", "# a note from the editor\n"),
]


def triple(root: Path) -> None:
    """The content three times over, with its translations: every leaflet, handbook, chapter and story under
    three ids; every course with its modules three times (the course ids are fixed)."""
    sys.path.insert(0, str(REPO))
    from outreach.i18n import catalogs
    from outreach import languages

    TARGETS = [lang for lang in languages.configure(root / "content") if not lang.is_source]

    head = re.compile(r"^id: (\S+)\nkind: (\w+)", re.M)
    files = {path: head.search(path.read_text(encoding="utf-8")) for path in sorted((root / "content").rglob("*.yaml"))}
    files = {path: (m.group(1), m.group(2)) for path, m in files.items() if m}
    ids = {doc_id for doc_id, kind in files.values() if kind in ("leaflet", "handbook", "chapter", "story", "module")}
    modules: dict[str, int] = {}
    for path, (doc_id, kind) in files.items():
        if kind == "module":
            course = re.search(r"^course: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)
            modules[course] = modules.get(course, 0) + 1
    reference = re.compile(r"^(id|handbook): (\S+)$|^  - (\S+)$", re.M)
    for path, (doc_id, kind) in files.items():
        if kind not in ("leaflet", "handbook", "chapter", "story", "module"):
            continue
        text = path.read_text(encoding="utf-8")
        for copy in (2, 3):
            def rename(match, copy=copy):
                value = match.group(2) or match.group(3)
                if value not in ids:
                    return match.group(0)
                return f"{match.group(1)}: {value}-{copy}" if match.group(1) else f"  - {value}-{copy}"
            copied = reference.sub(rename, text)
            if kind == "module":
                course = re.search(r"^course: (\S+)$", text, re.M).group(1)
                copied = re.sub(r"^number: (\d+)$", lambda m: f"number: {int(m.group(1)) + (copy - 1) * modules[course]}",
                                copied, count=1, flags=re.M)
            path.with_name(f"{path.stem}-{copy}.yaml").write_text(copied, encoding="utf-8")
    for language in TARGETS:
        po = catalogs.po_path(root / "locales", language)
        catalog = catalogs.read_catalog(po)
        for message in list(catalog):
            kind_id = (message.context or "").split(":", 1)[0]
            if message.id and "." in kind_id and kind_id.split(".", 1)[1] in ids:
                for copy in (2, 3):
                    context = message.context.replace(kind_id, f"{kind_id}-{copy}", 1)
                    catalog.add(message.id, message.string, context=context, flags=message.flags,
                                auto_comments=message.auto_comments)
        po.write_bytes(catalogs.render_po(catalog))
    subprocess.run([PYTHON, "-m", "outreach", "i18n", "extract"], cwd=root, check=True, capture_output=True)


def worker_seconds(root: Path) -> dict[str, tuple[float, int]]:
    """The build's own record of each job's time, summed by the kind of job (print, site, cards, offline)."""
    timings = json.loads((root / "build" / ".cache" / "timings.json").read_text(encoding="utf-8"))
    stages: dict[str, tuple[float, int]] = {}
    for name, seconds in timings.items():
        stage = name.split(" ", 1)[0]
        total, count = stages.get(stage, (0.0, 0))
        stages[stage] = (total + seconds, count + 1)
    return dict(sorted(stages.items(), key=lambda item: -item[1][0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-scale", action="store_true", help="skip the build of the content three times over")
    parser.add_argument("--runs", type=int, default=3, help="clean builds and limits to take the medians of")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = project_copy(Path(tmp) / "project")
        cleans, bounds = [], []
        for number in range(args.runs):  # taken in turn, so that a drift in the machine's speed touches both
            shutil.rmtree(root / "build", ignore_errors=True)
            cleans.append(build(root, watch_memory=True))
            stages = worker_seconds(root)
            (Path(tmp) / f"limit-{number}").mkdir()
            bounds.append(limit(root, Path(tmp) / f"limit-{number}"))
        clean = {key: statistics.median(run[key] for run in cleans) for key in ("wall", "cpu")}
        clean["peak"] = max(run["peak"] for run in cleans)
        bound = {**bounds[0], **{key: statistics.median(run[key] for run in bounds)
                                 for key in ("weasyprint", "mkdocs", "limit")}}
        inside = accounted(root, Path(tmp) / "accounted")
        build(root)  # the output of a normal build again, for the incremental builds
        rows.append(("clean build", clean["wall"], clean["cpu"]))
        noop = build(root)
        rows.append(("no change", noop["wall"], noop["cpu"]))
        for label, name, pattern, new in CHANGES:
            original = edit(root / name, pattern, new)
            timed = build(root)
            rows.append((label, timed["wall"], timed["cpu"]))
            (root / name).write_text(original, encoding="utf-8")
            build(root)
        scaled = None
        if not args.no_scale:
            big = project_copy(Path(tmp) / "scaled")
            triple(big)
            scaled = build(big, watch_memory=True)
    print(f"{cores()} cores; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"medians of {args.runs} runs, a clean build and then the limit in turn; clean build / limit in each run: "
          + ", ".join(f"{run['wall']:.1f} / {lim['limit']:.1f} s = {run['wall'] / lim['limit']:.2f}×"
                      for run, lim in zip(cleans, bounds)))
    print(f"limit: WeasyPrint alone {bound['weasyprint']:.1f} s CPU on the same {bound['documents']} print HTML"
          f" + mkdocs alone {bound['mkdocs']:.1f} s CPU on the same {bound['projects']} generated projects,"
          f" over {cores()} cores = {bound['limit']:.1f} s")
    ratio = statistics.median(run["wall"] / lim["limit"] for run, lim in zip(cleans, bounds))
    print(f"clean build: {clean['wall']:.1f} s wall; {ratio:.2f}× the limit (the median of the runs' ratios); "
          f"{clean['cpu']:.1f} s CPU = {clean['cpu'] / (bound['weasyprint'] + bound['mkdocs']):.2f}× "
          f"WeasyPrint + mkdocs; peak memory of the process tree {clean['peak'] / 2**20:.0f} MB")
    print("where the clean build's workers spent their time (build/.cache/timings.json, seconds per job kind): "
          + ", ".join(f"{stage} {seconds:.1f} s ({count} jobs)" for stage, (seconds, count) in stages.items())
          + f"; the rest of the CPU, {clean['cpu'] - sum(s for s, _ in stages.values()):.1f} s, in the main process"
          " (loading, validating, the print HTML, publishing) and in subprocesses")
    floor = (inside.get("weasyprint", 0.0) + inside.get("mkdocs", 0.0)) / cores()
    print(f"inside a clean build (a second one, with every call counted): WeasyPrint {inside.get('weasyprint', 0):.1f}"
          f" s CPU, mkdocs {inside.get('mkdocs', 0):.1f} s CPU; that alone, over {cores()} cores, is {floor:.1f} s ="
          f" {floor / bound['limit']:.2f}× the limit (WeasyPrint's share above the limit's is the spacing trials, the"
          " proofs' labels and the share cards)")
    print()
    print(f"| {'build':<28} | {'wall s':>7} | {'of clean':>8} | {'CPU s':>7} | {'of clean':>8} |")
    print(f"| {'-' * 28} | {'-' * 6}: | {'-' * 7}: | {'-' * 6}: | {'-' * 7}: |")
    for label, wall, cpu in rows:
        print(f"| {label:<28} | {wall:7.1f} | {wall / clean['wall'] * 100:7.0f}% | {cpu:7.1f} | "
              f"{cpu / clean['cpu'] * 100:7.0f}% |")
    if scaled:
        print(f"| {'clean build, 3× content':<28} | {scaled['wall']:7.1f} | {scaled['wall'] / clean['wall'] * 100:7.0f}% | "
              f"{scaled['cpu']:7.1f} | {scaled['cpu'] / clean['cpu'] * 100:7.0f}% |")
        print(f"\n3× content: peak memory of the process tree {scaled['peak'] / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
