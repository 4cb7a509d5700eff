"""Time the provincial accountability report on PostgreSQL: one year, 500,000 recorded inspections, 100,000 entries.

Loads the demo province (all 11 cities and 90 counties), then bulk-loads a year of synthetic facts: for every
county department and quarter one task (60% of them joint), each drawn with ~175 targets, every target inspected
and most results published; 100,000 list entries (some objected, some repaired); 20,000 licensing checks with
outcomes. Then times metrics for the whole province and year, the PDF, and prints its page count.

The synthetic draws carry placeholder records, so verification fails fast and the report counts them as
unverified; re-running real draws is measured by bench/draw.py (about 14 s per million-firm draw), and the
report caches verdicts by the files' SHA-256, so only new or edited draws are re-run.
Usage: .venv/bin/python bench/report.py [--firms 200000] [--results 500000] [--entries 100000]"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from seed import fresh_database  # noqa: E402 - bench/ is not a package

from reports.lagging import Thresholds, lagging_units  # noqa: E402
from reports.metrics import compute  # noqa: E402
from reports.pdf import render
from seeds.demo import seed_demo  # noqa: E402
from supervise.bulk import bulk_insert, reset_sequences  # noqa: E402
from supervise.db import unit_of_work  # noqa: E402
from supervise.fonts import find_cjk_font  # noqa: E402
from supervise.paper import page_count  # noqa: E402

BASIS = "《企业经营异常名录管理暂行办法》"
BENCH_PASSWORD = "bench-only"  # noqa: S105 - a throwaway database dropped after the run
CATEGORIES = ["未发现问题"] * 14 + ["发现问题已责令改正", "发现问题待后续处理", "通过登记的住所（经营场所）无法联系"]
TASK_COLUMNS = (
    "id", "code", "plan_id", "title", "region_code", "window_start", "window_end", "ratios", "team_size",
    "max_per_inspector", "directed", "residence_rule", "status", "created_at",
)  # fmt: skip
TARGET_COLUMNS = ("id", "draw_id", "task_id", "enterprise_id", "tier", "ticket")
RESULT_COLUMNS = (
    "id", "target_id", "category", "findings", "inspected_on", "recorded_by", "recorded_at", "publish_due",
    "published_at",
)  # fmt: skip
ENTRY_COLUMNS = (
    "id", "enterprise_id", "list_type", "state", "reason", "legal_basis", "department_id", "evidence",
    "public_summary", "found_on", "decision_due", "proposed_at", "statement_received", "listed_on", "objected_on",
    "objection_due", "objection_answered_on", "repair_applied_on", "repair_commitment",
)  # fmt: skip


def load_year(session, *, results: int, entries: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Bulk-load a year of tasks, draws, targets, results, list entries and licensing checks."""
    rng = random.Random(7)
    depts = session.execute(
        text("SELECT id, code, kind, region_code FROM department WHERE level = '县' ORDER BY id")
    ).all()
    firms: dict[str, list[int]] = {}
    for fid, region in session.execute(text("SELECT id, region_code FROM enterprise")).all():
        firms.setdefault(region, []).append(fid)
    inspector = session.execute(text("SELECT min(id) FROM inspector")).scalar_one()
    by_county: dict[str, list[tuple[int, str, str]]] = {}
    for did, code, kind, region in depts:
        by_county.setdefault(region, []).append((did, code, kind))
    per_task = max(1, results // (len(depts) * 4))
    plans, tasks, task_depts, draws, targets, res = [], [], [], [], [], []
    now = datetime(2026, 12, 31, tzinfo=UTC)
    for q in range(1, 5):
        start = date(2026, 3 * q - 2, 1)
        end = (date(2027, 1, 1) if q == 4 else date(2026, 3 * q + 1, 1)) - timedelta(days=1)
        for county, units in by_county.items():
            pool = firms.get(county, [])
            for n, (did, code, _kind) in enumerate(units):
                pid = len(plans) + 1
                plans.append((pid, f"BP-{code}-Q{q}", did, "年度抽查计划", 2026, q))
                tid = len(tasks) + 1
                drawn_at = datetime.combine(start - timedelta(days=rng.choice([3, 5, 8, -4])), datetime.min.time(), UTC)
                tasks.append((tid, f"BT-{code}-Q{q}", pid, "抽查任务", county, start, end, '{"B":"0.1"}', 2, 80,
                              False, True, "drawn", drawn_at))  # fmt: skip
                task_depts.append((tid, did))
                if rng.random() < 0.6 and len(units) > 1:
                    task_depts.append((tid, units[(n + 1) % len(units)][0]))
                draws.append((tid, f"D-BT-{code}-Q{q}", tid, drawn_at, False, "{}", "0" * 64, "", ""))
                for fid in rng.sample(pool, min(per_task, len(pool))):
                    target_id = len(targets) + 1
                    targets.append((target_id, tid, tid, fid, "B", f"{rng.getrandbits(64):016x}"))
                    day = start + timedelta(days=rng.randrange((end - start).days + 1))
                    due = day + timedelta(days=28)
                    late = rng.random() < 0.05
                    pub_day = due + timedelta(rng.randrange(1, 30)) if late else day + timedelta(rng.randrange(1, 20))
                    pub_day = min(pub_day, date(2026, 12, 31))  # chinesecalendar does not know 2027 yet
                    published = None if rng.random() < 0.02 else datetime.combine(pub_day, datetime.min.time(), UTC)
                    res.append((target_id, target_id, rng.choice(CATEGORIES), "", day, inspector,
                                datetime.combine(day, datetime.min.time(), UTC), due, published))  # fmt: skip
    bulk_insert(session, "plan", ("id", "code", "department_id", "title", "year", "quarter"), plans)
    bulk_insert(session, "task", TASK_COLUMNS, tasks)
    bulk_insert(session, "task_department", ("task_id", "department_id"), task_depts)
    draw_columns = ("id", "public_id", "task_id", "created_at", "single_operator", "record", "record_sha256",
                    "population_text", "inspectors_text")  # fmt: skip
    bulk_insert(session, "draw", draw_columns, draws)
    bulk_insert(session, "draw_target", TARGET_COLUMNS, targets)
    bulk_insert(session, "inspection_result", RESULT_COLUMNS, res)
    all_firms = [f for fs in firms.values() for f in fs]
    rows = []
    for n in range(entries):
        found = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        objected = found + timedelta(days=20) if n % 10 == 0 else None
        repaired = found + timedelta(days=40) if n % 15 == 0 else None
        rows.append((n + 1, all_firms[n % len(all_firms)], "ABNORMAL", "listed", "未按规定公示年报", BASIS,
                     depts[n % len(depts)][0], "", "未按规定公示年报", found, found + timedelta(days=14), now, True,
                     found + timedelta(days=10), objected, objected + timedelta(days=14) if objected else None,
                     objected + timedelta(days=rng.randrange(5, 25)) if objected else None, repaired,
                     bool(repaired)))  # fmt: skip
    bulk_insert(session, "list_entry", ENTRY_COLUMNS, rows)
    checks = [
        (n + 1, f"bench{n:011d}", all_firms[n % len(all_firms)], "SCJG-SPJY", "restrict" if n % 7 == 0 else "allow",
         "{}", None, now, rng.random() < 0.9, "", now - timedelta(days=rng.randrange(300)), n % 97 == 0)
        for n in range(20_000)
    ]  # fmt: skip
    check_columns = ("id", "public_id", "enterprise_id", "matter", "decision", "response", "checked_by", "checked_at",
                     "outcome_granted", "outcome_measures", "outcome_reported_at", "breach")  # fmt: skip
    bulk_insert(session, "licensing_check", check_columns, checks)
    reset_sequences(session, ("plan", "task", "draw", "draw_target", "inspection_result", "list_entry",
                              "licensing_check"))  # fmt: skip
    return {"tasks": len(tasks), "results": len(res), "entries": len(rows), "departments": len(depts)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=200_000)
    parser.add_argument("--results", type=int, default=500_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print the phases as one JSON object")
    args = parser.parse_args()
    font = find_cjk_font()
    assert font, "install fonts-wqy-microhei (./scripts/bootstrap does)"
    with fresh_database("postgresql") as engine:
        t0 = time.perf_counter()
        with unit_of_work(engine) as session:
            seed_demo(session, entities=args.firms, seed=1, password=BENCH_PASSWORD)
            counts = load_year(session, results=args.results, entries=args.entries)
        with engine.begin() as conn:  # committed: ANALYZE in a rolled-back transaction is lost
            conn.execute(text("ANALYZE"))
        if not args.json:
            print(f"loaded in {time.perf_counter() - t0:.1f} s: {counts}")
        t1 = time.perf_counter()
        with unit_of_work(engine) as session:
            metrics = compute(session, region="330000", period="2026", today=date(2026, 12, 31))
            lag = lagging_units(metrics, Thresholds())
        t2 = time.perf_counter()
        report = {
            "title": "“双随机、一公开”监管和信用联合奖惩工作督查通报",
            "issuer": "浙江省人民政府督查室",
            "doc_number": "督查通报〔2027〕1号",
            "generated_at": "2027-01-20 09:00",
            "generated_by": "bench",
            "metrics": metrics,
            "lagging": lag,
            "thresholds": Thresholds().as_dict(),
        }
        pdf = render(report, font=font)
        t3 = time.perf_counter()
        pages = page_count(pdf)
        total = metrics["total"]["counts"]
        if args.json:
            print(json.dumps({"metrics_s": round(t2 - t1, 2), "pdf_s": round(t3 - t2, 2), "pages": pages,
                              "total_s": round(t3 - t1, 2), "results": total["results"]}))  # fmt: skip
            return
        print(f"units: {len(metrics['departments'])} departments, {len(metrics['regions'])} regions; "
              f"results counted {total['results']:,}; lagging units {len(lag)}")  # fmt: skip
        print(f"metrics  {t2 - t1:7.2f} s")
        print(f"pdf      {t3 - t2:7.2f} s   ({pages} pages, {len(pdf) / 1e6:.1f} MB)")
        print(f"total    {t3 - t1:7.2f} s   (target < 15 s)")


if __name__ == "__main__":
    main()
