"""The site in a real browser: Debian's Chromium driven by Playwright, the site served on 127.0.0.1."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from outreach.languages import LANGUAGES
from outreach.validate import load_project

playwright = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANGS = [lang.code for lang in LANGUAGES]  # the bundled project's, content/languages.yaml

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, served_site):
    """A fresh browser context (its own storage and service workers) that records every request."""
    context = browser.new_context(viewport={"width": 412, "height": 860})
    tab = context.new_page()
    tab.requests = []
    context.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


def assert_local(requests):
    hosts = {urlsplit(url).hostname for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1"}, hosts


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, as the search compares words."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def open_search(page, query: str):
    page.click("label[for=__search]")
    field = page.locator("input.md-search__input")
    field.fill(query)
    # the theme reads the query on keyup (which typing gives, and fill() does not) or when its worker is ready
    field.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.locator(".md-search-result__item")


def test_switcher_keeps_the_page_and_its_anchor(page, served_site):
    base, _ = served_site
    page.goto(f"{base}vi/handbooks/so-tay/vao-dang/#cac-buoc")
    page.click(".md-header__option .md-select button")
    page.click("a.md-select__link[hreflang=ko]")
    page.wait_for_url(re.compile(r"/ko/handbooks/so-tay/vao-dang/#cac-buoc$"))
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h2#cac-buoc").count() == 1
    assert_local(page.requests)


@pytest.mark.parametrize("lang, query, expected", [
    ("vi", "ket nap dang vien", "kết nạp đảng viên"),
    ("vi", "kết nạp đảng viên", "kết nạp đảng viên"),
    ("vi", "Viet Nam", "Việt Nam"),
    ("zh-Hans", "工会", "工会"),
    ("ja", "労働組合", "労働組合"),
    ("ko", "노동조합", "노동조합"),
])
def test_search_finds_words_as_people_type_them(page, served_site, lang, query, expected):
    base, _ = served_site
    page.goto(f"{base}{lang}/")
    open_search(page, query)
    page.wait_for_timeout(300)
    links = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    assert links and all(f"/{lang}/" in link for link in links)  # results never mix languages
    # the best result is a page that has every word searched for, as written in the language
    page.goto(links[0].split("?")[0])
    text = fold(page.locator("article").inner_text())
    assert all(word in text for word in fold(expected).split()), (links[0], expected)
    assert_local(page.requests)


def test_vietnamese_search_gives_the_same_results_with_or_without_diacritics(page, served_site):
    base, _ = served_site
    found = []
    for query in ("kết nạp đảng viên", "ket nap dang vien"):
        page.goto(f"{base}vi/")
        open_search(page, query)
        page.wait_for_timeout(300)
        found.append(page.eval_on_selector_all(".md-search-result__link",
                                               "els => els.map(e => e.href.split('?')[0])"))
    assert found[0] and found[0][:5] == found[1][:5]


def test_search_index_loads_only_when_search_is_opened(page, served_site):
    base, _ = served_site
    page.goto(f"{base}en/handbooks/so-tay/hoi-dap/")
    page.wait_for_load_state("networkidle")
    assert not any("search_index.json" in url for url in page.requests)
    open_search(page, "union")
    assert any("search_index.json" in url for url in page.requests)


def test_quiz_is_scored_and_progress_survives_a_reload(page, served_site):
    base, _ = served_site
    url = f"{base}en/courses/awareness/awareness-1/"
    page.goto(url)
    questions = page.locator("form.quiz fieldset.question")
    count = questions.count()
    assert 4 <= count <= 6
    for index in range(count):
        fieldset = questions.nth(index)
        correct = fieldset.get_attribute("data-correct").split()
        for choice in correct:
            fieldset.locator(f"input[value={choice}]").check()
        if fieldset.get_attribute("data-multiple") == "true":
            fieldset.locator("button.check").click()
        feedback = fieldset.locator(".feedback")
        assert feedback.is_visible() and "right" in feedback.get_attribute("class")
    def expected(attribute, **values):
        template = page.locator("form.quiz").get_attribute(attribute)
        return re.sub(r"%\((\w+)\)s", lambda m: str(values[m.group(1)]), template)

    score = page.locator("form.quiz .score")
    assert score.inner_text() == expected("data-final", right=count, total=count)
    # a wrong answer says so, with the explanation
    page.click("form.quiz button.reset")
    first = questions.nth(0)
    wrong = [c for c in first.locator("input").evaluate_all("els => els.map(e => e.value)")
             if c not in first.get_attribute("data-correct").split()][0]
    first.locator(f"input[value={wrong}]").check()
    if first.get_attribute("data-multiple") == "true":
        first.locator("button.check").click()
    assert "wrong" in first.locator(".feedback").get_attribute("class")

    page.reload()
    assert page.locator("form.quiz .best").inner_text() == expected("data-best", best=count, total=count)
    page.goto(f"{base}en/courses/awareness/")
    done = page.locator("ol.modules li[data-module=awareness-1] .progress-done")
    template = page.locator("ol.modules").get_attribute("data-done")
    assert done.count() == 1
    assert done.inner_text() == template.replace("%(best)s", str(count)).replace("%(total)s", str(count))
    assert page.locator("ol.modules li[data-module=awareness-2] .progress-done").count() == 0
    assert_local(page.requests)


def test_answers_are_readable_without_javascript(browser, served_site):
    base, _ = served_site
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{base}vi/courses/new-member/new-member-1/")
    tab.locator("details.answer summary").first.click()
    assert tab.locator("details.answer .explanation").first.is_visible()
    context.close()


def test_pages_reload_with_the_network_cut(page, served_site):
    base, _ = served_site
    page.goto(f"{base}ja/handbooks/so-tay/")
    # the service worker has answered: it keeps this page and what it loaded, and nothing more unasked
    page.wait_for_selector(".keep-offline:not([hidden])", timeout=15000)
    page.wait_for_timeout(500)
    page.context.set_offline(True)
    page.reload()
    assert "ja" == page.locator("html").get_attribute("lang")
    assert page.locator("h1").count() == 1
    page.context.set_offline(False)
    assert_local(page.requests)


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_accessibility_violations(page, served_site, lang):
    from axe_playwright_python.sync_playwright import Axe

    base, _ = served_site
    axe = Axe()
    for path in ("", "handbooks/so-tay/vao-dang/", "courses/awareness/awareness-2/", "glossary/",
                 "slides/quan-triet-de-an/", "courses/awareness/slides/"):
        page.goto(f"{base}{lang}/{path}")
        results = axe.run(page)
        serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], (lang, path, serious)
    assert_local(page.requests)


def test_offline_pack_opens_from_the_file_system_with_search(browser, served_site, tmp_path):
    import zipfile

    _, root = served_site
    with zipfile.ZipFile(root / "build/site/offline/outreach-vi.zip") as archive:
        archive.extractall(tmp_path)
    home = tmp_path / "outreach-vi" / "index.html"
    context = browser.new_context(viewport={"width": 1200, "height": 860})
    tab = context.new_page()
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    tab.goto(home.as_uri())
    tab.wait_for_timeout(1500)
    tab.locator("input.md-search__input").click()
    tab.keyboard.type("ket nap dang vien")
    tab.wait_for_selector(".md-search-result__item", timeout=15000)
    assert tab.locator(".md-search-result__item").count() >= 1
    # pages link to each other as files, and to the pack's own PDFs
    tab.goto((tmp_path / "outreach-vi/courses/awareness/index.html").as_uri())
    first = tab.eval_on_selector("ol.modules a", "e => e.href")
    assert first.endswith("/courses/awareness/awareness-1.html")
    tab.goto((tmp_path / "outreach-vi/handbooks/so-tay/index.html").as_uri())
    pdf = tab.eval_on_selector(".pdf-links a", "e => e.href")
    assert pdf.endswith("/outreach-vi/pdf/handbook-so-tay.vi.pdf") and Path(pdf[len("file://"):]).exists()
    assert all(url.startswith(("file://", "data:", "blob:", "about:")) for url in requests), \
        [u for u in requests if not u.startswith("file://")]
    context.close()


def complete_module(page, base, lang, module, course="awareness"):
    page.goto(f"{base}{lang}/courses/{course}/{module}/")
    questions = page.locator("form.quiz fieldset.question")
    for index in range(questions.count()):
        fieldset = questions.nth(index)
        for choice in fieldset.get_attribute("data-correct").split():
            fieldset.locator(f"input[value={choice}]").check()
        if fieldset.get_attribute("data-multiple") == "true":
            fieldset.locator("button.check").click()


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_cards_continue_with_the_next_module(page, served_site, lang):
    base, _ = served_site
    page.goto(f"{base}{lang}/")
    card = page.locator(".card.course[data-course=awareness]")
    assert card.locator(".course-progress").is_hidden()
    first = card.locator(".course-modules li").first.locator("a").get_attribute("href")
    assert card.locator("a.continue").get_attribute("href") == first
    # the handbook's chapters, the owners' leaflet and the published stories (never a template) are there too
    assert page.locator(".card.handbook ol.chapters li").count() >= 6
    published = [doc for doc in load_project(REPO / "content").of_kind("story") if not doc.example]
    assert page.locator(".card.leaflet h3 a").count() >= 1
    assert page.locator(".card.story h3 a").count() == len(published)
    complete_module(page, base, lang, "awareness-1")
    complete_module(page, base, lang, "awareness-2")
    page.goto(f"{base}{lang}/")
    card = page.locator(".card.course[data-course=awareness]")
    total = card.locator(".course-modules li").count()
    progress = card.locator(".course-progress")
    assert progress.is_visible()
    assert progress.locator(".progress-text").inner_text() == card.get_attribute("data-progress") \
        .replace("%(done)s", "2").replace("%(total)s", str(total))
    assert progress.locator("progress").evaluate("e => e.value") == 2
    button = card.locator("a.continue")
    assert button.inner_text() == card.get_attribute("data-continue").replace("%(number)s", "3")
    button.click()
    page.wait_for_url(re.compile(rf"/{lang}/courses/awareness/awareness-3/$"))
    # the other course is untouched
    page.go_back()
    assert page.locator(".card.course[data-course=new-member] .course-progress").is_hidden()
    assert_local(page.requests)


def test_home_page_without_javascript_hides_progress_and_links_everything(browser, served_site):
    base, _ = served_site
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{base}vi/")
    assert tab.locator(".course-progress").first.is_hidden()
    assert tab.locator(".keep-offline").is_hidden()
    button = tab.locator(".card.course[data-course=new-member] a.continue")
    assert button.is_visible()
    button.click()
    tab.wait_for_url(re.compile(r"/vi/courses/new-member/new-member-1/$"))
    context.close()


def test_a_half_answered_quiz_survives_a_reload(page, served_site):
    base, _ = served_site
    page.goto(f"{base}ko/courses/new-member/new-member-2/")
    questions = page.locator("form.quiz fieldset.question")
    first, second = questions.nth(0), questions.nth(1)
    wrong = [c for c in first.locator("input").evaluate_all("els => els.map(e => e.value)")
             if c not in first.get_attribute("data-correct").split()][0]
    first.locator(f"input[value={wrong}]").check()
    if first.get_attribute("data-multiple") == "true":
        first.locator("button.check").click()
    for choice in second.get_attribute("data-correct").split():
        second.locator(f"input[value={choice}]").check()
    if second.get_attribute("data-multiple") == "true":
        second.locator("button.check").click()
    score = page.locator("form.quiz .score").inner_text()
    page.reload()
    assert first.locator(f"input[value={wrong}]").is_checked()
    assert first.get_attribute("data-answered") == "wrong" and second.get_attribute("data-answered") == "right"
    assert page.locator("form.quiz .score").inner_text() == score
    assert questions.nth(2).get_attribute("data-answered") is None
    # starting again forgets them
    page.click("form.quiz button.reset")
    page.reload()
    assert first.get_attribute("data-answered") is None


@pytest.mark.parametrize("lang", LANGS)
def test_search_box_speaks_the_page_language(page, served_site, lang):
    base, root = served_site
    page.goto(f"{base}{lang}/")
    meta = page.locator(".md-search-result__meta").inner_text().strip()
    assert meta and "Initializing" not in meta
    if lang != "vi":  # translated from the catalog, not the Vietnamese
        vi = (root / "build/site/vi/index.html").read_text(encoding="utf-8")
        assert meta not in vi


@pytest.mark.parametrize("lang", LANGS)
def test_phone_layout_header_title_and_headings(browser, served_site, lang):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(f"{base}{lang}/courses/awareness/awareness-2/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    # the site's name in the header is shown whole, on up to three lines, not cut off
    title = tab.locator(".md-header__topic").first.locator(".md-ellipsis")
    shown, whole = title.evaluate("""e => {
        const shown = e.getBoundingClientRect().height;
        e.style.webkitLineClamp = 'unset';
        const whole = e.getBoundingClientRect().height;
        e.style.webkitLineClamp = '';
        return [shown, whole];
    }""")
    assert whole <= shown + 1, (lang, shown, whole)
    # a one-line H1 takes one line: no line of its own for the hidden permalink mark
    tab.goto(f"{base}{lang}/glossary/")
    h1 = tab.locator("article h1")
    line = h1.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert h1.evaluate("e => e.getBoundingClientRect().height") < 1.5 * line
    # quiz questions sit inside their box
    tab.goto(f"{base}{lang}/courses/awareness/awareness-2/")
    for index in range(2):
        fieldset = tab.locator("form.quiz fieldset.question").nth(index)
        box = fieldset.bounding_box()
        legend = fieldset.locator("legend").bounding_box()
        assert legend["y"] > box["y"] + 2, (lang, legend, box)
    context.close()


LINES = """e => {  // each line of an element's text, as the browser laid it out
    const lines = [];
    let top = null;
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect || !rect.width) continue;
            if (top === null || rect.top > top + rect.height / 2) { lines.push(""); top = rect.top; }
            lines[lines.length - 1] += node.data[i];
        }
    }
    return lines.map(line => line.trim());
}"""


def test_japanese_titles_on_a_phone_break_between_phrases(browser, served_site):
    from outreach.render.linebreak import WJ, join_phrases

    base, _ = served_site
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(f"{base}ja/handbooks/so-tay/vao-dang/")
    lines = tab.locator(".md-header__topic").first.locator(".md-ellipsis").evaluate(LINES)
    title = "".join(lines)
    assert len(lines) > 1, lines  # the site's name takes two lines at this width: what the test is about
    pieces = join_phrases(title, "ja").split(WJ)  # BudouX's phrases, joined inside: where no line may break
    inside = {sum(map(len, pieces[:index])) for index in range(1, len(pieces))}
    inside -= {index + 1 for index, char in enumerate(title) if char in "・、。，："}  # after a mark: a break
    breaks = {sum(map(len, lines[:index])) for index in range(1, len(lines))}
    assert not inside & breaks, lines  # before: 企業における党組織・大衆団 | 体
    context.close()


def test_root_and_status_pages_have_icon_description_and_fit_a_phone(browser, served_site):
    base, _ = served_site
    # a browser asking for none of the site's languages stays on the page that lets the reader choose
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    tab = context.new_page()
    failed = []
    tab.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    for path in ("status/", ""):
        tab.goto(f"{base}{path}" if path else f"{base}index.html")
        icon = tab.eval_on_selector("link[rel=icon]", "e => e.href")
        assert tab.request.get(icon).status == 200
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360, path
    tab.goto(f"{base}index.html")
    assert tab.get_attribute("meta[name=description]", "content").strip()
    assert failed == []
    context.close()


FAKE_VOICES = """
(() => {
  const spoken = window.__spoken = [];
  const voices = %s;
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
    getVoices: () => voices, speak: (u) => spoken.push({ text: u.text, lang: u.lang }), cancel: () => {},
    addEventListener: () => {} } });
})();
"""


def test_read_aloud_is_offered_only_with_a_voice_for_the_page_language(browser, served_site):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 412, "height": 860})
    context.add_init_script(FAKE_VOICES % '[{"lang": "ja-JP", "name": "Japanese"}, {"lang": "en-US", "name": "English"}]')
    tab = context.new_page()
    tab.goto(f"{base}ko/handbooks/so-tay/vao-dang/")  # no Korean voice: no control
    assert tab.locator(".read-aloud").is_hidden()
    tab.goto(f"{base}ja/handbooks/so-tay/vao-dang/")
    button = tab.locator(".read-aloud button")
    assert button.is_visible()
    assert button.inner_text() == tab.get_attribute(".read-aloud", "data-read")
    button.click()
    spoken = tab.evaluate("window.__spoken")
    assert spoken and all(item["lang"] == "ja-JP" for item in spoken)
    assert spoken[0]["text"] == tab.locator("article h1").inner_text().strip()
    assert button.inner_text() == tab.get_attribute(".read-aloud", "data-stop")
    context.close()
    # the browser with no voice at all (headless Chromium here): no control
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{base}en/handbooks/so-tay/vao-dang/")
    tab.wait_for_timeout(300)
    assert tab.locator(".read-aloud").is_hidden()
    context.close()


def result_pages(page) -> list[str]:
    """The pages found, in order (the theme shows the first ten, more as the reader scrolls)."""
    return page.eval_on_selector_all(".md-search-result__item > a:first-child",
                                     "els => els.map(e => new URL(e.href).pathname)")


def test_search_ranks_the_phrase_and_matches_whole_syllables(page, served_site):
    base, _ = served_site
    page.goto(f"{base}vi/")
    open_search(page, "ket nap")
    page.wait_for_timeout(300)
    assert "/vi/handbooks/so-tay/vao-dang/" in result_pages(page)[:3]
    # every highlighted word is the syllable typed, never a longer word that starts with it
    marks = page.eval_on_selector_all(".md-search-result__item mark", "els => els.map(e => e.textContent)")
    assert marks and {fold(m) for m in marks} <= {"ket", "nap"}, set(marks)
    page.fill("input.md-search__input", "to")
    page.locator("input.md-search__input").press("End")
    page.wait_for_timeout(600)
    marks = page.eval_on_selector_all(".md-search-result__item mark", "els => els.map(e => e.textContent)")
    assert marks and {fold(m) for m in marks} == {"to"}, set(marks)


ALL_RESULTS = """async (query) => {
    const config = JSON.parse(document.getElementById("__config").textContent);
    const base = new URL(config.base + "/", location.href);
    const index = await (await fetch(new URL("search/search_index.json", base))).json();
    const worker = new Worker(new URL(config.search, location.href));
    return await new Promise((resolve) => {
        worker.onmessage = (event) => {
            if (event.data.type === 1) worker.postMessage({ type: 2, data: query });
            if (event.data.type === 3) resolve(event.data.data.items.map(
                (group) => new URL(group[0].location, base).pathname));
        };
        worker.postMessage({ type: 0, data: index });
    });
}"""


@pytest.mark.parametrize("lang, query, chapter", [
    ("ja", "労働組合", "doan-the"), ("zh-Hans", "工会", "doan-the"), ("ko", "노동조합", "doan-the"),
    ("ja", "党費", None), ("en", "party dues", None),
])
def test_search_finds_a_term_wherever_it_occurs(page, served_site, lang, query, chapter):
    base, root = served_site
    page.goto(f"{base}{lang}/")
    open_search(page, query)
    page.wait_for_timeout(300)
    found = result_pages(page)
    if chapter:
        assert f"/{lang}/handbooks/so-tay/{chapter}/" in found[:3]
    # every page whose text holds the term is found
    holding = set()
    for html in (root / "build/site" / lang).rglob("index.html"):
        article = html.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", article)
        if (query.lower() in text.lower()) and "/search/" not in str(html):
            holding.add("/" + html.parent.relative_to(root / "build/site").as_posix() + "/")
    # the list shows the first ten: ask the page's search worker for all it finds
    everything = page.evaluate(ALL_RESULTS, query)
    assert holding and holding <= set(everything), holding - set(everything)
