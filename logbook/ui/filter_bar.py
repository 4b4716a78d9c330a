"""The filter bar above the table: free text, an inclusive date range, country, event type, outcome and
verification. It only builds an IncidentFilter; the model and the summary do the querying."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from logbook.domain.countries import all_countries
from logbook.domain.enums import EventType, LabelledEnum, Outcome, Verification
from logbook.domain.filters import IncidentFilter
from logbook.ui.translations import translated_label

NO_DATE = QDate(1900, 1, 1)  # the minimum of the date edits, shown as "any"
SEARCH_DELAY_MS = 250


class FilterBar(QWidget):
    filter_changed = Signal(object)  # an IncidentFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search title, notes, places, people, sources…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 20)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._emit)
        layout.addWidget(self.search, 4)

        self.date_from = self._date_edit("dateFrom", self.tr("From"))
        self.date_to = self._date_edit("dateTo", self.tr("To"))
        for label, edit in ((self.tr("From"), self.date_from), (self.tr("To"), self.date_to)):
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            layout.addWidget(caption)
            layout.addWidget(edit)

        self.country = QComboBox(self)
        self.country.setObjectName("countryFilter")
        self.country.setAccessibleName(self.tr("Country"))
        self.country.setEditable(True)
        self.country.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.country.addItem(self.tr("All countries"), None)
        for code, name in all_countries():
            self.country.addItem(name, code)
        completer = self.country.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.country.currentIndexChanged.connect(self._emit)
        self.country.setMinimumContentsLength(11)
        self.country.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        layout.addWidget(self.country, 1)

        self.event_type = self._choice("eventTypeFilter", self.tr("Event type"), self.tr("All event types"), EventType)
        self.outcome = self._choice("outcomeFilter", self.tr("Outcome"), self.tr("All outcomes"), Outcome)
        self.verification = self._choice(
            "verificationFilter", self.tr("Verification"), self.tr("Any verification"), Verification
        )
        for combo in (self.event_type, self.outcome, self.verification):
            layout.addWidget(combo, 1)

        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setAccessibleName(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Show every incident again"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        for widget, tip in (
            (self.date_from, self.tr("Only incidents on or after this day, the day itself included (“any”: no limit)")),
            (self.date_to, self.tr("Only incidents on or before this day, the day itself included (“any”: no limit)")),
            (self.country, self.tr("Only incidents in this country: type any part of its name")),
            (self.event_type, self.tr("Only incidents of this event type")),
            (self.outcome, self.tr("Only incidents with this outcome")),
            (self.verification, self.tr("Only incidents verified this far")),
        ):
            widget.setToolTip(tip)

    def _date_edit(self, name: str, label: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(NO_DATE)
        edit.dateChanged.connect(self._emit)
        return edit

    def _choice(self, name: str, label: str, everything: str, enum: type[LabelledEnum]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(label)
        combo.addItem(everything, None)
        for member in enum:
            combo.addItem(translated_label(member), member.value)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def current_filter(self) -> IncidentFilter:
        def chosen(combo: QComboBox) -> tuple[str, ...]:
            code = combo.currentData()
            return (code,) if code else ()

        def day(edit: QDateEdit):  # type: ignore[no-untyped-def]
            return None if edit.date() == NO_DATE else edit.date().toPython()

        return IncidentFilter(
            search=self.search.text().strip(),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
            countries=chosen(self.country),
            event_types=chosen(self.event_type),
            outcomes=chosen(self.outcome),
            verifications=chosen(self.verification),
        )

    def clear(self) -> None:
        self.set_filter(IncidentFilter())
        self._emit()

    def set_filter(self, incident_filter: IncidentFilter) -> None:
        """Show ``incident_filter`` in the fields (a logbook's remembered filter) without emitting filter_changed:
        the caller queries once. What a field cannot show (a second country, a code no longer known) is dropped,
        so current_filter() afterwards is exactly what the fields show."""
        widgets = (self.search, self.date_from, self.date_to, self.country, self.event_type, self.outcome,
                   self.verification)  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self._search_timer.stop()
        self.search.setText(incident_filter.search)
        for edit, day in ((self.date_from, incident_filter.date_from), (self.date_to, incident_filter.date_to)):
            edit.setDate(NO_DATE if day is None else QDate(day.year, day.month, day.day))
        for combo, codes in (
            (self.country, incident_filter.countries),
            (self.event_type, incident_filter.event_types),
            (self.outcome, incident_filter.outcomes),
            (self.verification, incident_filter.verifications),
        ):
            combo.setCurrentIndex(max(combo.findData(codes[0]), 0) if codes else 0)
        for widget in widgets:
            widget.blockSignals(False)

    def set_date_format(self, qt_format: str) -> None:
        """Show the range's dates as the table does (Preferences › Date format)."""
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(qt_format)

    def _emit(self) -> None:
        self._search_timer.stop()
        self.filter_changed.emit(self.current_filter())
