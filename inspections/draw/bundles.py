"""Which record and bundle a set of published files holds, and its verification (docs/draw-algorithm.md §10.9)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from inspections.draw.algorithm import ALGORITHM
from inspections.draw.checks import Report
from inspections.draw.frozen import FULL_BUNDLE
from inspections.draw.record_v1 import verify_bundle
from inspections.draw.record_v2 import ALGORITHM_V2, verify_v2
from inspections.draw.record_v3 import verify_v3


def bundle_kind(names: Sequence[str]) -> str:
    """Which bundle a set of file names is: full, public (v2 or v3) or v1 (three files)."""
    if all(n in names for n in FULL_BUNDLE):
        return "full"
    if "firms.txt" in names:
        return "public"
    return "v1" if {"population.txt", "inspectors.txt"} <= set(names) else "unknown"


def is_v1(record_text: str) -> bool:
    """Whether a record.json is of algorithm v1 (canonical JSON: `algorithm` is its first key)."""
    return record_text.startswith(f'{{"algorithm":"{ALGORITHM}"')


def is_v2(record_text: str) -> bool:
    """Whether a record.json is of algorithm v2 (its first key, as for v1)."""
    return record_text.startswith(f'{{"algorithm":"{ALGORITHM_V2}"')


def verify_files(files: Mapping[str, str]) -> Report:
    """Verify whichever bundle these files are: full or public of v2 or v3, or the three files of a v1 record."""
    record = files.get("record.json", "")
    if is_v1(record):
        if not {"population.txt", "inspectors.txt"} <= set(files):
            return Report(bundle="v1").fail("a v1 record is verified with its population.txt and inspectors.txt")
        verdict = verify_bundle(record, files["population.txt"], files["inspectors.txt"])
        report = Report(bundle="v1", checks=["第1版记录：名录摘要、种子与完整重算"])
        return report if verdict.ok else report.fail(str(verdict.difference))
    if "record.json" not in files:
        return Report(bundle="unknown").fail("no record.json")
    return verify_v2(files) if is_v2(record) else verify_v3(files)
