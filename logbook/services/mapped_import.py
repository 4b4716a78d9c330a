"""Import of CSV files from elsewhere, through a Mapping (domain/mapping.py): the wizard and ``logbook import
--mapping`` both come here.

- sniff_file and read_sample show the file as detected (encoding, delimiter, header row) before anything is
  mapped; distinct_values lists a column's values for a value map.
- preview reads the first rows as they will be stored, with each row's problems and warnings by field and its
  possible duplicates in the logbook; scan does the same for the whole file without storing anything.
- import_mapped stores every row that can be stored in one transaction, all or nothing: a problem in the file
  as a whole (UnusableFileError), a failure or a cancel (ImportCancelled) leaves the logbook as it was. Rows
  with problems go to the rejects file, exactly as the canonical import writes it (importer.py, whose pieces
  are shared); rows that look like incidents already in the logbook are skipped unless told otherwise; the
  import is recorded in the history.

Row numbers are records as a spreadsheet counts them, the header (if any) being row 1. A row with more cells
than the header is rejected if the extra cells hold anything; one with fewer is read with the missing cells
empty and a warning. Cells of up to importer.MAX_CELL characters are read.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from logbook.domain.csv_schema import COLUMNS, format_row
from logbook.domain.mapping import (
    FileFormat,
    Mapping,
    MappingError,
    RowMapper,
    column_names,
    sniff_encoding,
    sniff_layout,
)
from logbook.domain.record import IncidentDraft, duplicate_key
from logbook.domain.validation import FieldProblem
from logbook.services.importer import (
    WHOLE_ROW,
    Cancelled,
    CsvInput,
    ImportReport,
    Progress,
    Rejects,
    UnusableFileError,
    csv_input,
    cycle_collection_paused,
    read_head,
    refuse_binary,
    rejects_target,
    report_of,
    watched,
)
from logbook.store.engine import open_logbook
from logbook.store.repository import ImportLog, Repository

ENCODING_SAMPLE = 8 * 1024 * 1024  # bytes read to tell the encoding: a stray byte far down still counts
LAYOUT_SAMPLE = 64 * 1024  # characters read to tell the delimiter and the header row
KEEP = 1000  # problems, warnings and duplicates listed by scan and import (all are counted)
DUPLICATE_BATCH = 500  # rows whose possible duplicates are looked up at once
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class RowProblem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


@dataclasses.dataclass(frozen=True)
class Duplicate:
    row: int
    incident_ids: tuple[int, ...]  # live incidents with the same date, country, location and weapon


@dataclasses.dataclass(frozen=True)
class Repeat:
    row: int
    earlier_row: int  # the first row of the file with the same date, country, location and weapon


@dataclasses.dataclass
class MappedRow:
    """One row of the file read through the mapping."""

    number: int  # as a spreadsheet counts records, the header being 1
    cells: list[str]
    draft: IncidentDraft | None  # None when a problem rejects the row
    problems: list[FieldProblem]
    warnings: list[FieldProblem]
    duplicates: tuple[int, ...] = ()  # incidents in the logbook it may repeat
    earlier_row: int | None = None  # the first row of this file it may repeat (the same attack, another source)

    def stored(self) -> dict[str, str]:
        """The row as it will be stored, cell by cell in the canonical CSV's text (empty when rejected)."""
        return stored_cells(self.draft) if self.draft is not None else dict.fromkeys(COLUMNS, "")


@dataclasses.dataclass
class Findings:
    """What reading a file through a mapping found: totals, and the first KEEP problems, warnings and possible
    duplicates. ``rows`` counts the rows read (blank ones aside); ``warned`` and ``duplicated`` only rows that
    could be stored."""

    rows: int = 0
    rejected: int = 0
    warned: int = 0
    duplicated: int = 0  # rows like incidents in the logbook: skipped when asked
    repeated: int = 0  # rows like an earlier row of the file: listed to check, never skipped
    problems: list[RowProblem] = dataclasses.field(default_factory=list)
    warnings: list[RowProblem] = dataclasses.field(default_factory=list)
    duplicates: list[Duplicate] = dataclasses.field(default_factory=list)
    repeats: list[Repeat] = dataclasses.field(default_factory=list)

    def note(self, row: MappedRow) -> None:
        self.rows += 1
        if row.draft is None:
            self.rejected += 1
            _keep(self.problems, [RowProblem(row.number, p.field, p.message) for p in row.problems])
            return
        if row.warnings:
            self.warned += 1
            _keep(self.warnings, [RowProblem(row.number, w.field, w.message) for w in row.warnings])
        if row.duplicates:
            self.duplicated += 1
            _keep(self.duplicates, [Duplicate(row.number, row.duplicates)])
        if row.earlier_row is not None:
            self.repeated += 1
            _keep(self.repeats, [Repeat(row.number, row.earlier_row)])


def _keep(kept: list[T], more: Sequence[T]) -> None:
    kept.extend(more[: max(0, KEEP - len(kept))])


@dataclasses.dataclass(frozen=True)
class Sample:
    format: FileFormat
    columns: list[str]  # the header's names, or "Column N"
    rows: list[list[str]]  # the first rows below the header, as read


@dataclasses.dataclass(frozen=True)
class Preview:
    format: FileFormat
    columns: list[str]
    rows: list[MappedRow]


@dataclasses.dataclass(frozen=True)
class MappedImportReport(ImportReport):
    findings: Findings = dataclasses.field(default_factory=Findings)


def stored_cells(draft: IncidentDraft) -> dict[str, str]:
    values = {column: getattr(draft, column) for column in COLUMNS if column not in ("sources", "tags")}
    return dict(zip(COLUMNS, format_row(values, draft.sources, draft.tags, neutralise_formulas=False), strict=True))


# ---- the file -----------------------------------------------------------------------------------------------


def sniff_file(path: Path | str) -> FileFormat:
    """The encoding, delimiter and header row ``path`` seems to have; UnusableFileError if it is missing,
    empty or not text."""
    path = Path(path)
    head = read_head(path, ENCODING_SAMPLE)
    complete = len(head) < ENCODING_SAMPLE
    encoding = sniff_encoding(head, complete)
    if encoding != "utf-16":
        refuse_binary(path, head[:LAYOUT_SAMPLE])
    text = codecs.getincrementaldecoder(_codec(encoding))(errors="replace").decode(head, final=complete)
    layout_complete = complete and len(text) <= LAYOUT_SAMPLE
    text = text[:LAYOUT_SAMPLE]
    if not text.strip():
        raise UnusableFileError(f"{path.name} is empty.")
    controls = sum(1 for character in text if character < " " and character not in "\t\r\n\f")
    if controls > max(2, len(text) // 100):
        raise UnusableFileError(f"{path.name} is not a text file; export it from the spreadsheet as CSV.")
    delimiter, has_header = sniff_layout(text, complete=layout_complete)
    return FileFormat(encoding, delimiter, has_header)


def read_sample(path: Path | str, file_format: FileFormat | None = None, limit: int = 100) -> Sample:
    """The column names and first ``limit`` rows of ``path`` read as ``file_format`` (as detected if None)."""
    path = Path(path)
    file_format = file_format or sniff_file(path)
    with _table(path, file_format) as (_source, _header, columns, rows):
        return Sample(file_format, columns, [cells for _number, cells in itertools.islice(rows, limit)])


def distinct_values(path: Path | str, file_format: FileFormat, column: str, limit: int = 1000) -> list[tuple[str, int]]:
    """The values of ``column`` (stripped) and how often each comes, most frequent first, at most ``limit``:
    what a value map is made from."""
    path = Path(path)
    with _table(path, file_format) as (_source, _header, columns, rows):
        if column not in columns:
            raise UnusableFileError(f"{path.name} has no column {column!r}.")
        position = columns.index(column)
        counts = Counter(cells[position].strip() if position < len(cells) else "" for _number, cells in rows)
    return counts.most_common(limit)


# ---- reading through a mapping --------------------------------------------------------------------------------


def preview(
    repo: Repository | None, path: Path | str, mapping: Mapping, limit: int = 20, today: dt.date | None = None
) -> Preview:
    """The first ``limit`` rows as they will be stored, with their problems, warnings and (with ``repo``)
    possible duplicates; UnusableFileError if the file, or the mapping for this file, cannot be used."""
    path = Path(path)
    with _mapped(repo, path, mapping, today=today) as (file_format, _source, _header, columns, rows):
        return Preview(file_format, columns, list(itertools.islice(rows, limit)))


def scan(
    repo: Repository | None,
    path: Path | str,
    mapping: Mapping,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: dt.date | None = None,
) -> Findings:
    """preview for the whole file, keeping only the findings; nothing is stored."""
    findings = Findings()
    with _mapped(repo, Path(path), mapping, progress, cancelled, today=today) as (_format, _source, _h, _c, rows):
        for row in rows:
            findings.note(row)
    return findings


def import_mapped(
    repo: Repository,
    path: Path | str,
    mapping: Mapping,
    rejects_path: Path | str | None = None,
    *,
    skip_duplicates: bool | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: dt.date | None = None,
) -> MappedImportReport:
    """Import ``path`` through ``mapping`` in one transaction (see the module's notes). ``skip_duplicates``
    overrides the mapping's choice; ``progress`` is called now and then with the bytes read and the file's
    size, ``cancelled`` asked as often (ImportCancelled when it says so)."""
    path = Path(path)
    target = rejects_target(path, rejects_path)
    skip = mapping.skip_duplicates if skip_duplicates is None else skip_duplicates
    log = ImportLog(path.name, mapping.name or "(unnamed mapping)")
    findings = Findings()
    with _mapped(repo, path, mapping, progress, cancelled, target, today) as (_format, source, header, _c, rows):
        rejects = source.rejects(header)
        with cycle_collection_paused():
            repo.upsert_many(_to_store(rows, rejects, log, findings, skip), log=log)
    report = report_of(log, rejects)
    return MappedImportReport(**dataclasses.asdict(report), findings=findings)


def import_mapped_at(target: str, user: str, path: Path | str, mapping: Mapping, **options: Any) -> MappedImportReport:
    """import_mapped into the logbook at ``target`` (see Repository.target), opened here for ``user``: what the
    window runs in a child process (services/apart.py)."""
    return _at(target, user, import_mapped, path, mapping, **options)


def scan_at(target: str, path: Path | str, mapping: Mapping, **options: Any) -> Findings:
    """scan against the logbook at ``target``: what the wizard's preview runs in a child process."""
    return _at(target, None, scan, path, mapping, **options)


def _at(target: str, user: str | None, function: Callable[..., T], /, *args: Any, **options: Any) -> T:
    """``function(repository, *args, **options)`` on the logbook at ``target``, opened here and closed after."""
    engine = open_logbook(target)
    try:
        return function(Repository(engine, user), *args, **options)
    finally:
        engine.dispose()


def _to_store(
    rows: Iterator[MappedRow], rejects: Rejects, log: ImportLog, findings: Findings, skip_duplicates: bool
) -> Iterator[IncidentDraft]:
    for row in rows:
        findings.note(row)
        if row.draft is None:
            rejects.add(row.number, row.problems, row.cells)
        elif row.duplicates and skip_duplicates:
            log.skipped += 1
        else:
            log.warned += bool(row.warnings)
            yield row.draft
    log.rejected = rejects.count


@contextmanager
def _mapped(
    repo: Repository | None,
    path: Path,
    mapping: Mapping,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    rejects_path: Path | None = None,
    today: dt.date | None = None,
) -> Iterator[tuple[FileFormat, CsvInput, list[str], list[str], Iterator[MappedRow]]]:
    """The file's format, input, header cells (as the rejects file repeats them), column names, and its rows
    through ``mapping``, looked up for duplicates in ``repo`` unless None."""
    file_format = mapping.file_format(sniff_file(path))
    with _table(path, file_format, rejects_path) as (source, header, columns, numbered):
        try:
            mapper = RowMapper(mapping, columns, today)
        except MappingError as error:
            raise UnusableFileError(f"{path.name} cannot be imported with this mapping: {error}.") from None
        rows = _rows(numbered, mapper, len(columns))
        if progress is not None or cancelled is not None:
            rows = watched(rows, source, path.stat().st_size, progress, cancelled)
        if repo is not None:
            rows = _with_duplicates(rows, repo)
        yield file_format, source, header, columns, rows


@contextmanager
def _table(
    path: Path, file_format: FileFormat, rejects_path: Path | None = None
) -> Iterator[tuple[CsvInput, list[str], list[str], Iterator[tuple[int, list[str]]]]]:
    """The file open as ``file_format``: its input, header cells, column names and numbered non-blank rows."""
    advice = "Choose its encoding (Windows-1252 or Latin-1 for older spreadsheets) and try again."
    with csv_input(
        path, rejects_path, encoding=_codec(file_format.encoding), delimiter=file_format.delimiter, advice=advice
    ) as source:
        numbered: Iterator[tuple[int, list[str]]] = (
            (number, cells) for number, cells in enumerate(source.reader, start=1) if "".join(cells).strip()
        )
        first = next(numbered, None)
        if first is None:
            raise UnusableFileError(f"{path.name} is empty.")
        if file_format.has_header:
            header = first[1]
            columns = column_names(header)
        else:
            columns = column_names(None, len(first[1]))
            header = columns
            numbered = itertools.chain([first], numbered)
        yield source, header, columns, numbered


def _rows(numbered: Iterator[tuple[int, list[str]]], mapper: RowMapper, width: int) -> Iterator[MappedRow]:
    for number, cells in numbered:
        if len(cells) > width and "".join(cells[width:]).strip():
            problem = FieldProblem(WHOLE_ROW, f"the row has {len(cells)} cells but the header has {width}")
            yield MappedRow(number, cells, None, [problem], [])
            continue
        mapped = mapper(cells)
        warnings = mapped.warnings
        if len(cells) < width:
            short = f"the row has {len(cells)} cells but the header has {width}; the missing ones are read as empty"
            warnings = [FieldProblem(WHOLE_ROW, short), *warnings]
        yield MappedRow(number, cells, mapped.draft, mapped.problems, warnings)


def _with_duplicates(rows: Iterator[MappedRow], repo: Repository) -> Iterator[MappedRow]:
    """The rows with their possible duplicates among the incidents in the logbook before this import, and the
    first row before them in the file with the same key. Two such rows may be one attack from two sources, or
    two attacks on one base in one day: they are listed to check, never skipped. The file's keys are kept as
    hashes, a few dozen bytes a row; a collision, once in billions, only lists a row to look at."""
    first_rows: dict[int, int] = {}  # hash of a duplicate key -> the first row of the file with it
    while batch := list(itertools.islice(rows, DUPLICATE_BATCH)):
        keys = {
            row.number: duplicate_key(row.draft.date_start, row.draft.country, row.draft.location, row.draft.weapon)
            for row in batch
            if row.draft is not None
        }
        found = repo.possible_duplicates(keys.values()) if keys else {}
        for row in batch:
            if row.number in keys:
                row.duplicates = tuple(found.get(keys[row.number], ()))
                first = first_rows.setdefault(hash(keys[row.number]), row.number)
                row.earlier_row = first if first != row.number else None
            yield row


def _codec(encoding: str) -> str:
    """How to decode: UTF-8 always through utf-8-sig, so a byte order mark never sticks to the first name."""
    return "utf-8-sig" if encoding == "utf-8" else encoding
