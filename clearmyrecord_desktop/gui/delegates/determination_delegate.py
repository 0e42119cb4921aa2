"""Paints determination badges and reviewer markers in the review table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..style import CHANGED_COLOUR, REVIEWED_COLOUR, badge_colours


def _begin_cell(painter: QPainter, option: QStyleOptionViewItem) -> QFont:
    """Save the painter and paint the selection background; the cell's font in bold (the caller restores)."""
    painter.save()
    if option.state & QStyle.StateFlag.State_Selected:
        painter.fillRect(option.rect, option.palette.highlight())
    font = QFont(option.font)
    font.setBold(True)
    return font


class DeterminationDelegate(QStyledItemDelegate):
    """Rounded badge in the determination's colour; the text is the model's display text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        code = index.data(Qt.ItemDataRole.UserRole)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if not code:
            super().paint(painter, option, index)
            return
        font = _begin_cell(painter, option)
        fg, bg = badge_colours(code)
        custom = index.data(Qt.ItemDataRole.FontRole)
        if custom is not None and custom.italic():
            font.setItalic(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = min(option.rect.width() - 6, metrics.horizontalAdvance(text) + 14)
        rect = QRectF(option.rect.x() + 3, option.rect.y() + 3, width, option.rect.height() - 6)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class ReviewMarkerDelegate(QStyledItemDelegate):
    """✎ (decided by a reviewer) in purple, ⚠ (engine result changed since) in orange."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        marker = index.data(Qt.ItemDataRole.UserRole)
        if not marker:
            super().paint(painter, option, index)
            return
        painter.setFont(_begin_cell(painter, option))
        painter.setPen(QColor(CHANGED_COLOUR if marker == "changed" else REVIEWED_COLOUR))
        painter.drawText(option.rect.adjusted(6, 0, -2, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.restore()
