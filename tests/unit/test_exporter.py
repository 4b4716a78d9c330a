"""Export: the incidents the user is looking at, in their order, safe to open in a spreadsheet, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from logbook.domain.csv_schema import COLUMNS
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.record import SourceDraft
from logbook.services.exporter import PROGRESS_EVERY, ExportCancelled, export_csv, export_csv_file
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.unit.csv_helpers import exported


@pytest.fixture
def three(repo: Repository) -> Repository:
    """Iraq on 17 Oct and 2 Nov, Syria on 26 Oct."""
    repo.add(make_draft(title="Iraq early", date_start=dt.date(2023, 10, 17), killed_min=2, killed_max=2))
    repo.add(make_draft(title="Syria", date_start=dt.date(2023, 10, 26), country="SY", killed_min=5, killed_max=9))
    repo.add(make_draft(title="Iraq late", date_start=dt.date(2023, 11, 2), killed_min=None, killed_max=None))
    return repo


def titles(rows: list[dict[str, str]]) -> list[str]:
    return [row["title"] for row in rows]


def partial_files(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.suffix == ".part"]


def fill(repo: Repository, count: int) -> None:
    repo.upsert_many(make_draft(title=f"Incident {n}") for n in range(count))


def test_header_rows_and_crlf(three: Repository) -> None:
    out = io.StringIO(newline="")
    assert export_csv(three, IncidentFilter(), SortOrder(), out) == 3
    text = out.getvalue()
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    assert text.count("\r\n") == 4


@pytest.mark.parametrize(
    ("incident_filter", "order", "expected"),
    [
        (IncidentFilter(), SortOrder(), ["Iraq late", "Syria", "Iraq early"]),
        (IncidentFilter(), SortOrder(SortKey.DATE, descending=False), ["Iraq early", "Syria", "Iraq late"]),
        (IncidentFilter(countries=("IQ",)), SortOrder(), ["Iraq late", "Iraq early"]),
        (IncidentFilter(date_to=dt.date(2023, 10, 26)), SortOrder(), ["Syria", "Iraq early"]),
        (IncidentFilter(date_from=dt.date(2023, 10, 26)), SortOrder(descending=False), ["Syria", "Iraq late"]),
        (IncidentFilter(search="early"), SortOrder(), ["Iraq early"]),
        (IncidentFilter(), SortOrder(SortKey.KILLED, descending=False), ["Iraq late", "Iraq early", "Syria"]),
        # ties keep the order of entry in both directions
        (IncidentFilter(), SortOrder(SortKey.COUNTRY, descending=True), ["Syria", "Iraq early", "Iraq late"]),
    ],
)
def test_export_follows_the_filter_and_the_order(
    three: Repository, incident_filter: IncidentFilter, order: SortOrder, expected: list[str]
) -> None:
    assert titles(exported(three, incident_filter, order)) == expected


def test_trashed_incidents_are_not_exported(three: Repository) -> None:
    three.delete(list(three.snapshot(IncidentFilter(search="Syria"), SortOrder())))
    assert titles(exported(three)) == ["Iraq late", "Iraq early"]


def test_values_are_exported_as_codes_names_and_empty_for_unknown(three: Repository) -> None:
    syria, late = exported(three, IncidentFilter(countries=("SY",)))[0], exported(three)[0]
    assert (syria["country"], syria["killed_min"], syria["killed_max"]) == ("Syria", "5", "9")
    assert (late["killed_min"], late["killed_max"], late["injured_min"]) == ("", "", "0")
    assert late["sources"] == "US Department of Defense | official | https://www.defense.gov/ | 2023-11-03"


def test_formula_cells_are_neutralised_but_numbers_are_not(repo: Repository) -> None:
    repo.add(
        make_draft(
            title='=HYPERLINK("http://evil.example","Click")',
            location="-x",
            perpetrator="@group",
            notes="+1 more",
            latitude=-33.5,
            longitude=-40.25,
            tags=["=tag"],
            sources=[SourceDraft("-ministry", "official")],
        )
    )
    row = exported(repo)[0]
    assert row["title"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert (row["location"], row["perpetrator"], row["notes"]) == ("'-x", "'@group", "'+1 more")
    assert (row["tags"], row["sources"]) == ("'=tag", "'-ministry | official")
    assert (row["latitude"], row["longitude"]) == ("-33.5", "-40.25")


def test_neutralisation_can_be_turned_off(repo: Repository) -> None:
    repo.add(make_draft(title="=SUM(A1:A9)", location="-x", longitude=-40.25, latitude=10.0))
    row = exported(repo, neutralise_formulas=False)[0]
    assert (row["title"], row["location"], row["longitude"]) == ("=SUM(A1:A9)", "-x", "-40.25")


def test_progress_reports_every_few_hundred_rows_and_the_end(repo: Repository) -> None:
    fill(repo, 2 * PROGRESS_EVERY + 10)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    total = 2 * PROGRESS_EVERY + 10
    assert export_csv(repo, IncidentFilter(), SortOrder(), io.StringIO(), progress=progress) == total
    assert calls == [(0, total), (PROGRESS_EVERY, total), (2 * PROGRESS_EVERY, total), (total, total)]


def test_cancel_leaves_no_file_and_keeps_the_old_one(repo: Repository, tmp_path: Path) -> None:
    fill(repo, PROGRESS_EVERY + 1)
    target = tmp_path / "incidents.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        export_csv_file(target, repo, IncidentFilter(), SortOrder(), progress=lambda done, total: done == 0)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert not partial_files(tmp_path)


def test_a_failed_export_leaves_no_partial_file(repo: Repository, tmp_path: Path) -> None:
    fill(repo, PROGRESS_EVERY + 1)
    target = tmp_path / "new.csv"

    def broken(done: int, total: int) -> bool:
        if done:
            raise RuntimeError("disk trouble")
        return True

    with pytest.raises(RuntimeError):
        export_csv_file(target, repo, IncidentFilter(), SortOrder(), progress=broken)
    assert not target.exists()
    assert not partial_files(tmp_path)


def test_file_export_is_utf8_without_bom_and_replaces_the_old_file(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft(title="Attaque près de Deir ez-Zor", notes="ligne 1\nligne 2"))
    target = tmp_path / "incidents.csv"
    target.write_text("old", encoding="utf-8")
    assert export_csv_file(target, repo, IncidentFilter(), SortOrder()) == 1
    data = target.read_bytes()
    assert data.startswith(b"uid,") and data.endswith(b"\r\n")
    assert "Attaque près de Deir ez-Zor".encode() in data
    assert b'"ligne 1\nligne 2"' in data  # a newline inside a cell is kept as it is, quoted
