"""Tooltips with a cell's whole text where the column is too narrow for it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)


class FullTextTips(QStyledItemDelegate):
    """A cut-off cell ("Rasrasdar check…", "2025-12-31–2026-0…") shows its whole text when the pointer rests on
    it, as file managers do; a cell that fits, or that has a tooltip of its own, is left as it was."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid() and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text and self._cut_off(str(text), option, index):
                QToolTip.showText(event.globalPos(), str(text), view.viewport(), option.rect)
                return True
        return super().helpEvent(event, view, option, index)

    def _cut_off(self, text: str, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether the cell's text is wider than the room the style gives it (its text rectangle less the margin
        on each side that the style keeps when it draws the text)."""
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        style = cell.widget.style() if cell.widget is not None else QApplication.style()
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, cell, cell.widget).width()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, cell.widget) + 1
        return cell.fontMetrics.horizontalAdvance(text) > room - 2 * margin
