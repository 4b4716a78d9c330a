"""The text index keeps no copy of the text: FTS5 reads it from a view over the incident and its sources.

The index used to store every title, note, place, name and source a second time (incident_fts_content): 323 MB
of a 1.78 GB logbook of a million incidents. With an external content table, FTS5 keeps only its index, and
reads an incident's text from ``incident_text`` when it removes that incident from the index. That is why the
repository takes an incident out of the index before it changes or deletes the incident's row or sources.

The index is built again from the view ('rebuild'); its matches are the same as before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
COLUMNS = "title, notes, location, perpetrator, target, sources"
TEXT_VIEW = (
    "CREATE VIEW incident_text AS SELECT i.id, i.title, i.notes, i.location, i.perpetrator, i.target, "
    "(SELECT group_concat(coalesce(s.name, '') || ' ' || coalesce(s.url, ''), ' ') FROM source AS s "
    "WHERE s.incident_id = i.id) AS sources FROM incident AS i"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE incident_fts")
    op.execute(TEXT_VIEW)
    op.execute(
        f"CREATE VIRTUAL TABLE incident_fts USING fts5({COLUMNS}, content = 'incident_text', "
        f"content_rowid = 'id', {TOKENIZE})"
    )
    op.execute("INSERT INTO incident_fts (incident_fts) VALUES ('rebuild')")
    op.execute("PRAGMA user_version = 5")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE incident_fts")
    op.execute(f"CREATE VIRTUAL TABLE incident_fts USING fts5({COLUMNS}, {TOKENIZE})")
    op.execute(f"INSERT INTO incident_fts (rowid, {COLUMNS}) SELECT id, {COLUMNS} FROM incident_text")
    op.execute("DROP VIEW incident_text")
    op.execute("PRAGMA user_version = 4")
