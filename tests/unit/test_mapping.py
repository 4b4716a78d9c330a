"""Files from elsewhere, in the domain: cell conversions, sniffing, suggested mappings, rows through a mapping, and
presets."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logbook.domain.conversions import (
    AmbiguousDateError,
    DateFormat,
    PartialDate,
    clean_text,
    guess_date_format,
    outside_bounds,
    parse_coordinate,
    parse_count,
    parse_date,
    parse_date_parts,
    parse_figure,
)
from logbook.domain.enums import DatePrecision
from logbook.domain.mapping import (
    PRESET_FORMAT,
    TARGETS,
    FieldMapping,
    Mapping,
    MappingError,
    PresetError,
    RowMapper,
    column_names,
    load_preset,
    mapping_from_toml,
    mapping_to_toml,
    save_preset,
    sniff_encoding,
    sniff_layout,
    suggest_mapping,
    suggest_target,
    unreadable_values,
)
from logbook.domain.record import SourceDraft, format_range

TODAY = dt.date(2024, 6, 1)

# ---- casualty figures -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "figure"),
    [
        ("3", (3, 3)),
        ("0", (0, 0)),
        ("3 – 7", (3, 7)),
        ("3-7", (3, 7)),
        ("3—7", (3, 7)),
        ("3 to 7", (3, 7)),
        ("between 3 and 7", (3, 7)),
        ("10+", (10, None)),
        ("10 +", (10, None)),
        ("at least 10", (10, None)),
        ("At Least 10", (10, None)),
        ("10 or more", (10, None)),
        (">= 10", (10, None)),
        ("more than 10", (11, None)),
        ("over 10", (11, None)),
        ("up to 5", (0, 5)),
        ("1,200", (1200, 1200)),
        ("1 200", (1200, 1200)),
        ("1\u00a0200", (1200, 1200)),
        ("1.200", (1200, 1200)),
        ("12.0", (12, 12)),
        ("1,200 – 1,500", (1200, 1500)),
        ("  7 ", (7, 7)),
    ],
)
def test_casualty_figures_as_people_write_them(cell: str, figure: tuple[int | None, int | None]) -> None:
    assert parse_figure(cell) == figure


@pytest.mark.parametrize("cell", ["", " ", "Unknown", "unknown", "NA", "N/A", "n/a", "-", "–", "?", "#N/A", "nan"])
def test_unknown_casualties_are_never_zero(cell: str) -> None:
    assert parse_figure(cell) == (None, None)
    assert parse_count(cell) is None


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("-3", "cannot be negative"),
        ("about 10", "not a casualty figure"),
        ("several", "not a casualty figure"),
        ("=SUM(A1:A3)", "not a casualty figure"),
        ("2.5", "not a casualty figure"),
    ],
)
def test_impossible_casualty_figures_say_what_is_expected(cell: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as caught:
        parse_figure(cell)
    assert "10+" in str(caught.value) or "negative" in str(caught.value)


def test_a_count_takes_one_number_and_a_minimum_an_open_one() -> None:
    assert parse_count("1,200") == 1200
    assert parse_count("10+", open_ended=True) == 10
    with pytest.raises(ValueError, match="is a range"):
        parse_count("3-7")
    with pytest.raises(ValueError, match="is a range"):
        parse_count("10+")


figures = st.integers(min_value=0, max_value=10_000_000)


@given(figures, st.one_of(st.none(), figures))
def test_every_figure_the_app_shows_reads_back(low: int, extra: int | None) -> None:
    high = None if extra is None else low + extra
    assert parse_figure(format_range(low, high)) == (low, high)


@given(figures, figures, st.sampled_from(["-", "–", "—", " - ", " – ", " to "]))
def test_ranges_with_thousands_separators_and_any_dash(low: int, high: int, dash: str) -> None:
    assert parse_figure(f"{low:,}{dash}{high:,}") == (low, high)


@given(st.text(max_size=20))
def test_any_text_is_a_figure_or_a_value_error(cell: str) -> None:
    try:
        low, high = parse_figure(cell)
    except ValueError:
        return
    assert low is None or low >= 0
    assert high is None or low is not None


# ---- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "date_format", "start", "precision"),
    [
        ("2023-10-07", DateFormat.ISO, dt.date(2023, 10, 7), "day"),
        ("2023-10", DateFormat.ISO, dt.date(2023, 10, 1), "month"),
        ("2023", DateFormat.ISO, dt.date(2023, 1, 1), "year"),
        ("2023-10-07T14:30:00Z", DateFormat.ISO, dt.date(2023, 10, 7), "day"),
        ("07/10/2023", DateFormat.DAY_FIRST, dt.date(2023, 10, 7), "day"),
        ("7/10/2023 14:30", DateFormat.DAY_FIRST, dt.date(2023, 10, 7), "day"),
        ("10/07/2023", DateFormat.MONTH_FIRST, dt.date(2023, 10, 7), "day"),
        ("10/7/23", DateFormat.MONTH_FIRST, dt.date(2023, 10, 7), "day"),
        ("7.10.2023", DateFormat.DAY_FIRST_DOTS, dt.date(2023, 10, 7), "day"),
        ("october-7-2023", DateFormat.MONTH_NAMES, dt.date(2023, 10, 7), "day"),
        ("7 Oct 2023", DateFormat.MONTH_NAMES, dt.date(2023, 10, 7), "day"),
        ("Oct 7, 2023", DateFormat.MONTH_NAMES, dt.date(2023, 10, 7), "day"),
        ("Saturday, 7th October 2023", DateFormat.MONTH_NAMES, dt.date(2023, 10, 7), "day"),
        ("October 2023", DateFormat.MONTH_NAMES, dt.date(2023, 10, 1), "month"),
        ("2023-10-07", DateFormat.AUTO, dt.date(2023, 10, 7), "day"),
        ("7 Oct 2023", DateFormat.AUTO, dt.date(2023, 10, 7), "day"),
        ("25/10/2023", DateFormat.AUTO, dt.date(2023, 10, 25), "day"),
        ("10/25/2023", DateFormat.AUTO, dt.date(2023, 10, 25), "day"),
        ("7.10.2023", DateFormat.AUTO, dt.date(2023, 10, 7), "day"),
        ("5/5/2023", DateFormat.AUTO, dt.date(2023, 5, 5), "day"),
    ],
)
def test_dates_in_each_format(cell: str, date_format: DateFormat, start: dt.date, precision: str) -> None:
    assert parse_date(cell, date_format, TODAY) == PartialDate(start, DatePrecision(precision))


@pytest.mark.parametrize(
    ("cell", "date_format", "words"),
    [
        ("07/10/2023", DateFormat.AUTO, "choose the date format"),
        ("31/02/2023", DateFormat.DAY_FIRST, "not a real date"),
        ("13/25/2023", DateFormat.DAY_FIRST, "not a real date"),
        ("2023-10-07", DateFormat.DAY_FIRST, "dd/mm/yyyy"),
        ("yesterday", DateFormat.AUTO, "not a date"),
        ("7 Oct", DateFormat.MONTH_NAMES, "month name"),
    ],
)
def test_impossible_dates_say_what_was_expected(cell: str, date_format: DateFormat, words: str) -> None:
    with pytest.raises(ValueError, match=words) as caught:
        parse_date(cell, date_format, TODAY)
    assert repr(cell) in str(caught.value)


def test_an_ambiguous_date_is_its_own_error() -> None:
    with pytest.raises(AmbiguousDateError):
        parse_date("3/4/2023")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_reads_back_in_every_format(day: dt.date) -> None:
    written = {
        DateFormat.ISO: day.isoformat(),
        DateFormat.DAY_FIRST: day.strftime("%d/%m/%Y"),
        DateFormat.MONTH_FIRST: day.strftime("%m/%d/%Y"),
        DateFormat.DAY_FIRST_DOTS: f"{day.day}.{day.month}.{day.year}",
        DateFormat.MONTH_NAMES: day.strftime("%B-%d-%Y").lower(),
    }
    for date_format, cell in written.items():
        assert parse_date(cell, date_format, TODAY) == PartialDate(day), (date_format, cell)
    assert parse_date(day.strftime("%d %b %Y"), DateFormat.AUTO, TODAY) == PartialDate(day)


def test_dates_from_parts_have_the_precision_they_were_given() -> None:
    assert parse_date_parts("2023", "10", "7") == PartialDate(dt.date(2023, 10, 7))
    assert parse_date_parts("2023", "Oct", "") == PartialDate(dt.date(2023, 10, 1), DatePrecision.MONTH)
    assert parse_date_parts("2023", "", "") == PartialDate(dt.date(2023, 1, 1), DatePrecision.YEAR)
    assert parse_date_parts("2024", "2", "").end == dt.date(2024, 2, 29)
    wrong = [
        (("23", "1", "1"), "not a year"),
        (("2023", "13", ""), "not a month"),
        (("2023", "", "5"), "without a month"),
        (("2023", "2", "30"), "has no day 30"),
    ]
    for parts, words in wrong:
        with pytest.raises(ValueError, match=words):
            parse_date_parts(*parts)


def test_the_date_format_of_a_column_is_guessed_from_its_values() -> None:
    assert guess_date_format(["2023-10-07", "2023-10-08", ""]) is DateFormat.ISO
    assert guess_date_format(["07/10/2023", "25/10/2023"]) is DateFormat.DAY_FIRST
    assert guess_date_format(["10/07/2023", "10/25/2023"]) is DateFormat.MONTH_FIRST
    assert guess_date_format(["7.10.2023"]) is DateFormat.DAY_FIRST_DOTS
    assert guess_date_format(["07/10/2023", "7 Oct 2023"]) is DateFormat.AUTO


# ---- coordinates and text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [("33.5", 33.5), ("33,5", 33.5), ("-7.25", -7.25), ("33.5 N", 33.5), ("44,2°E", 44.2), ("12 S", -12.0),
     ("77.1W", -77.1), ("N/A", None), ("", None)],
)  # fmt: skip
def test_coordinates_with_decimal_commas_and_hemispheres(cell: str, value: float | None) -> None:
    assert parse_coordinate(cell) == value


def test_a_coordinate_that_is_not_one() -> None:
    with pytest.raises(ValueError, match="decimal degrees"):
        parse_coordinate("33°30'N")


def test_rough_country_bounds() -> None:
    assert not outside_bounds("IQ", 33.4, 44.4)  # Baghdad
    assert outside_bounds("IQ", 44.4, 33.4)  # the wrong way round
    assert not outside_bounds("IQ", 29.2, 48.9)  # the coast, within the margin
    assert not outside_bounds("FR", 0.0, 0.0)  # no box: not checked


def test_stray_spaces() -> None:
    assert clean_text("  Ain\u00a0 al-Asad \t") == "Ain al-Asad"
    assert clean_text("line 1  \r\nline 2 \n", multiline=True) == "line 1\nline 2"
    assert clean_text("two\nlines") == "two lines"


# ---- the file: encoding, delimiter, header --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Côte d’Ivoire,Iraq".encode(), "utf-8"),
        (codecs.BOM_UTF8 + b"date,country", "utf-8-sig"),
        ("date,country".encode("utf-16"), "utf-16"),
        ("Côte d’Ivoire – €".encode("cp1252"), "cp1252"),
        (b"Caf\xe9 \x81", "latin-1"),  # 0x81 means nothing in Windows-1252
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    assert sniff_encoding(data) == encoding


def test_a_utf8_character_cut_at_the_end_of_a_sample_is_still_utf8() -> None:
    data = "Côte".encode()[:2]
    assert sniff_encoding(data, complete=False) == "utf-8"
    assert sniff_encoding(data, complete=True) == "cp1252"


@pytest.mark.parametrize(
    ("text", "delimiter", "header"),
    [
        ("date,country,killed\n2023-10-07,Iraq,3\n", ",", True),
        ("date;country;lat\n2023-10-07;Iraq;33,5\n2023-10-08;Syria;35,1\n", ";", True),
        ("date\tcountry\n2023-10-07\tIraq\n", "\t", True),
        ("2023-10-07,Iraq,3\n2023-10-08,Syria,4\n", ",", False),
        ("Drone attack,Iraq\nRocket attack,Iraq\n", ",", False),  # a value that comes again is data
        ("Claimed,2023-10-07,Iraq\n", ",", False),  # one word that could name a field is not a header
        ("Claimed,Date,Country\n2023-10-07,2023-10-07,Iraq\n", ",", True),
        ('Date,Notes\n2023-10-07,"one; two; three"\n', ",", True),
        ("Datum;Ort;Tote\n", ";", True),  # a header and nothing else
        ("only one column\nx\n", ",", True),
    ],
)
def test_delimiter_and_header_row(text: str, delimiter: str, header: bool) -> None:
    assert sniff_layout(text) == (delimiter, header)


def test_column_names() -> None:
    assert column_names([" Date ", "", "Notes", "notes", "Notes"]) == [
        "Date", "Column 2", "Notes", "notes (2)", "Notes (3)"
    ]  # fmt: skip
    assert column_names(None, 3) == ["Column 1", "Column 2", "Column 3"]


# ---- suggested mappings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "target"),
    [
        ("Fatalities", "killed"),
        ("DEATHS", "killed"),
        ("killed ", "killed"),
        ("Wounded", "injured"),
        ("injured", "injured"),
        ("lat", "latitude"),
        ("Latitude", "latitude"),
        ("long", "longitude"),
        ("LNG", "longitude"),
        ("lon", "longitude"),
        ("Province", "admin1"),
        ("governorate", "admin1"),
        ("State", "admin1"),
        ("event_date", "date_start"),
        ("Event Date ", "date_start"),
        ("date-start", "date_start"),
        ("killed_min", "killed_min"),
        ("Killed Min", "killed_min"),
        ("Description", "notes"),
        ("source_url", "source_url"),
        ("whatever", None),
    ],
)
def test_a_column_name_suggests_its_field(column: str, target: str | None) -> None:
    assert suggest_target(column) == target


def test_suggested_mapping_of_a_tracker_export() -> None:
    columns = ["event_date", "Country", "Governorate", "Fatalities", "Wounded", "Latitude", "Longitude", "Notes",
               "Notes (2)", "Type", "time_precision"]  # fmt: skip
    sample = [["25/10/2023", "Iraq", "Anbar", "3", "", "33.1", "43.2", "x", "y", "Attack", "1"]]
    mapping = suggest_mapping(columns, sample)
    assert {name: field.columns for name, field in mapping.fields.items()} == {
        "date_start": ("event_date",),
        "date_precision": ("time_precision",),
        "country": ("Country",),
        "admin1": ("Governorate",),
        "latitude": ("Latitude",),
        "longitude": ("Longitude",),
        "event_type": ("Type",),
        "killed": ("Fatalities",),
        "injured": ("Wounded",),
        "notes": ("Notes",),
    }
    assert mapping.fields["date_start"].date_format is DateFormat.DAY_FIRST
    assert mapping.fields["date_precision"].values == {"1": "day", "2": "week", "3": "month"}


def test_suggested_mapping_from_year_month_day_and_figure_parts() -> None:
    mapping = suggest_mapping(["Year", "Month", "Day", "deaths", "deaths_low", "deaths_high", "best"])
    assert mapping.fields["date_start"] == FieldMapping(columns=("Year", "Month", "Day"), date_format=DateFormat.PARTS)
    assert "killed" not in mapping.fields  # the parts are there: the whole figure would fill them twice
    assert mapping.fields["killed_min"].columns == ("deaths_low",)
    assert mapping.fields["killed_max"].columns == ("deaths_high",)
    assert mapping.fields["killed_best"].columns == ("best",)


# ---- rows through a mapping -----------------------------------------------------------------------------------

COLUMNS = ["Date", "Country", "Place", "Weapon", "Deaths", "Hurt", "Status", "Lat", "Lon", "Desc 1", "Desc 2", "Best"]


def mapper(**fields: FieldMapping) -> RowMapper:
    base = {
        "date_start": FieldMapping(columns=("Date",)),
        "country": FieldMapping(columns=("Country",)),
        "event_type": FieldMapping(value="attack"),
    }
    return RowMapper(Mapping(fields=base | fields), COLUMNS, TODAY)


def row(**cells: str) -> list[str]:
    values = {"Date": "2023-10-07", "Country": "Iraq"} | cells
    return [values.get(column.replace(" ", "_"), values.get(column, "")) for column in COLUMNS]


def test_a_row_with_a_fixed_value_joined_columns_and_value_maps() -> None:
    mapped = mapper(
        location=FieldMapping(columns=("Place",)),
        weapon=FieldMapping(columns=("Weapon",), values={"UAV": "drone"}),
        killed=FieldMapping(columns=("Deaths",)),
        injured=FieldMapping(columns=("Hurt",)),
        verification=FieldMapping(columns=("Status",), values={"Confirmed Suicide": "confirmed"}),
        notes=FieldMapping(columns=("Desc 1", "Desc 2"), separator="\n"),
        source_name=FieldMapping(value="CENTCOM"),
        source_kind=FieldMapping(value="official"),
    )(row(Place="  Ain   al-Asad ", Weapon=" uav ", Deaths="3 – 7", Hurt="at least 10", Status="confirmed  suicide",
          Desc_1="first", Desc_2="second"))  # fmt: skip
    assert mapped.problems == [] and mapped.warnings == []
    draft = mapped.draft
    assert draft is not None
    assert (draft.date_start, draft.country, draft.event_type, draft.location) == (
        dt.date(2023, 10, 7), "IQ", "attack", "Ain al-Asad"
    )  # fmt: skip
    assert (draft.weapon, draft.verification) == ("drone", "confirmed")
    assert (draft.killed_min, draft.killed_max, draft.injured_min, draft.injured_max) == (3, 7, 10, None)
    assert draft.notes == "first\nsecond"
    assert draft.sources == [SourceDraft("CENTCOM", "official")]


@pytest.mark.parametrize("country", ["Syria", "Syrian Arab Republic", "SY", "SYR", " syria ", "sy"])
def test_countries_by_name_official_name_alias_or_code(country: str) -> None:
    draft = mapper()(row(Country=country)).draft
    assert draft is not None and draft.country == "SY"


def test_unknown_figures_and_enumerations_stay_unknown() -> None:
    draft = mapper(killed=FieldMapping(columns=("Deaths",)), weapon=FieldMapping(columns=("Weapon",)))(
        row(Deaths="N/A", Weapon="unknown")
    ).draft
    assert draft is not None
    assert (draft.killed_min, draft.killed_max, draft.weapon) == (None, None, "unknown")


def test_a_partial_date_sets_the_precision_and_the_end_of_its_period() -> None:
    mapped = mapper(date_end=FieldMapping(columns=("Desc 1",)))(row(Date="October 2023", Desc_1="2023-11"))
    assert mapped.draft is not None
    assert (mapped.draft.date_start, mapped.draft.date_end, mapped.draft.date_precision) == (
        dt.date(2023, 10, 1), dt.date(2023, 11, 30), "month"
    )  # fmt: skip


def test_a_date_from_year_month_and_day_columns() -> None:
    parts = FieldMapping(columns=("Desc 1", "Desc 2", "Best"), date_format=DateFormat.PARTS)
    convert = mapper(date_start=parts)
    for year, month, day, start, precision in [
        ("2023", "10", "7", dt.date(2023, 10, 7), "day"),
        ("2023", "Oct", "", dt.date(2023, 10, 1), "month"),
        ("2023", "", "", dt.date(2023, 1, 1), "year"),
    ]:
        draft = convert(row(Desc_1=year, Desc_2=month, Best=day)).draft
        assert draft is not None and (draft.date_start, draft.date_precision) == (start, precision)
    problems = convert(row(Desc_1="", Desc_2="", Best="")).problems
    assert [(p.field, p.message) for p in problems] == [("date_start", "the start date is required")]


def test_an_explicit_precision_column_wins_over_the_dates_own() -> None:
    draft = mapper(date_precision=FieldMapping(value="week"))(row(Date="2023-10")).draft
    assert draft is not None and draft.date_precision == "week"


def test_problems_name_the_field_and_the_column() -> None:
    mapped = mapper(killed=FieldMapping(columns=("Deaths",)), latitude=FieldMapping(columns=("Lat",)))(
        row(Date="07/10/2023", Country="Narnia", Deaths="-3", Lat="north")
    )
    assert mapped.draft is None
    assert [(p.field, p.message) for p in mapped.problems] == [
        ("date_start", "'07/10/2023' could be day/month or month/day: choose the date format (column 'Date')"),
        ("country", "'Narnia' is not a known country name or ISO code (column 'Country')"),
        ("latitude", "'north' is not a coordinate in decimal degrees (33.5, 33,5 or 33.5 N) (column 'Lat')"),
        ("killed", "a casualty figure cannot be negative ('-3') (column 'Deaths')"),
    ]


def test_validation_rejects_impossible_values() -> None:
    convert = mapper(
        killed=FieldMapping(columns=("Deaths",)),
        latitude=FieldMapping(columns=("Lat",)),
        longitude=FieldMapping(columns=("Lon",)),
    )
    mapped = convert(row(Deaths="7-3", Lat="95", Lon="44"))
    assert mapped.draft is None
    assert {p.field for p in mapped.problems} == {"killed_max", "latitude"}


def test_suspicious_values_are_stored_with_warnings() -> None:
    convert = mapper(
        killed_min=FieldMapping(columns=("Deaths",)),
        killed_max=FieldMapping(columns=("Hurt",)),
        killed_best=FieldMapping(columns=("Best",)),
        latitude=FieldMapping(columns=("Lat",)),
        longitude=FieldMapping(columns=("Lon",)),
    )
    mapped = convert(row(Date="2025-01-01", Deaths="12", Hurt="20", Best="10", Lat="44.4", Lon="33.4"))
    assert mapped.draft is not None and mapped.problems == []
    assert [(w.field, w.message) for w in mapped.warnings] == [
        ("killed_min", "the minimum (12) is above the best estimate (10)"),
        ("date_start", "2025-01-01 is in the future"),
        ("latitude", "44.4, 33.4 is outside the rough bounds of Iraq; are latitude and longitude the wrong way round?"),
    ]
    assert mapped.draft.killed_min == 12  # the estimate is compared, never stored


def test_formula_like_text_is_text_and_a_neutralised_prefix_is_removed() -> None:
    draft = mapper(title=FieldMapping(columns=("Desc 1",)), notes=FieldMapping(columns=("Desc 2",)))(
        row(Desc_1='=HYPERLINK("http://x")', Desc_2="'=1+1")
    ).draft
    assert draft is not None and (draft.title, draft.notes) == ('=HYPERLINK("http://x")', "=1+1")


def test_a_short_row_reads_the_missing_cells_as_empty() -> None:
    draft = mapper(location=FieldMapping(columns=("Place",)))(["2023-10-07", "Iraq"]).draft
    assert draft is not None and draft.location is None


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"location": FieldMapping(columns=("Town",))}, "location: the file has no column 'Town'"),
        ({"event_type": FieldMapping()}, "nothing is mapped to event_type"),
        ({"event_type": FieldMapping(value="assault")}, "event_type: the fixed value: 'assault' is not one of"),
        ({"weapon": FieldMapping(columns=("Weapon",), values={"UAV": "drnoe"})}, "the value map entry for 'UAV'"),
        ({"killed": FieldMapping(columns=("Deaths",)), "killed_min": FieldMapping(columns=("Hurt",))}, "both mapped"),
        ({"deaths": FieldMapping(columns=("Deaths",))}, "'deaths' is not a field"),
    ],
)
def test_a_mapping_that_does_not_fit_is_refused_before_any_row(fields: dict[str, FieldMapping], words: str) -> None:
    with pytest.raises(MappingError, match=words):
        mapper(**fields)


def test_columns_are_found_case_and_spaces_aside() -> None:
    draft = mapper(location=FieldMapping(columns=(" place",)))(row(Place="Erbil")).draft
    assert draft is not None and draft.location == "Erbil"


def test_unreadable_values_are_those_a_value_map_needs() -> None:
    statuses = ["Confirmed", "confirmed suicide", "Reported", ""]
    assert unreadable_values("verification", statuses) == ["confirmed suicide"]
    assert unreadable_values("country", ["Iraq", "Irak", "KSA"]) == ["Irak", "KSA"]


# ---- presets --------------------------------------------------------------------------------------------------


def full_mapping() -> Mapping:
    return Mapping(
        name="Tracker export",
        encoding="cp1252",
        delimiter="\t",
        has_header=False,
        skip_duplicates=False,
        fields={
            "date_start": FieldMapping(columns=("Year", "Month", "Day"), date_format=DateFormat.PARTS),
            "country": FieldMapping(columns=("Country",), values={"Irak": "IQ"}),
            "event_type": FieldMapping(value="attack"),
            "notes": FieldMapping(columns=("A", "B"), separator=" / "),
            "verification": FieldMapping(columns=("Status",), values={"Confirmed Suicide": "confirmed"}),
            "killed": FieldMapping(columns=("Deaths",), value="unknown"),
        },
    )


def test_a_preset_round_trips_and_is_documented(tmp_path: Path) -> None:
    path = tmp_path / "tracker.toml"
    save_preset(path, full_mapping())
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# An Incident Logbook import mapping")
    assert f"format = {PRESET_FORMAT}" in text and 'delimiter = "tab"' in text
    for name in TARGETS:
        assert name in text  # every field is listed in the help
    assert load_preset(path) == full_mapping()


def test_a_preset_without_a_name_takes_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "acled.toml"
    path.write_text('format = 1\n[fields.country]\ncolumn = "country"\n', encoding="utf-8")
    mapping = load_preset(path)
    assert mapping.name == "acled" and mapping.fields == {"country": FieldMapping(columns=("country",))}
    assert (mapping.encoding, mapping.delimiter, mapping.has_header) == (None, None, None)
    assert mapping.skip_duplicates


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "format: missing"),
        ("format = 2", "format: 2 comes from a newer version"),
        ('format = "1"', "format: '1' is not a format number"),
        ("format = 1\ncolour = 3", "colour: unknown key"),
        ("format = 1\n[file]\ndelimiter = 'pipe'", "file.delimiter: 'pipe' is not one of: comma, semicolon, tab"),
        ("format = 1\n[file]\nencoding = 'ebcdic'", "file.encoding: 'ebcdic' is not one of"),
        ("format = 1\n[file]\nheader = 'yes'", "file.header: should be true or false"),
        ("format = 1\n[import]\nduplicates = 'merge'", "import.duplicates: 'merge' is not one of"),
        ("format = 1\n[fields.deaths]\ncolumn = 'x'", "fields.deaths: not a field of the incident record"),
        ("format = 1\n[fields.killed]\ncolum = 'x'", "fields.killed.colum: unknown key"),
        ("format = 1\n[fields.killed]\ncolumn = 3", "fields.killed.column: should be text in quotes"),
        ("format = 1\n[fields.killed]\ncolumn = 'a'\ncolumns = ['b']", "fields.killed: give column or columns"),
        ("format = 1\n[fields.killed]\nformat = 'iso'", "fields.killed.format: only dates have a format"),
        ("format = 1\n[fields.date_start]\nformat = 'dd-mm'", "fields.date_start.format: 'dd-mm' is not one of"),
        ("format = 1\n[fields.weapon.values]\nUAV = 1", "fields.weapon.values.UAV: should be text"),
        ("format = 1\nfields = 3", "fields: should be a table"),
        ("format = 1\n[fields", "not valid TOML"),
    ],
)
def test_a_wrong_preset_names_the_key(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(PresetError, match=words):
        mapping_from_toml(text)
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PresetError, match=f"^mine.toml: .*{words}"):
        load_preset(path)


def test_a_missing_preset(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match="does not exist"):
        load_preset(tmp_path / "nothing.toml")


def test_hand_written_delimiters_and_the_written_text_reads_back() -> None:
    mapping = mapping_from_toml("format = 1\n[file]\ndelimiter = ';'\n")
    assert mapping.delimiter == ";"
    assert mapping_from_toml(mapping_to_toml(mapping)) == mapping
