"""The incident table's rows: which columns they hold, and the first page read with the standard library alone.

The window shows its first rows before SQLAlchemy, SQLModel and pydantic are loaded (a third of a second of
imports on this kind of machine): ``first_page`` reads them through sqlite3 while those load, and the
repository takes over from there. It reads only the plain case (a logbook file of this schema, no filter, any
order but by country) and says None for anything else, which waits for the repository.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.store.engine import SCHEMA_VERSION, logbook_schema, read_only_uri
from logbook.store.errors import LogbookError

# The columns the table view shows, in the order of the row tuples fetch_rows returns.
ROW_COLUMNS: tuple[str, ...] = (
    "id", "date_start", "date_end", "date_precision", "country", "location", "event_type", "weapon",
    "outcome", "killed_min", "killed_max", "injured_min", "injured_max", "perpetrator", "attribution",
    "verification", "title",
)  # fmt: skip

# The column each sort key orders by (then by id); text ones case aside, as the table shows them.
SORT_COLUMN_NAMES: dict[SortKey, str] = {
    SortKey.DATE: "date_start", SortKey.COUNTRY: "country", SortKey.LOCATION: "location",
    SortKey.EVENT_TYPE: "event_type", SortKey.WEAPON: "weapon", SortKey.OUTCOME: "outcome",
    SortKey.KILLED: "killed_min", SortKey.INJURED: "injured_min", SortKey.PERPETRATOR: "perpetrator",
    SortKey.ATTRIBUTION: "attribution", SortKey.VERIFICATION: "verification", SortKey.TITLE: "title",
}  # fmt: skip
TEXT_SORT_KEYS = frozenset((SortKey.LOCATION, SortKey.PERPETRATOR, SortKey.TITLE))  # "al-Tanf" before "Zawiya"
_DATES = tuple(ROW_COLUMNS.index(name) for name in ("date_start", "date_end"))


def first_page(
    target: str | Path, incident_filter: IncidentFilter, order: SortOrder, limit: int
) -> list[tuple[Any, ...]] | None:
    """The rows Repository.first_rows would give, for a logbook file of this schema with no filter; None for
    anything else (countries sort by their names, which the repository places), or whenever the file cannot be
    read this way (open_logbook will say why)."""
    if not incident_filter.is_empty or order.key is SortKey.COUNTRY or logbook_schema(target) != SCHEMA_VERSION:
        return None
    column = SORT_COLUMN_NAMES[order.key] + (" COLLATE NOCASE" if order.key in TEXT_SORT_KEYS else "")
    direction = "DESC" if order.descending else "ASC"
    query = (
        f"SELECT {', '.join(ROW_COLUMNS)} FROM incident WHERE deleted_at IS NULL "
        f"ORDER BY {column} {direction}, id LIMIT ?"
    )
    try:
        with closing(sqlite3.connect(read_only_uri(Path(target).expanduser()), uri=True)) as connection:
            return [_typed(row) for row in connection.execute(query, (limit,))]
    except (sqlite3.Error, ValueError, OSError, LogbookError):  # a date stored otherwise, say: the repository tells
        return None


def _typed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Dates as SQLAlchemy's Date type gives them."""
    values = list(row)
    for position in _DATES:
        if values[position] is not None:
            values[position] = dt.date.fromisoformat(values[position])
    return tuple(values)
