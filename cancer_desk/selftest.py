"""``cancer-desk --self-test``: does this copy of the program work, here?

Made for the frozen build (PyInstaller), which can leave out a file the program reads
or a module it imports only when first used, and fail only when a social worker first
prints or exports. The self-test does, on a throw-away database in a temporary folder,
what the program does on a ward PC: migrate a new database, score an answer set, fill in
some demo patients, render every PDF the program prints, sign one, write and verify a
quarterly package, and show the main window. The user's data folder and database are
never touched.

Each step prints one line, named in English and Persian; a step that fails is reported
with why, and the others still run (those that need its result are reported as skipped).
The exit status is 0 when every step passed, 1 otherwise. A windowed build on Windows
has no standard output, so the report can also be written to a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cancer_desk import APP_NAME, __version__, paths
from cancer_desk.core.persian import to_persian_digits

if TYPE_CHECKING:  # for the types only: each step imports what it uses when it runs
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QImage

    from cancer_desk.app import AppContext
    from cancer_desk.core.jalali import JalaliQuarter

# The demo data is seeded and dated, so every run checks the same patients and quarter.
DEMO_PATIENTS = 40
DEMO_SEED = 1388
DEMO_TODAY = dt.date(2026, 1, 15)  # 1404/10/25: the quarter before it is 1404 Q3
# A complete answer set and what the bundled 1388 index gives it (as the tests hold it).
SAMPLE_RULESET = "moh-1388"
SAMPLE_ANSWERS: dict[str, str | int] = {
    "head_of_household": "addicted", "income": "under_k300", "housing": "rural",
    "family_size": 6, "sick_children": 1, "school_children": 2, "university_children": 0,
    "debt": "over_1m",
}
SAMPLE_SCORE, SAMPLE_COVERAGE = 76, 70
CERTIFICATE_PASSPHRASE = "self-test-1388"
WINDOW_WAIT_SECONDS = 1.5  # long enough for the first page of the list to be painted


class SelfTestFailure(RuntimeError):
    """A step ran but found something wrong; the message says what."""


@dataclass
class SelfTest:
    """What the steps share: the temporary folder, the database and what was found."""

    workdir: Path
    screenshot: Path | None = None
    opened: AppContext | None = None  # once the database step passed
    demo_quarter: JalaliQuarter | None = None  # of the demo data, once it is in
    covered: list[int] = field(default_factory=list)  # patients covered in that quarter

    @property
    def context(self) -> AppContext:
        """The database's context, for the steps that need the database step."""
        if self.opened is None:
            raise SelfTestFailure("no database: its step did not pass")
        return self.opened

    @property
    def quarter(self) -> JalaliQuarter:
        """The demo data's quarter, for the steps that need the demo patients step."""
        if self.demo_quarter is None:
            raise SelfTestFailure("no demo quarter: the demo patients step did not pass")
        return self.demo_quarter

    def sign_in(self, username: str) -> None:
        from cancer_desk.app import DEMO_PASSWORD

        accounts = self.context.accounts
        if accounts.current is not None:
            if accounts.current.username == username:
                return  # each sign-in costs Argon2id's 64 MiB and a tenth of a second
            accounts.sign_out()
        accounts.sign_in(username, DEMO_PASSWORD)

    def output(self, name: str) -> Path:
        return self.workdir / name

    @property
    def quarter_name(self) -> str:
        return f"{self.quarter.year} Q{self.quarter.quarter}"


@dataclass(frozen=True)
class Step:
    name: str
    label_fa: str
    run: Callable[[SelfTest], str]  # returns what it checked; raises if it failed
    needs: tuple[str, ...] = ()  # steps whose result this one uses


@dataclass(frozen=True)
class Outcome:
    step: Step
    status: str  # "ok", "FAILED" or "skipped"
    detail: str
    seconds: float
    trace: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def line(self) -> str:
        return (f"[{self.status}] {self.step.name} ({self.step.label_fa}): {self.detail} "
                f"({self.seconds:.2f} s)")


# --- the steps ---------------------------------------------------------------------------


def check_program_files(test: SelfTest) -> str:
    """Every file the program reads from its own folder, where paths.py looks for it."""
    resources = paths.resources_dir()
    wanted = [resources / "fonts" / "Vazirmatn-Regular.ttf",
              resources / "fonts" / "Vazirmatn-Bold.ttf", resources / "forms.ui",
              resources / "reference" / "hubs.toml", resources / "reference" / "form1.toml",
              resources / "rules" / "moh-1388.toml",
              paths.migrations_dir() / "env.py", paths.migrations_dir() / "versions"]
    missing = [str(path) for path in wanted if not path.exists()]
    if missing:
        raise SelfTestFailure("missing: " + ", ".join(missing))
    migrations = sorted((paths.migrations_dir() / "versions").glob("*.py"))
    if not migrations:
        raise SelfTestFailure(f"no migration files in {paths.migrations_dir() / 'versions'}")
    kind = "frozen build" if paths.is_frozen() else "source"
    return (f"{APP_NAME} {__version__}, {kind}; resources, rules, reference data and "
            f"{len(migrations)} migrations under {paths.program_root()}")


def check_font(test: SelfTest) -> str:
    """Vazirmatn, as the PDFs embed it (the window's use of it is the window step's)."""
    from reportlab.pdfbase import pdfmetrics

    from cancer_desk.print.fonts import register_fonts

    names = register_fonts()
    for name in names:
        face = pdfmetrics.getFont(name).face
        if not face.charToGlyph.get(ord("ی")):
            raise SelfTestFailure(f"{name} has no glyph for the Persian letter ye")
    return f"{' and '.join(names)} read from {paths.resources_dir() / 'fonts'}"


def check_database(test: SelfTest) -> str:
    from cancer_desk.app import open_context
    from cancer_desk.db.migrate import HEAD_REVISION, current_revision, known_revisions

    database_file = test.output("self-test.sqlite3")
    test.opened = open_context(paths.sqlite_url(database_file))
    revision = current_revision(test.context.database.engine)
    if revision != HEAD_REVISION:
        raise SelfTestFailure(f"the new database is at schema {revision}, not {HEAD_REVISION}")
    known = known_revisions()  # Alembic reading the migration files from disk
    if HEAD_REVISION not in known:
        raise SelfTestFailure(f"Alembic does not find migration {HEAD_REVISION}")
    return (f"a new SQLite database migrated by Alembic to schema {revision} "
            f"({len(known)} migrations)")


def check_demo_patients(test: SelfTest) -> str:
    from cancer_desk.app import fill_demo
    from cancer_desk.core.jalali import JalaliQuarter

    context = test.context
    added = fill_demo(context, DEMO_PATIENTS, DEMO_SEED, today=DEMO_TODAY)
    this = JalaliQuarter.containing(DEMO_TODAY)
    test.demo_quarter = (JalaliQuarter(this.year, this.quarter - 1) if this.quarter > 1
                    else JalaliQuarter(this.year - 1, 4))
    test.sign_in("maryam")
    activities = context.quarters.activities(test.quarter.start, test.quarter.end)
    test.covered = [a.patient_id for a in activities if a.covered]
    if not test.covered:
        raise SelfTestFailure(f"no demo patient is covered in {test.quarter_name}")
    return (f"{added} synthetic patients with the demo's accounts (Argon2id); "
            f"{test.quarter_name}: {sum(a.seen for a in activities)} seen, "
            f"{len(test.covered)} covered")


def check_scoring(test: SelfTest) -> str:
    from cancer_desk.app import load_rulebook
    from cancer_desk.core.scoring import score

    ruleset = load_rulebook()[SAMPLE_RULESET]
    result = score(ruleset, SAMPLE_ANSWERS)
    if (result.score, result.coverage_percent) != (SAMPLE_SCORE, SAMPLE_COVERAGE):
        raise SelfTestFailure(f"scored {result.score} → {result.coverage_percent}%, expected "
                              f"{SAMPLE_SCORE} → {SAMPLE_COVERAGE}%")
    return (f"a complete answer set scored {result.score} → {result.coverage_percent}% "
            f"by {ruleset.id}")


def _pdf_pages(path: Path) -> str:
    """How many pages PDFium (the renderer the program prints with) finds in ``path``."""
    import pypdfium2

    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        raise SelfTestFailure(f"{path.name} is not a PDF")
    document = pypdfium2.PdfDocument(data)
    try:
        pages = len(document)
        if not pages:
            raise SelfTestFailure(f"{path.name} has no page")
        document[0].render(scale=0.5).close()  # drawn, as for a printer
    finally:
        document.close()
    return f"{pages} page(s), {len(data) // 1024} KiB"


def _print_patient_document(test: SelfTest, kind: str, subject: int) -> str:
    from cancer_desk.print.registry import render_document

    target = render_document(kind, test.context.documents, subject,
                             test.output(f"{kind}.pdf"))
    return _pdf_pages(target)


def check_form1(test: SelfTest) -> str:
    test.sign_in("maryam")
    return "Form 1 of a covered patient: " + _print_patient_document(
        test, "form1", test.covered[0])


def check_assessment_sheet(test: SelfTest) -> str:
    test.sign_in("maryam")
    return "the patient's latest assessment: " + _print_patient_document(
        test, "assessment", test.covered[0])


def check_referral(test: SelfTest) -> str:
    test.sign_in("maryam")
    referral = test.context.referrals.create(test.covered[0])
    return f"referral {referral.number} of the patient's costs: " + _print_patient_document(
        test, "referral", referral.number)


def check_form2(test: SelfTest) -> str:
    from cancer_desk.print.form2 import render_form2

    test.sign_in("maryam")
    quarter = test.quarter
    report = test.context.quarters.report(quarter.start, quarter.end)
    target = test.output("form2.pdf")
    render_form2(test.context.documents.form2(report.form2, period_name=quarter.label), target)
    return f"Form 2 of {test.quarter_name}: " + _pdf_pages(target)


def check_quarter_form1(test: SelfTest) -> str:
    from cancer_desk.services.batch_print import print_period_form1

    test.sign_in("maryam")
    quarter = test.quarter
    target = test.output("form1-quarter.pdf")
    count = print_period_form1(test.context, quarter.start, quarter.end, target,
                               period_name=quarter.label)
    return f"Form 1 of the {count} patients of {test.quarter_name}: " + _pdf_pages(target)


def _self_signed_pkcs12(path: Path) -> tuple[Path, bytes]:
    """A throw-away key and certificate, as a hospital's authority would issue them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "آزمون برنامه")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"self-test", key, certificate, None,
        serialization.BestAvailableEncryption(CERTIFICATE_PASSPHRASE.encode())))
    return path, certificate.public_bytes(serialization.Encoding.DER)


def check_signed_form1(test: SelfTest) -> str:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from cancer_desk.print.registry import render_document

    patient_id = test.covered[-1]
    p12, certificate_der = _self_signed_pkcs12(test.output("certificate.p12"))
    test.sign_in("admin")
    test.context.signing.install(p12, CERTIFICATE_PASSPHRASE)
    test.sign_in("director")
    seal = test.context.seals.approve(patient_id)
    unsigned = render_document("form1", test.context.documents, patient_id,
                               test.output("form1-sealed.pdf"))
    signed = test.context.signing.sign_form1(patient_id, unsigned.read_bytes(),
                                             CERTIFICATE_PASSPHRASE)
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    trust = ValidationContext(trust_roots=[asn1_x509.Certificate.load(certificate_der)])
    status = validate_pdf_signature(embedded, trust)
    if not (status.intact and status.valid and status.trusted):
        raise SelfTestFailure(f"the signature does not validate: {status.summary()}")
    return (f"Form 1 approved (code {seal.code}) and signed (PAdES, pyHanko); the "
            "signature validates")


def check_quarterly_package(test: SelfTest) -> str:
    from cancer_desk.exchange.verify import verify_file
    from cancer_desk.services.exports import export_quarter

    test.sign_in("director")
    target = test.output("package.zip")
    password = "بسته-آزمون"
    result = export_quarter(test.context, test.quarter, target, password=password)
    report = verify_file(target, password)
    if not report.ok:
        raise SelfTestFailure("the package written does not verify: "
                              + "; ".join(report.describe()))
    assert report.manifest is not None  # a package that verifies has its manifest read
    counts = report.manifest["counts"]
    return (f"{test.quarter_name} closed; package version {result.version} (AES, with the "
            f"spreadsheet and Form 2) written and verified: {counts['patients']} patients, "
            f"{counts['cost_items']} cost items")


def _choose_qt_platform() -> None:
    """On Linux with no display, Qt would abort the program: draw offscreen instead."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _wait(app: QCoreApplication, seconds: float, until: Callable[[], bool] = lambda: False) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.processEvents()
        time.sleep(0.02)


def _distinct_colours(image: QImage, samples: int = 24) -> int:
    """How many colours a grid of points over ``image`` has: one means nothing was drawn."""
    width, height = image.width(), image.height()
    return len({image.pixel(int(width * (x + 0.5) / samples), int(height * (y + 0.5) / samples))
                for x in range(samples) for y in range(samples)})


def check_window(test: SelfTest) -> str:
    _choose_qt_platform()
    import shiboken6
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFontInfo

    from cancer_desk.ui.main import make_application
    from cancer_desk.ui.main_window import MainWindow
    from cancer_desk.ui.theme import FONT_FAMILY

    app = make_application()
    platform = app.platformName()
    family = QFontInfo(app.font()).family()
    if family != FONT_FAMILY:
        raise SelfTestFailure(f"Qt draws with {family!r}, not the bundled {FONT_FAMILY}")
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if cancel == "Cancel":
        raise SelfTestFailure("Qt's Persian translation (qtbase_fa) was not loaded")
    test.sign_in("maryam")
    started = time.monotonic()
    window = MainWindow(test.context)
    try:
        window.open_patient(test.covered[0])
        # The whole screen as maximized would, also where no window manager maximizes
        # (a bare X server in CI).
        window.setGeometry(window.screen().availableGeometry())
        window.showMaximized()
        handle = window.windowHandle()
        _wait(app, 10, lambda: handle is not None and handle.isExposed())
        if handle is None or not handle.isExposed():
            raise SelfTestFailure(f"the main window was not shown on the {platform} platform")
        shown = time.monotonic() - started
        _wait(app, WINDOW_WAIT_SECONDS)
        detail = (f"the main window shown in {shown:.2f} s on Qt's {platform} platform, "
                  f"in {family}, Qt's own words in Persian («{cancel}»)")
        if test.screenshot is not None:
            # On a real screen, what the screen shows; offscreen there is no screen to
            # grab, only what the window draws.
            if platform in ("offscreen", "minimal"):
                image = window.grab().toImage()
            else:
                image = window.screen().grabWindow(0).toImage()
            if _distinct_colours(image) < 3:
                raise SelfTestFailure("the screenshot is blank: nothing was drawn")
            test.screenshot.parent.mkdir(parents=True, exist_ok=True)
            # PySide6 takes the format as text too; its stubs say bytes only.
            if not image.save(str(test.screenshot), "PNG"):  # type: ignore[call-overload]
                raise SelfTestFailure(f"cannot write the screenshot {test.screenshot}")
            detail += f"; screenshot {test.screenshot} ({image.width()}×{image.height()})"
        return detail
    finally:
        window.close()
        shiboken6.delete(window)
        app.processEvents()


def check_help(test: SelfTest) -> str:
    """The Persian user guide the help window shows, its pictures and its sections, and
    the About window."""
    _choose_qt_platform()
    import shiboken6

    from cancer_desk.ui.about import AboutDialog
    from cancer_desk.ui.help_window import HelpWindow, guide_path, image_paths
    from cancer_desk.ui.main import make_application

    app = make_application()
    guide = guide_path()
    images = image_paths(guide.read_text(encoding="utf-8"))
    missing = [name for name in images if not (guide.parent / name).is_file()]
    if missing:
        raise SelfTestFailure(f"the user guide's pictures are missing: {', '.join(missing)}")
    window = HelpWindow()
    about = AboutDialog(test.context)
    try:
        if not window.show_section("close-quarter"):
            raise SelfTestFailure("the help window has no section on closing a quarter")
        if __version__ not in about.values["version"].text():
            raise SelfTestFailure("the About window does not show the version")
    finally:
        for widget in (window, about):
            widget.close()
            shiboken6.delete(widget)
        app.processEvents()
    return f"the user guide with its {len(images)} pictures, and the About window"


STEPS: tuple[Step, ...] = (
    Step("program files", "پرونده‌های برنامه", check_program_files),
    Step("Persian font", "قلم فارسی", check_font),
    Step("database", "پایگاه داده", check_database),
    Step("scoring", "امتیازدهی", check_scoring),
    Step("demo patients", "بیماران نمایشی", check_demo_patients, ("database",)),
    Step("Form 1 PDF", "چاپ فرم شماره یک", check_form1, ("demo patients",)),
    Step("assessment sheet PDF", "چاپ برگه ارزیابی", check_assessment_sheet,
         ("demo patients",)),
    Step("referral PDF", "چاپ معرفی به حسابداری", check_referral, ("demo patients",)),
    Step("Form 2 PDF", "چاپ فرم شماره دو", check_form2, ("demo patients",)),
    Step("quarter's Form 1 PDF", "چاپ فرم یک همه بیماران فصل", check_quarter_form1,
         ("demo patients",)),
    Step("signed Form 1", "امضای دیجیتال فرم یک", check_signed_form1, ("demo patients",)),
    Step("quarterly package", "بسته فصلی", check_quarterly_package, ("demo patients",)),
    Step("window", "پنجره برنامه", check_window, ("demo patients",)),
    Step("help and About", "راهنما و درباره برنامه", check_help, ("demo patients",)),
)


# --- running them ------------------------------------------------------------------------


def _run_step(step: Step, test: SelfTest, passed: set[str]) -> Outcome:
    missing = [name for name in step.needs if name not in passed]
    if missing:
        return Outcome(step, "skipped", f"needs {', '.join(missing)}", 0.0)
    started = time.monotonic()
    try:
        detail = step.run(test)
    except Exception as exc:  # a self-test reports every failure and goes on
        if isinstance(exc, ImportError) and exc.name:
            why = f"cannot import {exc.name}: {exc}"
        else:
            why = f"{type(exc).__name__}: {exc}" if not isinstance(exc, SelfTestFailure) \
                else str(exc)
        return Outcome(step, "FAILED", why, time.monotonic() - started,
                       trace=traceback.format_exc())
    return Outcome(step, "ok", detail, time.monotonic() - started)


@contextlib.contextmanager
def _data_folder(folder: Path) -> Iterator[None]:
    """Drafts, the signing certificate and extra rules go to the throw-away folder, never
    to the user's data folder."""
    before = os.environ.get(paths.DATA_DIR_ENV_VAR)
    os.environ[paths.DATA_DIR_ENV_VAR] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(paths.DATA_DIR_ENV_VAR, None)
        else:
            os.environ[paths.DATA_DIR_ENV_VAR] = before


class _Report:
    """Each line to standard output (if there is one) and to the report file (if asked),
    as soon as it is known: a crash still leaves the lines before it."""

    def __init__(self, path: Path | None) -> None:
        self._streams: list[TextIO] = []
        if sys.stdout is not None:
            self._streams.append(sys.stdout)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("w", encoding="utf-8")
            self._streams.append(self._file)

    def __call__(self, text: str) -> None:
        for stream in self._streams:
            stream.write(text + "\n")
            stream.flush()

    def close(self) -> None:
        if hasattr(self, "_file"):
            self._file.close()


def run_self_test(*, report: Path | None = None, screenshot: Path | None = None,
                  steps: Sequence[Step] | None = None) -> int:
    """Run every step and report each; 0 if all passed, 1 otherwise."""
    steps = STEPS if steps is None else steps
    say = _Report(report)
    started = time.monotonic()
    outcomes: list[Outcome] = []
    try:
        say(f"{APP_NAME} {__version__} self-test — آزمون برنامه "
            f"({'frozen' if paths.is_frozen() else 'from source'}, Python "
            f"{sys.version.split()[0]}, {sys.platform})")
        with tempfile.TemporaryDirectory(prefix="cancer-desk-self-test-",
                                         ignore_cleanup_errors=True) as folder:
            test = SelfTest(workdir=Path(folder), screenshot=screenshot)
            with _data_folder(test.workdir / "data"):
                passed: set[str] = set()
                try:
                    for step in steps:
                        outcome = _run_step(step, test, passed)
                        outcomes.append(outcome)
                        if outcome.ok:
                            passed.add(step.name)
                        say(outcome.line())
                        if outcome.trace:
                            say("".join(f"    | {line}\n" for line in
                                        outcome.trace.rstrip().splitlines()).rstrip())
                finally:
                    if test.opened is not None:
                        test.opened.close()
        seconds = time.monotonic() - started
        failed = [o.step.name for o in outcomes if not o.ok]
        if failed:
            say(f"self-test FAILED ({seconds:.1f} s): {', '.join(failed)}")
            say(f"آزمون برنامه ناموفق بود: {to_persian_digits(len(failed))} گام از "
                f"{to_persian_digits(len(outcomes))} گام")
            return 1
        say(f"self-test passed: all {len(outcomes)} steps ({seconds:.1f} s)")
        say(f"آزمون برنامه درست بود: هر {to_persian_digits(len(outcomes))} گام")
        return 0
    finally:
        say.close()
