"""Help › Keyboard shortcuts and Help › About.

The list is read from the window's menus when it opens, so a shortcut added or changed there is listed as it is;
the form's keys come from the form (form_shortcuts) and the table's are Qt's own item view keys.
"""

from __future__ import annotations

import platform
from html import escape

import PySide6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from logbook import __version__, paths
from logbook.ui.accessibility import describe, fill_in, plain
from logbook.ui.incident_form import form_shortcuts

Row = tuple[str, list[QKeySequence]]  # what a key does, and its keys
Section = tuple[str, list[Row]]  # a heading (a menu's title, "Incident form", "Incident table") and its rows


def typed(key: QKeySequence) -> bool:
    """Whether ``key`` is on an ordinary keyboard: the platform adds special keys such as Undo or Save to
    some of its bindings, which would only crowd the list."""
    return not key.isEmpty() and key[0].key().value <= Qt.Key.Key_F35.value


def menu_rows(menu: QMenu) -> list[Row]:
    """Every action of ``menu`` and its submenus that has a shortcut, in menu order."""
    rows: list[Row] = []
    for action in menu.actions():
        if action.menu() is not None:
            rows += menu_rows(action.menu())
        elif action.shortcuts() and action.isVisible():
            rows.append((plain(action.text()), action.shortcuts()))
    return rows


def table_rows() -> list[Row]:
    """The keys of the incident table (Qt's item view keys, and Enter, which opens the form)."""
    keys = QKeySequence
    return [
        (ShortcutsDialog.tr("Open the selected incident in the form"), [keys(Qt.Key.Key_Return)]),
        (ShortcutsDialog.tr("Previous or next incident"), [keys(Qt.Key.Key_Up), keys(Qt.Key.Key_Down)]),
        (ShortcutsDialog.tr("A page up or down"), [keys(Qt.Key.Key_PageUp), keys(Qt.Key.Key_PageDown)]),
        (ShortcutsDialog.tr("First or last incident"), [keys("Ctrl+Home"), keys("Ctrl+End")]),
        (ShortcutsDialog.tr("Select more incidents"), [keys("Shift+Up"), keys("Shift+Down")]),
        (ShortcutsDialog.tr("Select every incident"), keys.keyBindings(keys.StandardKey.SelectAll)),
    ]


def shortcut_sections(window: QMainWindow) -> list[Section]:
    """The window's menus (by title), then the form's and the table's keys."""
    sections: list[Section] = []
    for entry in window.menuBar().actions():
        menu = entry.menu()
        rows = menu_rows(menu) if isinstance(menu, QMenu) else []
        if rows:
            sections.append((plain(entry.text()), rows))
    sections.append((ShortcutsDialog.tr("Incident form"), form_shortcuts()))
    sections.append((ShortcutsDialog.tr("Incident table"), table_rows()))
    return sections


class ShortcutsDialog(QDialog):
    """Every shortcut, grouped by where it works; typing in the search field keeps the rows that match."""

    def __init__(self, sections: list[Section], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(700, 660)
        self.search = QLineEdit(self)
        self.search.setObjectName("shortcutSearch")
        self.search.setPlaceholderText(self.tr("Search, e.g. “export” or “Ctrl+E”"))
        self.search.setClearButtonEnabled(True)
        describe(self.search, self.tr("Keeps the shortcuts whose action or keys contain what is typed"),
                 self.tr("Search shortcuts"))  # fmt: skip
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        describe(self.tree, self.tr("Each action with its keys, grouped by the menu or the part of the window "
                                    "where they work"), self.tr("Keyboard shortcuts"))  # fmt: skip
        for title, rows in sections:
            group = QTreeWidgetItem(self.tree, [title])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            for text, keys in rows:
                shown = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys if typed(key))
                QTreeWidgetItem(group, [text, shown])
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        describe(buttons.button(QDialogButtonBox.StandardButton.Close), self.tr("Close the list of shortcuts"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.show_matching)
        fill_in(self)

    def show_matching(self, text: str) -> None:
        """Keep the rows whose action or keys contain ``text`` (any case), and the headings that have one."""
        wanted = text.strip().casefold()
        for number in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(number)
            shown = 0
            for row in range(group.childCount()):
                item = group.child(row)
                hidden = bool(wanted) and wanted not in f"{item.text(0)}\t{item.text(1)}".casefold()
                item.setHidden(hidden)
                shown += not hidden
            group.setHidden(shown == 0)

    def shown_rows(self) -> list[tuple[str, str, str]]:
        """(heading, action, keys) of every row on show, top to bottom."""
        return [
            (group.text(0), group.child(row).text(0), group.child(row).text(1))
            for group in (self.tree.topLevelItem(number) for number in range(self.tree.topLevelItemCount()))
            if not group.isHidden()
            for row in range(group.childCount())
            if not group.child(row).isHidden()
        ]


class About:
    """Help › About; tests replace ``show``."""

    @classmethod
    def show(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.about(parent, title, text)


def about_text() -> str:
    """The version, the licence and where the app keeps its files, as rich text."""
    places = (
        (ShortcutsDialog.tr("Logbooks"), paths.data_dir()),
        (ShortcutsDialog.tr("Backups"), paths.backups_dir()),
        (ShortcutsDialog.tr("Settings"), paths.settings_file()),
        (ShortcutsDialog.tr("Error reports"), paths.log_dir()),
    )
    rows = "".join(f"<tr><td>{escape(name)}:&nbsp;</td><td>{escape(str(path))}</td></tr>" for name, path in places)
    paragraphs = (
        ShortcutsDialog.tr("A desktop logbook of security incidents: record, browse, summarise and export."),
        ShortcutsDialog.tr("Free software under the MIT licence."),
        ShortcutsDialog.tr("Where it keeps its files:"),
    )
    title = ShortcutsDialog.tr("Incident Logbook {0}").format(__version__)
    versions = f"Python {platform.python_version()}, PySide6 {PySide6.__version__}"
    return (
        f"<h3>{escape(title)}</h3>{''.join(f'<p>{escape(text)}</p>' for text in paragraphs)}<table>{rows}</table>"
        f"<p><small>{escape(versions)}</small></p>"
    )
