"""The eligibility questionnaire, built from the rule set, with its live score panel.

Nothing here knows the eight criteria: the questions, options, points and bands all
come from the :class:`RuleSet`, so a new directive's file changes the form too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionGroupBox,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import parse_int, to_persian_digits
from cancer_desk.core.records import AssessmentRecord
from cancer_desk.core.rules import Criterion, RuleSet
from cancer_desk.core.scoring import PartialResult, ScoringError, partial_result
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.assessments import AssessmentService
from cancer_desk.services.drafts import Draft, DraftStore
from cancer_desk.services.period_lock import PeriodClosedError
from cancer_desk.services.seals import SealedRecordError
from cancer_desk.ui.draft_keeping import DraftKeeping, same_as_opened
from cancer_desk.ui.field_help import help_button, set_field_help
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, jdate, percent_words
from cancer_desk.ui.widgets.band_scale import BandScale
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
from cancer_desk.ui.widgets.number_spin import PersianSpinBox
from cancer_desk.ui.widgets.persian_input import show_persian_digits_while_typing

DRAFT_KIND = "questionnaire"
DRAFT_INTERVAL_MS = 5_000

COUNT_CEILING = 30
NO_ANSWER = "—"


class _SwallowInput(QObject):
    _INPUT = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                        QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress,
                        QEvent.Type.KeyRelease, QEvent.Type.Wheel})

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        return event.type() in self._INPUT


class CriterionInput(QGroupBox):
    """One question: radio buttons for a choice, a spin box for a count."""

    changed = Signal()

    def __init__(self, criterion: Criterion, ruleset_name: str = "",
                 parent: QWidget | None = None, *, amount_rule: str = "") -> None:
        super().__init__(criterion.label, parent)
        self.criterion = criterion
        self._ruleset_name = ruleset_name
        self._setting_from_amount = False
        self.setObjectName(f"criterion_{criterion.id}")
        self.help_text = criterion_help(criterion, amount_rule)
        set_field_help(self.help_text, self)
        # Beside the question's title, on the frame line: no room taken from the answers
        # (the dialog must fit a 1366×768 ward screen). Out of the Tab order, which goes
        # from answer to answer.
        self.help_button = help_button(self.help_text, f"help_{criterion.id}", self)
        self.help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.help_button.setVisible(bool(self.help_text))
        self.points_label = QLabel(self._points_text(None))
        self.points_label.setObjectName(f"points_{criterion.id}")
        self.points_label.setProperty("role", "hint")
        self.error_label = QLabel()
        self.error_label.setProperty("role", "error")
        self.error_label.hide()
        self.buttons: QButtonGroup | None = None
        self.spin: PersianSpinBox | None = None
        self.amount_edit: QLineEdit | None = None
        self.detail_label = QLabel()
        self.detail_label.setProperty("role", "hint")

        layout = QVBoxLayout(self)
        if criterion.kind == "choice":
            self._build_choice(layout)
        else:
            self._build_count(layout)
        footer = QHBoxLayout()
        footer.addWidget(self.error_label, 1)
        footer.addWidget(self.points_label, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(footer)

    def _build_choice(self, layout: QVBoxLayout) -> None:
        self.buttons = QButtonGroup(self)
        grid = QGridLayout()
        columns = 2 if len(self.criterion.options) > 3 else 1
        for index, option in enumerate(self.criterion.options):
            button = QRadioButton(f"{option.label} ({fa(option.points)})")
            button.setObjectName(f"option_{self.criterion.id}_{option.id}")
            button.setProperty("option_id", option.id)
            self.buttons.addButton(button, index)
            grid.addWidget(button, index // columns, index % columns)
        self.buttons.idToggled.connect(self._on_toggled)
        layout.addLayout(grid)
        if self.criterion.takes_amount:
            row = QHBoxLayout()
            unit = self.criterion.amount_unit
            if self._ruleset_name:
                unit += f"، به نرخ {self._ruleset_name}"
            self.amount_caption = QLabel(f"یا مبلغ را بنویسید ({unit}):")
            row.addWidget(self.amount_caption)
            self.amount_edit = QLineEdit()
            self.amount_edit.setObjectName(f"amount_{self.criterion.id}")
            self.amount_edit.setMaximumWidth(140)
            self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
            show_persian_digits_while_typing(self.amount_edit)
            self.amount_edit.textEdited.connect(self._on_amount_edited)
            row.addWidget(self.amount_edit)
            row.addWidget(self.detail_label, 1)
            layout.addLayout(row)

    def _build_count(self, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.spin = PersianSpinBox(unanswered_text=NO_ANSWER)
        self.spin.setObjectName(f"count_{self.criterion.id}")
        self.spin.setAnswerRange(self.criterion.minimum, COUNT_CEILING)
        self.spin.setSuffix(f" {self.criterion.unit}" if self.criterion.unit else "")
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(self._on_count_changed)
        row.addWidget(self.spin)
        row.addWidget(self.detail_label, 1)
        layout.addLayout(row)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_help_button()

    def _place_help_button(self) -> None:
        """Just past the end of the title, on the title's line. The style says where the
        title is drawn (the stylesheet puts it on one side or the other); the button goes
        on the side of it towards the middle of the box."""
        option = QStyleOptionGroupBox()
        self.initStyleOption(option)
        title = self.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                            QStyle.SubControl.SC_GroupBoxLabel, self)
        size = self.help_button.sizeHint()
        gap = 6
        x = (title.right() + gap if title.center().x() < self.width() // 2
             else title.left() - gap - size.width())
        y = max(0, title.center().y() - size.height() // 2)
        self.help_button.setGeometry(x, y, size.width(), size.height())
        self.help_button.raise_()

    # --- answers -------------------------------------------------------------------------

    def answer(self) -> str | int | None:
        if self.buttons is not None:
            button = self.buttons.checkedButton()
            return button.property("option_id") if button else None
        assert self.spin is not None
        return self.spin.answer()

    def set_answer(self, value: str | int | None) -> None:
        if self.buttons is not None:
            for button in self.buttons.buttons():
                if button.property("option_id") == value:
                    button.setChecked(True)
        elif self.spin is not None and value is not None:
            self.spin.setValue(int(value))

    def set_points(self, points: int | None) -> None:
        self.points_label.setText(self._points_text(points))

    def set_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def make_read_only(self) -> None:
        """Keep the answers legible (a disabled box greys them out) but deaf to input."""
        self._read_only_filter = _SwallowInput(self)
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QRadioButton | PersianSpinBox | QLineEdit):
                widget.installEventFilter(self._read_only_filter)
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if self.spin is not None:
            self.spin.setReadOnly(True)
            self.spin.setButtonSymbols(PersianSpinBox.ButtonSymbols.NoButtons)
        if self.amount_edit is not None:
            self.amount_edit.hide()
            self.amount_caption.hide()

    @staticmethod
    def _points_text(points: int | None) -> str:
        return f"امتیاز: {fa(points) if points is not None else NO_ANSWER}"

    # --- slots ---------------------------------------------------------------------------

    def _on_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.set_error("")
            if self.amount_edit is not None and not self._setting_from_amount:
                self.amount_edit.clear()  # a click wins over a typed amount
                self.detail_label.clear()
            self.changed.emit()

    def _on_count_changed(self, _value: int) -> None:
        count = self.spin.answer() if self.spin else None
        self.detail_label.setText(
            "" if count is None else self.criterion.threshold_for(count).label)
        if count is not None:
            self.set_error("")
        self.changed.emit()

    def _on_amount_edited(self, text: str) -> None:
        try:
            amount = parse_int(text)
        except ValueError:
            self.detail_label.setText("مبلغ را با رقم بنویسید." if text.strip() else "")
            return
        option = self.criterion.option_for_amount(amount)
        if option is None:
            self.detail_label.setText("این مبلغ در هیچ بازه‌ای نیست.")
            return
        chosen = self.criterion.option(str(self.answer())) if self.answer() else None
        if chosen is not None and chosen.amount_min is None and chosen.amount_max is None:
            # «مستمری‌بگیر…» is not an amount; a typed figure must not replace it.
            self.detail_label.setText(f"«{chosen.label}» انتخاب شده است؛ مبلغ جای آن را "
                                      "نمی‌گیرد.")
            return
        self.detail_label.setText(f"← {option.label}")
        self._setting_from_amount = True
        try:
            self.set_answer(option.id)
        finally:
            self._setting_from_amount = False


def criterion_help(criterion: Criterion, amount_rule: str = "") -> str:
    """What the question means (the rule set's ``help``), the cases its words leave open
    as the rule set decided them, and what the form does not show beside it: the points
    of each count, and how a typed amount picks its bracket."""
    lines = [criterion.help] if criterion.help else []
    lines.extend(criterion.decisions)
    if criterion.kind == "count" and criterion.thresholds:
        lines.append("امتیاز: " + "، ".join(f"{t.label}: {fa(t.points)}"
                                            for t in criterion.thresholds) + ".")
    if criterion.takes_amount and amount_rule:
        lines.append(f"اگر مبلغ را با رقم بنویسید، گزینه‌اش خودکار انتخاب می‌شود: {amount_rule}")
    return "\n".join(lines)


class ScorePanel(QFrame):
    """The live result: score out of the maximum, coverage, and where the score sits."""

    def __init__(self, ruleset: RuleSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ruleset = ruleset
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.score_label = QLabel()
        self.score_label.setObjectName("score_label")
        self.score_label.setProperty("role", "score")
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("coverage_label")
        self.coverage_label.setProperty("role", "coverage")
        self.coverage_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scale = BandScale()
        self.scale.set_bands(ruleset.bands, ruleset.max_score)
        # How the table's edges are read (the 1388 table names 41 in two rows). One line,
        # unwrapped: a wrapping label asks for several lines' height, and the dialog has
        # none to spare on a ward screen.
        self.band_rule_label = QLabel(ruleset.band_rule)
        self.band_rule_label.setObjectName("band_rule_label")
        self.band_rule_label.setProperty("role", "hint")
        self.band_rule_label.setVisible(bool(ruleset.band_rule))
        self.next_band_label = QLabel()
        self.next_band_label.setObjectName("next_band_label")
        self.next_band_label.setProperty("role", "hint")
        self.next_band_label.setWordWrap(True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress_label")
        self.breakdown = QFormLayout()
        self.breakdown.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._breakdown_values: dict[str, QLabel] = {}
        for criterion in ruleset.criteria:
            value = QLabel(NO_ANSWER)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self._breakdown_values[criterion.id] = value
            self.breakdown.addRow(criterion.label, value)
        ruleset_label = QLabel(f"شاخص: {ruleset.title}")
        ruleset_label.setToolTip(ruleset.source)
        ruleset_label.setProperty("role", "hint")
        ruleset_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        title = QLabel("امتیاز و سهم حمایت")
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self.score_label)
        layout.addWidget(self.coverage_label)
        scale_and_caption = QVBoxLayout()  # the reading is the scale's caption, under it
        scale_and_caption.setSpacing(0)
        scale_and_caption.addWidget(self.scale)
        scale_and_caption.addWidget(self.band_rule_label)
        layout.addLayout(scale_and_caption)
        layout.addWidget(self.next_band_label)
        layout.addWidget(self.progress_label)
        layout.addLayout(self.breakdown)
        layout.addWidget(ruleset_label)

    def show_result(self, result: PartialResult) -> None:
        """The live result while answering."""
        self._show(result.points, result.score, result.coverage_percent, result.complete)
        step = result.next_band
        if step is not None:
            self.next_band_label.setText(
                f"{fa(result.points_to_next_band)} امتیاز تا آستانه {fa(step.min_score)} "
                f"(پوشش {percent_words(step.coverage_percent)}) مانده است.")
        else:
            self.next_band_label.setText("در بالاترین بازه پوشش.")

    def show_saved(self, record: AssessmentRecord) -> None:
        """A saved assessment as it was scored — never re-scored with today's file."""
        self._show(record.points, record.score, record.coverage_percent, True)
        self.next_band_label.setText(f"ثبت‌شده در {jdate(record.assessed_on)} "
                                     f"به دست {record.assessor}.")

    def _show(self, points: Mapping[str, int], score: int, coverage: int,
              complete: bool) -> None:
        ruleset = self._ruleset
        self.score_label.setText(f"{fa(score)} از {fa(ruleset.max_score)}")
        self.coverage_label.setText(f"سهم پرداخت برنامه: {percent_words(coverage)}"
                                    + ("" if complete else " (تا این‌جا)"))
        self.scale.set_score(score)
        self.progress_label.setText(
            f"{fa(len(points))} از {fa(len(ruleset.criteria))} پرسش پاسخ داده شده")
        for criterion_id, label in self._breakdown_values.items():
            value = points.get(criterion_id)
            label.setText(fa(value) if value is not None else NO_ANSWER)


class QuestionnaireDialog(DraftKeeping, QDialog):
    """Fill in (or, with ``existing``, read) one assessment of one patient."""

    draft_kind = DRAFT_KIND

    def __init__(
        self,
        ruleset: RuleSet,
        patient_name: str,
        *,
        assessments: AssessmentService | None = None,
        patient_id: int | None = None,
        assessor: str = "",
        existing: AssessmentRecord | None = None,
        drafts: DraftStore | None = None,
        draft_owner: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ruleset = ruleset
        # Answers kept on disk every few seconds while they are being given.
        self._drafts = drafts if existing is None and patient_id is not None else None
        self._draft_owner = draft_owner
        self._dirty = False
        self._assessments = assessments
        self._patient_id = patient_id
        self.saved_record: AssessmentRecord | None = None
        read_only = existing is not None
        self.setWindowTitle(f"ارزیابی واجد شرایط بودن — {patient_name}")
        fit_to_screen(self, 1100, 760)

        self.inputs: dict[str, CriterionInput] = {}
        questions = QWidget()
        questions_layout = QVBoxLayout(questions)
        for criterion in ruleset.criteria:
            widget = CriterionInput(criterion, ruleset.name, amount_rule=ruleset.amount_rule)
            widget.changed.connect(self._on_answer_changed)
            self.inputs[criterion.id] = widget
            questions_layout.addWidget(widget)
        questions_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(questions)

        self.panel = ScorePanel(ruleset)
        self.date_edit = JalaliDateEdit()
        self.date_edit.setObjectName("assessed_on_edit")
        self.date_edit.setMaximumDate(dt.date.today())
        self.assessor_edit = QLineEdit(assessor)
        self.assessor_edit.setObjectName("assessor_edit")
        # The assessor is whoever is signed in; shown, not typed.
        self.assessor_edit.setReadOnly(True)
        self.assessor_edit.setToolTip("ارزیاب، کسی است که با حساب خود وارد شده است.")
        self.field_errors: dict[str, QLabel] = {}
        meta = QFormLayout()
        meta_fields: tuple[tuple[str, str, QWidget], ...] = (
            ("assessed_on", "تاریخ ارزیابی:", self.date_edit),
            ("assessor", "ارزیاب (مددکار اجتماعی):", self.assessor_edit))
        for name, label, field in meta_fields:
            meta.addRow(label, field)
            error = QLabel()
            error.setObjectName(f"{name}_error")
            error.setProperty("role", "error")
            error.setWordWrap(True)
            error.hide()
            meta.addRow("", error)
            self.field_errors[name] = error
        self.date_edit.dateChanged.connect(lambda _d: self._show_field_error("assessed_on", ""))
        self.assessor_edit.textEdited.connect(lambda _t: self._show_field_error("assessor", ""))
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setProperty("role", "error")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.save_button = QPushButton("ذخیره ارزیابی")
        self.save_button.setObjectName("save_button")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._on_save)
        close_button = QPushButton("بستن" if read_only else "انصراف")
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)
        buttons.addStretch(1)

        side = QVBoxLayout()
        side.addWidget(self.panel)
        side.addLayout(meta)
        side.addWidget(self.message_label)
        side.addStretch(1)
        side.addLayout(buttons)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(400)

        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(side_widget)

        if existing is not None:
            self._show_read_only(existing)
        else:
            self.date_edit.setDate(dt.date.today())
            self._on_answer_changed()
        self._dirty = False
        self._as_opened = None if existing is not None else self._screen_state()
        if self._drafts is not None:
            self.date_edit.line_edit.textChanged.connect(self._mark_dirty)
            self.draft_timer = QTimer(self)
            self.draft_timer.setInterval(DRAFT_INTERVAL_MS)
            self.draft_timer.timeout.connect(self.save_draft)
            self.draft_timer.start()
            self.offer_draft()

    # --- drafts ------------------------------------------------------------------------

    def _mark_dirty(self, *_args) -> None:
        self._dirty = True

    def _screen_state(self) -> tuple[dict[str, str | int | None], str]:
        return self.answers(), self.date_edit.line_edit.text()

    def has_unsaved_changes(self) -> bool:
        """Answers or date differ from the blank form as opened (a restored draft
        counts); a saved assessment, shown to read, has nothing to lose."""
        return self._as_opened is not None and \
            not same_as_opened(self._screen_state(), self._as_opened)

    def save_draft(self) -> None:
        """Keep what is answered so far (on the timer; nothing written if unchanged)."""
        if self._drafts is None or not self._dirty:
            return
        assert self._patient_id is not None
        with contextlib.suppress(OSError):  # a full disk: the window still holds the work
            self._drafts.save(DRAFT_KIND, self._patient_id, self._draft_owner,
                              {"answers": self.answers(),
                               "assessed_on": self.date_edit.line_edit.text()})
            self._dirty = False

    def ask_restore_draft(self, draft: Draft) -> bool:
        return QMessageBox.question(
            self, "پیش‌نویس ذخیره‌نشده",
            f"از {jdate(draft.saved_at.date())} ساعت "
            f"{to_persian_digits(draft.saved_at.strftime('%H:%M'))} پاسخ‌هایی برای این بیمار "
            "مانده که ذخیره نشده بود (برنامه بسته شد یا برق رفت). بازگردانده شود؟") == \
            QMessageBox.StandardButton.Yes

    def offer_draft(self) -> None:
        assert self._drafts is not None and self._patient_id is not None
        draft = self._drafts.load(DRAFT_KIND, self._patient_id, self._draft_owner)
        if draft is None:
            return
        if not self.ask_restore_draft(draft):
            self._drafts.discard(DRAFT_KIND, self._patient_id, self._draft_owner)
            return
        restored = 0
        for criterion_id, value in dict(draft.values.get("answers") or {}).items():
            if criterion_id in self.inputs and value is not None:
                with contextlib.suppress(ValueError, TypeError, KeyError):
                    self.inputs[criterion_id].set_answer(value)
                    restored += 1
        self.date_edit.line_edit.setText(str(draft.values.get("assessed_on") or ""))
        self._on_answer_changed()
        self._show_message(
            f"پیش‌نویس {jdate(draft.saved_at.date())} ساعت "
            f"{to_persian_digits(draft.saved_at.strftime('%H:%M'))} بازگردانده شد: "
            f"{to_persian_digits(restored)} پاسخ از {to_persian_digits(len(self.inputs))}. "
            "بررسی کنید و ذخیره کنید.", role="notice")


    def _show_read_only(self, record: AssessmentRecord) -> None:
        """The saved answers and the points they got then, in a form that cannot change.

        The widgets stay enabled-looking (greyed-out text is hard to read) but take no
        input.
        """
        for criterion_id, value in record.answers.items():
            if criterion_id in self.inputs:
                self.inputs[criterion_id].set_answer(value)
        for criterion_id, widget in self.inputs.items():
            widget.set_points(record.points.get(criterion_id))
            widget.make_read_only()
        self.date_edit.setDate(record.assessed_on)
        self.assessor_edit.setText(record.assessor)
        self.date_edit.setEnabled(False)
        self.assessor_edit.setReadOnly(True)
        self.panel.show_saved(record)
        self.save_button.hide()

    def answers(self) -> dict[str, str | int | None]:
        return {cid: widget.answer() for cid, widget in self.inputs.items()}

    def _on_answer_changed(self) -> None:
        self._dirty = True
        result = partial_result(self._ruleset, {k: v for k, v in self.answers().items()
                                                if v is not None})
        for criterion_id, widget in self.inputs.items():
            widget.set_points(result.points.get(criterion_id))
        self.panel.show_result(result)

    def _show_message(self, message: str, role: str = "error") -> None:
        self.message_label.setProperty("role", role)
        self.message_label.style().polish(self.message_label)
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))

    def _show_field_error(self, name: str, message: str) -> None:
        self.field_errors[name].setText(message)
        self.field_errors[name].setVisible(bool(message))

    def _on_save(self) -> None:
        answers = self.answers()
        result = partial_result(self._ruleset, {k: v for k, v in answers.items()
                                                if v is not None})
        for criterion_id, widget in self.inputs.items():
            widget.set_error("به این پرسش پاسخ دهید." if criterion_id in result.unanswered
                             else "")
        self._show_message("")
        if result.unanswered:
            names = "، ".join(f"«{self.inputs[c].criterion.label}»" for c in result.unanswered)
            self._show_message(f"همه پرسش‌ها باید پاسخ داشته باشند. بی‌پاسخ: {names}")
            self.inputs[result.unanswered[0]].setFocus()
            return
        try:
            assessed_on = self.date_edit.checked_date(field="assessed_on", label="تاریخ ارزیابی")
            if assessed_on is None:
                raise InputError("assessed_on", "empty", "«تاریخ ارزیابی» را وارد کنید.")
            assert self._assessments is not None and self._patient_id is not None
            self.saved_record = self._assessments.record(
                self._patient_id, answers, assessed_on=assessed_on, ruleset_id=self._ruleset.id)
        except InputError as exc:
            if exc.field in self.field_errors:
                self._show_field_error(exc.field, exc.message_fa)
            else:
                self._show_message(exc.message_fa)
            return
        except (ScoringError, PeriodClosedError, SealedRecordError, AccessDeniedError) as exc:
            self._show_message(exc.message_fa)
            return
        self._forget_draft()  # saved: nothing left to restore
        self.accept()
