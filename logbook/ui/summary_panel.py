"""The summary panel: the figures an article quotes, for the incidents that match the current filter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.enums import Outcome
from logbook.domain.summary import Casualties, Summary
from logbook.ui.numbers import DateStyle, count_text, date_text
from logbook.ui.record_list_model import RecordListModel
from logbook.ui.translations import translated_label


class CountryCountModel(RecordListModel):
    """Incidents per country, most first: records are (name, count)."""

    COL_COUNTRY, COL_COUNT = range(2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = (self.tr("Country"), self.tr("Incidents"))

    def set_counts(self, counts: dict[str, int]) -> None:
        self.set_records(counts.items())

    def cell(self, record: tuple[str, int], column: int, role: int) -> Any:
        name, count = record
        if role == Qt.ItemDataRole.DisplayRole:
            return name if column == self.COL_COUNTRY else count_text(count)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SummaryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self.setAccessibleName(self.tr("Summary"))
        self.date_style = DateStyle.ISO  # how the scope's dates are written (Preferences › Date format)
        self._shown: tuple[Summary, bool] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        # room for "Intercepted", a seven-digit figure and the country table's two columns, never squeezed
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 36)

        self.scope = QLabel(self)
        self.scope.setObjectName("summaryScope")
        self.scope.setWordWrap(True)
        layout.addWidget(self.scope)

        totals = QGroupBox(self.tr("Totals"), self)
        form = QFormLayout(totals)
        self.incidents = self._figure("summaryIncidents")
        self.killed = self._figure("summaryKilled")
        self.injured = self._figure("summaryInjured")
        form.addRow(self.tr("Incidents"), self.incidents)
        form.addRow(self.tr("Killed"), self.killed)
        form.addRow(self.tr("Injured"), self.injured)
        layout.addWidget(totals)

        outcomes = QGroupBox(self.tr("By outcome"), self)
        outcome_form = QFormLayout(outcomes)
        self.outcomes: dict[str, QLabel] = {}
        for outcome in Outcome:
            label = self._figure(f"summaryOutcome_{outcome.value}")
            self.outcomes[outcome.value] = label
            outcome_form.addRow(translated_label(outcome), label)
        layout.addWidget(outcomes)

        countries = QGroupBox(self.tr("By country"), self)
        countries_layout = QVBoxLayout(countries)
        self.country_model = CountryCountModel(self)
        self.country_table = QTableView(countries)
        self.country_table.setObjectName("summaryCountries")
        self.country_table.setAccessibleName(self.tr("Incidents by country"))
        self.country_table.setAccessibleDescription(self.tr("How many of the matching incidents each country has"))
        self.country_table.setModel(self.country_model)
        self.country_table.verticalHeader().hide()
        self.country_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.country_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.country_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.country_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.country_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        countries_layout.addWidget(self.country_table)
        layout.addWidget(countries, 1)
        self._figure_boxes = (totals, outcomes, countries)

    def _figure(self, name: str) -> QLabel:
        label = QLabel("–", self)
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    def set_date_style(self, style: DateStyle) -> None:
        self.date_style = style
        if self._shown is not None and not self.counting():
            self.scope.setText(self._scope_text(*self._shown))

    def set_counting(self) -> None:
        """The figures shown are of an earlier filter while the new ones are read (a second or so for a search
        that matches most of a million incidents): grey them and say so, until show_summary."""
        for box in self._figure_boxes:
            box.setEnabled(False)
        self.scope.setText(self.tr("Counting the incidents that match…"))

    def counting(self) -> bool:
        return not self._figure_boxes[0].isEnabled()

    def stop_counting(self) -> None:
        """The read failed (the window says why): the figures shown before, as they were."""
        for box in self._figure_boxes:
            box.setEnabled(True)
        self.scope.setText(self._scope_text(*self._shown) if self._shown is not None else "")

    def show_summary(self, summary: Summary, filtered: bool) -> None:
        self._shown = (summary, filtered)
        for box in self._figure_boxes:
            box.setEnabled(True)
        self.scope.setText(self._scope_text(summary, filtered))
        self.incidents.setText(count_text(summary.incidents))
        self.killed.setText(self._casualties(summary.killed))
        self.injured.setText(self._casualties(summary.injured))
        for code, label in self.outcomes.items():
            label.setText(count_text(summary.by_outcome.get(code, 0)))
        self.country_model.set_counts(summary.by_country)

    def _scope_text(self, summary: Summary, filtered: bool) -> str:
        start, end = (
            None if day is None else date_text(day, self.date_style) for day in (summary.date_from, summary.date_to)
        )
        if start and end:
            span = self.tr("from {0} to {1}").format(start, end)
        elif start:
            span = self.tr("since {0}").format(start)
        elif end:
            span = self.tr("up to {0}").format(end)
        else:
            span = ""
        scope = self.tr("Incidents matching the filter") if filtered else self.tr("All incidents")
        return f"{scope} {span}".strip()

    def _casualties(self, figures: Casualties) -> str:
        text = figures.text(count_text)
        if figures.unknown:
            text += " " + self.tr("({0} unknown)").format(count_text(figures.unknown))
        return text
