"""Demo 双随机 data: the 抽查事项清单, plans, a completed joint task with results, and tasks in progress."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from inspections.draw.algorithm import commitment_of
from inspections.draw.ceremony import commit, freeze, reveal
from inspections.draw.services import perform_draw
from inspections.models import InspectionItem, Task
from inspections.planning import create_plan, create_task
from inspections.schemas import PlanCreate, TaskCreate
from seeds.catalog import BEACON_SOURCE
from seeds.checklists import seed_checklists
from seeds.disposals_demo import seed_disposals
from seeds.results_demo import seed_results
from supervise import clock
from supervise.clock import FixedClock

ACTOR = "seed"
DEFAULT_RATIOS = {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}

# code, department kind, name, legal basis, industries, licence matters, method, specialty, key item
ITEMS: tuple[tuple[str, str, str, str, str, str, str, str, bool], ...] = (
    ("SCJG-001", "SCJG", "企业公示信息情况检查", "《企业信息公示暂行条例》第十四条", "", "", "书面检查", "", False),
    (
        "SCJG-002",
        "SCJG",
        "食品经营者经营条件和食品安全管理检查",
        "《中华人民共和国食品安全法》第一百一十条",
        "",
        "SCJG-SPJY",
        "现场检查",
        "食品安全",
        True,
    ),
    (
        "SCJG-003",
        "SCJG",
        "特种设备使用单位安全管理检查",
        "《中华人民共和国特种设备安全法》第五十七条",
        "",
        "SCJG-TZSB",
        "现场检查",
        "特种设备",
        True,
    ),
    (
        "SCJG-004",
        "SCJG",
        "广告发布行为检查",
        "《中华人民共和国广告法》第四十九条",
        "L72",
        "",
        "网络监测",
        "广告监管",
        False,
    ),
    (
        "WSJK-001",
        "WSJK",
        "公共场所卫生检查",
        "《公共场所卫生管理条例》第十三条",  # 卫生监督员有权对公共场所进行现场检查
        "",
        "WSJK-GGCS",
        "现场检查",
        "公共场所卫生",
        False,
    ),
    (
        "WSJK-002",
        "WSJK",
        "医疗机构依法执业检查",
        "《医疗机构管理条例》第四十条",
        "",
        "WSJK-YLJG",
        "现场检查",
        "医疗执业",
        True,
    ),
    (
        "YJGL-001",
        "YJGL",
        "危险化学品经营单位安全条件检查",
        "《危险化学品安全管理条例》第六条",
        "",
        "YJGL-WHPJY",
        "现场检查",
        "危险化学品",
        True,
    ),
    (
        "YJGL-002",
        "YJGL",
        "工贸企业安全生产检查",
        "《中华人民共和国安全生产法》第六十五条",
        "C26,C33,C34",
        "",
        "现场检查",
        "安全生产",
        False,
    ),
    (
        "STHJ-001",
        "STHJ",
        "排污许可证执行情况检查",
        "《排污许可管理条例》第二十八条",
        "",
        "STHJ-PWXK",
        "现场检查",
        "排污许可",
        True,
    ),
    (
        "JTYS-001",
        "JTYS",
        "道路运输经营者经营行为检查",
        "《中华人民共和国道路运输条例》第五十九条",
        "",
        "JTYS-DLYS",
        "现场检查",
        "道路运输",
        False,
    ),
    (
        "WHLY-001",
        "WHLY",
        "娱乐场所经营活动检查",
        "《娱乐场所管理条例》第三十二条",  # 工作人员依法履行监督检查职责时，有权进入娱乐场所
        "",
        "WHLY-YLCS",
        "现场检查",
        "演出娱乐",
        False,
    ),
    (
        "WHLY-002",
        "WHLY",
        "旅行社经营行为检查",
        "《旅行社条例》第四十一条",
        "",
        "WHLY-LXS",
        "书面检查",
        "旅游市场",
        False,
    ),
    (
        "ZJ-001",
        "ZJ",
        "建筑业企业资质动态核查",
        "《建筑业企业资质管理规定》第二十四条",
        "",
        "ZJ-JZZZ",
        "书面检查",
        "建筑市场",
        False,
    ),
    (
        "WSJK-003",
        "WSJK",
        "用人单位职业病防治情况检查",
        "《中华人民共和国职业病防治法》第六十二条",
        "",
        "",
        "现场检查",
        "",
        False,
    ),
    (
        "YJGL-003",
        "YJGL",
        "生产经营单位安全生产主体责任落实情况检查",
        "《中华人民共和国安全生产法》第六十五条",
        "",
        "",
        "现场检查",
        "",
        False,
    ),
    (
        "NYNC-001",
        "NYNC",
        "农药经营单位经营行为检查",
        "《农药管理条例》第四十一条",
        "",
        "NYNC-NYJY",
        "现场检查",
        "农资质量",
        False,
    ),
    (
        "NYNC-002",
        "NYNC",
        "兽药经营企业检查",
        "《兽药管理条例》第四十四条",  # 县级以上人民政府兽医行政管理部门行使兽药监督管理权
        "",
        "NYNC-SYJY",
        "现场检查",
        "兽药饲料",
        False,
    ),
)


def run_ceremony(
    session: Session,
    rng: random.Random,
    task: Task,
    secrets: dict[str, str],
    *,
    drawn_at: datetime,
    beacon: tuple[str, str],
) -> None:
    """Commit, freeze (fixing the beacon's issue), reveal and draw a task as it happened before `drawn_at`.

    Commitments two days earlier, the freeze the day before, the beacon's draw 90 minutes and the reveals an
    hour before the draw, as the public timeline and the v2 record show them."""
    issue, value = beacon
    with clock.using(FixedClock(drawn_at - timedelta(days=2))):
        for p, secret in secrets.items():
            commit(session, task=task, participant=p, commitment=commitment_of(secret), actor=ACTOR)
    with clock.using(FixedClock(drawn_at - timedelta(days=1))):
        plan = {"source": BEACON_SOURCE, "issue": issue, "at": drawn_at - timedelta(minutes=90)}
        # a salt from the demo's seed: the same seed gives the same draws (a real freeze draws a fresh one)
        freeze(session, task=task, actor=ACTOR, beacon=plan, salt=f"{rng.getrandbits(256):064x}")
    with clock.using(FixedClock(drawn_at - timedelta(hours=1))):
        for p, secret in secrets.items():
            reveal(session, task=task, participant=p, secret=secret, actor=ACTOR)
    with clock.using(FixedClock(drawn_at)):
        perform_draw(session, task_code=task.code, actor=ACTOR, beacon={"value": value}, now=drawn_at)


def _ceremony(
    session: Session, rng: random.Random, task: Task, participants: list[str], beacon: tuple[str, str]
) -> None:
    # The demo's third quarter is history: its draws took place the week before the window opened.
    drawn_at = datetime.combine(task.window_start - timedelta(days=6), time(1, 30), tzinfo=UTC)
    secrets = {p: f"{rng.getrandbits(128):032x}" for p in participants}
    run_ceremony(session, rng, task, secrets, drawn_at=drawn_at, beacon=beacon)


def seed_inspections(session: Session, *, seed: int) -> dict[str, Any]:
    """Load the item list, plans and demo tasks of 上城区 and 西湖区."""
    rng = random.Random(f"inspections:{seed}")
    for code, kind, name, basis, industries, matters, method, specialty, key in ITEMS:
        session.add(
            InspectionItem(
                code=code,
                department_kind=kind,
                name=name,
                legal_basis=basis,
                scope_industries=industries,
                scope_matters=matters,
                method=method,
                specialty=specialty,
                key_item=key,
            )
        )
    session.flush()
    checklists = seed_checklists(session)  # before the results: visits are recorded point by point
    for county in ("330102", "330106"):
        for kind in ("SCJG", "WSJK", "YJGL"):
            for quarter in (3, 4):
                create_plan(
                    session,
                    actor=ACTOR,
                    data=PlanCreate(
                        code=f"P-{county}-{kind}-2026Q{quarter}",
                        department_code=f"{county}-{kind}",
                        title=f"2026年第{'三四'[quarter - 3]}季度“双随机、一公开”抽查计划",
                        year=2026,
                        quarter=quarter,
                    ),
                )

    def task(code: str, county: str, kinds: tuple[str, ...], items: list[str], quarter: int, title: str) -> Task:
        start, end = (date(2026, 7, 1), date(2026, 9, 30)) if quarter == 3 else (date(2026, 10, 1), date(2026, 12, 31))
        return create_task(
            session,
            actor=ACTOR,
            data=TaskCreate(
                code=code,
                plan_code=f"P-{county}-{kinds[0]}-2026Q{quarter}",
                title=title,
                region_code=county,
                department_codes=[f"{county}-{k}" for k in kinds],
                item_codes=items,
                window_start=start,
                window_end=end,
                ratios=DEFAULT_RATIOS,
                team_size=2 if len(kinds) <= 2 else len(kinds),
                max_per_inspector=30,
            ),
        )

    joint = task(
        "330102-2026Q3-J01",
        "330102",
        ("SCJG", "WSJK"),
        ["SCJG-001", "SCJG-002", "WSJK-001"],
        3,
        "上城区2026年第三季度餐饮住宿行业部门联合抽查",
    )
    _ceremony(
        session,
        rng,
        joint,
        ["330102-SCJG", "330102-WSJK", "督查室"],
        ("2026182期", "5 2 8"),
    )
    recorded = seed_results(session, rng, joint, overdue=2)
    disposals = seed_disposals(session, task=joint, today=clock.today())
    second = task(
        "330106-2026Q3-J01",
        "330106",
        ("SCJG", "YJGL"),
        ["SCJG-003", "YJGL-002"],
        3,
        "西湖区2026年第三季度工贸企业特种设备和安全生产联合抽查",
    )
    _ceremony(
        session,
        rng,
        second,
        ["330106-SCJG", "330106-YJGL", "督查室"],
        ("2026183期", "0 9 4"),
    )
    pending = task(
        "330102-2026Q4-J01",
        "330102",
        ("SCJG", "WSJK"),
        ["SCJG-002", "WSJK-001"],
        4,
        "上城区2026年第四季度食品和公共场所卫生联合抽查",
    )
    for p in ("330102-SCJG", "督查室"):
        commit(
            session, task=pending, participant=p, commitment=commitment_of(f"{rng.getrandbits(128):032x}"), actor=ACTOR
        )
    from seeds.complaints_demo import seed_complaints
    from seeds.joint_demo import seed_joint_quarter
    from seeds.oversight_demo import seed_oversight

    complaints = seed_complaints(session)  # first: the 核查 under way joins the quarter's schedule built next
    joint_quarter = seed_joint_quarter(session, rng)
    oversight = seed_oversight(session)
    return {
        "items": len(ITEMS),
        "checklists": checklists,
        "disposals": disposals,
        "draws": 2 + len(joint_quarter["tasks"]),
        "joint_quarter": joint_quarter,
        "complaints": complaints,
        "oversight": oversight,
        "results": recorded,
        "tasks": [joint.code, second.code, pending.code],
        "ratios": json.loads(joint.ratios),
    }
