"""pseudonyms kept for the helpdesk; how long each periodic job's last run took

Revision ID: 0015_pseudonyms_job_durations
Revises: 0013_read_marks
Create Date: 2026-12-02 19:10:00.000000

``bridge_pseudonyms`` keeps the pseudonymous address a helpdesk knows a customer by
once it is made, so it survives a rotation of the secret key it was derived from.
``periodic_runs`` gains ``last_duration_seconds`` and ``last_succeeded_at`` (the
escalation sweep's and every other cluster job's figures on ``/metrics``).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_pseudonyms_job_durations'
down_revision = '0013_read_marks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bridge_pseudonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bridge_pseudonyms_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bridge_pseudonyms')),
    sa.UniqueConstraint('user_id', name=op.f('uq_bridge_pseudonyms_user_id'))
    )
    with op.batch_alter_table('periodic_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_duration_seconds', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('last_succeeded_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('periodic_runs', schema=None) as batch_op:
        batch_op.drop_column('last_succeeded_at')
        batch_op.drop_column('last_duration_seconds')
    op.drop_table('bridge_pseudonyms')
