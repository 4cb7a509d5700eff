"""Read and write the spreadsheets that 名录库 data arrives in (.csv and .xlsx)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, bad encoding)."""


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) pairs; line numbers count the header as line 1."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(data)
    raise TableError(f"unsupported file type {filename!r}: use .csv or .xlsx")


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


def _rows(header: Sequence[Any], body: Iterable[Sequence[Any]]) -> list[tuple[int, dict[str, str]]]:
    keys = [_clean(h) for h in header]
    if not any(keys):
        raise TableError("the first row must be a header naming the columns")
    out = []
    for line, values in enumerate(body, start=2):
        row = {k: _clean(v) for k, v in zip(keys, values, strict=False) if k}
        if any(row.values()):
            out.append((line, row))
    return out


def _read_csv(data: bytes) -> list[tuple[int, dict[str, str]]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("the CSV file is neither UTF-8 nor GB18030 encoded")
    reader = list(csv.reader(io.StringIO(text)))
    if not reader:
        raise TableError("the file is empty")
    return _rows(reader[0], reader[1:])


def _read_xlsx(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for corrupt files
        raise TableError(f"not a readable .xlsx file: {exc}") from None
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise TableError("the worksheet is empty")
    return _rows(rows[0], rows[1:])


def write_table(fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Serialize rows as .csv (UTF-8 with BOM, so Excel opens it) or .xlsx."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(rows)
        return ("\ufeff" + buf.getvalue()).encode()
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(list(header))
        for r in rows:
            ws.append(list(r))
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise TableError(f"unsupported export format {fmt!r}")
