"""Canonical JSON: the one text form that is hashed, signed or compared (sorted keys, no spaces, UTF-8 as is)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def canonical_json(value: Any, *, default: Callable[[Any], Any] | None = None) -> str:
    """Return value as canonical JSON text (docs/draw-algorithm.md and the audit chain rely on this exact form)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=default)
