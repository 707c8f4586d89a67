"""search indexes the text only: targets and tasks are found by span

Revision ID: search_text_only
Revises: project_ledger
"""

from alembic import op

revision = 'search_text_only'
down_revision = 'project_ledger'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The FTS table's delete trigger (SQLite) keeps the index in step with these rows.
    op.execute("DELETE FROM search_entries WHERE kind <> 'text'")


def downgrade() -> None:
    pass  # the entries were copies of stored quotes and task texts; search finds items by span now
