"""projects as ledger items: keys, units, investment, schedule; project reports

Revision ID: project_ledger
Revises: target_mentions
"""

import sqlalchemy as sa
from alembic import op

revision = 'project_ledger'
down_revision = 'target_mentions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('lead', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('support', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('investment', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('investment_unit', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('start_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('end_year', sa.Integer(), nullable=True))
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('investment_done', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('stage', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('stage_on', sa.Date(), nullable=True))
    op.create_table('project_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'stage')
    )
    with op.batch_alter_table('project_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_stages_project_id'), ['project_id'], unique=False)
    # Keys for the projects stored before: the name, numbered within its plan in document order
    # (a frozen copy of keys.numbered, as 0002 froze the target and task keys).
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, plan_id, name FROM projects ORDER BY plan_id, position, id")).all()
    seen: dict[tuple[int, str], int] = {}
    for project_id, plan_id, name in rows:
        base = (name or "").strip()
        n = seen[(plan_id, base)] = seen.get((plan_id, base), 0) + 1
        conn.execute(sa.text("UPDATE projects SET key = :k WHERE id = :i"), {"k": base if n == 1 else f"{base}#{n}", "i": project_id})


def downgrade() -> None:
    with op.batch_alter_table('project_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_stages_project_id'))
    op.drop_table('project_stages')
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('stage_on')
        batch_op.drop_column('stage')
        batch_op.drop_column('investment_done')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('end_year')
        batch_op.drop_column('start_year')
        batch_op.drop_column('investment_unit')
        batch_op.drop_column('investment')
        batch_op.drop_column('support')
        batch_op.drop_column('lead')
        batch_op.drop_column('key')
