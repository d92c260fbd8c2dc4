"""How each outlet frames each story and actor.

Four analyses, rebuilt from scratch by `build(con)` on an open DuckDB connection (after `stories.build`; `build_all`
runs both):

* contested terms (`data/contested_terms.csv`) counted per outlet, each hit tied to its sentence and flagged when the
  outlet puts it in quotation marks (quoting the other side's word is not using it);
* discriminating terms per outlet: weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi &
  Quinn 2008), each outlet against the other outlets' articles on the same stories when it has enough of them,
  otherwise against all other outlets;
* tone toward each actor per outlet: the VADER lexicon (vaderSentiment, MIT licence) over the sentences where the
  actor is an event's source or target or is mentioned; every figure keeps its sentence keys;
* coverage: which event groups of a shared story each outlet reported, and whom each outlet quotes.

docs/framing.md explains the formulas and how to add a contested term.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from . import stories
from .settings import Settings
from .store import country_of

TABLES: dict[str, str] = {
    "framing_terms": """CREATE TABLE IF NOT EXISTS framing_terms (
        outlet VARCHAR, term VARCHAR, topic VARCHAR, stance VARCHAR, n_hits INTEGER, n_quoted INTEGER,
        n_articles INTEGER, sentences STRUCT(article_id VARCHAR, sentence_index INTEGER)[])""",
    "framing_term_hits": """CREATE TABLE IF NOT EXISTS framing_term_hits (
        outlet VARCHAR, article_id VARCHAR, sentence_index INTEGER, term VARCHAR, topic VARCHAR, stance VARCHAR,
        matched VARCHAR, quoted BOOLEAN, start_char INTEGER)""",
    "framing_log_odds": """CREATE TABLE IF NOT EXISTS framing_log_odds (
        outlet VARCHAR, rank INTEGER, term VARCHAR, z DOUBLE, delta DOUBLE, count_outlet INTEGER,
        count_rest INTEGER, basis VARCHAR, n_articles_outlet INTEGER, n_articles_rest INTEGER)""",
    "actor_tone": """CREATE TABLE IF NOT EXISTS actor_tone (
        outlet VARCHAR, actor VARCHAR, n_sentences INTEGER, mean_compound DOUBLE, share_positive DOUBLE,
        share_negative DOUBLE, as_source INTEGER, as_target INTEGER, as_mention INTEGER,
        sentences STRUCT(article_id VARCHAR, sentence_index INTEGER)[])""",
    "actor_tone_sentences": """CREATE TABLE IF NOT EXISTS actor_tone_sentences (
        outlet VARCHAR, actor VARCHAR, article_id VARCHAR, sentence_index INTEGER, roles VARCHAR[],
        compound DOUBLE)""",
    "story_coverage": """CREATE TABLE IF NOT EXISTS story_coverage (
        story_id INTEGER, group_id INTEGER, outlet VARCHAR, reported BOOLEAN, n_mentions INTEGER)""",
    "outlet_speakers": """CREATE TABLE IF NOT EXISTS outlet_speakers (
        outlet VARCHAR, speaker VARCHAR, speaker_country VARCHAR, n_events INTEGER, n_articles INTEGER,
        names VARCHAR[])""",
}

STANCES = ("pro-Baku", "pro-Yerevan", "pro-Moscow", "loaded", "neutral")
OPEN_QUOTES, CLOSE_QUOTES = "\"“‘'«„", "\"”’'»“"


@dataclass(frozen=True)
class FramingSettings:
    """Every tunable of the framing analyses, in one place."""

    terms_file: str = "contested_terms.csv"  # in Settings().data_dir (DIPLOGRAPH_DATA) unless a path is given
    prior_scale: float = 1.0  # alpha_w = prior_scale * count of w in all articles (Monroe et al.'s informative prior)
    min_term_count: int = 2  # a term is listed for an outlet only if the outlet used it at least this often
    top_terms: int = 25  # discriminating terms kept per outlet
    min_story_articles: int = 2  # compare on shared stories when the outlet has this many articles in them
    positive: float = 0.05  # VADER compound at or above this is a positive sentence
    negative: float = -0.05  # ... at or below this a negative one
    sentence_kinds: tuple[str, ...] = ("title", "body", "caption")  # where contested terms and tone are read
    odds_kinds: tuple[str, ...] = ("title", "body")  # where log-odds counts words (captions carry photo credits)


SETTINGS = FramingSettings()


# -- contested terms ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    term: str
    topic: str
    stance: str
    note: str
    source: str
    pattern: re.Pattern


def term_pattern(term: str) -> re.Pattern:
    """'occupied territories' also matches 'occupied territory'; words may be joined by spaces or hyphens."""
    words = [w for w in re.split(r"[\s\-‐–]+", term.strip()) if w]
    parts = [re.escape(w) for w in words[:-1]]
    last = words[-1]
    if last.lower().endswith("ies"):
        parts.append(re.escape(last[:-3]) + "(?:y|ies)")
    elif last.lower().endswith("s") and not last.lower().endswith("ss"):
        parts.append(re.escape(last[:-1]) + "s?")
    elif last[-1].isalpha():
        parts.append(re.escape(last) + "(?:s|es)?")
    else:
        parts.append(re.escape(last))
    return re.compile(r"(?<![\w-])" + r"[\s\-‐–]+".join(parts) + r"(?![\w-])", re.IGNORECASE)


def load_terms(path: str | Path | None = None) -> list[Term]:
    """The contested terms, longest first (a longer term wins over one inside it)."""
    path = Path(path) if path else Settings().data_dir / SETTINGS.terms_file
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    terms = []
    for row in rows:
        if not (row.get("term") or "").strip():
            continue
        if row["stance"] not in STANCES:
            raise ValueError(f"{path}: {row['term']!r}: stance {row['stance']!r} is not one of {', '.join(STANCES)}")
        terms.append(Term(row["term"].strip(), row["topic"], row["stance"], row.get("note", ""),
                          row.get("source", ""), term_pattern(row["term"])))
    return sorted(terms, key=lambda t: (-len(t.term), t.term.lower()))


def find_terms(text: str, terms: Sequence[Term]) -> list[tuple[Term, int, int, bool]]:
    """(term, start, end, quoted) for each non-overlapping hit in the text."""
    taken: list[tuple[int, int]] = []
    hits = []
    for term in terms:
        for match in term.pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            quoted = start > 0 and end < len(text) and text[start - 1] in OPEN_QUOTES and text[end] in CLOSE_QUOTES
            hits.append((term, start, end, quoted))
    return sorted(hits, key=lambda h: h[1])


def term_hits(sentences: pd.DataFrame, terms: Sequence[Term]) -> pd.DataFrame:
    rows = []
    for s in sentences.itertuples():
        for term, start, end, quoted in find_terms(s.text or "", terms):
            rows.append({"outlet": s.outlet, "article_id": s.article_id, "sentence_index": s.sentence_index,
                         "term": term.term, "topic": term.topic, "stance": term.stance,
                         "matched": s.text[start:end], "quoted": quoted, "start_char": start})
    return pd.DataFrame(rows, columns=["outlet", "article_id", "sentence_index", "term", "topic", "stance", "matched",
                                       "quoted", "start_char"])


def term_table(hits: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (outlet, term, topic, stance), frame in hits.groupby(["outlet", "term", "topic", "stance"], sort=True):
        keys = frame[["article_id", "sentence_index"]].drop_duplicates()
        rows.append({"outlet": outlet, "term": term, "topic": topic, "stance": stance, "n_hits": len(frame),
                     "n_quoted": int(frame["quoted"].sum()), "n_articles": frame["article_id"].nunique(),
                     "sentences": [{"article_id": a, "sentence_index": int(i)} for a, i in keys.itertuples(False)]})
    return pd.DataFrame(rows)


# -- discriminating terms: weighted log-odds with an informative Dirichlet prior -----------------------------------
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "according", "also", "would", "could", "s"}


def tokens(text: str) -> list[str]:
    """Unigrams and bigrams of adjacent non-stopwords, lower case, possessive 's dropped."""
    words = [re.sub(r"['’]s$", "", w.lower()) for w in WORD.findall(text)]
    keep = [w if len(w) > 1 and w not in STOP else None for w in words]
    grams = [w for w in keep if w]
    grams += [f"{a} {b}" for a, b in zip(keep, keep[1:], strict=False) if a and b]
    return grams


def log_odds(counts_a: Counter, counts_b: Counter, prior: Counter, prior_scale: float = 1.0) -> pd.DataFrame:
    """Monroe, Colaresi & Quinn (2008), eq. 22: delta_w and its z-score, with alpha_w = prior_scale * prior[w].

    delta_w = log((y_aw + a_w) / (n_a + a_0 - y_aw - a_w)) - log((y_bw + a_w) / (n_b + a_0 - y_bw - a_w))
    var(delta_w) ~= 1 / (y_aw + a_w) + 1 / (y_bw + a_w);  z_w = delta_w / sqrt(var)
    Positive z: the term is characteristic of side a.
    """
    n_a, n_b = sum(counts_a.values()), sum(counts_b.values())
    alpha_0 = prior_scale * sum(prior.values())
    rows = []
    for word in set(counts_a) | set(counts_b):
        alpha = prior_scale * prior.get(word, 0)
        if alpha <= 0:
            continue
        y_a, y_b = counts_a.get(word, 0), counts_b.get(word, 0)
        delta = (math.log((y_a + alpha) / (n_a + alpha_0 - y_a - alpha))
                 - math.log((y_b + alpha) / (n_b + alpha_0 - y_b - alpha)))
        variance = 1 / (y_a + alpha) + 1 / (y_b + alpha)
        rows.append((word, delta / math.sqrt(variance), delta, y_a, y_b))
    frame = pd.DataFrame(rows, columns=["term", "z", "delta", "count_outlet", "count_rest"])
    return frame.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)


def article_tokens(con: duckdb.DuckDBPyConnection, settings: FramingSettings = SETTINGS) -> dict[str, Counter]:
    outlets = [r[0] for r in con.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL").fetchall()]
    names = sorted(outlets, key=len, reverse=True)
    strip = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE) if names else None
    counts: dict[str, Counter] = defaultdict(Counter)
    for article_id, text in con.execute(
            "SELECT article_id, text FROM sentences WHERE kind IN (SELECT UNNEST(?)) ORDER BY article_id, "
            "sentence_index", [list(settings.odds_kinds)]).fetchall():
        counts[article_id].update(tokens(strip.sub(" ", text) if strip else text))
    return counts


def discriminating_terms(con: duckdb.DuckDBPyConnection, settings: FramingSettings = SETTINGS) -> pd.DataFrame:
    """The top terms of each outlet against the others, on shared stories where it has enough articles there."""
    per_article = article_tokens(con, settings)
    prior: Counter = Counter()
    for counts in per_article.values():
        prior.update(counts)
    articles = con.execute("""
        SELECT a.id, a.outlet, m.story_id, s.n_outlets FROM articles a
        LEFT JOIN story_articles m ON m.article_id = a.id LEFT JOIN stories s ON s.story_id = m.story_id
        WHERE a.outlet IS NOT NULL""").fetchall()
    by_outlet: dict[str, list[str]] = defaultdict(list)
    shared: dict[str, set[int]] = defaultdict(set)
    story_members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for article_id, outlet, story_id, n_outlets in articles:
        by_outlet[outlet].append(article_id)
        if story_id is not None and (n_outlets or 0) > 1:
            shared[outlet].add(story_id)
            story_members[story_id].append((article_id, outlet))
    frames = []
    for outlet in sorted(by_outlet):
        mine_shared = [a for s in shared[outlet] for a, o in story_members[s] if o == outlet]
        if len(mine_shared) >= settings.min_story_articles:
            basis, mine = "shared stories", mine_shared
            rest = [a for s in shared[outlet] for a, o in story_members[s] if o != outlet]
        else:
            basis, mine = "all articles", by_outlet[outlet]
            rest = [a for o, ids in by_outlet.items() if o != outlet for a in ids]
        if not rest:
            continue
        frame = log_odds(sum_counts(per_article, mine), sum_counts(per_article, rest), prior, settings.prior_scale)
        frame = frame[(frame["z"] > 0) & (frame["count_outlet"] >= settings.min_term_count)].head(settings.top_terms)
        frame.insert(0, "outlet", outlet)
        frame.insert(1, "rank", range(1, len(frame) + 1))
        frame = frame.assign(basis=basis, n_articles_outlet=len(mine), n_articles_rest=len(rest))
        frames.append(frame)
    columns = ["outlet", "rank", "term", "z", "delta", "count_outlet", "count_rest", "basis", "n_articles_outlet",
               "n_articles_rest"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def sum_counts(per_article: dict[str, Counter], ids: Iterable[str]) -> Counter:
    total: Counter = Counter()
    for article_id in ids:
        total.update(per_article.get(article_id, Counter()))
    return total


def compare(con: duckdb.DuckDBPyConnection, side_a: Sequence[str], side_b: Sequence[str],
            settings: FramingSettings = SETTINGS) -> pd.DataFrame:
    """Log-odds of one group of outlets against another (e.g. Baku-leaning against Yerevan-leaning), all articles.

    Positive z: characteristic of side_a; negative z: of side_b.
    """
    per_article = article_tokens(con, settings)
    prior: Counter = Counter()
    for counts in per_article.values():
        prior.update(counts)
    ids = defaultdict(list)
    for article_id, outlet in con.execute("SELECT id, outlet FROM articles").fetchall():
        ids[outlet].append(article_id)
    a = sum_counts(per_article, [i for o in side_a for i in ids.get(o, [])])
    b = sum_counts(per_article, [i for o in side_b for i in ids.get(o, [])])
    return log_odds(a, b, prior, settings.prior_scale)


# -- tone toward actors ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def sentiment_analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def actor_sentences(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(outlet, actor, article_id, sentence_index, role) for every sentence that involves an actor."""
    return con.execute("""
        WITH roles AS (
            SELECT article_id, sentence_index, source_country AS actor, 'source' AS role FROM events
            WHERE source_country IS NOT NULL
            UNION ALL SELECT article_id, sentence_index, target_country, 'target' FROM events
            WHERE target_country IS NOT NULL
            UNION ALL SELECT article_id, sentence_index, code, 'mention' FROM actor_mentions
            WHERE code IS NOT NULL AND sentence_index >= 0)
        SELECT a.outlet, r.actor, r.article_id, r.sentence_index, list(DISTINCT r.role ORDER BY r.role) AS roles,
               s.text
        FROM roles r JOIN articles a ON a.id = r.article_id
        JOIN sentences s ON s.article_id = r.article_id AND s.sentence_index = r.sentence_index
        WHERE a.outlet IS NOT NULL
        GROUP BY ALL ORDER BY a.outlet, r.actor, r.article_id, r.sentence_index""").fetchdf()


def tone_tables(con: duckdb.DuckDBPyConnection,
                settings: FramingSettings = SETTINGS) -> tuple[pd.DataFrame, pd.DataFrame]:
    detail = actor_sentences(con)
    analyzer = sentiment_analyzer()
    scores: dict[str, float] = {}
    compounds = []
    for text in detail["text"]:
        if text not in scores:
            scores[text] = analyzer.polarity_scores(text)["compound"]
        compounds.append(scores[text])
    detail = detail.drop(columns=["text"]).assign(compound=compounds)
    detail["roles"] = detail["roles"].map(list)
    rows = []
    for (outlet, actor), frame in detail.groupby(["outlet", "actor"], sort=True):
        roles = Counter(role for roles in frame["roles"] for role in roles)
        rows.append({
            "outlet": outlet, "actor": actor, "n_sentences": len(frame),
            "mean_compound": round(float(frame["compound"].mean()), 4),
            "share_positive": round(float((frame["compound"] >= settings.positive).mean()), 4),
            "share_negative": round(float((frame["compound"] <= settings.negative).mean()), 4),
            "as_source": roles["source"], "as_target": roles["target"], "as_mention": roles["mention"],
            "sentences": [{"article_id": a, "sentence_index": int(i)}
                          for a, i in frame[["article_id", "sentence_index"]].itertuples(False)],
        })
    return pd.DataFrame(rows), detail


# -- coverage -------------------------------------------------------------------------------------------------------
COVERAGE_SQL = """
    SELECT g.story_id, g.group_id, o.outlet, count(m.event_id) > 0 AS reported, count(m.event_id) AS n_mentions
    FROM event_groups g JOIN stories s ON s.story_id = g.story_id AND s.n_outlets > 1
    JOIN (SELECT DISTINCT story_id, outlet FROM story_articles WHERE outlet IS NOT NULL) o
      ON o.story_id = g.story_id
    LEFT JOIN event_mentions m ON m.group_id = g.group_id AND m.outlet = o.outlet
    GROUP BY ALL ORDER BY g.story_id, g.group_id, o.outlet"""


def speakers_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute("""
        SELECT a.outlet, e.speaker, count(*) AS n_events, count(DISTINCT e.article_id) AS n_articles,
               coalesce(list(DISTINCT e.speaker_name ORDER BY e.speaker_name) FILTER (e.speaker_name IS NOT NULL),
                        []::VARCHAR[]) AS names
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE e.speaker IS NOT NULL AND a.outlet IS NOT NULL
        GROUP BY ALL ORDER BY a.outlet, n_events DESC, e.speaker""").fetchdf()
    frame.insert(2, "speaker_country", frame["speaker"].map(country_of))
    frame["names"] = frame["names"].map(list)
    return frame


# -- build ------------------------------------------------------------------------------------------------------------
def build(con: duckdb.DuckDBPyConnection, settings: FramingSettings = SETTINGS,
          terms_path: str | Path | None = None) -> dict[str, int]:
    """Rebuild the framing tables from scratch (needs the story tables: run stories.build first)."""
    if not stories.table_exists(con, "story_articles"):
        stories.build(con)
    terms = load_terms(terms_path)
    sentences = con.execute("""
        SELECT a.outlet, s.article_id, s.sentence_index, s.text FROM sentences s JOIN articles a ON a.id = s.article_id
        WHERE a.outlet IS NOT NULL AND s.kind IN (SELECT UNNEST(?)) ORDER BY s.article_id, s.sentence_index""",
                            [list(settings.sentence_kinds)]).fetchdf()
    hits = term_hits(sentences, terms)
    odds = discriminating_terms(con, settings)
    tone, tone_detail = tone_tables(con, settings)
    speakers = speakers_table(con)
    with stories.transaction(con):
        stories.ensure_tables(con, TABLES)
        stories.insert_frame(con, "framing_term_hits", hits)
        stories.insert_frame(con, "framing_terms", term_table(hits))
        stories.insert_frame(con, "framing_log_odds", odds)
        stories.insert_frame(con, "actor_tone", tone)
        stories.insert_frame(con, "actor_tone_sentences", tone_detail)
        con.execute(f"INSERT INTO story_coverage {COVERAGE_SQL}")
        stories.insert_frame(con, "outlet_speakers", speakers)
    return {"term_hits": len(hits), "log_odds_terms": len(odds), "actor_tone": len(tone),
            "speakers": len(speakers)}


def build_all(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Stories, event groups and framing, rebuilt from scratch: the hook to run after each ingest."""
    return {**stories.build(con), **build(con)}


# -- reports ----------------------------------------------------------------------------------------------------------
def outlet_report(con: duckdb.DuckDBPyConnection, top: int = 8) -> list[dict]:
    """One record per outlet: coverage, contested terms, discriminating terms, tone toward actors, speakers."""
    report = []
    outlets = con.execute("""
        SELECT a.outlet, count(*) AS articles, count(DISTINCT m.story_id) AS stories,
               count(DISTINCT m.story_id) FILTER (s.n_outlets > 1) AS shared_stories
        FROM articles a LEFT JOIN story_articles m ON m.article_id = a.id
        LEFT JOIN stories s ON s.story_id = m.story_id
        WHERE a.outlet IS NOT NULL GROUP BY a.outlet ORDER BY a.outlet""").fetchall()
    for outlet, n_articles, n_stories, n_shared in outlets:
        coverage = con.execute("""
            SELECT count(*) FILTER (reported) AS reported, count(*) FILTER (NOT reported) AS omitted,
                   count(*) FILTER (reported AND (SELECT count(*) FROM story_coverage o WHERE o.group_id = c.group_id
                                                  AND o.reported) = 1) AS exclusive
            FROM story_coverage c WHERE outlet = ?""", [outlet]).fetchone()
        stance = dict(con.execute("""SELECT stance, count(*) FROM framing_term_hits WHERE outlet = ? AND NOT quoted
                                     GROUP BY stance ORDER BY stance""", [outlet]).fetchall())
        terms = con.execute("""SELECT term, stance, n_hits, n_quoted FROM framing_terms WHERE outlet = ?
                               ORDER BY n_hits DESC, term LIMIT ?""", [outlet, top]).fetchall()
        odds = con.execute("""SELECT term, round(z, 2), basis FROM framing_log_odds WHERE outlet = ?
                              ORDER BY rank LIMIT ?""", [outlet, top]).fetchall()
        tone = con.execute("""SELECT actor, mean_compound, n_sentences FROM actor_tone WHERE outlet = ?
                              ORDER BY n_sentences DESC, actor LIMIT ?""", [outlet, top]).fetchall()
        speakers = con.execute("""SELECT speaker, n_events FROM outlet_speakers WHERE outlet = ?
                                  ORDER BY n_events DESC, speaker LIMIT ?""", [outlet, top]).fetchall()
        report.append({
            "outlet": outlet, "articles": n_articles, "stories": n_stories, "shared_stories": n_shared,
            "shared_event_groups_reported": coverage[0], "shared_event_groups_omitted": coverage[1],
            "exclusive_event_groups": coverage[2], "stance_hits_own_voice": stance,
            "contested_terms": [{"term": t, "stance": s, "hits": n, "quoted": q} for t, s, n, q in terms],
            "distinctive_terms": [{"term": t, "z": z} for t, z, _ in odds],
            "distinctive_basis": odds[0][2] if odds else None,
            "tone": [{"actor": a, "mean_compound": m, "sentences": n} for a, m, n in tone],
            "speakers": [{"speaker": s, "events": n} for s, n in speakers],
        })
    return report


def outlets_frame(con: duckdb.DuckDBPyConnection, top: int = 5) -> pd.DataFrame:
    """outlet_report flattened into one printable row per outlet."""
    rows = []
    for r in outlet_report(con, top):
        rows.append({
            "outlet": r["outlet"], "articles": r["articles"], "shared_stories": r["shared_stories"],
            "groups reported/omitted": f"{r['shared_event_groups_reported']}/{r['shared_event_groups_omitted']}",
            "stance (own voice)": ", ".join(f"{k} {v}" for k, v in r["stance_hits_own_voice"].items()),
            "distinctive terms": ", ".join(t["term"] for t in r["distinctive_terms"]),
            "tone": ", ".join(f"{t['actor']} {t['mean_compound']:+.2f}" for t in r["tone"]),
            "quotes": ", ".join(s["speaker"] for s in r["speakers"]),
        })
    return pd.DataFrame(rows)


def export_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every framing table as a DataFrame."""
    return {name: con.execute(f"SELECT * FROM {name}").fetchdf() for name in TABLES}


def is_built(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the story and framing tables exist (a database ingested before they were added has none)."""
    return all(stories.table_exists(con, name) for name in (*stories.TABLES, *TABLES))


def invalidate(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the story and framing tables after new articles land; `diplograph stories`, `outlets` and `serve`
    rebuild them when next needed (a full rebuild compares every article pair, too slow to run on each ingest)."""
    for name in (*TABLES, *stories.TABLES):
        con.execute(f"DROP TABLE IF EXISTS {name}")
