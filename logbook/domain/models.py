"""The SQLModel tables. Enumerations are stored as their codes (plain text), checked by the migration."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class Incident(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    date_start: dt.date
    date_end: dt.date | None = None
    date_precision: str = "day"
    country: str
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: str | None = None
    event_type: str
    weapon: str = "unknown"
    target_type: str = "unknown"
    target: str | None = None
    perpetrator: str | None = None
    attribution: str = "unknown"
    attributed_by: str | None = None
    outcome: str = "unknown"
    damage: str = "unknown"
    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    verification: str = "unverified"
    title: str | None = None
    notes: str | None = None
    created_at: str
    updated_at: str
    version: int = 1
    deleted_at: str | None = None
    import_id: int | None = Field(default=None, foreign_key="import_run.id", ondelete="SET NULL")


class ImportRun(SQLModel, table=True):
    """One import: its file, when, and what became of its rows; incidents it added point back to it."""

    __tablename__ = "import_run"
    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    mapping: str | None = None
    imported_at: str
    added: int = 0
    updated: int = 0
    rejected: int = 0
    skipped: int = 0
    warned: int = 0


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE", index=True)
    position: int = 0
    name: str | None = None
    kind: str = "other"
    url: str | None = None
    published: dt.date | None = None


class IncidentTag(SQLModel, table=True):
    __tablename__ = "incident_tag"
    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class IncidentHistory(SQLModel, table=True):
    """One change to one incident (see domain.history). No foreign key: the history outlives a purge."""

    __tablename__ = "incident_history"
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(index=True)
    changed_at: str
    changed_by: str
    action: str
    version: int | None = None
    changes: str | None = None  # JSON: [[field, old, new], ...]
    import_id: int | None = None
    reverted_to: int | None = None
