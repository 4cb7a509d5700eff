"""Official papers as PDFs, from plain data (no session, no Flask): the embedded CJK font, page numbers after
GB/T 9704 ("— 1 —"), the paragraph styles, dates as papers write them, and one layout for a one-addressee paper
(通知书, 告知书, 决定书, 函) with its seal line and receipt box. Every domain's papers are built on this."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph

FONT = "SuperviseCJK"  # the one embedded (subset) TrueType CJK font

# reportlab's CJK wrapping keeps Japanese punctuation from starting a line, but not the Chinese full-width marks
# (，：；？！ and closing brackets and quotes): add them once for every paper laid out with wordWrap="CJK".
for _wrapping in (_paragraph, _textsplit):  # one-run paragraphs wrap in textsplit, mixed ones in paragraph
    _wrapping.ALL_CANNOT_START += "".join(c for c in "，：；？！）》〉」』”’" if c not in _wrapping.ALL_CANNOT_START)


class PdfFontMissing(RuntimeError):
    """No embeddable TrueType CJK font is installed."""


def register_font(path: Path, index: int = 0) -> None:
    """Register the TrueType CJK font that every page embeds (subset)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=index))


def paper_date(day: date) -> str:
    """A date as an official paper writes it (2026年12月6日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def sentence(text: str) -> str:
    """Text as a sentence of a paper: closed with 。 unless it already ends with a closing mark (GB/T 9704)."""
    text = text.strip().rstrip("；;，,")
    return text if text.endswith(("。", "！", "？")) else text + "。"


def numbered_canvas(total_label: str = "") -> type[rl_canvas.Canvas]:
    """A canvas that numbers pages "— N —" (GB/T 9704) and, for a long report, prints its label at the left."""

    class NumberedCanvas(rl_canvas.Canvas):
        """Defers page output so every footer knows the page count."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("invariant", 1)  # no random ID or timestamp: same data, same bytes
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, 10)
                self.drawCentredString(A4[0] / 2, 12 * mm, f"— {n} —")
                if total_label:
                    self.setFont(FONT, 8)
                    self.drawString(20 * mm, 12 * mm, f"{total_label}（共 {len(self._pages)} 页）")
                super().showPage()
            super().save()

    return NumberedCanvas


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the formal documents."""
    # CJK wrapping everywhere: reportlab's default splits an overlong "word" (a Chinese sentence has no spaces) at
    # any character, 文号 and 统一社会信用代码 included; the CJK wrapper backs up to keep a run of ASCII whole and
    # keeps closing marks off the start of a line.
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=6),
        "sub": ParagraphStyle("sub", parent=base, alignment=TA_CENTER, textColor=colors.HexColor("#444444")),
        "h1": ParagraphStyle("h1", parent=base, fontSize=14, leading=20, spaceBefore=10, spaceAfter=6),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
    }


def page_count(pdf: bytes) -> int:
    """Pages of a PDF built here (reportlab writes one /Type /Page object per page)."""
    return len(re.findall(rb"/Type /Page(?!s)", pdf))


def render_paper(paper: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build a paper from its data: issuer, title, 文号, addressee, paragraphs, seal and date, the receipt box.

    The addressee is `addressee` when given (a unit), else the firm with its 统一社会信用代码; `receiver` labels the
    receipt box, and `receipt` False leaves it out (a paper kept on file, not served)."""
    register_font(*font)
    st = styles()
    # CJK wrapping keeps a comma or a closing bracket from starting a line
    body = ParagraphStyle("paper", parent=st["body"], fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK")
    right = ParagraphStyle("right", parent=st["body"], fontSize=12, leading=22, alignment=TA_RIGHT)
    addressee = paper.get("addressee") or f"{paper['firm_name']}（统一社会信用代码：{paper['uscc']}）"
    story: list[Any] = [
        Paragraph(paper["issuer"], st["title"]),
        Paragraph(paper["title"], st["title"]),
        Paragraph(paper["number"], st["sub"]),
        Spacer(1, 8 * mm),
        Paragraph(f"{addressee}：", ParagraphStyle("to", parent=st["body"], fontSize=12, leading=22)),
        Spacer(1, 3 * mm),
        *[Paragraph(text, body) for text in paper["paragraphs"]],
        Spacer(1, 14 * mm),
        Paragraph(f"{paper['issuer']}（印章）", right),
        Paragraph(paper["dated"], right),
        Spacer(1, 14 * mm),
    ]
    if paper.get("receipt", True):
        receipt = (paper.get("receiver", "当事人签收"), "", "签收日期", "　　年　　月　　日")
        sign = Table(
            [[Paragraph(v, st["body"]) for v in receipt]],
            colWidths=[32 * mm, 70 * mm, 24 * mm, 44 * mm],
            rowHeights=[16 * mm],
        )
        sign.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        copies = paper.get("copies", f"本{paper['title']}一式两份，一份送达{paper.get('served', '当事人')}，一份存档。")
        story += [sign, Spacer(1, 4 * mm), Paragraph(copies, st["small"])]
    return _build(story, paper)  # the 文号 is in the heading


def render_receipt(receipt: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build a 送达回证: the issuer, the title, the served paper's 文号 and a two-column form filled in by hand."""
    register_font(*font)
    st = styles()
    cell = ParagraphStyle("cell", parent=st["body"], fontSize=12, leading=18, wordWrap="CJK")
    table = Table(
        [[Paragraph(label, cell), Paragraph(value, cell)] for label, value in receipt["rows"]],
        colWidths=[48 * mm, 112 * mm], rowHeights=[18 * mm] * len(receipt["rows"]),
    )  # fmt: skip
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        Paragraph(receipt["issuer"], st["title"]),
        Paragraph(receipt["title"], st["title"]),
        Paragraph(receipt["number"], st["sub"]),
        Spacer(1, 8 * mm),
        table,
    ]
    return _build(story, receipt)


def _build(story: list[Any], paper: dict[str, Any]) -> bytes:
    """Lay a paper's story on A4 with its title and issuer in the metadata and its page numbers only."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=20 * mm,
        title=f"{paper['title']} {paper['number']}", author=paper["issuer"],
    )  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas())
    return out.getvalue()
