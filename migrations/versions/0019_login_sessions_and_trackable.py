"""login sessions and trackable logins

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 09:00:00.000000

login_sessions holds one row per sign-in: the SHA-256 of the random token the signed
session cookie (and the remember cookie) carries, when it was made and last seen, the
address and browser, and when it was ended. Every request looks its token up, so ending
a row ends that browser's session at once. users gains Flask-Security's trackable
columns. Registration now asks for a confirmed address; accounts made before that count
as confirmed, so nobody is locked out.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('previous_token_hash', sa.String(length=64), nullable=True),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_uniquifier', sa.String(length=64), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=255), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('id', 'user_id', name=op.f('uq_login_sessions_id_user_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash'))
    )
    op.create_index(op.f('ix_login_sessions_user_id'), 'login_sessions', ['user_id'], unique=False)
    op.create_index(op.f('ix_login_sessions_previous_token_hash'), 'login_sessions', ['previous_token_hash'], unique=False)
    op.add_column('users', sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('current_login_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('last_login_ip', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('current_login_ip', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('login_count', sa.Integer(), nullable=True))
    op.execute("UPDATE users SET confirmed_at = created_at WHERE confirmed_at IS NULL")


def downgrade():
    op.drop_column('users', 'login_count')
    op.drop_column('users', 'current_login_ip')
    op.drop_column('users', 'last_login_ip')
    op.drop_column('users', 'current_login_at')
    op.drop_column('users', 'last_login_at')
    op.drop_index(op.f('ix_login_sessions_previous_token_hash'), table_name='login_sessions')
    op.drop_index(op.f('ix_login_sessions_user_id'), table_name='login_sessions')
    op.drop_table('login_sessions')
