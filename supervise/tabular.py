"""Read and write the spreadsheets that 名录库 data arrives in (.csv and .xlsx)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from supervise.config import tuning

MAX_ROWS = 200_000  # a county's 名录库 is far smaller; a province is imported county by county
MAX_COLUMNS = 64
# What an .xlsx may expand to before parsing: a 231 KB "zip bomb" unpacks to gigabytes of sheet XML.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: a cell a spreadsheet would evaluate


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, bad encoding, missing columns)."""


class TableTooLarge(TableError):
    """The file exceeds the import limits (rows, columns or unpacked size)."""


def read_table(
    filename: str, data: bytes, *, required: Sequence[str] = (), spec: Any = None
) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) pairs; line numbers count the header as line 1.

    With an import's spec (supervise.importspec), the Chinese headers people's files have and the English names
    systems send both become the spec's keys. A file without data rows, or without one of the required columns,
    is refused as a whole."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        header, rows = _read_xlsx(data)
    elif lower.endswith(".csv") or lower.endswith(".txt"):
        header, rows = _read_csv(data)
    else:
        raise TableError(f"不支持的文件类型 {filename}：请使用 .csv 或 .xlsx")
    names = {c: c for c in required}
    if spec is not None:  # supervise.importspec.ImportSpec
        keys = spec.renames()
        header = [keys.get(fold(h), h) for h in header]
        rows = [(line, {keys.get(fold(k), k): v for k, v in row.items()}) for line, row in rows]
        required = tuple(required) or spec.required
        names = {c: f"{spec.label_of(c)}（{c}）" for c in required}
    missing = [names[c] for c in required if c not in header]
    if missing:
        raise TableError(f"缺少必需的列：{'、'.join(missing)}（第一行应为列名；可下载导入模板对照）")
    if not rows:
        raise TableError("文件只有表头，没有数据行")
    return rows


def fold(header: str) -> str:
    """A header as compared: without spaces, the '*' of a required column, or case."""
    return "".join(header.split()).replace("*", "").replace("（必填）", "").casefold()


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).replace("\x00", "").strip()  # a NUL byte is no text (PostgreSQL refuses it)


def _rows(header: Sequence[Any], body: Iterable[Sequence[Any]]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    keys = [_clean(h) for h in header]
    while keys and not keys[-1]:  # read-only .xlsx rows are padded with empty cells
        keys.pop()
    if not keys:
        raise TableError("第一行应为列名")
    if len(keys) > MAX_COLUMNS:
        raise TableTooLarge(f"列数超过 {MAX_COLUMNS} 列")
    out = []
    for line, values in enumerate(body, start=2):
        if line - 1 > MAX_ROWS:
            raise TableTooLarge(f"数据行超过 {MAX_ROWS} 行，请分批导入")
        row = {k: _clean(v) for k, v in zip(keys, values, strict=False) if k}
        if any(row.values()):
            out.append((line, row))
    return [k for k in keys if k], out


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("CSV 文件的编码既不是 UTF-8 也不是 GB18030")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None:
            raise TableError("文件是空的")
        return _rows(header, reader)
    except csv.Error:  # a cell over the csv module's limit, a NUL byte, a broken quote
        raise TableError(
            f"第 {reader.line_num} 行无法读取：单元格超过 {csv.field_size_limit()} 个字符、含有空字符或引号不成对"
        ) from None


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError("不是有效的 .xlsx 文件") from None
    limit_mb = tuning().import_max_mb  # SUPERVISE_IMPORT_MAX_MB
    if unpacked > limit_mb * 1024 * 1024:  # checked before any XML is parsed
        raise TableTooLarge(f"文件解压后超过 {limit_mb} MB，请分批导入")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises several unrelated types for corrupt files
        raise TableError("不是有效的 .xlsx 文件") from None
    rows = wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
    header = next(rows, None)
    if header is None:
        raise TableError("工作表是空的")
    return _rows(header, rows)


def write_table(fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Serialize rows as .csv (UTF-8 with BOM, so Excel opens it) or .xlsx."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([neutralise(h) for h in header])
        writer.writerows([neutralise(v) for v in r] for r in rows)
        return ("\ufeff" + buf.getvalue()).encode()
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append([_text_cell(ws, h) for h in header])
        for r in rows:
            ws.append([_text_cell(ws, v) for v in r])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise TableError(f"不支持的导出格式 {fmt}")


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection rule)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text_cell(ws: Any, value: Any) -> Any:
    """An .xlsx cell: text is stored as text (never a formula), numbers and dates as themselves."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws, value=neutralise(value))
    cell.data_type = "s"
    return cell
