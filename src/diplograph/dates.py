"""Finding the publication date a page prints, and parsing printed date forms.

Only dates the page prints as its own date count: a line that is a date (with a time, a label such as
"Published:", or an `Outlet (date)` credit), or a short line in the page header or footer. Dates inside body
sentences are event dates and never become the publication date; relative dates are never parsed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_ISO = re.compile(rf"\b{_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?![\d-])")
_YMD_SLASH = re.compile(rf"\b{_YEAR}[/.](?P<month>\d{{1,2}})[/.](?P<day>\d{{1,2}})\b")
_NUMERIC = re.compile(
    r"(?<![\d.:/-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d{2})(?![\d.]\d)"
)
_DAY_MONTH = re.compile(rf"(?<!\w){_DAY}\.?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"(?<!\w){_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
# Month-day mentions without a year, as body sentences write them ("on October 27", "27 October").
_BARE_MONTH_DAY = re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}(?!\w)", re.IGNORECASE)
_BARE_DAY_MONTH = re.compile(rf"(?<!\w){_DAY}\s+(?:of\s+)?{_MONTH}(?!\w)", re.IGNORECASE)
# A foreign-language printed date (day, month word, year) for dateparser: "7 ноября 2019", "5 Kasım 2019".
_FOREIGN = re.compile(
    r"(?<!\w)\d{1,2}\.?\s+[^\W\d_]{3,12}\.?,?\s+(?:19|20)\d{2}\b|(?<!\w)[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}\b"
)
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?", re.IGNORECASE)
_ZONE = re.compile(r"\b(?:GMT|UTC|CET|CEST|EET|EEST|MSK|BST|EST|EDT|PST|PDT|AMT|AZT|GET|TRT)\b|[+-]\d{2}:?\d{2}\b")
_PUBLISHED = re.compile(
    r"\b(?:published|posted|publication date|date|publié|veröffentlicht|опубликовано|publicado|pubblicato|"
    r"yayınlanma|yayın tarihi|created)\b\s*(?:on|at|le|am)?\s*:?",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|mis à jour|aktualisiert|обновлено|actualizado|aggiornato|güncelleme|"
    r"güncellenme)\b\s*(?:on|at|le|am)?\s*:?",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r"|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\b\.?", re.I)
_OUTLET_DATE = re.compile(r"^(?P<outlet>[^()\d]{2,60}?)\s*\((?P<date>[^()]+)\)$")
_PHOTO_CREDIT = re.compile(r"^\W*(?:photo|image|picture|photograph|credit|foto|фото)s?\b", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:at|on|le|à|um|alle|в|saat)\b", re.IGNORECASE)
_LEFTOVER_NOISE = re.compile(r"[\W_]+")

HEADER_LINES = 8
FOOTER_LINES = 5
MONTH_FIRST_LOCALES = ("en-us", "en_us", "us", "en-ph", "en_ph", "fil", "en-fm", "en-pw", "en-mh")
KIND_RANK = {"published": 0, "date": 1, "outlet_date": 2, "header": 3, "updated": 4}


@dataclass
class PrintedDate:
    """A date printed in a string; numeric forms like 08.11.2019 keep both readings until the order is known."""

    start: int
    end: int
    year: int
    first: int  # month, or the first number of a numeric date
    second: int  # day, or the second number of a numeric date
    numeric: bool = False
    separator: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.numeric and self.first <= 12 and self.second <= 12 and self.first != self.second

    def resolve(self, day_first: bool) -> date | None:
        month, day = (self.first, self.second)
        if self.numeric:
            month, day = (self.second, self.first) if self.day_first_reading(day_first) else (self.first, self.second)
        return _safe_date(self.year, month, day)

    def day_first_reading(self, preferred: bool) -> bool:
        if self.first > 12:
            return True
        if self.second > 12:
            return False
        return preferred

    def readings(self) -> list[date]:
        found = [self.resolve(True), self.resolve(False)] if self.ambiguous else [self.resolve(True)]
        return [d for d in found if d]


@dataclass
class Candidate:
    line_index: int
    line: str
    kind: str
    printed: PrintedDate


def month_number(name: str) -> int | None:
    """1-12 for a month name the patterns matched. Under re.IGNORECASE, 'ſ', 'K' (Kelvin), 'ı' and 'İ' match
    's', 'k' and 'i', yet do not lower-case to them: 'Auguſt' must not be a KeyError."""
    folded = name.casefold().replace("i\u0307", "i").replace("ı", "i")
    return MONTHS.get(folded)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_printed_dates(text: str) -> list[PrintedDate]:
    """Every complete date (day, month and year) printed in `text`, in order, without overlaps."""
    found: list[PrintedDate] = []
    for match in _ISO.finditer(text):
        found.append(
            PrintedDate(match.start(), match.end(), int(match["year"]), int(match["month"]), int(match["day"]))
        )
    for match in _YMD_SLASH.finditer(text):
        found.append(
            PrintedDate(match.start(), match.end(), int(match["year"]), int(match["month"]), int(match["day"]))
        )
    for match in _NUMERIC.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        found.append(PrintedDate(match.start(), match.end(), int(match["year"]), a, b, True, match["sep"]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            month = month_number(match["month"])
            if month:
                found.append(PrintedDate(match.start(), match.end(), int(match["year"]), month, int(match["day"])))
    found.sort(key=lambda d: (d.start, -d.end))
    kept: list[PrintedDate] = []
    for printed in found:
        if (not kept or printed.start >= kept[-1].end) and printed.readings():
            kept.append(printed)
    return kept


def parse_date_text(text: str, day_first: bool = True, languages: Sequence[str] | None = None) -> str | None:
    """ISO date of the first complete date printed in `text`, or None. Relative dates ("yesterday") never parse."""
    printed = find_printed_dates(text)
    if printed:
        resolved = printed[0].resolve(day_first)
        return resolved.isoformat() if resolved else None
    foreign = _parse_foreign(text, day_first, languages)
    return foreign.isoformat() if foreign else None


def _parse_foreign(text: str, day_first: bool, languages: Sequence[str] | None = None) -> date | None:
    """Month names in other languages, through dateparser, on the date-shaped part of the text only."""
    match = _FOREIGN.search(text)
    if not match:
        return None
    import dateparser  # slow to import; only needed for non-English month names

    settings = {
        "PARSERS": ["absolute-time"],
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "DATE_ORDER": "DMY" if day_first else "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(match.group(0), languages=list(languages) if languages else None, settings=settings)
    return parsed.date() if parsed else None


def date_line_kind(line: str) -> str | None:
    """'published', 'updated', 'date' or 'outlet_date' when the whole line is a printed date; else None."""
    text = line.strip().strip("*_#").strip()
    if not text or len(text) > 120:
        return None
    outlet_date = _OUTLET_DATE.match(text)
    if outlet_date and _only_date(outlet_date["date"]) and not _PHOTO_CREDIT.match(text):
        return "outlet_date"
    if not _only_date(text):
        return None
    updated = _UPDATED.search(text)
    printed = find_printed_dates(text)
    if updated and (not printed or updated.start() < printed[0].start):
        return "updated"
    return "published" if _PUBLISHED.search(text) else "date"


def _only_date(text: str) -> bool:
    printed = find_printed_dates(text)
    if len(printed) > 2:
        return False
    rest = text
    if printed:
        rest = "".join(part for i, part in enumerate(_split_out(text, printed)) if i % 2 == 0)
    elif not _FOREIGN.search(text) or len(text.split()) > 6:
        return False
    else:
        rest = _FOREIGN.sub(" ", text)
    for pattern in (_TIME, _ZONE, _PUBLISHED, _UPDATED, _WEEKDAY, _FILLER):
        rest = pattern.sub(" ", rest)
    words = _LEFTOVER_NOISE.sub(" ", rest).split()
    return len(words) <= (0 if printed else 1)


def _split_out(text: str, printed: list[PrintedDate]) -> list[str]:
    parts, position = [], 0
    for item in printed:
        parts += [text[position : item.start], text[item.start : item.end]]
        position = item.end
    return [*parts, text[position:]]


def find_publication_date(
    lines: Sequence[str], outlet_locale: str | None = None, *, captions: Collection[str] = ()
) -> tuple[str | None, str]:
    """(ISO publication date or None, a note saying how it was found or why there is none).

    `lines` are the page's non-blank lines in order; `captions` are lines known to be photo captions.
    """
    lines = [line.strip() for line in lines if line.strip()]
    caption_set = {c.strip() for c in captions}
    candidates = _candidates(lines, caption_set)
    latest = date.today() + timedelta(days=1)  # a page may be dated 'tomorrow' in an eastern time zone
    for candidate in sorted(candidates, key=lambda c: (KIND_RANK[c.kind], c.line_index)):
        day_first, how = _day_first(candidate.printed, lines, outlet_locale)
        found = candidate.printed.resolve(day_first)
        if found is None or found > latest or found.year < 1900:
            continue
        note = f"printed {_describe(candidate.kind)} {candidate.line!r}"
        return found.isoformat(), note + (f"; {how}" if candidate.printed.ambiguous else "")
    fallback = _caption_date(lines, caption_set, latest)
    if fallback:
        return fallback
    return None, "no publication date printed on the page"


def _candidates(lines: list[str], captions: set[str]) -> list[Candidate]:
    found = []
    for index, line in enumerate(lines):
        if line in captions or _PHOTO_CREDIT.match(line):
            continue
        kind = date_line_kind(line)
        if kind is None and _in_header_or_footer(index, len(lines)) and _is_short_non_sentence(line):
            kind = "header"
        if kind is None:
            continue
        text = _OUTLET_DATE.match(line)["date"] if kind == "outlet_date" else line
        printed = find_printed_dates(text)
        if printed:
            found.append(Candidate(index, line, kind, printed[0]))
        elif kind != "header":
            foreign = _parse_foreign(text, True)
            if foreign:
                found.append(Candidate(index, line, kind, PrintedDate(0, 0, foreign.year, foreign.month, foreign.day)))
    return found


def _in_header_or_footer(index: int, total: int) -> bool:
    return index < HEADER_LINES or index >= total - FOOTER_LINES


def _is_short_non_sentence(line: str) -> bool:
    """Header furniture such as 'World | 05.11.2024 | 3 min read', not a sentence that mentions a date."""
    return len(line.split()) <= 12 and not re.search(r"[a-z]{2,}[.!?][\"”’']?$", line)


def _describe(kind: str) -> str:
    return {
        "published": "as the publication date in",
        "date": "as a date line",
        "outlet_date": "in the outlet credit",
        "header": "in the page header/footer line",
        "updated": "only as an update date in",
    }[kind]


def _day_first(printed: PrintedDate, lines: list[str], locale: str | None) -> tuple[bool, str]:
    """Order of an ambiguous numeric date: agreement with other dates on the page, then the outlet's locale."""
    if not printed.ambiguous:
        return True, ""
    day_first_reading, month_first_reading = printed.resolve(True), printed.resolve(False)
    others = [d for line in lines for d in find_printed_dates(line) if d is not printed]
    # Another date with the same separator and a number above 12 shows the page's order.
    for other in others:
        if (
            other.numeric
            and other.separator == printed.separator
            and not other.ambiguous
            and other.first != other.second
        ):
            return (
                other.first > 12,
                f"day/month order taken from {other.first}{other.separator}{other.second} on the page",
            )
    written = [d.resolve(True) for d in others if not d.numeric]
    if written and day_first_reading and month_first_reading:
        gap_day_first = min(abs((day_first_reading - w).days) for w in written)
        gap_month_first = min(abs((month_first_reading - w).days) for w in written)
        if min(gap_day_first, gap_month_first) <= 45 and gap_day_first != gap_month_first:
            return gap_day_first < gap_month_first, "day/month order agrees with a date written out on the page"
    if locale:
        month_first = locale.strip().lower() in MONTH_FIRST_LOCALES
        return not month_first, f"{'month' if month_first else 'day'}-first order from the outlet locale {locale}"
    return True, "day-first order assumed (no outlet locale known)"


def _caption_date(lines: list[str], captions: set[str], latest: date) -> tuple[str, str] | None:
    """A photo caption's date, only when the body corroborates it and prints no later date.

    Wire photos are dated the day of the event the story reports; the date is accepted as the publication date
    only if the body names that very day (by date or weekday) and never mentions a later one.
    """
    body = [line for line in lines if line not in captions]
    for caption in [line for line in lines if line in captions]:
        for printed in find_printed_dates(caption):
            candidate = printed.resolve(True)
            if candidate is None or candidate > latest or printed.ambiguous:
                continue
            mentions = [m for line in body for m in _body_day_mentions(line, candidate.year)]
            later = [m for m in mentions if m > candidate]
            if later:
                continue
            weekday = WEEKDAYS[candidate.weekday()]
            named_day = candidate in mentions
            named_weekday = any(re.search(rf"\bon {weekday}\b", line, re.IGNORECASE) for line in body)
            if named_day or named_weekday:
                how = "the same day" if named_day else f"'{weekday.title()}'"
                return candidate.isoformat(), f"from the photo caption {caption!r}, which the body confirms ({how})"
    return None


def _body_day_mentions(line: str, default_year: int) -> list[date]:
    days = [d for printed in find_printed_dates(line) for d in printed.readings()[:1]]
    for pattern in (_BARE_MONTH_DAY, _BARE_DAY_MONTH):
        for match in pattern.finditer(line):
            month = month_number(match["month"])
            found = _safe_date(default_year, month, int(match["day"])) if month else None
            if found:
                days.append(found)
    return days
