"""Credit reference data for the demo: licensing matters, and the statutory rules of credit/law.py."""

from __future__ import annotations

from sqlmodel import Session

from credit.models import LicenseMatter
from credit.reference import install
from seeds.catalog import LICENSE_MATTERS


def seed_credit_reference(session: Session) -> dict[str, int]:
    """Load licensing matters, then the list types and measures of credit/law.py."""
    for code, name, kind, _probs, _years in LICENSE_MATTERS:
        session.add(LicenseMatter(code=code, name=name, department_kind=kind))
    session.flush()
    return {"matters": len(LICENSE_MATTERS), **install(session)}
