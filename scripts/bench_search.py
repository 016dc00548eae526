"""Does the search find the page a reader is looking for? Queries as workers and owners type them, each with
the pages that answer it; the search box of the built site is used in Debian's Chromium, as a reader uses it.

    .venv/bin/python scripts/bench_search.py [build/site] [--show]

Prints, per language, how often one of the expected pages is among the first three results (target: 95 % in
every language), and every query that misses; --show prints the first three results of every query. Exits
non-zero when a language is under the target.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET = 0.95

VAO_DANG = "handbooks/so-tay/vao-dang/"
DOAN_THE = "handbooks/so-tay/doan-the/"
TO_CHUC = "handbooks/so-tay/to-chuc/"
HOI_DAP = "handbooks/so-tay/hoi-dap/"
MUC_TIEU = "handbooks/so-tay/muc-tieu/"
VI_SAO = "handbooks/so-tay/vi-sao/"
OWNERS = "leaflets/owners/"
A1, A3, A4, A5 = (f"courses/awareness/awareness-{n}/" for n in (1, 3, 4, 5))
N1, N2, N3, N4, N5, N6 = (f"courses/new-member/new-member-{n}/" for n in range(1, 7))
GLOSSARY = "glossary/"

# (query, pages that answer it): the query as a reader types it, Vietnamese without diacritics as on a phone
# keyboard without a Vietnamese input method.
QUERIES: dict[str, list[tuple[str, set[str]]]] = {
    "vi": [
        ("ket nap dang vien", {VAO_DANG, A5, N1}),
        ("vao dang", {VAO_DANG, A5}),
        ("ket nap", {VAO_DANG, A5}),
        ("lam sao de vao dang", {VAO_DANG, A5}),
        ("cong doan", {DOAN_THE, TO_CHUC}),
        ("vao cong doan the nao", {DOAN_THE}),
        ("dang phi", {N4}),
        ("dong dang phi bao nhieu", {N4}),
        ("dang vien du bi", {N1, VAO_DANG}),
        ("chuyen sinh hoat dang", {N6}),
        ("lam ca co hoc duoc khong", {VAO_DANG, VI_SAO, HOI_DAP}),
        ("co ton tien khong", {HOI_DAP}),
        ("hoi phu nu", {DOAN_THE, TO_CHUC}),
        ("doan thanh nien", {DOAN_THE, TO_CHUC}),
        ("tinh ho tro doanh nghiep", {OWNERS}),
        ("nguoi gioi thieu", {VAO_DANG}),
        ("sinh hoat chi bo hang thang", {N3}),
        ("tu phe binh", {N4}),
        ("dieu le dang", {A4}),
        ("nhiem vu va quyen cua dang vien", {N2, A4}),
        ("doanh nghiep von nuoc ngoai", {HOI_DAP, OWNERS}),
        ("hoc truc tuyen", {HOI_DAP}),
        ("dang cong san viet nam la gi", {A1}),
        ("anh huong tien luong", {HOI_DAP}),
        ("chu doanh nghiep khong dong y", {HOI_DAP}),
        ("vi sao can to chuc dang trong doanh nghiep", {A3, OWNERS, VI_SAO}),
        ("dang vien o noi lam viec", {N5}),
    ],
    "en": [
        ("join the party", {VAO_DANG, A5}),
        ("how to join a trade union", {DOAN_THE}),
        ("party dues", {N4}),
        ("probationary member", {N1, VAO_DANG}),
        ("does it cost money", {HOI_DAP}),
        ("foreign-invested enterprise", {HOI_DAP, OWNERS}),
        ("shift work", {VAO_DANG, VI_SAO, HOI_DAP}),
        ("women's union", {DOAN_THE, TO_CHUC}),
        ("monthly cell meeting", {N3}),
        ("party charter", {A4}),
    ],
    "ko": [
        ("노동조합", {DOAN_THE, TO_CHUC}),
        ("입당", {VAO_DANG, A5}),
        ("당비", {N4}),
        ("예비 당원", {N1, VAO_DANG}),
        ("여성연맹", {DOAN_THE, TO_CHUC}),
        ("당헌", {A4}),
        ("교대 근무", {VAO_DANG, VI_SAO, HOI_DAP}),
        ("외국인 투자 기업", {HOI_DAP, OWNERS}),
    ],
    "zh-Hans": [
        ("工会", {DOAN_THE, TO_CHUC}),
        ("入党", {VAO_DANG, A5}),
        ("党费", {N4}),
        ("预备党员", {N1, VAO_DANG}),
        ("妇女会", {DOAN_THE, TO_CHUC}),
        ("党章", {A4}),
        ("外商投资企业", {HOI_DAP, OWNERS}),
        ("怎么加入工会", {DOAN_THE}),
    ],
    "ja": [
        ("労働組合", {DOAN_THE, TO_CHUC}),
        ("入党", {VAO_DANG, A5}),
        ("党費", {N4}),
        ("予備党員", {N1, VAO_DANG}),
        ("女性連合会", {DOAN_THE, TO_CHUC}),
        ("党規約", {A4}),
        ("外資系企業", {HOI_DAP, OWNERS}),
        ("労働組合に入るには", {DOAN_THE}),
    ],
}


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json"}

    def log_message(self, *args):
        pass


def top_pages(page, query: str) -> list[str]:
    """The pages of the first three results, as the search box shows them (relative to the language root)."""
    page.evaluate("""() => {
        const list = document.querySelector('.md-search-result__list');
        if (list) list.innerHTML = '';
        document.querySelector('.md-search-result__meta').textContent = '';
    }""")
    field = page.locator("input.md-search__input")
    field.fill(query)
    field.press("End")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.trim() !== ''",
                           timeout=15000)
    page.wait_for_timeout(150)
    links = page.eval_on_selector_all(".md-search-result__item > a:first-child",
                                      "els => els.slice(0, 3).map(e => e.href)")
    language_root = page.evaluate("() => new URL(__md_scope).href")
    return [link.split("?")[0].split("#")[0][len(language_root):] for link in links]


def run(site: Path, show: bool) -> dict[str, tuple[int, int, list]]:
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for lang, queries in QUERIES.items():
            context = browser.new_context(viewport={"width": 412, "height": 860}, service_workers="block")
            page = context.new_page()
            page.goto(f"{base}{lang}/")
            page.click("label[for=__search]")
            hits, misses = 0, []
            for query, expected in queries:
                found = top_pages(page, query)
                if expected & set(found):
                    hits += 1
                else:
                    misses.append((query, sorted(expected), found))
                if show:
                    print(f"{lang:8} {'ok ' if expected & set(found) else 'MISS'} {query!r:45} {found}")
            results[lang] = (hits, len(queries), misses)
            context.close()
        browser.close()
    server.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="build/site")
    parser.add_argument("--show", action="store_true", help="print the first three results of every query")
    args = parser.parse_args()
    results = run(Path(args.site), args.show)
    print(f"{'language':<10} {'queries':>7} {'top 3':>6} {'rate':>6}")
    for lang, (hits, total, _) in results.items():
        print(f"{lang:<10} {total:>7} {hits:>6} {hits / total:>6.0%}")
    for lang, (_, _, misses) in results.items():
        for query, expected, found in misses:
            print(f"miss {lang}: {query!r} expected one of {expected}, got {found}")
    return 0 if all(hits / total >= TARGET for hits, total, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
