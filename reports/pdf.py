"""Lay out the accountability report as a PDF from plain data (no Flask, no session), on supervise.paper."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.charts import NA, bar_chart
from reports.complaint_table import HEADER as COMPLAINT_HEADER
from reports.complaint_table import complaint_rows
from supervise.paper import FONT, numbered_canvas, register_font, styles

RATE_COLUMNS = (
    ("plan_draw_rate", "按时抽取率"),
    ("completion_rate", "完成率"),
    ("publication_rate", "公示及时率"),
    ("joint_share", "联合抽查占比"),
    ("problem_rate", "问题发现率"),
    ("closure_rate", "处置完结率"),
    ("enforcement_rate", "惩戒落实率"),
)
EVIDENCE_LABELS = {
    "draw_late": "未按时抽取",
    "publication_overdue": "结果公示超期",
    "breach": "联合惩戒未落实",
    "outcome_unreported": "核查后逾期未报告办理结果",
    "licence_unchecked": "未查询即许可",
    "listing_late": "应列未列（列入决定超期）",
    "objection_late": "异议答复超期",
    "repair_late": "信用修复决定超期",
    "draw_mismatch": "抽取记录复核不一致",
    "single_operator": "单人操作种子",
    "recording_late": "检查结果录入超期",
    "review_late": "结果审核超期",
    "disposal_overdue": "后续处置逾期未完结",
    "recheck_late": "复查超期",
    "filing_overdue": "移送案件逾期未决定立案",
    "decision_overdue": "立案后逾期未作出决定（九十日）",
    "complaint_sign_late": "投诉举报签收超期",
    "complaint_close_late": "投诉举报办结超期",
}


EVIDENCE_PER_REASON = 5  # worst first; the appendix stays printable, the dashboard and API carry every row
FIELD_LABELS = {
    "firm": "企业",
    "task": "任务",
    "ticket": "工单号",
    "uscc": "统一社会信用代码",
    "due": "期限",
    "working_days": "超期工作日",
    "published": "公示日期",
    "window_start": "检查开始",
    "drawn": "抽取日期",
    "check": "核查编号",
    "matter": "许可事项",
    "decision": "核查结论",
    "entry": "名单编号",
    "answered": "答复日期",
    "decided": "决定日期",
    "draw": "抽取编号",
    "disposal": "处置编号",
    "disposal_kind": "处置方式",
    "closed": "完结日期",
    "on": "复查日期",
    "recorded": "录入日期",
    "reviewed": "审核日期",
}


def short_name(name: str) -> str:
    """A unit name short enough for a chart axis (杭州市西湖区市场监督管理局 -> 西湖区市场监管局)."""
    for prefix in (
        "浙江省",
        "杭州市",
        "宁波市",
        "温州市",
        "嘉兴市",
        "湖州市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
        "台州市",
        "丽水市",
    ):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
            break
    return name.replace("监督管理局", "监管局").replace("管理局", "局")


def pct(value: float | None) -> str:
    """A rate as the report prints it; None means the metric is not available."""
    return NA if value is None else f"{value * 100:.1f}%"


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], header_rows: int = 1) -> Table:
    table = Table(list(rows), colWidths=list(widths), repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#f1e3e3")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, header_rows), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


TABLE_CHUNK = 40  # rows per table: about a page at 8 pt


def _tables(rows: Sequence[Sequence[Any]], widths: Sequence[float], header_rows: int = 1) -> list[Table]:
    """A long table as consecutive tables of TABLE_CHUNK rows, each with the header.

    reportlab re-measures every remaining row each time it splits a table at a page break; a province's 720
    departments and their evidence took most of the PDF's time that way."""
    head, body = list(rows[:header_rows]), list(rows[header_rows:])
    if len(body) <= TABLE_CHUNK:
        return [_table(rows, widths, header_rows)]
    return [_table([*head, *body[i : i + TABLE_CHUNK]], widths, header_rows) for i in range(0, len(body), TABLE_CHUNK)]


def _chart(title: str, units: Sequence[dict[str, Any]], keys: Sequence[tuple[str, str]]) -> Drawing:
    return bar_chart(title, units, keys, short_name)


def charts(metrics: dict[str, Any]) -> list[tuple[str, Drawing]]:
    """The report's charts (title, drawing), from the same metrics the tables print."""
    keys = RATE_COLUMNS[1:3]
    return [
        (t := "各地区抽查完成率与结果公示及时率（%）", _chart(t, _ranked(metrics["regions"]), keys)),
        (t := "各部门抽查完成率与结果公示及时率（%）", _chart(t, _ranked(metrics["departments"]), keys)),
    ]


def _ranked(units: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    # Worst first: the office reads from the top. Units without data sort last.
    def key(u: dict[str, Any]) -> tuple[float, str]:
        r = u["rates"]["completion_rate"]
        return (2.0 if r is None else r, u["code"])

    return sorted(units, key=key)


def _unit_rows(units: Sequence[dict[str, Any]], lagging_codes: set[str], small: ParagraphStyle) -> list[list[Any]]:
    head = ["名次", "单位", "任务", *[label for _k, label in RATE_COLUMNS], "滞后"]
    rows: list[list[Any]] = [[Paragraph(h, small) for h in head]]
    for n, u in enumerate(_ranked(units), start=1):
        rates = [pct(u["rates"][k]) for k, _l in RATE_COLUMNS]
        name = Paragraph(u["name"], small)
        rows.append([str(n), name, str(u["counts"]["tasks"]), *rates, "是" if u["code"] in lagging_codes else ""])
    return rows


def evidence_detail(e: dict[str, Any]) -> str:
    """One piece of evidence in a line, each fact under its Chinese label."""
    return "；".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in e.items() if k != "kind" and v is not None)


def render(report: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the PDF: cover summary, ranked tables, charts, lagging units and the evidence appendix."""
    register_font(*font)
    st = styles()
    m, lag = report["metrics"], report["lagging"]
    lag_codes = {x["code"] for x in lag}
    total = m["total"]
    story: list[Any] = [
        Paragraph(report["title"], st["title"]),
        Paragraph(f"{report['issuer']}　{report['doc_number']}", st["sub"]),
        Paragraph(f"统计区域：{m['region_name']}（{m['region']}）　统计期间：{m['start']} 至 {m['end']}", st["sub"]),
        Paragraph(f"生成时间：{report['generated_at']}　生成人：{report['generated_by']}", st["sub"]),
        *(
            [Paragraph(f"阶段性通报：统计期间尚未结束，数据截至 {report['as_of']}，期末将再次通报。", st["sub"])]
            if report.get("interim")
            else []
        ),
        *(
            [
                Paragraph(
                    f"审计链锚点：截至第 {a['head_id']} 条，共 {a['rows']} 条，末条哈希 {a['head_hash'][:32]}…",
                    st["sub"],
                )
            ]
            if (a := report.get("audit_anchor"))
            else []
        ),
        Spacer(1, 8 * mm),
        Paragraph("一、总体情况", st["h1"]),
    ]
    c, r = total["counts"], total["rates"]
    avoided = [v["repeat_checks_avoided"] for v in m["schedules"].values()]
    summary = [
        ["指标", "数值", "说明"],
        [
            "抽查任务按时抽取率",
            pct(r["plan_draw_rate"]),
            f"{c['tasks_drawn_on_time']}/{c['tasks']} 项任务在检查时段开始前完成抽取",
        ],
        [
            "抽查完成率",
            pct(r["completion_rate"]),
            f"{c['inspected_in_window']}/{c['targets']} 户（检查时段已结束的任务）",
        ],
        ["结果公示及时率", pct(r["publication_rate"]), f"{c['published_on_time']}/{c['results']} 项在20个工作日内公示"],
        ["联合抽查占比", pct(r["joint_share"]), f"{c['joint_tasks']}/{c['tasks']} 项为部门联合抽查"],
        ["避免重复检查", str(sum(avoided)) if avoided else NA, "联合检查排期合并的户次"],
        [
            "超出检查频次上限企业",
            str(sum(v["firms_over_cap"] for v in m["schedules"].values())) if avoided else NA,
            "应为0",
        ],
        ["问题发现率", pct(r["problem_rate"]), f"{c['problems']}/{c['results']}"],
        ["后续处置率", pct(r["followup_rate"]), f"{c['followed_up']}/{c['problems']} 项发现问题已登记后续处置"],
        [
            "后续处置完结率",
            pct(r["closure_rate"]),
            f"{c['disposals_closed']}/{c['disposals']} 项到期处置按期完结；逾期未完结 {c['disposals_overdue']} 项",
        ],
        ["复查按期率", pct(r["recheck_rate"]), f"{c['rechecks_on_time']}/{c['rechecks']} 项责令改正在复查期限内复查"],
        ["移送立案率", pct(r["filing_rate"]), f"{c['transfers_filed']}/{c['transfers']} 件移送案件线索已立案"],
        [
            "案件按期决定率",
            pct(r["decision_rate"]),
            f"{c['cases_decided_on_time']}/{c['cases']} 件立案案件在九十日内作出决定（含不予处罚、移送司法机关）",
        ],
        ["按期录入率", pct(r["recording_rate"]), f"{c['recorded_on_time']}/{c['recorded']} 项在录入期限内录入"],
        [
            "结果审核及时率",
            pct(r["review_rate"]),
            f"{c['reviews_on_time']}/{c['reviews']} 项在确认后5个工作日内审核（本地设定）",
        ],
        ["列入决定按期率", pct(r["listing_rate"]), f"{c['listings_on_time']}/{c['listings']}（应列未列计为超期）"],
        ["异议按期答复率", pct(r["objection_rate"]), f"{c['objections_on_time']}/{c['objections']}"],
        ["信用修复按期决定率", pct(r["repair_rate"]), f"{c['repairs_on_time']}/{c['repairs']}"],
        ["联合惩戒落实率", pct(r["enforcement_rate"]), f"{c['outcomes_honoured']}/{c['outcomes']} 项许可办理结果"],
        [
            "抽取记录可复核率",
            pct(r["integrity_rate"]),
            f"{c['draws_verified']}/{c['draws']}；单人操作种子 {len(m['single_operator_draws'])} 次",
        ],
        [
            "投诉举报按期签收率",
            pct(r["complaint_sign_rate"]),
            f"{c['complaints_signed_on_time']}/{c['complaints_sign_due']} 件工单按平台时限签收（本地设定）",
        ],
        [
            "投诉举报按期办结率",
            pct(r["complaint_close_rate"]),
            f"{c['complaints_closed_on_time']}/{c['complaints_close_due']} 件按期办结；属实占比 "
            f"{pct(r['complaint_substantiated_share'])}，重复投诉率 {pct(r['complaint_repeat_rate'])}",
        ],
        ["明显滞后单位", str(len(lag)), "见第四部分及附件"],
    ]
    # The explanations wrap inside their column; the departments' table follows on the same page.
    wrapped = [summary[0], *([name, value, Paragraph(note, st["small"])] for name, value, note in summary[1:])]
    story += [_table(wrapped, [45 * mm, 25 * mm, 100 * mm]), Spacer(1, 4 * mm)]
    story.append(Paragraph("二、各部门情况（按完成率由低到高）", st["h1"]))
    story.extend(
        _tables(
            _unit_rows(m["departments"], lag_codes, st["small"]), [9 * mm, 38 * mm, 10 * mm] + [15 * mm] * 7 + [10 * mm]
        )
    )
    story.append(Paragraph("三、各地区情况（按完成率由低到高）", st["h1"]))
    story.extend(
        _tables(
            _unit_rows(m["regions"], lag_codes, st["small"]), [9 * mm, 38 * mm, 10 * mm] + [15 * mm] * 7 + [10 * mm]
        )
    )
    complaints = complaint_rows([*m["departments"], *m["regions"]])
    if complaints:
        story.append(Paragraph("投诉举报办理情况", st["h1"]))
        story.append(_table([list(COMPLAINT_HEADER), *complaints], [46 * mm] + [20.5 * mm] * 6))
    story.append(Spacer(1, 6 * mm))
    story += [drawing for _title, drawing in charts(m)]
    story.append(PageBreak())
    story.append(Paragraph("四、明显滞后单位", st["h1"]))
    t = report["thresholds"]
    story.append(
        Paragraph(
            f"判定标准（本地设定，非国家规定）：按时抽取率低于{pct(t['plan_draw_min'])}；抽查完成率低于{pct(t['completion_min'])}；"
            f"结果公示超期超过{t['publication_overdue_max']}个工作日；联合抽查占比低于{pct(t['joint_share_min'])}；"
            f"联合惩戒未落实超过{t['breaches_max']}起；投诉举报按期签收率低于{pct(t['complaint_sign_min'])}或"
            f"按期办结率低于{pct(t['complaint_close_min'])}。建议对下列单位启动督查问责程序。",
            st["body"],
        )
    )
    rows = [["单位", "类别", "滞后情形"]]
    for unit in lag:
        reasons = "<br/>".join(x["message"] for x in unit["reasons"])
        rows.append([unit["name"], "部门" if unit["kind"] == "department" else "地区", Paragraph(reasons, st["small"])])
    story.extend(_tables(rows if lag else [*rows, ["无", "", ""]], [45 * mm, 15 * mm, 110 * mm]))
    people = report.get("inspectors")
    if people:
        story.append(Paragraph("五、检查人员发现问题情况（提示复核）", st["h1"]))
        story.append(Paragraph(
            f"{people['since']}至{people['until']}，本地区 {people['compared']} 名检查人员发现问题的次数与按所查企业"
            f"风险评分推算的预期次数比较，小样本已向“与预期相符”收缩。{people['wording']}", st["body"]))  # fmt: skip
        flagged = [["检查人员", "检查次数", "发现问题", "预期发现", "收缩后比值"]]
        flagged += [[f"{r['name']}（{r['badge']}）", r["visits"], r["found"], r["expected"], r["shrunk_ratio"]]
                    for r in people["rows"]]  # fmt: skip
        story.extend(_tables(flagged if people["rows"] else [*flagged, ["无", "", "", "", ""]],
                             [50 * mm, 25 * mm, 25 * mm, 25 * mm, 45 * mm]))  # fmt: skip
    story.append(PageBreak())
    story.append(Paragraph("附件：滞后情形证据清单", st["h1"]))
    evidence = [["单位", "情形", "明细"]]
    for unit in lag:
        for reason in unit["reasons"]:
            worst = sorted(reason["evidence"], key=lambda e: -int(e.get("working_days") or 0))
            shown = worst[:EVIDENCE_PER_REASON]
            for e in shown:
                detail = evidence_detail(e)
                evidence.append(
                    [unit["name"], EVIDENCE_LABELS.get(e["kind"], e["kind"]), Paragraph(detail, st["small"])]
                )
            if len(reason["evidence"]) > len(shown):
                more = f"另有{len(reason['evidence']) - len(shown)}项，完整清单见督查室工作台或 /api/reports/dashboard"
                evidence.append([unit["name"], "…", Paragraph(more, st["small"])])
    if len(evidence) == 1:
        evidence.append(["—", "—", "滞后情形均为比率指标，明细见第二、三部分"])
    story.extend(_tables(evidence, [40 * mm, 30 * mm, 100 * mm]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report["title"],
        author=report["issuer"],
        subject=report["doc_number"],
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
    )
    doc.build(story, canvasmaker=numbered_canvas(report["doc_number"]))
    return out.getvalue()
