"""Dates as Ofsted prints them: single dates, ranges in every form, month-only dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DATE", "DATE_RANGE", "DateRange", "parse_date", "parse_range"]

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for m in names
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_NUMERIC = r"[0-3]?\d/[01]?\d/(?:(?:19|20)?\d\d)"
#: One date, possibly partial ("28 January", "6 February 2013", "1/06/2015", "June 2010").
DATE = rf"(?:{_NUMERIC}|{_DAY}(?:\s+(?:of\s+)?{_MONTH}\.?)?(?:,?\s+{_YEAR})?|{_MONTH}\s+{_YEAR})"
_SEP = r"\s*,?\s*(?:to|until|[-\u2013\u2014]|and|&)\s*"
#: A run of dates joined by "to", dashes or "and": "28 January to 6 February 2013", "26 and 27 May 2021".
DATE_RANGE = rf"{DATE}(?:{_SEP}{DATE})*"
_ITEM = re.compile(
    rf"(?P<num>{_NUMERIC})|(?P<day>{_DAY})(?:\s+(?:of\s+)?(?P<month>{_MONTH})\.?)?(?:,?\s+(?P<year>{_YEAR}))?"
    rf"|(?P<month_only>{_MONTH})\s+(?P<year_only>{_YEAR})",
    re.I,
)


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    precision: str = "day"  # day | month


def _items(text: str) -> list[tuple[int | None, int | None, int | None]]:
    out: list[tuple[int | None, int | None, int | None]] = []
    for m in _ITEM.finditer(text):
        if m.group("num"):
            d, mo, y = m.group("num").split("/")
            year = int(y) + (2000 if len(y) == 2 else 0)
            out.append((int(d), int(mo), year))
        elif m.group("month_only"):
            out.append((None, _month_key(m.group("month_only")), int(m.group("year_only"))))
        else:
            day = int(re.match(r"\d+", m.group("day")).group(0))  # type: ignore[union-attr]
            month = _month_key(m.group("month")) if m.group("month") else None
            year = int(m.group("year")) if m.group("year") else None
            if not 1 <= day <= 31:
                continue
            out.append((day, month, year))
    return out


def _month_key(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def parse_range(text: str) -> DateRange | None:
    """Parse a date range; missing months and years are carried back from later dates."""
    items = _items(text)
    if not items:
        return None
    # carry month/year back from the right: "28 January to 6 February 2013", "11 to 15 March 2024"
    filled: list[list[int | None]] = [list(i) for i in items]
    month, year = None, None
    for item in reversed(filled):
        if item[2] is None:
            item[2] = year
        else:
            year = item[2]
        if item[1] is None:
            item[1] = month
        else:
            month = item[1]
    dates: list[date] = []
    precision = "day"
    for d, mo, y in filled:
        if mo is None or y is None:
            continue
        if d is None:
            precision = "month"
            d = 1
        try:
            dates.append(date(y, mo, d))
        except ValueError:
            continue
    if not dates:
        return None
    return DateRange(min(dates), max(dates), precision)


def parse_date(text: str) -> date | None:
    """Parse one full date such as "19 November 2014", "1/06/2015" or ISO "2015-06-01"."""
    iso = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*", text)
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            return None
    rng = parse_range(text)
    return rng.start if rng else None
