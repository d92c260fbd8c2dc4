"""Regenerate every dashboard screenshot in docs/ from freshly ingested databases.

    .venv/bin/python bench/screenshots.py [--seeds ../shared/seeds] [--out docs] [--only framing stories ...]

The example corpus (examples/corpus) and, for docs/framing.png, the seed pages (../shared/seeds) are ingested into
temporary DuckDB files with the real pipeline, the story and framing tables are built (framing.build_all), the app
is served under uvicorn on 127.0.0.1, and Debian's Chromium (/usr/bin/chromium, driven by Playwright) takes a
1280x900 screenshot of each page.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}


def ingest(paths: list[Path], db_path: Path) -> Path:
    """The real ingest pipeline, then the story and framing tables."""
    from diplograph import framing
    from diplograph.pipeline import Ingestor
    from diplograph.settings import Settings
    from diplograph.store import Store

    with Store(db_path) as store:
        Ingestor(store, Settings(db_path=str(db_path))).run([str(p) for p in paths])
    con = duckdb.connect(str(db_path))
    try:
        framing.build_all(con)
    finally:
        con.close()
    return db_path


@contextlib.contextmanager
def serve(db_path: Path) -> Iterator[str]:
    from diplograph.serve import running

    with running(db_path) as url:
        yield url


def granada_article(db_path: Path) -> str:
    with duckdb.connect(str(db_path), read_only=True) as con:
        found = con.execute("SELECT id FROM articles WHERE path LIKE '%05_paris_diplomatic_wire_granada%'").fetchone()
        return found[0] if found else con.execute("SELECT id FROM articles ORDER BY path LIMIT 1").fetchone()[0]


def expand_first_event(page) -> None:
    page.locator("table.events tbody tr.event details.event-detail summary").first.click()


# name -> (database: "example" or "seeds", path or a function of the database path, action before the shot)
SHOTS: dict[str, tuple[str, str | Callable[[Path], str], Callable | None]] = {
    "dashboard": ("example", "/", expand_first_event),
    "dyad": ("example", "/dyad?a=FRA&b=AZE", None),
    "network": ("example", "/network", None),
    "article": ("example", lambda db: f"/article/{granada_article(db)}", None),
    "actor": ("example", "/actor/FRA", None),
    "framing": ("seeds", "/framing", None),
    "stories": ("example", "/stories", None),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="pages for docs/framing.png")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="pages for every other screenshot")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), help="just these screenshots")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium (or make browser-deps)", file=sys.stderr)
        return 1
    wanted = args.only or list(SHOTS)
    sources = {"example": args.corpus, "seeds": args.seeds}
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="diplograph-shots-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for source in ("example", "seeds"):
                names = [n for n in wanted if SHOTS[n][0] == source]
                if not names:
                    continue
                if not sources[source].exists():
                    print(f"{sources[source]} is missing: skipping {', '.join(names)}", file=sys.stderr)
                    continue
                db = ingest([sources[source]], Path(tmp) / f"{source}.duckdb")
                with serve(db) as base:
                    for name in names:
                        _, path, action = SHOTS[name]
                        url = base + (path(db) if callable(path) else path)
                        context = browser.new_context(viewport=VIEWPORT)
                        page = context.new_page()
                        page.goto(url)
                        page.wait_for_load_state("load")
                        if action:
                            action(page)
                        target = args.out / f"{name}.png"
                        page.screenshot(path=str(target))
                        context.close()
                        print(f"{target}  <- {url.removeprefix(base)} ({source})")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
