"""From a raw page to an Article: keep the article's lines, remove page furniture, find title, outlet, date, author.

Furniture is recognised by general signals (line shape, stop words, punctuation, script, position, UI vocabulary,
repetition across pages of an outlet), never by lists of particular lines. Every content line is kept, photo
captions included (they are also listed in Article.captions).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .dates import date_line_kind, find_printed_dates, find_publication_date
from .dedup import content_hash, normalise_for_hash
from .models import Article, RawDocument
from .settings import Settings


class Unusable(Exception):
    """A document with no article in it; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OutletMemory:
    """Remembers the short lines each outlet prints, so lines repeated across its pages count as furniture.

    Only non-prose lines are remembered: long sentences repeat legitimately (background paragraphs of wire copy).
    """

    def __init__(self, min_pages: int = 2):
        self.min_pages = min_pages
        self._pages: dict[str, set[str]] = {}
        self._line_pages: dict[str, Counter[str]] = {}

    def is_repeated(self, outlet: str, line: str) -> bool:
        return self._line_pages.get(outlet, Counter())[_line_key(line)] >= self.min_pages

    def remember(self, outlet: str, page_id: str, lines: Iterable[str]) -> None:
        seen = self._pages.setdefault(outlet, set())
        if page_id in seen:
            return
        seen.add(page_id)
        self._line_pages.setdefault(outlet, Counter()).update({_line_key(line) for line in lines})


def _line_key(line: str) -> str:
    return hashlib.sha1(normalise_for_hash(line).encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- vocabulary of general page furniture signals


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH_STOP_WORDS = frozenset(
    _words(
        "a about above after again against all also am an and any are as at be because been before being "
        "below between both but by can could did do does doing down during each few for from further had has "
        "have having he her here hers him his how i if in into is it its itself just me more most my no nor "
        "not now of off on once only or other our ours out over own same she should so some such than that "
        "the their theirs them then there these they this those through to too under until up very was we "
        "were what when where which while who whom why will with would you your"
    )
)
# Mid-sentence words: a line ending with one of them was broken inside a sentence.
DANGLING_WORDS = frozenset(
    _words("a an the of to in on at by for from with and or but as that than into onto its their")
)
SOCIAL_WORDS = frozenset(
    _words(
        "share shares shared sharing tweet retweet facebook twitter x telegram whatsapp viber vk vkontakte "
        "linkedin reddit pinterest instagram youtube tiktok email e-mail mail print copy link url comment "
        "comments forum like follow rss feed messenger odnoklassniki threads bluesky mastodon flipboard "
        "pocket bookmark save sms tumblr weibo wechat skype reply login log subscribe"
    )
)
SOCIAL_FILLER = frozenset(_words("on us this the article story page in to a via our and or more news google ok + &"))
CONSENT_WORDS = frozenset(
    _words(
        "accept reject all cookies cookie manage preferences settings agree i got it ok okay close dismiss "
        "allow deny continue options necessary only customize customise learn more consent decline"
    )
)
UI_WORDS = frozenset(
    _words(
        "menu search skip to main content navigation nav login log in sign register account profile home close open "
        "back top next previous prev show hide toggle my settings language dark light mode listen audio font size "
        "text print"
    )
)
UI_STRONG = frozenset(_words("menu search skip navigation nav login toggle register account profile listen"))
CONSENT_STRONG = frozenset(_words("accept reject cookies cookie consent preferences decline dismiss allow deny"))
LABEL_WORDS = (
    r"source|sources|via|kaynak|quelle|fuente|fonte|источник|джерело|tags?|topics?|keywords?|filed under|"
    r"categor(?:y|ies)|sections?|photos?|images?|pictures?|credits?|photo credits?|image credits?|foto|фото|"
    r"copyright|illustration"
)
_LABEL_LINE = re.compile(
    rf"^\(?(?:[^\W\d_]+\s*/\s*)*(?P<label>{LABEL_WORDS})\s*(?:[:|/©-]|$)\s*(?P<value>.*?)\)?$", re.I
)
SOURCE_LABELS = frozenset(_words("source sources via kaynak quelle fuente fonte источник джерело"))
PHOTO_LABELS = ("photo", "image", "picture", "foto", "фото", "illustration", "credit")
_CREDIT_THEN_SENTENCE = re.compile(r"[.;]\s+\S+(?:\s+\S+){2,}")
_SEPARATOR = re.compile(r"^[\W_]+$")
_BARE_URL = re.compile(r"^[<(\[]?(?:https?://|www\.)\S+?[>)\]]?$", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_CSS_TOKEN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$|icon|^(?:fa|bi|glyphicon|ico)[-_]")
_UI_TOKEN = re.compile(r"^(?:[A-Z]{1,3}[+-]?|[A-Za-z][+-]|[+-]|\d{1,2}px)$")
_NEWSLETTER = re.compile(
    r"\b(?:newsletters?|in your inbox|to your inbox|subscribe|subscription|sign up|sign-up|signup|"
    r"push notifications|don'?t miss|enter your e-?mail)\b",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(r"^(?:get|sign up|subscribe|join|receive|download|follow|register|stay)\b", re.I)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:accept|consent|privacy|browsing|website|site|agree|settings|preferences|policy|we use|uses)\b", re.I
)
_RELATED_HEADING = re.compile(
    r"^(?:[^/:]{1,30}/\s*)?"  # a bilingual label: "Читайте также / Read also:"
    r"(?:read more|read also|also read|more on this(?: topic| story)?|related(?: articles| stories| news| content|"
    r" posts| coverage| topics)?|see also|recommended(?: for you)?|most read|most popular|popular(?: now| stories)?|"
    r"trending(?: now)?|latest(?: news| stories)?|you may also like|you might also like|more stories|top stories|"
    r"editor'?s picks|further reading|more from [\w' -]{1,30})\b\s*(?P<sep>[:»›>-]?)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[•▸▹►→»>*·–—-]|\d{1,2}[.)])\s")
_MENU_SPLIT = re.compile(r"\s+[|•·»›>/]\s+|\s*\|\s*")
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|reported by|text by|author:|автор:?|von|par|por)\s+"
    r"(?P<name>(?:[A-ZÀ-ÞА-Я][\w'’.-]+|de|da|van|von|der|al|bin|ibn|del|la|le)"
    r"(?:\s+(?:[A-ZÀ-ÞА-Я][\w'’.-]+|de|da|van|von|der|al|bin|ibn|del|la|le|and|&)){0,6})"
    r"\s*(?:[,|·•—–-]\s*(?P<rest>.*))?$"
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", re.IGNORECASE)
_DATELINE_OUTLET = re.compile(
    r"^[A-ZÀ-Þ][\w .,'’/-]{1,60}?\((?P<outlet>[A-Z][^()]{1,40})\)\s*(?:[—–]|--?)\s*\S", re.UNICODE
)
_CAPTION_MARKER = re.compile(
    r"\((?:L|R|C|left|right|centre|center|front|back|top|bottom|L-R|from left)\)|\bpictured\b", re.I
)
_PHOTO_PREFIX = re.compile(r"^\(?(?:photo|image|picture|pictured|foto|фото)s?\s*:", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_NO_BODY = "HTML page has no article body"
TITLE_WINDOW = 10
HEADER_LINES = 8
MAX_TITLE_WORDS = 25
PROSE_WORDS = 8
LANGUAGE_SAMPLE = 100_000  # py3langid's scores go wrong on long texts: 2 MB of English comes out as 'zxx'
MAX_CODED_CHARS = 1_000_000  # spaCy refuses more than nlp.max_length (parse.py) and needs ~1 GB per 100,000 words


@dataclass
class Line:
    text: str
    furniture: str = ""  # why the line is furniture; empty for content
    title: bool = False
    caption: bool = False
    after_image: bool = False
    prose: bool = False
    tokens: list[str] = field(default_factory=list)


@dataclass
class PageFacts:
    """Metadata found on the page while classifying lines."""

    author: str | None = None
    outlet_credit: str | None = None  # "Outlet (date)" lines
    dateline_outlet: str | None = None  # "CITY (Outlet) —"
    printed_urls: list[str] = field(default_factory=list)
    outlet_mentions: list[str] = field(default_factory=list)  # newsletter, source, copyright lines
    masthead: str | None = None  # a header line that is exactly an outlet's name
    masthead_guess: str | None = None  # a short name line above the headline, not known as an outlet


@dataclass
class Extracted:
    lines: list[Line]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    page_title: str | None = None  # the raw <title>, which often ends with the site's name


# ---------------------------------------------------------------- entry point


def clean_document(doc: RawDocument, settings: Settings, outlet_memory: OutletMemory | None = None) -> Article:
    """Clean one document; raises Unusable when no article text is left."""
    doc = _without_lone_surrogates(doc)
    extracted = _extract_html(doc) if doc.kind == "html" else Extracted(_split_lines(doc.content))
    lines = extracted.lines
    if not lines:
        raise Unusable(_NO_BODY if doc.kind == "html" else "document has no text lines")
    language_guess = _detect_language(" ".join(line.text for line in lines))
    stop_words = _stop_words(doc.language or language_guess)
    main_script = _main_script(" ".join(line.text for line in lines))
    for line in lines:
        line.tokens = _TOKEN.findall(line.text)
        line.prose = _is_prose(line, stop_words)
    facts = PageFacts()
    _mark_furniture(lines, main_script, facts)
    outlets = _outlets(settings.data_dir)
    facts.masthead = _masthead(lines, outlets)
    outlet = doc.outlet or _find_outlet(doc.url or extracted.url, extracted, facts, outlets)
    _mark_outlet_name_lines(lines, [outlet, extracted.sitename, facts.dateline_outlet], outlets)
    _apply_outlet_memory(lines, outlet or facts.dateline_outlet, outlet_memory, doc.path)
    _mark_captions(lines)
    title_line = _mark_title(lines, facts)
    outlet = outlet or _masthead_or_dateline_outlet(facts, outlets)
    _mark_regions(lines)
    kept = _collapse_duplicates([line for line in lines if not line.furniture])
    if not kept:
        raise Unusable(_NO_BODY if doc.kind == "html" else "no article text left after removing page furniture")
    body = _join_body(kept)
    published, note = _publication_date(doc, extracted, lines, outlet, outlets)
    language = doc.language or _detect_language(body) or language_guess
    coded = language in settings.coded_languages
    if coded and len(body) > MAX_CODED_CHARS:
        raise Unusable(f"article body is {len(body):,} characters, over the {MAX_CODED_CHARS:,} the parser takes")
    return Article(
        id=content_hash(body),
        path=doc.path,
        body=body,
        raw=doc.content,
        url=doc.url or extracted.url,
        title=doc.title or extracted.title or (title_line.text if title_line else None),
        outlet=outlet,
        author=extracted.author or facts.author,
        published=published,
        date_note=note,
        language=language,
        captions=[line.text for line in kept if line.caption],
        furniture=[line.text for line in lines if line.furniture],
        coded=coded,
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(doc: RawDocument) -> RawDocument:
    """Lone surrogates (a JSON escape such as "\\ud800" decodes to one) cannot be encoded, hashed as UTF-8 or
    stored: each becomes U+FFFD."""
    fields = {name: value for name in ("content", "url", "title", "outlet", "published", "language")
              if isinstance(value := getattr(doc, name), str) and _LONE_SURROGATE.search(value)}
    if not fields:
        return doc
    return dataclasses.replace(doc, **{name: _LONE_SURROGATE.sub("\ufffd", value) for name, value in fields.items()})


def _split_lines(text: str) -> list[Line]:
    """Non-blank stripped lines; markdown image markers are dropped, and text beside one is a photo caption."""
    lines: list[Line] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        has_image = bool(_MARKDOWN_IMAGE.search(stripped))
        stripped = _MARKDOWN_HEADING.sub("", _MARKDOWN_IMAGE.sub("", stripped).strip()).strip()
        if stripped:
            lines.append(Line(stripped, after_image=has_image))
    return lines


# ---------------------------------------------------------------- HTML


def _extract_html(doc: RawDocument) -> Extracted:
    import trafilatura  # slow to import; text-only runs never need it

    result = trafilatura.bare_extraction(
        doc.content,
        url=doc.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=True,  # keeps <figcaption> text, which is article content
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise Unusable(_NO_BODY + _too_deep(doc.content))
    tree = _html_tree(doc.content)
    text = _restore_figcaptions(text, tree)
    sitename = result.sitename or None
    return Extracted(
        lines=_split_lines(text),
        title=_strip_site_from_title(result.title, sitename),
        author=result.author or None,
        published=result.date or None,
        sitename=sitename,
        url=result.url or None,
        page_title=_page_title(tree),
    )


_IMAGE_SRC = re.compile(r"!\[[^\]]*\]\((?P<src>[^)]*)\)")


def _html_tree(html: str):
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(html)
    except (ValueError, TypeError, etree.ParserError):
        return None


def _too_deep(html: str) -> str:
    """A note for a page whose elements nest deeper than libxml2 reads (256 levels): its text is cut off."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser()
    try:
        lxml_html.fromstring(html, parser=parser)
    except (ValueError, TypeError, etree.ParserError):
        return ""
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return " (its elements are nested more than 256 levels deep, deeper than the HTML parser reads)"
    return ""


def _page_title(tree) -> str | None:
    title = tree.findtext(".//title") if tree is not None else None
    return " ".join(title.split()) or None if title else None


def _restore_figcaptions(text: str, tree) -> str:
    """Put each <figcaption> beside its image marker: trafilatura keeps the image but may drop the caption."""
    captions = _figcaptions(tree) if tree is not None else {}
    if not captions:
        return text
    lines = []
    for line in text.splitlines():
        image = _IMAGE_SRC.search(line)
        caption = captions.get(image["src"]) if image else None
        if caption and caption not in line and caption not in text:
            line = f"{line} {caption}"
        lines.append(line)
    return "\n".join(lines)


def _figcaptions(tree) -> dict[str, str]:
    found = {}
    for figure in tree.iter("figure"):
        images = figure.xpath(".//img/@src")
        caption = " ".join(" ".join(figure.xpath(".//figcaption//text()")).split())
        if images and caption:
            found[images[0]] = caption
    return found


def _strip_site_from_title(title: str | None, sitename: str | None) -> str | None:
    if not title:
        return None
    parts = re.split(r"\s+[|–—-]\s+", title.strip())
    if len(parts) > 1 and sitename and parts[-1].strip().lower() == sitename.strip().lower():
        return " ".join(parts[:-1]).strip() or title.strip()
    return title.strip()


# ---------------------------------------------------------------- line signals


def _is_prose(line: Line, stop_words: frozenset[str]) -> bool:
    """Sentence-shaped text: ends like a sentence, or is long and made of ordinary running words."""
    words = len(line.tokens)
    ends_sentence = bool(_SENTENCE_END.search(line.text))
    stop_ratio = _stop_ratio(line.tokens, stop_words)
    if not stop_words:
        return words >= PROSE_WORDS or (ends_sentence and words >= 5)
    return (ends_sentence and words >= 5 and stop_ratio > 0) or (words >= PROSE_WORDS and stop_ratio >= 0.15)


def _stop_ratio(tokens: list[str], stop_words: frozenset[str]) -> float:
    return sum(token.lower() in stop_words for token in tokens) / len(tokens) if tokens else 0.0


def _mark_furniture(lines: list[Line], main_script: str | None, facts: PageFacts) -> None:
    last_index = len(lines) - 1
    for index, line in enumerate(lines):
        line.furniture = _furniture_reason(line, main_script, facts, is_last=index == last_index)
    _mark_related_lists(lines)


def _furniture_reason(line: Line, main_script: str | None, facts: PageFacts, is_last: bool) -> str:
    text, tokens = line.text, line.tokens
    lowered = [token.lower() for token in tokens]
    if _SEPARATOR.match(text):
        return "separator"
    if _BARE_URL.match(text):
        facts.printed_urls.append(_URL.search(text).group(0) if _URL.search(text) else text)
        return "bare URL"
    if len(tokens) >= 4 and sum(bool(_CSS_TOKEN.search(t)) for t in text.split()) >= 0.3 * len(text.split()):
        return "icon-font or CSS class names"
    if all(_UI_TOKEN.match(t) for t in text.split()) and len(text.split()) <= 6:
        return "UI toggle"
    if not line.prose and any(unicodedata.category(char) == "So" for char in text):
        return "icons or widgets"
    if len(tokens) <= 1 and not line.prose and not date_line_kind(text):
        return "single-word label"
    if _is_vocabulary_line(lowered, SOCIAL_WORDS, SOCIAL_FILLER, max_tokens=8):
        return "social/share buttons"
    if _is_vocabulary_line(lowered, CONSENT_STRONG, CONSENT_WORDS, max_tokens=6):
        return "consent buttons"
    if _is_vocabulary_line(lowered, UI_STRONG, UI_WORDS, max_tokens=6):
        return "site navigation"
    return _labelled_furniture(line, main_script, facts, is_last)


def _is_vocabulary_line(tokens: list[str], strong: frozenset[str], filler: frozenset[str], max_tokens: int) -> bool:
    return (
        0 < len(tokens) <= max_tokens
        and all(t in strong or t in filler for t in tokens)
        and any(t in strong for t in tokens)
    )


def _labelled_furniture(line: Line, main_script: str | None, facts: PageFacts, is_last: bool) -> str:
    text, words = line.text, len(line.tokens)
    label = _LABEL_LINE.match(text)
    if label and _label_is_furniture(label, words):
        if label["label"].lower() in SOURCE_LABELS:
            facts.outlet_mentions.append(label["value"])
        return f"{label['label'].lower()} label"
    if (
        words <= 14
        and _NEWSLETTER.search(text)
        and (not line.prose or text.endswith(":") or _CALL_TO_ACTION.match(text))
    ):
        facts.outlet_mentions.append(text)
        return "newsletter prompt"
    if _COOKIE.search(text) and _COOKIE_CONTEXT.search(text) and words <= 60:
        return "cookie banner"
    if _COPYRIGHT.search(text) and words <= 20:
        facts.outlet_mentions.append(text)
        return "copyright notice"
    byline = _BYLINE.match(text)
    if byline and words <= 14:
        facts.author = facts.author or byline["name"].strip()
        return "byline"
    kind = date_line_kind(text)
    if kind:
        if kind == "outlet_date":
            facts.outlet_credit = facts.outlet_credit or text[: text.index("(")].strip()
        return "date line"
    if _is_menu(text):
        return "menu"
    if words < PROSE_WORDS and main_script and _line_script(text) not in (None, main_script):
        return "line in another script than the page"
    if is_last and words <= 3 and text.endswith(":"):
        return "dangling label"
    if not facts.dateline_outlet and (dateline := _DATELINE_OUTLET.match(text)):
        facts.dateline_outlet = dateline["outlet"].strip()
    return ""


def _label_is_furniture(label: re.Match, words: int) -> bool:
    if label["label"].lower().startswith(PHOTO_LABELS):
        return not _CREDIT_THEN_SENTENCE.search(label["value"])  # "Photo: AFP. Leaders arrive ..." is a caption
    return words <= 20


def _is_menu(text: str) -> bool:
    """'Home | Politics | World', 'Politics › Foreign Policy', 'FR | EN': short items between separators."""
    parts = [part for part in _MENU_SPLIT.split(text) if part.strip()]
    longest = 4 if len(parts) >= 3 else 3
    return len(parts) >= 2 and all(len(part.split()) <= longest for part in parts) and not _SENTENCE_END.search(text)


def _mark_related_lists(lines: list[Line]) -> None:
    """A 'Related' or 'Read more' heading and the headline list under it, up to the next sentence."""
    in_list = False
    for line in lines:
        heading = _RELATED_HEADING.match(line.text)
        if heading and len(line.tokens) <= 25 and (not heading["rest"] or heading["sep"]):
            line.furniture = line.furniture or "related-articles list"
            in_list = not heading["rest"]
        elif in_list and not line.furniture and _is_list_item(line):
            line.furniture = "related-articles list"
        elif not line.furniture:
            in_list = False


def _is_list_item(line: Line) -> bool:
    """A linked headline: bulleted, or short and not ending like a statement (questions are headlines too)."""
    if _BULLET.match(line.text):
        return True
    return len(line.tokens) <= 25 and not re.search(r"[.!…][\"'”’»)\]]*$", line.text)


def _apply_outlet_memory(lines: list[Line], outlet: str | None, memory: OutletMemory | None, page: str) -> None:
    if memory is None or not outlet:
        return
    short = [line for line in lines if not line.prose]
    for line in short:
        if not line.furniture and memory.is_repeated(outlet, line.text):
            line.furniture = "repeated on other pages of the outlet"
    memory.remember(outlet, page, [line.text for line in short])


# ---------------------------------------------------------------- captions, title, regions


# What a caption prints just before its closing date: ", Place, " or the end of a sentence.
_CAPTION_DATE_LEAD = re.compile(r"(?:,\s*[A-ZÀ-Þ][\w'’ -]{1,40},|[.!?])\s*$")


def _mark_captions(lines: list[Line]) -> None:
    for credit, line in zip(lines, lines[1:], strict=False):
        if credit.furniture.startswith(PHOTO_LABELS) and not line.furniture and line.tokens:
            line.caption = True  # the line under a photo credit describes the photo
    content = [line for line in lines if not line.furniture]
    for previous, line in zip([None, *content], content, strict=False):
        if not line.prose:
            continue
        repeated = previous is not None and previous.text == line.text
        if repeated or _ends_with_photo_date(line.text) or line.after_image or _CAPTION_MARKER.search(line.text):
            line.caption = True
            if repeated:
                previous.caption = True
        elif _PHOTO_PREFIX.match(line.text):
            line.caption = True


def _ends_with_photo_date(text: str) -> bool:
    """'..., Yerevan, October 26, 2022.' or '... in Paris. November 5, 2024.': a date closing the line on its own."""
    printed = find_printed_dates(text)
    if not printed or text[printed[-1].end :].strip(" .") != "":
        return False
    return bool(_CAPTION_DATE_LEAD.search(text[: printed[-1].start]))


def _mark_title(lines: list[Line], facts: PageFacts) -> Line | None:
    """The first headline-shaped line near the top, before the article's second paragraph."""
    paragraphs_seen = 0
    window = [line for line in lines if not line.furniture][:TITLE_WINDOW]
    for position, line in enumerate(window):
        if _is_headline(line):
            later = [other for other in window[position + 1 :] if not other.caption]
            following = next((other for other in later if other.prose or _is_headline(other)), None)
            if len(line.tokens) <= 3 and following and _is_headline(following) and len(following.tokens) > 3:
                line.furniture = "masthead"  # a short name line above the real headline
                facts.masthead_guess = facts.masthead_guess or line.text
                continue
            line.title = True
            return line
        if line.prose and not line.caption:
            paragraphs_seen += 1
            if paragraphs_seen >= 2:
                return None
    return None


def _is_headline(line: Line) -> bool:
    words = len(line.tokens)
    text = line.text
    if line.caption or not 2 <= words <= MAX_TITLE_WORDS or re.search(r"[.,;:]$", text):
        return False
    if sum(d.end - d.start for d in find_printed_dates(text)) * 3 > len(text):
        return False  # a date line with extras, not a headline
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘«"):
        return False
    return words <= 15 or _is_title_case(line.tokens)


def _is_title_case(tokens: list[str]) -> bool:
    long_words = [t for t in tokens if len(t) > 3]
    return bool(long_words) and all(t[0].isupper() or t[0].isdigit() for t in long_words)


def _mark_regions(lines: list[Line]) -> None:
    """Short non-sentences above the headline or below the last paragraph are page header and footer."""
    content = [line for line in lines if not line.furniture]
    title_at = next((i for i, line in enumerate(content) if line.title), None)
    first_prose = next((i for i, line in enumerate(content) if line.prose), len(content))
    header_end = title_at if title_at is not None else min(first_prose, HEADER_LINES)
    for line in content[:header_end]:
        if not line.prose and not line.caption:
            line.furniture = "page header"
    last_prose = max((i for i, line in enumerate(content) if line.prose), default=-1)
    for line in content[last_prose + 1 :]:
        if not line.title and len(line.tokens) <= 6:
            line.furniture = "page footer"
    if title_at is not None:
        for line in content[title_at + 1 :]:
            if line.text == content[title_at].text:
                line.furniture = "repeated headline"


def _collapse_duplicates(lines: list[Line]) -> list[Line]:
    kept: list[Line] = []
    for line in lines:
        if not kept or kept[-1].text != line.text:
            kept.append(line)
    return kept


def _join_body(lines: list[Line]) -> str:
    """Kept lines joined by newlines; a line broken after an article or preposition is rejoined with a space."""
    parts: list[str] = []
    for line in lines:
        previous = parts[-1] if parts else ""
        last_word = previous.rsplit(" ", 1)[-1].lower() if previous else ""
        if last_word in DANGLING_WORDS and not line.title and not line.caption and line.prose:
            parts[-1] = f"{previous} {line.text}"
        else:
            parts.append(line.text)
    return "\n".join(part.rstrip() for part in parts)


# ---------------------------------------------------------------- outlet and date


@dataclass(frozen=True)
class OutletInfo:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    locale: str | None


@functools.cache
def _outlets(data_dir: Path) -> tuple[OutletInfo, ...]:
    from .knowledge import KnowledgeError, read_rows, split_values

    try:
        rows = read_rows(Path(data_dir) / "outlets.csv", {"name", "domains", "aliases"})
    except (KnowledgeError, OSError, UnicodeDecodeError):
        return ()
    return tuple(
        OutletInfo(row["name"], tuple(d.lower() for d in split_values(row["domains"])),
                   tuple(split_values(row["aliases"])), row.get("locale") or None)
        for row in rows if row.get("name")
    )  # fmt: skip


def _find_outlet(
    url: str | None, extracted: Extracted, facts: PageFacts, outlets: tuple[OutletInfo, ...]
) -> str | None:
    by_domain = _outlet_by_domain(url, outlets)
    if by_domain:
        return by_domain
    sitename = extracted.sitename or _title_suffix_outlet(extracted.page_title, outlets)
    if sitename:
        return _outlet_by_name(sitename, outlets) or sitename
    if facts.masthead:
        return facts.masthead
    if facts.outlet_credit:
        return _outlet_by_name(facts.outlet_credit, outlets) or facts.outlet_credit
    for mention in facts.outlet_mentions:
        named = _outlet_named_in(mention, outlets)
        if named:
            return named
    for printed in facts.printed_urls:
        by_domain = _outlet_by_domain(printed, outlets)
        if by_domain:
            return by_domain
    return None


def _masthead_or_dateline_outlet(facts: PageFacts, outlets: tuple[OutletInfo, ...]) -> str | None:
    """A name line above the headline that the copyright or newsletter line repeats is the site's own name;
    failing that, the outlet credited in the dateline ('YEREVAN (Outlet) —'), which may be a syndicated source."""
    guess = facts.masthead_guess
    if guess and any(guess.lower().removeprefix("the ") in m.lower() for m in facts.outlet_mentions):
        return guess.title() if guess.isupper() else guess
    if facts.dateline_outlet:
        return _outlet_by_name(facts.dateline_outlet, outlets) or facts.dateline_outlet
    return None


def _title_suffix_outlet(page_title: str | None, outlets: tuple[OutletInfo, ...]) -> str | None:
    """'Headline - Outlet' or 'Headline | Outlet' where the last part is a known outlet."""
    parts = re.split(r"\s+[|–—-]\s+", page_title or "")
    return _outlet_by_name(parts[-1], outlets) if len(parts) > 1 else None


def _masthead(lines: list[Line], outlets: tuple[OutletInfo, ...]) -> str | None:
    for line in lines[:HEADER_LINES]:
        if not line.prose and (named := _outlet_by_name(line.text, outlets)):
            return named
    return None


def _mark_outlet_name_lines(lines: list[Line], names: list[str | None], outlets: tuple[OutletInfo, ...]) -> None:
    """A line that is nothing but an outlet's name is a masthead or a syndication credit."""
    wanted = {name.lower() for name in names if name}
    for line in lines:
        if (
            not line.furniture
            and not line.prose
            and (line.text.lower() in wanted or _outlet_by_name(line.text, outlets))
        ):
            line.furniture = "outlet name"


def _outlet_by_domain(url: str | None, outlets: tuple[OutletInfo, ...]) -> str | None:
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # "http://[::1": an unbalanced IPv6 bracket
        return None
    host = host.lower().removeprefix("www.")
    for outlet in outlets:
        if any(host == domain or host.endswith("." + domain) for domain in outlet.domains):
            return outlet.name
    return None


def _outlet_by_name(name: str, outlets: tuple[OutletInfo, ...]) -> str | None:
    wanted = name.strip().lower()
    for outlet in outlets:
        if wanted in (n.lower() for n in (outlet.name, *outlet.aliases)):
            return outlet.name
    return None


def _outlet_named_in(text: str, outlets: tuple[OutletInfo, ...]) -> str | None:
    best: tuple[int, str] | None = None
    for outlet in outlets:
        for name in filter(_distinctive_name, (outlet.name, *outlet.aliases)):
            flags = re.IGNORECASE if " " in name.strip() else 0
            longer = best is None or len(name) > best[0]
            if longer and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags):
                best = (len(name), outlet.name)
    return best[1] if best else None


def _distinctive_name(name: str) -> bool:
    """Names safe to spot inside running text: several words, an acronym, or one long word ('Post' is not)."""
    name = name.strip()
    return " " in name or (name.isupper() and len(name) >= 3) or len(name) >= 6


def _publication_date(
    doc: RawDocument, extracted: Extracted, lines: list[Line], outlet: str | None, outlets: tuple[OutletInfo, ...]
) -> tuple[str | None, str]:
    from datetime import date

    if doc.published:
        return doc.published, "given by the input"
    if extracted.published:
        try:
            found = date.fromisoformat(extracted.published[:10])
        except ValueError:
            found = None
        if found and found < date.today():
            return found.isoformat(), "found in the HTML markup (meta tags or a printed date) by trafilatura"
    locale = next((o.locale for o in outlets if o.name == outlet), None)
    captions = [line.text for line in lines if line.caption]
    return find_publication_date([line.text for line in lines], locale, captions=captions)


# ---------------------------------------------------------------- language and script


def _detect_language(text: str) -> str | None:
    text = text[:LANGUAGE_SAMPLE]
    if not text.strip():
        return None
    import py3langid

    language, _score = py3langid.classify(text)
    return language


@functools.cache
def _stop_words(language: str | None) -> frozenset[str]:
    if language in (None, "en"):
        return ENGLISH_STOP_WORDS
    if not re.fullmatch(r"[a-z]{2,3}", language):  # only a language code may name a module to import
        return frozenset()
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(word.lower() for word in module.STOP_WORDS)


def _char_script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None


def _line_script(text: str) -> str | None:
    counts = Counter(script for script in map(_char_script, text) if script)
    return counts.most_common(1)[0][0] if counts else None


def _main_script(text: str) -> str | None:
    return _line_script(text)
