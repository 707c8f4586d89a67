"""assessment method and criterion, natural limits of monitoring indicators

Revision ID: 0005_assess
Revises: 0005_batch
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_assess'
down_revision = '0005_batch'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('criterion', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('natural_limit', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_column('natural_limit')

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('criterion')
        batch_op.drop_column('method')
