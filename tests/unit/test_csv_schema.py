"""The canonical CSV format: cells a spreadsheet user writes or reads, and the round trip export -> import."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logbook.domain import csv_schema
from logbook.domain.csv_schema import (
    COLUMNS,
    FORMULA_TRIGGERS,
    REQUIRED_COLUMNS,
    RowParser,
    format_row,
    format_sources,
    format_tags,
    neutralise,
    parse_row,
    parse_sources,
    parse_tags,
    unneutralise,
)
from logbook.domain.enums import SourceKind
from logbook.domain.record import INCIDENT_FIELDS, SourceDraft, format_range
from logbook.domain.validation import validate
from tests.conftest import make_draft

FAST = settings(max_examples=100, deadline=None)
VALID_ROW = {"date_start": "2023-11-02", "country": "Iraq", "event_type": "attack"}


def parse_ok(**cells: str):  # type: ignore[no-untyped-def]
    draft, problems = parse_row({**VALID_ROW, **cells})
    assert problems == []
    assert draft is not None
    return draft


def problem_fields(**cells: str) -> list[str]:
    draft, problems = parse_row({**VALID_ROW, **cells})
    assert draft is None
    return [problem.field for problem in problems]


# ---- sources ------------------------------------------------------------------------------------------------


def test_sources_cell_one_line_per_source_trailing_empty_fields_left_out() -> None:
    sources = [
        SourceDraft("US Department of Defense", "official", "https://www.defense.gov/", dt.date(2023, 11, 3)),
        SourceDraft("Reuters", "media"),
        SourceDraft(None, "open_source", "https://t.me/x"),
    ]
    assert format_sources(sources) == (
        "US Department of Defense | official | https://www.defense.gov/ | 2023-11-03\n"
        "Reuters | media\n"
        " | open_source | https://t.me/x"
    )
    assert parse_sources(format_sources(sources)) == sources


def test_pipe_and_backslash_inside_a_field_are_escaped() -> None:
    source = SourceDraft(r"Left | Right \ Centre", "media", "https://x.example/a|b\\c")
    cell = format_sources([source])
    assert cell == r"Left \| Right \\ Centre | media | https://x.example/a\|b\\c"
    assert parse_sources(cell) == [source]


def test_parse_sources_accepts_what_people_type() -> None:
    cell = "\n  AP|MEDIA  \n\nDoD | Official | https://www.defense.gov/|2023-11-03\nSomeone\n"
    assert parse_sources(cell) == [
        SourceDraft("AP", "media"),
        SourceDraft("DoD", "official", "https://www.defense.gov/", dt.date(2023, 11, 3)),
        SourceDraft("Someone", "other"),
    ]


def test_parse_sources_kind_by_label_in_any_case() -> None:
    assert [s.kind for s in parse_sources("a | Open source\nb | SOCIAL MEDIA\nc | ngo\nd | NGO")] == [
        "open_source",
        "social_media",
        "ngo",
        "ngo",
    ]


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("AP | newspaper", "source line 1: kind"),
        ("AP | media\nDoD | official | https://x | 3 Nov 2023", "source line 2"),
        ("a | media | u | 2023-11-03 | extra", "5 fields"),
    ],
)
def test_bad_sources_say_which_line(cell: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_sources(cell)


safe_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30).map(
    str.strip
)
source_drafts = st.builds(
    SourceDraft,
    name=safe_text.map(lambda t: t or None),
    kind=st.sampled_from([kind.value for kind in SourceKind]),
    url=safe_text.map(lambda t: t or None),
    published=st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
).filter(lambda s: bool(s.name or s.url))


@FAST
@given(st.lists(source_drafts, max_size=5))
def test_sources_round_trip(sources: list[SourceDraft]) -> None:
    """Any sources validation lets through come back from the cell exactly as they went in."""
    assert validate(make_draft(sources=sources)) == []
    assert parse_sources(format_sources(sources)) == sources


@FAST
@given(st.lists(source_drafts, min_size=1, max_size=3))
def test_sources_round_trip_through_a_whole_row(sources: list[SourceDraft]) -> None:
    draft = make_draft(sources=sources)
    cells = dict(zip(COLUMNS, format_row(_stored_values(draft), draft.sources, draft.tags), strict=True))
    parsed, problems = parse_row(cells)
    assert problems == []
    assert parsed is not None
    assert parsed.sources == sources


# ---- tags ---------------------------------------------------------------------------------------------------


def test_tags_cell() -> None:
    assert format_tags(["tower 22", "drone", "jordan"]) == "drone; jordan; tower 22"
    assert parse_tags(" drone ;jordan;;  tower 22 ; drone; ") == ["drone", "jordan", "tower 22"]
    assert parse_tags("") == []


tags = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=";"), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool),
    max_size=6,
)


@FAST
@given(tags)
def test_tags_round_trip(values: list[str]) -> None:
    assert parse_tags(format_tags(values)) == sorted(set(values))


# ---- formula neutralising -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=SUM(A1:A9)", "+1", "-3 killed", "@attack", "\tx", "\rx", "'=x", "''+1"])
def test_formula_cells_get_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert unneutralise(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["", "Drone attack", "'quoted'", "it's", "a=b", " =x", "'"])
def test_other_cells_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell
    assert unneutralise(cell) == cell


any_cell = st.text(
    alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " ", "1"]), max_size=8
) | st.text(max_size=8)


@FAST
@given(any_cell)
def test_neutralise_round_trip(cell: str) -> None:
    neutral = neutralise(cell)
    assert unneutralise(neutral) == cell
    assert not neutral.startswith(FORMULA_TRIGGERS)
    assert neutralise(unneutralise(neutral)) == neutral


@FAST
@given(any_cell, any_cell)
def test_neutralise_never_makes_two_cells_alike(first: str, second: str) -> None:
    if first != second:
        assert neutralise(first) != neutralise(second)


def test_formula_prefix_taken_off_on_import_in_text_columns_only() -> None:
    draft = parse_ok(notes='\'=HYPERLINK("x")', title="'-3 killed", tags="'+drone; x")
    assert draft.notes == '=HYPERLINK("x")'
    assert draft.title == "-3 killed"
    assert draft.tags == ["+drone", "x"]
    assert parse_ok(title="'quoted'").title == "'quoted'"


# ---- rows ---------------------------------------------------------------------------------------------------


def test_columns_cover_the_record() -> None:
    assert set(INCIDENT_FIELDS) <= set(COLUMNS)
    assert {"sources", "tags"} <= set(COLUMNS)
    assert set(REQUIRED_COLUMNS) <= set(COLUMNS)
    assert len(set(COLUMNS)) == len(COLUMNS)


@pytest.mark.parametrize(
    ("column", "cell", "code"),
    [
        ("weapon", "Small arms", "small_arms"),
        ("weapon", "SMALL_ARMS", "small_arms"),
        ("weapon", "ied", "ied"),
        ("weapon", "IED", "ied"),
        ("outcome", "INTERCEPTED", "intercepted"),
        ("outcome", "Intercepted", "intercepted"),
        ("outcome", " hit ", "hit"),
        ("event_type", "Strike", "strike"),
        ("target_type", "Military base", "military_base"),
        ("attribution", "ATTRIBUTED", "attributed"),
        ("damage", "None", "none"),
        ("verification", "Corroborated", "corroborated"),
        ("date_precision", "MONTH", "month"),
        ("geo_precision", "Province", "province"),
    ],
)
def test_enumeration_labels_and_codes_in_any_case(column: str, cell: str, code: str) -> None:
    assert getattr(parse_ok(**{column: cell}), column) == code


def test_a_bad_enumeration_names_its_column_and_the_choices() -> None:
    draft, problems = parse_row({**VALID_ROW, "outcome": "exploded"})
    assert draft is None
    assert [p.field for p in problems] == ["outcome"]
    assert "'exploded'" in problems[0].message and "intercepted" in problems[0].message


@pytest.mark.parametrize(
    ("cell", "code"),
    [("Syria", "SY"), ("syria", "SY"), ("SY", "SY"), ("SYR", "SY"), ("United States", "US"), ("USA", "US")],
)
def test_countries_by_name_alias_or_code(cell: str, code: str) -> None:
    assert parse_ok(country=cell).country == code


def test_unknown_country_is_named() -> None:
    draft, problems = parse_row({**VALID_ROW, "country": "Atlantis"})
    assert draft is None
    assert [p.field for p in problems] == ["country"]
    assert "Atlantis" in problems[0].message


@pytest.mark.parametrize(
    ("column", "cell", "words"),
    [
        ("date_start", "2/11/2023", "not a date"),
        ("date_start", "2023-11-31", "not a date"),
        ("date_end", "yesterday", "not a date"),
        ("latitude", "33,8", "not a number"),
        ("longitude", "east", "not a number"),
        ("latitude", "nan", "not a finite number"),
        ("longitude", "inf", "not a finite number"),
        ("latitude", "-inf", "not a finite number"),
        ("latitude", "1e999", "not a finite number"),
        ("killed_min", "-3", "not a whole number"),
        ("killed_max", "1,400", "not a whole number"),
        ("injured_min", "3.5", "not a whole number"),
        ("injured_max", "several", "not a whole number"),
        ("killed_min", "²", "not a whole number"),
        ("created_at", "2023-11-02 10:00", "not a UTC timestamp"),
    ],
)
def test_bad_cells_are_named_by_field(column: str, cell: str, words: str) -> None:
    draft, problems = parse_row({**VALID_ROW, column: cell})
    assert draft is None
    assert [p.field for p in problems] == [column]
    assert words in problems[0].message
    assert repr(cell) in problems[0].message


def test_all_bad_cells_of_a_row_are_reported_together() -> None:
    assert problem_fields(date_start="x", killed_min="-1", latitude="nan", country="Nowhere") == [
        "date_start",
        "country",
        "killed_min",
        "latitude",
    ]


def test_empty_cells_are_unknown_never_zero() -> None:
    draft = parse_ok(killed_min="", killed_max=" ", injured_min="", injured_max="", latitude="", notes="")
    assert (draft.killed_min, draft.killed_max, draft.injured_min, draft.injured_max) == (None, None, None, None)
    assert draft.latitude is None and draft.notes is None


def test_numbers() -> None:
    draft = parse_ok(killed_min="0", killed_max="0", injured_min="45", latitude="33.8", longitude="-42.44")
    assert (draft.killed_min, draft.killed_max, draft.injured_min, draft.injured_max) == (0, 0, 45, None)
    assert (draft.latitude, draft.longitude) == (33.8, -42.44)


def test_a_row_round_trips_every_field() -> None:
    draft = make_draft(
        date_end=dt.date(2023, 11, 3),
        date_precision="week",
        admin1="Al Anbar",
        latitude=33.8,
        longitude=42.44,
        geo_precision="near",
        target_type="military_base",
        target="US forces",
        damage="minor",
        killed_min=1,
        killed_max=None,
        injured_min=3,
        injured_max=7,
        notes='=not a formula; "quoted"\nsecond line',
        tags=["drone", "iraq"],
        uid="2f1d3c4e-0000-4000-8000-000000000001",
        created_at="2023-11-02T10:00:00Z",
        updated_at="2023-11-03T11:30:00Z",
    )
    row = format_row(_stored_values(draft), draft.sources, draft.tags)
    assert len(row) == len(COLUMNS)
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["country"] == "Iraq"
    assert cells["killed_max"] == ""
    assert cells["notes"].startswith("'=")
    parsed, problems = parse_row(cells)
    assert problems == []
    assert parsed == draft


@pytest.mark.parametrize(
    ("low", "high", "text"), [(3, 3, "3"), (3, 7, "3–7"), (45, None, "45+"), (None, None, "?"), (0, 0, "0")]
)
def test_format_range(low: int | None, high: int | None, text: str) -> None:
    assert format_range(low, high) == text


def _stored_values(draft):  # type: ignore[no-untyped-def]
    """What the repository hands the exporter: every incident column by name."""
    return {name: getattr(draft, name) for name in INCIDENT_FIELDS}


# ---- many rows of one file ----------------------------------------------------------------------------------


def test_a_row_parser_remembers_values_but_never_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_schema, "MEMO_LIMIT", 2)  # past the limit, cells are converted every time
    parse = RowParser(("date_start", "country", "event_type", "killed_min"))
    rows = [
        ("2023-11-02", "Iraq", "Attack", "3"),
        ("2023-11-03", "Syria", "attack", "x"),
        ("2023-11-02", "iraq", "", ""),
    ]
    results = [parse(row) for row in rows * 2]
    assert results[:3] == results[3:]
    assert [(draft.date_start, draft.country, draft.event_type) for draft, _ in results if draft] == [
        (dt.date(2023, 11, 2), "IQ", "attack"),
        (dt.date(2023, 11, 2), "IQ", None),
    ] * 2
    assert [problem.field for problem in results[1][1]] == ["killed_min"]
    assert results[1] == parse_row(
        dict(zip(("date_start", "country", "event_type", "killed_min"), rows[1], strict=True))
    )
