"""Reading a CSV file from elsewhere: how it is encoded and laid out, which of its columns go to which field of
the incident record, and how their cells are converted (conversions.py); the wizard and ``logbook import
--mapping`` share all of it.

A Mapping gives, per field of the record, the file's column, several columns joined, a fixed value, or nothing
(the field is not imported), with that field's conversion options; it is saved as a preset, a TOML file people
can read and edit (see PRESET_HELP). Besides the canonical CSV's columns, a mapping may fill ``killed`` and
``injured`` from one cell holding the whole figure ("3-7", "10+"), compare figures with a ``killed_best`` or
``injured_best`` estimate (a warning when the minimum is above it; the estimate itself is not stored), and build one
more source of every incident from ``source_name``, ``source_url`` and ``source_kind``.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import functools
import io
import itertools
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from logbook.domain.conversions import (
    AmbiguousDateError,
    DateFormat,
    PartialDate,
    clean_text,
    guess_date_format,
    is_unknown,
    outside_bounds,
    parse_coordinate,
    parse_count,
    parse_date,
    parse_date_parts,
    parse_figure,
)
from logbook.domain.countries import country_code, country_name
from logbook.domain.csv_schema import parse_sources, parse_tags, unneutralise
from logbook.domain.enums import LabelledEnum, SourceKind
from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.domain.validation import ENUM_FIELDS, FieldProblem, validate

PRESET_FORMAT = 1  # the layout of preset files; a file with a higher number comes from a newer version
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "Latin-1 (ISO 8859-1)",
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
SNIFF_RECORDS = 50  # records read to choose the delimiter and tell a header row


class MappingError(ValueError):
    """A mapping that cannot be used with a file (or at all); the message names the field and the column."""


class PresetError(MappingError):
    """A preset file that cannot be read; the message names the key that is wrong."""


@dataclasses.dataclass(frozen=True)
class Target:
    """A field a column can be mapped to, and how its cells are read."""

    name: str
    kind: str  # date, choice, country, coordinate, figure, count, text, notes, sources, tags
    label: str
    choices: type[LabelledEnum] | None = None
    required: bool = False


def _targets() -> dict[str, Target]:
    def choice(name: str, label: str, enum: type[LabelledEnum] | None = None) -> Target:
        return Target(name, "choice", label, enum or ENUM_FIELDS[name], required=name == "event_type")

    def figures(noun: str) -> list[Target]:
        return [
            Target(noun, "figure", f"{noun.capitalize()} (a figure or range: 3, 3-7, 10+)"),
            Target(f"{noun}_min", "count", f"{noun.capitalize()}, minimum"),
            Target(f"{noun}_max", "count", f"{noun.capitalize()}, maximum"),
            Target(f"{noun}_best", "count", f"{noun.capitalize()}, best estimate (checked, not stored)"),
        ]

    targets = [
        Target("date_start", "date", "Start date", required=True),
        Target("date_end", "date", "End date"),
        choice("date_precision", "Date precision"),
        Target("country", "country", "Country", required=True),
        Target("admin1", "text", "Province / governorate"),
        Target("location", "text", "Location"),
        Target("latitude", "coordinate", "Latitude"),
        Target("longitude", "coordinate", "Longitude"),
        choice("geo_precision", "Location precision"),
        choice("event_type", "Event type"),
        choice("weapon", "Weapon"),
        choice("target_type", "Target type"),
        Target("target", "text", "Target"),
        Target("perpetrator", "text", "Perpetrator"),
        choice("attribution", "Attribution"),
        Target("attributed_by", "text", "Attributed by"),
        choice("outcome", "Outcome"),
        choice("damage", "Damage"),
        *figures("killed"),
        *figures("injured"),
        choice("verification", "Verification"),
        Target("title", "text", "Title"),
        Target("notes", "notes", "Notes"),
        Target("sources", "sources", "Sources (name | kind | url | published, one a line)"),
        Target("source_name", "text", "Source name"),
        Target("source_url", "text", "Source URL"),
        choice("source_kind", "Source kind", SourceKind),
        Target("tags", "tags", "Tags (separated by ;)"),
    ]
    return {target.name: target for target in targets}


TARGETS: dict[str, Target] = _targets()
_FIGURE_PARTS = {noun: (f"{noun}_min", f"{noun}_max") for noun in ("killed", "injured")}


# ---- the file: encoding, delimiter, header -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FileFormat:
    encoding: str  # a key of ENCODINGS
    delimiter: str  # a key of DELIMITERS
    has_header: bool


def sniff_encoding(data: bytes, complete: bool = True) -> str:
    """The encoding of a file that starts with ``data`` (all of it when ``complete``): a byte order mark says
    so; else UTF-8 if it decodes as such (a character cut at the end of an incomplete sample is fine); else
    Windows-1252, which Excel writes on Western European systems; else Latin-1, which decodes any byte."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_layout(text: str, complete: bool = True) -> tuple[str, bool]:
    """(delimiter, has_header) of CSV text (the start of the file unless ``complete``).

    The delimiter is the one of DELIMITERS that splits the first records into the same number of cells, the
    most of them at that (csv.Sniffer guesses from character frequencies and is often wrong on a few rows).
    The first row is a header unless it looks like data: a cell that is a number or a date, or a value that
    comes again in its column further down.
    """
    best: tuple[tuple[bool, bool, int, float], str, list[list[str]]] | None = None
    for delimiter in DELIMITERS:
        records = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), SNIFF_RECORDS))
        if not complete and len(records) > 1:
            records.pop()  # perhaps cut short
        rows = [row for row in records if "".join(row).strip()]
        if not rows:
            continue
        width, count = Counter(len(row) for row in rows).most_common(1)[0]
        consistency = count / len(rows)
        key = (width > 1, consistency >= 0.9, width, consistency)
        if best is None or key > best[0]:
            best = (key, delimiter, rows)
    if best is None:
        return ",", True
    _key, delimiter, rows = best
    return delimiter, _is_header(rows[0], rows[1:])


def _is_header(first: Sequence[str], rest: Sequence[Sequence[str]]) -> bool:
    """Two names of fields make a header ("Claimed" alone may be an attribution); else anything like data
    makes the row data."""
    cells = [cell.strip() for cell in first]
    if sum(1 for cell in cells if suggest_target(cell)) >= 2:
        return True
    for position, cell in enumerate(cells):
        if not cell:
            continue
        if _looks_like_data(cell) or any(position < len(row) and row[position].strip() == cell for row in rest):
            return False
    return True


def _looks_like_data(cell: str) -> bool:
    for convert in (parse_figure, parse_coordinate, parse_date):
        try:
            convert(cell)
            return True
        except AmbiguousDateError:  # a date all the same
            return True
        except ValueError:
            continue
    return False


def column_names(header: Sequence[str] | None, width: int = 0) -> list[str]:
    """The names columns go by: the header's (stripped; "Column N" for an empty one, "Name (2)" for a repeat),
    or "Column 1" ... "Column ``width``" for a file without a header."""
    if header is None:
        return [f"Column {position}" for position in range(1, width + 1)]
    names: list[str] = []
    seen: Counter[str] = Counter()
    for position, cell in enumerate(header, start=1):
        name = " ".join(cell.split()) or f"Column {position}"
        seen[name.casefold()] += 1
        names.append(name if seen[name.casefold()] == 1 else f"{name} ({seen[name.casefold()]})")
    return names


# ---- the mapping --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class FieldMapping:
    """Where one field comes from and how its cells are read.

    ``columns``: one column, or several whose non-empty cells are joined with ``separator`` (for dates in the
    PARTS format: the year, month and day columns). ``value``: the value when the columns give none, so a fixed
    value when there are no columns. ``values``: the file's values (case and stray spaces aside) to what is
    read instead, such as "Confirmed Suicide" to "confirmed".
    """

    columns: tuple[str, ...] = ()
    separator: str = " "
    value: str | None = None
    date_format: DateFormat = DateFormat.AUTO
    values: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def ignored(self) -> bool:
        return not self.columns and not self.value


@dataclasses.dataclass
class Mapping:
    """A whole mapping: the fields (keys of TARGETS; a field left out is not imported) and, where the file's own
    detection should not decide, its encoding, delimiter and header row."""

    fields: dict[str, FieldMapping] = dataclasses.field(default_factory=dict)
    name: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool | None = None
    skip_duplicates: bool = True

    def file_format(self, detected: FileFormat) -> FileFormat:
        """``detected`` with what this mapping fixes put in its place."""
        return FileFormat(
            self.encoding or detected.encoding,
            self.delimiter or detected.delimiter,
            detected.has_header if self.has_header is None else self.has_header,
        )


def _fold(text: str) -> str:
    """A column name or a value as compared: case, underscores, dashes, dots and stray spaces aside."""
    return " ".join(re.sub(r"[_\-./#()]+", " ", text.casefold()).split())


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date_start": ("date", "event date", "start date", "start", "incident date", "date of incident"),
    "date_end": ("end date", "end", "date to", "until"),
    "date_precision": ("date precision", "time precision", "precision"),
    "country": ("country", "nation", "country name", "country code", "iso", "iso2", "iso3", "country iso"),
    "admin1": ("admin1", "admin 1", "province", "governorate", "state", "region", "oblast", "wilaya", "muhafazah"),
    "location": ("location", "place", "city", "town", "village", "site", "locality", "base", "place name"),
    "latitude": ("lat", "latitude", "y coord"),
    "longitude": ("long", "lng", "lon", "longitude", "x coord"),
    "geo_precision": ("geo precision", "location precision", "geographic precision"),
    "event_type": ("event type", "type", "incident type", "type of event", "category"),
    "weapon": ("weapon", "weapons", "weapon type", "munition", "means"),
    "target_type": ("target type", "type of target"),
    "target": ("target", "target name", "targeted"),
    "perpetrator": ("perpetrator", "perpetrators", "actor", "actor1", "attacker", "group", "responsible", "actors"),
    "attribution": ("attribution", "responsibility", "claim", "claim status", "claimed"),
    "attributed_by": ("attributed by", "attribution source", "blamed by"),
    "outcome": ("outcome", "result"),
    "damage": ("damage", "damages"),
    "killed": ("killed", "fatalities", "deaths", "dead", "kia", "death toll", "fatality", "number killed"),
    "killed_min": ("killed min", "min killed", "fatalities min", "deaths min", "deaths low", "killed low"),
    "killed_max": ("killed max", "max killed", "fatalities max", "deaths max", "deaths high", "killed high"),
    "killed_best": ("killed best", "best", "deaths best", "fatalities best", "best estimate", "best deaths"),
    "injured": ("injured", "wounded", "injuries", "wia", "number injured", "number wounded"),
    "injured_min": ("injured min", "min injured", "wounded min", "injuries min", "injured low", "wounded low"),
    "injured_max": ("injured max", "max injured", "wounded max", "injuries max", "injured high", "wounded high"),
    "injured_best": ("injured best", "wounded best", "injuries best"),
    "verification": ("verification", "verified", "verification status", "status", "confidence", "reliability"),
    "title": ("title", "headline", "summary", "name"),
    "notes": ("notes", "note", "description", "comments", "comment", "details", "remarks", "narrative"),
    "sources": ("sources",),
    "source_name": ("source", "source name", "reported by", "outlet", "media"),
    "source_url": ("url", "link", "source url", "source link", "links"),
    "source_kind": ("source type", "source kind", "type of source"),
    "tags": ("tags", "tag", "labels", "keywords"),
}
_BY_SYNONYM = {_fold(name): target for target in TARGETS for name in (target, *_SYNONYMS.get(target, ()))}
# ACLED's time_precision: 1 the day is known, 2 the week, 3 the month.
_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
_DATE_PART_NAMES = ("year", "month", "day")
_PART_SEPARATOR = "\x1f"  # between the year, month and day cells of a date from parts


def suggest_target(column: str) -> str | None:
    """The field a column's name suggests, or None."""
    return _BY_SYNONYM.get(_fold(column))


def suggest_mapping(columns: Sequence[str], sample: Sequence[Sequence[str]] = ()) -> Mapping:
    """A first mapping from the column names (each column to at most one field, each field from the first
    column that suggests it), with date formats guessed from ``sample`` rows. Separate year, month and day
    columns make the start date when no column holds a whole date."""
    fields: dict[str, FieldMapping] = {}
    for column in columns:
        target = suggest_target(column)
        if target is not None and target not in fields:
            fields[target] = FieldMapping(columns=(column,))
            if _fold(column) == "time precision":
                fields[target].values = dict(_TIME_PRECISION)
    if "date_start" not in fields:
        parts = {_fold(column): column for column in columns if _fold(column) in _DATE_PART_NAMES}
        if "year" in parts:
            chosen = tuple(parts[name] for name in _DATE_PART_NAMES if name in parts)
            fields["date_start"] = FieldMapping(columns=chosen, date_format=DateFormat.PARTS)
    for name in ("killed", "injured"):  # a whole figure and its parts would fill the same fields twice
        if name in fields and any(part in fields for part in _FIGURE_PARTS[name]):
            del fields[name]
    for name in ("date_start", "date_end"):
        field = fields.get(name)
        if field is not None and field.date_format is DateFormat.AUTO and sample:
            position = list(columns).index(field.columns[0])
            field.date_format = guess_date_format(row[position] for row in sample if position < len(row))
    return Mapping(fields={name: fields[name] for name in TARGETS if name in fields})


# ---- rows through a mapping -----------------------------------------------------------------------------------


@dataclasses.dataclass
class MappedDraft:
    """One row read through a mapping: its draft (None when a problem rejects it), the problems, and the
    warnings about values that are stored but look wrong."""

    draft: IncidentDraft | None
    problems: list[FieldProblem]
    warnings: list[FieldProblem]


def _where(field: FieldMapping, from_value: bool) -> str:
    if from_value:
        return " (the fixed value)"
    return f" (column {field.columns[0]!r})" if len(field.columns) == 1 else f" (columns {', '.join(field.columns)})"


class RowMapper:
    """Converts the cells of each row of one file to a draft, as ``mapping`` says; the columns and conversions
    are resolved once, and conversions of cells seen before in a column are remembered."""

    def __init__(self, mapping: Mapping, columns: Sequence[str], today: dt.date | None = None) -> None:
        """MappingError naming every field whose mapping does not fit ``columns`` (the file's column names)."""
        self.today = today or dt.date.today()
        self._fields: list[tuple[str, FieldMapping, list[int], Callable[[str], Any]]] = []
        problems = _overall_problems(mapping)
        for name in TARGETS:  # in the record's order, so a row's problems are listed in it
            field = mapping.fields.get(name, FieldMapping())
            if field.ignored:
                continue
            positions = []
            for column in field.columns:
                position = _find_column(column, columns)
                if position is None:
                    problems.append(f"{name}: the file has no column {column!r}")
                else:
                    positions.append(position)
            convert = field_converter(name, field, self.today)
            problems += _conversion_problems(name, field, convert)
            self._fields.append((name, field, positions, convert))
        if problems:
            raise MappingError("; ".join(problems))
        self._set_precision = "date_precision" not in mapping.fields or mapping.fields["date_precision"].ignored

    def __call__(self, cells: Sequence[str]) -> MappedDraft:
        """The draft of one row (``cells`` in the file's column order; missing cells are empty)."""
        values: dict[str, Any] = {}
        problems: list[FieldProblem] = []
        for name, field, positions, convert in self._fields:
            text, from_value = _text_of(name, field, positions, cells)
            if not text:
                continue
            try:
                values[name] = convert(text)
            except ValueError as error:
                problems.append(FieldProblem(name, f"{error}{_where(field, from_value)}"))
        if problems:
            return MappedDraft(None, problems, [])
        draft, best = self._draft(values)
        problems = validate(draft)
        return MappedDraft(None if problems else draft, problems, self._warnings(draft, best))

    def _draft(self, values: dict[str, Any]) -> tuple[IncidentDraft, dict[str, int]]:
        fields: dict[str, Any] = {}
        best: dict[str, int] = {}
        extra_source: dict[str, Any] = {}
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, PartialDate):
                fields[name] = value.start if name == "date_start" else value.end
                if name == "date_start" and self._set_precision:
                    fields["date_precision"] = value.precision.value
            elif name in _FIGURE_PARTS:
                fields.update(zip(_FIGURE_PARTS[name], value, strict=True))
            elif name.endswith("_best"):
                best[name.removesuffix("_best")] = value
            elif name.startswith("source_"):
                extra_source[name.removeprefix("source_")] = value
            else:
                fields[name] = value
        if extra_source.keys() & {"name", "url"}:
            sources = [*fields.get("sources", []), SourceDraft(**extra_source)]
            fields["sources"] = sources
        return IncidentDraft(**fields), best

    def _warnings(self, draft: IncidentDraft, best: dict[str, int]) -> list[FieldProblem]:
        """Values that are stored but deserve a second look."""
        warnings = []
        for noun, estimate in best.items():
            low, high = getattr(draft, f"{noun}_min"), getattr(draft, f"{noun}_max")
            if low is not None and low > estimate:
                message = f"the minimum ({low}) is above the best estimate ({estimate})"
                warnings.append(FieldProblem(f"{noun}_min", message))
            if high is not None and high < estimate:
                message = f"the maximum ({high}) is below the best estimate ({estimate})"
                warnings.append(FieldProblem(f"{noun}_max", message))
        for name in ("date_start", "date_end"):
            day = getattr(draft, name)
            if day is not None and day > self.today:
                warnings.append(FieldProblem(name, f"{day.isoformat()} is in the future"))
        latitude, longitude, country = draft.latitude, draft.longitude, draft.country
        if latitude is not None and longitude is not None and country and outside_bounds(country, latitude, longitude):
            message = f"{latitude}, {longitude} is outside the rough bounds of {country_name(country)}"
            if not outside_bounds(country, longitude, latitude):
                message += "; are latitude and longitude the wrong way round?"
            warnings.append(FieldProblem("latitude", message))
        return warnings


def field_converter(name: str, field: FieldMapping, today: dt.date | None = None) -> Callable[[str], Any]:
    """How the cleaned, non-empty text a row gives field ``name`` becomes its value; ValueError if it cannot.
    Conversions of codes, names, dates and figures are remembered, as they repeat down a column; coordinates,
    sources and tags are not: nearly every row has its own, and remembering them held a large import's every
    value until its end."""
    target = TARGETS[name]
    kind = target.kind
    convert: Callable[[str], Any]
    if kind == "coordinate":
        return parse_coordinate
    if kind == "sources":
        return lambda text: parse_sources(unneutralise(text))
    if kind == "tags":
        return lambda text: parse_tags(unneutralise(text))
    if kind == "date":
        date_format, day = field.date_format, today or dt.date.today()
        if date_format is DateFormat.PARTS:
            return lambda text: parse_date_parts(*[*text.split(_PART_SEPARATOR), "", ""][:3])
        convert = lambda text: None if is_unknown(text) else parse_date(text, date_format, day)  # noqa: E731
    elif kind == "choice":
        enum = target.choices
        assert enum is not None  # every choice target has its enumeration
        convert = lambda text: None if is_unknown(text) else enum.parse(text).value  # noqa: E731
    elif kind == "country":
        convert = lambda text: None if is_unknown(text) else country_code(text)  # noqa: E731
    elif kind == "figure":
        convert = parse_figure
    elif kind == "count":
        convert = functools.partial(parse_count, open_ended=name.endswith("_min"))
    else:
        return unneutralise
    return functools.lru_cache(maxsize=100_000)(convert)


def _text_of(name: str, field: FieldMapping, positions: Sequence[int], cells: Sequence[str]) -> tuple[str, bool]:
    """The cleaned text a row gives ``name`` (its cells joined, then through the value map), else the fixed
    value; and whether it is the fixed value."""
    multiline = TARGETS[name].kind in ("notes", "sources")
    parts = [clean_text(cells[position], multiline) if position < len(cells) else "" for position in positions]
    if field.date_format is DateFormat.PARTS and TARGETS[name].kind == "date":
        return (_PART_SEPARATOR.join(parts) if any(parts) else ""), False  # parse_date_parts takes them apart
    text = field.separator.join(part for part in parts if part)
    if text and field.values:
        text = _mapped_value(field, text)
    if text:
        return text, False
    return clean_text(field.value or "", multiline), True


def _mapped_value(field: FieldMapping, text: str) -> str:
    folded = _folded_values(tuple(field.values.items()))
    return folded.get(_fold(text), text)


@functools.lru_cache(maxsize=256)
def _folded_values(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {_fold(key): value for key, value in items}


def _find_column(column: str, columns: Sequence[str]) -> int | None:
    """The position of ``column`` among the file's: by its exact name, else case and stray spaces aside."""
    if column in columns:
        return list(columns).index(column)
    folded = [_fold(name) for name in columns]
    return folded.index(_fold(column)) if _fold(column) in folded else None


def _overall_problems(mapping: Mapping) -> list[str]:
    problems = [f"{name!r} is not a field of the incident record" for name in mapping.fields if name not in TARGETS]
    for name, target in TARGETS.items():
        field = mapping.fields.get(name)
        if target.required and (field is None or field.ignored):
            problems.append(f"nothing is mapped to {name} ({target.label.lower()}): map a column or give a fixed value")
    for noun, parts in _FIGURE_PARTS.items():
        if not mapping.fields.get(noun, FieldMapping()).ignored:
            both = [part for part in parts if not mapping.fields.get(part, FieldMapping()).ignored]
            if both:
                problems.append(f"{noun} and {' and '.join(both)} are both mapped; map the whole figure or its parts")
    start = mapping.fields.get("date_start")
    if start is not None and start.date_format is DateFormat.PARTS and not 1 <= len(start.columns) <= 3:
        problems.append("date_start: a date from parts takes the year, month and day columns, in that order")
    return problems


def _conversion_problems(name: str, field: FieldMapping, convert: Callable[[str], Any]) -> list[str]:
    """A fixed value or value-map entry that cannot be read is a mistake in the mapping, not in every row."""
    problems = []
    checks = [("the fixed value", field.value)] if field.value else []
    if TARGETS[name].kind in ("choice", "country"):
        checks += [(f"the value map entry for {key!r}", value) for key, value in field.values.items() if value]
    for what, text in checks:
        if field.date_format is DateFormat.PARTS and TARGETS[name].kind == "date":
            continue
        try:
            convert(clean_text(text))
        except ValueError as error:
            problems.append(f"{name}: {what}: {error}")
    return problems


def unreadable_values(name: str, values: Iterable[str], date_format: DateFormat = DateFormat.AUTO) -> list[str]:
    """Those of a column's distinct ``values`` that field ``name`` cannot read as they are: for the wizard to
    ask for their entries in the value map."""
    convert = field_converter(name, FieldMapping(date_format=date_format))
    unreadable = []
    for value in values:
        try:
            convert(clean_text(value))
        except ValueError:
            unreadable.append(value)
    return unreadable


# ---- presets --------------------------------------------------------------------------------------------------

PRESET_HELP = f"""\
# An Incident Logbook import mapping ("preset"): which column of a file goes to which field of an incident, and
# how its cells are read. Use it with `logbook import FILE --mapping THIS.toml`, or open it in the import wizard.
# It is plain TOML: edit it as you like.
#
# format = {PRESET_FORMAT}                  the layout of this file (required)
# name = "..."                the name shown in the import history
# [file]                      how to read the file; leave a key out to have it detected
#   encoding = "utf-8"        {", ".join(ENCODINGS)}
#   delimiter = "comma"       {", ".join(DELIMITERS.values())}
#   header = true             whether the first row holds the column names
# [import]
#   duplicates = "skip"       skip or import rows that look like incidents already in the logbook
#                             (same start date, country, location and weapon)
# [fields.FIELD]              one table per field; a field left out is not imported
#   column = "Date"           the file's column, by its name in the header ("Column 3" in a file without one)
#   columns = ["A", "B"]      several columns, their non-empty cells joined with separator (default " ");
#                             for a date in the "parts" format: the year, month and day columns
#   separator = " / "
#   value = "attack"          a fixed value for every row, or the value where the columns are empty
#   format = "dd/mm/yyyy"     for dates: {", ".join(DateFormat)}
#   values = {{ "Confirmed Suicide" = "confirmed", "UAV" = "drone" }}
#                             the file's values (case and spaces aside) and what to read instead
#
# FIELD is one of: {", ".join(TARGETS)}.
# killed and injured take a whole figure ("3", "3-7", "10+", "at least 10", "unknown"); killed_best and
# injured_best are only compared with the figures. source_name, source_url and source_kind add one source.
"""
_FIELD_KEYS = ("column", "columns", "separator", "value", "format", "values")


def mapping_to_toml(mapping: Mapping) -> str:
    """The preset text of ``mapping``: PRESET_HELP, then the settings, defaults left out."""
    data: dict[str, Any] = {"format": PRESET_FORMAT}
    if mapping.name:
        data["name"] = mapping.name
    file = {
        "encoding": mapping.encoding,
        "delimiter": DELIMITERS.get(mapping.delimiter or "", mapping.delimiter),
        "header": mapping.has_header,
    }
    if any(value is not None for value in file.values()):
        data["file"] = {key: value for key, value in file.items() if value is not None}
    data["import"] = {"duplicates": "skip" if mapping.skip_duplicates else "import"}
    fields: dict[str, Any] = {}
    for name, field in mapping.fields.items():
        if field.ignored:
            continue
        entry: dict[str, Any] = {}
        if len(field.columns) == 1:
            entry["column"] = field.columns[0]
        elif field.columns:
            entry["columns"] = list(field.columns)
        if len(field.columns) > 1 and field.separator != " ":
            entry["separator"] = field.separator
        if field.value:
            entry["value"] = field.value
        if name in TARGETS and TARGETS[name].kind == "date" and field.date_format is not DateFormat.AUTO:
            entry["format"] = field.date_format.value
        if field.values:
            entry["values"] = dict(field.values)
        fields[name] = entry
    data["fields"] = fields
    return PRESET_HELP + "\n" + tomli_w.dumps(data)


def mapping_from_toml(text: str) -> Mapping:
    """The mapping of a preset's text; PresetError naming the key that is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"not valid TOML: {error}") from None
    return _mapping_from_data(data)


def save_preset(path: Path | str, mapping: Mapping) -> None:
    Path(path).write_text(mapping_to_toml(mapping), encoding="utf-8")


def load_preset(path: Path | str) -> Mapping:
    """The mapping saved in ``path``; PresetError (naming the file and the key) if it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PresetError(f"the mapping preset {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PresetError(f"the mapping preset {path} could not be read: {error}") from None
    try:
        mapping = mapping_from_toml(text)
    except PresetError as error:
        raise PresetError(f"{path.name}: {error}") from None
    mapping.name = mapping.name or path.stem
    return mapping


def _mapping_from_data(data: dict[str, Any]) -> Mapping:
    _known_keys(data, "", ("format", "name", "file", "import", "fields"))
    version = data.get("format")
    if version is None:
        raise PresetError(f"format: missing (a preset starts with format = {PRESET_FORMAT})")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PresetError(f"format: {version!r} is not a format number (this version writes {PRESET_FORMAT})")
    if version > PRESET_FORMAT:
        raise PresetError(
            f"format: {version} comes from a newer version of Incident Logbook (this one reads up to "
            f"{PRESET_FORMAT}); update the app"
        )
    mapping = Mapping(name=_typed(data, "name", str, "") or "")
    file = _typed(data, "file", dict, {})
    _known_keys(file, "file.", ("encoding", "delimiter", "header"))
    encoding = _typed(file, "encoding", str, None, "file.")
    if encoding is not None:
        mapping.encoding = _one_of(encoding.casefold(), ENCODINGS, "file.encoding", encoding)
    delimiter = _typed(file, "delimiter", str, None, "file.")
    if delimiter is not None:
        by_name = {name: character for character, name in DELIMITERS.items()} | {c: c for c in DELIMITERS}
        mapping.delimiter = by_name[_one_of(delimiter.casefold(), by_name, "file.delimiter", delimiter)]
    mapping.has_header = _typed(file, "header", bool, None, "file.")
    options = _typed(data, "import", dict, {})
    _known_keys(options, "import.", ("duplicates",))
    duplicates = _typed(options, "duplicates", str, "skip", "import.")
    mapping.skip_duplicates = _one_of(duplicates, ("skip", "import"), "import.duplicates", duplicates) == "skip"
    for name, entry in _typed(data, "fields", dict, {}).items():
        key = f"fields.{name}"
        if name not in TARGETS:
            raise PresetError(f"{key}: not a field of the incident record (one of: {', '.join(TARGETS)})")
        if not isinstance(entry, dict):
            raise PresetError(f"{key}: should be a table of {', '.join(_FIELD_KEYS)}")
        mapping.fields[name] = _field_from_data(entry, key, TARGETS[name])
    return mapping


def _field_from_data(entry: dict[str, Any], key: str, target: Target) -> FieldMapping:
    _known_keys(entry, f"{key}.", _FIELD_KEYS)
    if "column" in entry and "columns" in entry:
        raise PresetError(f"{key}: give column or columns, not both")
    field = FieldMapping()
    column = _typed(entry, "column", str, None, f"{key}.")
    columns = _typed(entry, "columns", list, [], f"{key}.")
    if not all(isinstance(item, str) for item in columns):
        raise PresetError(f"{key}.columns: should be a list of column names")
    field.columns = (column,) if column is not None else tuple(columns)
    field.separator = _typed(entry, "separator", str, " ", f"{key}.")
    field.value = _typed(entry, "value", str, None, f"{key}.")
    date_format = _typed(entry, "format", str, None, f"{key}.")
    if date_format is not None:
        if target.kind != "date":
            raise PresetError(f"{key}.format: only dates have a format")
        field.date_format = DateFormat(_one_of(date_format.casefold(), list(DateFormat), f"{key}.format", date_format))
    values = _typed(entry, "values", dict, {}, f"{key}.")
    for file_value, value in values.items():
        if not isinstance(value, str):
            raise PresetError(f"{key}.values.{file_value}: should be text, not {value!r}")
    field.values = dict(values)
    return field


def _known_keys(table: dict[str, Any], prefix: str, known: Sequence[str]) -> None:
    for key in table:
        if key not in known:
            raise PresetError(f"{prefix}{key}: unknown key (expected one of: {', '.join(known)})")


_TYPE_NAMES = {str: "text in quotes", bool: "true or false", dict: "a table", list: "a list"}


def _typed(table: dict[str, Any], key: str, kind: type, default: Any, prefix: str = "") -> Any:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, kind):
        raise PresetError(f"{prefix}{key}: should be {_TYPE_NAMES[kind]}, not {value!r}")
    return value


def _one_of(value: str, choices: Iterable[str], key: str, written: str) -> str:
    choices = list(choices)
    if value not in choices:
        shown = ", ".join(DELIMITERS.get(choice, choice) for choice in choices if choice not in DELIMITERS)
        raise PresetError(f"{key}: {written!r} is not one of: {shown}")
    return value
