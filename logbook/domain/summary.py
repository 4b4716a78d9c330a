"""The figures a report quotes, with DESIGN.md's semantics: unknown is never folded into a total."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from logbook.domain.enums import Outcome


@dataclasses.dataclass(frozen=True)
class Casualties:
    min: int = 0
    max: int = 0
    open: bool = False  # some incident has a known minimum and no maximum: the true maximum is unbounded
    unknown: int = 0  # incidents with no figure at all

    def text(self, number: Callable[[int], str] = str) -> str:
        """The range as read: "45+", "45–60" or "45" (numbers written by ``number``); unknowns are told apart."""
        if self.open:
            return f"{number(self.min)}+"
        return number(self.min) if self.min == self.max else f"{number(self.min)}–{number(self.max)}"


@dataclasses.dataclass(frozen=True)
class Summary:
    incidents: int
    by_country: dict[str, int]  # short English name -> count, most first
    by_outcome: dict[str, int]  # every outcome code, in the enumeration's order
    killed: Casualties
    injured: Casualties
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "incidents": self.incidents,
            "by_country": self.by_country,
            "by_outcome": self.by_outcome,
            "killed": dataclasses.asdict(self.killed),
            "injured": dataclasses.asdict(self.injured),
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


def empty_outcomes() -> dict[str, int]:
    return {outcome.value: 0 for outcome in Outcome}
