"""A painted scale of the coverage bands with a marker where the score sits."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.rules import Band

_BAND_COLOURS = ("#e8f1ec", "#d2e7da", "#b9dbc6", "#9ccdb0", "#7dbd97", "#5aa97b", "#3d8f60",
                 "#2a774c")
_MARKER = QColor("#b3261e")


class BandScale(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bands: tuple[Band, ...] = ()
        self._max_score = 100
        self._score: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(78)

    def sizeHint(self) -> QSize:
        return QSize(320, 78)

    def set_bands(self, bands: Sequence[Band], max_score: int) -> None:
        self._bands = tuple(bands)
        self._max_score = max_score
        self.update()

    def set_score(self, score: int | None) -> None:
        self._score = score
        self.update()

    def score(self) -> int | None:
        return self._score

    def _x(self, value: float, bar: QRectF) -> float:
        fraction = value / (self._max_score + 1)
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            return bar.right() - fraction * bar.width()
        return bar.left() + fraction * bar.width()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        bar = QRectF(8, line + 8, self.width() - 16, 24)
        for index, band in enumerate(self._bands):
            x1 = self._x(band.min_score, bar)
            x2 = self._x(band.max_score + 1, bar)
            segment = QRectF(min(x1, x2), bar.top(), abs(x2 - x1), bar.height())
            painter.fillRect(segment, QColor(_BAND_COLOURS[index % len(_BAND_COLOURS)]))
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.drawRect(segment)
            painter.setPen(QColor("#ffffff" if index >= 4 else "#1f3b2b"))
            painter.drawText(segment, Qt.AlignmentFlag.AlignCenter,
                             f"{to_persian_digits(band.coverage_percent)}٪")
            if band.min_score > 0:
                painter.setPen(QColor("#5f6368"))
                tick = QRectF(x1 - 20, bar.bottom() + 2, 40, line)
                painter.drawText(tick, Qt.AlignmentFlag.AlignCenter,
                                 to_persian_digits(band.min_score))
        if self._score is not None:
            x = self._x(self._score + 0.5, bar)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_MARKER)
            top = bar.top() - 2
            painter.drawPolygon(QPolygonF([QPointF(x - 7, top - 9), QPointF(x + 7, top - 9),
                                           QPointF(x, top)]))
            painter.setPen(QPen(_MARKER, 2))
            painter.drawLine(QPointF(x, bar.top()), QPointF(x, bar.bottom()))
            label = QRectF(x - 30, 0, 60, line)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, to_persian_digits(self._score))
        painter.end()
