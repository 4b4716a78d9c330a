"""Earlier values of the form's free-text fields, most used first, shared by the forms of a window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStringListModel, Signal

from logbook.domain.record import COMPLETION_FIELDS, IncidentDraft
from logbook.ui.workers import Workers

if TYPE_CHECKING:
    from logbook.store.repository import Repository


class Completions(QObject):
    """One list model per completing field. Each list is a GROUP BY over the whole logbook (seconds at a million
    incidents), so a window reads them once per logbook in a worker and keeps them current as incidents are
    saved: opening a form never waits for them."""

    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.models = {field: QStringListModel(self) for field in sorted(COMPLETION_FIELDS)}
        self.repository: Repository | None = None  # the logbook the lists are (being) read from

    def load(self, repository: Repository) -> None:
        """Read the lists now (a form on its own, on a logbook small enough for that)."""
        self.repository = repository
        self._show(repository, _read(repository, list(self.models)))

    def load_in(self, workers: Workers, repository: Repository, on_error: Callable[[Exception], None]) -> None:
        """Read the lists in a worker; until they come, the forms complete from what they had."""
        self.repository = repository
        fields = list(self.models)
        workers.submit(lambda: _read(repository, fields), lambda lists: self._show(repository, lists), on_error)

    def _show(self, repository: Repository, lists: dict[str, list[str]]) -> None:
        if repository is self.repository:  # not a logbook the window has left since
            for field, values in lists.items():
                self.models[field].setStringList(values)
            self.loaded.emit()

    def remember(self, draft: IncidentDraft) -> None:
        """A saved incident's values join the lists, after the others (they are used once so far)."""
        for field, model in self.models.items():
            value = getattr(draft, field)
            if value and value not in model.stringList():
                row = model.rowCount()
                model.insertRows(row, 1)
                model.setData(model.index(row), value)


def _read(repository: Repository, fields: list[str]) -> dict[str, list[str]]:
    return {field: repository.completions(field) for field in fields}
