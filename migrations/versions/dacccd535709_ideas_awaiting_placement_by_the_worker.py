"""ideas awaiting placement: `ideas.awaiting_placement`, set when an idea is published and cleared
once the background worker (or a regrouping) has decided its group and issue (issue 18, point 7).
Every existing idea was placed when it was published: they all start at false.

Revision ID: dacccd535709
Revises: 60b43f2f3b65
Create Date: 2026-12-02 12:53:24.448054

"""
import sqlalchemy as sa
from alembic import op

from idea4gov.search import restore_sqlite_triggers

# revision identifiers, used by Alembic.
revision = 'dacccd535709'
down_revision = '60b43f2f3b65'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_placement', sa.Boolean(), server_default=sa.false(), nullable=False))
    restore_sqlite_triggers(op)  # a batch rebuild of `ideas` drops the search triggers


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('awaiting_placement')
    restore_sqlite_triggers(op)
