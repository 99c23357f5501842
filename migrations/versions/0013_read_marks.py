"""read marks: where each member stopped reading a thread

Revision ID: 0013_read_marks
Revises: 0012_search_postgres
Create Date: 2026-12-02 17:30:00.000000

``read_marks`` holds, per member and thread read, the time of the newest post the
member has seen there: lists mark threads with newer replies, and the thread page
leads to the first of them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_read_marks'
down_revision = '0012_search_postgres'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('read_marks',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('read_until', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_read_marks_thread_id_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_read_marks_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_read_marks'))
    )


def downgrade():
    op.drop_table('read_marks')
