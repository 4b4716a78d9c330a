"""The lines SQLite builds for an export are byte for byte those of format_row through csv.writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.domain.csv_schema import format_row
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.services import exporter
from logbook.store.csv_lines import COUNTRY_CELL, FLOAT_CELL, country_cell, csv_lines, line_expression
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.unit.test_importer import copy_of, incident_drafts

AWKWARD = [
    make_draft(
        title='=HYPERLINK("http://evil.example","Click")',
        location="'-already quoted",
        perpetrator='@group, "the" cell',
        notes="line 1\nline 2\r\nline 3, with a comma",
        admin1="\tTabbed",
        target="'",
        attributed_by="+1",
        tags=["=tag", "b, c", 'say "hi"', "Ünïcode", "a"],
        sources=[
            SourceDraft("-ministry | press \\ office", "official", "https://x.example/a|b\\c", dt.date(2023, 11, 3)),
            SourceDraft(None, "social_media", "https://t.me/post"),
            SourceDraft("Name only", "media"),
            SourceDraft("No url but a date", "ngo", None, dt.date(2023, 1, 2)),
            SourceDraft('A "quoted", name', "other", "https://q.example/?a=1,2"),
        ],
    ),
    make_draft(killed_min=None, killed_max=None, injured_min=0, injured_max=None, sources=[], tags=[]),
    make_draft(country="VG", latitude=0.1 + 0.2, longitude=-1e-05, title=None, location=None, perpetrator=None),
    make_draft(latitude=-0.0, longitude=33.0, date_end=dt.date(2023, 11, 5), geo_precision="near"),
    make_draft(latitude=89.99999999999999, longitude=-179.123456789012345, notes="'=already neutral"),
    make_draft(title="'", notes="''+1", sources=[SourceDraft("=cmd", "media")], tags=["+x"]),
]


def reference_text(repo: Repository, ids: list[int], neutralise_formulas: bool) -> str:
    """What the export wrote before SQLite built its lines: format_row, then csv.writer."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for record in repo.export_records(ids):
        writer.writerow(format_row(record.values, record.sources, record.tags, neutralise_formulas))
    return out.getvalue()


def fast_text(repo: Repository, ids: list[int], neutralise_formulas: bool, chunk: int = 4) -> str:
    return "".join(
        line
        for lines in csv_lines(repo.engine, ids, neutralise_formulas=neutralise_formulas, chunk=chunk)
        for line in lines
    )


@pytest.mark.parametrize("neutralise_formulas", [True, False])
def test_awkward_rows_come_out_as_format_row_writes_them(repo: Repository, neutralise_formulas: bool) -> None:
    ids = [repo.add(draft) for draft in AWKWARD]
    random.Random(3).shuffle(ids)
    expected = reference_text(repo, ids, neutralise_formulas)
    assert fast_text(repo, ids, neutralise_formulas) == expected
    assert fast_text(repo, ids, neutralise_formulas, chunk=1000) == expected


def test_lines_follow_the_given_order_and_leave_out_ids_no_longer_stored(repo: Repository) -> None:
    ids = [repo.add(make_draft(title=f"Incident {n}")) for n in range(10)]
    wanted = [ids[7], 999_999, ids[2], ids[9], ids[0], ids[5], ids[1]]
    chunks = list(csv_lines(repo.engine, wanted, chunk=3))
    assert [len(lines) for lines in chunks] == [2, 3, 1]  # the chunk holding 999999 is one line short
    titles = [next(csv.reader([line]))[24] for lines in chunks for line in lines]
    assert titles == [f"Incident {n}" for n in (7, 2, 9, 0, 5, 1)]


@pytest.mark.parametrize("neutralise_formulas", [True, False])
def test_the_line_in_one_expression_is_the_same(repo: Repository, neutralise_formulas: bool) -> None:
    """line_expression, the whole line as one SQL expression, which the benchmark's sqlite3 baseline runs."""
    ids = [repo.add(draft) for draft in AWKWARD]
    with closing(sqlite3.connect(repo.target)) as connection:
        connection.create_function(COUNTRY_CELL, 1, country_cell)
        connection.create_function(FLOAT_CELL, 1, repr)
        statement = f"SELECT {line_expression(neutralise_formulas)} FROM incident AS i WHERE i.id = ?"
        lines = [connection.execute(statement, (incident_id,)).fetchone()[0] for incident_id in ids]
    assert "".join(lines) == reference_text(repo, ids, neutralise_formulas)


@pytest.fixture(scope="module")
def empty_logbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty logbook to copy for every example: faster than running the migrations each time."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    open_logbook(path).dispose()
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(drafts=st.lists(incident_drafts(), min_size=1, max_size=6), neutralise_formulas=st.booleans())
def test_any_valid_incidents_come_out_as_format_row_writes_them(
    empty_logbook: Path, drafts: list[IncidentDraft], neutralise_formulas: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder, copy_of(empty_logbook, Path(folder), "log.sqlite3") as repo:
        ids = [repo.add(draft) for draft in drafts]
        assert fast_text(repo, ids, neutralise_formulas) == reference_text(repo, ids, neutralise_formulas)


def test_export_elsewhere_than_sqlite_writes_the_same_bytes(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """The format_row path, kept for other databases, is the one the fast path is measured against."""
    total = 2 * exporter.PROGRESS_EVERY + 10  # two full chunks and a short one
    repo.upsert_many((AWKWARD * total)[:total])
    fast = io.StringIO(newline="")
    assert exporter.export_csv(repo, IncidentFilter(), SortOrder(), fast) == total
    monkeypatch.setattr(repo.engine.dialect, "name", "postgresql")
    calls: list[int] = []
    generic = io.StringIO(newline="")
    exporter.export_csv(repo, IncidentFilter(), SortOrder(), generic, progress=lambda done, _: not calls.append(done))
    assert generic.getvalue() == fast.getvalue()
    assert calls == [0, exporter.PROGRESS_EVERY, 2 * exporter.PROGRESS_EVERY, total]
