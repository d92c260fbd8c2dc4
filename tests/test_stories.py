"""Story clusters and event de-duplication on the example corpus, ingested by the real pipeline into DuckDB."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from diplograph import framing, stories
from diplograph.pipeline import Ingestor
from diplograph.settings import Settings
from diplograph.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
LABELS = ROOT / "tests" / "data" / "story_labels.csv"


_BUILT: dict[str, Path] = {}


def analysed_corpus(tmp_path_factory) -> Path:
    """The example corpus ingested, then stories, event groups and framing built; once per test session."""
    if "db" not in _BUILT:
        path = tmp_path_factory.mktemp("stories") / "corpus.duckdb"
        with Store(path) as store:
            Ingestor(store, Settings(db_path=str(path))).run([str(CORPUS)])
            framing.build_all(store.con)
        _BUILT["db"] = path
    return _BUILT["db"]


@pytest.fixture(scope="session")
def analysed_db(tmp_path_factory) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the analysed corpus (test_framing imports this fixture; the build itself is shared)."""
    con = duckdb.connect(str(analysed_corpus(tmp_path_factory)))
    yield con
    con.close()


def story_of(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return stories.predicted_stories(con)


def test_clusters_match_the_labelled_stories(analysed_db) -> None:
    gold = stories.load_labels(str(LABELS))
    predicted = story_of(analysed_db)
    assert set(gold) <= set(predicted), "every labelled article is ingested and assigned a story"
    scores = stories.cluster_scores(predicted, gold)
    assert scores["purity"] == 1.0 and scores["inverse_purity"] == 1.0, scores
    partition = {frozenset(k for k in gold if predicted[k] == s) for s in {predicted[k] for k in gold}}
    expected = {frozenset(k for k in gold if gold[k] == label) for label in set(gold.values())}
    assert partition == expected


def test_the_readme_pairs_and_why_they_were_linked(analysed_db) -> None:
    reasons = dict(((a, b), r) for a, b, r in analysed_db.execute("""
        SELECT regexp_extract(x.path, '([^/]+)$', 1), regexp_extract(y.path, '([^/]+)$', 1), p.reason
        FROM story_pairs p JOIN articles x ON x.id = p.article_id JOIN articles y ON y.id = p.other_id""").fetchall())
    reasons.update({(b, a): r for (a, b), r in list(reasons.items())})
    assert reasons[("05_paris_diplomatic_wire_granada.txt", "06_continental_post_granada_syndicated.txt")] \
        == "near-duplicate"
    for a, b in [("01_caspian_ledger_french_radars.txt", "02_ararat_courier_french_radars.txt"),
                 ("03_absheron_today_antiterror_measures.txt", "04_ararat_courier_karabakh_offensive.txt"),
                 ("12_caspian_ledger_expels_french_diplomats.txt",
                  "13_paris_diplomatic_wire_france_expels_azerbaijani_diplomats.txt")]:
        assert reasons[(a, b)] == "text + actors + date"
    undated = ("09_tbilisi_bulletin_candidate_status.txt", "21_paris_diplomatic_wire_georgia_candidate_status.txt")
    assert reasons[undated] == "text + actors (undated)"
    # Colonna's visit (17) is two days before Granada (05) and is mentioned there, but it is another happening.
    assert reasons.get(("05_paris_diplomatic_wire_granada.txt", "17_ararat_courier_colonna_yerevan.html")) is None


def test_story_rows_are_consistent(analysed_db) -> None:
    frame = stories.stories_frame(analysed_db)
    assert len(frame) == 6  # the multi-article stories
    karabakh = frame[frame["paths"].map(lambda p: any("03_absheron" in x for x in p))].iloc[0]
    assert karabakh["n_articles"] == 3 and karabakh["n_outlets"] == 3
    assert list(karabakh["outlets"]) == ["Absheron Today", "Ararat Courier", "Volga Review"]
    assert karabakh["first_published"] == "2023-09-20" and karabakh["last_published"] == "2023-09-21"
    assert len(karabakh["top_terms"]) > 0
    n_articles = analysed_db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert analysed_db.execute("SELECT count(*), count(DISTINCT article_id) FROM story_articles").fetchone() \
        == (n_articles, n_articles)
    assert analysed_db.execute("SELECT count(*) FROM story_articles WHERE is_representative").fetchone()[0] \
        == analysed_db.execute("SELECT count(*) FROM stories").fetchone()[0]
    exported = stories.export_frames(analysed_db)
    assert set(exported) == {"stories", "story_articles", "event_groups", "event_mentions"}
    assert all(isinstance(f, pd.DataFrame) and not f.empty for f in exported.values())


def test_every_event_is_in_exactly_one_group(analysed_db) -> None:
    raw = analysed_db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert analysed_db.execute("SELECT count(*), count(DISTINCT event_id) FROM event_mentions").fetchone() == (raw, raw)
    assert analysed_db.execute("SELECT sum(n_mentions) FROM event_groups").fetchone()[0] == raw
    representatives = analysed_db.execute("""SELECT count(*) FROM event_groups g JOIN event_mentions m
        ON m.event_id = g.representative_event_id AND m.group_id = g.group_id""").fetchone()[0]
    assert representatives == analysed_db.execute("SELECT count(*) FROM event_groups").fetchone()[0]
    mixed = analysed_db.execute("""
        SELECT count(*) FROM event_mentions m JOIN events e ON e.id = m.event_id JOIN event_groups g USING (group_id)
        WHERE e.type <> g.type OR e.modality <> g.modality
           OR e.source_country IS DISTINCT FROM g.source_country
           OR (e.target_country IS NOT NULL AND e.target_country IS DISTINCT FROM g.target_country)
        """).fetchone()[0]
    assert mixed == 0  # only a missing target may differ from its group's (fold_missing_target)


def test_same_key_same_day_in_a_story_is_always_one_group(analysed_db) -> None:
    split = analysed_db.execute("""
        SELECT count(*) FROM event_mentions a JOIN events x ON x.id = a.event_id
        JOIN event_mentions b ON b.story_id = a.story_id AND b.event_id > a.event_id JOIN events y ON y.id = b.event_id
        WHERE x.source_country IS NOT DISTINCT FROM y.source_country
          AND x.target_country IS NOT DISTINCT FROM y.target_country AND x.type = y.type
          AND x.modality = y.modality AND x.event_date = y.event_date AND a.group_id <> b.group_id""").fetchone()[0]
    assert split == 0


def groups_told_by(con: duckdb.DuckDBPyConnection, story_file: str, source: str, kind: str,
                   day: str) -> list[list[str]]:
    """The outlets of each group in the story of `story_file` with this source and type, starting on `day` ± 1."""
    return [list(r[0]) for r in con.execute("""
        SELECT g.outlets FROM event_groups g WHERE g.source_country = ? AND g.type = ? AND g.modality = 'asserted'
          AND abs(date_diff('day', g.first_day, ?::DATE)) <= 1 AND g.story_id = (
            SELECT m.story_id FROM story_articles m JOIN articles a ON a.id = m.article_id WHERE a.path LIKE ?)
        ORDER BY g.group_id""", [source, kind, day, f"%{story_file}%"]).fetchall()]


def test_same_event_from_two_outlets_becomes_one_group(analysed_db) -> None:
    # Baku expels two French embassy staff on 26 Dec 2023: told by the Caspian Ledger and the Paris wire.
    assert ["Caspian Ledger", "Paris Diplomatic Wire"] in groups_told_by(
        analysed_db, "12_caspian_ledger", "AZE", "SANCTION", "2023-12-26")
    # The radar contract signed in Paris on 23 Oct 2023, from Baku- and Yerevan-leaning outlets.
    assert ["Ararat Courier", "Caspian Ledger"] in groups_told_by(
        analysed_db, "01_caspian_ledger", "FRA", "SUPPORT", "2023-10-23")
    # An undated page (15) joins the dated report (22) of Armenia freezing its CSTO role.
    assert ["Ararat Courier", "Volga Review"] in [list(r[0]) for r in analysed_db.execute(
        "SELECT outlets FROM event_groups WHERE source_country = 'ARM' AND target_country = 'IGO:CSTO'").fetchall()]


def test_the_syndicated_copy_adds_no_new_events(analysed_db) -> None:
    row = analysed_db.execute("""
        SELECT count(DISTINCT g.group_id), count(*) FILTER (a.path LIKE '%05_paris%'),
               count(*) FILTER (a.path LIKE '%06_continental%')
        FROM event_mentions m JOIN event_groups g USING (group_id) JOIN articles a ON a.id = m.article_id
        WHERE a.path LIKE '%05_paris%' OR a.path LIKE '%06_continental%'""").fetchone()
    groups, in_05, in_06 = row
    assert in_06 > 10
    assert groups <= in_05 + 1  # at most one event of the copy is not also in the original


def test_dedup_counts(analysed_db) -> None:
    counts = stories.dedup_counts(analysed_db)
    raw = analysed_db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert counts["raw_mentions"] == raw
    assert counts["event_groups"] == analysed_db.execute("SELECT count(*) FROM event_groups").fetchone()[0]
    assert counts["merged_mentions"] == raw - counts["event_groups"] >= 40
    assert counts["groups_in_several_outlets"] >= 20
    assert counts["duplicate_ratio_before"] > 0.10
    assert counts["duplicate_ratio_after"] < 0.02 < counts["duplicate_ratio_before"]


def test_build_is_idempotent(analysed_db) -> None:
    before = {t: analysed_db.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in stories.TABLES}
    result = stories.build(analysed_db)
    after = {t: analysed_db.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in stories.TABLES}
    assert before == after
    assert result["event_mentions"] == analysed_db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_link_rules() -> None:
    s = stories.StorySettings()
    assert stories.link_reason(0.3, 1, 3, False, s) == "text + actors + date"
    assert stories.link_reason(0.3, s.date_window_days + 1, 3, False, s) is None
    assert stories.link_reason(0.3, 1, 1, False, s) is None  # too few shared actors
    assert stories.link_reason(0.3, None, 3, False, s) is None  # undated needs the stronger threshold
    assert stories.link_reason(0.5, None, 3, False, s) == "text + actors (undated)"
    assert stories.link_reason(0.0, 400, 0, True, s) == "near-duplicate"


def test_average_linkage_does_not_chain() -> None:
    # A-B and B-C are linked, A-C is not: B goes with one of them, not both.
    groups = stories.average_linkage([0, 1, 2], {(0, 1): 0.30, (1, 2): 0.28}, threshold=0.25)
    assert sorted(map(len, groups)) == [1, 2]
    groups = stories.average_linkage([0, 1, 2], {(0, 1): 0.30, (1, 2): 0.28, (0, 2): 0.27}, threshold=0.25)
    assert groups == [[0, 1, 2]]


def test_group_events_windows_and_coarse_dates() -> None:
    def event(i: int, article: str, day: str | None, outlet: str = "A") -> dict:
        return {"event_id": f"{article}:{i}", "article_id": article, "event_index": i, "source_country": "AZE",
                "target_country": "FRA", "type": "SANCTION", "modality": "asserted", "event_date": day,
                "event_day": date.fromisoformat((day + "-01-01")[:10]) if day else None, "outlet": outlet,
                "published": date(2023, 12, 28), "path": article, "story_id": 1}

    events = pd.DataFrame([event(0, "a", "2023-12-26"), event(1, "b", "2023-12-27", "B"),
                           event(2, "b", "2023-12-31", "B"), event(3, "c", "2023-11", "C")])
    events = events.astype({"event_day": object, "published": object})
    groups, mentions = stories.group_events(events)
    assert sorted(groups["n_mentions"]) == [1, 1, 2]  # 26-27 Dec together; 31 Dec apart; November apart
    assert Counter(mentions["group_id"]).most_common(1)[0][1] == 2
    # A month-precision mention folds into the only day group inside that month; an undated one into the only group.
    events = pd.DataFrame([event(0, "a", "2023-12-26"), event(1, "b", "2023-12", "B"), event(2, "c", None, "C")])
    groups, _ = stories.group_events(events.astype({"event_day": object, "published": object}))
    assert list(groups["n_mentions"]) == [3] and list(groups["outlets"].iloc[0]) == ["A", "B", "C"]
    # A report whose recipient the coder missed joins the one matching dyadic group; the group keeps the target.
    no_target = {**event(4, "d", "2023-12-26", "D"), "target_country": None}
    events = pd.DataFrame([event(0, "a", "2023-12-26"), no_target])
    groups, mentions = stories.group_events(events.astype({"event_day": object, "published": object}))
    assert list(groups["n_mentions"]) == [2] and groups["target_country"].iloc[0] == "FRA"
    assert mentions.set_index("event_id")["is_representative"].to_dict() == {"a:0": True, "d:4": False}
    groups, _ = stories.group_events(events.astype({"event_day": object, "published": object}),
                                     stories.StorySettings(fold_missing_target=False))
    assert len(groups) == 2
