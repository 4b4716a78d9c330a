"""Undo and redo of the window's changes (Qt's undo framework, the window's QUndoStack).

Every command is pushed once its change is made, so the first redo(), the one QUndoStack.push() calls, does
nothing. Undo and redo then go through the repository, each a recorded change of the history, and refresh the
window. One that fails (the incident was changed or deleted for good elsewhere meanwhile) is told, and the
command is dropped from the stack (QUndoCommand.setObsolete): the logbook stays as it is, and what remains on
the stack still matches it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from logbook.domain.history import HistoryEntry
from logbook.store.errors import LogbookError, MissingIncidentError
from logbook.ui.dialogs import Tell
from logbook.ui.numbers import count_text
from logbook.ui.translations import TranslationContext

if TYPE_CHECKING:
    from logbook.ui.main_window import MainWindow

TITLE_LENGTH = 40  # characters of an incident's title in an Undo/Redo menu entry


class UndoCommands(TranslationContext):
    """The translation context of the Undo and Redo menu entries and their messages."""


def incident_name(title: str | None, incident_id: int) -> str:
    """How a command names an incident: its title, shortened, or its number."""
    if not title:
        return UndoCommands.tr("incident {0}").format(incident_id)
    return "“" + (title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1].rstrip() + "…") + "”"


class LogbookCommand(QUndoCommand):
    """A change already made: ``revert`` undoes it and ``apply`` makes it again, each returning the incident to
    select afterwards."""

    def __init__(self, window: MainWindow, text: str) -> None:
        super().__init__(text)
        self._window = window
        self._pushed = True  # push() calls redo() once: the change is already made

    def redo(self) -> None:
        if self._pushed:
            self._pushed = False
            return
        failed = UndoCommands.tr("Could not redo: {0}.\n\n{1}.\n\nThe logbook is left as it is, and this step is "
                                 "taken off the Redo list.")  # fmt: skip
        self._run(self.apply, UndoCommands.tr("Redo"), UndoCommands.tr("Redone: {0}"), failed)

    def undo(self) -> None:
        failed = UndoCommands.tr("Could not undo: {0}.\n\n{1}.\n\nThe logbook is left as it is, and this step is "
                                 "taken off the Undo list.")  # fmt: skip
        self._run(self.revert, UndoCommands.tr("Undo"), UndoCommands.tr("Undone: {0}"), failed)

    def apply(self) -> int | None:
        raise NotImplementedError

    def revert(self) -> int | None:
        raise NotImplementedError

    def _run(self, step: Callable[[], int | None], title: str, done: str, failed: str) -> None:
        window = self._window
        try:
            select_id = step()
        except Exception as error:  # any failure: told, and the stack kept consistent
            self.setObsolete(True)  # QUndoStack drops it, leaving its index where the logbook is
            reason = str(error) if isinstance(error, LogbookError) else f"{type(error).__name__}: {error}"
            Tell.error(window, title, failed.format(self.text(), reason.rstrip(".")))
            window.refresh()
            return
        window.statusBar().showMessage(done.format(self.text()), 8000)
        window.refresh(select_id=select_id)


def _check_moved(window: MainWindow, ids: Sequence[int], moved: int) -> None:
    """Fewer moved than asked: fine when the rest already were where they should be, not when they are gone."""
    if moved < len(ids):
        present = window.repository.fetch_rows(ids)
        gone = [incident_id for incident_id in ids if incident_id not in present]
        if gone:
            text = (
                UndoCommands.tr("1 incident has been deleted for good meanwhile")
                if len(gone) == 1
                else UndoCommands.tr("{0} incidents have been deleted for good meanwhile").format(count_text(len(gone)))
            )
            raise MissingIncidentError(text)


class CreateCommand(LogbookCommand):
    """A new incident: undo moves it to the trash, redo brings it back."""

    def __init__(self, window: MainWindow, incident_id: int, title: str | None) -> None:
        super().__init__(window, UndoCommands.tr("New incident {0}").format(incident_name(title, incident_id)))
        self.incident_id = incident_id

    def revert(self) -> int | None:
        _check_moved(self._window, [self.incident_id], self._window.repository.delete([self.incident_id]))
        return None

    def apply(self) -> int | None:
        _check_moved(self._window, [self.incident_id], self._window.repository.restore([self.incident_id]))
        return self.incident_id


class EditCommand(LogbookCommand):
    """A change to an incident's fields (a save, or an earlier version restored): undo puts back the old values
    of the fields it changed, redo the new ones, each only while those fields still hold what this change left
    (or found): a field someone else has changed since is never overwritten."""

    def __init__(self, window: MainWindow, entry: HistoryEntry, title: str | None, text: str | None = None) -> None:
        name = incident_name(title, entry.incident_id)
        super().__init__(window, (text or UndoCommands.tr("Edit {0}")).format(name))
        self.incident_id = entry.incident_id
        self.entry = entry

    def revert(self) -> int | None:
        old = {change.field: change.old for change in self.entry.changes}
        new = {change.field: change.new for change in self.entry.changes}
        self._window.repository.set_fields(self.incident_id, old, expected=new)
        return self.incident_id

    def apply(self) -> int | None:
        old = {change.field: change.old for change in self.entry.changes}
        new = {change.field: change.new for change in self.entry.changes}
        self._window.repository.set_fields(self.incident_id, new, expected=old)
        return self.incident_id


class TrashCommand(LogbookCommand):
    """Incidents moved to the trash (``to_trash``) or back from it; undo moves them the other way."""

    def __init__(self, window: MainWindow, ids: Sequence[int], to_trash: bool) -> None:
        if to_trash:
            text = (
                UndoCommands.tr("Delete 1 incident")
                if len(ids) == 1
                else UndoCommands.tr("Delete {0} incidents").format(count_text(len(ids)))
            )
        else:
            text = (
                UndoCommands.tr("Restore 1 incident from the trash")
                if len(ids) == 1
                else UndoCommands.tr("Restore {0} incidents from the trash").format(count_text(len(ids)))
            )
        super().__init__(window, text)
        self.ids = list(ids)
        self.to_trash = to_trash

    def apply(self) -> int | None:
        return self._move(self.to_trash)

    def revert(self) -> int | None:
        return self._move(not self.to_trash)

    def _move(self, to_trash: bool) -> int | None:
        repository = self._window.repository
        moved = repository.delete(self.ids) if to_trash else repository.restore(self.ids)
        _check_moved(self._window, self.ids, moved)
        return None if to_trash else self.ids[0]


class ImportCommand(LogbookCommand):
    """The incidents an import added, brought into the log (the import itself, or Restore in the import history)
    or moved to the trash (Remove in the import history): undo does the opposite (restore_import or
    remove_import), redo the same again. Incidents it updated keep their update."""

    def __init__(self, window: MainWindow, import_id: int, text: str, removed: bool = False) -> None:
        super().__init__(window, text)
        self.import_id = import_id
        self.removed = removed

    def apply(self) -> int | None:
        self._move(trash=self.removed)
        return None

    def revert(self) -> int | None:
        self._move(trash=not self.removed)
        return None

    def _move(self, trash: bool) -> None:
        repository = self._window.repository
        (repository.remove_import if trash else repository.restore_import)(self.import_id)
