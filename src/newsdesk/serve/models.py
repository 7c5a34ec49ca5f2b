"""The JSON API's shapes, for the OpenAPI document (``/openapi.json``).

Handlers build plain dictionaries from the records' ``to_dict`` (the story JSON of the design), and
these models describe them; the schemathesis tests check that every answer fits. Models allow extra
fields, since records grow fields over time and clients must ignore the ones they do not know.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(Open):
    location: list[str]
    message: str


class ErrorInfo(Open):
    status: int
    code: str = Field(description="A stable, machine-readable name: not_found, invalid_request, unauthorized ...")
    message: str
    details: list[ErrorDetail]


class ErrorOut(Open):
    """Every API error has this shape."""

    error: ErrorInfo


class CitationOut(Open):
    article: str
    start: int
    end: int
    quote: str = Field(description="Exactly the article body's text from start to end.")
    source: int | None = Field(
        description="The number of the cited article in the page's articles (from 1), as the page shows it: [3]. "
        "Null for an article the page does not list.",
    )
    ref: str | None = Field(
        description="The quote's sub-anchor, source number and the quote's place among that source's distinct "
        "quotes on the page in body order: 3.2.",
    )


class StoryArticleOut(Open):
    number: int = Field(description="The article's source number on the page ([3]), from 1.")
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    family: str | None
    role: str
    derived_from: str | None
    title_derived: bool = Field(description="The article had no title: this one is taken from its lead.")


class KeyPointOut(Open):
    headline: str
    text: str
    support: int = Field(description="How many independent sources (families) say it.")
    citations: list[CitationOut]


class TimelineEntryOut(Open):
    date: str
    granularity: str
    status: str
    text: str
    citations: list[CitationOut]


class ClaimOut(Open):
    value: str
    citations: list[CitationOut]


class DiscrepancyOut(Open):
    about: str
    claims: list[ClaimOut]


class StorySummaryOut(Open):
    id: str
    title: str | None
    summary: str | None
    updated: str
    status: str
    article_count: int
    independent_source_count: int


class StorySiblingOut(Open):
    id: str
    title: str | None
    updated: str
    article_count: int


class StoryStorylineOut(Open):
    """The storyline of a story that has other stories in it."""

    id: str
    title: str | None
    story_count: int
    siblings: list[StorySiblingOut] = Field(description="The storyline's other stories, most recently updated first.")


class StoryOut(StorySummaryOut):
    """The story JSON of the design (what ``newsdesk story ID --format json`` prints)."""

    sources_without_outlet: int = Field(
        description="How many of the independent sources name no outlet (neither in metadata nor in a credit line)."
    )
    articles: list[StoryArticleOut]
    key_points: list[KeyPointOut]
    timeline: list[TimelineEntryOut]
    discrepancies: list[DiscrepancyOut]
    written_from: int = Field(
        description="How many of the story's articles (the latest) the title, summary, key points and "
        "discrepancies were written from; the timeline reads them all."
    )
    storyline: StoryStorylineOut | None = Field(
        None, description="The story's storyline and its other stories; null when the story is alone in it."
    )


class PageInfo(Open):
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="The address of the next page, or null on the last one.")


class StoryListOut(PageInfo):
    items: list[StorySummaryOut]


class FeedOut(Open):
    id: int
    url: str
    title: str | None
    added: str
    last_fetch: str | None = Field(description="When the feed was last fetched (UTC ISO 8601), null if never.")
    last_status: int | None = Field(description="The HTTP status of that fetch, null without an answer.")
    next_fetch: str = Field(description="When it is due again; empty when due now.")
    interval_seconds: int
    entries_seen: int
    errors: int = Field(description="Failed fetches in a row.")
    last_error: str | None
    gone: bool = Field(description="The feed answered 410 and is no longer polled.")


class FeedListOut(Open):
    items: list[FeedOut]
    total: int
    followed: int = Field(description="Feeds not gone.")
    last_checked: str | None = Field(description="The latest fetch of any feed, null if none ever was.")
    watcher: str | None = Field(description="The process polling the feeds now, null when none is.")


class StorylineSummaryOut(Open):
    id: str
    title: str | None = Field(description="The title of the storyline's most covered story.")
    updated: str
    first_published: str | None
    story_count: int
    article_count: int


class StorylineListOut(PageInfo):
    items: list[StorylineSummaryOut]


class StorylineStoryOut(Open):
    id: str
    title: str | None
    updated: str
    article_count: int
    status: str


class CitedSentenceOut(Open):
    text: str
    citations: list[CitationOut]


class StorylineOut(Open):
    """A storyline page (what ``newsdesk storyline ID --format json`` prints)."""

    id: str
    title: str | None
    updated: str
    first_published: str | None
    story_count: int
    article_count: int
    independent_source_count: int
    stories: list[StorylineStoryOut] = Field(description="Its stories, most recently updated first.")
    key_points_from: str | None = Field(description="The story the latest summary and key points come from.")
    latest_summary: list[CitedSentenceOut]
    key_points: list[KeyPointOut]
    timeline: list[TimelineEntryOut]
    articles: list[StoryArticleOut]


class ArticleSummaryOut(Open):
    id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    kind: str


class ArticleListOut(PageInfo):
    items: list[ArticleSummaryOut]


class FamilyOut(Open):
    article: str
    family: str
    role: str
    derived_from: str | None


class RelationOut(Open):
    derived: str
    source: str
    kind: str
    score: float
    direction: str
    features: dict[str, float]
    evidence: list[dict[str, Any]]


class RelationListOut(PageInfo):
    items: list[RelationOut]


class ArticleOut(Open):
    """The Article record of the design, with its family, relations and story."""

    id: str
    title: str | None
    body: str
    published: str | None
    published_from: str | None
    author: str | None
    source: str | None
    url: str | None
    language: str | None
    kind: str
    family: FamilyOut | None
    relations: list[RelationOut]
    story: str | None


class SearchHitOut(Open):
    id: str
    title: str | None
    source: str | None
    published: str | None
    snippet: str = Field(description="Words around the first match; matched words are marked [like this].")


class StoryHitOut(Open):
    id: str
    title: str | None
    updated: str
    article_count: int


class SearchOut(Open):
    query: str
    articles: list[SearchHitOut]
    stories: list[StoryHitOut]


def _given(description: str, max_length: int | None = None, pattern: str | None = None) -> dict[str, Any]:
    """The documented schema of an optional field: a non-empty string when present (null is refused)."""
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "description": description}
    if max_length:
        schema["maxLength"] = max_length
    if pattern:
        schema["pattern"] = pattern
    return schema


URL_PATTERN = r"^https?://\S+$"


class IngestIn(BaseModel):
    """One article to ingest: a page ``url`` to fetch, or its ``text`` or ``html`` with what is known of it.

    Exactly one of ``url``, ``text`` and ``html``. A ``url`` must be ``http(s)``: the server never
    reads its own files on a client's behalf.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["url"]}, {"required": ["text"]}, {"required": ["html"]}]},
    )

    url: Annotated[
        str | None,
        Field(min_length=1, max_length=4000, pattern=URL_PATTERN),
        WithJsonSchema(_given("An http(s) page or feed to fetch.", 4000, URL_PATTERN)),
    ] = None
    text: Annotated[
        str | None,
        Field(min_length=1),
        WithJsonSchema(_given("The article's clean text (paragraphs split by blank lines).")),
    ] = None
    html: Annotated[str | None, Field(min_length=1), WithJsonSchema(_given("The article's HTML page or fragment."))] = (
        None
    )
    title: Annotated[str | None, Field(min_length=1, max_length=2000), WithJsonSchema(_given("Title.", 2000))] = None
    published: Annotated[
        str | None, Field(min_length=1, max_length=100), WithJsonSchema(_given("ISO 8601 date or time.", 100))
    ] = None
    source: Annotated[
        str | None, Field(min_length=1, max_length=500), WithJsonSchema(_given("The outlet's name.", 500))
    ] = None
    author: Annotated[str | None, Field(min_length=1, max_length=500), WithJsonSchema(_given("Author.", 500))] = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = sorted(str(k) for k, v in data.items() if v is None)
            if nulls:
                raise ValueError(f"leave out the fields you do not have instead of sending null: {', '.join(nulls)}")
        return data

    @model_validator(mode="after")
    def _one_content(self) -> IngestIn:
        given = [name for name in ("url", "text", "html") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of url, text or html")
        return self


class IngestedOut(Open):
    id: str
    new: bool
    story: str | None


class IngestFailureOut(Open):
    location: str
    message: str


class IngestOut(Open):
    articles: list[IngestedOut]
    failures: list[IngestFailureOut]
