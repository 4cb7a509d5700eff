"""Charts drawn once for both media: a reportlab drawing embeds in a PDF and shows on a page as inline SVG."""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing


def svg(drawing: Drawing) -> str:
    """The drawing as inline SVG for a page (the same chart the PDF prints)."""
    text = renderSVG.drawToString(drawing)
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: it is embedded in HTML
