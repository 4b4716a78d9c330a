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
        self.search.setMinimumWidth(300)
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
        self.country.setMinimumContentsLength(14)
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
        combo.setToolTip(label)
        combo.addItem(everything, None)
        for member in enum:
            combo.addItem(member.label, member.value)
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
        widgets = (self.search, self.date_from, self.date_to, self.country, self.event_type, self.outcome,
                   self.verification)  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        for combo in (self.country, self.event_type, self.outcome, self.verification):
            combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self._search_timer.stop()
        self.filter_changed.emit(self.current_filter())
