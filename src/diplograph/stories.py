"""Across outlets: story clusters and event de-duplication.

A *story* is a group of articles, usually from different outlets, about the same happening. Two articles are linked
when their bodies are similar (TF-IDF cosine), they name common actors and they were published within a few days of
each other; an undated article is linked only on strong text similarity. Linked articles are then clustered by
average linkage inside each connected component, so one article that mentions two happenings does not chain two
stories together.

Within a story, events with the same source country, target country, PLOVER type and modality whose dates fall in a
small window are one *event group*: one happening, many mentions. `dedup_counts` says how many raw mentions the
groups fold away.

Every threshold lives in `StorySettings`. `build(con)` rebuilds the tables below from scratch on an open DuckDB
connection (the store's tables must exist); it is idempotent and runs in one transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

TABLES: dict[str, str] = {
    "stories": """CREATE TABLE IF NOT EXISTS stories (
        story_id INTEGER PRIMARY KEY, story_key VARCHAR, title VARCHAR, first_published DATE, last_published DATE,
        n_articles INTEGER, n_outlets INTEGER, outlets VARCHAR[], top_terms VARCHAR[],
        representative_article VARCHAR)""",
    "story_articles": """CREATE TABLE IF NOT EXISTS story_articles (
        story_id INTEGER, article_id VARCHAR PRIMARY KEY, outlet VARCHAR, published DATE, centrality DOUBLE,
        is_representative BOOLEAN)""",
    "story_pairs": """CREATE TABLE IF NOT EXISTS story_pairs (
        article_id VARCHAR, other_id VARCHAR, text_similarity DOUBLE, day_gap INTEGER, shared_actors INTEGER,
        linked BOOLEAN, reason VARCHAR, PRIMARY KEY (article_id, other_id))""",
    "event_groups": """CREATE TABLE IF NOT EXISTS event_groups (
        group_id INTEGER PRIMARY KEY, story_id INTEGER, source_country VARCHAR, target_country VARCHAR,
        type VARCHAR, modality VARCHAR, event_date VARCHAR, first_day DATE, last_day DATE,
        representative_event_id VARCHAR, n_mentions INTEGER, n_articles INTEGER, n_outlets INTEGER,
        outlets VARCHAR[])""",
    "event_mentions": """CREATE TABLE IF NOT EXISTS event_mentions (
        event_id VARCHAR PRIMARY KEY, group_id INTEGER, story_id INTEGER, article_id VARCHAR, outlet VARCHAR,
        is_representative BOOLEAN)""",
}


@dataclass(frozen=True)
class StorySettings:
    """Every threshold of story clustering and event de-duplication, in one place."""

    date_window_days: int = 4  # dated articles further apart than this are never one story
    text_threshold: float = 0.25  # TF-IDF cosine needed to link two dated articles
    undated_text_threshold: float = 0.35  # ... (and shared actors) when either article is undated
    near_duplicate_similarity: float = 0.80  # this similar (or in near_duplicates) links whatever the dates
    min_shared_actors: int = 2  # actor codes two dated articles must share (country level, IGO:..., NKR)
    linkage: str = "average"  # "average" (no chaining) or "single" (connected components)
    candidate_floor: float = 0.10  # pairs at least this similar are kept in story_pairs, linked or not
    event_window_days: int = 2  # mentions of one event group lie within this many days of its first day
    event_key: tuple[str, ...] = ("source_country", "target_country", "type", "modality")
    fold_missing_target: bool = True  # an event without a target may join the one matching group that has one
    top_terms: int = 6  # terms listed per story
    min_df: int = 1  # TF-IDF vocabulary: terms in at least this many articles
    max_df: float = 0.9  # ... and in at most this share of them (when there are 10 articles or more)


SETTINGS = StorySettings()

TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w'’-]*[^\W_]\b"  # words of 2+ characters, hyphens and apostrophes inside


# -- table helpers (shared with framing.py) -----------------------------------------------------------------------
def ensure_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> None:
    """Create the tables, dropping any older version whose columns differ; then empty them."""
    for name, ddl in tables.items():
        wanted = [c.strip().split()[0] for c in _columns_part(ddl).split(",") if c.strip()
                  and not c.strip().upper().startswith("PRIMARY KEY") and not c.strip()[0].isdigit()]
        have = [row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = "
            "current_schema() ORDER BY ordinal_position", [name]).fetchall()]
        if have and have != wanted:
            con.execute(f"DROP TABLE {name}")
        con.execute(ddl)
        con.execute(f"DELETE FROM {name}")


def _columns_part(ddl: str) -> str:
    body = ddl[ddl.index("(") + 1: ddl.rindex(")")]
    return re.sub(r"\([^()]*\)", "", body)  # drop "(article_id, other_id)" and "DECIMAL(9, 2)"-like parentheses


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("_diplograph_frame", frame)
    try:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _diplograph_frame")
    finally:
        con.unregister("_diplograph_frame")


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND "
                            "table_schema = current_schema()", [name]).fetchone()[0])


class transaction:  # noqa: N801 - used as a context manager like a function
    """BEGIN ... COMMIT, or ROLLBACK on error; nested use joins the caller's transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.owner = False

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        try:
            self.con.execute("BEGIN TRANSACTION")
            self.owner = True
        except duckdb.TransactionException:
            self.owner = False  # already inside one
        return self.con

    def __exit__(self, exc_type, *_: object) -> None:
        if not self.owner:
            return
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")


# -- articles and their features ---------------------------------------------------------------------------------
@dataclass
class Corpus:
    ids: list[str]
    outlets: list[str | None]
    published: list[date | None]
    titles: list[str | None]
    actors: list[set[str]]
    vectorizer: TfidfVectorizer | None
    matrix: object  # sparse TF-IDF rows, L2-normalised
    near: set[tuple[str, str]]


def strip_outlet_names(texts: Sequence[str], outlets: Iterable[str | None]) -> list[str]:
    """Remove outlet names ('BAKU (Absheron Today) —') so that a dateline does not make two articles alike."""
    names = sorted({o for o in outlets if o}, key=len, reverse=True)
    if not names:
        return list(texts)
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    return [pattern.sub(" ", text or "") for text in texts]


def load_corpus(con: duckdb.DuckDBPyConnection, settings: StorySettings = SETTINGS) -> Corpus:
    rows = con.execute("SELECT id, outlet, published, title, body FROM articles WHERE coded IS NOT FALSE "
                       "ORDER BY published NULLS LAST, path, id").fetchall()
    ids = [r[0] for r in rows]
    actors: dict[str, set[str]] = defaultdict(set)
    for article_id, code in con.execute(
            "SELECT article_id, code FROM actor_mentions WHERE code IS NOT NULL UNION "
            "SELECT article_id, source_country FROM events WHERE source_country IS NOT NULL UNION "
            "SELECT article_id, target_country FROM events WHERE target_country IS NOT NULL").fetchall():
        actors[article_id].add(code)
    near = {tuple(sorted(pair)) for pair in con.execute("SELECT article_id, other_id FROM near_duplicates").fetchall()}
    texts = strip_outlet_names([r[4] for r in rows], (r[1] for r in rows))
    vectorizer, matrix = None, None
    if rows:
        max_df = settings.max_df if len(rows) >= 10 else 1.0
        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=TOKEN_PATTERN,
                                     strip_accents="unicode", min_df=settings.min_df, max_df=max_df)
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # empty vocabulary
            vectorizer, matrix = None, None
    return Corpus(ids, [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
                  [actors.get(i, set()) for i in ids], vectorizer, matrix, near)


# -- linking and clustering ----------------------------------------------------------------------------------------
def link_reason(similarity: float, day_gap: int | None, shared_actors: int, near_duplicate: bool,
                settings: StorySettings = SETTINGS) -> str | None:
    """Why two articles belong to one story, or None when they do not."""
    if near_duplicate or similarity >= settings.near_duplicate_similarity:
        return "near-duplicate"
    if day_gap is None:
        strong = similarity >= settings.undated_text_threshold and shared_actors >= settings.min_shared_actors
        return "text + actors (undated)" if strong else None
    if day_gap > settings.date_window_days:
        return None
    if similarity >= settings.text_threshold and shared_actors >= settings.min_shared_actors:
        return "text + actors + date"
    return None


def candidate_pairs(corpus: Corpus, settings: StorySettings = SETTINGS) -> pd.DataFrame:
    columns = ["i", "j", "article_id", "other_id", "text_similarity", "day_gap", "shared_actors", "linked", "reason"]
    if corpus.matrix is None:
        return pd.DataFrame(columns=columns)
    sims = (corpus.matrix @ corpus.matrix.T).tocoo()
    index = {article_id: k for k, article_id in enumerate(corpus.ids)}
    values: dict[tuple[int, int], float] = {}
    for i, j, value in zip(sims.row, sims.col, sims.data, strict=True):
        if i < j and value >= settings.candidate_floor:
            values[(int(i), int(j))] = float(value)
    for a, b in corpus.near:
        if a in index and b in index:
            i, j = sorted((index[a], index[b]))
            values.setdefault((i, j), 0.0)
    rows = []
    for (i, j), value in sorted(values.items()):
        a, b = corpus.published[i], corpus.published[j]
        gap = abs((a - b).days) if a and b else None
        shared = len(corpus.actors[i] & corpus.actors[j])
        near = tuple(sorted((corpus.ids[i], corpus.ids[j]))) in corpus.near
        reason = link_reason(value, gap, shared, near, settings)
        rows.append((i, j, corpus.ids[i], corpus.ids[j], round(value, 4), gap, shared, reason is not None, reason))
    return pd.DataFrame(rows, columns=columns)


def cluster(n: int, pairs: pd.DataFrame, settings: StorySettings = SETTINGS) -> list[list[int]]:
    """Clusters of article indices: components of the link graph, split again by average linkage."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    weights: dict[tuple[int, int], float] = {}
    for row in pairs[pairs["linked"]].itertuples():
        weights[(row.i, row.j)] = max(row.text_similarity, settings.text_threshold) if row.reason else 0.0
        parent[find(row.i)] = find(row.j)
    components: dict[int, list[int]] = defaultdict(list)
    for k in range(n):
        components[find(k)].append(k)
    clusters: list[list[int]] = []
    for members in components.values():
        if len(members) <= 2 or settings.linkage == "single":
            clusters.append(sorted(members))
        else:
            clusters.extend(average_linkage(members, weights, settings.text_threshold))
    return sorted(clusters, key=lambda c: c[0])


def average_linkage(members: list[int], weights: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Merge the two clusters with the highest mean link weight (unlinked pairs weigh 0) while it is >= threshold."""
    groups = [[m] for m in sorted(members)]

    def mean_link(a: list[int], b: list[int]) -> float:
        total = sum(weights.get((min(x, y), max(x, y)), 0.0) for x in a for y in b)
        return total / (len(a) * len(b))

    while len(groups) > 1:
        best, pair = -1.0, (0, 1)
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                score = mean_link(groups[x], groups[y])
                if score > best:
                    best, pair = score, (x, y)
        if best < threshold:
            break
        x, y = pair
        groups[x] = sorted(groups[x] + groups[y])
        del groups[y]
    return groups


# -- building the tables -----------------------------------------------------------------------------------------
def story_frames(corpus: Corpus, pairs: pd.DataFrame, clusters: list[list[int]],
                 settings: StorySettings = SETTINGS) -> tuple[pd.DataFrame, pd.DataFrame]:
    sim: dict[tuple[int, int], float] = {(r.i, r.j): r.text_similarity for r in pairs.itertuples()}
    terms = corpus.vectorizer.get_feature_names_out() if corpus.vectorizer is not None else np.array([])

    def first_day(members: list[int]) -> tuple:
        days = [corpus.published[m] for m in members if corpus.published[m]]
        return (min(days) if days else date.max, corpus.ids[members[0]])

    stories, members_rows = [], []
    for story_id, members in enumerate(sorted(clusters, key=first_day), start=1):
        centrality = {m: (np.mean([sim.get((min(m, o), max(m, o)), 0.0) for o in members if o != m])
                          if len(members) > 1 else 1.0) for m in members}
        representative = max(members, key=lambda m: (centrality[m], -m))
        days = [corpus.published[m] for m in members if corpus.published[m]]
        outlets = sorted({corpus.outlets[m] for m in members if corpus.outlets[m]})
        top: list[str] = []
        if corpus.matrix is not None and len(terms):
            centroid = np.asarray(corpus.matrix[members].mean(axis=0)).ravel()
            top = [str(terms[k]) for k in np.argsort(-centroid)[:settings.top_terms] if centroid[k] > 0]
        key = hashlib.sha1("|".join(sorted(corpus.ids[m] for m in members)).encode()).hexdigest()[:12]
        stories.append({
            "story_id": story_id, "story_key": key, "title": corpus.titles[representative],
            "first_published": min(days) if days else None, "last_published": max(days) if days else None,
            "n_articles": len(members), "n_outlets": len(outlets), "outlets": outlets, "top_terms": top,
            "representative_article": corpus.ids[representative],
        })
        for m in members:
            members_rows.append({
                "story_id": story_id, "article_id": corpus.ids[m], "outlet": corpus.outlets[m],
                "published": corpus.published[m], "centrality": round(float(centrality[m]), 4),
                "is_representative": m == representative,
            })
    return pd.DataFrame(stories), pd.DataFrame(members_rows)


PRECISION = {10: 0, 7: 1, 4: 2}  # length of event_date -> 0 day, 1 month, 2 year


def group_events(events: pd.DataFrame, settings: StorySettings = SETTINGS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One group per happening inside each story: same key and dates within the window.

    A month- or year-precision mention joins the one day-precision group inside its period, an undated mention
    joins the one dated group of its key in the story, and a group without a target joins the one group with the
    same source, type, modality and date that has a target; where there are several candidates they stay apart.
    """
    group_rows, mention_rows = [], []
    if events.empty:
        return pd.DataFrame(group_rows), pd.DataFrame(mention_rows)
    events = events.copy()
    events["precision"] = events["event_date"].map(lambda d: PRECISION.get(len(d), 2) if isinstance(d, str) else 3)
    key_columns = ["story_id", *settings.event_key]
    groups: list[list[dict]] = []
    for _, frame in events.groupby(key_columns, dropna=False, sort=True):
        records = frame.sort_values(["event_day", "event_id"], na_position="last").to_dict("records")
        day_groups: list[list[dict]] = []
        for record in (r for r in records if r["precision"] == 0):
            if day_groups and (record["event_day"] - day_groups[-1][0]["event_day"]).days <= settings.event_window_days:
                day_groups[-1].append(record)
            else:
                day_groups.append([record])
        coarse: dict[str, list[dict]] = defaultdict(list)
        for record in (r for r in records if r["precision"] in (1, 2)):
            period = record["event_date"]
            inside = [g for g in day_groups if any(str(r["event_date"]).startswith(period) for r in g)]
            if len(inside) == 1:
                inside[0].append(record)
            else:
                coarse[period].append(record)
        dated = day_groups + list(coarse.values())
        undated = [r for r in records if r["precision"] == 3]
        if undated and len(dated) == 1:  # an undated mention of the story's only dated happening with this key
            dated[0].extend(undated)
        elif undated:
            dated.append(undated)
        groups.extend(dated)
    if settings.fold_missing_target:
        groups = fold_missing_targets(groups, settings)

    def rank(r: dict) -> tuple:
        published = r["published"] if isinstance(r["published"], date) else date.max
        return (not isinstance(r["target_country"], str), r["precision"], published, r["path"] or "",
                r["event_index"])

    ordered = sorted(groups, key=lambda g: (g[0]["story_id"], min(rank(r) for r in g)))
    for group_id, members in enumerate(ordered, start=1):
        representative = min(members, key=rank)
        days = [r["event_day"] for r in members if r["precision"] == 0]
        outlets = sorted({r["outlet"] for r in members if isinstance(r["outlet"], str)})
        group_rows.append({
            "group_id": group_id, "story_id": representative["story_id"],
            "source_country": representative["source_country"], "target_country": representative["target_country"],
            "type": representative["type"], "modality": representative["modality"],
            "event_date": representative["event_date"], "first_day": min(days) if days else None,
            "last_day": max(days) if days else None, "representative_event_id": representative["event_id"],
            "n_mentions": len(members), "n_articles": len({r["article_id"] for r in members}),
            "n_outlets": len(outlets), "outlets": outlets,
        })
        for r in members:
            mention_rows.append({
                "event_id": r["event_id"], "group_id": group_id, "story_id": r["story_id"],
                "article_id": r["article_id"], "outlet": r["outlet"],
                "is_representative": r["event_id"] == representative["event_id"],
            })
    return pd.DataFrame(group_rows), pd.DataFrame(mention_rows)


def fold_missing_targets(groups: list[list[dict]], settings: StorySettings = SETTINGS) -> list[list[dict]]:
    """A group whose events have no target joins the one group of its story with the same source, type and
    modality, a target, and a compatible date (the coder found the recipient in one report and not in another)."""

    def days(group: list[dict]) -> list:
        return [r["event_day"] for r in group if r["precision"] == 0]

    def compatible(a: list[dict], b: list[dict]) -> bool:
        if days(a) and days(b):
            return abs((min(days(a)) - min(days(b))).days) <= settings.event_window_days
        return a[0]["event_date"] == b[0]["event_date"]

    def head(group: list[dict]) -> tuple:
        r = group[0]
        return (r["story_id"], r["source_country"], r["type"], r["modality"])

    dyadic = [g for g in groups if isinstance(g[0]["target_country"], str)]
    kept = []
    for group in groups:
        if isinstance(group[0]["target_country"], str) or not isinstance(group[0]["source_country"], str):
            kept.append(group)
            continue
        candidates = [g for g in dyadic if head(g) == head(group) and compatible(g, group)]
        if len(candidates) == 1:
            candidates[0].extend(group)
        else:
            kept.append(group)
    return kept


def load_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute("""
        SELECT e.id AS event_id, e.article_id, e.event_index, e.source_country, e.target_country, e.type,
               e.modality, e.event_date, e.event_day, a.outlet, a.published, a.path, s.story_id
        FROM events e JOIN articles a ON a.id = e.article_id JOIN story_articles s ON s.article_id = e.article_id
        ORDER BY s.story_id, e.id""").fetchdf()
    for column in ("event_day", "published"):
        frame[column] = [v.date() if isinstance(v, pd.Timestamp) else (None if pd.isna(v) else v)
                         for v in frame[column]]
    return frame.astype({"event_day": object, "published": object})


def build(con: duckdb.DuckDBPyConnection, settings: StorySettings = SETTINGS) -> dict[str, int]:
    """Rebuild stories, story_articles, story_pairs, event_groups and event_mentions from scratch."""
    corpus = load_corpus(con, settings)
    pairs = candidate_pairs(corpus, settings)
    clusters = cluster(len(corpus.ids), pairs, settings)
    stories, members = story_frames(corpus, pairs, clusters, settings)
    with transaction(con):
        ensure_tables(con, TABLES)
        insert_frame(con, "stories", stories)
        insert_frame(con, "story_articles", members)
        insert_frame(con, "story_pairs", pairs.drop(columns=["i", "j"]))
        groups, mentions = group_events(load_events(con), settings)
        insert_frame(con, "event_groups", groups)
        insert_frame(con, "event_mentions", mentions)
    return {"articles": len(corpus.ids), "stories": len(stories),
            "multi_article_stories": int((stories["n_articles"] > 1).sum()) if len(stories) else 0,
            "event_groups": len(groups), "event_mentions": len(mentions)}


# -- reading results ---------------------------------------------------------------------------------------------
def dedup_counts(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Raw event mentions against de-duplicated events, and duplicate ratios before and after.

    `redundant_share` is the share of raw mentions folded into another mention's group (1 - groups / mentions).
    `duplicate_ratio_before` / `_after` measure duplicates with a fixed yardstick that knows nothing of stories: the
    share of rows repeating another row's (source_country, target_country, type, modality, event_date), over all
    raw events before and over one representative per group after. What is left after are repeats across stories,
    typically background mentions of an older event.
    """
    key = "source_country, target_country, type, modality, event_date"

    def ratio(sql: str) -> tuple[int, float]:
        total, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT ({key})) FROM ({sql})").fetchone()
        return total, (1 - distinct / total) if total else 0.0

    raw, before = ratio("SELECT * FROM events")
    groups, after = ratio("SELECT e.* FROM events e JOIN event_groups g ON g.representative_event_id = e.id")
    multi = con.execute("SELECT count(*) FILTER (n_articles > 1), count(*) FILTER (n_outlets > 1) "
                        "FROM event_groups").fetchone()
    return {
        "raw_mentions": raw, "event_groups": groups, "merged_mentions": raw - groups,
        "redundant_share": round((raw - groups) / raw, 4) if raw else 0.0,
        "duplicate_ratio_before": round(before, 4), "duplicate_ratio_after": round(after, 4),
        "groups_in_several_articles": multi[0], "groups_in_several_outlets": multi[1],
    }


def stories_frame(con: duckdb.DuckDBPyConnection, include_singletons: bool = False) -> pd.DataFrame:
    where = "" if include_singletons else "WHERE s.n_articles > 1"
    return con.execute(f"""
        SELECT s.story_id, s.story_key, strftime(s.first_published, '%Y-%m-%d') AS first_published,
               strftime(s.last_published, '%Y-%m-%d') AS last_published, s.n_articles, s.n_outlets, s.outlets,
               s.title, s.top_terms,
               (SELECT list(a.path ORDER BY a.path) FROM story_articles m JOIN articles a ON a.id = m.article_id
                WHERE m.story_id = s.story_id) AS paths,
               (SELECT count(*) FROM event_groups g WHERE g.story_id = s.story_id) AS event_groups,
               (SELECT count(*) FROM event_mentions e WHERE e.story_id = s.story_id) AS event_mentions
        FROM stories s {where} ORDER BY s.first_published NULLS LAST, s.story_id""").fetchdf()


def export_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The story and event-group tables as DataFrames, with article paths joined in."""
    return {
        "stories": stories_frame(con, include_singletons=True),
        "story_articles": con.execute("""
            SELECT m.story_id, a.path, m.outlet, strftime(m.published, '%Y-%m-%d') AS published, m.centrality,
                   m.is_representative, m.article_id
            FROM story_articles m JOIN articles a ON a.id = m.article_id ORDER BY m.story_id, a.path""").fetchdf(),
        "event_groups": con.execute("SELECT * FROM event_groups ORDER BY group_id").fetchdf(),
        "event_mentions": con.execute("""
            SELECT m.group_id, m.event_id, m.story_id, a.path, m.outlet, m.is_representative, e.source, e.target,
                   e.type, e.modality, e.event_date, e.sentence
            FROM event_mentions m JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = m.article_id
            ORDER BY m.group_id, m.event_id""").fetchdf(),
    }


# -- evaluation against labelled stories ---------------------------------------------------------------------------
def article_key(path: str) -> str:
    """'…/examples/corpus/articles.jsonl#L2' -> 'articles.jsonl#L2': how labels name an article."""
    name, _, line = path.partition("#")
    return name.replace("\\", "/").rsplit("/", 1)[-1] + (f"#{line}" if line else "")


def predicted_stories(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every stored path (an article may have several) -> its story id."""
    rows = con.execute("""SELECT p.path, m.story_id FROM article_paths p JOIN story_articles m
                          ON m.article_id = p.article_id""").fetchall()
    return {article_key(path): story_id for path, story_id in rows}


def cluster_scores(predicted: dict[str, object], gold: dict[str, str]) -> dict[str, float]:
    """Purity, inverse purity, their F (Amigó et al. 2009) and pairwise precision/recall/F over the shared keys."""
    keys = sorted(set(predicted) & set(gold))
    n = len(keys)
    if not n:
        return {"articles": 0}
    clusters: dict[object, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        clusters[predicted[k]].add(k)
        classes[gold[k]].add(k)
    purity = sum(max(len(c & g) for g in classes.values()) for c in clusters.values()) / n
    inverse = sum(max(len(g & c) for c in clusters.values()) for g in classes.values()) / n
    f_purity = 2 * purity * inverse / (purity + inverse)
    same_pred = {(a, b) for c in clusters.values() for a in c for b in c if a < b}
    same_gold = {(a, b) for g in classes.values() for a in g for b in g if a < b}
    both = len(same_pred & same_gold)
    precision = both / len(same_pred) if same_pred else 1.0
    recall = both / len(same_gold) if same_gold else 1.0
    pair_f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"articles": n, "clusters": len(clusters), "classes": len(classes), "purity": round(purity, 4),
            "inverse_purity": round(inverse, 4), "f_purity": round(f_purity, 4),
            "pair_precision": round(precision, 4), "pair_recall": round(recall, 4), "pair_f": round(pair_f, 4)}


def load_labels(path: str) -> dict[str, str]:
    """A story label file (columns path,story) -> {article key: story label}."""
    frame = pd.read_csv(path, dtype=str).fillna("")
    return {article_key(p): s for p, s in zip(frame["path"], frame["story"], strict=True)}


def stories_report(con: duckdb.DuckDBPyConnection, include_singletons: bool = False,
                   with_events: bool = False) -> dict:
    """JSON-ready: the stories (with their event groups if asked) and the de-duplication counts."""
    frame = stories_frame(con, include_singletons)
    records = []
    for row in frame.to_dict("records"):
        record = {k: (list(v) if isinstance(v, np.ndarray | list) else v) for k, v in row.items()}
        record = {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in record.items()}
        if with_events:
            groups = con.execute("""
                SELECT group_id, source_country, target_country, type, modality, event_date, n_mentions, outlets,
                       (SELECT sentence FROM events e WHERE e.id = g.representative_event_id) AS sentence
                FROM event_groups g WHERE story_id = ? ORDER BY n_mentions DESC, group_id""",
                                 [record["story_id"]]).fetchdf()
            groups["outlets"] = groups["outlets"].map(list)
            record["event_groups"] = groups.astype(object).where(groups.notna(), None).to_dict("records")
        records.append(record)
    return {"stories": records, "dedup": dedup_counts(con)}


def stories_table(con: duckdb.DuckDBPyConnection, include_singletons: bool = False) -> pd.DataFrame:
    """stories_frame trimmed for a terminal."""
    frame = stories_frame(con, include_singletons)
    return pd.DataFrame({
        "story": frame["story_id"], "first": frame["first_published"].fillna("undated"),
        "articles": frame["n_articles"], "events": frame["event_groups"].astype(str) + "/" +
        frame["event_mentions"].astype(str),
        "outlets": frame["outlets"].map(", ".join), "title": frame["title"].fillna("").str.slice(0, 70),
    })
