import json
from pathlib import Path

import pytest

from diplograph.clean import OutletMemory, Unusable, clean_document
from diplograph.dedup import content_hash
from diplograph.ingest import iter_documents
from diplograph.models import RawDocument
from diplograph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
SETTINGS = Settings(data_dir=FIXTURES / "data")
EXPECTED = sorted(PAGES.glob("*.expected.json"))
FIELDS = ("body", "title", "outlet", "author", "published", "language", "captions")
HEADLINE = "Chile and Argentina agree to study a mountain tunnel"
PARAGRAPHS = [
    "Santiago and Buenos Aires signed a memorandum on Tuesday to study a tunnel under the Agua Negra pass.",
    "The project would cut travel time for lorries crossing the Andes and keep the route open in winter.",
    "Funding will come partly from a regional development bank, according to the memorandum.",
]


def page_for(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    return next(p for p in PAGES.iterdir() if p.stem == stem and not p.name.endswith(".json"))


def clean_text(text: str, **fields) -> object:
    return clean_document(RawDocument(path="page.txt", kind="text", content=text, **fields), SETTINGS)


def test_there_are_at_least_twelve_fixture_pages():
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_fixture_page_is_cleaned_exactly(expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    [document] = iter_documents([page_for(expected_path)], SETTINGS)
    article = clean_document(document, SETTINGS)
    assert {field: getattr(article, field) for field in FIELDS} == {field: expected[field] for field in FIELDS}
    assert article.id == content_hash(article.body)
    assert all(caption in article.body.splitlines() for caption in article.captions)
    assert not set(article.furniture) & set(article.body.splitlines())


@pytest.mark.parametrize(
    "furniture",
    [
        "Sign up for our weekly newsletter:",
        "Get the Andes Wire in your inbox:",
        "Share",
        "Share on Facebook Twitter WhatsApp",
        "Facebook Forum",
        "XS",
        "A+ A-",
        "Tags: Chile, Argentina, infrastructure",
        "Photo: AFP",
        "Source:",
        "Kaynak/Source:",
        "---",
        "|",
        "<https://andeswire.example/news/118.html>",
        "https://andeswire.example/news/118.html",
        "Home | News | World | Sport",
        "News › Americas",
        "We use cookies to improve your experience. Accept all | Manage preferences",
        "Accept all cookies",
        "Skip to main content",
        "icon-home icon-search iconmail iconclose icon-user",
        "Перейти к основному содержанию",
        "© 2024 Andes Wire. All rights reserved.",
        "Advertisement",
    ],
)
def test_general_furniture_signals(furniture):
    page = "\n".join([HEADLINE, PARAGRAPHS[0], furniture, *PARAGRAPHS[1:]])
    article = clean_text(page)
    assert furniture.strip() not in article.body.splitlines()
    assert article.body.splitlines() == [HEADLINE, *PARAGRAPHS]


def test_byline_becomes_author_and_dateline_becomes_date():
    page = "\n".join([HEADLINE, "By Lucia Fernandez", "Andes Wire (14 March 2024)", *PARAGRAPHS])
    article = clean_text(page)
    assert (article.author, article.published, article.outlet) == ("Lucia Fernandez", "2024-03-14", "Andes Wire")
    assert article.body.splitlines() == [HEADLINE, *PARAGRAPHS]


def test_related_list_is_removed_up_to_the_next_sentence():
    page = "\n".join([HEADLINE, *PARAGRAPHS, "Read more:", "Bolivia joins corridor talks", "Peru opens port"])
    assert clean_text(page).body.splitlines() == [HEADLINE, *PARAGRAPHS]


def test_sentences_that_look_like_labels_are_kept():
    sentences = [
        "By contrast, the Argentine side said the tunnel would be ready within a decade, officials said.",
        "Related talks on a rail link will take place in Mendoza next month, the ministry said.",
        "Source of the dispute, according to diplomats, is the cost of the approach roads.",
    ]
    article = clean_text("\n".join([HEADLINE, *sentences]))
    assert article.body.splitlines() == [HEADLINE, *sentences]
    assert article.author is None


def test_duplicate_adjacent_lines_collapse_and_captions_are_flagged():
    caption = "Chilean and Argentine ministers shake hands in Santiago. March 12, 2024."
    article = clean_text("\n".join([caption, caption, HEADLINE, *PARAGRAPHS]))
    assert article.body.splitlines() == [caption, HEADLINE, *PARAGRAPHS]
    assert article.captions == [caption]
    assert article.title == HEADLINE


def test_line_broken_inside_a_sentence_is_rejoined():
    first, second = (
        "The ministers discussed the financing and the route of",
        "the tunnel with officials from both sides.",
    )
    article = clean_text("\n".join([HEADLINE, first, second, *PARAGRAPHS]))
    assert article.body.splitlines() == [HEADLINE, f"{first} {second}", *PARAGRAPHS]


def test_no_title_when_the_page_starts_with_prose():
    assert clean_text("\n".join(PARAGRAPHS)).title is None


def test_input_metadata_wins():
    article = clean_text(
        "\n".join([HEADLINE, "14 March 2024", *PARAGRAPHS]),
        title="Given",
        outlet="Given Outlet",
        published="2020-01-02",
    )
    assert (article.title, article.outlet, article.published, article.date_note) == (
        "Given",
        "Given Outlet",
        "2020-01-02",
        "given by the input",
    )


def test_outlet_from_url_domain():
    article = clean_text("\n".join([HEADLINE, *PARAGRAPHS]), url="https://www.nordiccourier.example/a/1")
    assert article.outlet == "Nordic Courier"


def test_non_coded_language_is_kept_but_not_coded():
    [document] = iter_documents([PAGES / "volga_vestnik_cp1251.txt"], SETTINGS)
    article = clean_document(document, SETTINGS)
    assert (article.language, article.coded) == ("ru", False)


def test_outlet_memory_removes_short_lines_repeated_across_pages():
    memory = OutletMemory(min_pages=2)
    promo = "Weekend edition out now"
    bodies = []
    for number in range(3):
        page = "\n".join([f"{HEADLINE} {number}", PARAGRAPHS[0], promo, f"{PARAGRAPHS[1]} Page {number}."])
        document = RawDocument(path=f"p{number}.txt", kind="text", content=page, outlet="Andes Wire")
        bodies.append(clean_document(document, SETTINGS, memory).body)
    assert promo in bodies[0] and promo in bodies[1]
    assert promo not in bodies[2]


def test_html_without_article_body_is_unusable():
    html = "<html><head><title>Login</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(Unusable) as raised:
        clean_document(RawDocument(path="x.html", kind="html", content=html), SETTINGS)
    assert raised.value.reason == "HTML page has no article body"


def test_text_made_only_of_furniture_is_unusable():
    with pytest.raises(Unusable):
        clean_text("Share\n---\nTags: none\nHome | News | Sport")
