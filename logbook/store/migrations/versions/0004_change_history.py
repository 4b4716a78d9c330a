"""Change history: one row per change to an incident (when, by whom, what, and each changed field from old to
new value as JSON text), read per incident through (incident_id, id).

No foreign key to the incident: the history of an incident deleted for good is kept. Incidents already in the
logbook get no entries of their own; their history starts with their next change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ACTIONS = ("created", "edited", "deleted", "restored", "purged", "reverted")


def upgrade() -> None:
    op.create_table(
        "incident_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.String, nullable=False),
        sa.Column("changed_by", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("version", sa.Integer),
        sa.Column("changes", sa.String),  # JSON: [[field, old, new], ...]
        sa.Column("import_id", sa.Integer),  # the import that made the change
        sa.Column("reverted_to", sa.Integer),  # the version an earlier-version restore brought back
        sa.CheckConstraint(
            "action IN (" + ", ".join(f"'{action}'" for action in ACTIONS) + ")", name="ck_incident_history_action"
        ),
    )
    op.create_index("ix_incident_history_incident_id", "incident_history", ["incident_id", "id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA user_version = 4")


def downgrade() -> None:
    op.drop_index("ix_incident_history_incident_id", "incident_history")
    op.drop_table("incident_history")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA user_version = 3")
