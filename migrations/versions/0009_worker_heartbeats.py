"""worker heartbeats: one row per worker process, when it was last alive

Revision ID: 0009_worker_heartbeats
Revises: 0008_outbox_claims
Create Date: 2026-12-02 12:00:00.000000

``worker_heartbeats`` (host, pid, the outbox kinds it serves, started, last seen):
written by each worker every ``FORUM_WORKER_HEARTBEAT_SECONDS``, shown on ``/readyz``
and ``/admin/connectors``.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_worker_heartbeats'
down_revision = '0008_outbox_claims'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('kinds', sa.String(length=500), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_heartbeats')),
    sa.UniqueConstraint('host', 'pid', name=op.f('uq_worker_heartbeats_host_pid'))
    )
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeats_last_seen_at'), ['last_seen_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeats_last_seen_at'))
    op.drop_table('worker_heartbeats')
