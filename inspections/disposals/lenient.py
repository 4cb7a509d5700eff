"""A local 轻微违法行为不予处罚清单 as data: imported from the published list, each row with its 文号, the violation,
its basis and the conditions; a 不予行政处罚决定 may cite the row it rests on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from inspections.disposals.models import LenientItem
from supervise import audit
from supervise.errors import import_rejected
from supervise.importspec import Column, ImportSpec, register
from supervise.schemas import ImportReport, ImportRowError

KINDS = {"不予处罚": "minor", "首违不罚": "first"}  # the list's 类别 -> procedure.NO_PENALTY_GROUNDS
LENIENT_IMPORT = register(
    ImportSpec(
        "lenient-list",
        "轻微违法行为不予处罚清单导入",
        (
            Column("document_number", "文号", True, "浙市监法〔2021〕1号", "发布清单的文件文号"),
            Column("issuer", "发布机关", True, "浙江省市场监督管理局"),
            Column("seq", "序号", True, "1", "清单中的序号（正整数）"),
            Column("kind", "类别", True, "首违不罚", "不予处罚或首违不罚"),
            Column("violation", "违法行为", True, "未按规定公示食品经营许可证"),
            Column("basis", "法律依据", True, "《中华人民共和国食品安全法》第一百二十六条"),
            Column("conditions", "适用条件", True, "初次违法且危害后果轻微，在责令期限内改正"),
        ),
        roles=("admin",),
    )
)  # fmt: skip


def import_lenient(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str
) -> ImportReport:
    """Replace the rows of each list (by 文号) the file holds; any bad row rejects the whole file."""
    errors: list[ImportRowError] = []
    good: list[LenientItem] = []
    seen: set[tuple[str, int]] = set()
    for line, row in rows:
        bad = [k for k in LENIENT_IMPORT.required if not row.get(k, "").strip()]
        for key in bad:
            errors.append(ImportRowError(line=line, field=key, message=f"请填写{LENIENT_IMPORT.label_of(key)}"))
        kind = KINDS.get(row.get("kind", "").strip())
        if "kind" not in bad and kind is None:
            errors.append(ImportRowError(line=line, field="kind", message="类别应为：不予处罚、首违不罚"))
        seq = row.get("seq", "").strip()
        if "seq" not in bad and not (seq.isdigit() and int(seq) > 0):
            errors.append(ImportRowError(line=line, field="seq", message="序号应为正整数"))
        if bad or kind is None or not (seq.isdigit() and int(seq) > 0):
            continue
        document, number = row["document_number"].strip(), int(seq)
        if (document, number) in seen:
            errors.append(ImportRowError(line=line, field="seq", message=f"{document} 的序号 {number} 重复"))
            continue
        seen.add((document, number))
        good.append(
            LenientItem(
                document_number=document, issuer=row["issuer"].strip()[:128], seq=number, kind=kind,
                violation=row["violation"].strip(), basis=row["basis"].strip(), conditions=row["conditions"].strip(),
                imported_by=actor[:64],
            )
        )  # fmt: skip
    if errors:
        raise import_rejected(errors)
    documents = sorted({i.document_number for i in good})
    for old in session.exec(select(LenientItem).where(col(LenientItem.document_number).in_(documents))):
        session.delete(old)
    session.flush()
    session.add_all(good)
    audit.record(
        session, actor=actor, action="case.lenient_list_imported", object_type="lenient_item",
        object_id=",".join(documents)[:64], payload={"documents": documents, "rows": len(good), "source": source[:128]},
    )  # fmt: skip
    return ImportReport(imported=len(good))


def lenient_items(session: Session) -> list[dict[str, Any]]:
    """Every active row, list by list, in order."""
    rows = session.exec(
        select(LenientItem).where(LenientItem.active).order_by(col(LenientItem.document_number), col(LenientItem.seq))
    )
    return [
        {
            "id": i.id, "document_number": i.document_number, "issuer": i.issuer, "seq": i.seq, "kind": i.kind,
            "violation": i.violation, "basis": i.basis, "conditions": i.conditions,
        }
        for i in rows
    ]  # fmt: skip
