"""item corrections: edits, removals, merges and additions replayed on later plan versions

Revision ID: items_corrections
Revises: 0007_batch_search
"""

import sqlalchemy as sa
from alembic import op

revision = 'items_corrections'
down_revision = '0007_batch_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_key', sa.String(length=600), nullable=False),
    sa.Column('item_kind', sa.String(length=10), nullable=False),
    sa.Column('item_key', sa.String(length=300), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('item_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_corrections_plan_key'), ['plan_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('item_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_corrections_plan_key'))
    op.drop_table('item_corrections')
