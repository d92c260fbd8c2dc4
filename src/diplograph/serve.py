"""Serve stage: a read-only FastAPI app over the DuckDB file, with a server-rendered dashboard.

Every query is parameterised; every piece of article text reaches the page through Jinja2's autoescaping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import __version__

WEB_DIR = Path(__file__).parent / "web"
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'"

EVENT_COLUMNS = """e.id, e.article_id, a.path, a.outlet, a.title, strftime(a.published, '%Y-%m-%d') AS published,
    e.source, e.target, e.type, e.mode, e.modality, e.event_date, e.speaker, e.speaker_name, e.cameo,
    e.plover_score, e.quad_class, e.trigger, e.sentence, e.trigger_start - e.start_char AS trigger_offset,
    e.trigger_end - e.trigger_start AS trigger_length"""


def create_app(db_path: str) -> FastAPI:
    app = FastAPI(title="diplograph", version=__version__,
                  description="Read-only access to a diplograph event database.")
    connection = duckdb.connect(db_path, read_only=True)
    templates = Jinja2Templates(directory=str(WEB_DIR))

    def rows(sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = connection.cursor()
        try:
            result = cursor.execute(sql, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            cursor.close()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/api/articles")
    def list_articles(limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0)) -> dict[str, Any]:
        items = rows("SELECT id, path, outlet, title, strftime(published, '%Y-%m-%d') AS published, language,"
                     " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events"
                     " FROM articles a ORDER BY published DESC NULLS LAST, path LIMIT ? OFFSET ?", [limit, offset])
        total = rows("SELECT count(*) AS n FROM articles")[0]["n"]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/articles/{article_id}")
    def get_article(article_id: str) -> dict[str, Any]:
        found = rows("SELECT id, path, url, outlet, title, author, strftime(published, '%Y-%m-%d') AS published,"
                     " date_note, language, body FROM articles WHERE id = ?", [article_id])
        if not found:
            raise HTTPException(404, f"no article with id {article_id!r}")
        article = found[0]
        article["events"] = rows(f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id"
                                 " WHERE e.article_id = ? ORDER BY e.event_index", [article_id])
        return article

    @app.get("/api/events")
    def list_events(
        source: str | None = Query(None, max_length=40), target: str | None = Query(None, max_length=40),
        type: str | None = Query(None, max_length=20), modality: str | None = Query(None, max_length=20),
        limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        where, params = event_filters(source, target, type, modality)
        items = rows(f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id {where}"
                     " ORDER BY a.path, e.event_index LIMIT ? OFFSET ?", [*params, limit, offset])
        total = rows(f"SELECT count(*) AS n FROM events e {where}", params)[0]["n"]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/", response_class=HTMLResponse)
    def dashboard(request: Request, page: int = Query(1, ge=1)) -> HTMLResponse:
        per_page = 100
        events = rows(f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id"
                      " ORDER BY a.published DESC NULLS LAST, a.path, e.event_index LIMIT ? OFFSET ?",
                      [per_page, (page - 1) * per_page])
        for event in events:
            event["parts"] = highlight(event["sentence"], event["trigger_offset"], event["trigger_length"])
        context = {
            "articles": list_articles(limit=200, offset=0)["items"],
            "events": events,
            "event_total": rows("SELECT count(*) AS n FROM events")[0]["n"],
            "page": page,
            "per_page": per_page,
            "version": __version__,
        }
        return templates.TemplateResponse(request, "index.html", context)

    return app


def event_filters(source: str | None, target: str | None, event_type: str | None, modality: str | None
                  ) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for column, value in (("e.source_country", source), ("e.target_country", target), ("e.type", event_type),
                          ("e.modality", modality)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value.upper() if column != "e.modality" else value.lower())
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def highlight(sentence: str, offset: int | None, length: int | None) -> list[tuple[str, bool]]:
    """Split a sentence into (text, is_trigger) parts; the template escapes each part."""
    if offset is None or length is None or offset < 0 or offset + length > len(sentence):
        return [(sentence, False)]
    return [(sentence[:offset], False), (sentence[offset:offset + length], True),
            (sentence[offset + length:], False)]
