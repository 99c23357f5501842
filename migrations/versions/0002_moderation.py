"""moderation: flags, review queue, sanctions, trust, notices, audit log

Revision ID: 0002_moderation
Revises: 0001_core
Create Date: 2026-11-23 07:28:26.698984

Tables of the moderation package (moderation/models.py), all prefixed ``mod_``,
and the German and English starter list of blocked words.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_moderation'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mod_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('reason_code', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_mod_audit_log_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_audit_log'))
    )
    with op.batch_alter_table('mod_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_audit_log_action'), ['action'], unique=False)
        batch_op.create_index('ix_mod_audit_log_actor_created', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_audit_log_created_at'), ['created_at'], unique=False)

    op.create_table('mod_blocked_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mod_blocked_words_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_blocked_words')),
    sa.UniqueConstraint('word', name=op.f('uq_mod_blocked_words_word'))
    )
    op.create_table('mod_category_settings',
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_mod_category_settings_category_id_categories')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_mod_category_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('category_id', name=op.f('pk_mod_category_settings'))
    )
    op.create_table('mod_member_trust',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_mod_member_trust_set_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mod_member_trust_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mod_member_trust'))
    )
    op.create_table('mod_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('reason_code', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mod_sanctions_created_by_id_users')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_mod_sanctions_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mod_sanctions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_sanctions'))
    )
    with op.batch_alter_table('mod_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_sanctions_user_id'), ['user_id'], unique=False)

    op.create_table('mod_thread_states',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['threads.id'], name=op.f('fk_mod_thread_states_duplicate_of_id_threads')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['threads.id'], name=op.f('fk_mod_thread_states_merged_into_id_threads')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_mod_thread_states_thread_id_threads')),
    sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_mod_thread_states'))
    )
    with op.batch_alter_table('mod_thread_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_thread_states_merged_into_id'), ['merged_into_id'], unique=False)

    op.create_table('mod_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_mod_flags_post_id_posts')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_mod_flags_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mod_flags_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_flags')),
    sa.UniqueConstraint('post_id', 'user_id', name=op.f('uq_mod_flags_post_id_user_id'))
    )
    with op.batch_alter_table('mod_flags', schema=None) as batch_op:
        batch_op.create_index('ix_mod_flags_post_state', ['post_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_flags_user_id'), ['user_id'], unique=False)

    op.create_table('mod_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('sanction_id', sa.Integer(), nullable=True),
    sa.Column('reason_code', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('appealable', sa.Boolean(), nullable=False),
    sa.Column('appealed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_mod_notices_post_id_posts')),
    sa.ForeignKeyConstraint(['sanction_id'], ['mod_sanctions.id'], name=op.f('fk_mod_notices_sanction_id_mod_sanctions')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_mod_notices_thread_id_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mod_notices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_notices'))
    )
    with op.batch_alter_table('mod_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_notices_user_id'), ['user_id'], unique=False)

    op.create_table('mod_post_fingerprints',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_mod_post_fingerprints_author_id_users')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_mod_post_fingerprints_post_id_posts')),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_mod_post_fingerprints'))
    )
    with op.batch_alter_table('mod_post_fingerprints', schema=None) as batch_op:
        batch_op.create_index('ix_mod_post_fingerprints_digest_created', ['digest', 'created_at'], unique=False)

    op.create_table('mod_review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('open_post_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('auto_hidden', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('resolution_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['mod_notices.id'], name=op.f('fk_mod_review_items_notice_id_mod_notices')),
    sa.ForeignKeyConstraint(['open_post_id'], ['posts.id'], name=op.f('fk_mod_review_items_open_post_id_posts')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_mod_review_items_post_id_posts')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_mod_review_items_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mod_review_items_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_review_items')),
    sa.UniqueConstraint('open_post_id', name=op.f('uq_mod_review_items_open_post_id'))
    )
    with op.batch_alter_table('mod_review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_review_items_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_mod_review_items_state_priority', ['state', 'priority', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_review_items_user_id'), ['user_id'], unique=False)

    _seed_blocked_words()


def _seed_blocked_words():
    from moderation.services.spam import STARTER_WORDS
    words = sa.table("mod_blocked_words", sa.column("word", sa.String),
                     sa.column("created_at", sa.DateTime))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(words, [{"word": word, "created_at": now} for word in STARTER_WORDS])


def downgrade():
    with op.batch_alter_table('mod_review_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_review_items_user_id'))
        batch_op.drop_index('ix_mod_review_items_state_priority')
        batch_op.drop_index(batch_op.f('ix_mod_review_items_post_id'))

    op.drop_table('mod_review_items')
    with op.batch_alter_table('mod_post_fingerprints', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_post_fingerprints_digest_created')

    op.drop_table('mod_post_fingerprints')
    with op.batch_alter_table('mod_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_notices_user_id'))

    op.drop_table('mod_notices')
    with op.batch_alter_table('mod_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_flags_user_id'))
        batch_op.drop_index('ix_mod_flags_post_state')

    op.drop_table('mod_flags')
    with op.batch_alter_table('mod_thread_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_thread_states_merged_into_id'))

    op.drop_table('mod_thread_states')
    with op.batch_alter_table('mod_sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_sanctions_user_id'))

    op.drop_table('mod_sanctions')
    op.drop_table('mod_member_trust')
    op.drop_table('mod_category_settings')
    op.drop_table('mod_blocked_words')
    with op.batch_alter_table('mod_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_audit_log_created_at'))
        batch_op.drop_index('ix_mod_audit_log_actor_created')
        batch_op.drop_index(batch_op.f('ix_mod_audit_log_action'))

    op.drop_table('mod_audit_log')
