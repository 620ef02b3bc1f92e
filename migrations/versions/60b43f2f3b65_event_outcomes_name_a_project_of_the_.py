"""event outcomes name a project of the event's areas (issue 17, point 4)

Revision ID: 60b43f2f3b65
Revises: a3c3230dfdb6
Create Date: 2026-12-02 11:16:34.809852

event_proposals.outcome_project_id becomes a foreign key to projects (ON DELETE SET NULL). Every row
is kept: a number that names no project (typed as a link before projects existed) is set to NULL, and
the link typed then stays in outcome_project_url, which the pages keep showing while no project is
chosen. The downgrade only drops the foreign key.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '60b43f2f3b65'
down_revision = 'a3c3230dfdb6'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text(
        "UPDATE event_proposals SET outcome_project_id = NULL WHERE outcome_project_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM projects WHERE projects.id = event_proposals.outcome_project_id)"))
    with op.batch_alter_table('event_proposals', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_event_proposals_outcome_project_id_projects'), 'projects',
                                    ['outcome_project_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('event_proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_proposals_outcome_project_id_projects'), type_='foreignkey')
