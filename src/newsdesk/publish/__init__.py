"""The publish stage: renderers of story pages (Markdown, JSON; HTML, the site and feeds to come)."""
