"""search: suggestion opens and deflection counts per day

Revision ID: 0004_search
Revises: 0003_notifications
Create Date: 2026-11-23 09:31:08.551885

Tables of search/models.py. The search index itself lives in the instance folder
(``instance/search-index/``), not in the database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_search'
down_revision = '0003_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_deflection_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('opened', sa.Integer(), nullable=False),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.Column('deflected', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_search_deflection_days'))
    )
    op.create_table('search_suggestion_opens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('draft', sa.String(length=32), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_search_suggestion_opens_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_search_suggestion_opens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_suggestion_opens'))
    )
    with op.batch_alter_table('search_suggestion_opens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_suggestion_opens_opened_at'), ['opened_at'], unique=False)
        batch_op.create_index('ix_search_suggestion_opens_user_draft', ['user_id', 'draft'], unique=False)


def downgrade():
    with op.batch_alter_table('search_suggestion_opens', schema=None) as batch_op:
        batch_op.drop_index('ix_search_suggestion_opens_user_draft')
        batch_op.drop_index(batch_op.f('ix_search_suggestion_opens_opened_at'))
    op.drop_table('search_suggestion_opens')
    op.drop_table('search_deflection_days')
