"""The change history: every kind of change is recorded with when, who and each field's old and new value, an
earlier version comes back as a change of its own, and bulk imports record theirs without slowing down."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logbook.domain.history import (
    FieldChange,
    HistoryAction,
    HistoryEntry,
    draft_texts,
    readable,
    text_value,
    value_text,
    with_texts,
)
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.services.importer import import_csv
from logbook.store.errors import ConflictError, MissingIncidentError
from logbook.store.repository import Repository
from tests.conftest import make_draft

HEADER = "uid,date_start,country,event_type,title,tags\r\n"


@pytest.fixture
def alice(repo: Repository) -> Repository:
    """The same logbook as ``repo``, changed by "alice"."""
    return Repository(repo.engine, user="alice")


def changes(entry: HistoryEntry) -> dict[str, tuple[str | None, str | None]]:
    return {change.field: (change.old, change.new) for change in entry.changes}


def actions(repository: Repository, incident_id: int) -> list[str]:
    return [entry.action.value for entry in repository.history(incident_id)]


def test_the_user_is_the_operating_system_user_by_default(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "analyst7")
    repository = Repository(repo.engine)
    incident_id = repository.add(make_draft())
    (entry,) = repository.history(incident_id)
    assert entry.changed_by == "analyst7"


def test_creation_is_recorded_with_every_value_given(alice: Repository) -> None:
    incident_id = alice.add(make_draft(tags=["iraq", "drone"], latitude=33.8, killed_min=None, killed_max=None))
    (entry,) = alice.history(incident_id)
    assert entry.action is HistoryAction.CREATED and entry.changed_by == "alice" and entry.version == 1
    assert entry.changed_at.endswith("Z") and entry.incident_id == incident_id
    recorded = changes(entry)
    assert recorded["date_start"] == (None, "2023-11-02")
    assert recorded["country"] == (None, "IQ")
    assert recorded["latitude"] == (None, "33.8")
    assert recorded["injured_min"] == (None, "0")  # zero is a value, recorded
    assert "killed_min" not in recorded  # unknown is no value
    assert recorded["sources"] == (None, "US Department of Defense | official | https://www.defense.gov/ | 2023-11-03")
    assert recorded["tags"] == (None, "drone; iraq")


def test_an_edit_records_each_changed_field_old_and_new_sources_and_tags_included(alice: Repository) -> None:
    incident_id = alice.add(make_draft(tags=["iraq"]))
    draft = alice.get(incident_id)
    draft.title = "Two drones shot down near Ain al-Asad"
    draft.killed_min = draft.killed_max = None
    draft.outcome = "hit"
    draft.sources.append(SourceDraft("Reuters", "media", "https://www.reuters.com/", dt.date(2023, 11, 3)))
    draft.tags = ["iraq", "drone"]
    alice.update(incident_id, draft)

    entry = alice.history(incident_id)[-1]
    assert entry.action is HistoryAction.EDITED and entry.version == 2 and entry.changed_by == "alice"
    assert changes(entry) == {
        "outcome": ("intercepted", "hit"),
        "killed_min": ("0", None),
        "killed_max": ("0", None),
        "title": ("Drone attack on Ain al-Asad", "Two drones shot down near Ain al-Asad"),
        "sources": (
            "US Department of Defense | official | https://www.defense.gov/ | 2023-11-03",
            "US Department of Defense | official | https://www.defense.gov/ | 2023-11-03\n"
            "Reuters | media | https://www.reuters.com/ | 2023-11-03",
        ),
        "tags": ("iraq", "drone; iraq"),
    }
    assert [change.field for change in entry.changes] == [
        "outcome", "killed_min", "killed_max", "title", "sources", "tags",
    ]  # fmt: skip


def test_a_save_that_changes_nothing_records_nothing(alice: Repository) -> None:
    incident_id = alice.add(make_draft())
    alice.update(incident_id, alice.get(incident_id))
    assert actions(alice, incident_id) == ["created"]


def test_delete_restore_and_purge_are_recorded_and_the_history_outlives_the_purge(alice: Repository) -> None:
    incident_id = alice.add(make_draft(title="Gone for good"))
    other = alice.add(make_draft())
    assert alice.delete([incident_id, other]) == 2
    assert alice.delete([incident_id]) == 0  # already in the trash: neither moved nor recorded again
    assert alice.restore([incident_id]) == 1
    assert alice.delete([incident_id]) == 1
    assert alice.purge([incident_id]) == 1

    history = alice.history(incident_id)
    assert [entry.action.value for entry in history] == ["created", "deleted", "restored", "deleted", "purged"]
    assert all(entry.changed_by == "alice" for entry in history)
    assert [entry.version for entry in history] == [1, 1, 1, 1, None]
    purged = changes(history[-1])
    assert purged["title"] == ("Gone for good", None)  # the last values stay readable in the history
    assert all(new is None for _old, new in purged.values())
    assert actions(alice, other) == ["created", "deleted"]


def test_an_import_records_each_incident_it_adds_or_changes_with_the_file(alice: Repository, tmp_path: Path) -> None:
    kept = alice.add(make_draft(uid="uid-kept", title="Before the import", tags=["old"]))
    trashed = alice.add(make_draft(uid="uid-trashed"))
    alice.delete([trashed])
    path = tmp_path / "tracker.csv"
    path.write_text(
        HEADER
        + "uid-kept,2023-11-02,Iraq,attack,After the import,new\r\n"
        + "uid-trashed,2023-11-02,Iraq,attack,Drone attack on Ain al-Asad,\r\n"
        + ",2023-11-04,Syria,strike,Brand new,\r\n",
        encoding="utf-8",
    )
    report = import_csv(alice, path)
    assert (report.added, report.updated) == (1, 2)

    edit = alice.history(kept)[-1]
    assert edit.action is HistoryAction.EDITED and edit.import_id == report.import_id
    assert edit.import_file == "tracker.csv" and edit.version == 2
    assert changes(edit)["title"] == ("Before the import", "After the import")
    assert changes(edit)["tags"] == ("old", "new")
    back = alice.history(trashed)
    assert [entry.action.value for entry in back][-2:] == ["restored", "edited"]  # out of the trash, then changed

    (new_id,) = [i for i in range(1, 10) if i not in (kept, trashed) and alice.history(i)]
    (created,) = alice.history(new_id)
    assert created.action is HistoryAction.CREATED and created.import_file == "tracker.csv"
    assert created.changed_by == "alice" and created.version == 1 and created.changes == ()


def test_removing_and_restoring_an_import_is_recorded(alice: Repository) -> None:
    from logbook.store.repository import ImportLog

    log = ImportLog("bulk.csv")
    alice.upsert_many([make_draft(title=f"Row {n}") for n in range(3)], log=log)
    assert log.id is not None
    assert alice.remove_import(log.id) == 3
    assert alice.restore_import(log.id) == 3
    for incident_id in range(1, 4):
        history = alice.history(incident_id)
        assert [entry.action.value for entry in history] == ["created", "deleted", "restored"]
        assert {entry.import_id for entry in history} == {log.id}


def test_add_many_records_one_creation_per_incident(alice: Repository) -> None:
    assert alice.add_many([make_draft(title=f"Row {n}") for n in range(250)], batch=100) == 250
    with alice.engine.connect() as connection:
        counts = connection.exec_driver_sql(
            "SELECT count(*), count(DISTINCT incident_id), min(action), max(action), min(changed_by) "
            "FROM incident_history"
        ).one()
    assert tuple(counts) == (250, 250, "created", "created", "alice")


def test_an_earlier_version_comes_back_as_a_recorded_change(alice: Repository) -> None:
    incident_id = alice.add(make_draft(title="First", tags=["a"]))
    draft = alice.get(incident_id)
    draft.title, draft.tags, draft.sources = "Second", ["b"], []
    alice.update(incident_id, draft)
    draft = alice.get(incident_id)
    draft.title, draft.location, draft.latitude = "Third", "Erbil", 36.19
    alice.update(incident_id, draft)
    first = alice.history(incident_id)[0]

    restored = alice.restore_version(incident_id, first)

    assert restored is not None and restored.action is HistoryAction.REVERTED and restored.reverted_to == 1
    stored = alice.get(incident_id)
    assert (stored.title, stored.tags, stored.location, stored.latitude) == (
        "First",
        ["a"],
        "Ain al-Asad air base",
        None,
    )
    assert stored.sources == make_draft().sources and stored.version == 4
    assert changes(restored) == {
        "location": ("Erbil", "Ain al-Asad air base"),
        "latitude": ("36.19", None),
        "title": ("Third", "First"),
        "sources": (None, "US Department of Defense | official | https://www.defense.gov/ | 2023-11-03"),
        "tags": ("b", "a"),
    }
    assert alice.history(incident_id)[-1] == restored
    assert alice.restore_version(incident_id, restored) is None  # already the values it has

    second = alice.history(incident_id)[1]
    alice.restore_version(incident_id, second)
    assert alice.get(incident_id).title == "Second" and alice.get(incident_id).location == "Ain al-Asad air base"


def test_an_earlier_version_keeps_the_incident_where_it_is(alice: Repository) -> None:
    incident_id = alice.add(make_draft(title="First"))
    draft = alice.get(incident_id)
    draft.title = "Second"
    alice.update(incident_id, draft)
    alice.delete([incident_id])
    alice.restore_version(incident_id, alice.history(incident_id)[0])
    assert alice.get(incident_id).title == "First"
    assert [entry.id for entry in alice.trash()] == [incident_id]  # still in the trash


def test_no_earlier_version_of_an_incident_deleted_for_good(alice: Repository) -> None:
    incident_id = alice.add(make_draft())
    alice.delete([incident_id])
    alice.purge([incident_id])
    with pytest.raises(MissingIncidentError):
        alice.restore_version(incident_id, alice.history(incident_id)[0])


def test_set_fields_undoes_an_edit_and_refuses_when_someone_changed_those_fields_since(alice: Repository) -> None:
    incident_id = alice.add(make_draft(title="Before"))
    draft = alice.get(incident_id)
    draft.title = "After"
    alice.update(incident_id, draft)
    edit = alice.history(incident_id)[-1]
    old = {change.field: change.old for change in edit.changes}
    new = {change.field: change.new for change in edit.changes}

    undone = alice.set_fields(incident_id, old, expected=new)
    assert undone is not None and undone.action is HistoryAction.EDITED and undone.version == 3
    assert alice.get(incident_id).title == "Before"

    bob = Repository(alice.engine, user="bob")
    draft = bob.get(incident_id)
    draft.notes = "Bob was here"  # another field: the edit can still be made again over it
    bob.update(incident_id, draft)
    assert alice.set_fields(incident_id, new, expected=old) is not None
    stored = alice.get(incident_id)
    assert (stored.title, stored.notes, stored.version) == ("After", "Bob was here", 5)

    draft = bob.get(incident_id)
    draft.title = "Bob's title"  # the same field: undoing the edit would overwrite Bob's
    bob.update(incident_id, draft)
    with pytest.raises(ConflictError, match="title"):
        alice.set_fields(incident_id, old, expected=new)
    stored = alice.get(incident_id)
    assert (stored.title, stored.notes, stored.version) == ("Bob's title", "Bob was here", 6)
    assert [entry.changed_by for entry in alice.history(incident_id)] == [
        "alice",
        "alice",
        "alice",
        "bob",
        "alice",
        "bob",
    ]


# ---- the text form of values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("date_start", dt.date(2023, 10, 17), "2023-10-17"),
        ("latitude", 33.80000001, "33.80000001"),
        ("killed_min", 0, "0"),
        ("killed_max", None, None),
        ("country", "SY", "SY"),
        ("tags", ["b", "a"], "a; b"),
        ("tags", [], None),
        ("sources", [], None),
        ("sources", [SourceDraft("A | B", "ngo", "https://x.org/\\", None)], "A \\| B | ngo | https://x.org/\\\\"),
    ],
)
def test_values_make_the_round_trip_through_their_text(field: str, value: object, text: str | None) -> None:
    assert value_text(field, value) == text
    assert text_value(field, text) == (sorted(value) if field == "tags" else value)  # type: ignore[arg-type]


@given(
    title=st.text() | st.none(),
    latitude=st.floats(min_value=-90, max_value=90) | st.none(),
    killed=st.integers(min_value=0, max_value=10_000_000) | st.none(),
    source_name=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")),
)
def test_a_draft_comes_back_from_its_texts(
    title: str | None, latitude: float | None, killed: int | None, source_name: str
) -> None:
    name = source_name.strip() or None
    draft = make_draft(title=title, latitude=latitude, killed_min=killed, sources=[SourceDraft(name, "media")])
    assert draft_texts(with_texts(IncidentDraft(), draft_texts(draft))) == draft_texts(draft)


def test_values_read_as_people_read_them() -> None:
    assert readable("country", "SY") == "Syria"
    assert readable("weapon", "small_arms") == "Small arms"
    assert readable("sources", "DoD | official | https://d.mil/\nX") == "DoD | Official | https://d.mil/\nX | Other"
    assert readable("title", None) == ""
    assert FieldChange("title", None, "x").old is None
