"""How much resident memory DuckDB alone takes for an ingest's rows: the yardstick for bench_throughput's peak RSS.

Writes N articles with 9 events and 16 sentences each (the shape of the throughput benchmark's articles) into a
fresh store, 500 articles per transaction, and prints the growth of peak RSS and what duckdb_memory() reports.
Usage: bench_duckdb_memory.py [N ...]   (default: 1000 10000, each in a fresh process)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from diplograph.store import Store

BATCH = 500
ARTICLES = """INSERT INTO articles (id, path, body, raw)
    SELECT md5(i::VARCHAR)[:16], 'page-' || i, repeat('word ', 400), repeat('word ', 450) FROM range(?, ?) t(i)"""
EVENTS = """INSERT INTO events (id, article_id, event_index, sentence, source, target, type)
    SELECT md5(i::VARCHAR)[:16] || ':' || j, md5(i::VARCHAR)[:16], j, repeat('x', 150), 'FRA', 'ARM', 'CONSULT'
    FROM range(?, ?) t(i), range(9) u(j)"""
SENTENCES = """INSERT INTO sentences (article_id, sentence_index, text)
    SELECT md5(i::VARCHAR)[:16], j, repeat('y', 120) FROM range(?, ?) t(i), range(16) u(j)"""


def measure(articles: int) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "memory.duckdb") as store:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for first in range(0, articles, BATCH):
            store.con.execute("BEGIN TRANSACTION")
            for sql in (ARTICLES, EVENTS, SENTENCES):
                store.con.execute(sql, [first, first + BATCH])
            store.con.execute("COMMIT")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        reported = store.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0] or 0
    print(f"{articles:>6} articles: peak RSS grew {(peak - before) / 1024:.0f} MiB; "
          f"duckdb_memory() reports {reported / 2**20:.0f} MiB")


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [1000, 10000]
    if len(sizes) == 1:
        measure(sizes[0])
        return
    for size in sizes:  # one process each: peak RSS only ever grows
        subprocess.run([sys.executable, __file__, str(size)], check=True)


if __name__ == "__main__":
    main()
