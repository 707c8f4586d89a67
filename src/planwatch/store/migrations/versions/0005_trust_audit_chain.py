"""audit chain: SM3 hash of each audit record linked to the previous one; existing rows back-filled

Revision ID: 0005_trust
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_trust'
down_revision = '0004'
branch_labels = None
depends_on = None

# The columns the hash covers, typed so both databases give back what the live code hashes.
AUDIT = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime(timezone=True)),
                 sa.column('actor', sa.String), sa.column('action', sa.String), sa.column('entity', sa.String),
                 sa.column('entity_id', sa.Integer), sa.column('old', sa.JSON), sa.column('new', sa.JSON),
                 sa.column('prev_hash', sa.String), sa.column('hash', sa.String))


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    backfill(op.get_bind())


def backfill(bind) -> None:
    # The chain format is frozen (chain.FORMAT), so the live function is the one to use here.
    from planwatch.store.chain import GENESIS, row_hash

    prev = GENESIS
    rows = bind.execute(sa.select(AUDIT).order_by(AUDIT.c.id)).all()
    updates = []
    for row in rows:
        digest = row_hash(prev, row)
        updates.append({"rid": row.id, "p": prev, "h": digest})
        prev = digest
    if updates:
        bind.execute(AUDIT.update().where(AUDIT.c.id == sa.bindparam('rid')).values(prev_hash=sa.bindparam('p'), hash=sa.bindparam('h')),
                     updates)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
