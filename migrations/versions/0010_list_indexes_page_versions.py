"""list indexes and page versions: threads' list indexes, categories.unanswered_count, page versions

Revision ID: 0010_list_indexes_page_versions
Revises: 0009_worker_heartbeats
Create Date: 2026-12-02 13:00:00.000000

The category and home lists read their rows through one index per sort order
(category, visibility, the sort, then the filters' columns) instead of sorting every
thread of the category; ``categories.unanswered_count`` joins the kept counters, so no
list counts its threads per request. ``threads.page_version`` and the ``page_versions``
table (rows ``site`` and ``category:<id>``) key the visitors' page cache.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_list_indexes_page_versions'
down_revision = '0009_worker_heartbeats'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_page_versions'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unanswered_count', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_version', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.drop_index('ix_threads_category_activity')
        batch_op.drop_index('ix_threads_category_created')
        batch_op.create_index('ix_threads_list_activity', ['category_id', 'visibility', 'pinned', 'last_activity_at', 'id', 'reply_count', 'accepted_post_id'], unique=False)
        batch_op.create_index('ix_threads_list_newest', ['category_id', 'visibility', 'created_at', 'id', 'reply_count', 'accepted_post_id'], unique=False)
        batch_op.create_index('ix_threads_list_helpful', ['category_id', 'visibility', 'helpful_count', 'last_activity_at', 'id', 'reply_count', 'accepted_post_id'], unique=False)
        batch_op.create_index('ix_threads_recent', ['visibility', 'last_activity_at', 'id', 'reply_count', 'accepted_post_id'], unique=False)
    op.execute("UPDATE categories SET unanswered_count = (SELECT count(*) FROM threads "
               "WHERE threads.category_id = categories.id AND threads.visibility = 'visible' "
               "AND threads.reply_count = 0)")


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_recent')
        batch_op.drop_index('ix_threads_list_helpful')
        batch_op.drop_index('ix_threads_list_newest')
        batch_op.drop_index('ix_threads_list_activity')
        batch_op.create_index('ix_threads_category_created', ['category_id', 'created_at'], unique=False)
        batch_op.create_index('ix_threads_category_activity', ['category_id', 'last_activity_at'], unique=False)
        batch_op.drop_column('page_version')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('unanswered_count')
    op.drop_table('page_versions')
