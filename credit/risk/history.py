"""The history format (docs/risk.md): the Chicago benchmark's own CSV files, which the system's export also
writes. Pure: reads and writes a folder of CSV files into columnar frames; no Flask, no session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from supervise.errors import field_error

# file -> the columns the engine needs (every other column is kept and may be ignored)
REQUIRED: dict[str, tuple[str, ...]] = {
    "firms.csv": ("firm_id",),
    "inspections.csv": ("inspection_id", "firm_id", "date", "critical_found"),
    "due.csv": ("inspection_id", "firm_id"),
}
TEXT = (
    "inspection_id",
    "firm_id",
    "inspector_id",
    "zip",
    "ward",
    "police_district",
    "facility_group",
    "facility_type",
    "licence_type",
    "risk_category",
    "kind",
    "result",
)
DATES = ("date", "opened_on", "snapshot_date")
COUNTS = ("critical_count", "serious_count", "minor_count")
FILE_LABELS = {
    "firms.csv": "市场主体文件",
    "inspections.csv": "检查结果文件",
    "due.csv": "待检查清单",
    "area_signals.csv": "区域信号文件",
    "events.csv": "信用事件文件",
}


@dataclass(frozen=True)
class History:
    """Everything the engine may learn from: firms, past inspections with outcomes, dated events (complaints,
    penalties, list entries…), area signals, and the inspections to score (due)."""

    firms: pl.DataFrame
    inspections: pl.DataFrame
    due: pl.DataFrame
    events: pl.DataFrame
    area: pl.DataFrame

    def before(self, day: date) -> History:
        """The history as it stood at the start of `day`: every dated row strictly before it (due kept)."""
        return History(
            firms=self.firms,
            inspections=self.inspections.filter(pl.col("date") < day),
            due=self.due,
            events=self.events.filter(pl.col("date") < day),
            area=self.area.filter(pl.col("date") < day),
        )


def _read(folder: Path, name: str, required: tuple[str, ...]) -> pl.DataFrame:
    path = folder / name
    label = FILE_LABELS[name]
    if not path.is_file():
        raise field_error("history", f"{label}（{name}）不存在：{path}")
    try:
        frame = pl.read_csv(path, infer_schema=False)  # every cell as text; _typed casts and names bad cells
    except pl.exceptions.PolarsError as exc:
        raise field_error("history", f"{label}（{name}）无法读取：{str(exc).splitlines()[0]}") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise field_error("history", f"{label}（{name}）缺少列：{'、'.join(missing)}")
    return _typed(frame, label, name)


def _typed(frame: pl.DataFrame, label: str, name: str) -> pl.DataFrame:
    """Dates as dates, counts and signals as numbers, identifiers as text; a bad cell names its column."""
    casts = []
    for column in frame.columns:
        if column in DATES:
            casts.append(pl.col(column).str.to_date("%Y-%m-%d", strict=False).alias(column))
        elif column not in TEXT:
            casts.append(pl.col(column).cast(pl.Float64, strict=False).alias(column))
    typed = frame.with_columns(casts)
    for column in frame.columns:
        if column in TEXT:
            continue
        bad = typed[column].is_null() & frame[column].is_not_null() & (frame[column] != "")
        if bad.any():
            row = int(bad.arg_max() or 0) + 2  # the header is line 1
            kind = "日期（YYYY-MM-DD）" if column in DATES else "数值"
            raise field_error(
                "history", f"{label}（{name}）第 {row} 行的 {column} 应为{kind}：{frame[column][row - 2]}"
            )
    return typed


def read_history(folder: Path) -> History:
    """Read a history folder; a missing file or column, or a bad cell, is refused naming the file and column."""
    firms = _read(folder, "firms.csv", REQUIRED["firms.csv"])
    inspections = _read(folder, "inspections.csv", REQUIRED["inspections.csv"])
    due = _read(folder, "due.csv", REQUIRED["due.csv"])
    events = (
        _read(folder, "events.csv", ("firm_id", "date", "kind"))
        if (folder / "events.csv").is_file()
        else pl.DataFrame(schema={"firm_id": pl.Utf8, "date": pl.Date, "kind": pl.Utf8})
    )
    area = (
        _read(folder, "area_signals.csv", ("firm_id", "date"))
        if (folder / "area_signals.csv").is_file()
        else pl.DataFrame(schema={"firm_id": pl.Utf8, "date": pl.Date})
    )
    if inspections["date"].is_null().any():
        raise field_error("history", "检查结果文件（inspections.csv）的 date 列有空值")
    inspections = inspections.with_columns(pl.col("critical_found").fill_null(0))
    for column in COUNTS:
        if column not in inspections.columns:
            inspections = inspections.with_columns(pl.lit(None, dtype=pl.Float64).alias(column))
    return History(firms=firms, inspections=inspections, due=due, events=events, area=area)


def write_history(history: History, folder: Path) -> dict[str, int]:
    """Write a history folder in the same format; returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in (
        ("firms.csv", history.firms),
        ("inspections.csv", history.inspections),
        ("due.csv", history.due),
        ("events.csv", history.events),
        ("area_signals.csv", history.area),
    ):
        frame.write_csv(folder / name, date_format="%Y-%m-%d")
        written[name] = frame.height
    return written
