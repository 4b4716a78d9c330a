"""The canonical CSV format: its columns, and the conversion of one row to a draft and back.

A source is one line of the ``sources`` cell: ``name | kind | url | published``, fields separated by ``|``
(``|`` and ``\\`` inside a field are written ``\\|`` and ``\\\\``), trailing empty fields may be left out.
Tags are separated by ``; ``. Text cells that a spreadsheet would run as a formula are prefixed with ``'`` on
export and the prefix is taken off again on import, so a file makes the same round trip either way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from logbook.domain.countries import country_code, country_name
from logbook.domain.enums import SourceKind
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.domain.validation import ENUM_FIELDS, FieldProblem

COLUMNS: tuple[str, ...] = (
    "uid", "date_start", "date_end", "date_precision", "country", "admin1", "location", "latitude",
    "longitude", "geo_precision", "event_type", "weapon", "target_type", "target", "perpetrator",
    "attribution", "attributed_by", "outcome", "damage", "killed_min", "killed_max", "injured_min",
    "injured_max", "verification", "title", "notes", "sources", "tags", "created_at", "updated_at",
)  # fmt: skip
REQUIRED_COLUMNS = ("date_start", "country", "event_type")
OPTIONAL_BOOKKEEPING = ("uid", "created_at", "updated_at")

DATE_FIELDS = ("date_start", "date_end")
FLOAT_FIELDS = ("latitude", "longitude")
INT_FIELDS = ("killed_min", "killed_max", "injured_min", "injured_max")
TEXT_FIELDS = ("admin1", "location", "target", "perpetrator", "attributed_by", "title", "notes")
NEUTRALISED_COLUMNS = frozenset((*TEXT_FIELDS, "sources", "tags"))
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MEMO_LIMIT = 100_000  # distinct cells remembered per column by RowParser: codes, names, dates and figures repeat
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SOURCE_TOKEN = re.compile(r"\\(.)|(\|)|([^\\|]+)", re.DOTALL)


def neutralise(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (and to one already so prefixed)."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_TRIGGERS) else cell


def unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS) else cell


def format_sources(sources: Sequence[SourceDraft]) -> str:
    lines = []
    for source in sources:
        fields = [
            _escape(source.name or ""),
            source.kind,
            _escape(source.url or ""),
            source.published.isoformat() if source.published else "",
        ]
        while fields and not fields[-1]:
            fields.pop()
        lines.append(" | ".join(fields))
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _split_source_line(line: str) -> list[str]:
    """Split on unescaped ``|`` and undo the escapes; a lone trailing backslash is kept as it is."""
    if "\\" not in line:  # no escapes: the common case, and a plain split
        return list(map(str.strip, line.split("|")))
    parts: list[str] = []
    current: list[str] = []
    for escaped, separator, plain in _SOURCE_TOKEN.findall(line):
        if separator:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(escaped or plain)
    if line.endswith("\\") and not line.endswith("\\\\"):
        current.append("\\")
    parts.append("".join(current).strip())
    return parts


def parse_sources(cell: str) -> list[SourceDraft]:
    sources = []
    # Not splitlines(): it also breaks at \x1c-\x1e, \x85 and \u2028, which may sit inside a name or URL.
    for number, line in enumerate(_LINE_BREAK.split(cell), start=1):
        if not line.strip():
            continue
        parts = _split_source_line(line)
        if len(parts) > 4:
            raise ValueError(f"source line {number} has {len(parts)} fields; expected name | kind | url | published")
        name, kind, url, published = [*parts, "", "", ""][:4]
        try:
            kind_code = SourceKind.parse(kind).value if kind else SourceKind.OTHER.value
        except ValueError as error:
            raise ValueError(f"source line {number}: kind {error}") from None
        try:
            published_date = dt.date.fromisoformat(published) if published else None
        except ValueError:
            raise ValueError(f"source line {number}: {published!r} is not a date (YYYY-MM-DD)") from None
        sources.append(SourceDraft(name or None, kind_code, url or None, published_date))
    return sources


def format_tags(tags: Sequence[str]) -> str:
    return "; ".join(sorted(tags))


def parse_tags(cell: str) -> list[str]:
    return sorted({tag.strip() for tag in cell.split(";") if tag.strip()})


def format_row(
    values: Mapping[str, Any],
    sources: Sequence[SourceDraft],
    tags: Sequence[str],
    neutralise_formulas: bool = True,
) -> list[str]:
    """The cells of one incident in COLUMNS order; ``values`` maps incident columns to stored values."""
    row = []
    for column in COLUMNS:
        if column == "sources":
            cell = format_sources(sources)
        elif column == "tags":
            cell = format_tags(tags)
        else:
            value = values[column]
            if value is None:
                cell = ""
            elif column == "country":
                cell = country_name(value)
            elif isinstance(value, float):
                cell = repr(value)
            elif isinstance(value, dt.date):
                cell = value.isoformat()
            else:
                cell = str(value)
        if neutralise_formulas and column in NEUTRALISED_COLUMNS:
            cell = neutralise(cell)
        row.append(cell)
    return row


def parse_row(cells: Mapping[str, str]) -> tuple[IncidentDraft | None, list[FieldProblem]]:
    """A draft from one CSV row (column -> cell, any subset of COLUMNS), or the problems that stop it.

    Only the conversion is checked here; the caller runs ``validate`` on the draft for the rules.
    """
    return RowParser(tuple(cells))(cells.values())


class RowParser:
    """parse_row for every row of one file: the conversion of each column is chosen once from the header, and a
    cell seen before in a column of codes, names, dates or figures is looked up rather than converted again,
    so a million rows cost a dictionary lookup per cell."""

    def __init__(self, columns: Sequence[str]) -> None:
        self._columns = [(column, _converter(column)) for column in columns]

    def __call__(self, cells: Iterable[str]) -> tuple[IncidentDraft | None, list[FieldProblem]]:
        """The draft or the problems of one row, its cells in the order of the columns."""
        values: dict[str, Any] = {}
        problems: list[FieldProblem] = []
        for (column, convert), raw in zip(self._columns, cells, strict=True):
            cell = raw.strip()
            if cell:  # unneutralise never empties a cell, so an empty one is skipped before it
                try:
                    values[column] = convert(cell)
                except ValueError as error:
                    problems.append(FieldProblem(column, str(error)))
        if problems:
            return None, problems
        return IncidentDraft(**values), []


def _converter(column: str) -> Callable[[str], Any]:
    """How one stripped, non-empty cell of ``column`` becomes the draft's value; ValueError if it cannot."""
    if column == "sources":
        return lambda cell: parse_sources(unneutralise(cell))
    if column == "tags":
        return lambda cell: parse_tags(unneutralise(cell))
    if column in NEUTRALISED_COLUMNS:
        return unneutralise
    if column in FLOAT_FIELDS:
        return _parse_float
    if column in ("created_at", "updated_at"):
        return _parse_timestamp
    if column in DATE_FIELDS:
        return _remembered(_parse_date)
    if column in INT_FIELDS:
        return _remembered(_parse_count)
    if column == "country":
        return _remembered(country_code)
    if column in ENUM_FIELDS:
        enum = ENUM_FIELDS[column]
        return _remembered(lambda cell: enum.parse(cell).value)
    return str


def _remembered(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """``convert`` with the values of up to MEMO_LIMIT distinct cells kept (problems are not)."""
    memo: dict[str, Any] = {}

    def remembered(cell: str) -> Any:
        try:
            return memo[cell]
        except KeyError:
            value = convert(cell)
            if len(memo) < MEMO_LIMIT:
                memo[cell] = value
            return value

    return remembered


def _parse_timestamp(cell: str) -> str:
    if not _TIMESTAMP.match(cell):
        raise ValueError(f"{cell!r} is not a UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)")
    return cell


def _parse_date(cell: str) -> dt.date:
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a date (YYYY-MM-DD)") from None


def _parse_float(cell: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{cell!r} is not a finite number")
    return value


def _parse_count(cell: str) -> int:
    if not cell.isdecimal():  # not isdigit: "²" is a digit that int() refuses with a message of its own
        raise ValueError(f"{cell!r} is not a whole number of people (leave it empty when unknown)")
    return int(cell)
