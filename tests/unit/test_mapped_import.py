"""Importing files from elsewhere through a mapping, on real files and a real logbook: a corpus of awkward files
that each import correctly or stop with a message naming the row and the field, previews, duplicates, progress
and cancel, one transaction, the import history, and ``logbook import --mapping``."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from logbook.cli import main
from logbook.domain.conversions import DateFormat
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.domain.mapping import FieldMapping, FileFormat, Mapping, mapping_from_toml, save_preset
from logbook.domain.record import IncidentDraft
from logbook.services import importer, mapped_import
from logbook.services.importer import ImportCancelled, UnusableFileError, import_csv
from logbook.services.mapped_import import (
    MappedImportReport,
    distinct_values,
    import_mapped,
    preview,
    read_sample,
    scan,
    sniff_file,
)
from logbook.store.repository import DUPLICATE_KEYS, ImportEntry, Repository
from tests.conftest import make_draft
from tests.unit.csv_helpers import GOOD_HEADER, GOOD_ROW, read_csv, write_csv

TODAY = dt.date(2024, 6, 1)
HEADER = ("Date", "Country", "Place", "Weapon", "Killed", "Injured", "Type", "Notes")
ROW = ("2023-10-26", "Syria", "Al-Tanf", "Drone", "0", "3 – 7", "Attack", "two drones")


def tracker(**fields: FieldMapping) -> Mapping:
    """The mapping of the corpus files: each HEADER column to its field; the event type is attack when empty."""
    base = {
        "date_start": FieldMapping(columns=("Date",)),
        "country": FieldMapping(columns=("Country",)),
        "location": FieldMapping(columns=("Place",)),
        "weapon": FieldMapping(columns=("Weapon",)),
        "killed": FieldMapping(columns=("Killed",)),
        "injured": FieldMapping(columns=("Injured",)),
        "event_type": FieldMapping(columns=("Type",), value="attack"),
        "notes": FieldMapping(columns=("Notes",)),
    }
    return Mapping(fields=base | fields, name="Tracker")


def write(
    path: Path,
    *rows: Sequence[str],
    header: Sequence[str] | None = HEADER,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def stored(repo: Repository) -> list[IncidentDraft]:
    return [repo.get(i) for i in repo.snapshot(IncidentFilter(), SortOrder(descending=False))]


def run_import(repo: Repository, path: Path, mapping: Mapping | None = None, **options: Any) -> MappedImportReport:
    return import_mapped(repo, path, mapping or tracker(), today=TODAY, **options)


def unchanged(repo: Repository, tmp_path: Path, before: int = 1) -> None:
    """Nothing imported, no rejects file or partial file left, nothing in the history."""
    assert repo.count() == before
    assert repo.imports() == []
    assert not [p.name for p in tmp_path.iterdir() if "rejects" in p.name or p.name.endswith(".part")]


# ---- the corpus ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "sniffed", "place"),
    [
        ("utf-8", "utf-8", "Côte d’Ivoire “base” – Ⅳ"),
        ("utf-8-sig", "utf-8-sig", "Côte d’Ivoire “base” – Ⅳ"),
        ("utf-16", "utf-16", "Côte d’Ivoire “base” – Ⅳ"),
        ("cp1252", "cp1252", "Côte d’Ivoire “base” – €"),
        ("latin-1", "cp1252", "Saint-Étienne, Zürich ½"),  # the same characters in both: read alike
    ],
)
def test_each_encoding(repo: Repository, tmp_path: Path, encoding: str, sniffed: str, place: str) -> None:
    plain = (*ROW[:5], "3-7", *ROW[6:])  # the en dash is not in Latin-1
    path = write(tmp_path / "in.csv", plain, (*plain[:2], place, *plain[3:]), encoding=encoding)
    assert sniff_file(path) == FileFormat(sniffed, ",", True)
    report = run_import(repo, path)
    assert (report.added, report.rejected) == (2, 0)
    assert [draft.location for draft in stored(repo)] == ["Al-Tanf", place]


def test_an_encoding_chosen_by_hand(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", (*ROW[:2], "Ḫ", *ROW[3:5], "3", *ROW[6:]), encoding="utf-8")
    mapping = tracker()
    mapping.encoding = "latin-1"
    assert run_import(repo, path, mapping).added == 1
    assert stored(repo)[0].location == "Ḫ".encode().decode("latin-1")


def test_not_utf8_past_the_sniffed_start_stops_naming_the_line(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.add(make_draft())
    monkeypatch.setattr(mapped_import, "ENCODING_SAMPLE", 200)
    path = write(tmp_path / "in.csv", *[ROW] * 20)
    with path.open("ab") as file:
        file.write(b"2023-10-27,Iraq,Erbil \xe0 x,drone,0,0,attack,\r\n")
    with pytest.raises(UnusableFileError, match=r"not UTF-8 text at line 22 .*Choose its encoding"):
        run_import(repo, path)
    unchanged(repo, tmp_path)


def test_semicolons_decimal_commas_and_thousands_with_dots(repo: Repository, tmp_path: Path) -> None:
    header = (*HEADER, "Lat", "Lon")
    path = write(
        tmp_path / "in.csv",
        ("26.10.2023", "Syrien", "Al-Tanf Süd", "Drohne", "1.200", "", "Attack", "", "33,5", "38,6"),
        header=header,
        delimiter=";",
        encoding="cp1252",
    )
    assert sniff_file(path) == FileFormat("cp1252", ";", True)
    mapping = tracker(
        latitude=FieldMapping(columns=("Lat",)),
        longitude=FieldMapping(columns=("Lon",)),
        country=FieldMapping(columns=("Country",), values={"Syrien": "Syria"}),
        weapon=FieldMapping(columns=("Weapon",), values={"Drohne": "drone"}),
    )
    report = run_import(repo, path, mapping)
    assert report.added == 1
    [draft] = stored(repo)
    assert (draft.date_start, draft.country, draft.weapon) == (dt.date(2023, 10, 26), "SY", "drone")
    assert (draft.killed_min, draft.killed_max, draft.latitude, draft.longitude) == (1200, 1200, 33.5, 38.6)


def test_tabs(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.tsv", ROW, delimiter="\t", encoding="utf-16")
    assert sniff_file(path) == FileFormat("utf-16", "\t", True)
    assert run_import(repo, path).added == 1


def test_quoted_newlines_inside_cells_and_row_numbers(repo: Repository, tmp_path: Path) -> None:
    notes = "line 1\nline 2\r\nline 3"
    path = write(tmp_path / "in.csv", (*ROW[:-1], notes), (*ROW[:-1], "x\ny"), (*ROW[:2], "Erbil", "laser", *ROW[4:]))
    report = run_import(repo, path)
    assert (report.added, report.rejected) == (2, 1)
    assert stored(repo)[0].notes == "line 1\nline 2\nline 3"
    [line] = read_csv(tmp_path / "in.rejects.csv")
    assert (line["row"], line["field"], line["Place"]) == ("4", "weapon", "Erbil")  # records, not lines
    assert "'laser' is not one of" in line["problem"] and "column 'Weapon'" in line["problem"]


def test_ragged_rows(repo: Repository, tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv",
        ROW[:5],  # short: the rest is empty
        (*ROW, "", ""),  # empty cells past the header: a trailing delimiter
        (*ROW, "surplus"),  # something past the header: which column did it belong to?
    )
    report = run_import(repo, path)
    assert (report.added, report.rejected, report.warned) == (2, 1, 1)
    [line] = read_csv(tmp_path / "in.rejects.csv")
    assert (line["row"], line["field"]) == ("4", "(whole row)")
    assert "9 cells but the header has 8" in line["problem"]
    [warning] = report.findings.warnings
    assert (warning.row, warning.field) == (2, "(whole row)") and "read as empty" in warning.message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"\r\n  \r\n\r\n", "is empty"),
        (b"\x00\x01\x02\x03binary\x00", "not a text file"),
        (bytes(range(1, 32)) * 20, "not a text file"),
        (b"PK\x03\x04" + bytes(range(256)) * 4, "not a text file"),
        (b"Datum,Land\r\n2023-10-26,Syria\r\n", "the file has no column 'Date'"),
    ],
)
def test_unusable_files_change_nothing(repo: Repository, tmp_path: Path, content: bytes, words: str) -> None:
    repo.add(make_draft())
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFileError, match=words) as caught:
        run_import(repo, path)
    assert "in.csv" in str(caught.value)
    unchanged(repo, tmp_path)


def test_a_missing_file_or_a_folder(repo: Repository, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(UnusableFileError, match="does not exist"):
        run_import(repo, tmp_path / "missing.csv")
    with pytest.raises(UnusableFileError, match="is a folder"):
        run_import(repo, tmp_path / "folder")


def test_a_header_only_file_imports_nothing_and_says_so(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv")
    report = run_import(repo, path)
    assert (report.added, report.rejected, report.rejects_path) == (0, 0, None)
    assert repo.count() == 0


def test_a_huge_cell(repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = "word " * 200_000  # a megabyte: far past the csv module's usual 128 KiB
    path = write(tmp_path / "in.csv", (*ROW[:-1], huge), ROW)
    assert run_import(repo, path).added == 2
    assert stored(repo)[0].notes == huge.strip()

    monkeypatch.setattr(importer, "MAX_CELL", 100_000)
    with pytest.raises(UnusableFileError, match="line 2: field larger than field limit"):
        run_import(repo, path)
    assert repo.count() == 2


def test_formula_like_cells(repo: Repository, tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv",
        (*ROW[:-1], '=HYPERLINK("http://evil.example")'),
        (*ROW[:-1], "'+33 1 23 45"),
        (*ROW[:4], "=SUM(A1:A3)", *ROW[5:]),
    )
    report = run_import(repo, path)
    assert (report.added, report.rejected) == (2, 1)
    assert [draft.notes for draft in stored(repo)] == ['=HYPERLINK("http://evil.example")', "+33 1 23 45"]
    [line] = read_csv(tmp_path / "in.rejects.csv")
    assert (line["row"], line["field"], line["Killed"]) == ("4", "killed", "=SUM(A1:A3)")


def test_mixed_date_formats(repo: Repository, tmp_path: Path) -> None:
    dates = ["2023-10-26", "27 Oct 2023", "october-28-2023", "29/10/2023", "10/30/2023", "31.10.2023", "2023-11",
             "07/10/2023"]  # fmt: skip
    path = write(tmp_path / "in.csv", *[(day, *ROW[1:]) for day in dates])
    report = run_import(repo, path)
    assert (report.added, report.rejected) == (7, 1)
    assert [(d.date_start.isoformat(), d.date_precision) for d in stored(repo)] == [
        ("2023-10-26", "day"), ("2023-10-27", "day"), ("2023-10-28", "day"), ("2023-10-29", "day"),
        ("2023-10-30", "day"), ("2023-10-31", "day"), ("2023-11-01", "month"),
    ]  # fmt: skip
    [line] = read_csv(tmp_path / "in.rejects.csv")
    assert (line["row"], line["field"]) == ("9", "date_start")
    assert "choose the date format" in line["problem"]
    mapping = tracker(date_start=FieldMapping(columns=("Date",), date_format=DateFormat.DAY_FIRST))
    path = write(tmp_path / "again.csv", ("07/10/2023", *ROW[1:]))
    assert run_import(repo, path, mapping).added == 1


def test_thousands_separators_and_casualty_spellings(repo: Repository, tmp_path: Path) -> None:
    figures = [("1,200", "1,200 – 1,500"), ("Unknown", "N/A"), ("-", "?"), ("", "at least 10"), ("10+", "3-7")]
    path = write(tmp_path / "in.csv", *[(*ROW[:4], killed, injured, *ROW[6:]) for killed, injured in figures])
    assert run_import(repo, path).added == 5
    assert [(d.killed_min, d.killed_max, d.injured_min, d.injured_max) for d in stored(repo)] == [
        (1200, 1200, 1200, 1500),
        (None, None, None, None),
        (None, None, None, None),
        (None, None, 10, None),
        (10, None, 3, 7),
    ]


def test_values_with_stray_spaces(repo: Repository, tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv",
        (" 2023-10-26 ", " syria  ", "  Al-Tanf   garrison ", " DRONE ", " 0 ", " 3 – 7 ", "  attack ", "  note  "),
        header=[f" {name}  " for name in HEADER],
    )
    assert run_import(repo, path).added == 1
    [draft] = stored(repo)
    assert (draft.country, draft.location, draft.weapon, draft.event_type, draft.notes) == (
        "SY", "Al-Tanf garrison", "drone", "attack", "note"
    )  # fmt: skip


def test_a_file_without_a_header(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", ROW, ROW, header=None)
    assert sniff_file(path).has_header is False
    mapping = Mapping(
        fields={
            "date_start": FieldMapping(columns=("Column 1",)),
            "country": FieldMapping(columns=("Column 2",)),
            "event_type": FieldMapping(columns=("Column 7",)),
        }
    )
    report = run_import(repo, path, mapping)
    assert (report.added, report.rejected) == (2, 0)


# ---- one transaction ----------------------------------------------------------------------------------------


def test_cancel_keeps_nothing(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft())
    path = write(tmp_path / "in.csv", *[ROW] * 2000, (*ROW[:4], "-1", *ROW[5:]))
    reports: list[tuple[int, int]] = []

    def cancelled() -> bool:
        return len(reports) >= 3

    with pytest.raises(ImportCancelled, match="nothing was imported"):
        run_import(repo, path, progress=lambda done, total: reports.append((done, total)), cancelled=cancelled)
    unchanged(repo, tmp_path)
    assert reports and all(0 < done <= total == path.stat().st_size for done, total in reports)


def test_a_cancel_after_the_last_row_still_keeps_nothing(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", ROW)
    asked: list[bool] = []

    def cancelled() -> bool:  # not at the first row: at the end
        asked.append(True)
        return len(asked) > 1

    with pytest.raises(ImportCancelled):
        run_import(repo, path, cancelled=cancelled)
    unchanged(repo, tmp_path, before=0)


def test_progress_reaches_the_end(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", *[ROW] * 600)
    reports: list[tuple[int, int]] = []
    run_import(repo, path, progress=lambda done, total: reports.append((done, total)), cancelled=lambda: False)
    size = path.stat().st_size
    assert reports[-1] == (size, size) and len(reports) >= 3
    assert [done for done, _total in reports] == sorted(done for done, _total in reports)


def test_a_failure_after_some_batches_were_written_keeps_nothing(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.add(make_draft())
    path = write(
        tmp_path / "in.csv", (*ROW[:4], "-1", *ROW[5:]), *[(f"2023-10-{day % 28 + 1}", *ROW[1:]) for day in range(1500)]
    )
    monkeypatch.setattr(repo, "upsert_many", functools.partial(repo.upsert_many, batch=100))
    looks = itertools.count()

    def failing() -> bool:  # asked every 256 rows: the fifth time, ten batches are in
        if next(looks) == 4:
            raise RuntimeError("the disk went away")
        return False

    with pytest.raises(RuntimeError):
        run_import(repo, path, cancelled=failing, skip_duplicates=False)
    unchanged(repo, tmp_path)


def test_the_rejects_file_cannot_be_the_input(repo: Repository, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", ROW)
    with pytest.raises(UnusableFileError, match="its own rejects file"):
        import_mapped(repo, path, tracker(), tmp_path / "in.csv")


# ---- preview, scan, the wizard's helpers ----------------------------------------------------------------------


def test_preview_shows_rows_as_stored_with_problems_and_warnings_by_field(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(date_start=dt.date(2023, 10, 26), country="SY", location="al-tanf ", weapon="drone"))
    path = write(
        tmp_path / "in.csv",
        ROW,
        ("2023-10-27", "Atlantis", *ROW[2:]),
        ("2030-01-01", *ROW[1:]),
        *[ROW] * 30,
    )
    shown = preview(repo, path, tracker(), limit=3, today=TODAY)
    assert shown.columns == list(HEADER) and shown.format == FileFormat("utf-8", ",", True)
    first, second, third = shown.rows
    assert (first.number, first.duplicates, first.problems, first.warnings) == (2, (1,), [], [])
    cells = first.stored()
    assert (cells["date_start"], cells["country"], cells["injured_min"], cells["injured_max"]) == (
        "2023-10-26", "Syria", "3", "7"
    )  # fmt: skip
    assert (second.draft, [p.field for p in second.problems], second.stored()["country"]) == (None, ["country"], "")
    assert [(w.field, w.message) for w in third.warnings] == [("date_start", "2030-01-01 is in the future")]
    assert repo.count() == 1  # a preview stores nothing


def test_scan_counts_the_whole_file(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(date_start=dt.date(2023, 10, 26), country="SY", location="Al-Tanf", weapon="drone"))
    path = write(tmp_path / "in.csv", *[ROW] * 700, ("2023-10-27", "Atlantis", *ROW[2:]), ("2031-01-01", *ROW[1:]))
    findings = scan(repo, path, tracker(), today=TODAY)
    assert (findings.rows, findings.rejected, findings.warned, findings.duplicated) == (702, 1, 1, 700)
    assert [(p.row, p.field) for p in findings.problems] == [(702, "country")]
    assert len(findings.duplicates) == 700 and findings.duplicates[0].incident_ids == (1,)
    assert repo.count() == 1


def test_sample_and_distinct_values_for_the_wizard(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", *[(*ROW[:6], status, ROW[7]) for status in ("Attack", "Claimed", " Attack")])
    sample = read_sample(path, limit=2)
    assert sample.columns == list(HEADER) and len(sample.rows) == 2 and sample.format.delimiter == ","
    assert distinct_values(path, sample.format, "Type") == [("Attack", 2), ("Claimed", 1)]
    with pytest.raises(UnusableFileError, match="no column 'Status'"):
        distinct_values(path, sample.format, "Status")


# ---- duplicates and the history -------------------------------------------------------------------------------


def test_possible_duplicates_are_skipped_or_imported(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(date_start=dt.date(2023, 10, 26), country="SY", location="AL-TANF", weapon="drone"))
    other = make_draft(date_start=dt.date(2023, 10, 26), country="SY", location="Al-Tanf", weapon="rocket")
    repo.add(other)
    path = write(tmp_path / "in.csv", ROW, (*ROW[:3], "Rocket", *ROW[4:]), (*ROW[:3], "Mortar", *ROW[4:]))
    report = run_import(repo, path)
    assert (report.added, report.skipped) == (1, 2)
    report = run_import(repo, path, skip_duplicates=False)
    assert (report.added, report.skipped) == (3, 0)
    assert repo.count() == 6


def test_a_row_like_an_earlier_row_of_the_file_is_listed_but_imported(repo: Repository, tmp_path: Path) -> None:
    """The same attack from two sources, or two attacks on one base in one day: the later row is listed beside
    the earlier one (the place compared case and spacing aside) for the user to check, and imported."""
    path = write(
        tmp_path / "in.csv", ROW, (*ROW[:3], "Rocket", *ROW[4:]), (*ROW[:2], " AL-TANF ", *ROW[3:7], "a second source")
    )
    findings = scan(repo, path, tracker(), today=TODAY)
    assert [(repeat.row, repeat.earlier_row) for repeat in findings.repeats] == [(4, 2)]
    assert (findings.repeated, findings.duplicated, findings.duplicates) == (1, 0, [])
    report = run_import(repo, path)
    assert (report.added, report.skipped) == (3, 0)


def test_the_command_line_says_which_rows_look_like_earlier_ones(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "in.csv", ROW, ROW, ROW)
    save_preset(tmp_path / "tracker.toml", tracker())
    assert main(["import", str(path), "--mapping", str(tmp_path / "tracker.toml"), "--db", str(db_path)]) == 0
    out, err = capsys.readouterr()
    assert "Imported 3 incidents" in out
    assert "warning: row 3 looks like row 2 of the file (imported: check it)" in err
    assert "warning: row 4 looks like row 2 of the file (imported: check it)" in err


def test_duplicates_are_found_however_many_keys_a_file_has(repo: Repository, tmp_path: Path) -> None:
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(3 * DUPLICATE_KEYS + 1)]
    repo.add_many(make_draft(date_start=day, country="SY", location="Al-Tanf", weapon="drone") for day in days)
    path = write(tmp_path / "in.csv", *[(day.isoformat(), *ROW[1:]) for day in days], ("2019-12-31", *ROW[1:]))
    report = run_import(repo, path)
    assert (report.added, report.skipped) == (1, len(days))


def test_trashed_incidents_are_not_duplicates(repo: Repository, tmp_path: Path) -> None:
    incident = repo.add(make_draft(date_start=dt.date(2023, 10, 26), country="SY", location="Al-Tanf", weapon="drone"))
    repo.delete([incident])
    assert run_import(repo, write(tmp_path / "in.csv", ROW)).added == 1


def test_the_history_lists_each_import_and_undoes_one(repo: Repository, tmp_path: Path) -> None:
    kept = repo.add(make_draft(title="Entered by hand"))
    canonical = write_csv(tmp_path / "canonical.csv", GOOD_HEADER, GOOD_ROW, (*GOOD_ROW[:2], "Atlantis", *GOOD_ROW[3:]))
    first = import_csv(repo, canonical)
    rows = (ROW, ("2031-01-01", *ROW[1:]), ("x", *ROW[1:]), (*ROW[:2], "Erbil", *ROW[3:]))
    second = run_import(repo, write(tmp_path / "tracker.csv", *rows))

    def counts(entry: ImportEntry) -> tuple[int, ...]:
        return entry.added, entry.updated, entry.rejected, entry.skipped, entry.warned, entry.live

    newest, oldest = repo.imports()
    assert (oldest.id, oldest.file_name, oldest.mapping, counts(oldest)) == (
        first.import_id, "canonical.csv", None, (1, 0, 1, 0, 0, 1)
    )  # fmt: skip
    assert (newest.id, newest.file_name, newest.mapping, counts(newest)) == (
        second.import_id, "tracker.csv", "Tracker", (3, 0, 1, 0, 1, 3)
    )  # fmt: skip
    assert newest.imported_at.endswith("Z")

    assert repo.remove_import(newest.id) == 3
    assert repo.count() == 2 and len(repo.trash()) == 3
    assert repo.get(kept).title == "Entered by hand"
    assert [entry.live for entry in repo.imports()] == [0, 1]
    assert repo.restore_import(newest.id) == 3
    assert repo.count() == 5


def test_an_update_by_uid_is_not_an_incident_of_the_import(repo: Repository, tmp_path: Path) -> None:
    uid = "0b7e2f8e-4d0e-4a43-9a53-1f2b4a3c5d6e"
    repo.add(make_draft(uid=uid))
    path = write_csv(tmp_path / "in.csv", ("uid", *GOOD_HEADER), (uid, *GOOD_ROW))
    report = import_csv(repo, path)
    assert (report.added, report.updated) == (0, 1)
    assert report.import_id is not None and repo.remove_import(report.import_id) == 0
    assert repo.count() == 1


# ---- the command line -----------------------------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def preset(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.toml"
    save_preset(path, tracker())
    return path


def test_cli_import_with_a_mapping(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path, preset: Path
) -> None:
    path = write(tmp_path / "in.csv", ROW, ("2099-01-01", *ROW[1:]))
    status, out, err = cli(capsys, "import", str(path), "--mapping", str(preset), "--db", str(db_path))
    assert (status, out) == (0, "Imported 2 incidents (1 with warnings)\n")
    assert err == "warning: row 3, date_start: 2099-01-01 is in the future\n"
    status, out, _err = cli(capsys, "import", str(path), "--mapping", str(preset), "--db", str(db_path))
    assert (status, out) == (0, "Imported 0 incidents, skipped 2 possible duplicates\n")
    status, out, _err = cli(
        capsys, "import", str(path), "--mapping", str(preset), "--db", str(db_path), "--duplicates", "import"
    )
    assert (status, out) == (0, "Imported 2 incidents (1 with warnings)\n")
    assert repo.count() == 4 and [entry.mapping for entry in repo.imports()] == ["Tracker"] * 3


def test_cli_mapped_import_with_rejected_rows(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path, preset: Path
) -> None:
    path = write(tmp_path / "in.csv", ROW, ("2023-10-27", "Atlantis", *ROW[2:]))
    rejects = tmp_path / "problems.csv"
    status, out, err = cli(
        capsys, "import", str(path), "--mapping", str(preset), "--db", str(db_path), "--rejects", str(rejects)
    )
    assert (status, out, err) == (1, f"Imported 1 incident, rejected 1 (see {rejects})\n", "")
    [line] = read_csv(rejects)
    assert (line["row"], line["field"], line["Country"]) == ("3", "country", "Atlantis")


@pytest.mark.parametrize(
    ("preset_text", "content", "words"),
    [
        ("format = 1\n[fields.deaths]\ncolumn = 'x'\n", b"Date\r\n", "fields.deaths: not a field"),
        ("format = 9\n", b"Date\r\n", "format: 9 comes from a newer version"),
        (None, b"", "is empty"),
        (None, b"\x00\x01binary", "not a text file"),
        (None, b"Datum,Land\r\n1,2\r\n", "no column 'Date'"),
    ],
)
def test_cli_mapped_import_of_an_unusable_file_or_preset_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    preset: Path,
    preset_text: str | None,
    content: bytes,
    words: str,
) -> None:
    if preset_text is not None:
        preset.write_text(preset_text, encoding="utf-8")
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    db = tmp_path / "new.sqlite3"
    status, out, err = cli(capsys, "import", str(path), "--mapping", str(preset), "--db", str(db))
    assert (status, out) == (2, "")
    assert err.startswith("logbook: ") and words in err and err.count("\n") == 1
    if preset_text is not None:
        assert not db.exists()  # a preset that cannot be read creates no logbook


def test_cli_duplicates_goes_with_mapping(capsys: pytest.CaptureFixture[str], tmp_path: Path, db_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, GOOD_ROW)
    status, _out, err = cli(capsys, "import", str(path), "--db", str(db_path), "--duplicates", "skip")
    assert status == 2 and "--duplicates goes with --mapping" in err


def test_the_readme_preset_is_a_working_preset(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    [example] = [block.split("```")[0] for block in readme.split("```toml\n")[1:]]
    mapping = mapping_from_toml(example)
    assert (mapping.name, mapping.delimiter, mapping.encoding) == ("Tracker export", ";", "cp1252")
    assert mapping.fields["notes"] == FieldMapping(columns=("Description", "Comments"), separator=" / ")
    header = ("Event date", "Country", "Fatalities", "Status", "Description", "Comments")
    path = write(tmp_path / "in.csv", ("07/10/2023", "Irak", "1,200", "Confirmed Suicide", "a", "b"), header=header,
                 delimiter=";", encoding="cp1252")  # fmt: skip
    mapping.fields["country"].values = {"Irak": "Iraq"}
    findings = scan(None, path, mapping)
    assert (findings.rows, findings.rejected) == (1, 0)
