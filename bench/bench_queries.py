"""Latency of the dashboard's analytics queries on a synthetic database of 1M events.

    python bench/bench_queries.py [--events 1000000] [--repeat 50] [--keep PATH]

Generates the events with one vectorised `INSERT ... SELECT FROM range(n)` into a temporary DuckDB file with
diplograph's schema (30 actors, 16 PLOVER types, 2015–2024, 20k articles), then times dyad_series, top_partners,
network and actor_profile through a read-only connection, as the web app runs them, and prints p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from diplograph import analytics
from diplograph.store import SCHEMA

ACTORS = ["FRA", "ARM", "AZE", "RUS", "TUR", "IRN", "GEO", "KAZ", "USA", "DEU", "GBR", "CHN", "UKR", "IGO:EU",
          "IGO:CSTO", "IGO:UN", "ITA", "ESP", "POL", "HUN", "ISR", "EGY", "IND", "PAK", "JPN", "KOR", "BRA", "ZAF",
          "NKR", "UZB"]
TYPES = [("AGREE", "verbal_cooperation", 2.5), ("CONSULT", "verbal_cooperation", 2.5),
         ("SUPPORT", "verbal_cooperation", 5.0), ("COOPERATE", "material_cooperation", 6.0),
         ("AID", "material_cooperation", 7.0), ("CONCEDE", "material_cooperation", 5.0),
         ("RETREAT", "material_cooperation", 4.0), ("REQUEST", "verbal_conflict", 0.0),
         ("ACCUSE", "verbal_conflict", -3.5), ("REJECT", "verbal_conflict", -2.0),
         ("THREATEN", "verbal_conflict", -3.5), ("PROTEST", "material_conflict", -5.0),
         ("SANCTION", "material_conflict", -5.5), ("MOBILIZE", "material_conflict", -6.0),
         ("COERCE", "material_conflict", -7.0), ("ASSAULT", "material_conflict", -9.0)]
MODALITIES = ["asserted"] * 7 + ["future", "negated", "hypothetical"]


def build(path: Path, events: int, articles: int = 20_000) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        con.execute("""
            INSERT INTO articles (id, path, outlet, title, published, language, coded, body)
            SELECT 'a' || i, 'synthetic/' || i || '.txt', 'Outlet ' || (i % 25), 'Article ' || i,
                   DATE '2015-01-01' + CAST(hash(i, 'day') % 3650 AS INTEGER), 'en', TRUE, 'Synthetic body ' || i
            FROM range(?) t(i)""", [articles])
        actors, types, modalities = ACTORS, [t[0] for t in TYPES], MODALITIES
        quads, scores = [t[1] for t in TYPES], [t[2] for t in TYPES]
        # skewed actor choice (a few busy actors, many quiet ones) so that dyads differ in size like real data
        con.execute("""
            INSERT INTO events (id, article_id, event_index, sentence_index, start_char, end_char, sentence, trigger,
                                trigger_start, trigger_end, source, target, source_country, target_country, type,
                                modality, event_date, event_day, plover_score, quad_class)
            WITH r AS (
                SELECT i, 'a' || (hash(i, 'article') % $articles) AS article_id,
                       CAST(floor(pow((hash(i, 'src') % 10000) / 10000.0, 2) * $n_actors) AS INTEGER) + 1 AS s,
                       CAST(floor(pow((hash(i, 'tgt') % 10000) / 10000.0, 2) * $n_actors) AS INTEGER) + 1 AS t,
                       CAST(hash(i, 'type') % $n_types AS INTEGER) + 1 AS k,
                       CAST(hash(i, 'mod') % $n_modalities AS INTEGER) + 1 AS m,
                       hash(i, 'dated') % 4 <> 0 AS dated, hash(i, 'dyadic') % 5 <> 0 AS dyadic
                FROM range($events) t(i))
            SELECT 'e' || i, article_id, 0, 0, 0, 40, 'A synthetic sentence about an event.', 'event', 12, 17,
                   $actors[s] || '-GOV', CASE WHEN dyadic AND s <> t THEN $actors[t] || '-GOV' END,
                   $actors[s], CASE WHEN dyadic AND s <> t THEN $actors[t] END, $types[k], $modalities[m], NULL,
                   CASE WHEN dated THEN DATE '2015-01-01' + CAST(hash(i, 'eday') % 3650 AS INTEGER) END,
                   $scores[k], $quads[k]
            FROM r""", {"articles": articles, "events": events, "actors": actors, "n_actors": len(actors),
                        "types": types, "n_types": len(types), "modalities": modalities,
                        "n_modalities": len(modalities), "scores": scores, "quads": quads})
        con.execute("CHECKPOINT")
    finally:
        con.close()


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    function()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="write the synthetic database here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.duckdb"
        path.unlink(missing_ok=True)
        start = time.perf_counter()
        build(path, args.events)
        took, size = time.perf_counter() - start, path.stat().st_size / 1e6
        print(f"built {args.events:,} events in {took:.1f} s ({size:.0f} MB)")
        con = duckdb.connect(str(path), read_only=True)
        try:
            counted = con.execute("SELECT count(*) FROM events WHERE source_country = 'FRA' AND target_country = 'ARM'"
                                  ).fetchone()[0]
            print(f"FRA→ARM rows: {counted:,}")
            cases = {
                "dyad_series FRA-ARM month": lambda: analytics.dyad_series(con, "FRA", "ARM", by="month"),
                "dyad_series FRA-ARM week, 2020-2022": lambda: analytics.dyad_series(
                    con, "FRA", "ARM", by="week", start="2020-01-01", end="2022-12-31"),
                "dyad_series UZB-NKR day (small dyad)": lambda: analytics.dyad_series(con, "UZB", "NKR", by="day"),
                "network (all)": lambda: analytics.network(con),
                "network min_events=1000, 2023": lambda: analytics.network(con, min_events=1000, start="2023-01-01",
                                                                            end="2023-12-31"),
                "top_partners FRA": lambda: analytics.top_partners(con, "FRA"),
                "actor_profile FRA": lambda: analytics.actor_profile(con, "FRA"),
            }
            print(f"{'query':42s} {'p50 ms':>8s} {'p95 ms':>8s}   ({args.repeat} runs each)")
            for name, function in cases.items():
                p50, p95 = timed(function, args.repeat)
                print(f"{name:42s} {p50:8.1f} {p95:8.1f}")
        finally:
            con.close()


if __name__ == "__main__":
    main()
