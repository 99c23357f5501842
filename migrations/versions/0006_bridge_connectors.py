"""bridge connectors: inbound events, connector state, contact consents

Revision ID: 0006_bridge_connectors
Revises: 0005_agent_bridge
Create Date: 2026-11-23 09:45:23.971479

Tables of agent_bridge/connectors/models.py: ``bridge_inbound_events`` (what a
helpdesk sent, unique per connector and external id, so it is applied once),
``bridge_connector_state`` (poll position and the last poll's outcome) and
``bridge_contact_consents`` (customers who let the helpdesk see their e-mail).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_bridge_connectors'
down_revision = '0005_agent_bridge'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bridge_connector_state',
    sa.Column('connector', sa.String(length=40), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('own_account', sa.String(length=200), nullable=True),
    sa.Column('last_poll_at', sa.DateTime(), nullable=True),
    sa.Column('last_poll_ok_at', sa.DateTime(), nullable=True),
    sa.Column('last_poll_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('connector', name=op.f('pk_bridge_connector_state'))
    )
    op.create_table('bridge_contact_consents',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bridge_contact_consents_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_bridge_contact_consents'))
    )
    op.create_table('bridge_inbound_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('connector', sa.String(length=40), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['bridge_tickets.id'], name=op.f('fk_bridge_inbound_events_ticket_id_bridge_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bridge_inbound_events')),
    sa.UniqueConstraint('connector', 'external_id', name=op.f('uq_bridge_inbound_events_connector_external_id'))
    )
    with op.batch_alter_table('bridge_inbound_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bridge_inbound_events_ticket_id'), ['ticket_id'], unique=False)



def downgrade():
    with op.batch_alter_table('bridge_inbound_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bridge_inbound_events_ticket_id'))

    op.drop_table('bridge_inbound_events')
    op.drop_table('bridge_contact_consents')
    op.drop_table('bridge_connector_state')
