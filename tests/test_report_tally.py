"""The accountability tally on plain rows, without a database: what is on time, completed, followed up."""

from datetime import date

from credit.rules import Period
from reports.enforcement import DisposalRow
from reports.tally import EntryRow, Facts, OutcomeRow, TargetRow, TaskRow, rates, tally

START, END = date(2030, 1, 1), date(2030, 3, 31)
TODAY = date(2030, 4, 15)
A, B = ("department", "330102-SCJG"), ("department", "330102-JTYS")
CITY = ("region", "330102")


def _task(code: str = "T1", **kw: object) -> TaskRow:
    base: dict[str, object] = {
        "code": code,
        "region_code": "330102",
        "departments": ("330102-SCJG",),
        "window_start": date(2030, 2, 1),
        "window_end": date(2030, 2, 28),
        "drawn_on": date(2030, 1, 20),
        "draw_id": f"D-{code}",
    }
    return TaskRow(**{**base, **kw})  # type: ignore[arg-type]


def test_a_task_drawn_after_its_window_opened_is_late_with_evidence() -> None:
    t = tally(Facts(START, END, TODAY, tasks=[_task("T1"), _task("T2", drawn_on=date(2030, 2, 2))]))
    assert t.units[A]["tasks"] == 2 and t.units[A]["tasks_drawn_on_time"] == 1
    assert t.evidence[A] == [{"kind": "draw_late", "task": "T2", "window_start": "2030-02-01", "drawn": "2030-02-02"}]
    assert t.units[CITY]["tasks"] == 2  # the region counts every task of its departments once


def test_an_undrawn_task_counts_as_late_and_has_no_draw() -> None:
    t = tally(Facts(START, END, TODAY, tasks=[_task(drawn_on=None, draw_id=None)]))
    assert (t.units[A]["tasks_drawn_on_time"], t.units[A]["draws"]) == (0, 0)
    assert t.evidence[A][0]["drawn"] == "未抽取"


def test_joint_tasks_count_for_each_department_and_unknown_departments_are_left_out() -> None:
    joint = _task(departments=("330102-SCJG", "330102-JTYS", "339900-OTHER"))
    t = tally(Facts(START, END, TODAY, tasks=[joint]), known_departments={"330102-SCJG", "330102-JTYS"})
    assert t.units[A]["joint_tasks"] == t.units[B]["joint_tasks"] == 1
    assert ("department", "339900-OTHER") not in t.units


def test_a_draw_that_does_not_verify_and_a_single_operator_draw_are_noted() -> None:
    t = tally(Facts(START, END, TODAY, tasks=[_task(draw_verified=False, single_operator=True)]))
    assert (t.units[A]["draws"], t.units[A]["draws_verified"]) == (1, 0)
    assert [e["kind"] for e in t.evidence[A]] == ["draw_mismatch", "single_operator"]


def test_results_count_completion_publication_and_follow_up() -> None:
    targets = [
        TargetRow("T1", "U1", date(2030, 2, 10), date(2030, 3, 10), date(2030, 3, 9), "未发现问题"),
        TargetRow("T1", "U2", date(2030, 3, 5), date(2030, 4, 2), None, "发现问题待后续处理", disposed=True),
        TargetRow("T1", "U3", date(2030, 2, 11), date(2030, 3, 11), date(2030, 3, 12), "发现问题已责令改正"),
        TargetRow("T1", "U4"),  # drawn, never inspected
    ]
    t = tally(Facts(START, END, TODAY, tasks=[_task()], targets=targets))
    c = t.units[A]
    assert (c["targets"], c["inspected_in_window"], c["results"], c["published_on_time"]) == (4, 2, 3, 1)
    # U3's category says 已责令改正, but without a recorded disposal it is not followed up.
    assert (c["problems"], c["followed_up"]) == (2, 1)
    overdue = [e for e in t.evidence[A] if e["kind"] == "publication_overdue"]
    assert [(e["uscc"], e["published"]) for e in overdue] == [("U2", None), ("U3", "2030-03-12")]
    assert overdue[1]["working_days"] == 1
    assert rates(c)["completion_rate"] == 0.5


def test_completion_waits_for_the_window_to_close() -> None:
    open_task = _task(window_end=date(2030, 4, 30))
    t = tally(Facts(START, END, TODAY, tasks=[open_task], targets=[TargetRow("T1", "U1")]))
    assert t.units[A]["targets"] == 0 and rates(t.units[A])["completion_rate"] is None


def test_objections_and_repairs_are_judged_by_their_deadlines_once_due() -> None:
    entries = [
        EntryRow(1, "330102-SCJG", "330102", date(2030, 1, 6), date(2030, 1, 20), date(2030, 1, 22)),
        EntryRow(2, "330102-SCJG", "330102", date(2030, 4, 10), date(2030, 4, 24)),  # after the period
        EntryRow(3, "330102-SCJG", "330102", repair_applied_on=date(2030, 3, 1), repair_decided_on=date(2030, 3, 5)),
        EntryRow(
            4,
            "330102-SCJG",
            "330102",
            repair_applied_on=date(2030, 3, 1),
            repair_decision=Period(2, "working_days"),
            repair_decided_on=date(2030, 3, 8),
        ),
    ]
    t = tally(Facts(START, END, TODAY, entries=entries))
    c = t.units[A]
    assert (c["objections"], c["objections_on_time"], c["repairs"], c["repairs_on_time"]) == (1, 0, 2, 1)
    late = {e["kind"]: e for e in t.evidence[A]}
    assert late["objection_late"]["answered"] == "2030-01-22"
    assert late["repair_late"] == {"kind": "repair_late", "entry": 4, "due": "2030-03-05", "decided": "2030-03-08"}


def test_licensing_outcomes_in_the_period_count_for_the_region_and_the_checking_department() -> None:
    outcomes = [
        OutcomeRow("c1", "U1", "330102", "330102-SCJG", date(2030, 2, 1), breach=True, matter="M", decision="deny"),
        OutcomeRow("c2", "U2", "330102", None, date(2030, 2, 2), breach=False, matter="M", decision="allow"),
        OutcomeRow("c3", "U3", "330102", None, date(2030, 4, 2), breach=True, matter="M", decision="deny"),
    ]
    t = tally(Facts(START, END, TODAY, outcomes=outcomes))
    assert (t.units[CITY]["outcomes"], t.units[CITY]["outcomes_honoured"]) == (2, 1)
    assert (t.units[A]["outcomes"], t.units[A]["outcomes_honoured"]) == (1, 0)
    assert t.evidence[A] == [{"kind": "breach", "check": "c1", "uscc": "U1", "matter": "M", "decision": "deny"}]


def test_disposals_rechecks_and_transfers_are_judged_by_their_deadlines_once_due() -> None:
    rows = [
        DisposalRow("CZ-1", "330102-SCJG", "330102", "rectify", date(2030, 2, 20), date(2030, 2, 18),
                    recheck_end=date(2030, 2, 20), recheck_on=date(2030, 2, 18)),
        DisposalRow("CZ-2", "330102-SCJG", "330102", "rectify", date(2030, 3, 10), None,
                    recheck_end=date(2030, 3, 10)),  # never rechecked: overdue twice over
        DisposalRow("CZ-3", "330102-SCJG", "330102", "case", date(2030, 3, 20), None,
                    filing_due=date(2030, 3, 20), filed_on=date(2030, 3, 19)),
        DisposalRow("CZ-4", "330102-SCJG", "330102", "case", date(2030, 3, 25), date(2030, 3, 24),
                    filing_due=date(2030, 3, 25), not_filed=True),
        DisposalRow("CZ-5", "330102-SCJG", "330102", "refer", date(2030, 4, 20)),  # due after the period
    ]  # fmt: skip
    t = tally(Facts(START, END, TODAY, disposals=rows))
    c = t.units[A]
    assert (c["disposals"], c["disposals_closed"], c["disposals_overdue"]) == (4, 2, 2)
    assert (c["rechecks"], c["rechecks_on_time"]) == (2, 1)
    assert (c["transfers"], c["transfers_filed"]) == (2, 1)
    assert rates(c)["closure_rate"] == 0.5 and rates(c)["filing_rate"] == 0.5
    kinds = sorted(e["kind"] for e in t.evidence[A])
    assert kinds == ["disposal_overdue", "disposal_overdue", "recheck_late"]
    assert t.units[CITY]["disposals"] == 4


def test_cases_count_as_decided_within_their_90_days_and_a_lawful_no_penalty_closure_counts_as_decided() -> None:
    rows = [
        DisposalRow("CZ-6", "330102-SCJG", "330102", "case", None, None, filing_due=date(2030, 1, 5),
                    filed_on=date(2030, 1, 2), decision_due=date(2030, 3, 31), decided_on=date(2030, 3, 30)),
        DisposalRow("CZ-7", "330102-SCJG", "330102", "case", None, None, filing_due=date(2030, 1, 5),
                    filed_on=date(2030, 1, 2), decision_due=date(2030, 2, 10)),  # still undecided after day 90
        DisposalRow("CZ-8", "330102-SCJG", "330102", "case", None, None, filing_due=date(2030, 1, 5),
                    filed_on=date(2030, 1, 2), decision_due=date(2030, 3, 1), decided_on=date(2030, 3, 5)),
        DisposalRow("CZ-9", "330102-SCJG", "330102", "case", None, None, filing_due=date(2030, 1, 5),
                    filed_on=date(2030, 1, 2), decision_due=date(2030, 4, 20)),  # due after the period
    ]  # fmt: skip
    t = tally(Facts(START, END, TODAY, disposals=rows))
    c = t.units[A]
    assert (c["cases"], c["cases_decided_on_time"]) == (3, 1) and c["disposals"] == 0
    late = [e for e in t.evidence[A] if e["kind"] == "decision_overdue"]
    assert [(e["disposal"], e["on"]) for e in late] == [("CZ-7", None), ("CZ-8", "2030-03-05")]


def test_late_recording_and_slow_review_are_counted_with_evidence() -> None:
    targets = [
        TargetRow("T1", "U1", date(2030, 2, 10), date(2030, 3, 10), date(2030, 2, 20), "未发现问题",
                  record_due=date(2030, 2, 15), recorded_on=date(2030, 2, 12),
                  confirmed_on=date(2030, 2, 12), reviewed_on=date(2030, 2, 19)),
        TargetRow("T1", "U2", date(2030, 2, 10), date(2030, 3, 10), None, "未发现问题",
                  record_due=date(2030, 2, 15), recorded_on=date(2030, 2, 20), confirmed_on=date(2030, 2, 20)),
    ]  # fmt: skip
    t = tally(Facts(START, END, TODAY, tasks=[_task()], targets=targets))
    c = t.units[A]
    assert (c["recorded"], c["recorded_on_time"], c["reviews"], c["reviews_on_time"]) == (2, 1, 2, 1)
    late = {e["kind"]: e for e in t.evidence[A] if e["kind"] in ("recording_late", "review_late")}
    assert late["recording_late"]["uscc"] == "U2" and late["review_late"]["reviewed"] is None
