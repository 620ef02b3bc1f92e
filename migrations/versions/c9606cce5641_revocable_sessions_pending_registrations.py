"""revocable sessions (users.session_token); registrations waiting for their e-mail link

Every existing account gets its own random session token, so every row keeps working: its
owner signs in as before (sessions issued before this revision name no token and end once).
The column is added NOT NULL with a server default, which SQLite does with ALTER TABLE ADD
COLUMN: a batch "recreate" of `users` would drop the table, and with foreign keys on, SQLite
would null every idea's and comment's author and delete every vote on the way.

Revision ID: c9606cce5641
Revises: 4775ca536de1
Create Date: 2026-12-02 06:43:43.514639

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9606cce5641'
down_revision = '4775ca536de1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('display_name', sa.String(length=80), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('next_path', sa.String(length=500), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('join_code_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['join_code_id'], ['join_codes.id'],
                                name=op.f('fk_pending_registrations_join_code_id_join_codes'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_registrations')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_pending_registrations_token_hash')),
    )
    with op.batch_alter_table('pending_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_registrations_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_registrations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_registrations_join_code_id'), ['join_code_id'], unique=False)

    # Added in place (never a table rebuild, see above), then a token of its own for every account.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), server_default='', nullable=False))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(users.c.id)).scalars().all()
    for user_id in ids:
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32)))


def downgrade():
    # Natively (SQLite 3.35+ and PostgreSQL): a batch rebuild of `users` would cascade, see above.
    op.drop_column('users', 'session_token')

    with op.batch_alter_table('pending_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_registrations_join_code_id'))
        batch_op.drop_index(batch_op.f('ix_pending_registrations_email'))
        batch_op.drop_index(batch_op.f('ix_pending_registrations_created_at'))

    op.drop_table('pending_registrations')
