"""Locate a TrueType CJK font that reportlab can embed (it rejects CFF/PostScript outlines)."""

from __future__ import annotations

from pathlib import Path

from supervise.config import tuning

# (path, subfont index). All have TrueType (glyf) outlines and free licences.
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
)


def find_cjk_font() -> tuple[Path, int] | None:
    """Return the first usable CJK font: $SUPERVISE_CJK_FONT, else a known system font."""
    configured = tuning().cjk_font
    if configured:
        path = Path(configured)
        return (path, 0) if path.is_file() else None
    for candidate, index in CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path, index
    return None
