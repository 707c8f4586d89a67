"""plans by region, near-duplicate signatures and LSH bands, resumable batch ingest runs

Revision ID: 0005_batch
Revises: 0005_trust
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_batch'
down_revision = '0005_trust'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=200), type_=sa.String(length=600), existing_nullable=False)
        batch_op.add_column(sa.Column('region', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('level', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('minhash', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('shingles', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_plans_region'), ['region'], unique=False)
    op.create_table('plan_bands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('band_key', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_bands_band_key'), ['band_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_bands_plan_id'), ['plan_id'], unique=False)
    op.create_table('ingest_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('ingest_run_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['ingest_runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ingest_run_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingest_run_files_run_id'), ['run_id'], unique=False)
    _rekey_plans()


def _rekey_plans() -> None:
    """Plans stored before regions were keyed by title alone: key them region|title|period, the
    region read from the stored title and issuer (the text is not stored)."""
    from planwatch.ingest.region import find_region
    from planwatch.store.keys import plan_key

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, title, issuer, period_start, period_end FROM plans")).all()
    for pid, title, issuer, start, end in rows:
        region = find_region(title, tuple(i.strip() for i in (issuer or "").split(",") if i.strip()))
        bind.execute(sa.text("UPDATE plans SET key = :k, region = :r, level = :l WHERE id = :id"),
                     {"k": plan_key(region.name, title, (start, end) if start else None), "r": region.name or None,
                      "l": region.level, "id": pid})


def downgrade() -> None:
    op.drop_table('ingest_run_files')
    op.drop_table('ingest_runs')
    op.drop_table('plan_bands')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_region'))
        batch_op.drop_column('shingles')
        batch_op.drop_column('minhash')
        batch_op.drop_column('level')
        batch_op.drop_column('region')
        batch_op.alter_column('key', existing_type=sa.String(length=600), type_=sa.String(length=200), existing_nullable=False)
