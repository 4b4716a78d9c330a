"""The repository: every query the app makes lives here.

Reads for the table and exports go through SQLAlchemy Core in pages (SQLModel objects are several times
slower at scale); single edits use the same Core statements so that sources, tags and the text index are
always written together, in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import itertools
import operator
import sqlite3
import threading
from array import array
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.sql import CompoundSelect, Select, column, table

from logbook.domain.countries import country_rank
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.history import (
    FieldChange,
    HistoryAction,
    HistoryEntry,
    Texts,
    changes_between,
    decode_changes,
    draft_texts,
    encode_changes,
    field_texts,
    version_after,
    with_texts,
)
from logbook.domain.models import ImportRun, Incident, IncidentHistory, IncidentTag, Source
from logbook.domain.record import (
    COMPLETION_FIELDS,
    INCIDENT_FIELDS,
    DuplicateKey,
    IncidentDraft,
    SourceDraft,
    duplicate_key,
    new_uid,
    utc_now,
)
from logbook.domain.summary import Summary, Tallies, summarise
from logbook.store.changes import ChangeProbe
from logbook.store.engine import INDEXED_BY, INTERACTIVE_BUSY_MS, WRITE
from logbook.store.errors import ConflictError, MissingIncidentError
from logbook.store.rows import ROW_COLUMNS, SORT_COLUMN_NAMES, TEXT_SORT_KEYS

incident_table = Incident.__table__  # type: ignore[attr-defined]
source_table = Source.__table__  # type: ignore[attr-defined]
tag_table = IncidentTag.__table__  # type: ignore[attr-defined]
import_table = ImportRun.__table__  # type: ignore[attr-defined]
history_table = IncidentHistory.__table__  # type: ignore[attr-defined]
I = incident_table.c  # noqa: E741 - short alias for the many column references below

_SORT_COLUMNS: dict[SortKey, Column[Any]] = {key: I[name] for key, name in SORT_COLUMN_NAMES.items()}
FTS_COLUMNS = ("title", "notes", "location", "perpetrator", "target")
COMPLETION_WINDOW = 50_000  # incidents, the latest, whose values the form's completers offer
_fts = table("incident_fts", column("rowid"), column("incident_fts"))
PAGE = 500  # ids per IN (...) query: well under SQLite's variable limit
DUPLICATE_KEYS = 100  # keys per possible_duplicates query, three parameters each
UPSERT_BATCH = 5_000  # drafts upsert_many holds at once: 20,000 held 100 MB more for no clear gain in time
# Matches from which a filter is tested row by row along another index rather than used to find the rows
# (see Repository._broad): for a first page, along the sort index; for the summary, its covering index.
BROAD_FIRST_PAGE = 20_000
BROAD_SUMMARY = 100_000
TEXT_BATCH = 2_000  # ids of the sort order per look-up in the text index (see Repository._first_text_matches)
TEXT_SPREAD = 50  # a batch whose ids span more than this many times its size is left to the usual query


@dataclasses.dataclass(frozen=True)
class TrashEntry:
    id: int
    date_start: dt.date
    country: str
    title: str | None
    deleted_at: str


@dataclasses.dataclass
class ImportLog:
    """An import's line in the history, written in the import's own transaction: the importer counts the rows it
    rejects, skips and warns about while they stream through upsert_many, which fills in the rest."""

    file_name: str
    mapping: str | None = None  # the preset's name for a mapped import
    rejected: int = 0
    skipped: int = 0
    warned: int = 0
    added: int = 0
    updated: int = 0
    id: int | None = None
    imported_at: str | None = None


@dataclasses.dataclass(frozen=True)
class ImportEntry:
    """One import of the history; ``live`` counts the incidents it added that are still in the log."""

    id: int
    file_name: str
    mapping: str | None
    imported_at: str
    added: int
    updated: int
    rejected: int
    skipped: int
    warned: int
    live: int


@dataclasses.dataclass(frozen=True)
class ExportRecord:
    values: dict[str, Any]
    sources: list[SourceDraft]
    tags: list[str]


# An incident as a change sees it: its version, whether it is in the trash, and its values as history text.
_State = tuple[int, bool, Texts]


class Repository:
    def __init__(self, engine: Engine, user: str | None = None) -> None:
        """``user`` names who makes the changes in the history; by default the operating-system user for a
        SQLite file, the database user on a server."""
        self.engine = engine
        self.has_fts = engine.dialect.name == "sqlite" and self._table_exists("incident_fts")
        # a logbook at an older schema (open read-only, or being built by a migration test) has no history table
        self.has_history = engine.dialect.name != "sqlite" or self._table_exists("incident_history")
        self._user = user
        self._made: dict[int, HistoryEntry] = {}  # see take_change
        self._writer = engine.execution_options(**{WRITE: True})  # write transactions begin IMMEDIATE
        self._probe: ChangeProbe | None = None
        # The thread whose writes the user waits for (the window's, which sets it): on a logbook another program
        # is writing to, they give up after INTERACTIVE_BUSY_MS rather than freeze the window for BUSY_TIMEOUT_MS.
        self.interactive_thread: int | None = None

    @property
    def target(self) -> str:
        """What open_logbook opens this logbook again from, in another process: the SQLite file's path, or the
        server's URL with its password."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database:
            return url.database
        return url.render_as_string(hide_password=False)

    @property
    def user(self) -> str:
        if self._user is None:
            self._user = _system_user() if self.engine.dialect.name == "sqlite" else self._database_user()
        return self._user

    def _database_user(self) -> str:
        try:
            with self.engine.connect() as connection:
                return str(connection.execute(select(func.current_user())).scalar_one())
        except Exception:  # a database without CURRENT_USER: the person at this computer, then
            return _system_user()

    def watch(self) -> ChangeProbe | None:
        """A probe telling when another connection has committed (a window polls it to show others' changes);
        writes from this thread then go through the probe's connection, so they are not reported. None on a
        server database, which is not watched. A second call replaces (and closes) the first probe."""
        if self._probe is not None:
            self._probe.close()
        self._probe = ChangeProbe(self.engine) if self.engine.dialect.name == "sqlite" else None
        return self._probe

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction: BEGIN IMMEDIATE on SQLite, so it waits for the write lock up to the busy timeout
        before it reads anything (a deferred one that read first fails at once when another connection wrote
        meanwhile), and on the watching probe's connection in the probe's thread. In interactive_thread the
        wait is INTERACTIVE_BUSY_MS."""
        probe = self._probe
        wait = INTERACTIVE_BUSY_MS if self.interactive_thread == threading.get_ident() else None
        if probe is not None and probe.connection is not None and probe.serves_this_thread():
            with _waiting_at_most(probe.connection, wait), probe.connection.begin():
                yield probe.connection
        else:
            with self._writer.connect() as connection, _waiting_at_most(connection, wait), connection.begin():
                yield connection

    def _table_exists(self, name: str) -> bool:
        with self.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).first() is not None

    # ---- single incidents -------------------------------------------------------------------------------

    def add(self, draft: IncidentDraft) -> int:
        """Store a new incident; returns its id."""
        with self._write() as connection:
            incident_id = self._insert(connection, draft)
            created = changes_between({}, draft_texts(draft))
            entry = self._record_one(connection, self._entry_row(incident_id, HistoryAction.CREATED, 1, created))
        self._remember(incident_id, entry)
        return incident_id

    def update(self, incident_id: int, draft: IncidentDraft) -> None:
        """Replace an incident's fields, sources and tags.

        ``draft.version`` must be the version that was read; if someone saved in between, ConflictError.
        """
        entry = None
        with self._write() as connection:
            for row in self._update(connection, incident_id, draft, check_version=True):
                entry = self._record_one(connection, row)
        self._remember(incident_id, entry if entry is not None and entry.action is HistoryAction.EDITED else None)

    def take_change(self, incident_id: int) -> HistoryEntry | None:
        """The change the last add() or update() of this incident through this Repository made (None when that
        changed nothing), once: the window's undo step for a save, never someone else's change."""
        return self._made.pop(incident_id, None)

    def _remember(self, incident_id: int, entry: HistoryEntry | None) -> None:
        if entry is None:
            self._made.pop(incident_id, None)
        else:
            self._made[incident_id] = entry

    def get(self, incident_id: int) -> IncidentDraft:
        with self.engine.connect() as connection:
            return self._get(connection, incident_id)

    def _get(self, connection: Connection, incident_id: int) -> IncidentDraft:
        row = connection.execute(select(incident_table).where(I.id == incident_id)).mappings().first()
        if row is None:
            raise MissingIncidentError(f"Incident {incident_id} is no longer in the logbook.")
        draft = IncidentDraft(**{name: row[name] for name in INCIDENT_FIELDS}, version=row["version"])
        draft.sources = self._sources(connection, [incident_id]).get(incident_id, [])
        draft.tags = self._tags(connection, [incident_id]).get(incident_id, [])
        return draft

    def delete(self, ids: Sequence[int]) -> int:
        """Move incidents to the trash; restore() brings them back. Returns how many moved (not those already
        in the trash, or gone)."""
        with self._write() as connection:
            return self._set_trashed(connection, [I.id.in_(chunk) for chunk in _chunks(ids)], trashed=True)

    def restore(self, ids: Sequence[int]) -> int:
        """Bring incidents back from the trash; returns how many came back."""
        with self._write() as connection:
            return self._set_trashed(connection, [I.id.in_(chunk) for chunk in _chunks(ids)], trashed=False)

    def purge(self, ids: Sequence[int]) -> int:
        """Remove trashed incidents for good (sources and tags go with them); the history keeps their last
        values. Returns how many."""
        purged = 0
        with self._write() as connection:
            for chunk in _chunks(ids):
                states = self._states(connection, chunk)
                trashed = {incident_id: texts for incident_id, (_, in_trash, texts) in states.items() if in_trash}
                self._record(
                    connection,
                    [
                        self._entry_row(incident_id, HistoryAction.PURGED, None, changes_between(texts, {}))
                        for incident_id, texts in trashed.items()
                    ],
                )
                self._unindex(connection, list(trashed))
                purged += connection.execute(
                    delete(incident_table).where(I.id.in_(list(trashed)), I.deleted_at.is_not(None))
                ).rowcount
        return purged

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
        where = self._where(incident_filter)
        with self.engine.connect() as connection:
            if order.key is SortKey.COUNTRY:
                return _by_country_name(connection, where, order.descending)
            return _ids(connection, select(I.id).where(*where).order_by(*_order_by(order)))

    def first_rows(self, incident_filter: IncidentFilter, order: SortOrder, limit: int) -> list[tuple[Any, ...]]:
        """The first ``limit`` rows (ROW_COLUMNS) in snapshot() order: a LIMIT query on the sort index, so the
        table shows them at once while the snapshot of every id is still being read."""
        with self.engine.connect() as connection:
            broad = self._broad(connection, incident_filter, BROAD_FIRST_PAGE)
            fts_query = self._fts_query(incident_filter.search) if broad and order.key is not SortKey.COUNTRY else None
            ids = self._first_text_matches(connection, incident_filter, fts_query, order, limit) if fts_query else None
            if ids is None:
                where = self._where(incident_filter, broad=broad)
                if order.key is SortKey.COUNTRY:
                    ids = _first_by_country_name(connection, where, order.descending, limit, broad)
                else:
                    query = select(I.id).where(*where).order_by(*_order_by(order)).limit(limit)
                    if broad:
                        query = query.execution_options(**{INDEXED_BY: _sort_index(order.key)})
                    ids = _ids(connection, query)
            rows = _rows(connection, ids)
        return [rows[incident_id] for incident_id in ids if incident_id in rows]

    def _first_text_matches(
        self, connection: Connection, incident_filter: IncidentFilter, fts_query: str, order: SortOrder, limit: int
    ) -> array[int] | None:
        """The first ``limit`` ids in ``order`` of a broad text search: the sort index read a batch at a time, and
        each batch's matches asked of the text index within the batch's id range, which FTS5 seeks in its lists.
        Without this, the first page waits for the list of every match (a million ids, 0.1 s). A log kept as
        things happen has a date-sorted batch's ids close together; None when a batch's ids are spread too
        widely for the look-up to pay (another sort column, say), and the usual query runs instead."""
        matches = _text_matches(fts_query)
        others = self._where(dataclasses.replace(incident_filter, search=""), broad=True)
        candidates = select(I.id).where(*others).order_by(*_order_by(order)).limit(TEXT_BATCH)
        candidates = candidates.execution_options(**{INDEXED_BY: _sort_index(order.key)})
        found: array[int] = array("q")
        for offset in itertools.count(0, TEXT_BATCH):
            batch = _ids(connection, candidates.offset(offset))
            if not batch:
                break
            low, high = min(batch), max(batch)
            if high - low > TEXT_SPREAD * len(batch):
                return None
            matching = set(connection.execute(matches.where(_fts.c.rowid.between(low, high))).scalars())
            found.extend(incident_id for incident_id in batch if incident_id in matching)
            if len(found) >= limit:
                break
        return found[:limit]

    def placement(
        self, incident_filter: IncidentFilter, order: SortOrder, ids: Sequence[int], incident_id: int,
        old_position: int | None,
    ) -> tuple[tuple[Any, ...] | None, int]:  # fmt: skip
        """Where a just-saved incident goes in ``ids``, a snapshot taken before it was saved: its row (None when
        the filter hides it) and the position to insert it at once its old place, if it had one, is emptied.

        A binary search that asks the database about twenty "which of these two comes first" questions,
        instead of a new snapshot of a million ids."""
        with self.engine.connect() as connection:
            if connection.execute(select(I.id).where(*self._where(incident_filter, only=incident_id))).first() is None:
                return None, 0
            row = _rows(connection, [incident_id])[incident_id]
            shift = 0 if old_position is None else 1
            low, high = 0, len(ids) - shift
            while low < high:
                middle = (low + high) // 2
                other = ids[middle + shift if old_position is not None and middle >= old_position else middle]
                if _sorts_before(connection, order, other, incident_id):
                    low = middle + 1
                else:
                    high = middle
        return row, low

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """The table's columns (ROW_COLUMNS) for these ids, keyed by id."""
        with self.engine.connect() as connection:
            return _rows(connection, ids)

    def completions(self, field: str, limit: int = 2000) -> list[str]:
        """Earlier values of a free-text field, most used first, for the form's completers: from the latest
        COMPLETION_WINDOW incidents (a range of ids), so a million-incident logbook costs what a small one does
        and the values in use lately come first."""
        if field not in COMPLETION_FIELDS:
            raise ValueError(f"no completion for {field}")
        column = I[field]
        latest = select(func.max(I.id)).scalar_subquery() - COMPLETION_WINDOW
        query = (
            select(column)
            .where(I.id > latest, column.is_not(None), I.deleted_at.is_(None))
            .group_by(column)
            .order_by(func.count().desc(), column)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    # ---- summaries and exports --------------------------------------------------------------------------

    def summary(self, incident_filter: IncidentFilter) -> Summary:
        return summarise(self.tallies(incident_filter), incident_filter.date_from, incident_filter.date_to)

    def tallies(self, incident_filter: IncidentFilter) -> Tallies:
        """The summary's figures per country and outcome, in one pass over the summary's covering index: the
        window keeps them and adjusts them by one incident after an edit instead of reading them again."""

        def casualty_columns(low: Column[Any], high: Column[Any]) -> list[ColumnElement[Any]]:
            return [
                func.coalesce(func.sum(low), 0),
                func.coalesce(func.sum(high), 0),
                func.count().filter(and_(low.is_not(None), high.is_(None))),
                func.count().filter(and_(low.is_(None), high.is_(None))),
            ]

        with self.engine.connect() as connection:
            # a text search is not in the covering index: it costs less from the matches' own rows
            searching = bool(incident_filter.search.strip())
            broad = not searching and self._broad(connection, incident_filter, BROAD_SUMMARY)
            query = (
                select(
                    I.country,
                    I.outcome,
                    func.count(),
                    *casualty_columns(I.killed_min, I.killed_max),
                    *casualty_columns(I.injured_min, I.injured_max),
                )
                .where(*self._where(incident_filter, broad=broad))
                .group_by(I.country, I.outcome)
            )
            if broad:
                query = query.execution_options(**{INDEXED_BY: "ix_incident_figures"})
            return {(country, outcome): tuple(figures) for country, outcome, *figures in connection.execute(query)}

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
        with self._write() as connection, _large_cache(connection), _indexes_built_after(connection):
            next_id = _next_id(connection)
            for chunk in _batched(drafts, batch):
                next_id = self._add_batch(connection, chunk, next_id)
                added += len(chunk)
        return added

    def upsert_many(
        self, drafts: Iterable[IncidentDraft], batch: int = UPSERT_BATCH, log: ImportLog | None = None
    ) -> tuple[int, int]:
        """Store drafts in one transaction: a draft whose uid is stored updates that incident (and brings it
        back from the trash), any other is added as add_many adds them. Returns (added, updated).

        With ``log``, the same transaction records the import in the history (its counts as they stand once
        ``drafts`` is exhausted) and marks every incident it adds with the import's id."""
        added = updated = 0
        with self._write() as connection, _large_cache(connection), ExitStack() as indexes:
            import_id = self._start_import(connection, log) if log is not None else None
            next_id = _next_id(connection)
            for number, chunk in enumerate(_batched(drafts, batch)):
                if number == 0 and len(chunk) == batch:  # a large import: worth building the indexes after it
                    indexes.enter_context(_indexes_built_after(connection))
                known: dict[str, int] = {}
                for uids in _chunks([d.uid for d in chunk if d.uid]):
                    known.update(self._ids_of(connection, uids))
                new, changed = [], []
                for draft in chunk:
                    if draft.uid in known:
                        changed.append(draft)
                    else:
                        new.append(draft)
                        if draft.uid:  # a later draft with the same uid updates this one, never a UNIQUE error
                            known[draft.uid] = next_id + len(new) - 1
                next_id = self._add_batch(connection, new, next_id, import_id)
                # after the batch is in: a change may be to an incident added by it
                states = self._states(connection, sorted({known[draft.uid] for draft in changed}))
                entries: list[dict[str, Any]] = []
                for draft in changed:
                    entries += self._update(connection, known[draft.uid], draft, False, states, import_id)
                self._record(connection, entries)
                added, updated = added + len(new), updated + len(changed)
            if log is not None:
                log.added, log.updated = added, updated
                counts = {name: getattr(log, name) for name in ("added", "updated", "rejected", "skipped", "warned")}
                connection.execute(update(import_table).where(import_table.c.id == import_id).values(counts))
        return added, updated

    def possible_duplicates(self, keys: Iterable[DuplicateKey]) -> dict[DuplicateKey, list[int]]:
        """Live incidents with the same start date, country, location (case and spacing aside) and weapon as
        each of ``keys`` (see record.duplicate_key): key -> their ids, for the keys that have any."""
        wanted = set(keys)
        found: dict[DuplicateKey, list[int]] = {}
        # Date, country and weapon matched in SQL (_duplicates_sql); the location, case and spacing aside, here.
        triples = sorted(
            {(date.isoformat(), country, weapon) for date, country, _location, weapon in wanted if date and country}
        )
        with self.engine.connect() as connection:
            for chunk in _chunks(triples, DUPLICATE_KEYS):
                parameters = tuple(value for triple in chunk for value in triple)
                for incident_id, day, *fields in connection.exec_driver_sql(_duplicates_sql(len(chunk)), parameters):
                    key = duplicate_key(dt.date.fromisoformat(day), *fields)
                    if key in wanted:
                        found.setdefault(key, []).append(incident_id)
        return found

    # ---- import history ---------------------------------------------------------------------------------

    def imports(self) -> list[ImportEntry]:
        """Every recorded import, newest first."""
        live = (
            select(func.count())
            .where(I.import_id == import_table.c.id, I.deleted_at.is_(None))
            .scalar_subquery()
            .label("live")
        )
        query = select(*import_table.c, live).order_by(import_table.c.imported_at.desc(), import_table.c.id.desc())
        with self.engine.connect() as connection:
            return [ImportEntry(**row) for row in connection.execute(query).mappings()]

    def remove_import(self, import_id: int) -> int:
        """Move the incidents an import added to the trash (restore() or restore_import() brings them back);
        the history keeps the import. Incidents it only updated keep their update. Returns how many moved."""
        with self._write() as connection:
            return self._set_trashed(connection, [I.import_id == import_id], trashed=True, import_id=import_id)

    def restore_import(self, import_id: int) -> int:
        """Bring back from the trash the incidents an import added; returns how many."""
        with self._write() as connection:
            return self._set_trashed(connection, [I.import_id == import_id], trashed=False, import_id=import_id)

    # ---- change history ---------------------------------------------------------------------------------

    def history(self, incident_id: int) -> list[HistoryEntry]:
        """Every recorded change to an incident, oldest first (kept after it is deleted for good)."""
        with self.engine.connect() as connection:
            return self._history(connection, incident_id)

    def last_change(self, incident_id: int) -> HistoryEntry | None:
        """The incident's latest recorded change."""
        with self.engine.connect() as connection:
            entries = self._history(connection, incident_id, latest=True)
        return entries[0] if entries else None

    def restore_version(self, incident_id: int, entry: HistoryEntry) -> HistoryEntry | None:
        """Bring back the values the incident had right after ``entry`` (one of its history()), recorded as a
        change of its own; returns that change, or None when the incident has those values now."""
        with self._write() as connection:
            states = self._states(connection, [incident_id])
            if incident_id not in states:
                raise MissingIncidentError(f"Incident {incident_id} is no longer in the logbook.")
            later = [each for each in self._history(connection, incident_id) if each.id > entry.id]
            target = version_after(states[incident_id][2], later)
            return self._set_fields(
                connection, incident_id, target, states, HistoryAction.REVERTED, reverted_to=entry.version
            )

    def set_fields(
        self, incident_id: int, texts: Mapping[str, str | None], expected: Mapping[str, str | None] | None = None
    ) -> HistoryEntry | None:
        """Set some fields of an incident to values in the history's text form (an edit's old values to undo
        it, its new ones to redo it), recorded as an edit. With ``expected``, the values those fields must have
        now: ConflictError when one has another (someone changed it since). Returns the change, None when none."""
        with self._write() as connection:
            states = self._states(connection, [incident_id])
            return self._set_fields(connection, incident_id, texts, states, HistoryAction.EDITED, expected=expected)

    def _set_fields(
        self, connection: Connection, incident_id: int, texts: Mapping[str, str | None], states: dict[int, _State],
        action: HistoryAction, expected: Mapping[str, str | None] | None = None, reverted_to: int | None = None,
    ) -> HistoryEntry | None:  # fmt: skip
        if incident_id not in states:
            raise MissingIncidentError(f"Incident {incident_id} is no longer in the logbook.")
        _version, _trashed, current = states[incident_id]
        changed = [name for name, text in (expected or {}).items() if current.get(name) != text]
        if changed:
            raise ConflictError(
                f"Incident {incident_id} was changed elsewhere since (its {', '.join(changed)} now differ)."
            )
        draft = with_texts(self._get(connection, incident_id), texts)
        if draft_texts(draft) == current:
            return None
        rows = self._update(connection, incident_id, draft, True, states, None, False, action, reverted_to)
        return self._record_one(connection, rows[0])

    def _history(self, connection: Connection, incident_id: int, latest: bool = False) -> list[HistoryEntry]:
        if not self.has_history:
            return []
        h = history_table.c
        query = (
            select(history_table, import_table.c.file_name)
            .outerjoin(import_table, import_table.c.id == h.import_id)
            .where(h.incident_id == incident_id)
        )
        query = query.order_by(h.id.desc()).limit(1) if latest else query.order_by(h.id)
        return [_history_entry(row) for row in connection.execute(query).mappings()]

    def _entry_row(
        self, incident_id: int, action: HistoryAction, version: int | None, changes: Sequence[FieldChange] = (),
        import_id: int | None = None, reverted_to: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return {
            "incident_id": incident_id, "changed_at": utc_now(), "changed_by": self.user, "action": action.value,
            "version": version, "changes": encode_changes(changes), "import_id": import_id, "reverted_to": reverted_to,
        }  # fmt: skip

    def _record(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
        if rows and self.has_history:
            connection.execute(insert(history_table), list(rows))

    def _record_one(self, connection: Connection, row: dict[str, Any]) -> HistoryEntry | None:
        if not self.has_history:
            return None
        primary_key = connection.execute(insert(history_table).values(row)).inserted_primary_key
        assert primary_key is not None  # a single-row insert always reports its key
        return _history_entry({**row, "id": int(primary_key[0]), "file_name": None})

    def _record_each(
        self, connection: Connection, where: Sequence[ColumnElement[bool]], action: HistoryAction, now: str,
        import_id: int | None = None,
    ) -> None:  # fmt: skip
        """One history row (no field changes) for each incident ``where`` picks, in one INSERT … SELECT: a bulk
        change records its history without a row of Python per incident."""
        if not self.has_history:
            return
        rows = select(
            I.id, I.version, literal(now), literal(self.user), literal(action.value), literal(import_id, Integer)
        ).where(*where)
        h = history_table.c
        columns = [h.incident_id, h.version, h.changed_at, h.changed_by, h.action, h.import_id]
        connection.execute(insert(history_table).from_select(columns, rows))

    def _set_trashed(
        self, connection: Connection, wheres: Sequence[ColumnElement[bool]], trashed: bool, import_id: int | None = None
    ) -> int:
        """Move the incidents each of ``wheres`` picks to the trash (or back), each move recorded; how many."""
        action = HistoryAction.DELETED if trashed else HistoryAction.RESTORED
        in_place = I.deleted_at.is_(None) if trashed else I.deleted_at.is_not(None)
        now, moved = utc_now(), 0
        for where in wheres:
            self._record_each(connection, [where, in_place], action, now, import_id)
            moved += connection.execute(
                update(incident_table).where(where, in_place).values(deleted_at=now if trashed else None)
            ).rowcount
        return moved

    def _states(self, connection: Connection, ids: Sequence[int]) -> dict[int, _State]:
        """Each stored incident's version, whether it is in the trash, and its values as history text."""
        states: dict[int, _State] = {}
        for chunk in _chunks(ids):
            rows = connection.execute(select(incident_table).where(I.id.in_(chunk))).mappings().all()
            if not rows:
                continue
            sources, tags = self._sources(connection, chunk), self._tags(connection, chunk)
            for row in rows:
                incident_id = row["id"]
                texts = field_texts(row, sources.get(incident_id, []), tags.get(incident_id, []))
                states[incident_id] = (row["version"], row["deleted_at"] is not None, texts)
        return states

    # ---- internals --------------------------------------------------------------------------------------

    def _add_batch(
        self, connection: Connection, drafts: Sequence[IncidentDraft], next_id: int, import_id: int | None = None
    ) -> int:
        """Insert new incidents with ids from ``next_id`` on (DB-API executemany, then the text index of the
        whole id range in one statement), marked as added by ``import_id``; returns the next free id."""
        if not drafts:
            return next_id
        first_id, incidents, sources, tags = next_id, [], [], []
        now = utc_now()
        for draft in drafts:
            incidents.append(_bulk_incident_row(next_id, draft, now, import_id))
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
            connection.exec_driver_sql(BULK_FTS_SQL, (first_id, next_id - 1))
        self._record_each(connection, [I.id.between(first_id, next_id - 1)], HistoryAction.CREATED, now, import_id)
        return next_id

    @staticmethod
    def _start_import(connection: Connection, log: ImportLog) -> int:
        log.imported_at = utc_now()
        values = {"file_name": log.file_name, "mapping": log.mapping, "imported_at": log.imported_at}
        primary_key = connection.execute(insert(import_table).values(values)).inserted_primary_key
        assert primary_key is not None  # a single-row insert always reports its key
        log.id = int(primary_key[0])
        return log.id

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

    def _update(
        self, connection: Connection, incident_id: int, draft: IncidentDraft, check_version: bool,
        states: dict[int, _State] | None = None, import_id: int | None = None, restore: bool = True,
        action: HistoryAction = HistoryAction.EDITED, reverted_to: int | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Write ``draft`` over the incident (and, with ``restore``, bring it back from the trash); returns the
        history rows of the change for the caller to record. ``states`` holds the incident's state before (read
        here when not given) and is brought up to date, for a later update of the same incident."""
        if states is None:
            states = self._states(connection, [incident_id])
        self._unindex(connection, [incident_id])  # while the index can still read the text it holds
        values = {name: getattr(draft, name) for name in INCIDENT_FIELDS if name not in ("uid", "created_at")}
        values["updated_at"] = draft.updated_at if not check_version and draft.updated_at else utc_now()
        values["version"] = I.version + 1
        if restore:
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
        version, trashed, old = states[incident_id]
        new = draft_texts(draft)
        states[incident_id] = (version + 1, trashed and not restore, new)
        rows = []
        if trashed and restore:
            rows.append(self._entry_row(incident_id, HistoryAction.RESTORED, version, import_id=import_id))
        changes = changes_between(old, new)
        if changes:
            rows.append(self._entry_row(incident_id, action, version + 1, changes, import_id, reverted_to))
        return rows

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
            connection.exec_driver_sql(f"{_INDEX_TEXT_SQL} WHERE id = ?", (incident_id,))

    def _unindex(self, connection: Connection, ids: Sequence[int]) -> None:
        """Take incidents out of the text index. The index keeps no copy of the text (see migration 0005): it
        reads what to remove from incident_text, so this must come before their rows or sources change."""
        if self.has_fts and ids:
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

    def _where(
        self, incident_filter: IncidentFilter | None, only: int | None = None, broad: bool = False
    ) -> list[ColumnElement[bool]]:
        """The filter as SQL conditions; with ``only``, for that one incident (a cheaper text search); ``broad``
        when they are tested row by row along another index (see _broad), not used to find the rows."""
        clauses: list[ColumnElement[bool]] = [I.deleted_at.is_(None)]
        if only is not None:
            clauses.append(I.id == only)
        if incident_filter is None:
            return clauses
        f = incident_filter
        if f.date_from and broad:
            clauses.append(func.coalesce(I.date_end, I.date_start) >= f.date_from)
        elif f.date_from:
            clauses.append(I.id.in_(_reaching(f.date_from, f.date_to)))
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
            clauses.append(self._text_match(f.search, only))
        return clauses

    def _broad(self, connection: Connection, incident_filter: IncidentFilter, at_least: int) -> bool:
        """Whether every part of the filter matches at least ``at_least`` incidents (each counted, up to that
        many, through its own index).

        Without statistics SQLite's planner starts from a filter's index whenever it has one, then sorts (or
        looks up) every match: right for a narrow filter, seconds for one that matches most of a million
        incidents. A broad filter is read the other way: along the sort index (or the summary's covering
        index), testing each entry, so the first page is found after a few thousand."""
        f = incident_filter
        parts: list[Select[Any] | CompoundSelect[Any]] = [
            select(I.id).where(I.deleted_at.is_(None), column.in_(values))
            for column, values in ((I.country, f.countries), (I.event_type, f.event_types),
                                   (I.outcome, f.outcomes), (I.verification, f.verifications))
            if values
        ]  # fmt: skip
        if f.date_from:
            parts.append(_reaching(f.date_from, f.date_to))
        elif f.date_to:
            parts.append(select(I.id).where(I.deleted_at.is_(None), I.date_start <= f.date_to))
        fts_query = self._fts_query(f.search) if f.search.strip() else None
        if fts_query is not None:  # counted in the text index alone, which stops at BROAD (a LIKE has no index)
            parts.append(_text_matches(fts_query))
        return all(
            connection.execute(select(func.count()).select_from(part.limit(at_least).subquery())).scalar_one()
            >= at_least
            for part in parts
        )

    def _fts_query(self, search: str) -> str | None:
        """The FTS5 query for a search, or None where it goes through LIKE.

        A word with no letter or digit ("-", "*", "%") has no token for FTS5 and would match nothing at all;
        FTS5 leaves it out, and a search of only such words goes through LIKE."""
        words = search.replace("\x00", " ").split()  # a NUL ends the FTS5 query string early: a syntax error
        fts_words = [word for word in words if any(ch.isalnum() for ch in word)]
        if not (self.has_fts and fts_words):
            return None
        return " ".join('"' + word.replace('"', '""') + '"*' for word in fts_words)

    def _text_match(self, search: str, only: int | None = None) -> ColumnElement[bool]:
        """Every word must appear (as a word prefix) in the title, notes, location, perpetrator, target or
        a source's name or URL: FTS5 where SQLite has it, LIKE elsewhere. With ``only``, FTS5 looks at that
        incident alone instead of listing every match."""
        query = self._fts_query(search)
        if query is not None:
            matches = _text_matches(query)
            return I.id.in_(matches if only is None else matches.where(_fts.c.rowid == only))
        words = search.replace("\x00", " ").split()
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


def _text_matches(fts_query: str) -> Select[Any]:
    """The ids of the incidents the text index matches to ``fts_query`` (see Repository._fts_query)."""
    return select(_fts.c.rowid).where(_fts.c.incident_fts.op("MATCH")(fts_query))


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no name in the environment and none for this user id
        return "unknown"


def _history_entry(row: Mapping[Any, Any]) -> HistoryEntry:
    return HistoryEntry(
        id=row["id"],
        incident_id=row["incident_id"],
        changed_at=row["changed_at"],
        changed_by=row["changed_by"],
        action=HistoryAction(row["action"]),
        version=row["version"],
        changes=decode_changes(row["changes"]),
        import_id=row["import_id"],
        import_file=row["file_name"],
        reverted_to=row["reverted_to"],
    )


def _reaching(date_from: dt.date, date_to: dt.date | None) -> CompoundSelect[Any]:
    """The ids of the incidents whose span (the start day, or start to end) reaches the range: those that start
    in it, and those that start before it and end in or after it. Two index range reads, where the test on
    coalesce(date_end, date_start), or an OR, would read the whole table."""
    starts_in = [I.date_start >= date_from] + ([I.date_start <= date_to] if date_to else [])
    return union_all(
        select(I.id).where(I.deleted_at.is_(None), *starts_in),
        select(I.id).where(I.date_end >= date_from, I.date_start < date_from),
    )


def _sort_index(key: SortKey) -> str:
    return f"ix_incident_{_SORT_COLUMNS[key].name}"


def _sorts_before(connection: Connection, order: SortOrder, one: int, other: int) -> bool:
    """Whether incident ``one`` comes before ``other`` in snapshot() order, asked of the database so that
    collation and NULLs compare exactly as the snapshot's ORDER BY does (countries by name, as it regroups them)."""
    if order.key is SortKey.COUNTRY:
        codes: dict[int, str] = dict(
            connection.execute(select(I.id, I.country).where(I.id.in_((one, other)))).tuples().all()
        )
        rank = country_rank()
        ranks = rank.get(codes[one], len(rank)), rank.get(codes[other], len(rank))
        if ranks[0] != ranks[1]:
            return (ranks[0] > ranks[1]) if order.descending else (ranks[0] < ranks[1])
        return one < other
    query = select(I.id).where(I.id.in_((one, other))).order_by(*_order_by(order)).limit(1)
    return bool(connection.execute(query).scalar_one() == one)


def _order_by(order: SortOrder) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    column: ColumnElement[Any] = _SORT_COLUMNS[order.key]
    if order.key in TEXT_SORT_KEYS:
        column = column.collate("NOCASE")
    return column.desc() if order.descending else column.asc(), I.id.asc()


def _ids(connection: Connection, query: Select[Any]) -> array[int]:
    """The first column of ``query`` as an id array, read from the DB-API cursor: SQLAlchemy's row objects
    would cost three times the query itself at a million rows."""
    ids: array[int] = array("q")
    cursor = connection.execute(query).cursor
    while rows := cursor.fetchmany(10_000):
        ids.extend([row[0] for row in rows])
    return ids


def _rows(connection: Connection, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    query = select(*(I[name] for name in ROW_COLUMNS))
    rows: dict[int, tuple[Any, ...]] = {}
    for chunk in _chunks(ids):
        for row in connection.execute(query.where(I.id.in_(chunk))):
            rows[row[0]] = tuple(row)
    return rows


def _countries_by_name(descending: bool) -> list[str]:
    codes = list(country_rank())  # already in the order of the names
    return codes[::-1] if descending else codes


def _by_country_name(connection: Connection, where: list[ColumnElement[bool]], descending: bool) -> array[int]:
    """Countries are stored as codes but read by name: the ids come in code order through the index, and each
    country's run of ids then moves to its name's place (one slice per country, no loop over the rows)."""
    runs = connection.execute(select(I.country, func.count()).where(*where).group_by(I.country).order_by(I.country))
    by_code = _ids(connection, select(I.id).where(*where).order_by(I.country, I.id))
    start, slices = 0, {}
    for code, count in runs:
        slices[code] = slice(start, start + count)
        start += count
    named, rank = _countries_by_name(descending), country_rank()
    unnamed = [code for code in slices if code not in rank]  # sorted after every name
    ids: array[int] = array("q")
    for code in [*unnamed, *named] if descending else [*named, *unnamed]:
        if code in slices:
            ids.extend(by_code[slices[code]])
    return ids


def _first_by_country_name(
    connection: Connection, where: list[ColumnElement[bool]], descending: bool, limit: int, broad: bool
) -> array[int]:
    """The start of _by_country_name's order: one LIMIT query per country, in the order of the names."""
    through_index = {INDEXED_BY: _sort_index(SortKey.COUNTRY)} if broad else {}
    ids: array[int] = array("q")
    for code in _countries_by_name(descending):
        if len(ids) >= limit:
            break
        query = select(I.id).where(*where, I.country == code).order_by(I.id).limit(limit - len(ids))
        ids.extend(connection.execute(query, execution_options=through_index).scalars())
    return ids


BULK_CACHE_KIB = 256 * 1024  # into an empty logbook, whose indexes are sorted afresh (see _large_cache)
ADD_CACHE_KIB = 64 * 1024  # into one with incidents: 256 MB saved 5-8% of 100,000 rows into a million, for 200 MB
_BULK_COLUMNS = ("id", *INCIDENT_FIELDS, "version", "import_id")
_draft_fields = operator.attrgetter(*INCIDENT_FIELDS)
_DATE_POSITIONS = tuple(INCIDENT_FIELDS.index(name) for name in ("date_start", "date_end"))
_UID, _CREATED, _UPDATED = (INCIDENT_FIELDS.index(name) for name in ("uid", "created_at", "updated_at"))
_BULK_INCIDENT_SQL = f"INSERT INTO incident ({', '.join(_BULK_COLUMNS)}) VALUES ({', '.join('?' * len(_BULK_COLUMNS))})"
_BULK_SOURCE_SQL = "INSERT INTO source (incident_id, position, name, kind, url, published) VALUES (?, ?, ?, ?, ?, ?)"
_BULK_TAG_SQL = "INSERT INTO incident_tag (incident_id, tag) VALUES (?, ?)"
_INDEX_TEXT_SQL = (
    "INSERT INTO incident_fts (rowid, title, notes, location, perpetrator, target, sources) "
    "SELECT id, title, notes, location, perpetrator, target, sources FROM incident_text"
)
BULK_FTS_SQL = f"{_INDEX_TEXT_SQL} WHERE id BETWEEN ? AND ?"


@contextmanager
def _waiting_at_most(connection: Connection, milliseconds: int | None) -> Iterator[None]:
    """SQLite's wait for the write lock on this connection (None: as it is), set through the driver (a statement
    through SQLAlchemy would begin the transaction first) and put back afterwards; other databases wait as usual."""
    driver = connection.connection.driver_connection
    if milliseconds is None or not isinstance(driver, sqlite3.Connection):
        yield
        return
    (usual,) = driver.execute("PRAGMA busy_timeout").fetchone()
    driver.execute(f"PRAGMA busy_timeout = {milliseconds}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA busy_timeout = {int(usual)}")


@contextmanager
def _large_cache(connection: Connection) -> Iterator[None]:
    """A bigger page cache while a bulk write updates the indexes in random order (SQLite's default of
    2 MB makes each index insert a disk read at a million rows); the usual size comes back afterwards. Largest
    into an empty logbook, whose indexes _indexes_built_after sorts at the end (SQLite's sorter works in as much
    memory as the cache holds); smaller into a logbook with incidents, where it buys little time for its memory."""
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    size = ADD_CACHE_KIB if connection.execute(select(I.id).limit(1)).first() is not None else BULK_CACHE_KIB
    connection.exec_driver_sql(f"PRAGMA cache_size = -{size}")
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
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'incident'"
    ).all()
    for name, _sql in definitions:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in definitions:
        connection.exec_driver_sql(sql)


def _bulk_incident_row(incident_id: int, draft: IncidentDraft, now: str, import_id: int | None) -> tuple[Any, ...]:
    """A draft as the DB-API row of _BULK_INCIDENT_SQL (dates as ISO text, as SQLAlchemy stores them)."""
    values = list(_draft_fields(draft))
    for position in _DATE_POSITIONS:
        if values[position] is not None:
            values[position] = values[position].isoformat()
    values[_UID] = values[_UID] or new_uid()
    values[_CREATED] = values[_CREATED] or now
    values[_UPDATED] = values[_UPDATED] or now
    return (incident_id, *values, 1, import_id)


@cache
def _duplicates_sql(keys: int) -> str:
    """Live incidents with the date (ISO text), country and weapon of one of ``keys`` given keys (parameters in
    that order, key after key): the keys a small table joined to the incident table, so that each is one search
    of ix_incident_duplicates (an IN of row values would scan that index whole). Plain SQL, as the bulk writes:
    SQLAlchemy constructs of a hundred-row table, one per number of keys, cost more to build and keep than the
    query takes to run."""
    rows = ", ".join(("(?, ?, ?)",) * keys)
    return (
        f"WITH given (d, c, w) AS (VALUES {rows}) "
        "SELECT i.id, i.date_start, i.country, i.location, i.weapon FROM given "
        "JOIN incident AS i ON i.date_start = given.d AND i.country = given.c AND i.weapon = given.w "
        "WHERE i.deleted_at IS NULL ORDER BY i.id"
    )


def _next_id(connection: Connection) -> int:
    return int(connection.execute(select(func.coalesce(func.max(I.id), 0))).scalar_one()) + 1


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """itertools.batched, which arrived only in Python 3.12."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _chunks(ids: Sequence[Any], size: int = PAGE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
