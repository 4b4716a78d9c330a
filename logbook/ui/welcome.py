"""What the table area shows when there is no row to list, instead of an empty grey table: for an empty logbook a
welcome that says what to do next, for a filter that matches nothing the way back to the rows."""

from __future__ import annotations

import enum

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

TEXT_WIDTH_CHARACTERS = 60  # the sentence wraps at a readable line length however wide the window is


class TableState(enum.Enum):
    """What the table area shows; the values are the pages of TableArea."""

    ROWS = 0
    EMPTY_LOGBOOK = 1
    NO_MATCH = 2


class StatePanel(QWidget):
    """A heading, a sentence and large buttons, centred. Each button triggers one of the window's actions and
    follows it: disabled while the action is (a read-only logbook cannot take a new incident)."""

    def __init__(self, name: str, heading: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.heading = QLabel(heading, self)
        self.heading.setObjectName(f"{name}Heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(self.fontMetrics().averageCharWidth() * TEXT_WIDTH_CHARACTERS)
        self.buttons: list[QPushButton] = []
        self._actions: list[QAction] = []
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth() * 2)
        self._grid.setVerticalSpacing(self.fontMetrics().height() // 2)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.heading)
        layout.addSpacing(self.fontMetrics().height() // 2)
        centred = QHBoxLayout()  # not an alignment flag: that would give the label its one-line size, unwrapped
        centred.addStretch(1)
        centred.addWidget(self.text, 10)  # as wide as its maximum allows, before the margins grow
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(self.fontMetrics().height() * 3 // 2)
        layout.addLayout(self._grid)
        layout.setAlignment(self._grid, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def add_button(self, action: QAction, text: str, description: str) -> QPushButton:
        """A large button for ``action``, its shortcut shown beside it and told in its accessible description."""
        row = len(self.buttons)
        button = QPushButton(text, self)
        button.setObjectName(f"{self.objectName()}Button{row}")
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setAccessibleName(text.rstrip("…"))
        described = self.tr("{0} ({1})").format(description, shortcut) if shortcut else description
        button.setAccessibleDescription(described)
        button.setToolTip(described)
        height = self.fontMetrics().height()
        button.setMinimumSize(height * 16, height * 5 // 2)
        button.setIconSize(QSize(height * 3 // 2, height * 3 // 2))
        button.clicked.connect(action.trigger)
        hint = QLabel(shortcut, self)
        hint.setEnabled(False)  # drawn in the style's quieter colour: a hint, not a control
        self._grid.addWidget(button, row, 0)
        self._grid.addWidget(hint, row, 1)
        if self.buttons:
            QWidget.setTabOrder(self.buttons[-1], button)
        self.buttons.append(button)
        self._actions.append(action)
        action.changed.connect(self._follow_actions)
        self._follow_actions()
        return button

    def _follow_actions(self) -> None:
        for button, action in zip(self.buttons, self._actions, strict=True):
            button.setEnabled(action.isEnabled())
            button.setIcon(action.icon())

    def first_button(self) -> QPushButton | None:
        return next((button for button in self.buttons if button.isEnabled()), None)


class TableArea(QStackedWidget):
    """The incident table, or in its place the welcome of an empty logbook or the note of a filter that matches
    nothing. The window decides which (it knows the counts); this shows it and keeps the keyboard focus in it."""

    def __init__(self, table: QTableView, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tableArea")
        self.table = table
        self.addWidget(table)
        self.welcome = StatePanel("welcomePanel", self.tr("This logbook is empty"), self)
        self.welcome.text.setText(
            self.tr(
                "Record your first incident, import incidents from a CSV file, or look around in a sample "
                "logbook made from a news report."
            )
        )
        self.addWidget(self.welcome)
        self.no_match = StatePanel("noMatchPanel", self.tr("No incidents match the filter"), self)
        self.addWidget(self.no_match)

    def add_buttons(self, new_incident: QAction, import_file: QAction, open_sample: QAction,
                    clear_filters: QAction) -> None:  # fmt: skip
        """The panels' buttons, once the window has made its actions."""
        self.welcome.add_button(new_incident, self.tr("New incident"), self.tr("Open an empty incident form"))
        self.welcome.add_button(
            import_file, self.tr("Import a file…"), self.tr("Import incidents from a CSV file, with a preview first")
        )
        self.welcome.add_button(
            open_sample, self.tr("Open the sample logbook"),
            self.tr("Open a copy of a small logbook made from a news report, to try things out"),
        )  # fmt: skip
        self.no_match.add_button(
            clear_filters, self.tr("Clear filters"), self.tr("Clear the search and filters to show every incident")
        )

    @property
    def state(self) -> TableState:
        return TableState(self.currentIndex())

    def show_state(self, state: TableState, total: int = 0, take_focus: bool = False) -> None:
        """Show ``state``; ``total`` is the logbook's number of incidents, which the no-match note tells. The
        focus follows when it was in this area (or nowhere) or with ``take_focus``, so it is not taken from the
        search field while someone types a filter."""
        if state is TableState.NO_MATCH:
            self.no_match.text.setText(
                self.tr(
                    "The logbook holds %Ln incident(s); none of them matches the search and filters above.", "", total
                )
            )
        if state is self.state:
            return
        focus = self.window().focusWidget()
        take_focus = take_focus or focus is None or focus is self or self.isAncestorOf(focus)
        self.setCurrentIndex(state.value)
        if not take_focus:
            return
        panel = {TableState.EMPTY_LOGBOOK: self.welcome, TableState.NO_MATCH: self.no_match}.get(state)
        target = self.table if panel is None else panel.first_button()
        if target is not None:
            target.setFocus()
