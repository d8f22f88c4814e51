"""api tokens and session client uuid

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 09:10:00.000000

api_tokens holds the personal access tokens scripts use with the JSON API: a name, the
SHA-256 of the secret (the secret itself is shown once and never stored) and when it was
last used. practice_sessions.client_uuid lets a client that may send one session twice (an
offline queue replaying) be answered with the first copy: it is unique per user.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('id', 'user_id', name=op.f('uq_api_tokens_id_user_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_index(op.f('ix_api_tokens_user_id'), 'api_tokens', ['user_id'], unique=False)
    op.add_column('practice_sessions', sa.Column('client_uuid', sa.Uuid(), nullable=True))
    op.create_unique_constraint(
        op.f('uq_practice_sessions_user_id_client_uuid'),
        'practice_sessions',
        ['user_id', 'client_uuid'],
    )


def downgrade():
    op.drop_constraint(
        op.f('uq_practice_sessions_user_id_client_uuid'), 'practice_sessions', type_='unique'
    )
    op.drop_column('practice_sessions', 'client_uuid')
    op.drop_index(op.f('ix_api_tokens_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
