"""Import: good rows in one transaction, bad rows to a rejects file naming row and field, unusable files refused
whole, and an export that comes back byte for byte."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.domain.countries import all_countries
from logbook.domain.csv_schema import COLUMNS
from logbook.domain.enums import (
    Attribution,
    Damage,
    DatePrecision,
    EventType,
    GeoPrecision,
    LabelledEnum,
    Outcome,
    SourceKind,
    TargetType,
    Verification,
    Weapon,
)
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.services import importer
from logbook.services.exporter import export_csv_file
from logbook.services.importer import UnusableFileError, import_csv
from logbook.store.engine import SQLITE_MAGIC, open_logbook
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.unit.csv_helpers import GOOD_HEADER, GOOD_ROW, exported, read_csv, write_csv


def test_a_note_of_a_megabyte_is_imported_whole(repo: Repository, tmp_path: Path) -> None:
    note = "Officials said the attack was the third this week. " * 20_000  # past the csv module's usual 128 KiB
    path = write_csv(tmp_path / "long.csv", (*GOOD_HEADER, "notes"), (*GOOD_ROW, note))
    assert import_csv(repo, path).added == 1
    (only,) = repo.snapshot(IncidentFilter(), SortOrder())
    assert repo.get(only).notes == note.strip()


def test_a_good_file_is_imported_whatever_the_column_order(repo: Repository, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "incidents.csv",
        ("injured_max", "Country", " event_type ", "date_start", "injured_min", "sources", "tags", "notes"),
        ("", "Syria", "Attack", "2023-10-26", "45", "CENTCOM | official", "drone; syria", "line 1\nline 2"),
        ("", "sy", "strike", "2023-10-27", "", "", "", ""),
        bom=True,
    )
    report = import_csv(repo, path)
    assert (report.added, report.updated, report.rejected, report.rejects_path) == (2, 0, 0, None)
    assert not (tmp_path / "incidents.rejects.csv").exists()
    first, second = (repo.get(i) for i in repo.snapshot(IncidentFilter(), SortOrder(descending=False)))
    assert (first.country, first.event_type, first.injured_min, first.injured_max) == ("SY", "attack", 45, None)
    assert first.sources == [SourceDraft("CENTCOM", "official")] and first.tags == ["drone", "syria"]
    assert first.notes == "line 1\nline 2" and first.uid
    assert (second.killed_min, second.killed_max, second.injured_min) == (None, None, None)  # unknown, not 0


@pytest.mark.parametrize(
    ("column", "cell", "field", "words"),
    [
        ("country", "Narnia", "country", "Narnia"),
        ("date_end", "2023-11-01", "date_end", "before the start"),
        ("killed_max", "1", "killed_max", "less than the minimum"),
        ("date_start", "2/11/2023", "date_start", "not a date"),
        ("killed_min", "several", "killed_min", "not a whole number"),
        ("latitude", "north", "latitude", "not a number"),
    ],
)
def test_a_bad_row_goes_to_the_rejects_file_with_its_row_and_field(
    repo: Repository, tmp_path: Path, column: str, cell: str, field: str, words: str
) -> None:
    header = (*GOOD_HEADER, "date_end", "latitude", "longitude")
    good = (*GOOD_ROW, "", "", "")
    bad = dict(zip(header, good, strict=True))
    bad.update({"killed_min": "3", "killed_max": "3", "latitude": "1", "longitude": "2", column: cell})
    path = write_csv(tmp_path / "incidents.csv", header, good, tuple(bad.values()), good)
    report = import_csv(repo, path)
    assert (report.added, report.rejected) == (2, 1)
    assert report.rejects_path == tmp_path / "incidents.rejects.csv"
    assert repo.count() == 2
    [line] = read_csv(report.rejects_path)
    assert (line["row"], line["field"]) == ("3", field)
    assert words in line["problem"]
    assert [line[name] for name in header] == list(bad.values())  # the original cells, to fix and re-import


def test_rejects_file_layout_one_line_per_problem(repo: Repository, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "in.csv",
        GOOD_HEADER,
        ("x", "2023-11-02", "Narnia", "attack", "many", "0"),
        ("y", "yesterday", "Iraq", "siege", "0", "0"),
    )
    rejects = tmp_path / "problems.csv"
    report = import_csv(repo, path, rejects)
    assert (report.rejected, report.rejects_path) == (2, rejects)
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "row,field,problem," + ",".join(GOOD_HEADER)
    assert [(line["row"], line["field"]) for line in read_csv(rejects)] == [
        ("2", "country"),
        ("2", "killed_min"),
        ("3", "date_start"),
        ("3", "event_type"),
    ]


def test_row_numbers_are_records_as_a_spreadsheet_counts_them(repo: Repository, tmp_path: Path) -> None:
    header = (*GOOD_HEADER, "notes")
    good = (*GOOD_ROW, "three\nline\nnotes")
    path = write_csv(tmp_path / "in.csv", header, good, ("",) * len(header), (*GOOD_ROW[:-1], "-1", ""))
    report = import_csv(repo, path)
    assert (report.added, report.rejected) == (1, 1)  # the blank row is skipped, not rejected
    [line] = read_csv(tmp_path / "in.rejects.csv")
    assert (line["row"], line["field"]) == ("4", "killed_max")


def test_a_row_with_the_wrong_number_of_cells_is_rejected(repo: Repository, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, GOOD_ROW, (*GOOD_ROW, "extra"), GOOD_ROW[:3])
    report = import_csv(repo, path)
    assert (report.added, report.rejected) == (1, 2)
    lines = read_csv(tmp_path / "in.rejects.csv")
    assert [(line["row"], line["field"]) for line in lines] == [("3", "(whole row)"), ("4", "(whole row)")]
    assert "7 cells but the header has 6" in lines[0]["problem"]


def test_problem_text_that_looks_like_a_formula_is_neutralised(repo: Repository, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", (*GOOD_HEADER, "latitude", "longitude"), (*GOOD_ROW, "-95", "10"))
    import_csv(repo, path)
    [line] = read_csv(tmp_path / "in.rejects.csv")
    assert line["problem"].startswith("'-95.0 is outside")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (SQLITE_MAGIC + b"\x00" * 100, ["not a text file"]),
        (b"\x89PNG\r\n\x1a\n\xff\xfe", ["not UTF-8 text"]),
        (
            "title,date_start,country,event_type\r\nAttaque,2023-11-02,Irak,attack\r\n".encode("cp1252") + b"\xe9",
            ["UTF-8"],
        ),
        (b"", ["is empty"]),
        (b"\r\n \r\n", ["is empty"]),
        (b"title,country\r\nx,Iraq\r\n", ["'date_start' is missing", "'event_type' is missing"]),
        (
            b"date_start,country,event_type,casualties,Source\r\n",
            ["unknown column 'casualties'", "unknown column 'Source'"],
        ),
        (b"date_start,country,event_type,Country\r\n", ["'country' appears 2 times"]),
        (b"date_start,country,event_type,,\r\n", ["column 4 has no name", "column 5 has no name"]),
        (b"\r\ndate_start,country,event_type\r\n", ["first line must hold the column names"]),
        (b"date_start;country;event_type\r\n", ["separated by ';'", "'country' is missing"]),
    ],
)
def test_an_unusable_file_names_each_problem_and_imports_nothing(
    repo: Repository, tmp_path: Path, content: bytes, words: list[str]
) -> None:
    repo.add(make_draft())
    path = tmp_path / "incidents.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFileError) as caught:
        import_csv(repo, path)
    message = str(caught.value)
    assert "incidents.csv" in message and "\n" not in message
    for word in words:
        assert word in message
    assert repo.count() == 1
    assert not (tmp_path / "incidents.rejects.csv").exists()


def test_not_utf8_late_in_the_file_imports_nothing(repo: Repository, tmp_path: Path) -> None:
    rows_past_the_sniffed_start = [GOOD_ROW] * (importer._SNIFF_BYTES // 40)
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, *rows_past_the_sniffed_start, (*GOOD_ROW[:-1], "x"))
    with path.open("ab") as file:
        file.write(b"Attaque \xe0 Erbil,2023-11-02,Iraq,attack,0,0\r\n")
    with pytest.raises(UnusableFileError, match="not UTF-8"):
        import_csv(repo, path)
    assert repo.count() == 0
    assert not (tmp_path / "in.rejects.csv").exists()


@pytest.mark.parametrize(("name", "words"), [("missing.csv", "does not exist"), ("folder", "is a folder")])
def test_a_missing_file_or_a_folder_is_unusable(repo: Repository, tmp_path: Path, name: str, words: str) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(UnusableFileError, match=words):
        import_csv(repo, tmp_path / name)


def test_the_rejects_file_cannot_be_the_input(repo: Repository, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, GOOD_ROW)
    with pytest.raises(UnusableFileError, match="its own rejects file"):
        import_csv(repo, path, tmp_path / "." / "in.csv")
    assert path.read_text(encoding="utf-8").startswith("title,")


def test_a_failure_midway_keeps_nothing(repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = (*GOOD_ROW[:-1], "-1")
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, bad, *[GOOD_ROW] * 1200)  # several batches of upsert_many
    calls = 0
    real_validate = importer.validate

    def failing_validate(draft: IncidentDraft) -> list[importer.FieldProblem]:
        nonlocal calls
        calls += 1
        if calls == 1100:
            raise RuntimeError("the disk went away")
        return real_validate(draft)

    monkeypatch.setattr(importer, "validate", failing_validate)
    with pytest.raises(RuntimeError):
        import_csv(repo, path)
    assert repo.count() == 0
    assert sorted(p.name for p in tmp_path.iterdir() if "in." in p.name) == ["in.csv"]  # no rejects, no .part


def test_reimporting_an_export_updates_instead_of_duplicating(repo: Repository, tmp_path: Path) -> None:
    for day in (1, 2, 3):
        repo.add(make_draft(date_start=dt.date(2023, 11, day)))
    path = tmp_path / "export.csv"
    export_csv_file(path, repo, IncidentFilter(), SortOrder())
    text = path.read_text(encoding="utf-8").replace("Ain al-Asad air base", "Al-Asad", 1)
    path.write_text(text, encoding="utf-8", newline="")
    report = import_csv(repo, path)
    assert (report.added, report.updated, report.rejected) == (0, 3, 0)
    assert repo.count() == 3
    assert sorted(row["location"] for row in exported(repo)) == ["Ain al-Asad air base"] * 2 + ["Al-Asad"]


def test_reimport_brings_a_trashed_incident_back(repo: Repository, tmp_path: Path) -> None:
    incident = repo.add(make_draft())
    path = tmp_path / "export.csv"
    export_csv_file(path, repo, IncidentFilter(), SortOrder())
    repo.delete([incident])
    assert import_csv(repo, path).updated == 1
    assert repo.count() == 1


def test_the_same_uid_twice_in_one_file_is_one_incident(repo: Repository, tmp_path: Path) -> None:
    uid = "0b7e2f8e-4d0e-4a43-9a53-1f2b4a3c5d6e"
    header = ("uid", *GOOD_HEADER)
    path = write_csv(tmp_path / "in.csv", header, (uid, *GOOD_ROW), (uid, *GOOD_ROW[:-2], "2", "2"))
    report = import_csv(repo, path)
    assert (report.added, report.updated) == (1, 1)
    [row] = exported(repo)
    assert (row["uid"], row["killed_min"]) == (uid, "2")


# ---- the round trip ----------------------------------------------------------------------------------------

T = TypeVar("T")
one_line = st.characters(exclude_categories=("Cs", "Cc"))
awkward = st.sampled_from([",", '"', "'", "=", "+", "-", "@", "|", "\\", ";", " ", "é", "ل", "😀"])


def text(*, multiline: bool = False, forbidden: str = "") -> st.SearchStrategy[str]:
    """Text as it is stored: stripped and never empty (empty is None); awkward characters often."""
    alphabet = one_line | awkward | (st.sampled_from(["\n", "\r"]) if multiline else st.nothing())
    return (
        st.text(alphabet, min_size=1, max_size=24)
        .map(str.strip)
        .filter(lambda value: value and not any(ch in forbidden for ch in value))
    )


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def codes(enum: type[LabelledEnum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


@st.composite
def casualty_figures(draw: st.DrawFn) -> tuple[int | None, int | None]:
    """Unknown, exact, a range, or "at least"."""
    low = draw(st.integers(0, 5000))
    kind = draw(st.sampled_from(["unknown", "exact", "range", "open"]))
    return {"unknown": (None, None), "exact": (low, low), "open": (low, None)}.get(
        kind, (low, low + draw(st.integers(1, 5000)))
    )


sources = st.builds(
    SourceDraft,
    name=text(forbidden="\r\n"),
    kind=codes(SourceKind),
    url=maybe(text(forbidden="\r\n")),
    published=maybe(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
)
timestamps = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
)


@st.composite
def incident_drafts(draw: st.DrawFn) -> IncidentDraft:
    start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
    killed, injured = draw(casualty_figures()), draw(casualty_figures())
    position = draw(maybe(st.tuples(st.floats(-90, 90), st.floats(-180, 180))))
    return IncidentDraft(
        date_start=start,
        date_end=draw(maybe(st.integers(0, 40).map(lambda days: start + dt.timedelta(days=days)))),
        date_precision=draw(codes(DatePrecision)),
        country=draw(st.sampled_from([code for code, _name in all_countries()])),
        admin1=draw(maybe(text())),
        location=draw(maybe(text())),
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
        geo_precision=draw(maybe(codes(GeoPrecision))),
        event_type=draw(codes(EventType)),
        weapon=draw(codes(Weapon)),
        target_type=draw(codes(TargetType)),
        target=draw(maybe(text())),
        perpetrator=draw(maybe(text())),
        attribution=draw(codes(Attribution)),
        attributed_by=draw(maybe(text())),
        outcome=draw(codes(Outcome)),
        damage=draw(codes(Damage)),
        killed_min=killed[0],
        killed_max=killed[1],
        injured_min=injured[0],
        injured_max=injured[1],
        verification=draw(codes(Verification)),
        title=draw(maybe(text())),
        notes=draw(maybe(text(multiline=True))),
        sources=draw(st.lists(sources, max_size=3)),
        tags=draw(st.lists(text(forbidden=";\r\n"), max_size=4, unique=True)),
        created_at=draw(maybe(timestamps)),
        updated_at=draw(maybe(timestamps)),
    )


@pytest.fixture(scope="module")
def empty_logbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty logbook to copy: much faster than running the migrations for every example."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    open_logbook(path).dispose()
    return path


@contextmanager
def copy_of(template: Path, folder: Path, name: str) -> Iterator[Repository]:
    path = folder / name
    shutil.copyfile(template, path)
    engine = open_logbook(path)
    try:
        yield Repository(engine)
    finally:
        engine.dispose()


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],  # the autouse env dirs
)
@given(drafts=st.lists(incident_drafts(), max_size=6))
@pytest.mark.parametrize("descending", [True, False])
def test_export_import_export_is_byte_identical(
    empty_logbook: Path, drafts: list[IncidentDraft], descending: bool
) -> None:
    # Both directions: ties on the date keep the order of entry, which a re-import reproduces.
    order = SortOrder(descending=descending)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        first, second = folder / "first.csv", folder / "second.csv"
        with copy_of(empty_logbook, folder, "source.sqlite3") as source:
            source.upsert_many(drafts)
            export_csv_file(first, source, IncidentFilter(), order)
        with copy_of(empty_logbook, folder, "target.sqlite3") as target:
            report = import_csv(target, first)
            assert (report.added, report.rejected) == (len(drafts), 0)
            export_csv_file(second, target, IncidentFilter(), order)
        assert second.read_bytes() == first.read_bytes()
        assert first.read_bytes().count(b"\r\n") >= len(drafts) + 1


def test_columns_of_an_export_are_the_canonical_ones(repo: Repository) -> None:
    repo.add(make_draft())
    assert tuple(exported(repo)[0]) == COLUMNS
