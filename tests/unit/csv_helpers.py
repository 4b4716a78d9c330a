"""CSV files as a spreadsheet user would hand them over, and exports read back, for the services and CLI tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.services.exporter import export_csv
from logbook.store.repository import Repository

# A valid incident with only the required columns and a few more, as someone would type it.
GOOD_HEADER = ("title", "date_start", "country", "event_type", "killed_min", "killed_max")
GOOD_ROW = ("Rocket attack on Ain al-Asad", "2023-11-02", "Iraq", "attack", "0", "0")


def write_csv(path: Path, header: Sequence[str], *rows: Sequence[str], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def exported(
    repo: Repository,
    incident_filter: IncidentFilter | None = None,
    order: SortOrder | None = None,
    neutralise_formulas: bool = True,
) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    export_csv(
        repo, incident_filter or IncidentFilter(), order or SortOrder(), out, neutralise_formulas=neutralise_formulas
    )
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
