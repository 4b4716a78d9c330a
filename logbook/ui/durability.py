"""What the window does to keep a logbook safe and to say plainly what is wrong with one: the daily backup after
a logbook opens, Back up now and Restore from backup (with progress and Cancel), the offer of the newest
backup when a logbook turns out damaged, a read-only logbook (editing disabled, the reason shown), and the
warning for a logbook on a network share, and the update of an older logbook for this version."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QPushButton, QWidget

from logbook.store import backups
from logbook.store.backups import Backup, BackupCancelled, PreparedRestore
from logbook.store.engine import ASKED_READ_ONLY, describe, is_url, notes, open_logbook, upgrade_due
from logbook.store.errors import DamagedLogbookError, LogbookError
from logbook.ui.backup_dialog import BackupDialog, BackupQuestions
from logbook.ui.workers import CancellableProgress

if TYPE_CHECKING:
    from logbook.store.repository import Repository
    from logbook.ui.main_window import MainWindow

SAVE_BUTTONS = ("saveButton", "saveAndNewButton")
UPGRADE_DIALOG_AFTER_MS = 300  # an update quicker than this (a small logbook) shows no dialog


class Durability(QObject):
    """Attached to the main window; the window calls it where a logbook opens, fails or is edited."""

    backup_finished = Signal(object)  # the Backup taken, or None when it failed or was cancelled
    restore_finished = Signal(object)  # the PreparedRestore done, or None when it failed or was cancelled
    daily_backup_finished = Signal(object)  # the day's Backup, or None when none was due or it failed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("durability")
        self.window = window
        self.read_only: str | None = None  # why the open logbook is read-only
        self._daily_due: Path | None = None
        self._offering = False  # a damaged logbook's offer is on screen, or its restore is running
        self.read_only_label = QLabel(window)
        self.read_only_label.setObjectName("readOnlyLabel")
        self.read_only_label.hide()
        self.network_label = QLabel(window)
        self.network_label.setObjectName("networkShareLabel")
        self.network_label.hide()
        for label in (self.network_label, self.read_only_label):
            label.setStyleSheet("QLabel { color: palette(window-text); font-weight: bold; padding: 0 6px; }")
            window.statusBar().addPermanentWidget(label)
        window.model.loaded.connect(self._take_daily_backup)

    # ---- a logbook opened ---------------------------------------------------------------------------------

    def logbook_opened(self) -> None:
        """Show what the user should know about the logbook just opened; its daily backup follows its first load."""
        window = self.window
        found = notes(window.repository.engine)
        self.read_only = found.read_only
        if found.read_only:
            window.setWindowTitle(
                Durability.tr("{0} (read-only) — Incident Logbook").format(describe(window.target))
            )  # fmt: skip
            asked = found.read_only == ASKED_READ_ONLY
            self.read_only_label.setText(
                Durability.tr("Read-only") if asked else Durability.tr("Read-only: {0}").format(found.read_only)
            )
            self.read_only_label.setToolTip(
                Durability.tr("{0} can be read, searched and exported, but not changed: {1}. To edit it, open a copy "
                              "in a folder you can write to.").format(describe(window.target), found.read_only)
            )  # fmt: skip
        self.read_only_label.setVisible(bool(found.read_only))
        self.network_label.setVisible(bool(found.network))
        if found.network:
            self.network_label.setText(Durability.tr("Network share: not safe"))
            self.network_label.setToolTip(found.network)
            BackupQuestions.warn(window, Durability.tr("Logbook on a network share"), found.network)
        if found.migration_backup is not None:
            window.statusBar().showMessage(
                Durability.tr("{0} was updated for this version; the file as it was is kept as {1}").format(
                    describe(window.target), found.migration_backup
                )
            )
        for action in self._writing_actions():
            action.setEnabled(not found.read_only)
        window.restore_action.setEnabled(not found.read_only and not is_url(window.target))
        window.back_up_action.setEnabled(not is_url(window.target))
        self._daily_due = None if (found.read_only or is_url(window.target)) else Path(window.target).expanduser()

    def _writing_actions(self) -> list[Any]:
        window = self.window
        return [
            getattr(window, name)
            for name in ("new_action", "delete_action", "import_action", "trash_action", "import_history_action")
            if hasattr(window, name)
        ]

    def enforce_read_only(self) -> None:
        """After the window enables actions by the selection: the ones that write stay off while read-only."""
        if self.read_only:
            for action in self._writing_actions():
                action.setEnabled(False)

    def protect_form(self, form: QWidget) -> None:
        """A form on a read-only logbook shows the incident but cannot save it."""
        if not self.read_only:
            return
        for name in SAVE_BUTTONS:
            button = form.findChild(QPushButton, name)
            if button is not None:
                button.setEnabled(False)
                button.setToolTip(Durability.tr("The logbook is read-only: {0}.").format(self.read_only))
        for shortcut in form.findChildren(QShortcut):
            shortcut.setEnabled(False)
        form.setWindowTitle(Durability.tr("{0} (read-only)").format(form.windowTitle() or Durability.tr("Incident")))

    def _take_daily_backup(self) -> None:
        logbook, self._daily_due = self._daily_due, None
        if logbook is None:
            return

        def failed(error: Exception) -> None:
            self.window.statusBar().showMessage(Durability.tr("The daily backup was not taken: {0}").format(error))
            self.daily_backup_finished.emit(None)

        self.window.workers.submit(lambda: backups.daily_backup(logbook), self.daily_backup_finished.emit, failed)

    # ---- back up now ------------------------------------------------------------------------------------

    def back_up_now(self) -> QProgressDialog | None:
        window = self.window
        if is_url(window.target):
            return None
        logbook = Path(window.target).expanduser()
        progress = self._progress(Durability.tr("Back up"), Durability.tr("Backing up {0}…").format(logbook.name))
        dialog = progress.dialog

        def done(backup: Backup) -> None:
            dialog.reset()
            window.statusBar().showMessage(
                Durability.tr("Backed up to {0} ({1})").format(backup.path, backups.human_size(backup.size)), 10000
            )
            self.backup_finished.emit(backup)

        def failed(error: Exception) -> None:
            dialog.reset()
            if isinstance(error, BackupCancelled):
                window.statusBar().showMessage(Durability.tr("Backup cancelled; nothing was kept."), 8000)
            else:
                window._show_error(error)
            self.backup_finished.emit(None)

        window.workers.submit(lambda: backups.back_up(logbook, progress=progress.report), done, failed)
        return dialog

    # ---- restore ----------------------------------------------------------------------------------------

    def show_backups(self) -> BackupDialog | None:
        window = self.window
        if is_url(window.target):
            return None
        dialog = BackupDialog(Path(window.target).expanduser(), window, self.read_only)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_requested.connect(lambda backup: self.restore(backup))
        dialog.back_up_requested.connect(self.back_up_now)
        self.backup_finished.connect(dialog.refresh)
        dialog.finished.connect(lambda _result: self.backup_finished.disconnect(dialog.refresh))
        dialog.open()
        return dialog

    def restore(self, backup: Backup, target: Path | None = None) -> QProgressDialog:
        """Restore ``backup`` over ``target`` (the open logbook by default), then open it: the slow copies in a
        worker while the window goes on, then on the GUI thread the logbook is closed, replaced and reopened."""
        window = self.window
        logbook = Path(target if target is not None else window.target).expanduser()
        self._offering = True
        progress = self._progress(
            Durability.tr("Restore"), Durability.tr("Restoring {0} from the backup…").format(logbook.name)
        )
        dialog = progress.dialog

        def done(prepared: PreparedRestore) -> None:
            dialog.reset()
            self._swap_in(prepared)

        def failed(error: Exception) -> None:
            dialog.reset()
            self._offering = False
            if isinstance(error, BackupCancelled):
                window.statusBar().showMessage(Durability.tr("Restore cancelled; the logbook was not changed."), 8000)
            else:
                window._show_error(error)
            self.restore_finished.emit(None)

        window.workers.submit(lambda: backups.prepare_restore(backup, logbook, progress.report), done, failed)
        return dialog

    def _swap_in(self, prepared: PreparedRestore) -> None:
        window = self.window
        same = not is_url(window.target) and Path(window.target).expanduser().resolve() == prepared.logbook.resolve()
        watcher = getattr(window, "change_watcher", None)
        if same and watcher is not None:
            watcher.stop()
        window.workers.wait()
        if same:
            window.repository.engine.dispose()
        try:
            backups.finish_restore(prepared)
        except (LogbookError, OSError) as error:
            backups.discard_restore(prepared)
            self._offering = False
            if same and watcher is not None:
                watcher.watch(window.repository)
            window._show_error(error)
            self.restore_finished.emit(None)
            return
        self._offering = False
        if window.switch_to(prepared.logbook):
            kept = (
                Durability.tr("; the file it replaced is kept as {0}").format(prepared.kept.path)
                if prepared.kept
                else ""
            )
            source = prepared.backup.describe() if isinstance(prepared.backup, Backup) else str(prepared.backup)
            window.statusBar().showMessage(Durability.tr("Restored from the backup of {0}{1}").format(source, kept))
        self.restore_finished.emit(prepared)

    def offer_restore(self, error: Exception, target: str | Path | None = None) -> bool:
        """For a damaged logbook (``target``, the open one by default): offer its newest backup, and restore it
        if the user agrees. False when there is nothing to offer (the caller shows the error as it is)."""
        target = self.window.target if target is None else target
        if not isinstance(error, DamagedLogbookError) or is_url(target):
            return False
        if self._offering:
            return True  # the same damage, seen by another query: one question is enough
        newest = backups.newest_backup(Path(target).expanduser())
        if newest is None:
            return False
        self._offering = True
        agreed = BackupQuestions.restore_damaged(self.window, damaged_text(error, newest))
        self._offering = False
        if agreed:
            self.restore(newest, Path(target))
        return True

    def _progress(self, title: str, label: str) -> CancellableProgress:
        """The progress of a copy, whose Cancel stops it: busy until the copy knows how many pages it has."""
        progress = CancellableProgress(self.window, title, label, name="backupProgress")
        progress.dialog.setRange(0, 0)
        return progress


def damaged_text(error: Exception, newest: Backup) -> str:
    return Durability.tr(
        "{0}\n\nThe newest backup of it was taken {1}. Restore it? The damaged file is kept as a backup too, for a "
        "recovery tool. Changes made since the backup are not in it."
    ).format(error, newest.describe())


def open_showing_upgrade(parent: QWidget | None, target: str | Path, *, read_only: bool = False) -> Repository:
    """A repository on open_logbook(target). When that must first update an older logbook for this version (a
    copy of the file, then the migrations: about 20 s at a million incidents), the update runs in a thread under
    a busy dialog, which stays painted, rather than in a frozen or not yet visible window. Raises what
    open_logbook raises."""
    from logbook.store.repository import Repository  # SQLAlchemy's first import: see store/rows.py

    if not upgrade_due(target):
        return Repository(open_logbook(target, read_only=read_only))
    outcome: list[Repository | Exception] = []

    def upgrade() -> None:
        try:
            outcome.append(Repository(open_logbook(target, read_only=read_only)))
        except Exception as error:  # raised again below, in the GUI thread
            outcome.append(error)

    text = Durability.tr("Updating {0} for this version of Incident Logbook…\n\nA copy of the file as it was is kept "
                         "beside it.").format(describe(target))  # fmt: skip
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setObjectName("upgradeProgress")
    dialog.setWindowTitle(Durability.tr("Updating logbook"))
    dialog.setCancelButton(None)  # the update is one transaction; it is quick to wait for, and never half done
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(UPGRADE_DIALOG_AFTER_MS)
    dialog.setValue(0)
    waiting = QEventLoop()
    thread = threading.Thread(target=upgrade, name="logbook-upgrade", daemon=True)
    poll = QTimer(dialog, interval=50)
    poll.timeout.connect(lambda: thread.is_alive() or waiting.quit())
    thread.start()
    poll.start()
    waiting.exec()
    thread.join()  # the loop also ends when the app quits: an update is never left half done
    dialog.reset()
    dialog.deleteLater()
    (result,) = outcome
    if isinstance(result, Exception):
        raise result
    return result


def restore_at_start(target: str | Path, error: LogbookError) -> bool | None:
    """A logbook found damaged before any window is open: offer its newest backup and restore it here, with a
    progress dialog. None when there is nothing to offer, False when the user declined or it failed, True when
    it was restored (open it again)."""
    if not isinstance(error, DamagedLogbookError) or is_url(target):
        return None
    logbook = Path(target).expanduser()
    newest = backups.newest_backup(logbook)
    if newest is None:
        return None
    if not BackupQuestions.restore_damaged(None, damaged_text(error, newest)):
        return False
    dialog = QProgressDialog(Durability.tr("Restoring {0} from the backup…").format(logbook.name), "", 0, 0)
    dialog.setObjectName("backupProgress")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(300)

    def report(done: int, total: int) -> bool:
        dialog.setMaximum(total)
        dialog.setValue(done)
        QApplication.processEvents()  # keep the dialog painted: there is no window yet to keep responsive
        return True

    try:
        backups.restore(newest, logbook, report)
    except (LogbookError, OSError) as failure:
        BackupQuestions.warn(None, Durability.tr("Restore from backup"), str(failure))
        return False
    finally:
        dialog.reset()
        dialog.deleteLater()
    return True
