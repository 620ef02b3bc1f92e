"""area hierarchy, settings in one place, rounds, IAP2 promise

Areas get a parent (any depth), an archive date and their IAP2 level and promise. The
area settings that lived apart (moderation mode and auto-hide threshold on `areas`, days
to first answer in `triage_settings`) move into `area_settings`, one row per area, every
existing value kept (an area without a triage_settings row gets the old default, 14 days).
Rounds and the themes they open are new tables.

Revision ID: bfe27427b578
Revises: c88c78291f21
Create Date: 2026-12-02 06:37:35.488649

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bfe27427b578'
down_revision = 'c88c78291f21'
branch_labels = None
depends_on = None

areas = sa.table('areas', sa.column('id', sa.Integer), sa.column('moderation_mode', sa.String),
                 sa.column('auto_hide_reports', sa.Integer))
triage_settings = sa.table('triage_settings', sa.column('area_id', sa.Integer),
                           sa.column('days_to_first_answer', sa.Integer))
area_settings = sa.table('area_settings', sa.column('area_id', sa.Integer), sa.column('moderation_mode', sa.String),
                         sa.column('auto_hide_reports', sa.Integer), sa.column('days_to_first_answer', sa.Integer),
                         sa.column('votes_follow_rounds', sa.Boolean), sa.column('comments_follow_rounds', sa.Boolean))


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds `areas` in batch mode (DROP TABLE, then a renamed copy): with foreign keys
    enforced, that DROP would run the ON DELETE actions of every table pointing at areas (themes
    and agencies deleted, audit entries unlinked). The pragma only takes effect outside a
    transaction, hence the autocommit block. Turned on again only if they were on before:
    migrations/env.py keeps them off for the whole run and checks every key at its end."""
    global _WERE_ON
    if op.get_bind().dialect.name != 'sqlite':
        return
    with op.get_context().autocommit_block():
        if on:
            problems = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').fetchall()
            if problems:
                raise RuntimeError(f'foreign keys broken by the migration: {problems[:5]}')
        else:
            _WERE_ON = bool(op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar())
        op.execute(f"PRAGMA foreign_keys={'ON' if on and _WERE_ON else 'OFF'}")


_WERE_ON = True


def upgrade():
    _sqlite_foreign_keys(False)
    op.create_table('area_settings',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('moderation_mode', sa.Enum('pre', 'post', name='moderationmode', native_enum=False, create_constraint=True, length=10), server_default='post', nullable=False),
    sa.Column('auto_hide_reports', sa.Integer(), server_default='3', nullable=False),
    sa.Column('days_to_first_answer', sa.Integer(), server_default='14', nullable=False),
    sa.Column('votes_follow_rounds', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('comments_follow_rounds', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('auto_hide_reports >= 1', name=op.f('ck_area_settings_auto_hide_reports_positive')),
    sa.CheckConstraint('days_to_first_answer BETWEEN 1 AND 365', name=op.f('ck_area_settings_days_range')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_area_settings_area_id_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area_id', name=op.f('pk_area_settings'))
    )
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('title_th', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('description_th', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_rounds_closes_after_opens')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_rounds_area_id_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_opens_at'), ['opens_at'], unique=False)

    op.create_table('round_themes',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_themes_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_round_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'theme_id', name=op.f('pk_round_themes'))
    )
    with op.batch_alter_table('round_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_themes_theme_id'), ['theme_id'], unique=False)

    # Every area's settings, from where they lived, before those places go.
    op.execute(area_settings.insert().from_select(
        ['area_id', 'moderation_mode', 'auto_hide_reports', 'days_to_first_answer', 'votes_follow_rounds',
         'comments_follow_rounds'],
        sa.select(areas.c.id, areas.c.moderation_mode, areas.c.auto_hide_reports,
                  sa.func.coalesce(triage_settings.c.days_to_first_answer, 14), sa.false(), sa.false())
        .select_from(areas.outerjoin(triage_settings, triage_settings.c.area_id == areas.c.id))))
    op.drop_table('triage_settings')

    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_areas_auto_hide_reports_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_areas_moderationmode'), type_='check')
        batch_op.drop_column('moderation_mode')
        batch_op.drop_column('auto_hide_reports')
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('iap2_level', sa.Enum('inform', 'consult', 'involve', 'collaborate', 'empower', name='iap2level', native_enum=False, create_constraint=False, length=12), nullable=True))
        batch_op.add_column(sa.Column('promise_th', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('promise_en', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_areas_iap2level'),
                                         "iap2_level IN ('inform', 'consult', 'involve', 'collaborate', 'empower')")
        batch_op.create_check_constraint(op.f('ck_areas_not_own_parent'), 'parent_id IS NULL OR parent_id <> id')
        batch_op.create_check_constraint(op.f('ck_areas_archived_is_closed'), 'archived_at IS NULL OR NOT is_open')
        batch_op.create_index(batch_op.f('ix_areas_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_areas_parent_id_areas'), 'areas', ['parent_id'], ['id'])
    _sqlite_foreign_keys(True)


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_areas_parent_id_areas'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_areas_parent_id'))
        batch_op.drop_constraint(op.f('ck_areas_archived_is_closed'), type_='check')
        batch_op.drop_constraint(op.f('ck_areas_not_own_parent'), type_='check')
        batch_op.drop_constraint(op.f('ck_areas_iap2level'), type_='check')
        batch_op.drop_column('promise_en')
        batch_op.drop_column('promise_th')
        batch_op.drop_column('iap2_level')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('parent_id')
        batch_op.add_column(sa.Column('moderation_mode', sa.Enum('pre', 'post', name='moderationmode', native_enum=False, create_constraint=False, length=10), server_default='post', nullable=False))
        batch_op.add_column(sa.Column('auto_hide_reports', sa.Integer(), server_default='3', nullable=False))
        batch_op.create_check_constraint(op.f('ck_areas_moderationmode'), "moderation_mode IN ('pre', 'post')")
        batch_op.create_check_constraint(op.f('ck_areas_auto_hide_reports_positive'), 'auto_hide_reports >= 1')

    op.create_table('triage_settings',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('days_to_first_answer', sa.Integer(), server_default='14', nullable=False),
    sa.CheckConstraint('days_to_first_answer BETWEEN 1 AND 365', name=op.f('ck_triage_settings_days_range')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_triage_settings_area_id_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area_id', name=op.f('pk_triage_settings'))
    )
    # The settings go back where they were (rounds cannot: they did not exist before).
    for name in ('moderation_mode', 'auto_hide_reports'):
        op.execute(areas.update().values({name: sa.select(getattr(area_settings.c, name))
                                          .where(area_settings.c.area_id == areas.c.id).scalar_subquery()})
                   .where(areas.c.id.in_(sa.select(area_settings.c.area_id))))
    op.execute(triage_settings.insert().from_select(
        ['area_id', 'days_to_first_answer'],
        sa.select(area_settings.c.area_id, area_settings.c.days_to_first_answer)))

    with op.batch_alter_table('round_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_themes_theme_id'))
    op.drop_table('round_themes')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_opens_at'))
        batch_op.drop_index(batch_op.f('ix_rounds_closes_at'))
        batch_op.drop_index(batch_op.f('ix_rounds_area_id'))
    op.drop_table('rounds')
    op.drop_table('area_settings')
    _sqlite_foreign_keys(True)
