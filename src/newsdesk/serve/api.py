"""The JSON API under ``/api/``: stories, a story, storylines, a storyline, articles, an article, search,
relations, the followed feeds, and ingest.

Lists take ``limit`` and ``offset`` and say where the next page is. Every GET answer has an ETag.
Errors have one shape (:mod:`newsdesk.serve.errors`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from newsdesk.errors import LimitError
from newsdesk.extract.bounds import load_json, scrub_surrogates
from newsdesk.records import StoryPage
from newsdesk.serve.errors import ApiError
from newsdesk.serve.ingest import check_token
from newsdesk.serve.models import (
    ArticleListOut,
    ArticleOut,
    ErrorOut,
    FeedListOut,
    IngestIn,
    IngestOut,
    RelationListOut,
    SearchOut,
    StorylineListOut,
    StorylineOut,
    StoryListOut,
    StoryOut,
)
from newsdesk.serve.reader import CachedBody
from newsdesk.serve.responses import JSON, cached, conditional, reader_of, to_json
from newsdesk.serve.views import StoryFilters, story_json

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in ((404, "Not found"), (422, "Invalid parameters"), (500, "Internal error"))
}
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="The server's NEWSDESK_TOKEN")

Limit = Annotated[int, Query(ge=1, le=100, description="How many items to return.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="How many items to skip.")]
StoryId = Annotated[str, Path(min_length=1, max_length=100, description="A story id or a unique prefix of one.")]
ArticleId = Annotated[str, Path(min_length=1, max_length=100, description="An article id or a unique prefix.")]
MAX_POST_BYTES = 10_000_000


def _key(request: Request, **params: object) -> str:
    shown = {k: str(v) for k, v in sorted(params.items()) if v is not None}
    return f"{request.url.path}?{urlencode(shown)}"


def _next(request: Request, total: int, limit: int, offset: int, **params: object) -> str | None:
    if offset + limit >= total:
        return None
    shown = {k: str(v) for k, v in params.items() if v is not None}
    return f"{request.url.path}?{urlencode({**shown, 'limit': limit, 'offset': offset + limit})}"


def story_summary(page: StoryPage) -> dict[str, Any]:
    data = page.to_dict()
    keys = ("id", "title", "summary", "updated", "status", "article_count", "independent_source_count")
    return {k: data[k] for k in keys}


@router.get("/stories", response_model=StoryListOut, summary="Stories, newest update first")
async def list_stories(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    since: Annotated[dt.date | None, Query(description="Only stories active on or after this day.")] = None,
    until: Annotated[dt.date | None, Query(description="Only stories active on or before this day.")] = None,
    outlet: Annotated[str | None, Query(max_length=500, description="Only stories with an article from it.")] = None,
) -> Response:
    filters = StoryFilters(since, until, outlet or None)

    def render() -> bytes:
        listing = reader_of(request).listing(offset=offset, limit=limit, filters=filters)
        return to_json(
            {
                "items": [story_summary(p) for p in listing.pages],
                "total": listing.total,
                "limit": limit,
                "offset": offset,
                "next": _next(request, listing.total, limit, offset, since=since, until=until, outlet=outlet),
            }
        )

    key = _key(request, limit=limit, offset=offset, since=since, until=until, outlet=outlet)
    return await cached(request, key, JSON, render)


@router.get("/stories/{story_id}", response_model=StoryOut, summary="One story page (the story JSON)")
async def get_story(request: Request, story_id: StoryId) -> Response:
    def render() -> bytes:
        reader = reader_of(request)
        page = reader.story_page(story_id)
        return to_json(story_json(page, reader.storyline_context(page.id)))

    return await cached(request, _key(request), JSON, render)


StorylineId = Annotated[str, Path(min_length=1, max_length=100, description="A storyline id or a unique prefix.")]


@router.get("/storylines", response_model=StorylineListOut, summary="Storylines of two or more stories, newest first")
async def list_storylines(request: Request, limit: Limit = 20, offset: Offset = 0) -> Response:
    def render() -> bytes:
        found, total = reader_of(request).storylines(offset=offset, limit=limit)
        keys = ("id", "title", "updated", "first_published", "story_count", "article_count")
        return to_json(
            {
                "items": [{k: line.to_dict()[k] for k in keys} for line in found],
                "total": total,
                "limit": limit,
                "offset": offset,
                "next": _next(request, total, limit, offset),
            }
        )

    return await cached(request, _key(request, limit=limit, offset=offset), JSON, render)


@router.get("/storylines/{storyline_id}", response_model=StorylineOut, summary="One storyline page")
async def get_storyline(request: Request, storyline_id: StorylineId) -> Response:
    return await cached(
        request, _key(request), JSON, lambda: to_json(reader_of(request).storyline_page(storyline_id).to_dict())
    )


@router.get(
    "/feeds", response_model=FeedListOut, summary="The followed feeds: when each was last checked, and when next"
)
async def list_feeds(request: Request) -> Response:
    """Read on every request (not cached with the stories): polls change it without changing the stories."""

    def render() -> CachedBody:
        body = to_json(reader_of(request).feeds().to_dict())
        return CachedBody(body, JSON, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')

    return conditional(request, await run_in_threadpool(render))


@router.get("/articles", response_model=ArticleListOut, summary="Stored articles in arrival order")
async def list_articles(request: Request, limit: Limit = 20, offset: Offset = 0) -> Response:
    def render() -> bytes:
        store = reader_of(request).store()
        items = store.list_articles(limit=limit, offset=offset)
        total = store.count_articles()
        keys = ("id", "title", "source", "published", "url", "kind")
        return to_json(
            {
                "items": [{k: getattr(a, k) for k in keys} for a in items],
                "total": total,
                "limit": limit,
                "offset": offset,
                "next": _next(request, total, limit, offset),
            }
        )

    return await cached(request, _key(request, limit=limit, offset=offset), JSON, render)


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="One article with its relations")
async def get_article(request: Request, article_id: ArticleId) -> Response:
    def render() -> bytes:
        reader = reader_of(request)
        store = reader.store()
        article = store.get_article(article_id)
        family = store.family_of(article.id)
        data = article.to_dict()
        data["family"] = family.to_dict() if family else None
        data["relations"] = [r.to_dict() for r in store.relations(article.id)]
        data["story"] = store.stories_of([article.id]).get(article.id)
        return to_json(data)

    return await cached(request, _key(request), JSON, render)


@router.get("/search", response_model=SearchOut, summary="Full-text search over articles, and their stories")
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Every word must match.")],
    limit: Limit = 20,
) -> Response:
    def render() -> bytes:
        view = reader_of(request).search(q, limit=limit)
        return to_json(
            {
                "query": q,
                "articles": [
                    {
                        "id": h.article_id,
                        "title": h.title,
                        "source": h.source,
                        "published": h.published,
                        "snippet": h.snippet,
                    }
                    for h in view.articles
                ],
                "stories": [
                    {"id": s.story_id, "title": s.title, "updated": s.updated, "article_count": s.article_count}
                    for s in view.stories
                ],
            }
        )

    return await cached(request, _key(request, q=q, limit=limit), JSON, render)


@router.get("/relations", response_model=RelationListOut, summary="How articles derive from one another")
async def relations(
    request: Request,
    article: Annotated[str | None, Query(max_length=100, description="Only relations touching this article.")] = None,
    kind: Annotated[str | None, Query(max_length=20, description="Only relations of this kind.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    def render() -> bytes:
        store = reader_of(request).store()
        article_id = store.get_article(article).id if article else None
        found = [r for r in store.relations(article_id) if kind is None or r.kind == kind]
        return to_json(
            {
                "items": [r.to_dict() for r in found[offset : offset + limit]],
                "total": len(found),
                "limit": limit,
                "offset": offset,
                "next": _next(request, len(found), limit, offset, article=article, kind=kind),
            }
        )

    return await cached(request, _key(request, article=article, kind=kind, limit=limit, offset=offset), JSON, render)


@router.post(
    "/articles",
    status_code=201,
    response_model=IngestOut,
    summary="Ingest one article (needs the server's token)",
    responses={
        200: {"model": IngestOut, "description": "Already stored: nothing changed"},
        401: {"model": ErrorOut, "description": "No token, or not the right one"},
        403: {"model": ErrorOut, "description": "Writing is off (no NEWSDESK_TOKEN on the server)"},
        413: {"model": ErrorOut, "description": "The request body is too large"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestIn"}}},
        }
    },
)
async def post_article(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Response:
    """The token is checked before the body is read, so a client without one learns nothing else."""
    authorization = f"Bearer {credentials.credentials}" if credentials else None
    check_token(request.app.state.token, authorization)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_POST_BYTES:
        raise ApiError(413, f"the body is larger than {MAX_POST_BYTES} bytes")
    raw = await request.body()
    if len(raw) > MAX_POST_BYTES:
        raise ApiError(413, f"the body is larger than {MAX_POST_BYTES} bytes")
    try:
        value = load_json(raw.decode("utf-8"), "the body", what="the body")
        if isinstance(value, dict):  # a lone surrogate ("\ud800") reads as U+FFFD, as in a JSONL record
            value = {k: scrub_surrogates(v) if isinstance(v, str) else v for k, v in value.items()}
        item = IngestIn.model_validate(value)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(422, f"the body is not JSON ({exc})", code="invalid_request") from exc
    except LimitError as exc:
        raise ApiError(422, exc.problem, code="invalid_request") from exc
    except ValidationError as exc:
        details: list[dict[str, Any]] = [
            {"location": ["body", *(str(part) for part in e["loc"])], "message": e["msg"]} for e in exc.errors()
        ]
        raise ApiError(422, "invalid body: " + "; ".join(d["message"] for d in details), details=details) from exc
    new, answer = await run_in_threadpool(request.app.state.writer.write, item)
    return JSONResponse(answer, status_code=201 if new else 200)
