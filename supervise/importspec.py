"""What each spreadsheet import reads: its columns with the Chinese headers people's files have, the English
names systems send, and an example; and the 导入模板 every import offers for download.

Domains declare their imports here (`register`), so that one template route and one header rule serve them
all."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from supervise.tabular import fold, neutralise


@dataclass(frozen=True)
class Column:
    """One column: its key (the English name systems use), its Chinese header and the other headers accepted."""

    key: str
    label: str
    required: bool = False
    example: str = ""
    note: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSpec:
    """One import: what it is called, who may run it, and its columns in template order."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    roles: tuple[str, ...] = ("admin",)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def renames(self) -> dict[str, str]:
        """Every header accepted, folded (no spaces, case-blind for English), mapped to its column's key."""
        out: dict[str, str] = {}
        for c in self.columns:
            for name in (c.key, c.label, *c.aliases):
                out[fold(name)] = c.key
        return out

    def label_of(self, key: str) -> str:
        return next((c.label for c in self.columns if c.key == key), key)


SPECS: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    """Declare an import (once per kind)."""
    SPECS[spec.kind] = spec
    return spec


def template(spec: ImportSpec) -> bytes:
    """The 导入模板: a sheet with the headers and an example row, and a sheet explaining each column."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "导入模板"
    sheet.append([f"{c.label}*" if c.required else c.label for c in spec.columns])
    sheet.append([neutralise(c.example) for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, c in enumerate(spec.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(12, len(c.label) * 2 + 4)
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "系统接口字段名", "是否必填", "填写说明", "也接受的列名"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for c in spec.columns:
        notes.append([c.label, c.key, "必填" if c.required else "选填", c.note, "、".join(c.aliases)])
    notes.append([])
    notes.append([f"{spec.title}：第一行为列名（带 * 的为必填），第二行起每行一条；示例行请删除后再导入。"])
    notes.append(["任何一行有错误时整个文件都不导入，错误逐行列出；.csv 请用 UTF-8 或 GB18030 编码保存。"])
    for col_letter, width in (("A", 18), ("B", 22), ("C", 10), ("D", 60), ("E", 30)):
        notes.column_dimensions[col_letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
