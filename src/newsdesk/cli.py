"""The command line: a thin click layer over the library.

Domain errors become ``click.ClickException`` here and nowhere else. Exit status: 0 when every input
was handled, 1 when some failed (each named on standard error with the reason), 2 for usage errors.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsdesk._version import __version__
from newsdesk.errors import InputError, NewsdeskError
from newsdesk.group import group_all
from newsdesk.pipeline import extract_inputs, ingest
from newsdesk.publish.markdown import story_markdown
from newsdesk.records import RELATION_KINDS, Article, FamilyMember, Relation
from newsdesk.relate import relate_all
from newsdesk.settings import SETTINGS, Settings
from newsdesk.store import Store, open_store
from newsdesk.write import write_story

FORMATS_EXTRACT = click.Choice(["json", "jsonl", "text"])


def _settings_from(ctx_params: dict[str, Any]) -> Settings:
    try:
        return Settings.from_env(**{k: v for k, v in ctx_params.items() if k in Settings.__dataclass_fields__})
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def _fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--allow-private",
            is_flag=True,
            default=None,
            help="Fetch from private, loopback and link-local addresses.",
        ),
        click.option(
            "--offline",
            is_flag=True,
            default=None,
            help="Never fetch: URL inputs fail, feed entries use their own text.",
        ),
        click.option("--timeout", type=float, default=None, help="Seconds allowed per HTTP fetch [default: 20]."),
        click.option(
            "--max-bytes",
            type=int,
            default=None,
            help="Largest article accepted (a page, file or record), in bytes [default: 10000000].",
        ),
        click.option(
            "--max-file-bytes",
            type=int,
            default=None,
            help="Largest JSON, JSONL or feed file accepted, in bytes [default: 1000000000].",
        ),
        click.option(
            "--max-words",
            type=int,
            default=None,
            help="Most words read as one article [default: 50000].",
        ),
        click.option("--max-redirects", type=int, default=None, help="Most redirects followed [default: 5]."),
        click.option("--encoding", default=None, help="Decode text files with this encoding instead of detecting it."),
        click.option("--user-agent", default=None, help="User-Agent header for HTTP requests."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        default=None,
        metavar="PATH_OR_URL",
        help="The store: an SQLite file [default: $NEWSDESK_DB, then ./newsdesk.db].",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdesk")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default=None,
    help="What goes to the log on standard error; debug shows the traceback of an input no reader expected "
    "[default: $NEWSDESK_LOG_LEVEL, then warning].",
)
def cli(log_level: str | None) -> None:
    """newsdesk: news articles in, story pages people can trust out."""
    level = (log_level or os.environ.get("NEWSDESK_LOG_LEVEL") or "warning").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise click.UsageError(f"NEWSDESK_LOG_LEVEL={level.lower()!r}: expected debug, info, warning or error")
    logger = logging.getLogger("newsdesk")
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


class _StderrHandler(logging.Handler):
    """Log records to whatever ``sys.stderr`` is when they are emitted (tests swap it per command)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


# -- extract ---------------------------------------------------------------------------------------


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--format", "fmt", type=FORMATS_EXTRACT, default="json", show_default=True, help="Output format.")
@_fetch_options
def extract(inputs: tuple[str, ...], fmt: str, **params: Any) -> None:
    """Print the Article records extracted from INPUT (files, folders, URLs, feeds, JSONL, - for stdin).

    Nothing is stored.
    """
    settings = _settings_from(params)
    failures = 0
    articles: list[Article] = []
    for item in extract_inputs(inputs, settings, notify=_note):
        if isinstance(item, InputError):
            failures += 1
            _error(item)
            continue
        if fmt == "jsonl":
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        elif fmt == "text":
            click.echo(_article_text(item, locations=None))
        else:
            articles.append(item)
    if fmt == "json":
        click.echo(json.dumps([a.to_dict() for a in articles], ensure_ascii=False, indent=2))
    if failures:
        sys.exit(1)


# -- ingest ----------------------------------------------------------------------------------------


@cli.command(name="ingest")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@_db_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no notes.")
@_fetch_options
def ingest_command(inputs: tuple[str, ...], db: str | None, quiet: bool, **params: Any) -> None:
    """Extract INPUT and store the articles; print a summary.

    Re-ingesting the same articles changes nothing. Bad inputs are named on standard error and the
    others are still stored (exit status 1).
    """
    settings = _settings_from({**params, "db": db})
    started = time.monotonic()
    with _open(settings.db, create=True) as store, _progress(quiet) as progress:
        report = ingest(inputs, store, settings, progress=progress, notify=None if quiet else _note)
        total = store.count_articles()
    for failure in report.failures:
        _error(failure)
    elapsed = time.monotonic() - started
    click.echo(
        f"{len(report.new)} new, {len(report.unchanged)} already stored, {len(report.failures)} failed "
        f"({elapsed:.1f} s)"
    )
    if report.relations:
        kinds = Counter(r.kind for r in report.relations)
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        click.echo(
            f"related: {len(report.relations)} new relation{'s' if len(report.relations) != 1 else ''} ({listed})"
        )
    if report.stories:
        founded = sum(1 for a in report.stories if a.how == "founded")
        joined = len(report.stories) - founded
        merged = sum(len(a.merged) for a in report.stories)
        merges = f", {merged} merged" if merged else ""
        click.echo(f"stories: {founded} new, {joined} articles joined existing stories{merges}")
    click.echo(f"store: {settings.db} ({total} article{'s' if total != 1 else ''})")
    if not report.ok:
        sys.exit(1)


# -- following feeds -------------------------------------------------------------------------------


@cli.group()
def feeds() -> None:
    """Feed subscriptions that `newsdesk watch` follows."""


@feeds.command(name="add")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@_db_option
def feeds_add(urls: tuple[str, ...], db: str | None) -> None:
    """Follow the RSS/Atom feeds at URL (each due at once)."""
    settings = _settings_from({"db": db})
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise click.UsageError(f"{url}: a feed to follow is an http(s) URL")
    with _open(settings.db, create=True) as store:
        for url in urls:
            feed, new = store.add_feed(url)
            click.echo(f"{'added' if new else 'already followed:'} feed {feed.id} {feed.url}")


@feeds.command(name="list")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def feeds_list(db: str | None, fmt: str) -> None:
    """List followed feeds: last fetch and status, next fetch, entries read, errors in a row."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        items = store.list_feeds()
    if fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in items], ensure_ascii=False, indent=2))
        return
    for f in items:
        status = "gone" if f.gone else str(f.last_status or "-")
        last = (f.last_fetch or "-")[:16]
        due = "-" if f.gone else (f.next_fetch[:16] or "now")
        errors = f"  {f.errors} error(s): {f.last_error}" if f.errors else ""
        click.echo(f"{f.id:4}  {status:4}  last {last:16}  next {due:16}  {f.entries_seen:5} entries  {f.url}{errors}")


@feeds.command(name="remove")
@click.argument("feed_id", metavar="ID", type=int)
@_db_option
def feeds_remove(feed_id: int, db: str | None) -> None:
    """Stop following feed ID (its articles stay in the store)."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        feed = store.get_feed(feed_id)
        store.remove_feed(feed_id)
    click.echo(f"removed feed {feed.id} {feed.url}")


@feeds.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_db_option
def feeds_import(file: Path, db: str | None) -> None:
    """Follow every feed an OPML FILE lists (a reader's export)."""
    from newsdesk.sources.opml import read_opml

    settings = _settings_from({"db": db})
    try:
        listed = read_opml(file.read_bytes(), str(file))
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    added = 0
    with _open(settings.db, create=True) as store:
        for item in listed:
            if not item.url.startswith(("http://", "https://")):
                _note(str(file), f"skipped {item.url!r}: not an http(s) URL")
                continue
            _, new = store.add_feed(item.url, title=item.title)
            added += new
    click.echo(f"{added} feeds added, {len(listed) - added} already followed or skipped ({file})")


@feeds.command(name="export")
@_db_option
def feeds_export(db: str | None) -> None:
    """Print the followed feeds as OPML (gone ones left out)."""
    from newsdesk.sources.opml import Subscription, write_opml

    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        items = [Subscription(f.url, f.title) for f in store.list_feeds() if not f.gone]
    click.echo(write_opml(items), nl=False)


@feeds.command(name="check")
@click.argument("feed_id", metavar="[ID]", type=int, required=False)
@_db_option
@_fetch_options
def feeds_check(feed_id: int | None, db: str | None, **params: Any) -> None:
    """Poll feed ID (or every feed not gone) now, due or not, and ingest its new entries."""
    from newsdesk.sources.watch import Lease, watch_once

    settings = _settings_from({**params, "db": db})
    with _open(settings.db) as store:
        chosen = [store.get_feed(feed_id)] if feed_id is not None else [f for f in store.list_feeds() if not f.gone]
        if feed_id is not None and chosen[0].gone:
            raise click.ClickException(f"feed {feed_id} is gone (HTTP 410): remove it, or add its new URL")
        lease = Lease(store)  # not beside a running watcher, which could be reading the same entries
        try:
            lease.acquire()
            outcomes = watch_once(store, settings, feeds=chosen, on_poll=_polled, notify=_note, lease=lease)
        except NewsdeskError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            lease.release()
    if any(not o.ok for o in outcomes):
        sys.exit(1)


@cli.command()
@_db_option
@click.option("--once", is_flag=True, help="One pass over the feeds that are due, then exit.")
@click.option(
    "--wait", is_flag=True, help="If another watcher follows this store, wait for it to stop instead of exiting."
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="One line per fetch as text, or as one JSON object (time, feed, url, status, entries, read, ...).",
)
@_fetch_options
def watch(db: str | None, once: bool, wait: bool, log_format: str, **params: Any) -> None:
    """Follow the feeds: poll each when due and ingest its new or changed entries, until Ctrl-C.

    One line per fetch on standard output. SIGINT or SIGTERM stop after the current feed (a second
    one abandons it; each article is its own transaction, so the store is never half-written).
    One watcher at a time follows a store; another one exits with a message, or waits with --wait.
    """
    import signal
    import threading

    from newsdesk.sources.watch import Lease, watch_once
    from newsdesk.sources.watch import watch as follow

    settings = _settings_from({**params, "db": db})
    with _open(settings.db) as store:
        if not store.list_feeds():
            raise click.ClickException("no feeds are followed: add some with `newsdesk feeds add URL...` first")
        stop = threading.Event()

        def ask_to_stop(signum: int, frame: object) -> None:
            if stop.is_set():
                raise KeyboardInterrupt
            stop.set()
            click.echo("stopping after the current feed (again to abandon it)", err=True)

        previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        polled = _polled_json if log_format == "json" else _polled
        lease = Lease(store)
        outcomes = None
        try:
            if not lease.take():
                if not wait:
                    lease.acquire()  # raises WatcherBusy, with who holds the lease
                click.echo(f"waiting for the other watcher ({lease.holder()}) to stop", err=True)
                if not lease.acquire(wait=True, stop=stop, retry=1.0):
                    click.echo("stopped", err=True)
                    return
            if once:
                outcomes = watch_once(store, settings, on_poll=polled, notify=_note, stop=stop.is_set, lease=lease)
            else:
                follow(store, settings, stop, on_poll=polled, notify=_note, lease=lease)
        except KeyboardInterrupt:
            click.echo("abandoned the current feed", err=True)
        except NewsdeskError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            lease.release()
    if outcomes is not None:
        if not outcomes:
            click.echo("no feed is due", err=True)
        if any(not o.ok for o in outcomes):
            sys.exit(1)
        return
    click.echo("stopped", err=True)


def _polled(outcome: Any) -> None:
    import datetime as dt

    click.echo(outcome.line(dt.datetime.now(dt.UTC)))


def _polled_json(outcome: Any) -> None:
    import datetime as dt

    click.echo(json.dumps(outcome.record(dt.datetime.now(dt.UTC)), ensure_ascii=False))


# -- reading the store -------------------------------------------------------------------------------


@cli.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
def articles(db: str | None, fmt: str, limit: int | None, offset: int) -> None:
    """List stored articles in arrival order."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        items = store.list_articles(limit=limit, offset=offset)
    if fmt == "json":
        click.echo(json.dumps([_summary(a) for a in items], ensure_ascii=False, indent=2))
        return
    for item in items:
        click.echo(_summary_line(item))


@cli.command()
@click.argument("article_id", metavar="ID")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def article(article_id: str, db: str | None, fmt: str) -> None:
    """Show one stored article (ID may be a unique prefix of its id)."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        item = store.get_article(article_id)
        locations = store.article_locations(item.id)
        family = store.family_of(item.id)
        relations = store.relations(item.id)
    if fmt == "json":
        data = item.to_dict()
        data["locations"] = [{"location": loc, "raw_sha256": sha} for loc, sha in locations]
        data["family"] = family.to_dict() if family else None
        data["relations"] = [r.to_dict() for r in relations]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(_article_text(item, [loc for loc, _ in locations], family, relations))


@cli.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--kind", type=click.Choice(RELATION_KINDS), default=None, help="Only relations of this kind.")
def relations(db: str | None, fmt: str, kind: str | None) -> None:
    """List how stored articles derive from one another (copies, rewrites, summaries, digests ...)."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        found = [r for r in store.relations() if kind is None or r.kind == kind]
        titles = {a.id: a.title for a in store.get_articles({i for r in found for i in (r.derived, r.source)})}
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in found], ensure_ascii=False, indent=2))
        return
    for r in found:
        click.echo(f"{r.derived}  {r.kind:9} of {r.source}  {r.score:.2f}  by {r.direction}")
        click.echo(f"    {titles.get(r.derived) or '(untitled)'}  <-  {titles.get(r.source) or '(untitled)'}")


@cli.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
def stories(db: str | None, fmt: str, limit: int | None, offset: int) -> None:
    """List stories, most recently updated first."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        pages = [write_story(store, s.id) for s in store.list_stories(limit=limit, offset=offset)]
    if fmt == "json":
        keys = ("id", "title", "updated", "status", "article_count", "independent_source_count")
        click.echo(json.dumps([{k: p.to_dict()[k] for k in keys} for p in pages], ensure_ascii=False, indent=2))
        return
    for page in pages:
        counts = f"{page.article_count} art, {page.independent_source_count} src"
        click.echo(f"{page.id}  {page.updated[:10]:10}  {counts:14}  {page.status:7}  {page.title or '(untitled)'}")


@cli.command()
@click.argument("story_id", metavar="ID")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option(
    "--writer",
    type=click.Choice(["extractive", "llm"]),
    default="extractive",
    show_default=True,
    help="llm: rephrase through the OpenAI-compatible API of NEWSDESK_LLM_URL; unsupported sentences are dropped.",
)
def story(story_id: str, db: str | None, fmt: str, writer: str) -> None:
    """Show one story page (ID may be a unique prefix of its id)."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        page = write_story(store, story_id)
        from newsdesk.serve.views import storyline_context

        context = storyline_context(store, page.id)
    if writer == "llm":
        from newsdesk.write.llm import rewrite_page

        try:
            page = rewrite_page(page, settings)
        except NewsdeskError as error:
            raise click.ClickException(str(error)) from error
    if fmt == "json":
        from newsdesk.serve.views import story_json

        click.echo(json.dumps(story_json(page, context), ensure_ascii=False, indent=2))
    elif fmt == "html":
        from newsdesk.publish.html import story_html

        click.echo(story_html(page, storyline=context), nl=False)
    else:
        click.echo(story_markdown(page, storyline=context), nl=False)


@cli.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option("--all", "every", is_flag=True, help="Also list storylines of a single story (by default, two or more).")
def storylines(db: str | None, fmt: str, limit: int | None, offset: int, every: bool) -> None:
    """List storylines (the stories of one developing subject), most recently updated first."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        found = store.list_storylines(limit=limit, offset=offset, min_stories=1 if every else 2)
    if fmt == "json":
        keys = ("id", "title", "updated", "first_published", "story_count", "article_count")
        click.echo(json.dumps([{k: line.to_dict()[k] for k in keys} for line in found], ensure_ascii=False, indent=2))
        return
    for line in found:
        counts = f"{line.story_count} stories, {line.article_count} art"
        click.echo(f"{line.id}  {line.updated[:10]:10}  {counts:22}  {line.title or '(untitled)'}")


@cli.command()
@click.argument("storyline_id", metavar="ID")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
def storyline(storyline_id: str, db: str | None, fmt: str) -> None:
    """Show one storyline: its stories newest first, the latest key points, a timeline (ID may be a prefix)."""
    from newsdesk.publish.markdown import storyline_markdown
    from newsdesk.write.storyline import write_storyline

    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        page = write_storyline(store, storyline_id)
    if fmt == "json":
        click.echo(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "html":
        from newsdesk.publish.html import storyline_html

        click.echo(storyline_html(page), nl=False)
    else:
        click.echo(storyline_markdown(page), nl=False)


@cli.command()
@_db_option
@click.option("--rebuild", is_flag=True, help="Forget all stories and storylines and group every article again.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def group(db: str | None, rebuild: bool, quiet: bool) -> None:
    """Group stored articles into stories and storylines again (after an upgrade or a change of settings)."""
    if not rebuild:
        raise click.UsageError("nothing to do: ingest groups new articles; pass --rebuild to group all again")
    settings = _settings_from({"db": db})
    with _open(settings.db) as store, _progress(quiet) as progress:
        group_all(store, progress=progress)
        count, lines = store.count_stories(), store.count_storylines()
    click.echo(f"grouped {count} stor{'y' if count == 1 else 'ies'} in {lines} storyline{'' if lines == 1 else 's'}")


@cli.command()
@_db_option
@click.option("--rebuild", is_flag=True, help="Forget all relations and families and relate every article again.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def relate(db: str | None, rebuild: bool, quiet: bool) -> None:
    """Relate stored articles again (after an upgrade that changed how relations are decided)."""
    if not rebuild:
        raise click.UsageError("nothing to do: ingest relates new articles; pass --rebuild to relate all again")
    settings = _settings_from({"db": db})
    with _open(settings.db) as store, _progress(quiet) as progress:
        found = relate_all(store, progress=progress)
        total = store.count_articles()
    click.echo(f"related {total} articles: {found} relations")


@cli.command()
@click.argument("query")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def search(query: str, db: str | None, fmt: str, limit: int) -> None:
    """Full-text search over stored titles and bodies (every word must match)."""
    settings = _settings_from({"db": db})
    with _open(settings.db) as store:
        hits = store.search_articles(query, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([hit.__dict__ for hit in hits], ensure_ascii=False, indent=2))
        return
    for hit in hits:
        click.echo(f"{hit.article_id}  {hit.title or '(untitled)'}")
        click.echo(f"    {hit.snippet}")


@cli.command(name="settings")
def settings_command() -> None:
    """List every setting with its environment variable, default and meaning."""
    for setting in SETTINGS:
        click.echo(f"{setting.name:14} {setting.env:24} default: {setting.default!r}")
        click.echo(f"{'':14} {setting.help}")


# -- the web app and the static site ------------------------------------------------------------------


@cli.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--watch", "follow", is_flag=True, help="Also follow the feeds, like `newsdesk watch`, in this process.")
@_fetch_options
def serve(db: str | None, host: str, port: int, follow: bool, **params: Any) -> None:
    """Serve the web app and JSON API over the store (read-only; POST /api/articles needs NEWSDESK_TOKEN).

    With --watch the feed poller runs beside it (taking the fetch options of `watch`); it waits if
    another watcher follows the store, and stops with the server.
    """
    settings = _settings_from({**params, "db": db})
    with _open(settings.db):
        pass  # fail early, with the usual message, when there is no store
    from newsdesk.serve.app import run

    click.echo(f"serving {settings.db} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    if settings.token:
        click.echo("POST /api/articles is on (NEWSDESK_TOKEN is set)", err=True)
    if follow:
        click.echo("following the feeds beside it (GET /api/feeds shows each one)", err=True)
    run(settings.db, token=settings.token, host=host, port=port, watch=settings if follow else None)


@cli.command()
@_db_option
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(db: str | None, out: Path, quiet: bool) -> None:
    """Write the static site: story pages, articles, outlets, search, story JSON and Atom feeds."""
    from newsdesk.publish.site import build_site

    settings = _settings_from({"db": db})
    with _open(settings.db) as store, _progress(quiet) as progress:
        report = build_site(store, out, progress=progress)
    click.echo(
        f"built {out}: {report.stories} stories, {report.articles} articles, {report.sources} outlets "
        f"({report.files} files)"
    )


# -- timeline ----------------------------------------------------------------------------------------


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--max-dates", type=click.IntRange(min=1), default=None, help="Keep the best-supported N dates.")
@click.option("--per-date", type=click.IntRange(min=1), default=1, show_default=True, help="Entries per date.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only dates from this day on.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only dates up to this day.")
@click.option(
    "--granularity",
    type=click.Choice(["day", "month", "year", "auto"]),
    default="auto",
    show_default=True,
    help="Dates of this granularity only; auto: every day, and a month or year only as background outside "
    "the span of the articles' publication dates, or when it is no longer than the spacing of the "
    "timeline's days over that span and no day date falls within it (a story of weeks gets days).",
)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@_fetch_options
def timeline(
    inputs: tuple[str, ...],
    max_dates: int | None,
    per_date: int,
    since: Any,
    until: Any,
    granularity: str,
    fmt: str,
    **params: Any,
) -> None:
    """Print one cited timeline of INPUT taken as one story (nothing is stored).

    The inputs are extracted and related in memory, so copies and rewrites count as one source.
    """
    from newsdesk.publish.markdown import timeline_markdown
    from newsdesk.write.timeline import build_timeline

    settings = _settings_from(params)
    with _open(":memory:", create=True) as store:
        report = ingest(inputs, store, settings, notify=_note)
        stored = store.list_articles()
        families = store.families(a.id for a in stored)
    for failure in report.failures:
        _error(failure)
    entries = build_timeline(
        stored,
        families,
        max_dates=max_dates,
        per_date=per_date,
        since=since.date() if since else None,
        until=until.date() if until else None,
        granularity=granularity,
    )
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
    else:
        click.echo(timeline_markdown(entries, stored), nl=False)
    if not report.ok:
        sys.exit(1)


# -- helpers -----------------------------------------------------------------------------------------


@contextmanager
def _open(url: str, *, create: bool = False) -> Iterator[Store]:
    if not create and "://" not in url and url != ":memory:" and not Path(url).exists():
        raise click.ClickException(f"no store at {url}: run `newsdesk ingest INPUT... --db {url}` first")
    try:
        store = open_store(url)
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str], None] | None]:
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def advance(location: str) -> None:
            bar.update(task, advance=1, description=location[-60:])

        yield advance


def _note(location: str, message: str) -> None:
    click.echo(f"note: {location}: {message}", err=True)


def _error(error: InputError) -> None:
    click.echo(f"error: {error}", err=True)


def _summary(item: Article) -> dict[str, Any]:
    return {
        "id": item.id, "title": item.title, "published": item.published, "source": item.source,
        "url": item.url, "kind": item.kind, "location": item.location,
    }  # fmt: skip


def _summary_line(item: Article) -> str:
    published = (item.published or "-")[:10]
    source = (item.source or "-")[:24]
    title = item.title or "(untitled)"
    return f"{item.id}  {published:10}  {source:24}  {item.kind:6}  {title}"


def _article_text(
    item: Article,
    locations: list[str] | None,
    family: FamilyMember | None = None,
    relations: list[Relation] | None = None,
) -> str:
    rows = [
        ("title", f"{item.title} (no title: its first words)" if item.title_derived else item.title or "(none)"),
        ("prefix", item.title_prefix),
        ("published", f"{item.published} (from {item.published_from})" if item.published else "(unknown)"),
        ("author", item.author),
        ("source", f"{item.source} (from its own credit line)" if item.source_from == "text" else item.source),
        ("url", item.url),
        ("language", item.language),
        ("kind", item.kind),
        ("excerpt", item.excerpt),
        ("id", item.id),
    ]
    if item.digest:
        rows.append(
            (
                "digest",
                f"claims {item.digest.claimed_article_count} articles; {len(item.digest.markers)} citation markers",
            )
        )
    if locations is None:
        rows.append(("location", item.location))
    else:
        rows.extend(("location", loc) for loc in locations)
    if family is not None:
        how = family.role if family.derived_from is None else f"{family.role} of {family.derived_from}"
        rows.append(("family", f"{family.family_id} ({how})"))
    for relation in relations or []:
        if relation.derived == item.id:
            rows.append(("relation", f"{relation.kind} of {relation.source} ({relation.score:.2f})"))
        else:
            rows.append(("relation", f"source of {relation.derived} ({relation.kind}, {relation.score:.2f})"))
    head = "\n".join(f"{name + ':':11}{value}" for name, value in rows if value)
    return f"{head}\n\n{item.body}\n"


def main() -> None:
    try:
        cli(standalone_mode=True)
    except NewsdeskError as exc:  # pragma: no cover - commands convert their own errors
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
