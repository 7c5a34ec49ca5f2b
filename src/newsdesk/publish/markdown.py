"""A story page in Markdown, in the shape of a news aggregator's story page."""

from __future__ import annotations

from newsdesk.records import StoryPage


def story_markdown(page: StoryPage) -> str:
    articles = "article" if page.article_count == 1 else "articles"
    sources = "independent source" if page.independent_source_count == 1 else "independent sources"
    lines = [
        f"# {page.title or '(untitled story)'}",
        "",
        f"Updated {page.updated} ({page.article_count} {articles}, {page.independent_source_count} {sources})",
        "",
    ]
    if page.summary:
        lines += [page.summary, ""]
    lines += ["## Sources", ""]
    numbers = {article.id: n for n, article in enumerate(page.articles, start=1)}
    for number, article in enumerate(page.articles, start=1):
        where = article.source or "unknown source"
        when = f", {article.published}" if article.published else ""
        title = article.title or "(untitled)"
        link = f"[{title}]({article.url})" if article.url else title
        role = article.role
        if article.derived_from:
            parent = numbers.get(article.derived_from)
            role += f" of [{parent}]" if parent else f" of {article.derived_from}"
        lines.append(f"{number}. {link}: {where}{when}; {role}")
    return "\n".join(lines) + "\n"
