"""Spreadsheet imports as units of work: a small file at once, a large one as a background job with progress.

Each domain declares its import's columns (supervise.importspec) and its runner (`runs_import`), a function
`(session, *, rows, actor, source, options) -> report`. The request (or the job) reads the file, hands the rows to
the runner inside one transaction, and the runner keeps all-or-nothing: any bad row raises
supervise.errors.import_rejected, which rolls everything back and names each bad row."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from pydantic import BaseModel

from supervise.config import current
from supervise.errors import ApiError
from supervise.importspec import SPECS
from supervise.tabular import TableError, read_table

log = logging.getLogger(__name__)
SYNC_BYTES = 256 * 1024  # a file up to this size is imported within the request; a larger one by a job
JOB_TIMEOUT = 30 * 60
PROGRESS_EVERY = 2000  # rows between two progress reports

Runner = Callable[..., Any]
RUNNERS: dict[str, Runner] = {}


def runs_import(kind: str) -> Callable[[Runner], Runner]:
    """Declare the function that runs one kind of import."""

    def decorate(fn: Runner) -> Runner:
        RUNNERS[kind] = fn
        return fn

    return decorate


def as_json(result: Any) -> dict[str, Any]:
    """A runner's report as plain data."""
    return result.model_dump(mode="json") if isinstance(result, BaseModel) else dict(result)


def _stash_dir() -> Path:
    path = current().instance_path / "imports"  # not under files/: a stashed upload is not kept or backed up
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash(data: bytes) -> str:
    """Keep an uploaded file for its job; return its name there (its SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    target = _stash_dir() / digest
    if not target.exists():
        part = target.with_suffix(".part")
        part.write_bytes(data)
        part.replace(target)
    return digest


class Counted(Sequence[tuple[int, dict[str, str]]]):
    """The rows of an import, reporting how far a runner has walked through them."""

    def __init__(self, rows: list[tuple[int, dict[str, str]]], report: Callable[[int, int], None]) -> None:
        self._rows, self._report = rows, report

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> tuple[int, dict[str, str]]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[int, dict[str, str]]]: ...
    def __getitem__(self, i: Any) -> Any:
        return self._rows[i]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        total = len(self._rows)
        for n, row in enumerate(self._rows, start=1):
            if n % PROGRESS_EVERY == 0:
                self._report(n, total)
            yield row


def run(kind: str, digest: str, filename: str, actor: str, options: dict[str, Any]) -> dict[str, Any]:
    """The import job: read the stashed file, run the import in one transaction, report each bad row."""
    from supervise.jobs import job_unit_of_work, report_progress

    spec, path = SPECS[kind], _stash_dir() / digest
    report_progress(0, None, f"正在读取 {filename}")
    try:
        rows = read_table(filename, path.read_bytes(), spec=spec)
    except TableError as exc:
        path.unlink(missing_ok=True)
        return {"ok": False, "message": str(exc), "errors": []}
    report_progress(0, len(rows), "正在校验并导入")
    try:
        with job_unit_of_work() as session:
            result = RUNNERS[kind](
                session,
                rows=Counted(rows, lambda done, total: report_progress(done, total, "正在校验并导入")),
                actor=actor,
                source=filename,
                options=options,
            )
    except ApiError as exc:  # all or nothing: the transaction rolled back; every bad row is named
        errors = [{**e, "label": spec.label_of(e.get("field", ""))} for e in exc.extra.get("errors", exc.fields)]
        return {"ok": False, "message": exc.message, "errors": errors}
    finally:
        path.unlink(missing_ok=True)
    report_progress(len(rows), len(rows), "已完成")
    return {"ok": True, "report": as_json(result)}
