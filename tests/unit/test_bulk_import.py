"""upsert_many at the scale of an import: batches written with executemany, the text index filled per batch,
the indexes of an empty logbook built after a large import, and all of it one transaction."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.services import importer
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.unit.csv_helpers import GOOD_HEADER, GOOD_ROW, write_csv

BATCH = 500


def indexes(repo: Repository) -> list[tuple[str, str]]:
    with repo.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            )
        ]


def table_counts(repo: Repository) -> tuple[int, ...]:
    with repo.engine.connect() as connection:
        return tuple(
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("incident", "source", "incident_tag", "incident_fts_docsize")  # the index, not the view
        )


def drafts(count: int, fail_at: int | None = None) -> Iterator[IncidentDraft]:
    for n in range(count):
        if n == fail_at:
            raise RuntimeError("the disk went away")
        yield make_draft(
            uid=f"uid-{n}",
            title=f"Incident {n:05}",
            tags=["bulk", f"t{n % 7}"],
            sources=[SourceDraft(f"Source {n}", "media", f"https://x.example/{n}"), SourceDraft("Second", "official")],
        )


def test_a_large_import_into_an_empty_logbook(repo: Repository) -> None:
    before = indexes(repo)
    updates = [
        make_draft(uid="uid-3", title="changed in the same batch"),
        make_draft(uid="uid-1200", killed_min=9, killed_max=None),
    ]
    added, updated = repo.upsert_many([*drafts(3 * BATCH + 17), *updates], batch=BATCH)
    assert (added, updated) == (3 * BATCH + 17, 2)
    assert indexes(repo) == before  # dropped for the import, built again after it
    total = 3 * BATCH + 17  # two sources and two tags each, but the two updated have one source and no tag
    assert table_counts(repo) == (total, 2 * total - 2, 2 * total - 4, total)
    ids = repo.snapshot(IncidentFilter(search="Incident"), SortOrder(SortKey.TITLE, descending=False))
    assert [repo.get(ids[n]).title for n in (0, 1, -1)] == [
        "Incident 00000",
        "Incident 00001",
        f"Incident {total - 1:05}",
    ]
    [changed] = repo.snapshot(IncidentFilter(search="changed"), SortOrder())
    stored = repo.get(changed)
    assert (stored.uid, stored.version, stored.tags, stored.sources) == ("uid-3", 2, [], make_draft().sources)
    assert repo.count(IncidentFilter(search="example")) == total - 2  # sources are searchable too
    last = repo.get(repo.existing_uids(["uid-1200"])["uid-1200"])
    assert (last.killed_min, last.title, last.sources[0].name) == (
        9,
        "Drone attack on Ain al-Asad",
        "US Department of Defense",
    )


def test_a_failure_midway_through_a_large_import_keeps_nothing(repo: Repository) -> None:
    repo.add(make_draft(uid="already there"))
    before = indexes(repo)
    with pytest.raises(RuntimeError, match="disk"):
        repo.upsert_many(drafts(3 * BATCH, fail_at=2 * BATCH + 10), batch=BATCH)
    assert indexes(repo) == before
    assert table_counts(repo) == (1, 1, 0, 1)


def test_a_failure_after_the_indexes_were_dropped_restores_them(repo: Repository) -> None:
    before = indexes(repo)
    with pytest.raises(RuntimeError, match="disk"):
        repo.upsert_many(drafts(3 * BATCH, fail_at=BATCH + 1), batch=BATCH)
    assert indexes(repo) == before
    assert table_counts(repo) == (0, 0, 0, 0)


def test_the_cycle_collector_runs_again_after_an_import(repo: Repository, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, *[GOOD_ROW] * 50)
    importer.import_csv(repo, path)
    assert gc.isenabled()
    gc.disable()
    try:
        importer.import_csv(repo, path)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
