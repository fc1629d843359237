"""Form 1 (فرم شماره یک): the information form of a patient under the programme,
laid out like the paper form, for the hospital head's stamp."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from cancer_desk.core import case as c
from cancer_desk.core.records import Form1Document
from cancer_desk.print import rtl
from cancer_desk.print.common import amount, fa, identity_rows, jdate, options
from cancer_desk.print.layout import Cell, Sheet
from cancer_desk.print.seal_mark import DRAFT, draw_draft_mark, seal_aside

FORM1_SUBJECT = "فرم اطلاعاتی بیماران مبتلا به سرطان تحت حمایت برنامه"


def _treatment(doc: Form1Document, name: str) -> Cell:
    record = doc.case
    choice = getattr(record, name)
    date = getattr(record, f"{name}_date")
    answer: list[tuple[str, bool | None]] = list(options(c.YES_NO, choice))
    if date:
        answer.append((f"تاریخ: {jdate(date)}", None))
    return Cell(doc.case_labels[name], options=answer)


def _running_header(doc: Form1Document) -> str:
    identity = doc.patient.identity
    # Every page of a draft says so, not only the first.
    draft = f" — {DRAFT}" if doc.seal is None else ""
    return (f"فرم شماره یک — {identity.full_name} — کد ملی {fa(identity.national_code)} "
            f"(ادامه){draft}")


def render_form1(doc: Form1Document, target: Path | BinaryIO) -> None:
    sheet = Sheet(target, title=f"فرم شماره یک — {doc.patient.identity.full_name}",
                  running_header=_running_header(doc), subject=FORM1_SUBJECT,
                  author=doc.header.hospital)
    draw_form1(sheet, doc)
    sheet.finish()


def render_form1_batch(docs: Iterable[Form1Document], target: Path | BinaryIO, *,
                       title: str) -> int:
    """Many patients' Forms 1 in one PDF, each from a page of its own with its own page
    numbers and running header, and a bookmark under the patient's name; returns how
    many. ``docs`` is read as the pages are drawn, so a long batch never holds every
    patient's record at once (and whatever produces them can stop it between two)."""
    sheet: Sheet | None = None
    count = 0
    for doc in docs:
        if sheet is None:
            sheet = Sheet(target, title=title, running_header=_running_header(doc),
                          subject=FORM1_SUBJECT, author=doc.header.hospital)
        else:
            sheet.next_document(running_header=_running_header(doc))
        count += 1
        key = f"form1-{count}"
        sheet.canvas.bookmarkPage(key)
        identity = doc.patient.identity
        sheet.canvas.addOutlineEntry(f"{identity.full_name} — {fa(identity.national_code)}",
                                     key, level=0)
        draw_form1(sheet, doc)
    if sheet is None:
        raise ValueError("no Form 1 to print")
    sheet.finish()
    return count


def draw_form1(sheet: Sheet, doc: Form1Document) -> None:
    """One patient's Form 1, from the top of the sheet's current page."""
    record = doc.case
    names = doc.case_labels
    identity = doc.patient.identity
    budget = rtl.ltr(fa(doc.header.budget_line))
    header_top = sheet.y
    sheet.header(form_name="فرم شماره یک", university=doc.header.university,
                 hospital=doc.header.hospital,
                 left_lines=[f"تاریخ چاپ: {jdate(doc.printed_on)}"])
    if doc.seal is None:
        draw_draft_mark(sheet, header_top)
    sheet.gap(4)
    sheet.lines([f"فرم اطلاعاتی بیماران مبتلا به سرطان تحت حمایت قانون ردیف\u00a0{budget} "
                 f"سال {fa(doc.header.programme_year)}"], size=10.5, bold=True, align="center")
    sheet.gap(2)
    sheet.row([Cell("کد ملی", fa(identity.national_code), weight=1),
               Cell("کد ICD-10", identity.icd10_code, weight=1)])

    sheet.section("الف/ اطلاعات هویتی بیمار")
    for row in identity_rows(doc.patient, doc.cancer_group):
        sheet.row(row)

    sheet.section("ب/ اطلاعات تشخیص و درمان بیمار")
    sheet.row([Cell(names["diagnosis_method"],
                    options=options(c.DIAGNOSIS_METHODS, record.diagnosis_method), weight=2),
               Cell(names["diagnosis_date"], jdate(record.diagnosis_date))])
    stage = " ".join(v for v in (record.stage_t, record.stage_n, record.stage_m) if v)
    sheet.row([Cell("مرحله (TNM)", stage), Cell("درجه (Grade)", record.grade),
               Cell(names["treatment_intent"],
                    options=options(c.TREATMENT_INTENTS, record.treatment_intent), weight=2)])
    sheet.row([_treatment(doc, "surgery"), _treatment(doc, "radiotherapy"),
               _treatment(doc, "chemotherapy")])
    sheet.row([Cell(names["chemotherapy_regimen"], record.chemotherapy_regimen)])
    sheet.row([Cell(names["hormone_therapy"],
                    options=options(c.YES_NO_UNKNOWN, record.hormone_therapy)),
               Cell(names["received_item"],
                    options=options(c.YES_NO_UNKNOWN, record.received_item))])
    stay = " ".join(p for p in (
        f"{fa(record.hospital_stay_days)} روز" if record.hospital_stay_days is not None else "",
        f"{fa(record.hospital_stay_months)} ماه" if record.hospital_stay_months is not None
        else "") if p)
    sheet.row([Cell(names["admissions_count"], fa(record.admissions_count)),
               Cell("مجموع زمان بستری در بیمارستان", stay)])

    sheet.section("ج/ اطلاعات سایر بیماری")
    sheet.row([Cell(names["recurrence"], options=options(c.YES_NO_UNKNOWN, record.recurrence)),
               Cell(names["first_recurrence_date"], jdate(record.first_recurrence_date)),
               Cell(names["recurrence_site"], record.recurrence_site)])
    sheet.row([Cell(names["recurrence_count"], fa(record.recurrence_count)),
               Cell(names["metastasis"], options=options(c.YES_NO_UNKNOWN, record.metastasis)),
               Cell(names["metastasis_date"], jdate(record.metastasis_date))])
    sheet.row([Cell(names["metastasis_site"], record.metastasis_site),
               Cell(names["remission"], options=options(c.YES_NO_UNKNOWN, record.remission))])
    sheet.row([Cell(names["vital_status"],
                    options=options(c.VITAL_STATUSES, record.vital_status)),
               Cell(names["death_date"], jdate(record.death_date)),
               Cell(names["death_cause"], options=options(c.DEATH_CAUSES, record.death_cause))])
    sheet.row([Cell(names["death_place"], options=options(c.DEATH_PLACES, record.death_place))])
    sheet.row([Cell(names["family_history"],
                    options=options(c.YES_NO_UNKNOWN, record.family_history)),
               Cell("در صورت وجود سرطان در خانواده، نوع سرطان و نسبت فامیلی",
                    "در جدول زیر" if record.family_cancers else "", weight=2)])
    if record.family_cancers:  # a row each, so a long list breaks across pages cleanly
        sheet.row([Cell("ردیف", heading=True, weight=0.4, align="center"),
                   Cell("نوع سرطان", heading=True, weight=1.8),
                   Cell("نسبت فامیلی", heading=True, weight=0.8)])
        for index, relative in enumerate(record.family_cancers, start=1):
            sheet.row([Cell(value=fa(index), weight=0.4, align="center"),
                       Cell(value=relative.cancer_type, weight=1.8),
                       Cell(value=relative.relation, weight=0.8)])
    # The split beside the directive's two totals, in one row: the form keeps to a page.
    sheet.row([Cell("جمع کل هزینه", amount(doc.totals.total_amount)),
               Cell("در تعهد بیمه (با فرانشیز)", amount(doc.totals.total_insured)),
               Cell("خارج از تعهد بیمه", amount(doc.totals.total_outside_insurance)),
               Cell("میزان حمایت مالی از بیمار", amount(doc.totals.total_support))])
    sheet.row([Cell(names["completed_on"], jdate(record.completed_on)),
               Cell(names["completed_by"], record.completed_by),
               Cell("امضاء", "", min_height=24)])
    sheet.signature_boxes([
        ("مهر و امضاء ریاست/مدیریت بیمارستان", doc.header.director_name),
        ("معاون درمان دانشگاه/دانشکده", ""),
    ], aside=seal_aside(sheet, doc.seal) if doc.seal is not None else None)
