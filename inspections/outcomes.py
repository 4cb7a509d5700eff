"""Result categories, per-point outcomes and the review states of a visit: pure rules, no database.

A visit (one drawn firm) is recorded by each department of the task for its own items (谁检查、谁录入); each
department's part is confirmed by a teammate who did not record it (同组确认); the result is then reviewed by
the lead department's 审核人员, who returns it with a reason (退回) or publishes it (公示)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NO_PROBLEM = "未发现问题"

# The national 抽查检查结果 categories. `problem`: a finding that needs a 后续处置 before the result is complete.
# 已迁出 and 被撤销 are categories of their own; 已注销或被吊销 stays for the results already recorded with it.
CATEGORIES: tuple[tuple[str, bool], ...] = (
    (NO_PROBLEM, False),
    ("未按规定公示应当公示的信息", True),
    ("公示信息隐瞒真实情况、弄虚作假", True),
    ("通过登记的住所（经营场所）无法联系", True),
    ("不配合检查情节严重", True),
    ("未发现开展本次抽查涉及的经营活动", False),
    ("已关闭停业或正在组织清算", False),
    ("已注销或被吊销", False),
    ("已迁出", False),
    ("被撤销", False),
    ("发现问题已责令改正", True),
    ("发现问题待后续处理", True),
)
PROBLEM_CATEGORIES = frozenset(name for name, problem in CATEGORIES if problem)
FINDING_CATEGORIES = frozenset({"发现问题已责令改正", "发现问题待后续处理"})

COMPLIANT, NONCOMPLIANT, NOT_APPLICABLE, NOT_CHECKED = "符合", "不符合", "不适用", "未检查"
POINT_OUTCOMES = (COMPLIANT, NONCOMPLIANT, NOT_APPLICABLE, NOT_CHECKED)

# The review states, in the order a result passes through them.
RECORDING, TO_DISPOSE, TO_CONFIRM, TO_REVIEW, RETURNED, PUBLISHED = (
    "录入中", "待处置", "待确认", "待审核", "已退回", "已公示",
)  # fmt: skip


def consistency_error(category: str, outcomes: Iterable[str]) -> str | None:
    """Say why `category` contradicts the point outcomes, or return None when they agree."""
    seen = list(outcomes)
    if category == NO_PROBLEM and NONCOMPLIANT in seen:
        return f"检查要点中有“{NONCOMPLIANT}”项，检查结果不能为“{NO_PROBLEM}”"
    if category in FINDING_CATEGORIES and seen and NONCOMPLIANT not in seen:
        return f"检查结果为“{category}”时，应至少有一项检查要点为“{NONCOMPLIANT}”"
    return None


def overall_category(parts: Sequence[str]) -> str:
    """The visit's category from the departments' parts in recording order (本地设定).

    未发现问题 only when every department found nothing; otherwise the first department's problem category, so
    a joint visit never publishes 未发现问题 over another department's finding."""
    for category in parts:
        if category != NO_PROBLEM:
            return category
    return parts[0] if parts else NO_PROBLEM


@dataclass(frozen=True)
class Progress:
    """What is known of a visit's result, enough to name its review state."""

    departments_needed: int
    parts_recorded: int
    parts_confirmed: int
    returned: bool
    published: bool
    needs_disposal: bool = False  # a 不符合 point or a problem category
    disposals: int = 0

    @property
    def disposed(self) -> bool:
        """A finding has its 后续处置 recorded (or there is no finding)."""
        return not self.needs_disposal or self.disposals > 0

    @property
    def complete(self) -> bool:
        """Every department of the task has recorded its items."""
        return self.parts_recorded >= self.departments_needed

    @property
    def state(self) -> str:
        """The review state (录入中, 待处置, 待确认, 待审核, 已退回 or 已公示)."""
        if self.published:
            return PUBLISHED
        if self.returned:
            return RETURNED
        if not self.complete:
            return RECORDING
        if not self.disposed:
            return TO_DISPOSE
        if self.parts_confirmed < self.parts_recorded:
            return TO_CONFIRM
        return TO_REVIEW
