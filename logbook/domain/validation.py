"""Validation of a draft: every problem names its field, so the form can show it beside that field."""

from __future__ import annotations

import dataclasses

from logbook.domain.countries import country_name
from logbook.domain.enums import (
    Attribution,
    Damage,
    DatePrecision,
    EventType,
    GeoPrecision,
    LabelledEnum,
    Outcome,
    SourceKind,
    TargetType,
    Verification,
    Weapon,
)
from logbook.domain.record import IncidentDraft

ENUM_FIELDS: dict[str, type[LabelledEnum]] = {
    "date_precision": DatePrecision,
    "geo_precision": GeoPrecision,
    "event_type": EventType,
    "weapon": Weapon,
    "target_type": TargetType,
    "attribution": Attribution,
    "outcome": Outcome,
    "damage": Damage,
    "verification": Verification,
}

# Membership in a set of codes: validate runs once per row of an import.
_CODES = {field: frozenset(member.value for member in enum) for field, enum in ENUM_FIELDS.items()}
_SOURCE_KINDS = frozenset(member.value for member in SourceKind)

MAX_CASUALTIES = 10_000_000  # beyond any single incident; also keeps figures inside SQLite's integers
CASUALTY_PAIRS = (("killed_min", "killed_max"), ("injured_min", "injured_max"))


@dataclasses.dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def validate(draft: IncidentDraft) -> list[FieldProblem]:
    """All problems with ``draft``; an empty list means it can be saved."""
    problems: list[FieldProblem] = []

    def refuse(field: str, message: str) -> None:
        problems.append(FieldProblem(field, message))

    if draft.date_start is None:
        refuse("date_start", "the start date is required")
    elif draft.date_end is not None and draft.date_end < draft.date_start:
        refuse("date_end", "the end date is before the start date")
    if not draft.country:
        refuse("country", "the country is required")
    elif country_name(draft.country) == draft.country:
        refuse("country", f"{draft.country!r} is not a known country code")
    if not draft.event_type:
        refuse("event_type", "the event type is required")

    refused = {problem.field for problem in problems}  # "" is "required", said once
    for field, codes in _CODES.items():
        value = getattr(draft, field)
        if value is not None and value not in codes and field not in refused:
            refuse(field, f"{value!r} is not one of: {', '.join(ENUM_FIELDS[field])}")

    for field, limit in (("latitude", 90.0), ("longitude", 180.0)):
        value = getattr(draft, field)
        if value is not None and not -limit <= value <= limit:
            refuse(field, f"{value} is outside -{limit:g} to {limit:g}")
    if (draft.latitude is None) != (draft.longitude is None):
        missing = "longitude" if draft.longitude is None else "latitude"
        refuse(missing, "give both latitude and longitude, or neither")

    for low_field, high_field in CASUALTY_PAIRS:
        low, high = getattr(draft, low_field), getattr(draft, high_field)
        for field, value in ((low_field, low), (high_field, high)):
            if value is not None and value < 0:
                refuse(field, "a casualty figure cannot be negative")
            elif value is not None and value > MAX_CASUALTIES:
                refuse(field, f"{value} is more than {MAX_CASUALTIES:,} people: check the figure")
        if low is not None and high is not None and low > high:
            refuse(high_field, f"the maximum ({high}) is less than the minimum ({low})")
        if low is None and high is not None:
            refuse(low_field, "give a minimum when a maximum is known (0 if none is known for sure)")

    for position, source in enumerate(draft.sources, start=1):
        if not (source.name or source.url):
            refuse("sources", f"source {position} needs a name or a URL")
        if any("\n" in (text or "") or "\r" in (text or "") for text in (source.name, source.url)):
            refuse("sources", f"source {position}: a name or URL cannot span several lines")
        if source.kind not in _SOURCE_KINDS:
            refuse("sources", f"source {position}: {source.kind!r} is not one of: {', '.join(SourceKind)}")
    for tag in draft.tags:
        if ";" in tag or not tag.strip():
            refuse("tags", f"tag {tag!r} may not be empty or contain ';'")
    return problems
