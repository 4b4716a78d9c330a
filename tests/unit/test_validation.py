"""Validation: each rule refuses what it should, and names the field so the form can show it there."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.domain.validation import ENUM_FIELDS, FieldProblem, validate
from tests.conftest import make_draft


def fields_of(problems: list[FieldProblem]) -> list[str]:
    return [problem.field for problem in problems]


def test_a_valid_draft_has_no_problems() -> None:
    assert validate(make_draft()) == []


def test_a_minimal_draft_with_unknown_figures_is_valid() -> None:
    draft = IncidentDraft(date_start=dt.date(2023, 10, 17), country="SY", event_type="attack")
    assert validate(draft) == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"date_start": None}, "date_start", "required"),
        ({"country": None}, "country", "required"),
        ({"country": ""}, "country", "required"),
        ({"event_type": None}, "event_type", "required"),
        ({"event_type": ""}, "event_type", "required"),
    ],
)
def test_required_fields(changes: dict[str, object], field: str, words: str) -> None:
    problems = validate(make_draft(**changes))
    assert fields_of(problems) == [field]
    assert words in problems[0].message


def test_an_empty_draft_names_every_required_field() -> None:
    assert sorted(fields_of(validate(IncidentDraft()))) == ["country", "date_start", "event_type"]


def test_unknown_country_code_is_refused() -> None:
    problems = validate(make_draft(country="XX"))
    assert fields_of(problems) == ["country"]
    assert "'XX'" in problems[0].message


def test_a_country_name_is_not_a_code() -> None:
    """The draft holds codes; names are turned into codes before (by the form or the CSV reader)."""
    assert fields_of(validate(make_draft(country="Iraq"))) == ["country"]


def test_end_before_start_is_refused_on_the_end_date() -> None:
    problems = validate(make_draft(date_start=dt.date(2023, 11, 2), date_end=dt.date(2023, 11, 1)))
    assert fields_of(problems) == ["date_end"]
    assert "before the start" in problems[0].message


@pytest.mark.parametrize("end", [dt.date(2023, 11, 2), dt.date(2023, 11, 3), None])
def test_end_on_or_after_start_is_fine(end: dt.date | None) -> None:
    assert validate(make_draft(date_start=dt.date(2023, 11, 2), date_end=end)) == []


@pytest.mark.parametrize(("low", "high"), [("killed_min", "killed_max"), ("injured_min", "injured_max")])
def test_minimum_above_maximum_is_refused_on_the_maximum(low: str, high: str) -> None:
    problems = validate(make_draft(**{low: 7, high: 3}))
    assert fields_of(problems) == [high]
    assert "(3)" in problems[0].message and "(7)" in problems[0].message


@pytest.mark.parametrize(("low", "high"), [("killed_min", "killed_max"), ("injured_min", "injured_max")])
def test_casualty_figures_that_are_fine(low: str, high: str) -> None:
    for low_value, high_value in [(None, None), (0, 0), (3, 3), (3, 7), (45, None)]:
        assert validate(make_draft(**{low: low_value, high: high_value})) == [], (low_value, high_value)


@pytest.mark.parametrize(("low", "high"), [("killed_min", "killed_max"), ("injured_min", "injured_max")])
def test_a_maximum_without_a_minimum_asks_for_the_minimum(low: str, high: str) -> None:
    assert fields_of(validate(make_draft(**{low: None, high: 4}))) == [low]


@pytest.mark.parametrize("field", ["killed_min", "killed_max", "injured_min", "injured_max"])
def test_negative_figures_are_refused(field: str) -> None:
    draft = make_draft(killed_min=None, killed_max=None, injured_min=None, injured_max=None)
    draft = dataclasses.replace(draft, **{field: -1})
    if field.endswith("_max"):
        draft = dataclasses.replace(draft, **{field.replace("_max", "_min"): -2})
    problems = validate(draft)
    assert field in fields_of(problems)
    assert all("negative" in p.message for p in problems if p.field == field)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (90.5, 43.0, "latitude"),
        (-91.0, 43.0, "latitude"),
        (33.8, 180.5, "longitude"),
        (33.8, -200.0, "longitude"),
        (float("nan"), 43.0, "latitude"),
        (33.8, float("inf"), "longitude"),
    ],
)
def test_coordinates_out_of_range(latitude: float, longitude: float, field: str) -> None:
    problems = validate(make_draft(latitude=latitude, longitude=longitude))
    assert fields_of(problems) == [field]
    assert "outside" in problems[0].message


@pytest.mark.parametrize(("latitude", "longitude"), [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (33.8, 42.44)])
def test_coordinates_in_range_including_the_limits(latitude: float, longitude: float) -> None:
    assert validate(make_draft(latitude=latitude, longitude=longitude)) == []


@pytest.mark.parametrize(
    ("latitude", "longitude", "missing"),
    [(33.8, None, "longitude"), (None, 42.4, "latitude"), (0.0, None, "longitude")],
)
def test_only_one_coordinate_names_the_missing_one(
    latitude: float | None, longitude: float | None, missing: str
) -> None:
    problems = validate(make_draft(latitude=latitude, longitude=longitude))
    assert fields_of(problems) == [missing]
    assert "both" in problems[0].message


@pytest.mark.parametrize("field", sorted(ENUM_FIELDS))
def test_a_bad_enumeration_code_names_its_field_and_the_choices(field: str) -> None:
    problems = validate(make_draft(**{field: "bogus"}))
    assert fields_of(problems) == [field]
    assert "'bogus'" in problems[0].message
    some_code = next(iter(ENUM_FIELDS[field])).value
    assert some_code in problems[0].message


@pytest.mark.parametrize("field", sorted(ENUM_FIELDS))
def test_every_code_of_every_enumeration_is_accepted(field: str) -> None:
    for member in ENUM_FIELDS[field]:
        assert validate(make_draft(**{field: member.value})) == [], (field, member)


@pytest.mark.parametrize("field", ["outcome", "weapon"])
def test_a_label_is_not_a_code(field: str) -> None:
    """Labels ("Small arms", "Intercepted") are turned into codes on the way in, never stored."""
    label = {"outcome": "Intercepted", "weapon": "Small arms"}[field]
    assert fields_of(validate(make_draft(**{field: label}))) == [field]


def test_a_source_needs_a_name_or_a_url() -> None:
    sources = [SourceDraft("Reuters", "media"), SourceDraft(None, "media", None), SourceDraft("", "media", "")]
    problems = validate(make_draft(sources=sources))
    assert fields_of(problems) == ["sources", "sources"]
    assert "source 2" in problems[0].message
    assert "source 3" in problems[1].message


@pytest.mark.parametrize("source", [SourceDraft(None, "media", "https://x.example/"), SourceDraft("AP", "media")])
def test_a_source_with_only_a_name_or_only_a_url_is_fine(source: SourceDraft) -> None:
    assert validate(make_draft(sources=[source])) == []


def test_a_source_with_a_bad_kind() -> None:
    problems = validate(make_draft(sources=[SourceDraft("AP", "newspaper")]))
    assert fields_of(problems) == ["sources"]
    assert "'newspaper'" in problems[0].message


@pytest.mark.parametrize("name", ["two\nlines", "carriage\rreturn"])
def test_a_source_name_on_several_lines_is_refused(name: str) -> None:
    assert fields_of(validate(make_draft(sources=[SourceDraft(name, "media")]))) == ["sources"]


@pytest.mark.parametrize("tag", ["a;b", ";", "", "   "])
def test_bad_tags(tag: str) -> None:
    problems = validate(make_draft(tags=["fine", tag]))
    assert fields_of(problems) == ["tags"]
    assert repr(tag) in problems[0].message


def test_good_tags() -> None:
    assert validate(make_draft(tags=["drone", "Ain al-Asad", "Tower 22", "ü"])) == []


def test_several_problems_are_all_reported() -> None:
    draft = make_draft(
        date_start=None,
        country="",
        killed_min=5,
        killed_max=2,
        latitude=100.0,
        longitude=None,
        outcome="exploded",
        tags=["x;y"],
    )
    assert sorted(fields_of(validate(draft))) == [
        "country",
        "date_start",
        "killed_max",
        "latitude",
        "longitude",
        "outcome",
        "tags",
    ]


def test_problem_reads_as_field_and_message() -> None:
    assert str(FieldProblem("date_end", "the end date is before the start date")) == (
        "date_end: the end date is before the start date"
    )


def test_an_impossible_casualty_figure_is_refused_not_stored() -> None:
    problems = validate(make_draft(killed_min=5, killed_max=10**19))
    assert [problem.field for problem in problems] == ["killed_max"]
    assert "check the figure" in problems[0].message
