"""The text index keeps no copy of the text (migration 0005): it reads an incident's text from incident_text
when it takes the incident out, so every way of changing or removing incidents must keep the two in step.
FTS5's own integrity check compares the index with that text and fails on any difference."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text

from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.domain.record import SourceDraft
from logbook.store.engine import open_logbook
from logbook.store.repository import ImportLog, Repository
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures


def assert_index_in_step(repo: Repository) -> None:
    with repo.engine.begin() as connection:  # raises "database disk image is malformed" when they differ
        connection.execute(text("INSERT INTO incident_fts (incident_fts, rank) VALUES ('integrity-check', 1)"))


def found(repo: Repository, word: str) -> list[int]:
    return list(repo.snapshot(IncidentFilter(search=word), SortOrder()))


def test_an_edit_replaces_the_words_of_the_incident_and_its_sources(repo: Repository) -> None:
    incident_id = repo.add(make_draft(title="Drone over Qayyarah", sources=[SourceDraft("Reuters", "media")]))
    repo.add(make_draft(title="Rocket at Erbil"))
    draft = repo.get(incident_id)
    draft.title = "Mortar near Tanf"
    draft.sources = [SourceDraft("Kurdistan24", "media", "https://example.org/k24")]
    repo.update(incident_id, draft)

    assert_index_in_step(repo)
    assert found(repo, "Tanf") == found(repo, "Kurdistan24") == [incident_id]
    assert found(repo, "Qayyarah") == found(repo, "Reuters") == []


def test_trash_restore_and_purge_keep_the_index_in_step(repo: Repository) -> None:
    kept, purged = repo.add(make_draft(title="Strike on Ain al-Asad")), repo.add(make_draft(title="Strike on Tanf"))
    repo.delete([kept, purged])
    repo.restore([kept])
    repo.purge([kept, purged])  # only the one still in the trash goes
    assert_index_in_step(repo)
    assert found(repo, "Strike") == [kept]


def test_an_import_that_adds_and_updates_keeps_the_index_in_step(repo: Repository) -> None:
    first = make_draft(uid="same-attack", title="Drone at Harir")
    repo.upsert_many([first, make_draft(title="Rocket at Victory")], log=ImportLog("first.csv"))
    again = make_draft(uid="same-attack", title="Drone at Bashur", sources=[SourceDraft("CENTCOM", "official")])
    second = ImportLog("second.csv")
    repo.upsert_many([again, make_draft(title="Mortar at Union III")], log=second)

    assert_index_in_step(repo)
    assert found(repo, "Harir") == []
    assert len(found(repo, "Bashur")) == len(found(repo, "CENTCOM")) == 1
    assert second.id is not None
    repo.remove_import(second.id)
    repo.restore_import(second.id)
    assert_index_in_step(repo)


def test_going_back_to_an_earlier_version_keeps_the_index_in_step(repo: Repository) -> None:
    incident_id = repo.add(make_draft(title="First account"))
    draft = repo.get(incident_id)
    draft.title = "Corrected account"
    repo.update(incident_id, draft)
    created = repo.history(incident_id)[0]
    repo.restore_version(incident_id, created)
    assert_index_in_step(repo)
    assert found(repo, "First") == [incident_id] and found(repo, "Corrected") == []


def test_a_schema_4_logbook_gets_an_index_without_a_copy_and_finds_the_same(tmp_path: Path) -> None:
    path = tmp_path / "logbook.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(4), path)
    repo = Repository(open_logbook(path))
    try:
        assert_index_in_step(repo)
        with repo.engine.connect() as connection:
            tables = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'incident_fts%'")).all()
        assert ("incident_fts_content",) not in tables
        assert len(found(repo, "Ayn")) == 1
    finally:
        repo.engine.dispose()
