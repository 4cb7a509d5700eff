"""Demo 投诉举报 of 上城区 in November 2026, taken through the services on the days they happened: one 工单 in
every state, an overdue one never signed, a repeat complaint (its 核查 ordered a correction whose 复查 is in the
December schedule), a firm named only by a short name (to match), and a 举报 whose 核查 (a directed visit in the
quarter's schedule) led to 立案, a filed case on /disposals/cases, its 实名 reporter told within 5 working days.
Also 调解 under 总局令第20号: one agreed with a 调解书, one 中止 for testing, 终止 and notified, whose 线索 opened
a 核查; an anonymous 举报; and a mixed 投诉举报 split in two on receipt."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from inspections.complaints import matching, mediation, separation, services, workflow
from inspections.complaints.schemas import ComplaintIn
from inspections.models import CheckPoint, InspectionItem
from supervise import clock
from supervise.clock import FixedClock
from supervise.models import Enterprise, Inspector, User

log = logging.getLogger(__name__)
ACTOR = "seed:complaints"
HOTLINE = "user:hotline"


def _at(day: date, hour: int = 2) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)  # 10:00 in Beijing at hour 2


def _ticket(n: int, day: date, category: str, firm: Enterprise | None, content: str, **kw: Any) -> ComplaintIn:
    return ComplaintIn.model_validate({
        "ticket_no": f"ZJ12345-{day:%Y%m%d}-{n:04d}", "received_at": datetime.combine(day, time(1), tzinfo=UTC),
        "channel": kw.pop("channel", "12345热线"), "category": category, "uscc": firm.uscc if firm else None,
        "firm_name": kw.pop("firm_name", firm.name if firm else ""), "content": content,
        "complainant_name": kw.pop("name", "张先生"), "complainant_phone": kw.pop("phone", "13906541234"), **kw,
    })  # fmt: skip


D = date
# state it ends in: (number, received, category, firm, content, contact and flags, [(day, step, arguments)])
STORIES: tuple[tuple[str, int, date, str, int, str, dict[str, Any], list[tuple[date, str, dict[str, Any]]]], ...] = (
    ("replied", 1, D(2026, 11, 2), "投诉", 0, "购买的预包装食品已过保质期，要求退货赔偿", {}, [
        (D(2026, 11, 3), "sign", {}),
        (D(2026, 11, 5), "accept", {"decision": "受理"}),
        (D(2026, 11, 10), "verify", {"visited_on": D(2026, 11, 10), "finding": "部分属实",
                                     "note": "经核实，涉事批次食品已下架；经营者同意退货"}),
        (D(2026, 11, 10), "mediate", {"action": "start"}),
        (D(2026, 11, 12), "mediate", {"action": "agree", "paper": "制作调解书", "note": "经营者退货并赔偿"}),
        (D(2026, 11, 12), "close", {"note": "经调解，经营者退货并赔偿，双方达成一致"}),
        (D(2026, 11, 13), "reply", {"channel": "电话", "text": "您的投诉已调解完毕，经营者已退货赔偿"}),
    ]),
    ("filed", 2, D(2026, 11, 4), "举报", 1, "后厨卫生条件差，使用过期原料",
     {"name": "李女士", "phone": "13757120001", "confidential": True}, [
        (D(2026, 11, 5), "sign", {}),
        (D(2026, 11, 5), "accept", {"check": True}),
        (D(2026, 11, 18), "verify", {"visited_on": D(2026, 11, 17), "finding": "属实", "check": True,
                                     "note": "现场检查发现过期原料两批次，已扣押", "case_decision": "立案",
                                     "case_number": "杭上市监立〔2026〕288号"}),
        (D(2026, 11, 19), "notice_reporter", {"notified_on": D(2026, 11, 19), "channel": "电话"}),
        (D(2026, 11, 20), "close", {"note": "已立案查处（杭上市监立〔2026〕288号）"}),
        (D(2026, 11, 23), "reply", {"channel": "书面", "text": "您举报的问题经核查属实，已依法立案查处"}),
    ]),
    ("rejected", 3, D(2026, 11, 16), "投诉", 2, "装修合同纠纷，要求退还定金", {}, [
        (D(2026, 11, 17), "sign", {}),
        (D(2026, 11, 18), "accept", {"decision": "不予受理", "ground": "3", "reason": "经营用途的装修合同"}),
    ]),
    ("verified", 4, D(2026, 11, 12), "投诉", 3, "价格标示与结算不一致", {}, [
        (D(2026, 11, 13), "sign", {}),
        (D(2026, 11, 16), "accept", {"decision": "受理"}),
        (D(2026, 11, 25), "verify", {"visited_on": D(2026, 11, 24), "finding": "不属实", "note": "明码标价与结算一致"}),
    ]),
    ("closed_repeat", 5, D(2026, 11, 9), "投诉", 0, "同一门店再次销售过期食品", {"name": "王先生"}, [
        (D(2026, 11, 10), "sign", {}),
        (D(2026, 11, 12), "accept", {"decision": "受理", "check": True}),
        (D(2026, 11, 26), "verify", {"visited_on": D(2026, 11, 26), "finding": "属实", "note": "再次发现过期食品",
                                     "check": True}),
        (D(2026, 11, 26), "rectify", {"reason": "销售超过保质期的食品", "deadline_days": 5,
                                      "legal_basis": "《中华人民共和国食品安全法》（条号待核对）"}),
        (D(2026, 11, 27), "close", {"note": "已责令改正，复查列入十二月联合检查排期"}),
    ]),
    ("verifying", 6, D(2026, 11, 25), "举报", 4, "无证经营食品，卫生状况差", {"name": "", "phone": ""}, [
        (D(2026, 11, 26), "sign", {}),
        (D(2026, 11, 27), "accept", {"check": True}),
    ]),
    ("accepted", 7, D(2026, 11, 24), "投诉", 5, "网购商品与描述不符", {}, [
        (D(2026, 11, 24), "sign", {}),
        (D(2026, 11, 26), "accept", {"decision": "受理"}),
    ]),
    ("signed", 8, D(2026, 11, 27), "投诉", 6, "预付卡消费无法退款", {}, [(D(2026, 11, 30), "sign", {})]),
    ("overdue", 9, D(2026, 11, 19), "举报", 7, "销售三无产品", {}, []),  # never signed: overdue
    ("mediation_ended", 11, D(2026, 11, 3), "投诉", 1, "购买的电热水壶使用一次即损坏，要求退换", {"name": "赵先生"}, [
        (D(2026, 11, 4), "sign", {}),
        (D(2026, 11, 5), "accept", {"decision": "受理"}),
        (D(2026, 11, 6), "mediate", {"action": "start"}),
        (D(2026, 11, 9), "mediate", {"action": "suspend", "reason": "testing", "note": "双方共同委托检测机构检测"}),
        (D(2026, 11, 16), "mediate", {"action": "resume", "note": "检测报告：产品存在质量缺陷"}),
        (D(2026, 11, 18), "clue", {"origin": "clue", "content": "调解中发现该店销售的同型号电热水壶无3C认证标志"}),
        (D(2026, 11, 20), "mediate", {"action": "terminate", "ground": "4", "note": "被投诉人明确表示不同意退换"}),
        (D(2026, 11, 23), "notice_end", {"notified_on": D(2026, 11, 23), "channel": "书面"}),
        (D(2026, 11, 24), "close", {"note": "调解终止，已告知双方；违法线索另立核查"}),
    ]),
    ("split", 12, D(2026, 11, 30), "投诉举报", 2, "购买的儿童玩具有异味要求退货；该店还在销售无中文标签的玩具", {}, []),
)  # fmt: skip


def seed_complaints(session: Session) -> dict[str, Any]:
    """Take the demo 工单 through their steps; return their numbers by the state they end in."""
    firms = session.exec(
        select(Enterprise)
        .where(Enterprise.region_code == "330102", Enterprise.status == "存续")
        .order_by(col(Enterprise.id))
        .limit(12)
    ).all()
    if not firms:  # a demo too small to have firms in 上城区
        return {}
    firms = [firms[i % len(firms)] for i in range(9)]  # a small demo reuses its few firms
    officer = session.exec(select(User).where(User.username == "inspector")).one()
    team = sorted(
        i.badge_no
        for i in session.exec(
            select(Inspector).join(User, col(User.id) == col(Inspector.user_id))
            .where(col(User.username).in_(["inspector", "inspector2"]))
        ).all()
    )  # fmt: skip
    item = session.exec(select(InspectionItem).where(InspectionItem.code == "SCJG-002")).one()
    points = [str(p.id) for p in session.exec(select(CheckPoint).where(CheckPoint.item_id == item.id)).all()]
    # the 核查 of the filed 举报 found the first point not met
    outcome = dict.fromkeys(points, "符合") | ({points[0]: "不符合"} if points else {})
    steps: dict[str, Any] = {
        "sign": workflow.sign, "accept": workflow.accept, "verify": workflow.verify, "close": workflow.close,
        "reply": workflow.reply, "rectify": workflow.order_rectification, "mediate": mediation.mediate,
        "notice_reporter": workflow.notify_reporter, "notice_end": mediation.notify_end,
        "clue": separation.open_report,
    }  # fmt: skip
    out: dict[str, str] = {}
    for state, n, day, category, firm, content, extra, story in STORIES:
        data = _ticket(n, day, category, firms[firm], content, **extra)
        with clock.using(FixedClock(_at(day))):
            services.receive(session, data=data, source="api", actor=HOTLINE)
        for on, name, args in story:
            args = dict(args)
            if args.pop("check", False):
                args |= {"points": outcome} if name == "verify" else {"team": team, "items": [item.code]}
            with clock.using(FixedClock(_at(on))):
                steps[name](session, ticket_no=data.ticket_no, user=officer, actor=f"user:{officer.username}", **args)
        out[state] = data.ticket_no
    # A 工单 naming its firm by a short name only: an officer matches it (candidates on its page).
    short = matching.core(firms[8].name) or firms[8].name
    data = _ticket(10, D(2026, 11, 30), "投诉", None, "美容卡到期后拒绝服务", firm_name=short, firm_address="上城区")
    with clock.using(FixedClock(_at(D(2026, 11, 30)))):
        services.receive(session, data=data, source="api", actor=HOTLINE)
    out["to_match"] = data.ticket_no
    log.info("seeded %d complaints", len(out))
    return out
