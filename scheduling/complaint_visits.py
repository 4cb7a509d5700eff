"""The 核查 visits of 投诉举报, and the 复查 of a 责令改正 a 核查 led to, as directed pairs for the joint
scheduler: the firm, the window (受理 to the 核查 deadline; the 复查 window), the handling department's items
and the 核查's team. They bypass the draw's exclusions (a complaint is not a random pick) and count against
the per-firm caps as directed visits."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from inspections.complaints import rules
from inspections.complaints.models import Complaint
from inspections.disposals.models import Disposal
from inspections.disposals.rules import OPEN, RECTIFY
from inspections.draw.algorithm import ticket
from scheduling.algorithm import Member, Pair
from supervise.models import Department, Enterprise, Inspector


def complaint_pairs(
    session: Session, *, prefix: str, start: date, end: date
) -> tuple[list[Pair], dict[str, int], dict[str, int]]:
    """Directed pairs for the 核查 open in [start, end]; with the firm and inspector ids they name."""
    rows = session.exec(
        select(Complaint, Enterprise, Department)
        .join(Enterprise, col(Enterprise.id) == col(Complaint.enterprise_id))
        .join(Department, col(Department.id) == col(Complaint.department_id))
        .where(
            col(Complaint.state).in_([rules.ACCEPTED, rules.VERIFYING]),
            col(Enterprise.region_code).startswith(prefix),
            col(Complaint.check_start) <= end,
            col(Complaint.check_end) >= start,
            Complaint.check_team != "",
        )
        .order_by(col(Complaint.ticket_no))
    ).all()
    pairs: list[Pair] = []
    firm_ids: dict[str, int] = {}
    inspector_ids: dict[str, int] = {}
    rechecks = session.exec(
        select(Disposal, Complaint, Enterprise, Department)
        .join(Complaint, col(Complaint.id) == col(Disposal.complaint_id))
        .join(Enterprise, col(Enterprise.id) == col(Disposal.enterprise_id))
        .join(Department, col(Department.id) == col(Disposal.department_id))
        .where(
            Disposal.kind == RECTIFY,
            Disposal.status == OPEN,
            col(Enterprise.region_code).startswith(prefix),
            col(Disposal.recheck_start) <= end,
            col(Disposal.recheck_end) >= start,
        )
        .order_by(col(Disposal.number))
    ).all()
    visits = [(c.ticket_no, c, ent, dept, c.check_start, c.check_end) for c, ent, dept in rows]
    # the 复查 carries the disposal's number, as a visit's carries its task codes
    visits += [(d.number, c, ent, dept, d.recheck_start, d.recheck_end) for d, c, ent, dept in rechecks]
    badges = {b for _code, c, *_rest in visits for b in c.check_team.split(",") if b}
    inspectors = {i.badge_no: i for i in session.exec(select(Inspector).where(col(Inspector.badge_no).in_(badges)))}
    for code, complaint, ent, dept, first, last in visits:
        assert first is not None and last is not None
        team = []
        for badge in complaint.check_team.split(","):
            inspector_ids[badge] = inspectors[badge].id or 0
            team.append(Member(badge, dept.code, ticket(code, "inspector", f"{ent.uscc}|{badge}")))
        firm_ids[ent.uscc] = ent.id or 0
        pairs.append(
            Pair(
                code,  # the 核查 carries its 工单号 where a visit carries task codes
                ent.uscc,
                ent.township_code or ent.region_code,
                max(first, start),
                min(last, end),
                True,
                (dept.code,),
                tuple(sorted(c for c in complaint.check_items.split(",") if c)),
                tuple(sorted(team, key=lambda m: m.ticket)),
            )
        )
    return pairs, firm_ids, inspector_ids
