"""Incidents as finished lines of the canonical CSV, built by SQLite itself.

Formatting a million incidents in Python (format_row, then csv.writer) costs more than reading them, and so
does fetching their sources and tags into objects first. Here one statement per chunk of ids returns every
incident as its finished CSV line: the sources and tags cells, formula neutralisation and csv.writer's
quoting are SQL expressions, so Python only puts the lines in the snapshot's order and writes them. Two small
SQL functions call Python where SQLite cannot say the same thing: country names, and floats (SQLite prints 15
significant digits, Python the shortest exact form).

The lines are byte for byte those of format_row through csv.writer; the tests compare the two on awkward data.
Codes, dates, timestamps and casualty figures are written as stored, unquoted: the app only ever stores codes,
ISO dates, UTC timestamps and integers in those columns, none of which holds a character that needs quoting.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from logbook.domain.countries import country_name
from logbook.domain.csv_schema import COLUMNS, FLOAT_FIELDS, FORMULA_TRIGGERS, NEUTRALISED_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy import Engine

QUOTED_CHARACTERS = (",", '"', "\n", "\r")  # what makes csv.writer quote a cell: delimiter, quote, line breaks
COUNTRY_CELL = "logbook_country_cell"  # the two SQL functions line_expression calls, registered by csv_lines
FLOAT_CELL = "logbook_float_cell"
_SOURCE_LINE = (
    # format_sources: name | kind | url | published, fields escaped, trailing empty fields left out
    "CASE WHEN s.published IS NOT NULL THEN {name} || ' | ' || s.kind || ' | ' || {url} || ' | ' || s.published "
    "WHEN {url} <> '' THEN {name} || ' | ' || s.kind || ' | ' || {url} "
    "WHEN s.kind <> '' THEN {name} || ' | ' || s.kind ELSE {name} END"
)


def csv_lines(
    engine: Engine, ids: Sequence[int], *, neutralise_formulas: bool = True, chunk: int = 1000
) -> Generator[list[str]]:
    """The lines (each ending in CRLF) of the incidents ``ids``, in that order, ``chunk`` ids at a time; ids
    no longer stored are left out. All chunks are read in one transaction, so they show one state of the log."""
    statement = _statement(neutralise_formulas, chunk)
    with engine.connect() as connection, connection.begin():
        driver = connection.connection.driver_connection
        assert driver is not None  # an open connection always has its DB-API connection
        driver.create_function(COUNTRY_CELL, 1, _CountryCells().__getitem__, deterministic=True)
        driver.create_function(FLOAT_CELL, 1, repr, deterministic=True)
        cursor = driver.cursor()
        try:
            for start in range(0, len(ids), chunk):
                part = ids[start : start + chunk]
                # Padded with a repeated id so every chunk runs the same (cached, prepared) statement.
                lines = dict(cursor.execute(statement, (*part, *[part[-1]] * (chunk - len(part)))).fetchall())
                yield [lines[incident_id] for incident_id in part if incident_id in lines]
        finally:
            cursor.close()


@cache
def _statement(neutralise_formulas: bool, chunk: int) -> str:
    placeholders = ", ".join("?" * chunk)
    return f"SELECT i.id, {line_expression(neutralise_formulas)} FROM incident AS i WHERE i.id IN ({placeholders})"


def line_expression(neutralise_formulas: bool) -> str:
    """SQL for the CSV line (CRLF included) of the incident ``i``; it calls COUNTRY_CELL and FLOAT_CELL."""
    cells = [_column_cell(column, neutralise_formulas and column in NEUTRALISED_COLUMNS) for column in COLUMNS]
    line = _literal(",".join(["%s"] * len(COLUMNS)) + "\r\n")  # printf writes NULL as an empty cell
    return f"printf({line}, {', '.join(cells)})"


def _column_cell(column: str, neutralised: bool) -> str:
    if column == "country":
        return f"{COUNTRY_CELL}(i.country)"
    if column in FLOAT_FIELDS:  # repr(), as format_row and csv.writer write a float
        return f"CASE WHEN i.{column} IS NOT NULL THEN {FLOAT_CELL}(i.{column}) END"
    if column == "sources":
        escaped = {
            field: f"replace(replace(coalesce(s.{field}, ''), '\\', '\\\\'), '|', '\\|')" for field in ("name", "url")
        }
        lines = (
            f"SELECT {_SOURCE_LINE.format(**escaped)} AS line FROM source AS s "
            "WHERE s.incident_id = i.id ORDER BY s.position, s.id"
        )
        return _aggregate_cell(f"SELECT group_concat(line, char(10)) AS v FROM ({lines})", neutralised)
    if column == "tags":
        tags = "SELECT t.tag FROM incident_tag AS t WHERE t.incident_id = i.id ORDER BY t.tag"
        return _aggregate_cell(f"SELECT group_concat(tag, '; ') AS v FROM ({tags})", neutralised)
    if column == "uid" or column in NEUTRALISED_COLUMNS:
        return _text_cell(f"i.{column}", neutralised)
    return f"i.{column}"


def _aggregate_cell(query: str, neutralised: bool) -> str:
    """A cell computed by an aggregate subquery, formatted once (a CASE over the subquery itself would run it
    again for every test)."""
    return f"(SELECT {_text_cell('v', neutralised)} FROM ({query}))"


def _text_cell(value: str, neutralised: bool) -> str:
    """SQL for csv.writer's cell of ``value`` (neutralised first if asked): quoted, with its quotes doubled,
    when it holds a delimiter, a quote or a line break. The ' of neutralisation never changes that."""
    cell = _neutralised(value) if neutralised else value
    needs_quotes = " OR ".join(f"{value} GLOB {_literal('*' + character + '*')}" for character in QUOTED_CHARACTERS)
    return f"""CASE WHEN {needs_quotes} THEN '"' || replace({cell}, '"', '""') || '"' ELSE {cell} END"""


def _neutralised(value: str) -> str:
    """SQL for csv_schema.neutralise(value) (its triggers are single characters); the GLOB on the first
    character keeps the common case cheap."""
    first = "[-'" + "".join(trigger for trigger in FORMULA_TRIGGERS if trigger != "-") + "]*"
    triggers = ", ".join(_literal(trigger) for trigger in FORMULA_TRIGGERS)
    return (
        f"CASE WHEN {value} GLOB {_literal(first)} AND substr(ltrim({value}, ''''), 1, 1) IN ({triggers}) "
        f"THEN '''' || {value} ELSE {value} END"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def country_cell(code: str | None) -> str:
    """format_row's country cell for ``code``, quoted as csv.writer would ("Virgin Islands, British")."""
    name = country_name(code)
    if any(character in name for character in QUOTED_CHARACTERS):
        name = '"' + name.replace('"', '""') + '"'
    return name


class _CountryCells(dict[str | None, str]):
    def __missing__(self, code: str | None) -> str:
        self[code] = cell = country_cell(code)
        return cell
