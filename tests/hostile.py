"""A fixture project with script payloads in every text: every field of every document kind, the site, the
contacts, the facts, the glossary, and every msgstr of every language (content texts and UI labels).

The payloads are the usual ones: a script element, an event-handler attribute, a ``javascript:`` URL and
closing tags that try to leave an attribute, a ``<title>`` or a ``<textarea>``. They contain no digit (a
digit typed into a text is an error) and no brace. Korean msgstrs carry enough Hangul around the payload to
pass the script check, so the build gets as far as writing every page.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from outreach.i18n import catalogs
from outreach.languages import TARGETS
from outreach.render.common import TEMPLATES
from outreach.validate import load_project

from .conftest import FACTS, pseudo_translation, write_project

MARK = "xssmark"  # every payload calls this, so an executable one is easy to recognise

PAYLOADS = [
    f"<script>{MARK}()</script>",
    f"<img src=x onerror={MARK}()>",
    f"javascript:{MARK}()",
    f'</title>"><script>{MARK}()</script>',
    f"'><svg onload={MARK}()>",
    f"</textarea><b onmouseover={MARK}()>",
]
# A Markdown link is a payload only where Markdown is not parsed strictly: in a UI label (content texts and
# their msgstrs allow https, mailto and tel links only, which validation and `i18n check` enforce).
UI_LINK = f"[link](javascript:{MARK}())"
SHORT = f"<svg/onload={MARK}()>"  # for leaflet fields with little room
ALL = " ".join(PAYLOADS)
# UI labels printed on the leaflet's back panel, which has room for a short payload only
SHORT_UI = {"Địa chỉ", "Điện thoại", "Thư điện tử", "[chưa có – Ban Tuyên giáo sẽ bổ sung]", "Ấn bản"}

_counter = iter(range(10**6))


def payload(short: bool = False, key: str | None = None) -> str:
    """The next payload in turn, or all of them at once (where a field has room); with a key, the one that key
    stands for (a UI label's payload does not move when a label is added elsewhere)."""
    index = zlib.crc32(key.encode()) if key is not None else next(_counter)
    return SHORT if short else ALL if index % 2 else PAYLOADS[index // 2 % len(PAYLOADS)]


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def site() -> str:
    return f"""\
title: {q("Trang thử " + payload())}
description: {q("Mô tả " + ALL)}
board: {q("Ban Tuyên giáo " + SHORT)}
province: {q("Bình Phước " + payload())}
edition: 2024-05-01
url: https://outreach.example.org/
home:
  heading: {q("Tài liệu " + payload())}
  intro: {q("Có {workers} lao động. " + ALL)}
"""


CONTACTS = f"""\
office: {q("Ban Tuyên giáo " + SHORT)}
unit: {q("Bộ phận " + SHORT)}
address: {q("Đường " + SHORT)}
phone: "+84 271 3879 247"
email: "bantuyengiao@binhphuoc.gov.vn"
"""

GLOSSARY = f"""\
terms:
  - id: chi-bo
    vi: chi bộ
    en: {q("Party cell " + ALL)}
    ko: {q("당세포 " + ALL)}
    zh_Hans: {q("党支部 " + ALL)}
    ja: {q("党支部 " + ALL)}
    note: {q("Tổ chức cơ sở của Đảng. " + ALL)}
"""


def leaflet() -> str:
    s = lambda text: q(text + " " + payload(short=True))  # noqa: E731
    return f"""\
id: test
kind: leaflet
audience: {q("Cho chủ doanh nghiệp " + ALL)}
title: {q("Đảng viên và công đoàn " + ALL)}
summary: {q("Tờ rơi thử. " + ALL)}
panels:
  front:
    kicker: {s("Cho chủ")}
    title: {s("Đồng hành")}
    subtitle: {s("Giai đoạn {start}.")}
  inside_1:
    heading: {s("Kết nạp")}
    body: {s("Công đoàn **không điều hành** việc kinh doanh.")}
  inside_2:
    heading: {s("Hỗ trợ")}
    body: {s("Chỉ thị ngày {signed}.")}
  inside_3:
    heading: {s("Đề nghị")}
    body: {s("Gặp chúng tôi.")}
  flap:
    heading: {s("Số liệu")}
    figures:
      - id: workers
        fact: workers
        label: {s("lao động")}
    note: {s("Theo Đề án.")}
  back:
    heading: Liên hệ
    body: Xin liên hệ.
    scan: {s("Quét mã")}
status:
  state: draft
"""


def handbook() -> str:
    return f"""\
id: so-tay
kind: handbook
status:
  state: draft
title: {q("Sổ tay " + payload())}
subtitle: {q("Cho người lao động " + payload())}
summary: {q("Tóm tắt " + ALL)}
intro: {q("Lời giới thiệu. " + ALL)}
chapters:
  - chuong
"""


def chapter() -> str:
    return f"""\
id: chuong
kind: chapter
status:
  state: draft
handbook: so-tay
title: {q("Chương " + payload())}
summary: {q("Chương này " + ALL)}
sections:
  - id: muc
    heading: {q("Mục " + payload())}
    body: {q("Nội dung. " + ALL)}
"""


def course() -> str:
    return f"""\
id: awareness
kind: course
status:
  state: draft
title: {q("Lớp học " + payload())}
summary: {q("Dành cho công nhân " + ALL)}
intro: {q("Cách học. " + ALL)}
"""


def module() -> str:
    questions = "".join(f"""\
  - id: c{letter}
    prompt: {q("Câu hỏi " + payload())}
    choices:
      - id: a
        text: {q("Đúng " + payload())}
        correct: true
      - id: b
        text: {q("Sai " + payload())}
    explanation: {q("Vì " + payload())}
""" for letter in "abcd")
    return f"""\
id: awareness-a
kind: module
status:
  state: draft
course: awareness
number: 1
minutes: 12
title: {q("Bài học " + payload())}
summary: {q("Bài này " + ALL)}
goals:
  - {q("Mục tiêu " + payload())}
key_points:
  - {q("Ý chính " + payload())}
reading: {q("Bài đọc. " + ALL)}
example: {q("Ví dụ. " + ALL)}
questions:
{questions}"""


def story() -> str:
    return f"""\
id: vi-du
kind: story
status:
  state: draft
example: false
subject: member
title: {q("Bài mẫu " + payload())}
enterprise: {q("Công ty " + payload())}
zone: {q("Khu công nghiệp " + payload())}
member: {q("Đảng viên " + payload())}
summary: {q("Tóm tắt " + ALL)}
body: {q("Câu chuyện. " + ALL)}
radio: {q("Kịch bản. " + ALL)}
post: {q("Bài đăng " + payload())}
pronunciations:
  - id: ten
    name: {q("Tên " + payload())}
    say: {q("Cách đọc " + payload())}
"""


FACTS_HOSTILE = FACTS.replace("unit: lao động\n", f"unit: {q('lao động ' + ALL)}\n").replace(
    "source: Phần thứ nhất, mục I\n", f"source: {q('Phần thứ nhất ' + ALL)}\n")



def hostile_msgstr(message, catalog_id: str) -> str:
    """A translation of the message's shape with payloads appended to its first block."""
    base = pseudo_translation(message, catalog_id)
    space = re.search(r"Space: about\s+\d+", " ".join(message.auto_comments))
    if (message.context or "").endswith((".back.body", ".back.heading")):
        return base  # the back panel has the contacts, with payloads; the same field kinds are inside
    if (message.context or "").startswith(("contacts:", "site:board")):
        space = True  # printed on the leaflet's back panel too
    # the glossary popover's labels take a short payload out of turn, so that adding them leaves every other
    # label's payload (and so the printed layouts) as it was
    late = not message.context and all(path.endswith("templates/terms.j2") for path, _ in message.locations)
    attack = SHORT if space or late else ALL if message.context else payload(short=message.id in SHORT_UI, key=message.id)
    if not message.context and message.id not in SHORT_UI:
        attack += " " + UI_LINK
    if catalog_id == "ko":
        # as much Hangul as there are Latin letters, to pass the script check
        need = len(re.findall(r"[A-Za-z]", base + attack)) - len(re.findall(r"[\uac00-\ud7a3]", base)) + 1
        attack += " 번역번역" * max(0, -(-need // 4))
    head, sep, rest = base.partition("\n\n")
    if head.startswith(("- ", "1. ")):
        first, nl, others = head.partition("\n")
        return f"{first} {attack}{nl}{others}{sep}{rest}"
    return f"{head} {attack}{sep}{rest}"


# Left untranslated: the handbook is then printed in Vietnamese only (a handbook this small does not fill the
# booklet's multiple of four pages in every language; the print gate keeps the others back).
HELD_BACK = "handbook.so-tay:subtitle"


def write_hostile_project(root: Path) -> Path:
    write_project(root, {
        "content/site.yaml": site(), "content/contacts.yaml": CONTACTS, "content/facts.yaml": FACTS_HOSTILE,
        "content/glossary.yaml": GLOSSARY, "content/leaflets/test.yaml": leaflet(),
        "content/handbook/handbook.yaml": handbook(), "content/handbook/chuong.yaml": chapter(),
        "content/courses/awareness.yaml": course(), "content/courses/awareness/a.yaml": module(),
        "content/stories/vi-du.yaml": story(),
    })
    project = load_project(root / "content")
    catalogs.update(root / "locales", catalogs.extract(project, TEMPLATES, root))
    for language in TARGETS:
        path = catalogs.po_path(root / "locales", language)
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.context != HELD_BACK:
                message.string = hostile_msgstr(message, language.catalog)
        with open(path, "wb") as handle:
            write_po(handle, catalog, include_previous=True)
    return root
