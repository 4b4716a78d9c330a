"""Import history: one row per import (its file, time and counts) and, on each incident an import added, the id
of that import, so the whole import can be listed and moved to the trash again.

An index on what makes two incidents possible duplicates (start date, country, weapon, location) lets an import
look each of its rows up among a million incidents without reading the hundreds that share its date.

The column is added in place (SQLite's ADD COLUMN, which takes a REFERENCES clause when the default is NULL)
rather than through a batch copy of the incident table, which would rewrite a million rows and their indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("mapping", sa.String),  # the preset's name for a mapped import; NULL for the canonical CSV
        sa.Column("imported_at", sa.String, nullable=False),
        sa.Column("added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warned", sa.Integer, nullable=False, server_default="0"),
    )
    if sqlite:
        op.execute("ALTER TABLE incident ADD COLUMN import_id INTEGER REFERENCES import_run (id) ON DELETE SET NULL")
    else:
        op.add_column("incident", sa.Column("import_id", sa.Integer))
        op.create_foreign_key(
            "fk_incident_import_id", "incident", "import_run", ["import_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_incident_import_id", "incident", ["import_id"], sqlite_where=sa.text("import_id IS NOT NULL"))
    op.create_index(
        "ix_incident_duplicates",
        "incident",
        ["date_start", "country", "weapon", "location"],
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    if sqlite:
        op.execute("PRAGMA user_version = 3")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_incident_duplicates", "incident")
    op.drop_index("ix_incident_import_id", "incident")
    if sqlite:
        op.execute("ALTER TABLE incident DROP COLUMN import_id")
        op.execute("PRAGMA user_version = 2")
    else:
        op.drop_constraint("fk_incident_import_id", "incident", type_="foreignkey")
        op.drop_column("incident", "import_id")
    op.drop_table("import_run")
