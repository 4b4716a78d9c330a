"""Backups of a logbook file: a daily copy on the first open of the day (the last N kept), copies on demand, and
restoring one.

Copies are taken with SQLite's online backup API, so they are consistent while the app keeps the logbook open
(the write-ahead log included), and checked before they count: a copy of a damaged file is not kept, and never
pushes a good one out of the rotation. Every copy is written under a temporary name and renamed when complete,
so a crash never leaves half a backup under a backup's name. They live in the user data folder
(paths.backups_dir), one folder per logbook, named by the logbook and the local date and time:
``logbook_2023-11-02_101500_daily.sqlite3``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from logbook import paths
from logbook.domain.enums import QT_TRANSLATE_NOOP
from logbook.store.engine import APPLICATION_ID, SCHEMA_VERSION, _check_header, _is_damage, is_url, read_only_uri
from logbook.store.errors import DamagedLogbookError, LogbookError

KEEP_DEFAULT = 7  # daily backups kept per logbook
KEEP_SETTING = ("backups", "keep")  # section and key in the settings file (QSettings "backups/keep")
PAGES_PER_STEP = 1024  # pages copied between progress reports: 4 MB at SQLite's default page size
SIDECARS = ("-wal", "-shm", "-journal")  # files SQLite keeps beside a database, which belong to that file only
_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<date>\d{4}-\d{2}-\d{2})_(?P<time>\d{6})_(?P<kind>daily|manual|before-restore)"
    r"(?:-(?P<n>\d+))?\.sqlite3$"
)

Progress = Callable[[int, int], bool]  # (done, total) -> False to cancel


class Kind(enum.StrEnum):
    DAILY = "daily"  # taken on the first open of a day; only these are rotated
    MANUAL = "manual"  # File › Back up now… or `logbook backup`; kept until deleted by hand
    BEFORE_RESTORE = "before-restore"  # the file as it was before a restore replaced it

    @property
    def label(self) -> str:
        return {
            "daily": QT_TRANSLATE_NOOP("Labels", "Daily"),
            "manual": QT_TRANSLATE_NOOP("Labels", "On demand"),
            "before-restore": QT_TRANSLATE_NOOP("Labels", "Before a restore"),
        }[self.value]


class BackupCancelled(Exception):
    """The progress callback asked to stop; nothing was kept."""


@dataclasses.dataclass(frozen=True)
class Backup:
    path: Path
    taken: dt.datetime  # local time, from the name
    kind: Kind
    size: int  # bytes

    def describe(self) -> str:
        return f"{self.taken:%Y-%m-%d %H:%M} ({self.kind.label.lower()}, {human_size(self.size)})"


@dataclasses.dataclass(frozen=True)
class PreparedRestore:
    """A restore whose slow parts are done: ``incoming`` (beside the logbook) holds the backup's copy."""

    logbook: Path
    incoming: Path
    backup: Backup | Path
    kept: Backup | None  # the copy of the file as it was, None when there was no file


# ---- where and what --------------------------------------------------------------------------------------------


def folder_for(logbook: Path) -> Path:
    """The backups folder of one logbook: its name and a hash of its full path (two logbook.sqlite3 in two
    folders keep their backups apart)."""
    resolved = _file_path(logbook).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    return paths.backups_dir() / f"{resolved.stem}-{digest}"


def list_backups(logbook: Path) -> list[Backup]:
    """The backups of ``logbook``, newest first."""
    folder = folder_for(logbook)
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        backup = _parse(path)
        if backup is not None:
            found.append(backup)
    return sorted(found, key=lambda backup: (backup.taken, _modified(backup.path)), reverse=True)


def newest_backup(logbook: Path) -> Backup | None:
    """The newest backup checked when it was taken (a copy kept before a restore may be of a damaged file)."""
    return next((backup for backup in list_backups(logbook) if backup.kind is not Kind.BEFORE_RESTORE), None)


def keep_setting() -> int:
    """How many daily backups to keep: the settings file's ``[backups] keep`` (the window sets it), else
    KEEP_DEFAULT; 0 turns daily backups off."""
    value = paths.setting(*KEEP_SETTING)
    try:
        return KEEP_DEFAULT if value is None else max(0, int(value))
    except ValueError:
        return KEEP_DEFAULT


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


# ---- taking backups -------------------------------------------------------------------------------------------


def back_up(logbook: Path, kind: Kind = Kind.MANUAL, progress: Progress | None = None, now: dt.datetime | None = None
            ) -> Backup:  # fmt: skip
    """Copy ``logbook`` into its backups folder; raises DamagedLogbookError (keeping nothing) when the copy
    fails its check, BackupCancelled when ``progress`` says stop."""
    logbook = _file_path(logbook)
    if not logbook.is_file():
        raise LogbookError(f"There is no logbook at {logbook} to back up.")
    folder = folder_for(logbook)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _note_source(folder, logbook)
    except OSError as error:
        raise LogbookError(f"The backups folder {folder} cannot be written: {error.strerror}.") from None
    taken = (now or dt.datetime.now()).replace(microsecond=0)
    destination = _free_name(folder, logbook, taken, kind)
    copy_database(logbook, destination, progress)
    return Backup(destination, taken, kind, destination.stat().st_size)


def daily_backup(logbook: Path, keep: int | None = None, now: dt.datetime | None = None) -> Backup | None:
    """The day's backup, taken if no daily or on-demand backup was taken today, then the daily backups beyond
    the newest ``keep`` are deleted. None when nothing was due (or ``keep`` is 0: daily backups off)."""
    keep = keep_setting() if keep is None else keep
    logbook = _file_path(logbook)
    now = now or dt.datetime.now()
    if keep <= 0 or not logbook.is_file():
        return None
    existing = list_backups(logbook)
    if any(b.kind in (Kind.DAILY, Kind.MANUAL) and b.taken.date() == now.date() for b in existing):
        return None
    backup = back_up(logbook, Kind.DAILY, now=now)
    rotate(logbook, keep)
    return backup


def rotate(logbook: Path, keep: int) -> list[Path]:
    """Delete the daily backups beyond the newest ``keep``; the others are the user's to delete. Returns them."""
    daily = [backup for backup in list_backups(logbook) if backup.kind is Kind.DAILY]
    removed = []
    for backup in daily[max(keep, 0) :]:
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def copy_database(source: Path, destination: Path, progress: Progress | None = None, check: bool = True) -> None:
    """A consistent copy of the SQLite database ``source`` at ``destination`` (replaced if it exists), in
    rollback-journal mode so it is one self-contained file. Written under a temporary name, synced, checked
    (``check``: PRAGMA quick_check, DamagedLogbookError if it fails) and only then renamed into place."""
    partial = destination.with_name(destination.name + ".partial")
    _remove_with_sidecars(partial)

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None and not progress(total - remaining, total):
            raise BackupCancelled

    try:
        with (
            closing(sqlite3.connect(read_only_uri(source), uri=True)) as reader,
            closing(sqlite3.connect(partial)) as writer,
        ):
            reader.backup(writer, pages=PAGES_PER_STEP, progress=step)
            try:
                writer.execute("PRAGMA journal_mode = DELETE")
                problems = [row[0] for row in writer.execute("PRAGMA quick_check(5)")] if check else ["ok"]
            except sqlite3.DatabaseError as error:
                if not check or not _is_damage(str(error)):
                    raise
                problems = [str(error)]
            if problems != ["ok"]:
                raise DamagedLogbookError(
                    f"{source.name} is damaged ({'; '.join(problems)}), so no copy of it was kept."
                )
        _sync(partial)
        os.replace(partial, destination)
        _sync_folder(destination.parent)
    except sqlite3.Error as error:  # a full disk, a file SQLite cannot read: in words, with nothing left behind
        _remove_with_sidecars(partial)
        if _is_damage(str(error)):
            raise DamagedLogbookError(f"{source.name} is damaged ({error}), so no copy of it was kept.") from error
        raise LogbookError(f"{source.name} could not be copied to {destination.parent}: {error}.") from error
    except BaseException:
        _remove_with_sidecars(partial)
        raise


# ---- restoring ------------------------------------------------------------------------------------------------


def check_restorable(backup: Path) -> None:
    """Refuse, in words, a file that is not a sound logbook this version can open."""
    _check_header(backup)
    try:
        with closing(sqlite3.connect(read_only_uri(backup), uri=True)) as connection:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            user_version = connection.execute("PRAGMA user_version").fetchone()[0]
            problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as error:
        raise DamagedLogbookError(f"The backup {backup.name} is damaged ({error}); choose another.") from None
    if application_id != APPLICATION_ID:
        raise LogbookError(f"{backup.name} is not an incident logbook, so it cannot be restored.")
    if user_version > SCHEMA_VERSION:
        raise LogbookError(f"{backup.name} was made by a newer version of Incident Logbook; update the app first.")
    if problems != ["ok"]:
        raise DamagedLogbookError(f"The backup {backup.name} is damaged ({'; '.join(problems)}); choose another.")


def prepare_restore(backup: Backup | Path, logbook: Path, progress: Progress | None = None) -> PreparedRestore:
    """Check the backup, keep a copy of the logbook as it is now (a plain file copy if it is too damaged for
    SQLite to read), and copy the backup beside the logbook. The logbook itself is not touched yet: the app
    keeps working on it until finish_restore."""
    logbook = _file_path(logbook)
    source = backup.path if isinstance(backup, Backup) else Path(backup)
    check_restorable(source)
    kept = None
    if logbook.exists():
        kept = _keep_current(logbook, None if progress is None else lambda done, total: progress(done, 2 * total))
    incoming = logbook.with_name(f".{logbook.name}.restoring")
    halfway = None if progress is None else lambda done, total: progress(total + done, 2 * total)
    copy_database(source, incoming, halfway, check=False)  # checked above
    return PreparedRestore(logbook, incoming, backup, kept)


def finish_restore(prepared: PreparedRestore) -> None:
    """Put the prepared copy in the logbook's place. Every connection to the logbook in this process must be
    closed (engine.dispose()). Its write-ahead log and journal go first, since they belong to the old file
    and SQLite would apply them to the new one; the copy kept by prepare_restore holds what they held."""
    logbook = prepared.logbook
    if logbook.exists() and _in_use(logbook):
        discard_restore(prepared)
        raise LogbookError(f"{logbook.name} is open in another window or program; close it there, then restore again.")
    for suffix in SIDECARS:
        Path(f"{logbook}{suffix}").unlink(missing_ok=True)
    os.replace(prepared.incoming, logbook)
    _sync_folder(logbook.parent)


def discard_restore(prepared: PreparedRestore) -> None:
    _remove_with_sidecars(prepared.incoming)


def restore(backup: Backup | Path, logbook: Path, progress: Progress | None = None) -> PreparedRestore:
    """prepare_restore then finish_restore, for a caller that holds no connection to ``logbook`` (the CLI)."""
    prepared = prepare_restore(backup, logbook, progress)
    finish_restore(prepared)
    return prepared


# ---- internals ------------------------------------------------------------------------------------------------


def _file_path(logbook: Path | str) -> Path:
    if is_url(logbook):
        raise LogbookError("Backups are for logbook files; a logbook on a database server is backed up by the server.")
    return Path(logbook).expanduser()


def _parse(path: Path) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None or not path.is_file():
        return None
    try:
        taken = dt.datetime.strptime(f"{match['date']} {match['time']}", "%Y-%m-%d %H%M%S")
        return Backup(path, taken, Kind(match["kind"]), path.stat().st_size)
    except (ValueError, OSError):
        return None


def _modified(path: Path) -> int:
    """Orders two backups taken in the same second."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _free_name(folder: Path, logbook: Path, taken: dt.datetime, kind: Kind) -> Path:
    base = f"{logbook.stem}_{taken:%Y-%m-%d_%H%M%S}_{kind.value}"
    candidate, number = folder / f"{base}.sqlite3", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{base}-{number}.sqlite3"
    return candidate


def _note_source(folder: Path, logbook: Path) -> None:
    """A line telling a person browsing the backups folder which logbook these are of."""
    note = folder / "logbook-path.txt"
    text = f"{logbook.resolve()}\n"
    if not note.exists() or note.read_text(encoding="utf-8", errors="replace") != text:
        note.write_text(text, encoding="utf-8")


def _keep_current(logbook: Path, progress: Progress | None) -> Backup:
    """The logbook as it is, before a restore replaces it: through SQLite when it can read it, else byte for
    byte with its write-ahead log (a damaged file is kept as it is, for a recovery tool)."""
    folder = folder_for(logbook)
    folder.mkdir(parents=True, exist_ok=True)
    _note_source(folder, logbook)
    taken = dt.datetime.now().replace(microsecond=0)
    destination = _free_name(folder, logbook, taken, Kind.BEFORE_RESTORE)
    try:
        copy_database(logbook, destination, progress, check=False)
    except LogbookError:  # SQLite cannot read it: the bytes as they are
        partial = destination.with_name(destination.name + ".partial")
        for suffix in ("", "-wal"):
            if Path(f"{logbook}{suffix}").exists():
                shutil.copyfile(f"{logbook}{suffix}", f"{partial}{suffix}")
                _sync(Path(f"{partial}{suffix}"))
        if Path(f"{partial}-wal").exists():
            os.replace(f"{partial}-wal", f"{destination}-wal")
        os.replace(partial, destination)
        _sync_folder(folder)
    return Backup(destination, taken, Kind.BEFORE_RESTORE, destination.stat().st_size)


def _in_use(logbook: Path) -> bool:
    """Whether another connection holds the logbook: a full checkpoint cannot finish while one reads or writes."""
    try:
        with closing(sqlite3.connect(logbook, timeout=0.5)) as connection:
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            return bool(busy)
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    except sqlite3.DatabaseError:
        return False  # too damaged to say; nothing of it is worth keeping open


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", *SIDECARS):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _sync(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder for this and does not need it."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
