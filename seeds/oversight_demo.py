"""Demo 督查 follow-up of the third quarter, through the services on the days it happened: 西湖区应急管理局's
整改报告 returned and then accepted; 上城区卫生健康局 missing its deadline after a returned report, 约谈, missing
the new deadline, a 追责建议, and flagged again in the fourth quarter; an open 整改通知 of 西湖区市场监督管理局;
and a 督查通报 of 上城区市场监督管理局 waiting for the second member's confirmation."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, select

from reports.oversight import queries, reviews, rules, services
from reports.oversight.models import OversightNotice
from supervise import clock
from supervise.clock import FixedClock
from supervise.errors import ApiError
from supervise.models import Department, Region, User

log = logging.getLogger(__name__)
REGION, PERIOD = "330100", "2026Q3"


def _at(day: date, hour: int = 2) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def seed_oversight(session: Session) -> dict[str, Any]:
    """Issue, answer, return, accept and escalate the demo 整改 items; return their numbers."""
    users = {u.username: u for u in session.exec(select(User)).all()}
    first, second = users["supervisor"], users["supervisor2"]

    def decide(day: date, kind: str, payload: dict[str, Any], number: str | None = None) -> str:
        with clock.using(FixedClock(_at(day))):
            row = services.propose(session, kind=kind, user=first, actor="user:supervisor", payload=payload,
                                   number=number)  # fmt: skip
        with clock.using(FixedClock(_at(day, 3))):
            row = services.confirm(session, decision_id=row.id or 0, user=second, actor="user:supervisor2")
        return row.result or ""

    def approval(day: date) -> dict[str, str]:
        """The government's approval a critical 通报 or a 追责建议 goes out with (政府督查工作条例 第二十一条)."""
        return {
            "approved_by": "浙江省人民政府",
            "approved_on": day.isoformat(),
            "approval_ref": f"演示签批单 {day:%m%d}",
        }

    def notice(day: date, code: str, days: int | None, requirement: str, *, confirm: bool = True) -> str:
        dept = session.exec(select(Department).where(Department.code == code)).one()
        county = session.get(Region, dept.region_code)
        try:
            with clock.using(FixedClock(_at(day))):
                unit = services.flagged_unit(session, region=REGION, period=PERIOD, unit_kind="department",
                                             unit_code=code)  # fmt: skip
        except ApiError:  # a smaller demo may not make this unit lag: its story is left out
            log.info("%s is not lagging in %s: no 督查 story", code, PERIOD)
            return ""
        payload = {
            "region_code": REGION, "period": PERIOD, "unit_kind": "department", "unit_code": code,
            "department_code": code, "main_to": dept.name, "copy_to": f"{county.name if county else ''}人民政府办公室",
            "requirement": requirement, "days": days, "unit_name": unit["name"], "reasons": unit["reasons"],
            **approval(day),
        }  # fmt: skip
        if not confirm:
            with clock.using(FixedClock(_at(day))):
                services.propose(session, kind=rules.NOTICE, user=first, actor="user:supervisor", payload=payload)
            return ""
        decide(day, rules.NOTICE, payload)
        return str(session.exec(select(services.Rectification.number).where(
            services.Rectification.unit_code == code)).one())  # fmt: skip

    def report(day: date, number: str, username: str, text: str) -> None:
        with clock.using(FixedClock(_at(day))):
            services.submit_report(session, number=number, user=users[username], actor=f"user:{username}", text=text,
                                   attachments=[])  # fmt: skip

    accepted = notice(date(2026, 10, 12), "330106-YJGL", 10, "完成第三季度抽查任务剩余户数的检查并补录结果")
    if accepted:  # returned once, then accepted
        report(date(2026, 10, 20), accepted, "unit_yjgl", "已对剩余企业完成检查，结果已录入")
        decide(date(2026, 10, 22), rules.RETURN, {"reason": "未附检查记录，剩余户数与系统记录不一致"}, accepted)
        report(date(2026, 10, 26), accepted, "unit_yjgl", "补充检查记录表 6 份，系统记录已核对一致")
        decide(date(2026, 10, 28), rules.ACCEPT, {"reason": ""}, accepted)

    escalated = notice(date(2026, 10, 12), "330102-WSJK", 10, "完成第三季度抽查并在20个工作日内公示检查结果")
    if escalated:  # returned, deadline missed, 约谈, new deadline missed, 追责建议
        report(date(2026, 10, 23), escalated, "unit_wsjk", "已安排补查，结果将陆续公示")
        decide(date(2026, 10, 27), rules.RETURN, {"reason": "未说明未完成原因和完成时限，公示仍未完成"}, escalated)
        talk = {
            "held_on": "2026-11-03", "days": 5, "participants": "省督查室 王督查、钱督查；上城区卫生健康局 分管副局长",
            "minutes": "通报抽查完成率和公示超期情况，要求5个工作日内完成整改并重新提交整改报告",
        }  # fmt: skip
        decide(date(2026, 11, 3), rules.INTERVIEW, talk, escalated)
        proposal = "上城区卫生健康局约谈后仍未按期整改到位，建议对分管负责人进行诫勉谈话"
        accountable = {"recipient": "任免机关", "proposal": proposal, **approval(date(2026, 11, 12))}
        decide(date(2026, 11, 12), rules.ACCOUNTABILITY, accountable, escalated)

    open_item = notice(date(2026, 11, 20), "330106-SCJG", 20, "完成第三季度抽查任务剩余户数的检查")
    contested = None
    if (
        accepted and "supervisor3" in users
    ):  # 西湖区应急管理局 asks for 复核 of its 通报; the two who made it are recused, a third decides
        parent = session.exec(
            select(services.Rectification.notice_id).where(services.Rectification.number == accepted)
        ).one()
        number = session.exec(select(OversightNotice.number).where(OversightNotice.id == parent)).one()
        with clock.using(FixedClock(_at(date(2026, 10, 16)))):
            asked = reviews.request_review(
                session, number=number, user=users["unit_yjgl"], received_on=date(2026, 10, 13), actor="user:unit_yjgl",
                reasons="第三季度抽查剩余户数中有 3 户已注销，不应计入未完成户数，请求复核抽查完成率的认定",
            )  # fmt: skip
        contested = asked.id
        with clock.using(FixedClock(_at(date(2026, 11, 10)))):
            reviews.decide_review(
                session, review_id=asked.id or 0, user=users["supervisor3"], outcome="upheld", actor="user:supervisor3",
                decision="经核实，3 户注销发生在抽查结果录入期限届满之后，不影响完成率的认定，维持督查结论",
            )  # fmt: skip
    notice(
        date(2026, 11, 30), "330102-SCJG", None, "第三季度抽查完成率和结果公示及时率明显滞后，予以通报", confirm=False
    )
    # The fourth quarter's metrics so far: 上城区卫生健康局 is lagging again (its planned task was not drawn).
    rechecked = queries.recheck_period(session, region=REGION, period="2026Q4", actor="seed:oversight")
    log.info("seeded oversight: %s", rechecked)
    return {
        "accepted": accepted, "escalated": escalated, "open": open_item, "rechecked": rechecked, "review": contested,
    }  # fmt: skip
