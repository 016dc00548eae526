"""How long a text takes to read aloud: the reading time of a radio script, from the pace of each language.

A language's record says what its pace counts (``speech_unit``) and how many of those a presenter reads in a
minute (``speech_rate``; content/languages.yaml gives the figures and where they come from). Counting is an
estimate, as a newsroom's script timer makes one:

- ``syllables``: a Hangul block is one syllable; any other word (a Vietnamese syllable, a Latin name) is one;
- ``words``: what stands between spaces;
- ``characters``: a Han character or a kana is one; any other word (a Latin name) is one;
- a figure counts one for each of its digits, in every unit (71,383 is read as several words in any language).

Punctuation counts nothing: the pauses it makes are part of the pace.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .languages import Language

FIGURE = re.compile(r"\d(?:[\d.,\u202f\u00a0]*\d)?")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HAN_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
ROUND_TO = 5  # seconds: a reading time is shown rounded up to this


def units(text: str, unit: str) -> int:
    """How many ``unit``s (syllables, words, characters) reading ``text`` aloud takes."""
    count = sum(sum(ch.isdigit() for ch in figure) for figure in FIGURE.findall(text))
    rest = FIGURE.sub(" ", text)
    script = {"syllables": HANGUL, "characters": HAN_KANA}.get(unit)
    if script is not None:
        count += len(script.findall(rest))
        rest = script.sub(" ", rest)
    return count + len(WORD.findall(rest))


def reading_seconds(text: str, language: Language) -> int | None:
    """The time to read ``text`` aloud at the language's pace, rounded up to ROUND_TO seconds; None when the
    language states no pace."""
    if language.speech_rate <= 0:
        return None
    seconds = units(text, language.speech_unit) * 60 / language.speech_rate
    return max(ROUND_TO, math.ceil(seconds / ROUND_TO) * ROUND_TO)


@dataclass(frozen=True)
class ReadingTime:
    seconds: int  # rounded up to ROUND_TO
    rate: int  # the pace it was reckoned at: ``unit``s a minute
    unit: str  # syllables, words or characters


def reading_time(text: str, language: Language) -> ReadingTime | None:
    """``reading_seconds`` with the pace it was reckoned at, to say so beside it."""
    seconds = reading_seconds(text, language)
    return None if seconds is None else ReadingTime(seconds, language.speech_rate, language.speech_unit)
