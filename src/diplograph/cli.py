"""The `diplograph` command line: one command per user task."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__
from .settings import DEFAULT_DB, Settings

DB_OPTION = click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                         help="DuckDB file to use.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diplograph")
def main() -> None:
    """diplograph: news pages about international relations in, PLOVER events out."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@DB_OPTION
@click.option("--batch-size", default=32, show_default=True, help="Articles per parse batch and DB transaction.")
@click.option("--max-file-mb", default=20.0, show_default=True, help="Skip files larger than this.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=0),
              help="Processes that clean and parse, each with its own model (0: one per CPU core). "
                   "With --engine ray and no --address: the CPUs of the local Ray instance.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this machine; ray: Ray Data, on a local instance or the cluster at --address.")
@click.option("--address", default=None, help="With --engine ray: the Ray cluster ('auto', 'ray://head:10001').")
@click.option("--parts-dir", default=None, type=click.Path(file_okay=False),
              help="With --engine ray: keep the Parquet parts here (storage every node sees); "
                   "by default a temporary folder beside the database, removed once loaded.")
@click.option("--resume", is_flag=True,
              help="Skip files an earlier run ingested with the same path, size and mtime, without reading them.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[str, ...], db: str, batch_size: int, max_file_mb: float, workers: int, engine: str,
           address: str | None, parts_dir: str | None, resume: bool, quiet: bool) -> None:
    """Ingest .txt, .html/.htm and .jsonl files or folders (recursively) into the database."""
    from .pipeline import Ingestor, count_inputs
    from .store import Store, StoreError

    if (address or parts_dir) and engine != "ray":
        raise click.UsageError("--address and --parts-dir need --engine ray")
    settings = Settings(db_path=db, batch_size=batch_size, max_file_bytes=int(max_file_mb * 1024 * 1024),
                        workers=workers)
    if engine == "ray":
        try:
            import ray  # noqa: F401
        except ImportError as err:
            raise click.ClickException("--engine ray needs Ray: pip install -e '.[scale]'") from err
    try:
        store = Store(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    with store:
        if engine == "ray":
            from .engine_ray import RayIngestor

            ingestor = RayIngestor(store, settings, address=address, parts_dir=parts_dir, resume=resume)
        else:
            ingestor = Ingestor(store, settings, resume=resume)
        total = count_inputs(paths, settings)
        with click.progressbar(length=total, label="Ingesting", file=sys.stderr,
                               hidden=quiet or not sys.stderr.isatty()) as bar:
            counts = ingestor.run(paths, progress=bar.update)
    click.echo(f"files read: {counts.files_read}", err=True)
    if resume:
        click.echo(f"resumed: {counts.resumed} files already ingested were not read again", err=True)
    click.echo(f"skipped: {counts.skipped}", err=True)
    for item in counts.skipped_reasons:
        click.echo(f"  {item.path}: {item.reason}", err=True)
    click.echo(f"articles: {counts.articles} new, {counts.duplicates} already in the database", err=True)
    click.echo(f"sentences: {counts.sentences}", err=True)
    click.echo(f"events: {counts.events}", err=True)
    if counts.files_read and counts.skipped == counts.files_read:
        raise click.ClickException("no input could be ingested")


@main.command()
@click.option("--input", "input_path", default="-", show_default=True,
              help='JSONL of {"id", "text", "date"}; "-" reads standard input.')
@click.option("--output", "output_path", default="-", show_default=True,
              help='JSONL of {"id", "events": [...]}; "-" writes standard output.')
@click.option("--batch-size", default=64, show_default=True)
def code(input_path: str, output_path: str, batch_size: int) -> None:
    """Code sentences or short texts into PLOVER events (the format of score_events.py)."""
    from .annotate import Analyzer, parse_iso

    source = sys.stdin if input_path == "-" else open_input(input_path)
    items, errors = read_code_inputs(source, input_path)
    analyzer = Analyzer(Settings(batch_size=batch_size))
    results = analyzer.code_texts([(text, parse_iso(day)) for _, text, day in items])
    lines = [json.dumps({"id": item_id, "events": [event_record(e) for e in events]}, ensure_ascii=False)
             for (item_id, _, _), events in zip(items, results, strict=True)]
    text = "".join(line + "\n" for line in lines)
    if output_path == "-":
        sys.stdout.write(text)
    else:
        Path(output_path).write_text(text, encoding="utf-8")
    for message in errors:
        click.echo(message, err=True)
    if errors:
        raise SystemExit(1)


def open_input(path: str):
    try:
        return open(path, encoding="utf-8")  # noqa: SIM115 - closed when the process ends
    except OSError as err:
        raise click.ClickException(f"{path}: {err.strerror}") from err


def read_code_inputs(stream, name: str) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    items, errors = [], []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError('expected an object with a string "text"')
            day = record.get("date") or record.get("published")
            if day is not None and not isinstance(day, str):
                raise ValueError('"date" must be a YYYY-MM-DD string')
            items.append((record.get("id", f"line-{number}"), record["text"], day))
        except ValueError as err:
            errors.append(f"{name}:{number}: skipped: {err}")
    return items, errors


def event_record(event) -> dict:
    record = event.to_dict()
    record["start"], record["end"] = event.start, event.end
    return record


@main.command()
@click.argument("table", type=click.Choice(["articles", "events", "actors", "near_duplicates", "skipped", "runs"]))
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--output", default="-", show_default=True, help='File to write; "-" writes standard output.')
@click.option("--all", "include_all", is_flag=True,
              help="events: also domestic ones and those with no recipient (by default only events between two "
                   "parties are exported).")
def export(table: str, db: str, fmt: str, output: str, include_all: bool) -> None:
    """Export a table as JSONL, CSV or Parquet."""
    from .export import table_frame, write_frame

    store = open_existing(db)
    with store:
        frame = table_frame(store, table, dyadic_only=not include_all)
    try:
        write_frame(frame, fmt, output)
    except (ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err


@main.command()
@DB_OPTION
def stats(db: str) -> None:
    """Counts of articles, events by type and modality, and the last runs."""
    store = open_existing(db)
    with store:
        articles = store.query("SELECT count(*) AS n FROM articles")["n"][0]
        events = store.query("SELECT type, modality FROM events")
        runs = store.query("SELECT id, status, files_read, skipped, articles, events FROM runs ORDER BY id DESC "
                           "LIMIT 5")
    click.echo(f"articles: {articles}")
    click.echo(f"events: {len(events)}")
    for (event_type, modality), n in sorted(Counter(zip(events["type"], events["modality"], strict=True)).items()):
        click.echo(f"  {event_type:10s} {modality:12s} {n}")
    click.echo(runs.to_string(index=False))


@main.command()
@click.argument("a")
@click.argument("b")
@DB_OPTION
@click.option("--by", type=click.Choice(["month", "week", "day"]), default="month", show_default=True)
@click.option("--directed", is_flag=True, help="Only events from A to B (default: both ways).")
@click.option("--hypothetical", is_flag=True, help="Also count hypothetical events (negated ones never count).")
@click.option("--start", default=None, help="First day, YYYY-MM-DD.")
@click.option("--end", default=None, help="Last day, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "png"]), default="table",
              show_default=True)
@click.option("--output", default="-", show_default=True, help='File to write; "-" is standard output (not for png).')
def dyad(a: str, b: str, db: str, by: str, directed: bool, hypothetical: bool, start: str | None, end: str | None,
         fmt: str, output: str) -> None:
    """Events between two actors (e.g. FRA AZE) per month, week or day, by quad class and type."""
    from .analytics import AnalyticsError, dyad_png, dyad_series, format_table

    modalities = ("asserted", "future", "hypothetical") if hypothetical else ("asserted", "future")
    store = open_existing(db)
    with store:
        try:
            frame = dyad_series(store.con, a, b, by=by, directed=directed, modalities=modalities, start=start, end=end)
        except AnalyticsError as err:
            raise click.BadParameter(str(err)) from err
    if fmt == "png":
        if output == "-":
            raise click.UsageError("--format png needs --output FILE.png")
        dyad_png(frame, output, title=f"{a.upper()} {'→' if directed else '↔'} {b.upper()} per {by}")
        click.echo(f"wrote {output}", err=True)
        return
    text = (format_table(frame) + "\n" if fmt == "table" else frame.to_csv(index=False) if fmt == "csv"
            else frame.assign(period=frame["period"].dt.strftime("%Y-%m-%d")).to_json(orient="records", lines=True))
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


@main.command()
@click.argument("code")
@DB_OPTION
@click.option("--partners", default=10, show_default=True, help="How many top partners to list.")
def actor(code: str, db: str, partners: int) -> None:
    """An actor's profile (e.g. FRA or IGO:EU): counts, top partners, events by type."""
    from .analytics import AnalyticsError, actor_profile, format_table

    store = open_existing(db)
    with store:
        try:
            profile = actor_profile(store.con, code, partners=partners, recent=0)
        except AnalyticsError as err:
            raise click.BadParameter(str(err)) from err
    summary = profile["summary"]
    if not summary["events"]:
        raise click.ClickException(f"no counted events with actor {profile['actor']}")
    click.echo(f"{profile['actor']}: {summary['events']} events ({summary['as_source']} as source, "
               f"{summary['as_target']} as target), {summary['cooperation']} cooperation, {summary['conflict']} "
               f"conflict, net PLOVER score {summary['net_score']:+.1f}, "
               f"{summary['first_day']} to {summary['last_day']}")
    click.echo("\nTop partners\n" + format_table(profile["partners"]))
    click.echo("\nBy event type\n" + format_table(profile["by_type"]))


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; loopback by default.")
@click.option("--port", default=8765, show_default=True)
def serve(db: str, host: str, port: int) -> None:
    """Serve the dashboard and the REST API (read-only); builds the story and framing tables first if missing."""
    import uvicorn

    from .serve import create_app

    open_analysis(db).close()
    click.echo(f"diplograph serving {db} on http://{host}:{port}/", err=True)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


def open_existing(db: str):
    from .store import Store, StoreError

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database; run `diplograph ingest PATH --db {db}` first")
    try:
        return Store(db, read_only=True)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


def open_analysis(db: str):
    """The database, read-only, with its story and framing tables; builds them first if the ingest predates them."""
    from .framing import build_all, is_built
    from .store import Store, StoreError

    store = open_existing(db)
    if is_built(store.con):
        return store
    store.close()
    try:
        with Store(db) as writable:
            build_all(writable.con)
    except StoreError as err:
        raise click.ClickException(f"{err}; the story tables are missing and cannot be built") from err
    return open_existing(db)


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def outlets(db: str, fmt: str) -> None:
    """How each outlet covers and frames the news: stances, distinctive words, tone toward actors, whom it quotes."""
    from .framing import outlet_report, outlets_frame

    with open_analysis(db) as store:
        if fmt == "json":
            text = json.dumps(outlet_report(store.con), ensure_ascii=False, indent=2, default=str)
        else:
            text = outlets_frame(store.con).to_string(index=False)
    click.echo(text)


@main.command("stories")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all", "include_all", is_flag=True, help="Also list stories told by a single article.")
@click.option("--events", is_flag=True, help="json: also give each story's de-duplicated event groups.")
def stories_command(db: str, fmt: str, include_all: bool, events: bool) -> None:
    """Stories across outlets, and how many event mentions de-duplication folds into one event."""
    from .stories import stories_report, stories_table

    with open_analysis(db) as store:
        if fmt == "json":
            text = json.dumps(stories_report(store.con, include_all, events), ensure_ascii=False, indent=2,
                              default=str)
        else:
            counts = stories_report(store.con)["dedup"]
            text = stories_table(store.con, include_all).to_string(index=False) + (
                f"\nevents: {counts['raw_mentions']} mentions -> {counts['event_groups']} de-duplicated "
                f"({counts['groups_in_several_outlets']} told by several outlets); duplicate ratio "
                f"{counts['duplicate_ratio_before']:.3f} before, {counts['duplicate_ratio_after']:.3f} after")
    click.echo(text)


if __name__ == "__main__":
    main()
