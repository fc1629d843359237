"""Referral to accounting (معرفی به حسابداری): the patient, the coverage share, each
cost item and the support it gets, for the hospital's accounting office."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from cancer_desk.core.costs import COST_KINDS, NO_SUPPORT_REASONS
from cancer_desk.core.persian import format_number
from cancer_desk.core.records import ReferralDocument
from cancer_desk.core.reference import hospital_title
from cancer_desk.print import rtl
from cancer_desk.print.common import amount, fa, jdate
from cancer_desk.print.layout import Cell, Sheet

_WIDTHS = (0.45, 0.95, 2.2, 0.5, 1.2, 1.2, 0.5, 1.2)


def render_referral(doc: ReferralDocument, target: Path | BinaryIO) -> None:
    identity = doc.patient.identity
    assessment = doc.assessment
    budget = rtl.ltr(fa(doc.header.budget_line))
    sheet = Sheet(target, title=f"معرفی‌نامه {doc.number} — {identity.full_name}",
                  running_header=f"معرفی‌نامه شماره {fa(doc.number)} — {identity.full_name} "
                                 "(ادامه)",
                  subject="معرفی بیمار به حسابداری برای سهم حمایت برنامه",
                  author=doc.header.hospital)
    sheet.header(form_name="معرفی بیمار به حسابداری", university=doc.header.university,
                 hospital=doc.header.hospital,
                 left_lines=[f"شماره: {fa(doc.number)}", f"تاریخ: {jdate(doc.created_on)}"])
    sheet.gap(10)
    sheet.lines([f"حسابداری محترم {hospital_title(doc.header.hospital)}", "با سلام و احترام،"],
                bold=False)
    sheet.gap(2)
    assessed = (f"بر اساس ارزیابی مورخ {jdate(assessment.assessed_on)} (امتیاز "
                f"{fa(assessment.score)} از ۱۰۰، {doc.ruleset_name}) سهم حمایت برنامه "
                f"{fa(assessment.coverage_percent)} درصد است و " if assessment else "")
    sheet.lines([
        f"بیمار {identity.full_name} فرزند {identity.father_name} به کد ملی "
        f"{fa(identity.national_code)}، مبتلا به سرطان {doc.cancer_group}، در برنامه حمایت از "
        f"بیماران مبتلا به سرطان (قانون ردیف\u00a0{budget}) از هزینه‌های درمان خارج از "
        f"تعهدات بیمه‌ای حمایت می‌شود؛ {assessed}برای پرداخت سهم برنامه از هزینه‌های زیر "
        "معرفی می‌شود. سهم هر قلم، به نرخ ارزیابی‌ای که در تاریخ آن هزینه معتبر بوده، در "
        "جدول آمده است. هر قلم فقط یک بار به حسابداری معرفی می‌شود.",
    ])
    sheet.gap(6)
    headings = ("ردیف", "تاریخ", "شرح هزینه", "تعداد", "مبلغ کل (تومان)",
                "در تعهد بیمه (تومان)", "سهم", "حمایت (تومان)")
    sheet.row([Cell(h, heading=True, weight=w, align="center")
               for h, w in zip(headings, _WIDTHS, strict=True)])
    notes: list[str] = []
    for index, item in enumerate(doc.items, start=1):
        title = item.title
        if item.item.kind != "drug":
            title = f"{COST_KINDS[item.item.kind]}: {title}" if title else COST_KINDS[
                item.item.kind]
        if item.support.reason is not None:
            notes.append(f"ردیف {fa(index)}: {NO_SUPPORT_REASONS[item.support.reason]}.")
        share = (f"{fa(item.support.coverage_percent)}٪"
                 if item.support.coverage_percent is not None else "—")
        values = (fa(index), jdate(item.item.item_date), title, fa(item.item.quantity),
                  format_number(item.item.amount), format_number(item.item.insured_part),
                  share, format_number(item.support.amount))
        sheet.row([Cell(value=v, weight=w, align="right" if col == 2 else "center")
                   for col, (v, w) in enumerate(zip(values, _WIDTHS, strict=True))])
    if not doc.items:
        sheet.row([Cell(value="هزینه‌ای ثبت نشده است.", align="center")])
    sheet.row([Cell(value="جمع", heading=True, weight=sum(_WIDTHS[:4])),
               Cell(value=format_number(doc.totals.total_amount), heading=True, weight=_WIDTHS[4],
                    align="center"),
               Cell(value=format_number(doc.totals.total_insured), heading=True,
                    weight=_WIDTHS[5], align="center"),
               Cell(value="", heading=True, weight=_WIDTHS[6]),
               Cell(value=format_number(doc.totals.total_support), heading=True, weight=_WIDTHS[7],
                    align="center")])
    sheet.gap(4)
    sheet.lines([f"جمع سهم حمایت برنامه: {amount(doc.totals.total_support)}", *notes])
    sheet.signature_boxes([
        ("مددکار اجتماعی", doc.created_by),
        ("مهر و امضاء ریاست/مدیریت بیمارستان", doc.header.director_name),
        ("دریافت در حسابداری", ""),
    ], height=70)
    sheet.finish()
