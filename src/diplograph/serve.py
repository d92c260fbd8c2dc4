"""Serve stage: a read-only FastAPI app over the DuckDB file, with a server-rendered dashboard.

Every query is parameterised; every piece of article text reaches the page through Jinja2's autoescaping (text is
split into parts server-side for highlighting, never marked safe). Only GET and HEAD are served; request bodies
over 1 MB are refused with 413; every response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import contextlib
import math
import re
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import duckdb
import jinja2
import pandas as pd
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__, analytics, framing, stories
from .analytics import AnalyticsError

WEB_DIR = Path(__file__).parent / "web"
MAX_BODY_BYTES = 1024 * 1024
ALLOWED_METHODS = frozenset({"GET", "HEAD"})
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
EVENT_MODALITIES = ("asserted", "future", "hypothetical", "negated")
MAX_OFFSET = 10_000_000
CODE_PARAM = r"^[A-Za-z][A-Za-z0-9_]{0,15}(:[A-Za-z0-9_]{1,20})?$"
DAY_SQL = analytics.DAY

EVENT_COLUMNS = f"""e.id, e.article_id, a.path, a.outlet, a.title, strftime(a.published, '%Y-%m-%d') AS published,
    e.source, e.target, e.source_country, e.target_country, e.type, e.mode, e.modality, e.event_date,
    strftime({DAY_SQL}, '%Y-%m-%d') AS day, e.speaker, e.speaker_name, e.cameo, e.plover_score, e.quad_class,
    e.trigger, e.sentence, e.source_text, e.target_text, e.trigger_start - e.start_char AS trigger_offset,
    e.trigger_end - e.trigger_start AS trigger_length"""
UNKNOWN_OUTLET = "~unknown"  # the outlet key of articles whose outlet was not recognised (outlet IS NULL)
UNKNOWN_LABEL = "unknown outlet"
MAX_OUTLETS = 12  # outlets side by side on /framing
LIVE_SENTENCE_CAP = 50_000  # sentences of unknown-outlet articles read for the live contested terms and tone
OUTLETS_QUERY = Query(None, description=f"outlets side by side (repeat the parameter); {UNKNOWN_OUTLET} for articles"
                                        " without an outlet")
STANCE_CLASSES = {"pro-Baku": "pro-baku", "pro-Yerevan": "pro-yerevan", "pro-Moscow": "pro-moscow",
                  "loaded": "loaded", "neutral": "neutral"}


class Guard:
    """ASGI middleware: GET/HEAD only (405), bodies over the limit refused (413), security headers on every
    response."""

    def __init__(self, app: Callable, max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS if k not in names)]
            await send(message)

        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = False
        if length is not None:
            try:
                too_big = int(length) > self.max_body or int(length) < 0
            except ValueError:
                await plain_error(send_with_headers, 400, "invalid Content-Length")
                return
        if too_big:
            await plain_error(send_with_headers, 413, f"request body larger than {self.max_body} bytes")
            return
        if scope["method"] not in ALLOWED_METHODS:
            await plain_error(send_with_headers, 405, "only GET and HEAD are allowed", [(b"allow", b"GET, HEAD")])
            return
        received = 0

        async def counted_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, f"request body larger than {self.max_body} bytes")
            return message

        await self.app(scope, counted_receive, send_with_headers)


async def plain_error(send: Callable, status: int, detail: str, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = JSONResponse({"detail": detail}).body
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *extra]})
    await send({"type": "http.response.body", "body": body})


def create_app(db_path: str, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    app = FastAPI(title="diplograph", version=__version__, docs_url=None, redoc_url=None,
                  description="Read-only access to a diplograph PLOVER event database. Actor codes are countries "
                              "(FRA) or organisations (IGO:EU); dates are ISO (YYYY-MM-DD).")
    connection = duckdb.connect(db_path, read_only=True)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(WEB_DIR)), autoescape=True)
    environment.filters["safe_url"] = safe_url
    environment.filters["num"] = number
    environment.globals["query"] = query_string
    templates = Jinja2Templates(env=environment)
    app.add_middleware(Guard, max_body=max_body)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    app.state.connection = connection

    def cursor() -> duckdb.DuckDBPyConnection:
        return connection.cursor()

    def rows(sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cur = cursor()
        try:
            result = cur.execute(sql, list(params or []))
            names = [d[0] for d in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            cur.close()

    def analysis(function: Callable, *args: Any, **kwargs: Any) -> Any:
        cur = cursor()
        try:
            return function(cur, *args, **kwargs)
        finally:
            cur.close()

    def get(path: str, **kwargs: Any) -> Callable:
        """Route GET and HEAD to the function; only GET appears in the OpenAPI schema."""
        def decorate(function: Callable) -> Callable:
            app.add_api_route(path, function, methods=["GET"], **kwargs)
            app.add_api_route(path, function, methods=["HEAD"], **{**kwargs, "include_in_schema": False})
            return function
        return decorate

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    def error_page(request: Request, status: int, messages: list[str]) -> HTMLResponse:
        return templates.TemplateResponse(request, "error.html", {**base_context("error"), "status": status,
                                                                   "messages": messages}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        if is_api(request):
            return await request_validation_exception_handler(request, exc)
        messages = [f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in exc.errors()]
        return error_page(request, 422, messages)

    @app.exception_handler(AnalyticsError)
    async def bad_parameter(request: Request, exc: AnalyticsError):
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return error_page(request, 400, [str(exc)])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if is_api(request) or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return error_page(request, exc.status_code, [str(exc.detail)])

    def base_context(page: str) -> dict[str, Any]:
        return {"page_name": page, "version": __version__}

    def actor_choices() -> list[str]:
        return [row["actor"] for row in rows(
            "SELECT actor FROM (SELECT source_country AS actor FROM events UNION SELECT target_country FROM events)"
            " WHERE actor IS NOT NULL ORDER BY actor")]

    # -- REST API ---------------------------------------------------------------------------------------------------
    @get("/api/articles", tags=["articles"])
    def list_articles(limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                      outlet: str | None = Query(None, max_length=200)) -> dict[str, Any]:
        """Articles, newest first, with their event counts."""
        where, params = ("WHERE a.outlet = ?", [outlet]) if outlet else ("", [])
        items = rows("SELECT a.id, a.path, a.outlet, a.title, strftime(a.published, '%Y-%m-%d') AS published,"
                     " a.language, (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events"
                     f" FROM articles a {where} ORDER BY a.published DESC NULLS LAST, a.path LIMIT ? OFFSET ?",
                     [*params, limit, offset])
        total = rows(f"SELECT count(*) AS n FROM articles a {where}", params)[0]["n"]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def article_record(article_id: str) -> dict[str, Any]:
        found = rows("SELECT id, path, url, outlet, title, author, strftime(published, '%Y-%m-%d') AS published,"
                     " date_note, language, body FROM articles WHERE id = ?", [article_id])
        if not found:
            raise HTTPException(404, f"no article with id {article_id!r}")
        article = found[0]
        article["events"] = rows(f"SELECT {EVENT_COLUMNS}, e.event_index, e.trigger_start, e.trigger_end"
                                 " FROM events e JOIN articles a ON a.id = e.article_id"
                                 " WHERE e.article_id = ? ORDER BY e.event_index", [article_id])
        article["near_duplicates"] = rows(
            "SELECT n.other_id AS id, n.similarity, o.title, o.outlet, strftime(o.published, '%Y-%m-%d') AS published"
            " FROM (SELECT other_id, similarity FROM near_duplicates WHERE article_id = ?"
            "       UNION SELECT article_id, similarity FROM near_duplicates WHERE other_id = ?) n"
            " LEFT JOIN articles o ON o.id = n.other_id ORDER BY n.similarity DESC, n.other_id",
            [article_id, article_id])
        return article

    @get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str) -> dict[str, Any]:
        """One article: metadata, cleaned body, its events and its near-duplicates."""
        if len(article_id) > 200:
            raise HTTPException(404, "no such article")
        return article_record(article_id)

    def events_page(source: str | None, target: str | None, event_type: str | None, modality: str | None,
                    outlet: str | None, start: str | None, end: str | None, limit: int, offset: int
                    ) -> dict[str, Any]:
        where, params = event_filters(source, target, event_type, modality, outlet, start, end)
        items = rows(f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id {where}"
                     f" ORDER BY {DAY_SQL} DESC NULLS LAST, a.path, e.event_index LIMIT ? OFFSET ?",
                     [*params, limit, offset])
        total = rows(f"SELECT count(*) AS n FROM events e JOIN articles a ON a.id = e.article_id {where}",
                     params)[0]["n"]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @get("/api/events", tags=["events"])
    def list_events(
        source: str | None = Query(None, max_length=40, description="source actor (country or IGO code)"),
        target: str | None = Query(None, max_length=40, description="target actor"),
        type: str | None = Query(None, max_length=20, description="PLOVER event type, e.g. ACCUSE"),
        modality: str | None = Query(None, max_length=20, description="asserted, future, hypothetical or negated"),
        outlet: str | None = Query(None, max_length=200),
        start: str | None = Query(None, max_length=10, description="first day, YYYY-MM-DD"),
        end: str | None = Query(None, max_length=10, description="last day, YYYY-MM-DD"),
        limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ) -> dict[str, Any]:
        """Events (all modalities unless one is chosen), newest first."""
        return events_page(source, target, type, modality, outlet, start, end, limit, offset)

    @get("/api/dyad", tags=["analytics"])
    def api_dyad(
        a: str = Query(..., max_length=40, pattern=CODE_PARAM), b: str = Query(..., max_length=40, pattern=CODE_PARAM),
        by: str = Query("month", pattern="^(month|week|day)$"), directed: bool = False,
        types: str | None = Query(None, max_length=400, description="comma-separated PLOVER types"),
        modalities: str = Query("asserted,future", max_length=100,
                                description="comma-separated; negated events are never counted"),
        start: str | None = Query(None, max_length=10), end: str | None = Query(None, max_length=10),
        outlet: str | None = Query(None, max_length=200),
    ) -> dict[str, Any]:
        """Events between two actors per period, by quad class and type, with mean and summed PLOVER score."""
        series = analysis(analytics.dyad_series, a, b, by=by, directed=directed, types=types, modalities=modalities,
                          start=start, end=end, outlet=outlet)
        return {"a": a.upper(), "b": b.upper(), "by": by, "directed": directed,
                "total": int(series["events"].sum()), "series": records(series)}

    @get("/api/network", tags=["analytics"])
    def api_network(
        modalities: str = Query("asserted,future", max_length=100),
        types: str | None = Query(None, max_length=400),
        start: str | None = Query(None, max_length=10), end: str | None = Query(None, max_length=10),
        outlet: str | None = Query(None, max_length=200),
        min_events: int = Query(1, ge=1, le=100_000), max_nodes: int = Query(200, ge=1, le=5000),
    ) -> dict[str, Any]:
        """Actors (nodes, with event counts) and dyads (edges, with cooperation and conflict counts and net score)."""
        net = analysis(analytics.network, modalities=modalities, types=types, start=start, end=end, outlet=outlet,
                       min_events=min_events, max_nodes=max_nodes)
        return {"nodes": records(net.nodes), "edges": records(net.edges)}

    @get("/api/actors", tags=["analytics"])
    def api_actors() -> dict[str, Any]:
        """Every actor code with its number of events (as source or target, any modality)."""
        return {"items": records(analysis(analytics.actors))}

    @get("/api/actors/{code}", tags=["analytics"])
    def api_actor(code: str, by: str = Query("month", pattern="^(month|week|day)$"),
                  partners: int = Query(10, ge=1, le=200), recent: int = Query(50, ge=0, le=1000)) -> dict[str, Any]:
        """An actor's profile: counts, events by type, top partners, timeline, recent events."""
        profile = actor_or_404(code, by=by, partners=partners, recent=recent)
        return {"actor": profile["actor"], "summary": profile["summary"],
                **{key: records(profile[key]) for key in ("by_type", "partners", "timeline", "events")}}

    def actor_or_404(code: str, **kwargs: Any) -> dict[str, Any]:
        if len(code) > 40 or not re.match(CODE_PARAM, code):
            raise HTTPException(404, f"no actor {code[:40]!r}")
        profile = analysis(analytics.actor_profile, code, **kwargs)
        if profile["summary"]["events"] == 0 and not rows(
                "SELECT 1 FROM events WHERE source_country = ? OR target_country = ? LIMIT 1", [code.upper()] * 2):
            raise HTTPException(404, f"no events with actor {code.upper()!r}")
        return profile

    def search_articles(q: str, limit: int, offset: int) -> dict[str, Any]:
        pattern = "%" + like_escape(q) + "%"
        where = "WHERE title ILIKE ? ESCAPE '\\' OR body ILIKE ? ESCAPE '\\'"
        items = rows(f"SELECT id, outlet, title, strftime(published, '%Y-%m-%d') AS published, body FROM articles"
                     f" {where} ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?",
                     [pattern, pattern, limit, offset])
        total = rows(f"SELECT count(*) AS n FROM articles {where}", [pattern, pattern])[0]["n"]
        for item in items:
            item["snippet"] = snippet(item.pop("body") or "", q)
        return {"q": q, "total": total, "limit": limit, "offset": offset, "items": items}

    @get("/api/search", tags=["articles"])
    def api_search(q: str = Query(..., min_length=2, max_length=200), limit: int = Query(20, ge=1, le=200),
                   offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
        """Articles whose title or body contains q (case-insensitive), with a snippet around the first match."""
        return search_articles(q, limit, offset)

    # -- dashboard ---------------------------------------------------------------------------------------------------
    @get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, source: str | None = Query(None, max_length=40),
                  target: str | None = Query(None, max_length=40), type: str | None = Query(None, max_length=20),
                  modality: str | None = Query(None, max_length=20), outlet: str | None = Query(None, max_length=200),
                  start: str | None = Query(None, max_length=10), end: str | None = Query(None, max_length=10),
                  page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=500)) -> HTMLResponse:
        filters = {"source": source or "", "target": target or "", "type": type or "", "modality": modality or "",
                   "outlet": outlet or "", "start": start or "", "end": end or ""}
        result = events_page(source, target, type, modality, outlet, start, end, per_page, (page - 1) * per_page)
        counts = rows(f"""SELECT (SELECT count(*) FROM articles) AS articles, count(*) AS events,
            count(*) FILTER (WHERE e.target_country IS NOT NULL) AS dyadic,
            count(*) FILTER (WHERE e.modality = 'negated') AS negated,
            strftime(min({DAY_SQL}), '%Y-%m-%d') AS first_day, strftime(max({DAY_SQL}), '%Y-%m-%d') AS last_day,
            (SELECT count(DISTINCT outlet) FROM articles) AS outlets
            FROM events e JOIN articles a ON a.id = e.article_id""")[0]
        quads = rows("SELECT quad_class, count(*) AS n FROM events WHERE modality <> 'negated' AND quad_class IS NOT"
                     " NULL GROUP BY quad_class ORDER BY quad_class")
        top = max([q["n"] for q in quads] or [1])
        for quad in quads:
            quad["width"] = round(200 * quad["n"] / top, 1)
        context = {
            **base_context("overview"), "counts": counts, "quads": quads, "filters": filters,
            "events": [with_parts(e) for e in result["items"]], "total": result["total"], "page": page,
            "per_page": per_page, "pages": max(1, math.ceil(result["total"] / per_page)),
            "actors": actor_choices(), "types": [r["type"] for r in rows(
                "SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY type")],
            "modalities": EVENT_MODALITIES,
            "outlets": [r["outlet"] for r in rows(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")],
            "articles": list_articles(limit=12, offset=0, outlet=None)["items"],
        }
        return templates.TemplateResponse(request, "index.html", context)

    @get("/dyad", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(request: Request, a: str | None = Query(None, max_length=40),
                  b: str | None = Query(None, max_length=40), by: str = Query("month", max_length=10),
                  directed: bool = False, start: str | None = Query(None, max_length=10),
                  end: str | None = Query(None, max_length=10),
                  hypothetical: bool = False) -> HTMLResponse:
        choices = actor_choices()
        if not a or not b:
            busiest = analysis(analytics.network, max_nodes=None)
            if not busiest.edges.empty:
                a = a or busiest.edges["a"][0]
                b = b or (busiest.edges["b"][0] if busiest.edges["b"][0] != a else busiest.edges["a"][0])
        modalities = ["asserted", "future", *(["hypothetical"] if hypothetical else [])]
        series = pd.DataFrame(columns=["period", "quad_class", "type", "events", "score_mean", "score_sum"])
        events: list[dict[str, Any]] = []
        if a and b:
            series = analysis(analytics.dyad_series, a, b, by=by, directed=directed, modalities=modalities,
                              start=start, end=end)
            events = [with_parts(e) for e in records(analysis(
                analytics.dyad_events, a, b, directed=directed, modalities=modalities, start=start, end=end,
                limit=500))]
        else:
            analytics.period(by)
        context = {**base_context("dyad"), "a": (a or "").upper(), "b": (b or "").upper(), "by": by,
                   "directed": directed, "hypothetical": hypothetical, "start": start or "", "end": end or "",
                   "actors": choices, "chart": bar_chart(series, by), "events": events,
                   "by_type": records(series.groupby(["quad_class", "type"], as_index=False)
                                      .agg(events=("events", "sum"), score_sum=("score_sum", "sum"))
                                      .sort_values(["events", "type"], ascending=[False, True]))
                   if not series.empty else [],
                   "total": int(series["events"].sum()) if not series.empty else 0,
                   "net": float(series["score_sum"].sum()) if not series.empty else 0.0}
        return templates.TemplateResponse(request, "dyad.html", context)

    @get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(request: Request, start: str | None = Query(None, max_length=10),
                     end: str | None = Query(None, max_length=10), min_events: int = Query(1, ge=1, le=100_000),
                     max_nodes: int = Query(40, ge=2, le=200)) -> HTMLResponse:
        net = analysis(analytics.network, start=start, end=end, min_events=min_events, max_nodes=max_nodes)
        context = {**base_context("network"), "graph": circular_layout(net), "edges": records(net.edges),
                   "start": start or "", "end": end or "", "min_events": min_events, "max_nodes": max_nodes}
        return templates.TemplateResponse(request, "network.html", context)

    @get("/actor/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, code: str, by: str = Query("month", max_length=10)) -> HTMLResponse:
        profile = actor_or_404(code, by=by, partners=15, recent=100)
        timeline = profile["timeline"].assign(type="")
        context = {**base_context("actor"), "actor": profile["actor"], "summary": profile["summary"],
                   "by_type": records(profile["by_type"]), "partners": records(profile["partners"]),
                   "chart": bar_chart(timeline, by), "by": by,
                   "events": [with_parts(e) for e in records(profile["events"])]}
        return templates.TemplateResponse(request, "actor.html", context)

    @get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        if len(article_id) > 200:
            raise HTTPException(404, "no such article")
        article = article_record(article_id)
        for number, event in enumerate(article["events"], 1):
            event["number"] = number
        context = {**base_context("article"), "article": article,
                   "body_parts": mark_events(article["body"] or "", article["events"])}
        return templates.TemplateResponse(request, "article.html", context)

    @get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=100_000)
                    ) -> HTMLResponse:
        per_page = 20
        result = search_articles(q, per_page, (page - 1) * per_page) if len(q.strip()) >= 2 else None
        if result:
            for item in result["items"]:
                item["parts"] = match_parts(item["snippet"], q)
        context = {**base_context("search"), "q": q, "result": result, "page": page, "per_page": per_page}
        return templates.TemplateResponse(request, "search.html", context)

    # -- stories and framing -------------------------------------------------------------------------------------------
    missing_command = f"diplograph stories --db {db_path}"
    live_lock = threading.Lock()
    live_cache: dict[str, Any] = {}

    def framing_built() -> bool:
        # once there, the tables stay: no other process can write while this one holds the file open
        if not live_cache.get("built"):
            live_cache["built"] = bool(analysis(framing.is_built))
        return live_cache["built"]

    def require_framing() -> None:
        """API endpoints: 409 with the command to run when the database predates the story and framing tables."""
        if not framing_built():
            raise HTTPException(409, f"this database has no story and framing tables; the server is read-only: "
                                     f"run `{missing_command}` once, then restart the server")

    def missing_page(request: Request, page: str, title: str) -> HTMLResponse:
        return templates.TemplateResponse(request, "framing_missing.html", {
            **base_context(page), "title": title, "command": missing_command})

    def outlet_choices() -> list[dict[str, Any]]:
        choices = rows("SELECT outlet, count(*) AS articles FROM articles GROUP BY outlet"
                       " ORDER BY outlet IS NULL, articles DESC, outlet")
        return [{"key": c["outlet"] if c["outlet"] is not None else UNKNOWN_OUTLET,
                 "label": c["outlet"] if c["outlet"] is not None else UNKNOWN_LABEL, "name": c["outlet"],
                 "articles": c["articles"]} for c in choices]

    def pick_outlet(key: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
        if len(key) > 200:
            raise HTTPException(422, "outlet: at most 200 characters")
        for choice in choices:
            if choice["key"] == key:
                return choice
        raise HTTPException(404, f"no articles from outlet {key[:80]!r}")

    def live_unknown() -> dict[str, Any]:
        """Contested-term hits and tone of the articles without an outlet, computed from the sentences on first use
        (the framing tables leave those articles out). Cached: the database is opened read-only."""
        with live_lock:
            if "value" not in live_cache:
                live_cache["value"] = analysis(unknown_outlet_framing, LIVE_SENTENCE_CAP)
            return live_cache["value"]

    def outlet_where(choice: dict[str, Any], alias: str = "a") -> tuple[str, list[Any]]:
        if choice["name"] is None:
            return f"{alias}.outlet IS NULL", []
        return f"{alias}.outlet = ?", [choice["name"]]

    def outlet_column(choice: dict[str, Any]) -> dict[str, Any]:
        """One outlet's column on /framing: contested terms, discriminating terms, tone, coverage, speakers."""
        name, unknown = choice["name"], choice["name"] is None
        column: dict[str, Any] = {**choice, "unknown": unknown}
        where, params = outlet_where(choice)
        column["stories"] = rows(
            f"SELECT count(DISTINCT m.story_id) AS stories, count(DISTINCT m.story_id) FILTER (s.n_outlets > 1)"
            f" AS shared FROM articles a JOIN story_articles m ON m.article_id = a.id JOIN stories s"
            f" ON s.story_id = m.story_id WHERE {where}", params)[0]
        if unknown:
            live = live_unknown()
            column["live_truncated"] = live["truncated"]
            terms = [dict(t) for t in live["terms"]]
            stance_counts = Counter({s: sum(t["n_hits"] - t["n_quoted"] for t in terms if t["stance"] == s)
                                     for s in framing.STANCES})
            column["tone"] = [dict(t) for t in live["tone"][:12]]
            column["odds"], column["coverage"] = [], None
        else:
            terms = rows("SELECT term, topic, stance, n_hits, n_quoted, n_articles FROM framing_terms WHERE outlet = ?"
                         " ORDER BY n_hits - n_quoted DESC, n_hits DESC, term", [name])
            stance_counts = Counter(dict((r["stance"], r["n"]) for r in rows(
                "SELECT stance, count(*) AS n FROM framing_term_hits WHERE outlet = ? AND NOT quoted GROUP BY stance",
                [name])))
            column["odds"] = rows("SELECT rank, term, z, delta, count_outlet, count_rest, basis, n_articles_outlet,"
                                  " n_articles_rest FROM framing_log_odds WHERE outlet = ? ORDER BY rank LIMIT 10",
                                  [name])
            column["tone"] = rows("SELECT actor, n_sentences, mean_compound, share_positive, share_negative,"
                                  " as_source, as_target, as_mention FROM actor_tone WHERE outlet = ?"
                                  " ORDER BY n_sentences DESC, actor LIMIT 12", [name])
            column["coverage"] = coverage_of(name)
        for term in terms:
            term["own"] = term["n_hits"] - term["n_quoted"]
            term["cls"] = STANCE_CLASSES.get(term["stance"], "neutral")
        column["terms"] = terms
        column["stances"] = [{"name": s, "cls": STANCE_CLASSES[s], "n": stance_counts.get(s, 0)}
                             for s in framing.STANCES]
        column["stance_total"] = sum(stance_counts.values())
        for tone in column["tone"]:
            tone["cls"] = tone_class(tone["mean_compound"])
        column["speakers"] = rows(
            f"SELECT e.speaker, count(*) AS n_events, count(DISTINCT e.article_id) AS n_articles,"
            f" list(DISTINCT e.speaker_name ORDER BY e.speaker_name) FILTER (e.speaker_name IS NOT NULL) AS names"
            f" FROM events e JOIN articles a ON a.id = e.article_id WHERE e.speaker IS NOT NULL AND {where}"
            f" GROUP BY e.speaker ORDER BY n_events DESC, e.speaker LIMIT 12", params)
        return column

    def coverage_of(outlet: str) -> dict[str, Any]:
        groups = rows("""
            SELECT c.story_id, s.title AS story_title, c.group_id, c.reported, c.n_mentions AS own_mentions,
                   g.source_country, g.target_country, g.type, g.modality, g.event_date, g.n_mentions, g.n_outlets,
                   g.outlets, g.representative_event_id, r.article_id AS representative_article,
                   own.event_id AS own_event, own.article_id AS own_article,
                   (SELECT count(*) FROM story_coverage o WHERE o.group_id = c.group_id AND o.reported) AS reporters
            FROM story_coverage c JOIN event_groups g ON g.group_id = c.group_id
            JOIN stories s ON s.story_id = c.story_id
            LEFT JOIN events r ON r.id = g.representative_event_id
            LEFT JOIN (SELECT group_id, min(event_id) AS event_id, arg_min(article_id, event_id) AS article_id
                       FROM event_mentions WHERE outlet = ? GROUP BY group_id) own ON own.group_id = c.group_id
            WHERE c.outlet = ?
            ORDER BY s.first_published NULLS LAST, c.story_id, c.reported DESC, g.n_mentions DESC, c.group_id""",
                      [outlet, outlet])
        by_story: dict[int, dict[str, Any]] = {}
        for group in groups:
            story = by_story.setdefault(group["story_id"], {"story_id": group["story_id"],
                                                             "title": group["story_title"], "reported": [],
                                                             "omitted": []})
            story["reported" if group["reported"] else "omitted"].append(group)
        return {"reported": sum(1 for g in groups if g["reported"]),
                "omitted": sum(1 for g in groups if not g["reported"]),
                "exclusive": sum(1 for g in groups if g["reported"] and g["reporters"] == 1),
                "stories": list(by_story.values())}

    def framing_sentences(outlet: str, term: str | None, actor: str | None, word: str | None,
                          speaker: str | None, quoted: bool | None, limit: int, offset: int) -> dict[str, Any]:
        """The sentences behind one figure of /framing, each split into parts with the term or actor marked."""
        chosen = [(kind, value) for kind, value in (("term", term), ("actor", actor), ("word", word),
                                                    ("speaker", speaker)) if value is not None]
        if len(chosen) != 1:
            raise HTTPException(422, "give exactly one of term, actor, word or speaker")
        kind, value = chosen[0]
        value = value.strip()
        if not value:
            raise HTTPException(422, f"{kind}: empty")
        if quoted is not None and kind != "term":
            raise HTTPException(422, "quoted applies to term only")
        choice = pick_outlet(outlet, outlet_choices())
        where, params = outlet_where(choice)
        items: list[dict[str, Any]]
        if kind == "term":
            items = term_sentences(choice, value, quoted)
        elif kind == "actor":
            items = actor_sentences(choice, value.upper())
        elif kind == "speaker":
            items = rows(f"SELECT {EVENT_COLUMNS}, e.sentence_index FROM events e JOIN articles a"
                         f" ON a.id = e.article_id WHERE {where} AND e.speaker = ?"
                         f" ORDER BY a.published NULLS LAST, a.path, e.event_index", [*params, value.upper()])
            for item in items:
                item["text"] = item["sentence"]
                hit = find_near(item["text"], item.get("speaker_name"), 0)
                spans = [(item["trigger_offset"], item["trigger_offset"] + item["trigger_length"], "trigger")] \
                    if item.get("trigger_offset") is not None else []
                item["parts"] = highlight_spans(item["text"], [*spans, *([(*hit, "speaker")] if hit else [])])
        else:
            items = word_sentences(choice, value)
        if not items:
            raise HTTPException(404, f"no sentences of {choice['label']!r} for {kind} {value[:80]!r}")
        page = items[offset:offset + limit]
        mean = (round(sum(i["compound"] for i in items) / len(items), 4) if kind == "actor" else None)
        return {"outlet": choice["key"], "outlet_label": choice["label"], "kind": kind, "value": value,
                "quoted": quoted, "total": len(items), "limit": limit, "offset": offset, "mean_compound": mean,
                "items": [{key: plain(v) for key, v in item.items()} for item in page]}

    def sentence_rows(keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
        if not keys:
            return {}
        found = rows("SELECT s.article_id, s.sentence_index, s.kind, s.text, s.start_char, a.title, a.outlet,"
                     " strftime(a.published, '%Y-%m-%d') AS published FROM sentences s JOIN articles a"
                     " ON a.id = s.article_id WHERE list_contains(?, s.article_id || '#' || s.sentence_index)",
                     [sorted({f"{a}#{i}" for a, i in keys})])
        return {(r["article_id"], r["sentence_index"]): r for r in found}

    def term_sentences(choice: dict[str, Any], term: str, quoted: bool | None) -> list[dict[str, Any]]:
        if choice["name"] is None:
            hits = [h for h in live_unknown()["hits"] if h["term"].lower() == term.lower()]
        else:
            hits = rows("SELECT article_id, sentence_index, term, stance, matched, quoted, start_char"
                        " FROM framing_term_hits WHERE outlet = ? AND lower(term) = lower(?)", [choice["name"], term])
        if quoted is not None:
            hits = [h for h in hits if bool(h["quoted"]) == quoted]
        grouped: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for hit in hits:
            grouped[(hit["article_id"], hit["sentence_index"])].append(hit)
        texts = sentence_rows(list(grouped))
        items = []
        for key, found in grouped.items():
            sentence = texts.get(key)
            if sentence is None:
                continue
            spans = [(h["start_char"], h["start_char"] + len(h["matched"]), "term") for h in found]
            items.append({**sentence, "term": found[0]["term"], "stance": found[0]["stance"],
                          "stance_class": STANCE_CLASSES.get(found[0]["stance"], "neutral"),
                          "hits": len(found), "quoted_hits": sum(1 for h in found if h["quoted"]),
                          "parts": highlight_spans(sentence["text"], spans)})
        return sorted(items, key=sentence_order)

    def actor_sentences(choice: dict[str, Any], actor: str) -> list[dict[str, Any]]:
        if choice["name"] is None:
            detail = [d for d in live_unknown()["tone_sentences"] if d["actor"] == actor]
        else:
            detail = rows("SELECT article_id, sentence_index, roles, compound FROM actor_tone_sentences"
                          " WHERE outlet = ? AND actor = ?", [choice["name"], actor])
        texts = sentence_rows([(d["article_id"], d["sentence_index"]) for d in detail])
        articles = sorted({d["article_id"] for d in detail})
        spans: dict[tuple[str, int], list[tuple[int, int, str]]] = defaultdict(list)
        if articles:
            for m in rows("SELECT m.article_id, m.sentence_index, m.start_char - s.start_char AS start,"
                          " m.end_char - s.start_char AS stop FROM actor_mentions m JOIN sentences s"
                          " ON s.article_id = m.article_id AND s.sentence_index = m.sentence_index"
                          " WHERE list_contains(?, m.article_id) AND m.code = ?", [articles, actor]):
                spans[(m["article_id"], m["sentence_index"])].append((m["start"], m["stop"], "actor"))
            for e in rows("SELECT article_id, sentence_index, sentence, source_text, target_text, source_country,"
                          " target_country FROM events WHERE list_contains(?, article_id)"
                          " AND (source_country = ? OR target_country = ?)", [articles, actor, actor]):
                for text_key, code_key in (("source_text", "source_country"), ("target_text", "target_country")):
                    if e[code_key] == actor:
                        hit = find_near(e["sentence"] or "", e[text_key], 0)
                        if hit:
                            spans[(e["article_id"], e["sentence_index"])].append((*hit, "actor"))
        items = []
        for d in detail:
            key = (d["article_id"], d["sentence_index"])
            sentence = texts.get(key)
            if sentence is None:
                continue
            items.append({**sentence, "actor": actor, "roles": list(d["roles"] or []), "compound": d["compound"],
                          "tone_class": tone_class(d["compound"]),
                          "parts": highlight_spans(sentence["text"], sorted(set(spans.get(key, []))))})
        return sorted(items, key=sentence_order)

    def word_sentences(choice: dict[str, Any], word: str) -> list[dict[str, Any]]:
        """Sentences where a discriminating term occurs, in the articles its log-odds counted (title and body)."""
        if len(word) > 100:
            raise HTTPException(422, "word: at most 100 characters")
        where, params = outlet_where(choice)
        basis = None if choice["name"] is None else (rows(
            "SELECT basis FROM framing_log_odds WHERE outlet = ? LIMIT 1", [choice["name"]]) or [{}])[0].get("basis")
        shared = ""
        if basis == "shared stories":
            shared = (" AND a.id IN (SELECT m.article_id FROM story_articles m JOIN stories s"
                      " ON s.story_id = m.story_id WHERE s.n_outlets > 1)")
        words = word.split()
        pattern = re.compile(r"(?<![\w-])" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?![\w-])",
                             re.IGNORECASE)
        found = rows(f"SELECT s.article_id, s.sentence_index, s.kind, s.text, a.title, a.outlet,"
                     f" strftime(a.published, '%Y-%m-%d') AS published FROM sentences s JOIN articles a"
                     f" ON a.id = s.article_id WHERE {where}{shared} AND list_contains(?, s.kind)"
                     f" AND s.text ILIKE ? ESCAPE '\\'",
                     [*params, list(framing.SETTINGS.odds_kinds), "%" + like_escape(words[0]) + "%"])
        items = []
        for sentence in found:
            spans = [(m.start(), m.end(), "word") for m in pattern.finditer(sentence["text"])]
            if spans:
                items.append({**sentence, "basis": basis, "hits": len(spans),
                              "parts": highlight_spans(sentence["text"], spans)})
        return sorted(items, key=sentence_order)

    def story_records(include_singletons: bool, with_groups: bool, limit: int, offset: int) -> dict[str, Any]:
        where = "" if include_singletons else "WHERE s.n_articles > 1"
        items = rows(f"SELECT s.story_id, s.title, strftime(s.first_published, '%Y-%m-%d') AS first_published,"
                     f" strftime(s.last_published, '%Y-%m-%d') AS last_published, s.n_articles, s.n_outlets,"
                     f" s.outlets, s.top_terms, s.representative_article FROM stories s {where}"
                     f" ORDER BY s.first_published NULLS LAST, s.story_id LIMIT ? OFFSET ?", [limit, offset])
        total = rows(f"SELECT count(*) AS n FROM stories s {where}")[0]["n"]
        ids = [item["story_id"] for item in items]
        articles: dict[int, list[dict[str, Any]]] = defaultdict(list)
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if ids:
            for a in rows("SELECT m.story_id, a.id, a.title, a.outlet, a.path, strftime(a.published, '%Y-%m-%d')"
                          " AS published, round(m.centrality, 3) AS centrality, m.is_representative"
                          " FROM story_articles m JOIN articles a ON a.id = m.article_id"
                          " WHERE list_contains(?, m.story_id) ORDER BY m.story_id, a.published NULLS LAST, a.path",
                          [ids]):
                articles[a.pop("story_id")].append(a)
            if with_groups:
                for g in rows(f"SELECT g.story_id, g.group_id, g.source_country, g.target_country, g.type, g.modality,"
                              f" g.event_date, strftime(g.first_day, '%Y-%m-%d') AS first_day,"
                              f" strftime(g.last_day, '%Y-%m-%d') AS last_day, g.n_mentions, g.n_articles,"
                              f" g.n_outlets, g.outlets, g.representative_event_id, {EVENT_COLUMNS}"
                              f" FROM event_groups g LEFT JOIN events e ON e.id = g.representative_event_id"
                              f" LEFT JOIN articles a ON a.id = e.article_id WHERE list_contains(?, g.story_id)"
                              f" ORDER BY g.story_id, g.n_outlets DESC, g.n_mentions DESC, g.group_id", [ids]):
                    groups[g["story_id"]].append(g)
        for item in items:
            item["articles"] = articles.get(item["story_id"], [])
            if with_groups:
                item["event_groups"] = [{
                    "group_id": g["group_id"], "source_country": g["source_country"],
                    "target_country": g["target_country"], "type": g["type"], "modality": g["modality"],
                    "event_date": g["event_date"], "first_day": g["first_day"], "last_day": g["last_day"],
                    "n_mentions": g["n_mentions"], "n_articles": g["n_articles"], "n_outlets": g["n_outlets"],
                    "outlets": g["outlets"], "representative": {
                        key: g[key] for key in ("id", "article_id", "outlet", "title", "source", "target",
                                                "quad_class", "trigger", "sentence", "day")}
                    if g["id"] is not None else None,
                    "parts": with_parts(dict(g))["parts"] if g["id"] is not None else []}
                    for g in groups.get(item["story_id"], [])]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @get("/api/stories", tags=["stories"])
    def api_stories(include_all: bool = Query(False, alias="all",
                                              description="also list stories told by a single article"),
                    events: bool = Query(True, description="give each story's de-duplicated event groups"),
                    limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)
                    ) -> dict[str, Any]:
        """Story clusters (articles about one happening) with their articles and de-duplicated event groups, and
        the de-duplication counts. 409 when the database has no story tables (`diplograph stories --db FILE`)."""
        require_framing()
        result = story_records(include_all, events, limit, offset)
        for item in result["items"]:
            for group in item.get("event_groups", []):
                group.pop("parts", None)
        return {**result, "dedup": analysis(stories.dedup_counts)}

    @get("/api/outlets", tags=["stories"])
    def api_outlets(top: int = Query(8, ge=1, le=100, description="items per list")) -> dict[str, Any]:
        """Per outlet: stories, shared event groups reported/omitted, contested terms (own voice and quoted),
        discriminating terms, tone toward actors, whom it quotes. 409 when the framing tables are missing."""
        require_framing()
        return {"items": [{key: plain(v) for key, v in item.items()} for item in analysis(framing.outlet_report, top)]}

    @get("/api/framing/sentences", tags=["stories"])
    def api_framing_sentences(
        outlet: str = Query(..., max_length=200, description=f"an outlet name, or {UNKNOWN_OUTLET} for articles "
                                                             "without one"),
        term: str | None = Query(None, max_length=100, description="a contested term"),
        actor: str | None = Query(None, max_length=40, description="an actor code (tone sentences)"),
        word: str | None = Query(None, max_length=100, description="a discriminating term"),
        speaker: str | None = Query(None, max_length=40, description="a quoted speaker's code"),
        quoted: bool | None = Query(None, description="term only: quoted (true) or own-voice (false) hits"),
        limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ) -> dict[str, Any]:
        """The sentences behind a figure of the framing view: give exactly one of term, actor, word or speaker."""
        require_framing()
        return framing_sentences(outlet, term, actor, word, speaker, quoted, limit, offset)

    @get("/framing", response_class=HTMLResponse, include_in_schema=False)
    def framing_page(request: Request, outlet: list[str] | None = OUTLETS_QUERY) -> HTMLResponse:
        if not framing_built():
            return missing_page(request, "framing", "Framing by outlet")
        choices = outlet_choices()
        keys = list(dict.fromkeys(outlet or []))
        if len(keys) > MAX_OUTLETS:
            raise HTTPException(422, f"outlet: at most {MAX_OUTLETS} outlets side by side")
        if keys:
            selected = [pick_outlet(key, choices) for key in keys]
        else:
            selected = choices if len(choices) <= 4 else sorted(
                choices, key=lambda c: (c["name"] is None, -c["articles"], c["label"]))[:2]
        context = {**base_context("framing"), "choices": choices, "selected_keys": [c["key"] for c in selected],
                   "columns": [outlet_column(c) for c in selected],
                   "stances": [{"name": s, "cls": STANCE_CLASSES[s]} for s in framing.STANCES],
                   "max_outlets": MAX_OUTLETS}
        return templates.TemplateResponse(request, "framing.html", context)

    @get("/framing/sentences", response_class=HTMLResponse, include_in_schema=False)
    def framing_sentences_page(
        request: Request, outlet: str = Query(..., max_length=200), term: str | None = Query(None, max_length=100),
        actor: str | None = Query(None, max_length=40), word: str | None = Query(None, max_length=100),
        speaker: str | None = Query(None, max_length=40), quoted: bool | None = None,
        page: int = Query(1, ge=1, le=100_000),
    ) -> HTMLResponse:
        if not framing_built():
            return missing_page(request, "framing", "Framing sentences")
        per_page = 100
        result = framing_sentences(outlet, term, actor, word, speaker, quoted, per_page, (page - 1) * per_page)
        base = {"outlet": outlet, "term": term, "actor": actor, "word": word, "speaker": speaker,
                "quoted": None if quoted is None else str(quoted).lower()}
        context = {**base_context("framing"), "result": result, "page": page, "per_page": per_page, "base": base,
                   "pages": max(1, math.ceil(result["total"] / per_page))}
        return templates.TemplateResponse(request, "framing_sentences.html", context)

    @get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, include_all: bool = Query(False, alias="all"),
                     page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
        if not framing_built():
            return missing_page(request, "stories", "Stories")
        per_page = 50
        result = story_records(include_all, True, per_page, (page - 1) * per_page)
        context = {**base_context("stories"), "result": result, "all": include_all, "page": page,
                   "pages": max(1, math.ceil(result["total"] / per_page)), "dedup": analysis(stories.dedup_counts)}
        return templates.TemplateResponse(request, "stories.html", context)

    return app


# -- framing helpers ------------------------------------------------------------------------------------------------
UNKNOWN_ROLES_SQL = """
    WITH arts AS (SELECT id FROM articles WHERE outlet IS NULL),
    roles AS (
        SELECT article_id, sentence_index, source_country AS actor, 'source' AS role FROM events
        WHERE source_country IS NOT NULL AND article_id IN (SELECT id FROM arts)
        UNION ALL SELECT article_id, sentence_index, target_country, 'target' FROM events
        WHERE target_country IS NOT NULL AND article_id IN (SELECT id FROM arts)
        UNION ALL SELECT article_id, sentence_index, code, 'mention' FROM actor_mentions
        WHERE code IS NOT NULL AND sentence_index >= 0 AND article_id IN (SELECT id FROM arts))
    SELECT r.actor, r.article_id, r.sentence_index, list(DISTINCT r.role ORDER BY r.role) AS roles, s.text
    FROM roles r JOIN sentences s ON s.article_id = r.article_id AND s.sentence_index = r.sentence_index
    GROUP BY ALL ORDER BY r.actor, r.article_id, r.sentence_index LIMIT ?"""


def unknown_outlet_framing(con: duckdb.DuckDBPyConnection, cap: int = LIVE_SENTENCE_CAP) -> dict[str, Any]:
    """Contested terms and tone toward actors of the articles without an outlet, which the framing tables leave
    out: the same term matching (framing.find_terms) and VADER scoring as framing.build, read from the sentences.
    At most `cap` sentences are read for each; `truncated` says when there were more."""
    settings = framing.SETTINGS
    terms = framing.load_terms()
    sentences = con.execute(
        "SELECT s.article_id, s.sentence_index, s.text FROM sentences s JOIN articles a ON a.id = s.article_id"
        " WHERE a.outlet IS NULL AND list_contains(?, s.kind) ORDER BY s.article_id, s.sentence_index LIMIT ?",
        [list(settings.sentence_kinds), cap + 1]).fetchall()
    truncated = len(sentences) > cap
    hits = []
    for article_id, index, text in sentences[:cap]:
        for term, start, end, quoted in framing.find_terms(text or "", terms):
            hits.append({"article_id": article_id, "sentence_index": index, "term": term.term, "topic": term.topic,
                         "stance": term.stance, "matched": text[start:end], "quoted": quoted, "start_char": start})
    by_term: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for hit in hits:
        by_term[(hit["term"], hit["topic"], hit["stance"])].append(hit)
    term_rows = [{"term": term, "topic": topic, "stance": stance, "n_hits": len(found),
                  "n_quoted": sum(1 for h in found if h["quoted"]), "n_articles": len({h["article_id"] for h in found})}
                 for (term, topic, stance), found in by_term.items()]
    term_rows.sort(key=lambda t: (-(t["n_hits"] - t["n_quoted"]), -t["n_hits"], t["term"]))
    detail = con.execute(UNKNOWN_ROLES_SQL, [cap + 1]).fetchall()
    truncated = truncated or len(detail) > cap
    analyzer = framing.sentiment_analyzer() if detail else None
    scores: dict[str, float] = {}
    tone_sentences = []
    for actor, article_id, index, roles, text in detail[:cap]:
        if text not in scores:
            scores[text] = analyzer.polarity_scores(text)["compound"]
        tone_sentences.append({"actor": actor, "article_id": article_id, "sentence_index": index,
                               "roles": list(roles), "compound": scores[text]})
    by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in tone_sentences:
        by_actor[row["actor"]].append(row)
    tone = []
    for actor, found in by_actor.items():
        values = [r["compound"] for r in found]
        roles = Counter(role for r in found for role in r["roles"])
        tone.append({"actor": actor, "n_sentences": len(found), "mean_compound": round(sum(values) / len(values), 4),
                     "share_positive": round(sum(v >= settings.positive for v in values) / len(values), 4),
                     "share_negative": round(sum(v <= settings.negative for v in values) / len(values), 4),
                     "as_source": roles["source"], "as_target": roles["target"], "as_mention": roles["mention"]})
    tone.sort(key=lambda t: (-t["n_sentences"], t["actor"]))
    return {"hits": hits, "terms": term_rows, "tone": tone, "tone_sentences": tone_sentences, "truncated": truncated}


def tone_class(compound: float | None) -> str:
    """positive / negative / neutral, on VADER's usual ±0.05 cut-offs (framing.SETTINGS)."""
    if compound is None:
        return "neutral"
    if compound >= framing.SETTINGS.positive:
        return "positive"
    return "negative" if compound <= framing.SETTINGS.negative else "neutral"


def sentence_order(item: dict[str, Any]) -> tuple:
    return (item.get("published") or "9999", item.get("article_id") or "", item.get("sentence_index") or 0)


# -- helpers ------------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def running(db_path: str | Path, port: int | None = None) -> Iterator[str]:
    """The app under uvicorn in a background thread on 127.0.0.1 (a free port by default); yields its base URL.
    For tests and screenshots; `diplograph serve` runs uvicorn in the foreground."""
    import uvicorn

    app = create_app(str(db_path))
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.connection.close()


def event_filters(source: str | None, target: str | None, event_type: str | None, modality: str | None,
                  outlet: str | None = None, start: str | None = None, end: str | None = None
                  ) -> tuple[str, list[Any]]:
    """WHERE clause over events `e` joined to articles `a`, and its parameters. Empty values are no filter."""
    clauses, params = [], []
    for column, value in (("e.source_country", source), ("e.target_country", target), ("e.type", event_type)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value.strip().upper())
    if modality:
        if modality.strip().lower() not in EVENT_MODALITIES:
            raise AnalyticsError(f"unknown modality {modality!r}; choose one of {', '.join(EVENT_MODALITIES)}")
        clauses.append("e.modality = ?")
        params.append(modality.strip().lower())
    if outlet:
        clauses.append("a.outlet = ?")
        params.append(outlet)
    day_clauses, day_params = analytics.day_range(start, end)
    clauses += day_clauses
    params += day_params
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready dicts: NaN → None, dates → 'YYYY-MM-DD', numpy scalars → Python ones."""
    out = []
    for row in df.to_dict(orient="records"):
        out.append({key: plain(value) for key, value in row.items()})
    return out


def plain(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def snippet(body: str, q: str, width: int = 160) -> str:
    at = body.lower().find(q.lower())
    if at < 0:
        return body[:width].replace("\n", " ")
    first = max(0, at - width // 2)
    text = body[first:at + len(q) + width // 2].replace("\n", " ")
    return ("…" if first else "") + text + ("…" if at + len(q) + width // 2 < len(body) else "")


def match_parts(text: str, q: str) -> list[tuple[str, bool]]:
    """Split text into (part, matches q) pieces, case-insensitively."""
    if not q:
        return [(text, False)]
    parts, pos, lower, needle = [], 0, text.lower(), q.lower()
    while (at := lower.find(needle, pos)) >= 0:
        parts += [(text[pos:at], False), (text[at:at + len(q)], True)]
        pos = at + len(q)
    parts.append((text[pos:], False))
    return [p for p in parts if p[0]]


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: an article's own URL never becomes a javascript: link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def number(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:+.{digits}f}" if value else f"{0:.{digits}f}"
    return str(value)


def query_string(**params: Any) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "", False)})


def highlight(sentence: str, offset: int | None, length: int | None) -> list[tuple[str, bool]]:
    """Split a sentence into (text, is_trigger) parts; the template escapes each part."""
    if offset is None or length is None or offset < 0 or offset + length > len(sentence):
        return [(sentence, False)]
    return [(sentence[:offset], False), (sentence[offset:offset + length], True),
            (sentence[offset + length:], False)]


def highlight_spans(sentence: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Split text into (part, kind) pieces for the (start, end, kind) spans; overlapping spans after the first
    are dropped, so the trigger (given first) wins."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if 0 <= start < end <= len(sentence) and all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, kind))
    parts, pos = [], 0
    for start, end, kind in sorted(chosen):
        if start > pos:
            parts.append((sentence[pos:start], None))
        parts.append((sentence[start:end], kind))
        pos = end
    if pos < len(sentence):
        parts.append((sentence[pos:], None))
    return parts


def find_near(sentence: str, text: str | None, anchor: int) -> tuple[int, int] | None:
    """The occurrence of text in sentence closest to anchor."""
    if not text:
        return None
    hits, at = [], sentence.find(text)
    while at >= 0:
        hits.append(at)
        at = sentence.find(text, at + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - anchor))
    return best, best + len(text)


def with_parts(event: dict[str, Any]) -> dict[str, Any]:
    """Add `parts`: the sentence split around the trigger, the source's words and the target's words."""
    sentence = event.get("sentence") or ""
    offset, length = event.get("trigger_offset"), event.get("trigger_length")
    spans: list[tuple[int, int, str]] = []
    anchor = 0
    if offset is not None and length is not None:
        spans.append((int(offset), int(offset) + int(length), "trigger"))
        anchor = int(offset)
    for key, kind in (("source_text", "source"), ("target_text", "target")):
        hit = find_near(sentence, event.get(key), anchor)
        if hit:
            spans.append((*hit, kind))
    event["parts"] = highlight_spans(sentence, spans)
    return event


def mark_events(body: str, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split an article body into parts, each trigger of a coded event one part carrying its events."""
    spans: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for event in events:
        start, end = event.get("trigger_start"), event.get("trigger_end")
        if start is None or end is None or not 0 <= start < end <= len(body):
            continue
        spans.setdefault((int(start), int(end)), []).append(event)
    parts, pos = [], 0
    for (start, end), items in sorted(spans.items()):
        if start < pos:  # overlaps the previous trigger: fold its events into that mark
            parts[-1]["events"].extend(items)
            continue
        if start > pos:
            parts.append({"text": body[pos:start], "events": None})
        parts.append({"text": body[start:end], "events": list(items)})
        pos = end
    if pos < len(body):
        parts.append({"text": body[pos:], "events": None})
    for part in parts:
        if part["events"]:
            quads = {e.get("quad_class") for e in part["events"]}
            part["quad"] = quads.pop() if len(quads) == 1 else "mixed"
            part["label"] = "; ".join(f"#{e['number']} {e.get('source') or '?'} {e.get('type')} "
                                      f"{e.get('target') or '—'} ({e.get('modality')})" for e in part["events"])
    return parts


# -- charts (SVG geometry computed here, drawn by the templates) ----------------------------------------------------
QUAD_ORDER = analytics.QUAD_CLASSES
QUAD_COLOURS = analytics.QUAD_COLOURS
FREQ = {"month": "MS", "week": "W-MON", "day": "D"}


def bar_chart(series: pd.DataFrame, by: str, width: int = 900, height: int = 300, max_periods: int = 240
              ) -> dict[str, Any]:
    """Stacked bars per period: cooperation above the zero line, conflict below, one colour per quad class."""
    left, right, top, bottom = 44, 12, 14, 58
    chart: dict[str, Any] = {"width": width, "height": height, "bars": [], "ticks": [], "yticks": [],
                             "empty": series.empty, "legend": [(q.replace("_", " "), QUAD_COLOURS[q], q)
                                                               for q in QUAD_ORDER]}
    if series.empty:
        return chart
    table = analytics.stacked_counts(series)
    table.index = pd.to_datetime(table.index)
    full = pd.date_range(table.index.min(), table.index.max(), freq=FREQ.get(by, "MS"))
    gaps_omitted = len(full) > max_periods  # too long a span to draw every period: empty ones are left out
    if not gaps_omitted:
        table = table.reindex(table.index.union(full), fill_value=0)
    periods = list(table.index)
    up = table[[q for q in QUAD_ORDER if q.endswith("cooperation")]].sum(axis=1)
    down = table[[q for q in QUAD_ORDER if q.endswith("conflict")]].sum(axis=1)
    max_up, max_down = int(up.max()), int(down.max())
    plot_h = height - top - bottom
    scale = plot_h / max(1, max_up + max_down)
    zero = top + max_up * scale
    step = (width - left - right) / len(periods)
    bar_w = max(1.0, step * 0.8)
    label = "%Y-%m" if by == "month" else "%Y-%m-%d"
    for i, when in enumerate(periods):
        x = left + i * step + (step - bar_w) / 2
        y_up, y_down = zero, zero
        for quad in QUAD_ORDER:
            n = int(table.at[when, quad])
            if not n:
                continue
            h = n * scale
            if quad.endswith("cooperation"):
                y_up -= h
                y = y_up
            else:
                y = y_down
                y_down += h
            chart["bars"].append({"x": round(x, 2), "y": round(y, 2), "w": round(bar_w, 2), "h": round(h, 2),
                                  "fill": QUAD_COLOURS[quad], "quad": quad,
                                  "title": f"{when.strftime(label)}: {n} {quad.replace('_', ' ')}"})
    every = max(1, math.ceil(len(periods) / 12))
    for i in range(0, len(periods), every):
        chart["ticks"].append({"x": round(left + i * step + step / 2, 2), "label": periods[i].strftime(label)})
    chart["yticks"] = [{"y": round(zero, 2), "label": "0"}]
    if max_up:
        chart["yticks"].append({"y": top, "label": str(max_up)})
    if max_down:
        chart["yticks"].append({"y": round(top + plot_h, 2), "label": f"−{max_down}"})
    chart.update(zero=round(zero, 2), left=left, right=width - right, label_y=height - bottom + 16,
                 periods=len(periods), gaps_omitted=gaps_omitted)
    return chart


def score_colour(net: float, scale: float) -> str:
    """Blue for cooperative dyads, red for conflictual ones, grey at zero; darker with a larger |net score|."""
    if not net or not scale:
        return "#9aa3b2"
    strength = min(1.0, abs(net) / scale) * 0.75 + 0.25
    base = (31, 111, 178) if net > 0 else (192, 57, 43)
    light = (225, 228, 234)
    r, g, b = (round(light[i] + (base[i] - light[i]) * strength) for i in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def van_der_corput(n: int) -> float:
    value, denominator = 0.0, 1.0
    while n:
        denominator *= 2
        n, bit = divmod(n, 2)
        value += bit / denominator
    return value


def circular_layout(net: analytics.Network, size: int = 720) -> dict[str, Any]:
    """Nodes on a circle (busiest first, clockwise from the top), edges as straight lines."""
    centre, radius = size / 2, size / 2 - 90
    ranked = records(net.nodes)
    # spread the busiest actors round the circle (van der Corput order of their ranks) so that heavy edges cross
    # the middle instead of bunching on one side
    nodes = [node for _, node in sorted(enumerate(ranked), key=lambda item: (van_der_corput(item[0]), item[0]))]
    most = max([n["events"] for n in nodes] or [1])
    positions = {}
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
        node["x"], node["y"] = round(centre + radius * math.cos(angle), 2), round(centre + radius * math.sin(angle), 2)
        node["r"] = round(5 + 15 * math.sqrt(node["events"] / most), 2)
        node["lx"] = round(centre + (radius + node["r"] + 8) * math.cos(angle), 2)
        node["ly"] = round(centre + (radius + node["r"] + 8) * math.sin(angle) + 4, 2)
        node["anchor"] = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        node["fill"] = score_colour(node["net_score"], max(abs(n["net_score"]) for n in nodes) or 1)
        positions[node["actor"]] = node
    edges = records(net.edges)
    heaviest = max([e["events"] for e in edges] or [1])
    strongest = max([abs(e["net_score"]) for e in edges] or [1])
    for edge in edges:
        a, b = positions[edge["a"]], positions[edge["b"]]
        edge.update(x1=a["x"], y1=a["y"], x2=b["x"], y2=b["y"],
                    width=round(1 + 7 * edge["events"] / heaviest, 2),
                    colour=score_colour(edge["net_score"], strongest))
    edges.sort(key=lambda e: e["events"])  # heaviest drawn last, on top
    return {"size": size, "nodes": nodes, "edges": edges}
