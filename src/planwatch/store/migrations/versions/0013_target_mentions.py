"""every mention of a target restated elsewhere in its plan

Revision ID: target_mentions
Revises: milestones
"""

import sqlalchemy as sa
from alembic import op

revision = 'target_mentions'
down_revision = 'milestones'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('target_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('section', sa.JSON(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('target_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_mentions_target_id'), ['target_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('target_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_mentions_target_id'))
    op.drop_table('target_mentions')
