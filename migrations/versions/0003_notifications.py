"""notifications: subscriptions, notifications, e-mail preferences, the mailbox

Revision ID: 0003_notifications
Revises: 0002_moderation
Create Date: 2026-11-23 07:54:48.554457

Tables of community/notifications/models.py, and two columns on users:
``auto_subscribe`` (watch threads one asks or answers in) and
``unread_notifications`` (the bell's count, kept on the row).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_notifications'
down_revision = '0002_moderation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('category_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_category_subscriptions_category_id_categories')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_category_subscriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_subscriptions')),
    sa.UniqueConstraint('user_id', 'category_id', name=op.f('uq_category_subscriptions_user_id_category_id'))
    )
    with op.batch_alter_table('category_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_subscriptions_category_id'), ['category_id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind'))
    )
    op.create_table('mail_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_mail_messages_thread_id_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_messages_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_mail_messages_message_id'))
    )
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.create_index('ix_mail_messages_user_thread_created', ['user_id', 'thread_id', 'created_at'], unique=False)

    op.create_table('thread_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_subscriptions_thread_id_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_subscriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_subscriptions')),
    sa.UniqueConstraint('user_id', 'thread_id', name=op.f('uq_thread_subscriptions_user_id_thread_id'))
    )
    with op.batch_alter_table('thread_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_thread_subscriptions_thread_active', ['thread_id', 'active'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('event_key', sa.String(length=120), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('email_state', sa.String(length=12), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users')),
    sa.ForeignKeyConstraint(['mail_id'], ['mail_messages.id'], name=op.f('fk_notifications_mail_id_mail_messages')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_notifications_post_id_posts')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_notifications_thread_id_threads')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'event_key', name=op.f('uq_notifications_user_id_event_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_email_state_user', ['email_state', 'user_id'], unique=False)
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_subscribe', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('unread_notifications', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('unread_notifications')
        batch_op.drop_column('auto_subscribe')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
        batch_op.drop_index('ix_notifications_email_state_user')

    op.drop_table('notifications')
    with op.batch_alter_table('thread_subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_subscriptions_thread_active')

    op.drop_table('thread_subscriptions')
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_messages_user_thread_created')

    op.drop_table('mail_messages')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('category_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_subscriptions_category_id'))

    op.drop_table('category_subscriptions')
