"""events: registrations, teams, proposals, outcomes, survey; rubric shared with events; event join codes

Adds the event tables. The shortlist rubric (criteria, judges, scores) is generalised rather than
copied: a criterion or judge now belongs to a shortlist OR an event, a score to a shortlist item OR an
event proposal (CHECK constraints); every existing row belongs to its shortlist and stays as it is.
A join code may belong to an event. Downgrade removes the event rubric rows first (they cannot be
kept without their event), then restores NOT NULL.

Revision ID: 5e695ab757e8
Revises: f9c5b8fbeaf2
Create Date: 2026-12-02 08:31:47.462939

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e695ab757e8'
down_revision = 'f9c5b8fbeaf2'
branch_labels = None
depends_on = None

#: A criterion or a judge belongs to a shortlist or to an event; a score to an item or a proposal.
ONE_OWNER = "(shortlist_id IS NULL) <> (event_id IS NULL)"
ONE_ENTRY = "(item_id IS NULL) <> (proposal_id IS NULL)"


def upgrade():
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('hackathon', 'workshop', 'forum', name='event_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', 'cancelled', name='event_state', native_enum=False, create_constraint=True, length=20), server_default='draft', nullable=False),
    sa.Column('title_th', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('description_th', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), server_default='', nullable=False),
    sa.Column('online_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('accepted_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposal_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('team_size_max', sa.Integer(), server_default='6', nullable=False),
    sa.Column('shortlist_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('accepted_count >= 0 AND accepted_count <= capacity', name=op.f('ck_events_seats_within_capacity')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_events_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('registration_closes_at IS NULL OR registration_opens_at IS NULL OR registration_closes_at > registration_opens_at', name=op.f('ck_events_registration_window')),
    sa.CheckConstraint('team_size_max BETWEEN 1 AND 20', name=op.f('ck_events_team_size_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shortlist_id'], ['shortlists.id'], name=op.f('fk_events_shortlist_id_shortlists'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_shortlist_id'), ['shortlist_id'], unique=False)
        batch_op.create_index('ix_events_state_starts', ['state', 'starts_at'], unique=False)

    op.create_table('event_agencies',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_event_agencies_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_agencies_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'agency_id', name=op.f('pk_event_agencies'))
    )
    with op.batch_alter_table('event_agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_agencies_agency_id'), ['agency_id'], unique=False)

    op.create_table('event_areas',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_event_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_areas_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'area_id', name=op.f('pk_event_areas'))
    )
    with op.batch_alter_table('event_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_areas_area_id'), ['area_id'], unique=False)

    op.create_table('event_groups',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_groups_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['idea_groups.id'], name=op.f('fk_event_groups_group_id_idea_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'group_id', name=op.f('pk_event_groups'))
    )
    with op.batch_alter_table('event_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_groups_group_id'), ['group_id'], unique=False)

    op.create_table('event_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('invite_token', sa.String(length=32), nullable=False),
    sa.Column('member_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('member_count >= 0', name=op.f('ck_event_teams_member_count_non_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_teams_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_teams_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_teams')),
    sa.UniqueConstraint('event_id', 'name', name=op.f('uq_event_teams_event_id_name')),
    sa.UniqueConstraint('id', 'event_id', name='uq_event_teams_id_event'),
    sa.UniqueConstraint('invite_token', name=op.f('uq_event_teams_invite_token'))
    )
    with op.batch_alter_table('event_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_teams_event_id'), ['event_id'], unique=False)

    op.create_table('event_themes',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_themes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_event_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'theme_id', name=op.f('pk_event_themes'))
    )
    with op.batch_alter_table('event_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('event_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'final', name='proposal_status', native_enum=False, create_constraint=True, length=20), server_default='draft', nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('problem', sa.Text(), server_default='', nullable=False),
    sa.Column('solution', sa.Text(), server_default='', nullable=False),
    sa.Column('beneficiaries', sa.Text(), server_default='', nullable=False),
    sa.Column('cost_baht', sa.BigInteger(), nullable=True),
    sa.Column('cost_note', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum('taken_forward', 'parked', 'declined', name='proposal_outcome', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('outcome_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('outcome_agency_id', sa.Integer(), nullable=True),
    sa.Column('outcome_project_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('outcome_project_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(status = 'final') = (submitted_at IS NOT NULL)", name=op.f('ck_event_proposals_final_has_submitted_at')),
    sa.CheckConstraint("outcome IS NULL OR outcome <> 'taken_forward' OR outcome_agency_id IS NOT NULL", name=op.f('ck_event_proposals_taken_forward_has_agency')),
    sa.CheckConstraint("outcome IS NULL OR outcome_reason <> ''", name=op.f('ck_event_proposals_outcome_has_reason')),
    sa.CheckConstraint("outcome IS NULL OR status = 'final'", name=op.f('ck_event_proposals_outcome_only_final')),
    sa.CheckConstraint('cost_baht IS NULL OR cost_baht >= 0', name=op.f('ck_event_proposals_cost_non_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_proposals_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_agency_id'], ['agencies.id'], name=op.f('fk_event_proposals_outcome_agency_id_agencies')),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], name=op.f('fk_event_proposals_outcome_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id', 'event_id'], ['event_teams.id', 'event_teams.event_id'], name='fk_event_proposals_team_event', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_event_proposals_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_proposals')),
    sa.UniqueConstraint('team_id', name=op.f('uq_event_proposals_team_id'))
    )
    with op.batch_alter_table('event_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_proposals_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_proposals_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_proposals_outcome_agency_id'), ['outcome_agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_proposals_outcome_project_id'), ['outcome_project_id'], unique=False)

    op.create_table('event_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('accepted', 'waitlisted', 'cancelled', name='registration_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('join_code_id', sa.Integer(), nullable=True),
    sa.Column('sector', sa.Enum('citizen', 'student', 'public', 'private', 'civil_society', 'academic', 'other', name='registration_sector', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('age_band', sa.Enum('under_18', 'age_18_24', 'age_25_34', 'age_35_44', 'age_45_59', 'age_60_plus', name='registration_age_band', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('demographics_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("checked_in_at IS NULL OR status = 'accepted'", name=op.f('ck_event_registrations_checked_in_is_accepted')),
    sa.CheckConstraint('(sector IS NULL AND age_band IS NULL) OR demographics_consent_at IS NOT NULL', name=op.f('ck_event_registrations_demographics_need_consent')),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_event_registrations_checked_in_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_registrations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['join_code_id'], ['join_codes.id'], name=op.f('fk_event_registrations_join_code_id_join_codes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_registrations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registrations')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_registrations_event_id_user_id'))
    )
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registrations_checked_in_at'), ['checked_in_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registrations_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_event_registrations_event_status_queue', ['event_id', 'status', 'waitlisted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registrations_join_code_id'), ['join_code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registrations_user_id'), ['user_id'], unique=False)

    op.create_table('event_team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_team_members_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id', 'event_id'], ['event_teams.id', 'event_teams.event_id'], name='fk_event_team_members_team_event', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_team_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_team_members')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_team_members_event_id_user_id'))
    )
    with op.batch_alter_table('event_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_team_members_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_team_members_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_team_members_user_id'), ['user_id'], unique=False)

    op.create_table('event_proposal_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=120), server_default='', nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['event_proposals.id'], name=op.f('fk_event_proposal_files_proposal_id_event_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_event_proposal_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_proposal_files')),
    sa.UniqueConstraint('filename', name=op.f('uq_event_proposal_files_filename'))
    )
    with op.batch_alter_table('event_proposal_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_proposal_files_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('event_proposal_groups',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['idea_groups.id'], name=op.f('fk_event_proposal_groups_group_id_idea_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['event_proposals.id'], name=op.f('fk_event_proposal_groups_proposal_id_event_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'group_id', name=op.f('pk_event_proposal_groups'))
    )
    with op.batch_alter_table('event_proposal_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_proposal_groups_group_id'), ['group_id'], unique=False)

    op.create_table('event_proposal_ideas',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_event_proposal_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['event_proposals.id'], name=op.f('fk_event_proposal_ideas_proposal_id_event_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'idea_id', name=op.f('pk_event_proposal_ideas'))
    )
    with op.batch_alter_table('event_proposal_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_proposal_ideas_idea_id'), ['idea_id'], unique=False)

    op.create_table('event_survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('satisfaction', sa.Integer(), nullable=False),
    sa.Column('would_return', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('satisfaction BETWEEN 1 AND 5', name=op.f('ck_event_survey_answers_satisfaction_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_survey_answers_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registrations.id'], name=op.f('fk_event_survey_answers_registration_id_event_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_survey_answers')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_event_survey_answers_registration_id'))
    )
    with op.batch_alter_table('event_survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_survey_answers_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('join_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_join_codes_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_join_codes_event_id_events'), 'events', ['event_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('shortlist_criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.alter_column('shortlist_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_shortlist_criteria_event_id'), ['event_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_shortlist_criteria_event_id_name'), ['event_id', 'name'])
        batch_op.create_foreign_key(batch_op.f('fk_shortlist_criteria_event_id_events'), 'events', ['event_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_shortlist_criteria_one_owner'), ONE_OWNER)

    with op.batch_alter_table('shortlist_judges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.alter_column('shortlist_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_shortlist_judges_event_id'), ['event_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_shortlist_judges_event_id_user_id'), ['event_id', 'user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_shortlist_judges_event_id_events'), 'events', ['event_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_shortlist_judges_one_owner'), ONE_OWNER)

    with op.batch_alter_table('shortlist_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_shortlist_scores_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_shortlist_scores_proposal_id_criterion_id_judge_id'), ['proposal_id', 'criterion_id', 'judge_id'])
        batch_op.create_foreign_key(batch_op.f('fk_shortlist_scores_proposal_id_event_proposals'), 'event_proposals', ['proposal_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_shortlist_scores_one_entry'), ONE_ENTRY)


def downgrade():
    # Event rubric rows have no shortlist to belong to once events are gone.
    op.execute("DELETE FROM shortlist_scores WHERE item_id IS NULL")
    op.execute("DELETE FROM shortlist_judges WHERE shortlist_id IS NULL")
    op.execute("DELETE FROM shortlist_criteria WHERE shortlist_id IS NULL")
    with op.batch_alter_table('shortlist_scores', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_shortlist_scores_one_entry'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_shortlist_scores_proposal_id_event_proposals'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_shortlist_scores_proposal_id_criterion_id_judge_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_shortlist_scores_proposal_id'))
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('proposal_id')

    with op.batch_alter_table('shortlist_judges', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_shortlist_judges_one_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_shortlist_judges_event_id_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_shortlist_judges_event_id_user_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_shortlist_judges_event_id'))
        batch_op.alter_column('shortlist_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('event_id')

    with op.batch_alter_table('shortlist_criteria', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_shortlist_criteria_one_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_shortlist_criteria_event_id_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_shortlist_criteria_event_id_name'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_shortlist_criteria_event_id'))
        batch_op.alter_column('shortlist_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('event_id')

    with op.batch_alter_table('join_codes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_join_codes_event_id_events'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_join_codes_event_id'))
        batch_op.drop_column('event_id')

    with op.batch_alter_table('event_survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_survey_answers_event_id'))

    op.drop_table('event_survey_answers')
    with op.batch_alter_table('event_proposal_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_proposal_ideas_idea_id'))

    op.drop_table('event_proposal_ideas')
    with op.batch_alter_table('event_proposal_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_proposal_groups_group_id'))

    op.drop_table('event_proposal_groups')
    with op.batch_alter_table('event_proposal_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_proposal_files_proposal_id'))

    op.drop_table('event_proposal_files')
    with op.batch_alter_table('event_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_team_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_team_members_team_id'))
        batch_op.drop_index(batch_op.f('ix_event_team_members_event_id'))

    op.drop_table('event_team_members')
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registrations_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_registrations_join_code_id'))
        batch_op.drop_index('ix_event_registrations_event_status_queue')
        batch_op.drop_index(batch_op.f('ix_event_registrations_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_registrations_checked_in_at'))

    op.drop_table('event_registrations')
    with op.batch_alter_table('event_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_proposals_outcome_project_id'))
        batch_op.drop_index(batch_op.f('ix_event_proposals_outcome_agency_id'))
        batch_op.drop_index(batch_op.f('ix_event_proposals_outcome'))
        batch_op.drop_index(batch_op.f('ix_event_proposals_event_id'))

    op.drop_table('event_proposals')
    with op.batch_alter_table('event_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_themes_theme_id'))

    op.drop_table('event_themes')
    with op.batch_alter_table('event_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_teams_event_id'))

    op.drop_table('event_teams')
    with op.batch_alter_table('event_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_groups_group_id'))

    op.drop_table('event_groups')
    with op.batch_alter_table('event_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_areas_area_id'))

    op.drop_table('event_areas')
    with op.batch_alter_table('event_agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_agencies_agency_id'))

    op.drop_table('event_agencies')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_state_starts')
        batch_op.drop_index(batch_op.f('ix_events_shortlist_id'))
        batch_op.drop_index(batch_op.f('ix_events_created_by_id'))

    op.drop_table('events')
