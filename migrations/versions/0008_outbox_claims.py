"""outbox claims and periodic runs: outbox.claim_token, periodic_runs

Revision ID: 0008_outbox_claims
Revises: 0007_signup_login_limits
Create Date: 2026-12-02 12:00:00.000000

``outbox.claim_token``: the token of the worker run that holds a row; a run
finishes only while its token is still on the row. ``periodic_runs``: the next
run of each periodic job, claimed by one worker of the cluster.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_outbox_claims'
down_revision = '0007_signup_login_limits'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_claim_token'), ['claim_token'], unique=False)

    op.create_table('periodic_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('next_run_at', sa.DateTime(), nullable=False),
    sa.Column('last_run_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_runs')),
    sa.UniqueConstraint('name', name=op.f('uq_periodic_runs_name'))
    )


def downgrade():
    op.drop_table('periodic_runs')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_claim_token'))
        batch_op.drop_column('claim_token')
