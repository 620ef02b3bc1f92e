"""users.text_size: the reader's text size on their account (issue 18, accessibility)

Revision ID: be0586d74345
Revises: 9a898c83b7be
Create Date: 2026-12-02 09:09:55.328193

A new nullable column (NULL: normal size); every existing row keeps its values.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'be0586d74345'
down_revision = '9a898c83b7be'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_size', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(op.f('ck_users_text_size'), "text_size IN ('large', 'larger')")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_text_size'), type_='check')
        batch_op.drop_column('text_size')
