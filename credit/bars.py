"""Bars the law attaches to a penalty decision, whatever becomes of any list entry: who is barred, from what, until
when, and the checks at licensing and at registration of a firm or an officer. ID numbers never leave here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.law import COMPANY_LAW, FOOD_LAW
from credit.models import PersonBar
from credit.rules import Period
from supervise import audit, clock
from supervise.models import Enterprise


@dataclass(frozen=True)
class Bar:
    years: int
    source: dict[str, Any]
    effect: str  # what the barred may not do
    matters: tuple[str, ...]  # licensing matters refused while the bar runs


BARS: dict[str, Bar] = {
    # 食品安全法 第一百三十五条第一款: 被吊销许可证的食品生产经营者及其法定代表人、直接负责的主管人员和其他
    # 直接责任人员自处罚决定作出之日起五年内不得申请食品生产经营许可，或者从事食品生产经营管理工作、担任
    # 食品生产经营企业食品安全管理人员
    "food": Bar(
        5, {**FOOD_LAW, "article": "第一百三十五条第一款"},
        "不得申请食品生产经营许可，或者从事食品生产经营管理工作、担任食品生产经营企业食品安全管理人员",
        ("SCJG-SPSC", "SCJG-SPJY"),
    ),
    # 公司法 第一百七十八条第一款第（四）项: 担任因违法被吊销营业执照、责令关闭的公司、企业的法定代表人，并负有个人
    # 责任的，自该公司、企业被吊销营业执照、责令关闭之日起未逾三年，不得担任公司的董事、监事、高级管理人员
    "company": Bar(
        3, {**COMPANY_LAW, "article": "第一百七十八条第一款第（四）项"}, "不得担任公司的董事、监事、高级管理人员", ()
    ),
}  # fmt: skip
FIRM = "经营者"
PERSON_ROLES = ("法定代表人", "直接负责的主管人员", "其他直接责任人员")
FOOD_MEASURES = {"revoke_licence"}  # 吊销许可证 in the 食品 field
COMPANY_MEASURES = {"revoke_charter", "close"}  # 吊销营业执照、责令关闭


@dataclass(frozen=True)
class Barred:
    role: str
    name: str
    id_number: str | None


def years_after(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February), as every credit period counts."""
    return Period(years, "years").after(day)


def cite(kind: str) -> str:
    s = BARS[kind].source
    return f"{s['instrument']}{s['article']}"


def kinds_for(measures: Iterable[str], field: str | None, rep_responsible: bool) -> list[str]:
    """Which bars a decision's measures carry (pure): a food licence revoked; a charter revoked or a firm closed
    with the legal representative personally responsible."""
    chosen = set(measures)
    out = []
    if chosen & FOOD_MEASURES and (field or "").startswith("食品"):
        out.append("food")
    if chosen & COMPANY_MEASURES and rep_responsible:
        out.append("company")
    return out


def record(
    session: Session,
    *,
    kinds: Sequence[str],
    firm: Enterprise,
    decision_number: str,
    decided_on: date,
    persons: Sequence[Barred],
    actor: str,
) -> list[PersonBar]:
    """Attach the bars to the decision: the food bar binds the firm and every person named; the company bar binds
    the legal representative at the time of the decision (snapshotted here, whoever holds the post later)."""
    rep = Barred("法定代表人", firm.legal_rep_name, firm.legal_rep_id_number)
    made = []
    for kind in kinds:
        until = years_after(decided_on, BARS[kind].years)
        who = [Barred(FIRM, firm.name, None), rep, *persons] if kind == "food" else [rep]
        for p in who:
            made.append(
                PersonBar(
                    kind=kind, decision_number=decision_number, decided_on=decided_on, until=until,
                    enterprise_id=firm.id or 0, role=p.role, name=p.name, id_number=p.id_number, recorded_by=actor,
                )
            )  # fmt: skip
    session.add_all(made)
    if made:
        audit.record(
            session, actor=actor, action="credit.bars_recorded", object_type="enterprise", object_id=firm.uscc,
            payload={"decision": decision_number, "kinds": list(kinds), "persons": [b.role for b in made]},
        )  # fmt: skip
    return made


def in_force(
    session: Session, *, enterprise_id: int | None = None, id_numbers: Iterable[str] = (), today: date | None = None
) -> list[tuple[PersonBar, Enterprise]]:
    """Bars running today on this firm (as 经营者) or on any of these people."""
    today = today or clock.today()
    ids = sorted({i for i in id_numbers if i})
    who: list[Any] = []
    if enterprise_id is not None:
        who.append((col(PersonBar.enterprise_id) == enterprise_id) & (col(PersonBar.role) == FIRM))
    if ids:
        who.append(col(PersonBar.id_number).in_(ids))
    if not who:
        return []
    cond = who[0] if len(who) == 1 else who[0] | who[1]
    rows = session.exec(
        select(PersonBar, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(PersonBar.enterprise_id))
        .where(cond, col(PersonBar.until) > today)
        .order_by(col(PersonBar.until).desc())
    ).all()
    return [(bar, firm) for bar, firm in rows]


def persons_in_force(session: Session, *, today: date) -> list[tuple[PersonBar, Enterprise]]:
    """Every bar running today on a person: they are few, so a registration matches them here."""
    rows = session.exec(
        select(PersonBar, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(PersonBar.enterprise_id))
        .where(col(PersonBar.id_number).is_not(None), col(PersonBar.until) > today)
    ).all()
    return [(bar, firm) for bar, firm in rows]


def describe(bar: PersonBar, firm: Enterprise) -> str:
    """The bar in one Chinese sentence, for the window or the registrar (no ID number)."""
    who = f"{firm.name}" if bar.role == FIRM else f"{bar.name}（{firm.name}的{bar.role}）"
    return (
        f"{who}因 {bar.decided_on} 作出的行政处罚决定（{bar.decision_number}），{bar.until} 前"
        f"{BARS[bar.kind].effect}（{cite(bar.kind)}）"
    )
