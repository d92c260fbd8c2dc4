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
