"""sign-in providers, verified residents, LINE notices

New tables (linked identities, drafts kept while away at a provider, LINE notice kinds) and columns added in place: every existing row
is kept as it is (no one is verified, no vote carries a person, no area requires verification).
Nothing here rebuilds a table: on SQLite a batch "recreate" of `users`, `ideas` or `votes` would
cascade through their foreign keys; the one-person-one-vote rule is a unique index for that reason.

Revision ID: 9a898c83b7be
Revises: f209d1e5842a
Create Date: 2026-12-02 09:01:29.380407

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9a898c83b7be'
down_revision = 'f209d1e5842a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('line_notice_kinds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('receipt', 'status', 'answer', 'merge', name='noticekind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_line_notice_kinds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_line_notice_kinds'))
    )
    op.create_table('linked_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('assurance', sa.String(length=40), server_default='', nullable=False),
    sa.Column('verified', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('scopes', sa.String(length=200), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_linked_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_identities')),
    sa.UniqueConstraint('provider', 'subject', name=op.f('uq_linked_identities_provider_subject')),
    sa.UniqueConstraint('user_id', 'provider', name=op.f('uq_linked_identities_user_id_provider'))
    )
    with op.batch_alter_table('linked_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linked_identities_user_id'), ['user_id'], unique=False)

    op.create_table('sign_in_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_drafts')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_sign_in_drafts_key_hash'))
    )
    with op.batch_alter_table('sign_in_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_drafts_created_at'), ['created_at'], unique=False)

    # Plain ALTER TABLE ADD COLUMN, also on SQLite (a batch would rebuild these tables: see above).
    op.add_column('area_settings', sa.Column('verified_to_vote', sa.Boolean(), server_default=sa.false(),
                                             nullable=False))
    op.add_column('area_settings', sa.Column('verified_to_post', sa.Boolean(), server_default=sa.false(),
                                             nullable=False))
    op.add_column('ideas', sa.Column('verified_vote_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('merged_votes', sa.Column('person_key', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('person_key', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('show_verified_badge', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index(op.f('ix_users_person_key'), 'users', ['person_key'], unique=False)
    op.add_column('votes', sa.Column('person_key', sa.String(length=64), nullable=True))
    op.create_index('ix_votes_idea_person', 'votes', ['idea_id', 'person_key'], unique=True)


def downgrade():
    # Columns are dropped natively (SQLite 3.35+ and PostgreSQL), never by rebuilding a table.
    op.drop_index('ix_votes_idea_person', table_name='votes')
    op.drop_column('votes', 'person_key')
    op.drop_index(op.f('ix_users_person_key'), table_name='users')
    for column in ('show_verified_badge', 'person_key', 'verified_at'):
        op.drop_column('users', column)
    op.drop_column('merged_votes', 'person_key')
    op.drop_column('ideas', 'verified_vote_count')
    op.drop_column('area_settings', 'verified_to_post')
    op.drop_column('area_settings', 'verified_to_vote')

    with op.batch_alter_table('linked_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linked_identities_user_id'))

    op.drop_index(op.f('ix_sign_in_drafts_created_at'), table_name='sign_in_drafts')
    op.drop_table('sign_in_drafts')
    op.drop_table('linked_identities')
    op.drop_table('line_notice_kinds')
