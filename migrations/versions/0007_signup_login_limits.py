"""registration and login limits: registrations, successful logins

Revision ID: 0007_signup_login_limits
Revises: 0006_bridge_connectors
Create Date: 2026-12-02 06:00:00.000000

``registrations`` (the client address and its /24 or /64 network of every account
created through the registration form, for the per-address and per-network limits)
and ``login_attempts.succeeded`` (successful logins are kept too: the account-wide
login limit spares addresses the owner logged in from before).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_signup_login_limits'
down_revision = '0006_bridge_connectors'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('network', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_ip_created', ['ip', 'created_at'], unique=False)
        batch_op.create_index('ix_registrations_network_created', ['network', 'created_at'], unique=False)

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('succeeded', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('succeeded')

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_network_created')
        batch_op.drop_index('ix_registrations_ip_created')

    op.drop_table('registrations')
