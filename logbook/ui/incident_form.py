"""The dialog through which people enter and edit one incident."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from logbook.domain.countries import all_countries, country_code
from logbook.domain.csv_schema import format_tags, parse_tags
from logbook.domain.enums import (
    Attribution,
    Damage,
    DatePrecision,
    EventType,
    GeoPrecision,
    LabelledEnum,
    Outcome,
    TargetType,
    Verification,
    Weapon,
)
from logbook.domain.record import IncidentDraft
from logbook.domain.validation import FieldProblem, validate
from logbook.store.errors import ConflictError, LogbookError
from logbook.store.repository import Repository
from logbook.ui import icons, theme
from logbook.ui.accessibility import fill_in
from logbook.ui.casualty_input import CasualtyInput
from logbook.ui.completions import Completions
from logbook.ui.conflict_dialog import ConflictDialog
from logbook.ui.history_view import HistoryDialog
from logbook.ui.sources_editor import SourcesEditor
from logbook.ui.translations import translated_label

# Room left on the screen for the window frame and a desktop panel.
SCREEN_ALLOWANCE = QSize(40, 80)
# The form's own keys, for its shortcuts and for Help › Keyboard shortcuts (form_shortcuts). Next and previous
# are Ctrl+PgDown/PgUp, the "next page" of spreadsheets and browsers: Alt+Down opens a list or the calendar.
SAVE_KEYS = (QKeySequence.StandardKey.Save, "Ctrl+Return", "Ctrl+Enter")
SAVE_AND_NEW_KEYS = ("Ctrl+Shift+Return", "Ctrl+Shift+Enter")
NEXT_KEYS = ("Ctrl+PgDown",)
PREVIOUS_KEYS = ("Ctrl+PgUp",)
HISTORY_KEYS = ("Ctrl+H",)
Neighbour = Callable[[int, int], int | None]  # (incident id, step) -> the id that many rows on, in the table


def key_sequences(keys: tuple[QKeySequence.StandardKey | str, ...]) -> list[QKeySequence]:
    """Each key as a sequence; a standard key brings all of the platform's bindings for it."""
    found: list[QKeySequence] = []
    for key in keys:
        found += QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
    return list(dict.fromkeys(found))


def form_shortcuts() -> list[tuple[str, list[QKeySequence]]]:
    """What each of the form's keys does, for Help › Keyboard shortcuts."""
    keys = QKeySequence
    return [
        (IncidentForm.tr("Save and close"), key_sequences(SAVE_KEYS)),
        (IncidentForm.tr("Save, then a new incident from the same report"), key_sequences(SAVE_AND_NEW_KEYS)),
        (IncidentForm.tr("Next incident in the table's order"), key_sequences(NEXT_KEYS)),
        (IncidentForm.tr("Previous incident in the table's order"), key_sequences(PREVIOUS_KEYS)),
        (IncidentForm.tr("History of this incident"), key_sequences(HISTORY_KEYS)),
        (IncidentForm.tr("Cancel (asks before unsaved changes are lost)"), [keys(Qt.Key.Key_Escape)]),
        (IncidentForm.tr("Next field, previous field"), [keys(Qt.Key.Key_Tab), keys("Shift+Tab")]),
        (IncidentForm.tr("Pick a date from a calendar; open a list"), [keys("Alt+Down"), keys(Qt.Key.Key_F4)]),
        (IncidentForm.tr("Edit a source's cell (Tab goes on to the next cell)"), [keys(Qt.Key.Key_F2)]),
    ]


class ConfirmDiscard:
    """Asks before unsaved edits are thrown away; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget) -> bool:
        answer = QMessageBox.question(
            parent,
            IncidentForm.tr("Discard changes?"),
            IncidentForm.tr("This incident has changes that are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    @classmethod
    def save_or_discard(cls, parent: QWidget) -> bool | None:
        """Before the form goes on to another incident: True to save the changes first, False to discard them,
        None to stay."""
        button = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent,
            IncidentForm.tr("Save changes?"),
            IncidentForm.tr("This incident has changes that are not saved. Save them before going on?"),
            button.Save | button.Discard | button.Cancel,
            button.Save,
        )
        return {button.Save: True, button.Discard: False}.get(answer)


class FormMessages:
    """Messages the form cannot show beside a field (a conflict, a vanished incident); tests replace ``warn``."""

    @classmethod
    def warn(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)


class DateInput(QLineEdit):
    """A date typed as YYYY-MM-DD or picked from a calendar (the button, Alt+Down or F4); empty is allowed.

    A QDateEdit can be neither empty nor typed into as "2023-11-02", so the text is checked on save instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("YYYY-MM-DD"))
        action = self.addAction(icons.icon("view-calendar"), QLineEdit.ActionPosition.TrailingPosition)
        action.setText(self.tr("Pick from a calendar"))
        action.setToolTip(self.tr("Pick from a calendar (Alt+Down)"))
        action.triggered.connect(self.show_calendar)
        for button in self.findChildren(QToolButton):  # the line edit shows the action as this button
            button.setObjectName("calendarButton")
            button.setAccessibleName(action.text())

    def date(self) -> dt.date | None:
        """None when empty; ValueError when the text is not a date."""
        text = self.text().strip()
        return dt.date.fromisoformat(text) if text else None

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.isoformat() if value else "")

    def show_calendar(self) -> QMenu:
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        try:
            current = self.date()
        except ValueError:
            current = None
        calendar.setSelectedDate(QDate(current.year, current.month, current.day) if current else QDate.currentDate())
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def pick(date: QDate) -> None:
            self.setText(date.toString(Qt.DateFormat.ISODate))
            menu.close()

        calendar.clicked.connect(pick)
        calendar.activated.connect(pick)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.setFocus()
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
        else:
            super().keyPressEvent(event)


class IncidentForm(QDialog):
    """Every field of one incident; a new one when ``incident_id`` is None.

    Opening an incident that is no longer stored raises MissingIncidentError, for the caller to report.
    """

    incident_saved = Signal(int)
    version_restored = Signal(object)  # the HistoryEntry of an earlier version restored from the form's history
    moved = Signal(int)  # the form went on to another incident (next or previous): its id

    def __init__(
        self,
        repository: Repository,
        incident_id: int | None = None,
        parent: QWidget | None = None,
        completions: Completions | None = None,
        neighbour: Neighbour | None = None,
    ) -> None:
        """``completions`` are the window's shared lists; a form on its own reads its own at once. ``neighbour``
        finds the next and previous incidents in the window's table; without it the form stays on one."""
        super().__init__(parent)
        self.setObjectName("incidentForm")
        self._repository = repository
        self._incident_id = incident_id
        self._neighbour = neighbour
        self._version: int | None = None
        self._opened_draft: IncidentDraft | None = None  # as last shown from the logbook: what a conflict compares to
        self.saved_over_conflict = False  # the last save merged with someone else's (the window reads it again)
        self._chain: list[QWidget] = []  # the inputs and buttons in tab order
        self._slots: dict[str, tuple[QWidget, QLabel]] = {}  # problem field -> (widget to focus, its error label)
        if completions is None:
            completions = Completions(self)
            completions.load(repository)
        self._completions = completions
        self._labels: dict[QFormLayout, list[QLabel]] = {}
        self._build()
        self._show_draft(IncidentDraft() if incident_id is None else repository.get(incident_id))

    # ---- public -----------------------------------------------------------------------------------------

    @property
    def incident_id(self) -> int | None:
        """The incident being edited; None while it is a new one not yet saved."""
        return self._incident_id

    def has_unsaved_edits(self) -> bool:
        return self._state() != self._baseline

    def save(self) -> bool:
        """Validate and store. On any refusal the input stays as the user left it and the reason is shown."""
        draft, problems = self._read()
        seen = {problem.field for problem in problems}
        problems += [problem for problem in validate(draft) if problem.field not in seen]
        self._show_problems(problems)
        if problems:
            return False
        self.saved_over_conflict = False
        try:
            if self._incident_id is None:
                self._incident_id = self._repository.add(draft)
            else:
                self._repository.update(self._incident_id, draft)
        except ConflictError:
            merged = self._save_over_conflict(draft)
            if merged is None:
                return False
            draft = merged
        except LogbookError as error:
            FormMessages.warn(self, self.tr("Incident not saved"), str(error))
            return False
        self._completions.remember(draft)
        self.incident_saved.emit(self._incident_id)
        return True

    def _save_over_conflict(self, yours: IncidentDraft) -> IncidentDraft | None:
        """Someone saved this incident since the form showed it: show both versions field by field and save the
        user's choice over theirs (again if yet another save came meanwhile). The stored result, now shown in
        the form; None when the user cancels or it cannot be saved (the input stays as it is)."""
        assert self._incident_id is not None
        opened = self._opened_draft
        while True:
            try:
                theirs = self._repository.get(self._incident_id)
                merged = ConflictDialog.ask(self, theirs, yours, opened)
                if merged is None:
                    return None
                if merged != theirs:  # "keep theirs" leaves their version as it is
                    self._repository.update(self._incident_id, merged)
                stored = self._repository.get(self._incident_id)
            except ConflictError:
                opened, yours = theirs, merged or yours
                continue
            except LogbookError as error:
                FormMessages.warn(self, self.tr("Incident not saved"), str(error))
                return None
            self._show_draft(stored)
            self.saved_over_conflict = True
            return stored

    def go_to(self, step: int) -> bool:
        """Show the incident ``step`` rows on in the window's table (-1: the one before); unsaved changes are
        saved or discarded first, as the user says. False when there is none there or the user stays."""
        if self._neighbour is None or self._incident_id is None:
            return False
        target = self._neighbour(self._incident_id, step)  # where the table has it now, before a save moves it
        if target is None:
            QApplication.beep()
            return False
        if self.has_unsaved_edits():
            save_first = ConfirmDiscard.save_or_discard(self)
            if save_first is None or (save_first and not self.save()):
                return False
        try:
            draft = self._repository.get(target)
        except LogbookError as error:  # deleted for good elsewhere since the table was read
            FormMessages.warn(self, self.tr("Incident not shown"), str(error))
            return False
        self._incident_id = target
        self._show_draft(draft)
        self.moved.emit(target)
        return True

    def show_next(self) -> bool:
        return self.go_to(1)

    def show_previous(self) -> bool:
        return self.go_to(-1)

    def reject(self) -> None:
        """Cancel, Esc and closing the window all come here: ask before edits are lost."""
        if self.has_unsaved_edits() and not ConfirmDiscard.ask(self):
            return
        super().reject()

    def sizeHint(self) -> QSize:
        """Everything at once where it fits (a scroll area alone would ask for a small box)."""
        margins = self.layout().contentsMargins()
        content = self._scroll.widget().sizeHint()
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = content.width() + margins.left() + margins.right() + scrollbar
        height = (
            content.height()
            + margins.top()
            + margins.bottom()
            + self.layout().spacing()
            + self._save_button.sizeHint().height()
        )
        return QSize(width, height).boundedTo(self.screen().availableGeometry().size() - SCREEN_ALLOWANCE)

    # ---- building ---------------------------------------------------------------------------------------

    def _build(self) -> None:
        when = self._group(self.tr("When and where"))
        self._date_start = self._date_row(when, self.tr("Start date"), "date_start", "dateStart")
        self._date_end = self._date_row(when, self.tr("End date"), "date_end", "dateEnd")
        self._date_end.setPlaceholderText(self.tr("Empty for a single day"))
        self._date_precision = self._enum_row(
            when, self.tr("Date precision"), "date_precision", "datePrecision", DatePrecision
        )
        self._country = self._country_row(when)
        self._admin1 = self._text_row(when, self.tr("Province"), "admin1", "admin1", completing=True)
        self._admin1.setPlaceholderText(self.tr("Governorate, province or state"))
        self._location = self._text_row(when, self.tr("Location"), "location", "location", completing=True)
        self._location.setPlaceholderText(self.tr("Town, base or other place"))
        self._latitude = self._text_row(when, self.tr("Latitude"), "latitude", "latitude")
        self._latitude.setPlaceholderText(self.tr("Decimal degrees, -90 to 90"))
        self._longitude = self._text_row(when, self.tr("Longitude"), "longitude", "longitude")
        self._longitude.setPlaceholderText(self.tr("Decimal degrees, -180 to 180"))
        self._geo_precision = self._enum_row(
            when, self.tr("Place precision"), "geo_precision", "geoPrecision", GeoPrecision, empty=self.tr("Not given")
        )

        what = self._group(self.tr("What happened"))
        self._title = self._text_row(what, self.tr("Title"), "title", "title")
        self._title.setPlaceholderText(self.tr("A one-line summary"))
        self._event_type = self._enum_row(what, self.tr("Event type"), "event_type", "eventType", EventType)
        self._event_type.setPlaceholderText(self.tr("Choose…"))
        self._weapon = self._enum_row(what, self.tr("Weapon"), "weapon", "weapon", Weapon)
        self._target_type = self._enum_row(what, self.tr("Target type"), "target_type", "targetType", TargetType)
        self._target = self._text_row(what, self.tr("Target"), "target", "target", completing=True)
        self._outcome = self._enum_row(what, self.tr("Outcome"), "outcome", "outcome", Outcome)
        self._damage = self._enum_row(what, self.tr("Damage"), "damage", "damage", Damage)

        casualties = self._group(self.tr("Casualties"))
        self._killed = self._casualty_row(casualties, self.tr("Killed"), "killed")
        self._injured = self._casualty_row(casualties, self.tr("Injured"), "injured")

        who = self._group(self.tr("Who"))
        self._perpetrator = self._text_row(who, self.tr("Perpetrator"), "perpetrator", "perpetrator", completing=True)
        self._perpetrator.setPlaceholderText(self.tr("Who carried it out, as reported"))
        self._attribution = self._enum_row(who, self.tr("Attribution"), "attribution", "attribution", Attribution)
        self._attributed_by = self._text_row(
            who, self.tr("Attributed by"), "attributed_by", "attributedBy", completing=True
        )
        self._attributed_by.setPlaceholderText(self.tr("Who made the attribution"))

        sources = self._group(self.tr("Sources"))
        self._verification = self._enum_row(
            sources, self.tr("Verification"), "verification", "verification", Verification
        )
        self._sources = SourcesEditor()
        self._add_row(sources, None, self._sources, "sources", {"sources": self._sources.table})
        self._chain += [self._sources.add_button, self._sources.remove_button]

        notes = self._group(self.tr("Notes and tags"))
        self._notes = QPlainTextEdit()
        self._notes.setObjectName("notes")
        self._notes.setTabChangesFocus(True)
        self._notes.setMaximumHeight(self._notes.fontMetrics().lineSpacing() * 5 + 12)
        self._add_row(notes, self.tr("Notes"), self._notes, "notes", {"notes": self._notes})
        self._tags = self._text_row(notes, self.tr("Tags"), "tags", "tags")
        self._tags.setPlaceholderText(self.tr("Separated by “; ”, e.g. Iraq; drone"))
        self._explain_fields()

        content = QWidget()
        content.setObjectName("formContent")
        columns = QHBoxLayout(content)
        for groups in ((when, what, casualties), (who, sources, notes)):
            column = QVBoxLayout()
            labels = [label for group in groups for label in self._labels.get(group, [])]
            label_width = max(label.sizeHint().width() for label in labels)
            for label in labels:  # fields line up across the groups of one column
                label.setMinimumWidth(label_width)
            for group in groups:
                column.addWidget(group.parentWidget())
            column.addStretch(1)
            columns.addLayout(column, 1)
        self._scroll = QScrollArea()
        self._scroll.setWidget(content)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self._save_button = self._button(self.tr("Save"), "saveButton")
        self._save_button.setDefault(True)
        self._save_button.setToolTip(self.tr("Save and close (Ctrl+S)"))
        self._save_and_new_button = self._button(self.tr("Save and new"), "saveAndNewButton")
        self._save_and_new_button.setToolTip(
            self.tr("Save, then start the next incident from the same report (Ctrl+Shift+Enter)")
        )
        self._cancel_button = self._button(self.tr("Cancel"), "cancelButton")
        self._cancel_button.setToolTip(self.tr("Close the form without saving; asks first when there are changes"))
        self._history_button = self._button(self.tr("History…"), "historyButton")
        self._history_button.setToolTip(self.tr("Every change to this incident: when, by whom, each field's old and "
                                                "new value; restore an earlier version"))  # fmt: skip
        self._history_button.clicked.connect(self.show_history)
        history_action = QAction(self)
        history_action.setShortcuts(key_sequences(HISTORY_KEYS))
        history_action.triggered.connect(self._history_button.click)
        buttons = QHBoxLayout()
        buttons.addWidget(self._history_button)
        self.previous_action = self._move(self.tr("Previous incident"), PREVIOUS_KEYS, "go-previous", buttons)
        self.previous_action.triggered.connect(self.show_previous)
        self.next_action = self._move(self.tr("Next incident"), NEXT_KEYS, "go-next", buttons)
        self.next_action.triggered.connect(self.show_next)
        self.addActions([history_action, self.previous_action, self.next_action])
        buttons.addStretch(1)
        for button in (self._save_button, self._save_and_new_button, self._cancel_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(buttons)
        for first, second in itertools.pairwise(self._chain):
            QWidget.setTabOrder(first, second)
        fill_in(self)
        # what each field is, to say again after the problems a save finds in it (_show_problems)
        self._descriptions = {target: target.accessibleDescription() for target, _error in self._slots.values()}

        self._save_button.clicked.connect(self._save_and_close)
        self._save_and_new_button.clicked.connect(self._save_and_start_next)
        self._cancel_button.clicked.connect(self.reject)
        for keys, slot in ((SAVE_KEYS, self._save_and_close), (SAVE_AND_NEW_KEYS, self._save_and_start_next)):
            for key in key_sequences(keys):
                QShortcut(key, self).activated.connect(slot)

    def _move(self, text: str, keys: tuple[str, ...], icon: str, buttons: QHBoxLayout) -> QAction:
        """Next or previous: an action with its keys, and a button for it beside History."""
        action = QAction(icons.icon(icon), text, self)
        action.setShortcuts(key_sequences(keys))
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(self.tr("{0} in the table's order ({1})").format(text, shortcut))
        button = QToolButton(self)
        button.setObjectName(f"{icon.removeprefix('go-')}Button")
        button.setDefaultAction(action)
        if self._neighbour is None:  # a form on its own: there is no table to go through
            button.hide()
        buttons.addWidget(button)
        self._chain.append(button)
        return action

    def _explain_fields(self) -> None:
        """What a field means, where its label and placeholder do not say: as its tooltip, and so (fill_in) as
        what a screen reader says about it."""
        for widget, tip in (
            (self._date_start, self.tr("The day it happened, or the first day (YYYY-MM-DD; Alt+Down: a calendar)")),
            (self._date_end, self.tr("The last day of an incident over several days (YYYY-MM-DD)")),
            (self._date_precision, self.tr("How exactly the date is known: “mid-October” is month precision")),
            (self._country, self.tr("The country it happened in: type any part of its name")),
            (self._geo_precision, self.tr("How exactly the coordinates locate it")),
            (self._event_type, self.tr("Attack: on the monitored force; strike: by it; clash: both sides")),
            (self._weapon, self.tr("The weapon reported")),
            (self._target_type, self.tr("The kind of target")),
            (self._target, self.tr("The target as reported, e.g. a base or a convoy")),
            (self._outcome, self.tr("Intercepted by defences, missed (did not reach its target) or hit")),
            (self._damage, self.tr("The damage reported")),
            (self._attribution, self.tr("Claimed by the perpetrator, attributed or suspected by someone, or denied")),
            (self._verification, self.tr("How well the reports are confirmed")),
            (self._notes, self.tr("Free text: what the reports say, in more detail")),
        ):
            widget.setToolTip(tip)

    def _group(self, title: str) -> QFormLayout:
        box = QGroupBox(title, self)  # owned by the dialog until the layout takes it
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return form

    def _add_row(
        self,
        form: QFormLayout,
        text: str | None,
        widget: QWidget,
        name: str,
        targets: dict[str, QWidget],
        buddy: QWidget | None = None,
    ) -> None:
        """A labelled field with its error label under it; ``targets`` maps problem fields to focus widgets."""
        error = QLabel()
        error.setObjectName(f"{name}Error")
        error.setWordWrap(True)
        theme.show_as_error(error)
        error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        if text is None:
            form.addRow(box)
        else:
            buddy = buddy or widget
            buddy.setAccessibleName(text)
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, box)
            self._labels.setdefault(form, []).append(label)
        for field, target in targets.items():
            self._slots[field] = (target, error)
        self._chain += [w for w in (buddy, *targets.values()) if w is not None and w not in self._chain]

    def _text_row(self, form: QFormLayout, text: str, field: str, name: str, completing: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        _widen(edit)
        if completing:
            completer = QCompleter(self._completions.models[field], edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        self._add_row(form, text, edit, name, {field: edit})
        return edit

    def _date_row(self, form: QFormLayout, text: str, field: str, name: str) -> DateInput:
        edit = DateInput()
        edit.setObjectName(name)
        edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("Empty for a single day") + 60)
        self._add_row(form, text, edit, name, {field: edit})
        return edit

    def _enum_row(
        self,
        form: QFormLayout,
        text: str,
        field: str,
        name: str,
        enum: type[LabelledEnum],
        empty: str | None = None,
    ) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        _widen(combo)
        if empty is not None:
            combo.addItem(empty, "")
        for member in enum:
            combo.addItem(translated_label(member), member.value)
        self._add_row(form, text, combo, name, {field: combo})
        return combo

    def _country_row(self, form: QFormLayout) -> QComboBox:
        """All countries, found by typing any part of the name."""
        combo = QComboBox()
        combo.setObjectName("country")
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)
        _widen(combo)
        for code, name in all_countries():
            combo.addItem(name, code)
        completer = QCompleter(combo.model(), combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)
        combo.lineEdit().setPlaceholderText(self.tr("Type to search"))
        self._add_row(form, self.tr("Country"), combo, "country", {"country": combo})
        return combo

    def _casualty_row(self, form: QFormLayout, text: str, name: str) -> CasualtyInput:
        casualty = CasualtyInput(text, name)
        self._add_row(
            form,
            text,
            casualty,
            name,
            {f"{name}_min": casualty.low_spin, f"{name}_max": casualty.high_spin},
            buddy=casualty.mode_combo,
        )
        return casualty

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        self._chain.append(button)
        return button

    # ---- between the widgets and the draft --------------------------------------------------------------

    def _show_draft(self, draft: IncidentDraft) -> None:
        self._version = draft.version
        self._opened_draft = draft
        self._date_start.set_date(draft.date_start)
        self._date_end.set_date(draft.date_end)
        self._country.setCurrentIndex(self._country.findData(draft.country) if draft.country else -1)
        if self._country.currentIndex() == -1:
            self._country.clearEditText()
        for combo, code in (
            (self._date_precision, draft.date_precision),
            (self._geo_precision, draft.geo_precision or ""),
            (self._event_type, draft.event_type or ""),
            (self._weapon, draft.weapon),
            (self._target_type, draft.target_type),
            (self._attribution, draft.attribution),
            (self._outcome, draft.outcome),
            (self._damage, draft.damage),
            (self._verification, draft.verification),
        ):
            combo.setCurrentIndex(combo.findData(code))
        for edit, value in (
            (self._admin1, draft.admin1),
            (self._location, draft.location),
            (self._target, draft.target),
            (self._perpetrator, draft.perpetrator),
            (self._attributed_by, draft.attributed_by),
            (self._title, draft.title),
            (self._latitude, _format_number(draft.latitude)),
            (self._longitude, _format_number(draft.longitude)),
        ):
            edit.setText(value or "")
        self._killed.set_value(draft.killed_min, draft.killed_max)
        self._injured.set_value(draft.injured_min, draft.injured_max)
        self._sources.model.set_sources(draft.sources)
        self._notes.setPlainText(draft.notes or "")
        self._tags.setText(format_tags(draft.tags))
        self._show_problems([])
        if self._incident_id is None:
            self.setWindowTitle(self.tr("New incident"))
        else:
            name = draft.title or (draft.date_start.isoformat() if draft.date_start else "")
            self.setWindowTitle(self.tr("Edit incident — {name}").format(name=name))
        self._history_button.setEnabled(self._incident_id is not None)
        for action in (self.previous_action, self.next_action):
            action.setEnabled(self._incident_id is not None and self._neighbour is not None)
        self._baseline = self._state()

    def _read(self) -> tuple[IncidentDraft, list[FieldProblem]]:
        """The draft the widgets describe, and the problems only the form can see (text that is not a
        date, a number or a country); the rest is left to the domain's validate()."""
        problems: list[FieldProblem] = []

        def date(field: str, edit: DateInput) -> dt.date | None:
            try:
                return edit.date()
            except ValueError:
                message = self.tr("“{text}” is not a date: write it as YYYY-MM-DD")
                problems.append(FieldProblem(field, message.format(text=edit.text().strip())))
                return None

        def number(field: str, edit: QLineEdit) -> float | None:
            text = edit.text().strip()
            if not text:
                return None
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                message = self.tr("“{text}” is not a number: use decimal degrees with a point, e.g. 33.8")
                problems.append(FieldProblem(field, message.format(text=text)))
                return None
            return value

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        killed_min, killed_max = self._killed.value()
        injured_min, injured_max = self._injured.value()
        draft = IncidentDraft(
            date_start=date("date_start", self._date_start),
            date_end=date("date_end", self._date_end),
            date_precision=self._date_precision.currentData(),
            country=self._read_country(problems),
            admin1=text(self._admin1),
            location=text(self._location),
            latitude=number("latitude", self._latitude),
            longitude=number("longitude", self._longitude),
            geo_precision=self._geo_precision.currentData() or None,
            event_type=self._event_type.currentData() or None,
            weapon=self._weapon.currentData(),
            target_type=self._target_type.currentData(),
            target=text(self._target),
            perpetrator=text(self._perpetrator),
            attribution=self._attribution.currentData(),
            attributed_by=text(self._attributed_by),
            outcome=self._outcome.currentData(),
            damage=self._damage.currentData(),
            killed_min=killed_min,
            killed_max=killed_max,
            injured_min=injured_min,
            injured_max=injured_max,
            verification=self._verification.currentData(),
            title=text(self._title),
            notes=self._notes.toPlainText().strip() or None,
            sources=self._sources.model.sources(),
            tags=parse_tags(self._tags.text()),
            version=self._version,
        )
        problems += [FieldProblem("sources", message) for message in self._sources.model.problems()]
        return draft, problems

    def _read_country(self, problems: list[FieldProblem]) -> str | None:
        """A name from the list, or any name, alias or code the domain knows; anything else is refused."""
        text = self._country.currentText().strip()
        if not text:
            return None
        index = self._country.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self._country.itemData(index)
        try:
            return country_code(text)
        except ValueError:
            message = self.tr("“{text}” is not a country: pick one from the list").format(text=text)
            problems.append(FieldProblem("country", message))
            return None

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        """Each problem under its own field (and first in that field's accessible description); focus to the
        first."""
        for target, error in self._slots.values():
            error.clear()
            error.hide()
            target.setAccessibleDescription(self._descriptions[target])
        by_target: dict[QWidget, list[str]] = {}
        by_label: dict[QLabel, list[str]] = {}
        for problem in problems:
            target, error = self._slots[problem.field]
            message = _sentence(problem.message)
            by_target.setdefault(target, []).append(message)
            by_label.setdefault(error, []).append(message)
        for error, messages in by_label.items():
            error.setText("\n".join(messages))
            error.show()
        for target, messages in by_target.items():
            target.setAccessibleDescription(" ".join([*messages, self._descriptions[target]]))
        if by_target:
            first = min(by_target, key=self._chain.index)
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._scroll.ensureWidgetVisible(first)

    def _state(self) -> tuple[object, ...]:
        """What the user has entered, raw, to tell whether there are unsaved edits."""
        values: list[object] = []
        for widget in self._chain:
            if isinstance(widget, QLineEdit):
                values.append(widget.text())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentText() if widget.isEditable() else widget.currentIndex())
            elif isinstance(widget, QSpinBox):
                values.append(widget.value())
            elif isinstance(widget, QPlainTextEdit):
                values.append(widget.toPlainText())
        values.append(self._sources.model.state())
        return tuple(values)

    # ---- buttons ----------------------------------------------------------------------------------------

    def show_history(self) -> HistoryDialog | None:
        """The incident's history, from which an earlier version can be restored into the logbook (and the form):
        unsaved edits are only thrown away once the user agrees."""
        if self._incident_id is None:
            return None
        dialog = HistoryDialog(
            self._repository,
            self._incident_id,
            self,
            before_restore=lambda: not self.has_unsaved_edits() or ConfirmDiscard.ask(self),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self._version_restored)
        dialog.open()
        return dialog

    def _version_restored(self, entry: object) -> None:
        if self._incident_id is not None:
            self._show_draft(self._repository.get(self._incident_id))
            self.version_restored.emit(entry)

    def _save_and_close(self) -> None:
        if self.save():
            self.accept()

    def _save_and_start_next(self) -> None:
        """Save, then a new incident from the same report: same dates, country and sources."""
        if not self.save():
            return
        saved, _problems = self._read()
        self._incident_id = None
        self._show_draft(
            IncidentDraft(
                date_start=saved.date_start,
                date_end=saved.date_end,
                date_precision=saved.date_precision,
                country=saved.country,
                sources=saved.sources,
            )
        )
        self._admin1.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(self._admin1)


def _widen(field: QWidget) -> None:
    """Room for a place name or a perpetrator's name without scrolling inside the field."""
    field.setMinimumWidth(field.fontMetrics().averageCharWidth() * 44)


def _sentence(message: str) -> str:
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def _format_number(value: float | None) -> str:
    return "" if value is None else repr(value)
