"""privacy: data exports, the record of erasures and redactions, the legal pages

Revision ID: 0011_privacy
Revises: 0010_list_indexes_page_versions
Create Date: 2026-12-02 12:19:53.329885

``privacy_exports`` (a member's ZIP, kept in the database so that every host can serve
it), ``privacy_log`` (that an erasure, redaction or export happened; never the data),
``privacy_pages`` (imprint and privacy policy per language). See docs/privacy.md.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_privacy'
down_revision = '0010_list_indexes_page_versions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('ready_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_exports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_exports'))
    )
    with op.batch_alter_table('privacy_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_exports_user_id'), ['user_id'], unique=False)

    op.create_table('privacy_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_privacy_pages_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_pages')),
    sa.UniqueConstraint('name', 'locale', name=op.f('uq_privacy_pages_name_locale'))
    )
    op.create_table('privacy_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_privacy_log_actor_id_users')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_privacy_log_post_id_posts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_log'))
    )
    with op.batch_alter_table('privacy_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_log_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('privacy_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_privacy_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_privacy_log_action'))

    op.drop_table('privacy_log')
    op.drop_table('privacy_pages')
    with op.batch_alter_table('privacy_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_exports_user_id'))
        batch_op.drop_index(batch_op.f('ix_privacy_exports_expires_at'))

    op.drop_table('privacy_exports')
