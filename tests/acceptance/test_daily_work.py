"""A social worker's day in the real program, by real key presses and clicks.

One program start for the whole file: the tests run in order, each starting where the
one before left the screen. Each step leaves a screenshot in the artefacts folder."""

from __future__ import annotations

import json

import pytest

from cancer_desk import APP_NAME_FA
from tests.acceptance.conftest import (
    ARABIC_SEARCH,
    ARABIC_SEARCH_NEW,
    DEMO_PASSWORD,
    NEW_PATIENT,
    SOCIAL_WORKER,
    cli,
)
from tests.acceptance.desk import Desk

COST_AMOUNT = "2500000"
MAIN = "پایگاه داده نمایشی"  # the main window's title on the demo database
SIGN_IN = "^ورود"  # Qt adds the program's name after the window's own title

# Where some controls are, on the maximized 1366×768 main window of a social worker
# (right to left: the toolbar starts at the right) and its forms, which open at the
# screen's centre. The toolbar's «ویرایش مشخصات» and «ارزیابی جدید» have no keys; the
# panel's buttons are reached by Tab, but how many presses away depends on which of them
# the patient shown has enabled, so they are clicked where they are.
TOOLBAR_EDIT = (1237, 62)  # «ویرایش مشخصات»
TOOLBAR_ASSESS = (1142, 62)  # «ارزیابی جدید»
ACCOUNT_BUTTON = (38, 31)  # the signed-in person's name, in the menu bar's far corner
PANEL_FORM1 = (397, 145)  # «پرونده بیماری (فرم ۱)»
PANEL_COSTS = (279, 145)  # «هزینه‌ها و حمایت»
PANEL_PRINT_ASSESSMENT = (365, 179)  # «چاپ برگه ارزیابی» (not its menu arrow)
PATIENT_FORM_SAVE = (360, 714)  # the patient form's «ذخیره»
FORM1_SAVE = (310, 722)  # Form 1's «ذخیره»
COSTS_NEW = (1171, 627)  # the costs window's «هزینه تازه»


@pytest.fixture(scope="module")
def seen() -> dict:
    """What one step found out that a later one checks."""
    return {}


def test_sign_in_with_enter(desk: Desk) -> None:
    desk.wait_for_window(SIGN_IN)
    desk.shot("sign-in")
    desk.type(SOCIAL_WORKER)
    desk.key("Return")  # to the password
    desk.type(DEMO_PASSWORD)
    desk.pause()
    desk.shot("sign-in-typed")
    desk.key("Return")
    main = desk.wait_for_window(MAIN)
    desk.shot("main-window")
    # The title as the window manager shows it: the program's name once (Qt adds it).
    assert desk.title(main).count(APP_NAME_FA) == 1, desk.title(main)


def test_search_with_arabic_letters_finds_persian_ones(desk: Desk) -> None:
    karim = [p for p in desk.demo_patients if p["first_name"] == "کریم"]
    assert len(karim) == 1, "the demo (its seed) no longer has one «کریم»"
    search(desk, ARABIC_SEARCH)
    desk.shot("search-arabic-letters")  # one patient: «کریم چگینی»
    assert shown_patient_code(desk, "search-found-patient") == karim[0]["national_code"]


def search(desk: Desk, text: str) -> None:
    desk.key("ctrl+f", "ctrl+a")
    desk.type(text)
    desk.pause(0.6)


def shown_patient_code(desk: Desk, step: str) -> str:
    """The national code of the patient the panel shows, read from their form: one
    match of a search is shown at once, and «ویرایش مشخصات» opens it with the focus in
    «کد ملی»."""
    desk.click(*TOOLBAR_EDIT)
    desk.wait_for_window("ویرایش مشخصات بیمار")
    desk.shot(step)
    code = desk.copied_text().strip().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    desk.key("Escape")  # nothing changed: closes without a question
    desk.wait_gone("ویرایش مشخصات بیمار")
    return code


def test_new_patient(desk: Desk, seen: dict) -> None:
    desk.key("ctrl+n")
    desk.wait_for_window("بیمار جدید")
    seen["national_code"] = code = valid_national_code("04993708")
    desk.shot("new-patient-opened")  # «کد ملی» has the focus
    desk.type(code)
    desk.key("Return", "Down", "Return")  # cancer group: the first
    for field in ("first_name", "last_name", "father_name"):
        desk.type(NEW_PATIENT[field])
        desk.key("Return")
    desk.key("Down", "Return")  # sex: the first
    desk.type("1360/05/12")
    desk.key("Return")
    desk.pause()
    desk.shot("new-patient-typed")
    desk.click(*PATIENT_FORM_SAVE)
    desk.wait_gone("بیمار جدید")
    desk.pause()
    desk.shot("new-patient-saved")  # the panel shows the new patient


def test_search_finds_the_new_patient_typed_with_arabic_letters(desk: Desk,
                                                                seen: dict) -> None:
    search(desk, ARABIC_SEARCH_NEW)
    desk.shot("search-new-patient-arabic")
    assert shown_patient_code(desk, "search-new-patient-found") == seen["national_code"]


def test_questionnaire_by_keyboard_alone(desk: Desk) -> None:
    desk.click(*TOOLBAR_ASSESS)  # the new patient is the one shown
    desk.wait_for_window("ارزیابی واجد شرایط بودن")
    desk.shot("questionnaire-opened")
    # Tab into each question; Space ticks the option with the focus (a group's first),
    # digits answer a count.
    desk.key("Tab", "space")  # head of household
    desk.key("Tab", "space", "Tab")  # income; past its amount box
    desk.key("Tab", "space")  # housing
    for count in "4010":  # family size, sick, school and university children
        desk.key("Tab", count)
    desk.key("Tab", "space")  # debt
    desk.pause()
    desk.shot("questionnaire-answered")  # 8 of 8 answered, 18 of 100
    # On past the date (its calendar button is no Tab stop) and the assessor to «ذخیره
    # ارزیابی»: Enter on a focused button presses it.
    desk.key("Tab", "Tab", "Tab", "Tab", "Return")
    desk.wait_gone("ارزیابی واجد شرایط بودن")
    desk.pause()
    desk.shot("questionnaire-saved")


def test_form1_escape_asks_and_keeps_the_work(desk: Desk) -> None:
    desk.click(*PANEL_FORM1)
    desk.wait_for_window("فرم شماره یک")
    desk.shot("form1-opened")
    desk.key("space")  # the focus is in «روش تشخیص»: «۱. پاتولوژیکال»
    desk.pause()
    desk.shot("form1-changed")
    desk.key("Escape")
    desk.wait_for_window("تغییرهای ذخیره‌نشده")
    desk.shot("form1-escape-question")  # «ادامه ویرایش» is the default
    desk.key("Return")
    desk.wait_gone("تغییرهای ذخیره‌نشده")
    desk.wait_for_window("فرم شماره یک")
    desk.shot("form1-kept")  # the tick is still there
    # Its crash draft is kept too (written every five seconds) …
    drafts = desk.data_dir / "drafts"
    desk.wait_for_file(drafts, f"form1-*-{SOCIAL_WORKER}.json", timeout=12)
    desk.click(*FORM1_SAVE)
    # Saved, but incomplete: the box names what is still empty, and OK closes it.
    desk.wait_for_window("ذخیره شد، ولی کامل نیست")
    desk.shot("form1-saved-incomplete")
    desk.key("Return")
    desk.wait_gone("فرم شماره یک")
    desk.wait_for_window(MAIN)
    desk.shot("form1-saved")
    # … until the form is saved.
    desk.wait_until("Form 1's draft to go once it is saved",
                    lambda: not list(drafts.glob("form1-*.json")), timeout=5)


def test_a_cost(desk: Desk) -> None:
    desk.click(*PANEL_COSTS)
    desk.wait_for_window("هزینه‌ها و حمایت")
    desk.shot("costs-opened")
    desk.click(*COSTS_NEW)
    desk.wait_for_window("هزینه تازه")
    desk.shot("cost-new")
    # Enter from field to field: past the date (today; its calendar button is no stop),
    # the kind (drug), the formulary's first drug, no description, count 1, the amount,
    # not insured, no pharmacy, and on «ذخیره» Enter presses it.
    desk.key("Return", "Return", "Down", "Return", "Return", "Return")
    desk.type(COST_AMOUNT)
    desk.key("Return", "Return", "Return")
    desk.pause()
    desk.shot("cost-typed")  # its support: 30% of 2,500,000
    desk.key("Return")
    desk.wait_gone("هزینه تازه")
    desk.wait_for_window("هزینه‌ها و حمایت")
    desk.shot("cost-saved")  # in the list, with its support
    desk.key("Escape")
    desk.wait_gone("هزینه‌ها و حمایت")


def test_a_print_says_where_its_file_is(desk: Desk) -> None:
    prints = desk.data_dir / "prints"
    before = list(prints.glob("*.pdf")) if prints.is_dir() else []
    desk.click(*PANEL_PRINT_ASSESSMENT)
    pdf = desk.wait_for_file(prints, "*.pdf", before, timeout=30)
    desk.wait_for_window("PDF")  # no viewer opens: the program names the file
    desk.shot("print-no-viewer")
    assert pdf.stat().st_size > 0
    desk.key("Return")
    desk.wait_for_window(MAIN)


def test_ctrl_l_then_enter_unlocks(desk: Desk) -> None:
    desk.key("ctrl+l")
    desk.wait_for_window("^قفل")
    desk.shot("locked")
    desk.type(DEMO_PASSWORD)
    desk.key("Return")
    desk.wait_gone("^قفل")
    desk.wait_for_window(MAIN)
    desk.shot("unlocked")


def test_ctrl_l_over_an_open_form_locks_and_the_form_comes_back(desk: Desk) -> None:
    desk.key("ctrl+n")
    desk.wait_for_window("بیمار جدید")
    desk.type("0012")  # a start of a national code, in «کد ملی»
    desk.key("ctrl+l")
    desk.wait_for_window("^قفل")
    desk.shot("locked-over-a-form")  # the form covered
    desk.type(DEMO_PASSWORD)
    desk.key("Return")
    desk.wait_gone("^قفل")
    desk.wait_for_window("بیمار جدید")
    desk.shot("form-after-unlock")  # as it was, «۰۰۱۲» in «کد ملی»
    desk.key("Escape")  # the question: Tab to «کنار گذاشتن تغییرها», Enter
    desk.wait_for_window("تغییرهای ذخیره‌نشده")
    desk.key("Tab", "Return")
    desk.wait_gone("بیمار جدید")
    desk.wait_for_window(MAIN)


def test_sign_out_and_close(desk: Desk) -> None:
    desk.click(*ACCOUNT_BUTTON)
    desk.pause(0.5)
    desk.shot("account-menu")
    desk.key("Up", "Return")  # its last item: «خروج از حساب»
    desk.wait_for_window(SIGN_IN)
    desk.wait_until("the main window to close", lambda: not desk.windows(MAIN))
    desk.shot("signed-out")
    desk.key("Escape")  # «بستن برنامه»
    assert desk.wait_for_exit() == 0


def test_the_database_holds_the_days_work(desk: Desk, seen: dict) -> None:
    """Read back with the program's own command line, once it has closed."""
    code = seen["national_code"]
    listing = json.loads(cli(desk.program_env, desk.database, "patients", "list",
                             "--json").stdout)
    patient = next((p for p in listing if p["national_code"] == code), None)
    assert patient is not None, "the new patient was not saved"
    assert (patient["first_name"], patient["last_name"], patient["father_name"]) == \
        (NEW_PATIENT["first_name"], NEW_PATIENT["last_name"], NEW_PATIENT["father_name"])
    assert patient["latest_score"] == 18
    log = json.loads(cli(desk.program_env, desk.database, "audit", "log", "--patient", code,
                         "--json").stdout)
    inserted = {entry["table_name"]: {field: change[-1] for field, change
                                      in entry["changes"].items()}
                for entry in log if entry["action"] == "insert"}
    assert inserted["assessments"]["score"] == 18
    assert inserted["cases"]["diagnosis_method"] == 1  # the tick kept through Escape
    cost = inserted["cost_items"]
    assert (cost["amount"], cost["coverage_percent"], cost["support_amount"]) == \
        (int(COST_AMOUNT), 30, int(COST_AMOUNT) * 30 // 100)


def test_enter_in_the_name_did_not_try_a_password(desk: Desk) -> None:
    """The sign-in's Enter after the name moved on to the password: it did not sign in
    with an empty one, which counts towards the lock after five wrong passwords."""
    log = json.loads(cli(desk.program_env, desk.database, "audit", "log", "--limit", "200",
                         "--json").stdout)
    failed = [entry for entry in log if entry["action"] == "sign_in_failed"]
    assert not failed, f"failed sign-ins recorded: {failed}"


def valid_national_code(first_eight: str) -> str:
    """A national code with a right check digit, after a leading 0."""
    digits = "0" + first_eight
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits))
    rest = total % 11
    return digits + str(rest if rest < 2 else 11 - rest)
