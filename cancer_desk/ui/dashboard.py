"""Monitoring (پایش و ارزیابی) as pictures: spending by month against the allocation,
patients by cancer group, and how assessments fall across the coverage bands."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.access import Action
from cancer_desk.core.costs import money
from cancer_desk.core.jalali import MONTH_NAMES, current_jalali_year, to_jalali
from cancer_desk.services.dashboard import YearFigures
from cancer_desk.ui.background import LatestCount
from cancer_desk.ui.field_form import close_row
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.money_edit import MoneyEdit
from cancer_desk.ui.widgets.number_spin import PersianSpinBox

if TYPE_CHECKING:
    from cancer_desk.app import AppContext

MILLION = 1_000_000


PERSIAN = QLocale(QLocale.Language.Persian, QLocale.Country.Iran)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    # Axis and bar labels in Persian digits, like every other number in the program.
    chart.setLocale(PERSIAN)
    chart.setLocalizeNumbers(True)
    return chart


def _value_axis(maximum: float, title: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, max(maximum * 1.1, 1))
    axis.applyNiceNumbers()
    axis.setLabelFormat("%.0f")
    axis.setTitleText(title)
    return axis


def _replace_chart(view: QChartView, chart: QChart) -> None:
    """The view lets go of its old chart without deleting it."""
    old = view.chart()
    view.setChart(chart)
    if old is not None:
        old.deleteLater()


class DashboardWindow(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.figures: YearFigures | None = None  # None while counting
        self._count = LatestCount(self, "شمارش پایش سال", self._show, self._not_counted)
        self.setWindowTitle("پایش هزینه‌ها و بیماران")
        # Gone as soon as it is closed: Qt Charts views still alive when the application
        # shuts down can crash it on the way out.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_to_screen(self, 1150, 760)

        self.year_spin = PersianSpinBox()
        self.year_spin.setObjectName("year_spin")
        self.year_spin.setAccessibleName("سال برنامه")
        self.year_spin.setRange(context.reference.programme.first_programme_year, 1435)
        settings = context.settings.get()
        self.year_spin.setValue(settings.programme_year if settings else current_jalali_year())
        self.year_spin.valueChanged.connect(self._on_year_changed)  # no cycle via a lambda
        self.allocation_edit = MoneyEdit()
        self.allocation_edit.setObjectName("allocation_edit")
        self.allocation_edit.setAccessibleName("اعتبار تخصیص‌یافته")
        self.allocation_edit.setPlaceholderText("اعتبار سال به تومان")
        save = QPushButton("ثبت اعتبار")
        save.setObjectName("save_allocation_button")
        save.setAutoDefault(False)
        save.clicked.connect(self._on_save_allocation)
        may_set = context.access.may(Action.SET_ALLOCATION)
        save.setEnabled(may_set)
        self.allocation_edit.setReadOnly(not may_set)
        if not may_set:
            save.setToolTip("اعتبار را رئیس بیمارستان وارد می‌کند.")
        self.summary = QLabel()
        self.summary.setObjectName("dashboard_summary")
        self.summary.setProperty("role", "coverage")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("سال برنامه:"))
        top.addWidget(self.year_spin)
        top.addSpacing(20)
        top.addWidget(QLabel("اعتبار تخصیص‌یافته:"))
        top.addWidget(self.allocation_edit)
        top.addWidget(save)
        top.addStretch(1)

        self.spending_view = QChartView()
        self.groups_view = QChartView()
        self.bands_view = QChartView()
        for view in (self.spending_view, self.groups_view, self.bands_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
        grid = QGridLayout()
        grid.addWidget(self.spending_view, 0, 0, 1, 2)
        grid.addWidget(self.groups_view, 1, 0)
        grid.addWidget(self.bands_view, 1, 1)

        bottom = close_row(self)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)
        layout.addLayout(bottom)
        self.refresh()

    def _on_save_allocation(self) -> None:
        amount = self.allocation_edit.amount()
        if amount is None or amount < 0:
            QMessageBox.warning(self, "اعتبار ثبت نشد",
                                "«اعتبار تخصیص‌یافته» را به تومان (عدد) وارد کنید.")
            self.allocation_edit.setFocus()
            return
        self.context.allocations.set(self.year_spin.value(), amount)
        self.refresh()

    def _on_year_changed(self, _year: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Count the chosen year again, off the window's thread (over half a second at
        100,000 patients). Meanwhile the summary says so; asked again before the count
        has ended, the latest request wins, one count at a time (as Form 2's window)."""
        year = self.year_spin.value()
        allocation = self.context.allocations.get(year)
        self.allocation_edit.set_amount(allocation)
        self.figures = None
        self.summary.setText(f"در حال شمارش هزینه‌ها و بیماران سال {fa(year)}…")
        self._clear_charts()  # not last year's bars under this year's name
        dashboard = self.context.dashboard  # the worker reads no widget
        self._count.ask(lambda: dashboard.figures(year, allocation))

    def _clear_charts(self) -> None:
        for view in (self.spending_view, self.groups_view, self.bands_view):
            _replace_chart(view, _chart(""))

    def _not_counted(self, error: BaseException) -> None:
        self.summary.setText("شمارش انجام نشد.")
        self._clear_charts()
        raise error  # to the program's handler, which says it in Persian

    def _show(self, figures: YearFigures) -> None:
        self.figures = figures
        text = f"هزینه‌کرد سال {fa(figures.year)}: {money(figures.spent)}"
        if figures.remaining is not None:
            text += (f" از اعتبار {money(figures.allocation or 0)}؛ مانده: "
                     f"{money(figures.remaining)}" if figures.remaining >= 0 else
                     f" — {money(-figures.remaining)} بیش از اعتبار")
        self.summary.setText(text)
        _replace_chart(self.spending_view, self._spending_chart(figures))
        _replace_chart(self.groups_view, self._groups_chart(figures))
        _replace_chart(self.bands_view, self._bands_chart(figures))

    def _spending_chart(self, figures: YearFigures) -> QChart:
        chart = _chart("هزینه‌کرد ماهانه و جمع آن در برابر اعتبار (میلیون تومان)")
        bars = QBarSet("هزینه‌کرد ماه")
        bars.setColor(QColor("#5aa97b"))
        cumulative = QLineSeries()
        cumulative.setName("جمع تا آن ماه")
        total = 0.0
        months_so_far = self._months_so_far(figures.year)
        # Farvardin on the right: the year reads right to left. (A bar category axis
        # does not honour setReverse, so the months are laid out in reverse.)
        position = {month: 11 - month for month in range(12)}
        for month, spent in enumerate(figures.spending_by_month):
            total += spent / MILLION
            if month < months_so_far:  # no running total drawn into months to come
                cumulative.append(position[month], total)
        for spent in reversed(figures.spending_by_month):
            bars.append(spent / MILLION)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        chart.addSeries(cumulative)
        highest = total
        if figures.allocation is not None:
            budget = QLineSeries()
            budget.setName("اعتبار سال")
            budget.setColor(QColor("#b3261e"))
            for index in range(12):
                budget.append(index, figures.allocation / MILLION)
            chart.addSeries(budget)
            highest = max(highest, figures.allocation / MILLION)
        months = QBarCategoryAxis()
        months.append(list(reversed(MONTH_NAMES)))
        axis = _value_axis(highest, "میلیون تومان")
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignRight)
        for attached in chart.series():
            attached.attachAxis(months)
            attached.attachAxis(axis)
        return chart

    @staticmethod
    def _months_so_far(year: int) -> int:
        today_year, today_month, _ = to_jalali(dt.date.today())
        if year < today_year:
            return 12
        return today_month if year == today_year else 0

    def _groups_chart(self, figures: YearFigures) -> QChart:
        """Horizontal bars: the groups' names are long, and read best on the right."""
        chart = _chart("بیماران سال بر پایه نوع سرطان")
        bars = QBarSet("بیماران")
        bars.setColor(QColor("#3d8f60"))
        labels = []
        for group in reversed(self.context.reference.all_groups):  # group 1 on top
            bars.append(figures.patients_by_group.get(group.id, 0))
            labels.append(group.short_label.split(" (")[0])
        return self._bar_chart(chart, bars, labels, horizontal=True)

    def _bands_chart(self, figures: YearFigures) -> QChart:
        chart = _chart("ارزیابی‌های سال بر پایه سهم حمایت")
        bars = QBarSet("ارزیابی‌ها")
        bars.setColor(QColor("#7dbd97"))
        ruleset = self.context.rulebook.active()
        percents = sorted({b.coverage_percent for b in ruleset.bands}
                          | set(figures.assessments_by_coverage))
        for percent in reversed(percents):  # the lowest share on the right
            bars.append(figures.assessments_by_coverage.get(percent, 0))
        return self._bar_chart(chart, bars, [f"{fa(p)}٪" for p in reversed(percents)])

    @staticmethod
    def _bar_chart(chart: QChart, bars: QBarSet, labels: list[str], *,
                   horizontal: bool = False) -> QChart:
        """Categories read from the right: along the bottom, or (``horizontal``, for long
        names) down the right side with the bars growing leftwards."""
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(labels)
        categories.setTruncateLabels(False)  # a group's name must be read whole
        axis = _value_axis(max((bars.at(i) for i in range(bars.count())), default=0), "")
        if horizontal:
            axis.setReverse(True)
            chart.addAxis(categories, Qt.AlignmentFlag.AlignRight)
            chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(axis, Qt.AlignmentFlag.AlignRight)
        series.attachAxis(categories)
        series.attachAxis(axis)
        chart.legend().hide()
        return chart
