"""The figures a report quotes, with DESIGN.md's semantics: unknown is never folded into a total."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from logbook.domain.countries import country_name
from logbook.domain.enums import Outcome

Tally = tuple[int, ...]
"""For one (country, outcome): incidents, then for killed and for injured the sum of the known minimums, the
sum of the known maximums, how many are open ("at least N") and how many unknown. Counts, not flags, so one
incident can be taken out again exactly."""
Tallies = dict[tuple[str, str], Tally]  # (country code, outcome code) -> Tally


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


def summarise(tallies: Tallies, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Summary:
    incidents, *figures = (sum(column) for column in zip(*tallies.values(), strict=True)) if tallies else [0] * 9
    countries: dict[str, int] = {}
    outcomes = empty_outcomes()
    for (country, outcome), tally in tallies.items():
        name = country_name(country)
        countries[name] = countries.get(name, 0) + tally[0]
        outcomes[outcome] = outcomes.get(outcome, 0) + tally[0]
    killed_min, killed_max, killed_open, killed_unknown, injured_min, injured_max, injured_open, injured_unknown = (
        figures
    )
    return Summary(
        incidents=incidents,
        by_country=dict(sorted(countries.items(), key=lambda item: (-item[1], item[0]))),
        by_outcome=outcomes,
        killed=Casualties(killed_min, killed_max, bool(killed_open), killed_unknown),
        injured=Casualties(injured_min, injured_max, bool(injured_open), injured_unknown),
        date_from=date_from,
        date_to=date_to,
    )


def adjusted(tallies: Tallies, removed: Mapping[str, Any] | None, added: Mapping[str, Any] | None) -> Tallies:
    """``tallies`` with one incident's old version taken out and its new one put in (either may be None)."""
    result = dict(tallies)
    for incident, sign in ((removed, -1), (added, 1)):
        if incident is None:
            continue
        group = (incident["country"], incident["outcome"])
        one = (1, *_figures(incident["killed_min"], incident["killed_max"]),
               *_figures(incident["injured_min"], incident["injured_max"]))  # fmt: skip
        before = result.get(group, (0,) * len(one))
        tally = tuple(have + sign * change for have, change in zip(before, one, strict=True))
        if tally[0]:
            result[group] = tally
        else:
            result.pop(group, None)
    return result


def _figures(low: int | None, high: int | None) -> tuple[int, int, int, int]:
    """What one incident adds to a tally, as the summary's SQL counts it."""
    return low or 0, high or 0, int(low is not None and high is None), int(low is None and high is None)
