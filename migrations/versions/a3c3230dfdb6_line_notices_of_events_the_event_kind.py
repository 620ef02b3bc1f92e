"""LINE notices of events: the `event` kind (reminders and seat news, issue 17)

Revision ID: a3c3230dfdb6
Revises: 5e695ab757e8
Create Date: 2026-12-02 11:20:00.000000

Only the CHECK constraint of line_notice_kinds.kind changes (a non-native enum: autogenerate does not
see it). Every existing row keeps its values; the downgrade deletes only `event` rows, which the old
constraint would refuse.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c3230dfdb6'
down_revision = '5e695ab757e8'
branch_labels = None
depends_on = None

OLD = ('receipt', 'status', 'answer', 'merge')
NEW = OLD + ('event',)


def _check(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    with op.batch_alter_table('line_notice_kinds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_line_notice_kinds_noticekind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_line_notice_kinds_noticekind'), _check(NEW))


def downgrade():
    op.execute(sa.text("DELETE FROM line_notice_kinds WHERE kind = 'event'"))
    with op.batch_alter_table('line_notice_kinds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_line_notice_kinds_noticekind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_line_notice_kinds_noticekind'), _check(OLD))
