"""Enumerations of the incident record.

The member values are the codes stored in the database and written to CSV; ``label`` is what people read, in
English here (the CLI and the CSV files use it); the window shows it translated (logbook/ui/translations.py).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class LabelledEnum(StrEnum):
    """A code with a readable label; ``parse`` accepts either, in any case."""

    @property
    def label(self) -> str:
        return _LABELS[self.value]

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


LABEL_CONTEXT = "Labels"  # the translation context of the labels below, as written in each QT_TRANSLATE_NOOP


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for the translation template: Qt's lupdate finds it by this name, and the domain, which has
    no Qt, keeps the English; the window translates it (logbook.ui.translations.translated_label)."""
    return text


# Every code's label, one per code (an "other" weapon and an "other" event type read alike).
_LABELS = {
    "day": QT_TRANSLATE_NOOP("Labels", "Day"),
    "week": QT_TRANSLATE_NOOP("Labels", "Week"),
    "month": QT_TRANSLATE_NOOP("Labels", "Month"),
    "year": QT_TRANSLATE_NOOP("Labels", "Year"),
    "exact": QT_TRANSLATE_NOOP("Labels", "Exact"),
    "near": QT_TRANSLATE_NOOP("Labels", "Near"),
    "district": QT_TRANSLATE_NOOP("Labels", "District"),
    "province": QT_TRANSLATE_NOOP("Labels", "Province"),
    "country": QT_TRANSLATE_NOOP("Labels", "Country"),
    "attack": QT_TRANSLATE_NOOP("Labels", "Attack"),
    "strike": QT_TRANSLATE_NOOP("Labels", "Strike"),
    "clash": QT_TRANSLATE_NOOP("Labels", "Clash"),
    "other": QT_TRANSLATE_NOOP("Labels", "Other"),
    "drone": QT_TRANSLATE_NOOP("Labels", "Drone"),
    "rocket": QT_TRANSLATE_NOOP("Labels", "Rocket"),
    "missile": QT_TRANSLATE_NOOP("Labels", "Missile"),
    "mortar": QT_TRANSLATE_NOOP("Labels", "Mortar"),
    "ied": QT_TRANSLATE_NOOP("Labels", "IED"),
    "small_arms": QT_TRANSLATE_NOOP("Labels", "Small arms"),
    "mixed": QT_TRANSLATE_NOOP("Labels", "Mixed"),
    "unknown": QT_TRANSLATE_NOOP("Labels", "Unknown"),
    "military_base": QT_TRANSLATE_NOOP("Labels", "Military base"),
    "convoy": QT_TRANSLATE_NOOP("Labels", "Convoy"),
    "diplomatic": QT_TRANSLATE_NOOP("Labels", "Diplomatic"),
    "civilian": QT_TRANSLATE_NOOP("Labels", "Civilian"),
    "infrastructure": QT_TRANSLATE_NOOP("Labels", "Infrastructure"),
    "claimed": QT_TRANSLATE_NOOP("Labels", "Claimed"),
    "attributed": QT_TRANSLATE_NOOP("Labels", "Attributed"),
    "suspected": QT_TRANSLATE_NOOP("Labels", "Suspected"),
    "denied": QT_TRANSLATE_NOOP("Labels", "Denied"),
    "intercepted": QT_TRANSLATE_NOOP("Labels", "Intercepted"),
    "missed": QT_TRANSLATE_NOOP("Labels", "Missed"),
    "hit": QT_TRANSLATE_NOOP("Labels", "Hit"),
    "none": QT_TRANSLATE_NOOP("Labels", "None"),
    "minor": QT_TRANSLATE_NOOP("Labels", "Minor"),
    "major": QT_TRANSLATE_NOOP("Labels", "Major"),
    "unverified": QT_TRANSLATE_NOOP("Labels", "Unverified"),
    "reported": QT_TRANSLATE_NOOP("Labels", "Reported"),
    "corroborated": QT_TRANSLATE_NOOP("Labels", "Corroborated"),
    "confirmed": QT_TRANSLATE_NOOP("Labels", "Confirmed"),
    "disputed": QT_TRANSLATE_NOOP("Labels", "Disputed"),
    "official": QT_TRANSLATE_NOOP("Labels", "Official"),
    "media": QT_TRANSLATE_NOOP("Labels", "Media"),
    "open_source": QT_TRANSLATE_NOOP("Labels", "Open source"),
    "social_media": QT_TRANSLATE_NOOP("Labels", "Social media"),
    "ngo": QT_TRANSLATE_NOOP("Labels", "NGO"),
}


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
