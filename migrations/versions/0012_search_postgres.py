"""search: the PostgreSQL backend's index tables

Revision ID: 0012_search_postgres
Revises: 0011_privacy
Create Date: 2026-12-02 13:00:00.000000

``search_documents`` (one row per visible thread: its analysed terms as a weighted
``tsvector`` with a GIN index, field lengths, excerpts for snippets), ``search_terms``
(documents per field holding each term; the spelling words under a trigram index)
and ``search_totals`` (documents and summed field lengths, in 16 rows). On PostgreSQL
they are the index of ``FORUM_SEARCH_BACKEND=postgres``; the ``pg_trgm`` extension and
the GIN indexes exist only there. SQLite gets the same tables, empty (its index is
Whoosh's, in the instance folder), so both databases keep one schema.

After upgrading a PostgreSQL database that already has threads, the worker fills
them when it starts (or run ``flask --app community search reindex``).
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0012_search_postgres'
down_revision = '0011_privacy'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('search_documents',
    sa.Column('thread_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('solved', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('boost', sa.Float(), nullable=False),
    sa.Column('title_length', sa.Integer(), nullable=False),
    sa.Column('body_length', sa.Integer(), nullable=False),
    sa.Column('answers_length', sa.Integer(), nullable=False),
    sa.Column('parts_length', sa.Integer(), nullable=False),
    sa.Column('spell_length', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=False),
    sa.Column('excerpts', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_search_documents_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_search_documents_document', ['document'], unique=False, postgresql_using='gin')

    op.create_table('search_terms',
    sa.Column('term', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Integer(), nullable=False),
    sa.Column('body', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('parts', sa.Integer(), nullable=False),
    sa.Column('spell', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term', name=op.f('pk_search_terms'))
    )
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_search_terms_spelling', ['term'], unique=False, postgresql_using='gin', postgresql_ops={'term': 'gin_trgm_ops'}, postgresql_where=sa.text('spell > 0'))

    op.create_table('search_totals',
    sa.Column('shard', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('title', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.BigInteger(), nullable=False),
    sa.Column('answers', sa.BigInteger(), nullable=False),
    sa.Column('parts', sa.BigInteger(), nullable=False),
    sa.Column('spell', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('shard', name=op.f('pk_search_totals'))
    )


def downgrade():
    op.drop_table('search_totals')
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_search_terms_spelling', postgresql_using='gin', postgresql_ops={'term': 'gin_trgm_ops'}, postgresql_where=sa.text('spell > 0'))
    op.drop_table('search_terms')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_document', postgresql_using='gin')
        batch_op.drop_index('ix_search_documents_created_at')
    op.drop_table('search_documents')
