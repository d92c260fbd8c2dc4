"""The REST API and the HTML pages through FastAPI's TestClient, on real databases (no mocks)."""

from __future__ import annotations

import warnings

import duckdb
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette: "use httpx2" (httpx is the pinned client)
    from fastapi.testclient import TestClient

from conftest_web import build_sql_db, example_db, sql_db  # noqa: F401 - fixtures
from diplograph import analytics
from diplograph.serve import CSP, create_app

INJECTIONS = ["' OR '1'='1", "FRA'; DROP TABLE events; --", "\" OR 1=1 --", "%' UNION SELECT id FROM articles --",
              "1; SELECT * FROM runs", "FRA) OR (1=1", "\\", "%00", "<script>alert(1)</script>"]


@pytest.fixture(scope="module")
def client(example_db):  # noqa: F811
    app = create_app(str(example_db))
    with TestClient(app) as test_client:
        yield test_client
    app.state.connection.close()


@pytest.fixture(scope="module")
def small(sql_db):  # noqa: F811
    app = create_app(str(sql_db))
    with TestClient(app) as test_client:
        yield test_client
    app.state.connection.close()


def first_article_id(example_db) -> str:  # noqa: F811
    with duckdb.connect(str(example_db), read_only=True) as con:
        return con.execute("SELECT article_id FROM events GROUP BY article_id ORDER BY count(*) DESC, article_id"
                           " LIMIT 1").fetchone()[0]


# -- endpoints -------------------------------------------------------------------------------------------------------
def test_articles(client):
    body = client.get("/api/articles", params={"limit": 5}).json()
    assert body["total"] >= 20 and len(body["items"]) == 5
    assert {"id", "title", "outlet", "published", "events"} <= set(body["items"][0])
    following = client.get("/api/articles", params={"limit": 5, "offset": 5}).json()["items"]
    assert not {i["id"] for i in following} & {i["id"] for i in body["items"]}
    outlet = body["items"][0]["outlet"]
    assert all(i["outlet"] == outlet for i in client.get("/api/articles", params={"outlet": outlet}).json()["items"])


def test_article(client, example_db):  # noqa: F811
    article_id = first_article_id(example_db)
    article = client.get(f"/api/articles/{article_id}").json()
    assert article["id"] == article_id and article["body"]
    assert article["events"] and all(e["article_id"] == article_id for e in article["events"])
    event = article["events"][0]
    assert article["body"][event["trigger_start"]:event["trigger_end"]] == event["trigger"]
    assert client.get("/api/articles/nope").status_code == 404


def test_article_near_duplicates_both_ways(small):
    assert [d["id"] for d in small.get("/api/articles/art1").json()["near_duplicates"]] == ["art2"]
    assert [d["id"] for d in small.get("/api/articles/art2").json()["near_duplicates"]] == ["art1"]


def test_events_filters_and_pagination(client):
    everything = client.get("/api/events", params={"limit": 1000}).json()
    assert everything["total"] == len(everything["items"]) > 100
    fra = client.get("/api/events", params={"source": "fra", "limit": 1000}).json()
    assert fra["total"] > 0 and all(e["source_country"] == "FRA" for e in fra["items"])
    dyad = client.get("/api/events", params={"source": "AZE", "target": "FRA"}).json()
    assert all((e["source_country"], e["target_country"]) == ("AZE", "FRA") for e in dyad["items"])
    negated = client.get("/api/events", params={"modality": "negated", "limit": 1000}).json()
    assert negated["total"] > 0 and {e["modality"] for e in negated["items"]} == {"negated"}
    accuse = client.get("/api/events", params={"type": "ACCUSE"}).json()
    assert {e["type"] for e in accuse["items"]} == {"ACCUSE"}
    in_2023 = client.get("/api/events", params={"start": "2023-01-01", "end": "2023-12-31", "limit": 1000}).json()
    assert 0 < in_2023["total"] < everything["total"]
    assert all("2023-01-01" <= e["day"] <= "2023-12-31" for e in in_2023["items"])
    outlet = everything["items"][0]["outlet"]
    assert {e["outlet"] for e in client.get("/api/events", params={"outlet": outlet}).json()["items"]} == {outlet}
    page1 = client.get("/api/events", params={"limit": 10}).json()["items"]
    page2 = client.get("/api/events", params={"limit": 10, "offset": 10}).json()["items"]
    assert len(page1) == len(page2) == 10 and not {e["id"] for e in page1} & {e["id"] for e in page2}


def test_dyad(client, example_db):  # noqa: F811
    body = client.get("/api/dyad", params={"a": "FRA", "b": "AZE"}).json()
    expected = analytics.dyad_series(example_db, "FRA", "AZE")
    assert body["total"] == expected["events"].sum() > 0
    assert body["by"] == "month" and not body["directed"]
    assert {"period", "quad_class", "type", "events", "score_mean", "score_sum"} == set(body["series"][0])
    directed = client.get("/api/dyad", params={"a": "FRA", "b": "AZE", "directed": "true", "by": "week"}).json()
    assert directed["total"] <= body["total"]
    typed = client.get("/api/dyad", params={"a": "FRA", "b": "AZE", "types": "ACCUSE"}).json()
    assert {r["type"] for r in typed["series"]} == {"ACCUSE"}
    igo = client.get("/api/dyad", params={"a": "ARM", "b": "IGO:EU"})
    assert igo.status_code == 200


def test_network(client):
    body = client.get("/api/network").json()
    assert body["nodes"] and body["edges"]
    actors = {n["actor"] for n in body["nodes"]}
    assert all(e["a"] in actors and e["b"] in actors for e in body["edges"])
    assert {"a", "b", "events", "cooperation", "conflict", "net_score"} <= set(body["edges"][0])
    busy = client.get("/api/network", params={"min_events": 10}).json()
    assert all(e["events"] >= 10 for e in busy["edges"]) and len(busy["edges"]) < len(body["edges"])


def test_actors(client):
    items = client.get("/api/actors").json()["items"]
    assert items[0]["events"] >= items[-1]["events"]
    profile = client.get("/api/actors/FRA").json()
    assert profile["actor"] == "FRA" and profile["summary"]["events"] > 0
    assert profile["partners"] and profile["timeline"] and profile["events"] and profile["by_type"]
    assert client.get("/api/actors/igo:eu").json()["actor"] == "IGO:EU"
    assert client.get("/api/actors/ZZZ").status_code == 404


def test_search(client):
    body = client.get("/api/search", params={"q": "radar"}).json()
    assert body["total"] > 0
    assert all("radar" in (i["title"] + " " + i["snippet"]).lower() for i in body["items"])
    # LIKE wildcards are literal
    assert client.get("/api/search", params={"q": "%%"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "__"}).json()["total"] == 0
    assert len(client.get("/api/search", params={"q": "the", "limit": 2}).json()["items"]) == 2


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/events", "/api/dyad", "/api/network",
            "/api/actors", "/api/actors/{code}", "/api/search"} <= set(paths)


# -- bad parameters: 4xx JSON, never 500 --------------------------------------------------------------------------
BAD = [
    "/api/dyad?a=FRA&b=AZE&by=year", "/api/dyad?a=FRA", "/api/dyad?a=FRA&b=AZE&start=2023-02-30",
    "/api/dyad?a=FRA&b=AZE&start=yesterday", "/api/dyad?a=FRA&b=AZE&start=2024-01-01&end=2023-01-01",
    "/api/dyad?a=FRA&b=AZE&modalities=negated", "/api/dyad?a=FRA&b=AZE&modalities=perhaps",
    "/api/dyad?a=FRA&b=AZE&directed=maybe", "/api/dyad?a=FRA&b=AZE&types=A;B", "/api/dyad?a=" + "A" * 41 + "&b=AZE",
    "/api/events?limit=0", "/api/events?limit=1001", "/api/events?limit=abc", "/api/events?offset=-1",
    "/api/events?offset=99999999999999999999999", "/api/events?start=2023-1-1x", "/api/events?end=31/12/2023",
    "/api/events?modality=sometimes", "/api/events?source=" + "X" * 41,
    "/api/articles?limit=100000", "/api/articles?offset=-5", "/api/network?min_events=0",
    "/api/network?max_nodes=x", "/api/network?start=2023-99-01", "/api/actors/FRA?by=year",
    "/api/actors/FRA?partners=0", "/api/search", "/api/search?q=a", "/api/search?q=" + "a" * 201,
    "/api/search?q=ab&limit=0", "/api/nope",
]


@pytest.mark.parametrize("url", BAD)
def test_bad_parameters_are_4xx_json(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("url", ["/?start=junk", "/?page=0", "/?modality=x", "/dyad?a=FRA&b=AZE&by=decade",
                                 "/dyad?a=FRA'--&b=AZE", "/network?min_events=-1", "/actor/NOPE", "/actor/'or'1",
                                 "/article/nope", "/search?q=" + "x" * 300, "/nowhere"])
def test_bad_page_parameters_are_4xx_html(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_every_filter(client, value):
    filters = {
        "/api/events": ["source", "target", "type", "modality", "outlet", "start", "end"],
        "/api/articles": ["outlet"],
        "/api/dyad": ["a", "b", "types", "modalities", "start", "end", "outlet"],
        "/api/network": ["modalities", "types", "start", "end", "outlet"],
        "/api/search": ["q"],
        "/": ["source", "target", "type", "modality", "outlet", "start", "end"],
        "/dyad": ["a", "b", "start", "end"],
        "/network": ["start", "end"],
        "/search": ["q"],
    }
    base = {"/api/dyad": {"a": "FRA", "b": "AZE"}}
    for path, names in filters.items():
        for name in names:
            response = client.get(path, params={**base.get(path, {}), name: value})
            assert response.status_code < 500, (path, name, response.text)
            if response.status_code == 200 and path == "/api/events":
                assert response.json()["total"] == 0
    for path in (f"/api/actors/{value}", f"/api/articles/{value}", f"/actor/{value}", f"/article/{value}"):
        assert client.get(path).status_code in (404, 422)
    assert client.get("/api/events").json()["total"] > 100  # still there


# -- transport rules ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_only_get_and_head(client, method):
    response = client.request(method, "/api/events")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
    assert response.headers["content-security-policy"] == CSP


def test_head(client):
    assert client.head("/").status_code == 200
    assert client.head("/api/events").status_code == 200


def test_body_over_a_megabyte_is_413(client):
    big = b"x" * (1024 * 1024 + 1)
    assert client.request("GET", "/api/events", content=big).status_code == 413
    assert client.request("POST", "/api/events", content=big).status_code == 413
    assert client.request("GET", "/api/events", content=b"x" * 1000).status_code == 200


@pytest.mark.parametrize("url", ["/", "/api/events", "/static/style.css", "/api/nope", "/nowhere", "/openapi.json"])
def test_security_headers_everywhere(client, url):
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_connection_is_read_only(client):
    with pytest.raises(duckdb.Error):
        client.app.state.connection.execute("DELETE FROM events")


# -- pages -----------------------------------------------------------------------------------------------------------
def test_pages_render(client, example_db):  # noqa: F811
    article_id = first_article_id(example_db)
    for url in ("/", "/?page=2", "/?source=FRA&target=AZE&type=&modality=&outlet=&start=&end=", "/dyad",
                "/dyad?a=FRA&b=ARM", "/dyad?a=FRA&b=AZE&by=week&directed=true&hypothetical=true", "/network",
                "/network?min_events=5", "/actor/FRA", "/actor/IGO:EU", f"/article/{article_id}",
                "/search?q=Aliyev", "/search", "/static/app.js", "/static/style.css"):
        response = client.get(url)
        assert response.status_code == 200, url
    dyad = client.get("/dyad?a=FRA&b=ARM").text
    assert "<svg class=\"chart\"" in dyad and "<rect class=\"bar" in dyad
    network = client.get("/network").text
    assert 'href="/actor/FRA"' in network and "<line class=\"edge\"" in network
    article = client.get(f"/article/{article_id}").text
    assert article.count('<mark class="trigger') > 0


def test_article_page_escapes_text(tmp_path):
    db = build_sql_db(tmp_path / "evil.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE articles SET title = '<script>alert(1)</script>', body = '<img src=x onerror=alert(1)>',"
                    " url = 'javascript:alert(1)', outlet = '\"><b>x</b>' WHERE id = 'art1'")
        con.execute("UPDATE events SET sentence = '<svg onload=alert(1)>', trigger = '<b>', source_text = '<i>'"
                    " WHERE article_id = 'art1'")
    app = create_app(str(db))
    with TestClient(app) as test_client:
        for url in ("/article/art1", "/", "/search?q=script", "/actor/FRA", "/dyad?a=FRA&b=AZE"):
            html = test_client.get(url).text
            assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
            assert 'href="javascript:' not in html and "<b>x</b>" not in html
        page = test_client.get("/article/art1").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    app.state.connection.close()


# -- stories and framing ---------------------------------------------------------------------------------------------
def query_one(db, sql, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_stories_api(client, example_db):  # noqa: F811
    body = client.get("/api/stories").json()
    multi = query_one(example_db, "SELECT count(*) FROM stories WHERE n_articles > 1")[0][0]
    assert body["total"] == len(body["items"]) == multi > 0
    assert body["dedup"]["event_groups"] <= body["dedup"]["raw_mentions"]
    story = body["items"][0]
    assert {"story_id", "title", "first_published", "outlets", "articles", "event_groups"} <= set(story)
    assert len(story["articles"]) == story["n_articles"] >= 2
    assert {a["outlet"] for a in story["articles"]} == set(story["outlets"])
    groups = story["event_groups"]
    assert groups and sum(g["n_mentions"] for g in groups) == query_one(
        example_db, "SELECT count(*) FROM event_mentions WHERE story_id = ?", [story["story_id"]])[0][0]
    assert all(g["representative"]["article_id"] in {a["id"] for a in story["articles"]} for g in groups)
    everything = client.get("/api/stories", params={"all": "true", "events": "false", "limit": 1000}).json()
    assert everything["total"] == query_one(example_db, "SELECT count(*) FROM stories")[0][0] > multi
    assert "event_groups" not in everything["items"][0]
    assert len(client.get("/api/stories", params={"limit": 2}).json()["items"]) == 2


def test_outlets_api(client, example_db):  # noqa: F811
    from diplograph import framing

    items = client.get("/api/outlets").json()["items"]
    with duckdb.connect(str(example_db), read_only=True) as con:
        expected = framing.outlet_report(con)
    assert [i["outlet"] for i in items] == [r["outlet"] for r in expected]
    courier = next(i for i in items if i["outlet"] == "Ararat Courier")
    assert courier["contested_terms"] and courier["tone"] and courier["distinctive_basis"] == "shared stories"
    assert len(client.get("/api/outlets", params={"top": 1}).json()["items"][0]["tone"]) <= 1


def test_framing_sentences_api(client, example_db):  # noqa: F811
    term, n_hits, n_quoted = query_one(example_db, "SELECT term, n_hits, n_quoted FROM framing_terms"
                                                   " WHERE outlet = 'Ararat Courier' ORDER BY n_hits DESC, term")[0]
    body = client.get("/api/framing/sentences", params={"outlet": "Ararat Courier", "term": term}).json()
    keys = query_one(example_db, "SELECT DISTINCT article_id, sentence_index FROM framing_term_hits"
                                 " WHERE outlet = 'Ararat Courier' AND term = ?", [term])
    assert body["total"] == len(keys) == len(body["items"]) > 0
    assert sum(i["hits"] for i in body["items"]) == n_hits
    for item in body["items"]:
        marked = [text for text, kind in item["parts"] if kind == "term"]
        assert marked and "".join(text for text, _ in item["parts"]) == item["text"]
        assert item["outlet"] == "Ararat Courier"
    own = client.get("/api/framing/sentences", params={"outlet": "Ararat Courier", "term": term, "quoted": "false"})
    assert sum(i["hits"] - i["quoted_hits"] for i in own.json()["items"]) == n_hits - n_quoted
    actor, n_sentences, mean = query_one(example_db, "SELECT actor, n_sentences, mean_compound FROM actor_tone"
                                                     " WHERE outlet = 'Volga Review' ORDER BY n_sentences DESC")[0]
    tone = client.get("/api/framing/sentences", params={"outlet": "Volga Review", "actor": actor}).json()
    assert tone["total"] == n_sentences and tone["mean_compound"] == pytest.approx(mean, abs=1e-3)
    assert any(kind == "actor" for item in tone["items"] for _, kind in item["parts"])
    word, count = query_one(example_db, "SELECT term, count_outlet FROM framing_log_odds"
                                        " WHERE outlet = 'Absheron Today' ORDER BY rank")[0]
    words = client.get("/api/framing/sentences", params={"outlet": "Absheron Today", "word": word}).json()
    assert words["total"] > 0 and all(word.split()[0] in i["text"].lower() for i in words["items"])
    speaker, n_events = query_one(example_db, "SELECT speaker, n_events FROM outlet_speakers"
                                              " WHERE outlet = 'Ararat Courier' ORDER BY n_events DESC")[0]
    quotes = client.get("/api/framing/sentences", params={"outlet": "Ararat Courier", "speaker": speaker}).json()
    assert quotes["total"] == n_events
    page = client.get("/api/framing/sentences", params={"outlet": "Volga Review", "actor": actor, "limit": 1,
                                                        "offset": 1}).json()
    assert page["items"][0]["text"] == tone["items"][1]["text"]


def test_openapi_lists_story_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/outlets", "/api/framing/sentences"} <= set(paths)
    assert not {"/framing", "/stories", "/framing/sentences"} & set(paths)


def test_framing_and_stories_pages(client, example_db):  # noqa: F811
    page = client.get("/framing")
    assert page.status_code == 200
    outlets = [o for (o,) in query_one(example_db, "SELECT outlet FROM articles GROUP BY outlet"
                                                   " ORDER BY count(*) DESC, outlet LIMIT 2")]
    for outlet in outlets:
        assert f'data-outlet="{outlet}"' in page.text
    assert page.text.count('class="card outlet-column"') == 2
    assert "/framing/sentences?outlet=" in page.text and 'class="tone-link' in page.text
    three = client.get("/framing", params={"outlet": ["Ararat Courier", "Absheron Today", "Volga Review"]}).text
    assert three.count('class="card outlet-column"') == 3 and "shared stories" in three
    assert "reported-count" in three  # coverage of shared event groups
    stories_page = client.get("/stories").text
    first_title = client.get("/api/stories").json()["items"][0]["title"]
    assert first_title.replace("'", "&#39;").replace('"', "&#34;") in stories_page
    assert 'href="/stories"' in stories_page and 'href="/framing"' in stories_page  # the nav
    for url in ("/stories?all=true", "/stories?page=2", "/framing/sentences?outlet=Ararat+Courier&actor=AZE",
                "/framing/sentences?outlet=Ararat+Courier&term=artsakh&quoted=false"):
        assert client.get(url).status_code == 200, url


STORY_BAD = [
    "/api/stories?limit=0", "/api/stories?limit=1001", "/api/stories?offset=-1", "/api/stories?all=maybe",
    "/api/stories?events=perhaps", "/api/outlets?top=0", "/api/outlets?top=x", "/api/framing/sentences",
    "/api/framing/sentences?outlet=Ararat+Courier", "/api/framing/sentences?outlet=Ararat+Courier&term=a&actor=AZE",
    "/api/framing/sentences?outlet=Nowhere&term=artsakh", "/api/framing/sentences?outlet=Ararat+Courier&term=zzzz",
    "/api/framing/sentences?outlet=Ararat+Courier&actor=AZE&quoted=true",
    "/api/framing/sentences?outlet=Ararat+Courier&term=artsakh&quoted=sometimes",
    "/api/framing/sentences?outlet=Ararat+Courier&term=+", "/api/framing/sentences?outlet=" + "x" * 201 + "&term=a",
    "/api/framing/sentences?outlet=Ararat+Courier&term=" + "t" * 101,
    "/api/framing/sentences?outlet=Ararat+Courier&actor=ZZZ", "/api/framing/sentences?outlet=Ararat+Courier&word=qqq",
    "/api/framing/sentences?outlet=Ararat+Courier&speaker=NOBODY", "/api/framing/sentences?outlet=~unknown&term=a",
    "/api/framing/sentences?outlet=Ararat+Courier&term=artsakh&limit=0",
]


@pytest.mark.parametrize("url", STORY_BAD)
def test_story_bad_parameters_are_4xx_json(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("url", [
    "/framing?outlet=Nowhere", "/framing?outlet=" + "x" * 201, "/framing?" + "&".join(f"outlet={i}" for i in range(13)),
    "/framing?outlet=~unknown", "/framing/sentences", "/framing/sentences?outlet=Ararat+Courier",
    "/framing/sentences?outlet=Ararat+Courier&term=zzzz", "/framing/sentences?outlet=Ararat+Courier&actor=AZE&word=x",
    "/framing/sentences?outlet=Ararat+Courier&term=artsakh&page=0", "/stories?page=0", "/stories?all=maybe"])
def test_story_bad_page_parameters_are_4xx_html(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, url
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_story_filters(client, value):
    cases = [("/api/framing/sentences", {"outlet": "Ararat Courier"}, ["term", "actor", "word", "speaker"]),
             ("/framing/sentences", {"outlet": "Ararat Courier"}, ["term", "actor", "word", "speaker"]),
             ("/api/framing/sentences", {"term": "artsakh"}, ["outlet"]),
             ("/framing/sentences", {"actor": "AZE"}, ["outlet"]),
             ("/framing", {}, ["outlet"]), ("/api/stories", {}, ["all", "limit"]), ("/stories", {}, ["all", "page"]),
             ("/api/outlets", {}, ["top"])]
    for path, base, names in cases:
        for name in names:
            response = client.get(path, params={**base, name: value})
            assert 400 <= response.status_code < 500, (path, name, response.text)
    assert client.get("/api/stories").json()["total"] > 0  # still there
    assert client.get("/api/outlets").json()["items"]


def test_missing_framing_tables_say_what_to_run(small, sql_db):  # noqa: F811
    command = f"diplograph stories --db {sql_db}"
    for url in ("/framing", "/stories", "/framing/sentences?outlet=Outlet+One&term=separatist",
                "/framing?outlet=Outlet+One"):
        response = small.get(url)
        assert response.status_code == 200, url
        assert 'id="framing-missing"' in response.text and command in response.text
    for url in ("/api/stories", "/api/outlets", "/api/framing/sentences?outlet=Outlet+One&term=separatist"):
        response = small.get(url)
        assert response.status_code == 409, url
        assert command in response.json()["detail"]
    assert small.get("/").status_code == 200  # the rest of the dashboard still works


def test_framing_pages_escape_text_and_cover_unknown_outlets(tmp_path):
    from diplograph import framing

    db = build_sql_db(tmp_path / "evil.duckdb")
    evil_outlet = '"><b>x</b><script>alert(2)</script>'
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE articles SET outlet = ?, title = '<script>alert(1)</script>' WHERE id = 'art1'",
                    [evil_outlet])
        con.execute("UPDATE articles SET outlet = NULL WHERE id = 'art3'")
        sentences = [("art1", 0, "<script>alert(1)</script> the separatist regime <img src=x onerror=alert(1)>"),
                     ("art1", 1, 'Baku calls it an "anti-terror operation" <svg onload=alert(1)>.'),
                     ("art2", 0, "Azerbaijan expelled French diplomats over the occupied territories."),
                     ("art3", 0, "Armenia and Azerbaijan agreed to talks on the exodus from Nagorno-Karabakh.")]
        for article_id, index, text in sentences:
            con.execute("INSERT INTO sentences (article_id, sentence_index, start_char, end_char, kind, text)"
                        " VALUES (?, ?, 0, ?, 'body', ?)", [article_id, index, len(text), text])
        con.execute("UPDATE events SET sentence_index = 0")
        con.execute("INSERT INTO actor_mentions (article_id, mention_index, sentence_index, start_char, end_char,"
                    " text, code) VALUES ('art3', 0, 0, 0, 7, 'Armenia', 'ARM')")
        framing.build_all(con)
    app = create_app(str(db))
    with TestClient(app) as test_client:
        urls = ["/framing", "/framing?" + "&".join(f"outlet={o}" for o in ("Outlet+Two", "~unknown")),
                "/stories?all=true", "/api/outlets", "/api/stories?all=true"]
        pages = {url: test_client.get(url) for url in urls}
        framed = test_client.get("/framing", params={"outlet": [evil_outlet, "~unknown"]})
        term = test_client.get("/framing/sentences", params={"outlet": evil_outlet, "term": "separatist regime"})
        quoted = test_client.get("/framing/sentences", params={"outlet": evil_outlet, "term": "anti-terror operation",
                                                               "quoted": "true"})
        unknown = test_client.get("/framing/sentences", params={"outlet": "~unknown", "term": "exodus"})
        tone = test_client.get("/framing/sentences", params={"outlet": "~unknown", "actor": "ARM"})
        for response in [*pages.values(), framed, term, quoted, unknown, tone]:
            assert response.status_code == 200, response.text
            if not response.headers["content-type"].startswith("text/html"):
                continue  # JSON carries the text as it is
            html = response.text
            assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
            assert "<b>x</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in term.text
        assert '<mark class="term">separatist regime' in term.text
        assert 'data-outlet="~unknown"' in framed.text and ">unknown outlet<" in framed.text
        assert "exodus" in framed.text and '<mark class="term">exodus</mark>' in unknown.text
        assert '<mark class="actor">Armenia</mark>' in tone.text
        assert quoted.text.count('class="flag quoted"') == 1
    app.state.connection.close()
