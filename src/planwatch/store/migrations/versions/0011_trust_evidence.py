"""evidence at rest (cipher, key fingerprint, sniffed type), ledger settings (quota), public fields per plan

Revision ID: trust_evidence
Revises: web_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = 'trust_evidence'
down_revision = 'web_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Files stored before keep cipher "" and are read as they are; `planwatch evidence encrypt`
    # encrypts them once a key is configured (a migration must not need the key).
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cipher', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('key_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=True))
    op.create_table('ledger_settings',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('plan_publications',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id')
    )


def downgrade() -> None:
    op.drop_table('plan_publications')
    op.drop_table('ledger_settings')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('kind')
        batch_op.drop_column('key_id')
        batch_op.drop_column('cipher')
