"""resources

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 12:01:22.661155

Explanations the musician keeps (`resources`: a title, a kind, an optional http(s) address,
notes), linked to focus areas, goals, pieces and sections by composite owned links. A file
kept with an explanation is an attachment row whose resource_id is set, so attachments no
longer need a piece; each names a piece or a resource.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resources',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='note', nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('video', 'article', 'book', 'sheet', 'note')", name=op.f('ck_resources_kind_known')),
    sa.CheckConstraint("url IS NULL OR url ~* '^https?://'", name=op.f('ck_resources_url_is_web_address')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resources_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resources')),
    sa.UniqueConstraint('id', 'user_id', name=op.f('uq_resources_id_user_id'))
    )
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resources_user_id'), ['user_id'], unique=False)

    op.create_table('resource_focus_areas',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id', 'user_id'], ['focus_areas.id', 'focus_areas.user_id'], name=op.f('fk_resource_focus_areas_focus_area_id_user_id_focus_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id', 'user_id'], ['resources.id', 'resources.user_id'], name=op.f('fk_resource_focus_areas_resource_id_user_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_focus_areas_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'focus_area_id', name=op.f('pk_resource_focus_areas')),
    info={'link': ('resource_id', 'focus_area_id')}
    )
    with op.batch_alter_table('resource_focus_areas', schema=None) as batch_op:
        batch_op.create_index('ix_resource_focus_areas_focus_area_id_resource_id', ['focus_area_id', 'resource_id'], unique=False, postgresql_include=['user_id'])
        batch_op.create_index(batch_op.f('ix_resource_focus_areas_user_id'), ['user_id'], unique=False)

    op.create_table('resource_goals',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['goal_id', 'user_id'], ['goals.id', 'goals.user_id'], name=op.f('fk_resource_goals_goal_id_user_id_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id', 'user_id'], ['resources.id', 'resources.user_id'], name=op.f('fk_resource_goals_resource_id_user_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_goals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'goal_id', name=op.f('pk_resource_goals')),
    info={'link': ('resource_id', 'goal_id')}
    )
    with op.batch_alter_table('resource_goals', schema=None) as batch_op:
        batch_op.create_index('ix_resource_goals_goal_id_resource_id', ['goal_id', 'resource_id'], unique=False, postgresql_include=['user_id'])
        batch_op.create_index(batch_op.f('ix_resource_goals_user_id'), ['user_id'], unique=False)

    op.create_table('resource_pieces',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('piece_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['piece_id', 'user_id'], ['pieces.id', 'pieces.user_id'], name=op.f('fk_resource_pieces_piece_id_user_id_pieces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id', 'user_id'], ['resources.id', 'resources.user_id'], name=op.f('fk_resource_pieces_resource_id_user_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_pieces_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'piece_id', name=op.f('pk_resource_pieces')),
    info={'link': ('resource_id', 'piece_id')}
    )
    with op.batch_alter_table('resource_pieces', schema=None) as batch_op:
        batch_op.create_index('ix_resource_pieces_piece_id_resource_id', ['piece_id', 'resource_id'], unique=False, postgresql_include=['user_id'])
        batch_op.create_index(batch_op.f('ix_resource_pieces_user_id'), ['user_id'], unique=False)

    op.create_table('resource_sections',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['resource_id', 'user_id'], ['resources.id', 'resources.user_id'], name=op.f('fk_resource_sections_resource_id_user_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id', 'user_id'], ['piece_sections.id', 'piece_sections.user_id'], name=op.f('fk_resource_sections_section_id_user_id_piece_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_sections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'section_id', name=op.f('pk_resource_sections')),
    info={'link': ('resource_id', 'section_id')}
    )
    with op.batch_alter_table('resource_sections', schema=None) as batch_op:
        batch_op.create_index('ix_resource_sections_section_id_resource_id', ['section_id', 'resource_id'], unique=False, postgresql_include=['user_id'])
        batch_op.create_index(batch_op.f('ix_resource_sections_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource_id', sa.Integer(), nullable=True))
        batch_op.alter_column('piece_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_attachments_resource_id'), ['resource_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachments_resource_id_user_id_resources'), 'resources', ['resource_id', 'user_id'], ['id', 'user_id'], ondelete='CASCADE')
        batch_op.create_check_constraint(
            op.f('ck_attachments_has_owner_row'), 'piece_id IS NOT NULL OR resource_id IS NOT NULL'
        )



def downgrade():
    # Files kept only with explanations go with them (`sweep-uploads` removes them from disk).
    op.execute('DELETE FROM attachments WHERE piece_id IS NULL')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_attachments_has_owner_row'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_attachments_resource_id_user_id_resources'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachments_resource_id'))
        batch_op.alter_column('piece_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('resource_id')

    with op.batch_alter_table('resource_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_sections_user_id'))
        batch_op.drop_index('ix_resource_sections_section_id_resource_id', postgresql_include=['user_id'])

    op.drop_table('resource_sections')
    with op.batch_alter_table('resource_pieces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_pieces_user_id'))
        batch_op.drop_index('ix_resource_pieces_piece_id_resource_id', postgresql_include=['user_id'])

    op.drop_table('resource_pieces')
    with op.batch_alter_table('resource_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_goals_user_id'))
        batch_op.drop_index('ix_resource_goals_goal_id_resource_id', postgresql_include=['user_id'])

    op.drop_table('resource_goals')
    with op.batch_alter_table('resource_focus_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_focus_areas_user_id'))
        batch_op.drop_index('ix_resource_focus_areas_focus_area_id_resource_id', postgresql_include=['user_id'])

    op.drop_table('resource_focus_areas')
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resources_user_id'))

    op.drop_table('resources')
