"""An office at work on one installation: people printing audited papers while others decide, at once, through
a real gunicorn. On the embedded default (SQLite) no print may be refused because another writer committed
first, and no download is ever told that something "未保存"."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from sqlmodel import Session, col, func, select

from supervise.models import AuditLog, Enterprise
from tests.conftest import bearer, district_firms, http_request

PRINTERS, PRINTS_EACH, CHECKERS, CHECKS_EACH = 6, 6, 4, 6


def test_simultaneous_prints_and_decisions_all_succeed(app: Any, engine: Any, province: Any, served: str) -> None:
    firm = district_firms(engine, 1)[0]
    with Session(engine) as session:
        others = session.exec(select(Enterprise.uscc).order_by(col(Enterprise.id).desc()).limit(CHECKERS)).all()
        before = session.exec(select(func.count()).select_from(AuditLog)).one()
    printer = bearer(app, "credit")  # an officer's 信用报告 is audited: every print writes
    window = bearer(app, "licensing")  # a licensing check is a decision: it writes too
    statuses: Counter[int] = Counter()
    bodies: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(PRINTERS + CHECKERS)

    def prints() -> None:
        start.wait()
        for _ in range(PRINTS_EACH):
            status, _headers, body = http_request(f"{served}/credit/report/{firm.uscc}.pdf", headers=printer)
            with lock:
                statuses[status] += 1
                if status != 200:
                    bodies.append(body.decode(errors="replace"))

    def checks(uscc: str) -> None:
        start.wait()
        for _ in range(CHECKS_EACH):
            status, _headers, body = http_request(
                f"{served}/api/credit/check",
                method="POST",
                headers={**window, "Content-Type": "application/json"},
                body=f'{{"uscc": "{uscc}", "matter": "SCJG-SPJY"}}'.encode(),
            )
            with lock:
                statuses[status] += 1
                if status != 200:
                    bodies.append(body.decode(errors="replace"))

    threads = [threading.Thread(target=prints) for _ in range(PRINTERS)]
    threads += [threading.Thread(target=checks, args=(uscc,)) for uscc in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == Counter({200: PRINTERS * PRINTS_EACH + CHECKERS * CHECKS_EACH}), bodies[:3]
    assert not any("未保存" in b for b in bodies)
    with Session(engine) as session:
        reports = session.exec(select(func.count()).where(AuditLog.action == "credit.report_generated")).one()
        after = session.exec(select(func.count()).select_from(AuditLog)).one()
    assert reports == PRINTERS * PRINTS_EACH and after > before
