"""Cells from files made elsewhere, as people and spreadsheets write them, converted to the record's values.

Every function takes one cell and returns the value or raises ValueError with a message that quotes the cell and
says what was expected; "unknown" in its many spellings is None, never 0.

- Dates: ISO (``2023-10-07``, and ``2023-10`` or ``2023`` for a month or a year), day first (``7/10/2023``,
  ``07.10.2023``, ``7-10-2023``), month first (``10/7/2023``), month names in English in any order
  (``october-7-2023``, ``7 Oct 2023``, ``Oct 7, 2023``, ``Saturday 7th October 2023``, ``October 2023``), and a
  date from separate year, month and day cells. A time after the date (``7/10/2023 14:30``) is ignored. Two-digit
  years are 20xx unless that is more than a year ahead, then 19xx. ``auto`` takes ISO and month names as they
  come and a numeric date only when its order is plain (``25/10/2023``); ``7/10/2023`` is then ambiguous and
  refused, so the user picks day-first or month-first rather than getting a silent guess.
- Casualty figures: ``3``; ``3-7``, ``3 – 7``, ``3 to 7``, ``between 3 and 7`` (ranges, any dash); ``10+``,
  ``at least 10``, ``10 or more``, ``>=10`` (open); ``more than 10``, ``over 10``, ``>10`` (open, from 11);
  ``up to 10``, ``at most 10`` (0 to 10); thousands written ``1,200``, ``1 200`` or ``1.200``, and ``12.0`` as a
  float column of a data frame writes it; ``unknown``, ``NA``, ``N/A``, ``-``, ``?``, ``#N/A``, ``nan`` or
  empty are unknown. Approximate figures ("about 10") are refused: give a range.
- Coordinates: decimal degrees with a point or a decimal comma, optionally with ``°`` and a hemisphere letter
  (``33.5 N``, ``44,2°E``; S and W make it negative).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum

from logbook.domain.enums import DatePrecision

UNKNOWN = frozenset(
    ("", "unknown", "unk", "unk.", "not known", "na", "n/a", "n.a.", "-", "--", "?", "??", "#n/a", "nan", "null")
)
_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "−": "-", "‐": "-", "‑": "-"})
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_WHITESPACE = re.compile(r"[\s\u00a0\u2007\u202f]+")


def is_unknown(cell: str) -> bool:
    return cell.strip().translate(_DASHES).casefold() in UNKNOWN


def clean_text(cell: str, multiline: bool = False) -> str:
    """Stray spaces gone: with ``multiline``, at the end of every line and of the whole (line breaks made \\n);
    otherwise at both ends, and every run of spaces, no-break spaces and line breaks made one space."""
    if multiline:
        return "\n".join(line.rstrip() for line in re.split(r"\r\n|\r|\n", cell)).strip()
    return _WHITESPACE.sub(" ", cell).strip()


# ---- dates ----------------------------------------------------------------------------------------------------


class DateFormat(StrEnum):
    AUTO = "auto"
    ISO = "iso"
    DAY_FIRST = "dd/mm/yyyy"
    MONTH_FIRST = "mm/dd/yyyy"
    DAY_FIRST_DOTS = "d.m.yyyy"  # the same reading as dd/mm/yyyy (any of / . - separates): named as people know it
    MONTH_NAMES = "text"
    PARTS = "parts"  # year, month and day in columns of their own

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    DateFormat.AUTO: "Automatic",
    DateFormat.ISO: "ISO (2023-10-07)",
    DateFormat.DAY_FIRST: "Day first (07/10/2023)",
    DateFormat.MONTH_FIRST: "Month first (10/07/2023)",
    DateFormat.DAY_FIRST_DOTS: "Day first with dots (7.10.2023)",
    DateFormat.MONTH_NAMES: "Month names (7 Oct 2023, october-7-2023)",
    DateFormat.PARTS: "Year, month and day columns",
}


@dataclasses.dataclass(frozen=True)
class PartialDate:
    """A day, or a whole month or year when the day or month is not given."""

    start: dt.date
    precision: DatePrecision = DatePrecision.DAY

    @property
    def end(self) -> dt.date:
        """The last day it covers."""
        if self.precision is DatePrecision.YEAR:
            return self.start.replace(month=12, day=31)
        if self.precision is DatePrecision.MONTH:
            return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])
        return self.start


class AmbiguousDateError(ValueError):
    """A numeric date that reads both ways (7/10/2023)."""


_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {"sept": 9}
_WEEKDAYS = {name.casefold() for name in (*calendar.day_name, *calendar.day_abbr)}
_TIME = re.compile(r"(?:[ T]+\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[ap]\.?m\.?|z|[+-]\d\d:?\d\d)?)$", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_WORDS = re.compile(r"[a-z]+|\d+", re.IGNORECASE)
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)", re.IGNORECASE)
_EXPECTED = {
    DateFormat.AUTO: "a date (2023-10-07, 7 Oct 2023, 25/10/2023)",
    DateFormat.ISO: "an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)",
    DateFormat.DAY_FIRST: "a date as dd/mm/yyyy",
    DateFormat.MONTH_FIRST: "a date as mm/dd/yyyy",
    DateFormat.DAY_FIRST_DOTS: "a date as d.m.yyyy",
    DateFormat.MONTH_NAMES: "a date with a month name (7 Oct 2023, october-7-2023)",
    DateFormat.PARTS: "a year",
}


def parse_date(cell: str, date_format: DateFormat = DateFormat.AUTO, today: dt.date | None = None) -> PartialDate:
    """The date in ``cell`` (stripped, not unknown) read as ``date_format``; ValueError if it is not one."""
    text = _TIME.sub("", cell.strip()).strip()
    today = today or dt.date.today()
    try:
        if date_format is DateFormat.ISO:
            found = _iso(text)
        elif date_format in (DateFormat.DAY_FIRST, DateFormat.DAY_FIRST_DOTS):
            found = _numeric(text, day_first=True, today=today)
        elif date_format is DateFormat.MONTH_FIRST:
            found = _numeric(text, day_first=False, today=today)
        elif date_format is DateFormat.MONTH_NAMES:
            found = _with_month_name(text)
        elif date_format is DateFormat.PARTS:
            found = parse_date_parts(text, "", "")
        else:
            found = _iso(text) or _with_month_name(text) or _numeric(text, day_first=None, today=today)
    except AmbiguousDateError:
        raise
    except ValueError as error:  # the shape fits but the date does not exist (31/02/2023)
        raise ValueError(f"{cell.strip()!r} is not a real date ({error})") from None
    if found is None:
        raise ValueError(f"{cell.strip()!r} is not {_EXPECTED[date_format]}")
    return found


def parse_date_parts(year: str, month: str, day: str) -> PartialDate:
    """A date from separate cells: the month (a number or a name) and the day may be empty, giving a month or a
    year."""
    year, month, day = (part.strip() for part in (year, month, day))
    if not re.fullmatch(r"\d{4}", year):
        raise ValueError(f"{year!r} is not a year (four digits)")
    if not month:
        if day:
            raise ValueError(f"a day ({day}) without a month")
        return PartialDate(dt.date(int(year), 1, 1), DatePrecision.YEAR)
    month_number = int(month) if month.isdecimal() else _MONTHS.get(month.casefold().rstrip("."))
    if month_number is None or not 1 <= month_number <= 12:
        raise ValueError(f"{month!r} is not a month (1 to 12, or its name)")
    if not day:
        return PartialDate(dt.date(int(year), month_number, 1), DatePrecision.MONTH)
    if not day.isdecimal():
        raise ValueError(f"{day!r} is not a day of the month")
    try:
        return PartialDate(dt.date(int(year), month_number, int(day)))
    except ValueError:
        raise ValueError(f"{year}-{month_number:02d} has no day {int(day)}") from None


def _iso(text: str) -> PartialDate | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    year, month, day = match.groups()
    return parse_date_parts(year, month or "", day or "")


def _numeric(text: str, day_first: bool | None, today: dt.date) -> PartialDate | None:
    """d/m/y or m/d/y; with ``day_first`` None, only when the order shows (one part above 12, or both equal)."""
    match = _NUMERIC.fullmatch(text)
    if match is None:
        return None
    first, second, year_text = int(match[1]), int(match[2]), match[3]
    if day_first is None:
        if "." in text or first > 12 >= second:  # dotted dates are day first wherever they are written
            day_first = True
        elif second > 12 >= first:
            day_first = False
        elif first == second:
            day_first = True
        else:
            raise AmbiguousDateError(f"{text!r} could be day/month or month/day: choose the date format")
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if 2000 + year <= today.year + 1 else 1900
    day, month = (first, second) if day_first else (second, first)
    return PartialDate(dt.date(year, month, day))


def _with_month_name(text: str) -> PartialDate | None:
    """A month name with a four-digit year and perhaps a day, in any order: weekdays and ordinals aside."""
    month = year = day = None
    for word in _WORDS.findall(_ORDINAL.sub(r"\1", text)):
        folded = word.casefold()
        if folded in _MONTHS and month is None:
            month = _MONTHS[folded]
        elif folded in _WEEKDAYS or folded == "of":
            continue
        elif word.isdecimal() and len(word) == 4 and year is None:
            year = word
        elif word.isdecimal() and len(word) <= 2 and day is None:
            day = word
        else:
            return None
    if month is None or year is None:
        return None
    return parse_date_parts(year, str(month), day or "")


def guess_date_format(cells: Iterable[str]) -> DateFormat:
    """The format a column of dates is written in, from a sample: a numeric date with a part above 12 tells the
    order; a column that is all ISO is ISO. Anything else is left to AUTO."""
    shapes: set[str] = set()
    for cell in cells:
        text = _TIME.sub("", cell.strip()).strip()
        if is_unknown(text):
            continue
        if _ISO.fullmatch(text):
            shapes.add("iso")
        elif match := _NUMERIC.fullmatch(text):
            first, second = int(match[1]), int(match[2])
            shapes.add("day first" if first > 12 else "month first" if second > 12 else "numeric")
            shapes.add("dots" if "." in text else "numeric")
        else:
            shapes.add("other")
    if shapes == {"iso"}:
        return DateFormat.ISO
    if "day first" in shapes and "month first" not in shapes:
        return DateFormat.DAY_FIRST_DOTS if "dots" in shapes else DateFormat.DAY_FIRST
    if "month first" in shapes and "day first" not in shapes:
        return DateFormat.MONTH_FIRST
    if "dots" in shapes and shapes <= {"dots", "numeric", "iso"}:
        return DateFormat.DAY_FIRST_DOTS  # dotted dates are day first wherever they are written
    return DateFormat.AUTO


# ---- casualty figures -----------------------------------------------------------------------------------------

# 1200, 1,200, 1 200 (also with no-break or thin spaces), 1.200, and 1200.0 as a float column writes it
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:\.\d{3})+|\d+)(?:\.0)?"
_FIGURES = [
    (re.compile(pattern.replace("N", _NUMBER)), kind)
    for pattern, kind in (
        (r"N", "exact"),
        (r"N\s*(?:-|to)\s*N|between\s+N\s+and\s+N", "range"),
        (r"N\s*\+|N\s*(?:or|and)\s+(?:more|above|over)|(?:at\s+least|min\.?|minimum|>=|≥)\s*N", "open"),
        (r"(?:more\s+than|over|>)\s*N", "above"),
        (r"(?:up\s+to|at\s+most|max\.?|maximum|<=|≤)\s*N", "up to"),
    )
]
FIGURE_HELP = "write 3, 3-7, 10+ or at least 10, or leave it empty when unknown"


def _whole(number: str) -> int:
    return int(re.sub(r"[,. \u00a0\u202f]", "", number))


def parse_figure(cell: str) -> tuple[int | None, int | None]:
    """A casualty figure as (minimum, maximum): exact N is (N, N), open is (N, None), unknown is (None, None)."""
    if is_unknown(cell):
        return None, None
    text = _SPACES.sub(" ", cell.strip().translate(_DASHES).casefold())
    for pattern, kind in _FIGURES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        numbers = [_whole(group) for group in match.groups() if group is not None]
        if kind == "exact":
            return numbers[0], numbers[0]
        if kind == "range":
            return numbers[0], numbers[1]
        if kind == "open":
            return numbers[0], None
        if kind == "above":
            return numbers[0] + 1, None
        return 0, numbers[0]
    if re.fullmatch(r"-\s*\d[\d,. ]*", text):
        raise ValueError(f"a casualty figure cannot be negative ({cell.strip()!r})")
    raise ValueError(f"{cell.strip()!r} is not a casualty figure ({FIGURE_HELP})")


def parse_count(cell: str, open_ended: bool = False) -> int | None:
    """One number of people (None when unknown); ``open_ended`` also takes "10+" as 10, for a minimum."""
    low, high = parse_figure(cell)
    if low == high or (open_ended and high is None):
        return low
    raise ValueError(f"{cell.strip()!r} is a range; give one number here, or map the column to the whole figure")


# ---- coordinates ----------------------------------------------------------------------------------------------

_COORDINATE = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*°?\s*([nsew])?", re.IGNORECASE)


def parse_coordinate(cell: str) -> float | None:
    """Decimal degrees (None when unknown); a decimal comma, a degree sign and a hemisphere letter are taken."""
    if is_unknown(cell):
        return None
    match = _COORDINATE.fullmatch(cell.strip().translate(_DASHES))
    if match is None:
        raise ValueError(f"{cell.strip()!r} is not a coordinate in decimal degrees (33.5, 33,5 or 33.5 N)")
    value = float(match[1].replace(",", "."))
    if match[2] and match[2].upper() in "SW":
        value = -abs(value)
    return value


# Rough bounding boxes (west, south, east, north, in degrees) of the countries this log is mostly about, from
# Natural Earth's outlines rounded outwards; pycountry has no geography. A country not listed is not checked.
# Russia and the United States are left out: their boxes cross the antimeridian or hold half the globe.
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "AE": (51.5, 22.5, 56.4, 26.1),
    "AF": (60.5, 29.3, 75.2, 38.5),
    "BF": (-5.5, 9.4, 2.4, 15.1),
    "BH": (50.3, 25.5, 50.9, 26.4),
    "CD": (12.2, -13.5, 31.3, 5.4),
    "CY": (32.2, 34.5, 34.6, 35.7),
    "DJ": (41.7, 10.9, 43.5, 12.8),
    "DZ": (-8.7, 18.9, 12.0, 37.1),
    "EG": (24.7, 21.9, 36.9, 31.7),
    "ER": (36.4, 12.3, 43.2, 18.1),
    "ET": (32.9, 3.4, 48.0, 14.9),
    "IL": (34.2, 29.4, 35.9, 33.4),
    "IQ": (38.7, 29.0, 48.6, 37.4),
    "IR": (44.0, 25.0, 63.4, 39.8),
    "JO": (34.9, 29.1, 39.3, 33.4),
    "KE": (33.9, -4.7, 41.9, 5.5),
    "KW": (46.5, 28.5, 48.5, 30.1),
    "LB": (35.1, 33.0, 36.7, 34.7),
    "LY": (9.3, 19.5, 25.2, 33.2),
    "ML": (-12.3, 10.1, 4.3, 25.0),
    "MZ": (30.2, -26.9, 40.9, -10.4),
    "NE": (0.1, 11.6, 16.0, 23.6),
    "NG": (2.6, 4.2, 14.7, 13.9),
    "OM": (51.9, 16.6, 59.9, 26.5),
    "PK": (60.8, 23.6, 77.9, 37.1),
    "PS": (34.2, 31.2, 35.6, 32.6),
    "QA": (50.7, 24.4, 51.7, 26.2),
    "SA": (34.5, 16.3, 55.7, 32.2),
    "SD": (21.8, 8.6, 38.7, 22.3),
    "SO": (40.9, -1.7, 51.5, 12.0),
    "SY": (35.7, 32.3, 42.4, 37.4),
    "TR": (25.6, 35.8, 44.9, 42.2),
    "UA": (22.1, 44.3, 40.3, 52.4),
    "YE": (42.5, 12.1, 54.6, 19.0),
}
BOUNDS_MARGIN = 0.5  # degrees: a place on the border, or rounded coordinates, is not suspicious


def outside_bounds(country: str, latitude: float, longitude: float) -> bool:
    """True when the point is clearly outside the country's rough bounding box (False when it has none)."""
    box = COUNTRY_BOUNDS.get(country)
    if box is None:
        return False
    west, south, east, north = box
    return not (
        south - BOUNDS_MARGIN <= latitude <= north + BOUNDS_MARGIN
        and west - BOUNDS_MARGIN <= longitude <= east + BOUNDS_MARGIN
    )
