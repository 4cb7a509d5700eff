"""检查要点: the checklist of each 抽查事项 (按标执法), kept by the administrator by spreadsheet and published
with the 抽查事项清单 (一单公开)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from inspections.models import SEVERITIES, CheckPoint, InspectionItem, PointResult
from inspections.planning import item_public
from inspections.schemas import CheckPointPublic, ItemDetail
from supervise import audit
from supervise.errors import field_error, import_rejected
from supervise.imports import runs_import
from supervise.importspec import Column, ImportSpec, register
from supervise.schemas import ImportReport, ImportRowError

log = logging.getLogger(__name__)
POINT_COLUMNS = ("item_code", "seq", "text", "legal_basis", "criterion", "severity", "discretion_ref")
POINT_REQUIRED = POINT_COLUMNS[:5]
POINT_LABELS = ("抽查事项编号", "序号", "检查内容", "法律依据", "判定标准", "严重程度", "裁量基准")
POINT_IMPORT = register(
    ImportSpec(
        "checklists",
        "检查要点导入",
        (
            Column("item_code", "抽查事项编号", True, "SCJG-SP-01", "抽查事项清单中的编号", ("事项编号",)),
            Column("seq", "序号", True, "1", "要点在事项中的顺序（正整数）"),
            Column("text", "检查内容", True, "是否公示食品经营许可证", "", ("检查要点",)),
            Column("legal_basis", "法律依据", True, "《中华人民共和国食品安全法》第三十五条", "法律、法规、规章及条款"),
            Column("criterion", "判定标准", True, "在经营场所显著位置公示", ""),
            Column("severity", "严重程度", False, "一般", "一般、较重或严重；留空为一般"),
            Column("discretion_ref", "裁量基准", False, "", "适用的行政处罚裁量基准条目"),
        ),
        roles=("admin",),
    )
)  # fmt: skip


def points_of(session: Session, item_ids: Sequence[int]) -> dict[int, list[CheckPoint]]:
    """The checklists of these items, each in its order."""
    out: dict[int, list[CheckPoint]] = {i: [] for i in item_ids}
    if item_ids:
        for p in session.exec(
            select(CheckPoint).where(col(CheckPoint.item_id).in_(list(item_ids))).order_by(col(CheckPoint.seq))
        ).all():
            out[p.item_id].append(p)
    return out


def item_detail(session: Session, *, code: str) -> ItemDetail:
    """An item with its 检查要点, or 404 naming it."""
    item = session.exec(select(InspectionItem).where(InspectionItem.code == code)).first()
    if item is None:
        raise field_error("code", f"抽查事项 {code} 不存在", status=404)
    points = points_of(session, [item.id or 0])[item.id or 0]
    return ItemDetail(
        **item_public(item).model_dump(),
        points=[CheckPointPublic.model_validate(p, from_attributes=True) for p in points],
    )


def published_list(session: Session) -> list[ItemDetail]:
    """The whole 抽查事项清单 in force, each item with its points (the public page)."""
    items = session.exec(
        select(InspectionItem).where(col(InspectionItem.active).is_(True)).order_by(col(InspectionItem.code))
    ).all()
    points = points_of(session, [i.id or 0 for i in items])
    return [
        ItemDetail(
            **item_public(i).model_dump(),
            points=[CheckPointPublic.model_validate(p, from_attributes=True) for p in points[i.id or 0]],
        )
        for i in items
    ]


def point_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every point as a spreadsheet row (POINT_COLUMNS), items in code order."""
    rows = session.exec(
        select(InspectionItem.code, CheckPoint)
        .join(CheckPoint, col(CheckPoint.item_id) == col(InspectionItem.id))
        .order_by(col(InspectionItem.code), col(CheckPoint.seq))
    ).all()
    return [(code, p.seq, p.text, p.legal_basis, p.criterion, p.severity, p.discretion_ref or "") for code, p in rows]


def _row_problems(raw: dict[str, str], items: dict[str, InspectionItem]) -> list[tuple[str, str]]:
    problems = []
    if raw.get("item_code", "").strip() not in items:
        problems.append(("item_code", f"抽查事项 {raw.get('item_code', '')!r} 不存在"))
    seq = raw.get("seq", "").strip()
    if not seq.isdigit() or not 1 <= int(seq) <= 99:
        problems.append(("seq", "序号应为 1 至 99 的整数"))
    for name, limit in (("text", 2000), ("legal_basis", 256), ("criterion", 2000)):
        value = raw.get(name, "").strip()
        if not value or len(value) > limit:
            problems.append((name, f"不能为空且不超过 {limit} 个字符"))
    if (raw.get("severity", "").strip() or "一般") not in SEVERITIES:
        problems.append(("severity", f"严重程度应为：{'、'.join(SEVERITIES)}"))
    if len(raw.get("discretion_ref", "").strip()) > 256:
        problems.append(("discretion_ref", "不超过 256 个字符"))
    return problems


def import_points(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str
) -> ImportReport:
    """Replace the checklist of every item the file names; any bad row rejects the whole file."""
    items = {i.code: i for i in session.exec(select(InspectionItem)).all()}
    errors: list[ImportRowError] = []
    seen: dict[tuple[str, int], int] = {}
    good: list[tuple[InspectionItem, dict[str, str]]] = []
    for line, raw in rows:
        problems = _row_problems(raw, items)
        key = (raw.get("item_code", "").strip(), int(raw["seq"]) if raw.get("seq", "").strip().isdigit() else -1)
        if key in seen:
            problems.append(("seq", f"与第 {seen[key]} 行的序号重复"))
        seen.setdefault(key, line)
        if problems:
            errors.extend(ImportRowError(line=line, field=f, message=m) for f, m in problems)
            continue
        good.append((items[key[0]], raw))
    if errors:
        raise import_rejected(errors)
    replaced = sorted({item.code for item, _raw in good})
    ids = [items[c].id for c in replaced]
    existing = {(p.item_id, p.seq): p for p in session.exec(select(CheckPoint).where(col(CheckPoint.item_id).in_(ids)))}
    kept = {(item.id, int(raw["seq"])) for item, raw in good}
    dropped = [p for key, p in existing.items() if key not in kept]
    used = set(
        session.exec(
            select(PointResult.point_id).where(col(PointResult.point_id).in_([p.id for p in dropped])).distinct()
        ).all()
    )
    first_line = {code: line for (code, _seq), line in sorted(seen.items(), key=lambda kv: kv[1], reverse=True)}
    code_of = {i.id: c for c, i in items.items()}
    in_use = [
        ImportRowError(
            line=first_line[code_of[p.item_id]],
            field="seq",
            message=f"{code_of[p.item_id]} 的第 {p.seq} 项检查要点已用于检查记录，不能删除（可修改其内容）",
        )
        for p in dropped
        if p.id in used
    ]
    if in_use:
        raise import_rejected(in_use)
    for p in dropped:
        session.delete(p)
    session.flush()
    # A point keeps its id (and the results recorded against it) when the file changes its wording.
    for item, raw in good:
        fields: dict[str, Any] = {
            "text": raw["text"].strip(),
            "legal_basis": raw["legal_basis"].strip(),
            "criterion": raw["criterion"].strip(),
            "severity": raw.get("severity", "").strip() or "一般",
            "discretion_ref": raw.get("discretion_ref", "").strip() or None,
        }
        point = existing.get((item.id or 0, int(raw["seq"])))
        if point is None:
            point = CheckPoint(item_id=item.id or 0, seq=int(raw["seq"]), **fields)
        else:
            point.sqlmodel_update(fields)
        session.add(point)
    audit.record(
        session,
        actor=actor,
        action="item.checklist_imported",
        object_type="inspection_item",
        object_id=",".join(replaced)[:64],
        payload={"items": replaced, "points": len(good), "source": source[:128]},
    )
    return ImportReport(imported=len(good))


@runs_import("checklists")
def run_point_import(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str, options: dict[str, Any]
) -> ImportReport:
    """The 检查要点 import's runner (supervise.imports)."""
    return import_points(session, rows=rows, actor=actor, source=source)
