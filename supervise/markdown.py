"""Render the project's own Markdown documents (the draw algorithm) as HTML for the public pages."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # Raw HTML stays off: the documents are ours, but nothing rendered here should be able to inject markup.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Return the HTML of a CommonMark document with tables."""
    return Markup(_renderer().render(text))  # noqa: S704 - markdown-it escapes the text (html disabled)
