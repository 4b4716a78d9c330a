"""The figures a report quotes (DESIGN.md, "Summary semantics"): unknown is never folded into a total."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from logbook.domain.enums import Outcome
from logbook.domain.filters import IncidentFilter
from logbook.domain.summary import Casualties, Summary, empty_outcomes
from logbook.store.repository import Repository
from tests.conftest import make_draft

D = dt.date
EVERYTHING = IncidentFilter()


Figure = tuple[int | None, int | None]


def add(repo: Repository, killed: Figure, injured: Figure = (0, 0), **fields: object) -> int:
    return repo.add(
        make_draft(killed_min=killed[0], killed_max=killed[1], injured_min=injured[0], injured_max=injured[1], **fields)
    )


def test_an_empty_logbook(repo: Repository) -> None:
    summary = repo.summary(EVERYTHING)
    assert summary.incidents == 0
    assert summary.by_country == {}
    assert summary.by_outcome == {"intercepted": 0, "missed": 0, "hit": 0, "unknown": 0}
    assert summary.killed == Casualties(0, 0, False, 0)
    assert summary.injured == Casualties(0, 0, False, 0)


def test_zero_is_a_known_figure_and_unknown_is_counted_apart(repo: Repository) -> None:
    add(repo, killed=(0, 0))
    add(repo, killed=(None, None))
    add(repo, killed=(None, None))
    killed = repo.summary(EVERYTHING).killed
    assert (killed.min, killed.max, killed.open, killed.unknown) == (0, 0, False, 2)
    assert killed.text() == "0"


def test_exact_figures_and_ranges_are_summed(repo: Repository) -> None:
    add(repo, killed=(3, 3), injured=(10, 12))
    add(repo, killed=(1, 4), injured=(0, 0))
    add(repo, killed=(None, None), injured=(5, 5))
    summary = repo.summary(EVERYTHING)
    assert summary.killed == Casualties(min=4, max=7, open=False, unknown=1)
    assert summary.injured == Casualties(min=15, max=17, open=False, unknown=0)
    assert summary.killed.text() == "4–7"
    assert summary.injured.text() == "15–17"


def test_at_least_makes_the_total_open(repo: Repository) -> None:
    add(repo, killed=(5, None))  # "at least 5"
    add(repo, killed=(2, 2))
    add(repo, killed=(None, None))
    killed = repo.summary(EVERYTHING).killed
    assert killed.open is True
    assert killed.min == 7
    assert killed.unknown == 1
    assert killed.text() == "7+"


def test_the_45_injuries_of_the_report(repo: Repository) -> None:
    """A report's "45 injuries": one figure of 45, the rest known to be none; injured is separate."""
    add(repo, killed=(0, 0), injured=(45, 45), country="IQ")
    for _ in range(3):
        add(repo, killed=(0, 0), injured=(0, 0), country="SY")
    summary = repo.summary(EVERYTHING)
    assert summary.injured == Casualties(45, 45, False, 0)
    assert summary.injured.text() == "45"
    assert summary.killed.text() == "0"


def test_injured_and_killed_are_independent(repo: Repository) -> None:
    add(repo, killed=(None, None), injured=(45, None))
    summary = repo.summary(EVERYTHING)
    assert summary.killed == Casualties(0, 0, False, 1)
    assert summary.injured == Casualties(45, 0, True, 0)
    assert summary.injured.text() == "45+"


def test_by_country_by_short_name_most_first(repo: Repository) -> None:
    for country, times in (("SY", 2), ("IQ", 4), ("US", 1), ("IR", 1), ("RU", 2)):
        for _ in range(times):
            add(repo, killed=(0, 0), country=country)
    by_country = repo.summary(EVERYTHING).by_country
    assert list(by_country.items()) == [("Iraq", 4), ("Russia", 2), ("Syria", 2), ("Iran", 1), ("United States", 1)]


def test_by_outcome_has_every_outcome_in_order(repo: Repository) -> None:
    add(repo, killed=(0, 0), outcome="intercepted")
    add(repo, killed=(0, 0), outcome="intercepted")
    add(repo, killed=(0, 0), outcome="hit")
    by_outcome = repo.summary(EVERYTHING).by_outcome
    assert by_outcome == {"intercepted": 2, "missed": 0, "hit": 1, "unknown": 0}
    assert list(by_outcome) == [outcome.value for outcome in Outcome]
    assert list(empty_outcomes()) == list(by_outcome)


def test_summary_counts_only_what_the_filter_matches(repo: Repository) -> None:
    add(repo, killed=(1, 1), date_start=D(2023, 10, 17), country="IQ")
    add(repo, killed=(2, 2), date_start=D(2023, 10, 26), country="SY", outcome="hit")
    add(repo, killed=(4, None), date_start=D(2023, 11, 2), country="SY", outcome="missed")
    add(repo, killed=(8, 8), date_start=D(2023, 11, 3), country="SY")
    deleted = add(repo, killed=(100, 100), date_start=D(2023, 10, 30), country="SY")
    repo.delete([deleted])

    incident_filter = IncidentFilter(date_from=D(2023, 10, 17), date_to=D(2023, 11, 2))
    summary = repo.summary(incident_filter)
    assert summary.incidents == 3
    assert summary.killed == Casualties(min=7, max=3, open=True, unknown=0)
    assert summary.by_country == {"Syria": 2, "Iraq": 1}
    assert summary.by_outcome == {"intercepted": 1, "missed": 1, "hit": 1, "unknown": 0}

    only_syria = repo.summary(IncidentFilter(countries=("SY",), outcomes=("hit",)))
    assert (only_syria.incidents, only_syria.killed.text()) == (1, "2")


def test_to_json_shape(repo: Repository) -> None:
    add(repo, killed=(5, None), injured=(None, None), country="SY", outcome="hit")
    add(repo, killed=(1, 2), injured=(3, 3), country="IQ", outcome="missed")
    incident_filter = IncidentFilter(date_from=D(2023, 10, 17), date_to=D(2023, 11, 30))
    data = repo.summary(incident_filter).to_json()
    assert set(data) == {"incidents", "by_country", "by_outcome", "killed", "injured", "from", "to"}
    assert data == {
        "incidents": 2,
        "by_country": {"Iraq": 1, "Syria": 1},
        "by_outcome": {"intercepted": 0, "missed": 1, "hit": 1, "unknown": 0},
        "killed": {"min": 6, "max": 2, "open": True, "unknown": 0},
        "injured": {"min": 3, "max": 3, "open": False, "unknown": 1},
        "from": "2023-10-17",
        "to": "2023-11-30",
    }
    assert json.loads(json.dumps(data)) == data  # plain JSON types only


@pytest.mark.parametrize(
    ("date_from", "date_to", "json_from", "json_to"),
    [
        (None, None, None, None),
        (D(2023, 10, 17), None, "2023-10-17", None),
        (None, D(2023, 11, 2), None, "2023-11-02"),
    ],
)
def test_the_filter_dates_are_echoed(
    repo: Repository, date_from: dt.date | None, date_to: dt.date | None, json_from: str | None, json_to: str | None
) -> None:
    summary = repo.summary(IncidentFilter(date_from=date_from, date_to=date_to))
    assert (summary.date_from, summary.date_to) == (date_from, date_to)
    assert (summary.to_json()["from"], summary.to_json()["to"]) == (json_from, json_to)


@pytest.mark.parametrize(
    ("casualties", "text"),
    [
        (Casualties(0, 0), "0"),
        (Casualties(45, 45), "45"),
        (Casualties(45, 60), "45–60"),
        (Casualties(45, 45, open=True), "45+"),
        (Casualties(0, 0, open=False, unknown=3), "0"),
    ],
)
def test_casualties_text(casualties: Casualties, text: str) -> None:
    assert casualties.text() == text


def test_summary_is_a_plain_value() -> None:
    summary = Summary(3, {"Iraq": 3}, empty_outcomes(), Casualties(), Casualties())
    assert summary.to_json()["from"] is None
    with pytest.raises(AttributeError):
        summary.incidents = 4  # type: ignore[misc]
