"""Framing per outlet on the example corpus: contested terms, log-odds, tone toward actors, coverage."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from diplograph import framing
from test_stories import analysed_db  # noqa: F401 - the session fixture, built once for both modules


def top_terms(con, outlet: str, n: int = 15) -> list[str]:
    return [r[0] for r in con.execute("SELECT term FROM framing_log_odds WHERE outlet = ? AND rank <= ? ORDER BY rank",
                                      [outlet, n]).fetchall()]


def test_contested_terms_file_is_complete() -> None:
    terms = framing.load_terms()
    assert len(terms) >= 40
    assert len({t.term.lower() for t in terms}) == len(terms)
    assert {t.stance for t in terms} == set(framing.STANCES)
    assert all(t.topic and t.note and t.source for t in terms)
    names = {t.term for t in terms}
    for needed in ("occupied territories", "illegal regime", "separatist regime", "separatist region",
                   "breakaway region", "Artsakh", "enclave", "counter-terrorist operation", "anti-terror measures",
                   "military offensive", "ethnic cleansing", "exodus", "so-called", "puppet", "aggression",
                   "provocation", "liberated", "occupation"):
        assert needed in names


@pytest.mark.parametrize("term, text, found", [
    ("occupied territories", "the formerly occupied territory of Aghdam", "occupied territory"),
    ("so-called", "the so called republic", "so called"),
    ("anti-terror measures", "local anti-terror measure", "anti-terror measure"),
    ("terror", "local anti-terror measures", None),
    ("Artsakh", "ARTSAKH forced to disarm", "ARTSAKH"),
])
def test_term_patterns(term: str, text: str, found: str | None) -> None:
    match = framing.term_pattern(term).search(text)
    assert (match.group(0) if match else None) == found


def test_longest_term_wins_and_quotes_are_flagged() -> None:
    terms = framing.load_terms()
    hits = framing.find_terms('Baku calls it "anti-terror measures" against the separatist regime.', terms)
    assert [(t.term, quoted) for t, _, _, quoted in hits] == [("anti-terror measures", True),
                                                              ("separatist regime", False)]


def test_contested_terms_per_outlet(analysed_db) -> None:  # noqa: F811
    rows = analysed_db.execute("SELECT outlet, term, n_hits, n_quoted FROM framing_terms").fetchall()
    hits = {(o, t): (n, q) for o, t, n, q in rows}
    assert hits[("Absheron Today", "separatist regime")][0] >= 2
    assert hits[("Absheron Today", "anti-terror measures")][1] == 0  # in its own voice
    assert hits[("Ararat Courier", "Artsakh")][0] >= 5
    assert hits[("Ararat Courier", "ethnic cleansing")][0] >= 1
    assert hits[("Ararat Courier", "military offensive")][0] >= 1
    assert hits[("Ararat Courier", "anti-terror measures")][1] == 1  # quotes Baku's name, does not adopt it
    assert ("Ararat Courier", "separatist regime") not in hits
    stance = dict(analysed_db.execute("""SELECT outlet, arg_max(stance, n) FROM (
        SELECT outlet, stance, count(*) AS n FROM framing_term_hits WHERE NOT quoted AND stance LIKE 'pro-%'
        GROUP BY ALL) GROUP BY outlet""").fetchall())
    assert stance["Absheron Today"] == "pro-Baku" and stance["Caspian Ledger"] == "pro-Baku"
    assert stance["Ararat Courier"] == "pro-Yerevan" and stance["Volga Review"] == "pro-Moscow"


def test_every_term_hit_points_to_its_sentence(analysed_db) -> None:  # noqa: F811
    missing = analysed_db.execute("""
        SELECT count(*) FROM framing_term_hits h LEFT JOIN sentences s USING (article_id, sentence_index)
        WHERE s.text IS NULL OR NOT contains(lower(s.text), lower(h.matched))""").fetchone()[0]
    assert missing == 0
    assert analysed_db.execute("""SELECT count(*) FROM framing_terms t, UNNEST(t.sentences) AS u(k)
        LEFT JOIN sentences s ON s.article_id = k.article_id AND s.sentence_index = k.sentence_index
        WHERE s.text IS NULL""").fetchone()[0] == 0


def test_discriminating_terms_of_baku_and_yerevan_leaning_outlets(analysed_db) -> None:  # noqa: F811
    absheron, ararat, caspian = (top_terms(analysed_db, o) for o in ("Absheron Today", "Ararat Courier",
                                                                     "Caspian Ledger"))
    assert {"separatist", "separatist regime"} <= set(absheron)
    assert any("anti-terror" in t for t in top_terms(analysed_db, "Absheron Today", 25))
    assert {"artsakh", "ethnic cleansing"} <= set(ararat)
    assert ararat[0] == "artsakh"
    assert not {"artsakh", "ethnic cleansing"} & set(absheron + caspian)
    assert not {"separatist", "separatist regime"} & set(ararat)
    assert "peacekeepers" in top_terms(analysed_db, "Volga Review")
    basis = dict(analysed_db.execute("SELECT outlet, any_value(basis) FROM framing_log_odds GROUP BY ALL").fetchall())
    assert basis["Ararat Courier"] == "shared stories"  # 02, 04, 22 each share a story with another outlet
    assert basis["Absheron Today"] == "all articles"  # only 03 does


def test_log_odds_is_antisymmetric_and_group_comparison(analysed_db) -> None:  # noqa: F811
    a, b = Counter({"artsakh": 5, "peace": 3}), Counter({"separatist": 4, "peace": 3})
    prior = a + b
    ab = framing.log_odds(a, b, prior).set_index("term")["z"]
    ba = framing.log_odds(b, a, prior).set_index("term")["z"]
    assert all(abs(ab[t] + ba[t]) < 1e-9 for t in ab.index)
    assert ab.idxmax() == "artsakh" and ab.idxmin() == "separatist"
    frame = framing.compare(analysed_db, ["Absheron Today", "Caspian Ledger"], ["Ararat Courier"])
    assert "separatist" in list(frame["term"].head(15))
    assert frame["term"].iloc[-1] == "artsakh"


def test_every_tone_figure_links_to_its_sentences(analysed_db) -> None:  # noqa: F811
    rows = analysed_db.execute("SELECT outlet, actor, n_sentences, mean_compound, sentences FROM actor_tone").fetchall()
    assert len(rows) > 30
    keys = set(analysed_db.execute("SELECT article_id, sentence_index FROM sentences").fetchall())
    for outlet, actor, n, mean, sentences in rows:
        assert -1 <= mean <= 1
        assert len(sentences) == n > 0
        linked = [(k["article_id"], k["sentence_index"]) for k in sentences]
        assert set(linked) <= keys, (outlet, actor)
        assert len(set(linked)) == n
    # The figure is the mean over exactly those sentences.
    check = analysed_db.execute("""
        SELECT max(abs(t.mean_compound - d.mean)) FROM actor_tone t JOIN (
            SELECT outlet, actor, avg(compound) AS mean, count(*) AS n FROM actor_tone_sentences GROUP BY ALL) d
        USING (outlet, actor) WHERE d.n = t.n_sentences""").fetchone()[0]
    assert check < 1e-3
    # Every event source and target is covered for its outlet.
    missing = analysed_db.execute("""
        SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id
        WHERE e.source_country IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM actor_tone_sentences d WHERE d.outlet = a.outlet AND d.actor = e.source_country
            AND d.article_id = e.article_id AND d.sentence_index = e.sentence_index
            AND list_contains(d.roles, 'source'))
        """).fetchone()[0]
    assert missing == 0


def test_sentiment_lexicon_ships_in_the_package() -> None:
    import vaderSentiment

    assert (Path(vaderSentiment.__file__).parent / "vader_lexicon.txt").is_file()
    analyzer = framing.sentiment_analyzer()
    assert analyzer.polarity_scores("a great success")["compound"] > 0.5
    assert analyzer.polarity_scores("a brutal attack that killed civilians")["compound"] < -0.5


def test_coverage_and_speakers(analysed_db) -> None:  # noqa: F811
    mismatched = analysed_db.execute("""
        SELECT count(*) FROM story_coverage c WHERE c.reported <> EXISTS (
            SELECT 1 FROM event_mentions m WHERE m.group_id = c.group_id AND m.outlet = c.outlet)""").fetchone()[0]
    assert mismatched == 0
    per_story = analysed_db.execute("""
        SELECT s.story_id, s.n_outlets * (SELECT count(*) FROM event_groups g WHERE g.story_id = s.story_id),
               (SELECT count(*) FROM story_coverage c WHERE c.story_id = s.story_id)
        FROM stories s WHERE s.n_outlets > 1""").fetchall()
    assert per_story and all(expected == got for _, expected, got in per_story)
    speakers = {(o, s) for o, s in analysed_db.execute("SELECT outlet, speaker FROM outlet_speakers").fetchall()}
    assert ("Paris Diplomatic Wire", "FRA-GOV") in speakers and ("Volga Review", "RUS-GOV") in speakers


def test_outlet_report(analysed_db) -> None:  # noqa: F811
    report = framing.outlet_report(analysed_db)
    json.dumps(report)
    by_outlet = {r["outlet"]: r for r in report}
    assert set(by_outlet) == {r[0] for r in analysed_db.execute("SELECT DISTINCT outlet FROM articles").fetchall()}
    ararat = by_outlet["Ararat Courier"]
    assert ararat["shared_stories"] == 3 and ararat["distinctive_terms"][0]["term"] == "artsakh"
    assert ararat["stance_hits_own_voice"]["pro-Yerevan"] > ararat["stance_hits_own_voice"].get("pro-Baku", 0)
    table = framing.outlets_frame(analysed_db)
    assert len(table) == len(report) and "distinctive terms" in table


def test_framing_build_is_idempotent(analysed_db) -> None:  # noqa: F811
    before = {t: analysed_db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in framing.TABLES}
    framing.build(analysed_db)
    assert before == {t: analysed_db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in framing.TABLES}
