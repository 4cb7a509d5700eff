"""How a legal citation reads to officers and on an official paper.

An article number no text here confirmed is shown to officers with a caveat (条号待核对); an official paper
handed to a firm cites the instrument without it (GB/T 9704 papers carry no internal notes)."""

from __future__ import annotations

import re

CAVEAT = "条号待核对"
_NOTE = re.compile(r"（[^（）]*待核对[^（）]*）")


def for_paper(citation: str) -> str:
    """The citation as an official paper prints it: any parenthesised 待核对 caveat removed."""
    return _NOTE.sub("", citation)
