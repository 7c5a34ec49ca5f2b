"""The thin orchestrator: sources → extract → store → relate → group, one article at a time.

Each stage lives in its own module; this one only wires them together and keeps the batch going
past bad inputs, collecting them for the final report. Within a batch, articles are taken in
publication order (undated ones after the dated, in arrival order), and each is stored together
with its relations in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from newsdesk.errors import InputError, StoreError
from newsdesk.extract import extract_document
from newsdesk.extract.bounds import count_words
from newsdesk.extract.dates import sort_key
from newsdesk.group import Assignment, Grouper, group_all, storylines_missing
from newsdesk.records import Article, RawDocument, Relation
from newsdesk.relate import Relater
from newsdesk.settings import Settings
from newsdesk.sources import Notify, iter_documents, unexpected_error
from newsdesk.sources.fetch import Fetcher
from newsdesk.store import AddResult, Store

Progress = Callable[[str], None]
Stored = Callable[[Article, AddResult], None]


@dataclass
class IngestReport:
    """What one ingest did. ``failures`` name each bad input and why; ``notices`` are remarks."""

    new: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    stories: list[Assignment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def extract_inputs(
    inputs: Iterable[str],
    settings: Settings,
    *,
    notify: Notify,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Article | InputError]:
    """Articles for every input, in input order; bad inputs come out as errors in the stream."""
    for item in iter_documents(inputs, settings, notify=notify, stdin=stdin, fetcher=fetcher):
        if isinstance(item, InputError):
            yield item
        else:
            yield extract_one(item, settings, notify)


def extract_one(doc: RawDocument, settings: Settings, notify: Notify) -> Article | InputError:
    """Extract ``doc``, falling back to its ``fallback`` document when it gives no article.

    Whatever goes wrong comes back as this document's error: an exception no reader expected
    becomes an :class:`InputError` with a one-line reason (the traceback is logged at debug level).
    """
    try:
        article = _extract(doc, settings)
        _note_if_long(article, settings, notify)
        return article
    except InputError as exc:
        if doc.fallback is None:
            return exc
        notify(doc.location, f"{exc.problem}; used the feed entry's own text instead")
        try:
            return _extract(doc.fallback, settings)
        except InputError as fallback_exc:
            return fallback_exc
        except Exception as fallback_exc:
            return unexpected_error(doc.fallback.location, fallback_exc)
    except Exception as exc:  # one input's surprise must not cost the batch the others
        return unexpected_error(doc.location, exc)


DEFAULT_MAX_WORDS = Settings().max_words


def _note_if_long(article: Article, settings: Settings, notify: Notify) -> None:
    """A raised ``max_words`` lets a long text in; say so, since every later stage costs in proportion."""
    if settings.max_words <= DEFAULT_MAX_WORDS:
        return
    words = count_words(article.body, stop=settings.max_words)
    if words > DEFAULT_MAX_WORDS:
        notify(
            article.location,
            f"{words:,} words, over the default bound of {DEFAULT_MAX_WORDS:,}: relating, grouping and writing it "
            "takes time in proportion (1 to 2 CPU seconds per 50,000 words)",
        )


def _extract(doc: RawDocument, settings: Settings) -> Article:
    return extract_document(doc, max_bytes=settings.max_bytes, max_words=settings.max_words, encoding=doc.encoding)


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
    notify: Notify | None = None,
    batch_size: int = 2000,
) -> IngestReport:
    """Extract every input; store and relate each article in its own transaction."""
    return ingest_documents(
        lambda remark: iter_documents(inputs, settings, notify=remark, stdin=stdin, fetcher=fetcher),
        store,
        settings,
        progress=progress,
        notify=notify,
        batch_size=batch_size,
    )


def ingest_documents(
    documents: Callable[[Notify], Iterable[RawDocument | InputError]],
    store: Store,
    settings: Settings,
    *,
    progress: Progress | None = None,
    notify: Notify | None = None,
    batch_size: int = 2000,
    stored: Stored | None = None,
) -> IngestReport:
    """Extract the raw documents ``documents(notify)`` gives; store and relate each article in its own
    transaction, the path of every article whatever its input (files and URLs, followed feeds).

    ``stored(article, result)``, if given, is called inside each article's transaction once it is
    stored (or found already stored), so what the caller records about it commits with the article.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    report = IngestReport()

    def remark(location: str, message: str) -> None:
        report.notices.append((location, message))
        if notify is not None:
            notify(location, message)

    if storylines_missing(store):  # upgraded from before storylines: build them as ingesting would have
        remark("store", "its stories have no storylines yet (grouped before storylines): grouping all articles again")
        group_all(store)
    stages = _Stages(store)

    batch: list[Article] = []
    for document in documents(remark):
        item = document if isinstance(document, InputError) else extract_one(document, settings, remark)
        if isinstance(item, InputError):
            report.failures.append(item)
            if progress:
                progress(item.location)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            _store_batch(batch, store, stages, report, progress, stored)
            batch = []
    _store_batch(batch, store, stages, report, progress, stored)
    return report


def publication_order(articles: list[Article]) -> list[Article]:
    """Dated articles by publication time, then the undated ones in arrival order."""
    dated = sorted((a for a in articles if a.published), key=lambda a: sort_key(a.published))
    return dated + [a for a in articles if not a.published]


def _store_batch(
    batch: list[Article],
    store: Store,
    stages: _Stages,
    report: IngestReport,
    progress: Progress | None,
    stored: Stored | None = None,
) -> None:
    for article in publication_order(batch):
        try:
            with store.transaction():
                result = store.add_article(article)
                if result.new:
                    related = stages.relater.relate(article)
                    assignment = stages.grouper.assign(article, stages.relater.profile(article), related.relations)
                if stored is not None:
                    stored(article, result)
        except StoreError:
            raise  # the store itself is failing: no later article would fare better
        except Exception as exc:  # rolled back: this article fails, the batch goes on
            report.failures.append(unexpected_error(article.location, exc))
            stages.reset()  # caches may hold what the rolled-back transaction wrote
        else:
            if result.new:
                report.relations.extend(related.relations)
                report.stories.append(assignment)
            (report.new if result.new else report.unchanged).append(result.article_id)
        if progress:
            progress(article.location)


class _Stages:
    """The relate and group stages of one ingest, with their caches, renewed after a failed article."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reset()

    def reset(self) -> None:
        self.relater = Relater(self.store)
        self.grouper = Grouper(self.store)
