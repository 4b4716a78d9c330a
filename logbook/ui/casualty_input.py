"""A casualty figure as reports give it: unknown, exactly N, at least N, or between two numbers."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from logbook.ui.accessibility import describe

MAX_PEOPLE = 9_999_999


class CasualtyMode(IntEnum):
    UNKNOWN = 0
    EXACTLY = 1
    AT_LEAST = 2
    BETWEEN = 3


class CasualtyInput(QWidget):
    """A mode and up to two numbers, so that "unknown" is a choice of its own and never shows as 0.

    The numbers are not clamped against each other: a minimum above the maximum is left for validation
    to report beside the field rather than silently changed.
    """

    def __init__(self, label: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self.setObjectName(f"{name}Input")
        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName(f"{name}Mode")
        self.mode_combo.setAccessibleName(label)
        for mode, text in (
            (CasualtyMode.UNKNOWN, self.tr("Unknown")),
            (CasualtyMode.EXACTLY, self.tr("Exactly")),
            (CasualtyMode.AT_LEAST, self.tr("At least")),
            (CasualtyMode.BETWEEN, self.tr("Between")),
        ):
            self.mode_combo.addItem(text, int(mode))
        self.mode_combo.setToolTip(self.tr("Unknown, exactly N, at least N, or between two numbers: an unknown "
                                           "figure is never counted as 0"))  # fmt: skip
        self.low_spin = self._spin(f"{name}Min")
        self.and_label = QLabel(self.tr("and"), self)
        self.high_spin = self._spin(f"{name}Max")
        describe(self.low_spin, self.tr("The number reported, or the lowest of a range"))
        describe(self.high_spin, self.tr("The highest number of the range"))

        for widget in (self.low_spin, self.and_label, self.high_spin):
            # Hidden numbers keep their room, so the row neither jumps nor outgrows the form on "Between".
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mode_combo)
        layout.addWidget(self.low_spin)
        layout.addWidget(self.and_label)
        layout.addWidget(self.high_spin)
        layout.addStretch(1)
        self.mode_combo.currentIndexChanged.connect(self._show_numbers)
        self._show_numbers()

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(0, MAX_PEOPLE)
        spin.setGroupSeparatorShown(True)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("9,999,999") + 40)
        return spin

    def mode(self) -> CasualtyMode:
        return CasualtyMode(self.mode_combo.currentData())

    def value(self) -> tuple[int | None, int | None]:
        """(minimum, maximum) as the record stores them: None is unknown, never 0."""
        mode = self.mode()
        low, high = self.low_spin.value(), self.high_spin.value()
        if mode is CasualtyMode.EXACTLY:
            return low, low
        if mode is CasualtyMode.AT_LEAST:
            return low, None
        if mode is CasualtyMode.BETWEEN:
            return low, high
        return None, None

    def set_value(self, low: int | None, high: int | None) -> None:
        if low is None:
            mode = CasualtyMode.UNKNOWN
        elif high is None:
            mode = CasualtyMode.AT_LEAST
        elif low == high:
            mode = CasualtyMode.EXACTLY
        else:
            mode = CasualtyMode.BETWEEN
        self.low_spin.setValue(low or 0)
        self.high_spin.setValue(high if high is not None else 0)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(int(mode)))

    def _show_numbers(self) -> None:
        mode = self.mode()
        self.low_spin.setVisible(mode is not CasualtyMode.UNKNOWN)
        self.and_label.setVisible(mode is CasualtyMode.BETWEEN)
        self.high_spin.setVisible(mode is CasualtyMode.BETWEEN)
        # Screen readers hear what the one or two numbers mean in the chosen mode.
        low_name = {
            CasualtyMode.EXACTLY: self.tr("{label}, exact number"),
            CasualtyMode.AT_LEAST: self.tr("{label}, at least"),
        }.get(mode, self.tr("{label}, lowest"))
        self.low_spin.setAccessibleName(low_name.format(label=self._label))
        self.high_spin.setAccessibleName(self.tr("{label}, highest").format(label=self._label))
