"""The 责令改正通知书 as a PDF, from plain data (no session, no Flask), in supervise.paper's one-addressee layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from supervise.citations import for_paper
from supervise.paper import render_paper, sentence


def render_notice(notice: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the 责令改正通知书: 文号, the firm, the findings and their basis, the deadline, the 复查."""
    basis = for_paper(notice["legal_basis"] or "") or "有关法律、法规"
    paragraphs = [
        f"本机关于{notice['inspected_on']}对你单位开展“双随机、一公开”抽查（{notice['task']}），"
        f"发现你单位存在下列问题：{sentence(notice['reason'])}",
        f"上述行为不符合{basis}的规定。现责令你单位于{notice['deadline']}前改正，并将改正情况书面报告本机关。"
        f"本机关将自{notice['recheck_start']}起至{notice['recheck_end']}期间进行复查；"
        "逾期不改正的，本机关将依法处理。",
    ]
    return render_paper(
        {
            "issuer": notice["issuer"], "title": "责令改正通知书", "number": notice["notice_number"],
            "firm_name": notice["firm_name"], "uscc": notice["uscc"], "paragraphs": paragraphs,
            "dated": notice["notice_on"], "receiver": "被检查对象签收",
        },
        font=font,
    )  # fmt: skip
