"""The window's first page, read with sqlite3 alone while SQLAlchemy loads (store/rows.py): exactly the rows the
repository would give, or None where it cannot be sure of them."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from logbook.store.rows import first_page
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures
from tests.unit.test_repository import _random_drafts

EVERYTHING = IncidentFilter()


@pytest.mark.parametrize("key", [key for key in SortKey if key is not SortKey.COUNTRY])
@pytest.mark.parametrize("descending", [True, False])
def test_the_first_page_is_the_repository_s(db_path: Path, repo: Repository, key: SortKey, descending: bool) -> None:
    repo.upsert_many(_random_drafts(120, seed=11))  # ties in every column (and unknowns): ties go by id
    repo.upsert_many(
        make_draft(location=place, perpetrator=place.upper(), title=place)
        for place in ("al-Tanf", "Zawiya", "erbil", "Ain al-Asad", "ain al-asad")
    )  # text sorts case aside: "al-Tanf" before "Zawiya"
    repo.delete([3, 50, 51])  # the trash is not shown
    order = SortOrder(key, descending=descending)
    for limit in (1, 40, 500):
        early = first_page(db_path, EVERYTHING, order, limit)
        assert early == repo.first_rows(EVERYTHING, order, limit)
        assert early is not None and len(early) == min(limit, 122)


def test_none_where_the_repository_must_answer(db_path: Path, repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft())
    newest = SortOrder()
    assert first_page(db_path, IncidentFilter(search="drone"), newest, 10) is None  # a filter
    assert first_page(db_path, EVERYTHING, SortOrder(SortKey.COUNTRY), 10) is None  # sorted by name
    assert first_page("postgresql://team@server/logbook", EVERYTHING, newest, 10) is None
    assert first_page(tmp_path / "missing.sqlite3", EVERYTHING, newest, 10) is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert first_page(junk, EVERYTHING, newest, 10) is None
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(4), older)  # its update comes first, with a dialog
    assert first_page(older, EVERYTHING, newest, 10) is None
    assert first_page(db_path, EVERYTHING, newest, 10) is not None


def test_an_empty_logbook_has_an_empty_first_page(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    open_logbook(path).dispose()
    assert first_page(path, EVERYTHING, SortOrder(), 10) == []


def test_a_date_stored_otherwise_leaves_the_first_page_to_the_repository(db_path: Path, repo: Repository) -> None:
    """Written by some other tool as a timestamp: the repository's own read says what is wrong, at start-up
    nothing fails."""
    incident_id = repo.add(make_draft())
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("UPDATE incident SET date_start = '2024-01-30 00:00:00' WHERE id = ?", (incident_id,))
    assert first_page(db_path, EVERYTHING, SortOrder(), 10) is None
