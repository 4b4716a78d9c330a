"""JSON, GeoJSON and XLSX exports: the same incidents as the CSV, in their own types, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from logbook.domain.csv_schema import COLUMNS
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.record import SourceDraft
from logbook.services import formats
from logbook.services.exporter import export_csv
from logbook.services.formats import (
    EXCEL_ROWS,
    ExportCancelled,
    ExportFormat,
    TooManyRowsError,
    export,
    format_for_path,
)
from logbook.store.repository import Repository
from tests.conftest import make_draft

TEXT_FORMATS = (ExportFormat.JSON, ExportFormat.GEOJSON)
NEW_FORMATS = (*TEXT_FORMATS, ExportFormat.XLSX)
UNKNOWN_FIGURES = dict.fromkeys(("killed_min", "killed_max", "injured_min", "injured_max"))


@pytest.fixture
def three(repo: Repository) -> Repository:
    """Iraq on 17 Oct (at least 24 injured), Syria on 26 Oct (figures unknown, no coordinates), Iraq on 2 Nov."""
    repo.add(
        make_draft(
            title="Erbil",
            date_start=dt.date(2023, 10, 17),
            date_end=dt.date(2023, 10, 18),
            latitude=36.2376,
            longitude=43.9632,
            killed_min=0,
            killed_max=0,
            injured_min=24,
            injured_max=None,
            tags=["drone", "base"],
            notes="Two drones; one shot down.\nThe other missed.",
        )
    )
    repo.add(
        make_draft(
            title="Shaddadi",
            date_start=dt.date(2023, 10, 26),
            country="SY",
            outcome="missed",
            **UNKNOWN_FIGURES,
            sources=[
                SourceDraft("Reuters", "media", "https://www.reuters.com/x", dt.date(2023, 10, 27)),
                SourceDraft("Local channel | Telegram", "social_media"),
            ],
        )
    )
    repo.add(
        make_draft(
            title="Ain al-Asad",
            date_start=dt.date(2023, 11, 2),
            latitude=33.8,
            longitude=42.43,
            injured_min=1,
            injured_max=1,
        )
    )
    return repo


def exported(repo: Repository, tmp_path: Path, fmt: ExportFormat, **options: Any) -> Path:
    target = tmp_path / f"out{fmt.extension}"
    export(repo, options.pop("incident_filter", IncidentFilter()), options.pop("order", SortOrder()), target, **options)
    return target


def titles(path: Path) -> list[str]:
    fmt = format_for_path(path)
    if fmt is ExportFormat.JSON:
        return [item["title"] for item in json.loads(path.read_text(encoding="utf-8"))]
    if fmt is ExportFormat.GEOJSON:
        return [feature["properties"]["title"] for feature in json.loads(path.read_text(encoding="utf-8"))["features"]]
    sheet = openpyxl.load_workbook(path)["Incidents"]
    column = COLUMNS.index("title")
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


def partial_files(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.suffix == ".part"]


def summary_rows(path: Path) -> dict[str, tuple[Any, ...]]:
    """The Summary sheet as label -> the cells after it (the label of the last row of that name wins)."""
    sheet = openpyxl.load_workbook(path)["Summary"]
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0] is not None}


# ---- choosing the format ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("incidents.csv", ExportFormat.CSV),
        ("INCIDENTS.JSON", ExportFormat.JSON),
        ("map.GeoJSON", ExportFormat.GEOJSON),
        ("/some/where/book.xlsx", ExportFormat.XLSX),
        ("notes.txt", None),
        ("no-extension", None),
        ("archive.xlsx.bak", None),
    ],
)
def test_the_format_comes_from_the_extension(name: str, expected: ExportFormat | None) -> None:
    assert format_for_path(name) is expected
    assert format_for_path(Path(name)) is expected


def test_every_format_has_an_extension_and_a_dialog_filter() -> None:
    assert [fmt.extension for fmt in ExportFormat] == [".csv", ".json", ".geojson", ".xlsx"]
    assert ExportFormat.GEOJSON.file_filter == "GeoJSON (*.geojson)"
    assert [fmt for fmt in ExportFormat if fmt.binary] == [ExportFormat.XLSX]


def test_csv_through_the_entry_point_is_the_canonical_csv(three: Repository, tmp_path: Path) -> None:
    canonical = io.StringIO(newline="")
    export_csv(three, IncidentFilter(), SortOrder(), canonical)
    assert exported(three, tmp_path, ExportFormat.CSV).read_bytes() == canonical.getvalue().encode()
    streamed = io.StringIO(newline="")
    assert export(three, IncidentFilter(), SortOrder(), streamed) == 3  # a stream without a format: CSV
    assert streamed.getvalue() == canonical.getvalue()


# ---- JSON ---------------------------------------------------------------------------------------------------


def test_json_holds_the_stored_values(three: Repository, tmp_path: Path) -> None:
    items = json.loads(exported(three, tmp_path, ExportFormat.JSON).read_text(encoding="utf-8"))
    assert [list(item) for item in items] == [list(COLUMNS)] * 3  # the CSV's field names, in its order
    ids = three.snapshot(IncidentFilter(), SortOrder())
    for item, incident_id in zip(items, ids, strict=True):
        stored = three.get(incident_id)
        assert item["uid"] == stored.uid
        assert (item["created_at"], item["updated_at"]) == (stored.created_at, stored.updated_at)
        for field in ("killed_min", "killed_max", "injured_min", "injured_max", "latitude", "longitude"):
            assert item[field] == getattr(stored, field)
    late, syria, erbil = items
    assert (erbil["date_start"], erbil["date_end"], erbil["country"]) == ("2023-10-17", "2023-10-18", "Iraq")
    assert (erbil["latitude"], erbil["longitude"]) == (36.2376, 43.9632)
    assert (erbil["injured_min"], erbil["injured_max"], erbil["killed_min"]) == (24, None, 0)
    assert erbil["tags"] == ["base", "drone"]
    assert erbil["notes"] == "Two drones; one shot down.\nThe other missed."
    assert syria["country"] == "Syria"
    assert {field: syria[field] for field in UNKNOWN_FIGURES} == UNKNOWN_FIGURES
    assert (syria["latitude"], syria["date_end"], syria["tags"], syria["geo_precision"]) == (None, None, [], None)
    assert syria["sources"] == [
        {"name": "Reuters", "kind": "media", "url": "https://www.reuters.com/x", "published": "2023-10-27"},
        {"name": "Local channel | Telegram", "kind": "social_media", "url": None, "published": None},
    ]
    assert late["sources"] == [
        {"name": "US Department of Defense", "kind": "official", "url": "https://www.defense.gov/",
         "published": "2023-11-03"},
    ]  # fmt: skip


def test_json_is_streamed_one_object_a_line(three: Repository, tmp_path: Path) -> None:
    text = exported(three, tmp_path, ExportFormat.JSON).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    assert [json.loads(line.removesuffix(","))["title"] for line in lines[1:-2]] == ["Ain al-Asad", "Shaddadi", "Erbil"]


@pytest.mark.parametrize(("fmt", "expected"), [(ExportFormat.JSON, []), (ExportFormat.GEOJSON, None)])
def test_an_empty_export_is_still_valid(repo: Repository, tmp_path: Path, fmt: ExportFormat, expected: Any) -> None:
    data = json.loads(exported(repo, tmp_path, fmt).read_text(encoding="utf-8"))
    assert data == (expected if expected is not None else {"type": "FeatureCollection", "features": []})


def test_json_keeps_text_as_typed_and_unicode_readable(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(title='=HYPERLINK("x")', location="Deir ez-Zor — près du fleuve"))
    path = exported(repo, tmp_path, ExportFormat.JSON, format=ExportFormat.JSON)
    [item] = json.loads(path.read_text(encoding="utf-8"))
    assert item["title"] == '=HYPERLINK("x")'  # no spreadsheet reads JSON: nothing to neutralise
    assert "près du fleuve" in path.read_text(encoding="utf-8")


def test_json_to_a_stream(three: Repository) -> None:
    out = io.StringIO()
    assert export(three, IncidentFilter(countries=("SY",)), SortOrder(), out, format=ExportFormat.JSON) == 1
    assert [item["title"] for item in json.loads(out.getvalue())] == ["Shaddadi"]


# ---- GeoJSON ------------------------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_per_rfc_7946(three: Repository, tmp_path: Path) -> None:
    collection = json.loads(exported(three, tmp_path, ExportFormat.GEOJSON).read_text(encoding="utf-8"))
    assert list(collection) == ["type", "features"]  # no "crs": RFC 7946 coordinates are WGS 84 by definition
    assert collection["type"] == "FeatureCollection"
    late, syria, erbil = collection["features"]
    for feature in (late, syria, erbil):
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert feature["id"] == feature["properties"]["uid"]
        assert list(feature["properties"]) == list(COLUMNS)
    assert erbil["geometry"] == {"type": "Point", "coordinates": [43.9632, 36.2376]}  # longitude first
    assert late["geometry"] == {"type": "Point", "coordinates": [42.43, 33.8]}
    assert syria["geometry"] is None  # no coordinates: a null geometry, never [0, 0]
    assert (syria["properties"]["killed_min"], syria["properties"]["sources"][0]["name"]) == (None, "Reuters")
    assert (erbil["properties"]["date_start"], erbil["properties"]["country"]) == ("2023-10-17", "Iraq")


def test_geojson_needs_both_coordinates_for_a_point(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(latitude=33.8, longitude=None))
    [feature] = json.loads(exported(repo, tmp_path, ExportFormat.GEOJSON).read_text(encoding="utf-8"))["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["latitude"] == 33.8


# ---- XLSX ---------------------------------------------------------------------------------------------------


def test_xlsx_cells_are_typed(three: Repository, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(exported(three, tmp_path, ExportFormat.XLSX))
    assert workbook.sheetnames == ["Incidents", "Summary"]
    sheet = workbook["Incidents"]
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert all(cell.font.b for cell in sheet[1])
    rows = [{column: cell for column, cell in zip(COLUMNS, row, strict=True)} for row in sheet.iter_rows(min_row=2)]
    late, syria, erbil = rows

    assert erbil["date_start"].is_date and erbil["date_start"].value == dt.datetime(2023, 10, 17)
    assert erbil["date_start"].number_format == "yyyy-mm-dd"
    assert erbil["date_end"].value == dt.datetime(2023, 10, 18)
    assert erbil["created_at"].is_date and isinstance(erbil["created_at"].value, dt.datetime)
    stored = three.get(three.snapshot(IncidentFilter(), SortOrder())[2])
    assert erbil["created_at"].value.strftime("%Y-%m-%dT%H:%M:%SZ") == stored.created_at

    assert (erbil["latitude"].data_type, erbil["latitude"].value) == ("n", 36.2376)
    assert (erbil["injured_min"].data_type, erbil["injured_min"].value) == ("n", 24)
    assert (erbil["killed_min"].data_type, erbil["killed_min"].value) == ("n", 0)  # a known 0 is a 0
    assert erbil["injured_max"].value is None  # "at least 24": no maximum
    for field in ("killed_min", "killed_max", "injured_min", "injured_max", "latitude", "date_end", "notes"):
        assert syria[field].value is None  # unknown is empty, never 0
    assert (syria["country"].value, syria["outcome"].value) == ("Syria", "missed")
    assert syria["sources"].value == (
        "Reuters | media | https://www.reuters.com/x | 2023-10-27\nLocal channel \\| Telegram | social_media"
    )
    assert erbil["tags"].value == "base; drone"
    assert late["title"].value == "Ain al-Asad"
    assert sheet.auto_filter.ref == "A1:AD4"


def test_xlsx_text_is_never_a_formula(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(title="=1+1", location="-x", notes="@SUM(A1)"))
    sheet = openpyxl.load_workbook(exported(repo, tmp_path, ExportFormat.XLSX))["Incidents"]
    row = dict(zip(COLUMNS, sheet[2], strict=True))
    assert [(row[field].data_type, row[field].value) for field in ("title", "location", "notes")] == [
        ("s", "=1+1"), ("s", "-x"), ("s", "@SUM(A1)"),
    ]  # fmt: skip


def test_xlsx_summary_has_the_figures_of_the_scope(three: Repository, tmp_path: Path) -> None:
    scope = IncidentFilter(date_from=dt.date(2023, 10, 1), date_to=dt.date(2023, 10, 31))
    rows = summary_rows(exported(three, tmp_path, ExportFormat.XLSX, incident_filter=scope))
    summary = three.summary(scope)
    assert summary.incidents == 2
    assert rows["Incidents"][0] == 2
    assert (rows["From"][0], rows["To"][0]) == (dt.datetime(2023, 10, 1), dt.datetime(2023, 10, 31))
    assert rows["Casualties"][:5] == ("Figure", "Minimum", "Maximum", "Open-ended", "Unknown (incidents)")
    # Erbil: killed 0, injured at least 24; Shaddadi: both unknown
    assert rows["Killed"][:5] == ("0", 0, 0, False, 1)
    assert rows["Injured"][:5] == ("24+", 24, None, True, 1)  # open: the sum of known maxima is no bound
    assert (summary.killed.unknown, summary.injured.text()) == (1, "24+")
    assert [rows[label][0] for label in ("Intercepted", "Missed", "Hit")] == [1, 1, 0]
    assert (rows["Iraq"][0], rows["Syria"][0]) == (1, 1)
    assert rows["Per country"][0] == "Incidents"


def test_xlsx_summary_names_the_filter(three: Repository, tmp_path: Path) -> None:
    scope = IncidentFilter(search="erbil", countries=("IQ", "SY"), outcomes=("intercepted",))
    rows = summary_rows(exported(three, tmp_path, ExportFormat.XLSX, incident_filter=scope))
    assert (rows["Search"][0], rows["Countries"][0], rows["Outcomes"][0]) == ("erbil", "Iraq, Syria", "Intercepted")
    assert rows["Incidents"][0] == 1
    assert "From" not in rows


def test_an_empty_xlsx_has_its_header_and_a_zero_summary(repo: Repository, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(exported(repo, tmp_path, ExportFormat.XLSX))
    assert [row for row in workbook["Incidents"].iter_rows(values_only=True)] == [tuple(COLUMNS)]
    rows = summary_rows(exported(repo, tmp_path, ExportFormat.XLSX))
    assert rows["Incidents"][0] == 0 and rows["Killed"][:5] == ("0", 0, 0, False, 0)


def test_xlsx_to_a_binary_stream_but_not_a_text_one(three: Repository) -> None:
    out = io.BytesIO()
    assert export(three, IncidentFilter(), SortOrder(), out, format=ExportFormat.XLSX) == 3
    assert openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Incidents"].max_row == 4
    with pytest.raises(TypeError, match="binary"):
        export(three, IncidentFilter(), SortOrder(), io.StringIO(), format=ExportFormat.XLSX)


def test_too_many_rows_for_a_sheet_are_refused_before_writing(three: Repository, tmp_path: Path) -> None:
    target = tmp_path / "big.xlsx"
    calls: list[tuple[int, int]] = []
    with pytest.raises(TooManyRowsError) as refused:
        export(three, IncidentFilter(), SortOrder(), target, xlsx_row_limit=3, progress=lambda *c: not calls.append(c))
    message = str(refused.value)
    assert "3 incidents match" in message and "at most 3 rows" in message and "nothing was written" in message
    assert not target.exists() and not partial_files(tmp_path) and not calls
    assert export(three, IncidentFilter(), SortOrder(), target, xlsx_row_limit=4) == 3  # header + 3 rows fit
    assert EXCEL_ROWS == 1_048_576


def test_the_row_limit_is_only_for_xlsx(three: Repository, tmp_path: Path) -> None:
    for fmt in (ExportFormat.CSV, *TEXT_FORMATS):
        assert export(three, IncidentFilter(), SortOrder(), tmp_path / f"x{fmt.extension}", xlsx_row_limit=2) == 3


# ---- every new format: scope, order, progress, all or nothing ----------------------------------------------


@pytest.mark.parametrize("fmt", NEW_FORMATS)
@pytest.mark.parametrize(
    ("incident_filter", "order", "expected"),
    [
        (IncidentFilter(), SortOrder(), ["Ain al-Asad", "Shaddadi", "Erbil"]),
        (IncidentFilter(), SortOrder(SortKey.TITLE, descending=False), ["Ain al-Asad", "Erbil", "Shaddadi"]),
        (IncidentFilter(countries=("IQ",)), SortOrder(descending=False), ["Erbil", "Ain al-Asad"]),
        (IncidentFilter(date_from=dt.date(2023, 10, 18), date_to=dt.date(2023, 10, 26)), SortOrder(),
         ["Shaddadi", "Erbil"]),  # Erbil's span reaches the 18th: both ends inclusive
        (IncidentFilter(search="shaddadi"), SortOrder(), ["Shaddadi"]),
    ],
)  # fmt: skip
def test_every_format_follows_the_filter_and_the_order(
    three: Repository,
    tmp_path: Path,
    fmt: ExportFormat,
    incident_filter: IncidentFilter,
    order: SortOrder,
    expected: list[str],
) -> None:
    assert titles(exported(three, tmp_path, fmt, incident_filter=incident_filter, order=order)) == expected


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_trashed_incidents_are_left_out(three: Repository, tmp_path: Path, fmt: ExportFormat) -> None:
    three.delete(list(three.snapshot(IncidentFilter(search="Shaddadi"), SortOrder())))
    assert titles(exported(three, tmp_path, fmt)) == ["Ain al-Asad", "Erbil"]


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_progress_is_reported_as_for_csv(
    three: Repository, tmp_path: Path, fmt: ExportFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "PROGRESS_EVERY", 2)
    calls: list[tuple[int, int]] = []
    assert exported(three, tmp_path, fmt, progress=lambda *call: not calls.append(call)).exists()
    assert calls == [(0, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_cancel_leaves_no_file_and_keeps_the_old_one(
    three: Repository, tmp_path: Path, fmt: ExportFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "PROGRESS_EVERY", 2)
    target = tmp_path / f"incidents{fmt.extension}"
    target.write_bytes(b"the previous export\n")
    with pytest.raises(ExportCancelled):
        export(three, IncidentFilter(), SortOrder(), target, progress=lambda done, total: done == 0)
    assert target.read_bytes() == b"the previous export\n"
    assert not partial_files(tmp_path)


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_a_failed_export_leaves_no_partial_file(
    three: Repository, tmp_path: Path, fmt: ExportFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "PROGRESS_EVERY", 1)

    def broken(done: int, total: int) -> bool:
        if done == 2:
            raise RuntimeError("disk trouble")
        return True

    target = tmp_path / f"new{fmt.extension}"
    with pytest.raises(RuntimeError):
        export(three, IncidentFilter(), SortOrder(), target, progress=broken)
    assert not target.exists()
    assert not partial_files(tmp_path)
