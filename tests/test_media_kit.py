"""A story's media kit: the newspaper article, the radio script (with its reading time and how to say its foreign
names) and the social post, on the story's page in every language and as files a newsroom pastes; and a template
story, which only the preview of ``outreach serve`` shows.

The fixture project has one published story, translated into every language with radio scripts whose length is
known, and one template story (``example: true``). Its radio scripts are 225 syllables in Vietnamese, 164 words
in English, 309 syllables in Korean, 256 characters in Chinese and 306 in Japanese, a figure counting one for each
digit: a little over a minute at each language's pace (content/languages.yaml), so 1 min 5 s, rounded up to 5 s.
"""

from __future__ import annotations

import html
import json
import re
import zipfile

import pytest

from outreach import speech
from outreach.build import Paths, build
from outreach.i18n import catalogs
from outreach.languages import LANGUAGES, get
from outreach.serve import Builder, State, preview_page

from .conftest import TRANSLATIONS, fill_catalogs, load_errors, write_project

RADIO_VI = "Công ty có {workers} lao động.\n\n" + " ".join(["Công nhân làm ca đêm."] * 43)

STORY = f"""\
id: may-thu
kind: story
status:
  state: draft
example: false
subject: enterprise
title: Công ty May Thử giữ chân người lao động
enterprise: Công ty May Thử
zone: Khu công nghiệp Thử
summary: Công đoàn và ban giám đốc họp mỗi tháng.
body: |
  **Về doanh nghiệp.** Công ty có {{workers}} lao động.

  - Công đoàn đối thoại với ban giám đốc.
  - Đảng viên giúp bạn cùng ca \\[mới\\].
radio: |
  {RADIO_VI.replace(chr(10), chr(10) + "  ")}
post: Công ty May Thử có {{workers}} lao động và một công đoàn mạnh.
pronunciations:
  - id: park
    name: Park Ji-hoon
    say: Pác Chi Hun
"""

TEMPLATE = """\
id: mau-dang-vien
kind: story
status:
  state: draft
example: true
subject: member
title: 'Bài mẫu — \\[Họ tên\\]: người đảng viên ở \\[Tên doanh nghiệp\\]'
enterprise: '\\[Tên doanh nghiệp\\]'
zone: '\\[Tên khu công nghiệp\\]'
member: '\\[Họ tên\\], \\[công việc\\]'
summary: 'Bài mẫu để điền: \\[Họ tên\\] làm \\[công việc\\].'
body: '\\[Câu chuyện\\].'
radio: 'Thưa quý thính giả. \\[Kịch bản\\].'
post: 'Gương đảng viên: \\[Họ tên\\].'
"""

# Each language's texts of the published story (the template's are stand-ins).
STORY_TEXTS = {
    "en": {
        "title": "May Thu keeps its workers", "enterprise": "May Thu Company", "zone": "Test Industrial Zone",
        "summary": "The union and the management meet every month.",
        "body": "**About the company.** The company has {workers} workers.\n\n"
                "- The union talks with the management.\n- Party members help \\[new\\] shift mates.",
        "radio": "The company has {workers} workers.\n\n" + " ".join(["Workers start the night shift."] * 31),
        "post": "May Thu has {workers} workers and a strong union.",
        "pronunciations.park.name": "Park Ji-hoon", "pronunciations.park.say": "PAHK jee-HOON",
    },
    "ko": {
        "title": "근로자를 지키는 마이투 회사", "enterprise": "마이투 회사", "zone": "시험 산업단지",
        "summary": "노동조합과 경영진이 매달 만납니다.",
        "body": "**회사 소개.** 회사에는 {workers}명의 근로자가 있습니다.\n\n"
                "- 노동조합이 경영진과 대화합니다.\n- 당원이 \\[새\\] 교대 동료를 돕습니다.",
        "radio": "회사에는 {workers}명의 노동자가 있습니다.\n\n" + " ".join(["야간 근무가 시작됩니다."] * 29),
        "post": "마이투 회사에는 {workers}명의 근로자와 든든한 노동조합이 있습니다.",
        "pronunciations.park.name": "박지훈", "pronunciations.park.say": "박-지-훈",
    },
    "zh_Hans": {
        "title": "美图公司留住员工", "enterprise": "美图公司", "zone": "试验工业区",
        "summary": "工会和管理层每月开会。",
        "body": "**公司简介。**公司有{workers}名员工。\n\n- 工会与管理层对话。\n- 党员帮助\\[新\\]同班工友。",
        "radio": "公司有{workers}名工人。\n\n" + "".join(["夜班开始了。"] * 49),
        "post": "美图公司有{workers}名员工和一个有力的工会。",
        "pronunciations.park.name": "朴智勋", "pronunciations.park.say": "朴智勋（piao zhi xun）",
    },
    "ja": {
        "title": "マイトゥ社、従業員を大切に", "enterprise": "マイトゥ社", "zone": "試験工業団地",
        "summary": "労働組合と経営陣が毎月話し合います。",
        "body": "**会社について。**会社には{workers}人の従業員がいます。\n\n"
                "- 労働組合が経営陣と対話します。\n- 党員が\\[新しい\\]同じシフトの仲間を助けます。",
        "radio": "会社には{workers}人の労働者がいます。\n\n" + "".join(["夜勤が始まる。"] * 48),
        "post": "マイトゥ社には{workers}人の従業員と頼れる労働組合があります。",
        "pronunciations.park.name": "パク・ジフン", "pronunciations.park.say": "パク・ジフン",
    },
}

FILES = ("may-thu.article.{lang}.txt", "may-thu.article.{lang}.html", "may-thu.radio.{lang}.txt",
         "may-thu.post.{lang}.txt")


def translations() -> dict:
    merged = {catalog: dict(texts) for catalog, texts in TRANSLATIONS.items()}
    for catalog, texts in STORY_TEXTS.items():
        merged.setdefault(catalog, {}).update({f"story.may-thu:{key}": value for key, value in texts.items()})
    return merged


@pytest.fixture(scope="module")
def media_project(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("media"), {"content/stories/may-thu.yaml": STORY,
                                                             "content/stories/mau-dang-vien.yaml": TEMPLATE})
    fill_catalogs(root, translations=translations())
    return root


@pytest.fixture(scope="module")
def media_build(media_project):
    build(Paths(media_project))
    return media_project


def ui(root, language, message: str, **variables) -> str:
    """A UI label as the fixture's catalog gives it in ``language``."""
    if language.is_source:
        return message % variables
    catalog = catalogs.read_catalog(catalogs.po_path(root / "locales", language), language.catalog)
    return catalog.get(message).string % variables


def section(page: str, anchor: str) -> str:
    """The part of a page from the heading with ``anchor`` to the next second-level heading."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start:end if end >= 0 else len(page)]


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def expected(language, key: str) -> str:
    """What the story's text ``key`` reads in ``language``, figures filled in, markup dropped."""
    source = {"title": "Công ty May Thử giữ chân người lao động", "summary": "Công đoàn và ban giám đốc họp mỗi tháng.",
              "post": "Công ty May Thử có {workers} lao động và một công đoàn mạnh.",
              "pronunciations.park.name": "Park Ji-hoon", "pronunciations.park.say": "Pác Chi Hun"}
    text = source[key] if language.is_source else STORY_TEXTS[language.catalog][key]
    return text.replace("{workers}", "71.383" if language.is_source else "71,383")


# ---------------------------------------------------------------- counting (pure)


def test_reading_time_counts_each_language_in_its_own_unit():
    assert speech.units("Công ty có 71.383 lao động, Kim Min-jun nói.", "syllables") == 13  # 5 digits, 8 syllables
    assert speech.units("노동조합은 71,383명 ABC 기업", "syllables") == 14  # Hangul blocks, digits, a Latin word
    assert speech.units("The union has 71,383 members.", "words") == 9
    assert speech.units("工会有71,383名工人。ABC公司", "characters") == 14
    assert speech.units("労働組合ーです。", "characters") == 7  # kana, the long-vowel mark, no punctuation
    vietnamese = get("vi")
    assert (vietnamese.speech_unit, vietnamese.speech_rate) == ("syllables", 220)
    assert speech.reading_seconds(" ".join(["ca"] * 220), vietnamese) == 60
    assert speech.reading_seconds(" ".join(["ca"] * 221), vietnamese) == 65  # rounded up to 5 s
    assert speech.reading_seconds("ca", vietnamese) == 5
    import dataclasses

    assert speech.reading_seconds("ca", dataclasses.replace(vietnamese, speech_rate=0)) is None


# ---------------------------------------------------------------- the published story


def test_the_story_page_carries_the_three_parts_in_every_language(media_build):
    for language in LANGUAGES:
        page = (media_build / "build/site" / language.code / "stories/may-thu/index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language.code}"' in page
        article, radio, post = (text_of(section(page, anchor)) for anchor in ("article", "radio", "post"))
        assert expected(language, "summary") in article
        assert ("71.383" if language.is_source else "71,383") in article
        # the radio script: its reading time (1 min 5 s at the language's pace, which it states), the
        # pronunciation of the foreign name, the script itself
        assert ui(media_build, language, "khoảng %(minutes)s phút %(seconds)s giây", minutes=1, seconds=5) in radio
        unit = {"syllables": "âm tiết", "words": "từ", "characters": "chữ"}[language.speech_unit]
        assert ui(media_build, language, f"tính với tốc độ đọc %(rate)s {unit} một phút",
                  rate=language.speech_rate) in radio
        assert f"{expected(language, 'pronunciations.park.name')} {expected(language, 'pronunciations.park.say')}" \
            in radio
        first_line = RADIO_VI if language.is_source else STORY_TEXTS[language.catalog]["radio"]
        assert first_line.split("\n")[0].split("{")[0] in radio
        assert "notice" not in section(page, "radio")  # every part translated: no fallback
        assert expected(language, "post") in post
        # the files, linked from the page
        for name in FILES:
            assert f'href="{name.format(lang=language.code)}"' in page, (language.code, name)


def test_the_media_kit_files_hold_the_text_to_paste(media_build):
    site = media_build / "build/site"
    article = (site / "vi/stories/may-thu/may-thu.article.vi.txt").read_text(encoding="utf-8")
    assert article == (
        "Công ty May Thử giữ chân người lao động\n\n"
        "Công đoàn và ban giám đốc họp mỗi tháng.\n\n"
        "Về doanh nghiệp. Công ty có 71.383 lao động.\n\n"
        "- Công đoàn đối thoại với ban giám đốc.\n"
        "- Đảng viên giúp bạn cùng ca [mới].\n\n"
        "Nguồn: Ban Tuyên giáo Tỉnh ủy\n")
    radio = (site / "vi/stories/may-thu/may-thu.radio.vi.txt").read_text(encoding="utf-8")
    assert radio.startswith("Kịch bản phát thanh: Công ty May Thử giữ chân người lao động\n"
                            "Thời lượng đọc: khoảng 1 phút 5 giây (tính với tốc độ đọc 220 âm tiết một phút)\n\n"
                            "Cách đọc tên nước ngoài:\n- Park Ji-hoon: Pác Chi Hun\n\n---\n\n"
                            "Công ty có 71.383 lao động.\n\nCông nhân làm ca đêm. Công nhân")
    assert radio.endswith("Công nhân làm ca đêm.\n\n---\nNguồn: Ban Tuyên giáo Tỉnh ủy\n")
    post = (site / "vi/stories/may-thu/may-thu.post.vi.txt").read_text(encoding="utf-8")
    assert post == "Công ty May Thử có 71.383 lao động và một công đoàn mạnh.\n"
    for language in LANGUAGES:
        code = language.code
        folder = site / code / "stories/may-thu"
        article = (folder / f"may-thu.article.{code}.txt").read_text(encoding="utf-8")
        assert article.startswith(expected(language, "title") + "\n\n" + expected(language, "summary") + "\n\n")
        assert "**" not in article and "\\[" not in article and "<" not in article
        radio = (folder / f"may-thu.radio.{code}.txt").read_text(encoding="utf-8")
        assert ui(media_build, language, "khoảng %(minutes)s phút %(seconds)s giây", minutes=1, seconds=5) in radio
        assert f"- {expected(language, 'pronunciations.park.name')}: {expected(language, 'pronunciations.park.say')}" \
            in radio
        assert (folder / f"may-thu.post.{code}.txt").read_text(encoding="utf-8") == expected(language, "post") + "\n"
        # the HTML version: a document of its own, in the language, with the article's markup
        page = (folder / f"may-thu.article.{code}.html").read_text(encoding="utf-8")
        assert f'<html lang="{code}">' in page and "<script" not in page and "<style" not in page
        assert f"<h1>{html.escape(expected(language, 'title'), quote=False)}</h1>" in page
        assert "<strong>" in page and "<ul><li>" in page
    # the offline pack carries them beside the page
    with zipfile.ZipFile(site / "offline/outreach-ko.zip") as pack:
        names = pack.namelist()
        for name in FILES:
            assert f"outreach-ko/stories/may-thu/{name.format(lang='ko')}" in names
        page = pack.read("outreach-ko/stories/may-thu.html").decode("utf-8")
        assert 'href="may-thu/may-thu.radio.ko.txt"' in page


# ---------------------------------------------------------------- the template story


def test_a_template_story_is_never_published(media_build):
    site = media_build / "build/site"
    for language in LANGUAGES:
        code = language.code
        assert (site / code / "stories/may-thu/index.html").exists()
        assert not list((site / code).rglob("*mau-dang-vien*"))
        home = (site / code / "index.html").read_text(encoding="utf-8")
        assert "stories/may-thu/" in home and "mau-dang-vien" not in home
        index = json.loads((site / code / "search/search_index.json").read_text(encoding="utf-8"))
        assert any(doc["location"].startswith("stories/may-thu/") for doc in index["docs"])
        assert not [doc for doc in index["docs"] if "mau-dang-vien" in doc["location"] or "Họ tên" in doc["text"]]
        assert "mau-dang-vien" not in (site / code / "sitemap.xml").read_text(encoding="utf-8")
        with zipfile.ZipFile(site / "offline" / f"outreach-{code}.zip") as pack:
            assert not [name for name in pack.namelist() if "mau-dang-vien" in name]
    assert not [path for path in (media_build / "build").rglob("*mau-dang-vien*") if ".work" not in path.parts]


def test_a_template_story_shows_in_the_preview_only(media_project):
    builder = Builder(Paths(media_project), State(), "http://127.0.0.1:8000/", preview=False, log=lambda line: None)
    builder.build()
    assert builder.state.errors == []
    site = builder.site
    for language in LANGUAGES:
        code = language.code
        page = (site / code / "stories/mau-dang-vien/index.html").read_text(encoding="utf-8")
        notice = ui(media_project, language, "Đây là bài mẫu để điền thông tin, không phải câu chuyện có thật: "
                    "không đăng báo, không phát sóng.")
        assert html.escape(notice, quote=False) in page
        assert (site / code / f"stories/mau-dang-vien/mau-dang-vien.radio.{code}.txt").read_text(
            encoding="utf-8").startswith(f"[{notice}]\n")
        # outside the navigation and the home page, which list the published story
        home = (site / code / "index.html").read_text(encoding="utf-8")
        assert "mau-dang-vien" not in home and "stories/may-thu/" in home
    preview = preview_page(builder.state, builder.preview_dir)
    for language in LANGUAGES:
        assert f'<a href="/{language.code}/stories/mau-dang-vien/" hreflang="{language.code}">' in preview
    assert "may-thu" not in preview  # a published story is on the site, not in the preview's list
    builder.close()


def test_a_story_about_a_member_names_the_member(tmp_path):
    member = STORY.replace("subject: enterprise", "subject: member")
    root = write_project(tmp_path, {"content/stories/may-thu.yaml": member})
    assert "story 'may-thu' is about a Party member but does not name one [schema.missing]" in load_errors(root)
    enterprise = TEMPLATE.replace("subject: member", "subject: enterprise")
    root = write_project(tmp_path / "other", {"content/stories/mau.yaml": enterprise})
    errors = load_errors(root)
    assert "mau.yaml:10:9: error: story 'mau-dang-vien' is about an enterprise, yet names a member" in errors
