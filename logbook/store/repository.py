"""The repository: every query the app makes lives here.

Reads for the table and exports go through SQLAlchemy Core in pages (SQLModel objects are several times
slower at scale); single edits use the same Core statements so that sources, tags and the text index are
always written together, in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import operator
from array import array
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Engine,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.sql import column, table

from logbook.domain.countries import country_name, country_rank
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.models import Incident, IncidentTag, Source
from logbook.domain.record import INCIDENT_FIELDS, IncidentDraft, SourceDraft, new_uid, utc_now
from logbook.domain.summary import Casualties, Summary, empty_outcomes
from logbook.store.errors import ConflictError, MissingIncidentError

incident_table = Incident.__table__  # type: ignore[attr-defined]
source_table = Source.__table__  # type: ignore[attr-defined]
tag_table = IncidentTag.__table__  # type: ignore[attr-defined]
I = incident_table.c  # noqa: E741 - short alias for the many column references below

# The columns the table view shows, in the order of the row tuples fetch_rows returns.
ROW_COLUMNS: tuple[str, ...] = (
    "id", "date_start", "date_end", "date_precision", "country", "location", "event_type", "weapon",
    "outcome", "killed_min", "killed_max", "injured_min", "injured_max", "perpetrator", "attribution",
    "verification", "title",
)  # fmt: skip
_SORT_COLUMNS: dict[SortKey, Column[Any]] = {
    SortKey.DATE: I.date_start,
    SortKey.COUNTRY: I.country,
    SortKey.LOCATION: I.location,
    SortKey.EVENT_TYPE: I.event_type,
    SortKey.WEAPON: I.weapon,
    SortKey.OUTCOME: I.outcome,
    SortKey.KILLED: I.killed_min,
    SortKey.INJURED: I.injured_min,
    SortKey.PERPETRATOR: I.perpetrator,
    SortKey.ATTRIBUTION: I.attribution,
    SortKey.VERIFICATION: I.verification,
    SortKey.TITLE: I.title,
}
_TEXT_SORT_KEYS = frozenset((SortKey.LOCATION, SortKey.PERPETRATOR, SortKey.TITLE))  # "al-Tanf" before "Zawiya"
FTS_COLUMNS = ("title", "notes", "location", "perpetrator", "target")
COMPLETION_FIELDS = frozenset(("admin1", "location", "perpetrator", "attributed_by", "target"))
_fts = table("incident_fts", column("rowid"), column("incident_fts"))
PAGE = 500  # ids per IN (...) query: well under SQLite's variable limit


@dataclasses.dataclass(frozen=True)
class TrashEntry:
    id: int
    date_start: dt.date
    country: str
    title: str | None
    deleted_at: str


@dataclasses.dataclass(frozen=True)
class ExportRecord:
    values: dict[str, Any]
    sources: list[SourceDraft]
    tags: list[str]


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.has_fts = engine.dialect.name == "sqlite" and self._table_exists("incident_fts")

    def _table_exists(self, name: str) -> bool:
        with self.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).first() is not None

    # ---- single incidents -------------------------------------------------------------------------------

    def add(self, draft: IncidentDraft) -> int:
        """Store a new incident; returns its id."""
        with self.engine.begin() as connection:
            return self._insert(connection, draft)

    def update(self, incident_id: int, draft: IncidentDraft) -> None:
        """Replace an incident's fields, sources and tags.

        ``draft.version`` must be the version that was read; if someone saved in between, ConflictError.
        """
        with self.engine.begin() as connection:
            self._update(connection, incident_id, draft, check_version=True)

    def get(self, incident_id: int) -> IncidentDraft:
        with self.engine.connect() as connection:
            row = connection.execute(select(incident_table).where(I.id == incident_id)).mappings().first()
            if row is None:
                raise MissingIncidentError(f"Incident {incident_id} is no longer in the logbook.")
            draft = IncidentDraft(**{name: row[name] for name in INCIDENT_FIELDS}, version=row["version"])
            draft.sources = self._sources(connection, [incident_id]).get(incident_id, [])
            draft.tags = self._tags(connection, [incident_id]).get(incident_id, [])
        return draft

    def delete(self, ids: Sequence[int]) -> None:
        """Move incidents to the trash; restore() brings them back."""
        with self.engine.begin() as connection:
            for chunk in _chunks(ids):
                connection.execute(
                    update(incident_table).where(I.id.in_(chunk), I.deleted_at.is_(None)).values(deleted_at=utc_now())
                )

    def restore(self, ids: Sequence[int]) -> None:
        with self.engine.begin() as connection:
            for chunk in _chunks(ids):
                connection.execute(update(incident_table).where(I.id.in_(chunk)).values(deleted_at=None))

    def purge(self, ids: Sequence[int]) -> None:
        """Remove trashed incidents for good (sources and tags go with them)."""
        with self.engine.begin() as connection:
            for chunk in _chunks(ids):
                connection.execute(delete(incident_table).where(I.id.in_(chunk), I.deleted_at.is_not(None)))
                self._unindex(connection, chunk)

    def trash(self) -> list[TrashEntry]:
        query = (
            select(I.id, I.date_start, I.country, I.title, I.deleted_at)
            .where(I.deleted_at.is_not(None))
            .order_by(I.deleted_at.desc(), I.id.desc())
        )
        with self.engine.connect() as connection:
            return [TrashEntry(*row) for row in connection.execute(query)]

    # ---- the table: id snapshots and pages --------------------------------------------------------------

    def count(self, incident_filter: IncidentFilter | None = None) -> int:
        query = select(func.count()).select_from(incident_table).where(*self._where(incident_filter))
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def snapshot(self, incident_filter: IncidentFilter, order: SortOrder) -> array[int]:
        """The ids of the matching incidents in display order.

        Ties are broken by ascending id (the order of entry) in both directions, so the order is total and an
        export re-imported into an empty logbook exports again in the same order.
        """
        column = _SORT_COLUMNS[order.key]
        if order.key in _TEXT_SORT_KEYS:
            column = column.collate("NOCASE")  # type: ignore[assignment]
        query = select(column, I.id).where(*self._where(incident_filter))
        query = query.order_by(column.desc() if order.descending else column.asc(), I.id.asc())
        ids: array[int] = array("q")
        with self.engine.connect() as connection:
            result = connection.execute(query)
            if order.key is SortKey.COUNTRY:
                return _by_country_name(result, order.descending)
            for rows in iter(lambda: result.fetchmany(10_000), []):
                ids.extend(row[1] for row in rows)
        return ids

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """The table's columns (ROW_COLUMNS) for these ids, keyed by id."""
        query = select(*(I[name] for name in ROW_COLUMNS))
        rows: dict[int, tuple[Any, ...]] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(ids):
                for row in connection.execute(query.where(I.id.in_(chunk))):
                    rows[row[0]] = tuple(row)
        return rows

    def completions(self, field: str, limit: int = 2000) -> list[str]:
        """Earlier values of a free-text field, most used first, for the form's completers."""
        if field not in COMPLETION_FIELDS:
            raise ValueError(f"no completion for {field}")
        column = I[field]
        query = (
            select(column)
            .where(column.is_not(None), I.deleted_at.is_(None))
            .group_by(column)
            .order_by(func.count().desc(), column)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    # ---- summaries and exports --------------------------------------------------------------------------

    def summary(self, incident_filter: IncidentFilter) -> Summary:
        where = self._where(incident_filter)

        def casualty_columns(low: Column[Any], high: Column[Any]) -> list[ColumnElement[Any]]:
            return [
                func.coalesce(func.sum(low), 0),
                func.coalesce(func.sum(high), 0),
                func.count().filter(and_(low.is_not(None), high.is_(None))),
                func.count().filter(and_(low.is_(None), high.is_(None))),
            ]

        totals_query = select(
            func.count(),
            *casualty_columns(I.killed_min, I.killed_max),
            *casualty_columns(I.injured_min, I.injured_max),
        ).where(*where)
        by_country_query = select(I.country, func.count()).where(*where).group_by(I.country)
        by_outcome_query = select(I.outcome, func.count()).where(*where).group_by(I.outcome)
        with self.engine.connect() as connection:
            total, *figures = connection.execute(totals_query).one()
            countries = [(country_name(code), n) for code, n in connection.execute(by_country_query)]
            outcomes = empty_outcomes()
            outcomes.update({code: n for code, n in connection.execute(by_outcome_query)})
        countries.sort(key=lambda item: (-item[1], item[0]))
        killed_min, killed_max, killed_open, killed_unknown = figures[:4]
        injured_min, injured_max, injured_open, injured_unknown = figures[4:]
        return Summary(
            incidents=total,
            by_country=dict(countries),
            by_outcome=outcomes,
            killed=Casualties(killed_min, killed_max, bool(killed_open), killed_unknown),
            injured=Casualties(injured_min, injured_max, bool(injured_open), injured_unknown),
            date_from=incident_filter.date_from,
            date_to=incident_filter.date_to,
        )

    def export_records(self, ids: Sequence[int], page: int = PAGE) -> Generator[ExportRecord]:
        """Full incidents with their sources and tags, in the order of ``ids``, a page at a time; close() it to
        give its connection back early."""
        with self.engine.connect() as connection:
            for chunk in _chunks(ids, page):
                rows = {
                    row["id"]: row
                    for row in connection.execute(select(incident_table).where(I.id.in_(chunk))).mappings()
                }
                sources = self._sources(connection, chunk)
                tags = self._tags(connection, chunk)
                for incident_id in chunk:
                    if incident_id in rows:
                        yield ExportRecord(
                            dict(rows[incident_id]), sources.get(incident_id, []), tags.get(incident_id, [])
                        )

    # ---- bulk import ------------------------------------------------------------------------------------

    def existing_uids(self, uids: Iterable[str]) -> dict[str, int]:
        """uid -> id for those of ``uids`` already stored (trashed ones included)."""
        found: dict[str, int] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(list(uids)):
                found.update(self._ids_of(connection, chunk))
        return found

    def add_many(self, drafts: Iterable[IncidentDraft], batch: int = 20_000) -> int:
        """Add new incidents (uids not yet stored) in one transaction, fast: DB-API executemany in batches
        with ids assigned here, and the text index filled by one SQL statement per batch. Returns how many."""
        added = 0
        with self.engine.begin() as connection, _large_cache(connection), _indexes_built_after(connection):
            next_id = connection.execute(select(func.coalesce(func.max(I.id), 0))).scalar_one() + 1
            for chunk in _batched(drafts, batch):
                first_id, incidents, sources, tags = next_id, [], [], []
                now = utc_now()
                for draft in chunk:
                    incidents.append(_bulk_incident_row(next_id, draft, now))
                    sources += [
                        (next_id, position, s.name, s.kind, s.url, s.published.isoformat() if s.published else None)
                        for position, s in enumerate(draft.sources)
                    ]
                    tags += [(next_id, tag) for tag in sorted(set(draft.tags))]
                    next_id += 1
                connection.exec_driver_sql(_BULK_INCIDENT_SQL, incidents)
                if sources:
                    connection.exec_driver_sql(_BULK_SOURCE_SQL, sources)
                if tags:
                    connection.exec_driver_sql(_BULK_TAG_SQL, tags)
                if self.has_fts:
                    connection.exec_driver_sql(_BULK_FTS_SQL, (first_id, next_id - 1))
                added += len(incidents)
        return added

    def upsert_many(self, drafts: Iterable[IncidentDraft]) -> tuple[int, int]:
        """Store drafts in one transaction: a draft whose uid is stored updates that incident (and brings it
        back from the trash), any other is added. Returns (added, updated)."""
        added = updated = 0
        with self.engine.begin() as connection:
            for batch in _batched(drafts, PAGE):
                known = self._ids_of(connection, [d.uid for d in batch if d.uid])
                for draft in batch:
                    if draft.uid in known:
                        self._update(connection, known[draft.uid], draft, check_version=False)
                        updated += 1
                    else:
                        incident_id = self._insert(connection, draft)
                        if draft.uid:  # a later draft with the same uid updates this one, never a UNIQUE error
                            known[draft.uid] = incident_id
                        added += 1
        return added, updated

    # ---- internals --------------------------------------------------------------------------------------

    @staticmethod
    def _ids_of(connection: Connection, uids: Sequence[str]) -> dict[str, int]:
        return {uid: incident_id for uid, incident_id in connection.execute(select(I.uid, I.id).where(I.uid.in_(uids)))}

    def _insert(self, connection: Connection, draft: IncidentDraft) -> int:
        now = utc_now()
        values = {name: getattr(draft, name) for name in INCIDENT_FIELDS}
        values["uid"] = draft.uid or new_uid()
        values["created_at"] = draft.created_at or now
        values["updated_at"] = draft.updated_at or now
        values["version"] = 1
        primary_key = connection.execute(insert(incident_table).values(values)).inserted_primary_key
        assert primary_key is not None  # a single-row insert always reports its key
        incident_id = primary_key[0]
        self._write_children(connection, incident_id, draft)
        return int(incident_id)

    def _update(self, connection: Connection, incident_id: int, draft: IncidentDraft, check_version: bool) -> None:
        values = {name: getattr(draft, name) for name in INCIDENT_FIELDS if name not in ("uid", "created_at")}
        values["updated_at"] = draft.updated_at if not check_version and draft.updated_at else utc_now()
        values["version"] = I.version + 1
        values["deleted_at"] = None
        statement = update(incident_table).where(I.id == incident_id)
        if check_version:
            statement = statement.where(I.version == draft.version)
        if connection.execute(statement.values(values)).rowcount == 0:
            stored = connection.execute(select(I.version).where(I.id == incident_id)).scalar()
            if stored is None:
                raise MissingIncidentError(f"Incident {incident_id} is no longer in the logbook.")
            raise ConflictError(
                f"Incident {incident_id} was changed elsewhere since you opened it (version {stored}, "
                f"yours {draft.version}). Reopen it to see the other change."
            )
        connection.execute(delete(source_table).where(source_table.c.incident_id == incident_id))
        connection.execute(delete(tag_table).where(tag_table.c.incident_id == incident_id))
        self._write_children(connection, incident_id, draft)

    def _write_children(self, connection: Connection, incident_id: int, draft: IncidentDraft) -> None:
        if draft.sources:
            connection.execute(
                insert(source_table),
                [
                    {"incident_id": incident_id, "position": position, **dataclasses.asdict(source)}
                    for position, source in enumerate(draft.sources)
                ],
            )
        if draft.tags:
            connection.execute(
                insert(tag_table),
                [{"incident_id": incident_id, "tag": tag} for tag in sorted(set(draft.tags))],
            )
        if self.has_fts:
            self._unindex(connection, [incident_id])
            sources_text = " ".join(filter(None, (f"{s.name or ''} {s.url or ''}" for s in draft.sources)))
            connection.execute(
                text(
                    "INSERT INTO incident_fts(rowid, title, notes, location, perpetrator, target, sources) "
                    "VALUES (:id, :title, :notes, :location, :perpetrator, :target, :sources)"
                ),
                {
                    "id": incident_id,
                    **{name: getattr(draft, name) for name in FTS_COLUMNS},
                    "sources": sources_text,
                },
            )

    def _unindex(self, connection: Connection, ids: Sequence[int]) -> None:
        if self.has_fts:
            placeholders = ",".join("?" * len(ids))
            connection.exec_driver_sql(f"DELETE FROM incident_fts WHERE rowid IN ({placeholders})", tuple(ids))

    def _sources(self, connection: Connection, ids: Sequence[int]) -> dict[int, list[SourceDraft]]:
        s = source_table.c
        query = (
            select(s.incident_id, s.name, s.kind, s.url, s.published)
            .where(s.incident_id.in_(ids))
            .order_by(s.incident_id, s.position, s.id)
        )
        found: dict[int, list[SourceDraft]] = {}
        for incident_id, *fields in connection.execute(query):
            found.setdefault(incident_id, []).append(SourceDraft(*fields))
        return found

    def _tags(self, connection: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
        t = tag_table.c
        query = select(t.incident_id, t.tag).where(t.incident_id.in_(ids)).order_by(t.incident_id, t.tag)
        found: dict[int, list[str]] = {}
        for incident_id, tag in connection.execute(query):
            found.setdefault(incident_id, []).append(tag)
        return found

    def _where(self, incident_filter: IncidentFilter | None) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [I.deleted_at.is_(None)]
        if incident_filter is None:
            return clauses
        f = incident_filter
        if f.date_from:
            clauses.append(func.coalesce(I.date_end, I.date_start) >= f.date_from)
        if f.date_to:
            clauses.append(I.date_start <= f.date_to)
        for filtered, values in (
            (I.country, f.countries),
            (I.event_type, f.event_types),
            (I.outcome, f.outcomes),
            (I.verification, f.verifications),
        ):
            if values:
                clauses.append(filtered.in_(values))
        if f.search.strip():
            clauses.append(self._text_match(f.search))
        return clauses

    def _text_match(self, search: str) -> ColumnElement[bool]:
        """Every word must appear (as a word prefix) in the title, notes, location, perpetrator, target or
        a source's name or URL: FTS5 where SQLite has it, LIKE elsewhere."""
        words = search.replace("\x00", " ").split()  # a NUL ends the FTS5 query string early: a syntax error
        # A word with no letter or digit ("-", "*", "%") has no token for FTS5 and would match nothing at all;
        # FTS5 leaves it out, and a search of only such words goes through LIKE.
        fts_words = [word for word in words if any(ch.isalnum() for ch in word)]
        if self.has_fts and fts_words:
            query = " ".join('"' + word.replace('"', '""') + '"*' for word in fts_words)
            return I.id.in_(select(_fts.c.rowid).where(_fts.c.incident_fts.op("MATCH")(query)))
        s = source_table.c
        conditions = []
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            columns = [I[name].ilike(pattern, escape="\\") for name in FTS_COLUMNS]
            in_sources = exists().where(
                s.incident_id == I.id,
                or_(s.name.ilike(pattern, escape="\\"), s.url.ilike(pattern, escape="\\")),
            )
            conditions.append(or_(*columns, in_sources))
        return and_(literal(True), *conditions)


def _by_country_name(result: Any, descending: bool) -> array[int]:
    """Countries are stored as codes but read by name: regroup the (code, id) rows, already ordered by
    code through the index, into the order of the names."""
    groups: dict[str, array[int]] = {}
    for rows in iter(lambda: result.fetchmany(10_000), []):
        for code, incident_id in rows:
            group = groups.get(code)
            if group is None:
                group = groups[code] = array("q")
            group.append(incident_id)
    rank = country_rank()
    ids: array[int] = array("q")
    for code in sorted(groups, key=lambda c: rank.get(c, len(rank)), reverse=descending):
        ids.extend(groups[code])
    return ids


BULK_CACHE_KIB = 256 * 1024
_BULK_COLUMNS = ("id", *INCIDENT_FIELDS, "version")
_draft_fields = operator.attrgetter(*INCIDENT_FIELDS)
_DATE_POSITIONS = tuple(INCIDENT_FIELDS.index(name) for name in ("date_start", "date_end"))
_UID, _CREATED, _UPDATED = (INCIDENT_FIELDS.index(name) for name in ("uid", "created_at", "updated_at"))
_BULK_INCIDENT_SQL = f"INSERT INTO incident ({', '.join(_BULK_COLUMNS)}) VALUES ({', '.join('?' * len(_BULK_COLUMNS))})"
_BULK_SOURCE_SQL = "INSERT INTO source (incident_id, position, name, kind, url, published) VALUES (?, ?, ?, ?, ?, ?)"
_BULK_TAG_SQL = "INSERT INTO incident_tag (incident_id, tag) VALUES (?, ?)"
_BULK_FTS_SQL = (
    "INSERT INTO incident_fts (rowid, title, notes, location, perpetrator, target, sources) "
    "SELECT i.id, i.title, i.notes, i.location, i.perpetrator, i.target, "
    "(SELECT group_concat(coalesce(s.name, '') || ' ' || coalesce(s.url, ''), ' ') FROM source s "
    "WHERE s.incident_id = i.id) FROM incident i WHERE i.id BETWEEN ? AND ?"
)


@contextmanager
def _large_cache(connection: Connection) -> Iterator[None]:
    """A bigger page cache while a bulk write updates the indexes in random order (SQLite's default of
    2 MB makes each index insert a disk read at a million rows); the usual size comes back afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(usual or -2000)}")


@contextmanager
def _indexes_built_after(connection: Connection) -> Iterator[None]:
    """Into an empty SQLite logbook, drop the incident table's sort and filter indexes and build them again once
    the rows are in: one sort per index instead of a million random inserts into each. Same transaction, same
    definitions (read back from sqlite_master), so a failure leaves the indexes exactly as they were. The
    source and tag indexes stay: the text index is filled by looking sources up per incident."""
    empty = connection.execute(select(I.id).limit(1)).first() is None
    if connection.dialect.name != "sqlite" or not empty:
        yield
        return
    definitions = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name = 'incident'"
    ).all()
    for name, _sql in definitions:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in definitions:
        connection.exec_driver_sql(sql)


def _bulk_incident_row(incident_id: int, draft: IncidentDraft, now: str) -> tuple[Any, ...]:
    """A draft as the DB-API row of _BULK_INCIDENT_SQL (dates as ISO text, as SQLAlchemy stores them)."""
    values = list(_draft_fields(draft))
    for position in _DATE_POSITIONS:
        if values[position] is not None:
            values[position] = values[position].isoformat()
    values[_UID] = values[_UID] or new_uid()
    values[_CREATED] = values[_CREATED] or now
    values[_UPDATED] = values[_UPDATED] or now
    return (incident_id, *values, 1)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """itertools.batched, which arrived only in Python 3.12."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _chunks(ids: Sequence[Any], size: int = PAGE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
