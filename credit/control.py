"""Licensing control that does not rely on the window's word: every licence is matched to a check of the same
firm and matter before issue, and every check's outcome is expected within a set number of working days."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from credit.models import LicensingCheck
from supervise import audit, clock
from supervise.config import tuning
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Enterprise, License, User
from supervise.workdays import WorkCalendar

log = logging.getLogger(__name__)


def check_row(check: LicensingCheck, firm: Enterprise) -> dict[str, Any]:
    """A licensing check as the lists of the 督查室 and the window show it."""
    return {
        "check_id": check.public_id,
        "uscc": firm.uscc,
        "enterprise_name": firm.name,
        "matter": check.matter,
        "matter_name": json.loads(check.response).get("matter", {}).get("name", check.matter),
        "decision": check.decision,
    }


def _instant(day: date) -> datetime:
    """The start of a Beijing day as the UTC instant the tables store."""
    return datetime.combine(day, datetime.min.time(), tzinfo=clock.BEIJING).astimezone(UTC)


def match_licence(session: Session, *, licence: License, check_id: str | None, actor: str) -> LicensingCheck | None:
    """Tie a recorded licence to its check, or mark it 未查询即许可 (a breach of its own kind); audited."""
    days = tuning().licence_check_days
    start, end = _instant(licence.issued_on - timedelta(days=days)), _instant(licence.issued_on + timedelta(days=1))
    query = select(LicensingCheck).where(
        LicensingCheck.enterprise_id == licence.enterprise_id,
        LicensingCheck.matter == licence.matter_code,
        col(LicensingCheck.checked_at) >= start,
        col(LicensingCheck.checked_at) < end,
    )
    if check_id:
        found = session.exec(query.where(LicensingCheck.public_id == check_id)).first()
        if found is None:
            raise field_error(
                "check_id",
                f"核查 {check_id} 不存在，或不是该企业该许可事项在发证前{days}日内的核查",
            )
    else:
        found = session.exec(query.order_by(col(LicensingCheck.checked_at).desc())).first()
    licence.check_id = found.public_id if found else None
    licence.unchecked = found is None
    session.add(licence)
    if found is None:
        ent = session.get(Enterprise, licence.enterprise_id)
        audit.record(
            session,
            actor=actor,
            action="license.unchecked",
            object_type="license",
            object_id=licence.id or 0,
            payload={"uscc": ent.uscc if ent else None, "matter": licence.matter_code, "window_days": days},
        )
    return found


def outcome_due(calendar: WorkCalendar, checked_at: datetime) -> date:
    """The last day a check's outcome may be reported (the set number of working days after the check)."""
    return calendar.add_working_days(clock.to_beijing(checked_at).date(), tuning().outcome_report_days)


def unreported_checks(session: Session, *, today: date | None = None) -> list[dict[str, Any]]:
    """Checks whose outcome was not reported within the set number of working days (oldest first)."""
    today, calendar = today or clock.today(), work_calendar(session)
    rows = session.exec(
        select(LicensingCheck, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(LicensingCheck.enterprise_id))
        .where(col(LicensingCheck.outcome_reported_at).is_(None))
        .order_by(col(LicensingCheck.checked_at))
    ).all()
    return [
        check_row(c, e) | {"checked_at": clock.to_beijing(c.checked_at).isoformat()}
        for c, e in rows
        if outcome_due(calendar, c.checked_at) < today
    ]


def unchecked_licences(session: Session) -> list[dict[str, Any]]:
    """Licences recorded with no check of their firm and matter before issue (未查询即许可)."""
    rows = session.exec(
        select(License, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(License.enterprise_id))
        .where(col(License.unchecked).is_(True))
        .order_by(col(License.issued_on), col(License.id))
    ).all()
    return [
        {
            "license_id": lic.id,
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "matter": lic.matter_code,
            "issued_on": lic.issued_on.isoformat(),
        }
        for lic, e in rows
    ]


def office_of(session: Session, user_id: int | None) -> list[int]:
    """The accounts of a window's office: the user's department, or the user alone (none for the command line)."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return []
    if not user.department_id:
        return [user.id or 0]
    return [uid or 0 for uid in session.exec(select(User.id).where(User.department_id == user.department_id)).all()]


def pending_checks(session: Session, *, user_id: int | None, limit: int = 50) -> list[dict[str, Any]]:
    """The checks of this window (the user's department) still waiting for their outcome, newest first."""
    office = office_of(session, user_id)
    if not office:
        return []
    today, calendar = clock.today(), work_calendar(session)
    rows = session.exec(
        select(LicensingCheck, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(LicensingCheck.enterprise_id))
        .where(col(LicensingCheck.outcome_reported_at).is_(None), col(LicensingCheck.checked_by).in_(office))
        .order_by(col(LicensingCheck.checked_at).desc())
        .limit(limit)
    ).all()
    return [
        check_row(c, e)
        | {
            "checked_at": c.checked_at,
            "overdue": outcome_due(calendar, c.checked_at) < today,
            "measures": json.loads(c.response)["measures"],
        }
        for c, e in rows
    ]
