"""What every disposal path shares, with no dependency on the recording module (which uses it): numbering,
the audit record, and the 经营异常 proposal a finding makes by law recorded as the result's disposal."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from credit.models import ListEntry
from inspections.disposals import rules
from inspections.disposals.models import Disposal
from inspections.models import DrawTarget, InspectionResult
from supervise import audit, clock


def next_number(session: Session, target_id: int | None, complaint_id: int | None = None) -> str:
    """The next disposal number of a visit (CZ<year>-<visit>-<n>) or of a 工单's 核查 (CZ<year>-T<工单>-<n>);
    the visit or 工单 row is locked by the caller."""
    if target_id is None:
        n = session.exec(select(func.count()).select_from(Disposal).where(Disposal.complaint_id == complaint_id)).one()
        return f"CZ{clock.today():%Y}-T{complaint_id}-{n + 1}"
    n = session.exec(select(func.count()).select_from(Disposal).where(Disposal.target_id == target_id)).one()
    return f"CZ{clock.today():%Y}-{target_id}-{n + 1}"


def close_abnormal(disposal: Disposal, entry: ListEntry, actor: str) -> None:
    """Close a 经营异常 disposal on its proposal."""
    # The listing itself runs in the credit module with its own deadlines; the disposal is the proposal.
    disposal.status, disposal.closed_at, disposal.closed_by = rules.CLOSED, clock.now(), actor
    disposal.close_note = f"已由登记机关提出列入经营异常名录建议（信用条目 {entry.id}），列入决定由信用管理部门按期办理"


def open_abnormal_disposal(session: Session, *, result: InspectionResult, entry: ListEntry, actor: str) -> None:
    """Record the 经营异常 proposal a finding made by law as the result's disposal (谁登记、谁管理)."""
    if session.exec(select(Disposal.id).where(Disposal.entry_id == entry.id)).first():
        return
    target = session.get(DrawTarget, result.target_id)
    assert target is not None
    disposal = Disposal(
        number=next_number(session, result.target_id),
        result_id=result.id or 0,
        target_id=result.target_id,
        enterprise_id=target.enterprise_id,
        department_id=entry.department_id,
        kind=rules.ABNORMAL,
        reason=f"检查结果“{result.category}”依法列入经营异常名录",
        legal_basis=entry.legal_basis[:256],
        created_by=actor,
        entry_id=entry.id,
    )
    close_abnormal(disposal, entry, actor)
    session.add(disposal)
    session.flush()
    audit_disposal(session, disposal, "disposal.created", actor, {"entry": entry.id})


def audit_disposal(session: Session, disposal: Disposal, action: str, actor: str, extra: dict[str, Any]) -> None:
    """Write a disposal's change to the audit log."""
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="disposal",
        object_id=disposal.number,
        payload={
            "kind": disposal.kind,
            "status": disposal.status,
            "due": disposal.due and disposal.due.isoformat(),
            **extra,
        },
    )


def result_disposals(session: Session, result_id: int) -> int:
    """How many disposals a result has."""
    return int(session.exec(select(func.count()).select_from(Disposal).where(Disposal.result_id == result_id)).one())
