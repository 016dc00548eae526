"""Editorial warnings: long sentences, targets whose date has passed, right answers bunched in one position.
They point at path:line and never stop the build."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import REPO, Fixture, write_project

COURSE = Fixture("""\
id: awareness
kind: course
status:
  state: draft
title: Lớp thử
summary: Lớp thử.
intro: Học từng bài.
""")


def module(reading: str, answers: str = "abcb", key_point: str = "Nhớ.") -> str:
    """A module whose four questions have their right answer at the given positions."""
    questions = "".join(
        f"  - id: q{n}\n    prompt: Câu {'một hai ba bốn'.split()[n - 1]}?\n    choices:\n"
        + "".join(f"      - id: {c}\n        text: Ý {c}.\n" + ("        correct: true\n" if c == right else "")
                  for c in "abc")
        + "    explanation: Vì vậy.\n"
        for n, right in enumerate(answers, 1))
    return ("id: awareness-1\nkind: module\nstatus:\n  state: draft\ncourse: awareness\nnumber: 1\nminutes: 12\n"
            "title: Bài thử\nsummary: Bài thử.\ngoals:\n  - Hiểu.\nkey_points:\n"
            f"  - {key_point}\n"
            f"reading: |\n{reading}example: Ví dụ.\nquestions:\n{questions}")


TARGET = Fixture("""\
target_2025:
  type: integer
  value: 30
  unit: đảng viên kết nạp mới đến cuối năm 2025
  as_of: "2025"
  role: target
  source: Phần thứ ba
target_year:
  type: year
  value: 2025
  unit: năm
  as_of: "2023"
  source: Phần thứ ba
report_due:
  type: date
  value: 2023-12-31
  unit: hạn báo cáo
  as_of: "2023"
  role: deadline
  source: Phần thứ tư
""")


def check(tmp_path, reading: str, answers: str = "abcb", facts: str = TARGET, key_point: str = "Nhớ.") -> list[str]:
    from .conftest import FACTS
    root = write_project(tmp_path, {"content/courses/awareness.yaml": COURSE,
                                    "content/courses/awareness/01.yaml": module(reading, answers, key_point),
                                    "content/facts.yaml": FACTS + facts})
    run = subprocess.run([sys.executable, "-m", "outreach", "check"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stdout + run.stderr
    return [line for line in run.stdout.splitlines() if ": warning: " in line]


def test_a_long_sentence_is_pointed_at_by_its_line(tmp_path):
    long = " ".join(["người lao động"] * 14) + "."  # 42 syllables
    warnings = check(tmp_path, f"  Câu ngắn.\n\n  Một câu khác.\n  {long}\n")
    assert warnings == ["content/courses/awareness/01.yaml:18:3: warning: sentence of 42 syllables; "
                        "workers' texts keep to 40 [style.sentence-length]"]
    # the sentence is found by its words, not by the first line that starts like it, even when wrapped
    same_start = check(tmp_path, "  Người lao động nghỉ.\n\n  Người lao động " + " ".join(["làm ca"] * 10)
                       + "\n  " + " ".join(["làm ca"] * 10) + ".\n")
    assert same_start == ["content/courses/awareness/01.yaml:17:3: warning: sentence of 43 syllables; "
                          "workers' texts keep to 40 [style.sentence-length]"]
    ok = " ".join(["người lao động"] * 13) + "."  # 39 syllables
    assert check(tmp_path, f"  {ok} {ok}\n") == []


def test_a_passed_target_must_name_its_year_and_a_passed_deadline_is_flagged(tmp_path):
    undated = "Tỉnh phấn đấu kết nạp {target_2025} đảng viên."
    reading = "  Mục tiêu đến cuối năm {target_year} là\n  {target_2025} đảng viên.\n\n  Báo cáo trước {report_due}.\n"
    # the fixture's edition is 2024-05-01: the 2025 target lies ahead, the 2023 deadline has passed
    assert check(tmp_path, reading, key_point=undated) == [
        "content/courses/awareness/01.yaml:18:3: warning: deadline '{report_due}' fell due on 2023-12-31, "
        "before the edition of 2024-05-01 [style.past-target]"]
    passed = TARGET.replace('as_of: "2025"', 'as_of: "2023"').replace("value: 2025", "value: 2023")
    assert check(tmp_path, reading, facts=passed, key_point=undated) == [
        "content/courses/awareness/01.yaml:13:5: warning: target '{target_2025}' fell due on 2023-12-31, "
        "before the edition of 2024-05-01 [style.past-target]",
        "content/courses/awareness/01.yaml:18:3: warning: deadline '{report_due}' fell due on 2023-12-31, "
        "before the edition of 2024-05-01 [style.past-target]"]


def test_right_answers_bunched_in_one_position(tmp_path):
    assert check(tmp_path, "  Bài đọc.\n", "abcb") == []
    warnings = check(tmp_path, "  Bài đọc.\n", "aaab")
    assert warnings == ["content/courses/awareness/01.yaml:18:5: warning: module 'awareness-1': 3 of 4 right "
                        "answers are choice A [course.answer-positions]"]
    assert check(tmp_path, "  Bài đọc.\n", "aabb") == []  # half is not more than half


def test_the_bundled_content_has_no_editorial_warnings():
    run = subprocess.run([sys.executable, "-m", "outreach", "check"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [line for line in run.stdout.splitlines() if ": warning: " in line
            and "[style.sentence-length]" not in line] == []
