"""The repository: what is saved comes back, edits are versioned, the trash works, and the table's order,
filters and search give what the user asked for."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from logbook.domain.countries import country_name
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.store import repository as repository_module
from logbook.store.engine import open_logbook
from logbook.store.errors import ConflictError, MissingIncidentError
from logbook.store.repository import Repository
from logbook.store.rows import ROW_COLUMNS
from tests.conftest import make_draft

D = dt.date
EVERYTHING = IncidentFilter()


def full_draft(**changes: Any) -> IncidentDraft:
    """Every field of the record set to something other than its default."""
    values: dict[str, Any] = {
        "date_start": D(2023, 10, 17),
        "date_end": D(2023, 10, 19),
        "date_precision": "week",
        "country": "SY",
        "admin1": "Homs",
        "location": "al-Tanf garrison",
        "latitude": 33.5,
        "longitude": 38.63,
        "geo_precision": "near",
        "event_type": "attack",
        "weapon": "small_arms",
        "target_type": "military_base",
        "target": "US and coalition forces",
        "perpetrator": "Iran-backed militia",
        "attribution": "suspected",
        "attributed_by": "US officials",
        "outcome": "hit",
        "damage": "minor",
        "killed_min": 0,
        "killed_max": 2,
        "injured_min": 20,
        "injured_max": None,
        "verification": "corroborated",
        "title": "Drone and rocket attack on al-Tanf",
        "notes": 'Two drones; "one shot down".\nSecond line, ünïcode.',
        "sources": [
            SourceDraft("Zeta news", "media", "https://zeta.example/a|b", D(2023, 10, 20)),
            SourceDraft("Alpha agency", "official", None, None),
            SourceDraft(None, "social_media", "https://x.example/post/1", D(2023, 10, 19)),
        ],
        "tags": ["tanf", "drone", "Syria east"],
        "uid": "6f0c54d9-5a2b-4c3e-9d55-0123456789ab",
        "created_at": "2023-10-20T08:00:00Z",
        "updated_at": "2023-10-21T09:30:00Z",
    }
    values.update(changes)
    return IncidentDraft(**values)


def ids_of(repo: Repository, incident_filter: IncidentFilter = EVERYTHING) -> list[int]:
    return list(repo.snapshot(incident_filter, SortOrder(SortKey.DATE, descending=False)))


def row_count(repo: Repository, table: str, incident_id: int) -> int:
    with repo.engine.connect() as connection:
        return int(
            connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE incident_id = :id"), {"id": incident_id}
            ).scalar_one()
        )


# ---- single incidents -----------------------------------------------------------------------------------


def test_every_field_round_trips(repo: Repository) -> None:
    draft = full_draft()
    incident_id = repo.add(draft)
    stored = repo.get(incident_id)
    expected = dataclasses.replace(draft, tags=sorted(draft.tags), version=1)
    assert stored == expected
    assert [s.name for s in stored.sources] == ["Zeta news", "Alpha agency", None]  # the order they were given
    assert isinstance(stored.date_start, dt.date) and isinstance(stored.sources[0].published, dt.date)


def test_unknown_figures_stay_unknown_and_zero_stays_zero(repo: Repository) -> None:
    incident_id = repo.add(make_draft(killed_min=None, killed_max=None, injured_min=0, injured_max=0))
    stored = repo.get(incident_id)
    assert (stored.killed_min, stored.killed_max, stored.injured_min, stored.injured_max) == (None, None, 0, 0)


def test_add_fills_in_the_bookkeeping(repo: Repository) -> None:
    first = repo.get(repo.add(make_draft()))
    second = repo.get(repo.add(make_draft()))
    assert first.uid and second.uid and first.uid != second.uid
    assert first.version == 1
    assert first.created_at == first.updated_at
    assert first.created_at is not None and first.created_at.endswith("Z")
    assert dt.datetime.strptime(first.created_at, "%Y-%m-%dT%H:%M:%SZ")


def test_update_replaces_fields_sources_and_tags_and_bumps_version(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository_module, "utc_now", lambda: "2023-11-02T10:00:00Z")
    incident_id = repo.add(full_draft(created_at=None, updated_at=None))
    draft = repo.get(incident_id)
    assert (draft.version, draft.updated_at) == (1, "2023-11-02T10:00:00Z")

    monkeypatch.setattr(repository_module, "utc_now", lambda: "2023-11-03T11:00:00Z")
    draft.killed_min, draft.killed_max = 1, 1
    draft.sources = [SourceDraft("Only one", "ngo")]
    draft.tags = ["new"]
    repo.update(incident_id, draft)
    stored = repo.get(incident_id)
    assert stored.version == 2
    assert stored.updated_at == "2023-11-03T11:00:00Z"
    assert stored.created_at == "2023-11-02T10:00:00Z"
    assert stored.uid == draft.uid
    assert (stored.killed_min, stored.killed_max) == (1, 1)
    assert stored.sources == [SourceDraft("Only one", "ngo")]
    assert stored.tags == ["new"]
    assert row_count(repo, "source", incident_id) == 1

    repo.update(incident_id, stored)
    assert repo.get(incident_id).version == 3


def test_a_stale_version_is_a_conflict_and_changes_nothing(repo: Repository) -> None:
    incident_id = repo.add(make_draft(title="original"))
    mine, theirs = repo.get(incident_id), repo.get(incident_id)
    theirs.title = "theirs"
    repo.update(incident_id, theirs)
    mine.title = "mine"
    with pytest.raises(ConflictError, match="changed elsewhere") as caught:
        repo.update(incident_id, mine)
    assert str(incident_id) in str(caught.value)
    stored = repo.get(incident_id)
    assert (stored.title, stored.version) == ("theirs", 2)


def test_missing_incident(repo: Repository) -> None:
    with pytest.raises(MissingIncidentError):
        repo.get(999)
    with pytest.raises(MissingIncidentError):
        repo.update(999, make_draft(version=1))


def test_delete_trash_restore(repo: Repository) -> None:
    keep, gone = repo.add(make_draft(title="keep")), repo.add(make_draft(title="gone"))
    repo.delete([gone])
    assert ids_of(repo) == [keep]
    assert repo.count() == 1
    trash = repo.trash()
    assert [(entry.id, entry.title, entry.country) for entry in trash] == [(gone, "gone", "IQ")]
    assert trash[0].deleted_at.endswith("Z")

    repo.restore([gone])
    assert ids_of(repo) == [keep, gone]
    assert repo.trash() == []
    assert repo.get(gone).title == "gone"


def test_deleting_twice_keeps_the_first_deletion_time(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    incident_id = repo.add(make_draft())
    monkeypatch.setattr(repository_module, "utc_now", lambda: "2023-11-02T10:00:00Z")
    repo.delete([incident_id])
    monkeypatch.setattr(repository_module, "utc_now", lambda: "2023-11-05T10:00:00Z")
    repo.delete([incident_id])
    assert repo.trash()[0].deleted_at == "2023-11-02T10:00:00Z"


def test_purge_removes_the_incident_its_sources_tags_and_text_index(repo: Repository) -> None:
    incident_id = repo.add(full_draft())
    other = repo.add(full_draft(uid=None))
    assert row_count(repo, "source", incident_id) == 3
    assert row_count(repo, "incident_tag", incident_id) == 3

    repo.purge([incident_id])  # not in the trash: purge leaves it alone
    assert repo.get(incident_id).title

    repo.delete([incident_id])
    repo.purge([incident_id])
    with pytest.raises(MissingIncidentError):
        repo.get(incident_id)
    assert row_count(repo, "source", incident_id) == 0
    assert row_count(repo, "incident_tag", incident_id) == 0
    assert repo.trash() == []
    with repo.engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM incident_fts_docsize")).scalars().all() == [other]
    assert row_count(repo, "source", other) == 3
    assert ids_of(repo, IncidentFilter(search="Tanf")) == [other]


def test_foreign_keys_cascade_even_outside_purge(repo: Repository) -> None:
    incident_id = repo.add(full_draft())
    with repo.engine.begin() as connection:
        connection.execute(text("DELETE FROM incident WHERE id = :id"), {"id": incident_id})
    assert row_count(repo, "source", incident_id) == 0
    assert row_count(repo, "incident_tag", incident_id) == 0


# ---- sorting --------------------------------------------------------------------------------------------

SORT_FIELDS = {
    SortKey.DATE: "date_start",
    SortKey.COUNTRY: "country",
    SortKey.LOCATION: "location",
    SortKey.EVENT_TYPE: "event_type",
    SortKey.WEAPON: "weapon",
    SortKey.OUTCOME: "outcome",
    SortKey.KILLED: "killed_min",
    SortKey.INJURED: "injured_min",
    SortKey.PERPETRATOR: "perpetrator",
    SortKey.ATTRIBUTION: "attribution",
    SortKey.VERIFICATION: "verification",
    SortKey.TITLE: "title",
}


def _random_drafts(count: int, seed: int) -> list[IncidentDraft]:
    """Few distinct values per column, unknowns among them, so there are many ties for the id to break."""
    rng = random.Random(seed)
    drafts = []
    for _ in range(count):
        killed = rng.choice([None, 0, 1, 3, 12])
        injured = rng.choice([None, 0, 2, 45])
        drafts.append(
            make_draft(
                date_start=D(2023, 10, 17) + dt.timedelta(days=rng.randrange(6)),
                country=rng.choice(["IQ", "IR", "SY", "JO", "US", "PS", "GB", "AE"]),
                location=rng.choice([None, "Erbil", "Ain al-Asad", "Tower 22", "Baghdad"]),
                event_type=rng.choice(["attack", "strike", "clash", "other"]),
                weapon=rng.choice(["drone", "rocket", "ied", "small_arms", "unknown"]),
                outcome=rng.choice(["intercepted", "missed", "hit", "unknown"]),
                killed_min=killed,
                killed_max=killed,
                injured_min=injured,
                injured_max=None if injured == 45 else injured,
                perpetrator=rng.choice([None, "Kataib Hezbollah", "Islamic Resistance in Iraq", "Houthis"]),
                attribution=rng.choice(["claimed", "attributed", "unknown"]),
                verification=rng.choice(["unverified", "reported", "confirmed"]),
                title=rng.choice([None, "Drone attack", "Rocket attack", "Strike"]),
            )
        )
    return drafts


@pytest.fixture(scope="module")
def sorted_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repository]:
    engine = open_logbook(tmp_path_factory.mktemp("sort") / "sort.sqlite3")
    repo = Repository(engine)
    repo.upsert_many(_random_drafts(120, seed=7))
    yield repo
    engine.dispose()


def _expected_order(repo: Repository, key: SortKey, descending: bool) -> list[int]:
    """What the user expects: by value (unknowns lowest, countries by shown name, text without regard to
    case), and ties in the order of entry (ascending id) whichever way the column is sorted."""
    records = {r.values["id"]: r.values for r in repo.export_records(ids_of(repo))}
    field = SORT_FIELDS[key]

    def value_key(incident_id: int) -> tuple[Any, ...]:
        value = records[incident_id][field]
        if key is SortKey.COUNTRY:
            value = country_name(value)
        elif isinstance(value, str) and key in (SortKey.LOCATION, SortKey.PERPETRATOR, SortKey.TITLE):
            value = value.lower()
        return (value is not None, value if value is not None else 0)

    by_id = sorted(records)
    return sorted(by_id, key=value_key, reverse=descending)  # a stable sort keeps ids ascending within ties


@pytest.mark.parametrize("key", list(SortKey))
def test_snapshot_order_for_every_sort_key(sorted_repo: Repository, key: SortKey) -> None:
    assert set(SORT_FIELDS) == set(SortKey)
    ascending = list(sorted_repo.snapshot(EVERYTHING, SortOrder(key, descending=False)))
    descending = list(sorted_repo.snapshot(EVERYTHING, SortOrder(key, descending=True)))
    assert len(ascending) == len(set(ascending)) == 120
    assert ascending == _expected_order(sorted_repo, key, descending=False)
    assert descending == _expected_order(sorted_repo, key, descending=True)


@pytest.mark.parametrize("key", list(SortKey))
def test_sort_respects_the_filter(sorted_repo: Repository, key: SortKey) -> None:
    incident_filter = IncidentFilter(countries=("IQ", "SY"), outcomes=("hit", "missed"))
    matching = set(sorted_repo.snapshot(incident_filter, SortOrder(SortKey.DATE)))
    for descending in (False, True):
        ids = list(sorted_repo.snapshot(incident_filter, SortOrder(key, descending)))
        assert set(ids) == matching
        full = [i for i in sorted_repo.snapshot(EVERYTHING, SortOrder(key, descending)) if i in matching]
        assert ids == full


def test_countries_sort_by_name_not_code(repo: Repository) -> None:
    iraq = repo.add(make_draft(country="IQ"))
    iran = repo.add(make_draft(country="IR"))
    uk = repo.add(make_draft(country="GB"))  # "United Kingdom": after "Iraq" though GB < IQ
    syria = repo.add(make_draft(country="SY"))
    assert list(repo.snapshot(EVERYTHING, SortOrder(SortKey.COUNTRY, descending=False))) == [iran, iraq, syria, uk]
    assert list(repo.snapshot(EVERYTHING, SortOrder(SortKey.COUNTRY, descending=True))) == [uk, syria, iraq, iran]


def test_default_order_is_newest_first(repo: Repository) -> None:
    old = repo.add(make_draft(date_start=D(2023, 10, 17)))
    new = repo.add(make_draft(date_start=D(2023, 11, 2)))
    assert list(repo.snapshot(EVERYTHING, SortOrder())) == [new, old]


# ---- filters --------------------------------------------------------------------------------------------


def test_date_range_is_inclusive_and_matches_overlapping_spans(repo: Repository) -> None:
    before = repo.add(make_draft(date_start=D(2023, 10, 16)))
    on_from = repo.add(make_draft(date_start=D(2023, 10, 17)))
    inside = repo.add(make_draft(date_start=D(2023, 10, 25)))
    on_to = repo.add(make_draft(date_start=D(2023, 11, 2)))
    after = repo.add(make_draft(date_start=D(2023, 11, 3)))
    ends_on_from = repo.add(make_draft(date_start=D(2023, 10, 10), date_end=D(2023, 10, 17)))
    ends_before = repo.add(make_draft(date_start=D(2023, 10, 10), date_end=D(2023, 10, 16)))
    spans_whole = repo.add(make_draft(date_start=D(2023, 10, 1), date_end=D(2023, 11, 30)))
    starts_on_to = repo.add(make_draft(date_start=D(2023, 11, 2), date_end=D(2023, 11, 5)))
    starts_after = repo.add(make_draft(date_start=D(2023, 11, 3), date_end=D(2023, 11, 5)))

    in_range = IncidentFilter(date_from=D(2023, 10, 17), date_to=D(2023, 11, 2))
    assert set(ids_of(repo, in_range)) == {on_from, inside, on_to, ends_on_from, spans_whole, starts_on_to}
    assert repo.count(in_range) == 6
    assert repo.summary(in_range).incidents == 6
    assert before not in ids_of(repo, in_range) and after not in ids_of(repo, in_range)
    assert ends_before not in ids_of(repo, in_range) and starts_after not in ids_of(repo, in_range)

    one_day = IncidentFilter(date_from=D(2023, 11, 2), date_to=D(2023, 11, 2))
    assert set(ids_of(repo, one_day)) == {on_to, spans_whole, starts_on_to}
    assert set(ids_of(repo, IncidentFilter(date_from=D(2023, 11, 3)))) == {
        after,
        spans_whole,
        starts_on_to,
        starts_after,
    }
    assert set(ids_of(repo, IncidentFilter(date_to=D(2023, 10, 16)))) == {
        before,
        ends_on_from,
        ends_before,
        spans_whole,
    }


def test_filters_by_country_event_type_outcome_and_verification(repo: Repository) -> None:
    a = repo.add(make_draft(country="IQ", event_type="attack", outcome="intercepted", verification="reported"))
    b = repo.add(make_draft(country="SY", event_type="attack", outcome="hit", verification="confirmed"))
    c = repo.add(make_draft(country="SY", event_type="strike", outcome="hit", verification="reported"))
    d = repo.add(make_draft(country="JO", event_type="clash", outcome="missed", verification="disputed"))

    def found(**fields: Any) -> set[int]:
        incident_filter = IncidentFilter(**fields)
        ids = set(ids_of(repo, incident_filter))
        assert repo.count(incident_filter) == len(ids)
        return ids

    assert found() == {a, b, c, d}
    assert found(countries=("SY",)) == {b, c}
    assert found(countries=("SY", "JO")) == {b, c, d}
    assert found(event_types=("attack",)) == {a, b}
    assert found(outcomes=("hit", "missed")) == {b, c, d}
    assert found(verifications=("reported",)) == {a, c}
    assert found(countries=("SY",), event_types=("attack",)) == {b}
    assert found(countries=("SY",), verifications=("disputed",)) == set()
    assert found(countries=("US",)) == set()


# ---- text search ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Repository, dict[str, int]]]:
    engine = open_logbook(tmp_path_factory.mktemp("search") / "search.sqlite3")
    repo = Repository(engine)
    ids = {
        "title": repo.add(make_draft(title="Rocket salvo on Erbil airport", location=None, perpetrator=None)),
        "notes": repo.add(make_draft(title=None, notes="Claimed on Telegram by a militia", location=None)),
        "location": repo.add(make_draft(title=None, location="Tower 22", perpetrator=None)),
        "perpetrator": repo.add(make_draft(title=None, location=None, perpetrator="Kataib Hezbollah")),
        "target": repo.add(make_draft(title=None, location=None, perpetrator=None, target="Embassy compound")),
        "source_name": repo.add(
            make_draft(title=None, location=None, perpetrator=None, sources=[SourceDraft("Xinhua", "media")])
        ),
        "source_url": repo.add(
            make_draft(
                title=None,
                location=None,
                perpetrator=None,
                sources=[SourceDraft(None, "social_media", "https://t.me/warmonitor/123")],
            )
        ),
        "deleted": repo.add(make_draft(title="Rocket salvo, deleted", location="Tower 22", perpetrator=None)),
    }
    repo.delete([ids["deleted"]])
    assert repo.has_fts
    yield repo, ids
    engine.dispose()


@pytest.fixture(params=["fts", "like"])
def search(request: pytest.FixtureRequest, search_repo: tuple[Repository, dict[str, int]]) -> Iterator[Any]:
    repo, ids = search_repo
    repo.has_fts = request.param == "fts"

    def found(words: str) -> set[str]:
        incident_filter = IncidentFilter(search=words)
        matched = set(repo.snapshot(incident_filter, SortOrder()))
        assert repo.count(incident_filter) == len(matched)
        assert repo.summary(incident_filter).incidents == len(matched)
        return {name for name, incident_id in ids.items() if incident_id in matched}

    yield found
    repo.has_fts = True


@pytest.mark.parametrize(
    ("words", "names"),
    [
        ("Erbil", {"title"}),
        ("erbil", {"title"}),
        ("ERBIL airport", {"title"}),
        ("Rocket", {"title"}),  # the deleted incident has the word too, but is in the trash
        ("telegram", {"notes"}),
        ("Tower", {"location"}),
        ("Tower 22", {"location"}),
        ("Kataib", {"perpetrator"}),
        ("Hezbollah", {"perpetrator"}),
        ("Embassy", {"target"}),
        ("Xinhua", {"source_name"}),
        ("warmonitor", {"source_url"}),
        ("t.me/warmonitor", {"source_url"}),
        ("Erbil Telegram", set()),  # every word must match the same incident
        ("Hezbol", {"perpetrator"}),  # a word prefix, as the user types
        ("Defense", {"title", "notes", "location", "perpetrator", "target"}),  # the default source's name
        ("www.defense.gov", {"title", "notes", "location", "perpetrator", "target"}),
        ("Ain al-Asad", set()),
        ("nothing-like-this", set()),
    ],
)
def test_search_fields_with_fts_and_like_alike(search: Any, words: str, names: set[str]) -> None:
    assert search(words) == names


@pytest.mark.parametrize(
    "words",
    ['"', '""', "*", "%", "_", "-", "'", "\\", "(", ")", "^", ":", "+", "NOT", "AND", "OR", "NEAR(", "a*b", "x:y",
     '"unbalanced', "O'Brien", "50%", "base_x", "al-", "-Asad", "\x00", "Erbil \x00", "Erbil -", "🚀", "  "],
)  # fmt: skip
def test_special_characters_never_raise(search: Any, words: str) -> None:
    search(words)


def test_fts_leaves_out_words_without_letters_or_digits(search_repo: tuple[Repository, dict[str, int]]) -> None:
    """A stray "-" or "*" has nothing for FTS to look for; it must not turn every search into no result."""
    repo, ids = search_repo
    assert repo.has_fts
    for words in ("Erbil -", '"Erbil"', "Erbil *", "* Erbil", "Erbil ..."):
        assert ids_of(repo, IncidentFilter(search=words)) == [ids["title"]], words
    assert ids_of(repo, IncidentFilter(search="%")) == []  # punctuation alone is looked for as it is (LIKE)
    with_urls = {ids[name] for name in ("title", "notes", "location", "perpetrator", "target", "source_url")}
    assert set(ids_of(repo, IncidentFilter(search="/"))) == with_urls


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=20))
def test_any_search_text_never_raises(search_repo: tuple[Repository, dict[str, int]], words: str) -> None:
    repo, _ids = search_repo
    for has_fts in (True, False):
        repo.has_fts = has_fts
        try:
            repo.count(IncidentFilter(search=words))
        finally:
            repo.has_fts = True


def test_search_follows_edits(repo: Repository) -> None:
    incident_id = repo.add(make_draft(title="Mortar fire"))
    assert ids_of(repo, IncidentFilter(search="mortar")) == [incident_id]
    draft = repo.get(incident_id)
    draft.title = "Rocket fire"
    draft.sources = [SourceDraft("Kurdistan24", "media")]
    repo.update(incident_id, draft)
    assert ids_of(repo, IncidentFilter(search="mortar")) == []
    assert ids_of(repo, IncidentFilter(search="rocket kurdistan24")) == [incident_id]


# ---- deleted incidents stay out of everything ----------------------------------------------------------------


def test_trashed_incidents_never_show(repo: Repository) -> None:
    shown = repo.add(make_draft(location="Erbil", perpetrator="Group A", killed_min=1, killed_max=1))
    hidden = repo.add(
        make_draft(country="SY", location="Hidden base", perpetrator="Group B", killed_min=9, killed_max=9)
    )
    repo.delete([hidden])
    for key in SortKey:
        assert list(repo.snapshot(EVERYTHING, SortOrder(key))) == [shown]
    assert repo.count() == repo.count(EVERYTHING) == 1
    assert repo.count(IncidentFilter(search="Hidden")) == 0
    summary = repo.summary(EVERYTHING)
    assert (summary.incidents, summary.killed.min, summary.by_country) == (1, 1, {"Iraq": 1})
    assert repo.completions("location") == ["Erbil"]
    assert repo.completions("perpetrator") == ["Group A"]


# ---- pages of rows for the table --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repository]:
    engine = open_logbook(tmp_path_factory.mktemp("big") / "big.sqlite3")
    repo = Repository(engine)
    drafts = [
        make_draft(
            date_start=D(2020, 1, 1) + dt.timedelta(days=n % 1000),
            title=f"Incident {n:05d}",
            killed_min=n % 7,
            killed_max=n % 7,
            sources=[],
        )
        for n in range(3000)
    ]
    assert repo.upsert_many(drafts) == (3000, 0)
    yield repo
    engine.dispose()


def test_fetch_rows_in_pages_keeps_the_order(big_repo: Repository) -> None:
    ids = big_repo.snapshot(EVERYTHING, SortOrder(SortKey.DATE, descending=True))
    assert len(ids) == 3000
    seen: list[tuple[Any, ...]] = []
    page = 256
    for start in range(0, len(ids), page):
        chunk = ids[start : start + page]
        rows = big_repo.fetch_rows(chunk)
        assert set(rows) == set(chunk)
        seen.extend(rows[incident_id] for incident_id in chunk)
    assert [row[0] for row in seen] == list(ids)
    assert all(len(row) == len(ROW_COLUMNS) for row in seen)
    date_at = ROW_COLUMNS.index("date_start")
    keys = [(row[date_at], -row[0]) for row in seen]  # newest first, same-day incidents in order of entry
    assert keys == sorted(keys, reverse=True)
    assert seen[0][ROW_COLUMNS.index("title")].startswith("Incident ")


def test_fetch_rows_more_than_one_query_page_at_once(big_repo: Repository) -> None:
    ids = list(big_repo.snapshot(EVERYTHING, SortOrder(SortKey.TITLE, descending=False)))
    rows = big_repo.fetch_rows(ids[:1200])  # more ids than one IN (...) takes
    assert list(rows) != [] and set(rows) == set(ids[:1200])
    titles = [rows[i][ROW_COLUMNS.index("title")] for i in ids[:1200]]
    assert titles == [f"Incident {n:05d}" for n in range(1200)]


def test_fetch_rows_of_unknown_ids(big_repo: Repository) -> None:
    assert big_repo.fetch_rows([]) == {}
    assert big_repo.fetch_rows([10_000_000]) == {}


def test_summary_and_count_at_scale(big_repo: Repository) -> None:
    summary = big_repo.summary(EVERYTHING)
    assert summary.incidents == big_repo.count() == 3000
    assert summary.killed.min == summary.killed.max == sum(n % 7 for n in range(3000))
    assert summary.killed.unknown == 0 and not summary.killed.open


def test_export_records_follow_the_given_order(big_repo: Repository) -> None:
    ids = list(big_repo.snapshot(EVERYTHING, SortOrder(SortKey.TITLE, descending=True)))[:700]
    records = list(big_repo.export_records(ids, page=128))
    assert [r.values["id"] for r in records] == ids
    assert records[0].values["title"] == "Incident 02999"


# ---- bulk import -----------------------------------------------------------------------------------------


def test_upsert_many_adds_updates_by_uid_and_restores_from_trash(repo: Repository) -> None:
    kept = repo.add(make_draft(uid="uid-kept", title="kept", created_at="2023-11-01T00:00:00Z"))
    trashed = repo.add(make_draft(uid="uid-trashed", title="trashed"))
    repo.delete([trashed])

    added, updated = repo.upsert_many(
        [
            make_draft(uid="uid-kept", title="kept, corrected", updated_at="2023-11-05T12:00:00Z", tags=["fixed"]),
            make_draft(uid="uid-trashed", title="back again"),
            make_draft(uid="uid-new", title="new"),
            make_draft(title="no uid"),
        ]
    )
    assert (added, updated) == (2, 2)
    assert repo.count() == 4
    stored = repo.get(kept)
    assert stored.title == "kept, corrected"
    assert stored.created_at == "2023-11-01T00:00:00Z"  # creation time is the original one
    assert stored.updated_at == "2023-11-05T12:00:00Z"  # the file's own time of change
    assert stored.version == 2
    assert stored.tags == ["fixed"]
    assert repo.trash() == []
    assert repo.get(trashed).title == "back again"
    assert set(repo.existing_uids(["uid-kept", "uid-new", "uid-unknown"])) == {"uid-kept", "uid-new"}


def test_existing_uids_include_the_trash(repo: Repository) -> None:
    incident_id = repo.add(make_draft(uid="in-the-trash"))
    repo.delete([incident_id])
    assert repo.existing_uids(["in-the-trash"]) == {"in-the-trash": incident_id}


def test_upsert_many_is_one_transaction(repo: Repository) -> None:
    repo.add(make_draft(uid="first"))
    bad = make_draft(uid="second", killed_min=5, killed_max=1)  # refused by the schema's check
    with pytest.raises(IntegrityError):
        repo.upsert_many([make_draft(uid="third"), bad])
    assert set(repo.existing_uids(["first", "second", "third"])) == {"first"}


# ---- completions ---------------------------------------------------------------------------------------


def test_completions_most_used_first(repo: Repository) -> None:
    for location in ["Erbil", "Tower 22", "Erbil", "Ain al-Asad", "Erbil", "Tower 22", None]:
        repo.add(make_draft(location=location))
    assert repo.completions("location") == ["Erbil", "Tower 22", "Ain al-Asad"]
    assert repo.completions("location", limit=2) == ["Erbil", "Tower 22"]
    assert repo.completions("perpetrator") == ["Islamic Resistance in Iraq"]
    assert repo.completions("admin1") == []


def test_completions_come_from_the_latest_incidents(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository_module, "COMPLETION_WINDOW", 3)
    for location in ["Old camp", "Old camp", "Old camp", "Erbil", "Tower 22", "Erbil"]:
        repo.add(make_draft(location=location))
    assert repo.completions("location") == ["Erbil", "Tower 22"]  # "Old camp", most used, is too far back


def test_completions_only_for_free_text_fields(repo: Repository) -> None:
    with pytest.raises(ValueError, match="country"):
        repo.completions("country")


def test_repository_on_a_reopened_file(db_path: Path, repo: Repository) -> None:
    incident_id = repo.add(full_draft())
    repo.engine.dispose()
    engine = open_logbook(db_path)
    try:
        again = Repository(engine)
        assert again.has_fts
        assert again.get(incident_id) == repo.get(incident_id)
    finally:
        engine.dispose()


def test_add_many_stores_what_add_stores_and_is_searchable(repo: Repository) -> None:
    drafts = [make_draft(title=f"Bulk {n}", tags=["b", "a"], uid=None) for n in range(3)]
    assert repo.add_many(drafts, batch=2) == 3
    ids = list(repo.snapshot(IncidentFilter(), SortOrder(SortKey.TITLE, descending=False)))
    stored = [repo.get(incident_id) for incident_id in ids]
    assert [d.title for d in stored] == ["Bulk 0", "Bulk 1", "Bulk 2"]
    assert all(d.tags == ["a", "b"] and d.sources == drafts[0].sources and d.version == 1 for d in stored)
    assert len({d.uid for d in stored}) == 3
    assert list(repo.snapshot(IncidentFilter(search="bulk defense"), SortOrder())) != []
    assert repo.add_many([make_draft(title="After")]) == 1 and repo.count() == 4  # ids continue after the last


def test_add_many_keeps_nothing_when_a_row_fails(repo: Repository) -> None:
    repo.add(make_draft(title="Kept"))
    bad = make_draft(title="Bad")
    bad.date_end = dt.date(2000, 1, 1)  # before the start: the database's CHECK refuses it
    with pytest.raises(IntegrityError, match="CHECK constraint"):
        repo.add_many([make_draft(title=f"New {n}") for n in range(5)] + [bad], batch=2)
    assert repo.count() == 1


@pytest.mark.parametrize("entered", ["by date", "in any order"])
def test_the_first_page_of_a_broad_search_is_the_start_of_its_snapshot(
    repo: Repository, monkeypatch: pytest.MonkeyPatch, entered: str
) -> None:
    """A broad text search finds its first page batch by batch along the sort index (with small batches here,
    and "broad" from 30 matches) when the batch's ids lie close together, as a log entered by date has them in
    date order; otherwise the usual query. Either way the page is the start of the snapshot, in every order."""
    monkeypatch.setattr(repository_module, "BROAD_FIRST_PAGE", 30)
    monkeypatch.setattr(repository_module, "TEXT_BATCH", 40)
    monkeypatch.setattr(repository_module, "TEXT_SPREAD", 5)
    rng = random.Random(7)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n // 3) for n in range(1500)]
    if entered == "in any order":
        rng.shuffle(days)
    repo.add_many(
        make_draft(
            date_start=day,
            title=f"{rng.choice(['Drone', 'Rocket', 'Mortar'])} strike {n} {'near the airfield' if n % 7 else ''}",
            killed_min=n % 11,
            killed_max=n % 11,
            location=rng.choice(["Erbil", "al-Tanf", "Ain al-Asad", "Zawiya"]),
        )
        for n, day in enumerate(days)
    )
    paths: list[tuple[SortKey, bool]] = []  # each first page: its sort column, and whether found batch by batch
    batched = Repository._first_text_matches

    def spy(self: Repository, *args: Any) -> Any:
        found = batched(self, *args)
        paths.append((args[3].key, found is not None))
        return found

    monkeypatch.setattr(Repository, "_first_text_matches", spy)
    for search in ("strike", "drone", "airfield", "drone airfield", "erbil"):
        for key in (SortKey.DATE, SortKey.TITLE, SortKey.KILLED, SortKey.LOCATION):
            for descending in (True, False):
                for incident_filter in (
                    IncidentFilter(search=search),
                    IncidentFilter(search=search, date_from=dt.date(2020, 6, 1)),
                ):
                    order = SortOrder(key, descending)
                    first = [row[0] for row in repo.first_rows(incident_filter, order, 100)]
                    assert first == list(repo.snapshot(incident_filter, order)[:100]), (search, order, incident_filter)
    by_date = {batched for key, batched in paths if key is SortKey.DATE}
    assert by_date == {entered == "by date"}  # entered by date, a date-sorted batch's ids lie close together
    assert (SortKey.TITLE, False) in paths  # "Drone strike 1", "Drone strike 10", …: ids far apart
