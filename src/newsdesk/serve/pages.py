"""The HTML pages and Atom feeds of the web app (server-rendered; a little script from /static)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from newsdesk.publish.atom import stories_feed, story_feed, storyline_feed
from newsdesk.publish.html import AppLinks, HtmlRenderer
from newsdesk.serve.errors import ApiError
from newsdesk.serve.responses import ATOM, HTML, cached, reader_of
from newsdesk.serve.views import StoryFilters

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
FEED_SIZE = 50
SEARCH_RESULTS = 20

Id = Annotated[str, Path(min_length=1, max_length=100)]


def _renderer(request: Request) -> HtmlRenderer:
    renderer: HtmlRenderer = request.app.state.renderer
    return renderer


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name} must be a day like 2026-10-31, not {value!r}") from None


def _key(request: Request, **params: object) -> str:
    shown = {k: str(v) for k, v in sorted(params.items()) if v is not None}
    return f"{request.url.path}?{urlencode(shown)}"


@router.get("/")
async def stories_page(
    request: Request,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """The story list. The filter form sends empty fields for filters left blank: those mean no filter."""
    filters = StoryFilters(_day(since, "since"), _day(until, "until"), outlet or None)

    def render() -> str:
        reader = reader_of(request)
        listing = reader.listing(offset=(page - 1) * PER_PAGE, limit=PER_PAGE, filters=filters)
        query = {"since": str(filters.since or ""), "until": str(filters.until or ""), "outlet": outlet or ""}
        feeds = reader.feeds()
        return _renderer(request).story_list(listing, AppLinks(query=query), feeds=feeds if feeds.feeds else None)

    key = _key(request, page=page, since=filters.since, until=filters.until, outlet=filters.outlet)
    return await cached(request, key, HTML, render)


@router.get("/stories/{story_id}")
async def story_page(request: Request, story_id: Id) -> Response:
    def render() -> str:
        reader = reader_of(request)
        page = reader.story_page(story_id)
        return _renderer(request).story(page, AppLinks(), storyline=reader.storyline_context(page.id))

    return await cached(request, _key(request), HTML, render)


@router.get("/storylines")
async def storylines_page(request: Request, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    """The storylines of two or more stories, most recently updated first."""

    def render() -> str:
        listing = reader_of(request).storyline_listing(offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
        return _renderer(request).storyline_list(listing, AppLinks())

    return await cached(request, _key(request, page=page), HTML, render)


@router.get("/storylines/{storyline_id}")
async def storyline_page(request: Request, storyline_id: Id) -> Response:
    def render() -> str:
        return _renderer(request).storyline(reader_of(request).storyline_page(storyline_id), AppLinks())

    return await cached(request, _key(request), HTML, render)


@router.get("/articles/{article_id}")
async def article_page(request: Request, article_id: Id) -> Response:
    return await cached(
        request,
        _key(request),
        HTML,
        lambda: _renderer(request).article(reader_of(request).article(article_id), AppLinks()),
    )


@router.get("/search")
async def search_page(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> Response:
    def render() -> str:
        view = reader_of(request).search(q, limit=SEARCH_RESULTS) if q.strip() else None
        return _renderer(request).search(view, AppLinks())

    return await cached(request, _key(request, q=q), HTML, render)


@router.get("/sources/{name:path}")
async def source_page(request: Request, name: Annotated[str, Path(min_length=1, max_length=500)]) -> Response:
    return await cached(
        request, _key(request), HTML, lambda: _renderer(request).source(reader_of(request).source(name), AppLinks())
    )


def _absolute(request: Request) -> AppLinks:
    """Feeds use absolute addresses: feed readers show entries away from the site."""
    return AppLinks(prefix=str(request.base_url).rstrip("/"))


@router.get("/feed.atom")
async def all_stories_feed(request: Request) -> Response:
    def render() -> str:
        reader = reader_of(request)
        pages = [reader.story_page(s.id) for s in reader.store().list_stories(limit=FEED_SIZE)]
        return stories_feed(pages, _absolute(request))

    return await cached(request, f"{request.base_url}feed.atom", ATOM, render)


@router.get("/stories/{story_id}/feed.atom")
async def one_story_feed(request: Request, story_id: Id) -> Response:
    def render() -> str:
        page, updates = reader_of(request).updates(story_id)
        return story_feed(page, updates, _absolute(request))

    return await cached(request, f"{request.base_url}{request.url.path}", ATOM, render)


@router.get("/storylines/{storyline_id}/feed.atom")
async def one_storyline_feed(request: Request, storyline_id: Id) -> Response:
    def render() -> str:
        return storyline_feed(reader_of(request).storyline_page(storyline_id), _absolute(request))

    return await cached(request, f"{request.base_url}{request.url.path}", ATOM, render)
