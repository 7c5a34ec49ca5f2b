"""A story page in Markdown, in the shape of a news aggregator's story page (and more honest than one).

Headline; "Updated ... (N articles, K independent sources)"; the summary; key points with bold headlines;
a dated timeline; where the sources disagree; and a numbered source list. Every claim ends with ``[n]``
citations that resolve to that list, which names each source, its role in its family and what it was
derived from. The numbers are the page's one numbering (:class:`~newsdesk.records.CitationRefs`), the
same in the HTML and the JSON. A claim shows at most five sources, strongest first, then "and N more";
the others are listed under their sources, with the quote's sub-anchor (``7.2``). The exact quoted
spans are in the JSON (``newsdesk story ID --format json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsdesk.records import (
    INLINE_SOURCES,
    Article,
    Citation,
    CitationRefs,
    StorylinePage,
    StoryPage,
    TimelineEntry,
)

if TYPE_CHECKING:
    from newsdesk.serve.views import StorylineContext

__all__ = ["story_markdown", "storyline_markdown", "timeline_markdown"]


def outlets_unknown(page: StoryPage) -> str:
    """ ", 2 of them with no known outlet" when some independent sources name no outlet, else ""."""
    unknown = page.sources_without_outlet
    if not unknown:
        return ""
    if unknown == page.independent_source_count:
        return ", no outlet known" if unknown > 1 else ", its outlet unknown"
    return f", {unknown} of them with no known outlet"


def story_markdown(page: StoryPage, *, storyline: StorylineContext | None = None) -> str:
    """The page in Markdown; with ``storyline``, a line names the storyline and its other stories."""
    refs = CitationRefs(page)
    numbers = refs.numbers
    # Citations left out of a claim's inline list, by source: (sub-anchor, where the claim is, quote).
    more: dict[int, dict[tuple[str, str], str]] = {}

    def cites(citations: Iterable[Citation], where: str) -> str:
        sources = refs.sources(citations)
        shown = "".join(f"[{s.number}]" for s in sources[:INLINE_SOURCES])
        if len(sources) <= INLINE_SOURCES:
            return shown
        for source in sources[INLINE_SOURCES:]:
            for c in source.citations:
                more.setdefault(source.number, {}).setdefault((refs.ref(c) or "", where), c.quote)
        return f"{shown} and {len(sources) - INLINE_SOURCES} more"

    articles = "article" if page.article_count == 1 else "articles"
    sources = "independent source" if page.independent_source_count == 1 else "independent sources"
    lines = [
        f"# {_inline(page.title or '(untitled story)')}",
        "",
        f"Updated {page.updated} ({page.article_count} {articles}, {page.independent_source_count} {sources}"
        f"{outlets_unknown(page)})",
        "",
    ]
    if storyline is not None:
        line = storyline.storyline
        others = "; ".join(f"{_inline(s.title or '(untitled story)')} (`{s.id}`)" for s in storyline.siblings)
        lines += [
            f"Part of the storyline {_inline(line.title or '(untitled storyline)')} (`{line.id}`, "
            f"{line.story_count} stories). Its other stories: {others}.",
            "",
        ]
    if page.written_from:
        lines += [f"Written from the latest {page.written_from} of the {page.article_count} articles.", ""]
    if page.summary_sentences:
        lines += [
            " ".join(f"{_inline(s.text)} {cites(s.citations, 'the summary')}".strip() for s in page.summary_sentences),
            "",
        ]
    elif page.summary:
        lines += [_inline(page.summary), ""]
    if page.key_points:
        lines += ["## Key points", ""]
        for n, point in enumerate(page.key_points, start=1):
            support = f" ({point.support} independent sources)" if point.support > 1 else ""
            if point.support == 1 and page.independent_source_count > 1:
                support = " (single source)"  # the others do not say it, or say it the other way
            lines += [
                f"**{_inline(point.headline)}**{support}  ",
                f"{_inline(point.text)} {cites(point.citations, f'key point {n}')}",
                "",
            ]
    if page.timeline:
        lines += ["## Timeline", ""]
        lines += [_timeline_line(e, cites(e.citations, f"the timeline, {e.date}")) for e in page.timeline]
        lines.append("")
    if page.discrepancies:
        lines += ["## Where sources disagree", ""]
        for discrepancy in page.discrepancies:
            where = f"where sources disagree, {discrepancy.about}"
            claims = "; ".join(f"{_inline(c.value)} {cites(c.citations, where)}" for c in discrepancy.claims)
            lines.append(f"- **{_inline(discrepancy.about)}**: {claims}")
        lines.append("")
    lines += ["## Sources", ""]
    for number, article in enumerate(page.articles, start=1):
        where = article.source or "unknown source"
        when = f", {article.published}" if article.published else ""
        title = _inline(article.title or "(untitled)")
        link = f"[{title}]({article.url})" if article.url else title
        if article.title_derived:
            link += " (no title: its first words)"
        role = article.role
        if article.derived_from:
            parent = numbers.get(article.derived_from)
            role += f" of [{parent}]" if parent else f" of {article.derived_from}"
        lines.append(f"{number}. {link}: {_inline(where)}{when}; {role}")
        indent = " " * len(f"{number}. ")
        for (ref, claim), quote in more.get(number, {}).items():
            lines.append(f"{indent}- {ref}, also cited in {_inline(claim)}: “{_inline(quote)}”")
    if page.writer != "extractive":
        lines += [
            "",
            f"Written by {page.writer}; {page.dropped_sentences} of the {page.written_sentences} sentences it "
            "wrote were dropped for want of support in the sources they cite.",
        ]
    return "\n".join(lines) + "\n"


def storyline_markdown(page: StorylinePage) -> str:
    """A storyline's page: its stories newest first, the latest key points, a timeline, the cited sources."""
    refs = CitationRefs(page)

    def cites(citations: Iterable[Citation]) -> str:
        sources = refs.sources(citations)
        shown = "".join(f"[{s.number}]" for s in sources[:INLINE_SOURCES])
        more = len(sources) - INLINE_SOURCES
        return f"{shown} and {more} more" if more > 0 else shown

    stories = "story" if page.story_count == 1 else "stories"
    articles = "article" if page.article_count == 1 else "articles"
    sources = "independent source" if page.independent_source_count == 1 else "independent sources"
    since = f" since {page.first_published}" if page.first_published else ""
    lines = [
        f"# {_inline(page.title or '(untitled storyline)')}",
        "",
        f"Storyline: {page.story_count} {stories}, {page.article_count} {articles}, {page.independent_source_count} "
        f"{sources}{since}; updated {page.updated}",
        "",
        "## Stories",
        "",
    ]
    for story in page.stories:
        count = f"{story.article_count} article{'s' if story.article_count != 1 else ''}"
        lines.append(f"- **{_inline(story.title or '(untitled story)')}** ({story.id}): {story.updated[:10]}, {count}")
    lines.append("")
    if page.latest_summary or page.key_points:
        lines += [f"## Latest (story {page.key_points_from})", ""]
        if page.latest_summary:
            lines += [" ".join(f"{_inline(s.text)} {cites(s.citations)}" for s in page.latest_summary), ""]
        for point in page.key_points:
            lines += [f"**{_inline(point.headline)}**  ", f"{_inline(point.text)} {cites(point.citations)}", ""]
    if page.timeline:
        lines += ["## Timeline", ""]
        lines += [_timeline_line(e, cites(e.citations)) for e in page.timeline]
        lines.append("")
    if page.articles:
        lines += ["## Sources", ""]
        for number, article in enumerate(page.articles, start=1):
            title = _inline(article.title or "(untitled)")
            link = f"[{title}]({article.url})" if article.url else title
            when = f", {article.published}" if article.published else ""
            lines.append(f"{number}. {link}: {_inline(article.source or 'unknown source')}{when}")
    return "\n".join(lines) + "\n"


def timeline_markdown(entries: Sequence[TimelineEntry], articles: Sequence[Article]) -> str:
    """A timeline alone (``newsdesk timeline``): one line per entry and the numbered list of cited sources."""
    by_id = {a.id: a for a in articles}
    numbers: dict[str, int] = {}
    for entry in entries:
        for citation in entry.citations:
            numbers.setdefault(citation.article, len(numbers) + 1)
    lines = ["## Timeline", ""]
    for entry in entries:
        cited = "".join(f"[{n}]" for n in sorted({numbers[c.article] for c in entry.citations}))
        lines.append(_timeline_line(entry, cited))
    if not entries:
        lines.append("(no dated events found)")
    lines += ["", "## Sources", ""]
    for article_id, number in numbers.items():
        article = by_id.get(article_id)
        title = _inline(article.title or "(untitled)") if article else article_id
        if article and article.title_derived:
            title += " (no title: its first words)"
        where = article.source or article.url or article.location if article else ""
        when = f", {article.published}" if article and article.published else ""
        lines.append(f"{number}. {title}: {_inline(where or 'unknown source')}{when}")
    return "\n".join(lines) + "\n"


def _timeline_line(entry: TimelineEntry, cited: str) -> str:
    status = " (scheduled)" if entry.status == "scheduled" else ""
    return f"- **{entry.date}**{status}: {_inline(entry.text)} {cited}".rstrip()


def _inline(text: str) -> str:
    """Text safe inside one Markdown line: no line breaks, no raw HTML, no accidental emphasis or links."""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>":
        flat = flat.replace(char, "\\" + char)
    return flat
