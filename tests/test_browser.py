"""The dashboard in Debian's Chromium (Playwright), served by the real app under uvicorn."""

from __future__ import annotations

import re

import duckdb
import pytest

from conftest_web import browser, example_db, example_server, ingest, live_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()


def test_overview_expand_and_filter(page, example_server):  # noqa: F811
    page.goto(example_server + "/")
    assert int(page.locator("#count-events").inner_text()) > 100
    rows = page.locator("table.events tbody tr.event")
    assert rows.count() == 50
    first = rows.first.locator("details.event-detail")
    assert not first.locator("p.sentence").is_visible()
    first.locator("summary").click()
    assert first.locator("p.sentence").is_visible()
    assert first.locator("mark.trigger").count() == 1
    page.locator("#events button.toggle-all").click()
    assert page.locator("details.event-detail[open]").count() == 50
    page.select_option("select[name=source]", "FRA")
    page.select_option("select[name=target]", "AZE")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"source=FRA"))
    codes = page.locator("table.events tbody tr.event td:nth-child(2)").all_inner_texts()
    assert codes and all(code.startswith("FRA") for code in codes)
    page.goto(example_server + "/?page=2")
    assert page.locator("nav.pages a[rel=prev]").count() == 1
    assert page.errors == []


def test_network_actor_dyad_event_article(page, example_server, example_db):  # noqa: F811
    page.goto(example_server + "/network")
    assert page.locator("svg.network a.node").count() > 5
    assert page.locator("svg.network line.edge").count() > 5
    page.locator('svg.network a.node[data-actor="FRA"] circle').click()
    page.wait_for_url(re.compile(r"/actor/FRA$"))
    assert page.locator("#actor-code").inner_text() == "FRA"
    assert page.locator("svg.chart rect.bar").count() > 0
    page.locator('table.partners a:text-is("AZE")').click()
    page.wait_for_url(re.compile(r"/dyad\?a=FRA&b=AZE"))
    with duckdb.connect(str(example_db), read_only=True) as con:
        expected = con.execute(
            "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE ((source_country = 'FRA'"
            " AND target_country = 'AZE') OR (source_country = 'AZE' AND target_country = 'FRA'))"
            " AND modality IN ('asserted', 'future') AND COALESCE(e.event_day, a.published) IS NOT NULL"
        ).fetchone()[0]
    assert int(page.locator("#dyad-total").inner_text()) == expected
    assert page.locator("svg.chart rect.bar").count() > 0
    row = page.locator("table.events tbody tr.event").first
    row.locator("summary").click()
    title = row.locator("a.article-link").inner_text()
    row.locator("a.article-link").click()
    page.wait_for_url(re.compile(r"/article/"))
    assert page.locator("#article-title").inner_text() == title
    marks = page.locator("#article-body mark.trigger")
    assert marks.count() > 0
    assert page.locator("tr.event.target").count() == 1  # the event followed is highlighted
    assert page.errors == []


def test_dyad_pickers_submit(page, example_server):  # noqa: F811
    page.goto(example_server + "/dyad?a=FRA&b=AZE")
    page.select_option("#pick-b", "KAZ")
    page.wait_for_url(re.compile(r"b=KAZ"))
    assert "FRA ↔ KAZ" in page.locator("h1").inner_text()
    assert page.locator("svg.chart rect.bar").count() > 0


def test_article_page_shows_near_duplicates(page, example_server, example_db):  # noqa: F811
    with duckdb.connect(str(example_db), read_only=True) as con:
        pair = con.execute("SELECT article_id, other_id FROM near_duplicates LIMIT 1").fetchone()
    if pair is None:
        pytest.skip("no near-duplicates in the example corpus")
    page.goto(f"{example_server}/article/{pair[0]}")
    link = page.locator("#near-duplicates a")
    assert link.count() >= 1
    link.first.click()
    page.wait_for_url(re.compile(pair[1]))


def test_framing_side_by_side_and_tone_to_sentences(page, example_server):  # noqa: F811
    page.goto(example_server + "/framing")
    columns = page.locator("section.outlet-column")
    assert columns.count() == 2
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["x"] >= first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 2  # side by side
    for i in range(2):
        column = columns.nth(i)
        assert column.locator("h2.outlet-name").inner_text() not in ("", "unknown outlet")
        assert column.locator("a.term-link").count() >= 1, column.locator("h2").inner_text()
        stance = column.locator("tr.term-row").first.get_attribute("data-stance")
        assert stance in ("pro-Baku", "pro-Yerevan", "pro-Moscow", "loaded", "neutral")
    outlet = columns.nth(0).locator("h2.outlet-name").inner_text()
    row = columns.nth(0).locator("table.tone tbody tr[data-actor]").first
    actor, n_sentences = row.get_attribute("data-actor"), int(row.locator("td:nth-child(3)").inner_text())
    figure = row.locator("a.tone-link")
    shown = figure.inner_text()
    figure.click()
    page.wait_for_url(re.compile(r"/framing/sentences\?.*actor="))
    assert outlet in page.locator("#sentences-title").inner_text()
    assert actor in page.locator("#sentences-title").inner_text()
    assert int(page.locator("#sentence-total").inner_text()) == n_sentences
    assert page.locator("#mean-tone").inner_text() == shown
    items = page.locator("ol.sentences li.sentence-item")
    assert items.count() == min(n_sentences, 100)
    assert page.locator("ol.sentences mark.actor").count() >= 1
    items.first.locator("a.article-link").click()
    page.wait_for_url(re.compile(r"/article/"))
    page.go_back()
    page.locator("a", has_text="← framing of").click()
    page.wait_for_url(re.compile(r"/framing\?outlet="))
    page.locator("section.outlet-column a.term-link").first.click()
    page.wait_for_url(re.compile(r"/framing/sentences\?.*term="))
    assert page.locator("ol.sentences li.sentence-item").count() >= 1
    assert page.locator("ol.sentences li.sentence-item").count() == page.locator(
        "ol.sentences li.sentence-item:has(mark.term)").count()
    assert page.errors == []


def test_stories_and_outlet_picker(page, example_server):  # noqa: F811
    page.goto(example_server + "/")
    page.locator("nav.main a", has_text="Stories").click()
    page.wait_for_url(re.compile(r"/stories$"))
    stories = page.locator("section.story")
    assert stories.count() == int(page.locator("#story-count").inner_text()) > 0
    first = stories.first
    assert first.locator("ul.story-articles li").count() >= 2
    assert first.locator("table.groups tr.group").count() >= 1
    first.locator("ul.story-articles a").first.click()
    page.wait_for_url(re.compile(r"/article/"))
    page.locator("nav.main a", has_text="Framing").click()
    page.wait_for_url(re.compile(r"/framing$"))
    for box in page.locator("form.outlet-picker input[type=checkbox]").all():
        box.set_checked(box.get_attribute("value") in ("Ararat Courier", "Absheron Today", "Volga Review"))
    page.locator("form.outlet-picker button[type=submit]").click()
    page.wait_for_url(re.compile(r"outlet=.*outlet=.*outlet="))
    assert page.locator("section.outlet-column").count() == 3
    assert page.locator("section.outlet-column details.coverage-story").count() >= 3
    assert page.errors == []


EVIL = """<script>window.__pwned = 1; alert(1)</script> France accuses Azerbaijan <img src=x onerror="window.__pwned=1">

24 Oct, 2023

PARIS — France accused Azerbaijan of meddling on Tuesday <script>window.__pwned = 2</script>, the ministry said.
Officials <img src=x onerror="window.__pwned=3;alert(3)"> said Paris condemned Baku.
Read more at <a href="javascript:window.__pwned=4">javascript:window.__pwned=4</a> and javascript:alert(5).
Azerbaijan rejected the accusation <svg onload="window.__pwned=5"></svg> and summoned the French ambassador.
"""


def test_hostile_page_never_executes(browser, tmp_path):  # noqa: F811
    source = tmp_path / "evil.txt"
    source.write_text(EVIL, encoding="utf-8")
    db = ingest([source], tmp_path / "evil.duckdb")
    with duckdb.connect(str(db), read_only=True) as con:
        article_id, title, body = con.execute("SELECT id, title, body FROM articles").fetchone()
        actors = con.execute("SELECT DISTINCT source_country FROM events WHERE source_country IS NOT NULL"
                             ).fetchall()
    stored = (title or "") + (body or "")
    assert "<script>" in stored or "onerror" in stored  # the hostile markup reached the database as text
    dialogs = []
    context = browser.new_context()
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with live_server(db) as base:
        urls = ["/", f"/article/{article_id}", "/search?q=script", "/search?q=javascript", "/network",
                "/stories?all=true", "/framing"]
        urls += [f"/actor/{code}" for (code,) in actors[:2]]
        tab.goto(base + "/framing")
        urls += [link.get_attribute("href") for link in tab.locator("a.term-link, a.tone-link").all()[:6]]
        for url in urls:
            tab.goto(base + url)
            tab.wait_for_load_state("load")
            for summary in tab.locator("details.event-detail summary").all():
                summary.click()
            for link in tab.locator("a").all():
                assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            assert tab.evaluate("typeof window.__pwned") == "undefined", url
        tab.goto(f"{base}/article/{article_id}")
        shown = tab.locator("#article-title").inner_text() + tab.locator("#article-body").inner_text()
        assert "<script>" in shown or "onerror" in shown  # shown as text
        assert tab.locator("#article-body script, #article-body img, #article-body svg").count() == 0
    context.close()
    assert dialogs == []
