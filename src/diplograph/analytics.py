"""Analytics over the event database: dyad time series, partners, the actor network and actor profiles.

Every function takes an open DuckDB connection (or cursor) or a database path, runs parameterised SQL only and
returns pandas DataFrames. Actors are the country part of an event's source and target (`source_country`,
`target_country`: 'FRA' for 'FRA-GOV', IGO codes whole such as 'IGO:EU'). An event's day is its own day when the
text gave one, else the day its article was published. Negated events never count; hypothetical ones only when
asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

PERIODS = ("month", "week", "day")
MODALITIES = ("asserted", "future", "hypothetical")  # 'negated' is never counted
DEFAULT_MODALITIES = ("asserted", "future")
QUAD_CLASSES = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
ACTOR_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,15}(?::[A-Z0-9_]{1,20})?$")
TYPE_PATTERN = re.compile(r"^[A-Z_]{2,20}$")
DAY = "COALESCE(e.event_day, a.published)"
COOPERATION = "e.quad_class LIKE '%cooperation'"
CONFLICT = "e.quad_class LIKE '%conflict'"


class AnalyticsError(ValueError):
    """A parameter is not one the queries accept (unknown period, malformed actor code, ...)."""


@dataclass
class Network:
    nodes: pd.DataFrame  # actor, events, as_source, as_target, net_score
    edges: pd.DataFrame  # a, b, events, cooperation, conflict, net_score, mean_score


@contextmanager
def connection(con: duckdb.DuckDBPyConnection | str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Use an open connection as it is, or open a database path read-only for the length of the block."""
    if isinstance(con, str | Path):
        if not Path(con).exists():
            raise AnalyticsError(f"{con}: no such database")
        own = duckdb.connect(str(con), read_only=True)
        try:
            yield own
        finally:
            own.close()
    else:
        yield con


# -- parameter checks ---------------------------------------------------------------------------------------------
def actor_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not ACTOR_PATTERN.match(code):
        raise AnalyticsError(f"not an actor code: {value!r} (expected e.g. FRA or IGO:EU)")
    return code


def period(value: str) -> str:
    if value not in PERIODS:
        raise AnalyticsError(f"unknown period {value!r}; choose one of {', '.join(PERIODS)}")
    return value


def modality_list(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return list(DEFAULT_MODALITIES)
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    chosen = []
    for value in values:
        value = value.strip().lower()
        if value == "negated":
            continue  # negated events are reports that something did not happen: never counted
        if value not in MODALITIES:
            raise AnalyticsError(f"unknown modality {value!r}; choose among {', '.join(MODALITIES)}")
        chosen.append(value)
    if not chosen:
        raise AnalyticsError("no countable modality chosen (negated events are never counted)")
    return chosen


def type_list(values: Sequence[str] | str | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = values.split(",")
    chosen = [v.strip().upper() for v in values if v.strip()]
    for value in chosen:
        if not TYPE_PATTERN.match(value):
            raise AnalyticsError(f"not a PLOVER event type: {value!r}")
    return chosen or None


def day_value(value: date | str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as err:
        raise AnalyticsError(f"{name} must be an ISO date (YYYY-MM-DD), not {value!r}") from err


def common_filters(modalities: Sequence[str] | str | None = DEFAULT_MODALITIES,
                   types: Sequence[str] | str | None = None, start: date | str | None = None,
                   end: date | str | None = None, outlet: str | None = None
                   ) -> tuple[list[str], list[Any]]:
    """WHERE clauses (joined with AND by the caller) and their parameters, for events `e` joined to articles `a`."""
    clauses, params = ["e.modality IN (SELECT UNNEST(?::VARCHAR[]))"], [modality_list(modalities)]
    chosen_types = type_list(types)
    if chosen_types:
        clauses.append("e.type IN (SELECT UNNEST(?::VARCHAR[]))")
        params.append(chosen_types)
    day_clauses, day_params = day_range(start, end)
    clauses += day_clauses
    params += day_params
    if outlet:
        clauses.append("a.outlet = ?")
        params.append(outlet)
    return clauses, params


def article_join(clauses: Sequence[str]) -> str:
    """Join the articles only when a filter reads them: on a million events the join costs more than the query."""
    return "JOIN articles a ON a.id = e.article_id" if any("a." in clause for clause in clauses) else ""


def day_range(start: date | str | None, end: date | str | None) -> tuple[list[str], list[Any]]:
    """WHERE clauses keeping events whose day (their own, else the article's) lies between start and end."""
    first, last = day_value(start, "start"), day_value(end, "end")
    if first and last and first > last:
        raise AnalyticsError(f"start {first} is after end {last}")
    clauses, params = [], []
    if first:
        clauses.append(f"{DAY} >= ?")
        params.append(first)
    if last:
        clauses.append(f"{DAY} <= ?")
        params.append(last)
    return clauses, params


def dyad_clause(a: str, b: str, directed: bool) -> tuple[str, list[str]]:
    """Events from a to b, or between a and b in either direction."""
    if directed:
        return "(e.source_country = ? AND e.target_country = ?)", [a, b]
    return ("((e.source_country = ? AND e.target_country = ?) OR (e.source_country = ? AND e.target_country = ?))",
            [a, b, b, a])


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> pd.DataFrame:
    return con.execute(sql, list(params)).fetchdf()


# -- queries --------------------------------------------------------------------------------------------------------
def dyad_series(con: duckdb.DuckDBPyConnection | str | Path, a: str, b: str, by: str = "month",
                directed: bool = False, types: Sequence[str] | str | None = None,
                modalities: Sequence[str] | str | None = DEFAULT_MODALITIES, start: date | str | None = None,
                end: date | str | None = None, outlet: str | None = None) -> pd.DataFrame:
    """Events between a and b per period (month, week or day) by quad class and type.

    Columns: period (date of the period's first day), quad_class, type, events, score_mean, score_sum.
    Undirected by default (a→b and b→a both count); `directed=True` keeps a→b only. Events with no day at all
    (neither their own nor a publication day) cannot be placed in time and are left out."""
    a, b, by = actor_code(a), actor_code(b), period(by)
    clauses, params = common_filters(modalities, types, start, end, outlet)
    dyad, dyad_params = dyad_clause(a, b, directed)
    sql = f"""
        SELECT CAST(date_trunc(?, {DAY}) AS DATE) AS period, e.quad_class, e.type, count(*) AS events,
               avg(e.plover_score) AS score_mean, COALESCE(sum(e.plover_score), 0) AS score_sum
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {dyad} AND {DAY} IS NOT NULL AND {' AND '.join(clauses)}
        GROUP BY ALL ORDER BY period, e.quad_class, e.type"""
    with connection(con) as c:
        result = frame(c, sql, [by, *dyad_params, *params])
    result["events"] = result["events"].astype("int64")
    return result


def dyad_events(con: duckdb.DuckDBPyConnection | str | Path, a: str, b: str, directed: bool = False,
                types: Sequence[str] | str | None = None,
                modalities: Sequence[str] | str | None = DEFAULT_MODALITIES, start: date | str | None = None,
                end: date | str | None = None, outlet: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The events counted by dyad_series, one row each, newest first."""
    a, b = actor_code(a), actor_code(b)
    clauses, params = common_filters(modalities, types, start, end, outlet)
    dyad, dyad_params = dyad_clause(a, b, directed)
    sql = f"""
        SELECT e.id, e.article_id, {DAY} AS day, e.source, e.target, e.source_country, e.target_country, e.type,
               e.mode, e.modality, e.quad_class, e.plover_score, e.trigger, e.sentence, e.source_text, e.target_text,
               e.trigger_start - e.start_char AS trigger_offset, e.trigger_end - e.trigger_start AS trigger_length,
               a.outlet, a.title
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {dyad} AND {' AND '.join(clauses)}
        ORDER BY day DESC NULLS LAST, e.id LIMIT ?"""
    with connection(con) as c:
        return frame(c, sql, [*dyad_params, *params, int(limit)])


def top_partners(con: duckdb.DuckDBPyConnection | str | Path, actor: str, limit: int = 10,
                 modalities: Sequence[str] | str | None = DEFAULT_MODALITIES, start: date | str | None = None,
                 end: date | str | None = None, outlet: str | None = None) -> pd.DataFrame:
    """The actors `actor` has most events with, either way round (itself excluded).

    Columns: partner, events, sent, received, cooperation, conflict, net_score."""
    actor = actor_code(actor)
    clauses, params = common_filters(modalities, None, start, end, outlet)
    sql = f"""
        WITH d AS (
            SELECT CASE WHEN e.source_country = ? THEN e.target_country ELSE e.source_country END AS partner,
                   e.source_country = ? AS sent, e.quad_class, e.plover_score
            FROM events e JOIN articles a ON a.id = e.article_id
            WHERE (e.source_country = ? OR e.target_country = ?) AND e.source_country IS NOT NULL
              AND e.target_country IS NOT NULL AND e.source_country <> e.target_country AND {' AND '.join(clauses)})
        SELECT partner, count(*) AS events, count(*) FILTER (WHERE sent) AS sent,
               count(*) FILTER (WHERE NOT sent) AS received,
               count(*) FILTER (WHERE quad_class LIKE '%cooperation') AS cooperation,
               count(*) FILTER (WHERE quad_class LIKE '%conflict') AS conflict,
               COALESCE(sum(plover_score), 0) AS net_score
        FROM d GROUP BY partner ORDER BY events DESC, partner LIMIT ?"""
    with connection(con) as c:
        return frame(c, sql, [actor, actor, actor, actor, *params, int(limit)])


def network(con: duckdb.DuckDBPyConnection | str | Path, modalities: Sequence[str] | str | None = DEFAULT_MODALITIES,
            types: Sequence[str] | str | None = None, start: date | str | None = None, end: date | str | None = None,
            outlet: str | None = None, min_events: int = 1, max_nodes: int | None = None) -> Network:
    """Actors as nodes, undirected dyads as edges.

    nodes: actor, events (dyadic events it is part of), as_source, as_target, net_score.
    edges: a, b (a < b), events, cooperation, conflict, net_score (summed PLOVER score), mean_score.
    Edges with fewer than `min_events` events are dropped; `max_nodes` keeps the busiest actors."""
    clauses, params = common_filters(modalities, types, start, end, outlet)
    sql = f"""
        SELECT e.source_country AS src, e.target_country AS tgt, count(*) AS events,
               count(*) FILTER (WHERE {COOPERATION}) AS cooperation, count(*) FILTER (WHERE {CONFLICT}) AS conflict,
               COALESCE(sum(e.plover_score), 0) AS net_score, count(e.plover_score) AS scored
        FROM events e {article_join(clauses)}
        WHERE e.source_country IS NOT NULL AND e.target_country IS NOT NULL
          AND e.source_country <> e.target_country AND {' AND '.join(clauses)}
        GROUP BY ALL"""
    with connection(con) as c:
        directed = frame(c, sql, params)  # one row per directed dyad: small whatever the number of events
    sums = ["events", "cooperation", "conflict", "net_score", "scored"]
    directed[["events", "cooperation", "conflict", "scored"]] = directed[
        ["events", "cooperation", "conflict", "scored"]].astype("int64")
    directed["a"] = directed[["src", "tgt"]].min(axis=1)
    directed["b"] = directed[["src", "tgt"]].max(axis=1)
    edges = directed.groupby(["a", "b"], as_index=False)[sums].sum()
    edges["mean_score"] = edges["net_score"] / edges["scored"].where(edges["scored"] > 0)
    edges = edges[edges["events"] >= max(1, int(min_events))].drop(columns="scored")
    edges = edges.sort_values(["events", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)
    sent = directed.groupby("src")[["events", "net_score"]].sum()
    received = directed.groupby("tgt")[["events", "net_score"]].sum()
    nodes = pd.DataFrame({"as_source": sent["events"], "as_target": received["events"]}).fillna(0)
    nodes["events"] = nodes["as_source"] + nodes["as_target"]
    nodes["net_score"] = sent["net_score"].reindex(nodes.index, fill_value=0) + received["net_score"].reindex(
        nodes.index, fill_value=0)
    nodes = nodes.rename_axis("actor").reset_index()[["actor", "events", "as_source", "as_target", "net_score"]]
    nodes = nodes.sort_values(["events", "actor"], ascending=[False, True]).reset_index(drop=True)
    if max_nodes is not None:
        nodes = nodes.head(int(max_nodes))
    keep = set(nodes["actor"])
    edges = edges[edges["a"].isin(keep) & edges["b"].isin(keep)].reset_index(drop=True)
    if min_events > 1:  # only actors still joined by an edge
        linked = set(edges["a"]) | set(edges["b"])
        nodes = nodes[nodes["actor"].isin(linked)]
    for name in ("events", "as_source", "as_target"):
        nodes[name] = nodes[name].astype("int64")
    for name in ("events", "cooperation", "conflict"):
        edges[name] = edges[name].astype("int64")
    return Network(nodes.reset_index(drop=True), edges)


def actor_profile(con: duckdb.DuckDBPyConnection | str | Path, actor: str, by: str = "month",
                  modalities: Sequence[str] | str | None = DEFAULT_MODALITIES, partners: int = 10,
                  recent: int = 50) -> dict[str, Any]:
    """What one actor does and has done to it.

    A dict: actor, summary (dict of counts, first and last day), by_type (DataFrame: role, type, quad_class,
    events, score_sum), partners (top_partners), timeline (period, quad_class, events, score_sum: events it
    sends or receives) and events (its most recent events)."""
    actor, by = actor_code(actor), period(by)
    clauses, params = common_filters(modalities)
    where = f"(e.source_country = ? OR e.target_country = ?) AND {' AND '.join(clauses)}"
    base = "FROM events e JOIN articles a ON a.id = e.article_id"
    with connection(con) as c:
        summary = frame(c, f"""
            SELECT count(*) AS events, count(*) FILTER (WHERE e.source_country = ?) AS as_source,
                   count(*) FILTER (WHERE e.target_country = ?) AS as_target,
                   count(*) FILTER (WHERE {COOPERATION}) AS cooperation,
                   count(*) FILTER (WHERE {CONFLICT}) AS conflict,
                   COALESCE(sum(e.plover_score), 0) AS net_score, count(DISTINCT e.article_id) AS articles,
                   strftime(min({DAY}), '%Y-%m-%d') AS first_day, strftime(max({DAY}), '%Y-%m-%d') AS last_day,
                   list(DISTINCT e.source) FILTER (WHERE e.source_country = ?) AS codes
            {base} WHERE {where}""", [actor, actor, actor, actor, actor, *params]).iloc[0].to_dict()
        by_type = frame(c, f"""
            SELECT CASE WHEN e.source_country = ? THEN 'source' ELSE 'target' END AS role, e.type, e.quad_class,
                   count(*) AS events, COALESCE(sum(e.plover_score), 0) AS score_sum
            {base} WHERE {where} GROUP BY ALL ORDER BY role, events DESC, e.type""", [actor, actor, actor, *params])
        timeline = frame(c, f"""
            SELECT CAST(date_trunc(?, {DAY}) AS DATE) AS period, e.quad_class, count(*) AS events,
                   COALESCE(sum(e.plover_score), 0) AS score_sum
            {base} WHERE {where} AND {DAY} IS NOT NULL GROUP BY ALL ORDER BY period, e.quad_class""",
                         [by, actor, actor, *params])
        events = frame(c, f"""
            SELECT e.id, e.article_id, {DAY} AS day, e.source, e.target, e.source_country, e.target_country, e.type,
                   e.modality, e.quad_class, e.plover_score, e.trigger, e.sentence, e.source_text, e.target_text,
                   e.trigger_start - e.start_char AS trigger_offset,
                   e.trigger_end - e.trigger_start AS trigger_length, a.outlet, a.title
            {base} WHERE {where} ORDER BY day DESC NULLS LAST, e.id LIMIT ?""", [actor, actor, *params, int(recent)])
        partner_frame = top_partners(c, actor, limit=partners, modalities=modalities)
    codes = summary.get("codes")
    summary["codes"] = sorted(c for c in list(codes) if c) if codes is not None else []
    for key in ("events", "as_source", "as_target", "cooperation", "conflict", "articles"):
        summary[key] = int(summary[key])
    summary["net_score"] = float(summary["net_score"])
    return {"actor": actor, "summary": summary, "by_type": by_type, "partners": partner_frame,
            "timeline": timeline, "events": events}


def actors(con: duckdb.DuckDBPyConnection | str | Path, modalities: Sequence[str] | str | None = None
           ) -> pd.DataFrame:
    """Every actor code seen as a source or target country, with its event count (all modalities by default)."""
    clauses, params = (["TRUE"], []) if modalities is None else common_filters(modalities)
    sql = f"""
        WITH ends AS (SELECT e.source_country AS actor FROM events e JOIN articles a ON a.id = e.article_id
                      WHERE {' AND '.join(clauses)}
                      UNION ALL SELECT e.target_country FROM events e JOIN articles a ON a.id = e.article_id
                      WHERE {' AND '.join(clauses)})
        SELECT actor, count(*) AS events FROM ends WHERE actor IS NOT NULL GROUP BY actor ORDER BY events DESC, actor"""
    with connection(con) as c:
        return frame(c, sql, [*params, *params])


# -- terminal and image output --------------------------------------------------------------------------------------
def format_table(df: pd.DataFrame, max_width: int = 40, max_rows: int = 500) -> str:
    """A DataFrame as an aligned plain-text table for the terminal (long cells cut with '…')."""
    if df.empty:
        return "(no rows)"
    shown = df.head(max_rows)

    def cell(value: Any) -> str:
        if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
            return ""
        if isinstance(value, float):
            text = f"{value:.2f}"
        elif hasattr(value, "strftime"):
            text = value.strftime("%Y-%m-%d")
        else:
            text = str(value)
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[:max_width - 1] + "…"

    header = [str(c) for c in shown.columns]
    body = [[cell(v) for v in row] for row in shown.itertuples(index=False, name=None)]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    lines = [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in body)]
    if len(df) > max_rows:
        lines.append(f"… {len(df) - max_rows} more rows")
    return "\n".join(lines)


QUAD_COLOURS = {"verbal_cooperation": "#7fb8e6", "material_cooperation": "#1f6fb2",
                "verbal_conflict": "#f2a07b", "material_conflict": "#c0392b"}


def stacked_counts(series: pd.DataFrame) -> pd.DataFrame:
    """dyad_series rows pivoted to one row per period and one column per quad class (missing periods kept out)."""
    if series.empty:
        return pd.DataFrame(columns=list(QUAD_CLASSES))
    table = series.pivot_table(index="period", columns="quad_class", values="events", aggfunc="sum", fill_value=0)
    return table.reindex(columns=list(QUAD_CLASSES), fill_value=0).sort_index()


def dyad_png(df: pd.DataFrame, path: str | Path, title: str | None = None) -> Path:
    """Draw a dyad_series frame as stacked bars (cooperation up, conflict down) into a PNG file."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    table = stacked_counts(df)
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    try:
        labels = [p.strftime("%Y-%m-%d") if hasattr(p, "strftime") else str(p) for p in table.index]
        x = range(len(labels))
        up = [0] * len(labels)
        down = [0] * len(labels)
        for quad in QUAD_CLASSES:
            values = list(table[quad]) if quad in table else [0] * len(labels)
            if quad.endswith("cooperation"):
                ax.bar(x, values, bottom=up, color=QUAD_COLOURS[quad], label=quad.replace("_", " "))
                up = [u + v for u, v in zip(up, values, strict=True)]
            else:
                ax.bar(x, [-v for v in values], bottom=down, color=QUAD_COLOURS[quad], label=quad.replace("_", " "))
                down = [d - v for d, v in zip(down, values, strict=True)]
        ax.axhline(0, color="#333", linewidth=0.8)
        ax.set_xticks(list(x))
        ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("events (conflict below zero)")
        ax.set_title(title or "cooperation and conflict")
        if labels:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
        else:
            ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
        fig.tight_layout()
        out = Path(path)
        fig.savefig(out, format="png")
    finally:
        plt.close(fig)
    return out
