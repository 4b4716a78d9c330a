"""The incident table's rows: which columns they hold, and the first page read with the standard library alone.

The window shows its first rows before SQLAlchemy, SQLModel and pydantic are loaded (a third of a second of
imports on this kind of machine): ``first_page`` reads them through sqlite3 while those load, and the
repository takes over from there. It reads only the plain case (a logbook file of this schema, no filter, the
date order) and says None for anything else, which waits for the repository.
"""

from __future__ import annotations

# The columns the table view shows, in the order of the row tuples fetch_rows returns.
ROW_COLUMNS: tuple[str, ...] = (
    "id", "date_start", "date_end", "date_precision", "country", "location", "event_type", "weapon",
    "outcome", "killed_min", "killed_max", "injured_min", "injured_max", "perpetrator", "attribution",
    "verification", "title",
)  # fmt: skip
