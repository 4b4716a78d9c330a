"""The incident as people edit it: what the form, the CSV reader and validation work on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable

from logbook.domain.enums import (
    Attribution,
    Damage,
    DatePrecision,
    Outcome,
    SourceKind,
    TargetType,
    Verification,
    Weapon,
)


@dataclasses.dataclass
class SourceDraft:
    name: str | None = None
    kind: str = SourceKind.OTHER.value
    url: str | None = None
    published: dt.date | None = None


@dataclasses.dataclass
class IncidentDraft:
    """Every field of the incident record; ``None`` means unknown or empty, never 0."""

    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str = DatePrecision.DAY.value
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: str | None = None
    event_type: str | None = None
    weapon: str = Weapon.UNKNOWN.value
    target_type: str = TargetType.UNKNOWN.value
    target: str | None = None
    perpetrator: str | None = None
    attribution: str = Attribution.UNKNOWN.value
    attributed_by: str | None = None
    outcome: str = Outcome.UNKNOWN.value
    damage: str = Damage.UNKNOWN.value
    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    verification: str = Verification.UNVERIFIED.value
    title: str | None = None
    notes: str | None = None
    sources: list[SourceDraft] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    uid: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    version: int | None = None


# The columns of the incident table that a draft carries (everything but sources and tags).
# The free-text fields whose earlier values the form offers as completions.
COMPLETION_FIELDS = frozenset(("admin1", "location", "perpetrator", "attributed_by", "target"))
INCIDENT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(IncidentDraft) if f.name not in ("sources", "tags", "version")
)


# What makes two incidents possible duplicates: the same start date, country, location and weapon.
DuplicateKey = tuple[dt.date | None, str | None, str, str]


def duplicate_key(date_start: dt.date | None, country: str | None, location: str | None, weapon: str) -> DuplicateKey:
    """The location compared case and spacing aside ("Ain al-Asad " is "ain al-asad"); no location is ""."""
    return date_start, country, " ".join((location or "").casefold().split()), weapon


def new_uid() -> str:
    return str(uuid.uuid4())


def utc_now() -> str:
    """Bookkeeping timestamps: UTC, ISO 8601 to the second, as exported."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_range(low: int | None, high: int | None, number: Callable[[int], str] = str) -> str:
    """A casualty figure as people read it: "3", "3–7", "45+", or "?" when unknown (numbers written by
    ``number``: the window's groups digits, "1,400+")."""
    if low is None:
        return "?"
    if high is None:
        return f"{number(low)}+"
    return number(low) if low == high else f"{number(low)}–{number(high)}"
