"""One measured figure and the table they are printed in."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Measurement:
    what: str  # the row of the target table, e.g. "sort by a column, first page shown"
    rows: int  # incidents in the logbook
    value: float  # in ``unit``
    unit: str  # "s", "ms", "MB" or "x" (a ratio to the baseline)
    target: float | None  # the target in the same unit; None when there is none
    note: str = ""  # e.g. the baseline's own figure: "sqlite3 .import 1.9 s"

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def format_table(measurements: list[Measurement]) -> str:
    """A Markdown table: one line per figure, grouped by what was measured so the growth is visible."""
    lines = ["| what | incidents | measured | target | met | note |", "|---|---:|---:|---:|:-:|---|"]
    order = {what: position for position, what in enumerate(dict.fromkeys(m.what for m in measurements))}
    for m in sorted(measurements, key=lambda m: (order[m.what], m.rows)):
        target = "" if m.target is None else f"≤ {_number(m.target)} {m.unit}"
        met = {True: "yes", False: "**no**", None: ""}[m.met]
        lines.append(f"| {m.what} | {m.rows:,} | {_number(m.value)} {m.unit} | {target} | {met} | {m.note} |")
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
