"""When did an event happen? Explicit and relative date expressions, resolved against the publication date."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

from spacy.tokens import Span, Token

MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
MONTH_DAY = re.compile(rf"\b({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:-\d{{1,2}})?\b(?!\s*,?\s*\d{{4}})", re.I)
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:-\d{{1,2}})?\s+({MONTH_NAMES})\b(?!\.?,?\s+\d{{4}})", re.I)
MONTH_YEAR = re.compile(rf"\b({MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.I)
DAY_RANGE = re.compile(rf"\b(\d{{1,2}})\s*(?:to|-|–|and)\s*\d{{1,2}}\s+({MONTH_NAMES})\b", re.I)  # 20 to 22 March
BARE_MONTH = re.compile(r"\b(?:in|since|until|by|during|last|this|early|late|mid-?)\s+"
                        rf"({MONTH_NAMES})\b(?!\s*\d)", re.I)
YEAR = re.compile(r"\b(?:in|since|during)\s+(?:early\s+|late\s+|mid-?)?((?:19|20)\d{2})\b(?!\s*[-–]\s*\d)",
                  re.I)
WEEKDAY = re.compile(r"\b(?:on\s+|last\s+|this\s+)?(" + "|".join(WEEKDAYS) + r")\b", re.I)
RELATIVE = {
    "yesterday": ("day", -1), "today": ("day", 0), "tonight": ("day", 0), "this morning": ("day", 0),
    "last week": ("week", -1), "this week": ("week", 0), "earlier this week": ("week", 0),
    "last month": ("month", -1), "this month": ("month", 0), "earlier this month": ("month", 0),
    "last year": ("year", -1), "this year": ("year", 0), "earlier this year": ("year", 0),
    "a year ago": ("year", -1), "a week ago": ("week", -1), "a month ago": ("month", -1),
    "tomorrow": ("day", 1), "next week": ("week", 1), "next month": ("month", 1), "next year": ("year", 1),
}
PREVIOUS_DAY = re.compile(r"\bthe\s+(?:(?:previous|preceding)\s+(?:day|night|evening)|(?:day|night)\s+before)\b", re.I)
RELATIVE_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, RELATIVE), key=len, reverse=True)) + r")\b", re.I)


def month_of(name: str) -> int:
    """1-12 for a month name the patterns matched; case-folded, because re.IGNORECASE also matches 'Auguſt'."""
    return MONTHS[name.casefold().replace("i\u0307", "i").replace("ı", "i")]


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def year_for(month: int, day: int, published: date | None, upcoming: bool = False) -> int | None:
    """A month and day without a year belong to the most recent such day on or before publication, or for an
    announced (future) event to the next such day on or after it."""
    if published is None:
        return None
    candidate = safe_date(published.year, month, day)
    if upcoming:
        return published.year + 1 if candidate and candidate < published else published.year
    if candidate and candidate > published + timedelta(days=2):
        return published.year - 1
    return published.year


def shift_month(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def resolve_relative(phrase: str, published: date) -> str:
    unit, offset = RELATIVE[phrase.lower()]
    if unit == "day":
        return (published + timedelta(days=offset)).isoformat()
    if unit == "week":
        return (published + timedelta(weeks=offset)).isoformat() if offset else published.isoformat()
    if unit == "month":
        return shift_month(published, offset).strftime("%Y-%m")
    return str(published.year + offset)


def resolve_weekday(name: str, published: date) -> str:
    back = (published.weekday() - WEEKDAYS.index(name.lower())) % 7
    return (published - timedelta(days=back)).isoformat()


@functools.lru_cache(maxsize=256)  # every trigger of a sentence asks for the same sentence's dates
def dates_in(text: str, published: date | None, upcoming: bool = False) -> tuple[tuple[int, str], ...]:
    """(character offset, resolved date) for every date expression in the text, in order of appearance."""
    found: list[tuple[int, int, str]] = []  # start, end, value

    def add(match: re.Match, value: str | None) -> None:
        if value and not any(s <= match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), value))

    def yearless(month_name: str, day_number: str) -> str | None:
        """'On September 19', '19 September': the year comes from the publication date."""
        month = month_of(month_name)
        year = year_for(month, int(day_number), published, upcoming)
        day = safe_date(year, month, int(day_number)) if year else None
        return day.isoformat() if day else None

    for m in DAY_RANGE.finditer(text):
        add(m, yearless(m[2], m[1]))
    for m in DAY_MONTH_YEAR.finditer(text):
        day = safe_date(int(m[3]), month_of(m[2]), int(m[1]))
        add(m, day.isoformat() if day else None)
    for m in MONTH_DAY_YEAR.finditer(text):
        day = safe_date(int(m[3]), month_of(m[1]), int(m[2]))
        add(m, day.isoformat() if day else None)
    for m in MONTH_YEAR.finditer(text):
        add(m, f"{int(m[2]):04d}-{month_of(m[1]):02d}")
    for m in MONTH_DAY.finditer(text):
        add(m, yearless(m[1], m[2]))
    for m in DAY_MONTH.finditer(text):
        add(m, yearless(m[2], m[1]))
    for m in BARE_MONTH.finditer(text):
        month = month_of(m[1])
        if published and upcoming:  # 'will visit China in April': the next April
            add(m, f"{published.year + (month < published.month):04d}-{month:02d}")
        elif published:
            year = published.year if month <= published.month else published.year - 1
            add(m, f"{year:04d}-{month:02d}")
    for m in YEAR.finditer(text):
        add(m, m[1])
    if published:
        for m in RELATIVE_RE.finditer(text):
            add(m, resolve_relative(m[1], published))
        for m in WEEKDAY.finditer(text):
            add(m, resolve_weekday(m[1], published))
    for m in PREVIOUS_DAY.finditer(text):  # 'condemned on Sunday the attack of the previous night'
        days = [date.fromisoformat(value) for _, _, value in found if len(value) == 10]
        anchor = days[0] if days else published
        add(m, (anchor - timedelta(days=1)).isoformat() if anchor else None)
    return tuple(sorted((start, value) for start, _, value in found))


def event_date(sentence: Span, trigger: Token, published: date | None, upcoming: bool = False) -> str | None:
    """The date of the event triggered at `trigger`: the date expression in the trigger's own clause if any,
    else the closest one in the sentence, else the publication date, else None."""
    candidates = dates_in(sentence.text, published, upcoming)
    if not candidates:
        return published.isoformat() if published else None
    clause = {t.idx - sentence.start_char for t in trigger.subtree} | {trigger.idx - sentence.start_char}
    for t in trigger.head.children if trigger.dep_ in {"xcomp", "conj"} else []:
        clause.update(x.idx - sentence.start_char for x in t.subtree)
    own = [value for offset, value in candidates if offset in clause or any(abs(offset - c) <= 1 for c in clause)]
    if own:
        return own[0]
    position = trigger.idx - sentence.start_char
    return min(candidates, key=lambda pair: abs(pair[0] - position))[1]
