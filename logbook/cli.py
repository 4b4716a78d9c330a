"""The headless command line: import, export and summary without a screen.

Nothing on this path imports Qt, so the verbs start fast and run on a server, in a cron job or a pipeline.
Exit status: 0 done; 1 an import kept its good rows but rejected some; 2 nothing done (bad arguments, an
unusable file, a logbook that cannot be opened), with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shlex
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import OperationalError

from logbook import __version__
from logbook.domain.countries import country_code
from logbook.domain.enums import Outcome
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.mapping import PresetError, load_preset
from logbook.domain.summary import Casualties, Summary
from logbook.paths import data_dir, default_logbook, start_logbook
from logbook.services.demo import create_demo
from logbook.services.formats import ExportFormat, export, format_for_path
from logbook.services.importer import ImportReport, import_csv
from logbook.services.mapped_import import MappedImportReport, import_mapped
from logbook.store import backups
from logbook.store.engine import is_url, notes, open_logbook, upgrade_due
from logbook.store.errors import DamagedLogbookError, LogbookError, ReadOnlyLogbookError
from logbook.store.repository import Repository

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_FAILED = 2
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C
EXIT_BROKEN_PIPE = 141  # as a shell reports a pipeline member whose reader went away
DB_ENV = "LOGBOOK_DB"

USAGE = """
  logbook [PATH]                 open the window on PATH (default: your logbook)
  logbook import FILE.csv [--db PATH] [--rejects FILE] [--mapping PRESET.toml [--duplicates skip|import]]
  logbook export [--db PATH] [--output FILE | -] [--format FORMAT] [--no-neutralise] [--bom] [filters]
                 [--sort KEY] [--ascending]
  logbook summary [--db PATH] [--json] [filters]
  logbook demo [--rows N] [--db PATH] [--seed S]
  logbook backup [--db PATH] [--list]
  logbook restore BACKUP [--db PATH]
  logbook --version"""

EPILOG = """\
filters (export and summary): --from DATE --to DATE (ISO dates, both inclusive), --country NAME (a name, an
alias or an ISO code; repeat for several), --search TEXT.

--db takes a logbook file or a SQLAlchemy URL; without it ${env} is used, else the logbook chosen in the
window's Preferences to open at start, else {default}.
Run "logbook VERB --help" for the options of one verb."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors: a status to return, not an exit
        return int(stop.code or 0)
    try:
        status: int = args.run(args)
    except LogbookError as error:
        return _fail(str(error))
    except OperationalError as error:  # locked, read-only, disk full: the environment, not a bug
        return _fail(f"the logbook could not be written or read: {error.orig}")
    except BrokenPipeError:
        # The reader of stdout (e.g. `head`) has gone: Python's documented way to leave without a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="logbook",
        usage=USAGE,
        description="Incident Logbook: record, browse, summarise and export security incidents.",
        epilog=EPILOG.format(env=DB_ENV, default=default_logbook()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = parser.add_subparsers(
        title="verbs", dest="verb", required=True, metavar="{import,export,summary,demo,backup,restore}"
    )

    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        metavar="PATH",
        help=f"logbook file or SQLAlchemy URL (default: ${DB_ENV}, else the one Preferences opens at start, "
        f"else {default_logbook()})",
    )
    filters = argparse.ArgumentParser(add_help=False)
    group = filters.add_argument_group("filters")
    group.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="on or after this date")
    group.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="on or before this date (inclusive)")
    group.add_argument(
        "--country",
        dest="countries",
        action="append",
        type=_country,
        default=[],
        metavar="NAME",
        help="country name, alias or ISO code; repeat for several",
    )
    group.add_argument("--search", default="", metavar="TEXT", help="words in the title, notes, place, actors, sources")

    importer = verbs.add_parser(
        "import", prog="logbook import", parents=[database], help="add or update incidents from a CSV file"
    )
    importer.add_argument("file", type=Path, metavar="FILE.csv")
    importer.add_argument(
        "--rejects", type=Path, metavar="FILE", help="where rejected rows go (default: FILE.rejects.csv beside it)"
    )
    importer.add_argument(
        "--mapping",
        type=Path,
        metavar="PRESET.toml",
        help="read a CSV file from elsewhere through a mapping preset saved by the import wizard or written by hand",
    )
    importer.add_argument(
        "--duplicates",
        choices=("skip", "import"),
        help="with --mapping: skip or import rows like incidents already in the logbook (default: the preset's)",
    )
    importer.set_defaults(run=_import)

    exporter = verbs.add_parser(
        "export",
        prog="logbook export",
        parents=[database, filters],
        help="write matching incidents as CSV, JSON, GeoJSON or XLSX",
    )
    exporter.add_argument("--output", "-o", default="-", metavar="FILE", help="the file, or - for stdout (default)")
    formats = [member.value for member in ExportFormat]
    exporter.add_argument(
        "--format",
        choices=formats,
        metavar="FORMAT",
        help=f"one of {', '.join(formats)} (default: from the --output extension, else csv; xlsx needs a file)",
    )
    exporter.add_argument(
        "--no-neutralise",
        dest="neutralise",
        action="store_false",
        help="CSV: do not prefix ' to text cells a spreadsheet would run as formulas",
    )
    exporter.add_argument(
        "--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark, so Excel reads the accents right"
    )
    sort_keys = [key.value for key in SortKey]
    exporter.add_argument(
        "--sort", choices=sort_keys, default=SortKey.DATE.value, metavar="KEY", help=f"one of {', '.join(sort_keys)}"
    )
    exporter.add_argument("--ascending", action="store_true", help="oldest or smallest first (default: descending)")
    exporter.set_defaults(run=_export)

    summary = verbs.add_parser(
        "summary", prog="logbook summary", parents=[database, filters], help="the figures for matching incidents"
    )
    summary.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    summary.set_defaults(run=_summary)

    demo = verbs.add_parser(
        "demo", prog="logbook demo", help="create a synthetic logbook for trying the app and for benchmarks"
    )
    demo.add_argument("--rows", type=_count, default=10_000, metavar="N", help="how many incidents (default 10000)")
    demo.add_argument(
        "--db", type=Path, metavar="PATH", help="the new logbook file (default: demo-N.sqlite3 in the data folder)"
    )
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same logbook")
    demo.set_defaults(run=_demo)

    backup = verbs.add_parser(
        "backup", prog="logbook backup", parents=[database], help="copy the logbook into its backups folder"
    )
    backup.add_argument("--list", action="store_true", help="list the logbook's backups instead, newest first")
    backup.set_defaults(run=_backup)
    restore = verbs.add_parser(
        "restore",
        prog="logbook restore",
        parents=[database],
        help="replace the logbook with a backup (a copy of it as it is is kept first)",
    )
    restore.add_argument("backup", metavar="BACKUP", help="a backup file, or its name from `logbook backup --list`")
    restore.set_defaults(run=_restore)
    return parser


def _count(text: str) -> int:
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _demo(args: argparse.Namespace) -> int:
    target = args.db or data_dir() / f"demo-{args.rows}.sqlite3"
    if target.exists():
        raise LogbookError(f"{target} already exists; the demo only writes a new logbook.")
    started = time.perf_counter()
    with _meter("Creating the synthetic logbook", finishing="building its indexes") as meter:
        count = create_demo(target, args.rows, args.seed, progress=meter)
    print(f"Created {target} with {_plural(count, 'synthetic incident')} in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _country(text: str) -> str:
    try:
        return country_code(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _filter(args: argparse.Namespace) -> IncidentFilter:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise LogbookError(f"--from {args.date_from} is after --to {args.date_to}; nothing could match.")
    return IncidentFilter(
        search=args.search,
        date_from=args.date_from,
        date_to=args.date_to,
        countries=tuple(dict.fromkeys(args.countries)),
    )


class _Meter:
    """How far a long command has come, on one line of stderr that it rewrites, for a person at a terminal;
    nothing when stderr is a file or a pipe, where a script reads only the result. Once the work is all read,
    the line says what is still to do (``finishing``) instead of a still 100 %."""

    EVERY_S = 0.25

    def __init__(self, what: str, finishing: str = "") -> None:
        self._what, self._finishing = what, finishing
        self._on = sys.stderr.isatty()
        self._written = -self.EVERY_S  # when the line was last written
        self._width = 0

    def __call__(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if self._on and (done >= total or now - self._written >= self.EVERY_S):
            if done >= total and self._finishing:
                self._write(f"{self._what}: {self._finishing}…")
            elif not total:  # how far is not known: what is being done, then
                self._write(f"{self._what}…")
            else:
                self._write(f"{self._what}… {done * 100 // total if total else 100} %")
            self._written = now
        return True  # go on: Ctrl+C stops a command

    def _write(self, text: str) -> None:
        sys.stderr.write("\r" + text.ljust(self._width))
        sys.stderr.flush()
        self._width = max(self._width, len(text))

    def clear(self) -> None:
        if self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()


@contextmanager
def _meter(what: str, finishing: str = "") -> Iterator[_Meter]:
    """A _Meter whose line is gone when the command ends, however it ends, before its result or error is said."""
    meter = _Meter(what, finishing)
    try:
        yield meter
    finally:
        meter.clear()


@contextmanager
def _repository(args: argparse.Namespace, *, create: bool) -> Iterator[Repository]:
    """The logbook from --db, $LOGBOOK_DB or the default; only import may create one (a typo in a path given
    to export or summary should say so, not report an empty logbook)."""
    target = _target(args)
    existed = is_url(target) or Path(target).expanduser().exists()
    if not create and not existed:
        raise LogbookError(f"there is no logbook at {target}.")
    try:
        with _meter(f"Updating {Path(target).name} for this version") as meter:
            if upgrade_due(target):
                meter(0, 0)  # said at once: the copy and the update take a while on a big logbook
            engine = open_logbook(target)
    except DamagedLogbookError as error:
        raise DamagedLogbookError(_offer_backup(str(error), target)) from None
    try:
        found = notes(engine)
        if found.network:
            print(f"logbook: warning: {found.network}", file=sys.stderr)
        if found.migration_backup is not None:
            print(f"logbook: updated {Path(target).name} for this version; the file as it was is kept as "
                  f"{found.migration_backup}", file=sys.stderr)  # fmt: skip
        if create and found.read_only:  # only import writes
            raise ReadOnlyLogbookError(f"{Path(target).name} cannot be written ({found.read_only}); nothing was done.")
        if create and existed and not is_url(target):
            _daily_backup(Path(target).expanduser())
        yield Repository(engine)
    except DamagedLogbookError as error:  # damage past the first pages shows when a query reads it
        raise DamagedLogbookError(_offer_backup(str(error), target)) from None
    finally:
        engine.dispose()


def _target(args: argparse.Namespace) -> str:
    """--db, else $LOGBOOK_DB, else the logbook the window opens at start: the one chosen in Preferences, else
    the default one (what the window would show is what a script reads)."""
    return str(args.db or os.environ.get(DB_ENV) or start_logbook() or default_logbook())


def _offer_backup(message: str, target: str) -> str:
    """A damaged logbook's message, ending with the command that restores its newest backup."""
    newest = None if is_url(target) else backups.newest_backup(Path(target).expanduser())
    if newest is None:
        return message.replace("Restore it from a backup.", "No backup of it was found in the backups folder.")
    command = f"logbook restore {shlex.quote(str(newest.path))} --db {shlex.quote(target)}"
    when = f"{newest.taken:%Y-%m-%d %H:%M}"
    return message.replace("Restore it from a backup.", f"Its newest backup is from {when}; restore it with: {command}")


def _daily_backup(path: Path) -> None:
    """The day's backup before a change, as the window takes one on opening; a failure is a warning only."""
    try:
        backups.daily_backup(path)
    except (LogbookError, OSError, sqlite3.Error) as error:
        print(f"logbook: warning: the daily backup was not taken: {error}", file=sys.stderr)


def _backup(args: argparse.Namespace) -> int:
    target = _target(args)
    if args.list:
        found = backups.list_backups(Path(target))
        if not found:
            print(f"No backups of {target} yet (they go in {backups.folder_for(Path(target))}).")
        for backup in found:
            print(f"{backup.taken:%Y-%m-%d %H:%M:%S}  {backup.kind.value:<14}  {backups.human_size(backup.size):>9}  "
                  f"{backup.path}")  # fmt: skip
        return EXIT_OK
    with _repository(args, create=False):  # a logbook, and a sound one, before it is copied
        backup = backups.back_up(Path(target).expanduser())
    print(f"Backed up {target} to {backup.path} ({backups.human_size(backup.size)})")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    """Never opens the logbook through the app: it may be too damaged to open, which is why it is restored."""
    logbook = Path(_target(args)).expanduser()
    backup = Path(args.backup).expanduser()
    if not backup.exists() and backup.name == args.backup:  # a name from `logbook backup --list`
        backup = backups.folder_for(logbook) / args.backup
    if not backup.is_file():
        raise LogbookError(f"there is no backup at {args.backup}.")
    try:
        restored = backups.restore(backup, logbook)
    except OSError as error:
        raise LogbookError(f"{logbook.name} could not be restored: {error.strerror}.") from None
    kept = f"; the file it replaced was kept as {restored.kept.path}" if restored.kept else ""
    print(f"Restored {logbook} from {backup.name}{kept}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    if args.mapping is None:
        if args.duplicates:
            raise LogbookError("--duplicates goes with --mapping; the canonical CSV updates incidents by uid.")
        with _repository(args, create=True) as repo, _meter(f"Importing {args.file}", "storing") as meter:
            report: ImportReport = import_csv(repo, args.file, args.rejects, progress=meter)
    else:
        try:
            mapping = load_preset(args.mapping)  # before the logbook: a bad preset should not create one
        except PresetError as error:
            raise LogbookError(str(error)) from None
        skip = None if args.duplicates is None else args.duplicates == "skip"
        with _repository(args, create=True) as repo, _meter(f"Importing {args.file}", "storing") as meter:
            report = import_mapped(repo, args.file, mapping, args.rejects, skip_duplicates=skip, progress=meter)
        _print_warnings(report)
    print(_import_message(report))
    return EXIT_REJECTED if report.rejected else EXIT_OK


def _import_message(report: ImportReport) -> str:
    message = f"Imported {_plural(report.imported, 'incident')}"
    if report.updated:
        message += f" ({report.updated} updated)"
    if report.warned:
        message += f" ({report.warned} with warnings)"
    if report.rejected:
        message += f", rejected {report.rejected} (see {report.rejects_path})"
    if report.skipped:
        message += f", skipped {_plural(report.skipped, 'possible duplicate')}"
    return message


WARNINGS_SHOWN = 20


def _print_warnings(report: MappedImportReport) -> None:
    """The first WARNINGS_SHOWN warnings about rows that were stored (values to check), then as many rows that
    look like an earlier row of the file, on stderr."""
    shown = report.findings.warnings[:WARNINGS_SHOWN]
    for warning in shown:
        print(f"warning: {warning}", file=sys.stderr)
    more = report.findings.warned - len({warning.row for warning in shown})
    if more > 0:
        print(f"warning: and {_plural(more, 'more row')} with warnings", file=sys.stderr)
    repeats = report.findings.repeats[:WARNINGS_SHOWN]
    for repeat in repeats:
        print(f"warning: row {repeat.row} looks like row {repeat.earlier_row} of the file (imported: check it)",
              file=sys.stderr)  # fmt: skip
    if report.findings.repeated > len(repeats):
        print(f"warning: and {_plural(report.findings.repeated - len(repeats), 'more row')} like an earlier row",
              file=sys.stderr)  # fmt: skip


def _export(args: argparse.Namespace) -> int:
    incident_filter = _filter(args)
    order = SortOrder(SortKey(args.sort), descending=not args.ascending)
    to_stdout = args.output == "-"
    chosen = ExportFormat(args.format) if args.format else None
    chosen = chosen or (None if to_stdout else format_for_path(args.output)) or ExportFormat.CSV
    if chosen.binary and to_stdout:
        raise LogbookError(f"{chosen.value.upper()} cannot go to stdout; give a file: --output FILE{chosen.extension}")
    with _repository(args, create=False) as repo:
        if to_stdout:
            with _text_stdout() as out:
                export(
                    repo, incident_filter, order, out, format=chosen, neutralise_formulas=args.neutralise, bom=args.bom
                )
            return EXIT_OK
        try:
            with _meter(f"Exporting to {args.output}") as meter:
                count = export(
                    repo, incident_filter, order, args.output, format=chosen, neutralise_formulas=args.neutralise,
                    bom=args.bom, progress=meter,
                )  # fmt: skip
        except OSError as error:
            raise LogbookError(f"cannot write {args.output}: {error.strerror}.") from None
    print(f"Exported {_plural(count, 'incident')} to {args.output}")
    return EXIT_OK


@contextmanager
def _text_stdout() -> Iterator[TextIO]:
    """stdout for CSV and JSON: UTF-8 with CSV's CRLF kept, whatever the terminal's encoding and newline translation."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # stdout replaced by a text stream (contextlib.redirect_stdout): it takes str as it is
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield out
    finally:
        out.detach()  # leave sys.stdout's buffer open


def _summary(args: argparse.Namespace) -> int:
    incident_filter = _filter(args)
    with _repository(args, create=False) as repo:
        summary = repo.summary(incident_filter)
    print(json.dumps(summary.to_json()) if args.json else _summary_table(summary))
    return EXIT_OK


def _summary_table(summary: Summary) -> str:
    """The figures as a report quotes them; unknown casualty figures beside the total, never inside it."""

    def casualties(figure: Casualties) -> str:
        unknown = f"   (unknown for {_plural(figure.unknown, 'incident')})" if figure.unknown else ""
        return figure.text() + unknown

    period = [
        ("From", summary.date_from.isoformat() if summary.date_from else None),
        ("To", summary.date_to.isoformat() if summary.date_to else None),
    ]
    rows: list[tuple[str, str]] = [("Incidents", str(summary.incidents))]
    rows += [(label, value) for label, value in period if value]
    if summary.by_country:
        rows += [("Per country", "")] + [(f"  {name}", str(n)) for name, n in summary.by_country.items()]
    rows += [("By outcome", "")] + [(f"  {Outcome(code).label}", str(n)) for code, n in summary.by_outcome.items()]
    rows += [("Killed", casualties(summary.killed)), ("Injured", casualties(summary.injured))]
    width = max(len(label) for label, _value in rows) + 3
    return "\n".join(f"{label:<{width}}{value}".rstrip() for label, value in rows)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _fail(message: str) -> int:
    print(f"logbook: {message}", file=sys.stderr)
    return EXIT_FAILED
