"""Facts formatted for a reader's locale by Babel (CLDR), never by hand.

71383 → ``71.383`` (vi), ``71,383`` (en, ko, zh-Hans, ja); dates in each
language's long form, Vietnamese in the official 'ngày … tháng … năm …' style.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from ..languages import Language
from ..model import Fact

# Vietnamese administrative style (CLDR's long form is '18 tháng 3, 2019').
DATE_PATTERNS = {"vi": "'ngày' d 'tháng' M 'năm' y"}


def locale_of(language: Language) -> Locale:
    return Locale.parse(language.catalog)


def format_fact(fact: Fact, language: Language) -> str:
    locale = locale_of(language)
    value = fact.value
    if fact.type == "integer":
        return format_decimal(value, locale=locale)
    if fact.type == "year":
        return str(value)
    if fact.type == "percent":
        return format_percent(value / 100, locale=locale)
    if fact.type == "range":
        low, high = value
        return f"{format_decimal(low, locale=locale)}{language.range_dash}{format_decimal(high, locale=locale)}"
    if fact.type == "date":
        assert isinstance(value, dt.date)
        return format_date(value, DATE_PATTERNS.get(language.catalog, "long"), locale=locale)
    raise ValueError(f"unknown fact type {fact.type!r}")


def fill(text: str, facts: dict[str, Fact], language: Language, names: dict[str, str] | None = None) -> str:
    """Replace each {fact_id} with the fact formatted for the language, and each {body_id} with the body's name
    in that language (``names``, from the catalogs)."""
    from ..validate import PLACEHOLDER

    def replace(match):
        fact = facts.get(match.group(1))
        if fact:
            return format_fact(fact, language)
        return (names or {}).get(match.group(1), match.group(0))

    return PLACEHOLDER.sub(replace, text)
