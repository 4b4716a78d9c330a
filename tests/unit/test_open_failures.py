"""Failures told plainly: a read-only file or folder opens read-only, a full disk refuses the save whole, a network
share is warned about, a damaged logbook points to its newest backup; the command line says each in one line."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event

from logbook.cli import main
from logbook.domain.filters import IncidentFilter
from logbook.store import backups
from logbook.store import engine as engine_module
from logbook.store.engine import APPLICATION_ID, notes, open_logbook
from logbook.store.errors import DiskFullError, ReadOnlyLogbookError
from logbook.store.filesystems import network_filesystem, network_warning
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.sqlite_files import damage, digest, integrity, older_logbook

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# ---- read-only ------------------------------------------------------------------------------------------------


def test_opened_read_only_it_reads_and_never_writes(db_path: Path, repo: Repository) -> None:
    repo.add(make_draft(title="kept"))
    repo.engine.dispose()
    before = digest(db_path)

    engine = open_logbook(db_path, read_only=True)
    try:
        assert notes(engine).read_only == "opened read-only"
        reader = Repository(engine)
        assert reader.count() == 1 and reader.count(IncidentFilter(search="kept")) == 1
        with pytest.raises(ReadOnlyLogbookError) as caught:
            reader.add(make_draft(title="refused"))
        assert str(caught.value) == "test.sqlite3 cannot be written (opened read-only), so the change was not saved."
        with pytest.raises(ReadOnlyLogbookError):
            reader.delete([1])
    finally:
        engine.dispose()
    assert digest(db_path) == before


def test_an_older_logbook_that_cannot_be_written_is_refused_not_migrated(db_path: Path) -> None:
    older_logbook(db_path, "0001")
    before = digest(db_path)
    with pytest.raises(ReadOnlyLogbookError, match="older version") as caught:
        open_logbook(db_path, read_only=True)
    assert "Copy it to a folder you can write to" in str(caught.value)
    assert digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir() if "bak" in p.name) == []


_CHILD = r"""
import json, os, sys
from pathlib import Path
from sqlalchemy import create_engine
from logbook.store.engine import notes, open_logbook
from logbook.store.errors import LogbookError
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.sqlite_files import damage, digest, integrity

warm = create_engine("sqlite://")  # every module the open needs is loaded before privileges go
warm.connect().close()
warm.dispose()
if os.geteuid() == 0:
    try:
        os.setgid(int(sys.argv[2]))
        os.setuid(int(sys.argv[2]))
    except OSError as error:
        print(json.dumps({"skip": f"cannot drop root privileges: {error}"}))
        sys.exit(0)
result = {}
try:
    engine = open_logbook(Path(sys.argv[1]))
except LogbookError as error:
    result["error"] = [type(error).__name__, str(error)]
else:
    result["read_only"] = notes(engine).read_only
    repository = Repository(engine)
    result["count"] = repository.count()
    try:
        repository.add(make_draft(title="should not be saved"))
        result["wrote"] = True
    except LogbookError as error:
        result["write_error"] = [type(error).__name__, str(error)]
    engine.dispose()
print(json.dumps(result))
"""


def as_unprivileged(path: Path) -> dict[str, object]:
    """Open ``path`` in a process without root's power to write anything (chmod does not stop root): as root,
    the child loads what it needs, then becomes "nobody"; otherwise it is simply this user."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(NOBODY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    if "skip" in result:
        pytest.skip(str(result["skip"]))
    return result


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the unprivileged child can reach (pytest's own temporary folders are private to this user)."""
    folder = Path(tempfile.mkdtemp(prefix="logbook-read-only-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.rglob("*")):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _logbook_in(folder: Path, titles: int = 3) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "shared.sqlite3"
    engine = open_logbook(path)
    Repository(engine).upsert_many(make_draft(title=f"incident {n}") for n in range(titles))
    engine.dispose()
    path.chmod(0o644)
    return path


def test_a_read_only_file_opens_read_only(shared_folder: Path) -> None:
    path = _logbook_in(shared_folder / "writable")
    path.parent.chmod(0o777)  # the folder may be written, the file not
    path.chmod(0o444)
    before = digest(path)

    result = as_unprivileged(path)

    assert result["read_only"] == "the file is read-only" and result["count"] == 3
    assert result["write_error"] == [
        "ReadOnlyLogbookError",
        "shared.sqlite3 cannot be written (the file is read-only), so the change was not saved.",
    ]
    assert digest(path) == before and integrity(path) == "ok"


def test_a_logbook_in_a_read_only_folder_opens_read_only_without_leaving_files(shared_folder: Path) -> None:
    path = _logbook_in(shared_folder / "locked")
    path.chmod(0o666)  # the file may be written, its folder not
    path.parent.chmod(0o755 if os.geteuid() == 0 else 0o555)  # root's folder: nobody may write in it
    before = digest(path)

    result = as_unprivileged(path)

    assert result["read_only"] == "its folder is read-only" and result["count"] == 3
    assert result["write_error"][0] == "ReadOnlyLogbookError"  # type: ignore[index]
    assert sorted(p.name for p in path.parent.iterdir()) == ["shared.sqlite3"]
    assert digest(path) == before


def test_a_read_only_folder_with_changes_still_in_the_write_ahead_log_shows_them(shared_folder: Path) -> None:
    path = _logbook_in(shared_folder / "hot")
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute(\"UPDATE incident SET title = 'in the log only' WHERE id = 1\"); c.commit()\n"
        "os._exit(0)\n"  # gone without a checkpoint: the change is only in the -wal file
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    assert Path(f"{path}-wal").stat().st_size > 0
    for sidecar in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        sidecar.chmod(0o644)
    path.chmod(0o666)
    path.parent.chmod(0o755 if os.geteuid() == 0 else 0o555)

    result = as_unprivileged(path)

    assert result["read_only"] == "its folder is read-only" and result["count"] == 3
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT title FROM incident WHERE id = 1").fetchone()[0] == "in the log only"


def test_changes_that_cannot_be_read_safely_are_not_hidden(shared_folder: Path) -> None:
    """A write-ahead log holding changes, no index file for it, and no way to make one: reading the file alone
    would show the logbook without those changes, so it is refused rather than shown wrong."""
    path = _logbook_in(shared_folder / "hot")
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute(\"UPDATE incident SET title = 'in the log only' WHERE id = 1\"); c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    Path(f"{path}-shm").unlink()
    Path(f"{path}-wal").chmod(0o644)
    path.chmod(0o666)
    path.parent.chmod(0o755 if os.geteuid() == 0 else 0o555)

    result = as_unprivileged(path)

    assert result["error"] == [
        "ReadOnlyLogbookError",
        "shared.sqlite3 has changes not yet written into it (in shared.sqlite3-wal) and its folder is read-only, "
        "so it cannot be read safely. Open it where its folder can be written, or copy both files elsewhere.",
    ]


def test_a_new_logbook_in_a_read_only_folder_is_refused_plainly(shared_folder: Path) -> None:
    folder = shared_folder / "locked"
    folder.mkdir()
    folder.chmod(0o755 if os.geteuid() == 0 else 0o555)
    result = as_unprivileged(folder / "new.sqlite3")
    assert result["error"] == [
        "ReadOnlyLogbookError",
        f"new.sqlite3 cannot be created: the folder {folder} is read-only. Choose another folder.",
    ]
    assert list(folder.iterdir()) == []


def test_the_command_line_reads_a_read_only_logbook_and_refuses_to_import(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detection itself is tested above as an unprivileged user; here what the command line does with it."""
    repo.add(make_draft())
    repo.engine.dispose()
    before = digest(db_path)
    monkeypatch.setattr(engine_module, "_why_read_only", lambda path: "the file is read-only")
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("date_start,country,event_type\n2023-11-03,Iraq,attack\n", encoding="utf-8")

    assert run(capsys, "summary", "--db", str(db_path), "--json")[0] == 0
    status, out, err = run(capsys, "import", str(csv_file), "--db", str(db_path))

    assert (status, out) == (2, "")
    assert err == "logbook: test.sqlite3 cannot be written (the file is read-only); nothing was done.\n"
    assert digest(db_path) == before


# ---- the disk full during a save ---------------------------------------------------------------------------


def fill_the_disk(engine: Engine) -> None:
    """SQLite's own size limit stands in for a full disk: every new connection may not grow the file."""
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")


def test_a_save_on_a_full_disk_is_refused_whole(db_path: Path, repo: Repository) -> None:
    kept = repo.add(make_draft(title="before", tags=["a", "b"]))
    fill_the_disk(repo.engine)

    with pytest.raises(DiskFullError) as caught:
        repo.add(make_draft(title="too big", notes="x" * 200_000, tags=["big"]))
    assert str(caught.value) == (
        "There is no room left on the disk that holds test.sqlite3, so the change was not saved. "
        "Free some space, then save again."
    )
    draft = repo.get(kept)
    draft.notes, draft.tags = "y" * 200_000, ["c"]
    with pytest.raises(DiskFullError):
        repo.update(kept, draft)

    repo.engine.dispose()
    assert integrity(db_path) == "ok"
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT count(*) FROM incident").fetchone()[0] == 1
        assert connection.execute("SELECT group_concat(tag) FROM incident_tag").fetchone()[0] == "a,b"
        assert connection.execute("SELECT count(*) FROM source").fetchone()[0] == 1
        assert connection.execute("SELECT notes FROM incident").fetchone()[0] is None


def test_the_command_line_says_the_disk_is_full_in_one_line(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.add(make_draft())
    repo.engine.dispose()
    configure = engine_module._configure_sqlite

    def full(engine: Engine, *args: object) -> None:
        configure(engine, *args)  # type: ignore[arg-type]
        fill_the_disk(engine)

    monkeypatch.setattr(engine_module, "_configure_sqlite", full)
    csv_file = tmp_path / "big.csv"
    rows = "".join(f"2023-11-03,Iraq,attack,{'x' * 2000} {n}\n" for n in range(200))
    csv_file.write_text("date_start,country,event_type,notes\n" + rows, encoding="utf-8")

    status, out, err = run(capsys, "import", str(csv_file), "--db", str(db_path))

    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "no room left on the disk" in err and "Traceback" not in err
    monkeypatch.undo()
    engine = open_logbook(db_path)
    try:
        assert Repository(engine).count() == 1  # all or nothing
    finally:
        engine.dispose()


# ---- network shares -------------------------------------------------------------------------------------------

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export/logs /mnt/team nfs4 rw,relatime,vers=4.2 0 0
//nas/share /mnt/nas\\040drive cifs rw 0 0
analyst@host:/data /home/analyst/remote fuse.sshfs rw,nosuid 0 0
/dev/sdb1 /mnt/team/local-cache ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/team/logbook.sqlite3", "nfs4"),
        ("/mnt/team/sub/folder/new.sqlite3", "nfs4"),
        ("/mnt/team/local-cache/logbook.sqlite3", None),  # a local disk mounted inside the share
        ("/mnt/teams/logbook.sqlite3", None),  # a name that only starts like the mount point
        ("/mnt/nas drive/logbook.sqlite3", "cifs"),  # \040 is a space
        ("/home/analyst/remote/logbook.sqlite3", "fuse.sshfs"),
        ("/home/analyst/logbook.sqlite3", None),
    ],
)
def test_the_file_system_of_a_logbook_is_told_from_the_mounts(path: str, expected: str | None) -> None:
    assert network_filesystem(Path(path), MOUNTS) == expected


def test_a_windows_unc_path_is_a_network_share() -> None:
    assert network_filesystem(Path("//server/share/logbook.sqlite3"), "") == "UNC path"


def test_the_warning_points_to_the_shared_server() -> None:
    text = network_warning(Path("/mnt/team/logbook.sqlite3"), MOUNTS)
    assert text is not None
    assert text.startswith("logbook.sqlite3 is on a network share (nfs4). SQLite is not safe there")
    assert "database server" in text and "postgresql://" in text
    assert network_warning(Path("/home/analyst/logbook.sqlite3"), MOUNTS) is None


def test_the_local_test_folder_is_not_a_network_share(db_path: Path, repo: Repository) -> None:
    if network_filesystem(db_path) is not None:
        pytest.skip("this machine's temporary folder is itself on a network share")
    assert notes(repo.engine).network is None


def test_a_logbook_on_a_share_opens_with_the_warning(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.engine.dispose()
    monkeypatch.setattr(engine_module, "network_warning", lambda path: network_warning(Path("/mnt/team") / path.name,
                                                                                       MOUNTS))  # fmt: skip
    engine = open_logbook(db_path)
    try:
        assert "network share (nfs4)" in (notes(engine).network or "")
    finally:
        engine.dispose()
    status, out, err = run(capsys, "summary", "--db", str(db_path))
    assert status == 0 and "Incidents" in out
    assert err.startswith("logbook: warning: test.sqlite3 is on a network share (nfs4).") and err.count("\n") == 1


# ---- a damaged logbook ------------------------------------------------------------------------------------------


def test_the_command_line_offers_the_newest_backup_of_a_damaged_logbook(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository
) -> None:
    repo.upsert_many(make_draft(title=f"attack {n}", notes="z" * 300) for n in range(80))
    status, out, _err = run(capsys, "backup", "--db", str(db_path))
    assert status == 0 and out.startswith(f"Backed up {db_path} to ")
    newest = backups.newest_backup(db_path)
    assert newest is not None
    repo.engine.dispose()
    damage(db_path)
    before = digest(db_path)

    status, out, err = run(capsys, "summary", "--db", str(db_path))

    assert (status, out) == (2, "")
    assert err == (
        f"logbook: test.sqlite3 is damaged (database disk image is malformed). Its newest backup is from "
        f"{newest.taken:%Y-%m-%d %H:%M}; restore it with: logbook restore {newest.path} --db {db_path}\n"
    )
    assert digest(db_path) == before

    status, out, err = run(capsys, "restore", newest.path.name, "--db", str(db_path))  # a name from --list
    assert status == 0 and err == ""
    assert out.startswith(f"Restored {db_path} from {newest.path.name}; the file it replaced was kept as ")
    assert run(capsys, "summary", "--db", str(db_path), "--json")[1].startswith('{"incidents": 80')
    status, out, _err = run(capsys, "backup", "--list", "--db", str(db_path))
    assert [line.split()[2] for line in out.splitlines()] == ["before-restore", "manual"]


def test_a_damaged_logbook_without_backups_says_so(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository
) -> None:
    repo.upsert_many(make_draft(title=f"attack {n}", notes="z" * 300) for n in range(80))
    repo.engine.dispose()
    damage(db_path)
    status, _out, err = run(capsys, "export", "--db", str(db_path))
    assert status == 2
    assert err == (
        "logbook: test.sqlite3 is damaged (database disk image is malformed). "
        "No backup of it was found in the backups folder.\n"
    )


def test_restore_of_a_missing_backup_is_one_line(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert run(capsys, "restore", "nowhere.sqlite3", "--db", str(db_path)) == (
        2,
        "",
        "logbook: there is no backup at nowhere.sqlite3.\n",
    )
    assert not db_path.exists()


def test_backup_of_a_logbook_that_does_not_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _out, err = run(capsys, "backup", "--db", str(tmp_path / "none.sqlite3"))
    assert status == 2 and err == f"logbook: there is no logbook at {tmp_path / 'none.sqlite3'}.\n"


def test_an_import_takes_the_days_backup_first(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository, tmp_path: Path
) -> None:
    repo.add(make_draft())
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("date_start,country,event_type\n2023-11-03,Iraq,attack\n", encoding="utf-8")
    assert run(capsys, "import", str(csv_file), "--db", str(db_path)) == (0, "Imported 1 incident\n", "")
    (daily,) = backups.list_backups(db_path)
    assert daily.kind is backups.Kind.DAILY
    with closing(sqlite3.connect(daily.path)) as connection:
        assert connection.execute("SELECT count(*) FROM incident").fetchone()[0] == 1  # taken before the import
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_the_command_line_names_the_copy_kept_before_an_update(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    old = create_engine(f"sqlite:///{db_path}")
    engine_module._upgrade(old, "0001")
    old.dispose()
    status, out, err = run(capsys, "summary", "--db", str(db_path), "--json")
    assert status == 0 and out.startswith('{"incidents": 0')
    assert err == (
        f"logbook: updated test.sqlite3 for this version; the file as it was is kept as {db_path}.schema-1.bak\n"
    )


def test_an_unreadable_file_is_refused_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + bytes(100))
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(engine_module.LogbookError) as caught:
        open_logbook(path)
    assert str(caught.value) == "secret.sqlite3 cannot be read: Permission denied. Choose another file."
    assert stat.S_IMODE(path.stat().st_mode)  # still there, untouched
