from datetime import date, timedelta

import pytest

from diplograph.dates import date_line_kind, find_printed_dates, find_publication_date, parse_date_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 Oct, 2023 14:42", "2023-10-06"),
        ("08.11.2019", "2019-11-08"),
        ("November 5, 2024", "2024-11-05"),
        ("(07 November 2019)", "2019-11-07"),
        ("2023-10-03", "2023-10-03"),
        ("2023-10-03T14:42:00Z", "2023-10-03"),
        ("03/10/2023", "2023-10-03"),
        ("Sept. 9, 2021", "2021-09-09"),
        ("21st of March 2022", "2022-03-21"),
        ("7 ноября 2019", "2019-11-07"),
        ("5 Kasım 2019", "2019-11-05"),
    ],
)
def test_parse_printed_forms(text, expected):
    assert parse_date_text(text) == expected


def test_month_first_reading_on_request():
    assert parse_date_text("03/10/2023", day_first=False) == "2023-03-10"
    assert parse_date_text("25/10/2023", day_first=False) == "2023-10-25"  # 25 cannot be a month


@pytest.mark.parametrize("text", ["yesterday", "2 days ago", "last Tuesday", "October 2023", "31.02.2020", ""])
def test_relative_partial_and_impossible_dates_do_not_parse(text):
    assert parse_date_text(text) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("6 Oct, 2023 14:42", "date"),
        ("Published: 5 November 2024 | 14:00 GMT", "published"),
        ("Updated Tuesday, 5 Nov 2024", "updated"),
        ("05/10/2023 - 18:02 | Updated 05/10/2023 - 19:20", "date"),
        ("May 17, 2024 at 10:22 CET", "date"),
        ("Azernews (07 November 2019)", "outlet_date"),
        ("On September 19, 2023, Baku launched an operation.", None),
        ("The talks ended on 5 November 2024 in Paris without a deal.", None),
    ],
)
def test_date_line_kind(line, kind):
    assert date_line_kind(line) == kind


def test_no_printed_date_gives_none_with_a_note():
    lines = ["Ministers met on Monday.", "On September 19, Baku launched a new offensive, officials said."]
    assert find_publication_date(lines, None) == (None, "no publication date printed on the page")


def test_event_date_inside_a_body_sentence_is_never_used():
    lines = [
        "Headline about a summit",
        "The summit opened on March 3, 2022 in Vienna and will run for three days, the organisers said.",
        "Delegations from twenty countries attended the opening session in the old town hall.",
    ]
    assert find_publication_date(lines, None)[0] is None


def test_numeric_order_follows_the_outlet_locale():
    lines = ["Headline", "03/10/2023", "Body sentence that says something about the talks."]
    assert find_publication_date(lines, "en-US")[0] == "2023-03-10"
    assert find_publication_date(lines, "en-GB")[0] == "2023-10-03"


def test_numeric_order_agrees_with_a_written_out_date_on_the_page():
    lines = ["Headline", "08.11.2019", "Outlet Name (07 November 2019)", "The body of the article follows here."]
    published, note = find_publication_date(lines, "en-US")
    assert published == "2019-11-08"
    assert "agrees" in note


def test_labelled_publication_date_beats_update_date():
    lines = ["Updated 2 June 2022", "Headline", "Published 1 June 2022", "Body text follows in a sentence."]
    assert find_publication_date(lines, None)[0] == "2022-06-01"


def test_short_header_line_with_a_date_counts_but_not_a_photo_credit():
    lines = ["Photo: Reuters, 4 May 2021", "Politics | 05.05.2021 | 3 min read", "Headline", "Body sentence here."]
    assert find_publication_date(lines, "en-GB")[0] == "2021-05-05"


def test_caption_date_is_refused_when_the_body_reports_a_later_day():
    caption = "Officials inspect a vessel in the port, Beirut, June 4, 2021."
    lines = [caption, "The statement was issued on Saturday, June 5, after the ministers met."]
    assert find_publication_date(lines, None, captions=[caption])[0] is None


def test_caption_date_needs_the_body_to_confirm_it():
    caption = "Two ministers shake hands in Tbilisi. May 2, 2023."
    confirmed = [caption, "The ministers agreed on Tuesday to build a railway link, the ministry said."]
    unconfirmed = [caption, "The ministers agreed to build a railway link, the ministry said."]
    assert find_publication_date(confirmed, None, captions=[caption])[0] == "2023-05-02"
    assert find_publication_date(unconfirmed, None, captions=[caption])[0] is None


def test_future_dates_are_never_returned_but_today_is():
    today = date.today()
    assert find_publication_date(["Headline", (today + timedelta(days=3)).isoformat(), "Body."], None)[0] is None
    assert find_publication_date(["Headline", today.isoformat(), "Body."], None)[0] == today.isoformat()


def test_find_printed_dates_positions():
    printed = find_printed_dates("From 1 May 2020 to 2020-06-30.")
    assert [(p.start, p.end) for p in printed] == [(5, 15), (19, 29)]
