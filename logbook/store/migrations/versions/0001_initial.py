"""The first schema: incidents, their sources and tags, the sort and filter indexes, and text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPLICATION_ID = 0x494C4F47
SORTED_COLUMNS = (
    "date_start", "country", "location", "event_type", "weapon", "outcome", "killed_min", "injured_min",
    "perpetrator", "attribution", "verification", "title",
)  # fmt: skip

TEXT_SORTED_COLUMNS = ("location", "perpetrator", "title")  # sorted as people read them, case aside


def _one_of(column: str, *codes: str) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{code}'" for code in codes)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=f"ck_incident_{column}")


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String, nullable=False, unique=True),
        sa.Column("date_start", sa.Date, nullable=False),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String, nullable=False, server_default="day"),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("admin1", sa.String),
        sa.Column("location", sa.String),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.String),
        sa.Column("event_type", sa.String, nullable=False),
        sa.Column("weapon", sa.String, nullable=False, server_default="unknown"),
        sa.Column("target_type", sa.String, nullable=False, server_default="unknown"),
        sa.Column("target", sa.String),
        sa.Column("perpetrator", sa.String),
        sa.Column("attribution", sa.String, nullable=False, server_default="unknown"),
        sa.Column("attributed_by", sa.String),
        sa.Column("outcome", sa.String, nullable=False, server_default="unknown"),
        sa.Column("damage", sa.String, nullable=False, server_default="unknown"),
        sa.Column("killed_min", sa.Integer),
        sa.Column("killed_max", sa.Integer),
        sa.Column("injured_min", sa.Integer),
        sa.Column("injured_max", sa.Integer),
        sa.Column("verification", sa.String, nullable=False, server_default="unverified"),
        sa.Column("title", sa.String),
        sa.Column("notes", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("deleted_at", sa.String),
        sa.CheckConstraint("date_end IS NULL OR date_end >= date_start", name="ck_incident_dates"),
        sa.CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="ck_incident_latitude"),
        sa.CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="ck_incident_longitude"),
        sa.CheckConstraint("killed_max IS NULL OR killed_min <= killed_max", name="ck_incident_killed"),
        sa.CheckConstraint("injured_max IS NULL OR injured_min <= injured_max", name="ck_incident_injured"),
        _one_of("date_precision", "day", "week", "month", "year"),
        _one_of("event_type", "attack", "strike", "clash", "other"),
        _one_of("weapon", "drone", "rocket", "missile", "mortar", "ied", "small_arms", "mixed", "other", "unknown"),
        _one_of("outcome", "intercepted", "missed", "hit", "unknown"),
        _one_of("verification", "unverified", "reported", "corroborated", "confirmed", "disputed"),
    )
    for column in SORTED_COLUMNS:
        op.create_index(f"ix_incident_{column}", "incident", [column, "id"], sqlite_where=sa.text("deleted_at IS NULL"))
    op.create_index("ix_incident_deleted_at", "incident", ["deleted_at"])

    op.create_table(
        "source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("name", sa.String),
        sa.Column("kind", sa.String, nullable=False, server_default="other"),
        sa.Column("url", sa.String),
        sa.Column("published", sa.Date),
    )
    op.create_index("ix_source_incident_id", "source", ["incident_id"])
    op.create_table(
        "incident_tag",
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String, primary_key=True),
    )
    op.create_index("ix_incident_tag_tag", "incident_tag", ["tag"])

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE incident_fts USING fts5("
            "title, notes, location, perpetrator, target, sources, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        op.execute("PRAGMA user_version = 1")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE incident_fts")
    op.drop_table("incident_tag")
    op.drop_table("source")
    op.drop_table("incident")
