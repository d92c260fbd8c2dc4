"""Property tests: any string in, no exception out, for the cleaner, the date finders and the coder.

Unclean results are fine (a page of noise may yield no date, or an Unusable document); exceptions are not.
The strategies mix arbitrary Unicode with the tokens these functions look for (dates, month names, markup, actor
names, page furniture) so that examples reach the interesting branches rather than only the empty ones.
"""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diplograph.clean import OutletMemory, Unusable, clean_document
from diplograph.dates import MONTH_FIRST_LOCALES, find_publication_date, parse_date_text
from diplograph.event_dates import dates_in
from diplograph.models import RawDocument
from diplograph.settings import Settings

TOKENS = [
    # dates and date furniture
    "Published:", "Updated", "Posted on", "2023", "1999", "2023-10-27", "27.10.2023", "10/27/2023", "2023/10/27",
    "31.02.2023", "00.00.0000", "27", "31st", "October", "Oct.", "may", "Sept", "Monday", "12:30", "GMT", "+04:00",
    "yesterday", "last week", "next year", "earlier this month", "in 2020", "since March", "ноября", "Kasım",
    # case-folding traps: under re.IGNORECASE they match s, k and i
    "ſ", "K", "İ", "ı", "Auguſt",
    # actors, sources, events
    "France", "Armenia", "Azerbaijan's", "Russian", "the EU", "NATO", "President", "Aliyev", "Pashinyan", "Macron",
    "Foreign Minister", "said", "signed", "condemned", "met", "will", "not", "would", "accused", "\"", "“", "”",
    # page furniture and markup
    "By", "Photo:", "Source:", "(AFP)", "YEREVAN (Ararat Courier) —", "©", "Share", "Home | World", "Read more:",
    "<p>", "</p>", "<div>", "<script>", "<title>", "<figure><img src='a.png'><figcaption>", "&amp;", "&#0;",
    "![](x.png)", "# ", "https://example.org/a", "www.example.com",
    # whitespace, controls, other scripts, oddities
    "\n", "\n\n", "\r\n", "\t", " ", "\u00a0", "\u2028", "\u200b", "\ufeff", "\x00", "\x1b[1m", "\u202e", "🇦🇲",
    "Ереван", "Երևան", "Bakı", "ﬁ", "½", "٣", "𝟚𝟘𝟚𝟛", ".", ",", ";", "…", "?", "!",
    "\ud800", "\udfff",  # lone surrogates: JSON escapes can produce them
]

token_text = st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join)
glued_text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=400), token_text, glued_text)
lines = st.lists(any_text, max_size=25)
published = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
SETTINGS = Settings()


def quick(**options):
    """Hypothesis settings for these tests: no deadline (the first call loads models), and no example database
    (no .hypothesis folder in the checkout; a failure prints its falsifying example)."""
    return settings(deadline=None, database=None, **options)


def document(kind: str, content: str, **fields: str | None) -> RawDocument:
    return RawDocument(path="property.txt", kind=kind, content=content, **fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ the cleaner
@quick(max_examples=400)
@given(kind=st.sampled_from(["text", "html"]), content=any_text)
@example(kind="html", content="<html><body>" + "<div>" * 400 + "<p>Deep.</p></body></html>")
@example(kind="text", content="Auguſt 5, 2020\nFrance and Armenia signed an accord in Paris on Auguſt 5, 2020.")
@example(kind="text", content="France and Armenia signed a defence accord \ud800 in Paris on Monday, officials said.")
@example(kind="text", content="France and Armenia signed a defence accord in Paris on Monday.\nhttps://[x")
def test_clean_document_never_raises_anything_but_unusable(kind: str, content: str) -> None:
    try:
        article = clean_document(document(kind, content), SETTINGS)
    except Unusable as err:
        assert err.reason.strip()
        return
    assert article.body.strip()
    for value in article.to_dict().values():  # storable: every text is valid UTF-8
        for text in value if isinstance(value, list) else [value]:
            assert not isinstance(text, str) or text.encode("utf-8")


@quick(max_examples=200)
@given(kind=st.sampled_from(["text", "html"]), content=any_text,
       url=st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["http://[::1", "https://x:99999/a", "//"])),
       title=st.one_of(st.none(), any_text), outlet=st.one_of(st.none(), st.text(max_size=20)),
       published=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["2023-02-30", "2023-10-27"])),
       language=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["en", "ru", "hy", "az", "xx", "../x"])))
def test_clean_document_survives_any_metadata(kind: str, content: str, url: str | None, title: str | None,
                                              outlet: str | None, published: str | None,
                                              language: str | None) -> None:
    doc = document(kind, content, url=url, title=title, outlet=outlet, published=published, language=language)
    with contextlib.suppress(Unusable):
        clean_document(doc, SETTINGS, OutletMemory())


@quick(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(pages=st.lists(st.tuples(st.sampled_from(["text", "html"]), any_text), min_size=2, max_size=6),
       outlet=st.sampled_from(["Caspian Ledger", "Ararat Courier", "x"]))
def test_outlet_memory_across_pages_never_raises(pages: list[tuple[str, str]], outlet: str) -> None:
    memory = OutletMemory()
    for index, (kind, content) in enumerate(pages):
        doc = RawDocument(path=f"p{index}.txt", kind=kind, content=content, outlet=outlet)  # type: ignore[arg-type]
        with contextlib.suppress(Unusable):
            clean_document(doc, SETTINGS, memory)


# ------------------------------------------------------------------------------------------------ dates
@quick(max_examples=400)
@given(page=lines, locale=st.one_of(st.none(), st.text(max_size=8), st.sampled_from(MONTH_FIRST_LOCALES)),
       data=st.data())
@example(page=["5 Auguſt 2020", "APRİL 3, 2021", "aprıl 3, 2021"], locale=None, data=None)
def test_find_publication_date_never_raises(page: list[str], locale: str | None, data) -> None:
    captions = data.draw(st.lists(st.sampled_from(page), max_size=3)) if data is not None and page else []
    found, note = find_publication_date(page, locale, captions=captions)
    assert note
    assert found is None or date.fromisoformat(found)


@quick(max_examples=500)
@given(text=any_text, day_first=st.booleans(),
       languages=st.one_of(st.none(), st.lists(st.sampled_from(["en", "ru", "hy", "az", "fr", "tr"]), max_size=3)))
@example(text="5 Auguſt 2020", day_first=True, languages=None)
@example(text="7 ноября 2019", day_first=True, languages=None)
def test_parse_date_text_never_raises(text: str, day_first: bool, languages: list[str] | None) -> None:
    found = parse_date_text(text, day_first, languages or None)
    assert found is None or date.fromisoformat(found)


@quick(max_examples=500)
@given(text=any_text, published=published, upcoming=st.booleans())
def test_event_dates_never_raise(text: str, published: date | None, upcoming: bool) -> None:
    for offset, value in dates_in(text, published, upcoming):
        assert 0 <= offset <= len(text) and value


@pytest.mark.parametrize("text", ["on Auguſt 5, 2020", "5 Auguſt 2020", "by ſept 5", "in Aprıl"])
def test_event_dates_survive_case_folding_traps(text: str) -> None:
    dates_in(text, date(2023, 10, 27))


# ------------------------------------------------------------------------------------------------ the coder
@pytest.fixture(scope="module")
def coder(analyzer):
    """The session's Analyzer (tests/conftest.py): the model loads once."""
    return analyzer


@quick(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=any_text, published=published)
@example(text="France condemned Armenia.\n\nAzerbaijan's President Aliyev met Macron on Monday.", published=None)
@example(text="\n\n\n", published=date(2023, 10, 27))
def test_code_text_never_raises(coder, text: str, published: date | None) -> None:
    for event in coder.code_text(text, published):
        assert event.type
        assert 0 <= event.start <= event.end <= len(text)


def test_code_text_survives_a_long_s_in_a_date(coder) -> None:
    coder.code_text("France and Armenia signed a defence accord in Paris on Auguſt 5, 2020.", date(2023, 10, 27))


def test_code_text_survives_a_lone_surrogate(coder) -> None:
    coder.code_text("France condemned Armenia \ud800 on Monday.")
