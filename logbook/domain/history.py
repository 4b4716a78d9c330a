"""An incident's change history: what a change is, and the text form its values are kept in.

Each entry keeps the fields it changed, old and new, as text (dates ISO, figures as digits, codes as stored,
sources and tags as in the CSV), so a value of any type, a list of sources included, compares and shows
the same way. An earlier version is the current one with the old values of every later change put back:
nothing but the changes themselves is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from logbook.domain.countries import country_name
from logbook.domain.csv_schema import format_sources, format_tags, parse_sources, parse_tags
from logbook.domain.enums import SourceKind
from logbook.domain.record import INCIDENT_FIELDS, IncidentDraft, SourceDraft
from logbook.domain.validation import ENUM_FIELDS

# What a change records: every field people edit (not the uid and the bookkeeping timestamps).
HISTORY_FIELDS: tuple[str, ...] = (
    *(name for name in INCIDENT_FIELDS if name not in ("uid", "created_at", "updated_at")),
    "sources",
    "tags",
)
_COLUMNS = HISTORY_FIELDS[:-2]  # those stored in the incident table itself
_DATE_FIELDS = frozenset(("date_start", "date_end"))
_FLOAT_FIELDS = frozenset(("latitude", "longitude"))
_INT_FIELDS = frozenset(("killed_min", "killed_max", "injured_min", "injured_max"))

Texts = dict[str, str | None]


class HistoryAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    DELETED = "deleted"  # moved to the trash
    RESTORED = "restored"  # back from the trash
    PURGED = "purged"  # deleted for good; the entry keeps the last values
    REVERTED = "reverted"  # an earlier version restored


@dataclasses.dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclasses.dataclass(frozen=True)
class HistoryEntry:
    """One change to one incident; ``version`` is the incident's version after it (None once purged)."""

    id: int
    incident_id: int
    changed_at: str
    changed_by: str
    action: HistoryAction
    version: int | None
    changes: tuple[FieldChange, ...] = ()
    import_id: int | None = None  # the import that made the change
    import_file: str | None = None
    reverted_to: int | None = None  # for REVERTED: the version brought back


def value_text(field: str, value: Any) -> str | None:
    """A stored value as the history keeps it; None for unknown or empty."""
    if value is None:
        return None
    if field == "sources":
        return format_sources(value) or None
    if field == "tags":
        return format_tags(value) or None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def field_texts(values: Mapping[Any, Any], sources: Sequence[SourceDraft], tags: Sequence[str]) -> Texts:
    """Every HISTORY_FIELDS value of an incident (its stored columns, sources and tags) as text."""
    texts = {name: value_text(name, values[name]) for name in _COLUMNS}
    texts["sources"] = value_text("sources", sources)
    texts["tags"] = value_text("tags", tags)
    return texts


def draft_texts(draft: IncidentDraft) -> Texts:
    return field_texts({name: getattr(draft, name) for name in _COLUMNS}, draft.sources, draft.tags)


def changes_between(old: Mapping[str, str | None], new: Mapping[str, str | None]) -> tuple[FieldChange, ...]:
    """The fields whose text differs, in HISTORY_FIELDS order; a field missing from ``old`` was empty."""
    return tuple(
        FieldChange(name, old.get(name), new.get(name)) for name in HISTORY_FIELDS if old.get(name) != new.get(name)
    )


def text_value(field: str, text: str | None) -> Any:
    """value_text the other way round: the draft's value of ``field``."""
    if field == "sources":
        return parse_sources(text) if text else []
    if field == "tags":
        return parse_tags(text) if text else []
    if text is None:
        return None
    if field in _DATE_FIELDS:
        return dt.date.fromisoformat(text)
    if field in _FLOAT_FIELDS:
        return float(text)
    if field in _INT_FIELDS:
        return int(text)
    return text


def with_texts(draft: IncidentDraft, texts: Mapping[str, str | None]) -> IncidentDraft:
    """A copy of ``draft`` with the fields of ``texts`` set to those values."""
    return dataclasses.replace(draft, **{name: text_value(name, text) for name, text in texts.items()})


def version_after(current: Mapping[str, str | None], later: Iterable[HistoryEntry]) -> Texts:
    """The values an incident had after some change, from its ``current`` values and every change made since
    (in any order): each later change's old values put back, the latest first."""
    texts = dict(current)
    for entry in sorted(later, key=lambda each: each.id, reverse=True):
        for change in entry.changes:
            texts[change.field] = change.old
    return texts


def encode_changes(changes: Iterable[FieldChange]) -> str | None:
    rows = [[change.field, change.old, change.new] for change in changes]
    return json.dumps(rows, ensure_ascii=False) if rows else None


def decode_changes(text: str | None) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(*row) for row in json.loads(text)) if text else ()


def readable(field: str, text: str | None) -> str:
    """A value as people read it: a country's name, an enumeration's label; "" for empty."""
    if text is None:
        return ""
    if field == "country":
        return country_name(text)
    if field in ENUM_FIELDS:
        try:
            return ENUM_FIELDS[field](text).label
        except ValueError:
            return text
    if field == "sources":
        return "\n".join(_readable_source(line) for line in text.split("\n"))
    return text


def _readable_source(line: str) -> str:
    """A source line with its kind's label ("US DoD | Official | https://… | 2023-11-03")."""
    try:
        (source,) = parse_sources(line)
    except ValueError:
        return line
    try:
        kind = SourceKind(source.kind).label
    except ValueError:
        kind = source.kind
    parts = [source.name or "", kind, source.url or "", source.published.isoformat() if source.published else ""]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)
