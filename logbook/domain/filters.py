"""What the user asked to see: the filter bar, the CLI flags and the export scope all build one of these."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum


@dataclasses.dataclass(frozen=True)
class IncidentFilter:
    """Empty fields match everything. Dates are inclusive at both ends and match any overlap with the
    incident's own span (start to end, or the start day alone)."""

    search: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    countries: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    verifications: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == IncidentFilter()


class SortKey(StrEnum):
    """The columns the table can be sorted by."""

    DATE = "date"
    COUNTRY = "country"
    LOCATION = "location"
    EVENT_TYPE = "event_type"
    WEAPON = "weapon"
    OUTCOME = "outcome"
    KILLED = "killed"
    INJURED = "injured"
    PERPETRATOR = "perpetrator"
    ATTRIBUTION = "attribution"
    VERIFICATION = "verification"
    TITLE = "title"


@dataclasses.dataclass(frozen=True)
class SortOrder:
    key: SortKey = SortKey.DATE
    descending: bool = True
