"""Per-process cache of the credit reference data the licensing check reads on every call.

Licensing matters, list-type rules and the 联合奖惩措施 catalogue are loaded by seeding or migrations and are
not edited through the application, so each app instance keeps them for SUPERVISE_REFERENCE_TTL seconds
(default 60) instead of querying them on every check.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from credit.models import LicenseMatter, ListType, SanctionMeasure
from credit.rules import ListRule, Measure
from supervise.config import tuning


@dataclass(frozen=True)
class Reference:
    matters: dict[str, str]  # code -> name
    rules: dict[str, ListRule]
    catalogue: tuple[Measure, ...]
    loaded_at: float


def _load(session: Session) -> Reference:
    return Reference(
        matters={m.code: m.name for m in session.exec(select(LicenseMatter)).all()},
        rules={t.code: t.rule() for t in session.exec(select(ListType)).all()},
        catalogue=tuple(
            Measure(m.list_type, m.matter, m.effect, m.text, m.legal_basis)
            for m in session.exec(select(SanctionMeasure)).all()
        ),
        loaded_at=time.monotonic(),
    )


# One entry per engine, i.e. per application instance; it goes when the engine does.
_cache: weakref.WeakKeyDictionary[Engine, Reference] = weakref.WeakKeyDictionary()


def reference(session: Session) -> Reference:
    """The reference data, from this engine's cache when fresh enough."""
    ttl = tuning().reference_ttl
    engine = session.get_bind()
    if ttl <= 0 or not isinstance(engine, Engine):
        return _load(session)
    ref = _cache.get(engine)
    if ref is None or time.monotonic() - ref.loaded_at > ttl or not ref.matters:
        ref = _cache[engine] = _load(session)
    return ref
