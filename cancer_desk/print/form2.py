"""Form 2 (فرم شماره دو): the performance report of a period, for the hospital head's
stamp and the university's deputy for treatment."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from cancer_desk.core.costs import MONEY_UNIT
from cancer_desk.core.records import Form2Document
from cancer_desk.print import rtl
from cancer_desk.print.common import fa, jdate
from cancer_desk.print.layout import Cell, Sheet
from cancer_desk.print.seal_mark import DRAFT, draw_draft_mark

_WIDTHS = (0.5, 3.0, 1.6, 1.6, 1.8)


def _money(value: int) -> str:
    return fa(f"{value:,}".replace(",", "٬"))


def draft_text(doc: Form2Document) -> str:
    """«پیش‌نویس — تا تاریخ ۱۴۰۵/۰۹/۱۱», or "" for a closed quarter's own copy."""
    if doc.draft_until is None:
        return ""
    return f"{DRAFT} — تا تاریخ {jdate(doc.draft_until)}"


def render_form2(doc: Form2Document, target: Path | BinaryIO) -> None:
    form2 = doc.form2
    budget = rtl.ltr(fa(doc.header.budget_line))
    period = f"{jdate(form2.start)} تا {jdate(form2.end)}"
    draft = draft_text(doc)
    sheet = Sheet(target, title=f"فرم شماره دو — {period}" + (f" — {draft}" if draft else ""),
                  running_header=f"فرم شماره دو — {period} (ادامه)"
                                 + (f" — {draft}" if draft else ""),
                  subject=f"گزارش عملکرد برنامه حمایت از بیماران مبتلا به سرطان، {period}",
                  author=doc.header.hospital)
    header_top = sheet.y
    sheet.header(form_name="فرم شماره دو", university=doc.header.university,
                 hospital=doc.header.hospital,
                 left_lines=[doc.period_name] if doc.period_name else [])
    if draft:
        draw_draft_mark(sheet, header_top, draft)
    sheet.gap(6)
    sheet.lines([f"گزارش عملکرد در خصوص قانون ردیف\u00a0{budget} مورخ {period}"], size=11,
                bold=True, align="center")
    sheet.gap(6)
    headings = ("ردیف", "نوع سرطان", "تعداد کل بیماران سرطانی مراجعه‌کننده",
                "تعداد کل بیماران سرطانی مشمول دستورالعمل",
                f"هزینه‌کرد از محل قانون ردیف\u00a0{budget} ({MONEY_UNIT})")
    sheet.row([Cell(h, heading=True, weight=w, align="center")
               for h, w in zip(headings, _WIDTHS, strict=True)])
    for row in form2.rows:
        sheet.row([Cell(value=fa(row.group_id), weight=_WIDTHS[0], align="center"),
                   Cell(value=row.label, weight=_WIDTHS[1]),
                   Cell(value=fa(row.seen), weight=_WIDTHS[2], align="center"),
                   Cell(value=fa(row.covered), weight=_WIDTHS[3], align="center"),
                   Cell(value=_money(row.spent), weight=_WIDTHS[4], align="center")])
    total = form2.total
    sheet.row([Cell(value="جمع کل", heading=True, weight=_WIDTHS[0] + _WIDTHS[1]),
               Cell(value=fa(total.seen), heading=True, weight=_WIDTHS[2], align="center"),
               Cell(value=fa(total.covered), heading=True, weight=_WIDTHS[3], align="center"),
               Cell(value=_money(total.spent), heading=True, weight=_WIDTHS[4],
                    align="center")])
    if form2.outside is not None:  # under the total, and not in it
        outside = form2.outside
        sheet.row([Cell(value=outside.label, weight=_WIDTHS[0] + _WIDTHS[1]),
                   Cell(value=fa(outside.seen), weight=_WIDTHS[2], align="center"),
                   Cell(value=fa(outside.covered), weight=_WIDTHS[3], align="center"),
                   Cell(value=_money(outside.spent), weight=_WIDTHS[4], align="center")])
    sheet.gap(6)
    sheet.lines([
        "مراجعه‌کننده: بیماری که در این دوره ثبت یا ارزیابی شده یا هزینه‌ای برایش ثبت شده است. "
        "مشمول: بیماری که در این دوره حمایت مالی (سهم برنامه بیش از صفر) گرفته است. "
        "هزینه‌کرد: جمع سهم حمایت اقلام هزینه این دوره. «جمع کل» جمع ۹ گروه دستورالعمل است؛ "
        "بیماران با سرطانی خارج از این گروه‌ها (که حمایت نمی‌شوند) جدا، زیر آن، آمده‌اند.",
    ], size=8)
    sheet.signature_boxes([
        ("تهیه‌کننده (مددکار اجتماعی)", doc.prepared_by),
        ("مهر و امضاء ریاست/مدیریت بیمارستان", doc.header.director_name),
        ("معاون درمان دانشگاه/دانشکده", ""),
    ], height=72)
    sheet.finish()
