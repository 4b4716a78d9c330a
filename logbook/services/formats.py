"""Export in every format the log can be written to: the canonical CSV, JSON, GeoJSON and XLSX.

All of them write exactly the incidents the user is looking at (filter and sort order, one id snapshot),
report progress through the same callback as the CSV export, and into a file only through
replace_on_success, so a cancelled or failed export leaves no partial file behind.

- JSON: an array with one object per incident, fields named as the CSV columns, sources a list of objects,
  tags a list, dates ISO, unknown as null (never 0). Written one object per line as it is read, so a million
  incidents cost no more memory than a page of them.
- GeoJSON (RFC 7946): a FeatureCollection whose features carry every field as properties and a Point
  [longitude, latitude], or a null geometry where the incident has no coordinates. Streamed like JSON.
- XLSX: a sheet "Incidents" of typed cells (dates are Excel dates, figures numbers, unknown left empty) under
  a frozen header, and a sheet "Summary" with the figures of ``logbook summary`` for the same scope. Written by
  XlsxWriter in constant_memory mode (row by row, through a temporary file), with write_string for text, so a
  cell is never taken for a formula and needs no neutralising. A sheet holds at most 1,048,576 rows: a larger
  export is refused before anything is written rather than cut short. (A text cell holds at most 32,767
  characters, Excel's own limit; XlsxWriter cuts a longer note there.)
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from logbook.domain.countries import country_name
from logbook.domain.csv_schema import COLUMNS, DATE_FIELDS, format_sources, format_tags
from logbook.domain.enums import Outcome
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.domain.summary import Casualties, Summary
from logbook.domain.validation import ENUM_FIELDS
from logbook.services.exporter import PROGRESS_EVERY, ExportCancelled, Progress, export_csv, export_csv_file
from logbook.services.files import replace_bytes_on_success, replace_on_success
from logbook.store.errors import LogbookError

if TYPE_CHECKING:
    from logbook.store.repository import ExportRecord, Repository

__all__ = [
    "EXCEL_ROWS",
    "ExportCancelled",
    "ExportFormat",
    "Progress",
    "TooManyRowsError",
    "export",
    "format_for_path",
]

EXCEL_ROWS = 1_048_576  # rows in one Excel worksheet, the header row included
TIMESTAMP_FIELDS = ("created_at", "updated_at")


class ExportFormat(StrEnum):
    """The formats a log can be exported to; the value is the code the command line takes."""

    CSV = "csv"
    JSON = "json"
    GEOJSON = "geojson"
    XLSX = "xlsx"

    @property
    def extension(self) -> str:
        return f".{self.value}"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def binary(self) -> bool:
        """Written as bytes (so never to a text stream such as stdout)."""
        return self is ExportFormat.XLSX

    @property
    def file_filter(self) -> str:
        """For a save dialog's list of types, e.g. ``GeoJSON (*.geojson)``."""
        return f"{self.label} (*{self.extension})"


_LABELS = {
    ExportFormat.CSV: "CSV",
    ExportFormat.JSON: "JSON",
    ExportFormat.GEOJSON: "GeoJSON",
    ExportFormat.XLSX: "Excel workbook",
}


def format_for_path(path: Path | str) -> ExportFormat | None:
    """The format a file name's extension asks for (in any case), or None when it names none of them."""
    suffix = Path(path).suffix.lower()
    return next((member for member in ExportFormat if member.extension == suffix), None)


class TooManyRowsError(LogbookError):
    """More incidents match than fit in one worksheet; nothing was written."""


def export(
    repo: Repository,
    incident_filter: IncidentFilter,
    order: SortOrder,
    target: Path | str | IO[Any],
    *,
    format: ExportFormat | None = None,
    neutralise_formulas: bool = True,
    bom: bool = False,
    progress: Progress | None = None,
    xlsx_row_limit: int = EXCEL_ROWS,
) -> int:
    """Write the matching incidents, in ``order``, to ``target``; returns how many were written.

    ``target`` is a path (replaced only once the whole export has succeeded) or an open stream: a text stream
    for CSV (opened with ``newline=""``), JSON and GeoJSON, a binary one for XLSX. Without ``format`` it is
    taken from the path's extension, else CSV. ``neutralise_formulas`` and ``bom`` (a byte order mark for
    Excel) concern CSV only. Raises ExportCancelled when ``progress`` returns False, and TooManyRowsError,
    before writing anything, when an XLSX export would need more than ``xlsx_row_limit`` rows (header
    included).
    """
    chosen = format or (format_for_path(target) if isinstance(target, str | Path) else None) or ExportFormat.CSV
    if chosen.binary and isinstance(target, io.TextIOBase):
        raise TypeError(f"{chosen.label} is binary: give a path or a binary stream, not a text stream")
    if chosen is ExportFormat.CSV:
        if isinstance(target, str | Path):
            return export_csv_file(
                target, repo, incident_filter, order, neutralise_formulas=neutralise_formulas, bom=bom,
                progress=progress,
            )  # fmt: skip
        return export_csv(
            repo, incident_filter, order, _text(target), neutralise_formulas=neutralise_formulas, bom=bom,
            progress=progress,
        )  # fmt: skip

    ids = repo.snapshot(incident_filter, order)
    if chosen is ExportFormat.XLSX and len(ids) + 1 > xlsx_row_limit:
        raise TooManyRowsError(
            f"{len(ids):,} incidents match, but an Excel sheet holds at most {xlsx_row_limit:,} rows "
            f"({xlsx_row_limit - 1:,} incidents under the header); nothing was written. "
            "Narrow the filter, or export CSV, JSON or GeoJSON."
        )

    def write(out: IO[Any]) -> int:
        records = _records(repo, ids, progress)
        with closing(records):
            if chosen is ExportFormat.XLSX:
                return _write_xlsx(out, records, repo.summary(incident_filter), incident_filter)
            if chosen is ExportFormat.GEOJSON:
                head = '{"type": "FeatureCollection", "features": [\n'
                return _write_array(_text(out), head, "]}\n", map(_feature, records))
            return _write_array(_text(out), "[\n", "]\n", map(_fields, records))

    if isinstance(target, str | Path):
        opener = replace_bytes_on_success if chosen.binary else replace_on_success
        with opener(Path(target)) as file:
            return write(file)
    return write(target)


def _text(out: IO[Any]) -> TextIO:
    return cast(TextIO, out)  # a text stream, as export() documents for the text formats


def _records(repo: Repository, ids: Sequence[int], progress: Progress | None) -> Generator[ExportRecord]:
    """The incidents ``ids`` in order, reporting (done, total) before the first, every PROGRESS_EVERY and at
    the end, as export_csv does; raises ExportCancelled when ``progress`` says stop."""
    total = len(ids)

    def report(done: int) -> None:
        if progress is not None and not progress(done, total):
            raise ExportCancelled(f"export cancelled after {done} of {total} incidents")

    report(0)
    done = 0
    with closing(repo.export_records(ids)) as records:
        for record in records:
            yield record
            done += 1
            if done % PROGRESS_EVERY == 0 and done < total:
                report(done)
    report(done)


# ---- JSON and GeoJSON -------------------------------------------------------------------------------------


def _write_array(out: TextIO, head: str, tail: str, items: Iterable[dict[str, Any]]) -> int:
    """``head``, the items one per line separated by commas, ``tail``: valid JSON written as it is read."""
    out.write(head)
    count = 0
    for item in items:
        out.write((",\n" if count else "") + json.dumps(item, ensure_ascii=False, allow_nan=False))
        count += 1
    out.write(("\n" if count else "") + tail)
    return count


def _fields(record: ExportRecord) -> dict[str, Any]:
    """One incident as a JSON object: the CSV's columns, in their order, with JSON's own types."""
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        if column == "sources":
            fields[column] = [
                {
                    "name": source.name,
                    "kind": source.kind,
                    "url": source.url,
                    "published": source.published.isoformat() if source.published else None,
                }
                for source in record.sources
            ]
        elif column == "tags":
            fields[column] = sorted(record.tags)
        else:
            value = record.values[column]
            if column == "country":
                value = country_name(value) if value else None
            elif isinstance(value, dt.date):
                value = value.isoformat()
            fields[column] = value
    return fields


def _feature(record: ExportRecord) -> dict[str, Any]:
    """An RFC 7946 Feature: a Point in (longitude, latitude) order, or a null geometry when either is unknown."""
    properties = _fields(record)
    latitude, longitude = properties["latitude"], properties["longitude"]
    geometry = None
    if latitude is not None and longitude is not None:
        geometry = {"type": "Point", "coordinates": [longitude, latitude]}
    return {"type": "Feature", "id": properties["uid"], "geometry": geometry, "properties": properties}


# ---- XLSX -------------------------------------------------------------------------------------------------

_WIDTHS = {"uid": 36, "title": 40, "notes": 40, "sources": 60, "created_at": 19, "updated_at": 19}
_WIDE_TEXT = ("location", "admin1", "target", "perpetrator", "attributed_by", "tags")


def _write_xlsx(out: IO[Any], records: Iterable[ExportRecord], summary: Summary, scope: IncidentFilter) -> int:
    import xlsxwriter  # here, not at the top: the command line's other verbs start without it
    from xlsxwriter.exceptions import FileCreateError, FileSizeError

    with tempfile.TemporaryDirectory(prefix="logbook-xlsx-") as scratch:
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": scratch})
        try:
            count = _incidents_sheet(workbook, records)
            _summary_sheet(workbook, summary, scope)
        except BaseException:
            _discard(workbook)
            raise
        try:
            workbook.close()
        except FileCreateError as error:  # wraps the OSError that callers handle
            raise error.args[0] from None
        except FileSizeError:
            raise LogbookError("the workbook would be larger than 4 GB; export CSV, JSON or GeoJSON.") from None
    return count


def _discard(workbook: Any) -> None:
    """Abandon a workbook half written: XlsxWriter has no abort, and close() would write the whole file; its
    constant_memory row files must be closed before their folder is removed."""
    workbook.fileclosed = True
    for sheet in workbook.worksheets():
        sheet._opt_close()


def _incidents_sheet(workbook: Any, records: Iterable[ExportRecord]) -> int:
    sheet = workbook.add_worksheet("Incidents")
    header = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    timestamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for number, column in enumerate(COLUMNS):
        width = _WIDTHS.get(column, 24 if column in _WIDE_TEXT else 12)
        sheet.set_column(number, number, width)
        sheet.write_string(0, number, column, header)
    sheet.freeze_panes(1, 0)
    row = 0
    for row, record in enumerate(records, start=1):  # row: the number of incidents once the loop is done
        for number, column in enumerate(COLUMNS):
            if column == "sources":
                value: Any = format_sources(record.sources)
            elif column == "tags":
                value = format_tags(record.tags)
            else:
                value = record.values[column]
            if value is None or value == "":
                continue  # unknown stays empty, never 0
            if column in DATE_FIELDS and value.year >= 1900:  # Excel's dates start in 1900
                sheet.write_datetime(row, number, value, date)
            elif column in TIMESTAMP_FIELDS:
                sheet.write_datetime(row, number, dt.datetime.fromisoformat(value.removesuffix("Z")), timestamp)
            elif isinstance(value, int | float):
                sheet.write_number(row, number, value)
            elif column == "country":
                sheet.write_string(row, number, country_name(value))
            else:
                sheet.write_string(row, number, str(value))
    sheet.autofilter(0, 0, row, len(COLUMNS) - 1)
    return row


def _summary_sheet(workbook: Any, summary: Summary, scope: IncidentFilter) -> None:
    """The figures of ``logbook summary`` for the exported scope, typed like the incidents."""
    sheet = workbook.add_worksheet("Summary")
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 5, 14)
    rows = _Rows(sheet, bold)
    rows.add("Incidents", summary.incidents)
    for label, day in (("From", scope.date_from), ("To", scope.date_to)):
        if day is not None:
            rows.add(label, day if day.year >= 1900 else day.isoformat(), cell_format=date)
    for label, value in _scope(scope):
        rows.add(label, value)
    rows.skip()
    rows.add("Casualties", "Figure", "Minimum", "Maximum", "Open-ended", "Unknown (incidents)", bold=True)
    for label, figure in (("Killed", summary.killed), ("Injured", summary.injured)):
        rows.add(label, *_casualty_cells(figure))
    rows.skip()
    rows.add("By outcome", "Incidents", bold=True)
    for code, count in summary.by_outcome.items():
        rows.add(Outcome(code).label, count)
    rows.skip()
    rows.add("Per country", "Incidents", bold=True)
    for name, count in summary.by_country.items():
        rows.add(name, count)


def _casualty_cells(figure: Casualties) -> tuple[Any, ...]:
    """As the summary shows it ("45+"), then the parts: the maximum is left empty when it is open, since
    the sum of the known maxima is then no bound at all; "unknown for" counts incidents with no figure."""
    return figure.text(), figure.min, None if figure.open else figure.max, figure.open, figure.unknown


def _scope(scope: IncidentFilter) -> list[tuple[str, str]]:
    """The filter's other conditions, as readable text, so the sheet says what it sums."""
    rows = [("Search", scope.search.strip())] if scope.search.strip() else []
    if scope.countries:
        rows.append(("Countries", ", ".join(map(country_name, scope.countries))))
    for label, column, codes in (
        ("Event types", "event_type", scope.event_types),
        ("Outcomes", "outcome", scope.outcomes),
        ("Verification", "verification", scope.verifications),
    ):
        if codes:
            rows.append((label, ", ".join(ENUM_FIELDS[column](code).label for code in codes)))
    return rows


class _Rows:
    """Writes the summary's rows one under another, each cell by its type (in constant_memory, rows go in
    order)."""

    def __init__(self, sheet: Any, bold: Any) -> None:
        self._sheet, self._bold, self._row = sheet, bold, 0

    def skip(self) -> None:
        self._row += 1

    def add(self, *cells: Any, bold: bool = False, cell_format: Any = None) -> None:
        writers: dict[type, Callable[..., Any]] = {
            bool: self._sheet.write_boolean,
            int: self._sheet.write_number,
            str: self._sheet.write_string,
            dt.date: self._sheet.write_datetime,
        }
        for number, cell in enumerate(cells):
            if cell is None:
                continue
            chosen = self._bold if bold or number == 0 else cell_format
            writers[type(cell)](self._row, number, cell, chosen)
        self._row += 1
