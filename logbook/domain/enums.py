"""Enumerations of the incident record.

The member values are the codes stored in the database and written to CSV; ``label`` is what people read.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class LabelledEnum(StrEnum):
    """A code with a readable label; ``parse`` accepts either, in any case."""

    @property
    def label(self) -> str:
        return _LABEL_OVERRIDES.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> LabelledEnum:
        """Return the member whose code or label is ``text``; raise ValueError naming the choices."""
        member = _spellings(cls).get(text.strip().casefold())
        if member is None:
            choices = ", ".join(m.value for m in cls)
            raise ValueError(f"{text.strip()!r} is not one of: {choices}")
        return member


@cache
def _spellings(enum: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Code and label of every member, case folded: parse runs once per cell of an import."""
    spellings: dict[str, LabelledEnum] = {}
    for member in enum:
        spellings.setdefault(member.value.casefold(), member)
        spellings.setdefault(member.label.casefold(), member)
    return spellings


_LABEL_OVERRIDES = {"ied": "IED", "open_source": "Open source", "ngo": "NGO"}


class DatePrecision(LabelledEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class GeoPrecision(LabelledEnum):
    EXACT = "exact"
    NEAR = "near"
    DISTRICT = "district"
    PROVINCE = "province"
    COUNTRY = "country"


class EventType(LabelledEnum):
    ATTACK = "attack"
    STRIKE = "strike"
    CLASH = "clash"
    OTHER = "other"


class Weapon(LabelledEnum):
    DRONE = "drone"
    ROCKET = "rocket"
    MISSILE = "missile"
    MORTAR = "mortar"
    IED = "ied"
    SMALL_ARMS = "small_arms"
    MIXED = "mixed"
    OTHER = "other"
    UNKNOWN = "unknown"


class TargetType(LabelledEnum):
    MILITARY_BASE = "military_base"
    CONVOY = "convoy"
    DIPLOMATIC = "diplomatic"
    CIVILIAN = "civilian"
    INFRASTRUCTURE = "infrastructure"
    OTHER = "other"
    UNKNOWN = "unknown"


class Attribution(LabelledEnum):
    CLAIMED = "claimed"
    ATTRIBUTED = "attributed"
    SUSPECTED = "suspected"
    DENIED = "denied"
    UNKNOWN = "unknown"


class Outcome(LabelledEnum):
    INTERCEPTED = "intercepted"
    MISSED = "missed"
    HIT = "hit"
    UNKNOWN = "unknown"


class Damage(LabelledEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    UNKNOWN = "unknown"


class Verification(LabelledEnum):
    UNVERIFIED = "unverified"
    REPORTED = "reported"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class SourceKind(LabelledEnum):
    OFFICIAL = "official"
    MEDIA = "media"
    OPEN_SOURCE = "open_source"
    SOCIAL_MEDIA = "social_media"
    NGO = "ngo"
    OTHER = "other"
