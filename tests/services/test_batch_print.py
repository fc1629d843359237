"""Form 1 of every patient a quarter counts, one after another in one PDF, for the
director to stamp with Form 2; cancelled, it leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.progress import Cancelled, Progress
from cancer_desk.services.batch_print import period_patient_ids, print_period_form1
from cancer_desk.services.documents import DocumentUnavailableError
from tests.builders import database_rows
from tests.print.pdf_reading import pages, printed
from tests.services.quarter_data import fill_quarter_hub

Q4_1403 = JalaliQuarter(1403, 4)
TODAY = dt.date(2025, 4, 1)


@pytest.fixture
def hub(configured_context):
    return fill_quarter_hub(configured_context)


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)








class CancelAfter(Progress):
    """Lets ``documents`` Forms 1 through, then cancels."""

    def __init__(self, documents: int) -> None:
        self.documents = documents
        self.counts: list[tuple[int, int]] = []

    def step(self, done: int, total: int, text: str = "") -> None:
        if total:
            self.counts.append((done, total))
        if total and done >= self.documents:
            raise Cancelled()


def test_one_form1_per_patient_the_quarter_counts(hub, tmp_path) -> None:
    ctx = hub.context
    target = tmp_path / "q4.pdf"
    progress = CancelAfter(10**9)  # counts, never cancels
    count = print_period_form1(ctx, Q4_1403.start, Q4_1403.end, target,
                               period_name=Q4_1403.label, progress=progress, today=TODAY)
    codes = {name: ctx.patients.get(pid).identity.national_code
             for name, pid in hub.ids.items()}
    # Form 2 counts A, B, D, E and F as seen in Q4 1403; C's only cost is in 1404.
    seen = sorted(codes[name] for name in "ABDEF")
    assert count == 5 == ctx.quarters.report(Q4_1403.start, Q4_1403.end).form2.total.seen
    assert progress.counts[0] == (0, 5) and progress.counts[-1] == (5, 5)

    texts = pages(target)
    # A form's first page is the one without the running header «(ادامه)».
    first = [t for t in texts if printed("(ادامه)") not in t]
    assert len(first) == 5
    assert all(printed("فرم شماره یک") in t for t in first)
    on_first_pages = [[code for code in codes.values() if printed(to_persian_digits(code)) in t]
                      for t in first]
    assert on_first_pages == [[code] for code in seen]  # one each, by national code
    assert not any(printed(to_persian_digits(codes["C"])) in t for t in texts)
    # Each form numbers its own pages from one.
    assert all(printed("صفحه ۱") in t for t in first)

    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(target))
    try:
        titles = [item.get_title() for item in pdf.get_toc()]
    finally:
        pdf.close()
    names = {codes[name]: ctx.patients.get(pid).full_name for name, pid in hub.ids.items()}
    assert titles == [f"{names[code]} — {to_persian_digits(code)}" for code in seen]


def codes_of(context, patient_id: int) -> str:
    return context.patients.get(patient_id).identity.national_code


def test_the_batch_is_in_the_order_of_the_package(hub) -> None:
    ctx = hub.context
    ids = period_patient_ids(ctx, Q4_1403.start, Q4_1403.end)
    assert [codes_of(ctx, i) for i in ids] == sorted(codes_of(ctx, i) for i in ids)
    assert set(ids) == {hub.ids[name] for name in "ABDEF"}


def test_a_cancelled_batch_leaves_no_pdf_and_changes_nothing(hub, tmp_path) -> None:
    ctx = hub.context
    folder = tmp_path / "prints"
    folder.mkdir()
    before = database_rows(ctx)
    with pytest.raises(Cancelled):
        print_period_form1(ctx, Q4_1403.start, Q4_1403.end, folder / "q4.pdf",
                           period_name=Q4_1403.label, progress=CancelAfter(3))
    assert list(folder.iterdir()) == []  # neither the PDF nor a part of it
    assert database_rows(ctx) == before


def test_a_quarter_nobody_is_counted_in_says_so(hub, tmp_path) -> None:
    empty = JalaliQuarter(1402, 1)
    with pytest.raises(DocumentUnavailableError) as refused:
        print_period_form1(hub.context, empty.start, empty.end, tmp_path / "q.pdf",
                           period_name=empty.label)
    assert "بیماری شمرده نشده است" in refused.value.message_fa
    assert not (tmp_path / "q.pdf").exists()
