"""analytics.py against a hand-made database with known counts and against the example corpus."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from conftest_web import example_db, sql_db  # noqa: F401 - fixtures
from diplograph import analytics
from diplograph.analytics import AnalyticsError


def test_dyad_series_undirected_counts_asserted_and_future_only(sql_db):  # noqa: F811
    series = analytics.dyad_series(sql_db, "FRA", "AZE")
    assert list(series.columns) == ["period", "quad_class", "type", "events", "score_mean", "score_sum"]
    assert series["events"].sum() == 4  # the negated and the hypothetical event are left out
    january = series[series["period"] == pd.Timestamp("2023-01-01")]
    assert january[["type", "events", "score_sum", "score_mean"]].values.tolist() == [["ACCUSE", 2, -5.0, -2.5]]
    february = series[series["period"] == pd.Timestamp("2023-02-01")].set_index("type")
    assert february.loc["SANCTION", "score_sum"] == -6.0  # no event day: the article's publication day is used
    assert february.loc["CONSULT", "quad_class"] == "verbal_cooperation"


def test_dyad_series_options(sql_db):  # noqa: F811
    assert analytics.dyad_series(sql_db, "AZE", "FRA")["events"].sum() == 4  # order does not matter undirected
    assert analytics.dyad_series(sql_db, "FRA", "AZE", directed=True)["events"].sum() == 2
    assert analytics.dyad_series(sql_db, "AZE", "FRA", directed=True)["events"].sum() == 2
    with_hypothetical = analytics.dyad_series(sql_db, "FRA", "AZE", modalities=("asserted", "future", "hypothetical"))
    assert with_hypothetical["events"].sum() == 5
    # negated is never counted, even when asked for
    assert analytics.dyad_series(sql_db, "FRA", "AZE", modalities=("asserted", "negated"))["events"].sum() == 3
    assert analytics.dyad_series(sql_db, "FRA", "AZE", types=["ACCUSE"])["events"].sum() == 2
    assert analytics.dyad_series(sql_db, "FRA", "AZE", types="accuse,consult")["events"].sum() == 3
    assert analytics.dyad_series(sql_db, "FRA", "AZE", start="2023-02-01")["events"].sum() == 2
    assert analytics.dyad_series(sql_db, "FRA", "AZE", end=date(2023, 1, 16))["events"].sum() == 1
    assert analytics.dyad_series(sql_db, "FRA", "AZE", outlet="Outlet Two")["events"].sum() == 2
    weekly = analytics.dyad_series(sql_db, "FRA", "AZE", by="week")
    assert all(pd.Timestamp(p).day_of_week == 0 for p in weekly["period"])  # weeks start on Monday
    daily = analytics.dyad_series(sql_db, "FRA", "AZE", by="day")
    assert len(set(daily["period"])) == 4


def test_undated_events_are_left_out_of_series_but_kept_in_network(sql_db):  # noqa: F811
    assert analytics.dyad_series(sql_db, "ARM", "AZE").empty
    edges = analytics.network(sql_db).edges.set_index(["a", "b"])
    assert edges.loc[("ARM", "AZE"), "events"] == 1


def test_top_partners(sql_db):  # noqa: F811
    partners = analytics.top_partners(sql_db, "fra").set_index("partner")
    assert list(partners.index) == ["AZE", "ARM"]
    aze = partners.loc["AZE"]
    assert (aze["events"], aze["sent"], aze["received"], aze["cooperation"], aze["conflict"]) == (4, 2, 2, 1, 3)
    assert aze["net_score"] == pytest.approx(-8.5)
    assert len(analytics.top_partners(sql_db, "FRA", limit=1)) == 1


def test_network(sql_db):  # noqa: F811
    net = analytics.network(sql_db)
    edges = {(r.a, r.b): (r.events, r.cooperation, r.conflict, r.net_score) for r in net.edges.itertuples()}
    assert edges == {("AZE", "FRA"): (4, 1, 3, -8.5), ("ARM", "FRA"): (1, 1, 0, 5.0),
                     ("ARM", "AZE"): (1, 1, 0, 2.5), ("ARM", "IGO:EU"): (1, 1, 0, 7.0)}
    nodes = dict(zip(net.nodes["actor"], net.nodes["events"], strict=True))
    assert nodes == {"FRA": 5, "AZE": 5, "ARM": 3, "IGO:EU": 1}
    busy = analytics.network(sql_db, min_events=2)
    assert list(zip(busy.edges["a"], busy.edges["b"], strict=True)) == [("AZE", "FRA")]
    assert set(busy.nodes["actor"]) == {"AZE", "FRA"}
    two = analytics.network(sql_db, max_nodes=2)
    assert len(two.nodes) == 2 and set(two.edges["a"]) | set(two.edges["b"]) <= set(two.nodes["actor"])


def test_actor_profile(sql_db):  # noqa: F811
    profile = analytics.actor_profile(sql_db, "ARM")
    summary = profile["summary"]
    assert (summary["events"], summary["as_source"], summary["as_target"]) == (4, 3, 1)
    assert (summary["cooperation"], summary["conflict"]) == (3, 1)
    assert summary["codes"] == ["ARM"]
    assert set(profile["partners"]["partner"]) == {"FRA", "AZE", "IGO:EU"}
    assert profile["timeline"]["events"].sum() == 1  # only art1:4 has a day (its article's)
    assert len(profile["events"]) == 4
    assert set(profile["by_type"]["role"]) == {"source", "target"}
    igo = analytics.actor_profile(sql_db, "igo:eu")
    assert igo["actor"] == "IGO:EU" and igo["summary"]["events"] == 1


@pytest.mark.parametrize("call", [
    lambda db: analytics.dyad_series(db, "FRA", "AZE", by="year"),
    lambda db: analytics.dyad_series(db, "FRA'; DROP TABLE events; --", "AZE"),
    lambda db: analytics.dyad_series(db, "FRA", "AZE", start="2023-13-01"),
    lambda db: analytics.dyad_series(db, "FRA", "AZE", start="2023-03-01", end="2023-01-01"),
    lambda db: analytics.dyad_series(db, "FRA", "AZE", modalities=("negated",)),
    lambda db: analytics.dyad_series(db, "FRA", "AZE", modalities=("maybe",)),
    lambda db: analytics.dyad_series(db, "FRA", "AZE", types=["ACCUSE' OR 1=1 --"]),
    lambda db: analytics.top_partners(db, ""),
    lambda db: analytics.actor_profile(db, "FRA", by="hour"),
    lambda db: analytics.dyad_series(str(db) + ".missing", "FRA", "AZE"),
])
def test_bad_parameters_raise_analytics_error(sql_db, call):  # noqa: F811
    with pytest.raises(AnalyticsError):
        call(sql_db)


def test_injection_in_outlet_is_just_a_value(sql_db):  # noqa: F811
    series = analytics.dyad_series(sql_db, "FRA", "AZE", outlet="x' OR '1'='1")
    assert series.empty
    with duckdb.connect(str(sql_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 10


def test_accepts_an_open_connection(sql_db):  # noqa: F811
    with duckdb.connect(str(sql_db), read_only=True) as con:
        assert analytics.dyad_series(con, "FRA", "AZE")["events"].sum() == 4
        assert con.execute("SELECT 1").fetchone() == (1,)  # not closed by the call


def test_example_corpus_matches_plain_sql(example_db):  # noqa: F811
    series = analytics.dyad_series(example_db, "FRA", "AZE")
    with duckdb.connect(str(example_db), read_only=True) as con:
        expected = con.execute(
            "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id"
            " WHERE ((source_country = 'FRA' AND target_country = 'AZE') OR (source_country = 'AZE'"
            " AND target_country = 'FRA')) AND modality IN ('asserted', 'future')"
            " AND COALESCE(e.event_day, a.published) IS NOT NULL").fetchone()[0]
        negated = con.execute("SELECT count(*) FROM events WHERE modality = 'negated'").fetchone()[0]
    assert expected > 0 and series["events"].sum() == expected
    assert negated > 0
    net = analytics.network(example_db)
    assert not net.nodes.empty and not net.edges.empty
    assert (net.edges["a"] < net.edges["b"]).all()
    assert (net.edges["cooperation"] + net.edges["conflict"] <= net.edges["events"]).all()


def test_format_table():
    frame = pd.DataFrame({"period": pd.to_datetime(["2023-01-01", "2023-02-01"]), "type": ["ACCUSE", "x" * 80],
                          "events": [2, 10], "score_sum": [-5.0, 2.5]})
    text = analytics.format_table(frame)
    lines = text.splitlines()
    assert lines[0].split() == ["period", "type", "events", "score_sum"]
    assert lines[2].startswith("2023-01-01  ACCUSE")
    assert "…" in lines[3] and len(lines[3]) < 100
    assert lines[2].endswith("-5.00") and lines[3].endswith("2.50")
    assert analytics.format_table(frame.iloc[0:0]) == "(no rows)"


def test_dyad_png(sql_db, tmp_path):  # noqa: F811
    path = analytics.dyad_png(analytics.dyad_series(sql_db, "FRA", "AZE"), tmp_path / "dyad.png", title="FRA–AZE")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    empty = analytics.dyad_png(analytics.dyad_series(sql_db, "ARM", "AZE"), tmp_path / "empty.png")
    assert empty.stat().st_size > 1000
