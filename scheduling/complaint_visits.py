"""The 核查 visits of 投诉举报 as directed pairs for the joint scheduler: the firm, the window from 受理 to the
核查 deadline, the handling department's chosen items and its team. They bypass the draw's exclusions (a
complaint is not a random pick) and count against the per-firm caps as directed visits."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from inspections.complaints import rules
from inspections.complaints.models import Complaint
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
    badges = {b for c, _e, _d in rows for b in c.check_team.split(",") if b}
    inspectors = {i.badge_no: i for i in session.exec(select(Inspector).where(col(Inspector.badge_no).in_(badges)))}
    for complaint, ent, dept in rows:
        assert complaint.check_start is not None and complaint.check_end is not None
        team = []
        for badge in complaint.check_team.split(","):
            inspector_ids[badge] = inspectors[badge].id or 0
            team.append(Member(badge, dept.code, ticket(complaint.ticket_no, "inspector", f"{ent.uscc}|{badge}")))
        firm_ids[ent.uscc] = ent.id or 0
        pairs.append(
            Pair(
                complaint.ticket_no,  # the 核查 carries its 工单号 where a visit carries task codes
                ent.uscc,
                ent.township_code or ent.region_code,
                max(complaint.check_start, start),
                min(complaint.check_end, end),
                True,
                (dept.code,),
                tuple(sorted(c for c in complaint.check_items.split(",") if c)),
                tuple(sorted(team, key=lambda m: m.ticket)),
            )
        )
    return pairs, firm_ids, inspector_ids
