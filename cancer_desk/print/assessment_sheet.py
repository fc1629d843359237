"""The eligibility assessment sheet: each criterion, the answer, its points, the total
and the band — so the director sees why the patient gets this share."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from cancer_desk.core.records import AssessmentSheetDocument
from cancer_desk.core.rules import Criterion
from cancer_desk.print.common import fa, jdate
from cancer_desk.print.layout import Cell, Sheet


def answer_text(criterion: Criterion, value: object) -> str:
    if criterion.kind == "choice":
        option = criterion.option(str(value))
        return option.label if option else str(value)
    # A count criterion's answer: an int, or its digits as a form gave them.
    count = int(value)  # type: ignore[call-overload]
    bracket = criterion.threshold_for(count).label
    if count == 0:
        return bracket  # «ندارد»
    return f"{fa(count)} {criterion.unit} ({bracket})".replace("  ", " ")


def render_assessment_sheet(doc: AssessmentSheetDocument, target: Path | BinaryIO) -> None:
    identity = doc.patient.identity
    record = doc.assessment
    ruleset = doc.ruleset
    sheet = Sheet(target, title=f"برگه ارزیابی — {identity.full_name}",
                  running_header=f"برگه ارزیابی — {identity.full_name} (ادامه)",
                  subject="برگه ارزیابی واجد شرایط بودن و میزان حمایت",
                  author=doc.header.hospital)
    sheet.header(form_name="برگه ارزیابی واجد شرایط بودن", university=doc.header.university,
                 hospital=doc.header.hospital,
                 left_lines=[f"تاریخ چاپ: {jdate(doc.printed_on)}"])
    sheet.gap(4)
    sheet.lines(["شاخص تعیین واجدین شرایط و میزان حمایت از بیماران مبتلا به سرطان"],
                size=10.5, bold=True, align="center")
    sheet.gap(2)
    sheet.row([Cell("نام و نام خانوادگی", identity.full_name, weight=1.4),
               Cell("نام پدر", identity.father_name),
               Cell("کد ملی", fa(identity.national_code)),
               Cell("نوع سرطان", doc.cancer_group, weight=1.6)])
    sheet.gap(6)
    widths = (0.5, 2.4, 3.2, 0.9)
    sheet.row([Cell("ردیف", heading=True, weight=widths[0], align="center"),
               Cell("معیار", heading=True, weight=widths[1]),
               Cell("پاسخ", heading=True, weight=widths[2]),
               Cell("امتیاز", heading=True, weight=widths[3], align="center")])
    for index, criterion in enumerate(ruleset.criteria, start=1):
        value = record.answers.get(criterion.id)
        sheet.row([
            Cell(value=fa(index), weight=widths[0], align="center"),
            Cell(value=criterion.label, weight=widths[1]),
            Cell(value=answer_text(criterion, value) if value is not None else "—",
                 weight=widths[2]),
            Cell(value=fa(record.points.get(criterion.id, 0)), weight=widths[3],
                 align="center"),
        ])
    sheet.row([Cell(value="جمع امتیاز", weight=sum(widths[:3]), heading=True),
               Cell(value=f"{fa(record.score)} از {fa(ruleset.max_score)}", weight=widths[3],
                    heading=True, align="center")])

    sheet.gap(8)
    sheet.lines(["بازه‌های امتیاز و سهم حمایت برنامه از هزینه‌های خارج از تعهدات بیمه‌ای:"],
                bold=True)
    band_cells = []
    for band in reversed(ruleset.bands):
        chosen = band.min_score <= record.score <= band.max_score
        band_cells.append(Cell(
            value=f"{fa(band.min_score)} تا {fa(band.max_score)}: "
                  f"{fa(band.coverage_percent)} درصد",
            dark=chosen, align="center"))
    sheet.row(band_cells)
    sheet.gap(4)
    sheet.lines([
        f"نتیجه: امتیاز {fa(record.score)} از {fa(ruleset.max_score)}؛ سهم حمایت برنامه "
        f"{fa(record.coverage_percent)} درصد از هزینه‌های درمان خارج از تعهدات بیمه‌ای "
        "(خانه تیره در جدول بالا).",
        f"شاخص به کار رفته: {ruleset.title} ({ruleset.source}).",
        f"تاریخ ارزیابی: {jdate(record.assessed_on)} — ارزیاب (مددکار اجتماعی): "
        f"{record.assessor}",
    ])
    sheet.signature_boxes([
        ("امضای مددکار اجتماعی", record.assessor),
        ("مهر و امضاء ریاست/مدیریت بیمارستان", doc.header.director_name),
    ], height=70)
    sheet.finish()
