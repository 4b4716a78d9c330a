"""Import from the canonical CSV: every good row in one transaction, every bad row to a rejects file that says
which row and which field, so nothing fails without saying where.

The file is checked before anything is stored: a file that cannot be read, is not UTF-8 text, is empty, or
whose header lacks a required column, names an unknown one or repeats one raises UnusableFileError naming each
problem. Header names are matched without regard to case or surrounding spaces; columns may come in any order
and uid, created_at and updated_at may be left out (the rows are then new incidents). A row whose uid is in the
logbook updates that incident instead of adding a twin. Blank rows are skipped.

The rejects file (``<stem>.rejects.csv`` beside the input unless told otherwise) has the columns ``row``,
``field`` and ``problem`` followed by the input's own columns and the row's original cells. ``row`` is the
record's number in the input with the header as row 1, as a spreadsheet numbers it. A row with several problems
gets one line per problem, so each field can be filtered and fixed on its own; ``field`` is ``(whole row)`` when
the row has the wrong number of cells. The file is written only when some row is rejected, and is removed again
if the import fails.

Each import that goes through is recorded in the logbook's import history (Repository.imports), in the same
transaction, and the incidents it adds carry its id, so they can be moved to the trash together again.

The mapped import (mapped_import.py) reads files from elsewhere through the same pieces: csv_input for the file
and its rejects, Rejects, and the history.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import gc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO, TypeVar

from logbook.domain.csv_schema import COLUMNS, REQUIRED_COLUMNS, RowParser, neutralise
from logbook.domain.record import IncidentDraft
from logbook.domain.validation import FieldProblem, validate
from logbook.services.files import replace_on_success
from logbook.store.errors import LogbookError
from logbook.store.repository import ImportLog, Repository

REJECT_COLUMNS = ("row", "field", "problem")
WHOLE_ROW = "(whole row)"
MAX_CELL = 10 * 1024 * 1024  # characters in one cell (the csv module stops at 128 KiB unless told)
# Bytes the text reader reads at a time (8 KiB by default). Each read lets go of the GIL for a moment, and a
# thread that does so every few milliseconds keeps other threads waiting for it far longer (Python's GIL hands
# over only after 5 ms without one): an import in a worker froze the window's thread for up to half a second.
READ_CHUNK = 1024 * 1024
_SNIFF_BYTES = 64 * 1024
CHECK_EVERY = 256  # rows between progress reports and looks at the cancel flag

Progress = Callable[[int, int], object]  # (bytes read, bytes in the file); what it returns is not used
Cancelled = Callable[[], bool]
T = TypeVar("T")


class UnusableFileError(LogbookError):
    """The file as a whole cannot be imported; nothing was."""


class ImportCancelled(LogbookError):
    """The user cancelled; nothing was imported."""


@dataclasses.dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    rejected: int
    rejects_path: Path | None  # None when no row was rejected
    skipped: int = 0  # possible duplicates left out (mapped import)
    warned: int = 0  # rows stored with a warning (mapped import)
    import_id: int | None = None  # the import's entry in the history

    @property
    def imported(self) -> int:
        return self.added + self.updated


def default_rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def rejects_target(path: Path, rejects_path: Path | str | None) -> Path:
    """Where the rejects of ``path`` go: the given file, else the default beside it; never the input itself."""
    target = default_rejects_path(path) if rejects_path is None else Path(rejects_path)
    if target.resolve() == path.resolve():
        raise UnusableFileError(f"{path.name} cannot be its own rejects file; choose another name for it.")
    return target


def import_csv(
    repo: Repository, path: Path | str, rejects_path: Path | str | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import ``path`` into ``repo``; raises UnusableFileError (and imports nothing) if the file is unusable.
    ``progress`` is called now and then with the bytes read and the file's size."""
    path = Path(path)
    _check_content(path)
    target = rejects_target(path, rejects_path)
    log = ImportLog(path.name)
    with csv_input(path, target) as source:
        header = _read_header(path, source.reader)
        columns = _column_names(path, header)
        rejects = source.rejects(header)
        rows = source.reader if progress is None else watched(source.reader, source, path.stat().st_size, progress)
        with cycle_collection_paused():
            repo.upsert_many(_valid_drafts(rows, columns, rejects, log), log=log)
    return report_of(log, rejects)


def watched(
    rows: Iterator[T], source: CsvInput, size: int, progress: Progress | None, cancelled: Cancelled | None = None
) -> Iterator[T]:
    """``rows`` as they come, with ``progress`` told how far into the file ``source`` they are and ``cancelled``
    asked (ImportCancelled when it says so) every CHECK_EVERY rows and once more after the last."""
    for count, row in enumerate(rows):
        if count % CHECK_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("The import was cancelled; nothing was imported.")
            if progress is not None:
                progress(min(source.position(), size), size)
        yield row
    if cancelled is not None and cancelled():  # a cancel after the last row still keeps nothing
        raise ImportCancelled("The import was cancelled; nothing was imported.")
    if progress is not None:
        progress(size, size)


def report_of(log: ImportLog, rejects: Rejects) -> ImportReport:
    return ImportReport(
        log.added, log.updated, rejects.count, rejects.path if rejects.count else None, log.skipped, log.warned, log.id
    )


class CsvInput:
    """An import's open file: its csv reader, how far it has read (for progress) and its rejects file."""

    def __init__(self, file: TextIO, delimiter: str, rejects_path: Path | None, cleanup: ExitStack) -> None:
        self.reader = csv.reader(file, delimiter=delimiter)
        self._file = file
        self._rejects_path = rejects_path
        self._cleanup = cleanup

    def position(self) -> int:
        """Bytes read so far (a little ahead of the rows parsed: the reader buffers)."""
        return self._file.buffer.tell()

    def rejects(self, header: Sequence[str]) -> Rejects:
        """The rejects file with ``header``'s columns, opened when the first row is rejected and removed again
        if the import fails."""
        path = self._rejects_path
        if path is None:
            raise ValueError("this input was opened without a rejects file")
        return Rejects(header, lambda: self._cleanup.enter_context(replace_on_success(path)), path)


@contextmanager
def csv_input(
    path: Path,
    rejects_path: Path | None = None,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    advice: str = "Save it as CSV UTF-8 and try again.",
) -> Iterator[CsvInput]:
    """``path`` open for an import, with a file that cannot be decoded or parsed turned into UnusableFileError
    naming the line (``advice`` says what to do about the encoding), and any failure removing the rejects."""
    encoding_name = "UTF-8" if encoding.startswith("utf-8") else encoding
    csv.field_size_limit(MAX_CELL)  # process-wide, and the same for every import: safe with imports in threads
    try:
        with path.open(encoding=encoding, newline="") as file, ExitStack() as cleanup:
            file._CHUNK_SIZE = READ_CHUNK  # type: ignore[attr-defined]  # settable, though not in the stubs
            source = CsvInput(file, delimiter, rejects_path, cleanup)
            try:
                yield source
            except UnicodeDecodeError as error:
                line = _undecodable_line(path, encoding)
                where = f"at line {line}" if line else f"after line {source.reader.line_num}"
                raise UnusableFileError(
                    f"{path.name} is not {encoding_name} text {where} ({error.reason}); nothing was imported. {advice}"
                ) from None
            except csv.Error as error:
                raise UnusableFileError(
                    f"{path.name}, line {source.reader.line_num}: {error}; nothing was imported."
                ) from None
    except OSError as error:
        raise LogbookError(f"Importing {path.name} failed and nothing was imported: {error}") from None


def _undecodable_line(path: Path, encoding: str, chunk: int = 1 << 20) -> int | None:
    """The line (from 1) of the first byte ``encoding`` cannot decode, found again in the raw bytes: the text
    reader decodes in blocks, so where it stopped says little. None for encodings whose lines are not bytes
    ending in \\n (UTF-16)."""
    if not (encoding.startswith("utf-8") or codecs.lookup(encoding).name in ("cp1252", "iso8859-1", "ascii")):
        return None
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as file:
        while block := file.read(chunk):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:  # its object is this block after the bytes held back from the last
                return lines + error.object[: error.start].count(b"\n")
            lines += block.count(b"\n")
    return None


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Without the cycle collector while the rows stream through: they form no cycles, and its passes over the
    thousands of drafts and row tuples alive in each batch cost a fifth of a large import."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_head(path: Path, size: int = _SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``; UnusableFileError if it is missing, a folder or unreadable."""
    try:
        with path.open("rb") as file:
            return file.read(size)
    except FileNotFoundError:
        raise UnusableFileError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise UnusableFileError(f"{path} is a folder, not a CSV file.") from None
    except OSError as error:
        raise UnusableFileError(f"{path} could not be read: {error.strerror}.") from None


def refuse_binary(path: Path, head: bytes) -> None:
    if b"\x00" in head:
        raise UnusableFileError(f"{path.name} is not a text file; export it from the spreadsheet as CSV.")


def _check_content(path: Path) -> None:
    """Refuse a missing, unreadable, binary or not UTF-8 file from its first bytes, before any row is read."""
    head = read_head(path)
    refuse_binary(path, head)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
    except UnicodeDecodeError as error:
        raise UnusableFileError(
            f"{path.name} is not UTF-8 text ({error.reason} at byte {error.start}). Save it as CSV UTF-8."
        ) from None


def _read_header(path: Path, reader: Iterator[list[str]]) -> list[str]:
    first = next(reader, None)
    if first is None or _is_blank(first):
        if first is None or all(_is_blank(row) for row in reader):
            raise UnusableFileError(f"{path.name} is empty.")
        raise UnusableFileError(f"{path.name} cannot be imported: its first line must hold the column names.")
    return first


def _column_names(path: Path, header: Sequence[str]) -> list[str]:
    """The header's names as COLUMNS spells them, or UnusableFileError naming every problem with it."""
    names = [cell.strip().casefold() for cell in header]
    problems = []
    if len(header) == 1 and any(separator in header[0] for separator in ";\t"):  # a spreadsheet's regional CSV
        problems.append("its columns are separated by ';' or tabs; save it as CSV with commas")
    problems += [f"column {position} has no name" for position, name in enumerate(names, start=1) if not name]
    problems += [f"the column {name!r} appears {n} times" for name, n in Counter(names).items() if name and n > 1]
    problems += [f"the required column {name!r} is missing" for name in REQUIRED_COLUMNS if name not in names]
    problems += [f"unknown column {cell.strip()!r}" for cell in header if cell.strip().casefold() not in ("", *COLUMNS)]
    if problems:
        raise UnusableFileError(f"{path.name} cannot be imported: {'; '.join(problems)}.")
    return names


class Rejects:
    """The rejects file, opened only when the first row is rejected."""

    def __init__(self, header: Sequence[str], open_file: Callable[[], TextIO], path: Path) -> None:
        self.count = 0
        self.path = path
        self._header = header
        self._open_file = open_file
        self._write_row: Callable[[Sequence[object]], object] | None = None

    def add(self, row_number: int, problems: Sequence[FieldProblem], cells: Sequence[str]) -> None:
        if self._write_row is None:
            self._write_row = csv.writer(self._open_file()).writerow
            self._write_row([*REJECT_COLUMNS, *self._header])
        for problem in problems:
            self._write_row([row_number, problem.field, neutralise(problem.message), *cells])
        self.count += 1


def _valid_drafts(
    reader: Iterator[list[str]], columns: Sequence[str], rejects: Rejects, log: ImportLog
) -> Iterator[IncidentDraft]:
    """The drafts of the good rows, one at a time; the bad ones go to ``rejects`` (and are counted in ``log``)
    on the way."""
    parse = RowParser(columns)
    for row_number, cells in enumerate(reader, start=2):
        if _is_blank(cells):
            continue
        if len(cells) != len(columns):
            problem = FieldProblem(WHOLE_ROW, f"the row has {len(cells)} cells but the header has {len(columns)}")
            rejects.add(row_number, [problem], cells)
            continue
        draft, problems = parse(cells)
        if draft is not None:
            problems = validate(draft)
        if draft is None or problems:
            rejects.add(row_number, problems, cells)
        else:
            yield draft
    log.rejected = rejects.count


def _is_blank(cells: Sequence[str]) -> bool:
    return not "".join(cells).strip()
