"""Indexes for a million incidents: sort indexes the planner actually uses, text columns sorted in their own
collation, a covering index for the summary and one for incidents that span several days.

- ``deleted_at IS NULL`` matched every live row through a full index on deleted_at, so SQLite preferred it to
  the sort indexes and sorted a million rows in a temporary B-tree (about 2 s). Only the trash needs that
  column indexed: a partial index over trashed rows.
- The table sorts location, perpetrator and title case aside (COLLATE NOCASE); an index in the binary
  collation cannot serve that order, so these three are rebuilt in NOCASE.
- The summary reads country, outcome and the casualty figures of every matching incident: a covering index
  (which also holds the filter's other columns) lets it scan a narrow index instead of the whole table.
- A date range also matches an incident that starts before the range and ends in it; an index on date_end
  (with date_start, for the other half of that test) finds those without reading the table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")
TEXT_SORTED_COLUMNS = ("location", "perpetrator", "title")
# what the summary adds up, then the other columns the filter bar tests (text search aside)
FIGURES = (
    "country", "outcome", "killed_min", "killed_max", "injured_min", "injured_max", "event_type", "verification",
    "date_start", "date_end",
)  # fmt: skip


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_incident_deleted_at", "incident")
    op.create_index("ix_incident_trashed", "incident", ["deleted_at"], sqlite_where=sa.text("deleted_at IS NOT NULL"))
    if sqlite:  # NOCASE is SQLite's; other databases sort with the column's own collation
        for column in TEXT_SORTED_COLUMNS:
            op.drop_index(f"ix_incident_{column}", "incident")
            op.execute(
                f"CREATE INDEX ix_incident_{column} ON incident ({column} COLLATE NOCASE, id) WHERE deleted_at IS NULL"
            )
    op.create_index("ix_incident_figures", "incident", list(FIGURES), sqlite_where=LIVE)
    spans = sa.text("date_end IS NOT NULL")
    op.create_index("ix_incident_date_end", "incident", ["date_end", "date_start"], sqlite_where=spans)
    if sqlite:
        op.execute("PRAGMA user_version = 2")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_incident_date_end", "incident")
    op.drop_index("ix_incident_figures", "incident")
    if sqlite:
        for column in TEXT_SORTED_COLUMNS:
            op.drop_index(f"ix_incident_{column}", "incident")
            op.create_index(f"ix_incident_{column}", "incident", [column, "id"], sqlite_where=LIVE)
        op.execute("PRAGMA user_version = 1")
    op.drop_index("ix_incident_trashed", "incident")
    op.create_index("ix_incident_deleted_at", "incident", ["deleted_at"])
