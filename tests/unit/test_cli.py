"""The command line: what each verb prints and returns, the filters, choosing the logbook, and no Qt on the way."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import openpyxl
import pytest

import logbook
from logbook import __main__ as entry
from logbook.cli import main
from logbook.domain.conversions import outside_bounds
from logbook.domain.csv_schema import COLUMNS
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures
from tests.unit.csv_helpers import GOOD_HEADER, GOOD_ROW, write_csv


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def report_log(repo: Repository) -> Repository:
    """The news report of early November 2023, in small: Iraq and Syria, figures known, open and unknown."""
    incidents = [
        make_draft(title="Erbil", date_start=dt.date(2023, 10, 17), killed_min=0, killed_max=0, injured_min=24),
        make_draft(title="Al-Tanf", date_start=dt.date(2023, 10, 18), country="SY", injured_min=20, injured_max=21),
        make_draft(
            title="Shaddadi",
            date_start=dt.date(2023, 10, 26),
            country="SY",
            outcome="missed",
            killed_min=None,
            killed_max=None,
            injured_min=None,
            injured_max=None,
        ),
        make_draft(title="Ain al-Asad", date_start=dt.date(2023, 11, 2), outcome="hit", injured_min=1, injured_max=1),
    ]
    incidents[0].injured_max = None  # "at least 24"
    for draft in incidents:
        repo.add(draft)
    return repo


# ---- import -------------------------------------------------------------------------------------------------


def test_import_a_good_file(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "incidents.csv", GOOD_HEADER, GOOD_ROW, GOOD_ROW)
    assert run(capsys, "import", str(path), "--db", str(db_path)) == (0, "Imported 2 incidents\n", "")
    assert repo.count() == 2


def test_import_with_rejected_rows_keeps_the_good_ones(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "incidents.csv", GOOD_HEADER, GOOD_ROW, (*GOOD_ROW[:2], "Atlantis", *GOOD_ROW[3:]))
    status, out, err = run(capsys, "import", str(path), "--db", str(db_path))
    rejects = tmp_path / "incidents.rejects.csv"
    assert (status, out, err) == (1, f"Imported 1 incident, rejected 1 (see {rejects})\n", "")
    assert repo.count() == 1
    [line] = csv_rows(rejects.read_text(encoding="utf-8"))
    assert (line["row"], line["field"], line["country"]) == ("3", "country", "Atlantis")


def test_import_again_says_how_many_were_updated(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path
) -> None:
    repo.add(make_draft())
    exported = tmp_path / "all.csv"
    assert run(capsys, "export", "--db", str(db_path), "--output", str(exported))[0] == 0
    new = dict.fromkeys(COLUMNS, "") | {"date_start": "2023-11-03", "country": "Iraq", "event_type": "attack"}
    with exported.open("a", encoding="utf-8", newline="") as file:
        csv.writer(file).writerow(new.values())
    assert run(capsys, "import", str(exported), "--db", str(db_path))[:2] == (0, "Imported 2 incidents (1 updated)\n")
    assert repo.count() == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x00\x01\x02binary", ["not a text file"]),
        (b"", ["is empty"]),
        (b"title,country\r\nx,Iraq\r\n", ["'date_start' is missing", "'event_type' is missing"]),
        (b"date_start,country,event_type,dead,wounded\r\n", ["unknown column 'dead'", "unknown column 'wounded'"]),
    ],
)
def test_import_of_an_unusable_file_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    repo: Repository,
    db_path: Path,
    tmp_path: Path,
    content: bytes,
    words: list[str],
) -> None:
    repo.add(make_draft())
    path = tmp_path / "incidents.csv"
    path.write_bytes(content)
    status, out, err = run(capsys, "import", str(path), "--db", str(db_path))
    assert (status, out) == (2, "")
    assert err.startswith("logbook: ") and err.count("\n") == 1
    for word in words:
        assert word in err
    assert repo.count() == 1


# ---- export -------------------------------------------------------------------------------------------------


def test_export_to_stdout_is_the_canonical_csv(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path
) -> None:
    status, out, err = run(capsys, "export", "--db", str(db_path))
    assert (status, err) == (0, "")
    assert out.startswith(",".join(COLUMNS) + "\r\n")
    assert [row["title"] for row in csv_rows(out)] == ["Ain al-Asad", "Shaddadi", "Al-Tanf", "Erbil"]


@pytest.mark.parametrize(
    ("flags", "titles"),
    [
        (["--country", "Syria"], ["Shaddadi", "Al-Tanf"]),
        (["--country", "sy", "--ascending"], ["Al-Tanf", "Shaddadi"]),
        (["--country", "IQ", "--country", "Syrian Arab Republic"], ["Ain al-Asad", "Shaddadi", "Al-Tanf", "Erbil"]),
        (["--from", "2023-10-18", "--to", "2023-10-26"], ["Shaddadi", "Al-Tanf"]),
        (["--search", "tanf"], ["Al-Tanf"]),
        (["--sort", "title", "--ascending"], ["Ain al-Asad", "Al-Tanf", "Erbil", "Shaddadi"]),
        (["--sort", "injured"], ["Erbil", "Al-Tanf", "Ain al-Asad", "Shaddadi"]),
    ],
)
def test_export_filters_and_order(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path, flags: list[str], titles: list[str]
) -> None:
    status, out, _err = run(capsys, "export", "--db", str(db_path), *flags)
    assert status == 0
    assert [row["title"] for row in csv_rows(out)] == titles


def test_export_to_a_redirected_stdout(report_log: Repository, db_path: Path) -> None:
    """An app that calls main() with stdout redirected to a text stream gets the CSV there."""
    captured = io.StringIO(newline="")
    with contextlib.redirect_stdout(captured):
        assert main(["export", "--db", str(db_path), "--country", "Iraq"]) == 0
    assert [row["title"] for row in csv_rows(captured.getvalue())] == ["Ain al-Asad", "Erbil"]


def test_export_to_a_file_and_without_neutralising(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path
) -> None:
    repo.add(make_draft(title="=1+1", location="-x", latitude=1.5, longitude=-2.5))
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert run(capsys, "export", "--db", str(db_path), "-o", str(safe)) == (0, f"Exported 1 incident to {safe}\n", "")
    assert run(capsys, "export", "--db", str(db_path), "--output", str(raw), "--no-neutralise")[0] == 0
    [safe_row] = csv_rows(safe.read_text(encoding="utf-8"))
    [raw_row] = csv_rows(raw.read_text(encoding="utf-8"))
    assert (safe_row["title"], safe_row["location"], safe_row["longitude"]) == ("'=1+1", "'-x", "-2.5")
    assert (raw_row["title"], raw_row["location"], raw_row["longitude"]) == ("=1+1", "-x", "-2.5")


def test_export_with_bom_starts_the_file_with_a_byte_order_mark_for_excel(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path
) -> None:
    repo.add(make_draft(location="Saïda"))
    marked, plain = tmp_path / "excel.csv", tmp_path / "plain.csv"
    assert run(capsys, "export", "--db", str(db_path), "-o", str(marked), "--bom")[0] == 0
    assert run(capsys, "export", "--db", str(db_path), "-o", str(plain))[0] == 0
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert plain.read_bytes().startswith(b"uid,")


def test_export_into_a_missing_folder_fails_cleanly(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, tmp_path: Path
) -> None:
    status, out, err = run(capsys, "export", "--db", str(db_path), "-o", str(tmp_path / "nowhere" / "x.csv"))
    assert (status, out) == (2, "")
    assert err.startswith("logbook: cannot write") and err.count("\n") == 1


def test_export_json_to_stdout(capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path) -> None:
    status, out, err = run(capsys, "export", "--db", str(db_path), "--format", "json", "--country", "Syria")
    assert (status, err) == (0, "")
    items = json.loads(out)
    assert [item["title"] for item in items] == ["Shaddadi", "Al-Tanf"]
    assert (items[0]["killed_min"], items[0]["sources"][0]["kind"]) == (None, "official")


def test_export_takes_the_format_from_the_extension(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "map.GeoJSON"
    assert run(capsys, "export", "--db", str(db_path), "-o", str(target)) == (
        0, f"Exported 4 incidents to {target}\n", "",
    )  # fmt: skip
    collection = json.loads(target.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 4
    # --format wins over the extension; an unknown extension is CSV
    assert run(capsys, "export", "--db", str(db_path), "-o", str(tmp_path / "x.json"), "--format", "csv")[0] == 0
    assert (tmp_path / "x.json").read_text(encoding="utf-8").startswith(",".join(COLUMNS))
    assert run(capsys, "export", "--db", str(db_path), "-o", str(tmp_path / "x.txt"))[0] == 0
    assert (tmp_path / "x.txt").read_text(encoding="utf-8").startswith(",".join(COLUMNS))


def test_export_xlsx_to_a_file(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "incidents.xlsx"
    assert run(capsys, "export", "--db", str(db_path), "-o", str(target), "--sort", "title", "--ascending")[0] == 0
    workbook = openpyxl.load_workbook(target)
    titles = [row[COLUMNS.index("title")] for row in workbook["Incidents"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Ain al-Asad", "Al-Tanf", "Erbil", "Shaddadi"]
    assert next(workbook["Summary"].iter_rows(values_only=True))[:2] == ("Incidents", 4)


@pytest.mark.parametrize("flags", [["--format", "xlsx"], ["--format", "xlsx", "-o", "-"]])
def test_export_xlsx_to_stdout_is_refused(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path, flags: list[str]
) -> None:
    status, out, err = run(capsys, "export", "--db", str(db_path), *flags)
    assert (status, out) == (2, "")
    assert err == "logbook: XLSX cannot go to stdout; give a file: --output FILE.xlsx\n"


def test_export_an_unknown_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path
) -> None:
    status, out, err = run(capsys, "export", "--db", str(db_path), "--format", "pdf")
    assert (status, out) == (2, "")
    assert "invalid choice: 'pdf'" in err


# ---- summary ------------------------------------------------------------------------------------------------


def test_summary_json_shape_and_semantics(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path
) -> None:
    status, out, err = run(capsys, "summary", "--db", str(db_path), "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "incidents": 4,
        "by_country": {"Iraq": 2, "Syria": 2},
        "by_outcome": {"intercepted": 2, "missed": 1, "hit": 1, "unknown": 0},
        "killed": {"min": 0, "max": 0, "open": False, "unknown": 1},  # Shaddadi unknown: beside, not 0 inside
        "injured": {"min": 45, "max": 22, "open": True, "unknown": 1},  # Erbil "at least 24" makes it open
        "from": None,
        "to": None,
    }
    assert out.count("\n") == 1


def test_summary_to_date_is_inclusive(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path
) -> None:
    status, out, _err = run(
        capsys, "summary", "--db", str(db_path), "--json", "--from", "2023-10-18", "--to", "2023-10-26"
    )
    figures = json.loads(out)
    assert status == 0
    assert (figures["incidents"], figures["from"], figures["to"]) == (2, "2023-10-18", "2023-10-26")
    assert figures["by_country"] == {"Syria": 2}


@pytest.mark.parametrize(
    ("flags", "incidents"),
    [
        (["--country", "Iraq"], 2),
        (["--country", "SY"], 2),
        (["--country", "iq", "--country", "Syria"], 4),
        (["--country", "US"], 0),
        (["--search", "erbil"], 1),
    ],
)
def test_summary_country_and_search(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path, flags: list[str], incidents: int
) -> None:
    status, out, _err = run(capsys, "summary", "--db", str(db_path), "--json", *flags)
    assert (status, json.loads(out)["incidents"]) == (0, incidents)


def test_summary_table(capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path) -> None:
    status, out, _err = run(capsys, "summary", "--db", str(db_path), "--from", "2023-10-17")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert status == 0
    for expected in (
        "Incidents 4",
        "From 2023-10-17",
        "Iraq 2",
        "Syria 2",
        "Intercepted 2",
        "Missed 1",
        "Killed 0 (unknown for 1 incident)",
        "Injured 45+ (unknown for 1 incident)",
    ):
        assert expected in lines


# ---- arguments and the logbook ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--from", "17/10/2023"], ["--from", "17/10/2023"]),
        (["--to", "2023-02-30"], ["--to", "2023-02-30"]),
        (["--country", "Narnia"], ["--country", "Narnia"]),
        (["--from", "2023-11-02", "--to", "2023-10-01"], ["--from 2023-11-02", "--to 2023-10-01"]),
    ],
)
def test_bad_filter_values_name_the_flag_and_the_value(
    capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path, flags: list[str], words: list[str]
) -> None:
    for verb in ("summary", "export"):
        status, out, err = run(capsys, verb, "--db", str(db_path), *flags)
        assert (status, out) == (2, "")
        for word in words:
            assert word in err


def test_bad_sort_key(capsys: pytest.CaptureFixture[str], repo: Repository, db_path: Path) -> None:
    status, _out, err = run(capsys, "export", "--db", str(db_path), "--sort", "colour")
    assert status == 2 and "--sort" in err and "colour" in err


def test_logbook_db_environment_variable(
    capsys: pytest.CaptureFixture[str], report_log: Repository, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGBOOK_DB", str(db_path))
    status, out, _err = run(capsys, "summary", "--json")
    assert (status, json.loads(out)["incidents"]) == (0, 4)


def test_the_default_logbook_is_in_the_user_data_folder(
    capsys: pytest.CaptureFixture[str], isolated_user_dirs: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "incidents.csv", GOOD_HEADER, GOOD_ROW)
    assert run(capsys, "import", str(path))[0] == 0
    assert (isolated_user_dirs / "data" / "incident-logbook" / "logbook.sqlite3").exists()
    assert json.loads(run(capsys, "summary", "--json")[1])["incidents"] == 1


@pytest.mark.parametrize("verb", ["summary", "export"])
def test_a_file_that_is_not_a_logbook(capsys: pytest.CaptureFixture[str], tmp_path: Path, verb: str) -> None:
    other = write_csv(tmp_path / "incidents.csv", GOOD_HEADER, GOOD_ROW)
    status, out, err = run(capsys, verb, "--db", str(other))
    assert (status, out) == (2, "")
    assert err.startswith("logbook: incidents.csv is not a SQLite database") and err.count("\n") == 1


@pytest.mark.parametrize("verb", ["summary", "export"])
def test_reading_verbs_do_not_create_a_logbook(capsys: pytest.CaptureFixture[str], tmp_path: Path, verb: str) -> None:
    missing = tmp_path / "typo.sqlite3"
    status, _out, err = run(capsys, verb, "--db", str(missing))
    assert status == 2 and err == f"logbook: there is no logbook at {missing}.\n"
    assert not missing.exists()


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"logbook {logbook.__version__}\n", "")
    status, out, _err = run(capsys, "--help")
    assert status == 0
    assert "logbook [PATH]" in out
    for verb in ("logbook import", "logbook export", "logbook summary"):
        assert verb in out


def test_no_verb_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


# ---- the entry point ----------------------------------------------------------------------------------------


def test_verbs_go_to_the_cli_and_anything_else_opens_the_window(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[list[str]] = []

    def run_window(argv: list[str]) -> int:
        opened.append(argv)
        return 0

    window = types.ModuleType("logbook.ui.app")
    window.run = run_window  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "logbook.ui.app", window)
    assert entry.main(["--version"]) == 0
    assert entry.main([]) == 0
    assert entry.main([str(tmp_path / "x.sqlite3")]) == 0
    assert opened == [[], [str(tmp_path / "x.sqlite3")]]
    assert capsys.readouterr().out == f"logbook {logbook.__version__}\n"


@pytest.mark.parametrize("verb", [["summary", "--json"], ["export"]])
def test_python_m_logbook_verbs_never_import_qt(report_log: Repository, db_path: Path, verb: list[str]) -> None:
    """-X importtime lists every module the run imported, so this proves the verbs start without Qt."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "logbook", *verb, "--db", str(db_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "logbook.cli" in done.stderr
    assert "PySide6" not in done.stderr and "shiboken6" not in done.stderr
    assert done.stdout


def test_demo_creates_a_synthetic_logbook_marked_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo.sqlite3"
    assert main(["demo", "--rows", "500", "--db", str(target)]) == 0
    assert "with 500 synthetic incidents" in capsys.readouterr().out
    engine = open_logbook(target)
    try:
        repo = Repository(engine)
        records = list(repo.export_records(repo.snapshot(IncidentFilter(), SortOrder())))
    finally:
        engine.dispose()
    assert len(records) == 500
    assert all(r.values["title"].startswith("[Synthetic]") and "synthetic" in r.tags for r in records)
    assert all(1 <= len(r.sources) <= 3 for r in records)
    killed = [(r.values["killed_min"], r.values["killed_max"]) for r in records]
    assert (None, None) in killed and any(low is not None and high is None for low, high in killed)
    assert any(low is not None and low == high for low, high in killed)
    assert len({r.values["country"] for r in records}) > 5
    assert {r.values["outcome"] for r in records} == {"intercepted", "missed", "hit", "unknown"}
    located = [r.values for r in records if r.values["latitude"] is not None]
    assert located and not [v for v in located if outside_bounds(v["country"], v["latitude"], v["longitude"])]
    # an existing file is never overwritten
    assert main(["demo", "--rows", "500", "--db", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


class Terminal(io.StringIO):
    """stderr as a person at a terminal has it."""

    def isatty(self) -> bool:
        return True


def test_long_commands_show_their_progress_at_a_terminal_and_clear_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    target = tmp_path / "demo.sqlite3"
    assert main(["demo", "--rows", "300", "--db", str(target)]) == 0
    shown = terminal.getvalue()
    assert "\rCreating the synthetic logbook… 0 %" in shown
    assert "\rCreating the synthetic logbook: building its indexes…" in shown
    assert shown.endswith("\r")  # the line is blanked before the result is printed
    assert "Created" in capsys.readouterr().out

    terminal.seek(0)
    terminal.truncate()
    exported = tmp_path / "all.csv"
    assert main(["export", "--db", str(target), "--output", str(exported)]) == 0
    assert f"\rExporting to {exported}… 100 %" in terminal.getvalue()
    assert len(csv_rows(exported.read_text(encoding="utf-8"))) == 300

    terminal.seek(0)
    terminal.truncate()
    assert main(["import", str(exported), "--db", str(tmp_path / "copy.sqlite3")]) == 0
    assert f"\rImporting {exported}: storing…" in terminal.getvalue()
    assert "Imported 300 incidents" in capsys.readouterr().out


def test_updating_an_older_logbook_is_said_at_a_terminal_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(4), older)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["summary", "--db", str(older)]) == 0
    shown = terminal.getvalue()
    assert shown.startswith("\rUpdating older.sqlite3 for this version…")
    assert f"the file as it was is kept as {older}.schema-4.bak" in shown
    assert "Incidents" in capsys.readouterr().out

    terminal.seek(0)
    terminal.truncate()
    assert main(["summary", "--db", str(older)]) == 0  # up to date now: nothing to say
    assert terminal.getvalue() == ""


def test_no_progress_when_stderr_is_a_file_or_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "demo", "--rows", "300", "--db", str(tmp_path / "demo.sqlite3"))
    assert status == 0 and "Created" in out
    assert err == ""  # a script reading stderr gets only warnings and errors
